"""Rejections into the journal: from text, a file, an .eml, stdin, or gapfinder batch results.

Every way in ends in events.record_rejection with the engine's analysis. An email is filed
once: its Message-ID (or, without one, a hash of its text) is the key, so filing the same
mailbox twice adds nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from ..errors import InputError
from ..read.email_reader import looks_like_email, read_email
from . import analysing
from .errors import JournalInputError
from .events import (add_application, applications, events, get_application, history, is_waiting,
                     message_filed, record_rejection)
from .matching import SHARED_DOMAINS, EmailFacts, best_match, proposed_application
from .records import Rejection
from .store import Journal


@dataclass
class Filed:
    """What happened to one email: filed (into which application), or already there."""

    status: str                    # "filed" | "already" | "not_rejection" | "error"
    application_id: int | None = None
    rejection_id: int | None = None
    created: bool = False          # a new application was made for it
    source: str = ""
    why: str = ""


def message_key(message_id: str | None, text: str) -> str:
    if message_id:
        return "mid:" + message_id.strip().strip("<>").lower()
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def reject_text(journal: Journal, application_id: int, text: str, received_on=None, engine=None,
                source: str = "text") -> Rejection:
    """Analyse a feedback text and file it as a rejection of the application."""
    get_application(journal, application_id)
    analysis, cleaned, version = analysing.analyze(text, engine)
    return record_rejection(journal, application_id, cleaned, analysis, version, received_on,
                            message_key=None, source=source)


def reject_input(journal: Journal, application_id: int, data: bytes, name: str, received_on=None,
                 engine=None) -> tuple[Rejection | None, bool]:
    """File the bytes of a text or an .eml; (rejection, True) or (None, False) if already filed."""
    get_application(journal, application_id)
    if name.lower().endswith(".eml") or looks_like_email(data[:4096]):
        message = read_email(data, name)
        if message.error:
            raise InputError(f"{name}: {message.error}")
        if not (message.text or "").strip():
            raise InputError(f"{name}: the email has no new text to read (only quoted or signature text)")
        key = message_key(message.meta.get("message_id"), message.text)
        if message_filed(journal, key):
            return None, False
        analysis, cleaned, version = analysing.analyze(message.text, engine)
        when = received_on or (message.meta.get("date_iso") or "")[:10] or None
        return record_rejection(journal, application_id, cleaned, analysis, version, when, key,
                                sender=message.meta.get("from") or "", subject=message.meta.get("subject") or "",
                                source=name), True
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not valid UTF-8 text (bad byte at position {exc.start})") from None
    if not text.strip():
        raise JournalInputError(f"{name} is empty: there is no feedback to file")
    return reject_text(journal, application_id, text, received_on, engine, source=name), True


def file_batch_record(journal: Journal, record: dict, model_version: str) -> Filed:
    """File one `gapfinder batch` result (with its text) into the journal."""
    source = record.get("source") or ""
    if "error" in record:
        return Filed("error", source=source, why=record["error"])
    text = record.get("text") or ""
    key = message_key(record.get("message_id"), text)
    if message_filed(journal, key):
        return Filed("already", source=source)
    if not (record.get("rejection") or record.get("gaps")):
        return Filed("not_rejection", source=source, why="does not read as a rejection")
    facts = EmailFacts.of(record.get("from"), record.get("subject"))
    apps = applications(journal)
    all_events = events(journal)
    waiting = {a.id for a in apps if is_waiting(history([e for e in all_events if e.application_id == a.id]))}
    match = best_match(apps, facts, waiting)
    created = match.application is None
    if created:
        company, role = proposed_application(facts)
        app = add_application(journal, company, role, status=None, contact_email=facts.sender_email
                              if facts.domain not in SHARED_DOMAINS else "",
                              notes=f"made from an email by gapfinder batch ({source}); check the details")
    else:
        app = match.application
    analysis = {k: record[k] for k in ("gaps", "strengths", "actions", "specific", "rejection", "language",
                                        "scores", "ignored", "decisions") if k in record}
    rejection = record_rejection(journal, app.id, text, analysis, model_version, _date(record.get("date")),
                                 key, sender=record.get("from") or "", subject=record.get("subject") or "",
                                 source=source)
    return Filed("filed", app.id, rejection.id, created, source, "; ".join(match.why))


def _date(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def read_source(name: str, stdin) -> bytes:
    """The bytes of a file path, or of stdin for '-'."""
    if name == "-":
        return stdin.read()
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name} is a folder; use 'gapfinder batch {name} --journal ...' for folders")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name} ({exc.strerror})") from None

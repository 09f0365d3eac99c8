"""Applications and their append-only status history; rejections attached to them.

A correction is a new event that names the one it corrects (`corrects`); the corrected
event stays in the log and is simply left out of the history that counts.
"""
from __future__ import annotations

import json
from datetime import date

from .errors import JournalInputError, UnknownRecord
from .records import Application, Event, Rejection, from_row
from .schema import STATUSES
from .store import Journal, new_uid, now_iso

FUNNEL = ("applied", "screen", "interview", "offer")   # stages an application can reach
ENDED = ("offer", "rejected", "withdrawn", "ghosted")   # after these it is no longer waiting


def check_date(value: str | date | None, what: str = "date") -> str:
    """An ISO date (YYYY-MM-DD); today when not given."""
    if value is None or value == "":
        return date.today().isoformat()
    if isinstance(value, date):
        return value.isoformat()[:10]
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise JournalInputError(f"{what} {value!r} is not a date; write it as YYYY-MM-DD") from None


def add_application(journal: Journal, company: str, role: str = "", applied_on=None, source: str = "",
                    contact: str = "", contact_email: str = "", notes: str = "",
                    status: str | None = "applied") -> Application:
    """Add an application; with a status, its first event too (dated applied_on)."""
    company = (company or "").strip()
    if not company:
        raise JournalInputError("an application needs a company name")
    if status is not None and status not in STATUSES:
        raise JournalInputError(_bad_status(status))
    applied = check_date(applied_on, "applied date") if (applied_on or status == "applied") else None
    with journal.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO applications (uid, company, role, applied_on, source, contact, contact_email,"
            " notes, entered_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (new_uid(), company, role.strip(), applied, source.strip(), contact.strip(),
             contact_email.strip().lower(), notes, now_iso()))
        app_id = cur.lastrowid
        if status is not None:
            _insert_event(conn, app_id, status, applied or check_date(None), "")
    return get_application(journal, app_id)


def add_event(journal: Journal, application_id: int, status: str, event_date=None, note: str = "",
              corrects: int | None = None) -> Event:
    """Append a status change. A correction names the event it replaces."""
    if status not in STATUSES:
        raise JournalInputError(_bad_status(status))
    when = check_date(event_date, "event date")
    get_application(journal, application_id)
    if corrects is not None:
        old = journal.one("SELECT application_id FROM events WHERE id = ?", (corrects,))
        if old is None or old["application_id"] != application_id:
            raise UnknownRecord(f"application {application_id} has no event {corrects} to correct")
    with journal.transaction() as conn:
        event_id = _insert_event(conn, application_id, status, when, note, corrects)
    return from_row(Event, journal.one("SELECT * FROM events WHERE id = ?", (event_id,)))


def _insert_event(conn, application_id, status, when, note, corrects=None) -> int:
    cur = conn.execute(
        "INSERT INTO events (uid, application_id, status, event_date, entered_at, note, corrects)"
        " VALUES (?,?,?,?,?,?,?)", (new_uid(), application_id, status, when, now_iso(), note, corrects))
    return cur.lastrowid


def record_rejection(journal: Journal, application_id: int, text: str, analysis: dict, model_version: str,
                     received_on=None, message_key: str | None = None, sender: str = "",
                     subject: str = "", source: str = "") -> Rejection:
    """Store a rejection and its 'rejected' event in one transaction."""
    when = check_date(received_on, "received date")
    get_application(journal, application_id)
    with journal.transaction() as conn:
        event_id = _insert_event(conn, application_id, "rejected", when, "")
        cur = conn.execute(
            "INSERT INTO rejections (uid, application_id, event_id, received_on, entered_at, message_key,"
            " sender, subject, source, text, analysis, model_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (new_uid(), application_id, event_id, when, now_iso(), message_key, sender, subject, source,
             text, json.dumps(analysis, ensure_ascii=False), model_version))
        rejection_id = cur.lastrowid
    return get_rejection(journal, rejection_id)


def get_application(journal: Journal, application_id) -> Application:
    row = journal.one("SELECT * FROM applications WHERE id = ?", (_as_id(application_id, "application"),))
    if row is None:
        raise UnknownRecord(f"there is no application {application_id} in the journal "
                            "(see 'gapfinder journal list')")
    return from_row(Application, row)


def get_rejection(journal: Journal, rejection_id) -> Rejection:
    row = journal.one("SELECT * FROM rejections WHERE id = ?", (_as_id(rejection_id, "rejection"),))
    if row is None:
        raise UnknownRecord(f"there is no rejection {rejection_id} in the journal")
    return from_row(Rejection, row)


def applications(journal: Journal) -> list[Application]:
    return [from_row(Application, r) for r in journal.rows("SELECT * FROM applications ORDER BY id")]


def events(journal: Journal, application_id: int | None = None) -> list[Event]:
    """Events in the order they happened (then in the order they were entered)."""
    where, params = ("WHERE application_id = ?", (application_id,)) if application_id is not None else ("", ())
    rows = journal.rows(f"SELECT * FROM events {where} ORDER BY event_date, id", params)
    return [from_row(Event, r) for r in rows]


def rejections(journal: Journal, application_id: int | None = None) -> list[Rejection]:
    where, params = ("WHERE application_id = ?", (application_id,)) if application_id is not None else ("", ())
    rows = journal.rows(f"SELECT * FROM rejections {where} ORDER BY received_on, id", params)
    return [from_row(Rejection, r) for r in rows]


def history(all_events: list[Event]) -> list[Event]:
    """The events that count: corrected ones left out, in date order."""
    corrected = {e.corrects for e in all_events if e.corrects is not None}
    return [e for e in all_events if e.id not in corrected]


def current_status(app_events: list[Event]) -> str:
    """The status now: the latest event that counts (by date, then entry order)."""
    counted = history(app_events)
    return counted[-1].status if counted else "saved"


def reached(app_events: list[Event]) -> set[str]:
    """Funnel stages an application reached, from its whole history (not its status now)."""
    counted = history(app_events)
    statuses = {e.status for e in counted}
    best = max((FUNNEL.index(s) for s in statuses if s in FUNNEL), default=-1)
    if statuses - {"saved"} and best < 0:
        best = 0   # rejected / withdrawn / ghosted without an 'applied' event: it was applied for
    return set(FUNNEL[: best + 1])


def is_waiting(app_events: list[Event]) -> bool:
    """Applied for and not yet ended (no offer, rejection, withdrawal or ghosting)."""
    status = current_status(app_events)
    return status in FUNNEL[:3]


def message_filed(journal: Journal, message_key: str) -> bool:
    return journal.one("SELECT 1 FROM rejections WHERE message_key = ?", (message_key,)) is not None


def _as_id(value, what: str) -> int:
    try:
        return int(str(value).lstrip("#"))
    except (TypeError, ValueError):
        raise UnknownRecord(f"{value!r} is not a {what} id (ids are numbers; see 'gapfinder journal list')") from None


def _bad_status(status: str) -> str:
    return f"unknown status {status!r}; use one of: {', '.join(STATUSES)}"

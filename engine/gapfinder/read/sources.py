"""Turn the paths a user gives into a stream of Messages, one per input record.

Accepted inputs:
  FILE.eml             one email
  FILE.mbox / .mbx     an mbox (also any file whose first line starts with "From ")
  FOLDER with cur/ and new/   a Maildir (messages sorted by key; hidden sub-folders skipped)
  FILE.txt             one text: the whole file (id = the path)
  FILE.jsonl           one text per line: {"id"?: ..., "text": "..."}
  FILE.msg             an Outlook message (needs the optional extract_msg package)
  FOLDER               every file inside, recursively, in sorted order; hidden files and
                       folders are skipped, symlinked folders are not followed
  -                    standard input: JSONL if the first non-blank byte is "{", an mbox if it
                       starts with "From ", else one email

Files with another extension are read as an email if they start with mail header lines
(or as an mbox if they start with "From "). Given explicitly, any other file gets an error
record; inside a folder it is skipped silently, since folders of mail often hold indexes,
notes or attachments that are clearly not mail.

Every input record comes out exactly once and in input order, either with text or with a
one-line error; nothing about bad data is raised. `iter_records` leaves emails unparsed
(RawEmail: bytes and source) so that `gapfinder batch --jobs N` can parse them in its worker
processes (parsing is about half the work); `read_record` finishes one, and `iter_messages`
does both in one stream. `source` names the path, plus "#N" for
the Nth message of an mbox, ":KEY" for a Maildir message and ":LINE" for a JSONL line.
Big inputs are streamed: at most one email (bounded by max_email_bytes) or one JSONL line
(bounded by max_line_chars) is held in memory at a time.
"""
from __future__ import annotations

import io
import json
import os
import re
import sys
from typing import BinaryIO, Iterable, Iterator, NamedTuple

from .email_reader import looks_like_email, read_email, size_error
from .html_text import html_to_text
from ..limits import DEFAULT_LIMITS, Limits
from .message import Message
from .quoted_reply import new_text
from .text_input import SURROGATE

MSG_EXTRA = "reading Outlook .msg files needs the optional extra: pip install 'gapfinder[msg]'"
MBOX_EXTENSIONS = (".mbox", ".mbx")
_CHUNK = 1 << 16                 # longest piece of a line read at once from an mbox
_SNIFF_BYTES = 4096
_FROM_TIME = re.compile(rb"\b\d{1,2}:\d{2}\b")
_FROM_YEAR = re.compile(rb"\b(?:19|20)\d{2}\b")
_ESCAPED_FROM = re.compile(rb">+From ")


class RawEmail(NamedTuple):
    """An email read from disk but not yet parsed (cheap to send to a worker process)."""

    data: bytes
    source: str


Record = Message | RawEmail     # what iter_records yields


def iter_messages(paths: Iterable[str], stdin: BinaryIO | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> Iterator[Message]:
    """Yield one Message per input record of every path, in order ("-" is stdin)."""
    for record in iter_records(paths, stdin, limits):
        yield read_record(record, limits)


def read_record(record: Record, limits: Limits = DEFAULT_LIMITS) -> Message:
    """The Message for one item of iter_records: a RawEmail is parsed here."""
    if isinstance(record, RawEmail):
        return read_email(record.data, record.source, limits)
    return record


def iter_records(paths: Iterable[str], stdin: BinaryIO | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> Iterator[Record]:
    """Like iter_messages, but emails come out as RawEmail, still to be parsed."""
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            yield from _guarded("-", _read_stream(_binary(stdin), "-", limits))
        elif os.path.isdir(path):
            yield from _read_folder(path, limits)
        elif os.path.exists(path):
            yield from _guarded(path, _read_file(path, limits, explicit=True))
        else:
            yield _error(path, f"no such file or folder: {path}")


def split_mbox(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """Yield (raw message, or None when over max_bytes; its size) for each mbox message.

    A line is a separator only if it starts with "From ", follows a blank line (or starts
    the file) and carries a time and a year ("From sender Mon Jan  1 10:00:00 2024"): a
    body line like "From my experience..." after a blank line is the classic mboxo
    ambiguity, and this reading keeps it in the body. ">From " lines are unescaped
    (mboxrd). Text before the first separator, if not blank, is a message of its own.
    """
    buf: list[bytes] = []
    size = 0
    started = False             # a message (or non-blank leading text) is open
    at_line_start = True
    prev_blank = True           # the start of the file counts as after a blank line
    in_separator = False        # skipping the rest of an over-long "From " line
    while True:
        piece = stream.readline(_CHUNK)
        if not piece:
            break
        complete = piece.endswith(b"\n")
        if in_separator:
            in_separator = not complete
            at_line_start = complete
            continue
        if at_line_start and prev_blank and _is_from_line(piece):
            if started:
                yield _finish(buf, size, max_bytes)
            buf, size, started = [], 0, True
            in_separator, at_line_start, prev_blank = not complete, complete, False
            continue
        if at_line_start and _ESCAPED_FROM.match(piece):
            piece = piece[1:]
        size += len(piece)
        if size <= max_bytes:
            buf.append(piece)
        else:
            buf = []
        started = started or bool(piece.strip())
        prev_blank = at_line_start and complete and not piece.strip()
        at_line_start = complete
    if started:
        yield _finish(buf, size, max_bytes)


def _is_from_line(line: bytes) -> bool:
    if not line.startswith(b"From ") or len(line.split(None, 2)) < 3:
        return False
    return bool(_FROM_TIME.search(line) and _FROM_YEAR.search(line))


def _finish(buf: list[bytes], size: int, max_bytes: int) -> tuple[bytes | None, int]:
    if size > max_bytes:
        return None, size
    data = b"".join(buf)
    for ending in (b"\r\n\r\n", b"\n\n"):     # the blank line before the next separator
        if data.endswith(ending):
            data = data[:len(data) - len(ending) // 2]
            break
    return data, size


def _error(path: str, error: str, source: str | None = None) -> Message:
    return Message(id=source or path, source=source or path, error=error)


def _guarded(path: str, records: Iterator[Record]) -> Iterator[Record]:
    """Pass records through; an I/O or unexpected failure ends this input with one error record."""
    try:
        yield from records
    except OSError as exc:
        yield _error(path, f"cannot read {path}: {exc.strerror or exc}")
    except Exception as exc:
        yield _error(path, f"could not read {path}: {type(exc).__name__}: {exc}".splitlines()[0])


def _read_folder(path: str, limits: Limits) -> Iterator[Record]:
    for kind, full, problem in _walk(path):
        if kind == "maildir":
            yield from _guarded(full, _read_maildir(full, limits))
        elif kind == "file":
            yield from _guarded(full, _read_file(full, limits, explicit=False))
        else:
            yield _error(full, problem)


def _walk(root: str) -> Iterator[tuple[str, str, str]]:
    """(kind, path, problem) with kind "file", "maildir" or "error", depth-first in sorted
    order, without recursion."""
    pending = [[(root, True)]]       # per open folder: entries still to visit, next one last
    while pending:
        entries = pending[-1]
        if not entries:
            pending.pop()
            continue
        full, is_dir = entries.pop()
        if not is_dir:
            yield "file", full, ""
        elif _is_maildir(full):
            yield "maildir", full, ""
        else:
            try:
                pending.append(_listing(full)[::-1])
            except OSError as exc:
                yield "error", full, f"cannot read folder {full}: {exc.strerror or exc}"


def _listing(folder: str) -> list[tuple[str, bool]]:
    """(path, is a folder) for the visible entries of a folder, sorted by name; symlinked
    folders are left out so a link cannot make the walk loop."""
    with os.scandir(folder) as entries:
        found = sorted((e.name, e.is_dir(follow_symlinks=False), e.is_symlink()) for e in entries)
    listing = []
    for name, is_dir, is_link in found:
        full = os.path.join(folder, name)
        if name.startswith(".") or (is_link and os.path.isdir(full)):
            continue
        listing.append((full, is_dir))
    return listing


def _is_maildir(path: str) -> bool:
    return os.path.isdir(os.path.join(path, "cur")) and os.path.isdir(os.path.join(path, "new"))


def _read_maildir(path: str, limits: Limits) -> Iterator[Record]:
    """Messages of new/ and cur/, sorted by key (the file name before ":info")."""
    keyed = []
    for sub in ("new", "cur"):
        folder = os.path.join(path, sub)
        for name in os.listdir(folder):
            full = os.path.join(folder, name)
            if not name.startswith(".") and os.path.isfile(full):
                keyed.append((name.split(":", 1)[0], full))
    for key, full in sorted(keyed):
        source = f"{path}:{key}"
        yield from _guarded(source, _lazy(_read_email_file, full, source, limits))


def _lazy(read, *args) -> Iterator[Record]:
    """Defer one read so _guarded can turn its failure into an error record."""
    yield read(*args)


def _read_file(path: str, limits: Limits, explicit: bool) -> Iterator[Record]:
    extension = os.path.splitext(path)[1].lower()
    if extension == ".eml":
        yield _read_email_file(path, path, limits)
    elif extension in MBOX_EXTENSIONS:
        with open(path, "rb") as stream:
            yield from _read_mbox(stream, path, limits)
    elif extension == ".txt":
        yield _read_text_file(path, limits)
    elif extension == ".jsonl":
        with open(path, "rb") as stream:
            yield from _read_jsonl(stream, path, limits)
    elif extension == ".msg":
        yield _read_outlook(path, limits)
    else:
        with open(path, "rb") as stream:
            head = stream.read(_SNIFF_BYTES)
        if head.startswith(b"From "):
            with open(path, "rb") as stream:
                yield from _read_mbox(stream, path, limits)
        elif looks_like_email(head):
            yield _read_email_file(path, path, limits)
        elif explicit:
            yield _error(path, f"unsupported file: {path} is not an email, mbox, Maildir, "
                               ".txt, .jsonl or .msg file")


def _read_email_file(path: str, source: str, limits: Limits) -> Message | RawEmail:
    too_large = size_error(os.path.getsize(path), limits)
    if too_large:
        return _error(path, too_large, source)
    with open(path, "rb") as stream:
        return RawEmail(stream.read(), source)


def _read_mbox(stream: BinaryIO, name: str, limits: Limits) -> Iterator[Record]:
    for number, (data, size) in enumerate(split_mbox(stream, limits.max_email_bytes), start=1):
        source = f"{name}#{number}"
        if data is None:
            yield _error(name, size_error(size, limits) or "", source)
        else:
            yield RawEmail(data, source)


def _read_text_file(path: str, limits: Limits) -> Message:
    size = os.path.getsize(path)
    if size > limits.max_text_bytes:
        return _error(path, f"the text is {size:,} bytes, over the limit of {limits.max_text_bytes:,} "
                            "(raise it with --max-text-bytes)")
    with open(path, "rb") as stream:
        data = stream.read()
    if b"\x00" in data[:8192]:
        return _error(path, "not a text file: the file holds binary data")
    try:
        return Message(id=path, source=path, text=data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Message(id=path, source=path, text=data.decode("cp1252", errors="replace"),
                       meta={"charset_fallback": "cp1252"})


def _read_jsonl(stream: BinaryIO, name: str, limits: Limits) -> Iterator[Message]:
    """One record per non-blank line; a bad line becomes an error record, never a stop."""
    max_bytes = limits.max_line_chars * 4 + 2      # UTF-8 needs at most 4 bytes a character
    too_long = f"the line is longer than {limits.max_line_chars:,} characters (raise it with --max-line-chars)"
    lineno = 0
    while True:
        raw = stream.readline(max_bytes)
        if not raw:
            return
        lineno += 1
        source = f"{name}:{lineno}"
        if len(raw) >= max_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):       # skip the rest of the line
                raw = stream.readline(_CHUNK)
            yield _error(name, too_long, source)
            continue
        if not raw.strip():
            continue
        yield _jsonl_record(raw, source, limits, too_long, first=lineno == 1)


def _jsonl_record(raw: bytes, source: str, limits: Limits, too_long: str, first: bool) -> Message:
    try:
        line = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        return _error(source, f"the line is not valid UTF-8 (byte {exc.start})")
    if len(line.rstrip("\r\n")) > limits.max_line_chars:
        return _error(source, too_long)
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return _error(source, f"the line is not valid JSON: {exc}".splitlines()[0])
    if not isinstance(record, dict):
        return _error(source, "the line is not a JSON object")
    return text_record(record, source)


def text_record(record: dict, source: str | None) -> Message:
    """The Message for one {"id"?, "text", ...} object: a JSONL line, or a row of a Dask or
    Spark frame (gapfinder.cluster), so both get the same ids and the same errors."""
    given = record.get("id")
    record_id = str(given) if isinstance(given, (str, int)) and not isinstance(given, bool) else source
    record_id = None if record_id is None else SURROGATE.sub("\ufffd", record_id)
    text = record.get("text")
    if not isinstance(text, str):
        return Message(id=record_id, source=source, error='the line has no string "text" field')
    meta = {key: value for key, value in record.items() if key not in ("id", "text")}
    return Message(id=record_id, source=source, text=text, meta=meta)


def _read_stream(stream: BinaryIO, name: str, limits: Limits) -> Iterator[Record]:
    """Standard input: sniff JSONL / mbox / one email from the first non-blank line."""
    skipped: list[bytes] = []
    first = b""
    while True:
        first = stream.readline(_CHUNK)
        if not first or first.strip():
            break
        skipped.append(first)
    if not first:
        return
    if first.lstrip(b"\xef\xbb\xbf \t").startswith(b"{"):
        yield from _read_jsonl(_Pushback(skipped + [first], stream), name, limits)
    elif first.startswith(b"From "):
        yield from _read_mbox(_Pushback([first], stream), name, limits)
    else:
        data = first + stream.read(max(0, limits.max_email_bytes + 1 - len(first)))
        size = len(data)
        if size > limits.max_email_bytes:
            while chunk := stream.read(_CHUNK * 16):
                size += len(chunk)
            yield _error(name, size_error(size, limits) or "")
        else:
            yield RawEmail(data, name)


def _read_outlook(path: str, limits: Limits) -> Message:
    """An Outlook .msg file through the optional extract_msg package."""
    try:
        import extract_msg
    except ImportError:
        return _error(path, MSG_EXTRA)
    too_large = size_error(os.path.getsize(path), limits)
    if too_large:
        return _error(path, too_large)
    try:
        opener = getattr(extract_msg, "openMsg", None) or extract_msg.Message
        msg = opener(path)
        try:
            body, content_type = msg.body, "text/plain"
            if not (body and body.strip()):
                html = msg.htmlBody
                if isinstance(html, bytes):
                    html = html.decode("utf-8", errors="replace")
                body, content_type = html_to_text(html or ""), "text/html"
            meta = {"message_id": _clean(getattr(msg, "messageId", None)), "from": _clean(msg.sender),
                    "subject": _clean(msg.subject), "date": _clean(msg.date),
                    "content_type": content_type, "notes": []}
        finally:
            msg.close()
    except Exception as exc:
        return _error(path, f"could not read the Outlook .msg file: {type(exc).__name__}: {exc}".splitlines()[0])
    record_id = meta["message_id"] or path
    if not (body and body.strip()):
        return Message(id=record_id, source=path, meta=meta, error="no readable text part")
    text = new_text(body.replace("\r\n", "\n")).strip()
    return Message(id=record_id, source=path, text=text, meta=meta)


def _clean(value: object) -> str | None:
    return None if value is None else str(value).strip()


def _binary(stream: object) -> BinaryIO:
    """The binary stream behind stdin; a text stream without one (io.StringIO, already in
    memory) is encoded as UTF-8."""
    if stream is None:
        stream = sys.stdin
    if isinstance(stream, io.TextIOBase):
        buffer = getattr(stream, "buffer", None)
        return buffer if buffer is not None else io.BytesIO(stream.read().encode("utf-8", "surrogateescape"))
    return stream  # type: ignore[return-value]


class _Pushback:
    """A binary stream with some already-read lines put back in front of it."""

    def __init__(self, lines: list[bytes], stream: BinaryIO) -> None:
        self._lines = lines
        self._stream = stream

    def readline(self, size: int = -1) -> bytes:
        if not self._lines:
            return self._stream.readline(size)
        line = self._lines.pop(0)
        if not line.endswith(b"\n") and (size < 0 or len(line) < size):   # finish a cut line
            line += self._stream.readline(-1 if size < 0 else size - len(line))
        return line

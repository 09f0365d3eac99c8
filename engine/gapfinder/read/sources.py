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

Special files (see special_files.py): a FIFO or /dev/fd/N pipe given on the command line is
read once, as a stream, sniffed like "-"; a device or socket gets an error record. Inside a
folder or Maildir, anything that is not a regular file (a FIFO, device, socket, or a symlink
to one) is skipped with an error record, and files are opened without blocking and checked
on the open descriptor, so a walk never hangs.

Every input record comes out exactly once and in input order, either with text or with a
one-line error; nothing about bad data is raised. `iter_records` leaves emails unparsed
(RawEmail: bytes and source) so that `gapfinder batch --jobs N` can parse them in its worker
processes (parsing is about half the work); `read_record` finishes one, and `iter_messages`
does both in one stream. `source` names the path, plus "#N" for
the Nth message of an mbox, ":KEY" for a Maildir message and ":LINE" for a JSONL line.
Big inputs are streamed: at most one email (bounded by max_email_bytes) or one JSONL line
(bounded by max_line_chars) is held in memory at a time. Every read is capped while reading;
on a stream (stdin, a FIFO), the rest of an oversized record is skipped for at most
stream_skip_bytes(limits) before the stream is given up with an error record, so an endless
stream without record ends (/dev/zero, `yes | tr -d '\\n'`) ends the input within seconds.
"""
from __future__ import annotations

import io
import os
import sys
from typing import BinaryIO, Iterable, Iterator

from .bounded_read import EndlessInput, NotRegularFile, file_size, open_regular, read_capped
from .email_reader import looks_like_email, read_email, size_error
from .html_text import html_to_text
from .jsonl_reader import read_jsonl, text_record  # noqa: F401  (text_record: used by gapfinder.cluster)
from .mbox import split_mbox  # noqa: F401  (public here since before mbox.py)
from .streams import RawEmail, Record, decode_text, read_mbox as _read_mbox, read_stream, stream_skip_bytes  # noqa: F401
from ..limits import DEFAULT_LIMITS, Limits
from .message import Message
from .quoted_reply import new_text
from .special_files import path_kind, special_file_error

MSG_EXTRA = "reading Outlook .msg files needs the optional extra: pip install 'gapfinder[msg]'"
MBOX_EXTENSIONS = (".mbox", ".mbx")
_SNIFF_BYTES = 4096


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
            yield from _guarded("-", read_stream(_binary(stdin), "-", limits))
            continue
        kind, what = path_kind(path)
        if kind == "folder":
            yield from _read_folder(path, limits)
        elif kind == "regular":
            yield from _guarded(path, _read_file(path, limits, explicit=True))
        elif kind == "stream":
            yield from _guarded(path, _read_named_stream(path, limits))
        elif kind == "device":
            yield _error(path, special_file_error(path, what))
        elif kind == "unreadable":
            yield _error(path, f"cannot read {path}: {what}")
        else:
            yield _error(path, f"no such file or folder: {path}")


def _read_named_stream(path: str, limits: Limits) -> Iterator[Record]:
    """A FIFO or /dev/fd/N given on purpose: opened once, read as a stream."""
    with open(path, "rb") as stream:
        yield from read_stream(stream, path, limits)


def _error(path: str, error: str, source: str | None = None) -> Message:
    return Message(id=source or path, source=source or path, error=error)


def _guarded(path: str, records: Iterator[Record]) -> Iterator[Record]:
    """Pass records through; an I/O or unexpected failure ends this input with one error record."""
    try:
        yield from records
    except EndlessInput as exc:
        yield _error(path, f"stopped reading {path}: {exc}")
    except NotRegularFile as exc:
        yield _error(path, special_file_error(path, exc.kind))
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
            kind, what = path_kind(full)
            if kind == "regular":
                yield "file", full, ""
            elif kind == "missing":
                yield "error", full, f"skipped {full}: it is a link to nothing"
            else:
                yield "error", full, f"skipped {full}: it is {what}, not a regular file"
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
            if not name.startswith(".") and not os.path.isdir(full):
                keyed.append((name.split(":", 1)[0], full))
    for key, full in sorted(keyed):
        source = f"{path}:{key}"
        kind, what = path_kind(full)
        if kind != "regular":
            yield _error(full, f"skipped {full}: it is {what}, not a regular file", source)
            continue
        yield from _guarded(source, _lazy(_read_email_file, full, source, limits))


def _lazy(read, *args) -> Iterator[Record]:
    """Defer one read so _guarded can turn its failure into an error record."""
    yield read(*args)


def _read_file(path: str, limits: Limits, explicit: bool) -> Iterator[Record]:
    """A regular file, opened once (non-blocking, type checked on the descriptor)."""
    extension = os.path.splitext(path)[1].lower()
    if extension == ".msg":
        yield _read_outlook(path, limits)
        return
    with open_regular(path) as stream:
        if extension == ".eml":
            yield _email_from(stream, path, path, limits)
        elif extension in MBOX_EXTENSIONS:
            yield from _read_mbox(stream, path, limits)
        elif extension == ".txt":
            yield _text_from(stream, path, limits)
        elif extension == ".jsonl":
            yield from read_jsonl(stream, path, limits)
        else:
            head = stream.read(_SNIFF_BYTES)
            stream.seek(0)
            if head.startswith(b"From "):
                yield from _read_mbox(stream, path, limits)
            elif looks_like_email(head):
                yield _email_from(stream, path, path, limits)
            elif explicit:
                yield _error(path, f"unsupported file: {path} is not an email, mbox, Maildir, "
                                   ".txt, .jsonl or .msg file")


def _read_email_file(path: str, source: str, limits: Limits) -> Message | RawEmail:
    with open_regular(path) as stream:
        return _email_from(stream, path, source, limits)


def _email_from(stream: BinaryIO, path: str, source: str, limits: Limits) -> Message | RawEmail:
    """One email from an open file: refused by its size first, then read with a cap."""
    too_large = size_error(file_size(stream) or 0, limits)
    if too_large:
        return _error(path, too_large, source)
    data = read_capped(stream, limits.max_email_bytes)
    too_large = size_error(len(data), limits)
    if too_large:
        return _error(path, too_large.replace(f"is {len(data):,} bytes", "grew while read and is more than "
                                              f"{limits.max_email_bytes:,} bytes"), source)
    return RawEmail(data, source)


def _text_from(stream: BinaryIO, path: str, limits: Limits) -> Message:
    size = file_size(stream)
    if size is not None and size > limits.max_text_bytes:
        return _error(path, f"the text is {size:,} bytes, over the limit of {limits.max_text_bytes:,} "
                            "(raise it with --max-text-bytes)")
    data = read_capped(stream, limits.max_text_bytes)
    if len(data) > limits.max_text_bytes:
        return _error(path, f"the text is more than {limits.max_text_bytes:,} bytes, over the limit "
                            "(raise it with --max-text-bytes)")
    return decode_text(data, path, strict=False)


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

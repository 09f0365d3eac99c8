"""Read one saved email (raw RFC 5322 bytes) into a Message holding the author's new text.

Saved mail is messy: wrong or unknown charsets, broken base64, truncated files, and
hostile nesting that makes the stdlib parser recurse until it crashes. So a cheap scan of
the raw bytes enforces the size, part-count and depth limits first, and every failure
becomes a Message with a one-line `error` instead of an exception: one bad email must
never stop a batch.

meta keys: message_id, from, subject (RFC 2047 decoded), date (as in the header),
date_iso (when the date parses), content_type (of the chosen body part), charset,
charset_fallback (codec used when the declared charset could not be), excluded (reasons
of the cut quote/forward/signature ranges), notes (list of one-line remarks),
unread_attachments ("name (type)" of each attachment not read, when there are any).

Attachments: a forwarded message (message/rfc822) is read as an email of its own (its
body parts, chosen the same way) and a text/plain attachment is read as text; both are
added after the body, each noted in meta["notes"]. Every other attachment (PDF, images,
Word files, HTML files...) is left unread and listed in meta["unread_attachments"].
"""
from __future__ import annotations

import codecs
import functools
import re
from email import errors as email_errors
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from .html_text import html_to_text
from ..limits import DEFAULT_LIMITS, Limits
from .message import Message
from .quoted_reply import excluded_ranges, new_text

NO_TEXT = "no readable text part"
_HEADER_LINE = re.compile(rb"(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])")   # as email.feedparser
_NAMED_HEADER = re.compile(rb"([\x21-\x39\x3b-\x7e]+)[ \t]*:")
_MAIL_HEADERS = frozenset({
    b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"received", b"return-path",
    b"mime-version", b"content-type", b"delivered-to", b"reply-to", b"sender", b"in-reply-to",
    b"references", b"x-mailer", b"user-agent", b"content-transfer-encoding", b"x-original-to",
})
_CONTENT_TYPE = re.compile(rb"(?im)^content-type[ \t]*:[ \t]*([^\r\n]*)")
_BOUNDARY = re.compile(    # also the RFC 2231 forms boundary*=''b and boundary*0=b
    rb'(?i)\bboundary(\*0?\*?)?[ \t]*=[ \t]*(?:"([^"\r\n]*)"|([^\s;]+))')
_MESSAGE_ID = re.compile(rb"(?im)^message-id[ \t]*:[ \t]*(<[^\s>]{1,500}>|[^\s]{1,500})")
_FOLD = re.compile(rb"\r?\n[ \t]+")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_LATIN1_NAMES = frozenset({"iso8859-1", "latin-1", "latin1", "l1", "cp819"})
_MIME_HEADER = re.compile(rb"(?im)^content-[\w-]*[ \t]*:[^\n]*")
# email's structured header parser is quadratic on some long values, so long headers are
# not given to it: MIME headers over these sizes make the email an error record, and long
# From/Subject/Message-ID values are decoded with the simpler email.header instead.
MAX_MIME_HEADER_CHARS = 1_000
MAX_MIME_HEADERS_TOTAL = 32_000
_MAX_PARSED_HEADER = 1_000
_TRUNCATION_DEFECTS = (email_errors.CloseBoundaryNotFoundDefect, email_errors.StartBoundaryNotFoundDefect)


class _RememberingHeaders(HeaderRegistry):
    """The modern policy's header parser, remembering its recent Content-* answers.

    policy.default parses a header again on every access, and reading one email asks for
    Content-Type about ten times (type, subtype, charset, disposition for each part); the
    same few values also recur from email to email. Header objects are immutable, so one
    parsed header can serve every access. Only Content-* headers are remembered (From,
    Subject, Message-ID are read once and differ in every email), and only the last 256,
    so memory stays flat in long batches.
    """

    def __init__(self) -> None:
        super().__init__()
        self._content_header = functools.lru_cache(maxsize=256)(super().__call__)

    def __call__(self, name, value):
        if name[:8].lower() == "content-":
            return self._content_header(name, value)
        return super().__call__(name, value)


_POLICY = policy.default.clone(header_factory=_RememberingHeaders())


def read_email(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Message:
    """Parse raw email bytes; return a Message with the new text, or with an error."""
    fallback_id = _raw_message_id(data) or source
    try:
        problem = _prescan(data, limits)
        if problem:
            return Message(id=fallback_id, source=source, error=problem)
        msg = BytesParser(policy=_POLICY).parsebytes(data)
        return _to_message(msg, source, fallback_id)
    except RecursionError:
        return Message(id=fallback_id, source=source,
                       error="the email's MIME structure is too deeply nested to read")
    except Exception as exc:     # the stdlib parser has many odd corners; never crash a batch
        return Message(id=fallback_id, source=source,
                       error=f"could not read the email: {type(exc).__name__}: {exc}".splitlines()[0])


def looks_like_email(head: bytes) -> bool:
    """True if these first bytes start with mail header lines (used to sniff files)."""
    lines = head.lstrip(b"\r\n").splitlines()[:40]
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    for line in lines:
        if not line.strip():
            break
        match = _NAMED_HEADER.match(line)
        if match and match.group(1).lower() in _MAIL_HEADERS:
            return True
    return False


def _raw_message_id(data: bytes) -> str | None:
    """The Message-ID from the top header block, without parsing (for error records)."""
    head = data[:65536]
    end = re.search(rb"\r?\n\r?\n", head)
    match = _MESSAGE_ID.search(head, 0, end.start() if end else len(head))
    return match.group(1).decode("ascii", "replace") if match else None


def size_error(size: int, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """The error for an email of `size` bytes, or None if it is within the limit.

    Readers call it before loading a file so a huge one is never read into memory."""
    if size <= limits.max_email_bytes:
        return None
    return (f"the email is {size:,} bytes, over the limit of {limits.max_email_bytes:,} "
            "(raise it with --max-email-bytes)")


def _prescan(data: bytes, limits: Limits) -> str | None:
    """Check size, binary content, MIME part count and nesting depth on the raw bytes."""
    too_large = size_error(len(data), limits)
    if too_large:
        return too_large
    if not data.strip():
        return "the email is empty"
    head = re.split(rb"\r?\n\r?\n", data[:1024], maxsplit=1)[0]     # the header block
    if b"\x00" in head or len(_CONTROL.findall(head)) * 10 > len(head):
        return "not an email: the file holds binary data"
    parts, depth, longest, total = _mime_shape(data, limits)
    if longest > MAX_MIME_HEADER_CHARS or total > MAX_MIME_HEADERS_TOTAL:
        return (f"the email's MIME headers are too long (over {MAX_MIME_HEADER_CHARS:,} characters "
                f"in one header or {MAX_MIME_HEADERS_TOTAL:,} in all)")
    if parts > limits.max_mime_parts:
        return f"the email has more than {limits.max_mime_parts:,} MIME parts (raise it with --max-mime-parts)"
    if depth > limits.max_mime_depth:
        return (f"the email's MIME parts are nested more than {limits.max_mime_depth:,} levels deep "
                "(raise it with --max-mime-depth)")
    return None


def _mime_shape(data: bytes, limits: Limits) -> tuple[int, int, int, int]:
    """Count MIME parts and nesting depth the way email.feedparser will see them, and
    measure Content-* headers: (parts, depth, longest header, all headers' length).

    Follows header blocks (a multipart header opens a level, message/* starts a nested
    header block) and boundary lines (which close any deeper level). Stops as soon as a
    limit is exceeded, so hostile input costs little. Body lines are skipped by searching
    for the next line that starts with "--".
    """
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")   # the parser splits on all three
    stack: list[bytes | None] = []     # boundary per open multipart; None for message/*
    parts = depth = longest = total = 0
    in_headers = True
    header_lines: list[bytes] = []
    pos, size = 0, len(data)
    while pos < size:
        if not in_headers:
            if not data.startswith(b"--", pos):
                found = data.find(b"\n--", pos)
                if found < 0:
                    break
                pos = found + 1
        end = data.find(b"\n", pos)
        end = size if end < 0 else end + 1
        line = data[pos:end]
        pos = end
        if in_headers:
            if line.strip() and _HEADER_LINE.match(line):
                header_lines.append(line)
                continue
            in_headers = False
            block = _FOLD.sub(b" ", b"".join(header_lines))
            header_lines = []
            for header in _MIME_HEADER.finditer(block):
                longest = max(longest, len(header.group()))
                total += len(header.group())
            opened = _opened_level(block)
            if opened is not None:
                stack.append(opened or None)
                depth = max(depth, len(stack))
                in_headers = opened == b""
            if depth > limits.max_mime_depth or longest > MAX_MIME_HEADER_CHARS:
                break
            if line.strip():
                pos -= len(line)       # not a header: feedparser reads it as body
            continue
        level, closing = _boundary_level(line, stack)
        if level is None:
            continue
        del stack[level + (0 if closing else 1):]
        if not closing:
            parts += 1
            in_headers = True
            if parts > limits.max_mime_parts:
                break
    return parts, depth, longest, total


def _opened_level(headers: bytes) -> bytes | None:
    """A multipart's boundary, b"" for message/* (nested headers follow), else None
    (`headers` is one unfolded header block)."""
    match = _CONTENT_TYPE.search(headers)
    if not match:
        return None
    value = match.group(1).strip().lower()
    if value.startswith(b"multipart/"):
        boundary = _BOUNDARY.search(match.group(1))
        if not boundary:
            return None
        value = boundary.group(2) if boundary.group(2) is not None else boundary.group(3)
        if boundary.group(1) and value.count(b"'") >= 2:
            value = value.split(b"'", 2)[2]        # drop charset'language'
        return value
    return b"" if value.startswith(b"message/") else None


def _boundary_level(line: bytes, stack: list[bytes | None]) -> tuple[int | None, bool]:
    """(index in stack of the boundary this line delimits, or None; whether it is the
    closing "--boundary--" line). Outermost first, as in the parser: a line matching an
    enclosing boundary ends every part inside it."""
    token = line.rstrip(b"\r\n").rstrip(b" \t")[2:]
    for index, boundary in enumerate(stack):
        if boundary is not None:
            if token == boundary:
                return index, False
            if token == boundary + b"--":
                return index, True
    return None, False


def _to_message(msg: EmailMessage, source: str, fallback_id: str) -> Message:
    meta: dict = {"message_id": _header(msg, "message-id"), "from": _header(msg, "from"),
                  "subject": _header(msg, "subject"), "date": _raw_header(msg, "date")}
    date_iso = _date_iso(meta["date"])
    if date_iso:
        meta["date_iso"] = date_iso
    meta["notes"] = []
    message_id = meta["message_id"] or fallback_id

    def failed(error: str) -> Message:
        return Message(id=message_id, source=source, meta=meta, error=error)

    if not any(name.lower().encode("ascii", "replace") in _MAIL_HEADERS for name in msg.keys()):
        return failed("not an email: no mail headers found")
    if any(isinstance(d, _TRUNCATION_DEFECTS) for part in msg.walk() for d in part.defects):
        return failed("the email looks truncated or malformed: a MIME boundary is missing")

    chosen = _body_parts(msg)
    texts = []
    for part in chosen:
        text, error = _part_text(part, meta)
        if error:
            return failed(error)
        texts.append(text)
    if chosen:
        meta["content_type"] = chosen[0].get_content_type()
    if len(chosen) > 1:
        meta["notes"].append(f"joined {len(chosen)} inline text parts")
    unread: list[str] = []
    body = "\n\n".join(t.strip("\n") for t in texts if t.strip())
    pieces = [body] + _attachment_texts(msg, meta, unread)
    if unread:
        meta["unread_attachments"] = unread
    if not any(piece.strip() for piece in pieces):
        left = f" ({', '.join(unread)} left unread)" if unread else ""
        return failed(NO_TEXT + left)
    reasons: set[str] = set()
    kept = []
    for piece in pieces:        # quotes and signatures are found piece by piece
        ranges = excluded_ranges(piece)
        reasons.update(reason for _s, _e, reason in ranges)
        kept.append(new_text(piece, ranges).strip())
    meta["excluded"] = sorted(reasons)
    text = "\n\n".join(piece for piece in kept if piece)
    if not text:
        meta["notes"].append("no new text: everything is quoted, forwarded or signature")
    return Message(id=message_id, source=source, text=text, meta=meta)


def _header(msg: EmailMessage, name: str) -> str | None:
    """Decoded header value (RFC 2047); the structured parser only sees short values."""
    raw = _raw_header(msg, name)
    if raw is not None and len(raw) <= _MAX_PARSED_HEADER:
        try:
            return _clean(str(msg.get(name)))
        except Exception:
            pass
    if raw is None:
        return None
    try:
        return _clean(str(make_header(decode_header(raw))))
    except Exception:
        return raw


def _raw_header(msg: EmailMessage, name: str) -> str | None:
    """The header value as written in the message (unfolded)."""
    for key, raw in msg.raw_items():
        if key.lower() == name:
            return _clean(re.sub(r"\r?\n[ \t]+", " ", str(raw)))
    return None


def _clean(value: str) -> str:
    """Strip; raw 8-bit bytes (kept by the parser as surrogates) read as UTF-8."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace").strip()


def _date_iso(date: str | None) -> str | None:
    if not date:
        return None
    try:
        return parsedate_to_datetime(date).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _body_parts(msg: EmailMessage) -> list[EmailMessage]:
    """The text parts that make the body: plain preferred over HTML in alternatives,
    the start part of multipart/related, every inline text part of multipart/mixed.
    Attachments and non-text parts (images, message/rfc822, ...) are skipped."""
    if msg.is_attachment():
        return []
    maintype, subtype = msg.get_content_maintype(), msg.get_content_subtype()
    if maintype == "text":
        return [msg] if subtype in ("plain", "html") else []
    if maintype != "multipart":
        return []
    children = list(msg.iter_parts())
    if subtype == "alternative":
        options = [_body_parts(child) for child in children]
        options = [parts for parts in options if parts]
        plain = [parts for parts in options if parts[0].get_content_subtype() == "plain"]
        return plain[0] if plain else (options[-1] if options else [])
    if subtype == "related":
        return _body_parts(children[0]) if children else []
    chosen: list[EmailMessage] = []
    for index, child in enumerate(children):
        named = child.get_filename() and child.get_content_disposition() != "inline"
        if index and named:
            continue     # a text file attached without Content-Disposition
        chosen.extend(_body_parts(child))
    return chosen


def _attachment_texts(msg: EmailMessage, meta: dict, unread: list[str], depth: int = 0) -> list[str]:
    """Texts of the forwarded messages and text/plain files attached to msg; the name and
    type of every other attachment go to `unread`."""
    texts = []
    for part in _attachments(msg):
        ctype = part.get_content_type()
        name = _clean(part.get_filename() or "") or "an unnamed attachment"
        if part.get_content_maintype() == "message" and ctype == "message/rfc822" and depth < 5:
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, EmailMessage):
                found = []
                for inner_part in _body_parts(inner):
                    text, error = _part_text(inner_part, meta)
                    if not error and text.strip():
                        found.append(text)
                found += _attachment_texts(inner, meta, unread, depth + 1)
                subject = _header(inner, "subject") or "no subject"
                meta["notes"].append(f"read the forwarded message {subject[:80]!r}")
                texts += found
                continue
        if ctype == "text/plain":
            text, error = _part_text(part, meta)
            if not error and text.strip():
                meta["notes"].append(f"read the attached text {name[:80]}")
                texts.append(text)
                continue
        unread.append(f"{name[:80]} ({ctype})")
    return texts


def _attachments(msg: EmailMessage) -> list[EmailMessage]:
    """The parts _body_parts leaves out as attachments: parts with Content-Disposition
    attachment, named parts after the first of a multipart/mixed, and message/* parts
    (not descending into them), in order. Unchosen alternatives are not attachments."""
    found: list[EmailMessage] = []
    pending = [(msg, 0, "")]
    while pending:
        part, index, parent = pending.pop(0)
        named = index and part.get_filename() and part.get_content_disposition() != "inline"
        if part is not msg and (part.is_attachment() or part.get_content_maintype() == "message"
                                or (parent == "mixed" and named)):
            found.append(part)
        elif part.get_content_maintype() == "multipart":
            pending[0:0] = [(child, i, part.get_content_subtype()) for i, child in enumerate(part.iter_parts())]
    return found


def _part_text(part: EmailMessage, meta: dict) -> tuple[str, str | None]:
    """Decoded text of one part (HTML converted), or an error."""
    before = len(part.defects)
    payload = part.get_payload(decode=True)
    defects = part.defects[before:]
    if payload is None:
        return "", None
    if any(isinstance(d, email_errors.InvalidBase64LengthDefect) for d in defects):
        return "", "the text part has broken base64 encoding and cannot be decoded"
    if any(isinstance(d, (email_errors.InvalidBase64CharactersDefect, email_errors.InvalidBase64PaddingDefect))
           for d in defects):
        meta["notes"].append("the text part has broken base64; decoded as much as possible")
    text = _decode(payload, part.get_content_charset(), meta)
    if _unreadable(text):
        return "", "the text part does not decode to readable text"
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text, None


def _unreadable(text: str) -> bool:
    """Binary data or a wrong encoding: NUL bytes, or over 10% control/replacement chars."""
    if "\x00" in text:
        return True
    bad = text.count("\ufffd") + len(_CONTROL_TEXT.findall(text))
    return bad * 10 > len(text) + 10


def _decode(payload: bytes, declared: str | None, meta: dict) -> str:
    """Decode with the declared charset; fall back to utf-8, then cp1252 (recorded in meta)."""
    meta.setdefault("charset", declared)
    codec = None
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            meta["notes"].append(f"unknown charset {declared!r}")
    if codec in _LATIN1_NAMES:
        codec = "cp1252"     # as browsers do: mail labelled latin-1 is usually windows-1252
    if codec:
        try:
            return payload.decode(codec)
        except UnicodeDecodeError:
            if codec == "cp1252":
                return payload.decode("latin-1")
            meta["notes"].append(f"the text is not valid {declared}")
        except Exception:      # a codec that cannot decode bytes at all (e.g. "hex" tricks)
            meta["notes"].append(f"charset {declared!r} cannot decode text")
    try:
        text = payload.decode("utf-8")
        fallback = "utf-8"
    except UnicodeDecodeError:
        text = payload.decode("cp1252", errors="replace")
        fallback = "cp1252"
    if declared or not payload.isascii():
        meta["charset_fallback"] = fallback
    return text

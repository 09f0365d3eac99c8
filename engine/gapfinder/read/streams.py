"""One input read as a stream: standard input, a FIFO, /dev/fd/N, or a file opened once.

What it holds is sniffed from its first non-blank line: JSONL when it starts with "{" (only
where JSONL is wanted), an mbox when it starts with a From_ line, one email when it starts
with mail headers, else one text. Nothing is read twice and nothing is read without a cap:
an email is read to max_email_bytes + 1 at most, a text to max_text_bytes + 1, a JSONL line
to max_line_chars x 4, and past an oversized mbox message or JSONL line a stream is skipped
for at most stream_skip_bytes(limits) before it is given up with an error record.
"""
from __future__ import annotations

from typing import BinaryIO, Iterator, NamedTuple

from .bounded_read import CHUNK, file_size, read_capped
from .email_reader import looks_like_email, size_error
from .jsonl_reader import read_jsonl
from ..limits import Limits
from .mbox import is_from_line, split_mbox
from .message import Message

SNIFF_BYTES = 4096
MAX_BLANK_LINES = 10_000          # blank lines read before the first non-blank one
MIN_STREAM_SKIP = 64 << 20        # skipped at least, on a stream, looking for a record's end


class RawEmail(NamedTuple):
    """An email read from disk but not yet parsed (cheap to send to a worker process)."""

    data: bytes
    source: str


Record = Message | RawEmail     # what the readers yield


def stream_skip_bytes(limits: Limits) -> int:
    """How far past an oversized record a stream is read looking for the next one."""
    return max(MIN_STREAM_SKIP, 4 * limits.max_email_bytes)


def read_stream(stream: BinaryIO, name: str, limits: Limits, *, jsonl: bool = True,
                strict_text: bool = False, email: bool = False) -> Iterator[Record]:
    """The records of one stream, sniffed (see the module docstring).

    strict_text: a text that is not UTF-8 is an error (classify) instead of being read as
    Windows-1252 (batch). email: the input is an email whatever it starts with (.eml)."""
    size = file_size(stream)                 # None unless a regular file
    skip = None if size is not None else stream_skip_bytes(limits)
    blank: list[bytes] = []
    while True:
        first = stream.readline(CHUNK)
        if not first or first.strip() or len(blank) >= MAX_BLANK_LINES:
            break
        blank.append(first)
    if not first.strip():
        if blank and len(blank) >= MAX_BLANK_LINES:
            yield _error(name, f"stopped reading {name}: its first {MAX_BLANK_LINES:,} lines are blank")
        return
    if jsonl and not email and first.lstrip(b"\xef\xbb\xbf \t").startswith(b"{"):
        yield from read_jsonl(_Pushback(blank + [first], stream), name, limits, skip)
        return
    if not email and is_from_line(first):
        yield from read_mbox(_Pushback([first], stream), name, limits, skip)
        return
    head = b"".join(blank) + first
    head += stream.read(max(0, SNIFF_BYTES - len(head)))
    if email or looks_like_email(head):
        yield _whole_email(stream, head, name, size, limits)
    else:
        yield _whole_text(stream, head, name, size, limits, strict_text)


def read_mbox(stream, name: str, limits: Limits, max_skip: int | None = None) -> Iterator[Record]:
    for number, (data, size) in enumerate(split_mbox(stream, limits.max_email_bytes, max_skip), start=1):
        source = f"{name}#{number}"
        if data is None:
            yield _error(name, size_error(size, limits) or "", source)
        else:
            yield RawEmail(data, source)


def _whole_email(stream, head: bytes, name: str, size: int | None, limits: Limits) -> Record:
    too_large = size_error(size or 0, limits)
    if too_large:
        return _error(name, too_large)
    data = read_capped(stream, limits.max_email_bytes, head)
    if len(data) > limits.max_email_bytes:
        return _error(name, f"the email is more than {limits.max_email_bytes:,} bytes, over the limit "
                            "(raise it with --max-email-bytes)")
    return RawEmail(data, name)


def _whole_text(stream, head: bytes, name: str, size: int | None, limits: Limits, strict: bool) -> Message:
    what = "the input" if name == "-" else name
    if b"\x00" in head[:8192]:      # before reading more: /dev/zero ends here
        return _error(name, f"{what} looks like binary data, not text" if strict
                      else f"not an email: {what} holds binary data")
    cap = limits.max_text_bytes
    if size is not None and size > cap:
        return _error(name, f"the text is {size:,} bytes, over the limit of {cap:,} (raise it with --max-text-bytes)")
    data = read_capped(stream, cap, head)
    if len(data) > cap:
        return _error(name, f"the text is more than {cap:,} bytes, over the limit of {cap:,} "
                            "(raise it with --max-text-bytes)")
    return decode_text(data, name, strict)


def decode_text(data: bytes, name: str, strict: bool) -> Message:
    """A text file's bytes as a Message: UTF-8 (a BOM allowed); else an error (strict) or
    Windows-1252 with a note in meta."""
    what = "the input" if name == "-" else name
    if b"\x00" in data[:8192]:
        return _error(name, f"{what} looks like binary data, not text" if strict
                      else "not a text file: the file holds binary data")
    try:
        return Message(id=name, source=name, text=data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        if strict:
            return _error(name, f"{what} is not valid UTF-8 text (bad byte at position {exc.start})")
        return Message(id=name, source=name, text=data.decode("cp1252", errors="replace"),
                       meta={"charset_fallback": "cp1252"})


def _error(path: str, error: str, source: str | None = None) -> Message:
    return Message(id=source or path, source=source or path, error=error)


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

"""Split an mbox stream into raw messages, reading one line piece at a time."""
from __future__ import annotations

import re
from typing import BinaryIO, Iterator

from .bounded_read import EndlessInput

_CHUNK = 1 << 16                 # longest piece of a line read at once from an mbox
_FROM_TIME = re.compile(rb"\b\d{1,2}:\d{2}\b")
_FROM_YEAR = re.compile(rb"\b(?:19|20)\d{2}\b")
_ESCAPED_FROM = re.compile(rb">+From ")


def split_mbox(stream: BinaryIO, max_bytes: int,
               max_skip: int | None = None) -> Iterator[tuple[bytes | None, int]]:
    """Yield (raw message, or None when over max_bytes; its size) for each mbox message.

    A line is a separator only if it starts with "From ", follows a blank line (or starts
    the file) and carries a time and a year ("From sender Mon Jan  1 10:00:00 2024"): a
    body line like "From my experience..." after a blank line is the classic mboxo
    ambiguity, and this reading keeps it in the body. ">From " lines are unescaped
    (mboxrd). Text before the first separator, if not blank, is a message of its own.
    With max_skip (streams), a message running max_skip bytes past max_bytes ends the
    stream: after the (None, size) for it, EndlessInput is raised.
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
        if at_line_start and prev_blank and is_from_line(piece):
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
            if max_skip is not None and size > max_bytes + max_skip:
                yield None, size
                raise EndlessInput(f"no next message in {max_skip:,} bytes")
        started = started or bool(piece.strip())
        prev_blank = at_line_start and complete and not piece.strip()
        at_line_start = complete
    if started:
        yield _finish(buf, size, max_bytes)


def is_from_line(line: bytes) -> bool:
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

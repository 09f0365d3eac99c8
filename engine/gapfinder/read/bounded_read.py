"""Reads with a byte cap checked while reading, and opening that never blocks on a FIFO.

Every file gapfinder reads (inputs, files in folders, rule files, model cards and model
files) goes through `open_regular` and `read_capped`: a file that is not a regular file is
refused before a byte is read (opening is non-blocking, so a FIFO swapped in for a file
cannot hang the run), a file whose size is over the cap is refused from its metadata (a
1.5 GB sparse file is never read), and the read itself stops at cap + 1 bytes (a file that
grows, or a stream with no end, cannot exhaust memory).
"""
from __future__ import annotations

import io
import os
import stat
from typing import BinaryIO

CHUNK = 1 << 16


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or folder where a regular file was expected."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.path, self.kind = path, kind


class EndlessInput(Exception):
    """A stream went on past the most gapfinder skips looking for the end of a record."""


def kind_of(mode: int) -> str:
    """A person's name for the kind of file with this st_mode."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """Open a regular file for reading, or raise NotRegularFile / OSError.

    The open is non-blocking and the type is checked on the open descriptor, so there is no
    window in which a FIFO put in the file's place could make the open wait forever."""
    path = os.fspath(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, kind_of(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def file_size(stream: BinaryIO) -> int | None:
    """The size of an open regular file, or None for a stream."""
    try:
        st = os.fstat(stream.fileno())
    except (OSError, AttributeError, io.UnsupportedOperation):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def read_capped(stream: BinaryIO, cap: int, already: bytes = b"") -> bytes:
    """Read to the end, but never more than cap + 1 bytes in all (so `len(result) > cap`
    tells the caller the input is over its limit without reading the rest)."""
    parts = [already[:cap + 1]]
    size = len(parts[0])
    while size <= cap:
        piece = stream.read(min(CHUNK * 16, cap + 1 - size))
        if not piece:
            break
        parts.append(piece)
        size += len(piece)
    return b"".join(parts)


def read_file_capped(path: str | os.PathLike, cap: int) -> tuple[bytes | None, int]:
    """(contents, size) of a regular file, or (None, size) when it is over `cap` bytes:
    refused from its size before reading, or when it grew past the cap while read."""
    with open_regular(path) as stream:
        size = file_size(stream) or 0
        if size > cap:
            return None, size
        data = read_capped(stream, cap)
    if len(data) > cap:
        return None, len(data)
    return data, len(data)


def skip_line(stream: BinaryIO, max_skip: int | None) -> None:
    """Read past the rest of the current line; on a stream, at most max_skip bytes."""
    skipped = 0
    while True:
        piece = stream.readline(CHUNK)
        if not piece or piece.endswith(b"\n"):
            return
        skipped += len(piece)
        if max_skip is not None and skipped > max_skip:
            raise EndlessInput(f"no line break in {max_skip:,} bytes")

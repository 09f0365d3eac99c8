"""Where output goes, and what happens to what stood there: `-o` never destroys.

    a regular file      written to a temporary file beside it, renamed over it at the end:
                        an interrupted or failed run leaves the old file (or none) as it was;
                        the old file's mode is kept
    a new path          the same; the new file gets the mode the umask gives (not 0600)
    a symlink           the same for the file it points to (the link itself stays)
    a FIFO, a device,   written straight to it (there is nothing to replace, and a rename
    /dev/fd/N           would swap a file in for the pipe or device)
    a folder            refused

Every failure to write (disk full, permission denied, a read-only folder, a closed or full
standard output) becomes an OutputError naming the target and the cause in one line.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from contextlib import contextmanager

from ..errors import GapfinderError

STDOUT = "standard output"
_CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "it is on a read-only file system",
    errno.EPIPE: "the program reading the output closed the pipe",
    errno.EISDIR: "it is a folder",
    errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "a part of its path is not a folder",
    errno.EFBIG: "the file is too large for this file system",
    errno.EIO: "an input/output error on the device",
    errno.EBADF: "it is closed",
}


class OutputError(GapfinderError):
    """Output could not be written; the message names the target and the cause."""


def cause_of(exc: OSError) -> str:
    return _CAUSES.get(exc.errno, exc.strerror or str(exc))


def output_error(target: str, exc: OSError) -> OutputError:
    where = target if target == STDOUT else f"{target}"
    return OutputError(f"cannot write {where}: {cause_of(exc)}")


class GuardedStream:
    """A text stream whose OSErrors become OutputError naming the target."""

    def __init__(self, stream, target: str) -> None:
        self._stream, self.target = stream, target

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise output_error(self.target, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise output_error(self.target, exc) from None

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextmanager
def stdout_output(stream=None):
    """Standard output, flushed at the end; a closed or failing stdout is an OutputError
    (and further writes at exit go nowhere, so Python prints nothing after our line)."""
    stream = sys.stdout if stream is None else stream
    if stream is None or getattr(stream, "closed", False):
        raise OutputError(f"cannot write {STDOUT}: it is closed")
    guarded = GuardedStream(stream, STDOUT)
    try:
        yield guarded
        guarded.flush()
    except OutputError:
        _silence_stdout()
        raise


def _silence_stdout() -> None:
    """After a failed write to stdout, point fd 1 at /dev/null so the interpreter's own
    flush at exit cannot fail again and print a second message."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, AttributeError, ValueError):
        pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str):
    """A text stream for `path`, handled as the module docstring says."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise output_error(path, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {path}: it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield from _straight(path)
        return
    target = os.path.realpath(path)          # a symlink: replace the file it points to
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    folder = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".gapfinder-", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: cannot create a file in {folder} ({cause_of(exc)})") from None
    try:
        os.fchmod(fd, mode)
        if st is not None and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.fchown(fd, st.st_uid, st.st_gid)
            except OSError:
                pass
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            stream = GuardedStream(fh, path)
            yield stream
            stream.flush()
            try:
                os.fsync(fh.fileno())
            except OSError as exc:
                raise output_error(path, exc) from None
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise output_error(path, exc) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _straight(path: str):
    """A FIFO, device or /dev/fd/N: open it for writing and write to it directly."""
    try:
        fh = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise output_error(path, exc) from None
    with fh:
        stream = GuardedStream(fh, path)
        yield stream
        stream.flush()

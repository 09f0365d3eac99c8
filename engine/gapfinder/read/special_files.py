"""What a path on the command line is: a file, a folder, a stream, a device, or nothing.

    regular   read as a file (opened once, with a byte cap)
    folder    walked (batch) or refused (classify)
    stream    a FIFO, a process substitution <(...) or a /dev/fd/N pipe given on purpose:
              opened once and read as its contents, sniffed like standard input
    device    a character or block device (/dev/zero, /dev/tty), a socket: refused
    missing   no such path (a dangling symlink too)

Inside a folder walk every entry that is not a regular file or a folder is skipped with
an error record instead: a FIFO there was not given on purpose and would block.
"""
from __future__ import annotations

import errno
import os
import re
import stat

from .bounded_read import kind_of

_PATHLIKE = re.compile(r"(?:~|\.{1,2})?/|[A-Za-z]:\\")
# how to pass words that would be taken for a path (said in errors and in --help)
AS_TEXT_HINT = "to analyse these words as text, pipe them in: echo '...' | gapfinder classify"


def path_kind(path: str) -> tuple[str, str]:
    """(kind, what it is in words) for a path, following symlinks."""
    try:
        mode = os.stat(path).st_mode
    except ValueError:                   # a NUL in it: feedback text, not a path
        return "missing", "nothing"
    except OSError as exc:               # too long a name, a file used as a folder...: not there
        if exc.errno in (errno.EACCES, errno.EPERM, errno.ELOOP):
            return "unreadable", exc.strerror or str(exc)
        return "missing", "nothing"
    if stat.S_ISREG(mode):
        return "regular", kind_of(mode)
    if stat.S_ISDIR(mode):
        return "folder", kind_of(mode)
    if stat.S_ISFIFO(mode):
        return "stream", kind_of(mode)
    return "device", kind_of(mode)


def special_file_error(path: str, what: str) -> str:
    return (f"cannot read {path}: it is {what}, not a file of feedback "
            "(give a file, or pipe the text in with '-')")


def looks_like_a_path(argument: str) -> bool:
    """True for an argument meant as a file name: one word (feedback has spaces), or a
    string that starts like a path (/, ./, ../, ~/, C:\\) on a single line."""
    if not argument.strip():
        return False
    if not re.search(r"\s", argument.strip()):
        return True
    return "\n" not in argument and bool(_PATHLIKE.match(argument))

"""The inputs of `gapfinder classify`: texts, files, streams, each to Messages.

Each argument is, in this order:
  -                      standard input, read as a stream
  an existing path       a regular file (opened once), a FIFO or /dev/fd/N pipe (read once,
                         as a stream); a folder or a device is refused with one line
  a path-like word       one word, or a line that starts like a path: "no such file"
  anything else          the feedback text itself
A stream or file is sniffed (streams.read_stream): an mbox gives one Message per message,
a MIME message (or any .eml) is parsed as an email as `gapfinder batch` does, anything else
is one text, which must be UTF-8. In text mode JSONL is not sniffed (a text may start with
"{"): `--input-format jsonl` reads it with the shared JSONL reader.
"""
from __future__ import annotations

import os
from typing import BinaryIO, Iterable, Iterator

from .bounded_read import open_regular
from .email_reader import read_email
from ..limits import Limits
from .jsonl_reader import read_jsonl
from .message import Message
from .special_files import AS_TEXT_HINT, looks_like_a_path, path_kind, special_file_error
from .streams import RawEmail, read_stream, stream_skip_bytes


def text_inputs(inputs: Iterable[str], stdin: BinaryIO, limits: Limits) -> Iterator[Message]:
    """Messages (text or error) for the arguments of `classify` in text mode, in order."""
    for name in inputs:
        for record in _guarded(name, _one_input(name, stdin, limits)):
            yield read_email(record.data, record.source, limits) if isinstance(record, RawEmail) else record


def jsonl_inputs(inputs: Iterable[str], stdin: BinaryIO, limits: Limits) -> Iterator[Message]:
    """Messages for each line of each JSONL input (`classify --input-format jsonl`)."""
    for name in inputs:
        yield from _guarded(name, _one_jsonl(name, stdin, limits))


def _one_jsonl(name: str, stdin: BinaryIO, limits: Limits) -> Iterator[Message]:
    if name == "-":
        yield from read_jsonl(stdin, "-", limits, stream_skip_bytes(limits))
        return
    kind, what = path_kind(name)
    if kind == "regular":
        with open_regular(name) as stream:
            yield from read_jsonl(stream, name, limits)
    elif kind == "stream":
        with open(name, "rb") as stream:
            yield from read_jsonl(stream, name, limits, stream_skip_bytes(limits))
    else:
        yield _refused(name, kind, what)


def _one_input(name: str, stdin: BinaryIO, limits: Limits) -> Iterator:
    if name == "-":
        yield from _named("-", read_stream(stdin, "-", limits, jsonl=False, strict_text=True))
        return
    kind, what = path_kind(name)
    if kind == "missing" and not looks_like_a_path(name):
        yield Message(id=None, source="", text=name)
    elif kind == "regular":
        with open_regular(name) as stream:
            email = os.path.splitext(name)[1].lower() == ".eml"
            yield from _named(name, read_stream(stream, name, limits, jsonl=False, strict_text=True, email=email))
    elif kind == "stream":
        with open(name, "rb") as stream:
            yield from _named(name, read_stream(stream, name, limits, jsonl=False, strict_text=True))
    else:
        yield _refused(name, kind, what)


def _named(name: str, records):
    """Ids as classify has always given them: the path for a file, None for stdin; an
    input with nothing but white space in it is an empty text."""
    empty = True
    for record in records:
        empty = False
        if isinstance(record, Message) and record.id == name:
            record.id = None if name == "-" else name
        yield record
    if empty:
        yield Message(id=None if name == "-" else name, source=name, error="the text is empty")


def _refused(name: str, kind: str, what: str) -> Message:
    if kind == "folder":
        error = f"{name} is a folder; use 'gapfinder batch' for folders"
    elif kind == "device":
        error = special_file_error(name, what)
    elif kind == "unreadable":
        error = f"cannot read {name} ({what})"
    else:
        error = f"no such file: {name} ({AS_TEXT_HINT})"
    return Message(id=name, source=name, error=error)


def _guarded(name: str, records) -> Iterator:
    from .bounded_read import EndlessInput, NotRegularFile

    try:
        yield from records
    except EndlessInput as exc:
        yield Message(id=name, source=name, error=f"stopped reading {name}: {exc}")
    except NotRegularFile as exc:
        yield Message(id=name, source=name, error=special_file_error(name, exc.kind))
    except OSError as exc:
        yield Message(id=name, source=name, error=f"cannot read {name} ({exc.strerror or exc})")

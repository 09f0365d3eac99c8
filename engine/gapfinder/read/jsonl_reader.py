"""The one JSONL reader, shared by `classify --input-format jsonl` and `batch`.

The rules, the same for both commands:
  * one record per line (lines end with "\\n"; a "\\r" before it is ignored); the newline
    after the last line does not start another line
  * a UTF-8 byte order mark is allowed before the first line only
  * a blank line is a record too: an error record "line N is empty", so that the output
    has exactly one record per input line, in input order
  * a line that is too long, not UTF-8, not JSON, not an object, holds NaN or Infinity,
    a number of over 4,300 digits, or nesting deeper than MAX_DEPTH, or lacks a string
    "text", is an error record naming the line; the next line is read as usual
  * the id is the line's "id" when it is a string or an integer (kept as given), the JSON
    of any other value (cut to 200 characters), or None when there is none
  * other fields are kept as the record's metadata
Every read is bounded: a line is read at most max_line_chars x 4 bytes at a time, and on a
stream the rest of an over-long line is skipped for at most `max_skip` bytes.
"""
from __future__ import annotations

import json
from typing import BinaryIO, Iterator

from .bounded_read import EndlessInput, skip_line
from ..limits import Limits
from .message import Message
from .text_input import SURROGATE

MAX_DEPTH = 200
MAX_ID_CHARS = 200


class _NotJson(ValueError):
    pass


def _no_constants(name: str):
    raise _NotJson(f"it holds {name}, which JSON does not allow")


_DECODER = json.JSONDecoder(parse_constant=_no_constants)


def read_jsonl(stream: BinaryIO, name: str, limits: Limits, max_skip: int | None = None) -> Iterator[Message]:
    """One Message per line of `stream` (source "NAME:LINE"), in order."""
    max_bytes = limits.max_line_chars * 4 + 2      # UTF-8 needs at most 4 bytes a character
    lineno = 0
    while True:
        raw = stream.readline(max_bytes)
        if not raw:
            return
        lineno += 1
        source = f"{name}:{lineno}"
        if len(raw) >= max_bytes and not raw.endswith(b"\n"):
            try:
                skip_line(stream, max_skip)
            except EndlessInput as exc:
                yield Message(id=None, source=source, error=f"{too_long(lineno, limits)}; stopped reading "
                                                            f"{name}: {exc}")
                return
            yield Message(id=None, source=source, error=too_long(lineno, limits))
            continue
        yield parse_line(raw, lineno, source, limits)


def too_long(lineno: int, limits: Limits) -> str:
    return (f"line {lineno} is longer than the limit of {limits.max_line_chars:,} characters "
            "(raise it with --max-line-chars)")


def parse_line(raw: bytes, lineno: int, source: str, limits: Limits) -> Message:
    where = f"line {lineno}"

    def failed(error: str, record_id=None) -> Message:
        return Message(id=record_id, source=source, error=f"{where} {error}")

    if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return failed(f"is not valid UTF-8 (bad byte at position {exc.start})")
    if not line.strip():
        return failed("is empty")
    if len(line.rstrip("\r\n")) > limits.max_line_chars:
        return Message(id=None, source=source, error=too_long(lineno, limits))
    depth_problem = _too_deep(line)
    if depth_problem:
        return failed(f"is not valid JSON ({depth_problem})")
    try:
        record = _DECODER.decode(line.strip())
    except _NotJson as exc:
        return failed(f"is not valid JSON ({exc})")
    except json.JSONDecodeError as exc:
        return failed(f"is not valid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:     # e.g. an integer of over 4,300 digits
        return failed(f"is not valid JSON ({str(exc).splitlines()[0][:120]})")
    if not isinstance(record, dict):
        return failed("is not a JSON object")
    return text_record(record, source, where)


def text_record(record: dict, source: str | None, where: str = "row") -> Message:
    """The Message for one {"id"?, "text", ...} object: a JSONL line, or a row of a Dask or
    Spark frame (gapfinder.cluster), so both get the same ids and the same errors; `where`
    is "line N" for a JSONL line and "row" for a frame's row, which has no line number."""
    record_id = _record_id(record.get("id"))
    text = record.get("text")
    if not isinstance(text, str):
        return Message(id=record_id, source=source, error=f"{where} has no string field 'text'")
    meta = {key: value for key, value in record.items() if key not in ("id", "text")}
    return Message(id=record_id, source=source, text=text, meta=meta)


def _record_id(given):
    if given is None:
        return None
    if isinstance(given, str):
        return SURROGATE.sub("\ufffd", given)
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    return SURROGATE.sub("\ufffd", json.dumps(given, ensure_ascii=False))[:MAX_ID_CHARS]


def _too_deep(line: str) -> str | None:
    """Nesting deeper than MAX_DEPTH, found by counting brackets (cheap: only lines with
    many brackets are scanned character by character)."""
    if line.count("[") + line.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep"
        elif ch in "]}":
            depth -= 1
    return None

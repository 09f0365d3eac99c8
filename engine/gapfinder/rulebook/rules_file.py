"""Read gapfinder's rule-file format: sections of one-entry-per-line, with comments.

The format is deliberately small so that a person can edit it and a stranger's file cannot
hurt the reader (no tags, anchors, includes or type coercion, unlike YAML):

    # a comment; blank lines are ignored
    [section.name]
    one entry per line          # a trailing comment after two spaces and '#'
    key: value                  # sections that take settings use "key: value"

Every problem raises RuleError("file:line: what is wrong").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import RuleError
from ..read.bounded_read import NotRegularFile, read_file_capped

MAX_FILE_BYTES = 2_000_000
MAX_LINE_CHARS = 500
SECTION = re.compile(r"^\[([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\]$")
TRAILING_COMMENT = re.compile(r"\s+#.*$")


@dataclass(frozen=True)
class Entry:
    """One non-comment line of a rule file, with where it came from."""

    section: str
    value: str
    path: str
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def fail(self, what: str) -> RuleError:
        return RuleError(f"{self.where()}: {what}")


def read_entries(path: Path, display: str | None = None) -> list[Entry]:
    """All entries of one file, in order. Raises RuleError naming file and line."""
    shown = display or str(path)
    try:
        raw, size = read_file_capped(path, MAX_FILE_BYTES)     # a huge file is refused unread
    except NotRegularFile as exc:
        raise RuleError(f"{shown}:0: the rule file is {exc.kind}, not a regular file") from None
    except OSError as exc:
        raise RuleError(f"{shown}:0: cannot read the rule file ({exc.strerror})") from None
    if raw is None:
        raise RuleError(f"{shown}:0: rule file is {size:,} bytes, larger than the limit of {MAX_FILE_BYTES:,}")
    if b"\x00" in raw:
        raise RuleError(f"{shown}:0: rule file contains NUL bytes (is it a binary file?)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RuleError(f"{shown}:{line}: rule file is not valid UTF-8") from None
    return parse_entries(text, shown)


def parse_entries(text: str, shown: str) -> list[Entry]:
    """Parse rule-file text (already decoded) into entries."""
    entries: list[Entry] = []
    section = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE_CHARS:
            raise RuleError(f"{shown}:{lineno}: line is longer than {MAX_LINE_CHARS} characters")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        stripped = TRAILING_COMMENT.sub("", stripped).strip()
        if stripped.startswith("["):
            match = SECTION.match(stripped)
            if not match:
                raise RuleError(
                    f"{shown}:{lineno}: bad section header {stripped[:60]!r} "
                    "(expected something like [resume.gap])"
                )
            section = match.group(1)
            continue
        if section is None:
            raise RuleError(f"{shown}:{lineno}: entry before any [section] header")
        entries.append(Entry(section, stripped, shown, lineno))
    return entries


def split_setting(entry: Entry) -> tuple[str, str]:
    """Split a "key: value" entry; raise RuleError when it is not one."""
    key, sep, value = entry.value.partition(":")
    key, value = key.strip(), value.strip()
    if not sep or not re.fullmatch(r"[a-z_]+", key) or not value:
        raise entry.fail(f"expected 'key: value', got {entry.value[:60]!r}")
    return key, value

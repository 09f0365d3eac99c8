"""Make user-controlled strings harmless where they are shown: terminals, CSV, JSON.

Feedback text, file names, email headers and rule files are all written by someone else.
  terminal_safe   for text output and error lines: removes terminal escape sequences (CSI,
                  OSC, DCS...), C0 and C1 control characters and the bidirectional
                  overrides and isolates that can make a line read other than it is
                  (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C); newlines and
                  tabs become spaces where one line is expected (one_line=True)
  csv_safe        a cell that a spreadsheet would run as a formula (starting with =, +, -,
                  @, a tab or a carriage return) gets a leading apostrophe (OWASP's advice)
  json_escape_invisible   JSON output keeps every character, but C1 controls, the bidi
                  controls above and U+2028/U+2029 are written as \\uXXXX escapes, so a
                  terminal showing the JSON does not act on them
"""
from __future__ import annotations

import re

# ESC followed by: CSI ... final byte, OSC/DCS/SOS/PM/APC ... ST or BEL, or one more byte
_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~]?)"
    r"|\x9b[0-?]*[ -/]*[@-~]?|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
)
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029\x85]+")
_JSON_INVISIBLE = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_safe(text: str, one_line: bool = False) -> str:
    """`text` without escape sequences and invisible controls (newlines and tabs kept,
    unless one_line, when every run of line breaks or tabs becomes one space)."""
    if not isinstance(text, str):
        text = str(text)
    text = _ESCAPE.sub("", text)
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text)


def csv_safe(value):
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def json_escape_invisible(encoded: str) -> str:
    """Escape C1, bidi and line-separator characters in already-encoded JSON (they can
    only occur inside its strings, where \\uXXXX means the same character)."""
    return _JSON_INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)

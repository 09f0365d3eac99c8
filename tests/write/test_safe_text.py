"""Neutralising user-controlled strings for terminals, CSV and JSON."""
import json

import pytest

from gapfinder.write.progress import count_records
from gapfinder.write.safe_text import csv_safe, json_escape_invisible, terminal_safe
from gapfinder.write.writers import dumps


@pytest.mark.parametrize("dirty, clean", [
    ("a\x1b[31mred\x1b[0m b", "ared b"),                       # CSI colour
    ("x\x1b]0;title\x07y", "xy"),                               # OSC window title, BEL-terminated
    ("x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\y", "xlinky"),  # OSC 8 hyperlink, ST-terminated
    ("a\x9b2Jb", "ab"),                                         # C1 CSI
    ("a\x85b\x9cc", "abc"),                                     # other C1 controls
    ("file\u202etxt.exe", "filetxt.exe"),                       # right-to-left override
    ("a\u2066b\u2069c\u200fd", "abcd"),                         # isolates and marks
    ("tab\tand\nnewline", "tab\tand\nnewline"),                 # kept unless one_line
    ("caf\u00e9 \u00fcber \u4e2d\u6587", "caf\u00e9 \u00fcber \u4e2d\u6587"),  # ordinary text untouched
])
def test_terminal_safe(dirty, clean):
    assert terminal_safe(dirty) == clean


def test_one_line_joins_line_breaks():
    assert terminal_safe("a\r\n\tb\u2028c", one_line=True) == "a b c"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe(cell):
    assert csv_safe(cell) == "'" + cell


def test_other_cells_are_unchanged():
    assert csv_safe("Your CV had typos") == "Your CV had typos" and csv_safe(None) is None and csv_safe("") == ""


def test_json_escapes_invisible_controls_and_stays_the_same_json():
    record = {"text": "a\u202eb\x9bc\u2028d\u00e9"}
    encoded = dumps(record)
    assert "\u202e" not in encoded and "\x9b" not in encoded and "\u2028" not in encoded
    assert "\u00e9" in encoded and json.loads(encoded) == record
    assert json_escape_invisible('"\u202e"') == '"\\u202e"'


def test_json_never_writes_nan():
    assert json.loads(dumps({"x": float("nan"), "y": [float("inf")]})) == {"x": None, "y": [None]}


def test_counting_records_never_opens_a_fifo(tmp_path):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert count_records([str(fifo)]) is None       # opening it would block: it is not opened

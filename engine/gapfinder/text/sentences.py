"""Split email-like text into sentences, as character spans.

Feedback arrives as emails, notes and scorecards, where a line break often ends a thought
that has no full stop: greetings ("Hi Sam,"), bullets, "Communication: 2/5 - rambled",
sign-offs. Hard-wrapped email lines, on the other hand, continue a sentence. This splitter
works on the raw text with a few regular expressions (fast, no per-token Python) and returns
(start, end) offsets, trimmed of surrounding white space.
"""
from __future__ import annotations

import re

BULLET = re.compile(r"^\s*(?:[-*•·‣▪–—>]+|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
SCORECARD = re.compile(r"^\s*[A-Z][\w &/()'-]{1,40}:\s*(?:\S)")
ENDS_SENTENCE = re.compile(r"[.!?:;…]['\")\]]*\s*$")
GREETING_OR_SIGNOFF = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|thanks|thank you|many thanks|"
    r"best|best wishes|kind regards|regards|warm regards|warmly|sincerely|yours sincerely|"
    r"yours faithfully|cheers|all the best|take care|talk soon)\b[^.!?\n]{0,40}[,!]?\s*$",
    re.IGNORECASE,
)
# A full stop, ! or ? (possibly repeated, possibly closed by quotes or brackets) then space.
BOUNDARY = re.compile(r"(?<=[.!?…])['\")\]]*\s+(?=\S)")
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st vs etc e.g i.e eg ie approx dept inc ltd co corp
    fig jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k a.m p.m b.sc m.sc ph.d cf al est min max ref""".split()
)
WRAP_WIDTH = 55  # a line at least this long, ending mid-sentence, is taken as hard-wrapped


def split_lines(text: str) -> list[tuple[int, int]]:
    """Group physical lines into logical lines (blocks that may hold several sentences)."""
    blocks: list[tuple[int, int]] = []
    prev_line = ""
    pos = 0
    for line in text.splitlines(keepends=True):
        start, body = pos, line.rstrip("\r\n")
        pos += len(line)
        if not body.strip():
            prev_line = ""
            continue
        end = start + len(body)
        if blocks and prev_line and _continues(prev_line, body):
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
        prev_line = body
    return blocks


def _continues(prev: str, line: str) -> bool:
    """Does `line` carry on the sentence that `prev` began (a hard-wrapped email line)?"""
    if BULLET.match(line) or SCORECARD.match(line) or GREETING_OR_SIGNOFF.match(prev):
        return False
    if ENDS_SENTENCE.search(prev):
        return False
    first = line.lstrip()[:1]
    if first in ",;)" or (first.islower() and len(prev) >= WRAP_WIDTH * 0.7):
        return True
    return len(prev) >= WRAP_WIDTH


def split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one logical line into sentences at sentence-final punctuation."""
    spans = []
    cursor = start
    for match in BOUNDARY.finditer(text, start, end):
        cut = match.start()
        if _is_abbreviation(text, cursor, cut, text[match.end() : match.end() + 1]):
            continue
        spans.append((cursor, cut))
        cursor = match.end()
    spans.append((cursor, end))
    return spans


def _is_abbreviation(text: str, start: int, cut: int, following: str) -> bool:
    """True when the full stop at `cut` closes an abbreviation or an initial, not a sentence."""
    if text[cut - 1] != ".":
        return False
    word = text[max(start, cut - 12) : cut].split()
    if not word:
        return False
    last = word[-1].lower().rstrip(".").lstrip("(\"'")
    if last in ("no", "nos"):  # "No. 5" is a number; "No." before a word ends a sentence
        return following.isdigit()
    return last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence of `text` as (start, end) offsets, white space trimmed, in order."""
    spans = []
    for b_start, b_end in split_lines(text):
        for s_start, s_end in split_block(text, b_start, b_end):
            while s_start < s_end and text[s_start].isspace():
                s_start += 1
            while s_end > s_start and text[s_end - 1].isspace():
                s_end -= 1
            if s_end > s_start:
                spans.append((s_start, s_end))
    return spans

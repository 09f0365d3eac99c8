"""Find the parts of an email text that are not the author's new words.

Replies carry the earlier message ("On ... wrote:" plus "> " lines), forwards carry
header blocks, and most emails end in a sign-off and signature. None of that is feedback
from the author, so the engine skips it. `excluded_ranges` returns exact character offsets
into the given string (the engine keeps offsets into the original text);
`new_text` cuts them out.

Detection is deliberately conservative: a rule only fires on lines with the shape of a
quote, header block or signature, and sign-off blocks must be short and end the text (or
run up to a quote), so real body sentences are never excluded. Two cases keep text after
a marker: an interleaved reply (the author writes between ">" lines, so only the
attribution and the ">" lines go), and a header block before any of the author's words
(the pasted message's own header, so only the header lines go). A "---------- Forwarded
message" block loses only its header lines: the forwarded text is what was sent on.
"""
from __future__ import annotations

import re
from bisect import bisect_left

QUOTE = "quote"
FORWARD = "forward"
SIGNATURE = "signature"

# "On Mon, 9 Feb 2026 at 17:40, Jane <j@x.com> wrote:" and a few other languages.
_ATTRIBUTION_START = re.compile(r"\s*(?:On|Le|Am|El|Em|Il|Op)\s", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"\s*(?:On|Le|Am|El|Em|Il|Op)\s.{0,300}?"
    r"\b(?:wrote|a\s+écrit|schrieb|escribió|escreveu|ha\s+scritto|schreef)\b"
    r"[^\n]{0,200}?\s?:\s*$",
    re.IGNORECASE,
)
_QUOTE_LINE = re.compile(r"[ \t]*>")
_ORIGINAL_MESSAGE = re.compile(r"\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE)
_FORWARD_MARKER = re.compile(
    r"\s*(?:-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:)\s*$", re.IGNORECASE
)
_SEPARATOR = re.compile(r"\s*(?:_{10,}|-{10,})\s*$")
_HEADER_NAMES = {
    "from": "from", "von": "from", "de": "from", "da": "from",
    "sent": "date", "date": "date", "gesendet": "date", "envoyé": "date", "enviado": "date",
    "datum": "date", "inviato": "date",
    "to": "to", "an": "to", "à": "to", "para": "to", "a": "to",
    "cc": "cc", "bcc": "cc",
    "subject": "subject", "betreff": "subject", "objet": "subject", "asunto": "subject",
    "oggetto": "subject", "reply-to": "cc",
}
_HEADER_LINE = re.compile(r"\s*\*?([A-Za-zÀ-ÿ-]{1,10})\*?\s?:\*?(?:\s|$)")
# One-line Outlook header (HTML converted to text): "From: X Sent: Y To: Z Subject: W"
_INLINE_OUTLOOK = re.compile(r"\s*\*?From:.{1,300}?\bSent:.{1,300}?\bTo:.{1,300}?\bSubject:", re.IGNORECASE)

_SIG_DELIMITER = re.compile(r"-- ?$")
_CLOSING = re.compile(    # a closing phrase, optionally followed by a capitalised name
    r"\s*(?i:(?:(?:with\s+|yours\s+)?(?:best|kind|kindest|warm|warmest|many|sincere|fond)\s+"
    r"(?:regards|wishes|thanks)|best|regards|thanks|thank you|cheers|sincerely|"
    r"yours (?:sincerely|truly|faithfully)|sincerely yours|all the best|with thanks|"
    r"thanks (?:again|so much|very much)|take care|speak soon|talk soon|warmly|respectfully|"
    r"good luck|best of luck|cordialement|bien cordialement|bonne chance|"
    r"(?:mit freundlichen|viele|beste) grüßen?|saludos|un saludo|atentamente|cumprimentos|"
    r"met vriendelijke groet(?:en)?|cordiali saluti))"
    r"\s*[,.!]*(?:[ \t]+[A-Z][\w.'-]*){0,3}\s*$"
)
# "Thanks for your patience," / "Best of luck in your search," (short, ends in a comma)
_LONG_CLOSING = re.compile(
    r"\s*(?:thanks|thank you|best|all the best|good luck|wishing you|with)\b[^.!?\n]{0,50},\s*$",
    re.IGNORECASE,
)
_DEVICE_SIGNATURE = re.compile(
    r"\s*(?:Sent (?:from|via) (?:my )?\w[\w ]{0,30}|Get Outlook for \w+)\s*$",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"\b(?:confidential|privileged|intended recipient|intended solely|disclaimer|"
    r"this (?:e-?mail|message) (?:and any|is|may|contains)|not monitored|do not reply)",
    re.IGNORECASE,
)
_FUNCTION_WORDS = frozenset(
    "i we you your our us me my it is are was were be been will would could should can may "
    "might have has had please if that this not do don't to for".split()
)
_PHONE = re.compile(r"(?:\d[\s().-]*){7,}")
_MAX_SIGNATURE_LINES = 8
_MAX_TWO_LINE_ATTRIBUTION = 300


def excluded_ranges(text: str) -> list[tuple[int, int, str]]:
    """Return sorted, non-overlapping (start, end, reason) ranges of text to ignore.

    Reasons: "quote" (earlier message in a reply), "forward" (forward/reply header
    blocks) and "signature" (sign-off, signature block, "Sent from my phone").
    """
    lines = _split_lines(text)
    blocks = _block_ranges(text, lines)
    ranges = list(blocks)
    starts = [line[0] for line in lines]
    for gap_start, gap_end in _gaps(blocks, len(text)):
        gap_lines = lines[bisect_left(starts, gap_start):bisect_left(starts, gap_end)]
        ranges.extend(_signature_ranges(gap_lines, gap_end))
    ranges.sort()
    return ranges


def new_text(text: str, ranges: list[tuple[int, int, str]] | None = None) -> str:
    """Return the text without the excluded ranges (pass them when already computed),
    trailing whitespace trimmed."""
    pieces = []
    pos = 0
    for start, end, _reason in excluded_ranges(text) if ranges is None else ranges:
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces).rstrip()


def _split_lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end including newline, content without newline) for every line."""
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        lines.append((pos, pos + len(raw), content))
        pos += len(raw)
    return lines


def _block_ranges(text: str, lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Quotes and forward blocks, scanning top to bottom.

    A reply/forward header block before any of the author's text is the header of the
    pasted message itself, so only its header lines are excluded, not the message.
    """
    ranges: list[tuple[int, int, str]] = []
    end_of_text = len(text)
    interleaved = _interleaved_flags(lines)
    author_text_seen = False
    i = 0
    while i < len(lines):
        start, _end, content = lines[i]
        outlook_block = _is_outlook_header_block(lines, i) or _INLINE_OUTLOOK.match(content)
        if not author_text_seen and (outlook_block or _ORIGINAL_MESSAGE.match(content)):
            j = _forward_header_end(lines, i)
            if i > 0 and _SEPARATOR.match(lines[i - 1][2]):
                start = lines[i - 1][0]
            ranges.append((start, lines[j][1], FORWARD))
            i = j + 1
            continue
        if _QUOTE_LINE.match(content):
            j = i
            while j + 1 < len(lines) and _QUOTE_LINE.match(lines[j + 1][2]):
                j += 1
            ranges.append((start, lines[j][1], QUOTE))
            i = j + 1
            continue
        if _FORWARD_MARKER.match(content):
            j = _forward_header_end(lines, i)
            ranges.append((start, lines[j][1], FORWARD))
            i = j + 1
            continue
        if _ORIGINAL_MESSAGE.match(content) or outlook_block:
            if i > 0 and _SEPARATOR.match(lines[i - 1][2]):
                start = lines[i - 1][0]
            ranges.append((start, end_of_text, FORWARD))
            break
        attribution_last = _attribution_end(lines, i)
        if attribution_last is not None:
            if interleaved[attribution_last + 1]:
                ranges.append((start, lines[attribution_last][1], QUOTE))
                i = attribution_last + 1
                continue
            ranges.append((start, end_of_text, QUOTE))
            break
        author_text_seen = author_text_seen or bool(content.strip() and not _SEPARATOR.match(content))
        i += 1
    return ranges


def _header_kind(content: str) -> str | None:
    match = _HEADER_LINE.match(content)
    return _HEADER_NAMES.get(match.group(1).lower()) if match else None


def _forward_header_end(lines: list[tuple[int, int, str]], i: int) -> int:
    """Index of the last line of a forward marker's header block (blank lines allowed
    before the first header; wrapped header values are included)."""
    last = i
    j = i + 1
    seen_header = False
    while j < len(lines):
        content = lines[j][2]
        if _header_kind(content):
            seen_header = True
            last = j
        elif seen_header and content[:1] in (" ", "\t") and content.strip():
            last = j
        elif not content.strip() and not seen_header:
            pass
        else:
            break
        j += 1
    return last


def _is_outlook_header_block(lines: list[tuple[int, int, str]], i: int) -> bool:
    """A "From:" line directly followed by Sent/Date and To/Subject header lines."""
    if _header_kind(lines[i][2]) != "from":
        return False
    kinds = set()
    for _start, _end, content in lines[i + 1:i + 8]:
        kind = _header_kind(content)
        if kind is None:
            if content[:1] in (" ", "\t") and content.strip():
                continue
            break
        kinds.add(kind)
    return "date" in kinds and bool(kinds & {"to", "subject"})


def _attribution_end(lines: list[tuple[int, int, str]], i: int) -> int | None:
    """Index of the last line of an "On ... wrote:" attribution starting at line i."""
    content = lines[i][2]
    if not _ATTRIBUTION_START.match(content):
        return None
    if _ATTRIBUTION.match(content):
        return i
    if i + 1 < len(lines):
        joined = content.rstrip() + " " + lines[i + 1][2].strip()
        if len(joined) <= _MAX_TWO_LINE_ATTRIBUTION and lines[i + 1][2].strip() and _ATTRIBUTION.match(joined):
            return i + 1
    return None


def _interleaved_flags(lines: list[tuple[int, int, str]]) -> list[bool]:
    """flags[i]: an attribution ending just before line i starts an interleaved reply.

    That is: the next non-blank line is a ">" line and the author writes again (a
    non-blank line without ">") somewhere after it. Then only the attribution and the ">"
    lines are quoted, not everything after. Computed in one backward pass.
    """
    flags = [False] * (len(lines) + 1)
    author_line_after = False   # a non-blank, non-">" line at or after i
    for i in range(len(lines) - 1, -1, -1):
        content = lines[i][2]
        if not content.strip():
            flags[i] = flags[i + 1]
            continue
        if _QUOTE_LINE.match(content):
            flags[i] = author_line_after
        else:
            author_line_after = True
            flags[i] = False
    return flags


def _gaps(blocks: list[tuple[int, int, str]], length: int) -> list[tuple[int, int]]:
    gaps = []
    pos = 0
    for start, end, _reason in blocks:
        if start > pos:
            gaps.append((pos, start))
        pos = end
    if pos < length:
        gaps.append((pos, length))
    return gaps


def _signature_ranges(lines: list[tuple[int, int, str]], gap_end: int) -> list[tuple[int, int, str]]:
    """Signature at the end of one kept stretch of text (lines end at gap_end).

    Tail checks look at no more than a few non-blank lines each, so this stays linear-ish
    even when a long text repeats sign-off lines.
    """
    ranges = []
    limit = len(lines)
    for k, (start, _end, content) in enumerate(lines):
        if _SIG_DELIMITER.match(content) and (content == "-- " or _is_signature_tail(lines, k + 1, limit)):
            ranges.append((start, gap_end, SIGNATURE))
            limit, gap_end = k, start
            break
    for k in range(limit):
        start, _end, content = lines[k]
        if _is_sign_off(content) and _is_signature_tail(lines, k + 1, limit):
            ranges.append((start, gap_end, SIGNATURE))
            break
    return ranges


def _is_sign_off(line: str) -> bool:
    return bool(_CLOSING.match(line) or _LONG_CLOSING.match(line) or _DEVICE_SIGNATURE.match(line))


def _is_signature_tail(lines: list[tuple[int, int, str]], first: int, limit: int) -> bool:
    """lines[first:limit] are at most a few short name/title/contact lines, optionally
    ending in a disclaimer."""
    count = 0
    for index in range(first, limit):
        line = lines[index][2].strip()
        if not line:
            continue
        if _DISCLAIMER.search(line):
            return True
        count += 1
        if count > _MAX_SIGNATURE_LINES or not _is_signature_line(line):
            return False
    return True


def _is_signature_line(line: str) -> bool:
    """A short line that reads like a name, title, company, phone, address or URL."""
    lowered = line.lower()
    contact = "@" in line or "http" in lowered or "www." in lowered or "|" in line or _PHONE.search(line)
    if len(line) > (120 if contact else 80):
        return False
    if "@" in line or "http" in lowered or "www." in lowered or _DEVICE_SIGNATURE.match(line):
        return True
    words = [w for w in line.split() if any(c.isalnum() for c in w)]
    if len(words) > 12:
        return False
    if len(words) < 4:
        return True
    last = words[-1]
    if line[-1] in "!?" or (line[-1] == "." and not last[:1].isupper()):
        return False    # a sentence, not "Acme Inc."
    if sum(w.lower().strip(",.;:") in _FUNCTION_WORDS for w in words) >= 2:
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    lower = [w for w in alpha if w[:1].islower()]
    return len(lower) < 0.7 * len(alpha) or len(alpha) < 4

"""Property-based tests (Hypothesis): the engine, the email reader and the sentence splitter
must never crash, must be deterministic, and every offset they return must index the text.

The engine is built once per module (`_engine()` is cached); every property runs with
deadline=None and a bounded number of examples, so the whole file stays well under 20 s.
Crash reproducers found by the fuzzers in tests/fuzz/ are kept at the end as plain tests.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import gapfinder
from gapfinder.read.email_reader import read_email
from gapfinder.read.message import Message
from gapfinder.text.sentences import sentence_spans
from gapfinder.read.sources import split_mbox

MAIL = Path(__file__).resolve().parent / "fixtures" / "mail"
EMAILS = sorted(p.read_bytes() for p in MAIL.glob("*.eml"))

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.lru_cache(maxsize=None)
def _engine():
    return gapfinder.load()


# -- strategies --------------------------------------------------------------------------

# Awkward characters: controls, NUL, line/paragraph separators, BOM, zero-width and bidi
# marks, RTL scripts, combining marks, emoji with joiners and skin tones, full-width forms.
ODD_CHARS = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f", "\x85",
    "\r", "\n", "\r\n", "\t", "\u00a0", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200d",
    "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\ufffd", "\u0301", "\u0345",
    "שלום", "مرحبا بك", "\u0627\u0644\u0633\u064a\u0631\u0629", "🙂", "👩‍💻", "👍🏽", "🇬🇧",
    "Ｃｖ", "ﬁ", "İ", "ß", "…", "—", "•", "“", "”", "’", ">", "-- ", "--\n",
]

any_text = st.text(max_size=400)                                     # surrogate-free unicode
with_surrogates = st.text(st.characters(blacklist_categories=()), max_size=200)
odd_text = st.lists(
    st.one_of(st.sampled_from(ODD_CHARS), st.text(max_size=8)), max_size=60
).map("".join)

# A small vocabulary of feedback words, so that the rules and the model actually fire.
FEEDBACK_WORDS = [
    "your", "cv", "resume", "cover", "letter", "portfolio", "sql", "python", "excel",
    "technical", "test", "coding", "interview", "answers", "panel", "communication",
    "industry", "sector", "market", "knowledge", "experience", "years", "visa", "sponsor",
    "licence", "was", "were", "not", "no", "never", "very", "too", "a", "the", "and", "but",
    "however", "although", "lacked", "lack", "weak", "limited", "unclear", "vague", "generic",
    "missing", "strong", "excellent", "impressive", "solid", "great", "clear", "rambled",
    "nervous", "struggled", "with", "might", "want", "to", "consider", "could", "improve",
    "we", "need", "5+", "years'", "unable", "right", "work", "problem", "issue", "wasn't",
    "didn't", "ask", "any", "questions", "hard", "follow", "calculation", "errors", "in",
    "decided", "not", "to", "proceed", "unfortunately", "other", "candidates", "closely",
    "matched", "Dr.", "e.g.", "No.", "5", "etc.", "U.S.", ";", ",", ":", "-", "(", ")",
]
PUNCT = [".", "!", "?", "...", ";", ":", "", ",", ".\u201d", "!)"]
JOINERS = [" ", "  ", "\n", "\n\n", "\r\n", "\n- ", "\n* ", "\n> ", "\n1. ", "\t", "\u2028"]
EXTRAS = [
    "Hi Sam,", "Dear Alex,", "Thanks,", "Best,\nImogen", "Kind regards,\nJo\nRecruiter",
    "On Mon, 9 Mar 2026 at 17:40, Sam <s@x.example> wrote:", "> I know my cv was rushed.",
    "-- \nJo Bloggs\n+44 20 7946 0000", "---------- Forwarded message ---------",
    "From: A <a@x.example>\nSent: Monday\nTo: B\nSubject: Re: role",
    "Communication: 2/5 - rambled", "Technical: 4/5 - solid",
    "The panel enjoyed meeting you, but your answers were hard to follow.",
    "Unfortunately we are unable to sponsor a visa for this role.",
    "Your CV wasn't the problem; we needed 5+ years of Python.",
    "x" * 250, "aGVsbG8gd29ybGQ=" * 20,
]


@st.composite
def sentence(draw):
    words = draw(st.lists(st.sampled_from(FEEDBACK_WORDS), min_size=1, max_size=18))
    text = " ".join(words)
    if draw(st.booleans()):
        text = text[:1].upper() + text[1:]
    return text + draw(st.sampled_from(PUNCT))


@st.composite
def feedback_text(draw):
    pieces = draw(st.lists(st.one_of(sentence(), sentence(), st.sampled_from(EXTRAS),
                                     st.sampled_from(ODD_CHARS)), min_size=1, max_size=14))
    out = []
    for piece in pieces:
        out.append(piece)
        out.append(draw(st.sampled_from(JOINERS)))
    return "".join(out)


engine_text = st.one_of(any_text, odd_text, feedback_text(), feedback_text())


@st.composite
def mutated_email(draw):
    """A real fixture email with bytes flipped, inserted, deleted or MIME-ish tokens spliced in."""
    data = bytearray(draw(st.sampled_from(EMAILS)))
    tokens = [b"\r\n", b"\n\n", b"--", b"=?utf-8?b?", b"=?iso-8859-1?q?=E9?=", b"\x00", b"\xff\xfe",
              b"Content-Type: multipart/mixed; boundary=x\n", b"\n--x\n", b"\n--x--\n",
              b"Content-Transfer-Encoding: base64\n", b"Content-Type: text/html\n\n<p>hi<br>",
              b"charset=utf-7", b"charset=\"hex\"", b"Content-Type: message/rfc822\n\n",
              b"boundary*0=\"a\";", b"=\n", b"=3D", b"<script>", b"From: \n"]
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "token", "truncate"]))
        if op == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 40))]
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(tokens))
        elif op == "truncate":
            del data[pos:]
    return bytes(data)


# -- checks ------------------------------------------------------------------------------

def analyze_or_none(value):
    """The Analysis, or None for an InputError; anything else propagates (a failure)."""
    try:
        return _engine().analyze(value)
    except gapfinder.InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None


def check_offsets(analysis, source_len: int | None = None) -> None:
    text = analysis.text
    if source_len is not None:      # normalisation never changes the length
        assert len(text) == source_len
    for finding in analysis.gaps + analysis.strengths:
        assert finding.evidence
        assert 0.0 <= finding.confidence <= 1.0
        for ev in finding.evidence:
            assert 0 <= ev.start < ev.end <= len(text), (ev.start, ev.end, len(text))
            assert text[ev.start:ev.end] == ev.text
            assert ev.text == ev.text.strip()
    for d in analysis.decisions:
        assert 0 <= d.start < d.end <= len(text), (d.start, d.end, len(text))
        assert d.decision in ("gap", "strength", "not_a_gap")
    for r in analysis.ignored:
        assert 0 <= r["start"] <= r["end"] <= len(text)


# -- (a) no crash, (c) offsets -----------------------------------------------------------

@FAST
@given(engine_text)
@example("")
@example("   \n\t ")
@example("\x00" * 20)
@example("\ud800 cv was weak \udfff")
@example("Hi,\n\n" + "x" * 300 + " your cv was weak.")
def test_text_never_crashes_and_offsets_index_the_text(text):
    analysis = analyze_or_none(text)
    if analysis is not None:
        check_offsets(analysis, len(text))


@SLOW
@given(with_surrogates)
def test_lone_surrogates_are_replaced_not_fatal(text):
    analysis = analyze_or_none(text)
    if analysis is not None:
        check_offsets(analysis, len(text))
        assert not any("\ud800" <= c <= "\udfff" for c in analysis.text)


@FAST
@given(st.one_of(st.binary(max_size=400), engine_text.map(lambda t: t.encode("utf-8")),
                 feedback_text().map(lambda t: t.encode("utf-16"))))
@example(b"\xff\xfe")
@example(b"\xef\xbb\xbfYour cv was weak.")
def test_bytes_never_crash(data):
    analysis = analyze_or_none(data)
    if analysis is not None:
        check_offsets(analysis, len(data.decode("utf-8")))


@SLOW
@given(feedback_text())
def test_bytes_and_text_give_the_same_analysis(text):
    as_text = analyze_or_none(text)
    as_bytes = analyze_or_none(text.encode("utf-8"))
    assert (as_text is None) == (as_bytes is None)
    if as_text is not None:
        assert as_text.to_dict(include_text=True) == as_bytes.to_dict(include_text=True)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(feedback_text(), min_size=1, max_size=4), st.integers(100_500, 130_000))
def test_long_chunked_texts_keep_offsets(paragraphs, size):
    """Texts over CHUNK_CHARS are analysed in chunks and merged: offsets must survive that."""
    block = "\n\n".join(paragraphs) + "\n\n"
    text = (block * (size // len(block) + 1))[:size]
    analysis = analyze_or_none(text)
    if analysis is not None:
        check_offsets(analysis, len(text))


@FAST
@given(st.one_of(feedback_text(), odd_text), st.integers(16, 400))
def test_small_chunks_keep_offsets(text, chunk_chars):
    """The same chunk-and-merge path with a tiny CHUNK_CHARS, so boundaries fall everywhere."""
    import gapfinder.core.engine as engine_module

    saved = engine_module.CHUNK_CHARS
    engine_module.CHUNK_CHARS = chunk_chars
    try:
        analysis = analyze_or_none(text)
    finally:
        engine_module.CHUNK_CHARS = saved
    if analysis is not None:
        check_offsets(analysis, len(text))


# -- (b) determinism ---------------------------------------------------------------------

@FAST
@given(engine_text)
def test_same_input_same_output(text):
    first = analyze_or_none(text)
    second = analyze_or_none(text)
    assert (first is None) == (second is None)
    if first is not None:
        assert first.to_dict(include_text=True) == second.to_dict(include_text=True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(feedback_text(), min_size=1, max_size=6))
def test_batch_matches_single_analysis(texts):
    engine = _engine()
    singles = [analyze_or_none(t) for t in texts]
    batched = list(engine.analyze_many(texts, batch_size=4, errors="return"))
    assert len(batched) == len(texts)
    for single, batch in zip(singles, batched):
        if single is None:
            assert isinstance(batch, gapfinder.core.engine.Failure)
        else:
            assert single.to_dict(include_text=True) == batch.to_dict(include_text=True)


# -- (d) email reader --------------------------------------------------------------------

def check_message(msg, source: str) -> None:
    assert isinstance(msg, Message)
    assert msg.source == source
    assert isinstance(msg.id, str) and msg.id
    assert (msg.text is None) != (msg.error is None)
    if msg.error is not None:
        assert isinstance(msg.error, str) and msg.error and "\n" not in msg.error
    else:
        assert isinstance(msg.text, str)


@FAST
@given(st.binary(max_size=2000))
@example(b"")
@example(b"From: a\n\n")
@example(b"Content-Type: multipart/mixed; boundary=x\n\n--x\n")
def test_read_email_never_raises_on_bytes(data):
    check_message(read_email(data, "fuzz.eml"), "fuzz.eml")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_email())
def test_read_email_never_raises_on_mutated_mail(data):
    msg = read_email(data, "mutated.eml")
    check_message(msg, "mutated.eml")
    if msg.text and msg.text.strip():    # the text a reader hands on must be analysable
        analysis = analyze_or_none(msg.text)
        if analysis is not None:
            check_offsets(analysis, len(msg.text))


def test_real_fixture_emails_read_cleanly():
    for data in EMAILS:
        msg = read_email(data, "fixture.eml")
        check_message(msg, "fixture.eml")
        assert msg.error is None and msg.text


@FAST
@given(st.lists(st.one_of(st.binary(max_size=60), st.sampled_from(EMAILS),
                          st.sampled_from([b"From a@b Mon Jan  1 10:00:00 2024\n", b"\n", b">From x\n",
                                           b"From my experience\n", b"\r\n"])), max_size=12),
       st.integers(1, 3000))
def test_split_mbox_never_raises(pieces, max_bytes):
    data = b"".join(pieces)
    for raw, size in split_mbox(io.BytesIO(data), max_bytes):
        assert isinstance(size, int) and size >= 0
        if raw is None:
            assert size > max_bytes
        else:
            assert size <= max_bytes and len(raw) <= size
            check_message(read_email(raw, "mbox#1"), "mbox#1")


# -- (e) sentence spans ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, odd_text, feedback_text(), with_surrogates))
@example("  One.  Two!\n\n Three?  ")
@example("x.\u2028y.\x85z")
def test_sentence_spans_are_ordered_disjoint_in_bounds_and_stripped(text):
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text), (previous_end, start, end, len(text))
        piece = text[start:end]
        assert piece == piece.strip() and piece
        previous_end = end


# -- quoted replies and HTML (what the email reader hands to the engine) -----------------

HTML_BITS = ["<p>", "</p>", "<br>", "<div style='display:none'>", "</div>", "<!--", "-->", "<![CDATA[",
             "<script>", "</script>", "<td>", "<li>", "&amp;", "&#x110000;", "&nbsp;", "<a href='x'",
             ">", "<", "<head>", "<title>", "<table>", "<blockquote>", "<!DOCTYPE html>", "<?xml?>"]


@FAST
@given(st.one_of(feedback_text(), any_text, odd_text))
def test_excluded_ranges_are_sorted_disjoint_and_in_bounds(text):
    from gapfinder.read.quoted_reply import excluded_ranges, new_text

    previous_end = 0
    for start, end, reason in excluded_ranges(text):
        assert reason in ("quote", "forward", "signature")
        assert previous_end <= start < end <= len(text), (previous_end, start, end, len(text))
        previous_end = end
    assert len(new_text(text)) <= len(text)


@FAST
@given(st.lists(st.one_of(st.sampled_from(HTML_BITS), st.text(max_size=10), sentence()),
                max_size=40).map("".join))
def test_html_to_text_never_raises(html):
    from gapfinder.read.html_text import html_to_text

    assert isinstance(html_to_text(html), str)


# -- regression cases found by the fuzzers -------------------------------------------------

# (none so far; each crash a fuzzer finds is added here as a plain test)

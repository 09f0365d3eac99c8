"""Bad input through every entry point: each row ends in a result or a clear one-line error.

Tables (one parametrized test each, so the row count is visible in the test ids):

  TEXT_ROWS    a text, run through the Python API (str and bytes), `gapfinder classify FILE`,
               `classify --input-format jsonl` (the row as the middle of three lines) and
               `gapfinder batch FILE.txt`
  JSONL_ROWS   whole JSONL inputs, run through `classify --input-format jsonl` and
               `batch FILE.jsonl`
  EMAIL_ROWS   saved mail (.eml, .mbox, Maildir), run through `gapfinder batch PATH` and,
               for single files, `gapfinder batch -` (standard input)
  CONFIG_ROWS  bad rule folders and models, run through `classify --rules/--model`,
               `batch --rules/--model` and `gapfinder.load(...)`
  PROCESS_ROWS a few of the above as real subprocesses (real stdout/stderr encodings)

Every call must finish within ROW_SECONDS. The CLI builds its engine through
`build_engine`, which this module memoises so the shipped engine is built once.
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

import gapfinder
from gapfinder.core.analysis import Analysis
from gapfinder.cli import main
from gapfinder.limits import DEFAULT_LIMITS

from .conftest import FROM_LINE

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
RULES = ROOT / "rules"
ROW_SECONDS = 10.0

RESUME = "Unfortunately your CV had several typos and did not show your achievements."
TECH = "Your SQL test score was below the pass mark."
INTERVIEW = "The panel felt your answers rambled."
NO_GAP = "Thank you for interviewing with us. We have decided to proceed with other candidates."


# --- expectations ------------------------------------------------------------------------

@dataclass(frozen=True)
class Ok:
    """A result with exactly these gap labels and this language."""

    labels: tuple[str, ...] = ()
    language: str = "en"
    text_has: tuple[str, ...] = ()      # substrings the analysed text must contain
    text_lacks: tuple[str, ...] = ()    # ... and must not contain
    subject: str | None = None          # batch email records: the decoded subject
    unread: tuple[str, ...] = ()        # email records: the attachments left unread


@dataclass(frozen=True)
class Err:
    """An error whose one-line message contains `text`."""

    text: str


def ok(*labels, language="en", **kw):
    return Ok(tuple(sorted(labels)), language, **kw)


# --- the memoised engine -------------------------------------------------------------------

_ENGINES: dict = {}


@pytest.fixture(scope="module", autouse=True)
def shared_engine():
    """Build each engine configuration once for the whole module (CLI runs included)."""
    from gapfinder.cli import batch_cmd, classify_cmd, common

    real = common.build_engine

    def cached(model_path, rules_path, rules_only, limits):
        key = (model_path, rules_path, rules_only, limits)
        if model_path or rules_path:       # the config rows must really load what they name
            return real(model_path, rules_path, rules_only, limits)
        if key not in _ENGINES:
            _ENGINES[key] = real(model_path, rules_path, rules_only, limits)
        return _ENGINES[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(classify_cmd, "build_engine", cached)
        mp.setattr(batch_cmd, "build_engine", cached)
        yield cached(None, None, False, DEFAULT_LIMITS)


@pytest.fixture(scope="module")
def engine(shared_engine):
    return shared_engine


class Timer:
    def __init__(self, bound: float = ROW_SECONDS):
        self.bound = bound

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        assert self.seconds < self.bound, f"took {self.seconds:.1f} s (bound {self.bound} s)"


# --- checks shared by the entry points -------------------------------------------------------

def check_analysis(analysis, exp: Ok):
    assert isinstance(analysis, Analysis)
    assert (analysis.labels, analysis.language) == (list(exp.labels), exp.language)
    for finding in analysis.gaps + analysis.strengths:
        for ev in finding.evidence:
            assert analysis.text[ev.start:ev.end] == ev.text
    for piece in exp.text_has:
        assert piece in analysis.text
    for piece in exp.text_lacks:
        assert piece not in analysis.text


def check_record(record: dict, exp, where: str):
    """One output record (JSON) against an expectation."""
    if isinstance(exp, Err):
        assert "error" in record and "gaps" not in record, f"{where}: expected an error, got {record}"
        assert exp.text in record["error"], f"{where}: {record['error']!r}"
        assert "\n" not in record["error"]
        return
    assert "error" not in record, f"{where}: unexpected error {record.get('error')!r}"
    labels = sorted(g["label"] for g in record["gaps"])
    assert (labels, record["language"]) == (list(exp.labels), exp.language), where
    text = record.get("text")
    if text is not None:
        for gap in record["gaps"]:
            for ev in gap["evidence"]:
                assert text[ev["start"]:ev["end"]] == ev["text"]
        for piece in exp.text_has:
            assert piece in text, where
        for piece in exp.text_lacks:
            assert piece not in text, where
    if exp.subject is not None:
        assert record["subject"] == exp.subject
    assert tuple(record.get("unread_attachments", ())) == exp.unread, where


def no_traceback(result):
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def invoke(args, input=None):
    with Timer():
        result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    no_traceback(result)
    return result


def one_line_error(result, text: str):
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert text in lines[0], lines[0]


def jsonl_records(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


# === TEXT_ROWS =================================================================================

TEXT_ENTRIES = ("api", "api_bytes", "classify", "jsonl", "batch")


@dataclass
class TextRow:
    name: str
    text: str | None                   # the row as a str (API, JSONL "text"); None: not valid text
    raw: bytes | None                  # the row as file bytes (classify, batch, API bytes, raw line)
    expect: dict = field(default_factory=dict)   # entry -> Ok | Err
    xfail: dict = field(default_factory=dict)    # entry -> reason


def text_row(name, text=None, raw=None, default=None, xfail=None, xfail_all=None, **per_entry):
    if raw is None and text is not None:
        raw = text.encode("utf-8")
    entries = [e for e in TEXT_ENTRIES if (e != "api" or text is not None)]
    expect = {e: per_entry.get(e, default) for e in entries}
    assert all(v is not None for v in expect.values()), name
    marks = dict(xfail or {})
    if xfail_all:
        marks.update({e: xfail_all for e in entries})
    return TextRow(name, text, raw, expect, marks)


def sentence_to(limit: int, sentence: str) -> str:
    """`sentence` repeated on one line, exactly `limit` UTF-8 bytes long."""
    text = (sentence + " ") * (limit // (len(sentence) + 1) + 1)
    return text[:limit]


SURROGATES = f"Your CV had several typos \ud800 and \udfff more."
CP1252 = "Your CV had several \u201ctypos\u201d \u2013 and the caf\u00e9 r\u00e9sum\u00e9 was long."
ZW_BETWEEN = " ".join(f"\u200b{w}\u200c" for w in RESUME.split())   # reads exactly like RESUME
ARABIC = ("لقد قررنا عدم المضي قدما في طلبك. كانت إجاباتك في المقابلة غير واضحة ولم تظهر مهاراتك "
          "التقنية الكافية في البرمجة وقواعد البيانات. نشكرك على اهتمامك بالوظيفة ونتمنى لك التوفيق.")
HEBREW = ("החלטנו לא להמשיך עם המועמדות שלך. התשובות שלך בראיון לא היו ברורות ולא הראית מספיק ידע "
          "טכני בתכנות ובמסדי נתונים. תודה על ההתעניינות ואנו מאחלים לך הצלחה בהמשך הדרך.")
FRENCH = ("Nous avons décidé de ne pas donner suite à votre candidature. Votre CV comportait plusieurs "
          "fautes et vos réponses en entretien manquaient de structure. Vos compétences techniques en SQL "
          "étaient insuffisantes pour le poste. Nous vous souhaitons bonne chance dans vos recherches.")
GERMAN = ("Wir haben uns entschieden, Ihre Bewerbung nicht weiter zu verfolgen. Ihr Lebenslauf enthielt "
          "mehrere Tippfehler und Ihre Antworten im Vorstellungsgespräch waren unstrukturiert. Ihre "
          "SQL-Kenntnisse waren für die Stelle nicht ausreichend. Wir wünschen Ihnen viel Erfolg.")
SPANISH = ("Hemos decidido no continuar con su candidatura. Su currículum tenía varios errores y sus "
           "respuestas en la entrevista carecían de estructura. Sus conocimientos técnicos de SQL no eran "
           "suficientes para el puesto. Le deseamos mucha suerte en su búsqueda.")
CHINESE = ("我们决定不再推进您的申请。您的简历有几处错别字，面试中的回答缺乏条理。"
           "您的SQL技术能力不足以胜任这个职位。感谢您对本职位的关注，祝您求职顺利。")
OVER_LIMIT = sentence_to(1_000_001, RESUME)
BIG_LINE = sentence_to(999_990, RESUME)
LONG_LINE = Err("longer than the limit of 100,000 characters")

TEXT_ROWS = [
    text_row("empty", "", default=Err("the text is empty")),
    text_row("one_byte", "x", default=ok()),
    text_row("single_space", " ", default=Err("the text is empty")),
    text_row("whitespace_only", " \t\n\r\n\u00a0\u3000 \n", default=Err("the text is empty")),
    text_row("nul_inside_text", f"{RESUME}\x00 {TECH}", default=ok("resume", "technical"),
             classify=Err("looks like binary data, not text"),
             batch=Err("not a text file: the file holds binary data")),
    text_row("only_nul_bytes", "\x00" * 1000, default=Err("looks like binary data, not text"),
             batch=Err("not a text file: the file holds binary data")),
    text_row("invalid_utf8", None, b"Your CV had several typos \xff\xfe and did not show your achievements.",
             api_bytes=Err("the text is not valid UTF-8 (byte 26)"),
             classify=Err("is not valid UTF-8 text (bad byte at position 26)"),
             jsonl=Err("line 2 is not valid UTF-8"),
             batch=ok("resume")),                      # .txt falls back to Windows-1252
    text_row("utf8_bom", "\ufeff" + RESUME, default=ok("resume")),
    text_row("lone_surrogates", SURROGATES, SURROGATES.encode("utf-8", "surrogatepass"),
             default=ok("resume"), api_bytes=Err("the text is not valid UTF-8"),
             classify=Err("is not valid UTF-8 text")),
    text_row("windows_1252", None, CP1252.encode("cp1252"),
             api_bytes=Err("the text is not valid UTF-8"), classify=Err("is not valid UTF-8 text"),
             jsonl=Err("line 2 is not valid UTF-8"), batch=ok("resume", text_has=("\u201ctypos\u201d",))),
    text_row("one_mb_single_line_of_words", BIG_LINE, default=ok("resume"), jsonl=LONG_LINE),
    text_row("million_char_token", "a" * 1_000_000, default=ok(), jsonl=LONG_LINE),
    text_row("just_over_byte_limit", OVER_LIMIT,
             default=Err("the text is 1,000,001 bytes, over the limit of 1,000,000"), jsonl=LONG_LINE),
    text_row("only_punctuation", "... !!! ??? ;;; --- ((( ))) *** ### \u2026 \u00bf\u00a1 " * 300
             + "!?.,;:-()[]{}\"'" * 100, default=ok()),
    text_row("only_emoji", "\U0001F600\U0001F389\U0001F44D\U0001F525 " * 200 + "\U0001F44D\U0001F3FD" * 300,
             default=ok()),
    text_row("zero_width_around_feedback", "\u200b\u2060\ufeff" + RESUME + "\u200d\u200c\u200b",
             default=ok("resume")),
    text_row("zero_width_around_words", ZW_BETWEEN, default=ok("resume")),
    text_row("arabic_rtl", ARABIC, default=ok(language="unsupported")),
    text_row("hebrew_rtl", HEBREW, default=ok(language="unsupported")),
    text_row("french", FRENCH, default=ok(language="unsupported")),
    text_row("german", GERMAN, default=ok(language="unsupported")),
    text_row("spanish", SPANISH, default=ok(language="unsupported")),
    text_row("chinese", CHINESE, default=ok(language="unsupported")),
    text_row("mixed_crlf_cr", f"{RESUME}\r\n{TECH}\r{INTERVIEW}\r\n\rThanks again.\n\r",
             default=ok("resume", "technical", "interview")),
    text_row("ten_thousand_one_word_lines", "the\npanel\nwas\nkind\n" * 2500, default=ok()),
    text_row("deeply_nested_brackets", f"{INTERVIEW} " + "([{" * 15_000 + "}])" * 15_000 + f" {RESUME}",
             default=ok("interview", "resume")),
    text_row("only_a_quoted_reply", "".join(f"> {s}\n" for s in (RESUME, TECH, INTERVIEW)), default=ok()),
]


def _text_cases():
    for row in TEXT_ROWS:
        for entry, exp in row.expect.items():
            marks = [pytest.mark.xfail(strict=True, reason=row.xfail[entry])] if entry in row.xfail else []
            yield pytest.param(row, entry, exp, id=f"{row.name}-{entry}", marks=marks)


def _run_api(engine, value, exp):
    with Timer():
        try:
            outcome = engine.analyze(value, "row")
        except gapfinder.GapfinderError as exc:
            outcome = exc
    if isinstance(exp, Err):
        assert isinstance(outcome, gapfinder.InputError), f"expected InputError, got {outcome!r}"
        assert exp.text in str(outcome) and "\n" not in str(outcome), str(outcome)
    else:
        assert not isinstance(outcome, Exception), f"unexpected {outcome!r}"
        assert outcome.id == "row"
        check_analysis(outcome, exp)


GOOD_BEFORE = json.dumps({"id": "before", "text": RESUME})
GOOD_AFTER = json.dumps({"id": "after", "text": TECH})


@pytest.mark.parametrize("row, entry, exp", list(_text_cases()))
def test_text_row(row, entry, exp, engine, tmp_path):
    if entry == "api":
        _run_api(engine, row.text, exp)
    elif entry == "api_bytes":
        _run_api(engine, row.raw, exp)
    elif entry == "classify":
        path = tmp_path / "row.txt"
        path.write_bytes(row.raw)
        result = invoke(["classify", path, "--format", "jsonl", "--include-text"])
        if isinstance(exp, Err):
            one_line_error(result, exp.text)
        else:
            assert result.exit_code == 0, result.output
            (record,) = jsonl_records(result)
            assert record["id"] == str(path)
            check_record(record, exp, entry)
    elif entry == "jsonl":
        middle = (json.dumps({"id": "row", "text": row.text}).encode("ascii") if row.text is not None
                  else row.raw)
        assert b"\n" not in middle
        data = GOOD_BEFORE.encode() + b"\n" + middle + b"\n" + GOOD_AFTER.encode() + b"\n"
        result = invoke(["classify", "--input-format", "jsonl", "--format", "jsonl", "--include-text"], data)
        out = jsonl_records(result)
        assert len(out) == 3, result.output[:500]
        check_record(out[0], ok("resume"), "line 1")
        check_record(out[2], ok("technical"), "line 3")
        assert (out[0]["id"], out[2]["id"]) == ("before", "after")
        check_record(out[1], exp, "line 2")
        unparsed = row.text is None or exp is LONG_LINE      # no id can be read from the line
        assert out[1]["id"] == (None if unparsed else "row")
        assert result.exit_code == (1 if isinstance(exp, Err) else 0)
    elif entry == "batch":
        path = tmp_path / "row.txt"
        path.write_bytes(row.raw)
        result = invoke(["batch", path, "--format", "jsonl", "--include-text"])
        (record,) = jsonl_records(result)
        assert (record["id"], record["source"]) == (str(path), str(path))
        check_record(record, exp, entry)
        assert result.exit_code == (1 if isinstance(exp, Err) else 0)


# === JSONL_ROWS ================================================================================

def _line(record) -> bytes:
    return json.dumps(record).encode("ascii")


@dataclass
class JsonlRow:
    name: str
    lines: list[bytes]
    expect: list                          # one Ok | Err per line
    xfail: dict = field(default_factory=dict)
    ids: list | None = None               # the output ids, the same from both commands
    raw: bytes | None = None              # the whole input, when not lines joined by "\n"


JSONL_ROWS = [
    JsonlRow("lone_surrogate_in_id",
             [_line({"id": "a", "text": RESUME}), _line({"id": "\ud800", "text": TECH}),
              _line({"id": "c", "text": INTERVIEW})],
             [ok("resume"), ok("technical"), ok("interview")]),
    JsonlRow("deeply_nested_json_line",
             [_line({"id": "a", "text": RESUME}), b"[" * 40_000 + b"]" * 40_000, _line({"id": "c", "text": TECH})],
             [ok("resume"), Err("not valid JSON"), ok("technical")]),
    JsonlRow("bom_before_first_line",
             [b"\xef\xbb\xbf" + _line({"id": "a", "text": RESUME}), _line({"id": "b", "text": TECH})],
             [ok("resume"), ok("technical")]),
    # round two: one bad line never ends the run, and both commands read JSONL alike
    JsonlRow("five_thousand_digit_number",
             [_line({"id": "a", "text": RESUME}), b'{"id": "b", "n": ' + b"7" * 5000 + b', "text": "x"}',
              _line({"id": "c", "text": TECH})],
             [ok("resume"), Err("line 2 is not valid JSON (Exceeds the limit"), ok("technical")], ids=["a", None, "c"]),
    JsonlRow("nan_in_a_line",
             [_line({"id": "a", "text": RESUME}), b'{"id": "b", "score": NaN, "text": "x"}',
              _line({"id": "c", "text": TECH})],
             [ok("resume"), Err("line 2 is not valid JSON (it holds NaN"), ok("technical")]),
    JsonlRow("infinity_in_a_line",
             [b'{"id": "a", "score": -Infinity, "text": "x"}', _line({"id": "b", "text": TECH})],
             [Err("line 1 is not valid JSON (it holds -Infinity"), ok("technical")]),
    JsonlRow("object_100000_deep",
             [_line({"id": "a", "text": RESUME}), b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
              _line({"id": "c", "text": TECH})],
             [ok("resume"), LONG_LINE, ok("technical")]),
    JsonlRow("array_5000_deep_within_the_line_limit",
             [_line({"id": "a", "text": RESUME}), b'{"text": "x", "deep": ' + b"[" * 5000 + b"]" * 5000 + b"}",
              _line({"id": "c", "text": TECH})],
             [ok("resume"), Err("line 2 is not valid JSON (nested more than 200 levels deep)"), ok("technical")]),
    JsonlRow("invalid_utf8_in_one_line",
             [_line({"id": "a", "text": RESUME}), b'{"id": "b", "text": "caf\xe9 \xff"}',
              _line({"id": "c", "text": TECH})],
             [ok("resume"), Err("line 2 is not valid UTF-8 (bad byte at position 24)"), ok("technical")]),
    JsonlRow("blank_line_in_the_middle",
             [_line({"id": "a", "text": RESUME}), b"   ", _line({"id": "c", "text": TECH})],
             [ok("resume"), Err("line 2 is empty"), ok("technical")]),
    JsonlRow("no_newline_after_the_last_line", [], [ok("resume"), ok("technical")], ids=["a", "b"],
             raw=_line({"id": "a", "text": RESUME}) + b"\n" + _line({"id": "b", "text": TECH})),
    JsonlRow("crlf_line_ends", [], [ok("resume"), ok("technical")], ids=["a", "b"],
             raw=_line({"id": "a", "text": RESUME}) + b"\r\n" + _line({"id": "b", "text": TECH}) + b"\r\n"),
    JsonlRow("bom_on_a_later_line_is_an_error",
             [_line({"id": "a", "text": RESUME}), b"\xef\xbb\xbf" + _line({"id": "b", "text": TECH})],
             [ok("resume"), Err("line 2 is not valid JSON")]),
    JsonlRow("ids_of_every_type",
             [_line({"id": 7, "text": RESUME}), _line({"id": True, "text": RESUME}),
              _line({"id": {"k": 1}, "text": RESUME}), _line({"text": RESUME}), _line({"id": None, "text": RESUME})],
             [ok("resume")] * 5, ids=[7, "true", '{"k": 1}', None, None]),
]


def _jsonl_cases():
    for row in JSONL_ROWS:
        for entry in ("classify", "batch"):
            marks = [pytest.mark.xfail(strict=True, reason=row.xfail[entry])] if entry in row.xfail else []
            yield pytest.param(row, entry, id=f"{row.name}-{entry}", marks=marks)


@pytest.mark.parametrize("row, entry", list(_jsonl_cases()))
def test_jsonl_row(row, entry, tmp_path):
    path = tmp_path / "input.jsonl"
    path.write_bytes(row.raw if row.raw is not None else b"\n".join(row.lines) + b"\n")
    if entry == "classify":
        result = invoke(["classify", "--input-format", "jsonl", "--format", "jsonl", path])
    else:
        result = invoke(["batch", path, "--format", "jsonl"])
    out = jsonl_records(result)
    assert len(out) == len(row.expect), result.output[:500]
    for number, (record, exp) in enumerate(zip(out, row.expect), 1):
        check_record(record, exp, f"line {number}")
    if row.ids is not None:
        assert [record["id"] for record in out] == row.ids
    assert result.exit_code == (1 if any(isinstance(e, Err) for e in row.expect) else 0)


# === EMAIL_ROWS ================================================================================



def email(body, subtype="plain", message_id=None, subject="Your application", **params):
    msg = EmailMessage()
    msg["From"] = "Ann Recruiter <ann@example.com>"
    msg["To"] = "bob@example.org"
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(body, subtype=subtype, **params)
    return msg


def raw_email(headers: list[str], body: bytes) -> bytes:
    head = ["From: Ann Recruiter <ann@example.com>", "To: bob@example.org", "MIME-Version: 1.0", *headers]
    if not any(h.startswith("Subject:") for h in headers):
        head.append("Subject: Your application")
    return ("\n".join(head) + "\n\n").encode("ascii") + body




def multipart_alternative():
    msg = email(RESUME)
    msg.add_alternative(f"<p>{TECH}</p>", subtype="html")       # plain wins: no technical gap
    return msg.as_bytes()


def nested_with_attachments():
    msg = email(INTERVIEW + "\n\nKind regards,\nAnn")
    msg.add_alternative(f"<p>{INTERVIEW}</p>", subtype="html")
    msg.add_attachment(b"%PDF-1.4 binary", maintype="application", subtype="pdf", filename="cv.pdf")
    msg.add_attachment(RESUME, filename="notes.txt")                  # an attachment, not the body
    msg.add_attachment(b"\x89PNG\r\n\x1a\n\x00", maintype="image", subtype="png", filename="logo.png")
    msg.add_attachment(email(TECH))                                    # message/rfc822
    return msg.as_bytes()


HTML_HIDDEN = (
    "<html><head><title>Your CV had several typos</title></head><body>"
    f'<div style="display:none">{RESUME}</div>'
    f"<p hidden>{TECH}</p>"
    f'<span style="visibility: hidden">{INTERVIEW}</span>'
    f'<table><tr><td style="DISPLAY : NONE !important">Your CV was far too long.</td></tr></table>'
    f"<p>{NO_GAP}</p></body></html>"
)
HTML_PREHEADER = (   # the usual e-mail preheader: invisible without display:none
    '<html><body><div style="font-size:0;line-height:0;max-height:0;overflow:hidden;opacity:0;'
    f'mso-hide:all">{RESUME}</div><p>{NO_GAP}</p></body></html>'
)


def html_email(html: str) -> bytes:
    return raw_email(["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: 8bit"],
                     html.encode("utf-8") + b"\n")


def plain_email(body: bytes, charset: str, cte: str = "8bit", headers=()) -> bytes:
    return raw_email([*headers, f"Content-Type: text/plain; charset={charset}",
                      f"Content-Transfer-Encoding: {cte}"], body)


def reply_quoting_candidate():
    body = ("Hi Sam,\n\nThank you for your time. We have decided to proceed with other candidates.\n\n"
            "Best,\nImogen\n\nOn Mon, 9 Mar 2026 at 17:40, Sam Whitlock <sam@example.org> wrote:\n"
            f"> Hi Imogen, any news? I know my CV had several typos and {TECH.lower()}\n> Thanks, Sam\n")
    return email(body, message_id="<reply@x>").as_bytes()


def outlook_forward():
    body = (f"Sam, see the panel\u2019s notes below \u2013 they were kind. {TECH}\n\n"
            "Regards,\nCraig\n\n________________________________\n"
            "From: Hiring Panel <panel@example.com>\nSent: Tuesday, February 17, 2026 4:12 PM\n"
            "To: Craig Lewis <craig@example.com>\nSubject: Data Analyst\n\nThanks all, notes attached.\n")
    import quopri
    return raw_email(["Subject: FW: Data Analyst", 'Content-Type: text/plain; charset="windows-1252"',
                      "Content-Transfer-Encoding: quoted-printable"], quopri.encodestring(body.encode("cp1252")))


def mbox_with_from_body_line():
    first = (b"From: Ann <ann@example.com>\nMessage-ID: <m1@x>\nSubject: Feedback\n\nHi Bob,\n\n"
             b"From my side: your SQL test score was below our bar.\n\n"
             b"From 2019 to 2021 you led a team, which helped.\n")
    second = email(INTERVIEW, message_id="<m2@x>").as_bytes()
    return FROM_LINE + first + b"\n" + FROM_LINE + second + b"\n"


def truncated():
    msg = email("Body.", message_id="<cut@x>")
    msg.add_attachment(b"%PDF" * 100, maintype="application", subtype="pdf", filename="cv.pdf")
    data = msg.as_bytes()
    return data[: len(data) * 2 // 3]


def deep_multipart(depth):
    out = [b"From: a@example.com\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n"]
    for level in range(1, depth):
        out.append(b"--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n" % (level - 1, level))
    out.append(b"--b%d\nContent-Type: text/plain\n\n%s\n" % (depth - 1, TECH.encode()))
    out.extend(b"--b%d--\n" % level for level in range(depth - 1, -1, -1))
    return b"".join(out)


def many_parts(n):
    parts = b"".join(b"--b\nContent-Type: text/plain\n\npart %d\n" % i for i in range(n))
    return b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n" + parts + b"--b--\n"


def maildir(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "new" / "1700000001.M1.host").write_bytes(email(RESUME).as_bytes())
    (root / "cur" / "1700000002.M2.host:2,S").write_bytes(email(INTERVIEW, message_id="<k2@x>").as_bytes())
    (root / "new" / "1700000003.M3.host").write_bytes(b"\x00\x01\x02 this is not an email \xff" * 10)
    return root


@dataclass
class EmailRow:
    name: str
    filename: str                  # "" for a Maildir folder
    build: object                  # () -> bytes, or (folder) -> Path for a Maildir
    expect: list                   # one Ok | Err per message, in order
    xfail: dict = field(default_factory=dict)



EMAIL_ROWS = [
    EmailRow("multipart_alternative", "alt.eml", multipart_alternative, [ok("resume", text_lacks=("SQL",))]),
    EmailRow("html_only", "html.eml", lambda: html_email(f"<html><body><p>Dear Alex,</p><p>{TECH}</p></body></html>"),
             [ok("technical", text_has=("Dear Alex,\n\n" + TECH,))]),
    # the attached notes.txt and the forwarded message are read; the PDF and PNG are listed
    EmailRow("nested_multipart_with_attachments", "nested.eml", nested_with_attachments,
             [ok("interview", "resume", "technical", text_lacks=("PDF",),
                 unread=("cv.pdf (application/pdf)", "logo.png (image/png)"))]),
    EmailRow("iso_8859_1_body", "latin1.eml",
             lambda: plain_email(("Dear Zo\u00eb,\n\n" + RESUME.replace("CV", "r\u00e9sum\u00e9") + "\n")
                                 .encode("latin-1"), "iso-8859-1"),
             [ok("resume", text_has=("Zo\u00eb", "r\u00e9sum\u00e9"))]),
    EmailRow("windows_1252_body", "cp1252.eml",
             lambda: plain_email(CP1252.encode("cp1252") + b"\n", "windows-1252"),
             [ok("resume", text_has=("\u201ctypos\u201d \u2013",))]),
    EmailRow("unknown_charset", "unknown.eml",
             lambda: plain_email(f"{RESUME} Gr\u00fc\u00dfe\n".encode("utf-8"), "x-no-such-charset"),
             [ok("resume", text_has=("Gr\u00fc\u00dfe",))]),
    EmailRow("broken_base64", "b64.eml", lambda: plain_email(b"QUJDR\n", "utf-8", "base64"),
             [Err("the text part has broken base64 encoding and cannot be decoded")]),
    EmailRow("base64_bad_padding", "b64pad.eml",
             lambda: plain_email(base64.b64encode(RESUME.encode())[:-2] + b"\n", "utf-8", "base64"),
             [ok("resume")]),
    EmailRow("rfc2047_subject", "subject.eml",
             lambda: plain_email(RESUME.encode() + b"\n", "utf-8",
                                 headers=["Subject: =?UTF-8?B?UmU6IEJld2VyYnVuZyDigJMgRmVlZGJhY2s=?="]),
             [ok("resume", subject="Re: Bewerbung \u2013 Feedback")]),
    EmailRow("reply_quoting_the_candidate", "reply.eml", reply_quoting_candidate,
             [ok(text_lacks=("typos", "SQL"), text_has=("proceed with other candidates",))]),
    EmailRow("outlook_style_forward", "fw.eml", outlook_forward,
             [ok("technical", text_has=("panel\u2019s notes below \u2013",), text_lacks=("Sent:", "Hiring Panel"))]),
    EmailRow("mbox_body_line_starting_from", "box.mbox", mbox_with_from_body_line,
             [ok("technical", text_has=("From my side:", "From 2019 to 2021")), ok("interview")]),
    EmailRow("empty_mbox", "empty.mbox", lambda: b"", []),
    EmailRow("maildir_with_a_non_email_file", "", maildir,
             [ok("resume"), ok("interview"), Err("not an email: the file holds binary data")]),
    EmailRow("truncated_file", "cut.eml", truncated,
             [Err("the email looks truncated or malformed: a MIME boundary is missing")]),
    EmailRow("binary_file_named_eml", "photo.eml",
             lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
             [Err("holds binary data")]),     # "not an email: the file / the input holds ..."
    EmailRow("thousand_deep_multipart", "deep.eml", lambda: deep_multipart(1000),
             [Err("the email's MIME parts are nested more than 20 levels deep")]),
    EmailRow("ten_thousand_mime_parts", "many.eml", lambda: many_parts(10_000),
             [Err("the email has more than 200 MIME parts")]),
    EmailRow("html_hidden_text", "hidden.eml", lambda: html_email(HTML_HIDDEN),
             [ok(text_has=(NO_GAP,), text_lacks=("typos", "SQL", "rambled", "too long"))]),
    EmailRow("html_preheader_hidden_by_size", "preheader.eml", lambda: html_email(HTML_PREHEADER),
             [ok(text_has=(NO_GAP,), text_lacks=("typos",))]),
    EmailRow("html_100000_deep", "deephtml.eml",
             lambda: html_email("<html><body>" + "<div>" * 100_000 + f"<p>{TECH}</p>" + "</div>" * 100_000),
             [ok("technical", text_has=(TECH,))]),
    EmailRow("html_unclosed", "unclosed.eml",
             lambda: html_email(f"<html><body><p>{TECH}<div><span><b>" + "<div><i><table><tr><td>" * 20_000
                                + f"<!-- a comment never closed {RESUME}<a href=\"x"),
             [ok("technical", text_lacks=("typos",))]),
]


def _email_cases():
    for row in EMAIL_ROWS:
        entries = ("batch", "batch_stdin") if row.filename else ("batch",)
        for entry in entries:
            marks = [pytest.mark.xfail(strict=True, reason=row.xfail[entry])] if entry in row.xfail else []
            yield pytest.param(row, entry, id=f"{row.name}-{entry}", marks=marks)


@pytest.mark.parametrize("row, entry", list(_email_cases()))
def test_email_row(row, entry, tmp_path):
    if row.filename:
        data = row.build()
        path = tmp_path / row.filename
        path.write_bytes(data)
    else:
        path = row.build(tmp_path / "Maildir")
    if entry == "batch":
        result = invoke(["batch", path, "--format", "jsonl", "--include-text"])
    else:
        result = invoke(["batch", "-", "--format", "jsonl", "--include-text"], data)
    out = jsonl_records(result)
    assert len(out) == len(row.expect), result.output[:1000]
    for number, (record, exp) in enumerate(zip(out, row.expect), 1):
        check_record(record, exp, f"message {number}")
    assert result.exit_code == (1 if any(isinstance(e, Err) for e in row.expect) else 0)
    assert result.stderr.count("\n") <= 1      # the summary line, nothing else


# === CONFIG_ROWS ================================================================================

YAML_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")]
) + "\n"


def rules_with(tmp_path, name, content):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / name).write_text(content, encoding="utf-8")
    return folder


def yaml_bomb_rules(tmp_path):
    return {"rules": rules_with(tmp_path, "gaps.rules", YAML_BOMB)}


ACTIONS_BOMB_LINE = (RULES / "actions.rules").read_text(encoding="utf-8").splitlines().index("[resume]") + 2


def yaml_bomb_in_a_section(tmp_path):
    actions = (RULES / "actions.rules").read_text(encoding="utf-8").replace("[resume]", "[resume]\n" + YAML_BOMB, 1)
    return {"rules": rules_with(tmp_path, "actions.rules", actions)}


def model_copy(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    for name in ("default.card.json", "default.joblib"):
        shutil.copy(MODELS / name, folder / name)
    return folder


def tampered_model(tmp_path):
    folder = model_copy(tmp_path)
    path = folder / "default.joblib"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return {"model": folder}


def wrong_version_model(tmp_path):
    folder = model_copy(tmp_path)
    card_path = folder / "default.card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["library_versions"]["numpy"] = "1.0.0"
    card_path.write_text(json.dumps(card, indent=2), encoding="utf-8")
    return {"model": folder}


@dataclass(frozen=True)
class Warned:
    """A one-line warning containing `warning`, and a result."""

    warning: str
    result: Ok


CONFIG_ROWS = [
    ("yaml_bomb_as_rules_file", yaml_bomb_rules, Err("gaps.rules:1: entry before any [section] header")),
    ("yaml_bomb_inside_a_rules_section", yaml_bomb_in_a_section,
     Err(f"actions.rules:{ACTIONS_BOMB_LINE}: unknown key 'a'; expected 'title' or 'action'")),
    ("tampered_model", tampered_model,
     Err("model file default.joblib does not match the SHA-256 in its card")),
    ("wrong_version_model", wrong_version_model,
     Warned("model default.card.json was trained with numpy 1.0.0", ok("resume"))),
]


def _config_cases():
    for name, build, exp in CONFIG_ROWS:
        for entry in ("classify", "batch", "api"):
            yield pytest.param(build, entry, exp, id=f"{name}-{entry}")


@pytest.mark.parametrize("build, entry, exp", list(_config_cases()))
def test_config_row(build, entry, exp, tmp_path):
    paths = build(tmp_path)
    if "rules" in paths:      # the "file:line" of the expected error is a line of the bomb
        filename, lineno = exp.text.split(": ", 1)[0].split(":")
        assert (paths["rules"] / filename).read_text().splitlines()[int(lineno) - 1].startswith("a: &a [")
    if entry == "api":
        kwargs = {"model_path": paths.get("model"), "rules_path": paths.get("rules")}
        with Timer(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                outcome = gapfinder.load(**kwargs)
            except gapfinder.GapfinderError as exc:
                outcome = exc
        if isinstance(exp, Err):
            expected_type = gapfinder.RuleError if "rules" in paths else gapfinder.ModelError
            assert isinstance(outcome, expected_type), repr(outcome)
            assert exp.text in str(outcome) and "\n" not in str(outcome)
            return
        messages = [str(w.message) for w in caught]
        assert len(messages) == 1 and exp.warning in messages[0], messages
        check_analysis(outcome.analyze(RESUME), exp.result)
        return
    options = []
    for key, value in paths.items():
        options += [f"--{key}", value]
    text_file = tmp_path / "feedback.txt"
    text_file.write_text(RESUME, encoding="utf-8")
    if entry == "classify":
        result = invoke(["classify", text_file, "--format", "jsonl", *options])
    else:
        result = invoke(["batch", text_file, "--format", "jsonl", "--quiet", *options])
    if isinstance(exp, Err):
        one_line_error(result, exp.text)
        return
    assert result.exit_code == 0, result.output
    (record,) = jsonl_records(result)
    check_record(record, exp.result, entry)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ") and exp.warning in lines[0], result.stderr


# === PROCESS_ROWS ===============================================================================

GAPFINDER = [sys.executable, "-m", "gapfinder"]


def process_invalid_utf8(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Your CV had several typos \xff\xfe and more.")
    return ["classify", str(path), "--format", "jsonl"], None


def process_only_nul(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"\x00" * 1000)
    return ["classify", str(path), "--format", "jsonl"], None


def process_tampered_model(tmp_path):
    folder = tampered_model(tmp_path)["model"]
    return ["classify", RESUME, "--format", "jsonl", "--model", str(folder)], None


def process_surrogate_id(tmp_path):
    data = b"\n".join([_line({"id": "a", "text": RESUME}), _line({"id": "\ud800", "text": TECH}),
                       _line({"id": "c", "text": INTERVIEW})]) + b"\n"
    return ["classify", "--input-format", "jsonl", "--format", "jsonl"], data


PROCESS_ROWS = [
    pytest.param(process_invalid_utf8, Err("is not valid UTF-8 text (bad byte at position 26)"), id="invalid_utf8"),
    pytest.param(process_only_nul, Err("looks like binary data, not text"), id="only_nul_bytes"),
    pytest.param(process_tampered_model, Err("does not match the SHA-256 in its card"), id="tampered_model"),
    pytest.param(process_surrogate_id, [ok("resume"), ok("technical"), ok("interview")], id="lone_surrogate_in_id"),
]


@pytest.mark.parametrize("build, exp", PROCESS_ROWS)
def test_process_row(build, exp, tmp_path):
    args, data = build(tmp_path)
    with Timer():
        proc = subprocess.run(GAPFINDER + args, input=data, capture_output=True, timeout=ROW_SECONDS * 2,
                              cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    stdout, stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    if isinstance(exp, Err):
        assert proc.returncode == 1 and stdout == ""
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and exp.text in lines[0], stderr
        return
    out = [json.loads(line) for line in stdout.splitlines()]
    assert len(out) == len(exp), stdout + stderr
    for number, (record, e) in enumerate(zip(out, exp), 1):
        check_record(record, e, f"line {number}")
    assert proc.returncode == 0, stderr


# === ROUND TWO (issue 10) ========================================================================
# One table per class of fault. Each row is a small function taking tmp_path that runs one
# bad input through the CLI (CliRunner, or a subprocess where real file descriptors, signals
# or memory matter) and checks the outcome; every row is bounded by ROW_SECONDS.

import io
import os
import signal
import socket
import stat
import threading


def fifo(tmp_path, name: str, data: bytes | None) -> Path:
    """A FIFO at tmp_path/name; a daemon thread writes `data` into it once a reader opens it
    (None: nobody writes, so an open for reading would block)."""
    path = tmp_path / name
    os.mkfifo(path)
    if data is not None:
        def feed():
            try:
                with open(path, "wb") as fh:
                    fh.write(data)
            except OSError:
                pass
        threading.Thread(target=feed, daemon=True).start()
    return path


def release(path: Path) -> None:
    """Unblock a feeder still waiting for a reader of its FIFO (the code under test did not read it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


def gapfinder_process(args, stdin=None, input_bytes=None, timeout=ROW_SECONDS * 2, stdout=subprocess.PIPE, env=None):
    """Run gapfinder in a subprocess; return (returncode, stdout, stderr, peak RSS in MB, seconds)."""
    started = time.perf_counter()
    proc = subprocess.Popen(GAPFINDER + [str(a) for a in args], stdin=stdin if stdin is not None else subprocess.PIPE,
                            stdout=stdout, stderr=subprocess.PIPE, env=env or _ENV, cwd=ROOT / "tests")
    out, err = proc.communicate(input_bytes, timeout=timeout)
    seconds = time.perf_counter() - started
    return proc.returncode, (out or b"").decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds


_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}


def one_error_line(stderr: str, text: str):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and text in lines[0], stderr
    assert "Traceback" not in stderr


# --- SPECIAL_ROWS: FIFOs, /dev/fd/N, devices, sockets, mistyped paths --------------------------------

def special_fifo_text_classify(tmp_path):
    path = fifo(tmp_path, "pipe", RESUME.encode())
    result = invoke(["classify", path, "--format", "jsonl"])
    (record,) = jsonl_records(result)
    check_record(record, ok("resume"), "fifo")


def special_fifo_email_classify(tmp_path):
    path = fifo(tmp_path, "pipe", email(TECH, subject="Data role").as_bytes())
    result = invoke(["classify", path, "--format", "jsonl", "--include-text"])
    (record,) = jsonl_records(result)
    check_record(record, ok("technical", text_lacks=("Subject:",), subject="Data role"), "fifo email")


def special_fifo_mbox_batch(tmp_path):
    from .conftest import mbox_bytes
    path = fifo(tmp_path, "box", mbox_bytes(email(RESUME).as_bytes(), email(INTERVIEW).as_bytes()))
    out = jsonl_records(invoke(["batch", path, "--format", "jsonl", "-q"]))
    assert [r["source"] for r in out] == [f"{path}#1", f"{path}#2"]
    check_record(out[0], ok("resume"), "1")
    check_record(out[1], ok("interview"), "2")


def special_fifo_jsonl_batch(tmp_path):
    path = fifo(tmp_path, "lines", (GOOD_BEFORE + "\n" + GOOD_AFTER + "\n").encode())
    out = jsonl_records(invoke(["batch", path, "--format", "jsonl", "-q"]))
    assert [r["id"] for r in out] == ["before", "after"]


def special_fifo_jsonl_classify(tmp_path):
    path = fifo(tmp_path, "lines", (GOOD_BEFORE + "\n" + GOOD_AFTER + "\n").encode())
    out = jsonl_records(invoke(["classify", "--input-format", "jsonl", path]))
    assert [r["id"] for r in out] == ["before", "after"]


def special_dev_zero_classify(tmp_path):
    one_line_error(invoke(["classify", "/dev/zero"]), "cannot read /dev/zero: it is a character device")


def special_dev_null_classify(tmp_path):
    one_line_error(invoke(["classify", "/dev/null"]), "it is a character device")


def special_dev_zero_batch(tmp_path):
    result = invoke(["batch", "/dev/zero", "--format", "jsonl", "-q"])
    (record,) = jsonl_records(result)
    check_record(record, Err("cannot read /dev/zero: it is a character device"), "batch")
    assert result.exit_code == 1


def special_mistyped_word(tmp_path):
    one_line_error(invoke(["classify", "notes-typo"]), "no such file: notes-typo (to analyse these words as text")


def special_missing_pdf(tmp_path):
    one_line_error(invoke(["classify", "rejection.pdf"]), "no such file: rejection.pdf")


def special_missing_path_with_space(tmp_path):
    one_line_error(invoke(["classify", "./my notes.txt"]), "no such file: ./my notes.txt")


def special_text_is_still_text(tmp_path):
    result = invoke(["classify", RESUME, "--format", "jsonl"])
    check_record(jsonl_records(result)[0], ok("resume"), "text")


def special_folder_with_fifo_socket_and_device_link(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.eml").write_bytes(email(RESUME).as_bytes())
    waiting = fifo(folder, "b.eml", None)               # nobody writes: opening it would hang
    (folder / "c.eml").symlink_to("/dev/zero")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "d.sock"))
    (folder / "e.eml").write_bytes(email(INTERVIEW).as_bytes())
    (folder / "f.eml").symlink_to(folder / "nothing-here")
    try:
        result = invoke(["batch", folder, "--format", "jsonl", "-q"])
    finally:
        sock.close()
        release(waiting)
    out = jsonl_records(result)
    assert len(out) == 6
    check_record(out[0], ok("resume"), "a")
    check_record(out[1], Err("skipped"), "b")
    assert "a FIFO (named pipe), not a regular file" in out[1]["error"]
    assert "a character device" in out[2]["error"] and "a socket" in out[3]["error"]
    check_record(out[4], ok("interview"), "e")
    assert "a link to nothing" in out[5]["error"]


def special_maildir_with_a_fifo(tmp_path):
    root = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "new" / "1.M1.host").write_bytes(email(RESUME).as_bytes())
    waiting = fifo(root / "new", "2.M2.host", None)
    try:
        out = jsonl_records(invoke(["batch", root, "--format", "jsonl", "-q"]))
    finally:
        release(waiting)
    check_record(out[0], ok("resume"), "1")
    check_record(out[1], Err("a FIFO (named pipe), not a regular file"), "2")


def special_process_substitution(tmp_path):
    command = (f"{sys.executable} -m gapfinder classify --format jsonl <(printf '%s' {json.dumps(RESUME)}) && "
               f"{sys.executable} -m gapfinder batch --format jsonl -q <(printf '%s\\n' '{GOOD_BEFORE}')")
    proc = subprocess.run(["bash", "-c", command], capture_output=True, timeout=ROW_SECONDS * 2, env=_ENV,
                          cwd=ROOT / "tests")
    assert proc.returncode == 0, proc.stderr
    first, second = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    check_record(first, ok("resume"), "classify <(...)")
    assert second["id"] == "before" and second["source"].startswith("/dev/fd/")


def _slow(*rows, seconds=ROW_SECONDS * 3):
    """Rows that start gapfinder in a subprocess (or two) get a longer bound and the slow mark."""
    for row in rows:
        row.seconds = seconds


_slow(special_process_substitution)

SPECIAL_ROWS = [special_fifo_text_classify, special_fifo_email_classify, special_fifo_mbox_batch,
                special_fifo_jsonl_batch, special_fifo_jsonl_classify, special_dev_zero_classify,
                special_dev_null_classify, special_dev_zero_batch, special_mistyped_word, special_missing_pdf,
                special_missing_path_with_space, special_text_is_still_text,
                special_folder_with_fifo_socket_and_device_link, special_maildir_with_a_fifo,
                special_process_substitution]


# --- BOUNDED_ROWS: every read capped while reading ---------------------------------------------------

def _endless(proc, chunk: bytes, cap_bytes: int):
    """Feed `chunk` to proc's stdin until it stops reading or cap_bytes went in (bounded)."""
    sent = 0
    try:
        while sent < cap_bytes:
            proc.stdin.write(chunk)
            sent += len(chunk)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    return sent


def run_endless(args, chunk: bytes, cap_bytes: int = 600 << 20):
    """gapfinder with an endless stdin (bounded at cap_bytes); (rc, stdout, stderr, MB fed, peak RSS MB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(GAPFINDER + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_ENV, cwd=ROOT / "tests")
    results = {}

    def collect():
        results["out"] = proc.stdout.read()
        results["err"] = proc.stderr.read()

    def watch():
        # The child's own high-water mark (VmHWM): ru_maxrss from wait4 also counts the
        # memory of the forked test process before exec, which grows over the suite.
        status_file = f"/proc/{proc.pid}/status"
        while True:  # until the process is gone or a zombie (no VmHWM line); never reaps it
            try:
                with open(status_file) as fh:
                    hwm = [line for line in fh if line.startswith("VmHWM:")]
            except OSError:
                return
            if not hwm:
                return
            results["hwm_kb"] = int(hwm[0].split()[1])
            time.sleep(0.02)

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    fed = _endless(proc, chunk, cap_bytes)
    _, status, usage = os.wait4(proc.pid, 0)
    reader.join(ROW_SECONDS)
    watcher.join(ROW_SECONDS)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    assert seconds < ROW_SECONDS * 2, f"took {seconds:.1f} s"
    assert fed < cap_bytes, "gapfinder read all the bounded input: it did not stop by itself"
    peak_mb = results.get("hwm_kb", usage.ru_maxrss) / 1024
    assert peak_mb < 300, f"peak RSS {peak_mb:.0f} MB"
    return proc.returncode, results["out"].decode(), results["err"].decode()


class EndlessInput(io.RawIOBase):
    """A stdin that repeats `chunk` until `cap` bytes were read (so a test cannot hang),
    counting what was read: a reader that stops by itself reads far less than cap."""

    def __init__(self, chunk: bytes, cap: int = 600 << 20, head: bytes = b""):
        self.chunk, self.cap, self.head, self.given = chunk, cap, head, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.given >= self.cap:
            return 0
        source = self.head if self.given < len(self.head) else self.chunk
        offset = self.given if source is self.head else (self.given - len(self.head)) % len(self.chunk)
        piece = source[offset:offset + len(buffer)]
        buffer[:len(piece)] = piece
        self.given += len(piece)
        return len(piece)


def invoke_endless(args, stream: EndlessInput):
    result = invoke(args, io.BufferedReader(stream, 1 << 16))
    assert stream.given < stream.cap // 2, f"read {stream.given:,} bytes: it did not stop by itself"
    return result


def bounded_classify_dev_zero_stdin(tmp_path):
    with open("/dev/zero", "rb") as zero:
        rc, out, err, seconds = gapfinder_process(["classify"], stdin=zero)
    assert rc == 1 and out == "" and seconds < ROW_SECONDS * 2
    one_error_line(err, "the input looks like binary data, not text")


def bounded_batch_zeros_on_stdin(tmp_path):
    result = invoke_endless(["batch", "-", "--format", "jsonl", "-q"], EndlessInput(b"\x00" * 65536))
    (record,) = jsonl_records(result)
    assert result.exit_code == 1 and record["error"] == "not an email: the input holds binary data"


def bounded_classify_endless_text(tmp_path):
    rc, out, err = run_endless(["classify"], (RESUME + " ").encode() * 1000)
    assert rc == 1
    one_error_line(err, "the text is more than 1,000,000 bytes, over the limit")


def bounded_batch_endless_email(tmp_path):
    stream = EndlessInput(b"Your CV had typos.\n" * 5000, head=b"From: a@example.com\nSubject: x\n\n")
    (record,) = jsonl_records(invoke_endless(["batch", "-", "--format", "jsonl", "-q"], stream))
    assert "the email is more than 10,000,000 bytes" in record["error"]


def bounded_batch_endless_jsonl_line(tmp_path):
    rc, out, err = run_endless(["batch", "-", "--format", "jsonl", "-q"], b'{"text": "' + b"a" * 65536)
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert rc == 1 and "line 1 is longer than the limit" in record["error"] and "stopped reading -" in record["error"]


def bounded_classify_endless_jsonl_line(tmp_path):
    stream = EndlessInput(b"a" * 65536, head=b'{"text": "')
    result = invoke_endless(["classify", "--input-format", "jsonl"], stream)
    (record,) = jsonl_records(result)
    assert result.exit_code == 1 and "stopped reading -: no line break in 67,108,864 bytes" in record["error"]


def bounded_batch_endless_mbox_message(tmp_path):
    stream = EndlessInput(b"x" * 65535 + b"\n", head=FROM_LINE)
    out = jsonl_records(invoke_endless(["batch", "-", "--format", "jsonl", "-q"], stream))
    assert "over the limit" in out[0]["error"] and out[-1]["error"] == "stopped reading -: no next message in 67,108,864 bytes"


def bounded_sparse_rule_file(tmp_path):
    folder = rules_with(tmp_path, "cues.rules", "")
    with open(folder / "cues.rules", "wb") as fh:
        fh.truncate(1_500_000_000)                  # 1.5 GB, no blocks on disk
    one_line_error(invoke(["classify", RESUME, "--rules", folder]),
                   "cues.rules:0: rule file is 1,500,000,000 bytes, larger than the limit")


def bounded_rule_file_is_a_fifo(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / "gaps.rules").unlink()
    waiting = fifo(folder, "gaps.rules", None)
    try:
        one_line_error(invoke(["classify", RESUME, "--rules", folder]),
                       "gaps.rules:0: the rule file is a FIFO (named pipe), not a regular file")
    finally:
        release(waiting)


def bounded_sparse_model_card(tmp_path):
    folder = model_copy(tmp_path)
    with open(folder / "default.card.json", "wb") as fh:
        fh.truncate(5_000_000_000)
    one_line_error(invoke(["classify", RESUME, "--model", folder]), "default.card.json: the model card is 5,000,000,000 bytes")


def bounded_sparse_model_file(tmp_path):
    folder = model_copy(tmp_path)
    with open(folder / "default.joblib", "wb") as fh:
        fh.truncate(3_000_000_000)
    one_line_error(invoke(["classify", RESUME, "--model", folder]), "default.joblib: the model file is 3,000,000,000 bytes")


def bounded_sparse_text_in_a_folder(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    with open(folder / "huge.txt", "wb") as fh:
        fh.truncate(4_000_000_000)
    (folder / "small.txt").write_text(RESUME)
    out = jsonl_records(invoke(["batch", folder, "--format", "jsonl", "-q"]))
    check_record(out[0], Err("the text is 4,000,000,000 bytes, over the limit of 1,000,000"), "huge")
    check_record(out[1], ok("resume"), "small")


def bounded_eml_over_the_email_limit(tmp_path):
    path = tmp_path / "big.eml"
    path.write_bytes(email(RESUME + "\n" + "padding line\n" * 2000).as_bytes())
    one_line_error(invoke(["classify", path, "--max-email-bytes", "5000"]), "over the limit of 5,000")


_slow(bounded_classify_dev_zero_stdin, bounded_classify_endless_text, bounded_batch_endless_jsonl_line)

BOUNDED_ROWS = [bounded_classify_dev_zero_stdin, bounded_batch_zeros_on_stdin, bounded_classify_endless_text,
                bounded_batch_endless_email, bounded_batch_endless_jsonl_line, bounded_classify_endless_jsonl_line,
                bounded_batch_endless_mbox_message, bounded_sparse_rule_file, bounded_rule_file_is_a_fifo,
                bounded_sparse_model_card, bounded_sparse_model_file, bounded_sparse_text_in_a_folder,
                bounded_eml_over_the_email_limit]


# --- OUTPUT_ROWS: -o never destroys ------------------------------------------------------------------

def _mail_folder(tmp_path, n=3) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i}.eml").write_bytes(email(RESUME).as_bytes())
    return folder


def _no_temp_files(folder: Path):
    assert not list(folder.glob(".gapfinder-*")), list(folder.iterdir())


def output_keeps_the_mode_of_a_file(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    target.chmod(0o640)
    assert invoke(["batch", _mail_folder(tmp_path), "-o", target, "-q"]).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and len(target.read_text().splitlines()) == 3


def output_new_file_gets_the_umask_mode(tmp_path):
    target = tmp_path / "new.jsonl"
    old = os.umask(0o027)
    try:
        assert invoke(["batch", _mail_folder(tmp_path), "-o", target, "-q"]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def output_through_a_symlink(tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert invoke(["batch", _mail_folder(tmp_path), "-o", link, "-q"]).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(real.read_text().splitlines()) == 3
    _no_temp_files(tmp_path)


def output_through_a_dangling_symlink(tmp_path):
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "target.jsonl")
    assert invoke(["batch", _mail_folder(tmp_path), "-o", link, "-q"]).exit_code == 0
    assert link.is_symlink() and len((tmp_path / "target.jsonl").read_text().splitlines()) == 3


def output_to_a_fifo(tmp_path):
    path = tmp_path / "out.fifo"
    os.mkfifo(path)
    got = {}

    def drain():
        with open(path, "rb") as fh:
            got["data"] = fh.read()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    assert invoke(["batch", _mail_folder(tmp_path), "-o", path, "-q"]).exit_code == 0
    reader.join(ROW_SECONDS)
    assert stat.S_ISFIFO(path.stat().st_mode) and len(got["data"].splitlines()) == 3
    _no_temp_files(tmp_path)


def output_to_dev_null(tmp_path):
    assert invoke(["batch", _mail_folder(tmp_path), "-o", "/dev/null", "-q"]).exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    _no_temp_files(Path("/dev"))


def output_to_a_folder(tmp_path):
    one_line_error(invoke(["batch", _mail_folder(tmp_path), "-o", tmp_path, "-q"]), "it is a folder")


def output_to_dev_fd(tmp_path):
    command = f"{sys.executable} -m gapfinder batch -q -o /dev/fd/3 {_mail_folder(tmp_path)} 3>&1 1>/dev/null"
    proc = subprocess.run(["bash", "-c", command], capture_output=True, timeout=ROW_SECONDS * 2, env=_ENV)
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 3, proc.stderr


def _stopped_by(sig, tmp_path, jobs=1):
    """Start a batch with -o over many messages, send `sig` once it is running."""
    from .conftest import mbox_bytes
    box = tmp_path / "big.mbox"
    box.write_bytes(mbox_bytes(email(RESUME).as_bytes()) * 1500)
    target = tmp_path / "out.jsonl"
    target.write_text("the previous run\n")
    proc = subprocess.Popen(GAPFINDER + ["batch", str(box), "-o", str(target), "-q", "--jobs", str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_ENV, cwd=tmp_path,
                            start_new_session=True)
    deadline = time.monotonic() + ROW_SECONDS * 2
    while not list(tmp_path.glob(".gapfinder-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the run ended before the signal"
    os.killpg(proc.pid, sig)          # as a terminal does: the whole process group
    out, err = proc.communicate(timeout=ROW_SECONDS * 2)
    err = err.decode()
    assert proc.returncode == 1, err
    one_error_line(err, f"stopped by {'Ctrl-C' if sig == signal.SIGINT else signal.Signals(sig).name} before the end")
    assert target.read_text() == "the previous run\n"
    _no_temp_files(tmp_path)


def output_sigterm_keeps_the_old_file(tmp_path):
    _stopped_by(signal.SIGTERM, tmp_path)


def output_sighup_keeps_the_old_file(tmp_path):
    _stopped_by(signal.SIGHUP, tmp_path)


def output_ctrl_c_with_jobs_is_one_line(tmp_path):
    _stopped_by(signal.SIGINT, tmp_path, jobs=2)


_slow(output_to_dev_fd, output_sigterm_keeps_the_old_file, output_sighup_keeps_the_old_file,
      output_ctrl_c_with_jobs_is_one_line)

OUTPUT_ROWS = [output_keeps_the_mode_of_a_file, output_new_file_gets_the_umask_mode, output_through_a_symlink,
               output_through_a_dangling_symlink, output_to_a_fifo, output_to_dev_null, output_to_a_folder,
               output_to_dev_fd, output_sigterm_keeps_the_old_file, output_sighup_keeps_the_old_file,
               output_ctrl_c_with_jobs_is_one_line]


# --- FAULT_ROWS: ordinary faults get their own line, never the catch-all -----------------------------

def _tmpfs(tmp_path, options: str) -> Path:
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()})")
    return mount


def _unmount(mount: Path):
    subprocess.run(["umount", str(mount)], capture_output=True)


def fault_disk_full_output_file(tmp_path):
    mount = _tmpfs(tmp_path, "size=12k")
    try:
        (mount / "out.jsonl").write_text("old\n")
        result = invoke(["batch", _mail_folder(tmp_path, 40), "-o", mount / "out.jsonl", "-q", "--include-text"])
        one_line_error(result, f"cannot write {mount / 'out.jsonl'}: the disk is full")
        assert (mount / "out.jsonl").read_text() == "old\n"
        _no_temp_files(mount)
    finally:
        _unmount(mount)


def fault_read_only_folder(tmp_path):
    mount = _tmpfs(tmp_path, "size=64k,ro")
    try:
        result = invoke(["batch", _mail_folder(tmp_path), "-o", mount / "out.jsonl", "-q"])
        one_line_error(result, f"cannot write {mount / 'out.jsonl'}: cannot create a file in {mount} "
                               "(it is on a read-only file system)")
    finally:
        _unmount(mount)


def fault_full_stdout(tmp_path):
    with open("/dev/full", "wb") as full:
        rc, out, err, seconds = gapfinder_process(["classify", RESUME, "--format", "jsonl"], stdout=full)
    assert rc == 1
    one_error_line(err, "cannot write standard output: the disk is full")


def fault_closed_pipe(tmp_path):
    command = (f"{sys.executable} -m gapfinder batch -q --format jsonl --include-text {_mail_folder(tmp_path, 200)}"
               " | head -c1 >/dev/null; exit ${PIPESTATUS[0]}")
    proc = subprocess.run(["bash", "-c", command], capture_output=True, timeout=ROW_SECONDS * 3, env=_ENV)
    assert proc.returncode == 1
    one_error_line(proc.stderr.decode(), "cannot write standard output: the program reading the output closed the pipe")


def fault_closed_stdout(tmp_path):
    command = f"{sys.executable} -m gapfinder classify {json.dumps(RESUME)} >&-"
    proc = subprocess.run(["bash", "-c", command], capture_output=True, timeout=ROW_SECONDS * 2, env=_ENV)
    assert proc.returncode == 1
    one_error_line(proc.stderr.decode(), "cannot write standard output")


def fault_permission_denied_output(tmp_path, monkeypatch=None):
    import tempfile as tempfile_module

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))

    with pytest.MonkeyPatch.context() as mp:       # root ignores chmod, so the refusal is simulated
        mp.setattr(tempfile_module, "mkstemp", denied)
        result = invoke(["batch", _mail_folder(tmp_path), "-o", tmp_path / "out.jsonl", "-q"])
    one_line_error(result, f"cannot write {tmp_path / 'out.jsonl'}: cannot create a file in {tmp_path} "
                           "(permission denied)")


def fault_permission_denied_input(tmp_path):
    from gapfinder.read import classify_input

    path = tmp_path / "feedback.txt"
    path.write_text(RESUME)

    def denied(name):
        raise PermissionError(13, "Permission denied", name)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(classify_input, "open_regular", denied)
        one_line_error(invoke(["classify", path]), f"cannot read {path} (Permission denied)")


def fault_missing_output_folder(tmp_path):
    result = invoke(["batch", _mail_folder(tmp_path), "-o", tmp_path / "no" / "out.jsonl", "-q"])
    one_line_error(result, "its folder does not exist")


_slow(fault_full_stdout, fault_closed_pipe, fault_closed_stdout)

FAULT_ROWS = [fault_disk_full_output_file, fault_read_only_folder, fault_full_stdout, fault_closed_pipe,
              fault_closed_stdout, fault_permission_denied_output, fault_permission_denied_input,
              fault_missing_output_folder]


# --- REGEX_ROWS: no rule pattern can backtrack catastrophically; classify has a time budget -----------

def _rules_with_pattern(tmp_path, pattern: str) -> Path:
    gaps = (RULES / "gaps.rules").read_text(encoding="utf-8").replace(
        "[technical.pattern]\n", f"[technical.pattern]\n{pattern}\n", 1)
    return rules_with(tmp_path, "gaps.rules", gaps)


def _pattern_line(folder: Path, pattern: str) -> int:
    return (folder / "gaps.rules").read_text(encoding="utf-8").splitlines().index(pattern) + 1


def _runs_fast(pattern: str, hostile: str):
    def row(tmp_path):
        folder = _rules_with_pattern(tmp_path, pattern)
        result = invoke(["classify", f"{TECH} {hostile}", "--rules", folder, "--format", "jsonl"])
        (record,) = jsonl_records(result)
        check_record(record, ok("technical"), pattern)
    row.__name__ = f"regex_linear_{pattern}"
    return row


def _refused(pattern: str, message: str):
    def row(tmp_path):
        folder = _rules_with_pattern(tmp_path, pattern)
        one_line_error(invoke(["classify", RESUME, "--rules", folder]),
                       f"gaps.rules:{_pattern_line(folder, pattern)}: {message}")
    row.__name__ = f"regex_refused_{pattern}"
    return row


def regex_classify_has_the_time_budget(tmp_path):
    from gapfinder.core.engine import Engine

    def slow(self, text):
        time.sleep(30)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Engine, "signals", slow)
        one_line_error(invoke(["classify", RESUME, "--doc-seconds", "0.3"]),
                       "analysing this text took longer than the 0.3 s budget per document")


REGEX_ROWS = [
    _runs_fast("(x|x)+y", "x" * 90_000),
    _runs_fast("(a|aa)+$", "a" * 90_000 + "!"),
    _runs_fast(r"(\w|\w\w)+z$", "w" * 90_000 + "!"),
    _refused(r"(\w+\s?)+$", "nested quantifiers (a repeat inside a repeat) can hang the engine"),
    _refused(r"(?<=x)(b|bb)+c", "alternation inside a repeat, such as (a|aa)+, can backtrack catastrophically"),
    _refused(r"(a)\1", "backreferences are not allowed in rule patterns"),
    regex_classify_has_the_time_budget,
]


# --- CARD_ROWS: every model card value validated --------------------------------------------------------

def _card_with(change):
    def build(tmp_path):
        folder = model_copy(tmp_path)
        path = folder / "default.card.json"
        card = json.loads(path.read_text(encoding="utf-8"))
        text = change(card)
        path.write_text(text if isinstance(text, str) else json.dumps(card, indent=2), encoding="utf-8")
        return folder
    return build


def _set(path: str, value):
    def change(card):
        *parents, last = path.split(".")
        target = card
        for key in parents:
            target = target[key]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value
    return change


_DELETE = object()

CARD_ROWS = [
    ("threshold_nan", _card_with(lambda c: json.dumps({**c, "thresholds": {**c["thresholds"], "combined": {
        **c["thresholds"]["combined"], "resume": float("nan")}}})),
     "default.card.json:thresholds.combined.resume: NaN is not a number JSON allows"),
    ("threshold_null", _card_with(_set("thresholds.combined.resume", None)),
     "default.card.json:thresholds.combined.resume: null is not a number"),
    ("threshold_string", _card_with(_set("thresholds.model.technical", "0.5")),
     "default.card.json:thresholds.model.technical: \"0.5\" is not a number"),
    ("threshold_bool", _card_with(_set("thresholds.model.technical", True)),
     "default.card.json:thresholds.model.technical: true is not a number"),
    ("threshold_one_and_a_half", _card_with(_set("thresholds.combined.interview", 1.5)),
     "default.card.json:thresholds.combined.interview: 1.5 is not between 0 and 1"),
    ("threshold_zero", _card_with(_set("thresholds.combined.interview", 0)),
     "default.card.json:thresholds.combined.interview: 0 is not between 0 and 1"),
    ("threshold_missing_label", _card_with(_set("thresholds.combined.industry", _DELETE)),
     "default.card.json:thresholds.combined: no threshold for industry"),
    ("thresholds_a_list", _card_with(_set("thresholds", [0.5])),
     "default.card.json:thresholds: missing, or not an object of modes"),
    ("labels_a_string", _card_with(_set("labels", "resume")),
     "default.card.json:labels: should be a list, not str"),
    ("format_a_string", _card_with(_set("format", "1")),
     "default.card.json:format: should be an integer, not str"),
    ("model_file_with_a_folder", _card_with(_set("model_file", "../default.joblib")),
     "default.card.json:model_file: '../default.joblib' is not a plain file name"),
    ("sha256_upper_case", _card_with(lambda c: c.update(model_sha256=c["model_sha256"].upper()))
     , "default.card.json:model_sha256: missing, or not 64 lower-case hexadecimal digits"),
    ("deeply_nested_card", _card_with(lambda c: json.dumps(c)[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}"),
     "default.card.json: the card is nested more than 12 levels deep"),
    ("card_not_an_object", _card_with(lambda c: "[1, 2, 3]"),
     "default.card.json: the card is not a JSON object"),
]


# --- SAFE_OUTPUT_ROWS: output that cannot harm -----------------------------------------------------------

ESCAPES = "\x1b[31m\x1b]0;pwned\x07\x9b2J\u202eevil\u202c\u2066"


def safe_text_output_strips_controls_from_evidence(tmp_path):
    result = invoke(["classify", f"Your CV had several typos {ESCAPES} and did not show your achievements.",
                     "--format", "text"])
    assert result.exit_code == 0
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066"):
        assert bad not in result.stdout
    assert "typos" in result.stdout and "evil" in result.stdout


def safe_text_output_strips_controls_from_file_names(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / f"a{ESCAPES}.txt").write_text(RESUME)
    (folder / "b.txt").write_bytes(b"\x00\x00")
    result = invoke(["batch", folder, "--format", "text", "-q"])
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x9b" not in result.stdout
    assert "a[31m" not in result.stdout and "aevil" in result.stdout


def safe_error_line_strips_controls(tmp_path):
    result = invoke(["classify", f"missing{ESCAPES}.txt"])
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "\u202e" not in result.stderr
    one_line_error(result, "no such file: missing")


def safe_json_keeps_them_escaped(tmp_path):
    text = f"Your CV had several typos {ESCAPES} and did not show your achievements."
    result = invoke(["classify", text, "--format", "jsonl", "--include-text"])
    assert "\u202e" not in result.stdout and "\x9b" not in result.stdout and "\u2066" not in result.stdout
    assert "\\u202e" in result.stdout and "\\u009b" in result.stdout and "\\u2066" in result.stdout
    # C0 controls (ESC, BEL) become spaces before analysis, one for one; the rest is kept
    assert jsonl_records(result)[0]["text"] == text.replace("\x1b", " ").replace("\x07", " ")


def safe_csv_neutralises_formulas(tmp_path):
    import csv as csv_module
    import io

    lines = [json.dumps({"id": start + "HYPERLINK(\"http://x\")", "text": f"{start}1+1 {RESUME}"})
             for start in ("=", "+", "-", "@", "\t", "\r")]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = invoke(["batch", path, "--format", "csv", "-q"])
    rows = list(csv_module.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6
    for row in rows:
        assert row["id"].startswith("'"), row["id"]
        assert row["top_evidence"][:1] not in ("=", "+", "-", "@", "\t", "\r"), row["top_evidence"]


def safe_decisions_are_capped(tmp_path):
    from gapfinder.write.writers import MAX_DECISIONS

    text = " ".join(["Your CV had typos. The interview was fine. Your SQL was great."] * 400)
    result = invoke(["classify", text, "--format", "jsonl"])
    (record,) = jsonl_records(result)
    assert len(record["decisions"]) == MAX_DECISIONS
    assert record["decisions_left_out"] > 0


def safe_summary_strips_controls(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": f"Your CV had several typos{ESCAPES}."}) + "\n")
    result = invoke(["batch", path, "--summary-only", "-q"])
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


SAFE_OUTPUT_ROWS = [safe_text_output_strips_controls_from_evidence, safe_text_output_strips_controls_from_file_names,
                    safe_error_line_strips_controls, safe_json_keeps_them_escaped, safe_csv_neutralises_formulas,
                    safe_decisions_are_capped, safe_summary_strips_controls]


# --- CLASSIFY_EMAIL_ROWS: an email given to classify is read as an email -------------------------------

def _classify_email(filename, build, expect, stdin=False):
    def row(tmp_path):
        data = build()
        if stdin:
            result = invoke(["classify", "--format", "jsonl", "--include-text"], data)
        else:
            path = tmp_path / filename
            path.write_bytes(data)
            result = invoke(["classify", path, "--format", "jsonl", "--include-text"])
        out = jsonl_records(result)
        assert len(out) == len(expect), result.output[:500]
        for number, (record, exp) in enumerate(zip(out, expect), 1):
            check_record(record, exp, f"message {number}")
    row.__name__ = f"classify_email_{filename or 'stdin'}"
    return row


def forwarded_as_attachment():
    msg = email("Please see the forwarded feedback.", subject="Fwd: feedback")
    msg.add_attachment(email(INTERVIEW + "\n\nBest,\nThe panel", subject="Panel notes"))
    return msg.as_bytes()


def text_file_attached():
    msg = email("Our notes are attached.")
    msg.add_attachment(TECH, filename="notes.txt")
    return msg.as_bytes()


def only_a_pdf_attached():
    msg = email(NO_GAP)
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="feedback.pdf")
    return msg.as_bytes()


CLASSIFY_EMAIL_ROWS = [
    _classify_email("mail.eml", lambda: email(RESUME, subject="Your application").as_bytes(),
                    [ok("resume", text_lacks=("Subject:", "From:"), subject="Your application")]),
    _classify_email("", lambda: email(TECH, subject="From stdin").as_bytes(),
                    [ok("technical", text_lacks=("Subject:",), subject="From stdin")], stdin=True),
    _classify_email("saved-message", lambda: html_email(f"<p>{INTERVIEW}</p>"),
                    [ok("interview", text_lacks=("<p>", "Content-Type"))]),
    _classify_email("fwd.eml", forwarded_as_attachment, [ok("interview", text_has=(INTERVIEW,), text_lacks=("Best,",))]),
    _classify_email("notes.eml", text_file_attached, [ok("technical")]),
    _classify_email("pdf.eml", only_a_pdf_attached, [ok(unread=("feedback.pdf (application/pdf)",))]),
    _classify_email("box.mbox", lambda: FROM_LINE + email(RESUME).as_bytes() + b"\n" + FROM_LINE
                    + email(INTERVIEW).as_bytes() + b"\n", [ok("resume"), ok("interview")]),
]


# --- the runner of every round-two table ----------------------------------------------------------------

def _round_two_cases():
    tables = {"special": SPECIAL_ROWS, "bounded": BOUNDED_ROWS, "output": OUTPUT_ROWS, "fault": FAULT_ROWS,
              "regex": REGEX_ROWS, "safe": SAFE_OUTPUT_ROWS, "email": CLASSIFY_EMAIL_ROWS}
    for table, rows in tables.items():
        for row in rows:
            marks = [pytest.mark.slow] if getattr(row, "seconds", 0) > ROW_SECONDS else []
            yield pytest.param(row, id=f"{table}-{row.__name__}", marks=marks)


@pytest.mark.parametrize("row", list(_round_two_cases()))
def test_round_two_row(row, tmp_path):
    with Timer(getattr(row, "seconds", ROW_SECONDS)):
        row(tmp_path)


@pytest.mark.parametrize("build, message", [pytest.param(b, m, id=n) for n, b, m in CARD_ROWS])
@pytest.mark.parametrize("entry", ["classify", "api"])
def test_card_row(build, message, entry, tmp_path):
    folder = build(tmp_path)
    if entry == "api":
        with Timer(), pytest.raises(gapfinder.ModelError) as caught:
            gapfinder.load(model_path=folder)
        assert message in str(caught.value) and "\n" not in str(caught.value), str(caught.value)
    else:
        one_line_error(invoke(["classify", RESUME, "--model", folder]), message)

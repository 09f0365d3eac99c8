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
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        assert self.seconds < ROW_SECONDS, f"took {self.seconds:.1f} s (bound {ROW_SECONDS} s)"


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
             [Err("not an email: the file holds binary data")]),
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

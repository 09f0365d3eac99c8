"""iter_messages: every input record exactly once, in order, with text or a one-line error."""
import io
import json
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from gapfinder.limits import Limits
from gapfinder.read.sources import MSG_EXTRA, iter_messages, split_mbox

from ..conftest import FROM_LINE, mbox_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def email_bytes(body, message_id=None, subject="Your application"):
    msg = EmailMessage()
    msg["From"] = "Ann Recruiter <ann@example.com>"
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes()




def records(paths, **kwargs):
    return [(m.id, m.source, m.text, m.error) for m in iter_messages([str(p) for p in paths], **kwargs)]


# --- single files ----------------------------------------------------------------------

def test_eml_txt_and_missing(tmp_path):
    (tmp_path / "a.eml").write_bytes(email_bytes("Your CV was long.", "<a@x>"))
    (tmp_path / "b.txt").write_text("Plain feedback.\nOn Mon, X wrote:\n> kept: the engine handles it\n",
                                    encoding="utf-8")
    missing = tmp_path / "nope.eml"
    assert records([tmp_path / "a.eml", tmp_path / "b.txt", missing]) == [
        ("<a@x>", str(tmp_path / "a.eml"), "Your CV was long.", None),
        (str(tmp_path / "b.txt"), str(tmp_path / "b.txt"),
         "Plain feedback.\nOn Mon, X wrote:\n> kept: the engine handles it\n", None),
        (str(missing), str(missing), None, f"no such file or folder: {missing}"),
    ]


def test_txt_in_windows_1252_and_too_large(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Caf\xe9 \x93ok\x94")
    (message,) = iter_messages([str(tmp_path / "a.txt")])
    assert message.text == "Caf\u00e9 \u201cok\u201d" and message.meta == {"charset_fallback": "cp1252"}
    (message,) = iter_messages([str(tmp_path / "a.txt")], limits=Limits(max_text_bytes=5))
    assert message.error == "the text is 9 bytes, over the limit of 5 (raise it with --max-text-bytes)"


def test_binary_file_named_eml(tmp_path):
    (tmp_path / "photo.eml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert records([tmp_path / "photo.eml"]) == [
        (str(tmp_path / "photo.eml"), str(tmp_path / "photo.eml"), None, "not an email: the file holds binary data")]


def test_truncated_eml(tmp_path):
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg["Message-ID"] = "<cut@x>"
    msg.set_content("Body.")
    msg.add_attachment(b"%PDF" * 100, maintype="application", subtype="pdf", filename="cv.pdf")
    data = msg.as_bytes()
    (tmp_path / "cut.eml").write_bytes(data[: len(data) * 2 // 3])
    assert records([tmp_path / "cut.eml"]) == [
        ("<cut@x>", str(tmp_path / "cut.eml"), None, "the email looks truncated or malformed: a MIME boundary is missing")]


def test_outlook_msg_without_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "extract_msg", None)       # import fails
    (tmp_path / "x.msg").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    assert records([tmp_path / "x.msg"]) == [(str(tmp_path / "x.msg"), str(tmp_path / "x.msg"), None, MSG_EXTRA)]
    assert MSG_EXTRA == "reading Outlook .msg files needs the optional extra: pip install 'gapfinder[msg]'"


def test_explicit_unknown_file_gets_an_error_but_mail_is_sniffed(tmp_path):
    (tmp_path / "notes.md").write_text("# my notes\n")
    (tmp_path / "saved_message").write_bytes(email_bytes("Sniffed.", "<s@x>"))
    assert records([tmp_path / "notes.md", tmp_path / "saved_message"]) == [
        (str(tmp_path / "notes.md"), str(tmp_path / "notes.md"), None,
         f"unsupported file: {tmp_path / 'notes.md'} is not an email, mbox, Maildir, .txt, .jsonl or .msg file"),
        ("<s@x>", str(tmp_path / "saved_message"), "Sniffed.", None),
    ]


# --- JSONL -----------------------------------------------------------------------------

def test_jsonl_with_bad_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "first", "text": "Good text.", "lang": "en"}),
        "",
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps({"text": 5}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "x" * 200}),
        json.dumps({"text": "No id here."}),
        "[" * 5000,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    name = str(path)
    got = [(m.id, m.source, m.text, m.error) for m in iter_messages([name], limits=Limits(max_line_chars=1000))]
    # the JSONL rules of read/jsonl_reader.py, the same as classify --input-format jsonl
    assert got[0] == ("first", f"{name}:1", "Good text.", None)
    assert got[1] == (None, f"{name}:2", None, "line 2 is empty")
    assert got[2][:3] == (None, f"{name}:3", None) and got[2][3].startswith("line 3 is not valid JSON (")
    assert got[3] == ("no-text", f"{name}:4", None, "line 4 has no string field 'text'")
    assert got[4] == (None, f"{name}:5", None, "line 5 has no string field 'text'")
    assert got[5] == (None, f"{name}:6", None, "line 6 is not a JSON object")
    assert got[6] == (None, f"{name}:7", "x" * 200, None)
    assert got[7] == (None, f"{name}:8", "No id here.", None)
    assert got[8] == (None, f"{name}:9", None,
                      "line 9 is longer than the limit of 1,000 characters (raise it with --max-line-chars)")
    assert len(got) == 9
    assert next(iter_messages([name])).meta == {"lang": "en"}


def test_jsonl_very_long_line_is_skipped_without_losing_the_next(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "y" * 50_000}) + "\n" + json.dumps({"text": "after"}) + "\n")
    got = list(iter_messages([str(path)], limits=Limits(max_line_chars=100)))
    assert [m.error is not None for m in got] == [True, False]
    assert got[1].text == "after" and got[1].source == f"{path}:2"


# --- mbox ------------------------------------------------------------------------------

def test_mbox_with_from_lines_in_the_body(tmp_path):
    # Written by an mboxo tool that did not escape body "From " lines: the first two are
    # after a blank line but do not look like a From_ line (no time), so they stay in the body.
    first = (b"From: Ann <ann@example.com>\nMessage-ID: <m1@x>\nSubject: Feedback\n\nHi Bob,\n\n"
             b"From our side the panel liked you.\n\nFrom 2019 to 2021 you led a team, which helped.\n"
             b">From the notes: strong SQL.\n>>From a quote\n\nBest,\nAnn\n")
    path = tmp_path / "box.mbox"
    path.write_bytes(FROM_LINE + first + b"\n" + FROM_LINE + email_bytes("Second message.") + b"\n")
    got = list(iter_messages([str(path)]))
    assert [(m.id, m.source) for m in got] == [("<m1@x>", f"{path}#1"), (f"{path}#2", f"{path}#2")]
    assert got[0].text == ("Hi Bob,\n\nFrom our side the panel liked you.\n\nFrom 2019 to 2021 you led a team, "
                           "which helped.\nFrom the notes: strong SQL.")      # ">From a quote" is a quote
    assert got[1].text == "Second message."
    with open(path, "rb") as stream:
        raw_first = next(split_mbox(stream, 10**6))[0]
    assert raw_first == first.replace(b">From the", b"From the").replace(b">>From", b">From")


def test_empty_mbox_has_no_records(tmp_path):
    (tmp_path / "empty.mbox").write_bytes(b"")
    (tmp_path / "blank.mbox").write_bytes(b"\n\n")
    assert records([tmp_path / "empty.mbox", tmp_path / "blank.mbox"]) == []


def test_mbox_sniffed_without_extension_and_bad_message_inside(tmp_path):
    path = tmp_path / "Inbox"
    path.write_bytes(mbox_bytes(email_bytes("One."), b"garbage without headers", email_bytes("Three.")))
    got = records([path])
    assert [(source, text, error) for _id, source, text, error in got] == [
        (f"{path}#1", "One.", None),
        (f"{path}#2", None, "not an email: no mail headers found"),
        (f"{path}#3", "Three.", None),
    ]


def test_mbox_message_over_the_size_limit(tmp_path):
    path = tmp_path / "box.mbox"
    path.write_bytes(mbox_bytes(email_bytes("small"), email_bytes("big " * 500), email_bytes("small again")))
    got = list(iter_messages([str(path)], limits=Limits(max_email_bytes=1000)))
    assert [m.text for m in got] == ["small", None, "small again"]
    assert "over the limit of 1,000" in got[1].error


def test_five_thousand_message_mbox_streams_in_order(tmp_path):
    path = tmp_path / "big.mbox"
    with open(path, "wb") as out:
        for n in range(5000):
            out.write(FROM_LINE + b"From: a@example.com\nMessage-ID: <%d@x>\nSubject: n\n\nMessage %d.\n\n" % (n, n))
    started = time.perf_counter()
    got = [(m.id, m.source, m.text) for m in iter_messages([str(path)])]
    assert time.perf_counter() - started < 8
    assert got == [(f"<{n}@x>", f"{path}#{n + 1}", f"Message {n}.") for n in range(5000)]


def test_split_mbox_keeps_leading_text_and_long_lines():
    stream = io.BytesIO(b"stray text\n\n" + FROM_LINE + b"Subject: x\n\n" + b"y" * 200_000 + b"\n")
    assert [(data[:11] if data else data, size) for data, size in split_mbox(stream, 10**6)] == [
        (b"stray text\n", 12), (b"Subject: x\n", 200_013)]


# --- Maildir and folders ---------------------------------------------------------------

def make_maildir(root):
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "cur" / "1700000002.M2.host:2,S").write_bytes(email_bytes("Second by key.", "<k2@x>"))
    (root / "new" / "1700000001.M1.host").write_bytes(email_bytes("First by key."))
    (root / "new" / "1700000003.M3.host").write_bytes(b"\x00\x01\x02 this is not an email \xff" * 10)
    (root / "cur" / ".hidden").write_bytes(email_bytes("hidden"))
    (root / "tmp" / "1700000009.M9.host").write_bytes(email_bytes("in tmp: not delivered yet"))


def test_maildir_with_a_non_email_file(tmp_path):
    root = tmp_path / "Maildir"
    make_maildir(root)
    assert records([root]) == [
        (f"{root}:1700000001.M1.host", f"{root}:1700000001.M1.host", "First by key.", None),
        ("<k2@x>", f"{root}:1700000002.M2.host", "Second by key.", None),
        (f"{root}:1700000003.M3.host", f"{root}:1700000003.M3.host", None,
         "not an email: the file holds binary data"),
    ]


def test_folder_walk_is_sorted_recursive_and_skips_hidden_and_non_mail(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.eml").write_bytes(email_bytes("b/z"))
    (tmp_path / "b" / "index.db").write_bytes(b"\x00\x01 sqlite")           # not mail: skipped
    (tmp_path / "a.txt").write_text("a text")
    (tmp_path / "c.jsonl").write_text('{"id": "j1", "text": "jsonl text"}\n')
    (tmp_path / "d.notes").write_text("just notes\n")                     # not mail: skipped
    (tmp_path / "e").write_bytes(email_bytes("sniffed e"))                # no extension, but mail
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.eml").write_bytes(email_bytes("hidden folder"))
    (tmp_path / ".y.eml").write_bytes(email_bytes("hidden file"))
    make_maildir(tmp_path / "f_maildir")
    got = [(m.source, m.text) for m in iter_messages([str(tmp_path)])]
    assert [text for _source, text in got] == [
        "a text", "b/z", "jsonl text", "sniffed e", "First by key.", "Second by key.", None]
    assert got[0][0] == str(tmp_path / "a.txt")


# --- stdin -----------------------------------------------------------------------------

def test_stdin_jsonl():
    stream = io.BytesIO(b"\n" + b'{"id": "s1", "text": "from stdin"}\n' + b"oops\n")
    got = records(["-"], stdin=stream)
    assert got[0] == (None, "-:1", None, "line 1 is empty")
    assert got[1] == ("s1", "-:2", "from stdin", None)
    assert got[2][:3] == (None, "-:3", None)


def test_stdin_jsonl_with_a_long_first_line():
    stream = io.BytesIO(b'\xef\xbb\xbf{"text": "' + b"z" * 90_000 + b'"}\n{"text": "next"}\n')
    got = records(["-"], stdin=stream)
    assert [(source, len(text)) for _id, source, text, _error in got] == [("-:1", 90_000), ("-:2", 4)]


def test_stdin_mbox_and_single_email():
    assert records(["-"], stdin=io.BytesIO(mbox_bytes(email_bytes("one"), email_bytes("two")))) == [
        ("-#1", "-#1", "one", None), ("-#2", "-#2", "two", None)]
    assert records(["-"], stdin=io.BytesIO(email_bytes("single", "<one@x>"))) == [("<one@x>", "-", "single", None)]
    assert records(["-"], stdin=io.BytesIO(b"")) == []


def test_stdin_text_stream():
    assert records(["-"], stdin=io.StringIO('{"text": "caf\u00e9"}\n')) == [(None, "-:1", "caf\u00e9", None)]


# --- all together ----------------------------------------------------------------------

def test_mixed_inputs_each_record_once_in_order(tmp_path):
    (tmp_path / "one.eml").write_bytes(email_bytes("one"))
    (tmp_path / "two.mbox").write_bytes(mbox_bytes(email_bytes("two-a"), email_bytes("two-b")))
    (tmp_path / "three.jsonl").write_text('{"text": "three"}\n')
    paths = [tmp_path / "one.eml", tmp_path / "missing", tmp_path / "two.mbox", FIXTURES / "html_only.eml",
             tmp_path / "three.jsonl", tmp_path / "one.eml"]
    got = [m.text or m.error for m in iter_messages([str(p) for p in paths])]
    assert got == ["one", f"no such file or folder: {tmp_path / 'missing'}", "two-a", "two-b",
                   "Dear Alex,\n\nThank you for interviewing. The panel felt your SQL was not yet strong "
                   "enough:\n\n- window functions\n- query plans", "three", "one"]


@pytest.mark.parametrize("payload", [b"", b"\xff\xfe\x00garbage", b"From \n", b"From x\n\n\n", b"{\n", b"\x00" * 100])
def test_odd_bytes_on_stdin_never_raise(payload):
    for message in iter_messages(["-"], stdin=io.BytesIO(payload)):
        assert (message.text is None) != (message.error is None)

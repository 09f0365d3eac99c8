"""read_email: body choice, decoding, metadata, and error records instead of exceptions."""
import base64
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gapfinder.read.email_reader import NO_TEXT, read_email
from gapfinder.limits import Limits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def fixture(name):
    return read_email((FIXTURES / name).read_bytes(), name)


def raw(headers, body, charset=None, cte=None):
    """A single-part email from header lines and body bytes."""
    head = ["From: Ann Recruiter <ann@example.com>", "To: bob@example.org", "MIME-Version: 1.0", *headers]
    if not any(line.startswith("Subject:") for line in headers):
        head.append("Subject: Your application")
    if charset is not None:
        head.append(f"Content-Type: text/plain; charset={charset}")
    if cte:
        head.append(f"Content-Transfer-Encoding: {cte}")
    return ("\n".join(head) + "\n\n").encode("ascii") + body


def simple(text="Your SQL was weak.", **headers):
    msg = EmailMessage()
    msg["From"] = "Ann Recruiter <ann@example.com>"
    msg["To"] = "bob@example.org"
    msg["Subject"] = "Your application"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(text)
    return msg


# --- stored fixtures -------------------------------------------------------------------

def test_reply_quoting_the_candidate():
    message = fixture("reply_quoting.eml")
    assert message.error is None
    assert message.id == "<reply-1@studio.example>"
    assert message.text == ("Hi Sam,\n\nRos decided not to go ahead. The portfolio was a 40-page PDF "
                            "and the strongest work was buried around page 31.")
    assert message.meta["subject"] == "Re: Motion Designer \u2013 update"
    assert message.meta["from"] == "Imogen Hart <imogen@studio.example>"
    assert message.meta["date"] == "Tue, 10 Mar 2026 09:15:00 +0000"
    assert message.meta["date_iso"] == "2026-03-10T09:15:00+00:00"
    assert message.meta["excluded"] == ["quote", "signature"]


def test_outlook_forward_windows_1252_quoted_printable():
    message = fixture("outlook_forward.eml")
    assert message.text == "Ravi, see the panel\u2019s view below \u2013 they wanted more budget ownership."
    assert message.meta["excluded"] == ["forward", "signature"]
    assert message.meta["content_type"] == "text/plain"
    assert "charset_fallback" not in message.meta


def test_html_only_email():
    message = fixture("html_only.eml")
    assert message.meta["content_type"] == "text/html"
    assert message.text == ("Dear Alex,\n\nThank you for interviewing. The panel felt your SQL was not "
                            "yet strong enough:\n\n- window functions\n- query plans")


def test_iso_8859_1_body_and_encoded_headers():
    message = fixture("latin1.eml")
    assert message.text == "Liebe Ana, Ihre Pr\u00e4sentation war gut, aber die Gr\u00fc\u00dfe des Teams war ein Problem."
    assert message.meta["subject"] == "R\u00fcckmeldung"
    assert message.meta["from"] == "J\u00f6rg M\u00fcller <jorg@firma.example>"
    assert message.id == "latin1.eml"       # no Message-ID: the source


# --- structure -------------------------------------------------------------------------

def test_multipart_alternative_prefers_plain():
    msg = simple("Plain body.", Message_ID="<alt@x>")
    msg.add_alternative("<p>HTML body.</p>", subtype="html")
    message = read_email(msg.as_bytes(), "alt.eml")
    assert (message.id, message.text, message.meta["content_type"]) == ("<alt@x>", "Plain body.", "text/plain")


def test_alternative_with_html_only_uses_html():
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg.set_content("<p>Only <i>HTML</i> here.</p>", subtype="html")
    msg.make_alternative()
    message = read_email(msg.as_bytes(), "x")
    assert (message.text, message.meta["content_type"]) == ("Only HTML here.", "text/html")


def test_nested_multipart_with_attachments():
    msg = simple("Body text.\n\nKind regards,\nAnn")
    msg.add_alternative("<p>Body text.</p>", subtype="html")
    msg.add_attachment(b"%PDF-1.4 binary", maintype="application", subtype="pdf", filename="cv.pdf")
    msg.add_attachment("attached notes, not the body", filename="notes.txt")
    msg.add_attachment(b"\x89PNG\r\n\x1a\n\x00", maintype="image", subtype="png", filename="logo.png")
    forwarded = simple("An older email, attached.")
    msg.add_attachment(forwarded)         # message/rfc822
    message = read_email(msg.as_bytes(), "nested.eml")
    assert message.error is None
    # the body, then the attached text file and the forwarded message; the rest is listed
    assert message.text == "Body text.\n\nattached notes, not the body\n\nAn older email, attached."
    assert message.meta["content_type"] == "text/plain"
    assert message.meta["unread_attachments"] == ["cv.pdf (application/pdf)", "logo.png (image/png)"]
    assert "read the attached text notes.txt" in message.meta["notes"]


def test_inline_text_parts_around_an_image_are_joined():
    msg = simple("First half.")
    msg.make_mixed()
    image = EmailMessage()
    image.set_content(b"\x89PNG", maintype="image", subtype="png", disposition="inline")
    msg.attach(image)
    second = EmailMessage()
    second.set_content("Second half.")
    msg.attach(second)
    message = read_email(msg.as_bytes(), "x")
    assert message.text == "First half.\n\nSecond half."
    assert message.meta["notes"] == ["joined 2 inline text parts"]


def test_only_attachments_means_no_text():
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="cv.pdf")
    message = read_email(msg.as_bytes(), "att.eml")
    assert NO_TEXT == "no readable text part"
    assert message.error == "no readable text part (cv.pdf (application/pdf) left unread)"
    assert message.text is None and message.id == "att.eml"


def test_empty_body_means_no_text():
    assert read_email(raw([], b"\n\n"), "x").error == NO_TEXT


# --- charsets and transfer encodings ---------------------------------------------------

def test_windows_1252_8bit_body():
    message = read_email(raw([], "It\u2019s a \u201cno\u201d \u2013 sorry.\n".encode("cp1252"), "windows-1252", "8bit"), "x")
    assert message.text == "It\u2019s a \u201cno\u201d \u2013 sorry."
    assert "charset_fallback" not in message.meta


def test_latin_1_label_with_windows_1252_bytes_reads_as_windows_1252():
    message = read_email(raw([], b"Caf\xe9 \x93quotes\x94\n", "iso-8859-1", "8bit"), "x")
    assert message.text == "Caf\u00e9 \u201cquotes\u201d"


def test_unknown_charset_falls_back_to_utf8():
    message = read_email(raw([], "Gr\u00fc\u00dfe\n".encode("utf-8"), "x-no-such-charset", "8bit"), "x")
    assert message.text == "Gr\u00fc\u00dfe"
    assert message.meta["charset_fallback"] == "utf-8"
    assert message.meta["notes"] == ["unknown charset 'x-no-such-charset'"]


def test_unknown_charset_with_non_utf8_bytes_falls_back_to_cp1252():
    message = read_email(raw([], b"Gr\xfc\xdfe \x80 5\n", "x-no-such-charset", "8bit"), "x")
    assert message.text == "Gr\u00fc\u00dfe \u20ac 5"
    assert message.meta["charset_fallback"] == "cp1252"


def test_wrong_declared_charset_falls_back():
    message = read_email(raw([], "na\u00efve\n".encode("utf-8"), "us-ascii", "8bit"), "x")
    assert message.text == "na\u00efve"
    assert message.meta["charset_fallback"] == "utf-8"


def test_base64_body():
    body = base64.encodebytes("Ihre Bewerbung war stark.\n".encode("utf-8"))
    assert read_email(raw([], body, "utf-8", "base64"), "x").text == "Ihre Bewerbung war stark."


def test_base64_with_bad_padding_is_decoded_best_effort():
    body = base64.b64encode(b"Thanks for applying to us.")[:-2] + b"\n"
    message = read_email(raw([], body, "utf-8", "base64"), "x")
    assert message.error is None
    assert message.text.startswith("Thanks for applying")
    assert message.meta["notes"] == ["the text part has broken base64; decoded as much as possible"]


def test_undecodable_base64_is_an_error():
    message = read_email(raw(["Message-ID: <b64@x>"], b"QUJDR\n", "utf-8", "base64"), "x")
    assert message.error == "the text part has broken base64 encoding and cannot be decoded"
    assert message.id == "<b64@x>"


def test_rfc2047_subjects():
    for encoded, decoded in [
        ("=?UTF-8?B?UmU6IEJld2VyYnVuZyDigJMgRmVlZGJhY2s=?=", "Re: Bewerbung \u2013 Feedback"),
        ("=?iso-8859-1?q?Caf=E9?= =?utf-8?q?_=E2=9C=93?=", "Caf\u00e9 \u2713"),
        ("plain subject", "plain subject"),
    ]:
        message = read_email(raw([f"Subject: {encoded}"], b"Body.\n"), "x")
        assert message.meta["subject"] == decoded


def test_unparseable_date_is_kept_without_iso():
    message = read_email(raw(["Date: sometime last week"], b"Body.\n"), "x")
    assert message.meta["date"] == "sometime last week"
    assert "date_iso" not in message.meta


# --- bad input never raises ------------------------------------------------------------

def deep_multipart(depth):
    out = [b"From: a@example.com\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n"]
    for level in range(1, depth):
        out.append(b"--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n" % (level - 1, level))
    out.append(b"--b%d\nContent-Type: text/plain\n\nDeep hello.\n" % (depth - 1))
    out.extend(b"--b%d--\n" % level for level in range(depth - 1, -1, -1))
    return b"".join(out)


def test_thousand_deep_multipart_is_an_error_not_a_recursion_error():
    started = time.perf_counter()
    message = read_email(deep_multipart(1000), "deep.eml")
    assert time.perf_counter() - started < 1
    assert message.error == ("the email's MIME parts are nested more than 20 levels deep "
                             "(raise it with --max-mime-depth)")


def test_depth_within_the_limit_is_read():
    assert read_email(deep_multipart(20), "x").text == "Deep hello."
    assert read_email(deep_multipart(21), "x").error.startswith("the email's MIME parts are nested")
    assert read_email(deep_multipart(30), "x", Limits(max_mime_depth=30)).text == "Deep hello."


def test_deep_message_rfc822_nesting_is_an_error():
    data = b"From: a@example.com\nContent-Type: message/rfc822\n\n" * 1000 + b"\nhello\n"
    assert "nested more than 20 levels" in read_email(data, "x").error


def test_ten_thousand_parts_is_a_fast_error():
    parts = b"".join(b"--b\nContent-Type: text/plain\n\npart %d\n" % i for i in range(10_000))
    data = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n" + parts + b"--b--\n"
    started = time.perf_counter()
    message = read_email(data, "many.eml")
    assert time.perf_counter() - started < 1
    assert message.error == "the email has more than 200 MIME parts (raise it with --max-mime-parts)"


def test_too_large():
    message = read_email(raw(["Message-ID: <big@x>"], b"x" * 500), "big.eml", Limits(max_email_bytes=300))
    assert message.id == "<big@x>"
    assert message.error.startswith("the email is ") and "over the limit of 300" in message.error


def test_hostile_long_mime_header_is_a_fast_error():
    data = b'From: a@example.com\nContent-Type: text/plain; charset="' + b'"' * 20_000 + b'\n\nbody\n'
    started = time.perf_counter()
    message = read_email(data, "x")
    assert time.perf_counter() - started < 1
    assert message.error == ("the email's MIME headers are too long (over 1,000 characters in one header "
                             "or 32,000 in all)")


def test_long_subject_is_decoded_quickly():
    data = b"From: a@example.com\nSubject: " + b"=?utf-8?q?=C3=A9?= " * 20_000 + b"\n\nbody\n"
    started = time.perf_counter()
    message = read_email(data, "x")
    assert time.perf_counter() - started < 2
    assert message.meta["subject"] == "\u00e9" * 20_000 and message.text == "body"


def test_raw_utf8_in_headers_is_read_as_utf8():
    message = read_email("From: J\u00f6rg <j@x.org>\nSubject: Gr\u00fc\u00dfe\n\nbody\n".encode("utf-8"), "x")
    assert (message.meta["from"], message.meta["subject"]) == ("J\u00f6rg <j@x.org>", "Gr\u00fc\u00dfe")


def test_truncated_multipart_is_an_error():
    msg = simple("Body text that will be cut.")
    msg.add_attachment(b"%PDF" * 200, maintype="application", subtype="pdf", filename="cv.pdf")
    data = msg.as_bytes()
    message = read_email(data[: len(data) // 2], "cut.eml")
    assert message.error == "the email looks truncated or malformed: a MIME boundary is missing"


def test_truncated_inside_the_headers_has_no_text():
    assert read_email(b"From: a@example.com\nSubject: Your appl", "cut.eml").error == NO_TEXT


@pytest.mark.parametrize("data, error", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not an email: the file holds binary data"),
    (b"", "the email is empty"),
    (b"\n\n  \n", "the email is empty"),
    (b"Just some notes I wrote down.\nNothing mail-like.\n", "not an email: no mail headers found"),
])
def test_not_an_email(data, error):
    assert read_email(data, "x.eml").error == error


def test_binary_text_part_is_an_error():
    message = read_email(raw([], bytes(range(1, 32)) * 20, "utf-8", "8bit"), "x")
    assert message.error == "the text part does not decode to readable text"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    message = read_email(b"From: a@example.com\nContent-Type: multipart/mixed; boundary=x\n\n--x\n" + data, "x")
    assert (message.text is None) != (message.error is None)


def test_every_truncation_of_a_real_email_gives_a_record():
    msg = simple("Hello.\n\nOn Mon, Bob wrote:\n> hi")
    msg.add_alternative("<p>Hello.</p>", subtype="html")
    msg.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="cv.pdf")
    data = msg.as_bytes()
    for cut in range(0, len(data), 7):
        message = read_email(data[:cut], "x")
        assert (message.text is None) != (message.error is None)

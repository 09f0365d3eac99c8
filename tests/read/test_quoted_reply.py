"""Quoted replies, forwards and signatures are found at exact offsets; body text never is."""
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from gapfinder.read.quoted_reply import excluded_ranges, new_text


def spans(text):
    return [(text[start:end], reason) for start, end, reason in excluded_ranges(text)]


REPLY = (
    "Hi Sam,\n\n"
    "The portfolio was a 40-page PDF and the strongest work was buried.\n\n"
    "Best,\n"
    "Imogen\n\n"
    "On Mon, 9 Mar 2026 at 17:40, Sam Whitlock <sam@example.com> wrote:\n"
    "> Hi Imogen, any news? I know my cover letter was rushed.\n"
    "> Thanks, Sam"
)


def test_reply_quote_and_sign_off():
    assert spans(REPLY) == [
        ("Best,\nImogen\n\n", "signature"),
        ("On Mon, 9 Mar 2026 at 17:40, Sam Whitlock <sam@example.com> wrote:\n"
         "> Hi Imogen, any news? I know my cover letter was rushed.\n> Thanks, Sam", "quote"),
    ]
    assert new_text(REPLY) == (
        "Hi Sam,\n\nThe portfolio was a 40-page PDF and the strongest work was buried."
    )


def test_ranges_are_exact_offsets_with_crlf():
    text = REPLY.replace("\n", "\r\n")
    ranges = excluded_ranges(text)
    quote_start = text.index("On Mon")
    assert ranges[-1] == (quote_start, len(text), "quote")
    assert ranges[0] == (text.index("Best,"), quote_start, "signature")
    assert new_text(text) == "Hi Sam,\r\n\r\nThe portfolio was a 40-page PDF and the strongest work was buried."


def test_attribution_wrapped_over_two_lines():
    text = ("Thanks for asking.\n\nOn Mon, 9 Mar 2026 at 17:40, Sam Whitlock\n"
            "<sam@example.com> wrote:\n> any news?\n")
    assert new_text(text) == "Thanks for asking."
    assert spans(text)[0][0].startswith("On Mon, 9 Mar 2026 at 17:40, Sam Whitlock\n<sam")


def test_attribution_without_quote_marks_excludes_everything_after():
    text = "Short answer: no.\n\nOn Tue, Jan 6, 2026 at 9:00 AM Ana <ana@x.org> wrote:\nDid I get the job?\n"
    assert new_text(text) == "Short answer: no."


def test_localized_attribution():
    text = "Merci pour votre temps.\n\nLe lun. 2 mars 2026 à 10:00, Ana <ana@x.org> a écrit :\n> Bonjour\n"
    assert new_text(text) == "Merci pour votre temps."
    text = "Danke.\n\nAm 02.03.2026 um 10:00 schrieb Ana <ana@x.org>:\n> Hallo\n"
    assert new_text(text) == "Danke."


def test_interleaved_reply_keeps_the_authors_answers():
    text = ("Answers inline.\n\nOn Mon, Ana <ana@x.org> wrote:\n> Was it my SQL?\n\n"
            "Yes, mostly the window functions.\n\n> Anything else?\n\nYour CV was fine.\n")
    assert [reason for _t, reason in spans(text)] == ["quote", "quote", "quote"]
    kept = new_text(text)
    assert "Yes, mostly the window functions." in kept
    assert kept.endswith("Your CV was fine.")
    assert ">" not in kept and "wrote:" not in kept


def test_quote_marker_runs_without_attribution():
    text = "> earlier text\n> more\nMy reply.\n"
    assert spans(text) == [("> earlier text\n> more\n", "quote")]


def test_outlook_header_block_is_a_forward_to_the_end():
    text = ("Ravi, see below.\n\n________________________________\nFrom: Panel <p@x.org>\n"
            "Sent: Tuesday, February 17, 2026 4:12 PM\nTo: Craig <c@x.org>\n"
            "Subject: Operations Manager\n\nWe felt the candidate lacked budget experience.\n")
    assert spans(text) == [(text[text.index("____"):], "forward")]
    assert new_text(text) == "Ravi, see below."


def test_header_block_before_any_author_text_only_excludes_the_headers():
    text = ("From: Jane <j@x.org>\nSent: Monday, March 2, 2026\nTo: Bob\nSubject: Your application\n\n"
            "Dear Bob, your SQL was weak.")
    assert spans(text) == [("From: Jane <j@x.org>\nSent: Monday, March 2, 2026\nTo: Bob\nSubject: Your application\n",
                            "forward")]
    assert new_text(text) == "\nDear Bob, your SQL was weak."


def test_original_message_marker():
    text = "Good luck with the search\n\n-----Original Message-----\nFrom: Nadia\nSubject: Re: x\n\nhello"
    assert spans(text) == [(text[text.index("-----Original"):], "forward")]


def test_forwarded_message_keeps_the_forwarded_body():
    text = ("FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Ann <a@x.com>\n"
            "Date: Mon, 2 Mar 2026 at 10:00\nSubject: Your application\nTo: Bob <b@y.com>\n\n\n"
            "Dear Bob, your SQL was weak.\n\nKind regards,\nAnn\n")
    assert spans(text) == [
        ("---------- Forwarded message ---------\nFrom: Ann <a@x.com>\nDate: Mon, 2 Mar 2026 at 10:00\n"
         "Subject: Your application\nTo: Bob <b@y.com>\n", "forward"),
        ("Kind regards,\nAnn\n", "signature"),
    ]
    assert new_text(text) == "FYI, see below.\n\n\n\nDear Bob, your SQL was weak."


def test_dash_dash_signature():
    text = "Your references were strong.\n-- \nJohn Smith\nACME Ltd\n"
    assert spans(text) == [("-- \nJohn Smith\nACME Ltd\n", "signature")]


def test_signature_block_with_contact_lines_and_disclaimer_up_to_a_quote():
    text = ("I'll keep your details on file.\n\nCheers,\nNadia Romano\n"
            "Senior Talent Partner | Corrin Allen Engineering\n"
            "Level 9, 200 St Georges Terrace, Perth WA 6000\n+61 8 5550 1234 | nadia@corrin.example\n"
            "This email and any attachments are confidential and intended solely for the addressee.\n\n"
            "On Mon, 2 Mar 2026 at 16:44, Liam <l@x.net> wrote:\n> my CV is light on high-rise work\n")
    assert [reason for _t, reason in spans(text)] == ["signature", "quote"]
    assert spans(text)[0][0].startswith("Cheers,\nNadia Romano\n")
    assert new_text(text) == "I'll keep your details on file."


def test_sign_off_followed_by_sentences_is_not_a_signature():
    text = ("We went with another candidate.\n\nThanks,\nJane Doe\nRecruiter\n"
            "We really think you should work on your communication skills before applying again.\n")
    assert excluded_ranges(text) == []
    text = ("Thanks,\nI wanted to share feedback about your interview last week.\n"
            "The panel felt your system design answers lacked depth.\n")
    assert excluded_ranges(text) == []


def test_long_signature_is_not_cut():
    lines = "\n".join(f"Line {i} Name" for i in range(12))
    assert excluded_ranges(f"Body.\n\nBest,\n{lines}\n") == []


def test_device_signature():
    assert spans("Sorry, we filled the role.\n\nSent from my iPhone\n") == [("Sent from my iPhone\n", "signature")]


def test_plain_text_without_markers_is_untouched():
    text = "Your CV was too long.\nFrom my experience, two pages is best.\nRegards to your team is not a sign-off here."
    assert excluded_ranges(text) == []
    assert new_text(text) == text
    assert excluded_ranges("") == [] and new_text("") == ""


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "Best,", "Jane", "> quoted", "On Mon, Ana wrote:", "-- ", "From: A", "Sent: B", "To: C",
    "Subject: D", "The panel felt your SQL was weak and you should practise joins.", "",
    "---------- Forwarded message ---------", "-----Original Message-----", "Thanks,",
]), max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_ranges_are_sorted_disjoint_line_aligned(lines, newline):
    text = newline.join(lines)
    ranges = excluded_ranges(text)
    pos = 0
    for start, end, reason in ranges:
        assert pos <= start < end <= len(text)
        assert start == 0 or text[start - 1] == "\n"
        assert reason in ("quote", "forward", "signature")
        pos = end
    if "-- " not in lines:     # after a "-- " delimiter everything is signature by convention
        assert "The panel felt" not in "".join(text[s:e] for s, e, r in ranges if r == "signature")


def test_large_input_is_fast():
    block = "On Mon, Ana wrote:\n> q\nanswer line here.\n\nBest,\nAna\n\n"
    text = block * 20000
    started = time.perf_counter()
    ranges = excluded_ranges(text)
    assert time.perf_counter() - started < 3
    assert len(ranges) >= 40000

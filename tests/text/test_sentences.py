from gapfinder.text.sentences import sentence_spans


def sentences(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_greeting_body_and_sign_off_are_separate():
    text = "Hi Rory,\n\nThanks for the trial. We're going another way.\n\nBest,\nSara"
    assert sentences(text) == ["Hi Rory,", "Thanks for the trial.", "We're going another way.", "Best,", "Sara"]


def test_scorecard_lines_and_bullets_stand_alone():
    text = "Communication: 2/5 - rambled\nTechnical: 4/5 - solid\n- no questions asked\n- late"
    assert sentences(text) == [
        "Communication: 2/5 - rambled", "Technical: 4/5 - solid", "- no questions asked", "- late",
    ]


def test_hard_wrapped_lines_join_into_one_sentence():
    text = ("The panel felt that your answers to the stakeholder questions were not as\n"
            "structured as we needed for this role.")
    assert len(sentences(text)) == 1


def test_abbreviations_do_not_split():
    assert sentences("We spoke to Dr. Patel, e.g. about the rota. Then we met.") == [
        "We spoke to Dr. Patel, e.g. about the rota.", "Then we met.",
    ]


def test_lowercase_notes_split_on_full_stops():
    assert sentences("i froze. then i rambled lol") == ["i froze.", "then i rambled lol"]


def test_offsets_index_the_text():
    text = "  One.  Two!\n\n Three?  "
    for s, e in sentence_spans(text):
        assert text[s:e] == text[s:e].strip() and text[s:e]

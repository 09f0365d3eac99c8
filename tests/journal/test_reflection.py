"""Reflection: the guide's questions, answers analysed and stored, disagreement with feedback."""
import pytest

from gapfinder.journal import JournalInputError
from gapfinder.journal.plan import build_plan
from gapfinder.journal.reflection import KEYS, direct_reading, record_reflection, reflections
from gapfinder.rulebook.rules import load_rules

from .helpers import rejected


def test_questions_follow_the_guide():
    assert KEYS[:3] == ("eligibility", "resume", "interview")


def test_direct_yes_no_answers():
    short, fine = direct_reading({"eligibility": "No, I was missing the licence", "resume": "Yes",
                                  "interview": "It went well, I think"})
    assert short == ["eligibility"] and fine == ["resume", "interview"]


def test_reflection_is_analysed_stored_and_compared(journal):
    app, _ = rejected(journal, "Acme", "2026-03-01", "2026-03-20", ("resume", "Your CV had several typos."))
    ref = record_reflection(journal, app.id, {"resume": "Yes, it was tailored.", "eligibility": "No, not really.",
                                              "strengths": "I explained my project clearly."})
    assert ref.model_version.startswith("default") and ref.analysis["self_gaps"] == ["eligibility"]
    assert reflections(journal)[0].answers["resume"] == "Yes, it was tailored."
    plan = build_plan(journal, load_rules())
    (area,) = plan.areas
    assert any("your reflection felt it went fine" in n for n in area.notes)


def test_empty_or_unknown_answers_are_refused(journal):
    app, _ = rejected(journal, "Acme", "2026-03-01", "2026-03-20")
    with pytest.raises(JournalInputError, match="no answers"):
        record_reflection(journal, app.id, {"resume": "  "})
    with pytest.raises(JournalInputError, match="unknown reflection question 'mood'"):
        record_reflection(journal, app.id, {"mood": "tired"})
    assert reflections(journal) == []

"""The skill or topic a sentence names, so that actions can name it too."""
import pytest

from gapfinder.journal.topics import area_terms, known_term, other_terms, phrase_after_preposition, topic_of
from gapfinder.rulebook.rules import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize("label, sentence, topic", [
    ("technical", "We were looking for more depth in distributed systems.", "distributed systems"),
    ("technical", "Your SQL skills were below our bar.", "SQL"),
    ("technical", "We felt your experience with Kubernetes was limited.", "Kubernetes"),
    ("technical", "The technical exercise showed gaps in SQL, especially window functions.", "SQL"),
    ("eligibility", "We need someone with an active RN licence.", "an active RN licence"),
    ("eligibility", "The role requires the right to work in the UK without sponsorship.", "right to work"),
    ("industry", "You seemed unfamiliar with the retail banking market and our competitors.", "the retail banking market"),
    ("interview", "The system design round did not go well.", "system design"),
    ("resume", "Your CV had several typos.", None),
])
def test_topic_named_in_evidence(rules, label, sentence, topic):
    assert topic_of(sentence, area_terms(rules, label), other_terms(rules, label)) == topic


def test_only_the_clause_about_the_area_is_read(rules):
    both = "Your CV had several typos and we need someone with an active RN licence."
    assert topic_of(both, area_terms(rules, "resume")) is None
    assert topic_of(both, area_terms(rules, "eligibility")) == "an active RN licence"


def test_generic_words_are_not_topics():
    assert phrase_after_preposition("Thank you for your time in the interview.") is None
    assert phrase_after_preposition("Well done on the presentation of your portfolio.") == "the presentation"
    assert known_term("Your technical skills were weak.", ["technical", "technical skills"]) is None

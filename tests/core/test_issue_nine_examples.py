"""The lines issue 9 gives as what went wrong on real feedback (written for the issue, not real
texts), through the shipped engine. These pass now; the README lists the ones that still do
not (a comparison naming only "the engineering scope", the candidate's "forty minutes for a
tree traversal", "Qualifications: no teaching certificate." (the rules find it; eligibility
patterns are not trusted against the model), and an advert's "at least 7 years required"
still read as a gap by the model)."""
import pytest

FOUND = [
    ("Your technical skills were below the bar.", "technical"),
    ("We are looking for someone with more years of experience.", "eligibility"),
    ("We would have liked to see a much stronger technical match.", "technical"),
    ("We are only considering people within commuting distance.", "eligibility"),
    ("What you are asking is beyond the budget.", "eligibility"),
    ("You'd be overqualified for this role.", "eligibility"),
    ("On the technical side you're not quite there yet.", "technical"),
    ("My mind went blank at the whiteboard and I talked in circles.", "interview"),
    ("Interview: examples on teamwork too thin.", "interview"),
    ("Your salary expectations were well above our budget.", "eligibility"),
    ("The scheme is only open to students enrolled here.", "eligibility"),
    ("They wanted someone fluent in Java; I have only ever written Go.", "technical"),
]
NO_GAP = [
    "Your CV was really strong.",
    "Unfortunately the position is no longer available.",
    "Other candidates more closely matched our needs.",
]


@pytest.mark.parametrize("text,label", FOUND)
def test_the_gap_is_found(engine, text, label):
    assert engine.analyze(text).labels == [label]


@pytest.mark.parametrize("text", NO_GAP)
def test_no_false_alarm(engine, text):
    assert engine.analyze(text).labels == []

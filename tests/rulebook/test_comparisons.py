"""Issue 10, point 10: a comparison is not praise, and no verdict turns on the kind of dash."""
import pytest

SALARY = [
    "Your salary expectations were well above our budget.",
    "Your salary expectations were well above our budget - sorry.",
    "Sadly what you're asking for is well beyond our budget for this role.",
]
DASHED = [
    "Your salary expectations were well above our budget - sorry.",
    "Strong technically - but your answers rambled.",
    "SQL test: 40% - below the pass mark.",
    "Your CV was great - no issues there.",
]


@pytest.mark.parametrize("text", SALARY)
def test_salary_above_budget_is_an_eligibility_gap_not_a_strength(engine, text):
    result = engine.analyze(text)
    assert "eligibility" in result.labels
    assert "eligibility" not in [s.label for s in result.strengths]


@pytest.mark.parametrize("text", DASHED)
def test_hyphen_en_dash_and_em_dash_give_the_same_verdict(engine, text):
    def verdict(t):
        result = engine.analyze(t)
        return result.labels, [s.label for s in result.strengths]

    assert verdict(text) == verdict(text.replace(" - ", " \u2013 ")) == verdict(text.replace(" - ", " \u2014 "))

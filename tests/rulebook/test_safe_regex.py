"""Rule patterns: RE2 first (linear time), a strict guard for what RE2 lacks."""
import re
import time

import pytest

from gapfinder.errors import RuleError
from gapfinder.rulebook import safe_regex
from gapfinder.rulebook.safe_regex import compile_guarded, to_re2_syntax


@pytest.mark.parametrize("pattern, hostile", [
    ("(x|x)+y", "x" * 200_000),
    ("(a|aa)+$", "a" * 200_000 + "!"),
    (r"(\w|\w\w)+z$", "w" * 200_000 + "!"),
    (r"(?:a|a?)+b", "a" * 200_000),
])
def test_overlapping_alternation_in_a_repeat_runs_in_linear_time(pattern, hostile):
    compiled = compile_guarded(pattern, "t:1")
    assert type(compiled).__module__.startswith("re2")
    started = time.perf_counter()
    assert list(compiled.finditer(hostile)) == []
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("pattern, text", [
    (r"\bnaïve \w+ résumé", "Sadly a naïve ÉTÉ résumé."),
    (r"\d+\s?years", "five ٣ years and 3\u00a0years"),       # Unicode digits and a no-break space
    (r"[\w-]+ skills", "Your über-technical skills"),
    (r"\S+@\S+", "mail ana@exämple.com now"),
    (r"[^\W\d]+ly\b", "Sadly, truly"),                        # \W inside a class stays as RE2 has it
])
def test_results_match_python_re_on_unicode_text(pattern, text):
    ours = [(m.start(), m.end()) for m in compile_guarded(pattern, "t:1").finditer(text)]
    python = [(m.start(), m.end()) for m in re.compile(pattern, re.IGNORECASE).finditer(text)]
    assert ours == python and ours


def test_word_boundary_is_ascii_as_documented():
    """RE2's \\b knows ASCII letters only: next to é it differs from Python (README, rules)."""
    compiled = compile_guarded(r"résumé\b", "t:1")
    assert compiled.search("your résumé.") is None
    assert re.search(r"résumé\b", "your résumé.", re.IGNORECASE)
    assert compiled.search("your resume.") is None and compile_guarded(r"resume\b", "t:1").search("a resume.")


def test_shorthand_classes_are_rewritten_outside_and_inside_brackets():
    assert to_re2_syntax(r"\w[\w-]\s\S\d\Z") == (
        r"[\p{L}\p{N}_][\p{L}\p{N}_-]" + "[" + safe_regex._SPACE + "][^" + safe_regex._SPACE + r"]\p{Nd}\z")
    assert to_re2_syntax(r"[]\w]") == r"[\]\p{L}\p{N}_]"
    assert to_re2_syntax(r"\\w") == r"\\w"


@pytest.mark.parametrize("pattern, message", [
    (r"(?<=x)(b|bb)+c", "alternation inside a repeat"),
    (r"(?=a)(?:x(?!y))+", "lookaround inside a repeat"),
    (r"(\w+\s?)+$", "nested quantifiers"),
    (r"(a)\1", "backreferences are not allowed"),
    ("a" * 301, "longer than 300 characters"),
    ("(unclosed", "invalid regular expression"),
])
def test_refused_shapes_name_the_rule(pattern, message):
    with pytest.raises(RuleError, match=re.escape(message)) as caught:
        compile_guarded(pattern, "gaps.rules:9")
    assert str(caught.value).startswith("gaps.rules:9: ")


def test_lookaround_without_a_risky_repeat_falls_back_to_python_re():
    compiled = compile_guarded(r"\bcv(?= had)", "t:1")
    assert isinstance(compiled, re.Pattern)
    assert compiled.search("Your CV had typos").span() == (5, 7)


def test_without_re2_every_pattern_goes_through_the_strict_guard(monkeypatch):
    monkeypatch.setattr(safe_regex, "re2", None)
    assert isinstance(compile_guarded(r"\bmore (?:hands-on|practical) experience\b", "t:1"), re.Pattern)
    with pytest.raises(RuleError, match="alternation inside a repeat"):
        compile_guarded("(x|x)+y", "t:1")

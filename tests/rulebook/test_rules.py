"""The rule files: the shipped ones load, and a bad file names file and line."""
import shutil

import pytest

from gapfinder.errors import RuleError
from gapfinder.labels import LABELS
from gapfinder.rulebook.rules import default_rules_dir, load_rules


@pytest.fixture
def rules_copy(tmp_path):
    dest = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), dest)
    return dest


def test_shipped_rules_cover_every_label_and_action():
    rules = load_rules()
    for label in LABELS:
        assert len(rules.phrases[f"{label}.topic"]) >= 30
        assert len(rules.phrases[f"{label}.gap"]) >= 40
        assert rules.plans[label].actions
    assert rules.plans["no_gap"].actions and rules.plans["next_steps"].actions


def test_actions_follow_the_guide():
    plans = load_rules().plans
    assert "tailor" in " ".join(plans["resume"].actions).lower()
    assert "course" in " ".join(plans["technical"].actions).lower()
    assert "mock interview" in " ".join(plans["interview"].actions).lower()
    assert "trends" in " ".join(plans["industry"].actions).lower()
    assert "must-have" in " ".join(plans["eligibility"].actions).lower()
    assert "feedback" in " ".join(plans["no_gap"].actions).lower()


def _append(path, text):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def _line_count(path):
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    "addition, message",
    [
        ("\n[resume.gapz]\ntypo\n", "unknown section [resume.gapz]"),
        ("\n[salary.gap]\ntoo low\n", "unknown section [salary.gap]"),
        ("\n[resume.gap]\ntypos\n", "duplicate entry 'typos'"),
        ("\n[resume.pattern]\n(a+)+$\n", "nested quantifiers"),
        ("\n[resume.pattern]\n(ab\n", "invalid regular expression"),
        ("\n[resume.pattern]\n(a)\\1\n", "backreferences"),
        ("\n[resume.gap\n", "bad section header"),
        ("\n[resume.gap]\n" + "word " * 20 + "\n", "more than 12 words"),
        ("\n[resume.gap]\n!!!\n", "no letters or digits"),
    ],
)
def test_bad_gap_rule_names_file_and_line(rules_copy, addition, message):
    path = rules_copy / "gaps.rules"
    before = _line_count(path)
    _append(path, addition)
    with pytest.raises(RuleError) as err:
        load_rules(rules_copy)
    text = str(err.value)
    assert message in text
    assert text.startswith("gaps.rules:")
    line = int(text.split(":")[1])
    assert before < line <= _line_count(path)


def test_yaml_bomb_is_rejected_with_a_line(rules_copy):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    (rules_copy / "cues.rules").write_text(bomb, encoding="utf-8")
    with pytest.raises(RuleError, match=r"^cues.rules:1: entry before any \[section\] header"):
        load_rules(rules_copy)


def test_binary_and_non_utf8_rule_files(rules_copy):
    (rules_copy / "gaps.rules").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(RuleError, match="NUL bytes"):
        load_rules(rules_copy)
    (rules_copy / "gaps.rules").write_bytes(b"[resume.gap]\ncaf\xe9\n")
    with pytest.raises(RuleError, match=r"gaps.rules:2: rule file is not valid UTF-8"):
        load_rules(rules_copy)


def test_actions_file_problems(rules_copy):
    _append(rules_copy / "actions.rules", "\n[resume]\ncolour: blue\n")
    with pytest.raises(RuleError, match=r"actions.rules:\d+: unknown key 'colour'"):
        load_rules(rules_copy)


def test_missing_folder_and_file(tmp_path, rules_copy):
    with pytest.raises(RuleError, match="does not exist"):
        load_rules(tmp_path / "nope")
    (rules_copy / "cues.rules").unlink()
    with pytest.raises(RuleError, match="cues.rules:0: cannot read"):
        load_rules(rules_copy)


def test_edited_rule_changes_behaviour(rules_copy):
    """Rules are data: a new phrase in the file becomes a gap without touching code."""
    from gapfinder.core.engine import Engine

    base = Engine(use_model=False, rules_path=rules_copy).analyze("The panel noted the zorblax issue.")
    assert "technical" not in base.labels
    _append(rules_copy / "gaps.rules", "\n[technical.gap]\nzorblax issue\n")
    edited = Engine(use_model=False, rules_path=rules_copy).analyze("The panel noted the zorblax issue.")
    assert "technical" in edited.labels
    assert edited.gaps[0].evidence[0].source == "rule:technical.gap:zorblax issue"

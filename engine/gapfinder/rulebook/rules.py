"""Load, validate and hold the rule files of rules/ (gap patterns, cues, actions).

The rules folder holds three files (see the comments at the top of each):
    gaps.rules     [LABEL.topic], [LABEL.gap], [LABEL.pattern] per label
    cues.rules     [negation], [non_issue], [praise], [deficit], [hedge], [requirement], [contrast],
                   [rejection], [advert], [event], [generic] and [neutral] (optional)
    actions.rules  [LABEL], [no_gap], [next_steps] with "title:" and "action:" lines
Every problem raises RuleError("file:line: what is wrong").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import RuleError
from ..labels import LABELS
from .rules_file import Entry, read_entries, split_setting
from .safe_regex import compile_guarded

GAP_KINDS = ("topic", "gap", "pattern")
CUE_KINDS = ("negation", "non_issue", "praise", "deficit", "hedge", "requirement", "contrast", "rejection", "event",
             "advert", "generic", "neutral")
OPTIONAL_CUE_KINDS = ("advert", "event", "generic", "neutral")  # added later: older rule folders without them still load
PLAN_SECTIONS = LABELS + ("no_gap", "next_steps")
MAX_PHRASES = 20_000
MAX_PATTERNS = 200
MAX_PHRASE_WORDS = 12


@dataclass(frozen=True)
class Phrase:
    """One phrase rule: what to match, and the id that evidence records as its source."""

    text: str
    rule_id: str  # e.g. "resume.gap:typos"
    where: str    # "gaps.rules:42"


@dataclass
class Plan:
    """The guide's actions for one label (or for no_gap / next_steps)."""

    title: str
    actions: list[str]


@dataclass
class RuleSet:
    """Everything the rule component needs, validated."""

    phrases: dict[str, list[Phrase]] = field(default_factory=dict)  # "resume.topic" -> phrases
    patterns: dict[str, list[tuple[re.Pattern, Phrase]]] = field(default_factory=dict)
    cues: dict[str, list[Phrase]] = field(default_factory=dict)     # "praise" -> phrases
    plans: dict[str, Plan] = field(default_factory=dict)
    source: str = ""


def default_rules_dir() -> Path:
    """The rules shipped inside the package (a checkout links them from rules/)."""
    packaged = resources.files("gapfinder") / "data" / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def load_rules(folder: Path | str | None = None) -> RuleSet:
    """Read and validate the three rule files of `folder` (default: the shipped rules)."""
    folder = Path(folder) if folder else default_rules_dir()
    if not folder.is_dir():
        raise RuleError(f"{folder}:0: the rules folder does not exist")
    rules = RuleSet(source=str(folder))
    _load_gaps(rules, folder / "gaps.rules")
    _load_cues(rules, folder / "cues.rules")
    _load_plans(rules, folder / "actions.rules")
    return rules


def _entries(path: Path) -> list[Entry]:
    return read_entries(path, display=path.name if path.parent else str(path))


def _check_phrase(entry: Entry) -> str:
    text = " ".join(entry.value.lower().split())
    if len(text.split()) > MAX_PHRASE_WORDS:
        raise entry.fail(f"phrase has more than {MAX_PHRASE_WORDS} words")
    if not any(ch.isalnum() for ch in text):
        raise entry.fail("phrase has no letters or digits")
    return text


def _add_unique(bucket: list[Phrase], seen: set, phrase: Phrase, entry: Entry) -> None:
    if phrase.text in seen:
        raise entry.fail(f"duplicate entry {phrase.text!r} in [{entry.section}]")
    seen.add(phrase.text)
    bucket.append(phrase)


def _load_gaps(rules: RuleSet, path: Path) -> None:
    seen: dict[str, set] = {}
    count = 0
    for entry in _entries(path):
        label, _, kind = entry.section.partition(".")
        if label not in LABELS or kind not in GAP_KINDS:
            raise entry.fail(
                f"unknown section [{entry.section}]; expected [LABEL.topic], [LABEL.gap] or "
                f"[LABEL.pattern] with LABEL one of {', '.join(LABELS)}"
            )
        count += 1
        if count > MAX_PHRASES:
            raise entry.fail(f"more than {MAX_PHRASES} entries")
        if kind == "pattern":
            bucket = rules.patterns.setdefault(label, [])
            if len(bucket) >= MAX_PATTERNS:
                raise entry.fail(f"more than {MAX_PATTERNS} patterns for {label}")
            compiled = compile_guarded(entry.value, entry.where())
            bucket.append(
                (compiled, Phrase(entry.value, f"{label}.pattern:{entry.line}", entry.where()))
            )
            continue
        text = _check_phrase(entry)
        phrase = Phrase(text, f"{entry.section}:{text}", entry.where())
        _add_unique(rules.phrases.setdefault(entry.section, []), seen.setdefault(entry.section, set()), phrase, entry)
    for label in LABELS:
        if not rules.phrases.get(f"{label}.topic") and not rules.phrases.get(f"{label}.gap"):
            raise RuleError(f"{path.name}:0: no [{label}.topic] or [{label}.gap] rules")


def _load_cues(rules: RuleSet, path: Path) -> None:
    seen: dict[str, set] = {}
    for entry in _entries(path):
        if entry.section not in CUE_KINDS:
            raise entry.fail(
                f"unknown section [{entry.section}]; expected one of {', '.join(CUE_KINDS)}"
            )
        text = _check_phrase(entry)
        phrase = Phrase(text, f"{entry.section}:{text}", entry.where())
        _add_unique(rules.cues.setdefault(entry.section, []), seen.setdefault(entry.section, set()), phrase, entry)
    missing = [kind for kind in CUE_KINDS if kind not in rules.cues and kind not in OPTIONAL_CUE_KINDS]
    if missing:
        raise RuleError(f"{path.name}:0: missing cue section(s) {', '.join(missing)}")


def _load_plans(rules: RuleSet, path: Path) -> None:
    for entry in _entries(path):
        if entry.section not in PLAN_SECTIONS:
            raise entry.fail(
                f"unknown section [{entry.section}]; expected one of {', '.join(PLAN_SECTIONS)}"
            )
        key, value = split_setting(entry)
        plan = rules.plans.setdefault(entry.section, Plan(title="", actions=[]))
        if key == "title":
            if plan.title:
                raise entry.fail(f"[{entry.section}] has a second title")
            plan.title = value
        elif key == "action":
            plan.actions.append(value)
        else:
            raise entry.fail(f"unknown key {key!r}; expected 'title' or 'action'")
    for section in PLAN_SECTIONS:
        plan = rules.plans.get(section)
        if not plan or not plan.title or not plan.actions:
            raise RuleError(f"{path.name}:0: [{section}] needs a title and at least one action")

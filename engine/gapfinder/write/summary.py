"""Across many results: counts per gap, the phrases that keep coming up, and a ranked plan."""
from __future__ import annotations

import re
from collections import Counter

from ..labels import LABELS
from .safe_text import terminal_safe
from .shares import percent
from .writers import TITLES

TOP_PHRASES = 5


class BatchSummary:
    """Accumulates records (result or error dicts) one at a time; memory is per label, not per message."""

    def __init__(self) -> None:
        self.messages = self.errors = self.rejections = self.no_specific = 0
        self.gaps = Counter()
        self.phrases = {label: Counter() for label in LABELS}

    def add(self, record: dict) -> None:
        self.messages += 1
        if "error" in record:
            self.errors += 1
            return
        self.rejections += bool(record.get("rejection"))
        if not record["gaps"]:
            self.no_specific += 1
        for gap in record["gaps"]:
            self.gaps[gap["label"]] += 1
            seen = set()
            for ev in gap["evidence"]:
                phrase = evidence_phrase(ev)
                if phrase and phrase not in seen:
                    seen.add(phrase)
                    self.phrases[gap["label"]][phrase] += 1

    def stderr_line(self) -> str:
        per_gap = ", ".join(f"{label} {self.gaps[label]}" for label in LABELS if self.gaps[label]) or "none"
        return (
            f"{self.messages} messages: {self.rejections} rejections, {self.no_specific} with no specific gap, "
            f"{self.errors} could not be read. Gaps: {per_gap}."
        )

    def report(self, plans) -> str:
        """The start of an improvement plan across all messages."""
        ok = self.messages - self.errors
        lines = [self.stderr_line(), ""]
        if not self.gaps:
            lines.append("None of these messages names a specific gap. Asking for feedback is the best next step:")
            lines.extend(f"  - {a}" for a in plans["no_gap"].actions)
            return terminal_safe("\n".join(lines)) + "\n"
        lines.append("What the feedback keeps pointing at, most frequent first:")
        for rank, (label, count) in enumerate(self.gaps.most_common(), 1):
            share = percent(count, ok)
            lines.append("")
            lines.append(f"{rank}. {TITLES[label]}: cited in {count} of {ok} messages"
                         + (f" ({share})" if share else ""))
            common = self.phrases[label].most_common(TOP_PHRASES)
            if common:
                lines.append("   Often said: " + "; ".join(f'"{p}" ({n})' for p, n in common))
            lines.append("   What to do:")
            lines.extend(f"   - {a}" for a in plans[label].actions)
        lines.append("")
        lines.append(plans["next_steps"].title + ":")
        lines.extend(f"  - {a}" for a in plans["next_steps"].actions)
        return terminal_safe("\n".join(lines)) + "\n"


def evidence_phrase(evidence: dict) -> str:
    """A short phrase for counting: the rule's phrase when a rule fired, else the sentence's start."""
    source = evidence.get("source", "")
    if source.startswith("rule:") and ".pattern:" not in source:
        phrase = source[5:].split("+")[0].partition(":")[2]
        if phrase:
            return phrase
    words = re.findall(r"[\w'’-]+", evidence.get("text", "").lower())
    return " ".join(words[:8])

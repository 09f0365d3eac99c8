"""The result of analysing one text: plain data, easy to serialise."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Evidence:
    """A sentence that states a gap or a strength, as offsets into the analysed text."""

    start: int
    end: int
    text: str
    source: str               # "rule:<rule id>", "model", or "rule:<rule id>+model"
    cues: list[str] = field(default_factory=list)  # e.g. ["hedge:might want to"]


@dataclass
class Finding:
    """One gap (or strength) with its confidence in [0, 1] and the sentences that say so."""

    label: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Decision:
    """A rule decision kept for explanation, including mentions that were ruled out."""

    label: str
    decision: str   # "gap" | "strength" | "not_a_gap"
    start: int
    end: int
    rule: str
    via: str
    cues: list[str] = field(default_factory=list)
    # What became of a rule gap in the result: "trusted" (a kind of rule decision precise
    # enough on the corpus to stand alone), "agreed" (the combination kept it), "outvoted"
    # (the combined score stayed under the threshold); empty for other decisions.
    outcome: str = ""


@dataclass
class Analysis:
    """Everything gapfinder says about one text."""

    id: str | None
    gaps: list[Finding]
    strengths: list[Finding]
    actions: dict[str, list[str]]
    specific: bool
    text: str
    language: str = "en"          # "en", or "unsupported" when the text does not look English
    ignored: list[dict] = field(default_factory=list)   # quoted replies / signatures skipped
    decisions: list[Decision] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # per-label confidence, gap or not
    rejection: bool = False       # reads as a rejection (a rejection phrase, or any gap)

    @property
    def labels(self) -> list[str]:
        return sorted(g.label for g in self.gaps)

    def to_dict(self, include_text: bool = False) -> dict:
        """The JSON shape of the contract in design.md."""
        out = {
            "id": self.id,
            "gaps": [asdict(g) for g in self.gaps],
            "strengths": [asdict(s) for s in self.strengths],
            "actions": self.actions,
            "specific": self.specific,
            "rejection": self.rejection,
            "language": self.language,
            "scores": self.scores,
            "ignored": self.ignored,
            "decisions": [asdict(d) for d in self.decisions],
        }
        if include_text:
            out["text"] = self.text
        return out

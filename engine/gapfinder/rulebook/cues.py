"""Decide what each rule match means in its clause: a gap, a strength, or not a gap.

A topic ("your CV", "SQL") is only a gap when a deficit or hedge cue speaks about it; praise
makes it a strength; a non-issue cue ("wasn't the problem") rules it out. Each cue is attached
to the nearest area mention in its clause (clauses end at contrast cues and ";"), so in "we
loved your portfolio and felt your answers lacked structure" the praise goes to the portfolio
and the deficit to the answers. Every decision records the rule and the cues that made it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

AREA_GROUPS = ("topic", "gap", "pattern")
NEGATED_PRAISE_WINDOW = 3


class RuleRef(NamedTuple):
    """What one matcher key stands for."""

    group: str   # "topic" | "gap" | "pattern" | a cue kind
    label: str   # the gap label for areas, "" for cues
    rule_id: str


@dataclass
class RuleHit:
    """One rule decision about one label in one clause of one sentence."""

    sentence: int
    label: str
    decision: str   # "gap" | "strength" | "not_a_gap"
    rule: str       # the rule id that named the area
    via: str        # "phrase" | "pattern" | "topic+deficit" | "topic+hedge" | "topic+requirement" | "topic+praise" | "non_issue"
    cues: list[str] = field(default_factory=list)
    plain: bool = False  # an area + deficit gap stated plainly about the candidate (see plainly_stated)

    @property
    def hedged(self) -> bool:
        return any(c.startswith("hedge:") for c in self.cues)


@dataclass
class _Mention:
    ref: RuleRef
    start: int
    end: int
    clause: int
    cues: list[tuple[str, str]] = field(default_factory=list)  # (kind, phrase)


def decide(
    sentence_bounds: list[tuple[int, int]],
    matches: list[tuple[RuleRef, int, int]],
    clause_breaks: list[int],
    generic: frozenset = frozenset(),
) -> list[RuleHit]:
    """Turn raw matches (rule, token start, token end) into decisions, sentence by sentence.

    `sentence_bounds` are token ranges of the sentences to judge; `clause_breaks` are token
    positions of ";" and similar hard clause ends; `generic` holds topic phrases that yield a
    cue to a more specific area of another label in the same clause.
    """
    hits: list[RuleHit] = []
    if not matches:
        return hits
    matches = sorted(matches, key=lambda m: (m[1], m[2]))
    breaks = sorted(clause_breaks)
    m_i = 0
    for s_idx, (s_start, s_end) in enumerate(sentence_bounds):
        while m_i < len(matches) and matches[m_i][1] < s_start:
            m_i += 1
        j = m_i
        in_sentence = []
        while j < len(matches) and matches[j][1] < s_end:
            in_sentence.append(matches[j])
            j += 1
        if in_sentence:
            hits.extend(_decide_sentence(s_idx, in_sentence, breaks, s_start, s_end, generic))
    return hits


def _decide_sentence(s_idx, matches, breaks, s_start, s_end, generic=frozenset()) -> list[RuleHit]:
    cut_points = [b for b in breaks if s_start <= b < s_end]
    cut_points += [start for ref, start, _ in matches if ref.group == "contrast"]
    cut_points.sort()

    def clause_of(pos: int) -> int:
        return sum(1 for c in cut_points if c <= pos)

    # Inside a [neutral] phrase ("for example", "fill in the blank") no word names an area
    # or speaks as a cue.
    neutral = [(a, b) for ref, a, b in matches if ref.group == "neutral"]
    # ... and an area inside a longer one is not named on its own: "security clearance" is
    # eligibility, not "security" (technical).
    area_spans = [(a, b) for ref, a, b in matches if ref.group in AREA_GROUPS]
    areas = [_Mention(ref, a, b, clause_of(a)) for ref, a, b in matches
             if ref.group in AREA_GROUPS and not _inside_longer(a, b, neutral)
             and not _inside_longer(a, b, area_spans)]
    if not areas:
        return []
    negations = [a for ref, a, _ in matches if ref.group == "negation"]
    clause_kinds: dict[int, set[str]] = {}
    cue_spans = [(a, b) for ref, a, b in matches if ref.group not in AREA_GROUPS]
    for ref, start, end in matches:
        kind = ref.group
        if kind in AREA_GROUPS or kind in ("negation", "contrast", "rejection", "advert", "event", "neutral"):
            continue
        if _inside_longer(start, end, cue_spans):
            continue  # "less" inside "at least", "good" inside "well above": the longer cue speaks
        phrase = ref.rule_id.partition(":")[2]
        if kind == "praise" and any(0 < start - n <= NEGATED_PRAISE_WINDOW and clause_of(n) == clause_of(start) for n in negations):
            kind, phrase = "deficit", f"not {phrase}"
        clause_kinds.setdefault(clause_of(start), set()).add(kind)
        target = _nearest(areas, start, end, clause_of(start), generic)
        target.cues.append((kind, phrase))
    return _judge(s_idx, areas, clause_kinds)


def _inside_longer(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when another cue strictly contains this one."""
    return any(a <= start and end <= b and (b - a) > (end - start) for a, b in spans)


def _nearest(areas: list[_Mention], start: int, end: int, clause: int, generic=frozenset()) -> _Mention:
    """The area mention closest to a cue, preferring its own clause, and there a specific
    area over a generic one next to it ("failed to answer basic SQL questions" is about SQL,
    not about answering)."""
    same = [a for a in areas if a.clause == clause] or areas
    if generic:
        same = _specific_over_generic(same, generic)
    def distance(a: _Mention) -> tuple[int, int]:
        if a.start < end and start < a.end:
            return (0, a.start)
        return (a.start - end if a.start >= end else start - a.end, a.start)

    return min(same, key=distance)


GENERIC_SCOPE = 4  # tokens after a generic area in which a specific area is what it is about


def _specific_over_generic(areas: list[_Mention], generic: frozenset) -> list[_Mention]:
    """Drop generic topics ("answer", "skills") that have a specific topic within GENERIC_SCOPE
    tokens on either side: "answer basic SQL questions" is about SQL, and so are "your SQL
    skills"; "your answers were vague and you lacked SQL depth" keeps both, as SQL comes too
    late to be what the answers were about."""
    def is_generic(a):
        return a.ref.group == "topic" and a.ref.rule_id.partition(":")[2] in generic

    drop = {id(g) for g in areas if is_generic(g) and any(
        s.ref.group == "topic" and not is_generic(s)
        and (0 <= s.start - g.end < GENERIC_SCOPE or 0 <= g.start - s.end < GENERIC_SCOPE) for s in areas)}
    return [a for a in areas if id(a) not in drop] or areas


def _judge(s_idx: int, areas: list[_Mention], clause_kinds: dict[int, set[str]]) -> list[RuleHit]:
    """Decide per area. Gap phrases read their whole clause (praise anywhere in it with no
    deficit turns "scored 92%, well above our bar" into a strength); topics read only the
    cues attached to them."""
    hits = []
    for area in areas:
        kinds = {k for k, _ in area.cues}
        if area.ref.group in ("gap", "pattern"):
            kinds |= clause_kinds.get(area.clause, set())
        cues = [f"{k}:{p}" for k, p in area.cues]
        label, ref = area.ref.label, area.ref
        if "non_issue" in kinds:
            decision, via = "not_a_gap", "non_issue"
        elif ref.group in ("gap", "pattern"):
            # A must-have is met or not: praise beside one ("well above our budget") is a
            # comparison, never a strength, so eligibility phrases stay gaps.
            if "praise" in kinds and "deficit" not in kinds and label != "eligibility":
                decision, via = "strength", "topic+praise"
            else:
                decision, via = "gap", "phrase" if ref.group == "gap" else "pattern"
        elif "deficit" in kinds:
            decision, via = "gap", "topic+deficit"
        elif "hedge" in kinds:
            decision, via = "gap", "topic+hedge"
        elif "requirement" in kinds and label == "eligibility":
            decision, via = "gap", "topic+requirement"
        elif "praise" in kinds and label != "eligibility":
            decision, via = "strength", "topic+praise"
        else:
            continue
        hits.append(RuleHit(s_idx, label, decision, ref.rule_id, via, cues))
    return hits


def outside_rejection(hits: list[RuleHit], rejection: bool, advert: bool, personal: set[int]) -> list[RuleHit]:
    """A requirement listed in a job advert (or an ATS acknowledgement quoting the role) is not
    a gap: "at least 7 years required" says what the role needs, not that the candidate
    lacks it. When the text is no rejection and reads as a listing (`advert`: an [advert]
    cue, or two or more sentences of bare requirements that do not speak of the candidate:
    `personal` holds the sentences with "you", "your", "I", "my"...), eligibility gaps that
    rest on a requirement cue alone (no deficit or hedge) become "not_a_gap" (via
    "requirement_only") and the decision says why. One line of feedback ("The role requires
    five years of experience.") and every rejection keep them as gaps."""
    if rejection:
        return hits

    def bare(hit: RuleHit) -> bool:
        kinds = {c.partition(":")[0] for c in hit.cues}
        return (hit.label == "eligibility" and hit.decision == "gap" and "requirement" in kinds
                and not kinds & {"deficit", "hedge"})

    # An advert's "you" is anyone who applies; without an advert cue, only sentences that do
    # not speak of the candidate count as a listing.
    listed = {i for i, h in enumerate(hits) if bare(h) and (advert or h.sentence not in personal)}
    if not advert and len({hits[i].sentence for i in listed}) < 2:
        return hits
    return [
        RuleHit(h.sentence, h.label, "not_a_gap", h.rule, "requirement_only",
                h.cues + ["context:a listing, not a rejection"]) if i in listed else h
        for i, h in enumerate(hits)
    ]


def plainly_stated(hits: list[RuleHit], first_person: set[int], events: set[str],
                   conditions: frozenset | set = frozenset()) -> list[RuleHit]:
    """Mark the area + deficit gaps that are said plainly about the candidate, so that the
    combination can trust them even where the model has never seen the wording ("Your SQL
    skills were below our bar").

    On real write-ups most area + deficit matches are not about the candidate's gap: the
    writer tells a story in the first person ("a few weeks ago I had an interview"), or the
    area is an occasion, not a skill ("the panel", "the interview"), or praise sits on the
    same area, or the sentence sets a condition ("if you cannot come to the office"). So a
    decision counts as plain only when its sentence has no "I", "my", "me" (`first_person`:
    sentence indexes) and no "if" or "unless" (`conditions`), its area is no occasion
    (`events`: topic phrases from the [event] cues) and no praise cue is attached to it. On
    the real-text check, plain decisions on trusted topics were right in 27 of 38 texts (all
    area + deficit decisions: 56 of 119)."""
    out = []
    for h in hits:
        if h.decision != "gap" or h.via != "topic+deficit":
            out.append(h)
        elif h.sentence in first_person:
            out.append(replace(h, cues=h.cues + ["context:told in the first person"]))
        elif h.sentence in conditions:
            out.append(replace(h, cues=h.cues + ["context:said as a condition"]))
        elif h.rule.partition(":")[2] in events:
            out.append(replace(h, cues=h.cues + ["context:the area is an occasion, not an ability"]))
        elif any(c.startswith("praise:") for c in h.cues):
            out.append(h)
        else:
            out.append(replace(h, plain=True, cues=h.cues + ["context:said plainly of the candidate"]))
    return out

"""The specific skill or topic a feedback sentence names, so an action can name it too.

"We were looking for more depth in distributed systems." -> "distributed systems", so the
plan says "Take a course or certification in distributed systems" instead of "in the skills
named in the feedback". Two sources, most specific first: the noun phrase after in / with /
on / around / about (when it is not a generic word like "the interview"), then a term the
rule files already know for the area (rules/gaps.rules, [LABEL.topic]).
"""
from __future__ import annotations

import re

# Words that say nothing specific on their own: the areas themselves and filler nouns.
GENERIC = frozenset("""
a an the your our their my this that these those his her its some any more less much
interview interviews interviewing application applications applicant role roles position job
cv resume résumé cover letter letters experience skill skills area areas time mind future touch
particular general addition terms order line case end person place team process stage round
candidate candidates way part regard regards respect detail details level bar today conversation
chat call us you me them it one everything something anything thing things lot view opinion
technical knowledge ability background profile answer answers question questions industry
sector field work project projects feedback decision moment opportunity interest depth understanding exposure
familiarity proficiency confidence grasp strength strengths weakness weaknesses
""".split())
PREPOSITIONS = r"in|with|on|around|about|of|for"
# Where a noun phrase ends: verbs, conjunctions, pronouns and the like.
ENDERS = frozenset("""
was were is are be been being and but or nor which that who whom whose so because when where
while than as at to from by we you i they he she it this these those if though although
would could should might must will can may did does do has have had not n't also too very
really quite just yet still since during before after into lack lacks seem seems need needs
felt went showed came gave made left what how why without within across especially including
like such
""".split())
_WORD = re.compile(r"[A-Za-z0-9][\w+#./&'-]*")
_PREP = re.compile(rf"\b(?:{PREPOSITIONS})\s+", re.I)
MAX_WORDS = 4
_PREPS = frozenset(PREPOSITIONS.split("|"))
_DROPPED = frozenset({"your", "our", "their", "my", "some", "any", "more", "less", "much"})


def phrase_after_preposition(sentence: str) -> str | None:
    """The first specific noun phrase after a preposition, as written in the sentence."""
    for prep in _PREP.finditer(sentence):
        words = []
        for match in _WORD.finditer(sentence, prep.end()):
            gap = sentence[(words[-1].end() if words else prep.end()):match.start()]
            if gap.strip():          # punctuation ends the phrase
                break
            word = match.group().lower().rstrip(".'")
            if word in ENDERS or word in {"in", "with", "on", "around", "about", "of", "for"}:
                break
            if words and word.endswith("ed"):   # "interview lacked structure": a verb ends it
                break
            words.append(match)
            if len(words) >= MAX_WORDS:
                break
        while words and words[0].group().lower() in _DROPPED:   # "your", "more": not part of a topic
            words = words[1:]
        if not words or all(w.group().lower().strip(".") in GENERIC for w in words):
            continue
        text = sentence[words[0].start():words[-1].end()].rstrip(".,;:'\"")
        if len(text) >= 2:
            return text
    return None


def known_term(sentence: str, terms: list[str]) -> str | None:
    """The longest non-generic term from the rule files found in the sentence (as written)."""
    best = None
    lowered = sentence.lower()
    for term in terms:
        if not term or all(w in GENERIC or w in ENDERS or w in _PREPS for w in term.split()):
            continue
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in term.split()) + r"(?:s|es)?\b"
        found = re.search(pattern, lowered)
        if found and (best is None or len(found.group()) > len(best.group())):
            best = found
    return sentence[best.start():best.end()] if best else None


CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]|\band\b|\bbut\b|\balthough\b|\bwhile\b)\s*", re.I)


def topic_of(sentence: str, terms: list[str] | None = None, other_terms: list[str] | None = None) -> str | None:
    """The most specific topic a sentence names for an area, or None when it names none.

    `terms` are the area's own terms: when the sentence has several clauses ("Your CV had
    typos and we need an RN licence"), only the clause that talks about the area is read.
    """
    terms = terms or []
    clause = _clause_about(sentence, terms)
    phrase, term = phrase_after_preposition(clause), known_term(clause, terms)
    if phrase and term and term.lower() not in phrase.lower() and _modifies(clause, term, phrase):
        return term          # "the right to work in the UK": the phrase only qualifies the term
    return phrase or term or known_term(clause, other_terms or [])


def _modifies(clause: str, term: str, phrase: str) -> bool:
    """True when the phrase follows the term with only a preposition between them."""
    end = clause.lower().find(term.lower()) + len(term)
    start = clause.find(phrase, end)
    return start > end and re.fullmatch(rf"\s+(?:{PREPOSITIONS})\s+(?:the\s+|a\s+|an\s+)?",
                                        clause[end:start], re.I) is not None


def _clause_about(sentence: str, terms: list[str]) -> str:
    clauses = [c for c in CLAUSE_BREAK.split(sentence) if c.strip()]
    if len(clauses) < 2:
        return sentence
    for clause in clauses:
        lowered = clause.lower()
        if any(re.search(r"\b" + re.escape(t) + r"(?:s|es)?\b", lowered) for t in terms if t):
            return clause
    return sentence


def area_terms(rules, label: str) -> list[str]:
    """The [LABEL.topic] terms of a loaded RuleSet (empty when there are none)."""
    return [p.text for p in getattr(rules, "phrases", {}).get(f"{label}.topic", [])]


def other_terms(rules, label: str) -> list[str]:
    """Every other area's topic terms ("system design" named in an interview sentence)."""
    return [p.text for key, found in getattr(rules, "phrases", {}).items()
            if key.endswith(".topic") and key != f"{label}.topic" for p in found]

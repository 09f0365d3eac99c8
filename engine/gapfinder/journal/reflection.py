"""The guide's reflection questions (step 2): answers analysed like feedback, and compared.

The answers are read twice: by the engine, like any feedback, and directly, since a plain
"No" to "Did I meet all the eligibility criteria?" already says which area fell short.
Where the person's view and the recruiter's differ about an area, the plan says so: both
views are worth having, and neither is thrown away.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from . import analysing
from .errors import JournalInputError
from .events import get_application, rejections
from .records import Reflection, from_row
from .store import Journal, new_uid, now_iso

QUESTIONS = (
    ("eligibility", "Did I meet all the eligibility criteria (experience, licences, location, right to work)?"),
    ("resume", "Was my resume clear and tailored to the role?"),
    ("interview", "How did I do in the interview or assessment?"),
    ("strengths", "What went well? Which strengths did I show?"),
    ("improve", "What would I do differently next time?"),
)
KEYS = tuple(k for k, _ in QUESTIONS)
AREA_QUESTIONS = ("eligibility", "resume", "interview")
_NO = re.compile(r"^\s*(no\b|nope|not\s|not really|partly|partially|mostly not|i didn'?t|i did not|i don'?t think"
                 r"|i wasn'?t|it wasn'?t|badly|poorly|not well|terribl|awful|could have been better)", re.I)
_YES = re.compile(r"^\s*(yes\b|yep|yeah|i did\b|i think so|fully|well\b|good\b|great\b|fine\b|it went well)", re.I)


@dataclass
class Disagreement:
    area: str
    recruiter: bool        # the recruiter's feedback names it as a gap
    yours: bool            # your reflection says it fell short
    application_id: int


def direct_reading(answers: dict) -> tuple[list[str], list[str]]:
    """(areas the answers say fell short, areas they say were fine) from yes / no answers."""
    short, fine = [], []
    for area in AREA_QUESTIONS:
        answer = (answers.get(area) or "").strip()
        if _NO.match(answer):
            short.append(area)
        elif _YES.match(answer):
            fine.append(area)
    return short, fine


def record_reflection(journal: Journal, application_id, answers: dict, engine=None) -> Reflection:
    """Analyse and store the answers for an application (and its latest rejection)."""
    app = get_application(journal, application_id)
    unknown = sorted(set(answers) - set(KEYS))
    if unknown:
        raise JournalInputError(f"unknown reflection question {unknown[0]!r}; the questions are: {', '.join(KEYS)}")
    answers = {k: str(v).strip() for k, v in answers.items() if v is not None and str(v).strip()}
    if not answers:
        raise JournalInputError("the reflection has no answers; nothing was stored")
    text = "\n\n".join(answers[k] for k in KEYS if k in answers)
    analysis, _cleaned, version = analysing.analyze(text, engine)
    short, fine = direct_reading(answers)
    analysis["self_gaps"] = sorted(set(short) | {g["label"] for g in analysis.get("gaps", [])})
    analysis["self_fine"] = sorted(set(fine) - set(analysis["self_gaps"]))
    found = rejections(journal, app.id)
    with journal.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO reflections (uid, application_id, rejection_id, entered_at, answers, text, analysis,"
            " model_version) VALUES (?,?,?,?,?,?,?,?)",
            (new_uid(), app.id, found[-1].id if found else None, now_iso(), json.dumps(answers, ensure_ascii=False),
             text, json.dumps(analysis, ensure_ascii=False), version))
    return get_reflection(journal, cur.lastrowid)


def get_reflection(journal: Journal, reflection_id: int) -> Reflection:
    row = journal.one("SELECT * FROM reflections WHERE id = ?", (reflection_id,))
    r = from_row(Reflection, row)
    r.self_gaps = r.analysis.get("self_gaps", [])
    return r


def reflections(journal: Journal) -> list[Reflection]:
    return [get_reflection(journal, row["id"]) for row in journal.rows("SELECT id FROM reflections ORDER BY id")]


def disagreements(journal: Journal) -> list[Disagreement]:
    """Areas where a reflection and the same application's feedback differ."""
    out = []
    by_app: dict[int, set[str]] = {}
    specific: set[int] = set()
    for r in rejections(journal):
        by_app.setdefault(r.application_id, set()).update(r.gap_labels)
        if r.specific:
            specific.add(r.application_id)
    for ref in reflections(journal):
        theirs = by_app.get(ref.application_id, set())
        yours = set(ref.analysis.get("self_gaps", []))
        fine = set(ref.analysis.get("self_fine", []))
        for area in sorted(theirs & fine):
            out.append(Disagreement(area, True, False, ref.application_id))
        if ref.application_id in specific:
            for area in sorted(yours - theirs):
                out.append(Disagreement(area, False, True, ref.application_id))
    return out

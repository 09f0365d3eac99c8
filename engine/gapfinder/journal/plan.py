"""The plan across rejections (steps 4-6): gap areas ranked, evidence quoted, specific actions.

An area ranks higher the more rejections name it and the more recently they did (each
rejection counts 1, halved for every 60 days of age). Each action names the skill or topic
the evidence names; when it names none, the guide's general action stands in. Goals are
proposed from the actions; whether a gap came back after its goal was marked done is
checked against the rejections received after that date.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from ..labels import LABELS
from .events import applications, rejections
from ..write.shares import percent
from .progress import Goal, funnel, goals, weekly
from .reflection import disagreements
from .store import Journal
from .topics import area_terms, other_terms, topic_of
from .views import AREA_TITLES

HALF_LIFE_DAYS = 60
ACTION_WITH_TOPIC = {
    "technical": "Take a course or certification in {topic}, then practise it on a realistic task.",
    "interview": "Practise mock interviews on {topic}, and ask whoever plays the interviewer for honest notes.",
    "resume": "Rework your CV and cover letter on {topic}: tailor it to each job and lead with achievements.",
    "industry": "Stay updated on {topic}: follow two or three trade sources and note one development a week.",
    "eligibility": "Before applying, check whether the role requires {topic}; target roles that match, "
                   "or find out what it would take to meet it.",
}
GOAL_WITH_TOPIC = {
    "technical": "Complete a course or certification in {topic}",
    "interview": "Do two mock interviews on {topic}",
    "resume": "Rewrite your CV and cover letter around {topic}",
    "industry": "Spend 20 minutes three times a week reading about {topic}",
    "eligibility": "Check every advert for {topic} before applying",
}
GOAL_GENERAL = {
    "technical": "Finish one course module and one practice task",
    "interview": "Do two mock interviews with a friend, mentor or careers adviser",
    "resume": "Tailor your CV and cover letter for your next three applications",
    "industry": "Follow two trade publications and note one trend a week",
    "eligibility": "Check the must-haves before each of your next five applications",
}
NETWORKING = ("Networking counts too: message one person in your field this week, or sign up for one webinar, "
              "workshop or careers fair.")


@dataclass
class Quote:
    text: str
    company: str
    role: str
    date: str
    rejection_id: int
    application_id: int


@dataclass
class AreaPlan:
    label: str
    title: str
    count: int
    of: int
    weight: float
    first_seen: str
    last_seen: str
    quotes: list[Quote]
    topics: list[str]
    actions: list[str]
    proposed_goal: str
    goals: list[dict] = field(default_factory=list)
    recurred_after_done: list[dict] = field(default_factory=list)
    share: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    today: str
    rejections: int
    areas: list[AreaPlan]
    no_reason: int
    feedback_requests_sent: int
    funnel: dict
    weeks: list[dict]
    this_week: dict
    small_wins: list[str]
    strengths: list[dict]
    next_steps: list[str]
    model_versions: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


def build_plan(journal: Journal, rules, today: date | None = None) -> Plan:
    today = today or date.today()
    apps = {a.id: a for a in applications(journal)}
    rejs = rejections(journal)
    all_goals = goals(journal)
    areas = []
    for label in LABELS:
        mentioning = [r for r in rejs if label in r.gap_labels]
        if mentioning:
            areas.append(_area(label, mentioning, len(rejs), apps, all_goals, rules, today))
    areas.sort(key=lambda a: (-a.weight, -a.count, LABELS.index(a.label)))
    for d in disagreements(journal):
        area = next((a for a in areas if a.label == d.area), None)
        company = apps[d.application_id].company
        note = (f"At {company} the feedback named this, but your reflection felt it went fine: worth a second "
                "look, or a question to them." if d.recruiter else
                f"In your reflection on {company} you felt this fell short; their feedback did not mention it. "
                "It may have mattered less than you fear.")
        if area:
            area.notes.append(note)
    weeks = [asdict(w) for w in weekly(journal, today)]
    sent = journal.one("SELECT count(*) FROM replies WHERE kind = 'feedback_request'")[0]
    strengths = Counter(s["label"] for r in rejs for s in r.analysis.get("strengths", []))
    plans = getattr(rules, "plans", {})
    next_steps = list(plans["next_steps"].actions) if "next_steps" in plans else []
    return Plan(today.isoformat(), len(rejs), areas, sum(1 for r in rejs if not r.specific), sent, funnel(journal),
                weeks, _this_week(weeks), small_wins(journal, all_goals, rejs, apps), [
                    {"label": k, "title": AREA_TITLES[k], "count": v} for k, v in strengths.most_common()],
                next_steps, sorted({r.model_version for r in rejs}))


def _area(label, mentioning, total, apps, all_goals: list[Goal], rules, today: date) -> AreaPlan:
    quotes, topics = [], Counter()
    own, others = area_terms(rules, label), other_terms(rules, label)
    last_topic_date: dict[str, str] = {}
    for r in mentioning:
        gap = next(g for g in r.analysis["gaps"] if g["label"] == label)
        app = apps[r.application_id]
        for ev in gap.get("evidence", [])[:2]:
            quotes.append(Quote(" ".join(ev["text"].split()), app.company, app.role, r.received_on, r.id, app.id))
            topic = topic_of(ev["text"], own, others)
            if topic:
                topics[topic] += 1
                last_topic_date[topic] = max(last_topic_date.get(topic, ""), r.received_on)
    ordered = sorted(topics, key=lambda t: (-topics[t], _neg(last_topic_date[t])))
    generic = list(rules.plans[label].actions) if label in getattr(rules, "plans", {}) else []
    specific = [ACTION_WITH_TOPIC[label].format(topic=t) for t in ordered[:3]]
    if specific:   # the general "skills named in the feedback" line is what the specific ones replace
        generic = [a for a in generic if "named in the feedback" not in a]
    actions = specific + generic
    weight = sum(0.5 ** ((today - date.fromisoformat(r.received_on)).days / HALF_LIFE_DAYS) for r in mentioning)
    mine = [g for g in all_goals if g.area == label]
    recurred = []
    for g in mine:
        if g.status == "done" and g.done_on:
            later = [r for r in mentioning if r.received_on > g.done_on]
            for r in later:
                recurred.append({"goal_id": g.id, "goal": g.title, "done_on": g.done_on, "rejection_id": r.id,
                                 "company": apps[r.application_id].company, "date": r.received_on})
    dates = sorted(r.received_on for r in mentioning)
    return AreaPlan(label, AREA_TITLES[label], len(mentioning), total, round(weight, 3), dates[0], dates[-1],
                    sorted(quotes, key=lambda q: q.date, reverse=True), ordered, actions,
                    GOAL_WITH_TOPIC[label].format(topic=ordered[0]) if ordered else GOAL_GENERAL[label],
                    [asdict(g) for g in mine], recurred, percent(len(mentioning), total))


def _neg(iso: str) -> tuple:
    return tuple(-ord(c) for c in iso)


def _this_week(weeks: list[dict]) -> dict:
    week = weeks[-1] if weeks else {"start": "", "applied": 0, "goal": None}
    goal = week["goal"]
    if goal is None:
        message = (f"You sent {week['applied']} application{'s' if week['applied'] != 1 else ''} this week. "
                   "Set a weekly goal with 'gapfinder goal weekly N' to track it. " + NETWORKING)
    elif week["applied"] >= goal:
        message = f"You met your goal this week: {week['applied']} of {goal} applications. Well done."
    else:
        message = (f"This week: {week['applied']} of {goal} applications so far. A few well-chosen ones beat many "
                   "rushed ones. " + NETWORKING)
    return {**week, "message": message}


def small_wins(journal: Journal, all_goals: list[Goal], rejs, apps) -> list[str]:
    """Progress worth noticing, newest first: stages reached, goals done, follow-ups sent."""
    wins: list[tuple[str, str]] = []
    for row in journal.rows("SELECT application_id, status, min(event_date) AS d FROM events "
                            "WHERE status IN ('screen', 'interview', 'offer') GROUP BY application_id, status"):
        app = apps[row["application_id"]]
        stage = {"screen": "a screening call", "interview": "an interview", "offer": "an offer"}[row["status"]]
        wins.append((row["d"], f"You got {stage} at {app.company} ({row['d']})."))
    for g in all_goals:
        if g.status == "done":
            wins.append((g.done_on, f"Goal done: {g.title} ({g.done_on})."))
        for log in g.logs:
            wins.append((log["date"], f"Progress on '{g.title}': {log['note']} ({log['date']})."))
    for row in journal.rows("SELECT r.sent_on, a.company FROM replies r JOIN rejections j ON j.id = r.rejection_id "
                            "JOIN applications a ON a.id = j.application_id"):
        wins.append((row["sent_on"], f"You followed up with {row['company']} ({row['sent_on']})."))
    for r in rejs:
        for s in r.analysis.get("strengths", []):
            wins.append((r.received_on, f"{apps[r.application_id].company} praised your "
                                        f"{AREA_TITLES[s['label']].lower()} ({r.received_on})."))
    return [text for _d, text in sorted(wins, key=lambda w: w[0], reverse=True)][:10]

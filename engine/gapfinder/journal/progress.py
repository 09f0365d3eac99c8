"""Goals, progress entries, applications per week, and the funnel, all from the event log.

Counts come from what happened, never from the status now: an application that reached an
interview and was then rejected counts as having reached the interview. Goal state is
derived from append-only goal events (set, log, done, reopened), so marking a goal done by
mistake is undone by a new 'reopened' entry, and the history shows both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..labels import LABELS
from .errors import JournalInputError, UnknownRecord
from .events import FUNNEL, check_date, events, history, is_waiting, reached
from .store import Journal, new_uid, now_iso

@dataclass
class Goal:
    id: int
    area: str
    title: str
    set_on: str
    status: str = "active"                   # "active" | "done"
    done_on: str | None = None
    logs: list[dict] = field(default_factory=list)   # {"date", "note"}


@dataclass
class Week:
    start: str          # the Monday
    applied: int
    goal: int | None


def set_goal(journal: Journal, area: str, title: str, on=None) -> Goal:
    if area not in LABELS:
        raise JournalInputError(f"unknown area {area!r}; use one of: {', '.join(LABELS)}")
    if not title.strip():
        raise JournalInputError("a goal needs a short description")
    when = check_date(on, "goal date")
    with journal.transaction() as conn:
        cur = conn.execute("INSERT INTO goals (uid, area, title, entered_at) VALUES (?,?,?,?)",
                           (new_uid(), area, title.strip(), now_iso()))
        _goal_event(conn, cur.lastrowid, "set", when, "")
    return get_goal(journal, cur.lastrowid)


def goal_event(journal: Journal, goal_id, kind: str, note: str = "", on=None) -> Goal:
    """Log progress ('log'), mark it done ('done'), or reopen it ('reopened')."""
    goal = get_goal(journal, goal_id)
    if kind == "log" and not note.strip():
        raise JournalInputError("say what you did, in a few words (e.g. 'finished module 2')")
    with journal.transaction() as conn:
        _goal_event(conn, goal.id, kind, check_date(on, "date"), note.strip())
    return get_goal(journal, goal.id)


def _goal_event(conn, goal_id, kind, when, note) -> None:
    conn.execute("INSERT INTO goal_events (uid, goal_id, kind, event_date, entered_at, note) VALUES (?,?,?,?,?,?)",
                 (new_uid(), goal_id, kind, when, now_iso(), note))


def get_goal(journal: Journal, goal_id) -> Goal:
    try:
        gid = int(str(goal_id).lstrip("#"))
    except ValueError:
        raise UnknownRecord(f"{goal_id!r} is not a goal id (see 'gapfinder goal list')") from None
    found = [g for g in goals(journal) if g.id == gid]
    if not found:
        raise UnknownRecord(f"there is no goal {goal_id} in the journal (see 'gapfinder goal list')")
    return found[0]


def goals(journal: Journal) -> list[Goal]:
    out = {}
    for row in journal.rows("SELECT * FROM goals ORDER BY id"):
        out[row["id"]] = Goal(row["id"], row["area"], row["title"], "")
    for e in journal.rows("SELECT * FROM goal_events ORDER BY event_date, id"):
        goal = out[e["goal_id"]]
        if e["kind"] == "set":
            goal.set_on = e["event_date"]
        elif e["kind"] == "log":
            goal.logs.append({"date": e["event_date"], "note": e["note"]})
        elif e["kind"] == "done":
            goal.status, goal.done_on = "done", e["event_date"]
        elif e["kind"] == "reopened":
            goal.status, goal.done_on = "active", None
    return list(out.values())


def set_weekly_goal(journal: Journal, per_week: int, on=None) -> None:
    if per_week < 0 or per_week > 100:
        raise JournalInputError("a weekly goal is a number of applications from 0 to 100")
    with journal.transaction() as conn:
        conn.execute("INSERT INTO weekly_goals (uid, per_week, set_on, entered_at) VALUES (?,?,?,?)",
                     (new_uid(), per_week, check_date(on, "date"), now_iso()))


def weekly(journal: Journal, today: date | None = None, weeks: int = 8) -> list[Week]:
    """Applications sent per week (Monday to Sunday) over the last `weeks` weeks, with the goal then."""
    today = today or date.today()
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    counts = dict.fromkeys(starts, 0)
    for e in history(events(journal)):
        if e.status == "applied":
            d = date.fromisoformat(e.event_date)
            start = d - timedelta(days=d.weekday())
            if start in counts:
                counts[start] += 1
    goal_rows = journal.rows("SELECT per_week, set_on FROM weekly_goals ORDER BY set_on, id")
    out = []
    for start in starts:
        end = (start + timedelta(days=6)).isoformat()
        goal = None
        for row in goal_rows:
            if row["set_on"] <= end:
                goal = row["per_week"]
        out.append(Week(start.isoformat(), counts[start], goal))
    return out


def funnel(journal: Journal) -> dict:
    """How many applications reached each stage, ended each way, and are still waiting."""
    all_events = events(journal)
    by_app: dict[int, list] = {}
    for e in all_events:
        by_app.setdefault(e.application_id, []).append(e)
    total = journal.one("SELECT count(*) FROM applications")[0]
    counts = dict.fromkeys(FUNNEL, 0)
    ended = dict.fromkeys(("rejected", "withdrawn", "ghosted"), 0)
    waiting = 0
    for app_events in by_app.values():
        for stage in reached(app_events):
            counts[stage] += 1
        statuses = {e.status for e in history(app_events)}
        for kind in ended:
            ended[kind] += kind in statuses
        waiting += is_waiting(app_events)
    return {"applications": total, "reached": counts, "ended": ended, "waiting": waiting,
            "saved": total - counts["applied"]}

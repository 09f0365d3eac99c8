"""The plan: ranking, evidence, specific actions, goals, recurrence, honest numbers, weeks."""
from datetime import date

import pytest

from gapfinder.journal import add_application, add_event
from gapfinder.journal.plan import build_plan
from gapfinder.journal.plan_text import funnel_sentence, plan_text
from gapfinder.journal.progress import funnel, goal_event, goals, set_goal, set_weekly_goal, weekly
from gapfinder.write.shares import percent
from gapfinder.rulebook.rules import load_rules

from .helpers import rejected

TODAY = date(2026, 3, 31)
SQL = "The technical exercise showed gaps in SQL."
TYPOS = "Your CV had several typos."


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_areas_rank_by_how_often_and_how_recently(journal, rules):
    rejected(journal, "Old Co", "2025-10-01", "2025-10-10", ("resume", TYPOS))
    rejected(journal, "Older Co", "2025-10-02", "2025-10-12", ("resume", "The cover letter was generic."))
    rejected(journal, "New Co", "2026-03-01", "2026-03-20", ("technical", SQL))
    rejected(journal, "Newer Co", "2026-03-02", "2026-03-25", ("technical", "We felt your experience with Kubernetes was limited."))
    plan = build_plan(journal, rules, TODAY)
    assert [a.label for a in plan.areas] == ["technical", "resume"]   # as often, but more recent
    tech = plan.areas[0]
    assert tech.count == 2 and tech.of == 4 and tech.last_seen == "2026-03-25"
    assert [q.company for q in tech.quotes] == ["Newer Co", "New Co"] and tech.quotes[1].text == SQL
    assert tech.actions[:2] == ["Take a course or certification in Kubernetes, then practise it on a realistic task.",
                                "Take a course or certification in SQL, then practise it on a realistic task."]
    assert not any("named in the feedback" in a for a in tech.actions)
    assert tech.proposed_goal == "Complete a course or certification in Kubernetes"


def test_an_area_without_a_topic_falls_back_to_the_guides_actions(journal, rules):
    rejected(journal, "Acme", "2026-03-01", "2026-03-10", ("resume", TYPOS))
    (area,) = build_plan(journal, rules, TODAY).areas
    assert area.actions == rules.plans["resume"].actions and area.topics == []


def test_goals_progress_done_and_recurrence(journal, rules):
    rejected(journal, "Acme", "2026-01-05", "2026-01-20", ("technical", SQL))
    goal = set_goal(journal, "technical", "Complete a course in SQL", "2026-01-25")
    goal_event(journal, goal.id, "log", "Finished module 1", "2026-02-01")
    goal_event(journal, goal.id, "done", on="2026-02-15")
    area = build_plan(journal, rules, TODAY).areas[0]
    assert area.goals[0]["status"] == "done" and area.recurred_after_done == []
    assert "It has not come up again since the goal was done." in plan_text(build_plan(journal, rules, TODAY))
    rejected(journal, "Beta", "2026-02-20", "2026-03-10", ("technical", "Your SQL was not at our level."))
    area = build_plan(journal, rules, TODAY).areas[0]
    assert [(r["company"], r["date"]) for r in area.recurred_after_done] == [("Beta", "2026-03-10")]
    assert "It came up again after its goal was marked done: Beta (2026-03-10)" in plan_text(build_plan(journal, rules, TODAY))
    goal_event(journal, goal.id, "reopened", on="2026-03-12")
    assert goals(journal)[0].status == "active" and goals(journal)[0].logs[0]["note"] == "Finished module 1"


def test_funnel_counts_from_history_not_from_status_now(journal):
    app = add_application(journal, "Acme", "Analyst", "2026-03-01")
    add_event(journal, app.id, "interview", "2026-03-10")
    add_event(journal, app.id, "rejected", "2026-03-20")
    waiting = add_application(journal, "Beta", "Analyst", "2026-03-02")
    add_event(journal, waiting.id, "screen", "2026-03-05")
    add_application(journal, "Gamma", "Analyst", status="saved")
    f = funnel(journal)
    assert f["reached"] == {"applied": 2, "screen": 2, "interview": 1, "offer": 0}
    assert f["waiting"] == 1 and f["ended"]["rejected"] == 1 and f["saved"] == 1
    sentence = funnel_sentence(f)
    assert "%" not in sentence and "1 is still waiting for an answer" in sentence


def test_no_percentage_below_five_cases():
    assert percent(1, 4) is None and percent(2, 5) == "40%"


def test_applications_per_week_against_the_goal(journal, rules):
    set_weekly_goal(journal, 2, "2026-03-01")
    for d in ("2026-03-23", "2026-03-24", "2026-03-25", "2026-03-31"):
        add_application(journal, f"Co {d}", "Analyst", d)
    weeks = weekly(journal, TODAY, weeks=3)
    assert [(w.start, w.applied, w.goal) for w in weeks] == [("2026-03-16", 0, 2), ("2026-03-23", 3, 2),
                                                             ("2026-03-30", 1, 2)]
    plan = build_plan(journal, rules, TODAY)
    assert plan.this_week["message"].startswith("This week: 1 of 2 applications so far.")
    assert "message one person in your field" in plan.this_week["message"]


def test_empty_and_no_reason_journals_get_kind_text(journal, rules):
    assert plan_text(build_plan(journal, rules, TODAY)).startswith("Your journal is empty.")
    rejected(journal, "Acme", "2026-03-01", "2026-03-10")
    text = plan_text(build_plan(journal, rules, TODAY))
    assert "None of your 1 rejection named a specific gap" in text and "not a verdict on you" in text


def test_small_wins(journal, rules):
    app, _ = rejected(journal, "Acme", "2026-03-01", "2026-03-20", ("technical", SQL), strengths=("interview",))
    add_event(journal, app.id, "interview", "2026-03-12")
    wins = build_plan(journal, rules, TODAY).small_wins
    assert "Acme praised your interview skills (2026-03-20)." in wins
    assert "You got an interview at Acme (2026-03-12)." in wins

"""gapfinder plan and gapfinder goal: what to work on across rejections, and goals for it."""
from __future__ import annotations

import json

import click

from .common import debug_option, friendly_errors
from .journal_options import as_date, journal_option, open_journal

AREAS = ("resume", "technical", "interview", "industry", "eligibility")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--today", metavar="DATE", default=None,
              help="Count weeks and recency up to DATE instead of today (for a look back).")
@journal_option
@debug_option
@friendly_errors
def plan(fmt, today, journal_file, debug):
    """Rank the gap areas across your rejections, with the evidence and what to do.

    Areas named by more, and more recent, rejections come first. Each action names the
    skill or topic the feedback named. Counts come from your journal's history; shares
    are shown only from 5 cases up.

    \b
    Examples:
      gapfinder plan
      gapfinder plan --format json > plan.json
    """
    from ..journal.plan import build_plan
    from ..journal.plan_text import plan_text
    from ..rulebook.rules import load_rules

    with open_journal(journal_file, create=False) as j:
        result = build_plan(j, load_rules(), as_date(today))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(plan_text(result), nl=False)


@click.group()
def goal() -> None:
    """Set goals for gap areas, log progress, mark them done; set a weekly application goal.

    \b
    Examples:
      gapfinder goal set technical "Complete a course in SQL"
      gapfinder goal log 1 "Finished module 2"
      gapfinder goal done 1
      gapfinder goal weekly 5
    """


@goal.command("set")
@click.argument("area", type=click.Choice(AREAS))
@click.argument("title")
@click.option("--date", "on", metavar="DATE", help="When you set it [default: today].")
@journal_option
@debug_option
@friendly_errors
def goal_set(area, title, on, journal_file, debug):
    """Set a goal for a gap area."""
    from ..journal.progress import set_goal

    with open_journal(journal_file) as j:
        g = set_goal(j, area, title, on)
    click.echo(f"Goal {g.id} set: {g.title}. Log progress with 'gapfinder goal log {g.id} \"what you did\"'.")


@goal.command("log")
@click.argument("goal_id")
@click.argument("note")
@click.option("--date", "on", metavar="DATE", help="When [default: today].")
@journal_option
@debug_option
@friendly_errors
def goal_log(goal_id, note, on, journal_file, debug):
    """Log progress on a goal: small steps count."""
    from ..journal.progress import goal_event

    with open_journal(journal_file) as j:
        g = goal_event(j, goal_id, "log", note, on)
    click.echo(f"Logged on goal {g.id}: {note}. That is {len(g.logs)} step{'s' if len(g.logs) != 1 else ''} so far.")


@goal.command("done")
@click.argument("goal_id")
@click.option("--date", "on", metavar="DATE", help="When [default: today].")
@journal_option
@debug_option
@friendly_errors
def goal_done(goal_id, on, journal_file, debug):
    """Mark a goal done. The plan then watches whether the gap comes up again."""
    from ..journal.progress import goal_event

    with open_journal(journal_file) as j:
        g = goal_event(j, goal_id, "done", "", on)
    click.echo(f"Goal {g.id} done: {g.title}. Well done; that took real effort.")


@goal.command("reopen")
@click.argument("goal_id")
@journal_option
@debug_option
@friendly_errors
def goal_reopen(goal_id, journal_file, debug):
    """Reopen a goal marked done (the history keeps both entries)."""
    from ..journal.progress import goal_event

    with open_journal(journal_file) as j:
        g = goal_event(j, goal_id, "reopened")
    click.echo(f"Goal {g.id} is open again: {g.title}.")


@goal.command("list")
@journal_option
@debug_option
@friendly_errors
def goal_list(journal_file, debug):
    """List goals with their progress."""
    from ..journal.progress import goals

    with open_journal(journal_file, create=False) as j:
        found = goals(j)
    if not found:
        click.echo("No goals yet. 'gapfinder plan' suggests one for each gap area.")
    for g in found:
        state = f"done {g.done_on}" if g.status == "done" else f"active since {g.set_on}"
        click.echo(f"{g.id:>3}  {g.area:<12} {g.title}  ({state}; {len(g.logs)} progress entries)")


@goal.command("weekly")
@click.argument("per_week", type=click.IntRange(0, 100))
@click.option("--date", "on", metavar="DATE", help="From when [default: today].")
@journal_option
@debug_option
@friendly_errors
def goal_weekly(per_week, on, journal_file, debug):
    """Set how many applications you aim to send each week."""
    from ..journal.progress import set_weekly_goal

    with open_journal(journal_file) as j:
        set_weekly_goal(j, per_week, on)
    click.echo(f"Weekly goal: {per_week} applications. Networking counts too: one conversation can open a door.")

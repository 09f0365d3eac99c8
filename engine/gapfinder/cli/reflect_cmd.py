"""gapfinder reflect: the guide's reflection questions, asked on a terminal or given as options."""
from __future__ import annotations

import json
import sys

import click

from .common import debug_option, friendly_errors
from .journal_options import journal_option, open_journal


@click.command()
@click.argument("application_id")
@click.option("--eligibility", help="Did I meet all the eligibility criteria?")
@click.option("--resume", help="Was my resume clear and tailored to the role?")
@click.option("--interview", help="How did I do in the interview or assessment?")
@click.option("--strengths", help="What went well?")
@click.option("--improve", help="What would I do differently?")
@click.option("--json", "json_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True),
              help="Answers as a JSON object with those keys ('-' reads standard input).")
@journal_option
@debug_option
@friendly_errors
def reflect(application_id, eligibility, resume, interview, strengths, improve, json_file, journal_file, debug):
    """Reflect on an application with the guide's questions; your answers are analysed and kept.

    On a terminal with no answers given, the questions are asked one by one (press Enter to
    skip one). Where your view and the recruiter's feedback differ, 'gapfinder plan' says so.

    \b
    Examples:
      gapfinder reflect 3
      gapfinder reflect 3 --eligibility "Yes" --interview "I rambled on the design question"
      echo '{"resume": "Not tailored enough"}' | gapfinder reflect 3 --json -
    """
    from ..journal.events import get_application
    from ..journal.reflection import QUESTIONS, record_reflection
    from ..journal.views import title

    answers = {k: v for k, v in (("eligibility", eligibility), ("resume", resume), ("interview", interview),
                                 ("strengths", strengths), ("improve", improve)) if v}
    if json_file:
        raw = sys.stdin.read() if json_file == "-" else open(json_file, encoding="utf-8").read()
        try:
            loaded = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"the answers are not valid JSON ({exc.msg})") from None
        if not isinstance(loaded, dict):
            raise click.ClickException("the answers must be a JSON object, e.g. {\"resume\": \"...\"}")
        answers.update(loaded)
    with open_journal(journal_file) as j:
        app = get_application(j, application_id)
        if not answers:
            if not on_terminal():
                raise click.UsageError("give answers as options or --json, or run it on a terminal")
            click.echo(f"Reflecting on {app.company}. Take your time; press Enter to skip a question.")
            for key, question in QUESTIONS:
                answers[key] = click.prompt(question, default="", show_default=False)
        ref = record_reflection(j, app.id, answers)
    short = ref.analysis.get("self_gaps", [])
    click.echo(f"Saved your reflection on {app.company}."
               + (f" You felt these fell short: {', '.join(title(a) for a in short)}." if short else "")
               + " 'gapfinder plan' puts it beside the feedback.")


def on_terminal() -> bool:
    """Ask the questions only when a person is there to answer them."""
    return sys.stdin.isatty()

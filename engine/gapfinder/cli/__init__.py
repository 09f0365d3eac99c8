"""The gapfinder command line: a thin layer over the library (see the commands' modules)."""
from __future__ import annotations

import click

from .. import __version__
from .batch_cmd import batch
from .classify_cmd import classify
from .evaluate_cmd import evaluate
from .journal_cmd import journal
from .plan_cmd import goal, plan
from .reflect_cmd import reflect
from .reply_cmd import reply
from .report_cmd import report
from .train_cmd import train


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gapfinder")
def main() -> None:
    """Turn job-rejection feedback into a plan.

    gapfinder reads a rejection email, interview feedback or your own notes, finds what the
    feedback says to work on (resume, technical skills, interview skills, industry knowledge,
    must-have requirements), quotes the sentences that say so, and suggests what to do next.

    \b
    Examples:
      pbpaste | gapfinder classify
      gapfinder classify feedback.txt
      gapfinder batch ~/Mail/rejections.mbox --summary-only
    """


main.add_command(classify)
main.add_command(batch)
main.add_command(train)
main.add_command(evaluate)

# The guide's workflow around the engine (gapfinder.journal): journal, drafts, reflection, plan, report.
main.add_command(journal)
main.add_command(reply)
main.add_command(reflect)
main.add_command(plan)
main.add_command(goal)
main.add_command(report)

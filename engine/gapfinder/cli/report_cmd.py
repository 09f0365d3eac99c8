"""gapfinder report: one self-contained HTML page (and its JSON) from the journal."""
from __future__ import annotations

import click

from .common import debug_option, friendly_errors
from .journal_options import as_date, journal_option, open_journal


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="The HTML file to write.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the same data as JSON [default: beside it, .json].")
@click.option("--today", metavar="DATE", default=None,
              help="Count weeks and recency up to DATE instead of today (for a look back).")
@journal_option
@debug_option
@friendly_errors
def report(output, json_path, today, journal_file, debug):
    """Write a report: the plan, evidence quotes, charts and progress, in one HTML file.

    The page works offline and loads nothing from the internet: open it in any browser,
    print it, or send it to a careers adviser.

    \b
    Examples:
      gapfinder report -o report.html
    """
    from ..journal.report import write_report
    from ..rulebook.rules import load_rules

    with open_journal(journal_file, create=False) as j:
        html, data = write_report(j, load_rules(), output, json_path, as_date(today))
    click.echo(f"Wrote {html} (and {data}). Open it in your browser; it works offline.")

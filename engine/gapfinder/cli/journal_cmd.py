"""gapfinder journal: applications, their status history and rejections, export and import."""
from __future__ import annotations

import json
import sys

import click

from .common import debug_option, friendly_errors
from .journal_options import journal_option, open_journal

LOOKS_LIKE_FILE = (".txt", ".eml", ".md", ".text", ".msg", ".mbox")
STATUSES = ("saved", "applied", "screen", "interview", "offer", "rejected", "withdrawn", "ghosted")


@click.group()
def journal() -> None:
    """Keep a journal of applications, status changes and rejections.

    One SQLite file in your data folder (or --journal PATH / $GAPFINDER_JOURNAL). The history is
    append-only: a correction is a new entry, so nothing you record is ever lost.

    \b
    Examples:
      gapfinder journal add "Acme" "Data analyst" --applied 2026-03-01
      gapfinder journal status 1 interview --date 2026-03-10
      gapfinder journal reject 1 rejection.eml
      gapfinder journal list
      gapfinder journal export --format csv -o applications.csv
    """


@journal.command("add")
@click.argument("company")
@click.argument("role", required=False, default="")
@click.option("--applied", "applied_on", metavar="DATE", help="Date you applied (YYYY-MM-DD) [default: today].")
@click.option("--status", type=click.Choice(STATUSES), default="applied", show_default=True,
              help="Its first status (use 'saved' for a job you have not applied to yet).")
@click.option("--source", default="", help="Where you found it (job board, referral, ...).")
@click.option("--contact", default="", help="The recruiter or hiring manager's name.")
@click.option("--email", "contact_email", default="", help="Their email address (helps match emails later).")
@click.option("--notes", default="")
@journal_option
@debug_option
@friendly_errors
def add(company, role, applied_on, status, source, contact, contact_email, notes, journal_file, debug):
    """Add an application."""
    from ..journal.events import add_application
    from ..journal.views import describe

    with open_journal(journal_file) as j:
        app = add_application(j, company, role, applied_on, source, contact, contact_email, notes,
                              status=status)
    click.echo(f"Added application {app.id}: {describe(app)} ({status}"
               f"{' ' + app.applied_on if app.applied_on else ''}).")


@journal.command("status")
@click.argument("application_id")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--date", "event_date", metavar="DATE", help="When it happened (YYYY-MM-DD) [default: today].")
@click.option("--note", default="")
@click.option("--corrects", type=int, default=None, metavar="EVENT",
              help="This entry corrects an earlier one (its event number, see 'journal show').")
@journal_option
@debug_option
@friendly_errors
def status(application_id, status, event_date, note, corrects, journal_file, debug):
    """Record a status change (screen, interview, offer, withdrawn, ghosted, ...)."""
    from ..journal.events import add_event, get_application

    with open_journal(journal_file) as j:
        app = get_application(j, application_id)
        event = add_event(j, app.id, status, event_date, note, corrects)
    fix = f", correcting event {corrects}" if corrects else ""
    click.echo(f"Application {app.id} ({app.company}): {event.status} on {event.event_date}{fix}.")


@journal.command("reject")
@click.argument("application_id")
@click.argument("source", required=False, default="-")
@click.option("--date", "received_on", metavar="DATE",
              help="When the rejection came (YYYY-MM-DD) [default: the email's date, else today].")
@journal_option
@debug_option
@friendly_errors
def reject(application_id, source, received_on, journal_file, debug):
    """File a rejection for an application and analyse its feedback.

    SOURCE is a text file, an .eml, '-' for standard input (the default), or the text itself.
    """
    import os

    from ..journal.events import get_application
    from ..journal.intake import read_source, reject_input
    from ..journal.views import filed_text

    if source == "-" and sys.stdin.isatty():
        raise click.UsageError("paste the feedback, pipe it in, or give a file (see --help)")
    with open_journal(journal_file) as j:
        app = get_application(j, application_id)
        if source == "-" or os.path.exists(source):
            data, name = read_source(source, sys.stdin.buffer), source
        elif " " not in source.strip() and source.lower().endswith(LOOKS_LIKE_FILE):
            raise click.ClickException(f"no such file: {source}")
        else:
            data, name = source.encode("utf-8"), "text"
        rejection, new = reject_input(j, app.id, data, name, received_on)
    if not new:
        click.echo("That email is already in the journal; nothing was added.")
        return
    click.echo(filed_text(rejection, app), nl=False)


@journal.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@journal_option
@debug_option
@friendly_errors
def list_(fmt, journal_file, debug):
    """List applications with their status now and the gaps their rejections named."""
    from ..journal.views import list_rows, list_text

    with open_journal(journal_file, create=False) as j:
        rows = list_rows(j)
    click.echo(json.dumps(rows, indent=2, ensure_ascii=False) if fmt == "json" else list_text(rows),
               nl=fmt == "json")


@journal.command("show")
@click.argument("application_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@journal_option
@debug_option
@friendly_errors
def show(application_id, fmt, journal_file, debug):
    """Show one application: its history, rejections (with the evidence quoted) and replies."""
    from ..journal.events import get_application
    from ..journal.exchange import application_record
    from ..journal.views import show_text

    with open_journal(journal_file, create=False) as j:
        app = get_application(j, application_id)
        out = (json.dumps(application_record(j, app), indent=2, ensure_ascii=False) + "\n"
               if fmt == "json" else show_text(j, app))
    click.echo(out, nl=False)


@journal.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to FILE.")
@journal_option
@debug_option
@friendly_errors
def export(fmt, output, journal_file, debug):
    """Export the journal: JSON (everything) or CSV (one row per application, with its stages)."""
    from ..journal.exchange import export_csv, export_json
    from ..write.output_file import atomic_output
    from contextlib import nullcontext

    with open_journal(journal_file, create=False) as j:
        with (atomic_output(output) if output else nullcontext(sys.stdout)) as stream:
            (export_csv if fmt == "csv" else export_json)(j, stream)


@journal.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@journal_option
@debug_option
@friendly_errors
def import_(source, journal_file, debug):
    """Merge an export (JSON, or CSV with company/role columns) into the journal.

    Importing never deletes or changes anything already there; entries it already has are
    skipped, so importing the same file twice adds nothing the second time.
    """
    from ..journal.exchange import import_file

    with open_journal(journal_file) as j:
        counts = import_file(j, source, sys.stdin)
    added = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "nothing new"
    click.echo(f"Imported {source}: {added}.")


@journal.command("path")
@journal_option
def path(journal_file):
    """Print where the journal file is."""
    from ..journal.location import journal_path

    click.echo(str(journal_path(journal_file)))

"""What the journal commands share: the --journal option and opening the file."""
from __future__ import annotations

import click

JOURNAL_HELP = ("The journal file [default: $GAPFINDER_JOURNAL, else gapfinder/journal.sqlite in "
                "your data folder].")


def journal_option(func):
    """--journal PATH, also read from $GAPFINDER_JOURNAL."""
    return click.option("--journal", "journal_file", type=click.Path(dir_okay=False), default=None,
                        envvar="GAPFINDER_JOURNAL", help=JOURNAL_HELP)(func)


def open_journal(journal_file, create: bool = True):
    """Open the journal; reading commands pass create=False so nothing is made by looking."""
    from ..journal.store import Journal

    return Journal.open(journal_file, create=create)


def as_date(value):
    """--today DATE as a date (None stays None: today)."""
    if not value:
        return None
    from datetime import date

    from ..journal.events import check_date

    return date.fromisoformat(check_date(value, "--today"))

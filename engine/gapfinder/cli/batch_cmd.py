"""gapfinder batch: saved emails, mailboxes and folders in; one result per message out."""
from __future__ import annotations

import sys
from functools import partial

import click

from ..limits import Limits
from .common import FORMATS, build_engine, debug_option, default_format, engine_options, friendly_errors


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: text on a terminal, jsonl otherwise].")
@click.option("--output", "-o", type=click.Path(), default=None,
              help="Write results to FILE (atomically: a partial run leaves the old file as it was).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Classify in this many processes; output keeps input order.")
@click.option("--summary-only", is_flag=True, help="Print only the plan across all messages.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line and no progress on stderr.")
@click.option("--include-text", is_flag=True, help="Add the analysed text to JSON output.")
@click.option("--max-email-bytes", type=click.IntRange(min=1), default=None,
              help="Largest email to read, in bytes (default 10,000,000).")
@click.option("--max-mime-parts", type=click.IntRange(min=1), default=None,
              help="Most MIME parts in one email (default 200).")
@click.option("--max-mime-depth", type=click.IntRange(min=1), default=None,
              help="Deepest multipart nesting in one email (default 20).")
@click.option("--max-line-chars", type=click.IntRange(min=1), default=None,
              help="Longest JSONL line, in characters (default 100,000).")
@click.option("--doc-seconds", type=click.FloatRange(min=0), default=None,
              help="Time budget per message in seconds; 0 turns it off (default 10).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=128, show_default=True)
@click.option("--journal", "journal_file", type=click.Path(dir_okay=False), default=None,
              help="Also file each rejection into this journal (matched to an application, or a new one); "
                   "filing the same emails again adds nothing.")
@engine_options
@debug_option
@friendly_errors
def batch(paths, fmt, output, jobs, summary_only, quiet, include_text, max_email_bytes, max_mime_parts,
          max_mime_depth, max_line_chars, doc_seconds, batch_size, journal_file,
          model_path, rules_path, rules_only, max_text_bytes, debug):
    """Analyse saved emails: .eml files, mbox files, Maildir folders, .txt, JSONL, or folders of them.

    Every message comes out once, in order: as a result, or as an error record saying what was
    wrong. '-' reads an mbox or JSONL stream from standard input. Exit code 0 when every message
    was read, 1 when any could not be.

    \b
    Examples:
      gapfinder batch ~/Mail/rejections.mbox --summary-only
      gapfinder batch saved-emails/ --format csv -o gaps.csv
      cat export.mbox | gapfinder batch - --jobs 2 > results.jsonl
    """
    from ..write.batch_records import output_records
    from ..limits import DEFAULT_LIMITS
    from ..write.progress import Progress, count_records
    from ..read.sources import iter_records
    from ..write.summary import BatchSummary
    from ..write.output_file import atomic_output, stdout_output
    from ..write.writers import make_writer

    limits = Limits(
        max_text_bytes=max_text_bytes or DEFAULT_LIMITS.max_text_bytes,
        max_email_bytes=max_email_bytes or DEFAULT_LIMITS.max_email_bytes,
        max_mime_parts=max_mime_parts or DEFAULT_LIMITS.max_mime_parts,
        max_mime_depth=max_mime_depth or DEFAULT_LIMITS.max_mime_depth,
        max_line_chars=max_line_chars or DEFAULT_LIMITS.max_line_chars,
        doc_seconds=DEFAULT_LIMITS.doc_seconds if doc_seconds is None else doc_seconds,
    )
    engine = build_engine(model_path, rules_path, rules_only, limits)
    records = iter_records(paths, stdin=sys.stdin.buffer, limits=limits)
    work = partial(output_records, include_text=include_text or bool(journal_file))
    filing = _journal_filing(journal_file, engine, include_text)
    summary = BatchSummary()
    show_progress = not quiet and sys.stderr.isatty()
    progress = Progress(sys.stderr, count_records(paths)) if show_progress else None
    target = atomic_output(output) if output else stdout_output()
    with target as stream:
        fmt = fmt or ("jsonl" if output else default_format(stream))
        writer = None if summary_only else make_writer(fmt, stream, engine.rules.plans, many=True)
        for record in engine.map_batches(records, work, batch_size=batch_size, n_process=jobs):
            summary.add(record)
            if filing:
                record = filing.file(record)
            if writer:
                writer.write(record)
            if progress:
                progress.step()
        if progress:
            progress.close()
        if writer:
            writer.close()
        if summary_only:
            stream.write(summary.report(engine.rules.plans))
    if not quiet and not summary_only:
        click.echo(summary.stderr_line(), err=True)
    if filing:
        filing.close()
        if not quiet:
            click.echo(filing.summary_line(), err=True)
    if summary.errors:
        raise click.exceptions.Exit(1)


def _journal_filing(journal_file, engine, include_text: bool):
    """--journal: file each result into the journal (see gapfinder.journal.intake)."""
    if not journal_file:
        return None
    from ..journal.filing_run import FilingRun

    return FilingRun(journal_file, engine, keep_text=include_text)

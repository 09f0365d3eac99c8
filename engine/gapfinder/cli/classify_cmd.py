"""gapfinder classify: analyse texts from arguments, files or standard input."""
from __future__ import annotations

import io
import sys
from dataclasses import replace

import click

from ..core.engine import Failure
from ..errors import InputError
from ..limits import DEFAULT_LIMITS, Limits
from .common import FORMATS, build_engine, debug_option, default_format, engine_options, friendly_errors


@click.command()
@click.argument("inputs", nargs=-1)
@click.option("--input-format", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: each input is one text. jsonl: one JSON object per line with 'text' (and 'id').")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: text on a terminal, jsonl otherwise].")
@click.option("--include-text", is_flag=True, help="Add the analysed text to JSON output.")
@click.option("--max-email-bytes", type=click.IntRange(min=1), default=None,
              help="Largest email to read, in bytes (default 10,000,000).")
@click.option("--max-line-chars", type=click.IntRange(min=1), default=None,
              help="Longest JSONL line, in characters (default 100,000).")
@click.option("--doc-seconds", type=click.FloatRange(min=0), default=None,
              help="Time budget per text in seconds; 0 turns it off (default 10).")
@engine_options
@debug_option
@friendly_errors
def classify(inputs, input_format, fmt, include_text, max_email_bytes, max_line_chars, doc_seconds,
             model_path, rules_path, rules_only, max_text_bytes, debug):
    """Find the gaps in rejection feedback and suggest what to do.

    Each INPUT is a file to read, '-' for standard input, or the text itself. With no
    INPUT, text is read from standard input. A saved email (.eml, or any text that starts
    with mail headers) is read as an email; an mbox gives one result per message. A FIFO
    or <(...) is read once, like standard input.

    A one-word INPUT, or one that starts like a path (/, ./, ~/), is taken for a file name:
    if there is no such file, that is an error. To analyse such words as text, pipe them
    in: echo 'notes-typo' | gapfinder classify

    \b
    Examples:
      gapfinder classify "Your answers were hard to follow and lacked examples."
      pbpaste | gapfinder classify
      gapfinder classify notes.txt email.eml --format json
      gapfinder classify --input-format jsonl --format jsonl < texts.jsonl
    """
    from ..read.classify_input import jsonl_inputs, text_inputs
    from ..write.output_file import stdout_output
    from ..write.writers import make_writer, result_dict

    if not inputs:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("give a text, a file, or pipe text in (see --help)")
        inputs = ("-",)
    limits = _limits(max_text_bytes, max_email_bytes, max_line_chars, doc_seconds)
    stdin = _stdin_bytes()
    read = jsonl_inputs if input_format == "jsonl" else text_inputs
    records = read(inputs, stdin, limits)
    engine = build_engine(model_path, rules_path, rules_only, limits)
    single = input_format == "text" and len(inputs) == 1
    with stdout_output() as stdout:
        fmt = fmt or default_format(stdout)
        writer = None
        failed = 0
        for message, is_only in _with_last(records, single):
            result = None
            error = message.error
            if error is None:
                (result,) = engine.analyze_batch([(message.id, message.text)])
                error = getattr(result, "error", None) if isinstance(result, Failure) else None
            if error is not None and is_only:
                raise InputError(error)
            if writer is None:
                writer = make_writer(fmt, stdout, engine.rules.plans, many=not is_only)
            if error is not None:
                failed += 1
                writer.write({"id": message.id, "error": error})
            else:
                writer.write(result_dict(result, include_text, _email_meta(message)))
        if writer is None:
            writer = make_writer(fmt, stdout, engine.rules.plans, many=True)
        writer.close()
    if failed:
        raise click.exceptions.Exit(1)


def _limits(max_text_bytes, max_email_bytes, max_line_chars, doc_seconds) -> Limits:
    given = {"max_text_bytes": max_text_bytes, "max_email_bytes": max_email_bytes,
             "max_line_chars": max_line_chars, "doc_seconds": doc_seconds}
    return replace(DEFAULT_LIMITS, **{key: value for key, value in given.items() if value is not None})


def _stdin_bytes():
    stdin = sys.stdin
    if stdin is None:
        return io.BytesIO(b"")
    buffer = getattr(stdin, "buffer", None)
    return buffer if buffer is not None else io.BytesIO(stdin.read().encode("utf-8", "surrogateescape"))


def _with_last(records, single: bool):
    """(record, is the only record of a single input) for each record."""
    records = iter(records)
    first = next(records, None)
    if first is None:
        return
    second = next(records, None)
    yield first, single and second is None
    if second is not None:
        yield second, False
        for record in records:
            yield record, False


def _email_meta(message) -> dict | None:
    """For an email: where it came from, its headers, and any attachment left unread."""
    meta = message.meta or {}
    if "message_id" not in meta:
        return None
    extra = {key: meta.get(key) for key in ("message_id", "from", "subject", "date")}
    if meta.get("unread_attachments"):
        extra["unread_attachments"] = meta["unread_attachments"]
    return extra

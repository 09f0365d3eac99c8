"""gapfinder classify: analyse texts from arguments, files or standard input."""
from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext

import click

from ..errors import InputError
from ..limits import DEFAULT_LIMITS, Limits
from ..read.text_input import SURROGATE
from .common import FORMATS, build_engine, debug_option, default_format, engine_options, friendly_errors

LOOKS_LIKE_FILE = (".txt", ".eml", ".jsonl", ".json", ".md", ".mbox", ".csv", ".text")


@click.command()
@click.argument("inputs", nargs=-1)
@click.option("--input-format", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: each input is one text. jsonl: one JSON object per line with 'text' (and 'id').")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: text on a terminal, jsonl otherwise].")
@click.option("--include-text", is_flag=True, help="Add the analysed text to JSON output.")
@engine_options
@debug_option
@friendly_errors
def classify(inputs, input_format, fmt, include_text, model_path, rules_path, rules_only, max_text_bytes, debug):
    """Find the gaps in rejection feedback and suggest what to do.

    Each INPUT is a file to read, '-' for standard input, or the text itself. With no
    INPUT, text is read from standard input.

    \b
    Examples:
      gapfinder classify "Your answers were hard to follow and lacked examples."
      pbpaste | gapfinder classify
      gapfinder classify notes.txt email.txt --format json
      gapfinder classify --input-format jsonl --format jsonl < texts.jsonl
    """
    from ..write.writers import make_writer, result_dict

    stdout = sys.stdout
    fmt = fmt or default_format(stdout)
    if not inputs:
        if sys.stdin.isatty():
            raise click.UsageError("give a text, a file, or pipe text in (see --help)")
        inputs = ("-",)
    limits = Limits(max_text_bytes=max_text_bytes) if max_text_bytes else DEFAULT_LIMITS
    records = _jsonl_records(inputs, limits) if input_format == "jsonl" else _text_records(inputs)
    engine = build_engine(model_path, rules_path, rules_only, limits)
    writer = make_writer(fmt, stdout, engine.rules.plans, many=len(inputs) > 1 or input_format == "jsonl")
    failed = 0
    single = input_format == "text" and len(inputs) == 1
    for doc_id, text, error in records:
        if error is None:
            try:
                result = engine.analyze(text, doc_id)
                writer.write(result_dict(result, include_text))
                continue
            except InputError as exc:
                error = str(exc)
        if single:
            raise InputError(error)
        failed += 1
        writer.write({"id": doc_id, "error": error})
    writer.close()
    if failed:
        raise click.exceptions.Exit(1)


def _read_bytes(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    with open(name, "rb") as fh:
        return fh.read()


def _text_records(inputs):
    """(id, text, error) for each input in text mode."""
    for name in inputs:
        is_file = name == "-" or os.path.isfile(name)
        if not is_file:
            if os.path.isdir(name):
                yield name, None, f"{name} is a folder; use 'gapfinder batch' for folders"
                continue
            if " " not in name.strip() and name.lower().endswith(LOOKS_LIKE_FILE):
                yield name, None, f"no such file: {name}"
                continue
            yield None, name, None
            continue
        try:
            data = _read_bytes(name)
        except OSError as exc:
            yield name, None, f"cannot read {name} ({exc.strerror})"
            continue
        doc_id = None if name == "-" else name
        what = "the input" if name == "-" else name
        if b"\x00" in data[:8192]:
            yield doc_id, None, f"{what} looks like binary data, not text"
            continue
        try:
            yield doc_id, data.decode("utf-8-sig"), None
        except UnicodeDecodeError as exc:
            yield doc_id, None, f"{what} is not valid UTF-8 text (bad byte at position {exc.start})"


def _jsonl_records(inputs, limits: Limits):
    """(id, text, error) for each line of each JSONL input: exactly one per line, in order."""
    for name in inputs:
        try:
            stream = sys.stdin.buffer if name == "-" else open(name, "rb")
        except OSError as exc:
            yield name, None, f"cannot read {name} ({exc.strerror})"
            continue
        with stream if name != "-" else nullcontext(stream):
            for lineno, raw in enumerate(stream, 1):
                yield _parse_line(raw, lineno, limits)


def _parse_line(raw: bytes, lineno: int, limits: Limits):
    where = f"line {lineno}"
    if len(raw) > limits.max_line_chars * 4 or len(raw) > limits.max_text_bytes * 2:
        return None, None, f"{where} is longer than the limit of {limits.max_line_chars:,} characters"
    try:
        line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return None, None, f"{where} is not valid UTF-8 (bad byte at position {exc.start})"
    if not line.strip():
        return None, None, f"{where} is empty"
    if len(line) > limits.max_line_chars:
        return None, None, f"{where} is longer than the limit of {limits.max_line_chars:,} characters"
    try:
        rec = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return None, None, f"{where} is not valid JSON ({getattr(exc, 'msg', 'nested too deeply')})"
    if not isinstance(rec, dict):
        return None, None, f"{where} is not a JSON object"
    doc_id = rec.get("id")
    if doc_id is not None and not isinstance(doc_id, (str, int)):
        doc_id = json.dumps(doc_id)[:200]
    if isinstance(doc_id, str):
        doc_id = SURROGATE.sub("\ufffd", doc_id)
    text = rec.get("text")
    if not isinstance(text, str):
        return doc_id, None, f"{where} has no string field 'text'"
    return doc_id, text, None

"""gapfinder evaluate: score the engine on a corpus split or a labelled JSONL file."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .common import build_engine, debug_option, engine_options, friendly_errors


@click.command()
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default="test", show_default=True,
              help="Corpus split to score (ignored with --data).")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), default="corpus", show_default=True)
@click.option("--data", type=click.Path(dir_okay=False), default=None,
              help="A labelled JSONL file (text, labels, optional evidence) to score instead.")
@click.option("--ablation", is_flag=True, help="Score rules only, model only, the sentence stage (rules + model) "
              "and combined (with the document stage, when the model has one) side by side.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@engine_options
@debug_option
@friendly_errors
def evaluate(split, corpus_dir, data, ablation, as_json, model_path, rules_path, rules_only, max_text_bytes, debug):
    """Measure precision, recall and F1 per gap, and how often no-gap texts stay gap-free.

    \b
    Examples:
      gapfinder evaluate --split test --ablation
      gapfinder evaluate --data my_labelled.jsonl
    """
    from dataclasses import asdict

    from ..training.corpus import CorpusError, corpus_files, read_documents
    from ..errors import InputError
    from ..training.evaluate import evaluate as run, read_labelled
    from ..limits import DEFAULT_LIMITS
    from ..training.metrics import format_table

    if data:
        records = read_labelled(Path(data))
        what = data
    else:
        try:
            docs = [d for d in read_documents(corpus_files(Path(corpus_dir))) if d.split == split]
        except CorpusError as exc:
            raise InputError(str(exc)) from None
        if not docs:
            raise InputError(f"no documents of the {split} split in {corpus_dir}")
        records = [asdict(d) for d in docs]
        what = f"{corpus_dir} ({split} split)"
    engine = build_engine(model_path, rules_path, rules_only, DEFAULT_LIMITS)
    modes = (engine.mode,)
    if ablation and engine.model:
        modes = ("rules", "model") + (("sentences",) if engine.model.stage is not None else ()) + ("combined",)
    results = run(engine, records, modes)
    if as_json:
        click.echo(json.dumps(results, indent=2))
        return
    click.echo(f"{len(records)} documents from {what}")
    for mode, result in results.items():
        click.echo("")
        click.echo(format_table(f"{mode}:", result))
        if result["evidence_overlap"] is not None:
            click.echo(f"evidence overlaps the gold evidence for {result['evidence_overlap']:.1%} "
                       f"of {result['evidence_checked']} correctly found gaps")

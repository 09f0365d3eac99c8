"""gapfinder train: fit the model on a corpus and write it, with its card, to a folder."""
from __future__ import annotations

from pathlib import Path

import click

from .common import debug_option, friendly_errors


@click.command()
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), default="corpus", show_default=True,
              help="Folder of corpus JSONL files (train, dev and test splits).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="models", show_default=True,
              help="Folder to write <name>.joblib and <name>.card.json into.")
@click.option("--name", default="default", show_default=True, help="Model name (file stem).")
@click.option("--seed", type=int, default=13, show_default=True, help="Random seed; same corpus and seed give the same bytes.")
@click.option("--rules", "rules_path", type=click.Path(), default=None, help="Rules folder to train with.")
@click.option("--documents", "documents", type=click.Path(dir_okay=False), multiple=True,
              help="JSONL of texts labelled by document only ({\"text\": ..., \"labels\": [...]}), "
                   "such as your own real feedback; added to the train split. Repeatable.")
@debug_option
@friendly_errors
def train(corpus_dir, out_dir, name, seed, rules_path, documents, debug):
    """Train the gap model on the corpus and tune its thresholds on the dev split.

    Texts you labelled yourself, without marking where each gap is said, can join the
    training with --documents: each label learns from the sentence that a first model,
    trained on the corpus alone, scores highest for it.

    \b
    Example:
      gapfinder train --corpus corpus --out models
      gapfinder train --documents my_feedback.jsonl --out my_models
    """
    from ..training.corpus import CorpusError
    from ..errors import InputError
    from ..training.metrics import format_table
    from ..training.train import train as run_training

    if not Path(corpus_dir).is_dir():
        raise click.UsageError(f"no corpus folder at {corpus_dir}")
    for path in documents:
        if not Path(path).is_file():
            raise click.UsageError(f"no file at {path} (--documents takes a JSONL file of labelled texts)")
    try:
        card = run_training(Path(corpus_dir), Path(out_dir), name=name, seed=seed, rules_path=rules_path,
                            progress=lambda msg: click.echo(msg, err=True), documents=tuple(documents))
    except CorpusError as exc:
        raise InputError(str(exc)) from None
    click.echo(f"wrote {Path(out_dir) / card['model_file']} and {name}.card.json (sha256 {card['model_sha256'][:12]}...)")
    for split in ("dev", "test"):
        result = card["metrics"]["combined"].get(split)
        if result:
            click.echo(format_table(f"\ncombined, {split} split", result))

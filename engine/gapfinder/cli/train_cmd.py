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
                   "such as your own real feedback; they train the document stage. Repeatable.")
@click.option("--base", "base_model", type=click.Path(), default=None,
              help="Keep this trained model (its card) and only fit a document stage on --documents.")
@debug_option
@friendly_errors
def train(corpus_dir, out_dir, name, seed, rules_path, documents, base_model, debug):
    """Train the gap model on the corpus and tune its thresholds on the dev split.

    Texts labelled only by which gaps they state (not where), such as feedback you
    received and labelled yourself, train a last stage with --documents: it reads each
    whole text, with what the sentence stage found in it, and decides each gap. They
    must not be corpus texts. With --base, the trained model is kept as it is and only
    that stage is fitted (seconds instead of minutes).

    \b
    Example:
      gapfinder train --corpus corpus --out models
      gapfinder train --documents my_feedback.jsonl --out my_models
      gapfinder train --base models/default.card.json --documents my_feedback.jsonl --out my_models
    """
    from ..training.corpus import CorpusError
    from ..errors import InputError
    from ..training.metrics import format_table
    from ..training.train import add_document_stage, train as run_training

    if base_model is not None and not documents:
        raise click.UsageError("--base needs --documents: the texts to fit the document stage on")
    if base_model is None and not Path(corpus_dir).is_dir():
        raise click.UsageError(f"no corpus folder at {corpus_dir}")
    for path in documents:
        if not Path(path).is_file():
            raise click.UsageError(f"no file at {path} (--documents takes a JSONL file of labelled texts)")
    say = lambda msg: click.echo(msg, err=True)  # noqa: E731
    try:
        if base_model is not None:
            card = add_document_stage(Path(base_model), tuple(Path(p) for p in documents), Path(out_dir),
                                      name=name, seed=seed, rules_path=rules_path, progress=say)
        else:
            card = run_training(Path(corpus_dir), Path(out_dir), name=name, seed=seed, rules_path=rules_path,
                                progress=say, documents=tuple(documents))
    except CorpusError as exc:
        raise InputError(str(exc)) from None
    click.echo(f"wrote {Path(out_dir) / card['model_file']} and {name}.card.json (sha256 {card['model_sha256'][:12]}...)")
    tables = [(f"combined, {split} split", card["metrics"]["combined"].get(split)) for split in ("dev", "test")]
    stage = card.get("document_stage", {}).get("metrics", {})
    tables += [("document stage, its texts out of fold", stage.get("out_of_fold")),
               ("document stage, test split", stage.get("test"))]
    for title, result in tables:
        if result:
            click.echo(format_table(f"\n{title}", result))

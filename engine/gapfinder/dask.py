"""gapfinder on Dask: analyse a DataFrame of texts or a Bag of raw emails, as `batch` would.

    import dask.dataframe as dd, gapfinder.dask
    texts = dd.read_parquet("feedback/")                 # columns: id, text
    results = gapfinder.dask.analyze(texts, text="text", id="id")
    results.to_parquet("gaps/")

Needs the optional extra: pip install "gapfinder[dask]". Each result row has the columns of
gapfinder.cluster.rows.COLUMNS: id, source, error (null, or the message batch gives), labels,
score_<label> per label, specific, rejection, language, evidence (JSON), message_id, from,
subject, date. Bad records come out as error rows in their place; none is dropped. Each
worker process builds one engine on its first partition; nothing heavy travels with a task.
Engine options (model_path, rules_path, use_model, limits) are those of gapfinder.load().
"""
from __future__ import annotations

from .cluster.checks import check_columns, require_extra
from .cluster.worker import EngineSpec

__all__ = ["analyze", "analyze_emails"]

_NEEDS = ("dask.dataframe", "dask.bag", "pandas")


def analyze(frame, text: str = "text", id: str = "id", *, source: str | None = None,
            model_path=None, rules_path=None, use_model: bool = True, limits=None):
    """A Dask DataFrame of results, one row per row of `frame` (same index and partitions).

    `text` and `id` name the columns holding each text and its id; `source`, if given, names
    a column to echo as the result's `source` (a file name, say)."""
    require_extra(_NEEDS, "dask", "Dask")
    check_columns(frame.columns, {"text": text, "id": id, "source": source})
    from .cluster import dask_runner

    return dask_runner.analyze_texts(frame, text, id, source,
                                     EngineSpec.of(model_path, rules_path, use_model, limits))


def analyze_emails(emails, *, content: str = "content", source: str | None = "source",
                   model_path=None, rules_path=None, use_model: bool = True, limits=None):
    """A Dask DataFrame of results for raw emails, parsed on the workers as batch parses them.

    `emails` is a Dask Bag whose items are raw bytes or (source, bytes) pairs, or a Dask
    DataFrame with a bytes column `content` and, optionally, a column `source`."""
    require_extra(_NEEDS, "dask", "Dask")
    from .cluster import dask_runner

    spec = EngineSpec.of(model_path, rules_path, use_model, limits)
    if hasattr(emails, "columns"):
        source = source if source in emails.columns else None
        check_columns(emails.columns, {"content": content})
        return dask_runner.analyze_email_frame(emails, content, source, spec)
    return dask_runner.analyze_email_bag(emails, spec)

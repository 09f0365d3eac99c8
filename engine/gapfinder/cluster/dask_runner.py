"""gapfinder over Dask: a DataFrame of texts or a Bag of raw emails, one engine per worker.

Every partition goes through `map_partitions` with `meta` given: without it Dask would run
the function on made-up rows on the client to guess the output columns, building a whole
engine there just to learn what is fixed anyway (rows.COLUMNS). The task carries only the
EngineSpec; each worker process builds its engine on its first partition (worker.py).
Workers with one thread each use their core best: an engine serialises its calls.
"""
from __future__ import annotations

import dask.dataframe as dd

from .rows import email_item, emails_frame, rows_frame, texts_frame
from .worker import EngineSpec


def meta() -> "object":
    """The empty pandas frame that tells Dask the result's columns and (Arrow-backed) types."""
    return rows_frame([], arrow=True)


def analyze_texts(frame: dd.DataFrame, text: str, id: str, source: str | None,
                  spec: EngineSpec) -> dd.DataFrame:
    """Result columns for a Dask DataFrame of texts; the index is kept, so results join back."""
    wanted = [id, text] + ([source] if source else [])
    return frame[wanted].map_partitions(texts_frame, text=text, id=id, source=source, spec=spec,
                                        arrow=True, meta=meta())


def analyze_email_frame(frame: dd.DataFrame, content: str, source: str | None,
                        spec: EngineSpec) -> dd.DataFrame:
    """Result columns for a Dask DataFrame with a column of raw email bytes."""
    wanted = [content] + ([source] if source else [])
    return frame[wanted].map_partitions(emails_frame, content=content, source=source, spec=spec,
                                        arrow=True, meta=meta())


def analyze_email_bag(bag, spec: EngineSpec) -> dd.DataFrame:
    """Result columns for a Dask Bag of raw emails (bytes, or (source, bytes) pairs).

    The Bag becomes a DataFrame of (source, content) with an object-typed meta, so the bytes
    stay bytes (Dask would otherwise be free to turn an untyped column into strings), and
    goes through the same map_partitions as a DataFrame of emails."""
    import pandas as pd

    pairs = bag.map(email_item).to_dataframe(
        meta=pd.DataFrame({"source": pd.Series([], dtype=object), "content": pd.Series([], dtype=object)}))
    return analyze_email_frame(pairs, "content", "source", spec)

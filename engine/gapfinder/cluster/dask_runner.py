"""gapfinder over Dask: a DataFrame of texts or a Bag of raw emails, one engine per worker.

Every partition goes through `map_partitions` with `meta` given: without it Dask would run
the function on made-up rows on the client to guess the output columns, building a whole
engine there just to learn what is fixed anyway (rows.COLUMNS). The task carries only the
EngineSpec; each worker process builds its engine on its first partition (worker.py).
Workers with one thread each use their core best: an engine serialises its calls.
"""
from __future__ import annotations

import dask.dataframe as dd

from .rows import analyze_records, bag_items, email_records, emails_frame, rows_frame, texts_frame
from .worker import EngineSpec


def meta() -> "object":
    """The empty pandas frame that tells Dask the result's columns and types."""
    return rows_frame([])


def analyze_texts(frame: dd.DataFrame, text: str, id: str, source: str | None,
                  spec: EngineSpec) -> dd.DataFrame:
    """Result columns for a Dask DataFrame of texts; the index is kept, so results join back."""
    wanted = [id, text] + ([source] if source else [])
    return frame[wanted].map_partitions(texts_frame, text=text, id=id, source=source, spec=spec,
                                        meta=meta())


def analyze_email_frame(frame: dd.DataFrame, content: str, source: str | None,
                        spec: EngineSpec) -> dd.DataFrame:
    """Result columns for a Dask DataFrame with a column of raw email bytes."""
    wanted = [content] + ([source] if source else [])
    return frame[wanted].map_partitions(emails_frame, content=content, source=source, spec=spec,
                                        meta=meta())


def analyze_email_bag(bag, spec: EngineSpec) -> dd.DataFrame:
    """Result columns for a Dask Bag of raw emails (bytes, or (source, bytes) pairs)."""
    return bag.map_partitions(_bag_partition, spec=spec).to_dataframe(meta=meta())


def _bag_partition(items, spec: EngineSpec) -> list[dict]:
    blobs, sources = bag_items(items)
    return analyze_records(email_records(blobs, sources), spec)

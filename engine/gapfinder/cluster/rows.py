"""The partition work shared by the Dask and Spark runners: input rows in, flat result rows out.

Each input row becomes the same Record that `gapfinder batch` would read (a text goes through
the JSONL reader's own `text_record`, an email stays raw bytes to be parsed here, on the
worker), and the records are turned into result dicts by batch's record builder,
`write.batch_records.output_records`, in batches of BATCH_SIZE as batch does. Only then are
the dicts flattened into the fixed columns a DataFrame needs. So a record gets the same
result, or the same error message, whichever way it is run, and an unreadable record is an
error row in its place: nothing is dropped.
"""
from __future__ import annotations

from typing import Iterable

from ..labels import LABELS
from ..read.message import Message
from ..read.sources import RawEmail, Record, text_record
from ..read.text_input import SURROGATE
from ..write.batch_records import META_FIELDS, output_records
from ..write.writers import dumps
from .worker import EngineSpec, worker_engine

BATCH_SIZE = 128        # as `gapfinder batch --batch-size`: one memory zone per few batches
SCORE_COLUMNS = tuple(f"score_{label}" for label in LABELS)
COLUMNS = ("id", "source", "error", "labels", *SCORE_COLUMNS, "specific", "rejection",
           "language", "evidence", *META_FIELDS)
"""The result columns, in order. `labels`: the gaps found, sorted (null on an error row);
`score_<label>`: the confidence per label, gap or not; `evidence`: JSON text
{"gaps": [...], "strengths": [...]}, each finding as in batch's JSON (label, confidence,
evidence with start/end/text/source/cues); message_id, from, subject, date: for emails."""


def result_row(record: dict) -> dict:
    """One batch record (a result or an error dict) as a flat row of COLUMNS.

    Text fields lose any lone surrogate (to U+FFFD, as the readers do): Arrow refuses them,
    and one odd source name must not fail a whole partition."""
    row = dict.fromkeys(COLUMNS)
    for key in ("id", "source", "error", *META_FIELDS):
        value = record.get(key)
        row[key] = SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value
    if "error" in record:
        return row
    row["labels"] = sorted(gap["label"] for gap in record["gaps"])
    scores = record.get("scores") or {}
    for label, column in zip(LABELS, SCORE_COLUMNS):
        row[column] = scores.get(label)
    row["specific"], row["rejection"] = record.get("specific"), record.get("rejection")
    row["language"] = record.get("language")
    row["evidence"] = dumps({"gaps": record["gaps"], "strengths": record["strengths"]})
    return row


def analyze_records(records: list[Record], spec: EngineSpec) -> list[dict]:
    """Result rows for records, in order, from this worker's engine."""
    engine = worker_engine(spec)
    rows = []
    for start in range(0, len(records), BATCH_SIZE):
        rows.extend(result_row(r) for r in output_records(engine, records[start:start + BATCH_SIZE]))
    return rows


def text_records(ids: Iterable, texts: Iterable, sources: Iterable | None = None) -> list[Message]:
    """Messages for (id, text) rows, read exactly as batch reads a JSONL line."""
    ids, texts = list(ids), list(texts)
    sources = [None] * len(ids) if sources is None else list(sources)
    return [text_record({"id": plain(i), "text": plain(t)}, _source(s))
            for i, t, s in zip(ids, texts, sources)]


def email_records(blobs: Iterable, sources: Iterable | None = None) -> list[Record]:
    """Raw emails for (source, bytes) rows; they are parsed in analyze_records, as in batch."""
    blobs = list(blobs)
    sources = [None] * len(blobs) if sources is None else list(sources)
    out: list[Record] = []
    for data, source in zip(blobs, sources):
        data, source = plain(data), _source(source)
        if isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        if isinstance(data, bytes):
            out.append(RawEmail(data, source))
        else:
            kind = "nothing" if data is None else f"a {type(data).__name__}"
            out.append(Message(id=source, source=source,
                               error=f"expected the raw bytes of an email, got {kind}"))
    return out


def email_item(item) -> tuple:
    """(source, bytes) from a Bag item that is raw bytes or a (source, bytes) pair."""
    if isinstance(item, tuple) and len(item) == 2:
        return item[0], item[1]
    return None, item


def texts_frame(frame, text: str, id: str, source: str | None, spec: EngineSpec, arrow: bool = False):
    """A pandas frame of result columns for a pandas frame of texts (same index)."""
    sources = frame[source].tolist() if source else None
    records = text_records(frame[id].tolist(), frame[text].tolist(), sources)
    return rows_frame(analyze_records(records, spec), frame.index, arrow)


def emails_frame(frame, content: str, source: str | None, spec: EngineSpec, arrow: bool = False):
    """A pandas frame of result columns for a pandas frame of raw emails (same index)."""
    sources = frame[source].tolist() if source else None
    records = email_records(frame[content].tolist(), sources)
    return rows_frame(analyze_records(records, spec), frame.index, arrow)


def rows_frame(rows: list[dict], index=None, arrow: bool = False):
    """Rows as a pandas DataFrame with fixed column types (also the empty `meta`).

    arrow=False: Python objects (str, list, bool or None), for Spark, whose schema decides
    the types. arrow=True: Arrow-backed types (string, list<string>, boolean), for Dask, so
    every partition has the same types however many nulls it holds, and `to_parquet` works
    without a schema (an all-null object column would otherwise be typed `null`)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(COLUMNS), index=index)
    return frame.astype(_arrow_types() if arrow else
                        {column: "float64" if column in SCORE_COLUMNS else "object" for column in COLUMNS})


def _arrow_types() -> dict:
    import pandas as pd
    import pyarrow as pa

    def kind(column: str):
        if column in SCORE_COLUMNS:
            return "float64"
        if column == "labels":
            return pd.ArrowDtype(pa.list_(pa.string()))
        if column in ("specific", "rejection"):
            return "boolean"
        return "string[pyarrow]"

    return {column: kind(column) for column in COLUMNS}


def plain(value):
    """A Python value from a pandas cell: numpy scalars unwrapped, NaN / NA / NaT as None."""
    if isinstance(value, (str, bytes, bytearray, memoryview)) or value is None:
        return value
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", None) == 0:
        value = item()
    try:
        return None if value != value else value        # NaN is the one value unequal to itself
    except TypeError:                                   # pandas.NA refuses to be a bool
        return None


def _source(value) -> str | None:
    value = plain(value)
    return None if value is None else str(value)

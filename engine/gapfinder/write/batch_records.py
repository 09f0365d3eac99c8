"""gapfinder batch's unit of work: input records in, output records (plain dicts) out.

It runs in the main process, or with --jobs N in the worker processes: each worker parses
its emails, analyses their text and builds the records, so only raw email bytes and
finished dicts cross between processes and the main process is left to read and write.
"""
from __future__ import annotations

from ..core.engine import Failure
from ..read.sources import Record, read_record
from .writers import result_dict

META_FIELDS = ("message_id", "from", "subject", "date")


def output_records(engine, records: list[Record], include_text: bool = False) -> list[dict]:
    """One result or error dict per input record, in order."""
    messages = [read_record(record, engine.limits) for record in records]
    results = iter(engine.analyze_batch([(m.id, m.text) for m in messages if m.error is None]))
    out = []
    for message in messages:
        result = Failure(message.id, message.error) if message.error is not None else next(results)
        if isinstance(result, Failure):
            out.append({"id": message.id, "source": message.source, "error": result.error})
        else:
            extra = {"source": message.source, **{key: message.meta.get(key) for key in META_FIELDS}}
            if message.meta.get("unread_attachments"):
                extra["unread_attachments"] = message.meta["unread_attachments"]
            out.append(result_dict(result, include_text, extra))
    return out

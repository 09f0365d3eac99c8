"""`gapfinder batch --journal`: file a stream of batch results into the journal as they come.

The journal is opened before the first email is analysed, so a damaged or too-new journal
stops the run at once. Each email is filed in its own transaction: stopping half-way keeps
what was filed, and running again skips it (Message-ID), so a rerun finishes the job.
"""
from __future__ import annotations

from collections import Counter

from .analysing import model_version
from .intake import file_batch_record
from .store import Journal


class FilingRun:
    def __init__(self, journal_file, engine, keep_text: bool = False):
        self.journal = Journal.open(journal_file, create=True)
        self.version = model_version(engine)
        self.keep_text = keep_text
        self.counts: Counter = Counter()
        self.not_filed: list[str] = []

    def file(self, record: dict) -> dict:
        """File one result; return it (without its text unless asked) with where it went."""
        outcome = file_batch_record(self.journal, record, self.version)
        self.counts[outcome.status] += 1
        self.counts["created"] += outcome.created
        if outcome.status == "not_rejection":
            self.not_filed.append(outcome.source)
        if not self.keep_text:
            record = {k: v for k, v in record.items() if k != "text"}
        if outcome.status != "error":
            record["journal"] = {"status": outcome.status, "application_id": outcome.application_id,
                                 "rejection_id": outcome.rejection_id, "new_application": outcome.created}
        return record

    def summary_line(self) -> str:
        c = self.counts
        parts = [f"filed {c['filed']} rejection{'s' if c['filed'] != 1 else ''}"
                 + (f" ({c['created']} as new applications)" if c["created"] else "")]
        if c["already"]:
            parts.append(f"{c['already']} already in the journal")
        if c["not_rejection"]:
            parts.append(f"{c['not_rejection']} did not read as rejections and were not filed "
                         "(file one by hand with 'gapfinder journal reject')")
        if c["error"]:
            parts.append(f"{c['error']} could not be read")
        return "journal: " + "; ".join(parts) + "."

    def close(self) -> None:
        self.journal.close()

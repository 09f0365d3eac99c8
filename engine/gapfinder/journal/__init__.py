"""The guide's whole workflow around the engine: a journal of applications and rejections.

Takes: feedback texts, emails and batch results (from read/ and core/), the person's answers
to the guide's reflection questions, and goals. Gives: an SQLite journal with an append-only
event log, reply and feedback-request drafts (never sent), a plan ranked across rejections
with the evidence quoted, progress against goals, and a self-contained HTML report.

    from gapfinder.journal import Journal, add_application, reject_text
    with Journal.open("journal.sqlite") as j:
        app = add_application(j, "Acme", "Data analyst")
        reject_text(j, app.id, "Thank you... your SQL was not at the level we need.")

Modules: store (file, schema checks, transactions), schema (migrations), events
(applications and status history), intake (texts and emails into rejections), matching
(which application an email belongs to), exchange (export / import), drafts, reflection,
topics (the skill named in a sentence), plan, progress, charts and report.
"""
from __future__ import annotations

from .errors import (JournalCorrupt, JournalError, JournalInputError, JournalLocked, JournalTooNew,
                     UnknownRecord)
from .events import add_application, add_event, applications, events, get_application, rejections
from .intake import reject_text
from .location import journal_path
from .store import Journal

__all__ = [
    "Journal", "JournalCorrupt", "JournalError", "JournalInputError", "JournalLocked", "JournalTooNew",
    "UnknownRecord", "add_application", "add_event", "applications", "events", "get_application",
    "journal_path", "reject_text", "rejections",
]

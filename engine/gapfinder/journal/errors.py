"""What can go wrong with a journal, as typed errors; the CLI turns each into one line.

    GapfinderError (ValueError)
    └── JournalError            anything about the journal file or what was asked of it
        ├── JournalCorrupt      the file is not a gapfinder journal, or it is damaged
        ├── JournalLocked       another process holds the file for longer than we wait
        ├── JournalTooNew       written by a newer gapfinder (a newer schema version)
        ├── UnknownRecord       no application / rejection / goal with that id
        └── JournalInputError   a value the journal cannot store (a bad date, status, ...)

Every one of them is raised before anything is written, so nothing already in the journal is
lost when one is raised.
"""
from __future__ import annotations

from ..errors import GapfinderError, InputError


class JournalError(GapfinderError):
    """Base class for problems with the journal."""


class JournalCorrupt(JournalError):
    """The file exists but is not a readable gapfinder journal."""


class JournalLocked(JournalError):
    """Another process kept the journal busy for longer than the timeout."""


class JournalTooNew(JournalError):
    """The journal's schema version is newer than this gapfinder knows."""


class UnknownRecord(JournalError, LookupError):
    """An id that names nothing in the journal."""


class JournalInputError(JournalError, InputError):
    """A value the journal refuses (a date that is not a date, an unknown status, ...)."""

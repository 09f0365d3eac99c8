"""Plain dataclasses for what the journal holds; what the stages pass to each other."""
from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Application:
    id: int
    uid: str
    company: str
    role: str = ""
    applied_on: str | None = None
    source: str = ""
    contact: str = ""
    contact_email: str = ""
    notes: str = ""
    entered_at: str = ""


@dataclass
class Event:
    """A status change. `event_date` is when it happened; `entered_at` when it was written."""

    id: int
    uid: str
    application_id: int
    status: str
    event_date: str
    entered_at: str
    note: str = ""
    corrects: int | None = None


@dataclass
class Rejection:
    id: int
    uid: str
    application_id: int
    event_id: int
    received_on: str
    entered_at: str
    text: str
    analysis: dict
    model_version: str
    message_key: str | None = None
    sender: str = ""
    subject: str = ""
    source: str = ""

    @property
    def gap_labels(self) -> list[str]:
        return sorted(g["label"] for g in self.analysis.get("gaps", []))

    @property
    def specific(self) -> bool:
        return bool(self.analysis.get("specific")) and bool(self.analysis.get("gaps"))


@dataclass
class Reflection:
    id: int
    uid: str
    application_id: int
    rejection_id: int | None
    entered_at: str
    answers: dict
    text: str
    analysis: dict
    model_version: str
    self_gaps: list[str] = field(default_factory=list)   # areas the person says fell short


def from_row(cls, row, **extra):
    """Build a dataclass from an sqlite3.Row, decoding the JSON columns."""
    values = dict(row)
    for key in ("analysis", "answers"):
        if key in values and isinstance(values[key], str):
            values[key] = json.loads(values[key])
    values.update(extra)
    names = cls.__dataclass_fields__
    return cls(**{k: v for k, v in values.items() if k in names})

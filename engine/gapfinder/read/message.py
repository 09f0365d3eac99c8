"""The record that flows from the readers into the engine: one text to classify, or an error."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Message:
    """One input record.

    `text` is what the engine classifies (for emails: the new text, with quoted earlier
    messages and signatures already removed). When the record could not be read, `text` is
    None and `error` says why in one line a person can act on.
    """

    id: str
    source: str
    text: str | None = None
    meta: dict = field(default_factory=dict)
    error: str | None = None

"""Input limits with documented defaults; every one can be raised by the caller (CLI flags)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds that keep one hostile input from crashing, hanging or bloating a run."""

    max_text_bytes: int = 1_000_000      # one input text (UTF-8 bytes)
    max_email_bytes: int = 10_000_000    # one raw email message
    max_mime_parts: int = 200            # MIME parts in one email
    max_mime_depth: int = 20             # multipart nesting depth in one email
    max_line_chars: int = 100_000        # one JSONL input line, in characters
    doc_seconds: float = 10.0            # time budget per document in batch mode


DEFAULT_LIMITS = Limits()

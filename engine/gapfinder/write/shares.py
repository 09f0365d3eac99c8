"""Shares for people: a percentage only where there are enough cases for it to mean something.

"1 of 1 messages (100%)" says less than "1 of 1 messages", and can alarm; from five cases on,
a share helps. Used by the batch summary and by the journal's plan and report.
"""
from __future__ import annotations

MIN_CASES_FOR_PERCENT = 5


def percent(part: int, whole: int) -> str | None:
    """'40%' only when there are enough cases for a share to mean something."""
    if whole < MIN_CASES_FOR_PERCENT:
        return None
    return f"{round(100 * part / whole)}%"

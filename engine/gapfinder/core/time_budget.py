"""A per-document time budget, so one pathological input cannot stall a batch.

Uses an interval timer (SIGALRM) where that is possible: Unix, main thread. Elsewhere (other
threads, Windows) the budget is not enforced; the guarded regular expressions and linear-time
stages keep the worst case bounded anyway. The timer interrupts Python code only.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from ..errors import InputError


class BudgetExceeded(InputError):
    """Analysing one document took longer than its time budget."""


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None):
    """Raise BudgetExceeded inside the block when it runs longer than `seconds`."""
    if not seconds or seconds <= 0 or not _can_use_alarm():
        yield
        return

    def on_alarm(signum, frame):
        raise BudgetExceeded(
            f"analysing this text took longer than the {seconds:g} s budget per document "
            "(raise it with --doc-seconds)"
        )

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

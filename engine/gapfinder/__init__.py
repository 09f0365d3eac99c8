"""gapfinder: turn job-rejection feedback into an action plan.

    import gapfinder
    result = gapfinder.analyze("Your answers lacked structure.")
    result.gaps[0].label            # "interview"
    engine = gapfinder.load()       # reuse one engine for many texts
    for r in engine.analyze_many(texts, batch_size=256, n_process=2): ...

Importing gapfinder is light: spaCy, numpy and the model load when the first engine is built.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import GapfinderError, InputError, ModelError, RuleError
from .labels import LABELS

if TYPE_CHECKING:  # pragma: no cover
    from .core.analysis import Analysis
    from .core.engine import Engine

__version__ = "0.1.0"
__all__ = [
    "LABELS",
    "GapfinderError",
    "InputError",
    "ModelError",
    "RuleError",
    "analyze",
    "load",
    "__version__",
]

_default_engine = None


def load(model_path=None, rules_path=None, use_model: bool = True, **options) -> "Engine":
    """Build an engine (the shipped model and rules unless paths are given)."""
    from .core.engine import Engine

    return Engine(model_path=model_path, rules_path=rules_path, use_model=use_model, **options)


def analyze(text, id: str | None = None) -> "Analysis":
    """Analyse one text with a shared default engine, built on first use."""
    global _default_engine
    if _default_engine is None:
        _default_engine = load()
    return _default_engine.analyze(text, id)

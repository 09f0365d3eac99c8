"""The journal's link to the engine: one shared engine per process, and the model version.

Analyses always come from the engine (Engine.analyze), never from the journal's own rules;
the journal stores each one with the version of the model that made it, so a plan built
from old and new analyses can say so.
"""
from __future__ import annotations

from ..core.engine import Engine

_shared: Engine | None = None


def shared_engine() -> Engine:
    """The default engine, built on first use (building it is the slow part)."""
    global _shared
    if _shared is None:
        _shared = Engine()
    return _shared


def model_version(engine: Engine) -> str:
    """'<card name> <first 12 hex of the model's SHA-256>', or 'rules-only'."""
    model = getattr(engine, "model", None)
    if model is None:
        return "rules-only"
    card = model.card or {}
    return f"{card.get('name', 'model')} {str(card.get('model_sha256', ''))[:12]}".strip()


def analyze(text: str, engine: Engine | None = None) -> tuple[dict, str, str]:
    """(analysis dict without text, the cleaned text it refers to, model version)."""
    engine = engine or shared_engine()
    result = engine.analyze(text)
    return result.to_dict(include_text=False), result.text, model_version(engine)

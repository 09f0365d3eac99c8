"""What engine to build, and the one engine of each worker process, built there on first use.

A spaCy `Language` must never travel to a worker: pickling one is slow, large and fragile
(explosion/spaCy#5111). What travels is an EngineSpec: a few paths, a flag and the limits,
small, hashable and picklable. Each worker process builds its engine from it once, on the
first partition it is given, and keeps it in a module global for every later partition, so
the 1-2 s of building is paid once per process, not once per partition.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from ..limits import DEFAULT_LIMITS, Limits

_ENGINES: dict = {}              # EngineSpec -> Engine, in this process
_BUILD_LOCK = threading.Lock()   # a worker with several threads still builds once


@dataclass(frozen=True)
class EngineSpec:
    """The arguments of an Engine, small enough to send with every task."""

    model_path: str | None = None
    rules_path: str | None = None
    use_model: bool = True
    limits: Limits = field(default=DEFAULT_LIMITS)

    @classmethod
    def of(cls, model_path=None, rules_path=None, use_model: bool = True,
           limits: Limits | None = None) -> "EngineSpec":
        """A spec from user arguments; paths are made absolute, since a worker's working
        folder need not be the caller's."""
        def absolute(path):
            return None if path is None else os.path.abspath(os.fspath(path))

        return cls(absolute(model_path), absolute(rules_path), bool(use_model), limits or DEFAULT_LIMITS)

    def build(self):
        from ..core.engine import Engine

        return Engine(model_path=self.model_path, rules_path=self.rules_path,
                      use_model=self.use_model, limits=self.limits)


def worker_engine(spec: EngineSpec):
    """This process's engine for `spec`, built on first use and then reused."""
    engine = _ENGINES.get(spec)
    if engine is None:
        with _BUILD_LOCK:
            engine = _ENGINES.get(spec)
            if engine is None:
                engine = _ENGINES[spec] = spec.build()
    return engine

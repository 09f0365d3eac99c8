"""Analyse batches in worker processes, keeping input order and a bounded amount in flight.

`Pool.imap` would read the whole input ahead of the workers (unbounded memory on a large
mailbox), so batches are submitted through a window of at most 2 x n_process and yielded in
order. Workers return plain results (Analysis / Failure objects), never spaCy Docs, which
are costly to send between processes.
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from itertools import islice

_ENGINE = None


def _init_worker(engine_args: dict | None) -> None:
    global _ENGINE
    if engine_args is not None:  # spawn: build a fresh engine; fork: inherited already
        from .engine import Engine

        _ENGINE = Engine(**engine_args)


def _run_batch(batch):
    return _ENGINE.analyze_batch(batch)


def analyze_parallel(engine, pairs, batch_size: int, n_process: int):
    """Yield results for (id, text) pairs, in order, from n_process workers."""
    global _ENGINE
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    _ENGINE = engine
    init_args = None if ctx.get_start_method() == "fork" else engine.init_args
    window = deque()
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(init_args,)) as pool:
        while True:
            while len(window) < 2 * n_process:
                batch = list(islice(pairs, batch_size))
                if not batch:
                    break
                window.append(pool.apply_async(_run_batch, (batch,)))
            if not window:
                return
            yield from window.popleft().get()

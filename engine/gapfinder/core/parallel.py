"""Run batches of work in worker processes, keeping input order and a bounded amount in flight.

`Pool.imap` would read the whole input ahead of the workers (unbounded memory on a large
mailbox), so batches are submitted through a window of at most 2 x n_process and yielded in
order. Workers return plain data (Analysis / Failure objects, record dicts), never spaCy
Docs, which are costly to send between processes.
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from itertools import islice

_ENGINE = None


def _init_worker(engine_factory: tuple | None) -> None:
    """Spawn: build a fresh engine from (class, keyword arguments); fork: it is inherited.

    The class travels with the arguments so this module never imports the engine
    (which imports this module): no import cycle."""
    global _ENGINE
    _quiet_signals()
    if engine_factory is not None:
        engine_class, engine_args = engine_factory
        _ENGINE = engine_class(**engine_args)


def _quiet_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it reaches every process of the
    group, and a worker's KeyboardInterrupt would print a traceback), and SIGTERM and
    SIGHUP end the worker quietly, as the parent's pool.terminate() expects."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _run_batch(work, batch):
    return work(_ENGINE, batch)


def map_parallel(engine, items, work, batch_size: int, n_process: int):
    """Yield the outputs of work(engine, batch) over batches of items, in order, from
    n_process workers. `work` must be picklable (a module-level function or a partial)."""
    global _ENGINE
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    _ENGINE = engine
    init_args = None if ctx.get_start_method() == "fork" else (type(engine), engine.init_args)
    items = iter(items)
    window = deque()
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(init_args,)) as pool:
        while True:
            while len(window) < 2 * n_process:
                batch = list(islice(items, batch_size))
                if not batch:
                    break
                window.append(pool.apply_async(_run_batch, (work, batch)))
            if not window:
                return
            yield from window.popleft().get()

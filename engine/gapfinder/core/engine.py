"""The engine: a blank English spaCy pipeline, the rules, the model, and batch streaming."""
from __future__ import annotations

import gc
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator

from .analysis import Analysis
from ..errors import GapfinderError
from ..limits import DEFAULT_LIMITS, Limits
from ..read.text_input import prepare_text
from .time_budget import time_budget

CHUNK_CHARS = 100_000  # long texts are analysed in paragraph-aligned chunks of about this size
LONG_RUN = re.compile(r"\S{200,}")
ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")  # invisible; would glue onto words


@dataclass
class Failure:
    """An input that could not be analysed, in place of its Analysis (nothing is dropped)."""

    id: str | None
    error: str

    def to_dict(self, include_text: bool = False) -> dict:
        return {"id": self.id, "error": self.error}


class Engine:
    """Analyse texts. Build once and reuse: loading rules and model is the slow part.

    Threads: an Engine may be shared between threads. Calls are serialised by a lock, because
    spaCy's memory zones (which keep the string store from growing) are not safe to enter from
    two threads at once. For throughput use `analyze_many(..., n_process=N)`, which runs
    separate processes.
    """

    def __init__(self, model_path=None, rules_path=None, use_model: bool = True,
                 mode: str = "combined", limits: Limits = DEFAULT_LIMITS):
        from .analyzer import Analyzer
        from .model import load_model
        from ..rulebook.rules import load_rules

        self.init_args = {"model_path": model_path, "rules_path": rules_path,
                          "use_model": use_model, "mode": mode, "limits": limits}
        with _collector_paused():
            self.rules = load_rules(rules_path)
            self.model = load_model(model_path) if use_model else None
            self._zones = ZoneKeeper(_blank_pipeline)
            self.analyzer = Analyzer(self.nlp, self.rules, self.model)
        self.mode = mode if self.model is not None else "rules"
        self.limits = limits
        self._lock = threading.Lock()

    @property
    def nlp(self):
        """The spaCy pipeline (spacy.blank("en")); renewed now and then in long runs."""
        return self._zones.nlp

    def signals(self, text: str):
        """Signals for a prepared text; long texts are processed in chunks and merged.

        Zero-width characters become spaces (they hide words from the rules), and runs of
        over 200 characters without white space (base64 blobs, walls of punctuation) are
        blanked for tokenising: spaCy splits affixes off such a run one by one, which is
        quadratic in its length. Blanking keeps every offset, and no gap is stated in them.
        """
        from .analyzer import merge_signals

        tokenizable = LONG_RUN.sub(lambda m: " " * len(m.group()), ZERO_WIDTH.sub(" ", text))
        parts = []
        for offset, chunk in split_long_text(tokenizable, CHUNK_CHARS):
            parts.append((offset, self.analyzer.signals(self.nlp.make_doc(chunk), chunk)))
        sig = parts[0][1] if len(parts) == 1 else merge_signals(tokenizable, parts)
        sig.text = text
        return sig

    def analyze(self, text, id: str | None = None, mode: str | None = None) -> Analysis:
        """Analyse one text. Raises InputError for text that cannot be analysed."""
        prepared = prepare_text(text, self.limits)
        with self._lock:
            self._zones.enter(1)
            try:
                return self.analyzer.decide(self.signals(prepared), id, mode or self.mode)
            finally:
                self._zones.leave_if_full()

    def analyze_many(self, items: Iterable, batch_size: int = 256, n_process: int = 1,
                     errors: str = "raise") -> Iterator[Analysis | Failure]:
        """Stream analyses in input order. Items are texts or (id, text) pairs.

        With errors="return", an input that cannot be analysed yields a Failure in its place.
        With n_process > 1, worker processes analyse batches and results keep input order.
        """
        pairs = (_as_pair(i, item) for i, item in enumerate(items))
        for result in self.map_batches(pairs, Engine.analyze_batch, batch_size, n_process):
            if isinstance(result, Failure) and errors == "raise":
                raise GapfinderError(f"{result.id}: {result.error}")
            yield result

    def map_batches(self, items: Iterable, work, batch_size: int = 256, n_process: int = 1) -> Iterator:
        """Yield the outputs of work(engine, batch) over batches of items, in input order.

        With n_process > 1 the batches run in worker processes, each with its own copy of
        this engine; `work` must then be picklable (a module-level function or a partial).
        `gapfinder batch` uses this to parse, analyse and format emails in the workers.
        """
        items = iter(items)
        if n_process > 1:
            from .parallel import map_parallel

            yield from map_parallel(self, items, work, batch_size, n_process)
            return
        try:
            while batch := list(islice(items, batch_size)):
                yield from work(self, batch)
        finally:
            with self._lock:
                self._zones.leave_if_full(force=True)

    def analyze_batch(self, batch: list[tuple[str | None, object]]) -> list[Analysis | Failure]:
        """Analyse a list of (id, text) pairs; strings are released zone by zone."""
        out = []
        with self._lock:
            self._zones.enter(len(batch))
            for doc_id, text in batch:
                try:
                    prepared = prepare_text(text, self.limits)
                    with time_budget(self.limits.doc_seconds):
                        out.append(self.analyzer.decide(self.signals(prepared), doc_id, self.mode))
                except GapfinderError as exc:
                    out.append(Failure(doc_id, str(exc)))
            self._zones.leave_if_full()
        return out


class ZoneKeeper:
    """Keeps spaCy's string store from growing with the number of distinct words seen.

    The first WARM_DOCS documents are analysed outside any memory zone: the words they meet
    stay in the vocabulary and tokenizer cache for good, so later documents start warm.
    After that, documents are analysed inside memory zones of up to ZONE_DOCS documents;
    leaving a zone frees the strings and lexemes it added. (A zone per document would
    re-create every common word each time and halve throughput.)
    """

    WARM_DOCS = 256
    ZONE_DOCS = 500
    RENEW_DOCS = 5_000

    def __init__(self, make_nlp):
        self.make_nlp = make_nlp
        self.nlp = make_nlp()
        self.seen = 0
        self.in_zone = 0
        self._zone = None

    def enter(self, n_docs: int) -> None:
        if self._zone is None and self.seen >= self.WARM_DOCS:
            self._zone = self.nlp.memory_zone()
            self._zone.__enter__()
        self.seen += n_docs
        if self._zone is not None:
            self.in_zone += n_docs

    def leave_if_full(self, force: bool = False) -> None:
        if self._zone is not None and (force or self.in_zone >= self.ZONE_DOCS):
            self._zone.__exit__(None, None, None)
            self._zone, self.in_zone = None, 0
            _release_freed_memory()
            if self.seen >= self.RENEW_DOCS:
                # spaCy's tokenizer and vocabulary tables keep some memory after a zone
                # (about 0.4 KB a text in our measurements); a fresh pipeline every
                # RENEW_DOCS texts gives it back. The analyser works on hashes only, so
                # nothing else needs to change.
                self.nlp = self.make_nlp()
                self.seen = 0

    @property
    def active(self) -> bool:
        return self._zone is not None


def _release_freed_memory() -> None:
    """Ask the C allocator to return freed memory to the system (glibc only; else a no-op).

    Leaving a memory zone frees its strings and lexemes, but glibc keeps the freed pages
    for reuse, so RSS would not show it."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while the engine is built.

    Building allocates thousands of small objects (rules, phrases, lemma tables); that
    triggers full collections, each walking every object spaCy created on import: about
    50 ms of a one-text `gapfinder classify`. Nothing built here is cyclic garbage, and
    the collector's previous state is restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _blank_pipeline():
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
    return nlp


def _as_pair(index: int, item) -> tuple[str | None, object]:
    if isinstance(item, tuple) and len(item) == 2:
        return item[0], item[1]
    return None, item


def split_long_text(text: str, size: int) -> list[tuple[int, str]]:
    """Cut text into pieces of at most ~size characters at paragraph, line or space breaks."""
    if len(text) <= size:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, start + size // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces

"""Atheris fuzz harness for the text entry point, `Engine.analyze`.

Run (from /work/main; artefacts and the growing corpus stay under /tmp/fuzz):

    .venv/bin/pip install atheris
    mkdir -p /tmp/fuzz/engine_corpus
    .venv/bin/python tests/fuzz/fuzz_engine.py --seeds=/tmp/fuzz/engine_corpus \
        -artifact_prefix=/tmp/fuzz/ -max_total_time=600 -timeout=20 -rss_limit_mb=4096

`--seeds=DIR` (handled here, not by libFuzzer) fills an empty DIR with seed texts from
corpus/*.jsonl and tests/fixtures, then passes DIR to libFuzzer as its corpus. Re-run one
crash with `.venv/bin/python tests/fuzz/fuzz_engine.py /tmp/fuzz/crash-<sha1>`.

The first byte of an input picks how the rest is used:
  0x01  words chosen from a feedback vocabulary, so the rules and the model fire
        (analysed twice: the two results must be equal)
  0x02  any code points, lone surrogates included (FuzzedDataProvider.ConsumeUnicode)
  0x03  the chunk-and-merge path for long texts: the next two bytes set a small chunk size
        (16-1,040 characters instead of CHUNK_CHARS = 100,000) and the rest is the text, so
        chunk boundaries fall everywhere without paying for 100,000-character inputs
  else  the whole input as bytes (UTF-8 decoding, or InputError)

An InputError is a valid answer; any other exception, or an evidence/decision offset that
does not index the analysed text, is a crash. Modules that compare numpy arrays are
instrumented for coverage only, without atheris' comparison hooks, which leak memory on
numpy comparisons (see NUMPY_MODULES below); with them RSS passed 1.2 GB in ten minutes.
"""
from __future__ import annotations

import json
import os
import sys
import types
from pathlib import Path

import atheris

import numpy  # noqa: F401  (imported before instrumentation: only gapfinder is instrumented)
import spacy  # noqa: F401
from atheris.instrument_bytecode import patch_code

# Modules that compare numpy arrays get control-flow coverage only: atheris' comparison
# (dataflow) hooks leak memory on every numpy array comparison (RSS grew ~20 MB per 1,000
# inputs, past 1.2 GB in 10 minutes; the uninstrumented engine stays flat at ~115 MB).
NUMPY_MODULES = ["gapfinder.core.analyzer", "gapfinder.text.arrays", "gapfinder.text.features",
                 "gapfinder.text.lemmas", "gapfinder.text.matcher", "gapfinder.core.model"]


def _control_flow_only(module) -> None:
    """Instrument a module's functions and methods for coverage, without comparison hooks."""
    for obj in list(vars(module).values()):
        members = vars(obj).values() if isinstance(obj, type) else [obj]
        for member in members:
            func = getattr(member, "__func__", member)     # staticmethod / classmethod
            if isinstance(func, types.FunctionType) and func.__module__ == module.__name__:
                func.__code__ = patch_code(func.__code__, False, nested=True)


with atheris.instrument_imports(include=["gapfinder"], exclude=NUMPY_MODULES):
    import gapfinder
    import gapfinder.core.analyzer  # noqa: F401
    import gapfinder.rulebook.cues  # noqa: F401
    import gapfinder.core.engine  # noqa: F401
    import gapfinder.text.matcher  # noqa: F401
    import gapfinder.read.quoted_reply  # noqa: F401
    import gapfinder.text.sentences  # noqa: F401
    import gapfinder.read.text_input  # noqa: F401
    from gapfinder.errors import InputError

for _name in NUMPY_MODULES:
    _control_flow_only(sys.modules[_name])

ROOT = Path(__file__).resolve().parents[2]
ENGINE = None

WORDS = [
    "your", "cv", "resume", "cover", "letter", "portfolio", "sql", "python", "excel", "technical",
    "test", "coding", "interview", "answers", "panel", "communication", "industry", "sector",
    "market", "knowledge", "experience", "years", "visa", "sponsor", "licence", "was", "were",
    "not", "no", "never", "very", "too", "a", "the", "and", "but", "however", "although",
    "lacked", "lack", "weak", "limited", "unclear", "vague", "generic", "missing", "strong",
    "excellent", "impressive", "solid", "great", "clear", "rambled", "nervous", "struggled",
    "with", "might", "want", "to", "consider", "could", "improve", "we", "need", "5+",
    "years'", "unable", "right", "work", "problem", "issue", "wasn't", "didn't", "ask", "any",
    "questions", "hard", "follow", "calculation", "errors", "in", "unfortunately", "decided",
    "proceed", "candidates", "closely", "matched", "Dr.", "e.g.", "No.", "5", "etc.", ";", ",",
    ".", "!", "?", ":", "-", "(", ")", "\n", "\n\n", "\n- ", "\n> ", "Hi Sam,\n", "Best,\nJo",
    "On Mon, 9 Mar 2026, Jo <j@x.example> wrote:\n", "-- \n", "From: A\nSent: B\nTo: C\nSubject: D\n",
    "Communication: 2/5 - ", "\u2028", "\u202e", "🙂", "\x00", "\r\n", "x" * 210,
]


def _engine():
    global ENGINE
    if ENGINE is None:
        ENGINE = gapfinder.load()
    return ENGINE


def _vocab_text(fdp: atheris.FuzzedDataProvider) -> str:
    parts = []
    while fdp.remaining_bytes() and len(parts) < 400:
        parts.append(WORDS[fdp.ConsumeIntInRange(0, len(WORDS) - 1)])
    return " ".join(parts)


def _check(analysis, length: int) -> None:
    text = analysis.text
    if len(text) != length:
        raise AssertionError(f"analysed text has length {len(text)}, input {length}")
    for finding in analysis.gaps + analysis.strengths:
        for ev in finding.evidence:
            if not (0 <= ev.start < ev.end <= len(text)) or text[ev.start:ev.end] != ev.text:
                raise AssertionError(f"bad evidence offsets {ev!r} for {finding.label}")
    for d in analysis.decisions:
        if not 0 <= d.start < d.end <= len(text):
            raise AssertionError(f"bad decision offsets {d!r}")
    for r in analysis.ignored:
        if not 0 <= r["start"] <= r["end"] <= len(text):
            raise AssertionError(f"bad ignored range {r!r}")


def _analyze(value, length: int | None):
    try:
        analysis = _engine().analyze(value)
    except InputError:
        return None
    if length is not None:
        _check(analysis, length)
    return analysis


def TestOneInput(data: bytes) -> None:
    mode = data[:1]
    if mode == b"\x01":
        text = _vocab_text(atheris.FuzzedDataProvider(data[1:]))
        first = _analyze(text, len(text))
        second = _analyze(text, len(text))
        if (first is None) != (second is None) or (
                first is not None and first.to_dict(True) != second.to_dict(True)):
            raise AssertionError("the same text gave two different analyses")
    elif mode == b"\x02":
        fdp = atheris.FuzzedDataProvider(data[1:])
        text = fdp.ConsumeUnicode(fdp.remaining_bytes())
        _analyze(text, len(text))
    elif mode == b"\x03":
        fdp = atheris.FuzzedDataProvider(data[1:])
        size = fdp.ConsumeIntInRange(16, 1_040)
        text = fdp.ConsumeBytes(fdp.remaining_bytes()).decode("utf-8", "replace")
        saved = gapfinder.core.engine.CHUNK_CHARS
        gapfinder.core.engine.CHUNK_CHARS = size
        try:
            _analyze(text, len(text))
        finally:
            gapfinder.core.engine.CHUNK_CHARS = saved
    else:
        try:
            length = len(data.decode("utf-8"))
        except UnicodeDecodeError:
            length = None
        _analyze(data, length)


def _write_seeds(folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    if os.listdir(folder):
        return
    seeds = [(ROOT / "tests" / "fixtures" / "sample_rejection.txt").read_bytes()]
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip() and n % 8 == 0:
                seeds.append(json.loads(line)["text"].encode("utf-8"))
    seeds.append(b"\x01" + bytes(range(256)))
    seeds.append(b"\x02" + "Your CV \u202ewas\u202c weak 🙂".encode("utf-16-le"))
    seeds.append(b"\x03\x40\x00" + (b"Your cv was weak. We need 5+ years of SQL.\n\n" * 20))
    for i, seed in enumerate(seeds):
        Path(folder, f"seed-{i:04d}").write_bytes(seed)


def main() -> None:
    argv = []
    for arg in sys.argv:
        if arg.startswith("--seeds="):
            folder = arg.split("=", 1)[1]
            _write_seeds(folder)
            argv.append(folder)
        else:
            argv.append(arg)
    _engine()    # build before fuzzing starts, so start-up is not charged to the first input
    atheris.Setup(argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""The Python API: analyze, load, analyze_many (streaming, ordered, parallel), light import."""
import subprocess
import sys

import pytest

import gapfinder
from gapfinder.core.engine import Failure

TEXTS = [
    "Your CV had several typos and did not show your achievements.",
    "We need someone with an active RN licence, which you don't hold yet.",
    "The position has been filled. Thank you for your interest.",
    "Honestly your SQL was great, but the panel felt your answers rambled.",
]


def test_import_is_light():
    code = "import sys, gapfinder; print(sorted(m for m in ('spacy','sklearn','numpy','joblib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_analyze_returns_labels_and_evidence():
    result = gapfinder.analyze(TEXTS[0], id="x1")
    assert result.id == "x1" and result.labels == ["resume"]
    ev = result.gaps[0].evidence[0]
    assert TEXTS[0][ev.start:ev.end] == ev.text
    assert 0 <= result.gaps[0].confidence <= 1


def test_analyze_many_streams_in_order(engine):
    stream = engine.analyze_many(iter([(f"id{i}", t) for i, t in enumerate(TEXTS)]), batch_size=2)
    first = next(stream)
    assert first.id == "id0"
    rest = list(stream)
    assert [r.id for r in rest] == ["id1", "id2", "id3"]
    assert [r.labels for r in [first] + rest] == [engine.analyze(t).labels for t in TEXTS]


def test_analyze_many_in_processes_keeps_order(engine):
    items = [(f"id{i}", TEXTS[i % len(TEXTS)]) for i in range(40)]
    serial = [r.labels for r in engine.analyze_many(items, batch_size=3)]
    parallel = list(engine.analyze_many(items, batch_size=3, n_process=2))
    assert [r.id for r in parallel] == [i for i, _ in items]
    assert [r.labels for r in parallel] == serial


def test_bad_item_raises_or_returns_a_failure(engine):
    items = [("a", TEXTS[0]), ("b", ""), ("c", 42), ("d", TEXTS[1])]
    out = list(engine.analyze_many(items, errors="return"))
    assert [type(r).__name__ for r in out] == ["Analysis", "Failure", "Failure", "Analysis"]
    assert out[1] == Failure("b", "the text is empty")
    assert out[2].error == "expected text, got int"
    with pytest.raises(gapfinder.GapfinderError, match="b: the text is empty"):
        list(engine.analyze_many(items))


def test_input_errors(engine):
    with pytest.raises(gapfinder.InputError, match="empty"):
        engine.analyze("   ")
    with pytest.raises(gapfinder.InputError, match="not valid UTF-8"):
        engine.analyze(b"\xff\xfe broken")
    with pytest.raises(gapfinder.InputError, match="over the limit"):
        engine.analyze("a " * 600_000)


def test_all_is_complete():
    import types

    public = {
        n for n, v in vars(gapfinder).items()
        if not n.startswith("_") and not isinstance(v, types.ModuleType) and n not in ("annotations", "TYPE_CHECKING")
    }
    assert public == set(gapfinder.__all__) - {"__version__"}

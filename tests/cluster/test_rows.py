"""The shared partition work, on plain pandas: batch's records, flattened; bad rows kept."""
import pickle

import pytest

from gapfinder.cluster import worker
from gapfinder.cluster.rows import (COLUMNS, analyze_records, email_records, emails_frame, plain,
                                    texts_frame)
from gapfinder.cluster.worker import EngineSpec

from .conftest import assert_same_as_batch, email_items, need


@pytest.fixture
def spec(engine, monkeypatch):
    """The default spec, served by the session's engine instead of building another."""
    monkeypatch.setattr(worker, "_ENGINES", {EngineSpec.of(): engine})
    return EngineSpec.of()


def test_a_pandas_frame_of_texts_gives_batch_records(spec, text_rows, batch_texts):
    pd = need("pandas")
    frame = pd.DataFrame({"key": [i for i, _ in text_rows], "body": [t for _, t in text_rows]},
                         index=range(100, 100 + len(text_rows)))
    out = texts_frame(frame, text="body", id="key", source=None, spec=spec)
    assert list(out.columns) == list(COLUMNS) and list(out.index) == list(frame.index)
    assert_same_as_batch(out.to_dict("records"), batch_texts, compare_source=False)


def test_a_pandas_frame_of_emails_gives_batch_records(spec, email_folder, batch_emails):
    pd = need("pandas")
    frame = pd.DataFrame(email_items(email_folder), columns=["path", "content"])
    out = emails_frame(frame, content="content", source="path", spec=spec)
    assert_same_as_batch(out.to_dict("records"), batch_emails, compare_source=True)


def test_an_empty_partition_gives_an_empty_frame_with_the_columns(spec):
    pd = need("pandas")
    out = texts_frame(pd.DataFrame({"id": [], "text": []}), "text", "id", None, spec)
    assert list(out.columns) == list(COLUMNS) and len(out) == 0
    assert str(out["score_resume"].dtype) == "float64"


def test_a_cell_that_is_not_email_bytes_is_an_error_row(spec):
    rows = analyze_records(email_records([None, "Subject: hi\n\ntext"], ["a.eml", "b.eml"]), spec)
    assert [r["error"] for r in rows] == ["expected the raw bytes of an email, got nothing",
                                         "expected the raw bytes of an email, got a str"]
    assert [r["id"] for r in rows] == ["a.eml", "b.eml"]


def test_pandas_cells_become_plain_python_values():
    np, pd = need("numpy"), need("pandas")
    assert plain(np.int64(7)) == 7 and type(plain(np.int64(7))) is int
    assert [plain(v) for v in (None, float("nan"), pd.NA, pd.NaT, np.float64("nan"))] == [None] * 5
    assert plain("text") == "text" and plain(b"\xff") == b"\xff"


def test_what_travels_to_a_worker_is_small_and_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = EngineSpec.of(model_path="models/card.json", use_model=False)
    assert spec.model_path == str(tmp_path / "models" / "card.json")
    assert len(pickle.dumps(spec)) < 1_000            # never an engine, never a spaCy Language
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_a_lone_surrogate_cannot_fail_a_partition(spec):
    pd = need("pandas")
    frame = pd.DataFrame({"id": ["a"], "text": ["Your CV had typos."], "file": ["notes-\udcff.txt"]})
    out = texts_frame(frame, "text", "id", source="file", spec=spec, arrow=True)
    assert out["source"].tolist() == ["notes-\ufffd.txt"]

"""gapfinder.dask on a LocalCluster of two worker processes gives batch's records, by id."""
import pandas as pd
import pytest

from gapfinder.cluster import worker
from gapfinder.cluster.rows import COLUMNS

from .conftest import assert_same_as_batch, email_items, need

pytestmark = pytest.mark.cluster


@pytest.fixture
def no_engine_on_the_client(monkeypatch):
    """Fail if the client process builds an engine (as Dask would to guess a missing meta)."""
    monkeypatch.setattr(worker, "_ENGINES", {})
    monkeypatch.setattr(worker.EngineSpec, "build", lambda self: pytest.fail("an engine was built on the client"))


def test_texts_equal_batch_and_each_worker_keeps_one_engine(dask_client, text_rows, batch_texts,
                                                           no_engine_on_the_client):
    dask = need("dask")
    import dask.dataframe as dd

    import gapfinder.dask

    with dask.config.set({"dataframe.convert-string": False}):    # keep the int below an int
        frame = pd.DataFrame({"id": [i for i, _ in text_rows] + ["number"],
                              "text": [t for _, t in text_rows] + [42]})
        texts = dd.from_pandas(frame, npartitions=4)
    results = gapfinder.dask.analyze(texts, text="text", id="id")
    assert list(results.columns) == list(COLUMNS)
    out = results.compute()
    assert list(out.index) == list(frame.index)           # one row per input row, index kept
    rows = out.to_dict("records")
    number = next(r for r in rows if r["id"] == "number")
    assert number["error"] == "row has no string field 'text'"    # as batch says for {"text": 42}
    assert_same_as_batch([r for r in rows if r["id"] != "number"], batch_texts, compare_source=False)

    engines = dask_client.run(lambda: [id(e) for e in worker._ENGINES.values()])
    assert len(engines) == 2 and all(len(ids) <= 1 for ids in engines.values())   # one engine a worker
    assert sum(len(ids) for ids in engines.values()) >= 1
    results.compute()                                                   # a second job reuses them
    assert dask_client.run(lambda: [id(e) for e in worker._ENGINES.values()]) == engines


def test_email_bag_equals_batch(dask_client, email_folder, batch_emails, no_engine_on_the_client):
    need("dask")
    import dask.bag as db

    import gapfinder.dask

    bag = db.from_sequence(email_items(email_folder), npartitions=3)
    rows = gapfinder.dask.analyze_emails(bag).compute().to_dict("records")
    assert_same_as_batch(rows, batch_emails, compare_source=True)

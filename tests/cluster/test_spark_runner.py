"""gapfinder.spark on local[2] gives batch's records, by id, through mapInPandas."""
import pytest

from gapfinder.cluster import worker
from gapfinder.cluster.rows import COLUMNS

from .conftest import assert_same_as_batch, email_items

pytestmark = pytest.mark.cluster


@pytest.fixture
def no_engine_on_the_driver(monkeypatch):
    """Fail if the driver builds an engine: it must be built in the Python workers only."""
    monkeypatch.setattr(worker, "_ENGINES", {})
    monkeypatch.setattr(worker.EngineSpec, "build", lambda self: pytest.fail("an engine was built on the driver"))


def test_texts_equal_batch(spark, text_rows, batch_texts, no_engine_on_the_driver):
    import gapfinder.spark

    assert spark.conf.get("spark.sql.execution.arrow.pyspark.enabled") == "true"
    df = spark.createDataFrame(text_rows, "id string, text string").repartition(3)
    results = gapfinder.spark.analyze(df, text="text", id="id")
    assert results.columns == list(COLUMNS)
    assert dict(results.dtypes)["labels"] == "array<string>"
    rows = [row.asDict() for row in results.collect()]
    assert_same_as_batch(rows, batch_texts, compare_source=False)


def test_binary_emails_equal_batch(spark, email_folder, batch_emails, no_engine_on_the_driver):
    import gapfinder.spark

    df = spark.createDataFrame(email_items(email_folder), "path string, content binary")
    rows = [row.asDict() for row in gapfinder.spark.analyze_emails(df).collect()]
    assert_same_as_batch(rows, batch_emails, compare_source=True)

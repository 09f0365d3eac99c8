"""gapfinder on Spark: analyse a DataFrame of texts or of raw emails, as `batch` would.

    import gapfinder.spark
    spark = gapfinder.spark.session("local[*]")           # or your own SparkSession
    texts = spark.read.parquet("feedback/")               # columns: id, text
    gapfinder.spark.analyze(texts, text="text", id="id").write.parquet("gaps/")

    emails = spark.read.format("binaryFile").load("mail/*.eml")   # columns: path, content, ...
    gapfinder.spark.analyze_emails(emails, content="content", source="path")

Needs the optional extra: pip install "gapfinder[spark]" (and Java 17 or later). Results
have the columns of gapfinder.cluster.rows.COLUMNS (see gapfinder.cluster.spark_runner
.result_schema): id, source, error (null, or the message batch gives), labels,
score_<label> per label, specific, rejection, language, evidence (JSON), message_id, from,
subject, date. Bad records come out as error rows in their place; none is dropped. Each
Python worker builds one engine on its first batch; no spaCy object is ever shipped.
"""
from __future__ import annotations

from .cluster.checks import check_columns, require_extra
from .cluster.worker import EngineSpec

__all__ = ["analyze", "analyze_emails", "session"]

_NEEDS = ("pyspark.sql", "pandas", "pyarrow")


def analyze(df, text: str = "text", id: str = "id", *, source: str | None = None,
            model_path=None, rules_path=None, use_model: bool = True, limits=None):
    """A Spark DataFrame of results, one row per row of `df`.

    `text` and `id` name the columns holding each text and its id; `source`, if given, names
    a column to echo as the result's `source`."""
    require_extra(_NEEDS, "spark", "PySpark")
    check_columns(df.columns, {"text": text, "id": id, "source": source})
    from .cluster import spark_runner

    return spark_runner.analyze_texts(df, text, id, source,
                                      EngineSpec.of(model_path, rules_path, use_model, limits))


def analyze_emails(df, content: str = "content", source: str | None = "path", *,
                   model_path=None, rules_path=None, use_model: bool = True, limits=None):
    """A Spark DataFrame of results for a binary column of raw emails (parsed on the workers).

    The defaults fit spark.read.format("binaryFile"): bytes in `content`, file in `path`."""
    require_extra(_NEEDS, "spark", "PySpark")
    source = source if source in df.columns else None
    check_columns(df.columns, {"content": content})
    from .cluster import spark_runner

    return spark_runner.analyze_emails(df, content, source,
                                       EngineSpec.of(model_path, rules_path, use_model, limits))


def session(master: str = "local[*]", app_name: str = "gapfinder", config: dict | None = None):
    """A SparkSession set up for gapfinder: Arrow on, and for local masters the workers run
    this very Python (where gapfinder is installed). `config` ({"spark.executor.memory": "4g"},
    ...) is passed through."""
    require_extra(_NEEDS, "spark", "PySpark")
    from .cluster import spark_runner

    return spark_runner.session(master, app_name, config or {})

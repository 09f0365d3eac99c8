"""gapfinder over Spark: `mapInPandas` with an explicit schema, one engine per Python worker.

Spark streams each partition to a Python worker as Arrow batches of pandas frames; the
function below takes the whole iterator, fetches this worker's engine once before the first
batch (built on the worker from the EngineSpec, never shipped), and yields one result frame
per batch. The schema is given in full so Spark never has to sample or infer it.
"""
from __future__ import annotations

from functools import partial
from typing import Iterator

from pyspark.sql import DataFrame
from pyspark.sql.types import ArrayType, BooleanType, DoubleType, StringType, StructField, StructType

from .rows import COLUMNS, SCORE_COLUMNS, emails_frame, texts_frame
from .worker import EngineSpec, worker_engine


def result_schema() -> StructType:
    """The result columns (rows.COLUMNS) as a Spark schema; every field may be null."""
    def spark_type(column: str):
        if column == "labels":
            return ArrayType(StringType())
        if column in SCORE_COLUMNS:
            return DoubleType()
        if column in ("specific", "rejection"):
            return BooleanType()
        return StringType()

    return StructType([StructField(column, spark_type(column), nullable=True) for column in COLUMNS])


def analyze_texts(df: DataFrame, text: str, id: str, source: str | None, spec: EngineSpec) -> DataFrame:
    """Result columns for a Spark DataFrame of texts."""
    wanted = [id, text] + ([source] if source else [])
    work = partial(_texts, text=text, id=id, source=source, spec=spec)
    return df.select(*wanted).mapInPandas(work, schema=result_schema())


def analyze_emails(df: DataFrame, content: str, source: str | None, spec: EngineSpec) -> DataFrame:
    """Result columns for a Spark DataFrame with a binary column of raw emails."""
    wanted = [content] + ([source] if source else [])
    work = partial(_emails, content=content, source=source, spec=spec)
    return df.select(*wanted).mapInPandas(work, schema=result_schema())


def _texts(batches: Iterator, text: str, id: str, source: str | None, spec: EngineSpec) -> Iterator:
    worker_engine(spec)                  # once per iterator, and cached for the worker's life
    for frame in batches:
        yield texts_frame(frame, text, id, source, spec)


def _emails(batches: Iterator, content: str, source: str | None, spec: EngineSpec) -> Iterator:
    worker_engine(spec)
    for frame in batches:
        yield emails_frame(frame, content, source, spec)


def session(master: str, app_name: str, config: dict):
    """A SparkSession with Arrow on; local masters run their Python workers on sys.executable,
    which has gapfinder installed (PySpark would otherwise start whatever `python3` is first
    on the PATH: it reads PYSPARK_PYTHON when the context starts, so that is set, unless the
    caller has set it already)."""
    import os
    import sys

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    settings = {"spark.sql.execution.arrow.pyspark.enabled": "true",
                "spark.python.worker.reuse": "true"}       # keeps each worker's engine alive
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.update({key: str(value) for key, value in config.items()})
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()

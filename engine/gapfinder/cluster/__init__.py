"""Run gapfinder on a cluster engine a user already operates (Dask, Spark), same results as batch.

Takes: a Dask DataFrame or Spark DataFrame of (id, text) rows, or raw email bytes (a Dask
Bag, a Spark binary column). Gives: one row per input record with plain columns (id,
source, error, labels, a score per label, evidence as JSON, specific, ...), built by the
same record builder as `gapfinder batch` (write/batch_records.py), so a text gets the same
result or the same error whichever way it is run.

    checks.py        caller-side checks: a missing extra or column is one plain line
    worker.py        EngineSpec (what to build) and one engine per worker process, built there
    rows.py          batch records -> flat rows and pandas frames; the shared partition work
    dask_runner.py   map_partitions with meta always given
    spark_runner.py  mapInPandas with an explicit schema

The public faces are gapfinder.dask and gapfinder.spark; this stage imports core/, read/ and
write/, and nothing imports it but those faces.
"""

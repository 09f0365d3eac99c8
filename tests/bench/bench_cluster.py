"""docs/s of gapfinder on Dask and on Spark with 1 and 2 workers, against `gapfinder batch
--jobs 1` and `--jobs 2` on the same messages in the same run (a benchmark, not a test).

    python tests/bench/bench_cluster.py [--messages 8000] [--skip-spark] [--skip-dask]

Builds an mbox of synthetic rejection emails (bench/mbox_corpus.py), then measures:

  batch   `gapfinder batch FILE --jobs N -o OUT` in a child process. Its wall time includes
          start-up (imports, engine build), so a 1-message run is timed too and the steady
          rate is (messages - 1) / (wall - wall of 1 message).
  dask    gapfinder.dask.analyze_emails over a LocalCluster(n_workers=N, threads_per_worker=1);
  spark   gapfinder.spark.analyze_emails on local[N].
          For both, the raw emails (the same bytes batch splits from the mbox) are first held
          in the cluster's memory (persist / cache) and every worker builds its engine; the
          timed part parses, analyses and writes Parquet, as batch parses, analyses and writes
          JSONL. Start-up and warm-up are printed apart.

Each run's row count and error count are checked against batch's output. Then a sizing for
100 million messages is derived from the measured per-worker rates and worker memory.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_runner import machine_load, run_measured  # noqa: E402
from mbox_corpus import write_mbox  # noqa: E402

from gapfinder.read.sources import split_mbox  # noqa: E402

MESSAGES_FOR_SIZING = 100_000_000
CORES_FOR_SIZING = 100


def raw_emails(mbox: Path) -> list[tuple[str, bytes]]:
    """(source, bytes) per message, exactly as batch names and splits them."""
    with open(mbox, "rb") as stream:
        return [(f"{mbox}#{n}", data) for n, (data, _) in enumerate(split_mbox(stream, 10_000_000), start=1)]


def peak_rss_mb(pid: int | None = None) -> float:
    """A process's peak resident memory (VmHWM), in MB."""
    with open(f"/proc/{pid or 'self'}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_batch(mbox: Path, tiny: Path, n: int, jobs: int, tmp: Path) -> dict:
    out = tmp / f"batch-{jobs}.jsonl"
    start = run_measured(["batch", str(tiny), "--format", "jsonl", "--quiet", "--jobs", str(jobs),
                          "-o", str(tmp / "tiny.jsonl")], cwd=str(tmp))
    full = run_measured(["batch", str(mbox), "--format", "jsonl", "--quiet", "--jobs", str(jobs),
                         "-o", str(out)], cwd=str(tmp))
    with open(out, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    steady = (n - 1) / max(full.seconds - start.seconds, 1e-9)
    return {"rate": steady, "wall": full.seconds, "startup": start.seconds, "rows": len(records),
            "errors": sum("error" in r for r in records), "rss": full.peak_rss_mb}


def bench_dask(items, workers: int, tmp: Path) -> dict:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster, wait

    import gapfinder.dask
    from gapfinder.cluster.worker import EngineSpec

    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        started = time.perf_counter() - t0
        t0 = time.perf_counter()
        client.run(_build_engine, EngineSpec.of())          # every worker builds its engine now
        warm = time.perf_counter() - t0
        bag = client.persist(db.from_sequence(items, npartitions=8 * workers))
        wait(bag)
        out = tmp / f"dask-{workers}"
        t0 = time.perf_counter()
        gapfinder.dask.analyze_emails(bag).to_parquet(out, write_index=False)
        seconds = time.perf_counter() - t0
        rss = client.run(peak_rss_mb)
    rows, errors = _parquet_counts(out)
    return {"rate": len(items) / seconds, "wall": seconds, "startup": started, "warm": warm,
            "rows": rows, "errors": errors, "rss": max(rss.values())}


def _build_engine(spec) -> None:
    from gapfinder.cluster.worker import worker_engine

    worker_engine(spec)


def bench_spark(items, workers: int, tmp: Path) -> dict:
    import gapfinder.spark

    t0 = time.perf_counter()
    spark = gapfinder.spark.session(f"local[{workers}]", "gapfinder-bench", {
        "spark.ui.enabled": "false", "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.host": "127.0.0.1", "spark.driver.memory": "2g"})
    try:
        started = time.perf_counter() - t0
        partitions = 8 * workers
        df = spark.createDataFrame(items, "path string, content binary").repartition(partitions).cache()
        df.count()
        t0 = time.perf_counter()
        gapfinder.spark.analyze_emails(df.limit(workers * 4).repartition(workers)).write.format("noop") \
            .mode("overwrite").save()                      # each Python worker builds its engine
        warm = time.perf_counter() - t0
        out = tmp / f"spark-{workers}"
        t0 = time.perf_counter()
        gapfinder.spark.analyze_emails(df).write.mode("overwrite").parquet(str(out))
        seconds = time.perf_counter() - t0
        rss = _spark_worker_rss()
    finally:
        spark.stop()
    rows, errors = _parquet_counts(out)
    return {"rate": len(items) / seconds, "wall": seconds, "startup": started, "warm": warm,
            "rows": rows, "errors": errors, "rss": rss}


def _spark_worker_rss() -> float:
    """Peak RSS of the largest PySpark Python worker (the processes pyspark.daemon forks)."""
    import psutil

    peaks = []
    for proc in psutil.process_iter(["cmdline"]):
        if "pyspark.daemon" in " ".join(proc.info["cmdline"] or []):
            for child in proc.children():
                try:
                    peaks.append(peak_rss_mb(child.pid))
                except OSError:
                    pass
    return max(peaks, default=0.0)


def _parquet_counts(folder: Path) -> tuple[int, int]:
    import pyarrow.parquet as pq

    table = pq.read_table(folder, columns=["error"])
    return table.num_rows, table.num_rows - table.column("error").null_count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", "-n", type=int, default=8_000)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-spark", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gapfinder-bench-cluster-") as name:
        tmp = Path(name)
        mbox, tiny = tmp / "mail.mbox", tmp / "one.mbox"
        write_mbox(mbox, args.messages, seed=args.seed)
        write_mbox(tiny, 1, seed=args.seed)
        items = raw_emails(mbox)
        size_mb = mbox.stat().st_size / 2**20
        print(f"{len(items):,} messages, {size_mb:.1f} MB; CPU now: {machine_load()}", flush=True)

        results: dict[tuple[str, int], dict] = {}
        for workers in (1, 2):
            results[("batch", workers)] = bench_batch(mbox, tiny, len(items), workers, tmp)
            _show("batch", workers, results[("batch", workers)])
        for engine, run, skip in (("dask", bench_dask, args.skip_dask), ("spark", bench_spark, args.skip_spark)):
            if skip:
                continue
            for workers in (1, 2):
                results[(engine, workers)] = run(items, workers, tmp)
                _show(engine, workers, results[(engine, workers)])
        print(f"CPU after: {machine_load()}")

        ok = True
        expected = (results[("batch", 1)]["rows"], results[("batch", 1)]["errors"])
        print("\nengine  workers  docs/s   vs batch --jobs N   rows / errors")
        for (engine, workers), r in results.items():
            ratio = r["rate"] / results[("batch", workers)]["rate"]
            same = (r["rows"], r["errors"]) == expected
            ok = ok and same
            print(f"{engine:6}  {workers:7}  {r['rate']:6,.0f}   {ratio:5.2f}x{'':13} "
                  f"{r['rows']:,} / {r['errors']:,} {'OK' if same else 'DIFFERENT FROM BATCH'}")
        for engine in ("dask", "spark"):
            if (engine, 1) in results:
                _sizing(engine, results[(engine, 1)], results[(engine, 2)], size_mb / len(items))
    return 0 if ok else 1


def _show(engine: str, workers: int, r: dict) -> None:
    extra = f", warm-up {r['warm']:.1f} s" if "warm" in r else ""
    print(f"  {engine} x{workers}: {r['rate']:,.0f} docs/s (timed {r['wall']:.2f} s; start-up "
          f"{r['startup']:.1f} s{extra}); peak RSS per worker {r['rss']:.0f} MB; "
          f"{r['rows']:,} rows, {r['errors']:,} errors", flush=True)


def _sizing(engine: str, one: dict, two: dict, mb_per_message: float) -> None:
    """100M messages on 100 cores, from the per-worker rate with 2 workers on 2 cores (the
    figure that includes sharing a machine) and the 1-worker rate as the upper end."""
    per_worker = two["rate"] / 2
    hours = MESSAGES_FOR_SIZING / (CORES_FOR_SIZING * per_worker) / 3600
    best = MESSAGES_FOR_SIZING / (CORES_FOR_SIZING * one["rate"]) / 3600
    per_partition = int(round(per_worker * 120, -3))       # about 2 minutes of one worker
    print(f"\n{engine}: {per_worker:,.0f} docs/s per worker (2 on 2 cores; {one['rate']:,.0f} alone)")
    print(f"  100M messages on {CORES_FOR_SIZING} cores: {hours:.1f} h ({best:.1f} h at the 1-worker rate)")
    print(f"  partition of ~{per_partition:,} messages (~2 min of work, ~{per_partition * mb_per_message:.0f} MB "
          f"raw) -> {MESSAGES_FOR_SIZING // max(per_partition, 1):,} partitions")
    print(f"  worker peak RSS {max(one['rss'], two['rss']):.0f} MB")


if __name__ == "__main__":
    sys.exit(main())

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
    cpu = max(full.cpu_seconds - start.cpu_seconds, 1e-9)
    return {"rate": steady, "wall": full.seconds, "startup": start.seconds, "rows": len(records),
            "errors": sum("error" in r for r in records), "rss": full.peak_rss_mb,
            "worker_cpu": cpu, "all_cpu": cpu}


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
        cpu0, here0 = client.run(_cpu_seconds), time.process_time()
        t0 = time.perf_counter()
        gapfinder.dask.analyze_emails(bag).to_parquet(out, write_index=False)
        seconds = time.perf_counter() - t0
        cpu1, here1 = client.run(_cpu_seconds), time.process_time()
        rss = client.run(peak_rss_mb)
    rows, errors = _parquet_counts(out)
    worker_cpu = sum(cpu1[w] - cpu0[w] for w in cpu1)
    return {"rate": len(items) / seconds, "wall": seconds, "startup": started, "warm": warm,
            "rows": rows, "errors": errors, "rss": max(rss.values()),
            "worker_cpu": worker_cpu, "all_cpu": worker_cpu + here1 - here0}     # + client & scheduler


def _cpu_seconds() -> float:
    """User + system CPU seconds of the calling process."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
        py0, jvm0, here0 = _spark_python_cpu(), _jvm_cpu(), time.process_time()
        t0 = time.perf_counter()
        gapfinder.spark.analyze_emails(df).write.mode("overwrite").parquet(str(out))
        seconds = time.perf_counter() - t0
        py1, jvm1, here1 = _spark_python_cpu(), _jvm_cpu(), time.process_time()
        rss = max((peak_rss_mb(p.pid) for p in _spark_python_workers()), default=0.0)
    finally:
        spark.stop()
    rows, errors = _parquet_counts(out)
    worker_cpu = sum(cpu - py0.get(pid, 0.0) for pid, cpu in py1.items())
    return {"rate": len(items) / seconds, "wall": seconds, "startup": started, "warm": warm,
            "rows": rows, "errors": errors, "rss": rss,
            "worker_cpu": worker_cpu, "all_cpu": worker_cpu + (jvm1 - jvm0) + (here1 - here0)}


def _spark_python_workers() -> list:
    """The PySpark Python workers: the processes pyspark.daemon forks."""
    import psutil

    workers = []
    for proc in psutil.process_iter(["cmdline"]):
        if "pyspark.daemon" in " ".join(proc.info["cmdline"] or []):
            workers.extend(proc.children())
    return workers


def _spark_python_cpu() -> dict[int, float]:
    out = {}
    for proc in _spark_python_workers():
        try:
            times = proc.cpu_times()
            out[proc.pid] = times.user + times.system
        except Exception:
            pass
    return out


def _jvm_cpu() -> float:
    """CPU seconds of the Spark JVM (the java child of this process)."""
    import psutil

    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.name() == "java":
                times = proc.cpu_times()
                total += times.user + times.system
        except Exception:
            pass
    return total


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
        print("\nwall clock: docs/s; CPU: docs per CPU-second of the workers / of all processes "
              "(the CPU figures hold whatever else the machine is running)")
        print("engine  workers  docs/s  vs batch -j N   docs/worker-CPU-s  docs/all-CPU-s  vs batch   rows / errors")
        for (engine, workers), r in results.items():
            base = results[("batch", workers)]
            ratio = r["rate"] / base["rate"]
            per_cpu, per_all = len(items) / r["worker_cpu"], len(items) / r["all_cpu"]
            cpu_ratio = per_all / (len(items) / base["all_cpu"])
            same = (r["rows"], r["errors"]) == expected
            ok = ok and same
            print(f"{engine:6}  {workers:7}  {r['rate']:6,.0f}  {ratio:5.2f}x{'':8} {per_cpu:10,.0f}{'':9}"
                  f"{per_all:8,.0f}{'':6} {cpu_ratio:5.2f}x   "
                  f"{r['rows']:,} / {r['errors']:,} {'OK' if same else 'DIFFERENT FROM BATCH'}")
        for engine in ("dask", "spark"):
            if (engine, 1) in results:
                _sizing(engine, results[(engine, 1)], results[(engine, 2)], len(items), size_mb / len(items))
    return 0 if ok else 1


def _show(engine: str, workers: int, r: dict) -> None:
    extra = f", warm-up {r['warm']:.1f} s" if "warm" in r else ""
    print(f"  {engine} x{workers}: {r['rate']:,.0f} docs/s (timed {r['wall']:.2f} s; start-up "
          f"{r['startup']:.1f} s{extra}); peak RSS per worker {r['rss']:.0f} MB; "
          f"{r['rows']:,} rows, {r['errors']:,} errors", flush=True)


def _sizing(engine: str, one: dict, two: dict, n: int, mb_per_message: float) -> None:
    """100M messages on 100 cores. The per-core rate is docs per CPU-second of all the
    processes of the 2-worker run (workers plus driver, scheduler or JVM): what one core
    gives when the cluster has it to itself. The wall-clock rate per worker of the same run
    is printed beside it; on this machine it also reflects whatever else was running."""
    per_core = n / two["all_cpu"]
    per_worker_wall = two["rate"] / 2
    hours = MESSAGES_FOR_SIZING / (CORES_FOR_SIZING * per_core) / 3600
    hours_wall = MESSAGES_FOR_SIZING / (CORES_FOR_SIZING * per_worker_wall) / 3600
    per_partition = int(round(per_core * 120, -3))         # about 2 minutes of one worker
    print(f"\n{engine}: {per_core:,.0f} docs per core-second (all processes, 2 workers); "
          f"{per_worker_wall:,.0f} docs/s per worker by the wall clock of this run")
    print(f"  100M messages on {CORES_FOR_SIZING} cores: {hours:.1f} h at the per-core rate "
          f"({hours_wall:.1f} h at this run's wall-clock rate)")
    print(f"  partition of ~{per_partition:,} messages (~2 min of one worker, ~{per_partition * mb_per_message:.0f} MB "
          f"raw) -> {MESSAGES_FOR_SIZING // max(per_partition, 1):,} partitions")
    print(f"  worker peak RSS {max(one['rss'], two['rss']):.0f} MB (engine + one partition in flight)")


if __name__ == "__main__":
    sys.exit(main())

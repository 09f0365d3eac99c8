"""Parallel speed-up of `gapfinder batch --jobs 2` over `--jobs 1` (a benchmark, not a test).

    python tests/bench/bench_batch_jobs.py [--messages 20000] [--repeat 1] [--jobs 2]

Builds an mbox of synthetic rejection emails in a temporary folder (60-150 words each, random
names and reference numbers, distinct Message-IDs), then times, each in its own child process,

    gapfinder batch FILE --format jsonl --quiet --jobs 1 -o OUT1
    gapfinder batch FILE --format jsonl --quiet --jobs 2 -o OUT2

and prints docs/s for each (best of --repeat runs), the speed-up, and the CPU seconds of the
main process and of all processes (to show where the time goes). Checks that both outputs are
byte-for-byte identical and hold one line per message, in input order.

Target: speed-up >= 1.7x with --jobs 2 on a machine with 2 cores.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_runner import check_jsonl, engine_fingerprint, machine_load, run_measured, wait_for_idle  # noqa: E402
from mbox_corpus import write_mbox  # noqa: E402

TARGET_SPEEDUP = 1.7


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--messages", "-n", type=int, default=20_000, help="messages in the mbox (default 20000)")
    parser.add_argument("--jobs", type=int, default=2, help="the parallel run's --jobs (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each setting; the best is kept (default 1)")
    parser.add_argument("--seed", type=int, default=1234, help="random seed for the synthetic mail")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each timed run, wait up to SECONDS for the CPUs to be idle (default 0)")
    parser.add_argument("--tmp", default=None, help="folder for the temporary files (default: the system's)")
    args = parser.parse_args()

    codes = []                    # engine fingerprints taken before and after each timed run
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="gapfinder-bench-jobs-", dir=args.tmp) as tmp:
        mbox = Path(tmp) / f"rejections-{args.messages}.mbox"
        t0 = time.perf_counter()
        ids = write_mbox(mbox, args.messages, seed=args.seed)
        print(f"built {mbox.name}: {args.messages:,} messages, {mbox.stat().st_size / 2**20:,.1f} MB "
              f"in {time.perf_counter() - t0:.1f} s; {cores} cores available", flush=True)

        best, outputs, ok = {}, {}, True
        for jobs in (1, args.jobs):
            out = Path(tmp) / f"results-jobs{jobs}.jsonl"
            outputs[jobs] = out
            for attempt in range(args.repeat):
                if args.wait_idle > 0 and not wait_for_idle(args.wait_idle):
                    print(f"  the CPUs did not become idle within {args.wait_idle:g} s; timing anyway")
                codes.append(engine_fingerprint())
                print(f"  CPU before the run: {machine_load()}; engine code {codes[-1]}", flush=True)
                res = run_measured(["batch", str(mbox), "--format", "jsonl", "--quiet",
                                    "--jobs", str(jobs), "-o", str(out)], cwd=tmp)
                codes.append(engine_fingerprint())
                rate = args.messages / res.seconds
                print(f"  --jobs {jobs} run {attempt + 1}: exit {res.returncode}, wall {res.seconds:.2f} s, "
                      f"{rate:,.0f} docs/s, CPU main process {res.main_cpu_seconds:.1f} s, "
                      f"all processes {res.cpu_seconds:.1f} s, peak RSS {res.peak_rss_mb:.0f} MB"
                      + (f" (tree {res.peak_tree_mb:.0f} MB)" if jobs > 1 else ""), flush=True)
                if res.stderr.strip():
                    print("    stderr: " + res.stderr.strip().replace("\n", "\n            "))
                ok = ok and res.returncode == 0
                if jobs not in best or res.seconds < best[jobs].seconds:
                    best[jobs] = res
            good, check = check_jsonl(out, ids) if out.exists() else (False, "no output file")
            print(f"  --jobs {jobs} output: {check} -> {'OK' if good else 'FAIL'}", flush=True)
            ok = ok and good

        same = all(p.exists() for p in outputs.values()) and filecmp.cmp(outputs[1], outputs[args.jobs], shallow=False)
        one, par = best[1], best[args.jobs]
        speedup = one.seconds / par.seconds
        print()
        print(f"messages: {args.messages:,}")
        print(f"--jobs 1: {args.messages / one.seconds:,.0f} docs/s ({one.seconds:.2f} s)")
        print(f"--jobs {args.jobs}: {args.messages / par.seconds:,.0f} docs/s ({par.seconds:.2f} s)")
        print(f"speed-up: {speedup:.2f}x  (target >= {TARGET_SPEEDUP}x on 2 cores): "
              f"{'PASS' if speedup >= TARGET_SPEEDUP else 'FAIL'}")
        print(f"outputs identical: {'yes' if same else 'NO'}")
        if par.cpu_seconds:
            print(f"--jobs {args.jobs}: main process used {par.main_cpu_seconds:.1f} of {par.cpu_seconds:.1f} CPU s "
                  f"({par.main_cpu_seconds / par.seconds:.0%} of one core over the run)")
        if par.main_cpu_seconds:
            print(f"speed-up ceiling while the main process does that work serially: "
                  f"{one.cpu_seconds / par.main_cpu_seconds:.2f}x (--jobs 1 CPU / --jobs {args.jobs} main-process CPU)")
    if len(set(codes)) > 1:
        print(f"WARNING: the engine code changed between or during the timed runs ({' -> '.join(dict.fromkeys(codes))}); "
              "the runs may not have measured the same code")
    return 0 if ok and same and speedup >= TARGET_SPEEDUP else 1


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory of `gapfinder batch` on a small and a large mbox (a benchmark, not a test).

    python tests/bench/bench_batch_memory.py [--small 1000] [--large 100000] [--jobs 1]

Builds two mbox files of synthetic rejection emails in a temporary folder (60-150 words each,
with random names, reference numbers and links so the vocabulary keeps growing; distinct
Message-IDs; the same seed, so the small file is the first messages of the large one), then
runs, for each, in its own child process, one right after the other:

    gapfinder batch FILE --format jsonl --quiet -o OUT

Prints, per file: messages, wall seconds, docs/s, peak RSS in MB (ru_maxrss of that child,
from os.wait4) and the child's sampled RSS over the run; checks that OUT has exactly one
line per message, in input order. Then prints the ratio of peak RSS, large / small.

Target: memory does not grow with the size of the input, i.e. peak RSS (100k) / peak RSS
(1k) <= 1.10 ("within 10%").
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_runner import check_jsonl, engine_fingerprint, machine_load, run_measured  # noqa: E402
from mbox_corpus import write_mbox  # noqa: E402

TARGET_RATIO = 1.10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--small", type=int, default=1000, help="messages in the small mbox (default 1000)")
    parser.add_argument("--large", type=int, default=100_000, help="messages in the large mbox (default 100000)")
    parser.add_argument("--jobs", type=int, default=1, help="pass --jobs N to gapfinder batch (default 1)")
    parser.add_argument("--seed", type=int, default=1234, help="random seed for the synthetic mail")
    parser.add_argument("--tmp", default=None, help="folder for the temporary files (default: the system's)")
    args = parser.parse_args()

    rows, codes = [], []          # engine fingerprints taken before and after each timed run
    with tempfile.TemporaryDirectory(prefix="gapfinder-bench-mem-", dir=args.tmp) as tmp:
        built = []
        for n in (args.small, args.large):       # build both first, so the runs follow each other
            mbox = Path(tmp) / f"rejections-{n}.mbox"
            t0 = time.perf_counter()
            ids = write_mbox(mbox, n, seed=args.seed)
            size_mb = mbox.stat().st_size / 2**20
            print(f"built {mbox.name}: {n:,} messages, {size_mb:,.1f} MB in {time.perf_counter() - t0:.1f} s",
                  flush=True)
            built.append((n, mbox, ids))
        for n, mbox, ids in built:
            out = Path(tmp) / f"results-{n}.jsonl"
            opts = ["--format", "jsonl", "--quiet"] + (["--jobs", str(args.jobs)] if args.jobs != 1 else [])
            cmd = ["batch", str(mbox), *opts, "-o", str(out)]
            print(f"{' '.join(['gapfinder batch', mbox.name, *opts, '-o', out.name])}", flush=True)
            print(f"  CPU before the run: {machine_load()}", flush=True)
            codes.append(engine_fingerprint())
            print(f"  engine code: {codes[-1]}", flush=True)
            res = run_measured(cmd, cwd=tmp)
            codes.append(engine_fingerprint())
            ok, check = check_jsonl(out, ids) if out.exists() else (False, "no output file")
            rate = n / res.seconds
            print(f"  exit {res.returncode}", flush=True)
            if res.stderr.strip():
                print("  stderr: " + res.stderr.strip().replace("\n", "\n          "))
            print(f"  output: {check} -> {'OK' if ok else 'FAIL'}")
            print(f"  messages {n:,}  wall {res.seconds:.2f} s  {rate:,.0f} docs/s  "
                  f"peak RSS {res.peak_rss_mb:,.1f} MB", flush=True)
            print(f"  sampled RSS MB by share of run time: {res.rss_timeline()}"
                  + (f"  (process tree peak {res.peak_tree_mb:,.1f} MB)" if args.jobs > 1 else ""), flush=True)
            rows.append((n, res, ok))
            mbox.unlink()
            out.unlink(missing_ok=True)

    (n1, small, ok1), (n2, large, ok2) = rows
    print()
    print(f"{'messages':>10} {'wall s':>9} {'docs/s':>9} {'peak RSS MB':>12}")
    for n, res, _ in rows:
        print(f"{n:>10,} {res.seconds:>9.2f} {n / res.seconds:>9,.0f} {res.peak_rss_mb:>12.1f}")
    ratio = large.peak_rss_kb / small.peak_rss_kb
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"peak RSS ratio {n2:,} / {n1:,} messages: {ratio:.3f}  "
          f"(target <= {TARGET_RATIO:.2f}, i.e. within 10%): {verdict}")
    print(f"output one line per message, in order: {'yes' if ok1 and ok2 else 'NO'}")
    if len(set(codes)) > 1:
        print(f"WARNING: the engine code changed between or during the timed runs ({' -> '.join(dict.fromkeys(codes))}); "
              "the runs may not have measured the same code")
    return 0 if ratio <= TARGET_RATIO and ok1 and ok2 and small.returncode == large.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

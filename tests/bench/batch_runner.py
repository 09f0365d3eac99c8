"""Run `gapfinder batch` in a child process and measure it (a helper for the batch benchmarks).

Peak RSS comes from os.wait4() on that one child: the kernel reports the child's own high-water
mark (or that of a descendant it reaped, e.g. a --jobs worker, if larger), so measurements of
several children in one benchmark cannot contaminate each other (getrusage(RUSAGE_CHILDREN)
would report the maximum over all children so far). While the child runs, /proc is sampled
for the current RSS of the child and of the whole process tree (parent plus workers), which
shows whether memory grows during the run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def gapfinder_command() -> list[str]:
    for exe in (ROOT / ".venv" / "bin" / "gapfinder", Path(sys.executable).with_name("gapfinder")):
        if exe.exists():
            return [str(exe)]
    return [sys.executable, "-m", "gapfinder"]


@dataclass
class RunResult:
    cmd: list[str]
    returncode: int
    seconds: float
    peak_rss_kb: int                       # ru_maxrss of the child (largest single process)
    samples: list[tuple[float, int, int, float]] = field(default_factory=list)  # (t, child kB, tree kB, child CPU s)
    stderr: str = ""
    cpu_seconds: float = 0.0               # user + system CPU of the child and its reaped workers

    @property
    def main_cpu_seconds(self) -> float:
        """CPU of the main gapfinder process alone (last sample before exit; workers excluded)."""
        return max((cpu for *_, cpu in self.samples), default=0.0)

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_kb / 1024

    @property
    def peak_tree_mb(self) -> float:
        return max((tree for _, _, tree, _ in self.samples), default=0) / 1024

    def rss_timeline(self, points=(0.1, 0.25, 0.5, 0.75, 0.95)) -> str:
        """Sampled RSS of the child at fractions of the run's wall time, in MB."""
        if not self.samples:
            return "n/a"
        out = []
        for frac in points:
            t = frac * self.seconds
            s = min(self.samples, key=lambda x: abs(x[0] - t))
            out.append(f"{int(frac * 100)}%:{s[1] / 1024:.0f}")
        return " ".join(out)


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (not its children)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return kids


def _tree_rss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo += _children(p)
    return total


def run_measured(args: list[str], interval: float = 0.2, cwd: str | None = None) -> RunResult:
    """Run gapfinder with `args`; return wall time, peak RSS (wait4) and RSS samples."""
    cmd = gapfinder_command() + args
    stderr_path = Path(cwd or ".") / f".stderr-{os.getpid()}-{time.monotonic_ns()}"
    samples: list[tuple[float, int, int, float]] = []
    with open(stderr_path, "w+b") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        done = threading.Event()

        def sample():
            while not done.is_set():
                samples.append((time.perf_counter() - start, _rss_kb(proc.pid), _tree_rss_kb(proc.pid),
                                _cpu_s(proc.pid)))
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    stderr_path.unlink()
    samples = [s for s in samples if s[1]]      # drop samples taken after exit
    return RunResult(cmd, proc.returncode, seconds, usage.ru_maxrss, samples, stderr,
                     usage.ru_utime + usage.ru_stime)


def check_jsonl(path: Path, expected_ids: list[str]) -> tuple[bool, str]:
    """Exactly one JSON line per message, in input order; returns (ok, description)."""
    n_lines = n_errors = 0
    mismatched = None
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            n_lines += 1
            record = json.loads(line)
            n_errors += "error" in record
            if mismatched is None and (i >= len(expected_ids) or record.get("id") != expected_ids[i]):
                mismatched = i
    ok = n_lines == len(expected_ids) and mismatched is None
    text = f"{n_lines:,} lines for {len(expected_ids):,} messages, {n_errors:,} error records"
    if mismatched is not None:
        text += f", first id out of order at line {mismatched + 1}"
    return ok, text


def machine_load(seconds: float = 1.0) -> str:
    """How busy the CPUs are right now (other work skews timings): busy share over `seconds`
    from /proc/stat, and the load average."""
    def read():
        with open("/proc/stat") as fh:
            values = [int(x) for x in fh.readline().split()[1:]]
        idle = values[3] + values[4]                      # idle + iowait
        return sum(values[:8]) - idle, sum(values[:8])
    try:
        busy0, total0 = read()
        time.sleep(seconds)
        busy1, total1 = read()
        with open("/proc/loadavg") as fh:
            load = " ".join(fh.read().split()[:3])
    except OSError:
        return "unknown"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    share = (busy1 - busy0) / max(total1 - total0, 1)
    note = "  WARNING: other processes are using the CPUs; timings will be low" if share > 0.10 else ""
    return f"{share:.0%} busy over {seconds:g} s on {cores} cores, load average {load}{note}"


def engine_fingerprint() -> str:
    """A short hash of the engine's source files, rules and model card, with the newest
    modification time: the code under test, for comparing figures across runs."""
    import hashlib

    digest, newest = hashlib.sha256(), 0.0
    files = sorted((ROOT / "engine" / "gapfinder").rglob("*.py")) + sorted((ROOT / "rules").glob("*"))
    files += sorted((ROOT / "models").glob("*.json"))
    for path in files:
        try:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
            newest = max(newest, path.stat().st_mtime)
        except OSError:
            continue
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(newest)) if newest else "?"
    return f"{digest.hexdigest()[:12]} (newest file {stamp})"


def wait_for_idle(max_seconds: float, busy_below: float = 0.15, poll: float = 3.0) -> bool:
    """Wait up to max_seconds until the CPUs are less than busy_below busy over a poll;
    True if they were. Timings taken while other work runs understate the speed."""
    deadline = time.monotonic() + max_seconds
    while True:
        text = machine_load(poll)
        try:
            share = float(text.split("%")[0]) / 100
        except ValueError:
            return False
        if share < busy_below:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(20.0, max(0.0, deadline - time.monotonic())))

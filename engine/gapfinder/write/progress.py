"""A one-line progress display on stderr: messages done, rate, and time left when known."""
from __future__ import annotations

import time


class Progress:
    def __init__(self, stream, total: int | None = None, every: float = 0.5):
        self.stream, self.total, self.every = stream, total, every
        self.done, self.start, self.last = 0, time.monotonic(), 0.0

    def step(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        parts = [f"{self.done:,}" + (f"/{self.total:,}" if self.total else "") + " messages", f"{rate:,.0f}/s"]
        if self.total and rate > 0 and self.total >= self.done:
            left = (self.total - self.done) / rate
            parts.append(f"about {int(left // 60)}m{int(left % 60):02d}s left")
        self.stream.write("\r" + "  ".join(parts) + "   ")
        self.stream.flush()

    def close(self) -> None:
        self._draw(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()


def count_records(paths) -> int | None:
    """A quick count of the records in the inputs (for the time-left estimate), or None."""
    import os

    total = 0
    import stat

    for path in paths:
        if path == "-":
            return None
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            mode = 0
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
            return None          # a stream is read once, by the reader: never opened to count
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                total += sum(1 for f in files if not f.startswith("."))
            continue
        if not stat.S_ISREG(mode):
            total += 1
            continue
        try:
            with open(path, "rb") as fh:
                head = fh.read(5)
                fh.seek(0)
                if head == b"From " or path.endswith((".mbox", ".mbx")):
                    total += sum(1 for line in fh if line.startswith(b"From "))
                elif path.endswith(".jsonl"):
                    total += sum(1 for line in fh if line.strip())
                else:
                    total += 1
        except OSError:
            total += 1
    return total

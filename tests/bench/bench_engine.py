"""Speed of the engine against baselines measured in the same run (a benchmark, not a test).

    python tests/bench/bench_engine.py [--docs 2000] [--repeat 5]

Prints: engine batch docs/s, spacy.blank("en") tokenizer docs/s on the same texts, their
ratio (target >= 0.20); and the wall time of one `gapfinder classify` call against
`python -c "import spacy; spacy.blank('en')"` (target <= 1.3x).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def corpus_texts(n: int) -> list[str]:
    texts = []
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    return (texts * (n // max(len(texts), 1) + 1))[:n]


def paired_rates(make_a, make_b, texts, repeat: int) -> tuple[float, float, float]:
    """Best docs/s of a and of b, and the median of the per-round ratios b/a. The two take
    turns, round after round, so that a shared machine's load, which drifts over a minute,
    falls on both alike; each run gets a fresh object (built outside the timing), so both
    sides meet the texts for the first time, as in real use."""
    rates_a, rates_b = [], []
    for _ in range(repeat):
        for make, rates in ((make_a, rates_a), (make_b, rates_b)):
            fn = make()
            start = time.perf_counter()
            fn(texts)
            rates.append(len(texts) / (time.perf_counter() - start))
    return max(rates_a), max(rates_b), statistics.median(b / a for a, b in zip(rates_a, rates_b))


def wall(cmd: list[str], repeat: int, stdin: str | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import spacy

    import gapfinder

    texts = corpus_texts(args.docs)
    words = sum(len(t.split()) for t in texts) / len(texts)

    def make_tokenizer():
        nlp = spacy.blank("en")

        def tokenize(batch):
            for _ in nlp.pipe(batch, batch_size=256):
                pass
        return tokenize

    def make_engine():
        engine = gapfinder.load()

        def analyze(batch):
            for _ in engine.analyze_many(batch, batch_size=256):
                pass
        return analyze

    tok, eng, paired = paired_rates(make_tokenizer, make_engine, texts, args.repeat)
    print(f"texts: {len(texts)} corpus documents, {words:.0f} words on average")
    print(f"spacy.blank('en') tokenizer (fresh pipeline per run): {tok:,.0f} docs/s")
    print(f"gapfinder engine, rules + model + document stage (fresh engine per run): {eng:,.0f} docs/s")
    print(f"ratio engine/tokenizer: {eng / tok:.3f} best against best, {paired:.3f} median of the "
          f"{args.repeat} rounds  (target >= 0.20)")

    exe = Path(sys.executable).with_name("gapfinder")
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "gapfinder"]
    sample = (ROOT / "tests" / "fixtures" / "sample_rejection.txt").read_text()
    base = wall([sys.executable, "-c", "import spacy; spacy.blank('en')"], args.repeat)
    one = wall(cli + ["classify", "--format", "json"], args.repeat, stdin=sample)
    print(f"python -c \"import spacy; spacy.blank('en')\": {base:.3f} s (median of {args.repeat})")
    print(f"gapfinder classify (one text): {one:.3f} s")
    print(f"ratio CLI/baseline: {one / base:.2f}x  (target <= 1.3x)")


if __name__ == "__main__":
    main()

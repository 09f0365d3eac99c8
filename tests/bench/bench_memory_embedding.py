"""Long-running embedding: string store and RSS over 100,000 texts full of unique words.

    python tests/bench/bench_memory_embedding.py [--texts 100000]

Prints the spaCy string store size and the process RSS after the warm-up and after every
10% of the texts. With memory zones both stay near their starting size.
"""
from __future__ import annotations

import argparse
import random
import string


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def texts(n: int, seed: int):
    rng = random.Random(seed)
    for i in range(n):
        w = ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(8)]
        yield f"id{i}", (
            f"Thanks for your time on the {w[0]} and {w[1]} project with the {w[2]} team. "
            f"Your answers on the {w[3]} and {w[4]} questions were vague and hard to follow, "
            f"and we did not hear much about {w[5]}, {w[6]} or {w[7]}. Ref {i}."
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=100_000)
    args = parser.parse_args()

    import gapfinder

    engine = gapfinder.load()
    list(engine.analyze_many(texts(300, seed=1)))
    start_strings, start_rss = len(engine.nlp.vocab.strings), rss_mb()
    print(f"after warm-up: {start_strings:,} strings, RSS {start_rss:.1f} MB")
    step = max(args.texts // 10, 1)
    for i, _ in enumerate(engine.analyze_many(texts(args.texts, seed=2), batch_size=256), 1):
        if i % step == 0:
            print(f"{i:>7,} texts: {len(engine.nlp.vocab.strings):,} strings, RSS {rss_mb():.1f} MB")
    end_strings, end_rss = len(engine.nlp.vocab.strings), rss_mb()
    print(f"end: strings {end_strings - start_strings:+,} ({args.texts * 9:,} unique strings seen), "
          f"RSS {end_rss - start_rss:+.1f} MB ({(end_rss / start_rss - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()

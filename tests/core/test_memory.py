"""Long-running embedding: the string store does not grow with the number of distinct words."""
import random
import string

import gapfinder


def unique_texts(n, seed=3):
    rng = random.Random(seed)
    for i in range(n):
        words = ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(8)]
        yield f"id{i}", (
            f"Thanks for your time on the {words[0]} and {words[1]} project with the {words[2]} team. "
            f"Your answers on the {words[3]} and {words[4]} questions were vague and hard to follow, "
            f"and we did not hear much about {words[5]}, {words[6]} or {words[7]}. Ref {i}."
        )


def test_string_store_returns_to_its_size_after_many_unique_texts():
    engine = gapfinder.load()
    list(engine.analyze_many(unique_texts(300, seed=1)))  # warm-up batch: words kept for good
    before = len(engine.nlp.vocab.strings)
    results = list(engine.analyze_many(unique_texts(6000), batch_size=200))
    after = len(engine.nlp.vocab.strings)
    assert len(results) == 6000 and all(r.labels == ["interview"] for r in results[:50])
    # 6,000 texts x 9 new strings = 54,000 new strings, released with their zones; what
    # stays is at most one warm-up batch of a renewed pipeline (256 texts x 9 strings)
    assert after - before < 256 * 9 + 500, (before, after)


def test_single_analyses_release_strings_too():
    engine = gapfinder.load()
    list(engine.analyze_many(unique_texts(300, seed=1)))
    before = len(engine.nlp.vocab.strings)
    for _, text in unique_texts(2500, seed=5):
        engine.analyze(text)
    assert len(engine.nlp.vocab.strings) - before < 2500 * 9
    assert len(engine.nlp.vocab.strings) - before < 1000 or engine._zones.active


def test_engine_is_safe_to_share_between_threads():
    from concurrent.futures import ThreadPoolExecutor

    engine = gapfinder.load()
    texts = [t for _, t in unique_texts(200)] + ["Your CV had typos."] * 50
    serial = [engine.analyze(t).labels for t in texts]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda t: engine.analyze(t).labels, texts))
    assert threaded == serial

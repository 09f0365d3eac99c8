"""Inputs, `gapfinder batch`'s own output on them, and the cluster fixtures.

The Dask cluster and the Spark session are module-scoped: each serves the one test module that
uses it and is shut down when that module is done, so idle workers and a JVM do not take CPU
from the timed tests that run later in the suite.

Every cluster test compares with `batch` run in the same test session on the same inputs, so
a retrained model or edited rules change both sides alike and no label is written down here.
"""
from __future__ import annotations

import re
import importlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gapfinder.cli import main
from gapfinder.labels import LABELS

from ..conftest import CORPUS, FIXTURES

OVERSIZED = "word " * 210_000                     # 1,050,000 bytes: over the 1,000,000 default
BAD_TEXTS = {"empty": "", "blank": "  \n\t ", "null": None, "oversized": OVERSIZED}
INVALID_UTF8_EMAIL = (b"From: hr@example.com\nTo: a@example.org\nSubject: Update\n"
                      b"Message-ID: <bad-utf8@example.com>\nContent-Type: text/plain; charset=utf-8\n\n"
                      b"Thank you for applying. \xff\xfe Your CV had several typos.\n")
BAD_EMAILS = {"empty.eml": b"", "binary.eml": b"\xff\xfe\x00\x01\x02 binary\x00\x00\x00",
              "invalid_utf8.eml": INVALID_UTF8_EMAIL}


def corpus_texts(n_per_file: int = 8) -> list[tuple[str, str]]:
    """(id, text) pairs from several corpus files: varied kinds, gaps and strengths."""
    pairs = []
    for name in ("a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl", "e.jsonl"):
        with open(CORPUS / name, encoding="utf-8") as fh:
            for line in list(fh)[:n_per_file]:
                record = json.loads(line)
                pairs.append((record["id"], record["text"]))
    return pairs


@pytest.fixture(scope="session")
def text_rows() -> list[tuple[str, object]]:
    """Good corpus texts, with the bad ones in between (so a bad one shares a partition)."""
    good = corpus_texts()
    bad = list(BAD_TEXTS.items())
    rows = []
    for i, pair in enumerate(good):
        rows.append(pair)
        if i % 10 == 5 and bad:
            rows.append(bad.pop())
    return rows + bad


def run_batch(*args: str) -> list[dict]:
    """`gapfinder batch ... --format jsonl` in this process; its records, in order."""
    result = CliRunner().invoke(main, ["batch", *args, "--format", "jsonl", "--quiet"])
    assert result.exit_code in (0, 1), result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="session")
def batch_texts(text_rows, tmp_path_factory) -> list[dict]:
    """batch's records for text_rows, written as a JSONL file (long lines allowed, so the
    oversized text meets the text limit, as it does in a frame)."""
    path = tmp_path_factory.mktemp("texts") / "texts.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for doc_id, text in text_rows:
            fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    return run_batch(str(path), "--max-line-chars", "2000000")


@pytest.fixture(scope="session")
def email_folder(tmp_path_factory) -> Path:
    """Saved emails: the fixture mails, rejections made from corpus texts, and bad ones."""
    folder = tmp_path_factory.mktemp("mail")
    for path in sorted((FIXTURES / "mail").glob("*.eml")):
        shutil.copy(path, folder / path.name)
    for n, (doc_id, text) in enumerate(corpus_texts(2)):
        head = f"From: recruiter@example.com\nSubject: Your application {doc_id}\nMessage-ID: <{doc_id}@example.com>\n"
        (folder / f"corpus_{n:02d}.eml").write_bytes((head + "\n" + text + "\n").encode("utf-8"))
    for name, data in BAD_EMAILS.items():
        (folder / name).write_bytes(data)
    return folder


def email_items(folder: Path) -> list[tuple[str, bytes]]:
    """(source, bytes) for each email of the folder, named as batch names them."""
    return [(str(folder / p.name), p.read_bytes()) for p in sorted(folder.iterdir())]


@pytest.fixture(scope="session")
def batch_emails(email_folder) -> list[dict]:
    return run_batch(str(email_folder))


def assert_same_as_batch(rows: list[dict], expected: list[dict], compare_source: bool) -> None:
    """Record for record, by id: the same result or the same error; none lost, none added."""
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "an id came out twice"
    assert sorted(ids) == sorted(r["id"] for r in expected), "records were lost or added"
    assert any(r.get("gaps") for r in expected) and any("error" in r for r in expected)
    by_id = {r["id"]: r for r in rows}
    for record in expected:
        row = by_id[record["id"]]
        if compare_source:
            assert row["source"] == record["source"], record["id"]
        for key in ("message_id", "from", "subject", "date"):
            assert row[key] == record.get(key), (record["id"], key)
        if "error" in record:
            assert row["error"] == re.sub(r"^line \d+", "row", record["error"]), record["id"]
            assert row["labels"] is None and row["evidence"] is None, record["id"]
            assert all(_null(row[f"score_{label}"]) for label in LABELS), record["id"]
            continue
        assert row["error"] is None, (record["id"], row["error"])
        assert list(row["labels"]) == sorted(g["label"] for g in record["gaps"]), record["id"]
        assert {label: row[f"score_{label}"] for label in LABELS} == record["scores"], record["id"]
        assert json.loads(row["evidence"]) == {"gaps": record["gaps"], "strengths": record["strengths"]}
        assert (row["specific"], row["rejection"], row["language"]) == (
            record["specific"], record["rejection"], record["language"]), record["id"]


def need(module: str):
    """Import an optional extra; skip without it, except in CI, where it must be installed."""
    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f'needs the extra: pip install ".[test,dask,spark]"')


def _null(value) -> bool:
    return value is None or value != value


@pytest.fixture(scope="module")
def dask_client():
    """Two worker processes of one thread each, as a real deployment would run them."""
    distributed = need("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def spark():
    """A local[2] SparkSession through gapfinder.spark.session (Arrow on, this Python)."""
    need("pyspark")
    import gapfinder.spark

    session = gapfinder.spark.session("local[2]", config={
        "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2",
        "spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1",
        # a short-lived JVM: the quick JIT alone starts it in about half the time
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"})
    yield session
    _stop_spark(session)


def _stop_spark(session) -> None:
    """Stop the session and its JVM (stop() alone leaves the JVM running, idle but alive)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    session.stop()
    if gateway is not None:
        gateway.shutdown()
        proc = getattr(gateway, "proc", None)
        if proc is not None:
            proc.stdin.close()          # the JVM exits when its stdin closes
            try:
                proc.wait(timeout=30)
            except Exception:
                proc.kill()
        SparkContext._gateway = SparkContext._jvm = None

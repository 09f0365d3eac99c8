"""gapfinder batch: every message once, in order; errors as records; formats; atomic output."""
import csv
import io
import json
import mailbox
from email.message import EmailMessage

import pytest
from click.testing import CliRunner

from gapfinder.cli import main

from ..conftest import FIXTURES

BODIES = [
    "Unfortunately your CV had several typos and did not show your achievements.",
    "We need someone with 5+ years of payments experience, so we cannot progress this.",
    "The role has been filled internally. Thank you for your interest.",
    "Your SQL test score was below our bar and the panel felt your answers rambled.",
]


def make_mbox(path, bodies):
    box = mailbox.mbox(str(path))
    for i, body in enumerate(bodies):
        msg = EmailMessage()
        msg["From"] = "Recruiting <jobs@example.com>"
        msg["Subject"] = f"Your application {i}"
        msg["Message-ID"] = f"<m{i}@example.com>"
        msg["Date"] = "Tue, 03 Mar 2026 09:12:00 +0000"
        msg.set_content(body)
        box.add(msg)
    box.flush()
    box.close()
    return path


def run(args, input=None):
    return CliRunner().invoke(main, ["batch", *args], input=input)


def records(output):
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_mbox_results_in_order_with_metadata(tmp_path):
    box = make_mbox(tmp_path / "inbox.mbox", BODIES)
    result = run([str(box), "--format", "jsonl", "--quiet"])
    assert result.exit_code == 0, result.output
    out = records(result.stdout)
    assert [r["id"] for r in out] == [f"<m{i}@example.com>" for i in range(4)]
    assert [r["source"] for r in out] == [f"{box}#{i}" for i in range(1, 5)]
    assert out[0]["subject"] == "Your application 0" and out[0]["from"].startswith("Recruiting")
    labels = [sorted(g["label"] for g in r["gaps"]) for r in out]
    assert labels[0] == ["resume"] and labels[1] == ["eligibility"] and labels[2] == []
    assert "interview" in labels[3]


def test_mixed_inputs_and_errors_keep_every_record(tmp_path):
    box = make_mbox(tmp_path / "a.mbox", BODIES[:2])
    (tmp_path / "note.txt").write_text(BODIES[3])
    (tmp_path / "bad.eml").write_bytes(bytes(range(256)) * 4)
    jsonl = tmp_path / "texts.jsonl"
    jsonl.write_text(json.dumps({"id": "j1", "text": BODIES[2]}) + "\nnot json\n")
    paths = [str(box), str(tmp_path / "note.txt"), str(tmp_path / "bad.eml"), str(jsonl), str(tmp_path / "missing")]
    result = run([*paths, "--format", "jsonl"])
    assert result.exit_code == 1
    out = records(result.stdout)
    assert len(out) == 7
    assert ["error" in r for r in out] == [False, False, False, True, False, True, True]
    assert out[4]["id"] == "j1"
    assert "no such file or folder" in out[6]["error"]
    assert "7 messages" in result.stderr and "3 could not be read" in result.stderr


def test_stdin_mbox_and_jobs_keep_order(tmp_path):
    box = make_mbox(tmp_path / "in.mbox", BODIES * 10)
    data = box.read_bytes()
    serial = records(run(["-", "--format", "jsonl", "-q"], input=data).stdout)
    parallel = records(run(["-", "--format", "jsonl", "-q", "--jobs", "2", "--batch-size", "3"], input=data).stdout)
    assert len(serial) == 40
    assert [r["id"] for r in parallel] == [r["id"] for r in serial]
    assert [r["gaps"] for r in parallel] == [r["gaps"] for r in serial]


def test_csv_output_one_row_per_message(tmp_path):
    box = make_mbox(tmp_path / "in.mbox", BODIES)
    rows = list(csv.DictReader(io.StringIO(run([str(box), "--format", "csv", "-q"]).stdout)))
    assert len(rows) == 4
    assert rows[0]["resume"] and not rows[2]["resume"] and rows[2]["specific"] == "false"
    assert "typos" in rows[0]["top_evidence"]


def test_output_file_is_written_atomically(tmp_path):
    box = make_mbox(tmp_path / "in.mbox", BODIES)
    target = tmp_path / "out.jsonl"
    target.write_text("old contents\n")
    result = run([str(box), "--output", str(target), "-q"])
    assert result.exit_code == 0
    assert len(records(target.read_text())) == 4
    assert not list(tmp_path.glob(".gapfinder-*"))


def test_interrupted_run_leaves_no_partial_file(tmp_path, monkeypatch):
    from gapfinder.core import engine as engine_module

    box = make_mbox(tmp_path / "in.mbox", BODIES)
    target = tmp_path / "out.jsonl"
    target.write_text("previous run\n")

    def boom(self, batch):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine_module.Engine, "analyze_batch", boom)
    result = run([str(box), "--output", str(target)])
    assert result.exit_code != 0
    assert target.read_text() == "previous run\n"
    assert not list(tmp_path.glob(".gapfinder-*"))


def test_summary_only_ranks_gaps_and_actions(tmp_path):
    box = make_mbox(tmp_path / "in.mbox", [BODIES[0], BODIES[0].replace("several", "two"), BODIES[1], BODIES[2]])
    out = run([str(box), "--summary-only"]).stdout
    assert out.index("Resume & cover letter: cited in 2 of 4") < out.index("Must-have requirements: cited in 1 of 4")
    assert "Often said:" in out and "Tailor your CV" in out and "Keep going" in out
    assert "%" not in out   # 4 messages: too few for a share to mean anything


def test_summary_shows_shares_from_five_messages_on(tmp_path):
    box = make_mbox(tmp_path / "in.mbox", [BODIES[0]] * 5)
    out = run([str(box), "--summary-only"]).stdout
    assert "cited in 5 of 5 messages (100%)" in out


def test_text_digest_and_usage_errors(tmp_path):
    out = run([str(FIXTURES / "mail"), "--format", "text", "-q"]).stdout
    assert out.count("-" * 60) >= 1
    assert run([]).exit_code == 2
    assert run(["x", "--jobs", "0"]).exit_code == 2


def test_empty_mbox_gives_no_records(tmp_path):
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"")
    result = run([str(empty), "--format", "jsonl"])
    assert result.exit_code == 0 and records(result.stdout) == []
    assert "0 messages" in result.stderr

"""gapfinder journal / batch --journal / reply: the verbs, their output and their exit codes."""
import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from gapfinder.cli import main

from ..conftest import mbox_bytes

RESUME_TEXT = "Thank you for applying. Unfortunately we will not move forward. Your CV had several typos."
NO_REASON = "Thank you for applying. We have decided to move forward with other candidates."


def eml(mid: str, sender: str, subject: str, body: str, date: str = "Mon, 02 Mar 2026 10:00:00 +0000") -> bytes:
    return (f"From: {sender}\nTo: sam@example.org\nSubject: {subject}\nMessage-ID: <{mid}>\nDate: {date}\n"
            f"Content-Type: text/plain; charset=utf-8\n\n{body}\n").encode()


@pytest.fixture
def run(journal_run):
    return journal_run  # tests/cli/conftest.py


def test_add_status_reject_list_show(run):
    r = run("journal", "add", "Acme", "Data analyst", "--applied", "2026-03-01", "--contact", "Priya")
    assert r.exit_code == 0 and r.output == "Added application 1: Data analyst at Acme (applied 2026-03-01).\n"
    assert run("journal", "status", "1", "interview", "--date", "2026-03-10").exit_code == 0
    r = run("journal", "reject", "1", "--date", "2026-03-20", input=RESUME_TEXT)
    assert r.exit_code == 0 and "It points to: Resume & cover letter." in r.output
    rows = json.loads(run("journal", "list", "--format", "json").output)
    assert rows[0]["status"] == "rejected" and rows[0]["gaps"] == ["resume"]
    assert [s["status"] for s in rows[0]["stages"]] == ["applied", "interview", "rejected"]
    shown = run("journal", "show", "1").output
    assert "2026-03-10  interview" in shown and '"Your CV had several typos."' in shown
    record = json.loads(run("journal", "show", "1", "--format", "json").output)
    assert record["reached"] == ["applied", "screen", "interview"] and record["contact"] == "Priya"
    assert record["rejections"][0]["model_version"].startswith("default")


def test_environment_variable_names_the_journal(run, jpath, monkeypatch):
    monkeypatch.setenv("GAPFINDER_JOURNAL", str(jpath))
    assert run("journal", "add", "Acme", journal=False).exit_code == 0
    assert run("journal", "path", journal=False).output.strip() == str(jpath)
    assert jpath.exists()


def test_export_csv_and_json_carry_stage_history_and_import_merges(run, tmp_path):
    run("journal", "add", "Acme", "Analyst", "--applied", "2026-03-01")
    run("journal", "status", "1", "screen", "--date", "2026-03-05")
    run("journal", "reject", "1", RESUME_TEXT, "--date", "2026-03-12")
    rows = list(csv.DictReader(io.StringIO(run("journal", "export", "--format", "csv").output)))
    assert rows[0]["stage_history"] == "2026-03-01 applied; 2026-03-05 screen; 2026-03-12 rejected"
    assert rows[0]["reached"] == "applied;screen" and rows[0]["screen_date"] == "2026-03-05"
    out = tmp_path / "export.json"
    assert run("journal", "export", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert [s["status"] for s in data["applications"][0]["stages"]] == ["applied", "screen", "rejected"]

    other = tmp_path / "other.sqlite"
    runner = CliRunner()
    runner.invoke(main, ["journal", "add", "Beta", "--journal", str(other)])
    r = runner.invoke(main, ["journal", "import", str(out), "--journal", str(other)])
    assert r.exit_code == 0 and "1 applications, 3 events, 1 rejections" in r.output
    again = runner.invoke(main, ["journal", "import", str(out), "--journal", str(other)])
    assert "nothing new" in again.output
    merged = json.loads(runner.invoke(main, ["journal", "list", "--format", "json", "--journal", str(other)]).output)
    assert [m["company"] for m in merged] == ["Beta", "Acme"] and merged[1]["gaps"] == ["resume"]

    tracker = tmp_path / "tracker.csv"
    tracker.write_text("Company,Role,Date Applied,Status\nGlobex,Nurse,2026-02-01,interview\n")
    assert "1 applications" in runner.invoke(main, ["journal", "import", str(tracker), "--journal", str(other)]).output


def test_batch_files_a_mailbox_once(run, tmp_path, jpath):
    box = tmp_path / "rejections.mbox"
    box.write_bytes(mbox_bytes(eml("1@acme.com", "Acme Talent <talent@acme.com>", "Your application for Analyst", RESUME_TEXT),
                               eml("2@globex.com", "jobs@globex.com", "Update", NO_REASON)))
    run("journal", "add", "Acme", "Analyst", "--applied", "2026-02-10")
    runner = CliRunner()
    first = runner.invoke(main, ["batch", str(box), "--journal", str(jpath), "--format", "jsonl"])
    assert first.exit_code == 0, first.output
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert [x["journal"]["application_id"] for x in lines] == [1, 2] and "text" not in lines[0]
    assert "journal: filed 2 rejections (1 as new applications)" in first.stderr
    second = runner.invoke(main, ["batch", str(box), "--journal", str(jpath), "--format", "jsonl"])
    assert "journal: filed 0 rejections; 2 already in the journal" in second.stderr
    rows = json.loads(run("journal", "list", "--format", "json").output)
    assert [(r["company"], r["status"]) for r in rows] == [("Acme", "rejected"), ("Globex", "rejected")]


def test_reply_draft_then_logged_only_when_sent(run, jpath):
    run("journal", "add", "Globex", "Nurse", "--contact", "Priya")
    run("journal", "reject", "1", NO_REASON)
    draft = run("reply", "1", "--name", "Sam Lee")
    assert draft.exit_code == 0
    assert draft.output.startswith("Subject: Thank you - Nurse at Globex\n\nDear Priya,\n")
    assert "grateful for any feedback" in draft.output and draft.output.endswith("Best wishes,\nSam Lee\n")
    assert sqlite3.connect(jpath).execute("SELECT count(*) FROM replies").fetchone()[0] == 0
    sent = run("reply", "1", "--sent", "--date", "2026-03-03")
    assert sent.exit_code == 0 and "Logged: you sent a feedback request" in sent.output
    assert "You sent a feedback request on 2026-03-03." in run("journal", "show", "1").output


def test_reply_to_a_specific_rejection_asks_one_question(run):
    run("journal", "add", "Acme", "Engineer")
    run("journal", "reject", "1", "Thank you for your time. Unfortunately we felt your experience with "
        "Kubernetes was not at the level we need for this role.")
    out = run("reply", "1").output
    if "could you tell me" in out:      # only when the engine found the gap
        assert "Kubernetes" in out or "technical" in out
    assert "Hello," in out and "Acme" in out


@pytest.mark.parametrize("args, message", [
    (("journal", "show", "42"), "Error: there is no application 42 in the journal"),
    (("journal", "status", "x1", "screen"), "is not a application id"),
    (("reply", "7"), "Error: there is no application 7"),
    (("journal", "add", "Acme", "--applied", "yesterday"), "is not a date; write it as YYYY-MM-DD"),
    (("journal", "reject", "1", "missing.eml"), "Error: no such file: missing.eml"),
    (("journal", "reject", "1", "-"), "is empty: there is no feedback to file"),
])
def test_bad_ids_and_values_are_one_line_errors(run, args, message):
    run("journal", "add", "Seed")
    r = run(*args)
    assert r.exit_code == 1 and message in r.output and len(r.output.strip().splitlines()) == 1


def test_corrupt_and_newer_journals_are_one_line_errors_and_untouched(run, jpath):
    jpath.write_bytes(b"garbage " * 200)
    r = run("journal", "add", "Acme")
    assert r.exit_code == 1 and "is not a gapfinder journal" in r.output and "Traceback" not in r.output
    assert jpath.read_bytes() == b"garbage " * 200
    jpath.unlink()
    run("journal", "add", "Acme")
    conn = sqlite3.connect(jpath)
    conn.execute("PRAGMA user_version = 42")
    conn.close()
    r = run("journal", "list")
    assert r.exit_code == 1 and "written by a newer gapfinder" in r.output


def test_empty_journal_is_a_kind_empty_state(run, jpath):
    r = run("journal", "list")
    assert r.exit_code == 0 and r.output.startswith("Your journal is empty.") and not jpath.exists()


def test_usage_errors_exit_2(run):
    assert run("journal", "status", "1", "hired").exit_code == 2
    assert run("reply", "1", "--sent-text", "nope.txt").exit_code == 2

"""The journal file: schema version, migrations, WAL, foreign keys, append-only, bad files."""
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from gapfinder.journal import (Journal, JournalCorrupt, JournalLocked, JournalTooNew, UnknownRecord,
                               add_application, add_event, applications, events)
from gapfinder.journal.location import data_dir, journal_path
from gapfinder.journal.schema import APPLICATION_ID, SCHEMA_VERSION
from gapfinder.journal.store import split_script


def test_new_journal_is_versioned_in_wal_with_foreign_keys(journal, journal_path):
    assert journal.one("PRAGMA user_version")[0] == SCHEMA_VERSION
    assert journal.one("PRAGMA application_id")[0] == APPLICATION_ID
    assert journal.one("PRAGMA journal_mode")[0] == "wal"
    assert journal.one("PRAGMA foreign_keys")[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        journal.conn.execute("INSERT INTO events (uid, application_id, status, event_date, entered_at)"
                             " VALUES ('x', 999, 'applied', '2026-01-01', 'now')")


def test_events_are_append_only_and_a_correction_is_a_new_event(journal):
    app = add_application(journal, "Acme", "Analyst", "2026-03-01")
    wrong = add_event(journal, app.id, "offer", "2026-03-05")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("UPDATE events SET status = 'screen' WHERE id = ?", (wrong.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("DELETE FROM events WHERE id = ?", (wrong.id,))
    fix = add_event(journal, app.id, "screen", "2026-03-05", corrects=wrong.id)
    from gapfinder.journal.events import current_status, history
    all_events = events(journal, app.id)
    assert [e.status for e in all_events] == ["applied", "offer", "screen"]   # nothing lost
    assert [e.status for e in history(all_events)] == ["applied", "screen"]
    assert current_status(all_events) == "screen" and fix.corrects == wrong.id


def test_event_date_is_kept_apart_from_entry_date(journal):
    app = add_application(journal, "Acme", applied_on="2025-11-20")
    (event,) = events(journal, app.id)
    assert event.event_date == "2025-11-20"
    assert event.entered_at[:4] >= "2026" and "T" in event.entered_at


def test_migrating_an_older_journal_keeps_its_rows(tmp_path, monkeypatch):
    from gapfinder.journal import schema, store

    path = tmp_path / "old.sqlite"
    monkeypatch.setattr(store, "MIGRATIONS", schema.MIGRATIONS[:1])
    with Journal.open(path) as j:
        add_application(j, "Acme")
    extra = "CREATE TABLE contacts_v2 (id INTEGER PRIMARY KEY, name TEXT);"
    monkeypatch.setattr(store, "MIGRATIONS", schema.MIGRATIONS + (extra,))
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(schema.MIGRATIONS) + 1)
    with Journal.open(path) as j:
        assert j.one("PRAGMA user_version")[0] == len(schema.MIGRATIONS) + 1
        assert j.one("SELECT count(*) FROM contacts_v2")[0] == 0
        assert [a.company for a in applications(j)] == ["Acme"]


def test_split_script_keeps_triggers_whole():
    parts = split_script("CREATE TABLE t (a);\nCREATE TRIGGER x BEFORE DELETE ON t\nBEGIN SELECT 1; SELECT 2; END;\n")
    assert len(parts) == 2 and parts[1].endswith("END;")


def test_newer_schema_is_refused_and_left_as_it_is(journal_path):
    with Journal.open(journal_path) as j:
        add_application(j, "Acme")
        j.conn.execute("PRAGMA user_version = 99")
    before = journal_path.read_bytes()
    with pytest.raises(JournalTooNew, match="newer gapfinder"):
        Journal.open(journal_path)
    assert journal_path.read_bytes() == before


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x07" * 5000])
def test_corrupt_file_is_refused_and_untouched(journal_path, content):
    journal_path.write_bytes(content)
    with pytest.raises(JournalCorrupt):
        with Journal.open(journal_path) as j:
            applications(j)
    assert journal_path.read_bytes() == content


def test_someone_elses_sqlite_file_is_not_taken_over(journal_path):
    conn = sqlite3.connect(journal_path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(JournalCorrupt, match="not a gapfinder journal"):
        Journal.open(journal_path)


def test_locked_journal_gives_a_typed_error_and_loses_nothing(journal_path):
    with Journal.open(journal_path) as j:
        add_application(j, "Acme")
    holder = sqlite3.connect(journal_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(JournalLocked, match="busy"):
            with Journal.open(journal_path, timeout=0.2) as j:
                add_application(j, "Beta")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Journal.open(journal_path) as j:
        assert [a.company for a in applications(j)] == ["Acme"]


def test_missing_journal_is_not_created_by_reading(journal_path):
    with Journal.open(journal_path, create=False) as j:
        assert applications(j) == []
    assert not journal_path.exists()


def test_unknown_application_id():
    with Journal.open(None, create=False) as j:
        with pytest.raises(UnknownRecord, match="no application 7"):
            add_event(j, 7, "screen")
        with pytest.raises(UnknownRecord, match="not a application id|is not a"):
            add_event(j, "abc", "screen")


def test_two_processes_writing_at_once_lose_nothing(journal_path):
    Journal.open(journal_path).close()
    script = textwrap.dedent(f"""
        import sys
        from gapfinder.journal import Journal, add_application, add_event
        with Journal.open({str(journal_path)!r}) as j:
            for i in range(40):
                app = add_application(j, f"{{sys.argv[1]}}-{{i}}", "Role", "2026-03-01")
                add_event(j, app.id, "screen", "2026-03-02")
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("left", "right")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    with Journal.open(journal_path) as j:
        names = {a.company for a in applications(j)}
        assert len(names) == 80 and len(events(j)) == 160


def test_default_location_per_platform(tmp_path):
    env = {"HOME": "/home/sam"}
    assert data_dir("linux", env).as_posix() == "/home/sam/.local/share/gapfinder"
    assert data_dir("linux", {**env, "XDG_DATA_HOME": "/xdg"}).as_posix() == "/xdg/gapfinder"
    assert data_dir("darwin", env).as_posix() == "/home/sam/Library/Application Support/gapfinder"
    assert data_dir("win32", {"APPDATA": "C:/Users/sam/AppData/Roaming"}).as_posix().endswith("Roaming/gapfinder")
    assert journal_path(None, {**env, "GAPFINDER_JOURNAL": "/tmp/j.sqlite"}).as_posix() == "/tmp/j.sqlite"
    assert journal_path("/x/y.sqlite", {"GAPFINDER_JOURNAL": "/tmp/j.sqlite"}).as_posix() == "/x/y.sqlite"

"""The journal file: open (create, check, migrate), transactions, and SQLite errors as ours.

One SQLite file, stdlib sqlite3. Foreign keys on, WAL so readers never block the writer,
and every write in a `BEGIN IMMEDIATE` transaction with a busy timeout, so two processes
writing at once queue instead of failing or losing a row. Nothing here ever rewrites or
removes what is already stored: a file we do not recognise is left exactly as it is.
"""
from __future__ import annotations

import sqlite3
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .errors import JournalCorrupt, JournalError, JournalLocked, JournalTooNew
from .location import journal_path
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_TIMEOUT = 15.0


def now_iso() -> str:
    """The entry time of a row: when it was written, not when the event happened."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_uid() -> str:
    """A stable id that survives export and import (row ids differ between journals)."""
    return uuid.uuid4().hex


class Journal:
    """An open journal. Use `Journal.open(path)`; close it (or use `with`) when done."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self.conn = conn
        self.path = path          # None for an in-memory stand-in for a missing file

    @classmethod
    def open(cls, path=None, create: bool = True, timeout: float = DEFAULT_TIMEOUT) -> "Journal":
        """Open the journal at `path` (see location.journal_path), migrating it if older.

        With create=False a missing file is not created: an empty in-memory journal stands
        in for it, so reading commands can show a kind empty state without leaving files.
        """
        path = journal_path(path)
        if not path.exists() and not create:
            conn = sqlite3.connect(":memory:", isolation_level=None)
            journal = cls(conn, None)
            journal._prepare()
            return journal
        _check_header(path)
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise JournalError(f"cannot create the journal folder {path.parent} ({exc.strerror})") from None
        try:
            conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open the journal {path} ({exc})") from None
        journal = cls(conn, path)
        try:
            journal._prepare()
        except BaseException:
            conn.close()
            raise
        return journal

    def _prepare(self) -> None:
        with self.guard():
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            version, app_id = self._version()
            self._check(version, app_id)
            if self.path is not None:
                self.conn.execute("PRAGMA journal_mode = WAL")
            if version < SCHEMA_VERSION:
                self._migrate()

    def _version(self) -> tuple[int, int]:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        return version, app_id

    def _check(self, version: int, app_id: int) -> None:
        where = self.path or "the journal"
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and self._has_tables()):
            raise JournalCorrupt(f"{where} is an SQLite file but not a gapfinder journal; it was left untouched")
        if version > SCHEMA_VERSION:
            raise JournalTooNew(
                f"{where} was written by a newer gapfinder (journal version {version}, this one "
                f"reads up to {SCHEMA_VERSION}); upgrade gapfinder to open it. The file was left as it is")

    def _has_tables(self) -> bool:
        return self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0

    def _migrate(self) -> None:
        with self.transaction():
            version, app_id = self._version()   # another process may have migrated meanwhile
            self._check(version, app_id)
            for script in MIGRATIONS[version:]:
                for statement in split_script(script):
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn SQLite's errors into the journal's typed errors."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                raise JournalLocked(
                    f"the journal {self.path} is busy (another gapfinder may be writing to it); "
                    "nothing was changed, try again in a moment") from None
            if "malformed" in text or "not a database" in text:
                raise JournalCorrupt(f"the journal {self.path} is damaged ({exc}); it was left untouched") from None
            raise JournalError(f"the journal {self.path} could not be used ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise JournalCorrupt(
                f"the journal {self.path} is damaged or not a gapfinder journal ({exc}); "
                "it was left untouched") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: all of it is stored, or none of it."""
        with self.guard():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def rows(self, sql: str, params=()) -> list[sqlite3.Row]:
        with self.guard():
            return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params=()) -> sqlite3.Row | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def split_script(script: str) -> list[str]:
    """Split a migration into statements (triggers hold ';' inside BEGIN ... END).

    executescript() would commit the open transaction first; a migration must be atomic.
    """
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before sqlite3 touches it."""
    if path.is_dir():
        raise JournalError(f"{path} is a folder; give the journal's file path")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise JournalError(f"cannot read the journal {path} ({exc.strerror})") from None
    if head != SQLITE_MAGIC:
        raise JournalCorrupt(f"{path} is not a gapfinder journal (not an SQLite file); it was left untouched")

"""The journal's schema as a list of migrations: migration N takes version N to N+1.

Never edit a migration that has shipped; add one. `PRAGMA user_version` holds the version
and `PRAGMA application_id` marks the file as a gapfinder journal. Events, rejections,
reflections, goal events and sent replies are append-only: triggers refuse UPDATE and
DELETE on them, so a correction can only ever be a new row.
"""
from __future__ import annotations

APPLICATION_ID = 0x47617046  # "GapF"
STATUSES = ("saved", "applied", "screen", "interview", "offer", "rejected", "withdrawn", "ghosted")
APPEND_ONLY = ("events", "rejections", "reflections", "goal_events", "replies", "weekly_goals")


def _append_only(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: {table} rows are never changed'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: {table} rows are never deleted'); END;
"""


_STATUS_CHECK = ", ".join(f"'{s}'" for s in STATUSES)

V1 = f"""
CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    company TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    applied_on TEXT,
    source TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    entered_at TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    status TEXT NOT NULL CHECK (status IN ({_STATUS_CHECK})),
    event_date TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    corrects INTEGER REFERENCES events(id)
);
CREATE INDEX events_by_application ON events(application_id);
CREATE TABLE rejections (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    event_id INTEGER NOT NULL REFERENCES events(id),
    received_on TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    message_key TEXT UNIQUE,
    sender TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    analysis TEXT NOT NULL,
    model_version TEXT NOT NULL
);
CREATE INDEX rejections_by_application ON rejections(application_id);
CREATE TABLE reflections (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    rejection_id INTEGER REFERENCES rejections(id),
    entered_at TEXT NOT NULL,
    answers TEXT NOT NULL,
    text TEXT NOT NULL,
    analysis TEXT NOT NULL,
    model_version TEXT NOT NULL
);
CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    area TEXT NOT NULL,
    title TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE TABLE goal_events (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    kind TEXT NOT NULL CHECK (kind IN ('set', 'log', 'done', 'reopened')),
    event_date TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE replies (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    rejection_id INTEGER NOT NULL REFERENCES rejections(id),
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'feedback_request')),
    sent_on TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE weekly_goals (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    per_week INTEGER NOT NULL CHECK (per_week >= 0),
    set_on TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
""" + "".join(_append_only(t) for t in APPEND_ONLY)

MIGRATIONS: tuple[str, ...] = (V1,)
SCHEMA_VERSION = len(MIGRATIONS)

"""Export and import: JSON with everything (and stable uids), CSV with one row per application.

Import merges: a row whose uid (or, for emails, Message-ID) is already in the journal is
skipped, nothing is ever updated or deleted, and the whole import is one transaction, so a
file that fails half-way adds nothing.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from .errors import JournalInputError
from .events import FUNNEL, applications, check_date, current_status, events, reached, rejections
from .records import Application
from .schema import SCHEMA_VERSION, STATUSES
from .store import Journal, new_uid, now_iso

FORMAT = "gapfinder-journal"
CSV_FIELDS = ("id", "company", "role", "applied_on", "source", "contact", "contact_email", "status",
              "reached", "stage_history", *[f"{s}_date" for s in STATUSES if s != "saved"], "gaps", "notes")
_TABLE_ORDER = ("applications", "events", "rejections", "reflections", "replies", "goals",
                "goal_events", "weekly_goals")


def application_record(journal: Journal, app: Application) -> dict:
    """One application with its stage history, rejections, reflections and sent replies."""
    uid_of = {r["id"]: r["uid"] for r in journal.rows("SELECT id, uid FROM events WHERE application_id = ?",
                                                       (app.id,))}
    mine = events(journal, app.id)
    out = {k: v for k, v in app.__dict__.items()}
    out["status"] = current_status(mine)
    out["reached"] = [s for s in FUNNEL if s in reached(mine)]
    out["stages"] = [{"uid": e.uid, "status": e.status, "event_date": e.event_date, "entered_at": e.entered_at,
                      "note": e.note, "corrects": uid_of.get(e.corrects)} for e in mine]
    out["rejections"] = []
    for r in rejections(journal, app.id):
        out["rejections"].append({"uid": r.uid, "event": uid_of.get(r.event_id), "received_on": r.received_on,
                                  "entered_at": r.entered_at, "message_key": r.message_key, "sender": r.sender,
                                  "subject": r.subject, "source": r.source, "text": r.text,
                                  "analysis": r.analysis, "model_version": r.model_version,
                                  "replies": _rows(journal, "SELECT uid, kind, sent_on, entered_at, text FROM "
                                                   "replies WHERE rejection_id = ?", r.id)})
    rej_uid = {r["id"]: r["uid"] for r in journal.rows("SELECT id, uid FROM rejections")}
    out["reflections"] = [{**{k: row[k] for k in ("uid", "entered_at", "text", "model_version")},
                           "rejection": rej_uid.get(row["rejection_id"]), "answers": json.loads(row["answers"]),
                           "analysis": json.loads(row["analysis"])}
                          for row in journal.rows("SELECT * FROM reflections WHERE application_id = ?", (app.id,))]
    return out


def export_data(journal: Journal) -> dict:
    goals = []
    for g in journal.rows("SELECT * FROM goals ORDER BY id"):
        goals.append({"uid": g["uid"], "area": g["area"], "title": g["title"], "entered_at": g["entered_at"],
                      "events": _rows(journal, "SELECT uid, kind, event_date, entered_at, note FROM goal_events "
                                      "WHERE goal_id = ? ORDER BY id", g["id"])})
    return {"format": FORMAT, "version": SCHEMA_VERSION, "exported_at": now_iso(),
            "applications": [application_record(journal, a) for a in applications(journal)],
            "goals": goals,
            "weekly_goals": [dict(r) for r in journal.rows("SELECT uid, per_week, set_on, entered_at "
                                                           "FROM weekly_goals ORDER BY id")]}


def export_json(journal: Journal, stream) -> None:
    json.dump(export_data(journal), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def export_csv(journal: Journal, stream) -> None:
    writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for app in export_data(journal)["applications"]:
        counted = {e["uid"] for e in app["stages"]} - {e["corrects"] for e in app["stages"] if e["corrects"]}
        stages = [e for e in app["stages"] if e["uid"] in counted]
        row = {k: app.get(k) or "" for k in CSV_FIELDS}
        row["reached"] = ";".join(app["reached"])
        row["stage_history"] = "; ".join(f"{e['event_date']} {e['status']}" for e in stages)
        for s in STATUSES:
            first = next((e["event_date"] for e in stages if e["status"] == s), "")
            row[f"{s}_date"] = first
        row["gaps"] = ";".join(sorted({g["label"] for r in app["rejections"] for g in r["analysis"].get("gaps", [])}))
        writer.writerow(row)


def import_file(journal: Journal, name: str, stdin=None) -> dict[str, int]:
    """Merge a JSON export or a CSV of applications; returns how many of each were added."""
    try:
        raw = stdin.read() if name == "-" else open(name, encoding="utf-8-sig").read()
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalInputError(f"cannot read {name} ({exc})") from None
    if raw.lstrip().startswith("{"):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise JournalInputError(f"{name} is not valid JSON ({exc.msg}, line {exc.lineno})") from None
        return import_data(journal, data, name)
    return import_csv(journal, raw, name)


def import_data(journal: Journal, data: dict, name: str = "the import") -> dict[str, int]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise JournalInputError(f"{name} is not a gapfinder journal export")
    if int(data.get("version", 0)) > SCHEMA_VERSION:
        raise JournalInputError(f"{name} comes from a newer gapfinder (version {data['version']}); upgrade to import it")
    counts = dict.fromkeys(_TABLE_ORDER, 0)
    try:
        with journal.transaction() as conn:
            merger = _Merger(conn, counts)
            for app in data.get("applications", []):
                merger.application(app)
            for goal in data.get("goals", []):
                merger.goal(goal)
            for wg in data.get("weekly_goals", []):
                merger.insert("weekly_goals", wg, ("per_week", "set_on", "entered_at"))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, JournalInputError):
            raise
        raise JournalInputError(f"{name} is missing a field or has a wrong value ({exc!r}); nothing was imported") from None
    return {k.replace("_", " "): v for k, v in counts.items()}


class _Merger:
    """Insert what is new, keyed by uid; map uids to this journal's row ids."""

    def __init__(self, conn, counts):
        self.conn, self.counts = conn, counts

    def local_id(self, table: str, uid: str | None) -> int | None:
        if not uid:
            return None
        row = self.conn.execute(f"SELECT id FROM {table} WHERE uid = ?", (uid,)).fetchone()
        return row[0] if row else None

    def insert(self, table: str, rec: dict, fields: tuple[str, ...], **fixed) -> int:
        uid = rec.get("uid") or new_uid()
        found = self.local_id(table, uid)
        if found is not None:
            return found
        values = {**{f: rec.get(f) for f in fields}, **fixed, "uid": uid}
        cols = ", ".join(values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(values))})",
                                tuple(values.values()))
        self.counts[table] += 1
        return cur.lastrowid

    def application(self, app: dict) -> None:
        app_id = self.insert("applications", {**app, "entered_at": app.get("entered_at") or now_iso()},
                             ("company", "role", "applied_on", "source", "contact", "contact_email", "notes",
                              "entered_at"))
        for e in app.get("stages", []):
            self.insert("events", e, ("status", "event_date", "entered_at", "note"), application_id=app_id,
                        corrects=self.local_id("events", e.get("corrects")))
        for r in app.get("rejections", []):
            key = r.get("message_key")
            if key and self.conn.execute("SELECT 1 FROM rejections WHERE message_key = ?", (key,)).fetchone() \
                    and self.local_id("rejections", r.get("uid")) is None:
                continue   # the same email, filed separately in both journals
            event_id = self.local_id("events", r.get("event"))
            if event_id is None:
                raise JournalInputError(f"rejection {r.get('uid')} refers to an event the file does not hold")
            rid = self.insert("rejections", {**r, "analysis": json.dumps(r["analysis"], ensure_ascii=False)},
                              ("received_on", "entered_at", "message_key", "sender", "subject", "source", "text",
                               "analysis", "model_version"), application_id=app_id, event_id=event_id)
            for reply in r.get("replies", []):
                self.insert("replies", reply, ("kind", "sent_on", "entered_at", "text"), rejection_id=rid)
        for f in app.get("reflections", []):
            self.insert("reflections", {**f, "answers": json.dumps(f["answers"], ensure_ascii=False),
                                        "analysis": json.dumps(f["analysis"], ensure_ascii=False)},
                        ("entered_at", "answers", "text", "analysis", "model_version"), application_id=app_id,
                        rejection_id=self.local_id("rejections", f.get("rejection")))

    def goal(self, goal: dict) -> None:
        goal_id = self.insert("goals", goal, ("area", "title", "entered_at"))
        for e in goal.get("events", []):
            self.insert("goal_events", e, ("kind", "event_date", "entered_at", "note"), goal_id=goal_id)


def import_csv(journal: Journal, raw: str, name: str) -> dict[str, int]:
    """Applications from a CSV (ours, or another tracker's with company/role/date columns)."""
    reader = csv.DictReader(io.StringIO(raw))
    fields = {(f or "").strip().lower().replace(" ", "_"): f for f in reader.fieldnames or []}
    if "company" not in fields:
        raise JournalInputError(f"{name} has no 'company' column (expected a gapfinder CSV or JSON export)")
    pick = lambda row, *keys: next(((row.get(fields[k]) or "").strip() for k in keys if k in fields), "")  # noqa: E731
    counts = {"applications": 0, "events": 0}
    existing = {(a.company.lower(), a.role.lower(), a.applied_on or "") for a in applications(journal)}
    with journal.transaction() as conn:
        for lineno, row in enumerate(reader, 2):
            company = pick(row, "company")
            if not company:
                continue
            role = pick(row, "role", "position", "title")
            applied = pick(row, "applied_on", "date_applied", "applied", "date")
            applied = check_date(applied, f"{name}:{lineno}: date") if applied else None
            if (company.lower(), role.lower(), applied or "") in existing:
                continue
            existing.add((company.lower(), role.lower(), applied or ""))
            cur = conn.execute("INSERT INTO applications (uid, company, role, applied_on, source, contact, "
                               "contact_email, notes, entered_at) VALUES (?,?,?,?,?,?,?,?,?)",
                               (new_uid(), company, role, applied, pick(row, "source"), pick(row, "contact"),
                                pick(row, "contact_email").lower(), pick(row, "notes"), now_iso()))
            counts["applications"] += 1
            for when, status in _stages(row, pick, applied, name, lineno):
                conn.execute("INSERT INTO events (uid, application_id, status, event_date, entered_at) "
                             "VALUES (?,?,?,?,?)", (new_uid(), cur.lastrowid, status, when, now_iso()))
                counts["events"] += 1
    return counts


def _stages(row, pick, applied, name, lineno):
    history_text = pick(row, "stage_history")
    if history_text:
        for part in history_text.split(";"):
            when, _, status = part.strip().partition(" ")
            if status.strip() in STATUSES:
                yield check_date(when, f"{name}:{lineno}: stage date"), status.strip()
        return
    status = pick(row, "status").lower() or "applied"
    if status not in STATUSES:
        raise JournalInputError(f"{name}:{lineno}: unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    yield applied or date.today().isoformat(), status


def _rows(journal: Journal, sql: str, *params) -> list[dict]:
    return [dict(r) for r in journal.rows(sql, params)]

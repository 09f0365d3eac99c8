"""Plain-text views of the journal for people: the list, one application, a filed rejection.

Written for someone having a hard week: say what was stored, what it points to, and the
one next step, without jargon.
"""
from __future__ import annotations

from ..labels import LABELS
from .events import applications, current_status, events, history, rejections
from .records import Application, Rejection
from .store import Journal

AREA_TITLES = {"resume": "Resume & cover letter", "technical": "Technical skills",
               "interview": "Interview skills", "industry": "Knowledge of the industry",
               "eligibility": "Must-have requirements"}
EMPTY = ("Your journal is empty. Add an application with\n"
         "  gapfinder journal add \"Company\" \"Role\"\n"
         "or file a rejection email with\n"
         "  gapfinder batch rejection.eml --journal PATH\n")


def title(label: str) -> str:
    return AREA_TITLES.get(label, label)


def describe(app: Application) -> str:
    return f"{app.role} at {app.company}" if app.role else app.company


def list_rows(journal: Journal) -> list[dict]:
    """One dict per application: what `journal list` shows and exports."""
    all_events = events(journal)
    all_rejections = rejections(journal)
    out = []
    for app in applications(journal):
        mine = [e for e in all_events if e.application_id == app.id]
        gaps = sorted({g for r in all_rejections if r.application_id == app.id for g in r.gap_labels},
                      key=LABELS.index)
        out.append({"id": app.id, "company": app.company, "role": app.role, "applied_on": app.applied_on,
                    "status": current_status(mine), "gaps": gaps,
                    "stages": [{"status": e.status, "date": e.event_date} for e in history(mine)]})
    return out


def list_text(rows: list[dict]) -> str:
    if not rows:
        return EMPTY
    lines = [f"{'id':>4}  {'company':<22} {'role':<24} {'applied':<10}  {'status':<10} gaps"]
    for r in rows:
        lines.append(f"{r['id']:>4}  {_cut(r['company'], 22):<22} {_cut(r['role'], 24):<24} "
                     f"{r['applied_on'] or '-':<10}  {r['status']:<10} {', '.join(r['gaps']) or '-'}")
    return "\n".join(lines) + "\n"


def show_text(journal: Journal, app: Application) -> str:
    mine = events(journal, app.id)
    counted = {e.id for e in history(mine)}
    lines = [f"Application {app.id}: {describe(app)}"]
    for key, label in (("applied_on", "applied"), ("source", "source"), ("contact", "contact"),
                       ("contact_email", "contact email"), ("notes", "notes")):
        if getattr(app, key):
            lines.append(f"  {label}: {getattr(app, key)}")
    lines.append("  history:")
    for e in mine:
        mark = "" if e.id in counted else "  (corrected by a later entry)"
        fix = f" (corrects event {e.corrects})" if e.corrects else ""
        note = f" - {e.note}" if e.note else ""
        lines.append(f"    {e.event_date}  {e.status}{fix}{note}{mark}   [event {e.id}, entered {e.entered_at[:10]}]")
    for r in rejections(journal, app.id):
        lines.append("")
        lines.append(rejection_text(r, app))
    sent = journal.rows("SELECT r.* FROM replies r JOIN rejections j ON j.id = r.rejection_id "
                        "WHERE j.application_id = ? ORDER BY r.sent_on", (app.id,))
    for row in sent:
        what = "feedback request" if row["kind"] == "feedback_request" else "reply"
        lines.append(f"  You sent a {what} on {row['sent_on']}.")
    return "\n".join(lines) + "\n"


def rejection_text(r: Rejection, app: Application) -> str:
    """What a filed rejection says, with the sentences quoted."""
    head = f"  Rejection {r.id} (received {r.received_on}, model {r.model_version})"
    gaps = r.analysis.get("gaps", [])
    if not gaps:
        return (head + "\n    It gives no specific reason. That is common and says nothing about you.\n"
                f"    'gapfinder reply {app.id}' drafts a polite request for feedback.")
    lines = [head]
    for gap in gaps:
        lines.append(f"    {title(gap['label'])}:")
        for ev in gap.get("evidence", [])[:2]:
            lines.append(f"      \"{ev['text'].strip()}\"")
    for strength in r.analysis.get("strengths", []):
        lines.append(f"    Strength - {title(strength['label'])}")
    return "\n".join(lines)


def filed_text(r: Rejection, app: Application) -> str:
    gaps = [title(g) for g in r.gap_labels]
    where = f"Filed the rejection from {app.company} under application {app.id}."
    if not gaps:
        return (f"{where}\nIt gives no specific reason, which is common and not a verdict on you.\n"
                f"Next: 'gapfinder reply {app.id}' drafts a short, polite request for feedback.\n")
    return (f"{where}\nIt points to: {', '.join(gaps)}.\n"
            f"Next: 'gapfinder reply {app.id}' drafts a gracious reply; 'gapfinder reflect {app.id}' "
            "takes your own view; 'gapfinder plan' shows what to work on.\n")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"

"""The report: one self-contained HTML file (inline CSS and SVG, no script, no network
reference of any kind) and the same data as JSON beside it.

Every piece of text from an email or from the person goes through Jinja2 with autoescape
on, and URLs inside such text are made inert (their ':' and '//' swapped for look-alike
characters), so the page never links or loads anything. A Content-Security-Policy of
default-src 'none' backs that up.
"""
from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

from .charts import COLORS, funnel_chart, gaps_over_time, weekly_chart
from .errors import JournalError
from .events import rejections
from .plan import build_plan
from .plan_text import funnel_sentence
from .store import Journal

TEMPLATES = Path(__file__).resolve().parent / "templates"
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,20}):(?=\S)")


def inert(text) -> str:
    """Text that cannot be read as a link or a reference: 'https://x' shows as 'https∶∕∕x'.

    '@import' and 'url(' get a zero-width space, so not even a careless copy into CSS loads them.
    """
    text = "" if text is None else str(text)
    text = _SCHEME.sub(lambda m: m.group(1) + "\u2236", text)
    text = re.sub(r"(?i)@(import)|\b(url)\(", lambda m: f"@\u200b{m.group(1)}" if m.group(1) else f"{m.group(2)}\u200b(", text)
    return text.replace("//", "\u2215\u2215")


def report_data(journal: Journal, rules, today: date | None = None) -> dict:
    """Everything the report shows, as plain JSON-ready data."""
    today = today or date.today()
    plan = build_plan(journal, rules, today)
    rejs = rejections(journal)
    return {"generated_on": today.isoformat(), "journal": str(journal.path or ""),
            "summary": funnel_sentence(plan.funnel) if plan.funnel["applications"] else "",
            "plan": plan.to_dict(),
            "charts": {"gaps_over_time": gaps_over_time(rejs, today), "funnel": funnel_chart(plan.funnel),
                       "weekly": weekly_chart(plan.weeks)}}


def render_html(data: dict) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["inert"] = inert
    return env.get_template("report.html.j2").render(colors=COLORS, **data)


def write_report(journal: Journal, rules, html_path, json_path=None, today: date | None = None) -> tuple[Path, Path]:
    """Write the HTML report and its JSON twin (default: same name, .json)."""
    html_path = Path(html_path)
    json_path = Path(json_path) if json_path else html_path.with_suffix(".json")
    if html_path.resolve() == json_path.resolve():
        raise JournalError("the HTML report and its JSON would be the same file; give -o a name ending in .html")
    data = report_data(journal, rules, today)
    _atomic_write(html_path, render_html(data))
    _atomic_write(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return html_path, json_path


def _atomic_write(path: Path, text: str) -> None:
    from ..write.output_file import atomic_output

    try:
        with atomic_output(os.fspath(path)) as fh:
            fh.write(text)
    except OSError as exc:
        raise JournalError(f"cannot write {path} ({exc.strerror or exc})") from None

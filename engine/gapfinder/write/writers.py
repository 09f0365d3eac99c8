"""Write results as text for people, or JSON, JSONL and CSV for machines, one at a time."""
from __future__ import annotations

import csv
import dataclasses
import json
import math
import textwrap

from ..labels import LABELS
from .safe_text import csv_safe, json_escape_invisible, terminal_safe

TITLES = {
    "resume": "Resume & cover letter",
    "technical": "Technical skills",
    "interview": "Interview skills",
    "industry": "Knowledge of the industry",
    "eligibility": "Must-have requirements",
}
CSV_FIELDS = ["id", "source", "specific"] + list(LABELS) + ["top_evidence", "strengths", "error"]
MAX_DECISIONS = 200     # rule decisions kept per text in output; the rest are counted


def result_dict(result, include_text: bool = False, extra: dict | None = None) -> dict:
    """The output record of one Analysis. At most MAX_DECISIONS rule decisions are kept
    (a huge text can hold millions); "decisions_left_out" says how many were dropped."""
    left_out = max(0, len(getattr(result, "decisions", ())) - MAX_DECISIONS)
    if left_out:
        result = dataclasses.replace(result, decisions=result.decisions[:MAX_DECISIONS])
    out = result.to_dict(include_text=include_text)
    if left_out:
        out["decisions_left_out"] = left_out
    if extra:
        out = {**{"id": out.get("id")}, **extra, **{k: v for k, v in out.items() if k != "id"}}
    return out


def dumps(record: dict, **kw) -> str:
    """JSON with readable non-ASCII text; escaped ASCII when a value cannot be encoded
    (a lone surrogate that slipped into metadata), so one odd field never ends a run.
    (JSON may not hold NaN: a float that is not finite is written as null.) C1 controls
    and bidi overrides are escaped, so a terminal showing the JSON cannot act on them."""
    try:
        text = json.dumps(record, ensure_ascii=False, allow_nan=False, **kw)
    except ValueError:
        text = json.dumps(_finite(record), ensure_ascii=False, **kw)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(_finite(record), ensure_ascii=True, **kw)
    return json_escape_invisible(text)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


class JsonlWriter:
    def __init__(self, stream):
        self.stream = stream

    def write(self, record: dict) -> None:
        self.stream.write(dumps(record) + "\n")

    def close(self) -> None:
        pass


class JsonWriter:
    """A JSON array, streamed element by element."""

    def __init__(self, stream):
        self.stream, self.count = stream, 0

    def write(self, record: dict) -> None:
        self.stream.write(("[\n" if self.count == 0 else ",\n") + dumps(record, indent=2))
        self.count += 1

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")


class CsvWriter:
    """One row per record: a column per label with the gap's confidence, and the top evidence."""

    def __init__(self, stream):
        self.writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, extrasaction="ignore")
        self.writer.writeheader()

    def write(self, record: dict) -> None:
        row = {"id": record.get("id"), "source": record.get("source", ""), "error": record.get("error", "")}
        if "error" not in record:
            gaps = {g["label"]: g for g in record["gaps"]}
            row["specific"] = str(record["specific"]).lower()
            for label in LABELS:
                row[label] = f"{gaps[label]['confidence']:.3f}" if label in gaps else ""
            top = max(record["gaps"], key=lambda g: g["confidence"], default=None)
            row["top_evidence"] = top["evidence"][0]["text"] if top and top["evidence"] else ""
            row["strengths"] = " ".join(s["label"] for s in record["strengths"])
        self.writer.writerow({key: csv_safe(value) for key, value in row.items()})

    def close(self) -> None:
        pass


class TextWriter:
    """A short, kind, readable summary per text."""

    def __init__(self, stream, plans, many: bool = False):
        self.stream, self.plans, self.many, self.count = stream, plans, many, 0

    def write(self, record: dict) -> None:
        out = []
        if self.count:
            out.append("\n" + "-" * 60 + "\n")
        self.count += 1
        head = record.get("source") or record.get("id")
        if self.many and head:
            out.append(f"{terminal_safe(str(head), one_line=True)}\n")
        if "error" in record:
            out.append(f"Could not read this one: {terminal_safe(record['error'], one_line=True)}\n")
            self.stream.write("".join(out))
            return
        out.append(render_text(record, self.plans))
        self.stream.write("".join(out))

    def close(self) -> None:
        pass


def render_text(record: dict, plans) -> str:
    lines = []
    if record.get("language") == "unsupported":
        lines.append("This text does not look like English, which is the only language gapfinder "
                     "reads for now, so it has not been analysed.")
        return "\n".join(lines) + "\n"
    gaps = record["gaps"]
    if gaps:
        n = len(gaps)
        lines.append(f"The feedback points to {n} area{'s' if n > 1 else ''} to work on.")
        for gap in sorted(gaps, key=lambda g: -g["confidence"]):
            lines.append("")
            lines.append(f"{TITLES[gap['label']]}  (confidence {gap['confidence']:.2f})")
            for ev in gap["evidence"]:
                lines.append(_quote(ev["text"]))
            lines.append("  What you can do:")
            for action in record["actions"].get(gap["label"], []):
                lines.extend(_bullet(action))
    else:
        lines.append("This message does not name a specific reason for the decision.")
        for action in record["actions"].get("no_gap", []):
            lines.extend(_bullet(action))
    if record["strengths"]:
        lines.append("")
        lines.append("What went well:")
        for s in record["strengths"]:
            lines.append(f"  {TITLES[s['label']]}")
            for ev in s["evidence"][:1]:
                lines.append(_quote(ev["text"]))
    if plans and "next_steps" in plans:
        lines.append("")
        lines.append(terminal_safe(plans["next_steps"].title, one_line=True) + ":")
        for action in plans["next_steps"].actions:
            lines.extend(_bullet(action))
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    flat = " ".join(terminal_safe(text, one_line=True).split())
    return textwrap.fill(f'"{flat}"', width=78, initial_indent="    ", subsequent_indent="     ")


def _bullet(text: str) -> list[str]:
    return textwrap.wrap(terminal_safe(text, one_line=True), width=78, initial_indent="  - ", subsequent_indent="    ")


def make_writer(fmt: str, stream, plans=None, many: bool = False):
    if fmt == "jsonl":
        return JsonlWriter(stream)
    if fmt == "json":
        return JsonWriter(stream)
    if fmt == "csv":
        return CsvWriter(stream)
    return TextWriter(stream, plans, many)

"""Chart geometry for the report: plain numbers and labels, drawn as inline SVG by the template.

Computing rectangles here and letting the Jinja2 template draw them keeps every label
escaped by the template's autoescape, and the report free of any script or chart library.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from ..labels import LABELS
from .views import AREA_TITLES

COLORS = {"resume": "#4477aa", "technical": "#ee6677", "interview": "#228833", "industry": "#ccbb44",
          "eligibility": "#aa3377"}
WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 40, 30, 12


def _months(first: date, last: date, limit: int = 12) -> list[str]:
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months[-limit:]


def _month_name(month: str) -> str:
    y, m = month.split("-")
    return f"{date(int(y), int(m), 1):%b} {y}"


def _ticks(top: int) -> list[int]:
    step = max(1, -(-top // 4))
    return list(range(0, top + 1, step))


def gaps_over_time(rejections: list, today: date) -> dict:
    """Stacked bars: how many rejections named each gap area, month by month."""
    if not rejections:
        return {"empty": True}
    first = min(date.fromisoformat(r.received_on) for r in rejections)
    months = _months(first, max(today, first))
    counts = {m: Counter() for m in months}
    for r in rejections:
        month = r.received_on[:7]
        if month in counts:
            counts[month].update(r.gap_labels)
    top = max([sum(c.values()) for c in counts.values()] + [1])
    plot_h, plot_w = HEIGHT - BOTTOM - TOP, WIDTH - LEFT - 10
    slot = plot_w / len(months)
    bars, xlabels = [], []
    for i, month in enumerate(months):
        x, y = LEFT + i * slot + slot * 0.15, HEIGHT - BOTTOM
        for label in LABELS:
            n = counts[month][label]
            if n:
                h = plot_h * n / top
                y -= h
                bars.append({"x": round(x, 1), "y": round(y, 1), "w": round(slot * 0.7, 1), "h": round(h, 1),
                             "color": COLORS[label], "title": f"{month}: {AREA_TITLES[label]} named {n} time(s)"})
        xlabels.append({"x": round(LEFT + i * slot + slot / 2, 1), "text": _month_name(month)})
    return {"empty": False, "width": WIDTH, "height": HEIGHT, "bars": bars, "xlabels": xlabels,
            "yticks": [{"y": round(HEIGHT - BOTTOM - plot_h * t / top, 1), "text": t} for t in _ticks(top)],
            "legend": [{"color": COLORS[k], "text": AREA_TITLES[k]} for k in LABELS
                       if any(counts[m][k] for m in months)], "left": LEFT, "base": HEIGHT - BOTTOM}


def funnel_chart(funnel: dict) -> dict:
    """Horizontal bars: applications that reached each stage (from their history)."""
    stages = [("applied", "Applied"), ("screen", "Screening or further"), ("interview", "Interview or further"),
              ("offer", "Offer")]
    top = max(funnel["reached"]["applied"], 1)
    bar_h, gap, label_w = 26, 10, 170
    rows = []
    for i, (key, text) in enumerate(stages):
        n = funnel["reached"][key]
        w = (WIDTH - label_w - 60) * n / top
        rows.append({"y": i * (bar_h + gap) + 8, "h": bar_h, "x": label_w, "w": round(max(w, 2 if n else 0), 1),
                     "label": text, "count": n})
    return {"empty": funnel["applications"] == 0, "width": WIDTH, "height": len(stages) * (bar_h + gap) + 12,
            "rows": rows, "label_w": label_w}


def weekly_chart(weeks: list[dict]) -> dict:
    """Bars of applications sent per week, with the weekly goal as a line over them."""
    if not weeks:
        return {"empty": True}
    top = max([w["applied"] for w in weeks] + [w["goal"] or 0 for w in weeks] + [1])
    plot_h, plot_w = HEIGHT - BOTTOM - TOP, WIDTH - LEFT - 10
    slot = plot_w / len(weeks)
    bars, goal_marks, xlabels = [], [], []
    for i, w in enumerate(weeks):
        x = LEFT + i * slot
        h = plot_h * w["applied"] / top
        met = w["goal"] is not None and w["applied"] >= w["goal"]
        bars.append({"x": round(x + slot * 0.2, 1), "y": round(HEIGHT - BOTTOM - h, 1), "w": round(slot * 0.6, 1),
                     "h": round(h, 1), "met": met, "title": f"week of {w['start']}: {w['applied']} sent"
                     + (f", goal {w['goal']}" if w["goal"] is not None else "")})
        if w["goal"] is not None:
            gy = round(HEIGHT - BOTTOM - plot_h * w["goal"] / top, 1)
            goal_marks.append({"x1": round(x + 2, 1), "x2": round(x + slot - 2, 1), "y": gy})
        xlabels.append({"x": round(x + slot / 2, 1), "text": w["start"][5:]})
    return {"empty": False, "width": WIDTH, "height": HEIGHT, "bars": bars, "goals": goal_marks,
            "xlabels": xlabels, "yticks": [{"y": round(HEIGHT - BOTTOM - plot_h * t / top, 1), "text": t}
                                           for t in _ticks(top)], "left": LEFT, "base": HEIGHT - BOTTOM}

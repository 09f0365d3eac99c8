"""Build journal contents directly, with hand-made analyses, so plan tests need no model."""
from __future__ import annotations

from gapfinder.journal import add_application
from gapfinder.journal.events import record_rejection


def analysis(*gaps: tuple[str, str], strengths: tuple[str, ...] = ()) -> dict:
    """An analysis naming each (label, sentence) as a gap with that sentence as evidence."""
    text = " ".join(s for _l, s in gaps)
    out, pos = [], 0
    for label, sentence in gaps:
        start = text.index(sentence, pos)
        out.append({"label": label, "confidence": 0.9,
                    "evidence": [{"start": start, "end": start + len(sentence), "text": sentence,
                                  "source": "rule:test", "cues": []}]})
        pos = start + len(sentence)
    return {"gaps": out, "strengths": [{"label": s, "confidence": 0.8, "evidence": []} for s in strengths],
            "actions": {}, "specific": bool(gaps), "rejection": True, "language": "en"}


def rejected(journal, company: str, applied: str, received: str, *gaps, role: str = "Analyst", strengths=()):
    app = add_application(journal, company, role, applied)
    text = " ".join(s for _l, s in gaps) or "We have decided to move forward with other candidates."
    return app, record_rejection(journal, app.id, text, analysis(*gaps, strengths=strengths), "test-model",
                                 received_on=received)

"""Reply and feedback-request drafts (the guide's steps 1 and 3). Never sent by gapfinder.

A draft is built only from what the journal holds: the contact's name as entered, the role,
the company, how far the application got, and the gaps and topics of the rejection. When
something is not known, the sentence that would need it is left out rather than guessed.
A draft is stored only when the person says they sent it (log_sent).
"""
from __future__ import annotations

from dataclasses import dataclass

from .events import check_date, events, get_application, reached, rejections
from .errors import JournalInputError, UnknownRecord
from .records import Application, Rejection
from .store import Journal, new_uid, now_iso
from .topics import topic_of

# How to ask about an area when the evidence names no specific topic.
AREA_QUESTION = {"technical": "on the technical side", "interview": "in the interview",
                 "resume": "in my application", "industry": "in knowledge of the sector"}


@dataclass
class Draft:
    kind: str              # "reply" (thanks, with one follow-up question) or "feedback_request"
    application_id: int
    rejection_id: int
    subject: str
    body: str

    def as_text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def latest_rejection(journal: Journal, application_id, rejection_id=None) -> Rejection:
    app = get_application(journal, application_id)
    found = rejections(journal, app.id)
    if rejection_id is not None:
        found = [r for r in found if str(r.id) == str(rejection_id)]
        if not found:
            raise UnknownRecord(f"application {app.id} has no rejection {rejection_id}")
    if not found:
        raise UnknownRecord(f"application {app.id} ({app.company}) has no rejection yet; "
                            f"file one with 'gapfinder journal reject {app.id} FILE'")
    return found[-1]


def follow_up_question(rejection: Rejection, terms_for=lambda label: ([], [])) -> str | None:
    """One specific question about the strongest gap that can be worked on, or None."""
    gaps = sorted(rejection.analysis.get("gaps", []), key=lambda g: -g.get("confidence", 0))
    for gap in gaps:
        if gap["label"] == "eligibility":
            continue     # a must-have is not something to ask them to explain
        for ev in gap.get("evidence", []):
            topic = topic_of(ev["text"], *terms_for(gap["label"]))
            if topic:
                return f"what you were looking for in {topic}"
        return f"what you were looking for {AREA_QUESTION[gap['label']]}"
    return None


def build_draft(journal: Journal, application_id, rejection_id=None, your_name: str = "",
                terms_for=lambda label: ([], [])) -> Draft:
    rejection = latest_rejection(journal, application_id, rejection_id)
    app = get_application(journal, rejection.application_id)
    interviewed = "interview" in reached(events(journal, app.id))
    question = follow_up_question(rejection, terms_for) if rejection.specific else None
    kind = "reply" if rejection.specific else "feedback_request"
    paragraphs = [_thanks(app, interviewed), "I'm disappointed, of course, but I understand and respect the decision."]
    if kind == "feedback_request":
        what = "my application and interview" if interviewed else "my application"
        paragraphs.append(f"If you have a moment, I would be grateful for any feedback on {what}: what would have "
                          "made it stronger? I'd value your honest view, and I will use it to improve.")
    elif question:
        paragraphs.append(f"If you have a moment, could you tell me a little more about {question}? "
                          "It would help me prepare better for roles like this one.")
    paragraphs.append(f"I enjoyed learning about {app.company}, and I would be glad to be considered for future "
                      "roles that match my experience. I hope our paths cross again.")
    body = "\n\n".join([f"Dear {app.contact}," if app.contact else "Hello,", *paragraphs,
                        "Best wishes," + (f"\n{your_name.strip()}" if your_name.strip() else "")]) + "\n"
    subject = f"Re: {rejection.subject}" if rejection.subject else \
        f"Thank you - {app.role + ' at ' if app.role else ''}{app.company}"
    return Draft(kind, app.id, rejection.id, subject, body)


def _thanks(app: Application, interviewed: bool) -> str:
    role = f"the {app.role} role" if app.role else "the role"
    time = "the time you spent interviewing me" if interviewed else "the time you gave to my application"
    return f"Thank you for letting me know your decision about {role} at {app.company}, and for {time}."


def log_sent(journal: Journal, draft: Draft, sent_on=None, text: str | None = None) -> int:
    """Record that the person sent this reply (their own text if they changed it)."""
    when = check_date(sent_on, "sent date")
    body = text if text is not None else draft.as_text()
    if not body.strip():
        raise JournalInputError("the sent text is empty; nothing was logged")
    with journal.transaction() as conn:
        cur = conn.execute("INSERT INTO replies (uid, rejection_id, kind, sent_on, entered_at, text) VALUES "
                           "(?,?,?,?,?,?)", (new_uid(), draft.rejection_id, draft.kind, when, now_iso(), body))
    return cur.lastrowid

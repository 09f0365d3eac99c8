"""The label contract (see taxonomy): five gaps, in a fixed order."""

LABELS = ("resume", "technical", "interview", "industry", "eligibility")

KINDS = (
    "recruiter_email",
    "interviewer_feedback",
    "self_reflection",
    "ats_autoreply",
    "non_rejection",
)

"""Which application an email belongs to: sender, sender's domain, company, role, subject.

Scores are small integers so a decision can be explained: the same contact address (3), a
company domain that names the company (3), the company named in the subject or sender name
(2), the role named in the subject (1). Two points are needed; below that, a new
application is proposed from what the email itself says, and nothing is made up beyond it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from .records import Application

# Mail providers and applicant-tracking systems: their domain says nothing about the company.
SHARED_DOMAINS = frozenset("""
gmail.com googlemail.com outlook.com hotmail.com live.com yahoo.com icloud.com me.com aol.com
proton.me protonmail.com gmx.com mail.com greenhouse.io greenhouse-mail.io lever.co hire.lever.co
myworkday.com workday.com smartrecruiters.com ashbyhq.com workable.com bamboohr.com teamtailor.com
jobvite.com icims.com taleo.net successfactors.com linkedin.com indeed.com indeedemail.com
recruitee.com personio.de breezy.hr jazzhr.com example.com example.org example.net
""".split())
SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "ltd", "plc"})
COMPANY_SUFFIXES = frozenset({"ltd", "limited", "inc", "plc", "llc", "gmbh", "ag", "sa", "corp", "co",
                              "company", "group", "holdings", "the"})
SENDER_WORDS = frozenset({"talent", "team", "recruiting", "recruitment", "careers", "career", "hr",
                          "jobs", "hiring", "people", "acquisition", "no", "reply", "noreply", "via",
                          "at", "from", "the", "notifications", "do", "not"})
ROLE_IN_SUBJECT = re.compile(
    r"(?:application|applying|candidacy|interest|interview)\s+(?:for|to|as)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?P<role>[^,|:()\u2013\u2014]+?)(?:\s+(?:role|position|job|vacancy|post))?"
    r"(?:\s+(?:at|with)\s+(?P<company>[^,|:()\u2013\u2014]+?))?\s*$", re.I)
MIN_SCORE = 2


@dataclass
class EmailFacts:
    """What an email says about who sent it and what it is about."""

    sender_name: str
    sender_email: str
    domain: str
    subject: str

    @classmethod
    def of(cls, sender: str | None, subject: str | None) -> "EmailFacts":
        name, address = parseaddr(sender or "")
        address = address.lower()
        domain = address.rsplit("@", 1)[1] if "@" in address else ""
        return cls(name.strip(), address, domain, (subject or "").strip())


@dataclass
class Match:
    application: Application | None
    score: int
    why: list[str]


def company_key(name: str) -> str:
    """'Acme Analytics Ltd.' -> 'acmeanalytics': compare names without case, spaces, suffixes."""
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in COMPANY_SUFFIXES]
    return "".join(words)


def domain_key(domain: str) -> str:
    """'careers.acme.co.uk' -> 'acme': the part of a domain that names the organisation."""
    labels = [p for p in domain.lower().split(".") if p]
    if len(labels) < 2:
        return ""
    labels = labels[:-1]                       # the top-level domain
    if len(labels) > 1 and labels[-1] in SECOND_LEVEL:
        labels = labels[:-1]
    return re.sub(r"[^a-z0-9]", "", labels[-1])


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def score(app: Application, facts: EmailFacts) -> tuple[int, list[str]]:
    points, why = 0, []
    key = company_key(app.company)
    if app.contact_email and facts.sender_email == app.contact_email:
        points, why = points + 3, why + ["same contact address"]
    elif facts.domain and facts.domain not in SHARED_DOMAINS:
        contact_domain = app.contact_email.rsplit("@", 1)[-1] if "@" in app.contact_email else ""
        dkey = domain_key(facts.domain)
        if facts.domain == contact_domain or (key and dkey and (dkey == key or dkey in key or key in dkey)
                                              and len(dkey) >= 3):
            points, why = points + 3, why + [f"sender's domain {facts.domain}"]
    if key and len(key) >= 3 and key in _compact(f"{facts.subject} {facts.sender_name}"):
        points, why = points + 2, why + ["company named in the subject or sender"]
    role_words = [w for w in re.findall(r"[a-z0-9]+", app.role.lower()) if len(w) > 2]
    if role_words and all(w in facts.subject.lower() for w in role_words):
        points, why = points + 1, why + ["role named in the subject"]
    return points, why


def best_match(apps: list[Application], facts: EmailFacts, waiting: set[int] | None = None) -> Match:
    """The application this email most likely belongs to, or Match(None, ...) below MIN_SCORE.

    Ties go to an application still waiting for an answer, then to the latest applied.
    """
    waiting = waiting or set()
    best = Match(None, 0, [])
    best_rank = None
    for app in apps:
        points, why = score(app, facts)
        if points < MIN_SCORE:
            continue
        rank = (points, app.id in waiting, app.applied_on or "", app.id)
        if best_rank is None or rank > best_rank:
            best, best_rank = Match(app, points, why), rank
    return best


def proposed_application(facts: EmailFacts) -> tuple[str, str]:
    """(company, role) for a new application, taken only from the email itself."""
    company, role = "", ""
    found = ROLE_IN_SUBJECT.search(facts.subject)
    if found:
        role = found.group("role").strip()
        company = (found.group("company") or "").strip()
    if not company and facts.domain and facts.domain not in SHARED_DOMAINS:
        company = domain_key(facts.domain).capitalize()
    if not company and facts.sender_name:
        parts = [w for w in re.split(r"[\s,]+", facts.sender_name) if w]
        words = [w for w in parts if w.lower() not in SENDER_WORDS]
        if len(words) < len(parts):          # "Acme Talent Team": a team, not a person's name
            company = " ".join(words)
    return company or "Unknown company", role

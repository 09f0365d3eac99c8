"""Synthetic rejection-email mailboxes for the batch benchmarks (a helper, not a test).

`write_mbox(path, n, seed)` writes an mbox of `n` varied rejection emails with the standard
library (`email.message.EmailMessage` + `mailbox.mbox`) and returns their Message-IDs in
order. Bodies are 60-150 words, assembled from a few dozen sentence templates (openers,
decisions, feedback naming each kind of gap, praise, closings, sign-offs) filled with
random names, companies, roles, skills, reference numbers and tracking links. The random
parts make almost every message bring new words, so spaCy's vocabulary would keep growing
if nothing bounded it. About 1 in 8 messages is multipart/alternative with an HTML part,
about 1 in 8 quotes an earlier message; half are hard-wrapped at 72 columns (7bit), the
others have one line a paragraph (the email package sends those quoted-printable).
"""
from __future__ import annotations

import mailbox
import os
import random
import re
import string
import textwrap
import time
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from datetime import datetime, timedelta, timezone

SYLLABLES = ("ka ren mo li sa tor vin el da na ri ko bel har ston wick ley mar tin gra ham "
             "os wal do fen ric ula bri ant cor vus pel lor mi ra zu ne qui tes fal ber").split()
FIRST_NAMES = ("Priya Tom Aisha Marcus Dana Joanne Hannah Dean Gemma Sunita Liam Chloe Omar "
               "Ines Kwame Yuki Sofia Mateo Grace Noah Leila Ravi Elena Samir Freya Jonas").split()
ROLES = ("Data Analyst", "Senior Backend Engineer", "Product Designer", "Staff Nurse",
         "Paralegal", "Site Manager", "Marketing Manager", "Claims Handler", "DevOps Engineer",
         "Account Executive", "Research Scientist", "Financial Analyst", "QA Engineer",
         "Customer Success Lead", "Mechanical Design Engineer", "Teaching Assistant")
SKILLS = ("SQL", "Python", "Kubernetes", "financial modelling", "system design", "React",
          "statistics", "stakeholder management", "contract law", "CAD", "Excel", "Terraform",
          "A/B testing", "pharmacology", "Java", "negotiation", "data visualisation", "Go")
INDUSTRIES = ("logistics", "healthcare", "insurance", "fintech", "construction", "retail",
              "energy", "public sector", "pharmaceutical", "media")
COUNTRIES = ("the UK", "Canada", "Germany", "the United States", "Australia", "Ireland")
TITLES = ("Talent Partner", "Technical Recruiter", "Hiring Manager", "HR Business Partner",
          "People & Culture Advisor", "Recruitment Coordinator", "Head of Engineering")
SUFFIXES = ("Ltd", "Inc.", "Group", "Analytics", "Systems", "Health", "Partners", "Labs", "LLP")

GREETINGS = ("Dear {first},", "Hi {first},", "Hello {first} {last},", "Dear {first} {last},",
             "Good afternoon {first},")
OPENERS = (
    "Thank you for taking the time to interview for the {role} position at {company}.",
    "We appreciate your interest in the {role} role (requisition {req}) and the effort you put into your application.",
    "Thanks for meeting {rfirst} and me on {day} to talk about the {role} opening.",
    "Thank you for completing the take-home exercise for the {role} vacancy, reference {ref}.",
    "Many thanks for applying to {company} and for your patience while we reviewed candidates.",
    "I wanted to follow up on your interviews for the {role} post with the {team} team.",
)
DECISIONS = (
    "After careful consideration, we have decided to move forward with other candidates.",
    "Unfortunately, we will not be progressing your application at this time.",
    "I'm sorry to let you know that we won't be offering you the role on this occasion.",
    "We regret to inform you that the position has now been filled.",
    "The panel has decided not to take your application to the next stage.",
    "We had a very strong field and the decision came down to fine margins.",
)
FEEDBACK = (
    # resume
    "Your resume did not clearly show the impact of your work at {prevco}.",
    "The hiring panel felt your CV read as a list of duties rather than outcomes.",
    "{first}, your cover letter was generic and did not mention why {company} in particular.",
    # technical
    "The technical assessment showed gaps in your {skill} fundamentals.",
    "Your solution to the {skill} exercise did not handle the edge cases we discussed.",
    "{rfirst} felt your understanding of {skill} was not yet at the level the team needs.",
    "The code you submitted under ticket {ticket} had several bugs and no tests.",
    # interview
    "The panel felt your answers lacked structure and often ran long.",
    "We didn't get a clear sense of what you personally did on the {project} project.",
    "{first}, in the behavioural round your examples were vague and hard to follow.",
    # industry
    "We were looking for more familiarity with the {industry} sector and its regulations.",
    "Your knowledge of how the {industry} market works was limited compared with other finalists.",
    # eligibility
    "This role requires the right to work in {country}, which you told us you do not hold.",
    "The position requires at least {years} years of experience with {skill}, and you have around {months} months.",
    "A professional certification in {skill} is mandatory for this post.",
)
PRAISE = (
    "Everyone enjoyed speaking with you and appreciated your enthusiasm.",
    "Your communication skills were excellent and you were easy to talk to.",
    "The team really liked how you talked through trade-offs in the {skill} discussion.",
    "{rfirst} was impressed by your portfolio, especially the {project} case study.",
)
CLOSINGS = (
    "We will keep your details on file (reference {ref}) for future openings.",
    "Please quote {ref} in any further correspondence about this application.",
    "You can track the status of candidate {cand} at {url}.",
    "We wish you the very best of luck in your job search.",
    "I'd encourage you to keep an eye on our vacancies page and apply again next year.",
    "If you would like more detail, reply to this email and {rfirst} will arrange a short call.",
)
FILLERS = (
    "We received {applicants} applications for this vacancy.",
    "Interviews for the {team} team took place over {weeks} weeks.",
    "Our hiring process at {company} involves several stages and many colleagues.",
    "This message relates to application {ref} submitted on {day}.",
)
SIGNOFFS = ("Best regards,", "Kind regards,", "Best wishes,", "Sincerely,", "Thanks again,", "Cheers,")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _slots(rng: random.Random) -> dict:
    company = f"{_name(rng)} {rng.choice(SUFFIXES)}"
    return {
        "first": rng.choice(FIRST_NAMES) if rng.random() < 0.7 else _name(rng),
        "last": _name(rng),
        "rfirst": rng.choice(FIRST_NAMES),
        "rlast": _name(rng),
        "company": company,
        "prevco": f"{_name(rng)} {rng.choice(SUFFIXES)}",
        "role": rng.choice(ROLES),
        "skill": rng.choice(SKILLS),
        "industry": rng.choice(INDUSTRIES),
        "country": rng.choice(COUNTRIES),
        "title": rng.choice(TITLES),
        "team": _name(rng),
        "project": _name(rng),
        "day": rng.choice(DAYS),
        "req": f"#{rng.randint(10000, 99999)}",
        "ref": f"REF-{_token(rng, 8)}",
        "ticket": f"{_token(rng, 3, string.ascii_uppercase)}-{rng.randint(100, 9999)}",
        "cand": f"C{rng.randint(100000, 999999)}",
        "url": f"https://careers.{company.split()[0].lower()}.example/t/{_token(rng, 12, string.ascii_lowercase + string.digits)}",
        "years": rng.randint(2, 8),
        "months": rng.randint(3, 20),
        "applicants": rng.randint(40, 900),
        "weeks": rng.randint(2, 6),
        "phone": f"+44 20 7946 {rng.randint(1000, 9999)}",
    }


def make_body(rng: random.Random, s: dict) -> str:
    """A plain-text rejection email of 60-150 words (sign-off included)."""
    sentences = [rng.choice(OPENERS), rng.choice(DECISIONS)]
    sentences += rng.sample(FEEDBACK, rng.choice((0, 1, 1, 2, 2, 3)))
    if rng.random() < 0.5:
        sentences.insert(rng.randint(1, len(sentences)), rng.choice(PRAISE))
    sentences += rng.sample(CLOSINGS, rng.randint(1, 2))
    head = rng.choice(GREETINGS).format(**s)
    sign = f"{rng.choice(SIGNOFFS)}\n{s['rfirst']} {s['rlast']}\n{s['title']}, {s['company']}\n{s['phone']}"
    fixed = len(head.split()) + len(sign.split())
    target = rng.randint(60, 150)

    def words(items):
        return fixed + sum(len(x.format(**s).split()) for x in items)

    spare = list(FILLERS) + [x for x in FEEDBACK + PRAISE + CLOSINGS if x not in sentences]
    rng.shuffle(spare)
    while words(sentences) < target and spare:
        sentences.insert(rng.randint(2, len(sentences)), spare.pop())
    while words(sentences) > 150 and len(sentences) > 2:
        sentences.pop(rng.randint(2, len(sentences) - 1))
    text = [x.format(**s) for x in sentences]
    paragraphs, i = [], 0
    while i < len(text):                      # 1-3 sentences a paragraph
        k = rng.randint(1, 3)
        paragraphs.append(" ".join(text[i:i + k]))
        i += k
    return f"{head}\n\n" + "\n\n".join(paragraphs) + f"\n\n{sign}\n"


def make_message(rng: random.Random, index: int, when: datetime) -> EmailMessage:
    s = _slots(rng)
    body = make_body(rng, s)
    if rng.random() < 0.125:                  # a reply quoting the candidate's earlier message
        body += (f"\nOn {s['day']}, {s['first']} {s['last']} <{s['first'].lower()}@mail.example> wrote:\n"
                 f"> Hi {s['rfirst']},\n> I was wondering whether there is any news about the "
                 f"{s['role']} role.\n> Thanks, {s['first']}\n")
    msg = EmailMessage()
    domain = s["company"].split()[0].lower() + ".example"
    msg["From"] = formataddr((f"{s['rfirst']} {s['rlast']}", f"{s['rfirst'].lower()}@{domain}"))
    msg["To"] = formataddr((f"{s['first']} {s['last']}", f"{s['first'].lower()}.{s['last'].lower()}@mail.example"))
    msg["Subject"] = rng.choice((f"Your application for {s['role']}", f"Update on {s['ref']}",
                                 f"{s['company']} - {s['role']}", "Re: interview feedback",
                                 f"Application {s['req']}: outcome"))
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<bench-{index:07d}.{_token(rng, 10, string.ascii_lowercase + string.digits)}@{domain}>"
    if rng.random() < 0.5:                    # hard-wrapped at 72 columns: sent as 7bit
        body = "\n\n".join("\n".join(textwrap.wrap(p, 72)) if len(p) > 72 else p
                           for p in body.split("\n\n"))
    msg.set_content(body)                     # long lines: the email package picks quoted-printable
    if rng.random() < 0.125:
        html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in body.split("\n\n"))
        msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    return msg


def write_mbox(path, n: int, seed: int = 1234) -> list[str]:
    """Write `n` messages to a new mbox at `path`; return their Message-IDs in order."""
    rng = random.Random(seed)
    if os.path.exists(path):
        os.unlink(path)                       # mailbox.mbox would append to an old file
    box = mailbox.mbox(str(path), create=True)
    ids = []
    start = datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc)
    box.lock()
    try:
        for i in range(n):
            when = start + timedelta(minutes=7 * i)
            msg = mailbox.mboxMessage(make_message(rng, i, when))
            sender = re.search(r"<([^>]+)>", str(msg["From"]))
            msg.set_from(sender.group(1) if sender else "recruiter@example", time.gmtime(when.timestamp()))
            ids.append(str(msg["Message-ID"]))
            box.add(msg)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return ids

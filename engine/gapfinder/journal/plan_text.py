"""The plan as plain text for a terminal: what to work on first, why, and what to do."""
from __future__ import annotations

from .plan import Plan
from ..write.shares import percent
from .views import EMPTY


def funnel_sentence(f: dict) -> str:
    applied, r = f["reached"]["applied"], f["reached"]
    parts = [f"{applied} application{'s' if applied != 1 else ''} sent"]
    for stage, words in (("screen", "reached screening or further"), ("interview", "reached an interview"),
                         ("offer", "led to an offer")):
        share = percent(r[stage], applied)
        parts.append(f"{r[stage]} {words}" + (f" ({share})" if share else ""))
    waiting = f["waiting"]
    tail = (f"{waiting} {'is' if waiting == 1 else 'are'} still waiting for an answer."
            if waiting else "None is waiting for an answer right now.")
    return "; ".join(parts) + ". " + tail


def plan_text(plan: Plan) -> str:
    f = plan.funnel
    if f["applications"] == 0:
        return EMPTY
    out = ["Your plan", "=========", "", funnel_sentence(f)]
    if plan.rejections == 0:
        out += ["", "No rejections filed yet, so there is nothing to plan around. That is good news; keep going."]
    elif not plan.areas:
        out += ["", f"None of your {plan.rejections} rejection{'s' if plan.rejections != 1 else ''} named a specific "
                "gap. That is common, and not a verdict on you. Asking for feedback is the best next step: "
                "'gapfinder reply ID' drafts a polite request."]
    for i, area in enumerate(plan.areas, 1):
        share = f", {area.share}" if area.share else ""
        out += ["", f"{i}. {area.title}: named in {area.count} of {area.of} rejection"
                    f"{'s' if area.of != 1 else ''}{share}, most recently on {area.last_seen}."]
        for q in area.quotes[:3]:
            out.append(f"     \"{q.text}\"  ({q.company}, {q.date})")
        out.append("   What to do:")
        out += [f"   - {a}" for a in area.actions[:4]]
        active = [g for g in area.goals if g["status"] == "active"]
        done = [g for g in area.goals if g["status"] == "done"]
        if active:
            for g in active:
                out.append(f"   Goal {g['id']}: {g['title']} (set {g['set_on']}, {len(g['logs'])} progress "
                           f"entr{'y' if len(g['logs']) == 1 else 'ies'}).")
        elif not done:
            out.append(f"   Suggested goal: {area.proposed_goal}  ->  gapfinder goal set {area.label} "
                       f"\"{area.proposed_goal}\"")
        for g in done:
            out.append(f"   Goal done on {g['done_on']}: {g['title']}.")
        if area.recurred_after_done:
            seen = ", ".join(f"{r['company']} ({r['date']})" for r in area.recurred_after_done)
            out.append(f"   It came up again after its goal was marked done: {seen}. That happens; it may need "
                       "a different angle, not more of the same.")
        if done and not area.recurred_after_done:
            out.append("   It has not come up again since the goal was done.")
        out += [f"   Note: {n}" for n in area.notes]
    if plan.no_reason and plan.areas:
        asked = (f"You have asked for feedback {plan.feedback_requests_sent} time"
                 f"{'s' if plan.feedback_requests_sent != 1 else ''}: well done." if plan.feedback_requests_sent else
                 "Asking politely for feedback often gets a useful answer: 'gapfinder reply ID' drafts the email.")
        out += ["", f"{plan.no_reason} rejection{'s' if plan.no_reason != 1 else ''} gave no specific reason. {asked}"]
    if plan.strengths:
        out += ["", "Strengths the feedback mentioned: " + ", ".join(
            f"{s['title']} ({s['count']})" for s in plan.strengths) + "."]
    if plan.small_wins:
        out += ["", "Small wins:"] + [f"  - {w}" for w in plan.small_wins[:6]]
    out += ["", plan.this_week["message"], "", "Next steps:"] + [f"  - {s}" for s in plan.next_steps]
    return "\n".join(out) + "\n"

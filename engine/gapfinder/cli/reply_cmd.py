"""gapfinder reply: a gracious reply (or a feedback request) to a rejection in the journal."""
from __future__ import annotations

import click

from .common import debug_option, friendly_errors
from .journal_options import journal_option, open_journal


@click.command()
@click.argument("application_id")
@click.option("--rejection", "rejection_id", default=None, help="Which rejection [default: the latest].")
@click.option("--name", "your_name", default="", help="Your name, to sign the draft with.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the draft to FILE.")
@click.option("--sent", is_flag=True, help="Log that you sent it (gapfinder never sends anything).")
@click.option("--sent-text", type=click.Path(exists=True, dir_okay=False), default=None,
              help="With --sent: the text you actually sent, if you changed the draft.")
@click.option("--date", "sent_on", metavar="DATE", help="With --sent: when you sent it [default: today].")
@journal_option
@debug_option
@friendly_errors
def reply(application_id, rejection_id, your_name, output, sent, sent_text, sent_on, journal_file, debug):
    """Draft a reply to a rejection: thanks, acceptance, the door kept open.

    When the rejection gave no reason, the draft asks politely for feedback; when it named
    gaps, it may ask one specific question about them. The draft is printed (or written to
    FILE) for you to edit and send yourself; nothing is stored until you say it was sent.

    \b
    Examples:
      gapfinder reply 3 --name "Sam Lee"
      gapfinder reply 3 -o reply.txt
      gapfinder reply 3 --sent                 # after sending it yourself
    """
    from ..journal.analysing import shared_engine
    from ..journal.drafts import build_draft, log_sent
    from ..journal.topics import area_terms, other_terms

    if sent_text and not sent:
        raise click.UsageError("--sent-text goes with --sent")
    with open_journal(journal_file, create=sent) as j:
        rules = shared_engine().rules
        terms = lambda label: (area_terms(rules, label), other_terms(rules, label))  # noqa: E731
        draft = build_draft(j, application_id, rejection_id, your_name, terms)
        if sent:
            text = open(sent_text, encoding="utf-8").read() if sent_text else None
            log_sent(j, draft, sent_on, text)
            what = "feedback request" if draft.kind == "feedback_request" else "reply"
            click.echo(f"Logged: you sent a {what} for application {draft.application_id}. Well done for "
                       "following up; it is a step many people skip.")
            return
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(draft.as_text())
        click.echo(f"Wrote the draft to {output}. Edit it as you like, send it yourself, then run "
                   f"'gapfinder reply {draft.application_id} --sent'.", err=True)
    else:
        click.echo(draft.as_text(), nl=False)

"""Rejections in: text, .eml, batch results; matching emails to applications; idempotence."""
import pytest

from gapfinder.errors import InputError
from gapfinder.journal import add_application, applications, events, rejections
from gapfinder.journal.events import reached
from gapfinder.journal.intake import file_batch_record, reject_input, reject_text
from gapfinder.journal.matching import EmailFacts, best_match, company_key, domain_key, proposed_application

from .conftest import ELIGIBILITY_TEXT, NO_REASON_TEXT, RESUME_TEXT

EML = (b"From: Acme Talent Team <talent@acme.com>\nTo: sam@example.org\nSubject: Your application for "
       b"Data Analyst\nMessage-ID: <r1@acme.com>\nDate: Mon, 02 Mar 2026 10:00:00 +0000\n"
       b"Content-Type: text/plain; charset=utf-8\n\n" + RESUME_TEXT.encode() + b"\n")


def test_rejection_from_text_stores_analysis_offsets_and_model_version(journal):
    app = add_application(journal, "Acme", "Analyst", "2026-03-01")
    r = reject_text(journal, app.id, RESUME_TEXT, received_on="2026-03-09")
    assert r.gap_labels == ["resume"] and r.model_version.startswith("default ")
    ev = r.analysis["gaps"][0]["evidence"][0]
    assert r.text[ev["start"]:ev["end"]] == ev["text"] and "typos" in ev["text"]
    assert [e.status for e in events(journal, app.id)] == ["applied", "rejected"]
    assert events(journal, app.id)[-1].event_date == "2026-03-09"


def test_eml_takes_its_date_and_is_filed_once(journal):
    app = add_application(journal, "Acme", "Data Analyst", "2026-02-20")
    first, new = reject_input(journal, app.id, EML, "r1.eml")
    assert new and first.received_on == "2026-03-02" and first.subject.startswith("Your application")
    again, new_again = reject_input(journal, app.id, EML, "copy.eml")
    assert again is None and not new_again and len(rejections(journal)) == 1


def test_empty_or_binary_input_is_refused_before_anything_is_stored(journal):
    app = add_application(journal, "Acme")
    for data in (b"   \n", b"\x00\x01binary"):
        with pytest.raises(InputError):
            reject_input(journal, app.id, data, "x.txt")
    assert rejections(journal) == [] and len(events(journal)) == 1


def test_matching_by_domain_company_and_role():
    from gapfinder.journal.records import Application

    apps = [Application(1, "u1", "Acme Analytics Ltd", "Data Analyst", "2026-01-01"),
            Application(2, "u2", "Beta", "Nurse", "2026-01-02", contact_email="hr@beta-health.org")]
    assert company_key("Acme Analytics Ltd.") == "acmeanalytics" and domain_key("careers.acme.co.uk") == "acme"
    assert best_match(apps, EmailFacts.of("Jobs <jobs@acmeanalytics.com>", "Update")).application.id == 1
    assert best_match(apps, EmailFacts.of("hr@beta-health.org", "Hi")).application.id == 2
    via_ats = EmailFacts.of("Acme Analytics via Greenhouse <no-reply@greenhouse.io>", "Your Data Analyst application")
    assert best_match(apps, via_ats).application.id == 1
    assert best_match(apps, EmailFacts.of("someone@gmail.com", "Hello")).application is None


def test_a_new_application_is_proposed_only_from_the_email():
    facts = EmailFacts.of("Talent <talent@acme.com>", "Your application for Data Analyst at Acme Corp")
    assert proposed_application(facts) == ("Acme Corp", "Data Analyst")
    assert proposed_application(EmailFacts.of("jobs@globex.io", "Thanks")) == ("Globex", "")
    assert proposed_application(EmailFacts.of("Jane Smith <jane@gmail.com>", "Thanks")) == ("Unknown company", "")


def _record(engine, text, **meta):
    result = engine.analyze(text).to_dict(include_text=True)
    return {"id": meta.get("message_id"), "source": "box.mbox#1", **meta, **result}


def test_batch_records_are_matched_created_and_idempotent(journal, engine):
    acme = add_application(journal, "Acme", "Data Analyst", "2026-02-20")
    add_application(journal, "Beta", "Nurse", "2026-02-21")
    recs = [_record(engine, RESUME_TEXT, message_id="<a@acme.com>", **{"from": "talent@acme.com"},
                    subject="Data Analyst", date="Mon, 02 Mar 2026 10:00:00 +0000"),
            _record(engine, ELIGIBILITY_TEXT, message_id="<c@care.org>", **{"from": "Care Team <hr@carehome.org>"},
                    subject="Your application for Staff Nurse", date=None),
            _record(engine, "Please find attached our newsletter about gardening.", message_id="<n@x.org>",
                    **{"from": "news@x.org"}, subject="News", date=None)]
    first = [file_batch_record(journal, r, "default test") for r in recs]
    assert [f.status for f in first] == ["filed", "filed", "not_rejection"]
    assert first[0].application_id == acme.id and not first[0].created
    assert first[1].created and applications(journal)[-1].company == "Carehome"
    assert applications(journal)[-1].role == "Staff Nurse"
    again = [file_batch_record(journal, r, "default test") for r in recs[:2]]
    assert [f.status for f in again] == ["already", "already"] and len(rejections(journal)) == 2
    assert reached(events(journal, first[1].application_id)) == {"applied"}


def test_error_records_are_not_filed(journal):
    assert file_batch_record(journal, {"id": "x", "source": "a.eml", "error": "truncated"}, "v").status == "error"
    assert NO_REASON_TEXT  # the no-reason text is used by the drafts tests

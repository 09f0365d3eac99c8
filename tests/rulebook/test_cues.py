"""Cues change meaning: praise, negation, hedging, contrast, quotes and signatures (rules only)."""
import pytest


def decisions(analysis, label):
    return [d for d in analysis.decisions if d.label == label]


def test_praise_beside_criticism(rules_engine):
    a = rules_engine.analyze(
        "Your technical skills were excellent, but we felt your answers were hard to follow."
    )
    assert a.labels == ["interview"]
    assert [s.label for s in a.strengths] == ["technical"]
    assert a.strengths[0].evidence[0].cues == ["praise:excellent"]


def test_negated_mention_is_not_a_gap_and_records_the_cue(rules_engine):
    a = rules_engine.analyze("To be clear, your CV wasn't the problem at all.")
    assert a.labels == []
    (d,) = decisions(a, "resume")
    assert d.decision == "not_a_gap" and "non_issue:not the problem" in d.cues


def test_negation_of_a_positive_is_a_gap(rules_engine):
    a = rules_engine.analyze("Your answers weren't very clear when we asked about the rota.")
    assert "interview" in a.labels
    assert any(c.startswith("deficit:not") for c in a.gaps[0].evidence[0].cues)


def test_hedged_advice_is_a_gap_and_says_so(rules_engine):
    a = rules_engine.analyze("You might want to brush up on system design before your next loop.")
    assert a.labels == ["technical"]
    assert "hedge:might want to" in a.gaps[0].evidence[0].cues


def test_cue_goes_to_the_nearest_area(rules_engine):
    a = rules_engine.analyze("We loved your portfolio and felt your answers lacked structure.")
    assert a.labels == ["interview"]
    assert [s.label for s in a.strengths] == ["resume"]


def test_required_years_are_eligibility(rules_engine):
    a = rules_engine.analyze("For this post we need someone with 5+ years in payments operations.")
    assert a.labels == ["eligibility"]


@pytest.mark.parametrize("text", [
    "We have decided to move forward with other candidates whose experience more closely matched our needs.",
    "The position has been filled internally. We wish you every success.",
    "Thank you for applying. We received a very high number of applications and will not be progressing yours.",
])
def test_generic_rejections_have_no_gap(rules_engine, text):
    a = rules_engine.analyze(text)
    assert a.labels == [] and a.specific is False
    assert "no_gap" in a.actions


def test_quoted_candidate_message_does_not_count(rules_engine):
    text = (
        "Hi Sam,\n\nThanks for your note. We have filled the role, but please apply again.\n\n"
        "On Tue, 3 Mar 2026 at 09:12, Sam Lee <sam@example.com> wrote:\n"
        "> I worry my CV had typos and my answers lacked structure.\n"
        "> Could you tell me what to improve?\n"
    )
    a = rules_engine.analyze(text)
    assert a.labels == []
    assert any(r["reason"] == "quote" for r in a.ignored)


def test_evidence_offsets_point_into_the_text(rules_engine):
    text = "Hello,\nSadly your cover letter was generic and had typos.\nRegards"
    a = rules_engine.analyze(text)
    ev = a.gaps[0].evidence[0]
    assert text[ev.start:ev.end] == ev.text == "Sadly your cover letter was generic and had typos."


@pytest.mark.parametrize("text", [
    "We were looking for someone with stronger SQL.",
    "We chose candidates with more hands-on AWS experience.",
])
def test_a_comparison_that_names_the_area_is_a_gap(rules_engine, text):
    assert rules_engine.analyze(text).labels == ["technical"]


def test_a_comparison_that_names_no_area_is_no_gap(rules_engine):
    # the contract's rule 4: "more closely matched our needs" with nothing specific is no gap
    assert rules_engine.analyze("We were looking for someone with more experience.").labels == []


@pytest.mark.parametrize("text", [
    "I asked about the salary band and was told it wouldn't be a problem.",
    "They said my notice period would not be an issue.",
    "Fully remote working is fine for this role.",
])
def test_a_reassurance_about_a_requirement_is_no_gap(rules_engine, text):
    a = rules_engine.analyze(text)
    assert "eligibility" not in a.labels
    assert any(d.decision == "not_a_gap" for d in decisions(a, "eligibility"))


@pytest.mark.parametrize("text, label", [
    ("We need someone with more managerial experience for this post.", "eligibility"),
    ("Sadly the firm does not hire people without a degree.", "eligibility"),
    ("The hiring manager felt your age was a problem for the team.", "eligibility"),
    ("She brought up salary within the first five minutes.", "interview"),
    ("He never made eye contact and the answers were all about me, me, me.", "interview"),
    ("Sadly we can't waive the two-year rule for this post.", "eligibility"),
    ("Management experience (yrs): 2 (req. 4+)", "eligibility"),
    ("Excel assessment 38%. Pass mark 65%.", "technical"),
    ("You do not have a work permit for the UK.", "eligibility"),
    ("They would never get the security clearance the post needs.", "eligibility"),
    ("Honestly, I went to the interview under-prepared.", "interview"),
    ("The team felt your solution wasn't up to the level we expect.", "technical"),
])
def test_real_register_phrasings_are_gaps(rules_engine, text, label):
    assert label in rules_engine.analyze(text).labels


@pytest.mark.parametrize("text", [
    "The candidate failed to answer basic technical questions.",
    "She could not answer the questions on system design.",
])
def test_an_answer_about_a_skill_is_about_the_skill(rules_engine, text):
    # "answer" is a generic interview topic ([generic] in cues.rules): when a skill is what
    # the answer was about, the deficit belongs to the skill
    assert rules_engine.analyze(text).labels == ["technical"]


def test_a_generic_area_keeps_its_own_cue_when_the_skill_comes_later(rules_engine):
    a = rules_engine.analyze("Your answers were vague and you lacked depth in SQL.")
    assert a.labels == ["interview", "technical"]


def test_an_acknowledgement_quoting_what_applicants_need_is_no_gap(rules_engine):
    a = rules_engine.analyze("Thank you, we have received your application for the staff nurse role. "
                             "Applicants must hold an active RN licence.")
    assert a.labels == []
    assert any(d.decision == "not_a_gap" for d in decisions(a, "eligibility"))


def test_a_rejection_that_names_what_applicants_need_is_a_gap(rules_engine):
    a = rules_engine.analyze("Unfortunately we will not be taking your application further. "
                             "Applicants must hold an active RN licence.")
    assert a.labels == ["eligibility"]


def test_as_well_as_is_no_praise(rules_engine):
    # the lemma table reads "well" as "good"; [neutral] in cues.rules keeps it silent here
    a = rules_engine.analyze("Your SQL was weak, as well as your Python.")
    assert a.labels == ["technical"] and a.strengths == []
    (d,) = decisions(a, "technical")
    assert not any(c.startswith("praise:") for c in d.cues)


@pytest.mark.parametrize("text", [
    "A concrete example: one person could not get it through their head.",
    "The test was a mix of multiple choice and fill in the blank questions.",
    "Since your application arrived later, others had already been invited.",
    "Of course they lacked the time to reply.",  # "course" is no training course here
    "It really bugged me that nobody called back.",  # annoyance, not bugs in code
])
def test_words_used_in_passing_name_no_area(rules_engine, text):
    assert rules_engine.analyze(text).labels == []


def test_arriving_late_is_still_an_interview_gap(rules_engine):
    assert rules_engine.analyze("She arrived late for the interview and seemed flustered.").labels == ["interview"]


def test_an_area_inside_a_longer_one_is_not_named_alone(rules_engine):
    # "security" (technical) inside "security clearance" (eligibility)
    a = rules_engine.analyze("You need security clearance for this job.")
    assert a.labels == ["eligibility"]
    assert all(d.label != "technical" for d in a.decisions)


@pytest.mark.parametrize("text, label", [
    ("Your understanding of double-entry bookkeeping was shaky.", "technical"),
    ("Your grasp of our competitors was shaky.", "industry"),
    ("Your cannulation technique needs more practice.", "technical"),
])
def test_knowledge_frames_and_practice_still_needed(rules_engine, text, label):
    assert rules_engine.analyze(text).labels == [label]


@pytest.mark.parametrize("text, label", [
    ("He did not know the answer to the question on indexes.", "technical"),
    ('Her answer to the first question was: "no idea".', "technical"),
    ("We went with a candidate who has more direct experience in the retail industry.", "industry"),
    ("We went with a candidate who had more hands-on experience with Terraform.", "technical"),
])
def test_knowledge_against_delivery_and_sector_against_skill(rules_engine, text, label):
    assert rules_engine.analyze(text).labels == [label]

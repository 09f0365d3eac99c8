"""Which area + deficit gaps count as said plainly of the candidate (rules only)."""


def gap_decisions(analysis, label):
    return [d for d in analysis.decisions if d.label == label and d.decision == "gap"]


def test_a_verdict_on_the_reader_is_plain(rules_engine):
    (d,) = gap_decisions(rules_engine.analyze("Your SQL skills were below our bar."), "technical")
    assert "context:said plainly of the candidate" in d.cues


def test_a_story_in_the_first_person_is_not_plain(rules_engine):
    a = rules_engine.analyze("I think my SQL skills were below their bar.")
    (d,) = gap_decisions(a, "technical")
    assert "context:told in the first person" in d.cues
    assert "context:said plainly of the candidate" not in d.cues


def test_an_occasion_is_not_an_ability(rules_engine):
    a = rules_engine.analyze("The interview was too short.")
    assert gap_decisions(a, "interview")
    for d in gap_decisions(a, "interview"):
        assert "context:said plainly of the candidate" not in d.cues


def test_praise_on_the_same_area_is_not_plain():
    from gapfinder.rulebook.cues import RuleHit, plainly_stated

    mixed = RuleHit(0, "technical", "gap", "technical.topic:sql", "topic+deficit", ["praise:good", "deficit:weak"])
    phrase = RuleHit(1, "interview", "gap", "interview.gap:lacked structure", "phrase", [])
    (a, b) = plainly_stated([mixed, phrase], first_person=set(), events=set())
    assert not a.plain and not b.plain   # praise on the area; a gap phrase is trusted another way


def test_an_older_rules_folder_without_event_cues_still_loads(tmp_path):
    import shutil

    import gapfinder
    from gapfinder.rulebook.rules import default_rules_dir

    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    cues = folder / "cues.rules"
    text = cues.read_text(encoding="utf-8")
    cues.write_text(text[: text.index("\n[event]\n")], encoding="utf-8")
    engine = gapfinder.load(rules_path=folder, use_model=False)
    assert engine.analyzer.events == set()


def test_a_condition_is_not_a_finding(rules_engine):
    a = rules_engine.analyze("If your SQL skills are below our bar, we will offer training.")
    assert gap_decisions(a, "technical")
    for d in gap_decisions(a, "technical"):
        assert "context:said as a condition" in d.cues
        assert "context:said plainly of the candidate" not in d.cues

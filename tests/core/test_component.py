"""The spaCy components, used the way another app would use them."""
import spacy

import gapfinder.core.component  # noqa: F401  (registers the factories in a bare checkout)


def test_add_pipe_to_a_blank_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("gapfinder")
    doc = nlp("Thanks for coming in. Your cover letter was generic, but your portfolio was superb.")
    analysis = doc._.gapfinder
    assert analysis.labels == ["resume"]
    assert set(doc.cats) == {"resume", "technical", "interview", "industry", "eligibility"}
    assert doc.cats["resume"] > 0.5
    (span,) = doc.spans["gapfinder_gaps"]
    assert span.label_ == "resume" and span.text == "Your cover letter was generic, but your portfolio was superb."


def test_component_config_rules_only_and_sentencizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("gapfinder_sentencizer")
    nlp.add_pipe("gapfinder", config={"use_model": False})
    doc = nlp("Hi Ana,\nYou might want to brush up on Excel.\nBest,\nJo")
    assert [s.text.strip() for s in doc.sents] == ["Hi Ana,", "You might want to brush up on Excel.", "Best,", "Jo"]
    assert doc._.gapfinder.labels == ["technical"]


def test_entry_point_is_declared():
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="spacy_factories")}
    assert {"gapfinder", "gapfinder_sentencizer"} <= names

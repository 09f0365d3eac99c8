"""gapfinder as spaCy pipeline components, for use in anyone's pipeline.

    nlp = spacy.blank("en")            # or any English pipeline
    nlp.add_pipe("gapfinder")          # found through the spacy_factories entry point
    doc = nlp("Your answers lacked structure.")
    doc._.gapfinder                    # the Analysis (gaps, strengths, evidence, actions)
    doc.cats                           # {"resume": 0.02, ..., "interview": 0.97, ...}
    doc.spans["gapfinder_gaps"]        # evidence sentences, span.label_ = the gap label
    doc.spans["gapfinder_strengths"]   # praised sentences, span.label_ = the area

The component reads only the Doc's text and tokens: it does its own sentence splitting and
lemma lookup, so it gives the same answer whatever else the pipeline runs. Use
"gapfinder_sentencizer" to give a pipeline the same email-aware sentence boundaries.
"""
from __future__ import annotations

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..text.sentences import sentence_spans

EXTENSION = "gapfinder"


@Language.factory(
    "gapfinder",
    default_config={"model": None, "rules": None, "use_model": True, "mode": "combined"},
)
def make_gapfinder(nlp: Language, name: str, model: str | None, rules: str | None, use_model: bool, mode: str):
    return GapfinderComponent(nlp, name, model=model, rules=rules, use_model=use_model, mode=mode)


class GapfinderComponent:
    """Adds gaps, strengths and evidence to each Doc."""

    def __init__(self, nlp: Language, name: str = "gapfinder", model=None, rules=None,
                 use_model: bool = True, mode: str = "combined"):
        from .analyzer import Analyzer
        from .model import load_model
        from ..rulebook.rules import load_rules

        self.name = name
        loaded = load_model(model) if use_model else None
        self.analyzer = Analyzer(nlp, load_rules(rules), loaded)
        self.mode = mode if loaded is not None else "rules"
        if not Doc.has_extension(EXTENSION):
            Doc.set_extension(EXTENSION, default=None)

    def __call__(self, doc: Doc) -> Doc:
        analysis = self.analyzer.decide(self.analyzer.signals(doc), None, self.mode)
        doc._.set(EXTENSION, analysis)
        doc.cats.update(analysis.scores)
        doc.spans["gapfinder_gaps"] = _spans(doc, analysis.gaps)
        doc.spans["gapfinder_strengths"] = _spans(doc, analysis.strengths)
        return doc


def _spans(doc: Doc, findings) -> list:
    out = []
    for finding in findings:
        for ev in finding.evidence:
            span = doc.char_span(ev.start, ev.end, label=finding.label, alignment_mode="expand")
            if span is not None:
                out.append(span)
    return out


@Language.factory("gapfinder_sentencizer")
def make_sentencizer(nlp: Language, name: str):
    return EmailSentencizer()


class EmailSentencizer:
    """Sentence boundaries for emails and notes: line breaks, bullets, greetings, scorecards."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = doc.to_array("IDX").astype(np.int64)
        flags = np.full(len(doc), -1, dtype=np.int64)
        flags[0] = 1
        for s, _ in sentence_spans(doc.text):
            i = int(np.searchsorted(starts, s))
            if i < len(doc):
                flags[i] = 1
        doc.from_array([SENT_START], flags.astype(np.uint64).reshape(-1, 1))
        return doc

"""The core: from a tokenised Doc to gaps, strengths and evidence, with rules and model.

Works from arrays (LOWER, IDX, IS_ALPHA) and (rule, start, end) tuples; the Doc is only read.
`signals()` computes what both the rules and the model see; `decide()` turns signals into an
Analysis in one of four modes: "combined" (the default: rules and model sentence by sentence,
then the model's document stage when it has one), "sentences" (the same without the document
stage, for ablation), "model" only or "rules" only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import IDX, IS_ALPHA, IS_SPACE, LOWER

from .analysis import Analysis, Decision, Evidence, Finding
from ..text.arrays import member, sorted_keys
from ..rulebook.cues import RuleHit, RuleRef, decide as decide_rules, outside_rejection, plainly_stated
from ..text.features import sentence_features
from ..labels import LABELS
from ..text.lemmas import LemmaTable, english_forms
from ..text.matcher import HashPhraseMatcher
from .document_stage import document_features
from .model import RULE_SIGNALS, GapModel
from ..read.quoted_reply import excluded_ranges
from ..rulebook.rules import RuleSet
from ..text.sentences import sentence_spans

RULE_CONFIDENCE = {"phrase": 0.9, "pattern": 0.9}
TOPIC_RULE_CONFIDENCE = 0.75
HEDGE_DISCOUNT = 0.1
STRENGTH_CONFIDENCE = 0.8
MAX_EVIDENCE = 3
# The least sentence-stage confidence an evidence sentence needs when the document stage decides.
# The document stage decides texts of at least MIN_STAGE_SENTENCES sentences: in a text of one
# sentence there is nothing beyond that sentence to read, and one-line texts were 6% of what
# it learnt from (issue 9's plain statements lost 4 of their 50 gaps to it without this).
MIN_STAGE_SENTENCES = 2
MIN_EVIDENCE_CONFIDENCE = 0.05
N_FEATURES = 2**17
# Words of a sentence told in the first person (a write-up's story, not a verdict on the reader).
FIRST_PERSON_WORDS = ("i", "my", "me", "mine", "myself")
# Words that make a sentence speak of the candidate (to them, or by them in a reflection).
PERSONAL_WORDS = ("you", "your", "yours", "yourself") + FIRST_PERSON_WORDS
# Words of a sentence that states a condition, not a finding ("if you cannot come to the office").
CONDITION_WORDS = ("if", "unless")
MIN_WORDS_FOR_LANGUAGE = 20
MIN_ENGLISH_STOPWORD_SHARE = 0.12
NON_SPACE_LETTERS = re.compile(r"[^\W\d_]")
LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f]")


@dataclass
class Signals:
    """What the rules and the model see in one text (plain data, no Doc)."""

    text: str
    spans: list[tuple[int, int]]            # included sentences, character offsets
    ignored: list[dict]
    cols: np.ndarray                        # hashed feature columns
    rows: np.ndarray                        # sentence index of each feature
    hits: list[RuleHit]
    rule_signals: np.ndarray                # (n_sentences, n_labels, len(RULE_SIGNALS))
    language: str = "en"
    rejection: bool = False
    clause_cols: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    clause_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    clause_sentence: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    logits: np.ndarray | None = field(default=None, repr=False)


class Analyzer:
    """Holds compiled rules, the lemma table and the model; analyses Docs."""

    def __init__(self, nlp, rules: RuleSet, model: GapModel | None):
        self.rules = rules
        self.model = model
        strings = nlp.vocab.strings
        if model is not None and model.lemma_keys is not None:
            self.lemmas = LemmaTable(model.lemma_keys, model.lemma_values)
        else:
            self.lemmas = LemmaTable.from_forms(english_forms())
        self.refs: list[RuleRef] = []
        self._seen: set = set()
        self.matcher = HashPhraseMatcher()
        entries = [
            (RuleRef(group, label, phrase.rule_id), phrase.text)
            for section, phrases in rules.phrases.items()
            for label, _, group in [section.partition(".")]
            for phrase in phrases
        ]
        entries += [(RuleRef(kind, "", p.rule_id), p.text) for kind, phrases in rules.cues.items()
                    if kind not in ("event", "generic") for p in phrases]
        # Topic phrases that name an occasion ("the interview", "the panel"), not an ability.
        self.events = {p.text.lower() for p in rules.cues.get("event", [])}
        # Topic phrases so broad that a cue beside them belongs to a more specific area named
        # in the same clause ("couldn't answer the SQL questions" speaks of SQL).
        self.generic = frozenset(p.text.lower() for p in rules.cues.get("generic", []))
        for (ref, _), hashes in zip(entries, self._phrase_lemmas(nlp, [text for _, text in entries])):
            self._add_phrase(ref, hashes)
        self.patterns = [
            (regex, RuleRef("pattern", label, phrase.rule_id))
            for label, items in rules.patterns.items()
            for regex, phrase in items
        ]
        self.negators = sorted_keys(strings.add(w) for w in ("not", "no", "never", "without", "n't"))
        self.clause_marks = sorted_keys([strings.add(";")])
        self.personal = sorted_keys(strings.add(w) for w in PERSONAL_WORDS)
        self.first_person = sorted_keys(strings.add(w) for w in FIRST_PERSON_WORDS)
        self.conditions = sorted_keys(strings.add(w) for w in CONDITION_WORDS)
        self.dashes = sorted_keys(strings.add(w) for w in ("\u2013", "\u2014", "\u2012", "\u2015", "--"))
        self.hyphen = np.uint64(strings.add("-"))
        from spacy.lang.en.stop_words import STOP_WORDS

        self.stopwords = sorted_keys(strings.add(w) for w in STOP_WORDS)
        self.n_features = model.n_features if model else N_FEATURES

    def _phrase_lemmas(self, nlp, texts: list[str]) -> list[tuple[int, ...]]:
        """Lemma hashes of many phrases, as the tokenizer would split them.

        A purely alphabetic word that is no tokenizer special case is always one token, so
        its hash is computed directly; every other word goes through the tokenizer once.
        (This keeps start-up short: most of the ~2,000 phrases are plain words.)
        """
        from spacy.strings import get_string_id

        specials = {key.lower() for key in nlp.tokenizer.rules or {}}
        words = {w for text in texts for w in text.split()}
        complex_words = sorted(w for w in words if not w.isalpha() or w.lower() in specials)
        lowers: dict[str, list[int]] = {
            w: [get_string_id(w.lower())] for w in words if w.isalpha() and w.lower() not in specials
        }
        if complex_words:
            doc = nlp.make_doc("\n".join(complex_words))
            arr = doc.to_array([LOWER, IDX, IS_SPACE])
            pos = 0
            bounds = []
            for w in complex_words:
                bounds.append((pos, pos + len(w)))
                pos += len(w) + 1
            i = 0
            for w, (a, b) in zip(complex_words, bounds):
                hashes = []
                while i < len(arr) and arr[i, 1] < b:
                    if arr[i, 1] >= a and not arr[i, 2]:
                        hashes.append(int(arr[i, 0]))
                    i += 1
                lowers[w] = hashes
        out = []
        for text in texts:
            seq = [h for w in text.split() for h in lowers[w]]
            lemmas = self.lemmas.lemmatize(np.array(seq, dtype=np.uint64)) if seq else []
            out.append(tuple(int(h) for h in lemmas))
        return out

    def _add_phrase(self, ref: RuleRef, hashes: tuple[int, ...]) -> None:
        """Register a phrase by its lemmas; a second spelling of the same lemmas adds nothing."""
        key = (ref.group, ref.label, hashes)
        if key in self._seen:
            return
        self._seen.add(key)
        self.refs.append(ref)
        self.matcher.add(hashes, len(self.refs) - 1)

    # -- signals -----------------------------------------------------------------------
    def signals(self, doc, text: str | None = None) -> Signals:
        """Sentences, features and rule decisions of one Doc (pass `text` when it is at hand:
        rebuilding doc.text walks every token in Python)."""
        text = doc.text if text is None else text
        arr = doc.to_array([LOWER, IDX, IS_ALPHA])
        lowers, starts = arr[:, 0], arr[:, 1].astype(np.int64)
        # One dash for all: no verdict may turn on hyphen, en dash or em dash.
        lowers = np.where(member(lowers, self.dashes), self.hyphen, lowers)
        lemmas = self.lemmas.lemmatize(lowers)
        excluded = excluded_ranges(text)
        spans, ignored = [], [{"start": a, "end": b, "reason": why} for a, b, why in excluded]
        for s, e in sentence_spans(text):
            if not any(a <= s < b for a, b, _ in excluded):
                spans.append((s, e))
        language = self._language(lowers, arr[:, 2], text)
        n = len(spans)
        sent_starts = np.array([s for s, _ in spans], dtype=np.int64)
        sent_ends = np.array([e for _, e in spans], dtype=np.int64)
        tok_bounds = list(
            zip(np.searchsorted(starts, sent_starts).tolist(), np.searchsorted(starts, sent_ends).tolist())
        )
        sent_ids = np.searchsorted(sent_starts, starts, side="right") - 1
        if n:
            valid = (sent_ids >= 0) & (starts < sent_ends[np.clip(sent_ids, 0, n - 1)])
            sent_ids = np.where(valid, sent_ids, -1)
        else:
            sent_ids = np.full(len(starts), -1)
        cols, rows = sentence_features(lemmas, sent_ids, self.negators, self.n_features)
        matches = [(self.refs[key], a, b) for key, a, b in self.matcher(lemmas)]
        for regex, ref in self.patterns:
            for m in regex.finditer(text):
                a = int(np.searchsorted(starts, m.start(), side="right")) - 1
                b = int(np.searchsorted(starts, m.end()))
                matches.append((ref, max(a, 0), max(b, a + 1)))
        breaks = np.flatnonzero(member(lowers, self.clause_marks)).tolist()
        hits = decide_rules(tok_bounds, matches, breaks, self.generic)
        in_sentences = sent_ids >= 0
        rejection = any(ref.group == "rejection" and in_sentences[a] for ref, a, _ in matches)
        personal_rows = sent_ids[member(lowers, self.personal) & in_sentences]
        advert = any(ref.group == "advert" and in_sentences[a] for ref, a, _ in matches)
        hits = outside_rejection(hits, rejection, advert, set(personal_rows.tolist()))
        first_rows = sent_ids[member(lowers, self.first_person) & in_sentences]
        condition_rows = sent_ids[member(lowers, self.conditions) & in_sentences]
        hits = plainly_stated(hits, set(first_rows.tolist()), self.events, set(condition_rows.tolist()))
        rule_signals = self._rule_signals(hits, n, matches, sent_ids)
        cuts = set(breaks) | {a for ref, a, _ in matches if ref.group == "contrast"}
        ccols, crows, cmap = self._clause_features(lemmas, sent_ids, tok_bounds, cuts)
        return Signals(text, spans, ignored, cols, rows, hits, rule_signals, language, rejection,
                       ccols, crows, cmap)

    def _clause_features(self, lemmas, sent_ids, tok_bounds, cuts):
        """Features of the clauses of sentences cut by a contrast cue or ";", so that a
        sentence carrying two gaps is also scored clause by clause (the model takes the max)."""
        empty = np.zeros(0, dtype=np.int64)
        flags = np.zeros(len(lemmas), dtype=bool)
        multi = np.zeros(len(lemmas), dtype=bool)
        for a, b in tok_bounds:
            inner = [c for c in cuts if a < c < b]
            if inner:
                flags[a] = True
                flags[inner] = True
                multi[a:b] = True
        if not multi.any():
            return empty, empty, empty
        clause_ids = np.cumsum(flags) - 1
        clause_ids = np.where(multi & (sent_ids >= 0), clause_ids, -1)
        starts = np.flatnonzero(flags)
        cols, rows = sentence_features(lemmas, clause_ids, self.negators, self.n_features)
        return cols, rows, sent_ids[starts].astype(np.int64)

    def _language(self, lowers: np.ndarray, is_alpha: np.ndarray, text: str) -> str:
        """"en", or "unsupported" for text that is mostly in another script or has too few
        English function words to be English."""
        sample = text[:20_000]
        if not sample.isascii():  # ASCII text is Latin script; only look closer otherwise
            letters = len(NON_SPACE_LETTERS.findall(sample))
            if letters >= 10 and len(LATIN_LETTERS.findall(sample)) / letters < 0.5:
                return "unsupported"
        words = lowers[is_alpha.astype(bool)]
        if len(words) < MIN_WORDS_FOR_LANGUAGE:
            return "en"
        share = float(member(words, self.stopwords).mean())
        return "en" if share >= MIN_ENGLISH_STOPWORD_SHARE else "unsupported"

    @staticmethod
    def _rule_signals(hits: list[RuleHit], n_sentences: int, matches, sent_ids: np.ndarray) -> np.ndarray:
        """The rules' view of each (sentence, label), as the stacker's inputs."""
        out = np.zeros((n_sentences, len(LABELS), len(RULE_SIGNALS)))
        for ref, a, _ in matches:
            s = int(sent_ids[a]) if a < len(sent_ids) else -1
            if s < 0:
                continue
            if ref.group == "topic":
                out[s, LABELS.index(ref.label), 5] = 1
            elif ref.group == "deficit":
                out[s, :, 6] = 1
            elif ref.group == "praise":
                out[s, :, 7] = 1
        for hit in hits:
            j = LABELS.index(hit.label)
            if hit.decision == "gap":
                out[hit.sentence, j, 0 if hit.via in ("phrase", "pattern") else 1] = 1
                if hit.hedged:
                    out[hit.sentence, j, 2] = 1
            elif hit.decision == "not_a_gap":
                out[hit.sentence, j, 3] = 1
            else:
                out[hit.sentence, j, 4] = 1
        if n_sentences:
            out[:, :, 8] = out[:, :, :2].max(axis=(0, 2))[None, :]
        return out

    # -- decisions ---------------------------------------------------------------------
    def sentence_scores(self, sig: Signals, mode: str = "combined",
                        trusted: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
        """Per-sentence, per-label confidence and the thresholds that make a gap (`trusted`:
        trusted_gaps(sig, ...) when the caller already has it)."""
        n = len(sig.spans)
        if mode == "sentences":
            mode = "combined"
        if mode == "rules" or self.model is None:
            rs = sig.rule_signals
            probs = np.maximum(rs[:, :, 0] * 0.9, rs[:, :, 1] * TOPIC_RULE_CONFIDENCE)
            probs = np.where(probs > 0, probs - HEDGE_DISCOUNT * rs[:, :, 2], 0.0)
            return probs, {label: 0.5 for label in LABELS}
        if sig.logits is None:
            sig.logits = self.model.sentence_logits(sig.cols, sig.rows, n)
            if len(sig.clause_sentence):
                clauses = self.model.sentence_logits(sig.clause_cols, sig.clause_rows,
                                                     len(sig.clause_sentence))
                np.maximum.at(sig.logits, sig.clause_sentence, clauses)
        if mode == "model":
            return 1.0 / (1.0 + np.exp(-np.clip(sig.logits, -50, 50))), self.model.thresholds["model"]
        if trusted is None:
            trusted = trusted_gaps(sig, self.model.untrusted_topics)
        return self.model.combine(sig.logits, sig.rule_signals, trusted), self.model.thresholds["combined"]

    def decide(self, sig: Signals, doc_id: str | None = None, mode: str = "combined") -> Analysis:
        """Turn signals into gaps, strengths, evidence and the guide's actions."""
        text, spans = sig.text, sig.spans
        decisions = [
            Decision(h.label, h.decision, spans[h.sentence][0], spans[h.sentence][1], h.rule, h.via, h.cues)
            for h in sig.hits
        ]
        if sig.language != "en" or not spans:
            return self._analysis(doc_id, [], [], sig, decisions, {label: 0.0 for label in LABELS})
        sentence_mode = "combined" if mode == "sentences" else mode
        trusted = (trusted_gaps(sig, self.model.untrusted_topics)
                   if sentence_mode == "combined" and self.model is not None else None)
        probs, thresholds = self.sentence_scores(sig, sentence_mode, trusted)
        doc_scores, doc_thresholds = probs.max(axis=0), thresholds
        if (mode == "combined" and self.model is not None and self.model.stage is not None
                and len(spans) >= MIN_STAGE_SENTENCES):
            doc_thresholds = self.model.thresholds["document"]
            # A gap must point at a sentence that could state it: not one the rules read only as
            # praise of that area or as "not a gap", and one the sentence stage gives at least
            # MIN_EVIDENCE_CONFIDENCE. Else the stage, which reads the text as a whole, would
            # turn "Your CV was really strong." into a resume gap.
            rs = sig.rule_signals
            only_praise = ((rs[:, :, 3] > 0) | (rs[:, :, 4] > 0)) & (rs[:, :, 0] + rs[:, :, 1] == 0)
            possible = np.where(only_praise, 0.0, probs).max(axis=0) >= MIN_EVIDENCE_CONFIDENCE
            doc_scores = np.zeros(len(LABELS))
            if possible.any():  # else no label has a sentence to point at: skip the stage (a quarter of texts)
                doc_scores = np.where(possible, self.document_scores(sig, probs, trusted), 0.0)
            probs = np.where(only_praise, 0.0, probs)
        gap_labels = {label for j, label in enumerate(LABELS) if doc_scores[j] >= float(doc_thresholds[label])}
        self._outcomes(decisions, sig, probs, thresholds, trusted, gap_labels)
        gap_hits = {}
        for h in sig.hits:
            if h.decision == "gap":
                gap_hits.setdefault((h.sentence, h.label), h)
        gaps, evidence_rows = [], {}
        for j, label in enumerate(LABELS):
            if label not in gap_labels:
                continue
            thr = float(thresholds[label])
            order = np.argsort(-probs[:, j], kind="stable")
            chosen = [int(i) for i in order[:MAX_EVIDENCE] if probs[i, j] >= thr] or [int(order[0])]
            evidence_rows[label] = set(chosen)
            gaps.append(Finding(label, round(float(doc_scores[j]), 4), [
                self._evidence(text, spans[i], gap_hits.get((i, label)), sig, i, j) for i in chosen
            ]))
        strengths = []
        for j, label in enumerate(LABELS):
            rows = [
                h for h in sig.hits
                if h.label == label and h.decision == "strength" and h.sentence not in evidence_rows.get(label, ())
            ]
            if rows:
                seen, ev = set(), []
                for h in rows:
                    if h.sentence not in seen and len(ev) < MAX_EVIDENCE:
                        seen.add(h.sentence)
                        s, e = spans[h.sentence]
                        ev.append(Evidence(s, e, text[s:e], f"rule:{h.rule}", h.cues))
                strengths.append(Finding(label, STRENGTH_CONFIDENCE, ev))
        scores = {label: round(float(doc_scores[j]), 4) for j, label in enumerate(LABELS)}
        return self._analysis(doc_id, gaps, strengths, sig, decisions, scores)

    def document_scores(self, sig: Signals, probs: np.ndarray, trusted: np.ndarray) -> np.ndarray:
        """The document stage's probability of each label for this text."""
        stage = self.model.stage
        features = document_features(probs, sig.logits, sig.rule_signals, trusted, sig.rejection,
                                      stage.text_logits(sig.cols))
        return stage.probabilities(features)

    def _outcomes(self, decisions: list[Decision], sig: Signals, probs, thresholds, trusted,
                  gap_labels: set[str]) -> None:
        """Say, for each rule gap, whether it stood alone, was kept, or was outvoted (`trusted`:
        the trusted rule gaps in combined mode, else None). A rule gap whose label the text
        does not get in the end (the document stage can overrule a sentence) is outvoted."""
        floors = self.model.rule_floors(trusted) if trusted is not None else np.zeros(probs.shape)
        for d, h in zip(decisions, sig.hits):
            if h.decision != "gap":
                continue
            j = LABELS.index(h.label)
            if h.label not in gap_labels:
                d.outcome = "outvoted"
            elif floors[h.sentence, j] >= thresholds[h.label]:
                d.outcome = "trusted"
            else:
                d.outcome = "agreed" if probs[h.sentence, j] >= thresholds[h.label] else "outvoted"

    def _evidence(self, text, span, hit: RuleHit | None, sig: Signals, i: int, j: int) -> Evidence:
        s, e = span
        if hit is None:
            return Evidence(s, e, text[s:e], "model")
        source = f"rule:{hit.rule}"
        if sig.logits is not None and sig.logits[i, j] > 0:
            source += "+model"
        return Evidence(s, e, text[s:e], source, hit.cues)

    def _analysis(self, doc_id, gaps, strengths, sig: Signals, decisions, scores) -> Analysis:
        plans = self.rules.plans
        actions = {g.label: list(plans[g.label].actions) for g in gaps}
        if not gaps:
            actions["no_gap"] = list(plans["no_gap"].actions)
        return Analysis(
            id=doc_id, gaps=gaps, strengths=strengths, actions=actions, specific=bool(gaps),
            text=sig.text, language=sig.language, ignored=sig.ignored, decisions=decisions,
            scores=scores, rejection=sig.rejection or bool(gaps),
        )


def trusted_gaps(sig: Signals, untrusted: frozenset = frozenset()) -> np.ndarray:
    """The rule gaps the combination may trust outright (GapModel.rule_floor), per sentence,
    label and kind, shape (n_sentences, n_labels, 2): kind 0, a gap phrase, or a pattern of
    any label but eligibility (its patterns count years, which job adverts state as well);
    kind 1, an area + deficit gap said plainly (RuleHit.plain) with a topic not in
    `untrusted`."""
    out = np.zeros((len(sig.spans), len(LABELS), 2))
    for h in sig.hits:
        if h.decision != "gap":
            continue
        j = LABELS.index(h.label)
        if h.via == "phrase" or (h.via == "pattern" and h.label != "eligibility"):
            out[h.sentence, j, 0] = 1
        elif h.plain and h.rule not in untrusted:
            out[h.sentence, j, 1] = 1
    return out


def merge_signals(text: str, parts: list[tuple[int, Signals]]) -> Signals:
    """Join the signals of consecutive chunks of one text, shifting offsets and indices."""
    spans, ignored, cols, rows, hits, rule_sigs = [], [], [], [], [], []
    ccols, crows, cmaps, n_clauses = [], [], [], 0
    language, rejection = "en", False
    for offset, sig in parts:
        rejection = rejection or sig.rejection
        base = len(spans)
        spans.extend((s + offset, e + offset) for s, e in sig.spans)
        ignored.extend({**r, "start": r["start"] + offset, "end": r["end"] + offset} for r in sig.ignored)
        cols.append(sig.cols)
        rows.append(sig.rows + base)
        for h in sig.hits:
            hits.append(RuleHit(h.sentence + base, h.label, h.decision, h.rule, h.via, h.cues, h.plain))
        rule_sigs.append(sig.rule_signals)
        ccols.append(sig.clause_cols)
        crows.append(sig.clause_rows + n_clauses)
        cmaps.append(sig.clause_sentence + base)
        n_clauses += len(sig.clause_sentence)
        if sig.language != "en":
            language = sig.language
    return Signals(
        text, spans, ignored, np.concatenate(cols), np.concatenate(rows), hits,
        np.concatenate(rule_sigs), language, rejection,
        np.concatenate(ccols), np.concatenate(crows), np.concatenate(cmaps),
    )

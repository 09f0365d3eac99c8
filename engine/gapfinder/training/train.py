"""Train the gap model on corpus/: sentence-level logistic regression plus a rule stacker.

1. Every corpus text goes through the same pipeline the engine uses (sentences, lemmas, hashed
   features, rule decisions). A sentence is a positive example of a label when it overlaps
   that label's evidence in the corpus.
2. One logistic regression per label on the train split (scikit-learn, liblinear, fixed seed).
3. A stacker per label combines the model's logit with the rule signals; it is fitted on
   out-of-fold logits of the train split, so it learns how far to trust each side.
4. C and the per-label thresholds for "model only" and "combined" are tuned on the dev split,
   each dev text scored by a model trained without its writer's documents (the test texts
   come from writers the model never saw): best F1, then thresholds raised where needed so
   that 95% of the dev texts with no gap stay gap-free, and never below THRESHOLD_FLOORS
   (chosen on real feedback, see there).
5. With C and thresholds fixed, the shipped model is refit on train + dev together.
6. The test split is only scored, never looked at for any choice.
7. Texts labelled by document only (`--documents`, real feedback among them) then train the
   document stage (training.document_stage) on top of the shipped sentence model.
The arrays are saved with joblib beside a JSON card; same corpus and seed, same bytes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from .corpus import Document, corpus_files, normalise, read_documents, read_labelled_texts, sha256_of_files
from ..labels import LABELS
from .metrics import score
from ..core.model import MODEL_FORMAT, RULE_SIGNALS, GapModel, library_versions, sha256_bytes

C_GRID = (1.0,)  # 0.5, 1.0 and 2.0 scored within 0.001 of each other on dev (2026-11); one C keeps training short
WRITER_GROUPS = 5  # dev writers are held out in this many groups (each model misses its group)
FOLDS = 5
MIN_STAGE_TEXTS = 20


@dataclass
class Encoded:
    """The corpus as the engine sees it: one Signals per document, and sentence labels."""

    docs: list[Document]
    signals: list
    sentence_labels: list[np.ndarray]  # per doc: (n_sentences, n_labels) 0/1
    sentence_weights: list[np.ndarray]  # per doc: same shape; 0 where the label is unknown

    def __add__(self, other: "Encoded") -> "Encoded":
        return Encoded(self.docs + other.docs, self.signals + other.signals,
                       self.sentence_labels + other.sentence_labels,
                       self.sentence_weights + other.sentence_weights)


def encode(engine, docs: list[Document]) -> Encoded:
    sigs, ys, ws = [], [], []
    for doc in docs:
        sig = engine.signals(doc.text)
        y = np.zeros((len(sig.spans), len(LABELS)))
        w = np.ones_like(y)
        if doc.labels and not doc.evidence:  # labels without evidence: no sentence is known
            w[:, [LABELS.index(l) for l in doc.labels]] = 0.0
        for j, label in enumerate(LABELS):
            for ev in doc.evidence.get(label, []):
                a = doc.text.find(ev)
                b = a + len(ev)
                for i, (s, e) in enumerate(sig.spans):
                    if s < b and a < e:
                        y[i, j] = 1
        sigs.append(sig)
        ys.append(y)
        ws.append(w)
    return Encoded(docs, sigs, ys, ws)


def _sparse(rows, cols, n_rows, n_features):
    from scipy.sparse import csr_matrix

    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, n_features))
    x.sum_duplicates()
    return x


def design_matrix(enc: Encoded, n_features: int):
    """Sentence features X, sentence labels Y and their weights W, and the clause features
    with their sentences."""
    rows, cols, crows, ccols, cmap = [], [], [], [], []
    offset = c_offset = 0
    for sig in enc.signals:
        rows.append(sig.rows + offset)
        cols.append(sig.cols)
        crows.append(sig.clause_rows + c_offset)
        ccols.append(sig.clause_cols)
        cmap.append(sig.clause_sentence + offset)
        offset += len(sig.spans)
        c_offset += len(sig.clause_sentence)
    x = _sparse(rows, cols, offset, n_features)
    xc = _sparse(crows, ccols, c_offset, n_features)
    clause_sentence = np.concatenate(cmap) if cmap else np.zeros(0, dtype=np.int64)
    y = np.concatenate(enc.sentence_labels) if enc.sentence_labels else np.zeros((0, len(LABELS)))
    w = np.concatenate(enc.sentence_weights) if enc.sentence_weights else np.zeros((0, len(LABELS)))
    return x, y, w, xc, clause_sentence


def _known(x, y, w, j: int) -> tuple:
    """Arguments for fit(): the rows whose label j is known, with their weights. Passed
    without weights when every weight is 1, so a corpus without real texts trains exactly
    as before the weights existed (same bytes)."""
    if np.all(w[:, j] == 1.0):
        return x, y[:, j]
    known = w[:, j] > 0
    return x[known], y[known, j], w[known, j]


def fit_linear(x, y, w, c: float, seed: int):
    """One logistic regression per label on the sentences whose label is known (w > 0);
    returns (weights (F, L), bias (L,))."""
    from sklearn.linear_model import LogisticRegression

    weights = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    bias = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        clf = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", random_state=seed, max_iter=1000)
        clf.fit(*_known(x, y, w, j))
        weights[:, j] = clf.coef_[0]
        bias[j] = clf.intercept_[0]
    return weights, bias


def out_of_fold_logits(enc: Encoded, x, y, w, xc, clause_sentence, c: float, seed: int) -> np.ndarray:
    """Logits for every train sentence from a model that never saw its document, scored as
    the engine scores them (a sentence's logit is the max over it and its clauses)."""
    doc_of_row = np.concatenate([np.full(len(s.spans), i) for i, s in enumerate(enc.signals)])
    fold_of_doc = writer_folds(enc.docs, seed)
    fold = fold_of_doc[doc_of_row]
    logits = np.zeros(y.shape)
    for k in range(FOLDS):
        held = fold == k
        coef, b = fit_linear(x[~held], y[~held], w[~held], c, seed)
        logits[held] = x[held] @ coef + b
        held_clauses = held[clause_sentence] if len(clause_sentence) else np.zeros(0, dtype=bool)
        if held_clauses.any():
            np.maximum.at(logits, clause_sentence[held_clauses], xc[held_clauses] @ coef + b)
    return logits


def writer_folds(docs: list[Document], seed: int) -> np.ndarray:
    """Fold of each document for out-of-fold logits: whole writers per fold.

    The stacker learns how far to trust the model against the rules from these logits. With
    random folds a document's fold-mates share its writer's wording, so the model looks more
    sure than it is on text by strangers, and the stacker learns to outvote the rules; real
    feedback is always by strangers. With fewer writers than folds, documents are dealt
    round-robin within writers instead."""
    writers = sorted({writer_of(d) for d in docs})
    if len(writers) < FOLDS:
        return np.random.RandomState(seed).permutation(len(docs)) % FOLDS
    order = np.random.RandomState(seed).permutation(len(writers))
    fold_of_writer = {w: int(k) % FOLDS for w, k in zip(writers, order)}
    return np.array([fold_of_writer[writer_of(d)] for d in docs], dtype=np.int64)


def rule_floor() -> np.ndarray:
    """Per label, 1.0 for the two kinds of rule gap the combination trusts outright: column 0,
    a gap phrase or pattern ("lacked structure"), which states the gap by itself; column 1,
    an area + deficit gap stated plainly about the candidate (rulebook.cues.plainly_stated).

    These are not chosen by the rules' precision on the corpus, as the first format-2 models
    did: that trusted every area + deficit decision, which was right 40% of the time on the
    real-text check (70-75% on the corpus) and cost 0.25-0.30 of no-gap kept there. Trusted
    plain decisions were right in 15 of 20 texts on the check's study half and 12 of 18 on
    its judge half (2026-12-02)."""
    return np.ones((len(LABELS), 2))


# The model file is written uncompressed: 5.7 MB instead of 3.7 MB, but a one-text `gapfinder
# classify` loads it in 8 ms instead of 30 (zlib), a tenth of what the engine adds to spaCy's
# start-up (2026-12-04, the CLI/baseline ratio of tests/bench/bench_engine.py).
MODEL_COMPRESSION = 0

TOPIC_TRUST = 0.7
TOPIC_TRUST_MIN_DOCS = 3


def untrusted_topics(enc: Encoded) -> frozenset:
    """Topic rules whose plain area + deficit gaps were right in under TOPIC_TRUST of the
    training documents where they fired (in at least TOPIC_TRUST_MIN_DOCS of them).

    Plainness says the sentence is about the candidate; it cannot say whether a broad word
    ("clients", "structure", "policy") names the right area. The training split can: such
    topics land on another label often, so their decisions are left to the stacker."""
    fired: dict[str, list[bool]] = {}
    for doc, sig in zip(enc.docs, enc.signals):
        for rule, label in {(h.rule, h.label) for h in sig.hits if h.plain}:
            fired.setdefault(rule, []).append(label in doc.labels)
    return frozenset(rule for rule, right in fired.items()
                     if len(right) >= TOPIC_TRUST_MIN_DOCS and np.mean(right) < TOPIC_TRUST)


def fit_stacker(logits: np.ndarray, rule_signals: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int):
    from sklearn.linear_model import LogisticRegression

    k = 1 + len(RULE_SIGNALS)
    weights, bias = np.zeros((len(LABELS), k)), np.zeros(len(LABELS))
    for j in range(len(LABELS)):
        feats = np.concatenate([logits[:, j : j + 1], rule_signals[:, j, :]], axis=1)
        clf = LogisticRegression(C=1.0, random_state=seed, max_iter=1000)
        clf.fit(*_known(feats, y, w, j))
        weights[j], bias[j] = clf.coef_[0], clf.intercept_[0]
    return weights, bias


def writer_of(doc: Document) -> str:
    """Documents are grouped by writer: the id's prefix ("a-0001" -> "a")."""
    return doc.id.split("-")[0]


def _subset(enc: Encoded, keep: list[int]) -> Encoded:
    return Encoded([enc.docs[i] for i in keep], [enc.signals[i] for i in keep],
                   [enc.sentence_labels[i] for i in keep], [enc.sentence_weights[i] for i in keep])


def cross_writer_dev_scores(enc: dict, c: float, seed: int, engine, modes) -> dict[str, np.ndarray]:
    """Dev documents scored by models that never saw their writer's training documents.

    Test texts come from writers the model has never seen; a model scoring dev texts by
    writers it trained on is over-confident, and thresholds tuned on such scores are too
    strict for new writers. With fewer than two writers this falls back to one model.
    """
    train, dev = enc["train"], enc["dev"]
    writers = sorted({writer_of(d) for d in dev.docs})
    if len({writer_of(d) for d in train.docs}) > 1:  # at most WRITER_GROUPS models per C
        groups = [writers[i::WRITER_GROUPS] for i in range(min(WRITER_GROUPS, len(writers)))]
    else:
        groups = [writers]
    out = {m: np.zeros((len(dev.docs), len(LABELS))) for m in modes}
    for held in groups:
        keep = [i for i, d in enumerate(train.docs) if writer_of(d) not in held or len(groups) == 1]
        _fit_all(_subset(train, keep), c, seed, engine)
        rows = [i for i, d in enumerate(dev.docs) if writer_of(d) in held]
        for mode in modes:
            out[mode][rows] = doc_scores(engine.analyzer, _subset(dev, rows), mode)
    return out


def doc_scores(analyzer, enc: Encoded, mode: str) -> np.ndarray:
    """Max sentence confidence per document and label, shape (n_docs, n_labels)."""
    out = np.zeros((len(enc.docs), len(LABELS)))
    for i, sig in enumerate(enc.signals):
        sig.logits = None
        if sig.spans and sig.language == "en":
            probs, _ = analyzer.sentence_scores(sig, mode)
            out[i] = probs.max(axis=0)
    return out


def tune_thresholds(scores: np.ndarray, gold: list[set[str]]) -> dict[str, float]:
    """Per label, the threshold with the best F1 on these documents (ties: nearest 0.5)."""
    out = {}
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    for j, label in enumerate(LABELS):
        truth = np.array([label in g for g in gold], dtype=bool)
        best = (-1.0, 0.0, 0.5)
        for t in grid:
            pred = scores[:, j] >= t
            tp = np.sum(pred & truth)
            f1 = 2 * tp / (pred.sum() + truth.sum()) if pred.sum() + truth.sum() else 0.0
            key = (round(float(f1), 4), -abs(t - 0.5))
            if key > best[:2]:
                best = (*key, float(t))
        out[label] = best[2]
    return out


NO_GAP_TARGET = 0.95  # 0.92 before 2026-12-02: real feedback kept 0.83 of its no-gap texts gap-free, now 0.86


def guard_no_gap(scores: np.ndarray, gold: list[set[str]], thresholds: dict[str, float],
                 target: float = NO_GAP_TARGET) -> dict[str, float]:
    """Raise thresholds, cheapest first, until texts with no gap stay gap-free often enough.

    F1-tuned thresholds accept a few false alarms on generic rejections; a job seeker told
    that a form letter criticised their CV is worse served than one told nothing, so on the
    dev split at least `target` of the no-gap texts must come out with no gap.
    """
    thresholds = dict(thresholds)
    empty = np.array([not g for g in gold], dtype=bool)
    if not empty.any():
        return thresholds

    def kept(th):
        pred = np.stack([scores[:, j] >= th[l] for j, l in enumerate(LABELS)], axis=1)
        return float((~pred[empty].any(axis=1)).mean())

    def macro(th):
        return score(gold, predict_sets(scores, th))["macro_f1"]

    while kept(thresholds) < target:
        options = []
        for j, label in enumerate(LABELS):
            above = scores[empty, j][scores[empty, j] >= thresholds[label]]
            if len(above) and above.min() + 0.01 <= 0.99:
                trial = {**thresholds, label: round(float(above.min()) + 0.01, 2)}
                options.append((macro(trial), label, trial))
        if not options:
            break
        thresholds = max(options)[2]
    return thresholds


# Lowest threshold per label, whatever the written dev split prefers, chosen on the study
# halves of the real-text check (167 texts, 2026-12-02; the judge halves only measured).
# Industry's F1-tuned threshold on the written dev split was 0.26: in written feedback sector
# words come only with a sector gap, but real stories and interviewers' anecdotes name
# companies, markets and customers all the time. A floor of 0.6 was the best of 0.3-0.8 on
# the study halves (macro-F1 0.596 -> 0.607); judge halves 0.466 -> 0.487, no-gap kept
# 0.773 -> 0.803. Interview's was 0.43: in write-ups every sentence is about an interview, and
# the model scores "I was asked a simple question" near 0.5. A floor of 0.7 raised the study
# halves from 0.637 / 0.853 to 0.646 / 0.907; judge halves 0.484 / 0.773 -> 0.476 / 0.833,
# the outside real-register set 0.784 / 0.853 -> 0.793 / 0.884, written sets down 0.005-0.008.
THRESHOLD_FLOORS = {"industry": 0.6, "interview": 0.7}


def with_floors(thresholds: dict[str, float], floors: dict[str, float] = THRESHOLD_FLOORS) -> dict[str, float]:
    return {label: max(t, floors.get(label, 0.0)) for label, t in thresholds.items()}


def predict_sets(scores: np.ndarray, thresholds: dict[str, float]) -> list[set[str]]:
    return [{label for j, label in enumerate(LABELS) if row[j] >= thresholds[label]} for row in scores]


def train(corpus_dir: Path, out_dir: Path, name: str = "default", seed: int = 13,
          rules_path=None, progress=None, documents: tuple[Path, ...] = ()) -> dict:
    """Train, tune, evaluate and write `<name>.joblib` and `<name>.card.json` to out_dir.

    `documents`: JSONL files of texts labelled by document only (corpus.read_labelled_texts),
    which train the document stage; none may be a text of the corpus."""
    import joblib

    from ..core.analyzer import N_FEATURES
    from ..core.engine import Engine

    say = progress or (lambda msg: None)
    files = corpus_files(corpus_dir)
    docs = list(read_documents(files))
    split = {s: [d for d in docs if d.split == s] for s in ("train", "dev", "test")}
    for needed in ("train", "dev"):
        if not split[needed]:
            raise InputError(f"the corpus in {corpus_dir} has no documents in the {needed} split")
    labelled = [doc for path in documents for doc in read_labelled_texts(Path(path))]  # checked before the slow part
    check_unseen(labelled, docs)
    engine = Engine(use_model=False, rules_path=rules_path)
    enc = {s: encode(engine, split[s]) for s in split}
    say(f"encoded {', '.join(f'{s} {len(v.docs)} docs' for s, v in enc.items())}")
    gold = {s: [set(d.labels) for d in split[s]] for s in split}

    best = None
    for c in C_GRID:
        scores = cross_writer_dev_scores(enc, c, seed, engine, ("model", "combined", "rules"))
        dev_scores = scores["combined"]
        thresholds = guard_no_gap(dev_scores, gold["dev"], tune_thresholds(dev_scores, gold["dev"]))
        dev_macro = score(gold["dev"], predict_sets(dev_scores, thresholds))["macro_f1"]
        say(f"C={c}: dev macro-F1 {dev_macro:.3f} (combined, each writer held out)")
        if best is None or dev_macro > best[0]:
            best = (dev_macro, c, scores)
    _, c, all_scores = best
    thresholds, metrics = {}, {}
    for mode in ("model", "combined", "rules"):
        dev_scores = all_scores[mode]
        thresholds[mode] = (
            with_floors(guard_no_gap(dev_scores, gold["dev"], tune_thresholds(dev_scores, gold["dev"])))
            if mode != "rules" else {l: 0.5 for l in LABELS}
        )
        metrics[mode] = {"dev": score(gold["dev"], predict_sets(dev_scores, thresholds[mode]))}

    # With C and the thresholds chosen, the shipped model learns from train and dev together
    # (27% more text). Dev figures above come from writer-held-out models; test figures
    # below from the shipped one.
    both = enc["train"] + enc["dev"]
    say(f"refitting on train + dev ({len(both.docs)} docs) with C={c}")
    model = _fit_all(both, c, seed, engine)
    model.thresholds = thresholds
    if enc["test"].docs:
        for mode in ("model", "combined", "rules"):
            sc = doc_scores(engine.analyzer, enc["test"], mode)
            metrics[mode]["test"] = score(gold["test"], predict_sets(sc, thresholds[mode]))
    stage_card = None
    if labelled:
        say(f"fitting the document stage on {len(labelled)} texts labelled by document only")
        stage_card = attach_document_stage(engine, model, labelled, seed)
        stage_card["files"] = [Path(f).name for f in documents]
        stage_card["sha256"] = sha256_of_files([Path(f) for f in documents])
        if enc["test"].docs:
            stage_card["metrics"]["test"] = score(
                gold["test"], [{g.label for g in engine.analyzer.decide(sig).gaps} for sig in enc["test"].signals])

    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"{name}.joblib"
    joblib.dump(model.to_arrays(), model_path, compress=MODEL_COMPRESSION)
    card = {
        "name": name,
        "format": MODEL_FORMAT,
        "model_file": model_path.name,
        "model_sha256": sha256_bytes(model_path.read_bytes()),
        "labels": list(LABELS),
        "thresholds": thresholds,
        "hyperparameters": {"C": c, "n_features": N_FEATURES, "folds": FOLDS, "seed": seed,
                            "class_weight": "balanced", "solver": "liblinear"},
        "rule_trust": {label: {"phrase_or_pattern": bool(model.rule_floor[j, 0]),
                               "area_with_deficit": bool(model.rule_floor[j, 1])}
                       for j, label in enumerate(LABELS)},
        "untrusted_topics": sorted(model.untrusted_topics),
        "fitted_on": ["train", "dev"] + (["documents"] if labelled else []),
        "protocol": "C and thresholds chosen on the dev split, each dev text scored by a model "
                    "trained on the train split without its writer (these dev metrics are reported); "
                    "the shipped model is then refit on train + dev and scored on test.",
        "library_versions": library_versions(),
        "corpus": {"sha256": sha256_of_files(files), "files": [f.name for f in files],
                   "documents": {s: len(v) for s, v in split.items()}},
        "metrics": metrics,
        "description": "Sentence-level logistic regression on hashed lemma n-grams, stacked "
                       "with rule signals; gap phrases and area + deficit gaps said plainly of the "
                       "candidate are trusted outright (rule_trust, untrusted_topics); document "
                       "label = max over sentences >= threshold"
                       + ("; then the document stage (document_stage) decides each label from "
                          "the sentence stage's findings and a TF-IDF model of the whole text."
                          if labelled else "."),
    }
    if stage_card is not None:
        card["document_stage"] = stage_card
    (out_dir / f"{name}.card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card


def _fit_all(enc: Encoded, c, seed, engine) -> GapModel:
    """Fit model and stacker on these documents and put the model in the engine's analyzer."""
    from ..core.analyzer import N_FEATURES

    x_tr, y_tr, w_tr, xc_tr, cmap_tr = design_matrix(enc, N_FEATURES)
    rs_tr = np.concatenate([s.rule_signals for s in enc.signals])
    oof = out_of_fold_logits(enc, x_tr, y_tr, w_tr, xc_tr, cmap_tr, c, seed)
    stack_w, stack_b = fit_stacker(oof, rs_tr, y_tr, w_tr, seed)
    weights, bias = fit_linear(x_tr, y_tr, w_tr, c, seed)
    model = GapModel(LABELS, N_FEATURES, weights, bias, stack_w, stack_b,
                     {m: {l: 0.5 for l in LABELS} for m in ("combined", "model")}, {},
                     engine.analyzer.lemmas.keys, engine.analyzer.lemmas.values,
                     rule_floor(), untrusted_topics(enc))
    engine.analyzer.model = model
    return model


def check_unseen(labelled: list[Document], corpus_docs: list[Document]) -> None:
    """Refuse texts for the document stage that are also corpus texts: the stage must learn
    from text the sentence model has not seen."""
    seen = {normalise(d.text) for d in corpus_docs}
    for doc in labelled:
        if normalise(doc.text) in seen:
            raise InputError(f"{doc.id}: this text is also in the corpus; the document stage must "
                             "learn from texts the sentence model was not trained on")


def attach_document_stage(engine, model: GapModel, labelled: list[Document], seed: int) -> dict:
    """Fit the document stage on these texts, put it in the model, and return its card entry."""
    from .document_stage import NO_GAP_KEPT, fit_document_stage

    sigs, gold = [], []
    for doc in labelled:
        sig = engine.signals(doc.text)
        if sig.spans and sig.language == "en":
            sigs.append(sig)
            gold.append(set(doc.labels))
    if len(sigs) < MIN_STAGE_TEXTS:
        raise InputError(f"the document stage needs at least {MIN_STAGE_TEXTS} English texts; "
                         f"--documents gave {len(sigs)}")
    stage, thresholds, oof = fit_document_stage(engine.analyzer, sigs, gold, seed)
    model.stage = stage
    model.thresholds["document"] = thresholds
    return {"texts": len(sigs), "thresholds": thresholds, "no_gap_kept_target": NO_GAP_KEPT,
            "metrics": {"out_of_fold": score(gold, predict_sets(oof, thresholds))}}


def add_document_stage(base_card: Path, documents: tuple[Path, ...], out_dir: Path, name: str = "default",
                       seed: int = 13, rules_path=None, progress=None) -> dict:
    """Keep a trained model's sentence stage as it is and give it a document stage fitted on
    `documents`; write `<name>.joblib` and `<name>.card.json` to out_dir. Seconds, not minutes."""
    import copy

    import joblib

    from ..core.engine import Engine
    from ..core.model import card_path_for

    say = progress or (lambda msg: None)
    labelled = [doc for path in documents for doc in read_labelled_texts(Path(path))]
    engine = Engine(model_path=base_card, rules_path=rules_path)
    model = engine.model
    base = copy.deepcopy(model.card)
    say(f"fitting the document stage on {len(labelled)} texts labelled by document only")
    stage_card = attach_document_stage(engine, model, labelled, seed)
    stage_card["files"] = [Path(f).name for f in documents]
    stage_card["sha256"] = sha256_of_files([Path(f) for f in documents])
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"{name}.joblib"
    joblib.dump(model.to_arrays(), model_path, compress=MODEL_COMPRESSION)
    card = {**base, "name": name, "model_file": model_path.name,
            "model_sha256": sha256_bytes(model_path.read_bytes()),
            "thresholds": model.thresholds, "document_stage": stage_card,
            "base_model_sha256": base["model_sha256"],
            "fitted_on": [f for f in base.get("fitted_on", []) if f != "documents"] + ["documents"],
            "library_versions": library_versions()}
    card["description"] = base.get("description", "").rstrip(".") + (
        "; then the document stage (document_stage) decides each label from the sentence "
        "stage's findings and a TF-IDF model of the whole text.")
    card_path = card_path_for(out_dir / f"{name}.card.json")
    card_path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card

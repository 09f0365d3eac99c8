"""The trained gap model: hashed-feature logistic regression plus a small stacker over rules.

Stored as plain numpy arrays with joblib, so scoring needs no scikit-learn import (which would
double the start-up time of a one-text CLI call). Beside the model file sits a JSON card with
labels, thresholds, versions, data hash, metrics and the model file's SHA-256; the file is read
into memory, hashed, compared to the card in constant time, and only then unpickled.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..labels import LABELS
from .document_stage import DocumentStage
from .model_card import read_card, read_model_bytes

MODEL_FORMAT = 2
# Stacker inputs per (sentence, label): model logit, then the rule signals below. The first
# five are rule decisions about the label in the sentence; then whether the label's topic is
# mentioned at all, whether any deficit / praise cue is in the sentence, and whether any
# sentence of the text has a rule gap for the label.
RULE_SIGNALS = (
    "gap_phrase", "gap_topic", "hedged", "not_a_gap", "strength",
    "topic", "deficit_cue", "praise_cue", "doc_rule_gap",
)
MODES = ("combined", "model", "rules")


class ModelVersionWarning(UserWarning):
    """The model was trained with other library versions than the ones installed."""


@dataclass
class GapModel:
    labels: tuple[str, ...]
    n_features: int
    weights: np.ndarray        # (n_features, n_labels) float32
    bias: np.ndarray           # (n_labels,)
    stack_weights: np.ndarray  # (n_labels, 1 + len(RULE_SIGNALS))
    stack_bias: np.ndarray     # (n_labels,)
    thresholds: dict[str, dict[str, float]]  # mode -> label -> threshold
    card: dict
    lemma_keys: np.ndarray | None = None     # the lemma table the model was trained with
    lemma_values: np.ndarray | None = None
    # Per label, the confidence given outright to a sentence where the rules state a gap
    # (column 0: a gap phrase or pattern; column 1: an area + deficit gap stated plainly
    # about the candidate, see rulebook.cues.plainly_stated), or 0 where that kind of rule
    # decision is not trusted on its own. Set in training (training.train.rule_floor), so a
    # clear rule gap in wording the model never saw is not silently outvoted by the model.
    rule_floor: np.ndarray = field(default_factory=lambda: np.zeros((len(LABELS), 2)))
    # Topic rules (rule ids) whose plain area + deficit gaps were too often wrong on the
    # training split to be trusted outright (training.train.untrusted_topics).
    untrusted_topics: frozenset = frozenset()
    # A last look at the whole text, trained on texts labelled by document (real feedback
    # among them); None when the model was trained without such texts. Its per-label
    # thresholds are the card's thresholds["document"].
    stage: DocumentStage | None = None

    def sentence_logits(self, cols: np.ndarray, rows: np.ndarray, n_sentences: int) -> np.ndarray:
        """Model logits per sentence and label, shape (n_sentences, n_labels)."""
        out = np.tile(self.bias.astype(np.float64), (n_sentences, 1))
        if len(cols):
            contrib = self.weights[cols]
            for j in range(len(self.labels)):
                out[:, j] += np.bincount(rows, weights=contrib[:, j], minlength=n_sentences)
        return out

    def combine(self, logits: np.ndarray, rule_signals: np.ndarray, trusted: np.ndarray | None = None) -> np.ndarray:
        """Stacked probability per sentence and label from model logits and rule signals,
        raised to the rule floor where a trusted rule gap stands.

        `rule_signals` has shape (n_sentences, n_labels, len(RULE_SIGNALS)); `trusted`
        (n_sentences, n_labels, 2) marks trusted rule gaps by kind (core.analyzer.trusted_gaps).
        """
        x = np.concatenate([logits[:, :, None], rule_signals], axis=2)
        z = np.einsum("slk,lk->sl", x, self.stack_weights) + self.stack_bias
        stacked = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        return stacked if trusted is None else np.maximum(stacked, self.rule_floors(trusted))

    def rule_floors(self, trusted: np.ndarray) -> np.ndarray:
        """The trusted rules' confidence per sentence and label (0 where none applies)."""
        return (trusted * self.rule_floor[None, :, :]).max(axis=2)

    def to_arrays(self) -> dict:
        arrays = {
            "format": MODEL_FORMAT,
            "labels": list(self.labels),
            "n_features": int(self.n_features),
            "weights": self.weights,
            "bias": self.bias,
            "stack_weights": self.stack_weights,
            "stack_bias": self.stack_bias,
            "lemma_keys": self.lemma_keys,
            "lemma_values": self.lemma_values,
            "rule_floor": self.rule_floor,
            "untrusted_topics": sorted(self.untrusted_topics),
        }
        if self.stage is not None:  # no key otherwise: a model without a stage keeps its bytes
            arrays["document_stage"] = self.stage.to_arrays()
        return arrays


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_model_path() -> Path:
    """The card of the shipped default model (inside the wheel, or models/ in a checkout)."""
    from importlib import resources

    packaged = resources.files("gapfinder") / "data" / "models" / "default.card.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "models" / "default.card.json"


def card_path_for(path: Path) -> Path:
    """Accept the card, the model file, or a folder holding default.card.json."""
    path = Path(path)
    if path.is_dir():
        return path / "default.card.json"
    if path.name.endswith(".card.json"):
        return path
    return path.with_name(path.name.split(".")[0] + ".card.json")


def load_model(path: Path | str | None = None) -> GapModel:
    """Load a model through its card, refusing anything whose hash does not match."""
    card_path = card_path_for(Path(path)) if path else default_model_path()
    if not card_path.is_file():
        raise ModelError(f"no model card at {card_path} (a model travels with its .card.json)")
    card = read_card(card_path)          # bounded read, every field validated (model_card.py)
    expected = card["model_sha256"]
    folder = card_path.resolve().parent
    model_path = (card_path.parent / card["model_file"]).resolve()
    if model_path.parent != folder:
        raise ModelError(
            f"model file {card['model_file']!r} resolves outside the card's folder {folder}; refusing it"
        )
    data = read_model_bytes(model_path)
    if not hmac.compare_digest(sha256_bytes(data).encode(), expected.encode()):
        raise ModelError(
            f"model file {model_path.name} does not match the SHA-256 in its card; "
            "it may have been changed or corrupted, so it was not loaded"
        )
    _warn_on_version_drift(card, card_path)
    import joblib

    try:
        arrays = joblib.load(io.BytesIO(data))
    except Exception as exc:  # a corrupt file that still matches its card
        raise ModelError(f"model file {model_path.name} could not be read ({type(exc).__name__})") from None
    return _from_arrays(arrays, card, model_path)


def _from_arrays(arrays, card: dict, where: Path) -> GapModel:
    if not isinstance(arrays, dict) or arrays.get("format") not in (1, MODEL_FORMAT):
        raise ModelError(f"{where.name} is not a gapfinder model of format {MODEL_FORMAT}")
    if arrays["format"] == 1:  # format 1 had no rule floors: no rule decision trusted outright
        arrays = {**arrays, "rule_floor": np.zeros((len(LABELS), 2))}
    untrusted = arrays.get("untrusted_topics", [])
    if not isinstance(untrusted, list) or not all(isinstance(r, str) for r in untrusted):
        raise ModelError(f"{where.name} has an untrusted_topics entry that is not a list of rule ids")
    labels = tuple(arrays.get("labels", ()))
    if labels != LABELS:
        raise ModelError(f"{where.name} has labels {labels}, expected {LABELS}")
    n_feat = arrays.get("n_features")
    weights = arrays.get("weights")
    n_stack = 1 + len(RULE_SIGNALS)
    shapes_ok = (
        isinstance(n_feat, int)
        and isinstance(weights, np.ndarray)
        and weights.shape == (n_feat, len(labels))
        and np.shape(arrays.get("bias")) == (len(labels),)
        and np.shape(arrays.get("stack_weights")) == (len(labels), n_stack)
        and np.shape(arrays.get("stack_bias")) == (len(labels),)
        and isinstance(arrays.get("lemma_keys"), np.ndarray)
        and np.shape(arrays.get("lemma_keys")) == np.shape(arrays.get("lemma_values"))
        and np.shape(arrays.get("rule_floor")) == (len(labels), 2)
    )
    if not shapes_ok:
        raise ModelError(f"{where.name} has arrays of unexpected shapes")
    thresholds = card.get("thresholds", {})
    for mode in ("combined", "model"):
        if set(thresholds.get(mode, {})) != set(labels):
            raise ModelError(f"the card of {where.name} lacks {mode} thresholds for every label")
    stage = None
    if arrays.get("document_stage") is not None:
        try:
            stage = DocumentStage.from_arrays(arrays["document_stage"])
        except (ValueError, TypeError) as exc:
            raise ModelError(f"{where.name}: {exc}") from None
        if set(thresholds.get("document", {})) != set(labels):
            raise ModelError(f"the card of {where.name} lacks document thresholds for every label")
    return GapModel(
        labels=labels,
        n_features=n_feat,
        weights=np.asarray(weights, dtype=np.float32),
        bias=np.asarray(arrays["bias"], dtype=np.float64),
        stack_weights=np.asarray(arrays["stack_weights"], dtype=np.float64),
        stack_bias=np.asarray(arrays["stack_bias"], dtype=np.float64),
        thresholds=thresholds,
        card=card,
        lemma_keys=np.asarray(arrays["lemma_keys"], dtype=np.uint64),
        lemma_values=np.asarray(arrays["lemma_values"], dtype=np.uint64),
        rule_floor=np.asarray(arrays["rule_floor"], dtype=np.float64),
        untrusted_topics=frozenset(untrusted),
        stage=stage,
    )


def library_versions() -> dict[str, str]:
    """Versions that matter for reading and reproducing a model."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("numpy", "joblib", "scikit-learn", "spacy", "spacy-lookups-data"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _warn_on_version_drift(card: dict, card_path: Path) -> None:
    """Warn (do not refuse) when numpy/joblib/spacy-lookups-data differ in major.minor.

    The model is plain arrays, so other versions read it correctly; lemmas from another
    spacy-lookups-data release can shift features slightly, which the user should know.
    """
    wanted = card.get("library_versions", {})
    installed = library_versions()
    drift = []
    for name in ("numpy", "joblib", "spacy-lookups-data"):
        want, have = str(wanted.get(name, "")), installed.get(name, "")
        if want and want.split(".")[:2] != have.split(".")[:2]:
            drift.append(f"{name} {want} (installed {have})")
    if drift:
        warnings.warn(
            f"model {card_path.name} was trained with {', '.join(drift)}; results may differ "
            "slightly: retrain with 'gapfinder train' to match this install",
            ModelVersionWarning,
            stacklevel=3,
        )

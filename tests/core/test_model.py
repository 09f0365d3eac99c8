"""The model file: loaded only through a matching card; refused otherwise, before unpickling."""
import json
import pickle
import shutil
import warnings

import pytest

from gapfinder.errors import ModelError
from gapfinder.labels import LABELS
from gapfinder.core.model import ModelVersionWarning, default_model_path, load_model


class WritesMarker:
    """A pickle that creates a file when unpickled: proof of code execution."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


@pytest.fixture
def model_copy(tmp_path):
    card = default_model_path()
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(card, folder / card.name)
    shutil.copy(card.with_name("default.joblib"), folder / "default.joblib")
    return folder


def test_default_card_is_complete():
    model = load_model()
    card = model.card
    assert card["labels"] == list(LABELS)
    for mode in ("combined", "model"):
        assert set(card["thresholds"][mode]) == set(LABELS)
        assert all(0 < t < 1 for t in card["thresholds"][mode].values())
    for name in ("numpy", "joblib", "scikit-learn", "spacy"):
        assert card["library_versions"][name]
    assert len(card["corpus"]["sha256"]) == 64 and len(card["model_sha256"]) == 64
    for mode in ("rules", "model", "combined"):
        assert {"dev", "test"} <= set(card["metrics"][mode])


def test_malicious_pickle_with_wrong_hash_never_runs(model_copy, tmp_path):
    marker = tmp_path / "pwned"
    with open(model_copy / "default.joblib", "wb") as fh:
        pickle.dump(WritesMarker(marker), fh)
    with pytest.raises(ModelError, match="does not match the SHA-256"):
        load_model(model_copy)
    assert not marker.exists()
    # the same file, loaded without the check, does run code: the test above can fail
    import joblib

    joblib.load(model_copy / "default.joblib")
    assert marker.exists()


def test_model_outside_the_card_folder_is_refused(model_copy, tmp_path):
    outside = tmp_path / "elsewhere.joblib"
    shutil.move(model_copy / "default.joblib", outside)
    (model_copy / "default.joblib").symlink_to(outside)
    with pytest.raises(ModelError, match="outside the card's folder"):
        load_model(model_copy)


def test_missing_card_and_broken_card(model_copy):
    card = model_copy / "default.card.json"
    data = json.loads(card.read_text())
    card.write_text("{not json")
    with pytest.raises(ModelError, match="the card is not valid JSON"):
        load_model(model_copy)
    card.unlink()
    with pytest.raises(ModelError, match="no model card"):
        load_model(model_copy)
    data.pop("model_sha256")
    card.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="model_sha256"):
        load_model(model_copy)


def test_other_library_versions_warn_but_load(model_copy):
    card = model_copy / "default.card.json"
    data = json.loads(card.read_text())
    data["library_versions"]["numpy"] = "0.1.0"
    card.write_text(json.dumps(data))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = load_model(model_copy)
    assert model.labels == LABELS
    assert any(issubclass(w.category, ModelVersionWarning) and "numpy 0.1.0" in str(w.message) for w in caught)


def test_accepts_card_file_model_file_or_folder(model_copy):
    for path in (model_copy, model_copy / "default.card.json", model_copy / "default.joblib"):
        assert load_model(path).labels == LABELS


def _rewrite(folder, **changes):
    """Write the copied model back with some fields changed, and a card that matches it."""
    import dataclasses
    import hashlib

    import joblib

    model = dataclasses.replace(load_model(folder), **changes)
    joblib.dump(model.to_arrays(), folder / "default.joblib", compress=3)  # a compressed file loads too
    card = json.loads((folder / "default.card.json").read_text())
    card["model_sha256"] = hashlib.sha256((folder / "default.joblib").read_bytes()).hexdigest()
    (folder / "default.card.json").write_text(json.dumps(card))


def test_a_plain_rule_gap_is_trusted_unless_its_topic_is_untrusted(model_copy):
    import numpy as np

    import gapfinder

    text = "Your SQL skills were below our bar."
    _rewrite(model_copy, rule_floor=np.ones((len(LABELS), 2)), untrusted_topics=frozenset())
    trusting = gapfinder.load(model_path=model_copy)
    a = trusting.analyze(text)
    assert "technical" in a.labels
    assert [d.outcome for d in a.decisions if d.label == "technical"] == ["trusted"]

    _rewrite(model_copy, untrusted_topics=frozenset({"technical.topic:skills", "technical.topic:sql"}))
    doubting = gapfinder.load(model_path=model_copy)
    assert doubting.model.untrusted_topics == {"technical.topic:skills", "technical.topic:sql"}
    assert [d.outcome for d in doubting.analyze(text).decisions if d.label == "technical"] != ["trusted"]


def test_untrusted_topics_must_be_rule_ids(model_copy):
    import hashlib

    import joblib

    arrays = joblib.load(model_copy / "default.joblib")
    arrays["untrusted_topics"] = [3]
    joblib.dump(arrays, model_copy / "default.joblib")
    card = json.loads((model_copy / "default.card.json").read_text())
    card["model_sha256"] = hashlib.sha256((model_copy / "default.joblib").read_bytes()).hexdigest()
    (model_copy / "default.card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="untrusted_topics"):
        load_model(model_copy)


def test_a_document_stage_with_wrong_arrays_is_refused():
    """A stage whose arrays do not fit together (a damaged or hand-edited file) is refused
    with a message, never scored."""
    import numpy as np
    import pytest

    from gapfinder.core.document_stage import DocumentStage
    from gapfinder.core.model import load_model

    stage = load_model().stage
    assert stage is not None
    good = stage.to_arrays()
    DocumentStage.from_arrays(good)
    bad_shape = {**good, "weights": good["weights"][:, :3]}
    unsorted = {**good, "vocabulary": good["vocabulary"][::-1].copy()}
    huge = {**good, "vocabulary": np.append(good["vocabulary"][:-1], 2**40)}
    for arrays, problem in ((bad_shape, "weights has shape"), (unsorted, "not sorted"), (huge, "not sorted"),
                            ({k: v for k, v in good.items() if k != "idf"}, "incomplete")):
        with pytest.raises(ValueError, match=problem):
            DocumentStage.from_arrays(arrays)


def test_document_features_of_a_text_without_sentences_are_zero():
    import numpy as np

    from gapfinder.core.document_stage import DOCUMENT_FEATURES, document_features

    empty = document_features(np.zeros((0, 5)), np.zeros((0, 5)), np.zeros((0, 5, 9)), np.zeros((0, 5, 2)),
                              False, np.zeros(5))
    assert empty.shape == (5, len(DOCUMENT_FEATURES)) and not empty.any()

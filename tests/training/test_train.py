"""Training: reproducible to the byte, and the shipped model was trained on this corpus."""
import hashlib
import json

import numpy as np
import pytest

from gapfinder.training.corpus import corpus_files, sha256_of_files
from gapfinder.core.model import default_model_path, load_model
from gapfinder.labels import LABELS

from ..conftest import CORPUS


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """About 200 real corpus documents, keeping each one's split."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in corpus_files(CORPUS):
        docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:15]]
        for doc in docs:  # the real corpus is already split; this keeps the fixture valid before that
            if doc["split"] == "train" and int(hashlib.sha256(doc["id"].encode()).hexdigest(), 16) % 5 == 0:
                doc["split"] = "dev"
        (folder / path.name).write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_model(small_corpus, tmp_path_factory):
    """A model trained on small_corpus with seed 7: (its folder, its card)."""
    from gapfinder.training.train import train

    folder = tmp_path_factory.mktemp("model")
    return folder, train(small_corpus, folder, seed=7)


def test_same_corpus_same_seed_gives_identical_bytes(small_corpus, small_model, tmp_path):
    from gapfinder.training.train import train

    first_folder, first = small_model
    second = train(small_corpus, tmp_path / "two", seed=7)
    assert (first_folder / "default.joblib").read_bytes() == (tmp_path / "two" / "default.joblib").read_bytes()
    assert first["model_sha256"] == second["model_sha256"]
    model = load_model(first_folder)
    assert model.card["corpus"]["sha256"] == sha256_of_files(corpus_files(small_corpus))
    assert "documents" not in model.card


def test_shipped_model_was_trained_on_files_of_this_corpus():
    """The card names the corpus files the shipped model learned from; they are unchanged.
    (The real-register files h, i, j, tc are not in it yet: a model retrained with them
    scored lower on real text, see the README, so the earlier model stays shipped.)"""
    card = json.loads(default_model_path().read_text())
    files = [CORPUS / name for name in card["corpus"]["files"]]
    assert all(f.is_file() for f in files)
    assert card["corpus"]["sha256"] == sha256_of_files(files), (
        "corpus files changed since the model was trained: run 'gapfinder train'"
    )


def test_topics_whose_plain_gaps_are_often_wrong_are_not_trusted():
    from types import SimpleNamespace

    from gapfinder.rulebook.cues import RuleHit
    from gapfinder.training.train import untrusted_topics

    def doc(labels, *rules):
        hits = [RuleHit(0, rule.partition(".")[0], "gap", rule, "topic+deficit", [], True) for rule in rules]
        return SimpleNamespace(labels=labels), SimpleNamespace(hits=hits)

    pairs = [doc(["technical"], "technical.topic:sql") for _ in range(5)]          # right 5 of 5
    pairs += [doc(["resume"], "industry.topic:clients") for _ in range(3)]         # wrong 3 of 4
    pairs += [doc(["industry"], "industry.topic:clients")]
    pairs += [doc([], "interview.topic:posture") for _ in range(2)]                # too rare to judge
    enc = SimpleNamespace(docs=[d for d, _ in pairs], signals=[s for _, s in pairs])
    assert untrusted_topics(enc) == {"industry.topic:clients"}


def test_threshold_floors_raise_only_what_is_below_them():
    from gapfinder.training.train import THRESHOLD_FLOORS, with_floors

    tuned = {"industry": 0.26, "technical": 0.59}
    assert with_floors(tuned, {"industry": 0.6}) == {"industry": 0.6, "technical": 0.59}
    assert with_floors({"industry": 0.75}, {"industry": 0.6}) == {"industry": 0.75}
    card = json.loads(default_model_path().read_text())
    for mode in ("combined", "model"):
        for label, floor in THRESHOLD_FLOORS.items():
            assert card["thresholds"][mode][label] >= floor


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _stage_rows():
    """Texts labelled by document only, with a made-up skill ("flumph") that only the
    technical ones name as lacking, in words the sentence stage rates low (0.08 against
    its threshold of 0.41): what a careers service's own feedback might teach."""
    openings = ["Sadly", "After the panel", "On review", "To be honest", "In the end", "Overall",
                "This time", "For now"]
    rows = [{"text": f"{o}, we will not go further. Your flumph work needs more depth. Thank you for applying.",
             "labels": ["technical"]} for o in openings for _ in range(2)]
    rows += [{"text": f"{o}, we will not go further. Thank you for applying. We wish you luck.", "labels": []}
             for o in openings for _ in range(2)]
    return rows


def test_texts_labelled_by_document_only_train_a_document_stage(small_model, tmp_path):
    """--base keeps the sentence model byte for byte and adds a stage that learnt from the
    labelled texts; the card says what it learnt from and which model it sits on."""
    from gapfinder.core.engine import Engine
    from gapfinder.training.train import add_document_stage

    base_folder, base_card = small_model
    documents = _write_jsonl(tmp_path / "mine.jsonl", _stage_rows())
    card = add_document_stage(base_folder / "default.card.json", (documents,), tmp_path / "staged", seed=7)
    assert card["document_stage"]["texts"] == 32 and card["document_stage"]["files"] == ["mine.jsonl"]
    assert card["base_model_sha256"] == base_card["model_sha256"] and "documents" in card["fitted_on"]
    assert set(card["thresholds"]["document"]) == set(LABELS)
    staged, base = Engine(model_path=tmp_path / "staged"), Engine(model_path=base_folder)
    assert staged.model.stage is not None and base.model.stage is None
    np.testing.assert_array_equal(staged.model.weights, base.model.weights)
    text = "On review, we will not go further. Your flumph work needs more depth. Thank you for applying."
    analysis = staged.analyze(text)
    assert "technical" in analysis.labels
    assert any("flumph" in ev.text for gap in analysis.gaps if gap.label == "technical" for ev in gap.evidence)
    assert staged.analyze(text, mode="sentences").scores == base.analyze(text).scores
    assert base.analyze(text).labels == []  # the sentence stage alone does not find it
    assert staged.analyze("Sadly, we will not go further. Thank you for applying. We wish you luck.").labels == []


def test_document_stage_refuses_texts_of_the_corpus(small_corpus, tmp_path):
    """The stage must learn from texts the sentence model never saw; a corpus text among
    them is refused before any training starts."""
    from gapfinder.errors import InputError
    from gapfinder.training.train import train

    corpus_text = json.loads(next(iter(sorted(small_corpus.glob("*.jsonl")))).read_text().splitlines()[0])["text"]
    documents = _write_jsonl(tmp_path / "mine.jsonl", _stage_rows() + [{"text": corpus_text, "labels": []}])
    with pytest.raises(InputError, match="also in the corpus"):
        train(small_corpus, tmp_path / "out", seed=7, documents=(documents,))


def test_train_cli_adds_a_stage_with_base(small_model, tmp_path):
    from click.testing import CliRunner

    from gapfinder.cli import main

    documents = _write_jsonl(tmp_path / "mine.jsonl", _stage_rows())
    out = tmp_path / "staged"
    result = CliRunner().invoke(main, ["train", "--base", str(small_model[0] / "default.card.json"),
                                       "--documents", str(documents), "--out", str(out), "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert (out / "default.card.json").is_file() and "document stage" in result.output
    lonely = CliRunner().invoke(main, ["train", "--base", str(small_model[0] / "default.card.json")])
    assert lonely.exit_code == 2 and "--base needs --documents" in lonely.output


@pytest.mark.parametrize("line, problem", [
    ('{"labels": ["technical"]}', "field 'text' must be a non-empty string"),
    ('{"text": "Weak SQL.", "labels": ["sql"]}', "field 'labels' must be a list of distinct labels"),
    ('{"text": "Weak SQL.", "labels": "technical"}', "field 'labels' must be a list of distinct labels"),
    ("not json", "not valid JSON"),
])
def test_bad_document_labelled_lines_name_file_and_line(tmp_path, line, problem):
    from gapfinder.training.corpus import CorpusError, read_labelled_texts

    path = tmp_path / "mine.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="mine.jsonl:1") as err:
        read_labelled_texts(path)
    assert problem in str(err.value)


def test_train_refuses_a_missing_documents_file_in_one_line(tmp_path):
    from click.testing import CliRunner

    from gapfinder.cli import main

    result = CliRunner().invoke(main, ["train", "--documents", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no file at" in result.output and "Traceback" not in result.output

"""evaluate_with_predictions: the figures and the label sets they were computed from."""
from gapfinder.training.evaluate import evaluate, evaluate_with_predictions

RECORDS = [
    {"id": "a", "text": "Your answers were hard to follow.", "labels": ["interview"]},
    {"id": "b", "text": "The position has been filled internally.", "labels": []},
    {"id": "c", "text": "We are unable to sponsor visas for this role.", "labels": ["interview"]},
]


def test_predictions_are_the_engines_labels_in_record_order(rules_engine):
    results, predicted = evaluate_with_predictions(rules_engine, RECORDS, ("rules",))
    assert predicted["rules"] == [set(rules_engine.analyze(r["text"], mode="rules").labels) for r in RECORDS]
    assert predicted["rules"][2] == {"eligibility"}
    assert results == evaluate(rules_engine, RECORDS, ("rules",))
    assert results["rules"]["no_gap_kept"] == 1.0

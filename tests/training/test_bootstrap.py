"""The bootstrap interval that says whether a change on the real-text check is beyond luck."""
from gapfinder.training.metrics import bootstrap, score

GOLD = [{"technical"}, {"interview"}, set(), {"resume", "industry"}, set(), {"eligibility"}] * 10


def test_the_same_predictions_differ_by_nothing():
    pred = [{"technical"}, set(), set(), {"resume"}, {"interview"}, {"eligibility"}] * 10
    diff = bootstrap(GOLD, pred, baseline=pred)
    assert diff["difference"] is True
    assert diff["macro_f1"] == [0.0, 0.0] and diff["no_gap_kept"] == [0.0, 0.0]


def test_a_real_gain_has_an_interval_above_zero():
    better = [set(g) for g in GOLD]
    worse = [set() for _ in GOLD]
    diff = bootstrap(GOLD, better, baseline=worse)
    assert diff["macro_f1"][0] > 0.5
    # the empty predictions keep every no-gap text, so that difference is exactly zero
    assert diff["no_gap_kept"] == [0.0, 0.0]


def test_one_engines_interval_holds_its_figure_and_is_repeatable():
    # right and wrong calls mixed within each label, so resampling moves the figure
    pred = ([{"technical"}, set(), {"interview"}, {"resume"}, set(), set()] * 5
            + [set(), {"interview"}, set(), {"resume", "industry"}, {"technical"}, {"eligibility"}] * 5)
    figure = score(GOLD, pred)["macro_f1"]
    spread = bootstrap(GOLD, pred)
    low, high = spread["macro_f1"]
    assert low <= figure <= high and low < high
    assert bootstrap(GOLD, pred) == spread
    assert bootstrap(GOLD, pred, seed=1) != spread


def test_no_gap_kept_is_none_when_every_text_has_a_gap():
    gold = [{"technical"}, {"resume"}] * 5
    assert bootstrap(gold, gold)["no_gap_kept"] is None

"""gapfinder evaluate: the ablation shows every stage side by side."""
import json

from click.testing import CliRunner

from gapfinder.cli import main


def test_ablation_scores_each_stage_of_the_shipped_model(tmp_path):
    data = tmp_path / "mine.jsonl"
    rows = [{"text": "Thanks for coming in. Your answers rambled and lacked examples.", "labels": ["interview"]},
            {"text": "Thank you for applying. We have filled the role.", "labels": []}]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--data", str(data), "--ablation", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert list(figures) == ["rules", "model", "sentences", "combined"]
    assert figures["combined"]["no_gap_kept"] == 1.0
    assert figures["combined"]["per_label"]["interview"]["f1"] == 1.0

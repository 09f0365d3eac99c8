"""gapfinder classify: inputs, formats, the JSONL contract, and one-line errors."""
import csv
import io
import json

import pytest
from click.testing import CliRunner

from gapfinder.cli import main

from ..conftest import FIXTURES

GAP_TEXT = "Your answers were hard to follow and you didn't ask us any questions."


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(args, input=None):
        return runner.invoke(main, args, input=input, catch_exceptions=False)

    return invoke


def test_text_argument_json(run):
    result = run(["classify", GAP_TEXT, "--format", "json"])
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.output)
    assert [g["label"] for g in record["gaps"]] == ["interview"]
    ev = record["gaps"][0]["evidence"][0]
    assert GAP_TEXT[ev["start"]:ev["end"]] == ev["text"]
    assert record["actions"]["interview"] and record["specific"] is True


def test_file_and_stdin_give_the_same_result(run):
    path = FIXTURES / "sample_rejection.txt"
    from_file = json.loads(run(["classify", str(path), "--format", "jsonl"]).output)
    from_stdin = json.loads(run(["classify", "--format", "jsonl"], input=path.read_text()).output)
    from_dash = json.loads(run(["classify", "-", "--format", "jsonl"], input=path.read_text()).output)
    assert from_file["gaps"] == from_stdin["gaps"] == from_dash["gaps"]
    assert from_file["id"] == str(path)
    assert {"interview", "technical"} <= {g["label"] for g in from_file["gaps"]}


def test_text_format_is_readable(run):
    result = run(["classify", str(FIXTURES / "sample_rejection.txt"), "--format", "text"])
    out = result.output
    assert "Interview skills" in out and "What you can do:" in out
    assert "mock interviews" in out and "Keep going" in out
    assert "hard to follow" in out


def test_no_specific_gap_suggests_asking_for_feedback(run):
    result = run(["classify", "We have decided to proceed with other candidates. Best of luck.", "--format", "text"])
    assert "does not name a specific reason" in result.output
    assert "Ask politely for feedback" in result.output


def test_jsonl_contract_one_line_per_input_in_order(run):
    lines = [
        json.dumps({"id": "a", "text": GAP_TEXT}),
        "not json at all",
        json.dumps({"id": "c", "body": "no text field"}),
        json.dumps({"id": "d", "text": ""}),
        "",
        json.dumps({"text": "The role requires an active RN licence, which you don't hold yet."}),
        json.dumps([1, 2]),
        json.dumps({"id": 7, "text": "We filled the role internally."}),
    ]
    result = run(["classify", "--input-format", "jsonl", "--format", "jsonl"], input="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == len(lines)
    assert [o.get("id") for o in out] == ["a", None, "c", "d", None, None, None, 7]
    assert "gaps" in out[0] and [g["label"] for g in out[0]["gaps"]] == ["interview"]
    assert out[1]["error"].startswith("line 2 is not valid JSON")
    assert out[2]["error"] == "line 3 has no string field 'text'"
    assert out[3]["error"] == "the text is empty"
    assert out[4]["error"] == "line 5 is empty"
    assert [g["label"] for g in out[5]["gaps"]] == ["eligibility"]
    assert out[6]["error"] == "line 7 is not a JSON object"
    assert out[7]["gaps"] == [] and out[7]["specific"] is False
    assert result.exit_code == 1  # some records failed


def test_jsonl_invalid_utf8_line_is_an_error_record(run):
    data = json.dumps({"id": "ok", "text": GAP_TEXT}).encode() + b"\n" + b'{"id": "bad", "text": "caf\xe9"}\n'
    result = CliRunner().invoke(main, ["classify", "--input-format", "jsonl", "--format", "jsonl"], input=data)
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 2 and "gaps" in out[0]
    assert out[1]["error"].startswith("line 2 is not valid UTF-8")


def test_csv_has_a_column_per_label(run):
    result = run(["classify", GAP_TEXT, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 1
    assert float(rows[0]["interview"]) > 0.5 and rows[0]["resume"] == ""
    assert "hard to follow" in rows[0]["top_evidence"]


def test_include_text(run):
    record = json.loads(run(["classify", GAP_TEXT, "--format", "jsonl", "--include-text"]).output)
    assert record["text"] == GAP_TEXT


@pytest.mark.parametrize(
    "args, input, message",
    [
        (["classify"], "", "the text is empty"),
        (["classify"], "   \n\t ", "the text is empty"),
        (["classify", "missing-file.txt"], None,
         "no such file: missing-file.txt (to analyse these words as text, pipe them in: "
         "echo '...' | gapfinder classify)"),
    ],
)
def test_bad_input_one_line_error(run, args, input, message):
    result = CliRunner().invoke(main, args, input=input)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {message}"]


def test_invalid_utf8_and_binary_files(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Your CV was caf\xe9 and \xff\xfe")
    result = CliRunner().invoke(main, ["classify", str(bad)])
    assert result.exit_code == 1
    assert "is not valid UTF-8" in result.output and "Traceback" not in result.output
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    result = CliRunner().invoke(main, ["classify", str(binary)])
    assert result.exit_code == 1 and "binary data" in result.output


def test_several_inputs_one_bad_keeps_the_good(run, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GAP_TEXT)
    result = CliRunner().invoke(main, ["classify", str(good), str(tmp_path / "gone.txt"), "--format", "jsonl"])
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 2 and "gaps" in out[0] and out[1]["error"].startswith("no such file")
    assert result.exit_code == 1


def test_usage_error_exit_code(run):
    result = CliRunner().invoke(main, ["classify", "--format", "xml", "hi"])
    assert result.exit_code == 2


def test_rules_only_flag_and_bad_model_path(run, tmp_path):
    result = run(["classify", GAP_TEXT, "--rules-only", "--format", "jsonl"])
    assert result.exit_code == 0
    result = CliRunner().invoke(main, ["classify", GAP_TEXT, "--model", str(tmp_path)])
    assert result.exit_code == 1 and "no model card" in result.output

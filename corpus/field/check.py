"""The real-text check: score the engine on real feedback collected from public pages.

The repository holds only where each text comes from, its labels and a SHA-256 of the text
(`*.jsonl` in this folder); the texts stay in a cache outside it (see README.md here). This
script joins the two, refuses any text whose hash does not match, and prints the ablation
(rules only, model only, combined) over all texts and per register.

    PYTHONPATH=engine python corpus/field/check.py [--unread] [--half study|judge] [--round N|N-M|N,M] [--model CARD]
                                                   [--json] [--errors] [--against CARD]
    PYTHONPATH=engine python corpus/field/check.py --cross-rounds --round 1-6 --documents corpus/h.jsonl ...

The shipped model's document stage learnt from rounds 1-6 (TRAINED_ROUNDS): scoring it on them
measures nothing. Its figures on real text are --cross-rounds (the stage refitted with each
round held out in turn, then scored on that round) and rounds collected afterwards.

Every run also prints a 90% bootstrap interval for the combined figures; with --against, the
paired difference between --model (or the shipped model) and that other model, so that a
change is not read as a gain when the luck of which texts were collected could explain it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE_DIRS = [Path(os.environ["GAPFINDER_FIELD_CACHE"])] if os.environ.get("GAPFINDER_FIELD_CACHE") else []
CACHE_DIRS += [Path.home() / ".cache" / "gapfinder" / "field", HERE.parents[2] / "study" / "field_cache"]


# Rounds that were scored once as unseen text and then studied whole, both halves (see README).
READ_WHOLE = {3}
# Rounds whose study half was read; the other rounds' halves (4 and 5) were never read.
STUDY_HALF_READ = {1, 2}
# Rounds the shipped model's document stage was fitted on (tenth session): in-sample for it.
TRAINED_ROUNDS = {1, 2, 3, 4, 5, 6}


def studied(rec: dict) -> bool:
    """Whether a text is study material: its errors may be read and it may be trained on."""
    return rec["round"] in READ_WHOLE or (rec["round"] in STUDY_HALF_READ and rec["half"] == "study")


def half_of(text_id: str) -> str:
    """"study" or "judge", fixed by the id's hash: read the study half's errors to find what
    to change, and keep the judge half for the figure you trust (never read its errors)."""
    return "study" if int(hashlib.sha256(text_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "judge"


def round_of(index_stem: str) -> int:
    """The collection round, from the index file's name: 1 for employer and candidate (read for
    four sessions), N for roundN_* (collected later, on pages nobody had studied)."""
    head = index_stem.split("_", 1)[0]
    return int(head[5:]) if head.startswith("round") and head[5:].isdigit() else 1


def load_field(index_dir: Path = HERE) -> tuple[list[dict], list[str]]:
    """Labelled records (id, text, labels, register) for every index line whose cached text
    matches its hash, and the ids that are missing or do not match."""
    texts: dict[str, str] = {}
    for folder in CACHE_DIRS:
        for path in sorted(folder.glob("*.texts.jsonl")) if folder.is_dir() else []:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    texts.setdefault(row["id"], row["text"])
    records, missing = [], []
    for stem, row in index_lines(index_dir):
        text = texts.get(row["id"])
        if text is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != row["sha256"]:
            missing.append(row["id"])
            continue
        # Sentences a helper marked as stating each gap (study material only), as
        # character spans of the text: scored as evidence overlap, never quoted here.
        evidence = {label: [text[a:b] for a, b in spans] for label, spans in row.get("evidence_spans", {}).items()}
        records.append({"id": row["id"], "text": text, "labels": row["labels"], "evidence": evidence,
                        "register": row.get("register", "other"), "file": stem,
                        "half": half_of(row["id"]), "round": round_of(stem)})
    return records, missing


def index_lines(index_dir: Path = HERE) -> list[tuple[str, dict]]:
    """(index file's stem, row) for every line of the index, in file order."""
    return [(path.stem, json.loads(line))
            for path in sorted(index_dir.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="model card to score instead of the shipped one")
    parser.add_argument("--rules", default=None, help="rules folder to use instead of the shipped one")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--errors", action="store_true",
                        help="list the ids the combined engine gets wrong (study halves, and rounds read whole)")
    parser.add_argument("--half", choices=("all", "study", "judge"), default="all",
                        help="score only one half of the texts (halves are fixed by id hash)")
    parser.add_argument("--round", default="all",
                        help="score only these collection rounds: 7, 1-6 or 1,2 (see README.md: later rounds were collected on unseen pages)")
    parser.add_argument("--unread", action="store_true",
                        help="score only the texts never read (judge halves of rounds 1-2, rounds 4 on): the figure to trust")
    parser.add_argument("--export", default=None, metavar="FILE",
                        help="write the chosen texts as JSONL ({id, text, labels}) to FILE, outside the "
                             "repository, for 'gapfinder train --documents FILE'; then stop")
    parser.add_argument("--cross-rounds", action="store_true",
                        help="fit the document stage on all chosen rounds but one (plus --documents files) "
                             "and score the one left out, each round in turn")
    parser.add_argument("--documents", action="append", default=[], metavar="FILE",
                        help="with --cross-rounds: more labelled texts for every fit (e.g. corpus/h.jsonl)")
    parser.add_argument("--against", default=None,
                        help="model card to compare with: prints the paired bootstrap interval of the difference")
    args = parser.parse_args(argv)

    import gapfinder
    from gapfinder.training.evaluate import evaluate_with_predictions
    from gapfinder.training.metrics import bootstrap, format_table, score

    records, missing = load_field()
    if args.unread:
        records = [rec for rec in records if not studied(rec)]
    if args.half != "all":
        records = [rec for rec in records if rec["half"] == args.half]
    if args.round != "all":
        rounds = parse_rounds(args.round)
        if rounds is None:
            print(f"--round must be 'all', a number, a range such as 1-6 or a list such as 1,2, not {args.round!r}",
                  file=sys.stderr)
            return 2
        records = [rec for rec in records if rec["round"] in rounds]
    if not records:
        print("no cached field texts found: see corpus/field/README.md to re-collect them", file=sys.stderr)
        return 1
    if args.export:
        return export(records, Path(args.export))
    engine = gapfinder.load(model_path=args.model, rules_path=args.rules)
    gold = [set(rec["labels"]) for rec in records]
    if args.cross_rounds:
        return cross_rounds(engine, records, [Path(f) for f in args.documents], args.json)
    if args.model is None and any(rec["round"] in TRAINED_ROUNDS for rec in records):
        print(f"note: the shipped model's document stage learnt from rounds {min(TRAINED_ROUNDS)}-{max(TRAINED_ROUNDS)}; "
              "their combined figures are in-sample (use --cross-rounds, or a later round)", file=sys.stderr)
    results, predicted = evaluate_with_predictions(engine, records, ("rules", "model", "sentences", "combined"))
    by_register = defaultdict(list)
    wrong = []
    for rec, truth, got in zip(records, gold, predicted["combined"]):
        by_register[rec["register"]].append((truth, got))
        if got != truth and studied(rec):
            wrong.append((rec["id"], sorted(truth), sorted(got)))
    registers = {name: score([g for g, _ in pairs], [p for _, p in pairs]) for name, pairs in by_register.items()}
    spread = {"combined": bootstrap(gold, predicted["combined"])}
    if args.against:
        other = gapfinder.load(model_path=args.against, rules_path=args.rules)
        _, other_predicted = evaluate_with_predictions(other, records, ("combined",))
        spread["difference"] = bootstrap(gold, predicted["combined"], other_predicted["combined"])
        spread["against"] = score(gold, other_predicted["combined"])
    if args.json:
        print(json.dumps({"n": len(records), "missing": missing, "modes": results,
                          "registers": registers, "bootstrap": spread}, indent=2))
        return 0
    print(f"{len(records)} real texts ({len(missing)} missing from the cache or changed)")
    for mode, result in results.items():
        print()
        print(format_table(f"{mode}:", result))
    for mode, result in results.items():
        if result.get("evidence_checked"):
            print(f"{mode}: evidence overlaps the sentences a person marked in {result['evidence_overlap']:.0%} "
                  f"of {result['evidence_checked']} right gaps (study material only has marked sentences)")
    b = spread["combined"]
    print(f"\ncombined, 90% bootstrap interval over texts: macro-F1 {b['macro_f1'][0]:.3f} to {b['macro_f1'][1]:.3f}, "
          f"no-gap kept {_span(b['no_gap_kept'])}")
    if args.against:
        d, a = spread["difference"], spread["against"]
        print(f"against {args.against}: its combined macro-F1 {a['macro_f1']:.3f}, no-gap kept {a['no_gap_kept']}; "
              f"difference (this minus that), 90% interval: macro-F1 {d['macro_f1'][0]:+.3f} to {d['macro_f1'][1]:+.3f}, "
              f"no-gap kept {_span(d['no_gap_kept'], signed=True)}")
    print("\ncombined, per register:")
    for name, res in sorted(registers.items(), key=lambda kv: -len(by_register[kv[0]])):
        print(f"  {name:22} n={len(by_register[name]):3d} macro-F1 {res['macro_f1']:.3f} "
              f"no-gap kept {res['no_gap_kept'] if res['no_gap_kept'] is not None else 'n/a'}")
    if args.errors:
        print("\nwrong (id, gold, predicted):")
        for row in wrong:
            print("  ", *row)
    return 0


def parse_rounds(spec: str) -> set[int] | None:
    """"7", "1-6" or "1,2,4" as a set of round numbers; None when it is none of these."""
    rounds = set()
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            return None
        rounds.update(range(int(low), int(high or low) + 1))
    return rounds


def export(records: list[dict], path: Path) -> int:
    """Write the chosen texts as texts labelled by document only. The texts are third
    parties' words: they go to the cache's side of the line, never into the repository."""
    if HERE.parents[1] in path.resolve().parents:
        print(f"refusing to write real texts inside the repository ({path}); choose a path outside it", file=sys.stderr)
        return 2
    rows = [{"id": rec["id"], "text": rec["text"], "labels": sorted(rec["labels"])} for rec in records]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"wrote {len(rows)} texts to {path}")
    return 0


def cross_rounds(engine, records: list[dict], extra_files: list[Path], as_json: bool) -> int:
    """Refit the document stage without each round in turn and score that round with it:
    what the stage does on real text from pages it has not learnt from."""
    from gapfinder.training.corpus import Document, read_labelled_texts
    from gapfinder.training.evaluate import evaluate_with_predictions
    from gapfinder.training.metrics import bootstrap, format_table, score
    from gapfinder.training.train import attach_document_stage

    extra = [doc for path in extra_files for doc in read_labelled_texts(path)]
    rounds = sorted({rec["round"] for rec in records})
    if len(rounds) < 2:
        print("--cross-rounds needs texts of at least two rounds", file=sys.stderr)
        return 2
    predicted, without_stage = {}, {}
    for held_out in rounds:
        fit_on = [Document(rec["id"], "field", rec["text"], sorted(rec["labels"]), {}, [], "train")
                  for rec in records if rec["round"] != held_out] + extra
        attach_document_stage(engine, engine.model, fit_on, seed=13)
        test = [rec for rec in records if rec["round"] == held_out]
        _, got = evaluate_with_predictions(engine, test, ("sentences", "combined"))
        for rec, with_, without in zip(test, got["combined"], got["sentences"]):
            predicted[rec["id"]], without_stage[rec["id"]] = with_, without
        print(f"round {held_out}: fitted on {len(fit_on)} texts, scored {len(test)}", file=sys.stderr)
    report = {}
    for name, chosen in (("all", records), ("never read", [rec for rec in records if not studied(rec)])):
        if not chosen:
            continue
        gold = [set(rec["labels"]) for rec in chosen]
        got = [predicted[rec["id"]] for rec in chosen]
        before = [without_stage[rec["id"]] for rec in chosen]
        report[name] = {"n": len(chosen), "combined": score(gold, got), "sentences": score(gold, before),
                        "interval": bootstrap(gold, got), "difference": bootstrap(gold, got, before)}
    if as_json:
        print(json.dumps(report, indent=2))
        return 0
    for name, r in report.items():
        print(format_table(f"\n{name} ({r['n']} texts), each round scored by a stage fitted without it:", r["combined"]))
        s, i, d = r["sentences"], r["interval"], r["difference"]
        print(f"without the document stage: macro-F1 {s['macro_f1']:.3f}, no-gap kept {s['no_gap_kept']}")
        print(f"90% interval: macro-F1 {i['macro_f1'][0]:.3f} to {i['macro_f1'][1]:.3f}, no-gap kept {_span(i['no_gap_kept'])}; "
              f"difference made by the stage: macro-F1 {d['macro_f1'][0]:+.3f} to {d['macro_f1'][1]:+.3f}, "
              f"no-gap kept {_span(d['no_gap_kept'], signed=True)}")
    return 0


def _span(interval, signed: bool = False) -> str:
    if interval is None:
        return "n/a"
    fmt = "{:+.3f}" if signed else "{:.3f}"
    return f"{fmt.format(interval[0])} to {fmt.format(interval[1])}"


if __name__ == "__main__":
    sys.exit(main())

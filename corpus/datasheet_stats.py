"""Print the figures of the corpus datasheet (`corpus/README.md`) as Markdown.

Every count and table of the datasheet's "Composition" section (totals, evidence spans, splits
and files, kinds, labels, labels per document, no-gap and multi-label shares, strengths, hard
cases, professions, seniority, locale with each test writer's lean, lengths, and the structure
found in the texts) is computed here from the `*.jsonl` files, followed by the few figures the
rest of the datasheet quotes (evidence spans inside excluded ranges, spans given for two labels,
near-duplicate Jaccard, stock ATS phrases, regulator names in evidence, the most frequent year).
Run it after any corpus change and copy the figures into the README:

    PYTHONPATH=engine python corpus/datasheet_stats.py [FOLDER]

FOLDER defaults to the folder of this script (`corpus/`). Stdlib only, apart from three
stdlib-only engine modules: `gapfinder.read.quoted_reply` (quotes, forward headers, signatures),
`gapfinder.training.corpus` (the near-duplicate check of `tests/test_corpus.py`) and `gapfinder.labels`.

How the structure counts are made:
- quoted replies: texts where `excluded_ranges` finds a "quote" range ("On ... wrote:" line or
  `>` lines); the rest of the quoted texts have only a "forward" range (an Outlook-style
  From/Sent/To/Subject block or "Original Message" header);
- signatures: texts where `excluded_ranges` finds a "signature" range (a sign-off and/or
  signature block, wherever the detector places it: at the end of the text or just before a
  quoted message);
- bullets: texts with a line that starts (after optional spaces) with "-", "*" or a bullet
  character followed by white space; numbered lists are not counted;
- lower case: texts with no upper-case character at all.
Words are counted as `len(text.split())`, as the validator counts them.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

try:
    from gapfinder.training.corpus import Document, near_duplicates
    from gapfinder.labels import KINDS, LABELS
    from gapfinder.read.quoted_reply import excluded_ranges
except ImportError:  # run without PYTHONPATH=engine: use the engine next to this folder
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))
    from gapfinder.training.corpus import Document, near_duplicates
    from gapfinder.labels import KINDS, LABELS
    from gapfinder.read.quoted_reply import excluded_ranges

SPLITS = ("train", "dev", "test")
SENIORITY = ("intern", "graduate", "entry", "mid", "senior", "lead", "manager", "director", "executive")
LOCALES = ("US", "UK", "other")
BULLET = re.compile(r"^[ \t]*[-*\u2022][ \t]", re.MULTILINE)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
STOCK_PHRASES = ("thank you for your interest", "thank you for applying for", "please do not reply")
EVIDENCE_TERMS = ("CQC", "FDA", "Medicare", "Ofsted", "Building Safety Act", "Consumer Duty",
                  "IFRS", "ASC 606")


def n(x: int) -> str:
    return f"{x:,}"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def load(folder: Path) -> list[tuple[str, list[dict]]]:
    files = []
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            files.append((path.name, [json.loads(line) for line in fh if line.strip()]))
    return files


def table(header: list[str], rows: list[list], align: str) -> str:
    """Markdown table; `align` holds "l" or "r" per column."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def split_table(first: str, keys, docs, has, total_row: bool = False, sort: bool = False) -> str:
    """One row per key: documents of each split for which has(doc, key) holds, and the total."""
    rows = []
    for key in keys:
        per = [sum(1 for d in docs if d["split"] == s and has(d, key)) for s in SPLITS]
        rows.append([key, *per, sum(per)])
    if sort:
        rows.sort(key=lambda r: (r[0] == "other", -r[-1], r[0]))
    rows = [[r[0], *(n(c) for c in r[1:])] for r in rows]
    if total_row:
        per = [sum(1 for d in docs if d["split"] == s) for s in SPLITS]
        rows.append(["**total**", *(f"**{n(c)}**" for c in per), f"**{n(len(docs))}**"])
    return table([first, *SPLITS, "total"], rows, "lrrrr")


def by_split(docs, split):
    return docs if split == "all" else [d for d in docs if d["split"] == split]


def composition(files: list[tuple[str, list[dict]]]) -> list[str]:
    docs = [d for _name, file_docs in files for d in file_docs]
    total = len(docs)
    out = []
    spans = sum(len(v) for d in docs for v in d["evidence"].values())
    out.append(f"Corpus: {len(files)} files ({', '.join(name for name, _ in files)}), {n(total)} documents; "
               f"{n(spans)} evidence spans.")

    out.append("\n### Splits and files")
    rows = []
    for name, file_docs in files:
        prefix = name[: -len(".jsonl")]
        test_file = any(d["split"] == "test" for d in file_docs)
        writer = f"test writer {prefix}" if test_file else f"train/dev writer {prefix}"
        per = [sum(d["split"] == s for d in file_docs) for s in SPLITS]
        rows.append([name, writer, *(n(c) for c in per), n(len(file_docs))])
    per = [sum(d["split"] == s for d in docs) for s in SPLITS]
    rows.append(["**total**", "", *(f"**{n(c)}**" for c in per), f"**{n(total)}**"])
    out.append(table(["file", "writer", *SPLITS, "total"], rows, "llrrrr"))
    train_dev_files = [name[: -len(".jsonl")] for name, fd in files if not any(d["split"] == "test" for d in fd)]
    train_dev = per[0] + per[1]
    out.append(f"\nThe dev split holds {n(per[1])} of the {n(train_dev)} "
               f"{'/'.join(train_dev_files)} documents ({pct(per[1], train_dev)}).")

    out.append("\n### Kinds")
    out.append(split_table("kind", KINDS, docs, lambda d, k: d["kind"] == k))

    out.append("\n### Labels (documents carrying each label)")
    rows_src = [(lab, lambda d, lab=lab: lab in d["labels"]) for lab in LABELS]
    rows_src += [("no gap (empty `labels`)", lambda d: not d["labels"]),
                 ("two or more labels", lambda d: len(d["labels"]) >= 2)]
    rows = []
    for key, has in rows_src:
        per = [sum(1 for d in docs if d["split"] == s and has(d)) for s in SPLITS]
        rows.append([key, *(n(c) for c in per), n(sum(per))])
    out.append(table(["label", *SPLITS, "total"], rows, "lrrrr"))

    counts = Counter(len(d["labels"]) for d in docs)
    no_gap_kinds = Counter(d["kind"] for d in docs if not d["labels"]).most_common()
    shares_ng = " / ".join(pct(sum(not d["labels"] for d in by_split(docs, s)), len(by_split(docs, s)))
                           for s in SPLITS)
    shares_ml = " / ".join(pct(sum(len(d["labels"]) >= 2 for d in by_split(docs, s)), len(by_split(docs, s)))
                           for s in SPLITS)
    out.append(
        f"\nLabels per document: 0 in {n(counts[0])} documents, 1 in {n(counts[1])}, 2 in {n(counts[2])}, "
        f"3 in {n(counts[3])}, 4-5 in {n(counts[4] + counts[5]) if counts[4] + counts[5] else 'none'}. "
        f"No-gap documents by kind: {', '.join(f'{k} {n(c)}' for k, c in no_gap_kinds)}. "
        f"No-gap share {pct(counts[0], total)} (train/dev/test {shares_ng}); multi-label share "
        f"{pct(sum(c for k, c in counts.items() if k >= 2), total)} ({shares_ml})."
    )
    strengths = Counter(s for d in docs for s in d["strengths"])
    out.append(
        "Strengths (documents praising each area): "
        + ", ".join(f"{lab} {n(strengths[lab])}" for lab in sorted(LABELS, key=lambda x: -strengths[x]))
        + f"; {n(sum(bool(d['strengths']) for d in docs))} documents praise at least one area."
    )

    out.append("\n### Hard cases")
    hard = [d for d in docs if d.get("hard")]
    parts = []
    for s in SPLITS:
        sd = by_split(docs, s)
        h = sum(bool(d.get("hard")) for d in sd)
        parts.append(f"{s} {n(h)} ({pct(h, len(sd))})")
    types_per = Counter(len(d["hard"]) for d in hard)
    words = {1: "have one type", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    breakdown = [f"{n(types_per[k])} {words.get(k, str(k))}" for k in sorted(types_per)]
    out.append(f"{n(len(hard))} documents ({pct(len(hard), total)}) carry at least one hard-case type: "
               f"{', '.join(parts)}.")
    out.append(f"Of these, {', '.join(breakdown[:-1])} and {breakdown[-1]}." if len(breakdown) > 1
               else f"Of these, {breakdown[0]}.")
    hard_types = sorted({h for d in docs for h in d.get("hard", [])})
    out.append("\n" + split_table("hard-case type", hard_types, docs,
                                  lambda d, k: k in d.get("hard", []), sort=True))

    professions = sorted({d.get("profession", "") for d in docs})
    out.append(f"\n### Professions (all {len(professions)})")
    out.append(split_table("profession", professions, docs, lambda d, k: d.get("profession", "") == k,
                           total_row=True, sort=True))
    present = ", ".join(f"{len({d.get('profession') for d in by_split(docs, s)})} in {s}" for s in SPLITS)
    out.append(f"\nProfessions present: {present}.")

    out.append("\n### Seniority and locale")
    out.append(split_table("seniority", SENIORITY, docs, lambda d, k: d.get("seniority") == k))
    out.append("")
    out.append(split_table("locale", LOCALES, docs, lambda d, k: d.get("locale") == k))
    leans = []
    for name, file_docs in files:
        if any(d["split"] == "test" for d in file_docs):
            loc = Counter(d.get("locale") for d in file_docs).most_common()
            leans.append(f"{name[: -len('.jsonl')]} is " + " / ".join(f"{k} {n(c)}" for k, c in loc))
    out.append("\nLocale by file: " + "; ".join(
        f"{name[: -len('.jsonl')]} " + " / ".join(f"{k} {n(c)}" for k, c in Counter(d.get('locale') for d in fd).most_common())
        for name, fd in files) + ".")
    if leans:
        out.append("Test writers' lean: " + "; ".join(leans) + ".")

    out.append("\n### Length (words)")
    rows = []
    for s in (*SPLITS, "all"):
        lengths = [len(d["text"].split()) for d in by_split(docs, s)]
        buckets = [sum(x < 40 for x in lengths), sum(40 <= x <= 150 for x in lengths),
                   sum(151 <= x <= 300 for x in lengths), sum(x > 300 for x in lengths)]
        cells = [n(b) if s != "all" else f"{n(b)} ({pct(b, len(lengths))})" for b in buckets]
        rows.append([s, min(lengths), num(statistics.median(lengths)), max(lengths),
                     f"{statistics.mean(lengths):.1f}", *cells])
    out.append(table(["split", "min", "median", "max", "mean", "<40", "40-150", "151-300", ">300"],
                     rows, "lrrrrrrrr"))

    out.append("\n### Structure found in the texts")
    ranges = {d["id"]: excluded_ranges(d["text"]) for d in docs}
    reasons = {i: {r[2] for r in rs} for i, rs in ranges.items()}
    quoted = {i for i, r in reasons.items() if r & {"quote", "forward"}}
    with_quote = {i for i in quoted if "quote" in reasons[i]}
    tagged = {d["id"] for d in docs if "quoted_reply" in d.get("hard", [])}
    signature = sum("signature" in r for r in reasons.values())
    bullets = sum(bool(BULLET.search(d["text"])) for d in docs)
    lower = sum(not any(c.isupper() for c in d["text"]) for d in docs)
    out.append(
        f"Quoted earlier message (detector): {n(len(quoted))} texts ({n(len(with_quote))} with an "
        f"\"On ... wrote:\" line or `>` lines, {n(len(quoted - with_quote))} with a forward/Outlook header "
        f"block only); tagged `quoted_reply`: {n(len(tagged))}; "
        + ("the two sets are identical." if quoted == tagged else
           f"detected but not tagged: {sorted(quoted - tagged)}; tagged but not detected: {sorted(tagged - quoted)}.")
    )
    out.append(f"Sign-off or signature block (detector): {n(signature)} texts. Bullet lists: {n(bullets)} texts. "
               f"Entirely lower case: {n(lower)} texts.")
    return out, docs, ranges


def other_figures(docs: list[dict], ranges: dict) -> list[str]:
    out = ["\n## Other figures quoted in the datasheet"]
    overlapping = 0
    spans = 0
    for d in docs:
        excluded = ranges[d["id"]]
        for values in d["evidence"].values():
            for span in values:
                spans += 1
                starts = [m.start() for m in re.finditer(re.escape(span), d["text"])]
                if any(s < e and s + len(span) > b for s in starts for b, e, _ in excluded):
                    overlapping += 1
    out.append(f"- Evidence spans with an occurrence that overlaps an excluded range (quote, forward header, "
               f"signature): {overlapping} of {n(spans)}.")
    shared = Counter()
    for d in docs:
        uses = Counter(span for values in d["evidence"].values() for span in set(values))
        if any(c >= 2 for c in uses.values()):
            shared[d["id"].split("-")[0]] += 1
    out.append(f"- Documents where one evidence span is given for two or more labels: {n(sum(shared.values()))}"
               + (" (" + ", ".join(f"{k} {c}" for k, c in sorted(shared.items())) + ")" if shared else "") + ".")

    pairs = near_duplicates(
        [Document(d["id"], d["kind"], d["text"], [], {}, [], d["split"]) for d in docs],
        threshold=0.5, cross_split_only=False,
    )
    cross = [p for p in pairs if next(d for d in docs if d["id"] == p[0])["split"]
             != next(d for d in docs if d["id"] == p[1])["split"]]
    top = max((p[2] for p in pairs), default=None)
    out.append(f"- Near-duplicate pairs (word 5-gram shingle Jaccard >= 0.5), any split: {len(pairs)} "
               f"({len(cross)} across splits; >= 0.8: {sum(p[2] >= 0.8 for p in pairs)})"
               + (f"; highest {top}." if top is not None else "."))

    texts = [d["text"].lower() for d in docs]
    out.append("- Stock phrases (texts containing, case-insensitive): "
               + ", ".join(f"\"{p}\" {sum(p in t for t in texts)}" for p in STOCK_PHRASES) + ".")
    terms = []
    for term in EVIDENCE_TERMS:
        labels = Counter(lab for d in docs for lab, values in d["evidence"].items()
                         for span in values if term in span)
        if labels:
            terms.append(f"{term} {sum(labels.values())} ({', '.join(f'{k} {c}' for k, c in labels.most_common())})")
    out.append("- Evidence spans naming a regulator or rule: " + "; ".join(terms) + ".")
    years = Counter(y for d in docs for y in YEAR.findall(d["text"])).most_common(3)
    out.append("- Most frequent years mentioned: " + ", ".join(f"{y} ({c})" for y, c in years) + ".")
    return out


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parent
    files = load(folder)
    if not files:
        print(f"no *.jsonl files in {folder}", file=sys.stderr)
        return 1
    lines, docs, ranges = composition(files)
    print("## Composition figures\n")
    print("\n".join(lines))
    print("\n".join(other_figures(docs, ranges)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

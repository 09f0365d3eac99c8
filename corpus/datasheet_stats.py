"""Print the figures of the corpus datasheet (`corpus/README.md`) as Markdown.

Every count and table of the datasheet's "Composition" section (totals, evidence spans, splits
and files, writer rounds, kinds, registers, labels, labels per document, no-gap and multi-label
shares, strengths, hard cases, professions, seniority, locale with each test writer's lean,
lengths per split and length bands per writer round, and the structure found in the texts) is
computed here from the `*.jsonl` files, followed by the few figures the
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

Writer rounds: a file whose documents carry the optional `register` field belongs to the
real-register round (h, i, j, tc); the other files (a-g, ta, tb) are the first rounds, whose
documents have no `register` and are shown as "(none)" in the register tables. Hard-case names
and registers are listed in the validator's order (`HARD_CASES`, `REGISTERS`), so a name no
document uses still gets a row (with zeros).
"""
from __future__ import annotations

import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

try:
    from gapfinder.training.corpus import HARD_CASES, REGISTERS, Document, near_duplicates
    from gapfinder.labels import KINDS, LABELS
    from gapfinder.read.quoted_reply import excluded_ranges
except ImportError:  # run without PYTHONPATH=engine: use the engine next to this folder
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))
    from gapfinder.training.corpus import HARD_CASES, REGISTERS, Document, near_duplicates
    from gapfinder.labels import KINDS, LABELS
    from gapfinder.read.quoted_reply import excluded_ranges

SPLITS = ("train", "dev", "test")
SENIORITY = ("intern", "graduate", "entry", "mid", "senior", "lead", "manager", "director", "executive")
LOCALES = ("US", "UK", "other")
BULLET = re.compile(r"^[ \t]*[-*\u2022][ \t]", re.MULTILINE)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
STOCK_PHRASES = ("thank you for your interest", "thank you for applying for", "please do not reply")
NO_REGISTER = "(none)"
# hard-case names added with the real-register round (marked "new" in the hard-case table)
NEW_HARD = ("euphemism", "narrative", "fragment", "placeholder", "satire", "false_alarm")
# length bands per writer round: (heading, lowest, highest) in words, inclusive
ROUND_BANDS = (("<30", 0, 29), ("30-150", 30, 150), ("151-250", 151, 250), (">250", 251, None))
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


def prefix_of(name: str) -> str:
    return name[: -len(".jsonl")]


def real_register(file_docs: list[dict]) -> bool:
    """A file of the real-register round: its documents carry the optional `register` field."""
    return any("register" in d for d in file_docs)


def rounds(files) -> list[tuple[str, list[dict]]]:
    """(name, documents) of each writer round: first rounds, then the real-register round."""
    out = []
    for real, title in ((False, "first rounds"), (True, "real-register round")):
        members = [(name, fd) for name, fd in files if real_register(fd) == real]
        if members:
            label = f"{title} ({', '.join(prefix_of(name) for name, _ in members)})"
            out.append((label, [d for _name, fd in members for d in fd]))
    return out


def in_band(x: int, low: int, high) -> bool:
    return x >= low and (high is None or x <= high)


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
        if real_register(file_docs):
            writer = "real-register " + writer
        per = [sum(d["split"] == s for d in file_docs) for s in SPLITS]
        rows.append([name, writer, *(n(c) for c in per), n(len(file_docs))])
    per = [sum(d["split"] == s for d in docs) for s in SPLITS]
    rows.append(["**total**", "", *(f"**{n(c)}**" for c in per), f"**{n(total)}**"])
    out.append(table(["file", "writer", *SPLITS, "total"], rows, "llrrrr"))
    train_dev_files = [name[: -len(".jsonl")] for name, fd in files if not any(d["split"] == "test" for d in fd)]
    train_dev = per[0] + per[1]
    out.append(f"\nThe dev split holds {n(per[1])} of the {n(train_dev)} "
               f"{'/'.join(train_dev_files)} documents ({pct(per[1], train_dev)}).")
    dev_by_file = [(prefix_of(name), sum(d["split"] == "dev" for d in fd), len(fd))
                   for name, fd in files if not any(d["split"] == "test" for d in fd)]
    out.append("Dev by file: " + "; ".join(f"{p} {n(k)} of {n(t)} ({pct(k, t)})" for p, k, t in dev_by_file) + ".")

    out.append("\n### Writer rounds")
    rows = []
    for title, rd in (*rounds(files), ("all", docs)):
        per = [sum(d["split"] == s for d in rd) for s in SPLITS]
        k = len(rd)
        rows.append([title, *(n(c) for c in per), n(k),
                     f"{n(sum(not d['labels'] for d in rd))} ({pct(sum(not d['labels'] for d in rd), k)})",
                     f"{n(sum(len(d['labels']) >= 2 for d in rd))} ({pct(sum(len(d['labels']) >= 2 for d in rd), k)})",
                     f"{n(sum(bool(d.get('hard')) for d in rd))} ({pct(sum(bool(d.get('hard')) for d in rd), k)})",
                     *(n(sum(lab in d["labels"] for d in rd)) for lab in LABELS)])
    out.append(table(["round", *SPLITS, "total", "no gap", "2+ labels", "hard", *LABELS], rows,
                     "l" + "r" * (7 + len(LABELS))))
    real_files = [(prefix_of(name), fd) for name, fd in files if real_register(fd)]
    if real_files:
        out.append("\nReal-register files (shares of each file):\n")
        rows = []
        for p, fd in real_files:
            k = len(fd)
            label_shares = [sum(lab in d["labels"] for d in fd) for lab in LABELS]
            prof = Counter(d.get("profession") for d in fd)
            top_n = max(prof.values())
            top = ", ".join(sorted(k for k, c in prof.items() if c == top_n))
            rows.append([p, n(k), pct(sum(not d["labels"] for d in fd), k),
                         f"{pct(min(label_shares), k)}-{pct(max(label_shares), k)}",
                         pct(sum(len(d["labels"]) >= 2 for d in fd), k),
                         pct(sum(bool(d.get("hard")) for d in fd), k),
                         len(prof), f"{top} {top_n} ({pct(top_n, k)})",
                         " / ".join(f"{loc} {n(c)}" for loc, c in Counter(d.get("locale") for d in fd).most_common())])
        out.append(table(["file", "documents", "no gap", "each label", "2+ labels", "hard", "professions",
                          "largest profession", "locale"], rows, "lrrrrrrll"))

    out.append("\n### Kinds")
    out.append(split_table("kind", KINDS, docs, lambda d, k: d["kind"] == k))

    out.append("\n### Registers (optional field `register`)")
    reg = lambda d: d.get("register", NO_REGISTER)  # noqa: E731
    unknown = sorted({reg(d) for d in docs} - set(REGISTERS) - {NO_REGISTER})
    keys = [*sorted(REGISTERS, key=lambda r: -sum(reg(d) == r for d in docs)), *unknown, NO_REGISTER]
    out.append(split_table("register", keys, docs, lambda d, k: reg(d) == k, total_row=True))
    real_files = [(prefix_of(name), fd) for name, fd in files if real_register(fd)]
    if real_files:
        out.append("\nRegisters by real-register file:\n")
        rows = []
        for r in keys[:-1]:
            per = [sum(reg(d) == r for d in fd) for _p, fd in real_files]
            rows.append([r, *(n(c) for c in per), n(sum(per))])
        rows.append(["**total**", *(f"**{n(len(fd))}**" for _p, fd in real_files),
                     f"**{n(sum(len(fd) for _p, fd in real_files))}**"])
        out.append(table(["register", *(p for p, _ in real_files), "total"], rows, "l" + "r" * (len(real_files) + 1)))
        used = {p: len({reg(d) for d in fd}) for p, fd in real_files}
        out.append("\nRegisters used per file: " + ", ".join(f"{p} {c}" for p, c in used.items())
                   + f"; all real-register files together: {len({reg(d) for _p, fd in real_files for d in fd})}"
                   + f" of {len(REGISTERS)}.")
        kinds_by_reg = []
        for r in keys[:-1]:
            kc = Counter(d["kind"] for _p, fd in real_files for d in fd if reg(d) == r).most_common()
            if kc:
                kinds_by_reg.append(f"{r} -> " + ", ".join(f"{k} {n(c)}" for k, c in kc))
        out.append("Kind by register: " + "; ".join(kinds_by_reg) + ".")

    out.append("\n### Labels (documents carrying each label)")
    rows_src = [(lab, lambda d, lab=lab: lab in d["labels"]) for lab in LABELS]
    rows_src += [("no gap (empty `labels`)", lambda d: not d["labels"]),
                 ("two or more labels", lambda d: len(d["labels"]) >= 2)]
    rows = []
    for key, has in rows_src:
        per = [sum(1 for d in docs if d["split"] == s and has(d)) for s in SPLITS]
        rows.append([key, *(n(c) for c in per), n(sum(per))])
    out.append(table(["label", *SPLITS, "total"], rows, "lrrrr"))
    trdev = [d for d in docs if d["split"] != "test"]
    test = by_split(docs, "test")
    out.append("\nLabel shares, train+dev vs test: " + ", ".join(
        f"{lab} {pct(sum(lab in d['labels'] for d in trdev), len(trdev))} vs "
        f"{pct(sum(lab in d['labels'] for d in test), len(test))}" for lab in LABELS) + ".")

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
    hard_types = [*HARD_CASES, *sorted({h for d in docs for h in d.get("hard", [])} - set(HARD_CASES))]
    hard_rows = split_table("hard-case type", hard_types, docs, lambda d, k: k in d.get("hard", []), sort=True)
    for name in NEW_HARD:
        hard_rows = hard_rows.replace(f"\n| {name} |", f"\n| {name} (new) |")
    out.append("\n" + hard_rows)
    parts = []
    for title, rd in rounds(files):
        h = sum(bool(d.get("hard")) for d in rd)
        new = sum(any(x in NEW_HARD for x in d.get("hard", [])) for d in rd)
        parts.append(f"{title}: {n(h)} of {n(len(rd))} hard ({pct(h, len(rd))}), "
                     f"{n(new)} with a new type")
    out.append("\n(new) = added with the real-register round. By round: " + "; ".join(parts) + ".")
    real_files = [(prefix_of(name), fd) for name, fd in files if real_register(fd)]
    if real_files:
        out.append("New types by real-register file: " + "; ".join(
            f"{p} " + ", ".join(f"{h} {n(sum(h in d.get('hard', []) for d in fd))}" for h in NEW_HARD)
            for p, fd in real_files) + ".")

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

    out.append("\n### Length bands by writer round (words)")
    groups = [*rounds(files), ("all", docs)]
    real_files = [(prefix_of(name), fd) for name, fd in files if real_register(fd)]
    rows = []
    for title, rd in [*groups[:-1], *((f"{p}.jsonl", fd) for p, fd in real_files), groups[-1]]:
        lengths = [len(d["text"].split()) for d in rd]
        cells = [sum(in_band(x, lo, hi) for x in lengths) for _h, lo, hi in ROUND_BANDS]
        rows.append([title, n(len(lengths)), min(lengths), num(statistics.median(lengths)), max(lengths),
                     f"{statistics.mean(lengths):.1f}", *(f"{n(c)} ({pct(c, len(lengths))})" for c in cells)])
    out.append(table(["round / file", "documents", "min", "median", "max", "mean",
                      *(h for h, _lo, _hi in ROUND_BANDS)], rows, "lrrrrrrrrr"))

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

"""Load and validate the labelled corpus (one JSON document per line).

Stdlib only, so writers can check a draft file before the engine exists:
    PYTHONPATH=engine python -m gapfinder.training.corpus FILE...
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..labels import KINDS, LABELS

SPLITS = ("train", "dev", "test")
HARD_CASES = (
    "praise_contrast",      # praise beside criticism
    "negation",             # a category negated ("your CV wasn't the problem")
    "hedged",               # hedged advice ("you might want to...")
    "implicit",             # gap stated with no keyword of its category
    "mention_no_gap",       # a category mentioned, but no gap
    "industry_vs_interview",  # business/market prep vs interview prep
    "cert_required_vs_advised",  # eligibility vs technical
    "matched_vs_specific",  # "experience more closely matched" vs a specific gap
    "quoted_reply",         # quoted earlier message that must not change labels
    "mixed_signals",        # other subtle cases (sarcasm, reported speech, typos hiding cues)
    # added with the real-register writers (second round, issue 9)
    "euphemism",            # the gap said softly or by comparison ("lines up more closely with...")
    "narrative",            # a long story with the gap stated once, or only implied
    "fragment",             # headed forms, scorecards, lists, clipped notes
    "placeholder",          # template text with {{name}} / [ROLE] slots left in
    "satire",               # parody or exaggeration; labels follow what it says of the candidate
    "false_alarm",          # gap words that state no gap (job advert, praise, filled role)
)
# Where a text's register comes from (optional field; real-register writers set it).
REGISTERS = (
    "recruiter_email", "ats_reply", "template", "feedback_form", "scorecard",
    "interviewer_anecdote", "candidate_writeup", "forum_post", "mock_interview_notes",
    "chat_message", "satire", "non_native", "job_advert", "other",
)
MAX_WORDS = 900
REQUIRED = {
    "id": str,
    "kind": str,
    "text": str,
    "labels": list,
    "evidence": dict,
    "strengths": list,
    "split": str,
}


@dataclass
class Document:
    """One labelled text of the corpus."""

    id: str
    kind: str
    text: str
    labels: list[str]
    evidence: dict[str, list[str]]
    strengths: list[str]
    split: str
    hard: list[str] = field(default_factory=list)
    profession: str = ""
    extra: dict = field(default_factory=dict)


class CorpusError(ValueError):
    """A corpus line breaks the format contract; the message reads `file:line: what`."""


def check_record(rec: object) -> list[str]:
    """Return every problem with one parsed record (empty list when it is valid)."""
    if not isinstance(rec, dict):
        return ["a line must be a JSON object"]
    problems = []
    for key, typ in REQUIRED.items():
        if key not in rec:
            problems.append(f"missing field {key!r}")
        elif not isinstance(rec[key], typ):
            problems.append(f"field {key!r} must be {typ.__name__}")
    if problems:
        return problems
    text = rec["text"]
    if rec["kind"] not in KINDS:
        problems.append(f"kind {rec['kind']!r} is not one of {', '.join(KINDS)}")
    if rec["split"] not in SPLITS:
        problems.append(f"split {rec['split']!r} is not one of {', '.join(SPLITS)}")
    for name in ("labels", "strengths"):
        vals = rec[name]
        bad = [v for v in vals if v not in LABELS]
        if bad:
            problems.append(f"{name} has unknown label(s) {bad}")
        if len(set(vals)) != len(vals):
            problems.append(f"{name} has duplicates")
    if rec["labels"] != sorted(rec["labels"]):
        problems.append("labels must be sorted")
    if set(rec["evidence"]) != set(rec["labels"]):
        problems.append(
            f"evidence keys {sorted(rec['evidence'])} differ from labels {rec['labels']}"
        )
    for label, spans in rec["evidence"].items():
        if not isinstance(spans, list) or not spans:
            problems.append(f"evidence[{label!r}] must be a non-empty list")
            continue
        for span in spans:
            if not isinstance(span, str) or not span.strip():
                problems.append(f"evidence[{label!r}] has an empty or non-string item")
            elif span not in text:
                problems.append(f"evidence[{label!r}] is not a substring of text: {span[:60]!r}")
    hard = rec.get("hard", [])
    if not isinstance(hard, list) or any(h not in HARD_CASES for h in hard):
        problems.append(f"hard must be a list drawn from {', '.join(HARD_CASES)}")
    if "register" in rec and rec["register"] not in REGISTERS:
        problems.append(f"register {rec['register']!r} is not one of {', '.join(REGISTERS)}")
    words = len(text.split())
    if not 3 <= words <= MAX_WORDS:
        problems.append(f"text has {words} words (expected 3 to {MAX_WORDS})")
    return problems


def json_lines(path: Path) -> Iterator[tuple[int, object, str | None]]:
    """(line number, parsed value, problem) for each non-blank line of a JSONL file."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line), None
            except json.JSONDecodeError as exc:
                yield lineno, None, f"not valid JSON ({exc.msg})"


def read_documents(paths: Iterable[Path]) -> Iterator[Document]:
    """Yield every document of the given JSONL files; raise CorpusError on the first bad line."""
    known = set(REQUIRED) | {"hard", "profession"}
    for path in paths:
        for lineno, rec, problem in json_lines(path):
            problems = [problem] if problem else check_record(rec)
            if problems:
                raise CorpusError(f"{path}:{lineno}: {'; '.join(problems)}")
            yield Document(
                id=rec["id"], kind=rec["kind"], text=rec["text"], labels=rec["labels"],
                evidence=rec["evidence"], strengths=rec["strengths"], split=rec["split"],
                hard=rec.get("hard", []), profession=rec.get("profession", ""),
                extra={k: v for k, v in rec.items() if k not in known},
            )


def read_labelled_texts(path: Path) -> list[Document]:
    """Texts labelled by document only ({"text", "labels"}, optional "id"), as a careers
    service or a real-text check has them: which gaps a text states, not where. Training
    gives each one positive sentence per label (training.train.pick_document_evidence).

    Ids default to "<file stem>-<line>", so one file is one writer for the writer folds."""
    docs = []
    for lineno, rec, problem in json_lines(path):
        problems = [problem] if problem else []
        if not problems and not isinstance(rec, dict):
            problems = ["a line must be a JSON object"]
        if not problems:
            text, labels = rec.get("text"), rec.get("labels")
            if not isinstance(text, str) or not text.strip():
                problems.append("field 'text' must be a non-empty string")
            if not isinstance(labels, list) or any(v not in LABELS for v in labels) or len(set(labels)) != len(labels):
                problems.append(f"field 'labels' must be a list of distinct labels from {', '.join(LABELS)}")
            if "id" in rec and not isinstance(rec["id"], str):
                problems.append("field 'id' must be a string")
        if problems:
            raise CorpusError(f"{path}:{lineno}: {'; '.join(problems)}")
        docs.append(Document(id=rec.get("id") or f"{path.stem}-{lineno:05d}", kind="document_labelled",
                             text=text, labels=sorted(labels), evidence={}, strengths=[], split="train"))
    if not docs:
        raise CorpusError(f"{path}: no labelled texts in this file")
    return docs


def corpus_files(folder: Path) -> list[Path]:
    """The corpus files of a folder, in a stable order."""
    return sorted(p for p in Path(folder).glob("*.jsonl"))


def normalise(text: str) -> str:
    """Lower-case, keep letters and digits, fold white space: the form duplicates are judged on."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def shingles(text: str, size: int = 5) -> set[str]:
    """Word 5-gram shingles of the normalised text (the whole text when shorter)."""
    words = normalise(text).split()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_duplicates(docs: list[Document], threshold: float = 0.8, cross_split_only: bool = True):
    """Pairs of documents whose shingle Jaccard is at least `threshold`.

    An inverted index over shingles keeps this near-linear: only documents that share a
    shingle are compared.
    """
    sh = [shingles(d.text) for d in docs]
    index: dict[str, list[int]] = {}
    for i, s in enumerate(sh):
        for g in s:
            index.setdefault(g, []).append(i)
    pairs = []
    for i, s in enumerate(sh):
        candidates = {j for g in s for j in index[g] if j > i}
        for j in sorted(candidates):
            if cross_split_only and docs[i].split == docs[j].split:
                continue
            score = jaccard(s, sh[j])
            if score >= threshold:
                pairs.append((docs[i].id, docs[j].id, round(score, 3)))
    return pairs


def sha256_of_files(paths: Iterable[Path]) -> str:
    """One SHA-256 over the corpus files, in order: the model card's data fingerprint."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or corpus_files(Path("corpus"))
    failed = 0
    docs = []
    for path in paths:
        for lineno, rec, problem in json_lines(path):
            problems = [problem] if problem else check_record(rec)
            if problems:
                failed += 1
                print(f"{path}:{lineno}: {'; '.join(problems)}")
            else:
                docs.append(rec)
    ids = [d["id"] for d in docs]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        failed += 1
        print(f"duplicate ids: {sorted(dupes)[:20]}")
    n = len(docs)
    label_counts = {lab: sum(lab in d["labels"] for d in docs) for lab in LABELS}
    print(
        f"{n} valid documents, {failed} problems; no-gap {sum(not d['labels'] for d in docs)}, "
        f"multi-label {sum(len(d['labels']) > 1 for d in docs)}, "
        f"hard {sum(bool(d.get('hard')) for d in docs)}; labels {label_counts}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

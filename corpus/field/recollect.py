"""Rebuild the real-text cache from the index, one saved search result at a time.

Stored copies of public pages drift: an excerpt may start a few characters earlier or later
than when the text was first cut. So this does not trust `offset`; it looks for any window of
`chars` characters in the saved result whose SHA-256 equals the index line's `sha256`, and
keeps the text only then (no guessing, no "close enough").

    python corpus/field/recollect.py todo                 # missing ids, grouped by query
    python corpus/field/recollect.py add ID FILE [...]    # find ID's text in FILE(s), cache it

FILE holds what the search tool (or `read_file`) returned, pasted as plain text or as the
tool's JSON (its "excerpt"/"text" strings are decoded before the scan).
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from check import CACHE_DIRS, index_lines, load_field  # noqa: E402  (same folder; the cache rules live there)

OUT_DIR = CACHE_DIRS[0]   # one file per id, so collectors working side by side never share a file


def index_rows() -> dict[str, dict]:
    return {row["id"]: row for _, row in index_lines(HERE)}


def candidate_texts(raw: str) -> list[str]:
    """The pasted text itself, plus every string inside it if it parses as JSON."""
    found = [raw]
    try:
        data = json.loads(raw)
    except ValueError:
        return found
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def find_window(haystacks: list[str], chars: int, sha: str) -> str | None:
    for text in haystacks:
        for start in range(0, max(len(text) - chars, 0) + 1):
            window = text[start:start + chars]
            if hashlib.sha256(window.encode("utf-8")).hexdigest() == sha:
                return window
    return None


def main(argv: list[str]) -> int:
    rows = index_rows()
    if argv[:1] == ["todo"]:
        _, missing = load_field()
        groups = defaultdict(list)
        for rid in missing:
            row = rows[rid]
            key = (row["corpus"], row.get("query") or "", row.get("repo") or "", row.get("path") or "",
                   row.get("commit") or "")
            groups[key].append(f'{rid}@rank{row.get("rank")}+{row["offset"]}:{row["chars"]}')
        for (corpus, query, repo, path, commit), ids in sorted(groups.items()):
            where = f"query={query!r}" if query else ""
            if repo:
                where += f" repo={repo} path={path} commit={commit}"
            print(f"{corpus}\t{where}\t{' '.join(ids)}")
        print(f"{len(missing)} of {len(rows)} missing", file=sys.stderr)
        return 0
    if argv[:1] == ["add"] and len(argv) >= 3:
        rid = argv[1]
        if rid not in rows:
            print(f"no index line has id {rid!r}", file=sys.stderr)
            return 2
        haystacks = [h for f in argv[2:] for h in candidate_texts(Path(f).read_text(encoding="utf-8"))]
        text = find_window(haystacks, rows[rid]["chars"], rows[rid]["sha256"])
        if text is None:
            print(f"{rid}: no window of {rows[rid]['chars']} characters matches its hash", file=sys.stderr)
            return 1
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        (OUT_DIR / f"{rid}.texts.jsonl").write_text(
            json.dumps({"id": rid, "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{rid}: found and cached")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

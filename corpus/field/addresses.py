"""Is an address free for the real-text check: not reserved for the outside check, not taken?

Two slips taught this (field README, rounds 8 and 9): the reserved list writes addresses
without scheme, "www." or query string, so comparing whole addresses let a reserved page
through; and one Reddit comment reached through two mirror domains looked like two addresses.
So addresses are compared as keys: domain without "www." plus path, no query or fragment, no
trailing slash; a Reddit thread (any domain, `/r/SUB/comments/ID`) is keyed by SUB and ID;
code by repo and path. A reserved entry covers every address whose key starts with it.

    python3 corpus/field/addresses.py URL_OR_REPO:PATH [...]   # "free", "reserved" or "taken by ID"
    python3 corpus/field/addresses.py --audit                  # every index line: reserved? shared?

Exit status 1 when any address given is not free (with --audit: when any index line is reserved).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from check import index_lines  # noqa: E402  (same folder: one reader of the index)

RESERVED = HERE.parents[2] / "shared" / "eval" / "reserved_sources.txt"
REDDIT_THREAD = re.compile(r"^/r/([^/]+)/comments/([a-z0-9]+)", re.I)


def address_key(address: str, keep_query: bool = False) -> str:
    """The comparable form of a page address ("domain/path") or a code address ("repo:path").
    With keep_query, a query string stays: on some sites ("?p=2504") it is what names the page."""
    address = address.strip()
    if "://" not in address and ":" in address.split("/", 1)[0]:
        return address.lower()  # owner/name:path from the code corpus
    parts = urlsplit(address if "://" in address else "//" + address)
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    path = parts.path.rstrip("/")
    thread = REDDIT_THREAD.match(path)
    if thread:
        return f"reddit/r/{thread.group(1).lower()}/comments/{thread.group(2).lower()}"
    query = f"?{parts.query}" if keep_query and parts.query else ""
    return f"{host}{path}{query}".lower()


def covered(key: str, reserved: list[str]) -> bool:
    """Whether a reserved entry covers this key (the entry is the key or a folder of it)."""
    return any(key == r or key.startswith(r + "/") or r.startswith(key + "/") for r in reserved)


def read_reserved(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [address_key(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def index_addresses(index_dir: Path = HERE) -> list[tuple[str, str]]:
    """(id, address as written) for every index line: the page's url, or repo:path for code."""
    return [(row["id"], row.get("url") or f"{row.get('repo')}:{row.get('path')}") for _, row in index_lines(index_dir)]


def verdict(address: str, reserved: list[str], taken: list[tuple[str, str]]) -> str:
    """"reserved", "taken by ID, ...", or "free"; `taken` holds (id, address) pairs."""
    if covered(address_key(address), reserved):
        return "reserved"
    key = address_key(address, keep_query=True)
    ids = [rid for rid, where in taken if address_key(where, keep_query=True) == key]
    return f"taken by {', '.join(ids)}" if ids else "free"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addresses", nargs="*")
    parser.add_argument("--reserved", type=Path, default=RESERVED, help="the reserved list (default: ../shared/eval/)")
    parser.add_argument("--audit", action="store_true", help="check every index line against the reserved list")
    args = parser.parse_args(argv)
    reserved = read_reserved(args.reserved)
    if not reserved:
        print(f"note: no reserved list at {args.reserved}; only the index is checked", file=sys.stderr)
    taken = index_addresses()
    if args.audit:
        clashes = [(rid, address_key(where)) for rid, where in taken if covered(address_key(where), reserved)]
        for rid, key in clashes:
            print(f"{rid}: reserved ({key})")
        by_key: dict[str, list[str]] = {}
        for rid, where in taken:
            by_key.setdefault(address_key(where, keep_query=True), []).append(rid)
        # ids of one collector share a prefix ("e9-", "emp-"); one address in two collectors'
        # files is the same page taken twice, or one passage reached by two queries
        shared = {key: ids for key, ids in by_key.items() if len({i.split("-")[0] for i in ids}) > 1}
        for key, ids in shared.items():
            print(f"{', '.join(ids)}: one address in more than one collector's file ({key})")
        print(f"{len(taken)} index lines, {len(by_key)} addresses; {len(clashes)} reserved, "
              f"{len(shared)} in more than one collector's file")
        return 1 if clashes else 0
    bad = 0
    for address in args.addresses:
        said = verdict(address, reserved, taken)
        bad += said != "free"
        print(f"{address}\t{said}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Read and validate a model card before anything in it is used.

A card is JSON written beside a model file. It is read with a byte cap (MAX_CARD_BYTES,
refused by size before reading), parsed with NaN and Infinity refused, its nesting limited
to MAX_DEPTH, and every field the engine uses checked for its type:

    model_file       a plain file name (no folder part), ending in .joblib
    model_sha256     64 hexadecimal digits
    thresholds       {mode: {label: number}} for "combined" and "model" (and "rules" and
                     "document", the document stage's, when given), every label present, each a number in (0, 1), never NaN/null
    labels, format, name, description, protocol, fitted_on, library_versions,
    hyperparameters, corpus, metrics    their types, when present

Each problem is a ModelError "CARD:FIELD: what is wrong" (CARD is the card's file name).
The model file is read the same way, capped at MAX_MODEL_BYTES.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

from ..errors import ModelError
from ..labels import LABELS
from ..read.bounded_read import NotRegularFile, read_file_capped

MAX_CARD_BYTES = 1_000_000
MAX_MODEL_BYTES = 200_000_000
MAX_DEPTH = 12
THRESHOLD_MODES = ("combined", "model", "rules", "document")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TYPES = {
    "labels": list, "format": int, "name": str, "description": str, "protocol": str,
    "fitted_on": list, "library_versions": dict, "hyperparameters": dict, "corpus": dict,
    "metrics": dict,
}


def read_card(card_path: Path) -> dict:
    """The validated card at card_path, or ModelError naming card, field and problem."""
    name = card_path.name
    data = _read(card_path, MAX_CARD_BYTES, "model card")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModelError(f"{name}: the card is not UTF-8 text (bad byte at position {exc.start})") from None
    if _depth(text) > MAX_DEPTH:
        raise ModelError(f"{name}: the card is nested more than {MAX_DEPTH} levels deep")
    try:
        card = json.loads(text, parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{name}: the card is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except (ValueError, RecursionError) as exc:
        raise ModelError(f"{name}: the card is not valid JSON ({str(exc).splitlines()[0][:100]})") from None
    where = _find_constant(card)
    if where is not None:
        field, constant = where
        raise ModelError(f"{name}:{field or '(top)'}: {constant} is not a number JSON allows")
    validate_card(card, name)
    return card


def read_model_bytes(model_path: Path) -> bytes:
    return _read(model_path, MAX_MODEL_BYTES, "model file")


def validate_card(card, name: str) -> None:
    if not isinstance(card, dict):
        raise ModelError(f"{name}: the card is not a JSON object")

    def fail(field: str, what: str):
        raise ModelError(f"{name}:{field}: {what}")

    model_file = card.get("model_file")
    if not isinstance(model_file, str) or not model_file:
        fail("model_file", "missing, or not a file name")
    if "/" in model_file or "\\" in model_file or model_file in (".", ".."):
        fail("model_file", f"{model_file[:80]!r} is not a plain file name in the card's folder")
    sha = card.get("model_sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        fail("model_sha256", "missing, or not 64 lower-case hexadecimal digits")
    thresholds = card.get("thresholds")
    if not isinstance(thresholds, dict):
        fail("thresholds", "missing, or not an object of modes")
    for mode in THRESHOLD_MODES:
        if mode not in thresholds:
            if mode in ("rules", "document"):
                continue
            fail(f"thresholds.{mode}", "missing")
        per_label = thresholds[mode]
        if not isinstance(per_label, dict):
            fail(f"thresholds.{mode}", "not an object of labels")
        missing = [label for label in LABELS if label not in per_label]
        if missing:
            fail(f"thresholds.{mode}", f"no threshold for {', '.join(missing)}")
        for label in LABELS:
            value = per_label[label]
            field = f"thresholds.{mode}.{label}"
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                fail(field, f"{json.dumps(value)[:40]} is not a number")
            if not math.isfinite(value) or not 0 < value < 1:
                fail(field, f"{value} is not between 0 and 1")
    for field, kind in _TYPES.items():
        if field in card and (not isinstance(card[field], kind) or isinstance(card[field], bool)):
            fail(field, f"should be {_KIND_NAMES[kind]}, not {type(card[field]).__name__}")
    if "labels" in card and tuple(card["labels"]) != LABELS:
        fail("labels", f"{card['labels']!r:.80} are not gapfinder's labels {list(LABELS)}")
    for field in ("fitted_on",):
        if field in card and not all(isinstance(item, str) for item in card[field]):
            fail(field, "should be a list of strings")
    versions = card.get("library_versions", {})
    if not all(isinstance(v, str) for v in versions.values()):
        fail("library_versions", "every version should be a string")


_KIND_NAMES = {list: "a list", int: "an integer", str: "a string", dict: "an object"}


class _Constant(str):
    """NaN, Infinity or -Infinity as written in the card, kept to be reported by field."""


def _find_constant(value, path: str = ""):
    """(dotted field, constant) of the first NaN/Infinity in the card, or None."""
    pending = [(path, value)]
    while pending:
        where, item = pending.pop()
        if isinstance(item, _Constant):
            return where, str(item)
        if isinstance(item, dict):
            pending.extend((f"{where}.{k}" if where else str(k), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            pending.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(item))))
    return None


def _read(path: Path, cap: int, what: str) -> bytes:
    try:
        data, size = read_file_capped(path, cap)
    except NotRegularFile as exc:
        raise ModelError(f"{path.name}: the {what} is {exc.kind}, not a regular file") from None
    except OSError as exc:
        raise ModelError(f"cannot read {what} {path} ({exc.strerror})") from None
    if data is None:
        raise ModelError(f"{path.name}: the {what} is {size:,} bytes, over the limit of {cap:,}")
    return data


def _depth(text: str) -> int:
    """Deepest [ / { nesting outside strings (scanned only when brackets are many)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest

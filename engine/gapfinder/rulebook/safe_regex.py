"""Compile user-written rule patterns so that none can backtrack catastrophically.

First line: RE2 (google-re2), a linear-time engine. Every pattern it can take runs in time
linear in the text, whatever its shape: (x|x)+y, (a|aa)+$ and (\\w+\\s?)+$ included. Python's
Unicode classes are kept: \\w, \\d and \\s (and \\W, \\D, \\S outside [...]) are rewritten to
their Unicode RE2 equivalents. RE2's \\b is ASCII-only, so a word boundary next to a
non-ASCII letter (é, ß) can differ from Python's: a rule author should not rely on one.

Second line, for what RE2 lacks (lookaround, and when google-re2 is not installed): Python's
`re` behind a guard that refuses every shape that can backtrack: inside a repeat of more
than one, only single characters, character classes, anchors and plain groups of those
are allowed; no repeat in a repeat, no alternation in a repeat, no lookaround in a repeat.

Always refused: backreferences, patterns over MAX_PATTERN_CHARS, over MAX_REPEAT_NODES
repeats, and anything that is not valid Python syntax (rule files are written in it).
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

try:
    import re2
except ImportError:  # pragma: no cover - the dependency is declared; a platform may lack wheels
    re2 = None

from ..errors import RuleError

MAX_PATTERN_CHARS = 300
MAX_REPEAT_NODES = 12
RE2_MAX_MEM = 8 << 20
REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
SIMPLE = {sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.ANY, sre_constants.IN,
          sre_constants.CATEGORY, sre_constants.AT, sre_constants.RANGE}
_SPACE = r"\t\n\v\f\r \x{1c}-\x{1f}\x{85}\p{Z}"
_IN_CLASS = {"w": r"\p{L}\p{N}_", "d": r"\p{Nd}", "s": _SPACE}
_OUTSIDE = {"w": r"[\p{L}\p{N}_]", "d": r"\p{Nd}", "s": f"[{_SPACE}]", "Z": r"\z",
            "W": r"[^\p{L}\p{N}_]", "D": r"\P{Nd}", "S": f"[^{_SPACE}]"}


def compile_guarded(pattern: str, where: str):
    """Compile `pattern` case-insensitively (RE2, else guarded `re`), or raise
    RuleError('where: what is wrong'). The result has .search / .finditer like re's."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RuleError(f"{where}: pattern is longer than {MAX_PATTERN_CHARS} characters")
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error as exc:
        raise RuleError(f"{where}: invalid regular expression ({exc.msg})") from None
    problem = _find_problem(parsed, inside_repeat=False, counter=[0], strict=False)
    if problem:
        raise RuleError(f"{where}: {problem}")
    linear = compile_linear(pattern)
    if linear is not None:
        return linear
    problem = _find_problem(parsed, inside_repeat=False, counter=[0], strict=True)
    if problem:
        raise RuleError(f"{where}: {problem}")
    return re.compile(pattern, re.IGNORECASE)


def compile_linear(pattern: str):
    """The RE2 form of a Python pattern, or None when RE2 cannot take it."""
    if re2 is None:
        return None
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = RE2_MAX_MEM
    try:
        return re2.compile(to_re2_syntax(pattern), options)
    except Exception:       # re2.error: a feature RE2 lacks (lookaround, ...)
        return None


def to_re2_syntax(pattern: str) -> str:
    """Rewrite Python's Unicode shorthand classes for RE2, where they differ (ASCII)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            table = _IN_CLASS if in_class else _OUTSIDE
            out.append(table.get(nxt, ch + nxt))
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):          # a ] first in a class is a literal
                out.append("\\]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _find_problem(parsed, inside_repeat: bool, counter: list[int], strict: bool) -> str | None:
    for op, arg in parsed:
        if op in REPEATS:
            counter[0] += 1
            if counter[0] > MAX_REPEAT_NODES:
                return f"pattern has more than {MAX_REPEAT_NODES} repeats"
            low, high, body = arg
            if inside_repeat and high > 1:
                return "nested quantifiers (a repeat inside a repeat) can hang the engine"
            problem = _find_problem(body, inside_repeat or high > 1, counter, strict)
        elif op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            return "backreferences are not allowed in rule patterns"
        elif op == sre_constants.SUBPATTERN:
            problem = _find_problem(arg[-1], inside_repeat, counter, strict)
        elif op == sre_constants.BRANCH:
            if strict and inside_repeat:
                return ("alternation inside a repeat, such as (a|aa)+, can backtrack catastrophically "
                        "in a pattern that needs lookaround")
            problem = next(
                (p for p in (_find_problem(b, inside_repeat, counter, strict) for b in arg[1]) if p), None
            )
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if strict and inside_repeat:
                return "lookaround inside a repeat can backtrack catastrophically"
            problem = _find_problem(arg[1], inside_repeat, counter, strict)
        elif strict and inside_repeat and op not in SIMPLE:
            return f"{str(op).lower()} inside a repeat is not allowed in a pattern that needs lookaround"
        else:
            problem = None
        if problem:
            return problem
    return None

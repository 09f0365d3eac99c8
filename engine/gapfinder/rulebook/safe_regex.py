"""Compile user-written regular expressions with a guard against catastrophic backtracking.

A pattern such as (a+)+ or (\\w*\\s?)* can take exponential time on a crafted input. We refuse,
on load, any repeat that contains another repeat of more than one character, any
backreference, and overlong patterns, so a rule file can never hang the engine.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from ..errors import RuleError

MAX_PATTERN_CHARS = 300
MAX_REPEAT_NODES = 12
REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


def compile_guarded(pattern: str, where: str) -> re.Pattern:
    """Compile `pattern` case-insensitively, or raise RuleError('where: what is wrong')."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RuleError(f"{where}: pattern is longer than {MAX_PATTERN_CHARS} characters")
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error as exc:
        raise RuleError(f"{where}: invalid regular expression ({exc.msg})") from None
    counter = [0]
    problem = _find_problem(parsed, inside_repeat=False, counter=counter)
    if problem:
        raise RuleError(f"{where}: {problem}")
    return re.compile(pattern, re.IGNORECASE)


def _find_problem(parsed, inside_repeat: bool, counter: list[int]) -> str | None:
    for op, arg in parsed:
        if op in REPEATS:
            counter[0] += 1
            if counter[0] > MAX_REPEAT_NODES:
                return f"pattern has more than {MAX_REPEAT_NODES} repeats"
            low, high, body = arg
            if inside_repeat and high > 1:
                return "nested quantifiers (a repeat inside a repeat) can hang the engine"
            problem = _find_problem(body, inside_repeat or high > 1, counter)
        elif op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            return "backreferences are not allowed in rule patterns"
        elif op == sre_constants.SUBPATTERN:
            problem = _find_problem(arg[-1], inside_repeat, counter)
        elif op == sre_constants.BRANCH:
            problem = next(
                (p for p in (_find_problem(b, inside_repeat, counter) for b in arg[1]) if p), None
            )
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            problem = _find_problem(arg[1], inside_repeat, counter)
        else:
            problem = None
        if problem:
            return problem
    return None

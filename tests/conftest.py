"""Shared fixtures. Tests never need the network or anything outside the repository."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:  # an installed gapfinder wins; a bare checkout falls back to engine/
    import gapfinder  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT / "engine"))

CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
FROM_LINE = b"From recruiter@example.com Mon Mar  2 10:00:00 2026\n"


def mbox_bytes(*messages: bytes) -> bytes:
    """mboxrd: a From_ line per message, ">From " escaping, a blank line after each."""
    out = []
    for data in messages:
        escaped = b"\n".join(b">" + line if line.lstrip(b">").startswith(b"From ") else line
                             for line in data.rstrip(b"\n").split(b"\n"))
        out.append(FROM_LINE + escaped + b"\n\n")
    return b"".join(out)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: starts gapfinder in subprocesses (seconds each); few, still run")


@pytest.fixture(scope="session")
def engine():
    """The shipped default engine (rules + model), built once."""
    import gapfinder

    return gapfinder.load()


@pytest.fixture(scope="session")
def rules_engine():
    import gapfinder

    return gapfinder.load(use_model=False)


@pytest.fixture(autouse=True)
def _isolate_home(tmp_path, monkeypatch):
    """Keep tests away from the user's real home and working directory."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


"""Journal tests: a fresh journal file per test, away from the user's data folder."""
from __future__ import annotations

import pytest

from gapfinder.journal import Journal

RESUME_TEXT = ("Thank you for your interest in the role. Unfortunately we will not be moving forward. "
               "Your CV had several typos.")
ELIGIBILITY_TEXT = "Thank you for applying. Unfortunately we need someone with an active RN licence."
NO_REASON_TEXT = "Thank you for applying. We have decided to move forward with other candidates."


@pytest.fixture(autouse=True)
def _no_user_journal(tmp_path, monkeypatch):
    monkeypatch.delenv("GAPFINDER_JOURNAL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "journal.sqlite"


@pytest.fixture
def journal(journal_path):
    j = Journal.open(journal_path)
    yield j
    j.close()

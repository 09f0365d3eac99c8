"""Fixtures shared by the journal's command tests."""
import pytest
from click.testing import CliRunner

from gapfinder.cli import main


@pytest.fixture
def jpath(tmp_path, monkeypatch):
    """A journal path of the test's own; no default location leaks in from the environment."""
    monkeypatch.delenv("GAPFINDER_JOURNAL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "j.sqlite"


@pytest.fixture
def journal_run(jpath):
    """Invoke the CLI with `--journal jpath` appended (journal=False leaves it out)."""
    runner = CliRunner()

    def invoke(*args, input=None, journal=True):
        extra = ["--journal", str(jpath)] if journal else []
        return runner.invoke(main, [*args, *extra], input=input, catch_exceptions=False)

    return invoke

"""The report in a real browser (headless Chromium): it renders, charts are there, email text stays inert."""
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from gapfinder.journal.report import write_report
from gapfinder.rulebook.rules import load_rules

from .test_report import hostile_journal

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: .ci/run)")]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=90)


@pytest.fixture
def report(journal, tmp_path):
    hostile_journal(journal)
    html, _json = write_report(journal, load_rules(), tmp_path / "report.html", today=date(2026, 3, 31))
    return html


def test_report_renders_with_charts_and_inert_email_text(report, tmp_path):
    done = chromium(tmp_path, "--dump-dom", report.as_uri())
    dom = done.stdout
    assert done.returncode == 0 and "<main>" in dom, done.stderr[-500:]
    for chart in ("chart-funnel", "chart-gaps", "chart-weekly"):
        assert re.search(rf'<svg[^>]*id="{chart}"', dom), chart
    assert dom.count("<rect") >= 8
    title = re.search(r"<title>(.*?)</title>", dom).group(1)
    assert "pwned" not in title and title.startswith("Your job search")      # the script never ran
    assert "<script" not in dom and "<a " not in dom and "<img" not in dom  # no element was made from text
    assert "&lt;script&gt;document.title=" in dom and "&lt;/style&gt;" in dom
    assert dom.count("<style>") == 1 and "@media print" in dom                # the style block is intact


def test_report_screenshot(report, tmp_path):
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, "--window-size=900,1800", f"--screenshot={shot}", report.as_uri())
    assert done.returncode == 0, done.stderr[-500:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

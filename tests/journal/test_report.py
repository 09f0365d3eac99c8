"""The report: self-contained HTML (no network reference of any kind), escaped text, JSON beside."""
import json
import re
from html.parser import HTMLParser
from datetime import date

import pytest

from gapfinder.journal import add_application
from gapfinder.journal.report import inert, render_html, report_data, write_report
from gapfinder.rulebook.rules import load_rules

from .helpers import rejected

TODAY = date(2026, 3, 31)
HOSTILE = ("<script>document.title='pwned'</script></style><a href=\"javascript:alert(1)\">click</a> "
           "see https://evil.example/x.png or url(https://evil.example/bg) @import 'x.css'; "
           "<img src=https://evil.example/t.gif> Your SQL was weak.")
NETWORK_TEXT = [r"https?:", r"//", r"@import", r"url\(", r"javascript:"]   # anywhere at all, text included
LOADING_TAGS = {"script", "link", "img", "iframe", "object", "embed", "a", "base", "form", "audio", "video",
                "source", "image", "use", "foreignobject"}
LOADING_ATTRS = {"src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "background", "data"}


class Elements(HTMLParser):
    """Every element, attribute and style block the page would give a browser."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.styles, self._in_style = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def assert_self_contained(html: str) -> None:
    for pattern in NETWORK_TEXT:
        assert not re.search(pattern, html, re.I), pattern
    page = Elements()
    page.feed(html)
    assert not LOADING_TAGS & set(page.tags), LOADING_TAGS & set(page.tags)
    assert not [a for a in page.attrs if a[1] in LOADING_ATTRS]
    assert not [a for a in page.attrs if a[1] == "style" and "url" in a[2].lower()]
    assert page.tags.count("style") == 1 and "url(" not in page.styles[0] and "@import" not in page.styles[0]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def hostile_journal(journal):
    rejected(journal, "<b>Evil</b> Corp", "2026-03-01", "2026-03-20", ("technical", HOSTILE),
             role="</style><script>x()</script>")
    rejected(journal, "Acme", "2026-02-01", "2026-02-10", ("resume", "Your CV had several typos."))
    add_application(journal, "Waiting Co", "Analyst", "2026-03-30")


def test_report_has_no_network_reference_and_escapes_email_text(journal, tmp_path, rules):
    hostile_journal(journal)
    html_path, json_path = write_report(journal, rules, tmp_path / "report.html", today=TODAY)
    html = html_path.read_text()
    assert_self_contained(html)
    assert html.count("</style>") == 1 and "&lt;script&gt;document.title=" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; Corp" in html
    for chart in ("chart-funnel", "chart-gaps", "chart-weekly"):
        assert f'id="{chart}"' in html
    assert "@media print" in html and "default-src 'none'" in html
    data = json.loads(json_path.read_text())
    assert json_path == tmp_path / "report.json"
    assert data["plan"]["areas"][0]["quotes"][0]["text"] == HOSTILE     # the JSON keeps the exact text
    assert data == json.loads(json.dumps(report_data(journal, rules, TODAY)))


def test_inert_text_keeps_its_words_but_cannot_link():
    shown = inert("Visit https://acme.example/jobs and mailto:x@y.z")
    assert "acme.example" in shown and "https:" not in shown and "//" not in shown and "mailto:" not in shown
    assert inert("Note: a colon followed by a space stays.") == "Note: a colon followed by a space stays."


def test_empty_journal_report_is_a_kind_page(journal, rules):
    html = render_html(report_data(journal, rules, TODAY))
    assert "Nothing here yet" in html and "<svg" not in html


def test_report_over_zero_rejections(journal, rules):
    add_application(journal, "Acme", "Analyst", "2026-03-30")
    html = render_html(report_data(journal, rules, TODAY))
    assert "No rejections filed yet" in html and 'id="chart-funnel"' in html and 'id="chart-gaps"' not in html


def test_html_and_json_cannot_be_the_same_file(journal, tmp_path, rules):
    from gapfinder.journal import JournalError

    with pytest.raises(JournalError, match="same file"):
        write_report(journal, rules, tmp_path / "r.json", today=TODAY)


def test_templates_ship_inside_the_package():
    from importlib import resources

    assert (resources.files("gapfinder.journal") / "templates" / "report.html.j2").is_file()

"""HTML bodies become readable text; hidden content is dropped; hostile markup is cheap."""
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gapfinder.read.html_text import html_to_text


def test_blocks_lists_entities_and_whitespace():
    html = ("<html><body><p>Dear&nbsp;Alex,</p><p>Your   SQL\n  was <b>not</b> strong &amp; "
            "your CV&#8217;s layout was dense.</p><ul><li>joins</li><li>window\nfunctions</li></ul>"
            "<div>one</div><div>two<br>three</div><h2>Next steps</h2><blockquote>quoted</blockquote>"
            "</body></html>")
    assert html_to_text(html) == (
        "Dear Alex,\n\nYour SQL was not strong & your CV\u2019s layout was dense.\n\n"
        "- joins\n- window functions\n\none\ntwo\nthree\n\nNext steps\n\nquoted"
    )


def test_table_rows_and_cells():
    assert html_to_text("<table><tr><td>Skill</td><td>Score</td></tr><tr><td>SQL</td><td>2</td></tr></table>") \
        == "Skill Score\nSQL 2"


@pytest.mark.parametrize("hidden", [
    "<script>var x = '<p>no</p>';</script>",
    "<style>p { color: red }</style>",
    "<head><title>Title</title><meta charset=utf-8></head>",
    "<template><p>no</p></template>",
    "<div hidden><p>no</p></div>",
    '<span style="display: none">no</span>',
    "<div style='color:red;VISIBILITY:hidden'>no <b>nested</b></div>",
])
def test_hidden_content_is_dropped(hidden):
    assert html_to_text(f"<p>before</p>{hidden}<p>after</p>") == "before\n\nafter"


def test_broken_markup_is_tolerated():
    assert html_to_text("<p>unclosed <b>bold <div>block</span></i> end") == "unclosed bold\nblock end"
    assert html_to_text("if a < b and c > d") == "if a < b and c > d"
    assert html_to_text("text <!-- a comment --> more <!-- never closed <p>hidden") == "text more"
    assert html_to_text("<p>a</p><![if !supportLists]>- <![endif]>item <![CDATA[x]]>") == "a\n\n- item"
    assert html_to_text("x <a href='unterminated") == "x <a href='unterminated"
    assert html_to_text("") == ""


def test_unclosed_head_ends_where_the_body_starts():
    assert html_to_text("<html><head><title>T</title><style>p{}</style><body><p>Body text") == "Body text"
    assert html_to_text("<head><meta charset=utf-8>Loose text") == "Loose text"


def test_unclosed_hidden_paragraph_does_not_hide_the_next_one():
    assert html_to_text('<p style="display:none">preheader<p>Body text') == "Body text"
    assert html_to_text('<p style="display:none">preheader <b>x<div>Body text</div>') == "Body text"


@pytest.mark.parametrize("html", [
    "<div>" * 100_000 + "deep",
    "<div>" * 100_000 + "deep" + "</div>" * 100_000,
    "<span>" * 100_000 + "</b>" * 100_000 + "deep",
    "<div hidden>" * 50_000 + "</div>" * 50_000 + "deep",
    "<p><td>" + "<span>" * 50_000 + "<div>" * 50_000 + "deep",
])
def test_deep_nesting_is_fast_and_not_recursive(html):
    started = time.perf_counter()
    assert html_to_text(html).endswith("deep")
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize("html", [
    "<!--" * 100_000,
    "<!--<p>" * 100_000,
    "<a<" * 100_000,
    "</" * 100_000,
    "<?" * 100_000,
    "<![CDATA[" * 100_000,
    "<a b='>" * 100_000,
    "<li>" * 100_000,
])
def test_unclosed_constructs_are_linear(html):
    started = time.perf_counter()
    html_to_text(html)
    assert time.perf_counter() - started < 3


PIECES = list("<>/!-?[]&;#'\"= abp\n") + ["<p>", "</p>", "<br>", "<div hidden>", "&amp;", "<script>", "</script>"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_never_raises(html):
    assert isinstance(html_to_text(html), str)

"""Turn an HTML email body into plain text the engine can read.

Uses the stdlib event parser, so deep or unclosed markup costs a list entry per open
element, never a recursion level. Content a reader would not see (script, style, head,
template, `hidden` or display:none / visibility:hidden elements, such as preheader text)
is dropped so it cannot be mistaken for feedback.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_DROPPED = frozenset({"script", "style", "head", "template", "title", "noscript"})
_PARAGRAPH = frozenset({"p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"})
_LINE = frozenset({"div", "tr", "li", "section", "article", "header", "footer", "dl", "dt", "dd",
                   "form", "address", "center", "figure", "figcaption", "main", "nav"})
_CELL = frozenset({"td", "th"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
# Elements whose end tag is optional: a new one closes the previous one if still open.
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "option", "tr", "td", "th", "dt", "dd"})
# As in browsers, these start tags close an open <p>, unless a scope boundary is in between.
_CLOSES_P = frozenset({"address", "article", "aside", "blockquote", "center", "div", "dl", "dd", "dt",
                       "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
                       "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
                       "table", "ul"})
_P_SCOPE = frozenset({"table", "td", "th", "caption", "template", "button", "object", "html"})
_P_SEARCH_DEPTH = 64     # bounded, so hostile nesting stays linear
# Anything else (body, p, div, text...) ends an unclosed <head>, as in browsers.
_HEAD_CONTENT = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)"
    r"|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)|max-height\s*:\s*0(?:px)?\s*(?:;|$)",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_COMMENT_CLOSE = re.compile(r"--\s*>")


def html_to_text(html: str) -> str:
    """Return the visible text of `html`, one line per block, paragraphs blank-line separated."""
    parser = _TextParser()
    try:
        parser.feed(_defuse(html))
        parser.close()
    except Exception:   # html.parser is lenient; keep what was read before odd markup
        pass
    return parser.text()


def _defuse(html: str) -> str:
    """Rewrite markup that is never closed, so html.parser stays linear.

    html.parser rescans to the end of the input for every construct it cannot close
    ("<!--" without "-->", "<a" with no ">" after it), which is quadratic on hostile
    input. Browsers read an unclosed comment as a comment up to the end, and a "<" after
    the last ">" as text, so this keeps what a reader sees. "<![...": browsers read a
    bogus comment up to the next ">"; html.parser would raise on unknown keywords.
    """
    last_close = 0
    for match in _COMMENT_CLOSE.finditer(html):
        last_close = match.end()
    unclosed_comment = html.find("<!--", last_close)
    if unclosed_comment >= 0:
        html = html[:unclosed_comment]
    last_gt = html.rfind(">")
    head, tail = html[:last_gt + 1], html[last_gt + 1:].replace("<", "&lt;")
    return head.replace("<![", "<! [") + tail


class _TextParser(HTMLParser):
    """Collects visible text; keeps an explicit stack of open elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._stack: list[tuple[str, bool]] = []     # (tag, hides its content)
        self._open_count: dict[str, int] = {}        # tag -> how many are on the stack
        self._hidden_depth = 0                       # open elements that hide content
        self._pre_depth = 0
        self._pending_breaks = 0                     # newlines owed before the next text
        self._pending_prefix = ""                    # "- " owed by an opened list item

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HEAD_CONTENT and self._open_count.get("head"):
            self._close("head")
        if tag in _CLOSES_P and self._open_count.get("p"):
            self._close_open_p()
        if tag in _SELF_CLOSING_SIBLINGS and self._stack and self._stack[-1][0] == tag:
            self._pop()
        self._block(tag)
        if tag in _VOID:
            return
        hides = tag in _DROPPED or _is_hidden(attrs)
        self._stack.append((tag, hides))
        self._open_count[tag] = self._open_count.get(tag, 0) + 1
        self._hidden_depth += hides
        self._pre_depth += tag == "pre"
        if tag == "li" and not self._hidden_depth:
            self._pending_prefix = "- "

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._block(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open_count.get(tag):
            self._close(tag)
        if tag != "br":
            self._block(tag)

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][0] == "head" and data.strip():
            self._close("head")      # text directly in <head> starts the body
        if self._hidden_depth:
            return
        if self._pre_depth:
            data = re.sub(r"[^\S\n]+", " ", data.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            data = re.sub(r"\s+", " ", data)
        if self._pending_breaks or self._pending_prefix:
            if not data.strip():
                return
            if self._out:
                self._out.append("\n" * self._pending_breaks)
            self._out.append(self._pending_prefix)
            self._pending_breaks = 0
            self._pending_prefix = ""
            data = data.lstrip(" ")
        self._out.append(data)

    def text(self) -> str:
        text = "".join(self._out).replace("\xa0", " ")
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

    def _close_open_p(self) -> None:
        for depth in range(1, min(len(self._stack), _P_SEARCH_DEPTH) + 1):
            tag = self._stack[-depth][0]
            if tag in _P_SCOPE:
                return
            if tag == "p":
                for _ in range(depth):
                    self._pop()
                return

    def _close(self, tag: str) -> None:
        """Close the innermost open `tag` and everything opened inside it."""
        while self._stack and self._pop() != tag:
            pass

    def _pop(self) -> str:
        tag, hides = self._stack.pop()
        self._open_count[tag] -= 1
        self._hidden_depth -= hides
        self._pre_depth -= tag == "pre"
        return tag

    def _block(self, tag: str) -> None:
        """Owe a line break (or paragraph break) before the next text."""
        if self._hidden_depth:
            return
        if tag in _PARAGRAPH or tag == "hr":
            self._pending_breaks = max(self._pending_breaks, 2)
        elif tag in _LINE or tag == "br":
            if tag == "br" and self._pending_breaks:
                self._pending_breaks += 1      # consecutive <br>s make blank lines
            else:
                self._pending_breaks = max(self._pending_breaks, 1)
        elif tag in _CELL and self._out:
            self._out.append(" ")


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden":
            return True
        if name == "style" and value and _HIDDEN_STYLE.search(value):
            return True
    return False

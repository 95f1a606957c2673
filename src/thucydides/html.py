"""HTML page -> main text and metadata. The only module that imports trafilatura.

trafilatura never fetches anything here: it is handed the page we already have, and the URL
only names it. Its loggers (and those of htmldate and courlan, which it uses) are set to
CRITICAL when this module is imported: they warn or even log errors for every empty or odd page,
and we report those pages ourselves, once each, as T106 rejections naming the file.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from trafilatura.settings import Document as _Page

from .errors import ReadError
from .types import Metadata, RawDocument

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def extract_html(raw: RawDocument) -> tuple[str, Metadata]:
    """The main text of an HTML page (one paragraph a line) and what the page says about itself.

    Metadata comes from the page (title, site name, author, date, canonical URL); the
    container's hints fill in what the page does not give, except the URL, where the hint (the
    address the page was fetched from) wins. ReadError T106 if there is no main text.
    """
    if not raw.text.strip():
        raise ReadError(raw.location, "empty HTML page", code="T106")
    hints = raw.hints
    html = raw.text
    if _nested_deeper_than(html, MAX_NESTING):
        # lxml (libxml2) keeps 255 levels of elements and drops the text of deeper ones.
        html = flatten_nesting(html, MAX_NESTING)
    try:
        result = trafilatura.bare_extraction(
            html,
            url=hints.url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken markup
        raise ReadError(
            raw.location, f"cannot parse the HTML page: {type(exc).__name__}: {exc}", code="T106"
        ) from None
    page = result if isinstance(result, _Page) else None
    text = _usable(page.text if page is not None else None)
    if text is None:
        # trafilatura found no article (odd markup): fall back to simpler extraction. Its
        # metadata comes with the article only, so it has to be read separately then.
        text = _fallback_text(html)
        page = _page_metadata(html, hints.url)
    if text is None:
        if trafilatura.load_html(html) is None:
            raise ReadError(raw.location, "not an HTML page: no markup to parse", code="T106")
        raise ReadError(raw.location, "no main text found in the HTML page", code="T106")
    sitename = _value(page, "sitename")
    # Without a site name on the page trafilatura uses the host name: a hint is better.
    guessed = sitename is not None and sitename.lower() in _host_names(_value(page, "url"))
    metadata = Metadata(
        title=_value(page, "title") or hints.title,
        publisher=(None if guessed else sitename) or hints.publisher or sitename,
        author=_value(page, "author"),
        published=_value(page, "date") or hints.date,
        url=hints.url or _value(page, "url"),
        language=None,  # detected later, on the clean body
    )
    return text, metadata


# How deep elements may nest when the page goes to lxml: libxml2's HTML parser keeps 255 levels
# and drops the text below them; trafilatura's own passes need some room under that.
MAX_NESTING = 200
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})  # fmt: skip
# Elements that a new one of the same kind closes (<p>a<p>b: two paragraphs, not nested).
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*?(/?)>")


def _nested_deeper_than(html: str, limit: int) -> bool:
    """Whether elements in HTML may nest more than LIMIT deep: a quick count of start and end
    tags (void elements and same-kind siblings such as <p> do not nest), never too low."""
    if html.count("<") <= limit:
        return False
    depth = 0
    last = ""
    for closing, name, self_closing in _TAG.findall(html):
        name = name.lower()
        if closing:
            depth = max(depth - 1, 0)
        elif name not in _VOID and not self_closing:
            if not (name == last and name in _SELF_CLOSING_SIBLINGS):
                depth += 1
            if depth > limit:
                return True
        last = name
    return False


class _Flattener(HTMLParser):
    """Re-writes a page with no element nested deeper than LIMIT: the tags of deeper elements
    are left out (their text stays, in the element LIMIT deep), a left-out block element's
    edges become <br> so that its text stays a line of its own. Entities, comments, scripts
    and the kept tags are written as they came."""

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=False)
        self.limit = limit
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, written) of the open elements
        self.depth = 0  # written elements open

    def _close_top(self) -> None:
        tag, written = self.open.pop()
        if written:
            self.depth -= 1
            self.out.append(f"</{tag}>")
        elif tag in _BLOCKS:
            self.out.append("<br>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or f"<{tag}>"
        if tag in _VOID:
            self.out.append(text)
            return
        if tag in _SELF_CLOSING_SIBLINGS and self.open and self.open[-1][0] == tag:
            self._close_top()
        written = self.depth < self.limit
        if written:
            self.depth += 1
            self.out.append(text)
        elif tag in _BLOCKS:
            self.out.append("<br>")
        self.open.append((tag, written))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self.open) - 1, -1, -1):
            if self.open[position][0] == tag:
                while len(self.open) > position:
                    self._close_top()
                return
        # An end tag with no open element of its kind: lxml would drop it too.

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def flatten_nesting(html: str, limit: int = MAX_NESTING) -> str:
    """HTML with no element nested more than LIMIT deep, the text of deeper ones kept (see
    _Flattener): a page nested 400 deep would otherwise lose its text in lxml."""
    flattener = _Flattener(limit)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out)


def _fallback_text(html: str) -> str | None:
    """Main text without trafilatura's extractor: the blocks of the page's article (or main
    part, or body), one a line; then trafilatura's baseline (which also reads article bodies
    embedded as JSON-LD) and all visible text, which do not keep paragraphs apart."""
    try:
        text = _usable(_block_lines(html))
    except Exception:  # a fallback that fails is just not a fallback
        text = None
    for use_baseline in (True, False):
        if text is not None:
            break
        try:
            found = trafilatura.baseline(html)[1] if use_baseline else trafilatura.html2txt(html)
        except Exception:
            continue
        text = _usable(found)
    return text


# Elements that are never main text, and elements whose edges end a line of text.
_DROP = (
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "select", "iframe", "svg", "figure",
)  # fmt: skip
_BLOCKS = frozenset({
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td", "th",
    "tr", "ul",
})  # fmt: skip


def _block_lines(html: str) -> str | None:
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    for element in tree.xpath(" | ".join(f"//{tag}" for tag in _DROP)):
        if element.getparent() is not None:
            element.drop_tree()  # keeps the text that follows it
    candidates = [*tree.xpath("//article"), *tree.xpath("//main"), *tree.xpath("//body"), tree]
    root = next((c for c in candidates if any(ch.isalpha() for ch in c.text_content())), None)
    if root is None:
        return None
    lines: list[str] = []
    words: list[str] = []

    def end_line() -> None:
        line = " ".join("".join(words).split())
        if line:
            lines.append(line)
        words.clear()

    def walk(element: Any) -> None:
        block = isinstance(element.tag, str) and element.tag in _BLOCKS
        if block:
            end_line()
        if isinstance(element.tag, str) and element.text:  # not a comment
            words.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                words.append(child.tail)
        if block:
            end_line()

    walk(root)
    end_line()
    return "\n".join(lines)


def _page_metadata(html: str, url: str | None) -> _Page | None:
    try:
        return trafilatura.extract_metadata(html, default_url=url)
    except Exception:  # metadata is a bonus on this path; the text is what matters
        return None


def _host_names(url: str | None) -> set[str]:
    host = (urlsplit(url).hostname or "") if url else ""
    return {host, host.removeprefix("www.")} - {""}


def _usable(text: str | None) -> str | None:
    """TEXT without surrounding blank space, if it holds any words at all."""
    text = (text or "").strip()
    return text if any(ch.isalpha() for ch in text) else None


def _value(page: _Page | None, name: str) -> str | None:
    value = getattr(page, name, None) if page is not None else None
    return (" ".join(value.split()) or None) if isinstance(value, str) else None

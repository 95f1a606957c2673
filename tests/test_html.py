"""Main text and metadata from HTML pages (trafilatura), on pages the tests make up."""

from __future__ import annotations

import logging
import socket

import pytest

from thucydides import html as html_module
from thucydides.errors import ReadError
from thucydides.html import extract_html
from thucydides.types import Hints, Metadata, RawDocument

PARAGRAPHS = [
    "Mediators from Ghana and Senegal opened talks in Accra on Tuesday between the government "
    "of Mali and two northern armed groups, a foreign ministry spokesman said.",
    "The delegations met for five hours and agreed to meet again on Thursday, the spokesman "
    "said, adding that a prisoner exchange was on the agenda.",
    "The African Union envoy welcomed the talks and urged both sides to let aid convoys reach "
    "the towns cut off since March.",
]
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Mali talks open in Accra | Sahel Herald</title>
  <meta property="og:title" content="Mali talks open in Accra">
  <meta property="og:site_name" content="Sahel Herald">
  <meta name="author" content="Ama Owusu">
  <meta property="article:published_time" content="2023-09-12T08:15:00+00:00">
  <link rel="canonical" href="https://sahelherald.example/2023/09/12/mali-talks">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/africa">Africa</a> <a href="/login">Sign in</a></nav>
  <article>
    <h1>Mali talks open in Accra</h1>
    {"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
  </article>
  <aside><h3>Most read</h3><ul><li><a href="/a">Cocoa prices climb</a></li></ul></aside>
  <footer>Copyright Sahel Herald. All rights reserved.</footer>
</body>
</html>"""
BARE_PAGE = f"<html><body><div><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div></body></html>"


def page(text: str, hints: Hints | None = None) -> RawDocument:
    return RawDocument("news/p.html", "news/p.html", "text/html", text, "utf-8", hints or Hints())


def test_main_text_one_paragraph_a_line_and_page_metadata() -> None:
    text, meta = extract_html(page(PAGE))
    lines = text.split("\n")
    assert lines[-3:] == PARAGRAPHS
    for boilerplate in ("Sign in", "Most read", "Cocoa prices", "All rights reserved"):
        assert boilerplate not in text
    assert meta == Metadata(
        title="Mali talks open in Accra",
        publisher="Sahel Herald",
        author="Ama Owusu",
        published="2023-09-12",
        url="https://sahelherald.example/2023/09/12/mali-talks",
        language=None,
    )


def test_hints_fill_in_what_the_page_does_not_say() -> None:
    hints = Hints(
        record_id="r1",
        url="https://mirror.example/r1",
        date="2023-09-13",
        title="Talks on Mali",
        publisher="Wire Desk",
    )
    _, bare = extract_html(page(BARE_PAGE, hints))
    assert (bare.title, bare.publisher, bare.published, bare.url) == (
        "Talks on Mali",
        "Wire Desk",
        "2023-09-13",
        "https://mirror.example/r1",
    )
    _, full = extract_html(page(PAGE, hints))
    # The page's own title, site name and date win; the address it came from beats its canonical.
    assert (full.title, full.publisher, full.published, full.url) == (
        "Mali talks open in Accra",
        "Sahel Herald",
        "2023-09-12",
        "https://mirror.example/r1",
    )


def test_fallback_when_trafilatura_finds_no_article(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    text, meta = extract_html(page(PAGE, Hints(publisher="Wire Desk")))
    assert text.split("\n")[-3:] == PARAGRAPHS  # the baseline's paragraphs, one a line
    assert meta.title == "Mali talks open in Accra" and meta.author == "Ama Owusu"


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("", "empty HTML page"),
        ("  \n\t ", "empty HTML page"),
        ("\x00\x01\x02\x03\x04 \x7f\x05", "not an HTML page: no markup to parse"),
        ("<html></html>", "no main text found in the HTML page"),
        ("<html><head><title>x</title></head><body> </body></html>", "no main text found"),
        ("<html><body><script>track();</script><style>p{}</style></body></html>", "no main text"),
        ("<html><body><p>12 34 -- 56</p><p>...</p></body></html>", "no main text found"),
    ],
)
def test_pages_without_main_text_are_t106(markup: str, reason: str) -> None:
    with pytest.raises(ReadError) as caught:
        extract_html(page(markup))
    assert caught.value.code == "T106" and caught.value.location == "news/p.html"
    assert caught.value.message.startswith(reason)
    assert str(caught.value).startswith("news/p.html: [T106] ")


def test_trafilatura_raising_is_t106(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("lxml gave up")

    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", broken)
    with pytest.raises(ReadError) as caught:
        extract_html(page(PAGE))
    assert caught.value.code == "T106" and "ValueError: lxml gave up" in caught.value.message


def test_no_network_and_no_log_noise(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("extract_html tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    caplog.set_level(logging.DEBUG)
    hints = Hints(url="https://sahelherald.example/2023/09/12/mali-talks")
    text, _ = extract_html(page(PAGE, hints))
    assert PARAGRAPHS[0] in text
    with pytest.raises(ReadError):
        extract_html(page("<html><body></body></html>", hints))
    noisy = [r for r in caplog.records if r.name.split(".")[0] in {"trafilatura", "htmldate"}]
    assert [r for r in noisy if r.levelno >= logging.WARNING] == []


def _nested(depth: int, inner: str, tag: str = "div") -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


@pytest.mark.parametrize("depth", [260, 400, 3000])
def test_text_nested_deeper_than_lxml_keeps_is_not_lost(depth: int) -> None:
    # libxml2 keeps 255 levels of elements: the article below them was "no main text" (T106).
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    markup = f"<html><head><title>Deep</title></head><body>{_nested(depth, body)}</body></html>"
    text, metadata = extract_html(page(markup))
    assert text.splitlines() == PARAGRAPHS
    assert metadata.title == "Deep"


def test_text_at_every_level_of_a_deep_page_keeps_its_lines() -> None:
    levels = [f"Level {n}: the harbour board of Tarn met again on Monday." for n in range(400)]
    markup = "<html><body><article>" + "".join(f"<div><p>{line}</p>" for line in levels)
    markup += "</div>" * 400 + "</article></body></html>"
    text, _ = extract_html(page(markup))
    assert text.splitlines() == levels


def test_flattening_keeps_entities_as_text_not_markup() -> None:
    inner = "<p>The mayor wrote &lt;script&gt;alert(1)&lt;/script&gt; &amp; more on Monday.</p>"
    flat = html_module.flatten_nesting(_nested(300, inner, "span"), limit=50)
    assert "&lt;script&gt;" in flat and "<script>" not in flat
    assert flat.count("<span>") == 50 and flat.count("</span>") == 50


def test_pages_of_ordinary_depth_are_not_rewritten(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> str:
        raise AssertionError("flattened a page that did not need it")

    monkeypatch.setattr(html_module, "flatten_nesting", refuse)
    # 300 unclosed <p> and <li> are siblings, not nesting.
    siblings = "".join(f"<p>{PARAGRAPHS[n % 3]}" for n in range(300)) + "<ul>" + "<li>x" * 300
    assert extract_html(page(PAGE))[0].splitlines()[-3:] == PARAGRAPHS
    assert extract_html(page(f"<html><body>{siblings}</ul></body></html>"))[0]

"""The dashboard's HTML pages through the real app (TestClient): they render, article text is
escaped everywhere, and unknown ids give a 404 page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import thucydides
from thucydides.api import create_app
from thucydides.web import _http_url, highlight

TOKEN = "pages-test-token"
# Invented article text with markup in it that must never reach a page as markup.
ARTICLE = (
    "Norway and Kenya signed a <script>alert('boom')</script> fisheries agreement in Nairobi "
    "on Tuesday.\n\nEthiopia accused Kenya of violating the shared border <b>again</b>."
)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Any]]:
    db = tmp_path_factory.mktemp("pages") / "pages.duckdb"
    settings = thucydides.load_settings(db=str(db), api_token=TOKEN)
    with TestClient(create_app(settings)) as client:
        answer = client.post(
            "/api/documents",
            content=ARTICLE.encode(),
            headers={"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"},
        )
        assert answer.status_code == 200, answer.text
        yield client, answer.json()


@pytest.fixture
def client(ingested: tuple[TestClient, Any]) -> TestClient:
    return ingested[0]


@pytest.fixture
def doc_id(ingested: tuple[TestClient, Any]) -> str:
    return str(ingested[1]["doc_ids"][0])


def _cluster_ids(client: TestClient, doc_id: str) -> list[str]:
    return list(client.get(f"/api/documents/{doc_id}").json()["events"])


def _assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<b>again" not in html


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        ("/", 'id="dyad-form"'),
        ("/?a=NOR&b=KEN&by=year", 'data-a="NOR"'),
        ("/events", 'id="events-table"'),
        ("/network", 'id="network"'),
        ("/places", 'id="places"'),
        ("/upload", 'id="upload-form"'),
    ],
)
def test_pages_render(client: TestClient, path: str, marker: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert marker in page.text
    assert '<link rel="stylesheet" href="/static/style.css">' in page.text
    _assert_escaped(page.text)


def test_dyad_page_offers_known_actors(client: TestClient) -> None:
    page = client.get("/").text
    assert '<option value="NOR">' in page and '<option value="ETH">' in page


def test_static_assets_are_served(client: TestClient) -> None:
    for name in ("common.js", "dyad.js", "network.js", "places.js", "upload.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    # No script builds markup from strings: text goes in through textContent / text nodes.
    for name in ("common.js", "dyad.js", "network.js", "places.js", "upload.js"):
        script = client.get(f"/static/{name}").text
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
            assert sink not in script


def test_event_table_escapes_and_filters(client: TestClient) -> None:
    everything = client.get("/events").text
    _assert_escaped(everything)
    assert "&lt;script&gt;alert(&#39;boom&#39;)&lt;/script&gt;" in everything
    only_eth = client.get("/events", params={"actor": "ETH"}).text
    assert only_eth.count('<tr class="q') == 1
    assert "ETH" in only_eth
    nothing = client.get("/events", params={"q": "zeppelin"}).text
    assert "No events match." in nothing


def test_bad_filter_shows_the_message(client: TestClient) -> None:
    page = client.get("/events", params={"since": "not a date"})
    assert 400 <= page.status_code < 500
    assert 'class="error"' in page.text
    assert 'value="not a date"' in page.text  # the form keeps what was typed, escaped


def test_event_page_highlights_and_escapes(client: TestClient, doc_id: str) -> None:
    pages = [client.get(f"/events/{cid}") for cid in _cluster_ids(client, doc_id)]
    assert pages and all(p.status_code == 200 for p in pages)
    signed = [p.text for p in pages if ">signed</mark>" in p.text]
    assert signed, "the trigger 'signed' is highlighted on its event's page"
    # "Norway and Kenya signed" is reciprocal: one event each way, each page marking its own.
    both = "".join(signed)
    for source, target in (("Norway", "Kenya"), ("Kenya", "Norway")):
        assert (
            f'<mark class="hl hl-source" title="source">{source}</mark> and '
            f'<mark class="hl hl-target" title="target">{target}</mark>'
        ) in both or (
            f'<mark class="hl hl-target" title="target">{target}</mark> and '
            f'<mark class="hl hl-source" title="source">{source}</mark>'
        ) in both
    for html in signed:
        assert '<mark class="hl hl-trigger" title="trigger">signed</mark>' in html
        _assert_escaped(html)
        assert "&lt;script&gt;" in html
        assert f'href="/documents/{doc_id}"' in html


def test_document_page_escapes_the_body(client: TestClient, doc_id: str) -> None:
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    _assert_escaped(page.text)
    assert "&lt;b&gt;again&lt;/b&gt;" in page.text
    for cid in _cluster_ids(client, doc_id):
        assert f'href="/events/{cid}"' in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/events/0000000000000000",
        "/documents/ffffffffffffffffffff",
        "/events/a.b",
        "/events/%3Cx%3E",
    ],
)
def test_unknown_ids_give_a_404_page(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text
    assert "<x>" not in page.text


def test_closed_reads_keep_pages_closed(tmp_path: Path) -> None:
    settings = thucydides.load_settings(
        db=str(tmp_path / "closed.duckdb"), api_token=TOKEN, api_public_read=False
    )
    with TestClient(create_app(settings)) as closed:
        page = closed.get("/events")
        assert page.status_code == 401
        assert "token" in page.text
        opened = closed.get("/events", headers={"Authorization": f"Bearer {TOKEN}"})
        assert opened.status_code == 200


def test_highlight_escapes_pieces_and_skips_bad_spans() -> None:
    sentence = "A<b> & B met C."
    html = highlight(
        sentence,
        {
            "source": {"start": 0, "end": 4},
            "trigger": {"start": 9, "end": 12},
            "target": {"start": 10, "end": 14},  # overlaps the trigger: left out
            "other": {"start": 5, "end": 99},  # outside the sentence: left out
        },
    )
    assert str(html) == (
        '<mark class="hl hl-source" title="source">A&lt;b&gt;</mark> &amp; B '
        '<mark class="hl hl-trigger" title="trigger">met</mark> C.'
    )
    assert str(highlight("<i>x</i>", {"trigger": None})) == "&lt;i&gt;x&lt;/i&gt;"


def test_only_http_links_become_hrefs() -> None:
    assert _http_url("https://example.org/a") == "https://example.org/a"
    assert _http_url("javascript:alert(1)") is None
    assert _http_url(None) is None

"""The dashboard driven in real headless Chromium (Debian's /usr/bin/chromium via playwright).

A store is built from ../shared/seeds, the real app (thucydides.api.create_app) runs under
uvicorn on a free localhost port, and each view is opened, used and photographed (into a
temporary directory; set THUCYDIDES_SCREENSHOTS=docs/screenshots to refresh the README's
pictures). Skips cleanly without ../shared, playwright or the browser.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import shared_path
from live_server import free_port, running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(
    os.environ.get("THUCYDIDES_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / "thucydides-screenshots"
)
TOKEN = "e2e-secret-token"
# An invented article: two countries sign a pact, a third accuses one of them.
ARTICLE = (
    "Norway and Kenya signed a fisheries agreement in Nairobi on Tuesday. "
    "The Kenyan foreign minister praised Norway for its support of coastal communities. "
    "Ethiopia accused Kenya of violating the shared border."
)
TIMEOUT_MS = 15_000

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seeds = shared_path("seeds")
    uvicorn = pytest.importorskip("uvicorn")
    import thucydides
    from thucydides.api import create_app

    db = tmp_path_factory.mktemp("web") / "seeds.duckdb"
    settings = thucydides.load_settings(db=str(db), api_token=TOKEN)
    summary = thucydides.extract([str(seeds)], settings)
    assert summary.events > 0
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    with running(config):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    assert (SHOTS / name).stat().st_size > 10_000  # a real picture, not an empty page


def test_dyad_view_click_period_then_event_page(page: Any) -> None:
    page.goto("/")
    # The datalist offers the store's actors.
    assert page.locator("datalist#actors option[value='RUS']").count() == 1
    page.fill("#actor-a", "KOR")
    page.fill("#actor-b", "RUS")
    page.click("#dyad-form button[type=submit]")
    page.wait_for_selector("#dyad-chart .period")
    # by "auto": the seeds' KOR-RUS events span five years, so months.
    assert page.locator("#dyad-chart").get_attribute("data-by") == "month"
    assert page.locator("#dyad-chart rect.bar.q1").count() >= 1
    assert page.locator("#dyad-chart circle.gold-point").count() >= 1

    # The seeds have KOR-RUS events in March 2012: click that period's column of KOR -> RUS.
    page.locator(
        '#dyad-chart .period[data-direction="KOR->RUS"][data-label="2012-03"] rect.hit'
    ).click()
    links = page.locator("#period-list a.event-link")
    links.first.wait_for()
    assert links.count() >= 2
    assert "2012-03" in page.inner_text("#period-title")
    _shot(page, "dyad.png")

    first = links.first.get_attribute("href")
    assert first and first.startswith("/events/")
    links.first.click()
    page.wait_for_url(f"**{first}")
    trigger = page.locator("#mentions mark.hl-trigger").first
    trigger.wait_for()
    assert trigger.inner_text().strip()
    assert page.locator("#mentions mark.hl-source").count() >= 1
    assert "CAMEO" in page.inner_text("dl.facts")
    _shot(page, "event.png")

    # Every supporting document is linked; its page shows the clean body.
    page.locator("#mentions .source-doc a").first.click()
    page.wait_for_selector("#doc-body")
    assert len(page.inner_text("#doc-body")) > 100


def test_events_table_filters(page: Any) -> None:
    page.goto("/events")
    rows = page.locator("#events-table tbody tr")
    everything = rows.count()
    assert everything >= 10
    page.fill("#event-filters input[name=actor]", "PRK")
    page.click("#event-filters button[type=submit]")
    page.wait_for_url("**/events?*actor=PRK*")
    filtered = rows.count()
    assert 0 < filtered < everything
    for i in range(filtered):
        cells = rows.nth(i).locator("td")
        assert "PRK" in cells.nth(1).inner_text() + cells.nth(3).inner_text()
    assert "PRK" in page.inner_text("#events-count") or filtered > 0
    _shot(page, "events.png")


def test_network_view(page: Any) -> None:
    page.goto("/network")
    page.wait_for_selector("#network-chart path.edge")
    countries = page.locator("#network-chart g.node").evaluate_all(
        "nodes => nodes.map(n => n.dataset.country)"
    )
    assert {"KOR", "RUS"} <= set(countries)
    assert "countries" in page.inner_text("#network-status")
    _shot(page, "network.png")


def test_upload_article_then_see_its_events(page: Any) -> None:
    page.goto("/upload")
    # A wrong token is refused with the API's message.
    page.fill("#token", "not-the-token")
    page.fill("#text", ARTICLE)
    page.click("#upload-button")
    page.wait_for_function(
        "document.getElementById('upload-status').textContent.startsWith('Refused')"
    )

    page.fill("#token", TOKEN)
    page.fill("#title", "Fisheries pact signed in Nairobi")
    page.fill("#date", "2019-05-14")
    page.click("#upload-button")
    links = page.locator("#new-events a.event-link")
    links.first.wait_for()
    texts = " | ".join(links.all_inner_texts())
    assert "NOR" in texts and "KEN" in texts
    assert "ETH" in texts
    assert page.locator("#progress").evaluate("bar => bar.value") == 100
    assert "Stored 1 document" in page.inner_text("#upload-status")
    _shot(page, "upload.png")

    # The new events are in the store: the table finds them.
    links.first.click()
    page.locator("#mentions mark.hl-trigger").first.wait_for()
    assert "Nairobi" in page.inner_text("#mentions") or "Norway" in page.inner_text("#mentions")


def test_api_docs_render_with_the_network_cut_off(page: Any, base_url: str) -> None:
    # Any request that leaves our server is refused, as on a machine with no network.
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/events" in path for path in summaries)
    assert not outside, outside
    _shot(page, "docs.png")


def test_network_minimum_events_control(page: Any) -> None:
    page.goto("/network")
    page.wait_for_selector("#network-chart path.edge")
    counts = page.locator("#network-chart path.edge").evaluate_all(
        "paths => paths.map(p => parseInt(p.textContent.split(': ')[1]))"
    )
    most = max(counts)
    assert min(counts) < most, counts
    page.fill("#network-form input[name=min_events]", str(most))
    page.click("#network-form button[type=submit]")
    page.wait_for_url(f"**/network?*min_events={most}*")
    page.wait_for_selector("#network-chart path.edge")
    edges = page.locator("#network-chart path.edge")
    assert edges.count() == counts.count(most)
    titles = edges.evaluate_all("paths => paths.map(p => p.textContent)")
    assert all(int(title.split(": ")[1].split(" ")[0]) >= most for title in titles)
    assert page.locator("#network-chart text.node-label").count() >= 2
    _shot(page, "network-min3.png")


def test_dyad_view_downloads_what_it_shows_as_csv(page: Any, base_url: str) -> None:
    page.goto("/?a=KOR&b=RUS&by=year")
    page.wait_for_selector("#dyad-chart .period")
    with page.expect_download() as waiting:
        page.click("#dyad-download")
    download = waiting.value
    assert download.suggested_filename == "dyad-KOR-RUS-year.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    rows = httpx.get(f"{base_url}/api/dyad", params={"a": "KOR", "b": "RUS", "by": "year"}).json()[
        "rows"
    ]
    assert lines[0].startswith("period,label,precision,direction,events,")
    assert len(lines) == len(rows) + 1
    assert {line.split(",")[1] for line in lines[1:]} == {row["label"] for row in rows}

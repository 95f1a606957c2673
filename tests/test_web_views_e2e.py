"""The dyad, places and network views in real headless Chromium, on an invented store.

The store is test_api_views' invented events (TUR-SYR in 1995 and 2018, RUS-UKR in 2014 and
2022, six places) plus a ring of twenty European countries, so the network has many nodes.
The real app runs under uvicorn on a free localhost port, every request leaving it is refused
(as on a machine with no network), and the pages are checked through the DOM they draw.
Skips cleanly without playwright or the browser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import free_port, running
from test_api_views import EVENTS, build_invented_store, make_event
from test_web_e2e import SHOTS, TIMEOUT_MS
from test_web_e2e import browser as browser  # the same headless Chromium fixture

from thucydides.codes import CameoTable
from thucydides.lexicon import load_table
from thucydides.settings import Settings
from thucydides.types import Actor

RING = ["FRA", "DEU", "ITA", "ESP", "PRT", "NLD", "BEL", "POL", "SWE", "NOR"]
RING += ["FIN", "DNK", "IRL", "AUT", "CHE", "GRC", "HUN", "CZE", "ROU", "BGR"]


def _ring_events() -> list[Any]:
    """Each ring country consults the next one once, in 2019, nowhere in particular."""
    actors = [Actor(f"the {code} delegation", 0, 10, code) for code in RING]
    return [
        make_event(100 + i, f"2019-01-{i + 1:02d}", "day", actors[i], actors[(i + 1) % 20], "036")
        for i in range(len(RING))
    ]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn")
    from thucydides.api import create_app

    db = build_invented_store(tmp_path_factory.mktemp("views-e2e") / "views.duckdb", _ring_events())
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(db=str(db))), host="127.0.0.1", port=port, log_level="warning"
    )
    with running(config):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"requests off the machine: {outside}"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _cells(page: Any, direction: str) -> dict[str, dict[str, float]]:
    """label -> {x0, x1} of each drawn period of DIRECTION's panel."""
    cells = page.locator(f'#dyad-chart .period[data-direction="{direction}"]').evaluate_all(
        "cells => cells.map(c => [c.dataset.label, +c.dataset.x0, +c.dataset.x1])"
    )
    return {label: {"x0": x0, "x1": x1} for label, x0, x1 in cells}


def _quads_drawn(page: Any, direction: str, label: str) -> dict[int, int]:
    bars = page.locator(
        f'#dyad-chart .period[data-direction="{direction}"][data-label="{label}"] rect.bar'
    ).evaluate_all("bars => bars.map(b => [+b.dataset.quad, +b.dataset.count])")
    return {quad: count for quad, count in bars}


def _expected_quads(years: str, source_country: str) -> dict[int, int]:
    """QuadClass -> events of the invented TUR-SYR events from SOURCE_COUNTRY in YEARS."""
    countries = {"TUR": "TUR", "TURGOV": "TUR", "TURMIL": "TUR", "NSAPKK": "TUR"}
    cameo = CameoTable()
    counts = Counter(
        cameo.get(code).quad_class
        for day, _, source, target, code, _ in EVENTS
        if day.startswith(years)
        and countries.get(source, source[:3]) == source_country
        and {countries.get(source, source[:3]), countries.get(target, target[:3])} == {"TUR", "SYR"}
    )
    return dict(counts)


def test_dyad_view_two_directions_and_four_quad_classes(page: Any) -> None:
    page.goto("/?a=TUR&b=SYR&by=year")
    page.wait_for_selector("#dyad-chart .period")
    panels = page.locator("#dyad-chart g.panel").evaluate_all(
        "panels => panels.map(p => p.dataset.direction)"
    )
    assert panels == ["TUR->SYR", "SYR->TUR"]
    titles = page.locator("#dyad-chart .panel-title").evaluate_all(
        "ts => ts.map(t => t.textContent)"
    )
    assert titles[0].startswith("TUR → SYR") and titles[1].startswith("SYR → TUR")
    # Four QuadClass series, each with a legend entry, stacked per period.
    quads = page.locator("#dyad-chart rect.bar").evaluate_all(
        "bars => [...new Set(bars.map(b => b.dataset.quad))].sort()"
    )
    assert quads == ["1", "2", "3", "4"]
    legend = page.locator("#dyad-legend .quad-key").evaluate_all(
        "keys => keys.map(k => k.dataset.quad)"
    )
    assert legend == ["1", "2", "3", "4"]
    assert _quads_drawn(page, "TUR->SYR", "2018") == _expected_quads("2018", "TUR")
    assert _quads_drawn(page, "SYR->TUR", "2018") == _expected_quads("2018", "SYR")
    assert page.locator("#dyad-chart circle.gold-point").count() == 3

    # A period of one panel lists that direction's events only.
    page.locator(
        '#dyad-chart .period[data-direction="SYR->TUR"][data-label="2018"] rect.hit'
    ).click()
    links = page.locator("#period-list a.event-link")
    links.first.wait_for()
    texts = links.all_inner_texts()
    assert len(texts) == sum(_expected_quads("2018", "SYR").values())
    assert all(text.startswith("SYR") for text in texts)
    assert page.inner_text("#period-title") == "SYR → TUR in 2018"


def test_dyad_view_time_axis_keeps_the_gap_of_years(page: Any) -> None:
    page.goto("/?a=TUR&b=SYR&by=year")
    page.wait_for_selector("#dyad-chart .period")
    cells = _cells(page, "TUR->SYR")
    assert set(cells) == {"1995", "2018"}
    year = cells["1995"]["x1"] - cells["1995"]["x0"]
    gap = cells["2018"]["x0"] - cells["1995"]["x1"]
    assert year > 0 and gap > 20 * year  # 22 empty years between them

    # By month: every drawn period is a month, placed by its date; the event known only as
    # "2018" is not drawn as January 2018 but named in the status line.
    page.goto("/?a=TUR&b=SYR&by=month")
    page.wait_for_selector("#dyad-chart .period")
    months = _cells(page, "TUR->SYR")
    assert set(months) == {"1995-03", "2018-01", "2018-02", "2018-03"}
    width = months["2018-01"]["x1"] - months["2018-01"]["x0"]
    assert months["2018-02"]["x0"] == pytest.approx(months["2018-01"]["x1"], abs=0.05)
    assert months["2018-01"]["x0"] - months["1995-03"]["x1"] > 200 * width
    assert _quads_drawn(page, "TUR->SYR", "2018-01") == {1: 1, 4: 1}
    assert "1 event is dated less precisely than a month" in page.inner_text("#chart-status")


def test_dyad_view_picks_the_granularity_from_the_span(page: Any) -> None:
    page.goto("/?a=TUR&b=SYR&since=2018-01-02")
    page.wait_for_selector("#dyad-chart .period")
    assert page.locator("#dyad-chart").get_attribute("data-by") == "day"
    assert page.locator("#by option:checked").inner_text() == "auto (day)"
    labels = set(_cells(page, "TUR->SYR")) | set(_cells(page, "SYR->TUR"))
    assert labels == {"2018-01-15", "2018-01-20", "2018-02-03", "2018-02-10", "2018-02-11"} | {
        "2018-03-05"
    }


def test_dyad_view_actors_by_code(page: Any) -> None:
    page.goto("/?a=TUR&b=SYR&by=year&level=code")
    page.wait_for_selector("#dyad-chart .period")
    totals = page.locator("#dyad-chart .panel-count").evaluate_all(
        "counts => counts.map(c => c.textContent)"
    )
    # TUR and SYR themselves only: TUR -> SYR in 1995, "2018", 2018-03-05; SYR -> TUR once.
    assert totals == ["3 events", "1 event"]
    assert "actors by code" in page.inner_text("#chart-status")
    assert page.locator("#level option:checked").inner_text() == "full code"


def test_dyad_view_compares_a_second_dyad_on_the_same_axis(page: Any, base_url: str) -> None:
    page.goto("/?a=TUR&b=SYR&by=year")
    page.wait_for_selector("#dyad-chart .period")
    assert page.locator("#dyad-chart g.panel").count() == 2
    page.fill("#actor-c", "RUS")
    page.fill("#actor-d", "UKR")
    page.click("#dyad-form button[type=submit]")
    page.wait_for_url("**/?*c=RUS*")
    page.wait_for_selector('#dyad-chart g.panel[data-direction="RUS->UKR"] .period')
    panels = page.locator("#dyad-chart g.panel").evaluate_all(
        "panels => panels.map(p => p.dataset.direction)"
    )
    assert panels == ["TUR->SYR", "SYR->TUR", "RUS->UKR", "UKR->RUS"]
    # One time axis: 2014 of the second dyad sits where 2014 falls between 1995 and 2018.
    turkey, russia = _cells(page, "TUR->SYR"), _cells(page, "RUS->UKR")
    assert set(russia) == {"2014", "2022"}
    per_year = (turkey["2018"]["x0"] - turkey["1995"]["x0"]) / 23
    assert russia["2014"]["x0"] == pytest.approx(turkey["1995"]["x0"] + 19 * per_year, abs=1)
    assert russia["2022"]["x1"] - russia["2022"]["x0"] == pytest.approx(per_year, abs=1)
    _shot(page, "dyad-compare.png")

    # The CSV holds what is drawn: the rows of both dyads.
    with page.expect_download() as waiting:
        page.click("#dyad-download")
    download = waiting.value
    assert download.suggested_filename == "dyad-TUR-SYR-vs-RUS-UKR-year.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "period,label,precision,direction,events,goldstein_sum,goldstein_mean,q1,q2,q3,q4"
    )
    expected = []
    for a, b in (("TUR", "SYR"), ("RUS", "UKR")):
        body = httpx.get(f"{base_url}/api/dyad", params={"a": a, "b": b, "by": "year"}).json()
        expected += [(row["label"], row["direction"], str(row["events"])) for row in body["rows"]]
    assert [tuple(line.split(",")[i] for i in (1, 3, 4)) for line in lines[1:]] == expected


def test_places_view_one_mark_per_place(page: Any, base_url: str) -> None:
    page.goto("/places")
    page.wait_for_selector("#places-map circle.place")
    items = httpx.get(f"{base_url}/api/places").json()["items"]
    marks = page.locator("#places-map circle.place").evaluate_all(
        "marks => marks.map(m => [m.dataset.name, +m.dataset.events, "
        "m.querySelector('title').textContent])"
    )
    assert sorted((name, events) for name, events, _ in marks) == sorted(
        (item["name"], item["events"]) for item in items
    )
    assert len(marks) == len({place for *_, place in EVENTS if place}) == 6
    titles = {name: title for name, _, title in marks}
    assert titles["Aleppo"] == "Aleppo (SYR): 3 events"
    # Bigger counts get bigger circles; the frame has its graticule, the map no tiles.
    radius = dict(
        page.locator("#places-map circle.place").evaluate_all(
            "marks => marks.map(m => [m.dataset.name, +m.getAttribute('r')])"
        )
    )
    assert radius["Aleppo"] > radius["Damascus"] > radius["Kharkiv"]
    assert page.locator("#places-map line.graticule").count() >= 6
    assert "12 events at 6 places" in page.inner_text("#places-status")
    _shot(page, "places.png")

    # Whole world and back: the same marks, a wider frame.
    fitted_west = float(page.locator("#places-map").get_attribute("data-west"))
    page.click("#places-extent")
    assert page.locator("#places-map").get_attribute("data-west") == "-180"
    assert page.locator("#places-map circle.place").count() == 6
    page.click("#places-extent")
    assert float(page.locator("#places-map").get_attribute("data-west")) == fitted_west

    # A place's events: the link lists exactly them.
    page.locator('#places-map circle.place[data-name="Aleppo"]').click()
    link = page.locator("#place-events")
    assert "place=Aleppo" in (link.get_attribute("href") or "")
    link.click()
    page.wait_for_url("**/events?*place=Aleppo*")
    assert page.locator("#events-table tbody tr").count() == 3
    assert set(page.locator("#events-table .place-name").all_inner_texts()) == {"Aleppo"}


def test_places_view_filters(page: Any) -> None:
    page.goto("/places?actor=RUS")
    page.wait_for_selector("#places-map circle.place")
    names = page.locator("#places-map circle.place").evaluate_all(
        "marks => marks.map(m => m.dataset.name).sort()"
    )
    assert names == ["Istanbul", "Kharkiv", "Kyiv"]
    page.locator('#places-map circle.place[data-name="Kyiv"]').click()
    href = page.locator("#place-events").get_attribute("href") or ""
    assert "actor=RUS" in href and "place=Kyiv" in href


# The geometry of the network's labels, in screen pixels: every character box of every label
# (rotated or not), checked against every node's circle and every other label.
LABEL_GEOMETRY = """
svg => {
  const point = (m, x, y) => {
    const p = new DOMPoint(x, y).matrixTransform(m);
    return [p.x, p.y];
  };
  const nodes = [...svg.querySelectorAll("g.node circle")].map(c => {
    const m = c.getScreenCTM();
    const [x, y] = point(m, +c.getAttribute("cx"), +c.getAttribute("cy"));
    return {x, y, r: +c.getAttribute("r") * m.a, name: c.parentNode.dataset.country};
  });
  const labels = [...svg.querySelectorAll("text.node-label")].map(t => {
    const m = t.getScreenCTM();
    const quads = [];
    for (let i = 0; i < t.getNumberOfChars(); i++) {
      const b = t.getExtentOfChar(i);
      quads.push([point(m, b.x, b.y), point(m, b.x + b.width, b.y),
                  point(m, b.x + b.width, b.y + b.height), point(m, b.x, b.y + b.height)]);
    }
    return {name: t.parentNode.dataset.country, quads};
  });
  const inside = (q, [px, py]) => {
    let sign = 0;
    for (let i = 0; i < 4; i++) {
      const [ax, ay] = q[i], [bx, by] = q[(i + 1) % 4];
      const s = Math.sign((bx - ax) * (py - ay) - (by - ay) * (px - ax));
      if (s === 0) continue;
      if (sign === 0) sign = s; else if (s !== sign) return false;
    }
    return true;
  };
  const samples = q => [...q, [(q[0][0] + q[2][0]) / 2, (q[0][1] + q[2][1]) / 2]];
  const hits = [];
  for (const label of labels) {
    for (const q of label.quads) {
      for (const [x, y] of samples(q)) {
        for (const n of nodes) {
          if (Math.hypot(x - n.x, y - n.y) < n.r) hits.push(label.name + " over node " + n.name);
        }
        for (const other of labels) {
          if (other !== label && other.quads.some(o => inside(o, [x, y]))) {
            hits.push(label.name + " over label " + other.name);
          }
        }
      }
    }
  }
  return [...new Set(hits)];
}
"""


def _organisation_name(code: str) -> str:
    rows = load_table("organizations.tsv", ("code", "name"))
    return next(row.values["name"] for row in rows if row.values["code"] == code)


def test_network_labels_are_short_readable_and_clear_of_the_nodes(page: Any) -> None:
    page.goto("/network")
    page.wait_for_selector("#network-chart g.node")
    nodes = page.locator("#network-chart g.node")
    assert nodes.count() == 5 + len(RING)
    assert page.locator("#network-chart").evaluate(LABEL_GEOMETRY) == []
    # The long organisation code is cut on the chart and whole, with its name, on hover.
    unesco = page.locator('#network-chart g.node[data-country="IGOUNESCO"]')
    label = unesco.locator("text.node-label").text_content() or ""
    assert (
        label.endswith("…") and len(label) < len("IGOUNESCO") and "IGOUNESCO".startswith(label[:-1])
    )
    title = unesco.locator("title").text_content() or ""
    assert title == f"IGOUNESCO ({_organisation_name('UNESCO')}): 1 event"
    france = page.locator('#network-chart g.node[data-country="FRA"] title').text_content()
    assert france == "FRA (France): 2 events"
    _shot(page, "network-ring.png")

    # Few nodes (two or more events a pair): labels beside their nodes, still clear of them.
    page.fill("#network-form input[name=min_events]", "2")
    page.click("#network-form button[type=submit]")
    page.wait_for_url("**/network?*min_events=2*")
    page.wait_for_selector("#network-chart g.node")
    countries = page.locator("#network-chart g.node").evaluate_all(
        "nodes => nodes.map(n => n.dataset.country).sort()"
    )
    assert countries == ["RUS", "SYR", "TUR", "UKR"]
    assert page.locator("#network-chart").evaluate(LABEL_GEOMETRY) == []
    assert page.locator("#network-chart text.node-label").count() == 4

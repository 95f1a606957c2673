"""The API behind the dashboard's dyad and places views: /api/dyad's level, precision,
granularity (by=auto) and regular series, one direction of /api/dyad/events, and /api/places.

The store is a real DuckDB file holding invented events written through Store.add_events, so
that dates (a gap of 23 years, an event known only by its year), QuadClasses, places and
actor codes are exactly what each test needs (the coder's output would move under them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import plain_event
from fastapi.testclient import TestClient

from thucydides.analytics import default_period, dyad_series
from thucydides.api import create_app
from thucydides.codes import CameoTable
from thucydides.settings import Settings
from thucydides.store import Store
from thucydides.types import Actor, Event, Place

# Invented actors: a bare country, its sectors, a Turkish group whose code does not start with
# TUR (so that level=country and level=code differ), and an organisation with a long code.
ACTORS = {
    "TUR": Actor("Turkey", 0, 6, "TUR"),
    "TURGOV": Actor("the Turkish government", 0, 22, "TUR", "GOV"),
    "TURMIL": Actor("Turkish troops", 0, 14, "TUR", "MIL"),
    "NSAPKK": Actor("PKK militants", 0, 13, "TUR", None, "PKK", "NSA"),
    "SYR": Actor("Syria", 0, 5, "SYR"),
    "SYRGOV": Actor("the Syrian government", 0, 21, "SYR", "GOV"),
    "SYRMIL": Actor("Syrian soldiers", 0, 15, "SYR", "MIL"),
    "RUS": Actor("Russia", 0, 6, "RUS"),
    "RUSMIL": Actor("Russian forces", 0, 14, "RUS", "MIL"),
    "UKR": Actor("Ukraine", 0, 7, "UKR"),
    "UKRGOV": Actor("the Ukrainian government", 0, 24, "UKR", "GOV"),
    "UKRMIL": Actor("Ukrainian troops", 0, 16, "UKR", "MIL"),
    "IGOUNESCO": Actor("UNESCO", 0, 6, None, None, "UNESCO", "IGO"),
}
PLACES = {
    "Aleppo": Place("Aleppo", "SYR", 36.20, 37.16, 170063, "city"),
    "Ankara": Place("Ankara", "TUR", 39.92, 32.85, 323786, "city"),
    "Damascus": Place("Damascus", "SYR", 33.51, 36.29, 170654, "city"),
    "Kyiv": Place("Kyiv", "UKR", 50.45, 30.52, 703448, "city"),
    "Kharkiv": Place("Kharkiv", "UKR", 49.99, 36.23, 706483, "city"),
    "Istanbul": Place("Istanbul", "TUR", 41.01, 28.95, 745044, "city"),
}
# (date, precision, source, target, CAMEO code, place): TUR-SYR in 1995 and 2018 (one event
# of 2018 known only by its year), RUS-UKR in 2014 and 2022, UNESCO once.
EVENTS = [
    ("1995-03-10", "day", "TURMIL", "SYRMIL", "190", "Aleppo"),
    ("1995-03-22", "day", "TUR", "SYR", "036", "Ankara"),
    ("2018-01-15", "day", "TURGOV", "SYRGOV", "042", "Damascus"),
    ("2018-01-20", "day", "TURMIL", "SYR", "190", "Aleppo"),
    ("2018-02-03", "day", "SYR", "TUR", "112", "Damascus"),
    ("2018-02-10", "day", "SYRGOV", "TURGOV", "070", None),
    ("2018-02-11", "day", "NSAPKK", "SYRMIL", "190", "Aleppo"),
    ("2018", "year", "TUR", "SYR", "061", "Ankara"),
    ("2018-03-05", "day", "TUR", "SYR", "111", "Ankara"),
    ("2014-03-01", "day", "RUSMIL", "UKR", "190", "Kyiv"),
    ("2014-03-05", "day", "UKRGOV", "RUS", "112", "Kyiv"),
    ("2022-02-24", "day", "RUSMIL", "UKRMIL", "190", "Kharkiv"),
    ("2022-03-01", "day", "UKR", "RUS", "036", "Istanbul"),
    ("2018-04-01", "day", "IGOUNESCO", "SYR", "018", None),
]


def make_event(
    number: int,
    day: str,
    precision: str,
    source: Actor,
    target: Actor,
    code: str,
    place: Place | None = None,
) -> Event:
    """An invented event: SOURCE does CAMEO CODE to TARGET on DAY (at PRECISION), at PLACE."""
    entry = CameoTable().get(code)
    sentence = f"{source.text} and {target.text}: invented event {number}."
    return plain_event(
        doc_id=f"doc-{number}",
        event_id=f"event-{number:03d}",
        source=source,
        target=target,
        cameo=code,
        plover_type=entry.plover_type,
        plover_mode=entry.plover_mode,
        goldstein=entry.goldstein,
        quad_class=entry.quad_class,
        date=day,
        date_precision=precision,
        date_source="text",
        location=place,
        sentence=sentence,
        sentence_end=len(sentence),
        trigger="invented",
        trigger_end=8,
    )


def invented_events() -> list[Event]:
    return [
        make_event(number, day, precision, ACTORS[a], ACTORS[b], code, PLACES.get(place or ""))
        for number, (day, precision, a, b, code, place) in enumerate(EVENTS)
    ]


def build_invented_store(db: Path, extra: list[Event] | None = None) -> Path:
    """A store file holding invented_events() and EXTRA (each its own merged event)."""
    events = invented_events() + (extra or [])
    with Store(str(db)) as store:
        assert store.add_events(events, None) == len(events)
    return db


@pytest.fixture(scope="module")
def invented_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_invented_store(tmp_path_factory.mktemp("views") / "views.duckdb")


@pytest.fixture(scope="module")
def client(invented_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=str(invented_db)))) as opened:
        yield opened


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


# -- /api/dyad --------------------------------------------------------------------------------


def test_dyad_rows_carry_their_precision(client: TestClient) -> None:
    body = _get(client, "/api/dyad", a="TUR", b="SYR", by="month")
    by_label = {(row["label"], row["direction"]): row for row in body["rows"]}
    # The event known only as "2018" is a year row, not January 2018.
    assert by_label[("2018", "TUR->SYR")]["precision"] == "year"
    assert by_label[("2018", "TUR->SYR")]["events"] == 1
    assert by_label[("2018-01", "TUR->SYR")]["precision"] == "month"
    assert by_label[("2018-01", "TUR->SYR")]["events"] == 2
    assert {row["precision"] for row in body["rows"]} == {"month", "year"}


def test_dyad_level_matches_the_analytics_definition(client: TestClient, invented_db: Path) -> None:
    country = _get(client, "/api/dyad", a="TUR", b="SYR", by="year", level="country")
    code = _get(client, "/api/dyad", a="TUR", b="SYR", by="year", level="code")
    default = _get(client, "/api/dyad", a="TUR", b="SYR", by="year")
    assert country["level"] == "country" and code["level"] == "code"

    def total(body: Any) -> int:
        return sum(row["events"] for row in body["rows"])

    # Every actor of Turkey (TURGOV, TURMIL, the PKK) at country level; the code TUR alone at
    # code level: the bare-country events 1995-03-22, "2018", 2018-02-03, 2018-03-05.
    assert total(country) == 9 and total(code) == 4
    assert default["rows"] == country["rows"]
    with Store(str(invented_db), read_only=True) as store:
        for level, body in (("country", country), ("code", code)):
            expected = dyad_series(store, "TUR", "SYR", by="year", level=level).to_pylist()
            assert [(r["label"], r["direction"], r["events"]) for r in body["rows"]] == [
                (r["label"], r["direction"], r["events"]) for r in expected
            ]
    mixed = _get(client, "/api/dyad", a="TURGOV", b="SYR", by="year")
    assert mixed["level"] == "TURGOV: code, SYR: country"
    assert total(mixed) == 2  # TURGOV -> SYRGOV and SYRGOV -> TURGOV


def test_dyad_level_is_checked(client: TestClient) -> None:
    response = client.get("/api/dyad", params={"a": "TUR", "b": "SYR", "level": "region"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "T801"


def test_dyad_by_auto_picks_the_granularity_from_the_span(client: TestClient) -> None:
    wide = _get(client, "/api/dyad", a="TUR", b="SYR", by="auto")
    assert (wide["first"], wide["last"]) == ("1995-03-10", "2018-03-05")
    assert wide["by"] == "year"  # 23 years
    assert {row["precision"] for row in wide["rows"]} == {"year"}
    spring = _get(client, "/api/dyad", a="TUR", b="SYR", by="auto", since="2018-01-02")
    assert (spring["first"], spring["last"]) == ("2018-01-15", "2018-03-05")
    assert spring["by"] == "day"  # seven weeks
    ukraine = _get(client, "/api/dyad", a="RUS", b="UKR", by="auto")
    assert ukraine["by"] == "month"  # eight years
    assert _get(client, "/api/dyad", a="RUS", b="UKR")["by"] == "month"  # the default
    nothing = _get(client, "/api/dyad", a="RUS", b="SYR", by="auto")
    assert nothing["first"] is None and nothing["rows"] == [] and nothing["by"] == "month"


@pytest.mark.parametrize(
    ("days", "period"),
    [
        (0, "day"),
        (92, "day"),
        (93, "week"),
        (731, "week"),
        (732, "month"),
        (15 * 366, "month"),
        (15 * 366 + 1, "year"),
        (40_000, "year"),
    ],
)
def test_default_period_by_span(days: int, period: str) -> None:
    first = date(2001, 5, 17)
    assert default_period(first, first + timedelta(days=days)) == period
    assert default_period(None, None) == "month"


def test_dyad_fill_gives_a_regular_series(client: TestClient) -> None:
    body = _get(client, "/api/dyad", a="TUR", b="SYR", by="year", fill="true")
    labels = [row["label"] for row in body["rows"]]
    assert labels == [str(year) for year in range(1995, 2019) for _ in (0, 1)]
    quiet = [row for row in body["rows"] if row["label"] == "2000"]
    assert [row["events"] for row in quiet] == [0, 0]
    assert quiet[0]["goldstein_mean"] is None and quiet[0]["q1"] is None


def test_dyad_events_of_one_direction(client: TestClient) -> None:
    rows = _get(client, "/api/dyad", a="TUR", b="SYR", by="month")["rows"]
    february = {row["direction"]: row["events"] for row in rows if row["label"] == "2018-02"}
    assert february == {"TUR->SYR": 1, "SYR->TUR": 2}
    for (a, b), expected in ((("TUR", "SYR"), 1), (("SYR", "TUR"), 2)):
        body = _get(
            client,
            "/api/dyad/events",
            a=a,
            b=b,
            by="month",
            period_label="2018-02",
            directed="true",
        )
        assert body["total"] == expected
        assert all(event["source"]["country"] == a for event in body["items"])
    both = _get(client, "/api/dyad/events", a="TUR", b="SYR", by="month", period_label="2018-02")
    assert both["total"] == 3
    exact = _get(
        client, "/api/dyad/events", a="TUR", b="SYR", period_label="2018", by="year", level="code"
    )
    assert exact["total"] == 3  # TUR and SYR themselves in 2018: 2018-02-03, "2018", 2018-03-05


# -- /api/places ------------------------------------------------------------------------------


def test_places_count_the_events_at_each_place(client: TestClient) -> None:
    body = _get(client, "/api/places")
    expected = Counter(place for *_, place in EVENTS if place)
    assert {item["name"]: item["events"] for item in body["items"]} == dict(expected)
    assert body["total"] == len(expected) == len(body["items"])
    assert body["located"] == sum(expected.values())
    assert body["unlocated"] == sum(1 for *_, place in EVENTS if place is None)
    aleppo = next(item for item in body["items"] if item["name"] == "Aleppo")
    assert aleppo == {
        "name": "Aleppo",
        "country": "SYR",
        "latitude": 36.20,
        "longitude": 37.16,
        "feature": "city",
        "events": 3,
    }
    assert [item["events"] for item in body["items"]] == sorted(
        (item["events"] for item in body["items"]), reverse=True
    )


def test_places_take_the_event_filters(client: TestClient) -> None:
    ukraine = _get(client, "/api/places", dyad="RUS,UKR")
    assert {item["name"] for item in ukraine["items"]} == {"Kyiv", "Kharkiv", "Istanbul"}
    attacks = _get(client, "/api/places", quad=4)
    assert {item["name"]: item["events"] for item in attacks["items"]} == {
        "Aleppo": 3,
        "Kyiv": 1,
        "Kharkiv": 1,
    }
    old = _get(client, "/api/places", until="1999")
    assert {item["name"] for item in old["items"]} == {"Aleppo", "Ankara"}
    turkish = _get(client, "/api/places", country="Turkey", since="2018-02")
    assert turkish["located"] == 3 and turkish["unlocated"] == 1
    top = _get(client, "/api/places", limit=2)
    assert len(top["items"]) == 2 and top["total"] == 6


def test_places_refuse_unknown_and_bad_parameters(client: TestClient) -> None:
    unknown = client.get("/api/places", params={"quad_class": 4})
    assert unknown.status_code == 422
    error = unknown.json()["error"]
    assert error["code"] == "T801" and "quad_class" in error["message"]
    assert client.get("/api/places", params={"limit": 0}).status_code == 400
    assert client.get("/api/places", params={"since": "soon"}).status_code == 400


def test_events_page_filters_by_place(client: TestClient) -> None:
    page = client.get("/events", params={"place": "Aleppo"})
    assert page.status_code == 200
    assert page.text.count('<tr class="q') == 3
    assert 'name="place" value="Aleppo"' in page.text


def test_places_page_is_in_the_navigation(client: TestClient) -> None:
    page = client.get("/places", params={"actor": "RUS"})
    assert page.status_code == 200
    assert '<a href="/places" class="active">Places</a>' in page.text
    assert 'name="actor" value="RUS"' in page.text
    assert '<script src="/static/places.js"></script>' in page.text
    assert client.get("/static/places.js").status_code == 200

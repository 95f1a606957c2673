"""Analytics on real stores: our own articles through extract(), and the seeds when present."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from thucydides.analytics import date_bounds, dyad_series, network, query, top
from thucydides.cli import app
from thucydides.errors import StoreError
from thucydides.pipeline import extract
from thucydides.settings import Settings
from thucydides.store import Store

runner = CliRunner()

# Three invented articles about two countries, in three months: cooperation in March,
# conflict in June, material help in September.
ARTICLES = {
    "01-fisheries.txt": """Chile and Peru agree on fisheries

By Ana Torres
Andean Ledger
March 4, 2023

Chile and Peru signed a fisheries agreement in Lima on Friday, officials said.

Peru's foreign minister praised Chile for its help after the floods.
""",
    "02-border.txt": """Peru accuses Chile over border incident

By Luis Medina
Andean Ledger
June 12, 2023

Peru accused Chile of violating its airspace on Sunday.

Chilean troops attacked a Peruvian border post, the army said.
""",
    "03-aid.txt": """Chile sends aid to Peru

By Ana Torres
Andean Ledger
September 20, 2023

Chile sent emergency aid to Peru after the earthquake.
""",
}


def build_store(directory: Path) -> Path:
    """A store made by extract() from ARTICLES; used by the plot tests too."""
    for name, text in ARTICLES.items():
        (directory / name).write_text(text, encoding="utf-8")
    db = directory / "andes.duckdb"
    extract([str(directory / "*.txt")], Settings(db=str(db)))
    return db


@pytest.fixture(scope="module")
def andes_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("andes"))


@pytest.fixture
def store(andes_db: Path):
    with Store(andes_db, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = shared_path("seeds")
    db = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    extract([str(seeds)], Settings(db=str(db)))
    return db


def _raw_events(store: Store) -> list[dict]:
    return store.query(
        "SELECT source_code, target_code, quad_class, goldstein, event_date FROM events"
    ).to_pylist()


def test_the_articles_give_every_quad_class(store: Store) -> None:
    # The rest of this file leans on this: if the coder changes, fix the articles first.
    rows = _raw_events(store)
    assert {r["quad_class"] for r in rows} == {1, 2, 3, 4}
    assert {r["event_date"].month for r in rows} == {3, 6, 9}


def test_dyad_series_matches_a_count_by_hand(store: Store) -> None:
    expected: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in _raw_events(store):
        source, target = row["source_code"], row["target_code"] or ""
        if source.startswith("CHL") and target.startswith("PER"):
            expected[(row["event_date"].strftime("%Y-%m"), "CHL->PER")].append(row)
        if source.startswith("PER") and target.startswith("CHL"):
            expected[(row["event_date"].strftime("%Y-%m"), "PER->CHL")].append(row)
    series = dyad_series(store, "CHL", "PER", by="month").to_pylist()
    assert [(r["label"], r["direction"]) for r in series] == sorted(expected)
    for row in series:
        events = expected[(row["label"], row["direction"])]
        assert row["events"] == len(events)
        assert row["goldstein_sum"] == pytest.approx(sum(e["goldstein"] for e in events))
        assert row["goldstein_mean"] == pytest.approx(row["goldstein_sum"] / len(events))
        for q in (1, 2, 3, 4):
            share = sum(e["quad_class"] == q for e in events) / len(events)
            assert row[f"q{q}"] == pytest.approx(share)
        assert sum(row[f"q{q}"] for q in (1, 2, 3, 4)) == pytest.approx(1.0)


def test_dyad_series_periods_directions_and_signs(store: Store) -> None:
    rows = {(r["label"], r["direction"]): r for r in dyad_series(store, "chl", "per").to_pylist()}
    assert {label for label, _ in rows} == {"2023-03", "2023-06", "2023-09"}
    june = [r for (label, _), r in rows.items() if label == "2023-06"]
    assert all(r["goldstein_mean"] < 0 for r in june)  # the border incident
    assert all(r["q3"] + r["q4"] == 1.0 for r in june)
    assert rows[("2023-03", "CHL->PER")]["goldstein_mean"] > 0
    assert rows[("2023-09", "CHL->PER")]["q2"] == 1.0  # aid is material cooperation
    # A direction column says which way; the A->B row comes first within a period.
    directions = [r["direction"] for r in dyad_series(store, "CHL", "PER").to_pylist()]
    assert directions[:2] == ["CHL->PER", "PER->CHL"]


def test_dyad_series_by_year_week_and_day(store: Store) -> None:
    year = dyad_series(store, "CHL", "PER", by="year").to_pylist()
    assert {r["label"] for r in year} == {"2023"}
    assert sum(r["events"] for r in year) == sum(
        r["events"] for r in dyad_series(store, "CHL", "PER").to_pylist()
    )
    week = dyad_series(store, "CHL", "PER", by="week").to_pylist()
    assert all(r["period"].weekday() == 0 and "-W" in r["label"] for r in week)
    day = dyad_series(store, "CHL", "PER", by="day").to_pylist()
    assert len(day) >= len(dyad_series(store, "CHL", "PER").to_pylist())


def test_prefix_codes_and_periods_filter(store: Store) -> None:
    military = dyad_series(store, "CHLMIL", "PER").to_pylist()
    assert [(r["label"], r["direction"], r["q4"]) for r in military] == [
        ("2023-06", "CHLMIL->PER", 1.0)
    ]
    summer = dyad_series(store, "CHL", "PER", since="2023-04", until="2023-08-31").to_pylist()
    assert {r["label"] for r in summer} == {"2023-06"}
    assert dyad_series(store, "CHL", "PER", until="2023-02").num_rows == 0
    assert dyad_series(store, "CHL", "FRA").num_rows == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "decade"}, "--by"),
        ({"a": "CHL'; DROP TABLE events; --"}, "not an actor code"),
        ({"a": ""}, "not an actor code"),
        ({"since": "March 2023"}, "--since"),
        ({"until": "2023-13"}, "--until"),
        ({"since": "2024", "until": "2023"}, "after"),
    ],
)
def test_dyad_series_rejects_bad_arguments(store: Store, kwargs: dict, message: str) -> None:
    arguments = {"a": "CHL", "b": "PER"} | kwargs
    with pytest.raises(StoreError, match=message) as caught:
        dyad_series(store, **arguments)
    assert caught.value.code == "T403"
    assert store.count("events") > 0


def test_date_bounds_are_inclusive() -> None:
    low, high = date_bounds("2023-02", "2024")
    assert (low.isoformat(), high.isoformat()) == ("2023-02-01", "2025-01-01")
    low, high = date_bounds(None, "2024-02")
    assert high.isoformat() == "2024-03-01"


def test_top_dyads_actors_and_codes(store: Store) -> None:
    dyads = top(store, by="dyad").to_pylist()
    assert {(d["source"], d["target"]) for d in dyads} == {("CHL", "PER"), ("PER", "CHL")}
    assert sum(d["events"] for d in dyads) == store.count("events")
    assert dyads == sorted(dyads, key=lambda d: -d["events"])
    actors = top(store, by="actor", limit=2).to_pylist()
    assert len(actors) == 2 and actors[0]["events"] >= actors[1]["events"]
    assert all(a["as_source"] + a["as_target"] == a["events"] for a in actors)
    codes = top(store, by="code").to_pylist()
    attack = next(c for c in codes if c["quad_class"] == 4)
    assert attack["name"] and attack["goldstein_mean"] < 0
    assert sum(c["events"] for c in codes) == store.count("events")
    with pytest.raises(StoreError, match="--by"):
        top(store, by="country")
    with pytest.raises(StoreError, match="--limit"):
        top(store, limit=0)


def test_network_edges(store: Store) -> None:
    edges = {(e["source"], e["target"]): e for e in network(store).to_pylist()}
    assert set(edges) == {("CHL", "PER"), ("PER", "CHL")}
    assert sum(e["events"] for e in edges.values()) == store.count("events")
    for edge in edges.values():
        assert edge["goldstein_mean"] == pytest.approx(edge["goldstein_sum"] / edge["events"])
    june = network(store, since="2023-06", until="2023-06").to_pylist()
    assert all(e["goldstein_mean"] < 0 for e in june) and june


def test_query_reads_merged_events(store: Store) -> None:
    rows = query(store, "SELECT count(*) AS n FROM merged_events").to_pylist()
    assert rows == [{"n": store.count("events")}]
    with_rows = query(
        store,
        "WITH m AS (SELECT * FROM merged_events WHERE quad_class = 4) "
        "SELECT source_code, num_articles FROM m",
    ).to_pylist()
    assert with_rows == [{"source_code": "CHLMIL", "num_articles": 1}]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM events",
        "DROP TABLE events",
        "SELECT 1; DELETE FROM events",
        "INSERT INTO runs SELECT * FROM runs",
        "COPY events TO 'out.csv'",
        "PRAGMA version",
        "ATTACH 'other.duckdb'",
        "CREATE TABLE x AS SELECT 1",
        "SELEC 1",
    ],
)
def test_query_refuses_anything_but_one_select(andes_db: Path, sql: str) -> None:
    # Opened for writing on purpose: the check itself must refuse, not the read-only file.
    with Store(andes_db) as store:
        before = store.count("events")
        with pytest.raises(StoreError) as caught:
            query(store, sql)
        assert caught.value.code == "T403"
        assert store.count("events") == before


def test_cli_dyad_top_and_query(andes_db: Path) -> None:
    result = runner.invoke(app, ["dyad", "CHL", "PER", "--db", str(andes_db)])
    assert result.exit_code == 0, result.output
    for text in ("2023-03", "2023-06", "2023-09", "CHL->PER", "PER->CHL", "%Q4", "Goldstein"):
        assert text in result.output
    years = runner.invoke(app, ["dyad", "CHL", "PER", "--by", "year", "--db", str(andes_db)])
    assert "2023" in years.output and "2023-03" not in years.output
    as_json = runner.invoke(app, ["dyad", "CHL", "PER", "--json", "--db", str(andes_db)])
    assert {r["label"] for r in json.loads(as_json.output)} == {"2023-03", "2023-06", "2023-09"}
    ranked = runner.invoke(app, ["top", "--by", "code", "--limit", "2", "--db", str(andes_db)])
    assert ranked.exit_code == 0 and "cameo" in ranked.output
    sql = "SELECT cameo FROM merged_events WHERE quad_class = 4"
    answer = runner.invoke(app, ["query", sql, "--json", "--db", str(andes_db)])
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.output) == [{"cameo": "190"}]


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["dyad", "CHL", "PER", "--by", "decade"], "T403"),
        (["dyad", "CHL", "PER", "--since", "soon"], "T403"),
        (["top", "--by", "colour"], "T403"),
        (["query", "DELETE FROM events"], "T403"),
        (["query", "SELECT * FROM no_such_table"], "T403"),
    ],
)
def test_cli_errors_are_one_line(andes_db: Path, arguments: list[str], code: str) -> None:
    result = runner.invoke(app, [*arguments, "--db", str(andes_db)])
    assert result.exit_code == 1
    assert code in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_without_a_store(tmp_path: Path) -> None:
    for arguments in (["dyad", "A", "B"], ["top"], ["query", "SELECT 1"]):
        result = runner.invoke(app, [*arguments, "--db", str(tmp_path / "none.duckdb")])
        assert result.exit_code == 1 and "T401" in result.output
        assert not (tmp_path / "none.duckdb").exists()


def test_seeds_dyad_kor_rus_by_month(seeds_db: Path) -> None:
    result = runner.invoke(app, ["dyad", "KOR", "RUS", "--db", str(seeds_db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # The 2012 article tells of a 2007 agreement (dated to the year only) and March 2012 talks.
    assert any("2012-03" in line and "KOR->RUS" in line for line in lines)
    assert any("2012-03" in line and "RUS->KOR" in line for line in lines)
    assert any(" 2007 " in line for line in lines)
    # The 2001 article is about North Korea: it is PRK RUS, not KOR RUS.
    assert "2001" not in result.output
    north = runner.invoke(app, ["dyad", "PRK", "RUS", "--db", str(seeds_db)])
    assert north.exit_code == 0, north.output
    assert any("2001-04" in line and "PRK->RUS" in line for line in north.output.splitlines())
    assert any("2001-04" in line and "RUS->PRK" in line for line in north.output.splitlines())
    assert "2012" not in north.output

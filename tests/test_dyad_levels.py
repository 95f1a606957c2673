"""One meaning of "dyad" (top and dyad agree at each level), frames a notebook can use
(precision, dates, a zero-filled series, the merged_events view), readable `query` output, and
`settings` that keeps the API token to itself. A real store made by extract() from our own
invented articles."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from thucydides.analytics import dyad_series, top
from thucydides.cli import app
from thucydides.errors import StoreError
from thucydides.pipeline import extract
from thucydides.settings import Settings
from thucydides.store import Store

runner = CliRunner()

# Invented: a Kurdish group coded NSAPKK with country TUR acts on Syria, so that an actor of
# Turkey has a code that does not start with TUR; NATO (no country) acts on TURMIL; Turkish and
# Syrian forces clash in two months with a gap between.
ARTICLES = {
    "01-raid.txt": """Militants raid a border post

By Deniz Aral
Frontier Wire
January 10, 2022

PKK militants attacked Syrian soldiers near the border on Monday, officials said.

Turkish troops attacked a Syrian army post on Tuesday.

NATO praised the Turkish army on Thursday.
""",
    "02-talks.txt": """Ankara and Damascus talk

By Deniz Aral
Frontier Wire
April 5, 2022

Turkey and Syria signed a security agreement in Moscow on Monday.

Syria's foreign minister praised Turkey for its help after the floods.
""",
}
WIDE = {"since": "1900", "until": "2100"}  # dated events only, in top as in dyad


@pytest.fixture(scope="module")
def frontier_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("frontier")
    for name, text in ARTICLES.items():
        (directory / name).write_text(text, encoding="utf-8")
    db = directory / "frontier.duckdb"
    extract([str(directory / "*.txt")], Settings(db=str(db)))
    return db


@pytest.fixture
def store(frontier_db: Path):
    with Store(frontier_db, read_only=True) as opened:
        yield opened


def test_the_store_has_an_actor_whose_code_is_not_its_country(store: Store) -> None:
    # What makes the next test able to fail: prefix matching misses this actor.
    rows = store.query(
        "SELECT source_code FROM events WHERE source_country = 'TUR' "
        "AND NOT starts_with(source_code, 'TUR') AND target_country = 'SYR'"
    ).to_pylist()
    assert rows, "the coder no longer gives PKK a country: change the articles"


@pytest.mark.parametrize("level", ["country", "code"])
def test_top_and_dyad_count_alike(store: Store, level: str) -> None:
    ranked = top(store, by="dyad", limit=100, level=level, **WIDE).to_pylist()
    assert ranked
    for row in ranked:
        series = dyad_series(store, row["source"], row["target"], level=level, **WIDE)
        forward = f"{row['source']}->{row['target']}"
        counted = sum(r["events"] for r in series.to_pylist() if r["direction"] == forward)
        if row["source"] == row["target"]:  # both directions are the same events
            counted //= 2
        assert counted == row["events"], (level, row)


def test_top_and_dyad_count_alike_by_default(store: Store) -> None:
    # An organisation (IGONATO, no country) against a country (TUR takes in TURMIL).
    ranked = top(store, by="dyad", limit=100, **WIDE).to_pylist()
    assert ("IGONATO", "TUR") in {(r["source"], r["target"]) for r in ranked}
    for row in ranked:
        series = dyad_series(store, row["source"], row["target"], **WIDE)
        forward = f"{row['source']}->{row['target']}"
        counted = sum(r["events"] for r in series.to_pylist() if r["direction"] == forward)
        if row["source"] == row["target"]:
            counted //= 2
        assert counted == row["events"], row


def test_country_is_the_default_for_country_codes(store: Store) -> None:
    (tur_syr,) = [
        r
        for r in top(store, by="dyad", **WIDE).to_pylist()
        if (r["source"], r["target"])
        == (
            "TUR",
            "SYR",
        )
    ]
    by_default = dyad_series(store, "TUR", "SYR", **WIDE).to_pylist()
    assert (
        sum(r["events"] for r in by_default if r["direction"] == "TUR->SYR") == (tur_syr["events"])
    )
    # At code level "TUR" is the bare country actor only: fewer events.
    bare = dyad_series(store, "TUR", "SYR", level="code", **WIDE).to_pylist()
    assert sum(r["events"] for r in bare if r["direction"] == "TUR->SYR") < tur_syr["events"]
    with pytest.raises(StoreError, match="--level"):
        dyad_series(store, "TUR", "SYR", level="region")


def test_cli_top_and_dyad_show_the_level_and_agree(frontier_db: Path) -> None:
    ranked = runner.invoke(app, ["top", "--json", "--since", "1900", "--db", str(frontier_db)])
    assert ranked.exit_code == 0, ranked.output
    (row,) = [r for r in json.loads(ranked.output) if (r["source"], r["target"]) == ("TUR", "SYR")]
    pair = runner.invoke(app, ["dyad", "TUR", "SYR", "--json", "--db", str(frontier_db)])
    assert pair.exit_code == 0, pair.output
    rows = json.loads(pair.output)
    assert {r["level"] for r in rows} == {"country"}
    assert sum(r["events"] for r in rows if r["direction"] == "TUR->SYR") == row["events"]
    text = runner.invoke(app, ["top", "--db", str(frontier_db)])
    assert "actors by country" in text.output
    text = runner.invoke(app, ["dyad", "TUR", "SYR", "--level", "code", "--db", str(frontier_db)])
    assert text.exit_code == 0 and "actors by code" in text.output
    mixed = runner.invoke(app, ["dyad", "IGONATO", "TUR", "--json", "--db", str(frontier_db)])
    assert {r["level"] for r in json.loads(mixed.output)} == {"IGONATO: code, TUR: country"}
    bad = runner.invoke(app, ["dyad", "TUR", "SYR", "--level", "planet", "--db", str(frontier_db)])
    assert bad.exit_code == 1 and "T403" in bad.output


def test_dyad_rows_have_a_precision_and_dates(store: Store) -> None:
    table = dyad_series(store, "TUR", "SYR", by="month")
    assert str(table.schema.field("period").type) == "date32[day]"
    rows = table.to_pylist()
    assert {r["precision"] for r in rows} == {"month"}
    assert all(isinstance(r["period"], dt.date) for r in rows)
    weeks = store.dyad("TUR", "SYR", by="week").to_pylist()
    assert {r["precision"] for r in weeks} == {"week"}


def test_fill_gives_a_regular_zero_filled_series(store: Store) -> None:
    rows = store.dyad("TUR", "SYR", by="month", fill=True).to_pylist()
    periods = sorted({r["period"] for r in rows})
    assert periods == [dt.date(2022, month, 1) for month in (1, 2, 3, 4)]
    # Both directions in every period, the gap months as zeros.
    assert [r["direction"] for r in rows] == ["TUR->SYR", "SYR->TUR"] * 4
    gap = [r for r in rows if r["period"] == dt.date(2022, 2, 1)]
    assert all(r["events"] == 0 and r["goldstein_sum"] == 0 for r in gap)
    assert all(r["goldstein_mean"] is None and r["q1"] is None for r in gap)
    unfilled = store.dyad("TUR", "SYR", by="month").to_pylist()
    assert sum(r["events"] for r in rows) == sum(r["events"] for r in unfilled)
    # SINCE and UNTIL bound the grid even where nothing happened.
    bounded = store.dyad("TUR", "SYR", since="2021-11", until="2022-05", fill=True).to_pylist()
    assert min(r["period"] for r in bounded) == dt.date(2021, 11, 1)
    assert max(r["period"] for r in bounded) == dt.date(2022, 5, 1)
    assert len(bounded) == 7 * 2


def test_a_filled_series_pivots_in_pandas(store: Store) -> None:
    pytest.importorskip("pandas")
    # One row per period and direction, periods a real datetime dtype.
    frame = store.dyad("TUR", "SYR", fill=True).to_pandas(date_as_object=False)
    assert str(frame["period"].dtype).startswith("datetime64")
    wide = frame.pivot(index="period", columns="direction", values="events")
    assert wide.shape == (4, 2) and int(wide.to_numpy().sum()) == int(frame["events"].sum())


def test_merged_events_is_a_view_for_plain_duckdb_users(frontier_db: Path) -> None:
    with Store(frontier_db, read_only=True) as store:
        through_store = store.query("SELECT count(*) AS n FROM merged_events").to_pylist()
    with duckdb.connect(str(frontier_db), read_only=True) as connection:
        (row,) = connection.execute("SELECT count(*) FROM merged_events").fetchall()
        views = connection.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    assert row[0] == through_store[0]["n"] > 0
    assert ("merged_events",) in views


def test_query_formats(frontier_db: Path) -> None:
    sql = "SELECT cameo, quad_class FROM merged_events ORDER BY cameo"
    # Not a terminal (a pipe, a file, this runner): CSV by default.
    plain = runner.invoke(app, ["query", sql, "--db", str(frontier_db)])
    assert plain.exit_code == 0, plain.output
    rows = list(csv.DictReader(io.StringIO(plain.output)))
    assert rows and set(rows[0]) == {"cameo", "quad_class"}
    as_json = runner.invoke(app, ["query", sql, "--format", "json", "--db", str(frontier_db)])
    assert [r["cameo"] for r in json.loads(as_json.output)] == [r["cameo"] for r in rows]
    narrow = runner.invoke(app, ["query", sql, "--format", "table", "--db", str(frontier_db)])
    assert "┃ cameo" in narrow.output or "| cameo" in narrow.output
    # Too wide for the terminal: one field a line, nothing cut.
    wide = runner.invoke(
        app,
        ["query", "SELECT * FROM merged_events LIMIT 2", "-f", "table", "--db", str(frontier_db)],
    )
    assert wide.exit_code == 0, wide.output
    assert "-[ row 1 ]" in wide.output and "-[ row 2 ]" in wide.output
    assert any(line.startswith("sentence ") for line in wide.output.splitlines())
    empty = runner.invoke(
        app, ["query", "SELECT cameo FROM events WHERE false", "--db", str(frontier_db)]
    )
    assert empty.exit_code == 0 and empty.output == "cameo\n"  # the header, no rows
    bad = runner.invoke(app, ["query", sql, "--format", "xml", "--db", str(frontier_db)])
    assert bad.exit_code == 1 and "T501" in bad.output


def test_settings_masks_the_api_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THUCYDIDES_API_TOKEN", "s3cret-token-value")
    text = runner.invoke(app, ["settings"])
    as_json = runner.invoke(app, ["settings", "--json"])
    assert text.exit_code == 0 and as_json.exit_code == 0
    assert "s3cret" not in text.output and "s3cret" not in as_json.output
    values = {row["name"]: row["value"] for row in json.loads(as_json.output)}
    assert values["api_token"] == "********"
    monkeypatch.delenv("THUCYDIDES_API_TOKEN")
    unset = json.loads(runner.invoke(app, ["settings", "--json"]).output)
    assert {row["name"]: row["value"] for row in unset}["api_token"] in ("", None)


def test_api_dyad_series_and_its_events_agree(frontier_db: Path) -> None:
    from fastapi.testclient import TestClient

    from thucydides.api import create_app

    client = TestClient(create_app(Settings(db=str(frontier_db))))
    series = client.get("/api/dyad", params={"a": "TUR", "b": "SYR"})
    assert series.status_code == 200, series.text
    counted = sum(row["events"] for row in series.json()["rows"])
    listed = client.get("/api/dyad/events", params={"a": "TUR", "b": "SYR"})
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == counted
    filtered = client.get("/api/events", params={"dyad": "TUR,SYR"})
    assert filtered.json()["total"] == counted


def test_a_run_does_not_record_the_api_token(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Ghana and Togo signed a trade agreement in Accra on Monday, officials said.\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.duckdb"
    extract([str(path)], Settings(db=str(db), api_token="s3cret-token-value"))
    with duckdb.connect(str(db), read_only=True) as connection:
        (row,) = connection.execute("SELECT CAST(settings AS VARCHAR) FROM runs").fetchall()
    recorded = json.loads(row[0])
    assert "s3cret" not in row[0] and recorded["api_token"] == "********"
    assert recorded["db"] == str(db)  # the other settings are still there

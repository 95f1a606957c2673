"""Running `extract` again on the same input into the same store stores nothing again: not its
documents, events or merged groups, and not its rejections (4 rows became 8 before); only a
run record for the new run. Real store files, the real coder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.settings import Settings
from thucydides.store import MIGRATIONS, Store
from thucydides.store import schema as store_schema
from thucydides.types import Rejection

runner = CliRunner()
TABLES = ("documents", "events", "event_clusters", "event_cluster_members", "rejections", "runs")


def _inputs(directory: Path) -> Path:
    directory.mkdir()
    (directory / "accord.txt").write_text(
        "Austria signed a water treaty with Slovenia in Graz on Monday, the ministry said.\n",
        encoding="utf-8",
    )
    lines = [
        json.dumps({"id": "w1", "text": "Croatia accused Serbia of closing the border."}),
        '{"id": "cut", "text": "the line ends too soon',
        json.dumps({"id": "empty", "text": ""}),
        "[1, 2, 3]",
        json.dumps({"id": "none"}),
    ]
    (directory / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "empty.txt").write_text("", encoding="utf-8")
    return directory


def _counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return {table: store.count(table) for table in TABLES}


def test_a_second_run_of_the_same_input_stores_only_its_run(tmp_path: Path) -> None:
    inputs, db = _inputs(tmp_path / "in"), tmp_path / "s.duckdb"
    arguments = ["extract", str(inputs), "--db", str(db), "--quiet"]
    first = runner.invoke(app, arguments)
    assert first.exit_code == 0, first.output
    once = _counts(db)
    assert once["rejections"] == 5 and once["documents"] == 2 and once["runs"] == 1
    second = runner.invoke(app, arguments)
    assert second.exit_code == 0, second.output
    assert "rejected" in second.output  # still reported, and counted in the run's counts
    assert _counts(db) == {**once, "runs": 2}
    with Store(db, read_only=True) as store:
        runs = store.runs()
    assert [run["counts"]["rejected"] for run in runs] == [5, 5]


def test_the_same_rejection_twice_in_one_batch_is_one_row(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        run = store.begin_run([], Settings())
        bad = Rejection("feed.jsonl:3", "read", "T104", "malformed JSON")
        other = Rejection("feed.jsonl:3", "read", "T105", "record has no text")
        assert store.add_rejections(run, [bad, bad, other]) == 2
        assert store.add_rejections(store.begin_run([], Settings()), [bad]) == 0
        rows = store.query("SELECT run_id, code FROM rejections ORDER BY code").to_pylist()
    assert rows == [{"run_id": run, "code": "T104"}, {"run_id": run, "code": "T105"}]


# The versions before rejections were keyed: their rejections table has the five columns of
# version 1.
KEYED = max(v for v, sql in MIGRATIONS if "DELETE FROM rejections" in sql)


def test_copies_stored_by_an_older_version_are_removed_on_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.duckdb"
    monkeypatch.setattr(store_schema, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < KEYED])
    with Store(path) as store:  # a store as the version before wrote it
        run = store.begin_run([], Settings())
        for copy in range(3):  # what its re-runs stored
            store.connection.execute(
                "INSERT INTO rejections VALUES (?, 'feed.jsonl:3', 'read', 'T104', 'malformed')",
                [f"{run}-{copy}"],
            )
        store.connection.execute(
            "INSERT INTO rejections VALUES ('x', 'feed.jsonl:4', 'read', 'T104', 'malformed')"
        )
    monkeypatch.setattr(store_schema, "MIGRATIONS", MIGRATIONS)
    with Store(path) as store:
        rows = store.query("SELECT run_id, location FROM rejections ORDER BY location").to_pylist()
        again = Rejection("feed.jsonl:4", "read", "T104", "malformed")
        assert store.add_rejections(store.begin_run([], Settings()), [again]) == 0
    assert rows == [
        {"run_id": f"{run}-0", "location": "feed.jsonl:3"},
        {"run_id": "x", "location": "feed.jsonl:4"},
    ]


@pytest.mark.parametrize("version", range(1, KEYED))
def test_a_store_of_each_earlier_version_upgrades_with_its_rejections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: int
) -> None:
    path = tmp_path / f"v{version}.duckdb"
    monkeypatch.setattr(store_schema, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= version])
    with Store(path) as store:  # rejections has had the same five columns since version 1
        for run, location in [("r1", "a.jsonl:1"), ("r2", "a.jsonl:1"), ("r2", "a.jsonl:2")]:
            store.connection.execute(
                "INSERT INTO rejections VALUES (?, ?, 'read', 'T104', 'malformed')",
                [run, location],
            )
    monkeypatch.setattr(store_schema, "MIGRATIONS", MIGRATIONS)
    for _ in range(2):  # opening again changes nothing
        with Store(path) as store:
            assert store.schema_version == MIGRATIONS[-1][0]
            rows = store.query(
                "SELECT run_id, location, key IS NOT NULL AS keyed FROM rejections "
                "ORDER BY location"
            ).to_pylist()
    assert rows == [
        {"run_id": "r1", "location": "a.jsonl:1", "keyed": True},
        {"run_id": "r2", "location": "a.jsonl:2", "keyed": True},
    ]
    with Store(path) as store:
        again = Rejection("a.jsonl:2", "read", "T104", "malformed")
        assert store.add_rejections(store.begin_run([], Settings()), [again]) == 0

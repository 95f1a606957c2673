"""`query` runs someone else's SQL: it sees the store and nothing else, and its rows are capped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thucydides.analytics import QUERY_LIMIT, query_limited
from thucydides.cli import app
from thucydides.errors import StoreError
from thucydides.store import Store

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.duckdb"
    Store(path).close()  # a real, migrated store file
    return path


def cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a process of its own, importing this tree's code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "THUCYDIDES_API_TOKEN": "secret-42"}
    command = [sys.executable, "-c", "from thucydides.cli import main; main()", *arguments]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


ESCAPES = [
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM read_csv('/proc/self/environ')",
    "SELECT * FROM read_blob('/proc/self/environ')",
    "SELECT * FROM read_json('https://example.invalid/x.json')",
    "SELECT * FROM read_parquet('/tmp/*.parquet')",
    "SELECT * FROM 'events.csv'",
    "SELECT * FROM sqlite_scan('/tmp/x.db', 't')",
]


@pytest.mark.parametrize("sql", ESCAPES)
def test_query_reads_no_file_but_the_store(db: Path, sql: str) -> None:
    result = runner.invoke(app, ["query", sql, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "T403" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "root:" not in result.output


def test_query_cannot_read_the_environment_in_a_real_process(db: Path) -> None:
    result = cli("query", "SELECT * FROM read_csv('/proc/self/environ', sep='|')", "--db", str(db))
    assert result.returncode == 1
    assert "T403" in result.stderr + result.stdout
    assert "secret-42" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "sql",
    ["INSTALL httpfs", "LOAD httpfs", "FORCE INSTALL json", "SET enable_external_access=true"],
)
def test_extensions_and_settings_are_refused(db: Path, sql: str) -> None:
    result = runner.invoke(app, ["query", sql, "--db", str(db)])
    assert result.exit_code == 1 and "T403" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/*')",
        "SELECT current_setting('enable_external_access') AS on",
    ],
)
def test_sandboxed_store_query_in_python(db: Path, sql: str) -> None:
    with Store(db, sandbox=True) as store:
        try:
            rows = store.query(sql).to_pylist()
        except StoreError as exc:
            assert exc.code == "T403"
        else:  # only the setting is readable, and it is off
            assert rows == [{"on": False}]
        # Nor can it be turned back on, even by the Python caller's own SQL.
        with pytest.raises(StoreError, match="locked"):
            store.query("SET enable_external_access = true")
        with pytest.raises(StoreError):
            store.query("SET lock_configuration = false")


def test_sandbox_still_reads_the_store(db: Path) -> None:
    result = runner.invoke(
        app, ["query", "SELECT count(*) AS n FROM merged_events", "--json", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": 0}]


def test_rows_are_capped_and_streamed(db: Path) -> None:
    # 200 M rows: built in memory that would take gigabytes and minutes; streamed it is instant.
    started = time.monotonic()
    with Store(db, sandbox=True) as store:
        table, truncated = query_limited(store, "SELECT range AS i FROM range(200000000)")
    assert time.monotonic() - started < 20
    assert table.num_rows == QUERY_LIMIT and truncated
    assert table.column("i").to_pylist() == list(range(QUERY_LIMIT))
    with Store(db, sandbox=True) as store:
        exact, more = query_limited(store, "SELECT range AS i FROM range(25000)", limit=25000)
        assert exact.num_rows == 25000 and not more


def test_cli_limit_option(db: Path) -> None:
    sql = "SELECT range AS i FROM range(100000000)"
    result = runner.invoke(app, ["query", sql, "--limit", "3", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"i": 0}, {"i": 1}, {"i": 2}]
    assert "--limit" in result.stderr
    default = runner.invoke(app, ["query", sql, "--json", "--db", str(db)])
    assert len(json.loads(default.stdout)) == QUERY_LIMIT
    zero = runner.invoke(app, ["query", "SELECT 1", "--limit", "0", "--db", str(db)])
    assert zero.exit_code != 0

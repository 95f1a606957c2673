"""The `thucydides` command: help everywhere, one-line errors, summary, real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from thucydides.cli import app

runner = CliRunner()
COMMANDS = ["extract", "info", "settings"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and "--" in result.output


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"thucydides {command}" in readme


def test_extract_prints_rejections_and_summary(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = runner.invoke(
        app, ["extract", str(EXAMPLES), "--db", str(db), "--out", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "wire-stories.jsonl:3: [T104]" in result.output
    assert "documents cleaned" in result.output and "near duplicates" in result.output
    info = runner.invoke(app, ["info", "--db", str(db)])
    assert info.exit_code == 0 and "documents" in info.output


def test_user_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    bad_db = tmp_path / "not-a-db.duckdb"
    bad_db.write_text("this is not a database\n")
    result = runner.invoke(app, ["extract", str(EXAMPLES), "--db", str(bad_db), "--quiet"])
    assert result.exit_code == 1
    assert "T404" in result.output and "Traceback" not in result.output  # not a DuckDB store
    missing = runner.invoke(app, ["info", "--db", str(tmp_path / "nothing.duckdb")])
    assert missing.exit_code == 1 and "T401" in missing.output


def test_settings_from_environment_and_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "conf.toml").write_text("[thucydides]\nnear_duplicate_threshold = 0.9\n")
    monkeypatch.setenv("THUCYDIDES_BATCH_SIZE", "7")
    result = runner.invoke(app, ["settings", "--json", "--config", str(tmp_path / "conf.toml")])
    values = {row["name"]: row["value"] for row in json.loads(result.output)}
    assert values["near_duplicate_threshold"] == 0.9 and values["batch_size"] == 7
    monkeypatch.setenv("THUCYDIDES_BATCH_SIZE", "many")
    result = runner.invoke(app, ["settings"])
    assert result.exit_code == 1 and "T501" in result.output


def test_console_script_reads_stdin(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "thucydides"
    record = {"id": "s1", "text": "Peru and Bolivia signed a water-sharing accord on Friday."}
    result = subprocess.run(
        [str(script), "extract", "-", "--no-store", "--out", str(tmp_path), "--quiet"],
        input=json.dumps(record) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert result.returncode == 0, result.stderr
    (doc,) = [json.loads(x) for x in (tmp_path / "documents.jsonl").read_text().splitlines()]
    assert doc["body"].startswith("Peru and Bolivia")

"""The README's sample of `make example` is what `thucydides extract` prints on the example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thucydides.cli import app

ROOT = Path(__file__).resolve().parent.parent
INTRO = "ends with a summary (`make example`):\n\n```\n"
BOX = re.compile(r"[│┌┐└┘├┤┬┴┼─]+")


def _normal(line: str) -> str:
    """A line without the table's box drawing and runs of spaces (column widths follow the
    time cell, which changes from run to run)."""
    return " ".join(BOX.sub(" ", line).split())


def _comparable(lines: list[str]) -> list[str]:
    normal = [_normal(line) for line in lines]
    return [line for line in normal if line and not line.startswith("time ")]


def test_the_readme_shows_what_the_example_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(INTRO) + len(INTRO)
    sample = readme[start : readme.index("```", start)].splitlines()
    assert any("events" in line for line in sample)
    monkeypatch.chdir(ROOT)  # the example's paths as `make example` prints them
    out = tmp_path / "example"
    result = CliRunner().invoke(
        app,
        ["extract", "examples/news", "--db", f"{out}/thucydides.duckdb", "--out", str(out)],
        env={"COLUMNS": "250"},  # the temporary paths are long: no wrapped lines
    )
    assert result.exit_code == 0, result.output
    printed = result.output.replace(str(out), "out/example").splitlines()
    assert _comparable(printed) == _comparable(sample)

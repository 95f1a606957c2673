"""A run that stops early says how in `runs` and `thucydides info`: interrupted (Ctrl-C),
failed (an error), or killed (kill -9: found by the next open of the store), never running
forever. Real processes, real signals, real store files."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store
from thucydides.types import Document, Rejection, RunSummary

runner = CliRunner()
TEXT = "Ghana and Togo agreed on Monday to reopen the border post at Aflao, officials said."


def _inputs(directory: Path, count: int) -> Path:
    directory.mkdir()
    for n in range(count):
        (directory / f"story-{n:04d}.txt").write_text(
            f"Report {n}. {TEXT} Talks on trade go on in Lome, day {n}.\n", encoding="utf-8"
        )
    return directory


def _statuses(db: Path) -> list[str]:
    with Store(db, read_only=True) as store:
        return [run["status"] for run in store.runs()]


def _stored_statuses(db: Path) -> list[str]:
    """The column itself, as a store opened for writing left it."""
    connection = duckdb.connect(str(db), read_only=True)
    try:
        rows = connection.execute("SELECT status FROM runs ORDER BY started_at").fetchall()
    finally:
        connection.close()
    return [row[0] for row in rows]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_and_signal(tmp_path: Path, signum: int) -> tuple[Path, subprocess.Popen[str]]:
    """`thucydides extract` in a process of its own, sent SIGNUM once it stores documents."""
    # Enough inputs that the run is still going when the signal comes: with 400 a fast machine
    # had finished them by then.
    inputs = _inputs(tmp_path / "in", 2000)
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "thucydides.cli", "extract", str(inputs), "--db", str(db),
         "--out", str(out), "--workers", "1", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As in a terminal: a test run started in the background of a script inherits SIGINT
        # ignored, and the signal would never reach the run.
        preexec_fn=_default_sigint,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    documents = out / "documents.jsonl"
    while not (documents.exists() and documents.stat().st_size > 0):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "extract wrote no document in two minutes"
        time.sleep(0.05)
    process.send_signal(signum)
    process.wait(timeout=120)
    return db, process


def test_a_run_killed_with_sigkill_is_marked_killed(tmp_path: Path) -> None:
    db, process = _start_and_signal(tmp_path, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert _statuses(db) == ["killed"]  # read-only: seen as killed, the process is gone
    info = runner.invoke(app, ["info", "--db", str(db)])
    assert info.exit_code == 0, info.output
    assert "1 killed" in info.output and "last run" in info.output
    with Store(db):  # the next open for writing records it
        pass
    assert _stored_statuses(db) == ["killed"]
    # Run again: it goes on and finishes; the killed run stays as it ended.
    again = runner.invoke(app, ["extract", str(tmp_path / "in"), "--db", str(db), "--quiet"])
    assert again.exit_code == 0, again.output
    assert _statuses(db) == ["killed", "finished"]


def test_a_run_stopped_with_ctrl_c_is_marked_interrupted(tmp_path: Path) -> None:
    db, process = _start_and_signal(tmp_path, signal.SIGINT)
    _, stderr = process.communicate()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert _stored_statuses(db) == ["interrupted"]
    with Store(db, read_only=True) as store:
        (run,) = store.runs()
    assert run["finished_at"] is not None and run["counts"]["read"] >= 1


def test_an_error_mid_run_marks_it_failed(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", 3)
    settings = Settings(db=str(tmp_path / "s.duckdb"))

    def explode(item: Document | Rejection, summary: RunSummary) -> None:
        if summary.read == 2:
            raise RuntimeError("the progress display broke")

    with pytest.raises(RuntimeError):
        extract([str(inputs)], settings, ExtractOptions(code_events=False), on_item=explode)
    summary = extract([str(inputs)], settings, ExtractOptions(code_events=False))
    assert summary.read == 3
    assert _statuses(Path(settings.db)) == ["failed", "finished"]


def test_a_running_run_of_a_live_process_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        mine = store.begin_run([], Settings())
        store.connection.execute(  # a run of a process that is gone: pid 2**22 + 1 is unused
            "INSERT INTO runs (run_id, started_at, version, inputs, settings, status, pid, host) "
            "SELECT 'gone', now(), 'x', [], '{}', 'running', ?, host FROM runs WHERE run_id = ?",
            [2**22 + 1, mine],
        )
    with Store(db) as store:
        statuses = {run["run_id"]: run["status"] for run in store.runs()}
    # This process is alive: its run may still be going on (an API server's upload).
    assert statuses == {mine: "running", "gone": "killed"}

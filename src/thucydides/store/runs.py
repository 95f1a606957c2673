"""Run bookkeeping: every run's row in `runs`, from its start to what became of it."""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Sequence
from typing import Any

import duckdb

from .. import __version__
from ..settings import Settings, public_values
from ..types import RunSummary
from .columns import now

# runs.status: what became of a run. finished_at is set for all but running and killed.
RUN_STATUSES = {
    "running": "in progress",
    "finished": "done",
    "interrupted": "stopped by Ctrl-C (KeyboardInterrupt); run it again to go on",
    "failed": "stopped by an error (the store, a worker); run it again to go on",
    "killed": "its process died without a word (kill -9, out of memory, power cut); found so "
    "by a later open of the store; run it again to go on",
}
# Every run, oldest first (decoded by decode_runs).
ALL_RUNS = "SELECT * FROM runs ORDER BY started_at, run_id"


def process_alive(pid: int | None, host: str | None) -> bool:
    """Whether process PID on HOST may still be running (this process always is)."""
    if pid is None or host != socket.gethostname():
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


def begin_run(
    connection: duckdb.DuckDBPyConnection,
    inputs: Sequence[str],
    settings: Settings,
    *,
    model: dict[str, str] | None = None,
    lexicon_version: str | None = None,
) -> str:
    """Record the start of a run; returns its id."""
    run_id = uuid.uuid4().hex[:16]
    connection.execute(
        "INSERT INTO runs (run_id, started_at, version, inputs, settings, model, "
        "lexicon_version, status, pid, host) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            run_id,
            now(),
            __version__,
            list(inputs),
            json.dumps(public_values(settings)),
            json.dumps(model) if model is not None else None,
            lexicon_version,
            "running",
            os.getpid(),
            socket.gethostname(),
        ],
    )
    return run_id


def finish_run(
    connection: duckdb.DuckDBPyConnection, run_id: str, summary: RunSummary, status: str
) -> None:
    """Record the end of a run: its counts so far and STATUS (one of RUN_STATUSES)."""
    connection.execute(
        "UPDATE runs SET finished_at = ?, counts = ?, status = ? WHERE run_id = ?",
        [now(), json.dumps(summary.to_record()), status, run_id],
    )


def decode_runs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ALL_RUNS' rows with settings, counts and model as dicts, and a run still marked running
    whose process is gone as killed."""
    for row in rows:
        row["settings"] = json.loads(row["settings"])
        row["counts"] = json.loads(row["counts"]) if row["counts"] is not None else None
        row["model"] = json.loads(row["model"]) if row["model"] is not None else None
        if row["status"] == "running" and not process_alive(row["pid"], row["host"]):
            row["status"] = "killed"
    return rows


def mark_killed_runs(connection: duckdb.DuckDBPyConnection) -> None:
    """Runs left running by a process that is gone are marked killed. DuckDB admits one
    writing process, so a run of another process on another host cannot be going on
    either while this one writes."""
    columns = connection.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'runs'"
    ).fetchall()
    if ("status",) not in columns:  # a schema of before migration 8 (tests pin old ones)
        return
    rows = connection.execute(
        "SELECT run_id, pid, host FROM runs WHERE status = 'running'"
    ).fetchall()
    dead = [run_id for run_id, pid, host in rows if not process_alive(pid, host)]
    if dead:
        connection.execute(
            "UPDATE runs SET status = 'killed' WHERE list_contains(?, run_id)", [dead]
        )

"""Rejection storage: the inputs a run turned away, each stored once however often it is met."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import suppress

import duckdb
import pyarrow as pa

from ..types import Rejection

# The identity of a rejection as a number: the low 64 bits of an MD5 (stable across DuckDB
# versions, unlike hash()). Two different rejections share one with odds of about 1 in 10**13
# for a store of a million of them; the later would not be stored. (Comparing the strings too
# reads every stored one on each flush: five times slower at a million rows.)
_REJECTION_KEY = "md5_number_lower(location || chr(0) || code || chr(0) || message)"
_REJECTION_BATCH = pa.schema(
    [(name, pa.string()) for name in ("run_id", "location", "stage", "code", "message")]
)


def add_rejections(
    connection: duckdb.DuckDBPyConnection, run_id: str, rejections: Sequence[Rejection]
) -> int:
    """Store the rejections not stored yet; returns how many were new.

    A rejection is known by its location (input and record), code and message: one that a
    re-run of the same input meets again keeps the row (and run_id) it was first stored
    with, so running the same input twice leaves one row per rejection, not two.
    """
    if not rejections:
        return 0
    first: dict[tuple[str, str, str], Rejection] = {}
    for rejection in rejections:
        first.setdefault((rejection.location, rejection.code, rejection.message), rejection)
    batch = pa.Table.from_pylist(
        [{"run_id": run_id, **r.to_record()} for r in first.values()],
        schema=_REJECTION_BATCH,
    )
    view = f"rejections_batch_{uuid.uuid4().hex}"
    connection.register(view, batch)
    try:
        (inserted,) = connection.execute(
            "INSERT INTO rejections (run_id, location, stage, code, message, key) "
            "SELECT run_id, location, stage, code, message, key FROM "
            f"(SELECT *, {_REJECTION_KEY} AS key FROM {view}) b "
            "WHERE NOT EXISTS (SELECT 1 FROM rejections r WHERE r.key = b.key)"
        ).fetchall()[0]
    finally:
        with suppress(duckdb.Error):
            connection.unregister(view)
    return int(inserted)

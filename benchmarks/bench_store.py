"""Issue 4 store benchmark: 1,000,000 synthetic events, load time, file size, a dyad query.

    python benchmarks/bench_store.py [--events 1000000] [--seed 4] [--keep PATH]

Builds the events as one Arrow table (random dyads over 50 countries, a sector or none, CAMEO
codes from the packaged table with their Goldstein score, QuadClass and PLOVER type, dates over
the ten years 2015-2024) and inserts it into a fresh store's `events` table in one statement:
the coder does not run. Then times a dyad-by-month query over `Store.merged_events_sql()`
(counts, Goldstein sum and mean, QuadClass shares for one pair in both directions, by month),
three times: the first run is cold. Prints one JSON object. The issue's target for the query:
under one second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from thucydides.codes import CameoTable
from thucydides.store import Store

COUNTRIES = (
    "USA", "RUS", "CHN", "UKR", "GBR", "FRA", "DEU", "JPN", "KOR", "PRK", "IND", "PAK", "IRN",
    "IRQ", "ISR", "PSE", "SYR", "TUR", "SAU", "EGY", "LBY", "SDN", "ETH", "KEN", "SOM", "NGA",
    "ZAF", "COD", "BRA", "ARG", "CHL", "PER", "COL", "VEN", "MEX", "CAN", "AUS", "IDN", "PHL",
    "VNM", "THA", "MMR", "AFG", "KAZ", "POL", "ITA", "ESP", "GRC", "SRB", "YEM",
)  # fmt: skip
SECTORS = ("", "", "GOV", "MIL", "COP", "BUS")  # "" (no sector) twice as likely
PAIR = ("RUS", "UKR")
FIRST_DAY, DAYS = np.datetime64("2015-01-01"), 3653  # 2015-01-01 .. 2024-12-31

DYAD_BY_MONTH = """
    SELECT date_trunc('month', event_date) AS month,
           count(*) AS events,
           sum(goldstein) AS goldstein_sum,
           avg(goldstein) AS goldstein_mean,
           avg(CAST(quad_class = 1 AS INTEGER)) AS verbal_cooperation,
           avg(CAST(quad_class = 2 AS INTEGER)) AS material_cooperation,
           avg(CAST(quad_class = 3 AS INTEGER)) AS verbal_conflict,
           avg(CAST(quad_class = 4 AS INTEGER)) AS material_conflict
    FROM ({merged})
    WHERE (source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?)
    GROUP BY month
    ORDER BY month
"""


def synthetic_events(count: int, seed: int) -> pa.Table:
    """COUNT events in the `events` table's columns (names as there; DuckDB casts the rest)."""
    rng = np.random.default_rng(seed)
    countries = pa.array(COUNTRIES)
    sectors = pa.array(SECTORS)
    cameo = [entry for entry in CameoTable().codes() if entry.plover_type]
    source = rng.integers(0, len(COUNTRIES), count)
    # A target different from the source: shift by 1..n-1 places.
    target = (source + rng.integers(1, len(COUNTRIES), count)) % len(COUNTRIES)
    source_sector = rng.integers(0, len(SECTORS), count)
    target_sector = rng.integers(0, len(SECTORS), count)
    codes = rng.integers(0, len(cameo), count)
    days = FIRST_DAY + rng.integers(0, DAYS, count).astype("timedelta64[D]")
    event_date = pa.array(days, type=pa.date32())
    numbers = pa.array(np.arange(count, dtype=np.int64))

    def pick(values: list[Any], index: np.ndarray, kind: pa.DataType) -> pa.Array:
        return pa.array(values, type=kind).take(pa.array(index))

    def constant(value: Any, kind: pa.DataType) -> pa.Array:
        return pa.array([value], type=kind).take(pa.array(np.zeros(count, dtype=np.int64)))

    def code(country: np.ndarray, sector: np.ndarray) -> pa.Array:
        return pc.binary_join_element_wise(countries.take(country), sectors.take(sector), "")

    def nonempty(sector: np.ndarray) -> pa.Array:
        values = sectors.take(pa.array(sector))
        return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)

    text = pa.string()
    columns: dict[str, pa.Array] = {
        "event_id": pc.binary_join_element_wise("synthetic-", pc.cast(numbers, text), ""),
        "doc_id": pc.binary_join_element_wise(
            "doc-", pc.cast(pc.divide(numbers, 3), text), ""
        ),  # three events per document
        "source_text": countries.take(pa.array(source)),
        "source_start": constant(0, pa.int32()),
        "source_end": constant(6, pa.int32()),
        "source_country": countries.take(pa.array(source)),
        "source_sector": nonempty(source_sector),
        "source_code": code(pa.array(source), pa.array(source_sector)),
        "source_entry": constant("synthetic", text),
        "target_text": countries.take(pa.array(target)),
        "target_start": constant(20, pa.int32()),
        "target_end": constant(26, pa.int32()),
        "target_country": countries.take(pa.array(target)),
        "target_sector": nonempty(target_sector),
        "target_code": code(pa.array(target), pa.array(target_sector)),
        "target_entry": constant("synthetic", text),
        "cameo": pick([c.code for c in cameo], codes, text),
        "cameo_root": pick([c.code[:2] for c in cameo], codes, text),
        "plover_type": pick([c.plover_type for c in cameo], codes, text),
        "plover_mode": pick([c.plover_mode for c in cameo], codes, text),
        "plover_context": pick([c.plover_context.split("|")[0] for c in cameo], codes, text),
        "goldstein": pick([c.goldstein for c in cameo], codes, pa.float64()),
        "quad_class": pick([c.quad_class for c in cameo], codes, pa.int8()),
        "date": pc.strftime(pc.cast(event_date, pa.timestamp("s")), "%Y-%m-%d"),
        "date_precision": constant("day", text),
        "date_source": constant("text", text),
        "event_date": event_date,
        "sentence": constant("A synthetic sentence.", text),
        "sentence_index": constant(0, pa.int32()),
        "sentence_start": constant(0, pa.int32()),
        "sentence_end": constant(21, pa.int32()),
        "trigger": constant("met", text),
        "trigger_start": constant(10, pa.int32()),
        "trigger_end": constant(13, pa.int32()),
        "modality": constant("asserted", text),
        "rule": constant("synthetic", text),
        "confidence": constant(0.9, pa.float64()),
        "mentions": constant(1, pa.int32()),
        "mention_sentences": pa.ListArray.from_arrays(
            pa.array(np.arange(count + 1, dtype=np.int32)), pa.array(np.zeros(count, np.int32))
        ),
        "reciprocal": constant(False, pa.bool_()),
        "coded_at": constant(datetime(2025, 1, 1), pa.timestamp("us")),
        "seq": pc.add(numbers, 1),
    }
    return pa.table(columns)


def run(count: int, seed: int, keep: Path | None) -> dict[str, Any]:
    started = time.perf_counter()
    table = synthetic_events(count, seed)
    build_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = keep or Path(folder) / "bench.duckdb"
        if path.exists():
            path.unlink()
        with Store(path) as store:
            started = time.perf_counter()
            store.connection.register("synthetic_events", table)
            store.connection.execute("INSERT INTO events BY NAME SELECT * FROM synthetic_events")
            store.connection.unregister("synthetic_events")
            store.connection.execute("CHECKPOINT")
            load_seconds = time.perf_counter() - started
            size = os.path.getsize(path)
            sql = DYAD_BY_MONTH.format(merged=store.merged_events_sql())
            params = [PAIR[0], PAIR[1], PAIR[1], PAIR[0]]
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                result = store.query(sql, params)
                timings.append(time.perf_counter() - started)
            stored = store.count("events")
    months = result.num_rows
    pair_events = sum(result.column("events").to_pylist())
    return {
        "events": stored,
        "countries": len(COUNTRIES),
        "build_arrow_seconds": round(build_seconds, 2),
        "load_seconds": round(load_seconds, 2),
        "load_events_per_second": round(stored / load_seconds),
        "store_mb": round(size / 2**20, 1),
        "dyad": f"{PAIR[0]}-{PAIR[1]}",
        "dyad_events": pair_events,
        "dyad_months": months,
        "dyad_by_month_seconds_cold": round(timings[0], 3),
        "dyad_by_month_seconds_best": round(min(timings), 3),
        "target_seconds": 1.0,
        "under_target": max(timings) < 1.0,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="Write the store here and keep it.")
    args = parser.parse_args()
    print(json.dumps(run(args.events, args.seed, args.keep)))


if __name__ == "__main__":
    main()

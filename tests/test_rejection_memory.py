"""A file of nothing but bad lines costs the same memory at any length (issue 11, item 9): the
rejections, the summary, the progress and the lines read are let go as the run goes, not kept
to its end. Python's own allocations are traced (tracemalloc) through `extract` with a real
store, output files and the CLI's progress; benchmarks/bench_rejections.py measures the whole
process (DuckDB's own memory included)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from thucydides.cli import _progress
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store


def _peak_of_extract(tmp_path: Path, lines: int, *, traced: bool = True) -> int:
    path = tmp_path / f"bad-{lines}.jsonl"
    # Each line a different broken record, so that nothing is shared between them.
    path.write_text(
        "".join(f'{{"id": "bad-{n}", "text": "cut off at record {n}\n' for n in range(lines)),
        encoding="utf-8",
    )
    settings = Settings(db=str(tmp_path / f"s-{lines}.duckdb"))
    options = ExtractOptions(out_dir=tmp_path / f"out-{lines}", code_events=False)
    if traced:
        tracemalloc.start()
    try:
        with _progress(True, None, loading_model=False) as advance:
            summary = extract(
                [str(path)], settings, options, on_item=lambda _, summary: advance(summary)
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.rejected == lines
    with Store(settings.db, read_only=True) as store:
        assert store.count("rejections") == lines
    return peak


def test_memory_of_a_file_of_bad_lines_does_not_grow_with_their_number(tmp_path: Path) -> None:
    _peak_of_extract(tmp_path, 10, traced=False)  # what is imported or loaded once
    small = _peak_of_extract(tmp_path, 2_000)
    large = _peak_of_extract(tmp_path, 8_000)
    # Kept, 6,000 more rejections would be megabytes (a Rejection and its strings: ~600 bytes).
    assert large - small < 1_000_000, (small, large)

"""Peak memory of `extract` on a file of nothing but bad lines (issue 11, item 9).

    PYTHONPATH=src python benchmarks/bench_rejections.py [--lines 100000 300000] [--workers 1]

Writes, in a temporary directory, a JSONL file of LINES malformed records (each line a
different broken record, so nothing is shared between them), runs `thucydides extract` on it in
a fresh process with a store, output files and the progress callback as the CLI uses them, and
prints the process's own peak RSS (VmHWM from /proc/self/status, read by the process itself at
its end: ru_maxrss of a child would also count the parent's peak), the rejections stored and
the wall time. Memory flat in the number of bad lines means the same peak at every LINES.

Measured (2 cores, shared), peak RSS at 100k / 300k / 1M bad lines: without the coder 247 /
256 / 281 MB (with it 337 / 347 MB at 100k / 300k); with --no-store 137 MB at both 100k
and 300k. What still grows, about 35 bytes a line, is DuckDB's own (native) memory
for the rows it stores: an insert loop of DuckDB alone grows as much, and memory_limit does
not bound it (not the buffer pool). Before flushing by count: 456 MB at 300k, 1 GB at 1M.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = """
import json, sys
from pathlib import Path
from thucydides.cli import _progress
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store

path, db, out = sys.argv[1:4]
workers, code, use_store = int(sys.argv[4]), sys.argv[5] == "code", sys.argv[6] == "store"
settings = Settings(db=db)
options = ExtractOptions(out_dir=Path(out), code_events=code, workers=workers, use_store=use_store)
shown = 0

def on_item(item, summary):
    global shown
    shown += 1

with _progress(True, None, loading_model=False) as advance:
    def report(item, summary):
        on_item(item, summary)
        advance(summary)
    summary = extract([path], settings, options, on_item=report)
stored = 0
if use_store:
    with Store(db, read_only=True) as store:
        stored = store.count("rejections")
status = Path("/proc/self/status").read_text()
hwm_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
print(json.dumps({"rejected": summary.rejected, "stored": stored, "hwm_kb": hwm_kb}))
"""


def bad_lines(count: int) -> str:
    """COUNT malformed JSONL records, each a little different (an unterminated string)."""
    return "".join(f'{{"id": "bad-{n}", "text": "cut off at record {n}\n' for n in range(count))


def measure(lines: int, workers: int, code: bool, use_store: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bad.jsonl"
        path.write_text(bad_lines(lines), encoding="utf-8")
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(path), f"{tmp}/s.duckdb", f"{tmp}/out",
             str(workers), "code" if code else "nocode", "store" if use_store else "nostore"],
            capture_output=True,
            text=True,
        )  # fmt: skip
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        result = json.loads(done.stdout.splitlines()[-1])
    print(
        f"{lines:>9,} bad lines, workers={workers}, coding={code}, store={use_store}: peak RSS "
        "(VmHWM) "
        f"{result['hwm_kb'] / 1024:.0f} MB, {result['rejected']:,} rejected, "
        f"{result['stored']:,} stored, {seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[100_000, 300_000])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--no-code", action="store_true", help="Without the event coder (no spaCy model)."
    )
    parser.add_argument(
        "--no-store",
        action="store_true",
        help="Without the DuckDB store (what is left is this program's own memory).",
    )
    args = parser.parse_args()
    for lines in args.lines:
        measure(lines, args.workers, not args.no_code, not args.no_store)


if __name__ == "__main__":
    main()

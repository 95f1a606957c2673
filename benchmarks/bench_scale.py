"""Issue 6 scaling benchmark: articles/s of `extract` with 1 and 2 workers, and of Spark local[2].

    python benchmarks/bench_scale.py [--articles 600] [--corpus PATH] [--skip-spark]

Takes the first ARTICLES records of the BBC corpus (../shared/corpora/bbc-news-2225.jsonl.gz,
or --corpus, a JSONL or .jsonl.gz file) and runs each mode in a process of its own, into a fresh
store (Spark: into Parquet, import not included). Times include loading the spaCy model, as a
user's run would. Peak memory: the mode's main process (ru_maxrss of itself) and its largest
child (ru_maxrss of RUSAGE_CHILDREN: a pool worker; for Spark the JVM and, through it, the
Python workers it waited for), and each descendant process's own peak (VmHWM from /proc, polled
while the mode runs: this is what catches Spark's Python workers). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/bbc-news-2225.jsonl.gz"


def _peak_mb() -> dict[str, float]:
    # ru_maxrss is in KB on Linux.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_main_mb": round(own, 1), "peak_rss_worker_mb": round(child, 1)}


class _DescendantPeaks:
    """Peak resident memory of every process below this one, read from /proc (Linux) while the
    mode runs: Spark's Python workers are children of the JVM, which RUSAGE_CHILDREN does not
    see until they are waited for. VmHWM is each process's own high-water mark."""

    def __init__(self) -> None:
        self.peaks: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> _DescendantPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(0.5):
            parents: dict[int, int] = {}
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                        parents[int(entry.name)] = int(fields[1])
                    except (OSError, IndexError, ValueError):
                        continue
            mine = {os.getpid()}
            grew = True
            while grew:
                found = {pid for pid, parent in parents.items() if parent in mine} - mine
                grew = bool(found)
                mine |= found
            for pid in mine - {os.getpid()}:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                name = next(
                    (ln.split()[1] for ln in status.splitlines() if ln.startswith("Name:")), "?"
                )
                hwm = next(
                    (ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM:")), "0"
                )
                self.peaks[pid] = (name, max(float(hwm) / 1024, self.peaks.get(pid, ("", 0.0))[1]))

    def summary(self) -> dict[str, float]:
        python = [mb for name, mb in self.peaks.values() if name.startswith("python")]
        java = [mb for name, mb in self.peaks.values() if name.startswith("java")]
        out = {"peak_rss_python_worker_mb": round(max(python, default=0.0), 1)}
        if java:
            out["peak_rss_jvm_mb"] = round(max(java), 1)
        return out


def _child(mode: str, source: str, work: str) -> dict[str, Any]:
    """One mode, in this (fresh) process."""
    with _DescendantPeaks() as peaks:
        result = _measure(mode, source, work)
    return {**result, **peaks.summary()}


def _measure(mode: str, source: str, work: str) -> dict[str, Any]:
    from thucydides.settings import Settings

    settings = Settings(db=str(Path(work) / f"{mode}.duckdb"))
    started = time.perf_counter()
    if mode.startswith("workers-"):
        from thucydides.pipeline import ExtractOptions, extract

        workers = int(mode.split("-")[1])
        summary = extract([source], settings, ExtractOptions(workers=workers))
        counts = {"read": summary.read, "events": summary.events}
    else:
        from thucydides.backends.spark import local_session, spark_extract

        spark = local_session("local[2]", **{"spark.sql.shuffle.partitions": "4"})
        try:
            result = spark_extract(spark, source, str(Path(work) / "spark-out"), settings, 4)
        finally:
            spark.stop()
        counts = {"read": result.documents + result.rejected, "events": result.events}
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), **counts, **_peak_mb()}


def _run_mode(mode: str, source: str, work: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--source", source, "--work", work],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["articles_per_s"] = round(result["read"] / result["seconds"], 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.source, args.work)))
        return

    opener = gzip.open if args.corpus.suffix == ".gz" else open
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "articles.jsonl"
        with opener(args.corpus, "rt", encoding="utf-8") as lines:
            head = [line for _, line in zip(range(args.articles), lines, strict=False)]
        source.write_text("".join(head), encoding="utf-8")
        modes = ["workers-1", "workers-2"]
        try:
            import pyspark  # noqa: F401

            if not args.skip_spark:
                modes.append("spark-local-2")
        except ImportError:
            pass
        results = {mode: _run_mode(mode, str(source), work) for mode in modes}
    print(
        json.dumps(
            {
                "articles": len(head),
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "modes": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""Documents per second for read + clean + deduplicate (and + store) on the BBC corpus.

    python benchmarks/bench_documents.py [CORPUS] [--limit N]

CORPUS defaults to ../shared/corpora/bbc-news-2225.jsonl.gz. Prints one JSON object with the
rates and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/bbc-news-2225.jsonl.gz"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"{args.corpus}: corpus not found", file=sys.stderr)
        return 1

    results: dict[str, object] = {
        "corpus": str(args.corpus),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=str(Path(tmp) / "bench.duckdb"))
        for label, use_store in (("read_clean_dedup", False), ("read_clean_dedup_store", True)):
            started = time.perf_counter()
            summary = extract([str(args.corpus)], settings, ExtractOptions(use_store=use_store))
            seconds = time.perf_counter() - started
            results[label] = {
                "documents": summary.cleaned,
                "rejected": summary.rejected,
                "exact_duplicates": summary.exact_duplicates,
                "near_duplicates": summary.near_duplicates,
                "seconds": round(seconds, 2),
                "documents_per_second": round(summary.cleaned / seconds, 1),
            }
    results["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

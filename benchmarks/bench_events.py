"""Issue 3 speed check: our whole pipeline against a bare spaCy parse of the same articles.

    python benchmarks/bench_events.py [CORPUS] [--articles 300] [--repeat 1]

Takes ARTICLES articles from the BBC corpus (every k-th, so all categories are in), and in
separate processes (so each has its own peak memory):

- ours: `thucydides.extract` on them (read, clean, metadata, dedup, event coding; no store);
- bare: `spacy.load(model)` and `nlp.pipe` over the same article texts.

Both include loading the model. Prints one JSON object: articles/s for each, the ratio
ours/bare by wall time and per CPU-second (the issue asks for >= 1.0 per CPU-second), events
found, and each process's peak RSS.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/bbc-news-2225.jsonl.gz"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children: the issue asks for
    throughput per CPU-second, which a loaded machine does not distort as it does wall time."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def sample(corpus: Path, articles: int) -> list[dict[str, str]]:
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    step = max(1, len(records) // articles)
    return records[::step][:articles]


def measure_parts(
    script: Path, corpus: Path, articles: int, parts: tuple[str, ...], extra: tuple[str, ...] = ()
) -> tuple[list[dict[str, str]], dict[str, dict[str, float]]]:
    """Write a sample of ARTICLES articles of CORPUS to a temporary file and run SCRIPT once per
    part (`--part P --input FILE` and EXTRA), each in its own process; each prints one JSON
    object last. Shared by the benchmarks that compare whole runs (bench_scorer.py too)."""
    records = sample(corpus, articles)
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text(
            "".join(
                json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n"
                for r in records
            ),
            encoding="utf-8",
        )
        for part in parts:
            done = subprocess.run(
                [sys.executable, str(script), "--part", part, "--input", str(path), *extra],
                check=True,
                capture_output=True,
                text=True,
            )
            out[part] = json.loads(done.stdout.strip().splitlines()[-1])
    return records, out


def run_ours(path: Path) -> dict[str, float]:
    from thucydides.pipeline import ExtractOptions, extract
    from thucydides.settings import Settings

    started, cpu = time.perf_counter(), _cpu_seconds()
    summary = extract([str(path)], Settings(), ExtractOptions(use_store=False))
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles": summary.cleaned,
        "events": summary.events,
    }


def run_bare(path: Path) -> dict[str, float]:
    import spacy

    from thucydides.nlp import resolve_model_name
    from thucydides.settings import Settings

    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    started, cpu = time.perf_counter(), _cpu_seconds()
    nlp = spacy.load(resolve_model_name(Settings().model))
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "articles": len(texts), "tokens": tokens}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--part", choices=("ours", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.part:  # a child process: one measurement, printed as JSON
        result = run_ours(args.input) if args.part == "ours" else run_bare(args.input)
        result["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(result))
        return 0

    if not args.corpus.exists():
        print(f"{args.corpus}: corpus not found", file=sys.stderr)
        return 1
    records, parts = measure_parts(Path(__file__), args.corpus, args.articles, ("bare", "ours"))
    ours, bare = parts["ours"], parts["bare"]
    ours_rate = ours["articles"] / ours["seconds"]
    bare_rate = bare["articles"] / bare["seconds"]
    ours_cpu_rate = ours["articles"] / ours["cpu_seconds"]
    bare_cpu_rate = bare["articles"] / bare["cpu_seconds"]
    print(
        json.dumps(
            {
                "corpus": str(args.corpus),
                "articles": len(records),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "ours": {
                    "articles_per_second": round(ours_rate, 1),
                    "seconds": round(ours["seconds"], 2),
                    "articles_per_cpu_second": round(ours_cpu_rate, 1),
                    "cpu_seconds": round(ours["cpu_seconds"], 2),
                    "events": ours["events"],
                    "peak_rss_mb": round(ours["peak_rss_mb"], 1),
                },
                "bare_spacy_pipe": {
                    "articles_per_second": round(bare_rate, 1),
                    "seconds": round(bare["seconds"], 2),
                    "articles_per_cpu_second": round(bare_cpu_rate, 1),
                    "cpu_seconds": round(bare["cpu_seconds"], 2),
                    "tokens": bare["tokens"],
                    "peak_rss_mb": round(bare["peak_rss_mb"], 1),
                },
                "ratio_ours_over_bare": round(ours_rate / bare_rate, 2),
                "ratio_per_cpu_second": round(ours_cpu_rate / bare_cpu_rate, 2),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

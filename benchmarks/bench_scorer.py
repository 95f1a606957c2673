"""Issue 14 speed check: CPU time of `extract` with and without the learned scorer, and both
against a bare spaCy parse of the same articles.

    PYTHONPATH=src python benchmarks/bench_scorer.py [CORPUS] [--articles 300] [--model PATH]

Takes ARTICLES articles from the BBC corpus (every k-th, as bench_events.py does) and, each in
its own process, measures CPU seconds (user + system, the process and its children, model
loading included):

- rules: `thucydides.extract` with the rules alone (scorer_model "none"), one worker, no store;
- scorer: the same with the learned scorer MODEL (default: the packaged model);
- bare: `spacy.load(model)` and `nlp.pipe` over the same texts.

Prints one JSON object: CPU seconds of each, the scorer's added share (the issue allows at most
0.15) and articles per CPU-second of the scorer's pipeline over the bare parse's (at least 1.0).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
from pathlib import Path

from bench_events import DEFAULT_CORPUS, measure_parts


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_extract(path: Path, model: str) -> dict[str, float]:
    from thucydides.pipeline import ExtractOptions, extract
    from thucydides.settings import Settings

    summary = extract(
        [str(path)], Settings(scorer_model=model), ExtractOptions(use_store=False, workers=1)
    )
    return {"cpu_seconds": _cpu_seconds(), "articles": summary.cleaned, "events": summary.events}


def run_bare(path: Path) -> dict[str, float]:
    import spacy

    from thucydides.nlp import resolve_model_name
    from thucydides.settings import Settings

    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.load(resolve_model_name(Settings().model))
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    return {"cpu_seconds": _cpu_seconds(), "articles": len(texts), "tokens": tokens}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--model", default="packaged")
    parser.add_argument("--part", choices=("rules", "scorer", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.part:  # a child process: one measurement, printed as JSON
        if args.part == "bare":
            result = run_bare(args.input)
        else:
            result = run_extract(args.input, "none" if args.part == "rules" else args.model)
        print(json.dumps(result))
        return 0

    if not args.corpus.exists():
        print(f"{args.corpus}: corpus not found", file=sys.stderr)
        return 1
    records, parts = measure_parts(
        Path(__file__),
        args.corpus,
        args.articles,
        ("bare", "rules", "scorer"),
        ("--model", args.model),
    )
    rules, scorer, bare = parts["rules"], parts["scorer"], parts["bare"]
    print(
        json.dumps(
            {
                "corpus": str(args.corpus),
                "articles": len(records),
                "model": args.model,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpu_seconds": {
                    "bare_spacy_pipe": round(bare["cpu_seconds"], 2),
                    "extract_rules": round(rules["cpu_seconds"], 2),
                    "extract_scorer": round(scorer["cpu_seconds"], 2),
                },
                "events": {"rules": rules["events"], "scorer": scorer["events"]},
                "scorer_added_share": round(scorer["cpu_seconds"] / rules["cpu_seconds"] - 1, 3),
                "ratio_scorer_pipeline_over_bare": round(
                    bare["cpu_seconds"] / scorer["cpu_seconds"], 2
                ),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

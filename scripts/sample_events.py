"""Code N random real articles and write a random sample of K of their events for judging.

    python scripts/sample_events.py ../shared/corpora/bbc-news-2225.jsonl.gz /tmp/sample.jsonl \
        --exclude ../shared/eval/bbc-dev-gold.jsonl --articles 100 --events 100 --seed 12

Articles are drawn (with a fixed seed) from the categories given (politics, business, world)
among those whose id is not a `doc` of the --exclude gold file, so the judged sample is not the
development data. The default settings apply (min_confidence included): the sample is what a
user gets. Each line: doc id, sentence, source, target, PLOVER type, CAMEO code, trigger,
confidence. The output must be outside the repository (the articles' text is not ours).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

from thucydides.coder import Coder
from thucydides.evaluate_articles import event_summary

REPOSITORY = Path(__file__).resolve().parent.parent


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return list(handle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="articles: JSONL(.gz) {id, category, text}")
    parser.add_argument("output", type=Path, help="sample JSONL to write (outside the repo)")
    parser.add_argument(
        "--exclude",
        type=Path,
        action="append",
        default=[],
        help="gold JSONL whose `doc` ids are left out (repeatable)",
    )
    parser.add_argument("--categories", default="politics,business,world")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--publisher", default=None, help="outlet of the articles (BBC)")
    parser.add_argument("--date", default=None, help="publication date when articles have none")
    args = parser.parse_args(argv)
    if args.output.resolve().is_relative_to(REPOSITORY):
        print(
            f"sample_events: {args.output}: write the sample outside the repository",
            file=sys.stderr,
        )
        return 2
    excluded: set[str] = set()
    for gold in args.exclude:
        for line in _lines(gold):
            if line.strip():
                excluded.add(str(json.loads(line).get("doc")))
    categories = {c.strip() for c in args.categories.split(",") if c.strip()}
    pool = []
    for number, line in enumerate(_lines(args.corpus), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            print(
                f"sample_events: {args.corpus}:{number}: malformed JSON, skipped", file=sys.stderr
            )
            continue
        if record.get("category") in categories and str(record.get("id")) not in excluded:
            pool.append(record)
    rng = random.Random(args.seed)
    chosen = rng.sample(pool, min(args.articles, len(pool)))
    coder = Coder()
    events = []
    for doc_id, _, coded in coder.code_articles(
        (str(r["id"]), str(r.get("text") or ""), r.get("date") or args.date, args.publisher, None)
        for r in chosen
    ):
        for e in coded:
            if e.plover_type:
                events.append({"doc_id": doc_id, "sentence": e.sentence, **event_summary(e)})
    sample = rng.sample(events, min(args.events, len(events)))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        for row in sample:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} articles, {len(events)} events, {len(sample)} sampled -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

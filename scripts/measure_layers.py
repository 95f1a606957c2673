"""Score the coder with one lexicon directory (or none) on every dev set, in one process.

    PYTHONPATH=src python scripts/measure_layers.py [--lexicon-dir DIR] [--label NAME] [--only SET]

Prints one JSON line: the label, start-up seconds (the Coder built and one short text coded),
peak memory (VmHWM, MiB) and, per set, precision, recall and F1 of the (source, target, type)
triples, scored as `thucydides evaluate` scores them. The sets are ../shared/eval/bbc-dev-gold
(with the BBC corpus), annotations/bbc-2005 parts A-J pooled, annotations/conflict, conflict-2,
conflict-3 and ../shared/eval/plover-gsr-dev. Used to decide which imported PETRARCH-2 layers
the packaged lexicons keep (scripts/build_petrarch_base.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from thucydides.coder import Coder
from thucydides.evaluate import evaluate_gold, load_gold
from thucydides.evaluate_articles import Article, evaluate_articles
from thucydides.settings import load_settings
from thucydides.types import Event

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
BBC = SHARED / "corpora" / "bbc-news-2225.jsonl.gz"


def _article_sets() -> dict[str, tuple[Path, Path, str | None]]:
    parts = sorted((ROOT / "annotations" / "bbc-2005").glob("part-*.jsonl"))
    pooled = Path(tempfile.mkdtemp()) / "bbc-2005-A-J.jsonl"
    pooled.write_text("".join(p.read_text(encoding="utf-8") for p in parts), encoding="utf-8")
    sets = {
        "bbc-dev": (SHARED / "eval" / "bbc-dev-gold.jsonl", BBC, "BBC"),
        "bbc-A-J": (pooled, BBC, "BBC"),
    }
    for name in ("conflict", "conflict-2", "conflict-3"):
        folder = ROOT / "annotations" / name
        sets[name] = (folder / "gold.jsonl", folder / "articles.jsonl", None)
    return sets


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lexicon-dir", default=None)
    parser.add_argument("--label", default="packaged")
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    settings = load_settings(None)
    started = time.perf_counter()
    coder = Coder(settings, args.lexicon_dir)
    coder.code_text("The president of France met the prime minister of Japan.", "2010-01-01")
    startup = time.perf_counter() - started
    result: dict[str, object] = {"label": args.label, "startup_s": round(startup, 2)}
    coder.merge_mentions = False  # as `evaluate --articles`: every telling counts
    coder.min_confidence = 0.0

    def code(items: list[Article], publisher: str | None) -> Iterator[tuple[str, str, list[Event]]]:
        return coder.code_articles(
            (a.doc_id, a.text, a.date, a.publisher or publisher, a.url) for a in items
        )

    for name, (gold, articles, publisher) in _article_sets().items():
        if args.only and name not in args.only:
            continue
        report = evaluate_articles(
            gold,
            articles,
            lambda items, p=publisher: code(items, p),
            min_confidence=settings.min_confidence,
        )
        s = report.scores()
        result[name] = [
            round(float(s["precision"]), 3),
            round(float(s["recall"]), 3),
            round(float(s["f1"]), 3),
        ]
        print(name, result[name], file=sys.stderr, flush=True)
    if not args.only or "plover-dev" in args.only:
        coder.merge_mentions = True
        coder.min_confidence = settings.min_confidence
        plover = evaluate_gold(
            load_gold(SHARED / "eval" / "plover-gsr-dev.json"), batch_coder=coder.code_plover_texts
        )
        result["plover-dev"] = [
            round(plover.precision, 3),
            round(plover.recall, 3),
            round(plover.f1, 3),
        ]
    result["peak_mib"] = round(_peak_mib())
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

"""How precise each row of the trigger base layer is on the tuning sets: which rows to keep.

    PYTHONPATH=src python scripts/build_petrarch_base.py --all-verbs   # every imported verb row
    PYTHONPATH=src python scripts/measure_verb_rows.py [--sets A,B,...] [--out FILE]
    PYTHONPATH=src python scripts/build_petrarch_base.py               # keeps the precise rows

The coder is run as it is packaged, with whatever lexicons/triggers_petrarch.tsv holds (the first
command puts every imported PETRARCH-2 verb row there, below our own rows, as the package loads
them). On each tuning set (BBC 2005 parts A-E and the international-conflict sets conflict and
conflict-2, scored as `thucydides evaluate --articles` scores them) every scored event that a
base-layer row triggered counts as a firing of that row, and as a hit when its (source, target,
type) triple is paired with a gold triple. FILE (default scripts/petrarch_verb_precision.tsv)
gets one line per row that fired: its key (lemma, particle, object, cameo), the dictionary line
it came from, firings and hits. The build reads FILE to choose the rows; the held-out parts
(BBC F-J, conflict-3, bbc-dev, PLOVER dev) are for checking the choice, never for making it.
No text of the corpora is written: only counts.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from thucydides.coder import Coder
from thucydides.coder.candidates import BASE_LAYER, TRIGGER_COLUMNS
from thucydides.evaluate_articles import Article, evaluate_articles
from thucydides.lexicon import load_table
from thucydides.settings import load_settings
from thucydides.types import Event

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
BBC = SHARED / "corpora" / "bbc-news-2225.jsonl.gz"
DEFAULT_OUT = ROOT / "scripts" / "petrarch_verb_precision.tsv"
TUNING = ("A", "B", "C", "D", "E", "conflict", "conflict-2")
KEY_COLUMNS = ("lemma", "particle", "object", "cameo")
_ENTRY = re.compile(re.escape(BASE_LAYER) + r":(\d+)")


def _set(name: str) -> tuple[Path, Path, str | None]:
    if len(name) == 1:
        return ROOT / "annotations" / "bbc-2005" / f"part-{name}.jsonl", BBC, "BBC"
    folder = ROOT / "annotations" / name
    return folder / "gold.jsonl", folder / "articles.jsonl", None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default=",".join(TUNING))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows = {
        int(row.location.rsplit(":", 1)[1]): row.values
        for row in load_table(BASE_LAYER, (*TRIGGER_COLUMNS, "source"))
    }
    settings = load_settings(None)
    coder = Coder(settings)
    coder.merge_mentions = False  # as `evaluate --articles`: every telling counts
    coder.min_confidence = 0.0

    def code(items: list[Article], publisher: str | None) -> Iterator[tuple[str, str, list[Event]]]:
        return coder.code_articles(
            (a.doc_id, a.text, a.date, a.publisher or publisher, a.url) for a in items
        )

    fired: Counter[int] = Counter()
    hits: Counter[int] = Counter()
    for name in args.sets.split(","):
        gold, articles, publisher = _set(name)
        report = evaluate_articles(
            gold, articles, lambda items, p=publisher: code(items, p),
            min_confidence=settings.min_confidence,
        )  # fmt: skip
        s = report.scores()
        layer = 0
        for result in report.results:
            matched = {pred for _, pred in result.matched}
            seen: set[tuple[int, tuple[str, str | None, str]]] = set()
            for event in result.events:
                found = _ENTRY.match(event.rule)
                if found is None:
                    continue
                target = event.target.key if event.target is not None else None
                triple = (event.source.key, None if target == "---" else target, event.plover_type)
                line = int(found.group(1))
                if (line, triple) in seen:
                    continue  # one triple counts once, as the score counts it
                seen.add((line, triple))
                fired[line] += 1
                hits[line] += triple in matched
                layer += 1
        print(
            f"{name:<11} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}"
            f"  base-layer firings {layer}",
            file=sys.stderr,
            flush=True,
        )
    lines = [
        "# Firings and hits of the imported PETRARCH-2 verb rows (lexicons/triggers_petrarch.tsv",
        f"# with every imported row) on the tuning sets {args.sets}: written by",
        "# scripts/measure_verb_rows.py, read by scripts/build_petrarch_base.py to choose the rows",
        "# the package keeps. fired: scored events the row triggered; hits: those paired with",
        "# gold triples.",
        "\t".join((*KEY_COLUMNS, "source", "fired", "hits")),
    ]
    for line in sorted(fired, key=lambda n: tuple(rows[n][c] for c in KEY_COLUMNS)):
        v = rows[line]
        lines.append(
            "\t".join(
                (*(v[c] for c in KEY_COLUMNS), v["source"], str(fired[line]), str(hits[line]))
            )
        )
    with tempfile.NamedTemporaryFile("w", dir=args.out.parent, delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    Path(handle.name).replace(args.out)
    print(f"{len(fired)} rows fired, {sum(hits.values())}/{sum(fired.values())} hits; {args.out}")


if __name__ == "__main__":
    main()

"""Turn sentence-level gold with the corpus's text into gold without it (offsets only).

    python scripts/gold_offsets.py GOLD.jsonl ARTICLES.jsonl[.gz] -o OUT.jsonl

Each gold line's ``sentence`` becomes ``start``/``end`` (character offsets in its article's
``text``) and each event's ``trigger`` becomes ``trigger_start``/``trigger_end`` (offsets in the
article; null when the trigger words are not one run of the sentence); free-text ``note`` fields
are dropped. `thucydides evaluate OUT.jsonl --articles ARTICLES` reads the result back. This is how
annotations of corpora we may not redistribute are kept in the repository (annotations/README.md).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any


def _lines(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("articles", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    gold = _lines(args.gold)
    wanted = {row["doc"] for row in gold}
    texts = {a["id"]: a["text"] for a in _lines(args.articles) if a.get("id") in wanted}
    out, missing = [], 0
    for row in gold:
        text = texts.get(row["doc"], "")
        start = text.find(row["sentence"]) if row.get("sentence") else -1
        if start < 0:
            print(
                f"{args.gold}: {row.get('id')}: sentence not in article {row['doc']}",
                file=sys.stderr,
            )
            missing += 1
            continue
        end = start + len(row["sentence"])
        events = []
        for event in row.get("events", []):
            kept = {k: v for k, v in event.items() if k not in ("trigger", "note")}
            at = row["sentence"].find(event.get("trigger") or "\0")
            kept["trigger_start"] = start + at if at >= 0 else None
            kept["trigger_end"] = start + at + len(event["trigger"]) if at >= 0 else None
            events.append(kept)
        out.append(
            {
                "id": row["id"],
                "doc": row["doc"],
                "date": row.get("date", ""),
                "start": start,
                "end": end,
                "events": events,
            }
        )
    with args.output.open("w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(out)} lines -> {args.output} ({missing} not found)")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How well the coder dates the events it gets right, on sentence-level gold of whole articles.

    PYTHONPATH=src python scripts/date_accuracy.py annotations/conflict-3/gold.jsonl \
        annotations/conflict-3/articles.jsonl [--publisher BBC] [--show 20]

The gold gives no dates, but a sentence's words often imply one. Every coded event that matches a
gold event (as `thucydides evaluate` pairs them, at the default min_confidence) is put in the
first class its sentence falls in, and checked (with --all, every event the coder wrote in a gold
sentence, matched or not, whatever its confidence: more events, less sure of what they are):

- year: the sentence names one year ("in 2006", "the 2014 war") and no nearer time (a weekday,
  "yesterday", "this week", a month-day): the event's date must be in that year.
- recent: the sentence names a weekday or "yesterday"/"today"/"last night" and no year: the date
  must be a day within the week before publication (or the publication day).
- vague past: no year or day, but the words put it in the past without a date ("years ago",
  "in the 1990s", "since the war", "long-running", "has long"): the date must not be the
  publication day.

Besides, it counts every coded event dated after its article's day although told as done.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Iterator

from thucydides.coder import Coder
from thucydides.evaluate_articles import Article, evaluate_articles
from thucydides.types import Event

_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d]|s\b|'s\b)")
_RECENT = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"last\s+night|overnight)\b",
    re.I,
)
_NEARER = re.compile(
    r"\b(?:this|last)\s+(?:week|weekend|month)\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)",
    re.I,
)
_VAGUE_PAST = re.compile(
    r"\b(?:years?\s+ago|decades?\s+ago|decades?\s+of|years\s+of|in\s+the\s+(?:19|20)\d0s|"
    r"since\s+the\b|long-running|has\s+long|have\s+long|had\s+long|for\s+years|for\s+decades)\b",
    re.I,
)


def classify(sentence: str) -> tuple[str, str]:
    """(class, the year or "") of a gold sentence: year, recent, vague-past or other."""
    years = set(_YEAR.findall(sentence))
    nearer = _RECENT.search(sentence) or _NEARER.search(sentence)
    if len(years) == 1 and not nearer:
        return "year", years.pop()
    if not years and _RECENT.search(sentence):
        return "recent", ""
    if not years and not nearer and _VAGUE_PAST.search(sentence):
        return "vague-past", ""
    return "other", ""


def is_right(kind: str, year: str, event: Event, published: dt.date) -> bool:
    if kind == "year":
        return event.date[:4] == year
    if kind == "recent":
        if event.date_precision != "day":
            return False
        day = dt.date.fromisoformat(event.date)
        return published - dt.timedelta(days=7) <= day <= published
    return not (event.date == published.isoformat() and event.date_precision == "day")


def after_publication(event: Event, published: dt.date) -> bool:
    if event.modality != "asserted" or not event.date:
        return False
    return event.date[:10] > published.isoformat()[: len(event.date[:10])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold")
    parser.add_argument("articles")
    parser.add_argument("--publisher", default=None)
    parser.add_argument("--show", type=int, default=0, help="print N wrongly dated events")
    parser.add_argument("--all", action="store_true", help="every coded event, not only matched")
    args = parser.parse_args(argv)
    coder = Coder()
    min_confidence = coder.min_confidence
    coder.merge_mentions = False
    coder.min_confidence = 0.0
    published_of: dict[str, dt.date] = {}

    def code(items: list[Article]) -> Iterator[tuple[str, str, list[Event]]]:
        for a in items:
            if a.date:
                published_of[a.doc_id] = dt.date.fromisoformat(a.date[:10])
        return coder.code_articles(
            (a.doc_id, a.text, a.date, a.publisher or args.publisher, a.url) for a in items
        )

    report = evaluate_articles(args.gold, args.articles, code, min_confidence=min_confidence)
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong: list[str] = []
    future = coded = 0
    for result in report.unfiltered if args.all else report.results:
        published = published_of.get(result.gold.doc_id)
        if published is None:
            continue
        for event in result.events:
            coded += 1
            future += after_publication(event, published)
        kind, year = classify(result.gold.sentence)
        if kind == "other":
            continue
        good = {p for _, p in result.matched}
        for event in result.events:
            target = event.target.key if event.target is not None else None
            triple = (event.source.key, None if target == "---" else target, event.plover_type)
            if not args.all and (triple not in good or event.confidence < min_confidence):
                continue
            total[kind] += 1
            if is_right(kind, year, event, published):
                right[kind] += 1
            else:
                wrong.append(
                    f"{kind} {year or '-'} pub {published} got {event.date} "
                    f"({event.date_precision}, {event.date_source}) {event.trigger!r}: "
                    f"{result.gold.sentence[:160]}"
                )
    for kind in ("year", "recent", "vague-past"):
        share = right[kind] / total[kind] if total[kind] else 0.0
        print(f"{kind:<11} {right[kind]:>4} / {total[kind]:<4} right  {share:.3f}")
    all_right, all_total = sum(right.values()), sum(total.values())
    print(f"{'all':<11} {all_right:>4} / {all_total:<4} right  {all_right / max(all_total, 1):.3f}")
    print(f"coded events in gold sentences dated after their article: {future} of {coded}")
    for line in wrong[: args.show]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

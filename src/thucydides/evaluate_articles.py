"""Scoring the coder on whole real articles against sentence-level gold.

Gold: JSONL, one sentence a line, ``{"id", "doc", "date", "sentence", "events": [{"source",
"source_sector", "target", "target_sector", "plover", "cameo", "trigger"}]}`` (the format of
realnews-guideline.md); ``events: []`` for a sentence that reports none. Instead of ``sentence`` a
line may give ``start`` and ``end``, the sentence's character offsets in its article's text: gold
kept without the corpus's words (see annotations/README.md). Articles: JSONL (or
.jsonl.gz), ``{"id", "text"}`` with optional ``date``, ``publisher``, ``url``, ``title``.

Each article named by the gold is coded whole (pronouns and "the government" need the context).
Each gold sentence is found in the article's clean body by its normalised text (letters and digits
only, lower case), and an event belongs to the gold sentence whose span holds its trigger. Events
of sentences the gold does not list are not scored.

Per gold sentence, predicted triples (source key, target key or None, PLOVER type) are a set; gold
triples are those of its events, an empty gold source or target matching anything. Gold and
predicted triples are paired one to one (a predicted triple counts once). Precision = matched /
predicted, recall = matched / gold, F1 their harmonic mean; "kept empty" is the share of gold
sentences without events that got no prediction. Events below MIN_CONFIDENCE are dropped first.

A bad gold line or article line is listed (T702) and skipped; a gold file with no usable line,
or a missing file, raises InputError T702.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from .codes import PLOVER_TYPES
from .errors import InputError
from .evaluate import normalise_code, normalise_type
from .types import Event

ERROR_CODE = "T702"  # bad real-news gold or article file

# (source or "", target or "", type): "" in gold matches anything; None predicted = no target.
GoldTriple = tuple[str, str, str]
PredTriple = tuple[str, str | None, str]
ArticleCoder = Callable[[list["Article"]], Sequence[Sequence[Event]]]

CALIBRATION_BINS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass(frozen=True, slots=True)
class GoldSentence:
    record_id: str
    doc_id: str
    date: str
    sentence: str  # "" until read from the article when the gold gives offsets only
    triples: tuple[GoldTriple, ...]
    # Character offsets of the sentence in the article's text, for gold kept without the text.
    span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Article:
    doc_id: str
    text: str
    date: str | None = None
    publisher: str | None = None
    url: str | None = None


@dataclass
class RealNewsGold:
    sentences: list[GoldSentence]
    skipped: list[str] = field(default_factory=list)


def _open_text(path: Path) -> Iterator[str]:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            yield from handle
    else:
        with path.open(encoding="utf-8") as handle:
            yield from handle


def _json_lines(path: Path, skipped: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise InputError(str(path), "no such file", code=ERROR_CODE)
    try:
        for number, line in enumerate(_open_text(path), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                skipped.append(f"{ERROR_CODE} {path}:{number}: malformed JSON: {exc.msg}")
                continue
            if not isinstance(record, dict):
                skipped.append(f"{ERROR_CODE} {path}:{number}: not a JSON object")
                continue
            yield number, record
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise InputError(str(path), f"cannot be read: {exc}", code=ERROR_CODE) from exc


def _gold_code(value: Any) -> str:
    return normalise_code(value) if isinstance(value, str) and value.strip() else ""


def _offsets(record: dict[str, Any]) -> tuple[int, int] | None:
    start, end = record.get("start"), record.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return start, end
    return None


def with_sentences_from(
    gold: RealNewsGold, articles: dict[str, Article], skipped: list[str]
) -> RealNewsGold:
    """GOLD with each offsets-only sentence read from its article's text; a line whose article
    is missing or too short for its offsets is listed in SKIPPED and left out."""
    kept: list[GoldSentence] = []
    for line in gold.sentences:
        if line.sentence or line.span is None:
            kept.append(line)
            continue
        article = articles.get(line.doc_id)
        start, end = line.span
        if article is None or end > len(article.text):
            skipped.append(
                f"{ERROR_CODE} gold {line.record_id}: offsets {start}-{end} not in article "
                f"{line.doc_id}"
            )
            continue
        kept.append(replace(line, sentence=article.text[start:end]))
    return RealNewsGold(kept, gold.skipped)


def load_realnews_gold(path: str | Path) -> RealNewsGold:
    """Sentence-level gold (see the module doc); bad lines are listed in ``skipped``."""
    path = Path(path)
    gold = RealNewsGold([])
    for number, record in _json_lines(path, gold.skipped):
        where = f"{ERROR_CODE} {path}:{number}"
        sentence, doc, events = record.get("sentence"), record.get("doc"), record.get("events")
        span = _offsets(record)
        if span is None and (not isinstance(sentence, str) or not sentence.strip()):
            gold.skipped.append(f"{where}: no sentence (nor start and end offsets)")
            continue
        if not isinstance(doc, str) or not doc:
            gold.skipped.append(f"{where}: no doc (the article id)")
            continue
        if not isinstance(events, list):
            gold.skipped.append(f"{where}: events must be a list")
            continue
        triples: list[GoldTriple] = []
        for event in events:
            kind = event.get("plover") if isinstance(event, dict) else None
            if not isinstance(kind, str) or not kind.strip():
                gold.skipped.append(f"{where}: an event without a plover type (event left out)")
                continue
            triples.append(
                (
                    _gold_code(event.get("source")),
                    _gold_code(event.get("target")),
                    normalise_type(kind),
                )
            )
        gold.sentences.append(
            GoldSentence(
                str(record.get("id") or f"{path.name}:{number}"),
                doc,
                str(record.get("date") or ""),
                sentence if isinstance(sentence, str) else "",
                tuple(triples),
                span,
            )
        )
    if not gold.sentences:
        raise InputError(str(path), "no usable gold sentence", code=ERROR_CODE)
    return gold


def load_articles(path: str | Path, wanted: set[str], skipped: list[str]) -> dict[str, Article]:
    """The articles of PATH whose id is in WANTED."""
    path = Path(path)
    out: dict[str, Article] = {}
    for number, record in _json_lines(path, skipped):
        doc_id, text = record.get("id"), record.get("text")
        if doc_id not in wanted:
            continue
        if not isinstance(text, str) or not text.strip():
            skipped.append(f"{ERROR_CODE} {path}:{number}: article {doc_id} has no text")
            continue

        def opt(name: str, record: dict[str, Any] = record) -> str | None:
            value = record.get(name)
            return value if isinstance(value, str) and value else None

        out[str(doc_id)] = Article(str(doc_id), text, opt("date"), opt("publisher"), opt("url"))
    return out


# --- locating gold sentences in a coded body -------------------------------------------------

_ALNUM = re.compile(r"[^\W_]+")


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    for match in _ALNUM.finditer(text):
        for i, ch in enumerate(match.group().lower()):
            chars.append(ch)
            offsets.append(match.start() + min(i, len(match.group()) - 1))
    return "".join(chars), offsets


def normalise_sentence(text: str) -> str:
    """Letters and digits only, lower case: what gold and coded sentences are matched on."""
    return "".join(m.group().lower() for m in _ALNUM.finditer(text))


def sentence_spans(body: str, sentences: Sequence[str]) -> list[tuple[int, int] | None]:
    """Span in BODY of each sentence (by normalised text, searched in order), None if absent."""
    flat, offsets = _normalised_with_offsets(body)
    spans: list[tuple[int, int] | None] = []
    for sentence in sentences:
        key = normalise_sentence(sentence)
        at = flat.find(key) if key else -1
        if at < 0:
            spans.append(None)
            continue
        spans.append((offsets[at], offsets[at + len(key) - 1] + 1))
    return spans


# --- scoring ---------------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _matches(gold: GoldTriple, pred: PredTriple) -> bool:
    source, target, kind = gold
    return (
        kind == pred[2] and (not source or source == pred[0]) and (not target or target == pred[1])
    )


def pair_triples(
    gold: Sequence[GoldTriple], predicted: Sequence[PredTriple]
) -> tuple[list[tuple[GoldTriple, PredTriple]], list[GoldTriple], list[PredTriple]]:
    """One-to-one pairing, exact gold triples first: (matched pairs, missed, spurious)."""
    remaining = list(predicted)
    matched: list[tuple[GoldTriple, PredTriple]] = []
    missed: list[GoldTriple] = []
    # Gold triples with fewer wildcards claim their prediction first.
    for g in sorted(gold, key=lambda t: (t[0] == "") + (t[1] == "")):
        hit = next((p for p in remaining if _matches(g, p)), None)
        if hit is None:
            missed.append(g)
        else:
            remaining.remove(hit)
            matched.append((g, hit))
    return matched, missed, remaining


@dataclass
class SentenceResult:
    gold: GoldSentence
    found: bool  # the sentence was located in the coded article
    predicted: list[PredTriple]
    confidence: dict[PredTriple, float]
    matched: list[tuple[GoldTriple, PredTriple]]
    missed: list[GoldTriple]
    spurious: list[PredTriple]
    events: list[Event]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.gold.record_id,
            "doc": self.gold.doc_id,
            "sentence": self.gold.sentence,
            "found": self.found,
            "gold": [list(t) for t in self.gold.triples],
            "predicted": [list(t) for t in self.predicted],
            "missed": [list(t) for t in self.missed],
            "spurious": [list(t) for t in self.spurious],
            "events": [event_summary(e) for e in self.events],
        }


def event_summary(event: Event) -> dict[str, Any]:
    """What a reader judging EVENT needs beside its sentence: its dyad, type, trigger, rule and
    confidence (the rows of `--errors` and of the judged samples of scripts/sample_events.py)."""
    return {
        "source": event.source.code,
        "target": event.target.code if event.target else None,
        "plover": event.plover_type,
        "cameo": event.cameo,
        "trigger": event.trigger,
        "confidence": event.confidence,
        "rule": event.rule,
    }


@dataclass
class RealNewsReport:
    results: list[SentenceResult]
    min_confidence: float
    skipped: list[str]
    missing_articles: list[str]
    # The same sentences scored with every event, whatever its confidence: for calibration.
    unfiltered: list[SentenceResult] = field(default_factory=list)

    def _count(self, kind: str | None = None) -> tuple[int, int, int]:
        tp = pred = gold = 0
        for r in self.results:
            tp += sum(1 for g, _ in r.matched if kind is None or g[2] == kind)
            pred += sum(1 for p in r.predicted if kind is None or p[2] == kind)
            gold += sum(1 for g in r.gold.triples if kind is None or g[2] == kind)
        return tp, pred, gold

    def scores(self, kind: str | None = None) -> dict[str, float | int]:
        tp, pred, gold = self._count(kind)
        p, r = _ratio(tp, pred), _ratio(tp, gold)
        return {
            "matched": tp,
            "predicted": pred,
            "gold": gold,
            "precision": p,
            "recall": r,
            "f1": _f1(p, r),
        }

    @property
    def kept_empty(self) -> float:
        empty = [r for r in self.results if not r.gold.triples]
        return _ratio(sum(1 for r in empty if not r.predicted), len(empty))

    def per_type(self) -> dict[str, dict[str, float | int]]:
        kinds = {g[2] for r in self.results for g in r.gold.triples}
        kinds |= {p[2] for r in self.results for p in r.predicted}
        order = [k for k in PLOVER_TYPES if k in kinds] + sorted(kinds - set(PLOVER_TYPES))
        return {k: self.scores(k) for k in order}

    def calibration(self) -> list[dict[str, float | int]]:
        """Per confidence bin: predicted triples, how many matched, that precision."""
        rows = []
        for low, high in pairwise(CALIBRATION_BINS):
            total = right = 0
            for r in self.unfiltered or self.results:
                good = {p for _, p in r.matched}
                for p in r.predicted:
                    if low <= r.confidence.get(p, 0.0) < high:
                        total += 1
                        right += p in good
            rows.append(
                {
                    "low": low,
                    "high": min(high, 1.0),
                    "predicted": total,
                    "matched": right,
                    "precision": _ratio(right, total),
                }
            )
        return rows

    def thresholds(self) -> list[dict[str, float | int]]:
        """Precision, recall and F1 if only events at or above each bin's low edge were kept."""
        out = []
        for low in CALIBRATION_BINS[:-1]:
            tp = pred = gold = 0
            for r in self.unfiltered or self.results:
                kept = [p for p in r.predicted if r.confidence.get(p, 0.0) >= low]
                matched, _, _ = pair_triples(r.gold.triples, kept)
                tp, pred, gold = tp + len(matched), pred + len(kept), gold + len(r.gold.triples)
            p, rc = _ratio(tp, pred), _ratio(tp, gold)
            out.append({"min_confidence": low, "precision": p, "recall": rc, "f1": _f1(p, rc)})
        return out

    def to_dict(self, errors: int = 0) -> dict[str, Any]:
        wrong = [r for r in self.results if r.missed or r.spurious]
        return {
            **self.scores(),
            "sentences": len(self.results),
            "sentences_not_found": sum(1 for r in self.results if not r.found),
            "no_event_sentences": sum(1 for r in self.results if not r.gold.triples),
            "kept_empty": self.kept_empty,
            "min_confidence": self.min_confidence,
            "per_type": self.per_type(),
            "calibration": self.calibration(),
            "thresholds": self.thresholds(),
            "missing_articles": self.missing_articles,
            "skipped": self.skipped,
            "errors": [r.to_dict() for r in wrong[:errors]],
        }


def _pred_triple(event: Event) -> PredTriple:
    target = event.target.key if event.target is not None else None
    return (event.source.key, None if target == "---" else target, event.plover_type)


def score_articles(
    gold: RealNewsGold,
    articles: dict[str, Article],
    coded: dict[str, Sequence[Event]],
    bodies: dict[str, str],
    *,
    min_confidence: float = 0.0,
    skipped: Sequence[str] = (),
) -> RealNewsReport:
    """Score CODED (events per doc id) against GOLD; BODIES are the clean bodies coded."""
    report = _score(gold, articles, coded, bodies, min_confidence, skipped)
    report.unfiltered = _score(gold, articles, coded, bodies, 0.0, skipped).results
    return report


def _score(
    gold: RealNewsGold,
    articles: dict[str, Article],
    coded: dict[str, Sequence[Event]],
    bodies: dict[str, str],
    min_confidence: float,
    skipped: Sequence[str],
) -> RealNewsReport:
    by_doc: dict[str, list[GoldSentence]] = defaultdict(list)
    for sentence in gold.sentences:
        by_doc[sentence.doc_id].append(sentence)
    results: list[SentenceResult] = []
    missing = sorted(d for d in by_doc if d not in articles)
    for doc_id, sentences in by_doc.items():
        body = bodies.get(doc_id, "")
        spans = (
            sentence_spans(body, [s.sentence for s in sentences])
            if body
            else [None] * len(sentences)
        )
        events = [
            e for e in coded.get(doc_id, ()) if e.plover_type and e.confidence >= min_confidence
        ]
        for sentence, span in zip(sentences, spans, strict=True):
            mine = [e for e in events if span[0] <= e.trigger_start < span[1]] if span else []
            confidence: dict[PredTriple, float] = {}
            for e in mine:
                t = _pred_triple(e)
                confidence[t] = max(confidence.get(t, 0.0), e.confidence)
            predicted = sorted(confidence, key=lambda t: (t[0], t[1] or "", t[2]))
            matched, missed, spurious = pair_triples(sentence.triples, predicted)
            results.append(
                SentenceResult(
                    sentence,
                    span is not None,
                    predicted,
                    confidence,
                    matched,
                    missed,
                    spurious,
                    mine,
                )
            )
    return RealNewsReport(results, min_confidence, list(gold.skipped) + list(skipped), missing)


def evaluate_articles(
    gold_path: str | Path,
    articles_path: str | Path,
    code_articles: Callable[[list[Article]], Iterable[tuple[str, str, Sequence[Event]]]],
    *,
    min_confidence: float = 0.0,
) -> RealNewsReport:
    """Load, code (CODE_ARTICLES yields doc id, clean body, events) and score."""
    gold = load_realnews_gold(gold_path)
    skipped: list[str] = []
    articles = load_articles(articles_path, {s.doc_id for s in gold.sentences}, skipped)
    gold = with_sentences_from(gold, articles, skipped)
    # An article without a date of its own takes the date its gold lines give it.
    gold_dates = {s.doc_id: s.date for s in gold.sentences if s.date}
    articles = {k: a if a.date else replace(a, date=gold_dates.get(k)) for k, a in articles.items()}
    bodies: dict[str, str] = {}
    coded: dict[str, Sequence[Event]] = {}
    for doc_id, body, events in code_articles(list(articles.values())):
        bodies[doc_id], coded[doc_id] = body, events
    return score_articles(
        gold, articles, coded, bodies, min_confidence=min_confidence, skipped=skipped
    )


# --- plain-text report ----------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.3f}"


def format_realnews_report(
    report: RealNewsReport, *, errors: int = 0, calibration: bool = False
) -> str:
    s = report.scores()
    lines = [
        f"sentences {len(report.results)} (not found in their article: "
        f"{sum(1 for r in report.results if not r.found)}), gold events {s['gold']}, "
        f"predicted {s['predicted']}, matched {s['matched']}"
        + (f", min_confidence {report.min_confidence}" if report.min_confidence else ""),
        f"precision {_pct(float(s['precision']))}  recall {_pct(float(s['recall']))}  "
        f"F1 {_pct(float(s['f1']))}",
        f"no-event sentences kept empty: {_pct(report.kept_empty)} of "
        f"{sum(1 for r in report.results if not r.gold.triples)}",
        "",
        f"{'type':<10} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for kind, row in report.per_type().items():
        lines.append(
            f"{kind:<10} {row['gold']:>5} {row['predicted']:>5} {row['matched']:>5} "
            f"{_pct(float(row['precision'])):>6} {_pct(float(row['recall'])):>6} "
            f"{_pct(float(row['f1'])):>6}"
        )
    if calibration:
        lines += ["", "reliability (confidence bin: predicted, matched, precision)"]
        for row in report.calibration():
            lines.append(
                f"  [{row['low']:.1f}, {row['high']:.1f})  {row['predicted']:>5} "
                f"{row['matched']:>5}  {_pct(float(row['precision']))}"
            )
        lines += ["", "if only events at or above min_confidence were kept"]
        for row in report.thresholds():
            lines.append(
                f"  >= {row['min_confidence']:.1f}  P {_pct(float(row['precision']))}  "
                f"R {_pct(float(row['recall']))}  F1 {_pct(float(row['f1']))}"
            )
    if report.missing_articles:
        lines += ["", f"articles not found: {', '.join(report.missing_articles[:20])}"]
    for line in report.skipped[:20]:
        lines.append(f"skipped: {line}")
    wrong = [r for r in report.results if r.missed or r.spurious]
    if errors and wrong:
        lines += ["", f"errors ({min(errors, len(wrong))} of {len(wrong)} sentences)"]
        for r in wrong[:errors]:
            lines.append(f"- {r.gold.record_id} {r.gold.doc_id}: {r.gold.sentence}")
            if not r.found:
                lines.append("    (sentence not found in the coded article)")
            for g in r.missed:
                lines.append(f"    missed   {g[0] or '*'} -> {g[1] or '*'} {g[2]}")
            for p in r.spurious:
                ev = next((e for e in r.events if _pred_triple(e) == p), None)
                how = f"  [{ev.trigger!r} {ev.confidence:.2f} {ev.rule}]" if ev else ""
                lines.append(f"    spurious {p[0]} -> {p[1] or '-'} {p[2]}{how}")
    return "\n".join(lines)


def counter_of_rules(report: RealNewsReport) -> Counter[str]:
    """How many spurious triples each rule produced (for finding what to fix)."""
    out: Counter[str] = Counter()
    for r in report.results:
        for p in r.spurious:
            for e in r.events:
                if _pred_triple(e) == p:
                    out[e.rule.split(":")[-1]] += 1
                    break
    return out


__all__ = [
    "Article",
    "GoldSentence",
    "RealNewsGold",
    "RealNewsReport",
    "evaluate_articles",
    "format_realnews_report",
    "load_articles",
    "load_realnews_gold",
    "normalise_sentence",
    "pair_triples",
    "score_articles",
    "sentence_spans",
]

"""Scoring the event coder against hand-coded gold events.

Gold files come in two formats, told apart by the file name:

* ``*.jsonl``: one JSON object a line, ``{"text", "date", "source", "target", "event"}`` (and
  optionally ``"id"``); ``source`` and ``target`` are a code, a list of codes, or empty.
* anything else: the PLOVER gold-standard JSON, ``{"records": [...]}`` (a bare list of records is
  accepted too); each record has ``text``, ``date``, ``event`` (a PLOVER 0.5 or 2021 name),
  ``source`` (a list of ``{"actorText", "code"}``) and ``target`` (the same, or ``""``, null or a
  stray string when there is none).

A record that cannot be used (no text, no event, no source code, not an object, a bad JSON line)
is skipped and counted; a file that is missing, is not JSON or yields no usable record at all
raises ``InputError`` with code T701.

Scoring
-------
Gold records are grouped by their text (leading and trailing whitespace stripped); each text is
coded once. Codes are upper-cased, JAP becomes JPN, and CAMEO-style codes longer than three
letters are cut to their first three (RUSMIL -> RUS, IGOUNO -> IGO), so that a code is the
country's ISO-3 code or the organisation kind (IGO, NGO). PLOVER 0.5 event names are mapped to
their 2021 names (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE, FIGHT ->
ASSAULT), on both sides.

Gold triples (source, target, type) of a text: for every record, every source code paired with
every target code; a record without a target and with two or more distinct source codes is a
compound actor acting together, giving every ordered pair of distinct sources (both directions);
a record with one source and no target gives (source, None, type). Predicted triples of a text:
(event.source.key, event.target.key or None, event.plover_type) of each event, as a set.

Triples: micro precision, recall and F1 over all texts; a predicted triple is correct when the
same triple is among the gold triples of its text (exact match: the target must agree too, None
included). Per-type precision, recall and F1 apply the same count to the triples of one type.

Event types: per text, the gold types against the predicted types, actors ignored; type recall
is the share of gold (text, type) pairs whose type was predicted, type precision the share of
predicted (text, type) pairs that are gold.

Actors: source accuracy is, over the gold triples whose type was predicted for their text, the
share for which some predicted event of that type has the right source. Dyad accuracy ignores
types: over the gold triples of texts with at least one prediction, the share whose (source,
target) pair is among the predicted pairs.

Confusion: for each text with exactly one gold type, a count for every type predicted for it,
or for "none" when nothing was predicted; a text with two predicted types counts in two cells.

Ratios with an empty denominator are 0.0.
"""

from __future__ import annotations

import datetime
import json
import textwrap
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .codes import PLOVER_05_TO_2021, PLOVER_TYPES
from .errors import InputError
from .types import Event

# Codes the gold data spells differently from ISO-3.
CODE_ALIASES: dict[str, str] = {"JAP": "JPN"}

# The 2021 types in the ontology's order (cooperation to conflict), for stable table rows.
PLOVER_2021_TYPES = PLOVER_TYPES

ERROR_CODE = "T701"  # "bad gold file"
NONE_TYPE = "none"  # the confusion column for texts where nothing was predicted
UNTYPED = "?"  # an event whose plover_type is empty

Triple = tuple[str, str | None, str]
Coder = Callable[[str, datetime.date | None, str], Sequence[Event]]
BatchCoder = Callable[[list[tuple[str, datetime.date | None, str]]], Sequence[Sequence[Event]]]

_SCORING = """\
Gold records are grouped by their text (whitespace stripped); each text is coded once.
Codes are upper-cased, JAP becomes JPN, and codes longer than three letters are cut to three
(RUSMIL -> RUS, IGOUNO -> IGO). PLOVER 0.5 names become 2021 names (DEMAND -> REQUEST,
DISAPPROVE and INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT).

Gold triples (source, target, type): every source paired with every target; with no target and
two or more sources (a compound actor acting together), every ordered pair of distinct sources;
with no target and one source, (source, None, type). Predicted triples: (source key, target key
or None, PLOVER type) of each event, as a set per text.

Triples P/R/F1: micro-averaged exact matches per text (the target must agree, None included).
Per-type P/R/F1: the same over the triples of one type.
Type P/R: gold and predicted (text, type) pairs, actors ignored.
Source accuracy: of gold triples whose type was predicted, the share with a predicted event of
that type and the right source. Dyad accuracy: of gold triples of texts with a prediction, the
share whose (source, target) pair was predicted with any type.
Confusion: texts with one gold type; a count per predicted type, or "none" when nothing.
Empty denominators give 0.0."""


def describe_scoring() -> str:
    """How the scores are computed, in a few lines the CLI can print."""
    return _SCORING


# --- gold data ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One gold text with all its gold triples."""

    doc_id: str  # id of the text's first record ("file.jsonl:3" when a line has none)
    text: str
    date: datetime.date | None
    triples: frozenset[Triple]
    record_ids: tuple[str, ...] = ()

    @property
    def types(self) -> frozenset[str]:
        return frozenset(triple[2] for triple in self.triples)


class GoldItems(list[GoldItem]):
    """The items of a gold file, and what was skipped on the way (``"file:record 7: reason"``)."""

    def __init__(
        self,
        items: Iterable[GoldItem] = (),
        *,
        path: str = "",
        records: int = 0,
        skipped: Sequence[str] = (),
    ) -> None:
        super().__init__(items)
        self.path = path
        self.records = records  # usable records (several may share one text)
        self.skipped: tuple[str, ...] = tuple(skipped)


class _BadRecord(Exception):
    """One gold record cannot be used; the reason is the message."""


def normalise_code(code: str) -> str:
    """ "jap" -> "JPN", "RUSMIL" -> "RUS", "IGOUNO" -> "IGO"."""
    code = code.strip().upper()
    if len(code) > 3 and code[:3].isalpha():
        code = code[:3]
    return CODE_ALIASES.get(code, code)


def normalise_type(name: str) -> str:
    """A PLOVER event name in 2021 terms: "demand" -> "REQUEST"."""
    name = name.strip().upper()
    if not name:
        return UNTYPED
    return PLOVER_05_TO_2021.get(name, name)


def _codes(value: Any, *, strings_are_codes: bool) -> list[str]:
    """Distinct normalised codes of a source or target field, in order."""
    if value is None:
        return []
    if isinstance(value, str):
        # The PLOVER file puts stray words ("diplomatic") where a target is missing.
        values: list[Any] = [value] if strings_are_codes else []
    elif isinstance(value, dict):
        values = [value]
    elif isinstance(value, list):
        values = value
    else:
        raise _BadRecord(f"actor field is a {type(value).__name__}")
    codes: list[str] = []
    for entry in values:
        raw = entry.get("code") if isinstance(entry, dict) else entry
        if isinstance(raw, str) and raw.strip():
            code = normalise_code(raw)
            if code not in codes:
                codes.append(code)
    return codes


def gold_triples(sources: Sequence[str], targets: Sequence[str], event_type: str) -> set[Triple]:
    """The triples one gold record stands for (see the module docstring)."""
    if targets:
        return {(s, t, event_type) for s in sources for t in targets}
    if len(sources) >= 2:
        return {(a, b, event_type) for a in sources for b in sources if a != b}
    return {(s, None, event_type) for s in sources}


def _parse_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@dataclass(slots=True)
class _Record:
    record_id: str
    text: str
    date: datetime.date | None
    triples: set[Triple]


def _record(raw: Any, default_id: str, *, strings_are_codes: bool) -> _Record | None:
    """A usable record, None for a documentation record, or _BadRecord."""
    if not isinstance(raw, dict):
        raise _BadRecord(f"not an object but a {type(raw).__name__}")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadRecord("record without text")
    event = raw.get("event")
    if not isinstance(event, str) or not event.strip():
        raise _BadRecord("record without an event name")
    if event.strip().upper() == "DOCUMENT":
        return None  # PLOVER uses DOCUMENT records for notes, not events
    sources = _codes(raw.get("source"), strings_are_codes=True)
    if not sources:
        raise _BadRecord("record without a source code")
    targets = _codes(raw.get("target"), strings_are_codes=strings_are_codes)
    record_id = raw.get("id")
    return _Record(
        record_id=record_id if isinstance(record_id, str) and record_id else default_id,
        text=text.strip(),
        date=_parse_date(raw.get("date")),
        triples=gold_triples(sources, targets, normalise_type(event)),
    )


def _fail(path: Path, reason: str) -> InputError:
    return InputError(str(path), reason, code=ERROR_CODE)


def _json_records(path: Path, content: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    records = data.get("records") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise _fail(path, 'expected a "records" list or a list of records')
    for number, record in enumerate(records, start=1):
        yield f"record {number}", record


def _jsonl_records(content: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except json.JSONDecodeError as exc:
            # A bad line is one bad record, reported like the others.
            yield f"line {number}", _BadRecord(f"not valid JSON ({exc.msg})")


def load_gold(path: str | Path) -> GoldItems:
    """Gold items from a PLOVER gold-standard JSON file or a simple JSONL file.

    Raises InputError (T701) for a missing or unreadable file, bad JSON, or no usable record;
    single bad records are skipped and listed in ``.skipped``.
    """
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(path, "gold file not found") from None
    except UnicodeDecodeError:
        raise _fail(path, "gold file is not UTF-8 text") from None
    except OSError as exc:
        raise _fail(path, f"cannot read the gold file ({exc.strerror or exc})") from None
    jsonl = path.suffix.lower() == ".jsonl"
    raw_records = _jsonl_records(content) if jsonl else _json_records(path, content)

    groups: dict[str, list[_Record]] = {}
    skipped: list[str] = []
    for where, raw in raw_records:
        try:
            if isinstance(raw, _BadRecord):
                raise raw
            record = _record(raw, f"{path.name}:{where.split()[-1]}", strings_are_codes=jsonl)
        except _BadRecord as exc:
            skipped.append(f"{path.name}:{where}: {exc}")
            continue
        if record is not None:
            groups.setdefault(record.text, []).append(record)

    items = [
        GoldItem(
            doc_id=records[0].record_id,
            text=text,
            date=records[0].date,
            triples=frozenset(t for r in records for t in r.triples),
            record_ids=tuple(r.record_id for r in records),
        )
        for text, records in groups.items()
    ]
    if not items:
        reason = f" ({len(skipped)} skipped, first: {skipped[0]})" if skipped else ""
        raise _fail(path, f"no usable gold records{reason}")
    count = sum(len(records) for records in groups.values())
    return GoldItems(items, path=str(path), records=count, skipped=skipped)


# --- the report -----------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 from counts."""

    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class Accuracy:
    correct: int
    total: int

    @property
    def value(self) -> float:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


def _sorted(triples: Iterable[Triple]) -> list[Triple]:
    return sorted(triples, key=lambda t: (t[2], t[0], t[1] or ""))


def _triple_list(triples: Iterable[Triple]) -> list[list[str | None]]:
    return [list(t) for t in _sorted(triples)]


@dataclass(frozen=True, slots=True)
class TextResult:
    """One gold text, what the coder made of it, and the difference."""

    doc_id: str
    text: str
    gold: frozenset[Triple]
    predicted: frozenset[Triple]
    events: tuple[dict[str, Any], ...] = ()  # compact view of each predicted event

    @property
    def matched(self) -> frozenset[Triple]:
        return self.gold & self.predicted

    @property
    def missed(self) -> frozenset[Triple]:
        return self.gold - self.predicted

    @property
    def spurious(self) -> frozenset[Triple]:
        return self.predicted - self.gold

    @property
    def correct(self) -> bool:
        return self.gold == self.predicted

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "text": self.text,
            "gold": _triple_list(self.gold),
            "predicted": _triple_list(self.predicted),
            "matched": _triple_list(self.matched),
            "missed": _triple_list(self.missed),
            "spurious": _triple_list(self.spurious),
            "events": list(self.events),
        }


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Every score of one evaluation, with the per-text details they were counted from."""

    texts: int
    gold_records: int
    skipped_records: tuple[str, ...]
    triples: Score
    types: Score  # over (text, type) pairs
    source_accuracy: Accuracy
    dyad_accuracy: Accuracy
    per_type: dict[str, Score]
    confusion: dict[str, dict[str, int]]  # gold type -> predicted type (or "none") -> texts
    texts_without_prediction: int
    details: tuple[TextResult, ...] = field(default=(), repr=False)
    gold_path: str = ""

    @property
    def precision(self) -> float:
        return self.triples.precision

    @property
    def recall(self) -> float:
        return self.triples.recall

    @property
    def f1(self) -> float:
        return self.triples.f1

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold_path": self.gold_path,
            "counts": {
                "texts": self.texts,
                "gold_records": self.gold_records,
                "skipped_records": len(self.skipped_records),
                "gold_triples": self.triples.gold,
                "predicted_triples": self.triples.predicted,
                "matched_triples": self.triples.matched,
                "texts_without_prediction": self.texts_without_prediction,
            },
            "triples": self.triples.to_dict(),
            "types": self.types.to_dict(),
            "source_accuracy": self.source_accuracy.to_dict(),
            "dyad_accuracy": self.dyad_accuracy.to_dict(),
            "per_type": {name: score.to_dict() for name, score in self.per_type.items()},
            "confusion": {gold: dict(row) for gold, row in self.confusion.items()},
            "skipped": list(self.skipped_records),
            "details": [detail.to_dict() for detail in self.details],
        }


# --- scoring --------------------------------------------------------------------------------


def _actor_key(key: str | None) -> str | None:
    return None if key is None else normalise_code(key)


def predicted_triples(events: Iterable[Event]) -> frozenset[Triple]:
    """(source key, target key or None, PLOVER 2021 type) of each event, deduplicated."""
    return frozenset(
        (
            normalise_code(event.source.key),
            _actor_key(event.target.key if event.target is not None else None),
            normalise_type(event.plover_type),
        )
        for event in events
    )


def _event_view(event: Event) -> dict[str, Any]:
    return {
        "source": event.source.code,
        "target": event.target.code if event.target is not None else None,
        "type": event.plover_type,
        "cameo": event.cameo,
        "trigger": event.trigger,
        "rule": event.rule,
    }


def _type_order(names: Iterable[str]) -> list[str]:
    """Known 2021 types in ontology order, then anything else alphabetically."""
    rank = {name: index for index, name in enumerate(PLOVER_2021_TYPES)}
    return sorted(set(names), key=lambda n: (rank.get(n, len(rank)), n))


def score(gold: Sequence[GoldItem], predictions: Sequence[Sequence[Event]]) -> EvaluationReport:
    """Score predictions (one event list per gold item, in order) against the gold items."""
    if len(gold) != len(predictions):
        raise ValueError(f"{len(predictions)} prediction lists for {len(gold)} gold texts")
    details: list[TextResult] = []
    per_type_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # gold, pred, match
    type_counts = [0, 0, 0]
    source_ok = source_all = dyad_ok = dyad_all = 0
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    empty = 0

    for item, events in zip(gold, predictions, strict=True):
        predicted = predicted_triples(events)
        result = TextResult(
            doc_id=item.doc_id,
            text=item.text,
            gold=item.triples,
            predicted=predicted,
            events=tuple(_event_view(event) for event in events),
        )
        details.append(result)
        for triple in item.triples:
            per_type_counts[triple[2]][0] += 1
        for triple in predicted:
            per_type_counts[triple[2]][1] += 1
        for triple in result.matched:
            per_type_counts[triple[2]][2] += 1

        gold_types = item.types
        predicted_types = {t for _, _, t in predicted}
        type_counts[0] += len(gold_types)
        type_counts[1] += len(predicted_types)
        type_counts[2] += len(gold_types & predicted_types)

        sources_by_type: dict[str, set[str]] = defaultdict(set)
        for source, _, event_type in predicted:
            sources_by_type[event_type].add(source)
        dyads = {(source, target) for source, target, _ in predicted}
        for source, target, event_type in item.triples:
            if event_type in predicted_types:
                source_all += 1
                source_ok += source in sources_by_type[event_type]
            if predicted:
                dyad_all += 1
                dyad_ok += (source, target) in dyads

        if not predicted:
            empty += 1
        if len(gold_types) == 1:
            (gold_type,) = gold_types
            row = confusion[gold_type]
            row.update(predicted_types or {NONE_TYPE})

    per_type = {name: Score(*per_type_counts[name]) for name in _type_order(per_type_counts.keys())}
    ordered_confusion = {
        gold_type: {
            name: confusion[gold_type][name]
            for name in [*_type_order(n for n in confusion[gold_type] if n != NONE_TYPE), NONE_TYPE]
            if confusion[gold_type][name]
        }
        for gold_type in _type_order(confusion.keys())
    }
    return EvaluationReport(
        texts=len(gold),
        gold_records=sum(max(len(i.record_ids), 1) for i in gold),
        skipped_records=gold.skipped if isinstance(gold, GoldItems) else (),
        triples=Score(
            gold=sum(len(i.triples) for i in gold),
            predicted=sum(len(d.predicted) for d in details),
            matched=sum(len(d.matched) for d in details),
        ),
        types=Score(*type_counts),
        source_accuracy=Accuracy(source_ok, source_all),
        dyad_accuracy=Accuracy(dyad_ok, dyad_all),
        per_type=per_type,
        confusion=ordered_confusion,
        texts_without_prediction=empty,
        details=tuple(details),
        gold_path=gold.path if isinstance(gold, GoldItems) else "",
    )


def evaluate_gold(
    gold: Sequence[GoldItem] | str | Path,
    coder: Coder | None = None,
    batch_coder: BatchCoder | None = None,
) -> EvaluationReport:
    """Code every gold text with `coder` (one text at a time) or `batch_coder` (all at once)."""
    items: Sequence[GoldItem] = load_gold(gold) if isinstance(gold, str | Path) else gold
    predictions: list[Sequence[Event]]
    if batch_coder is not None:
        predictions = list(batch_coder([(i.text, i.date, i.doc_id) for i in items]))
        if len(predictions) != len(items):
            raise ValueError(f"batch coder returned {len(predictions)} lists for {len(items)}")
    elif coder is not None:
        predictions = [coder(i.text, i.date, i.doc_id) for i in items]
    else:
        raise ValueError("evaluate_gold needs a coder or a batch_coder")
    return score(items, predictions)


# --- plain-text report ----------------------------------------------------------------------


def abbreviate(names: Iterable[str], width: int = 4) -> dict[str, str]:
    """Shortest unique prefixes of at least `width` letters: CONSULT -> CONS, CONCEDE -> CONC."""
    unique = list(dict.fromkeys(names))
    result: dict[str, str] = {}
    for name in unique:
        size = width
        while size < len(name) and any(
            other != name and other[:size] == name[:size] for other in unique
        ):
            size += 1
        result[name] = name[:size]
    return result


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns aligned: the first to the left, the others to the right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(row) for row in rows)]


def _pct(value: float) -> str:
    return f"{value:.3f}"


def format_report(report: EvaluationReport, *, errors: int = 0) -> str:
    """Plain-text tables: totals, per-type scores, the confusion matrix; `errors` wrong texts."""
    out: list[str] = []
    source = f" ({report.gold_path})" if report.gold_path else ""
    out.append(f"Evaluation against {report.texts} gold texts{source}")
    out.append("")
    t, y = report.triples, report.types
    totals = [
        ["texts", str(report.texts)],
        ["gold records", str(report.gold_records)],
        ["skipped records", str(len(report.skipped_records))],
        ["gold triples", str(t.gold)],
        ["predicted triples", str(t.predicted)],
        ["matched triples", str(t.matched)],
        ["texts without prediction", str(report.texts_without_prediction)],
    ]
    out.extend(_table(["count", "n"], totals))
    out.append("")
    sa, da = report.source_accuracy, report.dyad_accuracy
    scores = [
        ["triples", _pct(t.precision), _pct(t.recall), _pct(t.f1), ""],
        ["event types", _pct(y.precision), _pct(y.recall), _pct(y.f1), ""],
        ["source accuracy", "", "", "", f"{_pct(sa.value)} ({sa.correct}/{sa.total})"],
        ["dyad accuracy", "", "", "", f"{_pct(da.value)} ({da.correct}/{da.total})"],
    ]
    out.extend(_table(["score", "precision", "recall", "F1", "accuracy"], scores))
    out.append("")

    rows = [
        [
            name,
            str(s.gold),
            str(s.predicted),
            str(s.matched),
            _pct(s.precision),
            _pct(s.recall),
            _pct(s.f1),
        ]
        for name, s in report.per_type.items()
    ]
    out.append("Per type (triples)")
    out.extend(_table(["type", "gold", "pred", "match", "P", "R", "F1"], rows))
    out.append("")

    if report.confusion:
        # Gold types are columns too, so that the diagonal is always there to read.
        predicted = [name for row in report.confusion.values() for name in row]
        columns = _type_order(n for n in [*report.confusion, *predicted] if n != NONE_TYPE)
        columns.append(NONE_TYPE)
        short = abbreviate([*report.confusion.keys(), *columns])
        matrix = [
            [
                short[gold_type],
                *(str(row.get(name, 0) or ".") for name in columns),
            ]
            for gold_type, row in report.confusion.items()
        ]
        out.append("Confusion (texts with one gold type: rows gold, columns predicted)")
        out.extend(_table(["gold\\pred", *(short[name] for name in columns)], matrix))
        legend = ", ".join(f"{s}={n}" for n, s in short.items() if s != n)
        if legend:
            out.extend(textwrap.wrap(f"({legend})", width=100))
        out.append("")

    wrong = [d for d in report.details if not d.correct][: max(errors, 0)]
    if wrong:
        out.append(f"First {len(wrong)} texts with errors")
        for detail in wrong:
            out.append(f"- {detail.doc_id}: {detail.text}")
            out.append(f"    missed:   {_triples_text(detail.missed)}")
            out.append(f"    spurious: {_triples_text(detail.spurious)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _triples_text(triples: Iterable[Triple]) -> str:
    parts = [f"{s}->{t or '-'} {e}" for s, t, e in _sorted(triples)]
    return "; ".join(parts) if parts else "-"

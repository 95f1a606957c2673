"""Dating: the date of an event from its own clause, else the publication date.

`DateResolver.for_trigger` takes the date expressions of the sentence (spaCy's DATE entities,
else the patterns of thucydides.dates) that hang on the trigger or on a verb its clause depends
on, resolved against the publication date in the trigger's tense; a date on a speech verb
("officials said Monday") dates the report, and one on another clause ("released fishermen
detained last month") that clause's event. At the document level, a past event told again with
a date ("the accords reached Apr. 27") dates the undated events of the sentences just before it
(`is_past_retelling`, `date_from_retelling`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..dates import find_dates, publication_date, resolve_date
from ..types import Event, EventDate, Sentence, Token
from .modality import SPEECH_VERBS, modality_of, nominal_modality
from .records import Found

if TYPE_CHECKING:
    from .mentions import SentenceActors


class DateResolver:
    """The date of an event: a date expression attached to its trigger, else the publication date.

    Dates attached to a speech verb ("officials said Monday") date the report, not the event.
    """

    def for_trigger(
        self, sentence: Sentence, actors: SentenceActors, anchor: int, tense: str | None
    ) -> EventDate:
        published = actors.context.published
        if published is None:
            return EventDate(date="", precision="", source="none")
        tokens = actors.tokens
        best: tuple[int, EventDate] | None = None
        for entity in sentence.entities:
            if entity.label != "DATE":
                continue
            first = next((k for k, t in enumerate(tokens) if t.start >= entity.start), None)
            if first is None:
                continue
            verb = _governing_verb(actors, first)
            if verb is not None and tokens[verb].lemma.lower() in SPEECH_VERBS and verb != anchor:
                continue
            if not _dates_the_trigger(actors, anchor, first, verb):
                continue  # "released fishermen detained last month": another clause's date
            resolved = resolve_date(entity.text, published, tense)
            if resolved is None:
                continue
            distance = 0 if verb == anchor or _governs(actors, anchor, first) else 1
            distance = distance * 100 + abs(first - anchor)
            if best is None or distance < best[0]:
                best = (distance, resolved)
        if best is None:
            offset = sentence.start
            for start, _end, text in find_dates(sentence.text):
                first = next((k for k, t in enumerate(tokens) if t.start >= offset + start), None)
                verb = _governing_verb(actors, first) if first is not None else None
                if verb is not None and tokens[verb].lemma.lower() in SPEECH_VERBS:
                    continue
                if first is not None and not _dates_the_trigger(actors, anchor, first, verb):
                    continue
                resolved = resolve_date(text, published, tense)
                if resolved is not None:
                    best = (0, resolved)
                    break
        return best[1] if best is not None else publication_date(published)


def _dates_the_trigger(actors: SentenceActors, anchor: int, i: int, verb: int | None) -> bool:
    """Can the date at I (whose nearest verb is VERB) date the trigger at ANCHOR? Yes when it
    hangs on the trigger itself or on a verb the trigger's clause depends on; not when it belongs
    to another clause ("released fishermen detained last month")."""
    if verb is None or verb == anchor:
        return True
    tokens = actors.tokens
    current, seen = anchor, {anchor}
    while tokens[current].head != current and tokens[current].head not in seen:
        current = tokens[current].head
        seen.add(current)
        if current == verb:
            return True
    return False


def _governing_verb(actors: SentenceActors, i: int) -> int | None:
    seen: set[int] = set()
    current = i
    while current not in seen:
        seen.add(current)
        token = actors.tokens[current]
        if token.pos in {"VERB", "AUX"} and current != i:
            return current
        if token.head == current:
            return current if token.pos in {"VERB", "AUX"} else None
        current = token.head
    return None


def _governs(actors: SentenceActors, ancestor: int, i: int) -> bool:
    seen: set[int] = set()
    current = i
    while current not in seen:
        seen.add(current)
        if current == ancestor:
            return True
        current = actors.tokens[current].head
    return False


def date_from_retelling(
    events: list[Event], index: int, dated: list[tuple[str, EventDate]]
) -> list[Event]:
    """Give an undated event of the last three sentences the date a retelling states."""
    out = []
    for event in events:
        if event.date_source == "publication" and index - 3 <= event.sentence_index < index:
            for root, date in dated:
                if event.cameo[:2] == root or (
                    root in {"05", "03"} and event.cameo[:2] in {"05", "03"}
                ):
                    event = replace(
                        event,
                        date=date.date,
                        date_precision=date.precision,
                        date_source="retelling",
                    )
                    break
        out.append(event)
    return out


def tense_of(token: Token) -> str | None:
    if token.tag in {"VBD", "VBN"}:
        return "past"
    return None


def is_past_retelling(actors: SentenceActors, item: Found) -> bool:
    """A trigger that tells a past event as done ("the accords reached Apr. 27"), not one
    planned, postponed or denied ("the visit had been slated for Apr. 17")."""
    token = actors.tokens[item.index]
    if item.rule.pos == "verb":
        return token.tag in {"VBD", "VBN"} and modality_of(actors, item.index).kind == ("asserted")
    return nominal_modality(actors, item.index).kind == "asserted"

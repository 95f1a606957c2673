"""Dating: the date of an event from its own clause, else the publication date.

`DateResolver.for_trigger` takes the date expressions of the sentence (spaCy's DATE entities,
else the patterns of thucydides.dates) that hang on the trigger or on a verb its clause depends
on, resolved against the publication date in the trigger's tense; a date on a speech verb
("officials said Monday") dates the report, and one on another clause ("released fishermen
detained last month") that clause's event. At the document level, a past event told again with
a date ("the accords reached Apr. 27") dates the undated events of the sentences just before it
(`is_past_retelling`, `date_from_retelling`).

Background: a past event a story recalls is dated by the time its own clause names, and its
`source` says so ("background"), so that counts of what happened this week can leave it out. A
year that names an earlier event dates the trigger in its prepositional phrase ("fought in the
2006 war": 2006); "since 2011", "since the war began in 2011", "after the 1974 invasion" give the
year they name as background; "has long accused", "for decades", "decades ago", "in the 1990s",
"years of war have killed" give a vague date (the decade, "199X", else precision "unknown" and
date ""), never the publication day. A year that only names a thing ("the 2005 budget", "the
1984 declaration") dates nothing. A weekday is never resolved into the future of the article
unless the event is told as to come.
"""

from __future__ import annotations

import datetime as dt
import re
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
            since = _since_clause(actors, anchor, verb)
            complement = _past_complement(actors, anchor, verb)
            if not (since or complement) and not _dates_the_trigger(actors, anchor, first, verb):
                continue  # "released fishermen detained last month": another clause's date
            if _names_a_thing(actors, first, entity.text):
                continue  # "protested against the 2005 budget"
            resolved = self._resolve(entity.text, published, tense)
            if resolved is None:
                continue
            if complement and not (
                _dates_the_trigger(actors, anchor, first, verb)
                or (
                    _YEAR_WORD.search(entity.text) is not None
                    and resolved.date[:4] < f"{published.year:04d}"
                )
            ):
                continue  # "agreed last week to hold the vote in March": the vote's date
            if since or _after_since(actors, first):
                resolved = replace(resolved, source=BACKGROUND)
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
                if first is not None and _names_a_thing(actors, first, text):
                    continue
                resolved = self._resolve(text, published, tense)
                if resolved is not None:
                    if first is not None and _after_since(actors, first):
                        resolved = replace(resolved, source=BACKGROUND)
                    best = (0, resolved)
                    break
        if best is None and tense != "future":  # "will shelter them for years" is to come
            background = background_date(actors, anchor, published)
            if background is not None:
                return background
        return best[1] if best is not None else publication_date(published)

    @staticmethod
    def _resolve(text: str, published: dt.date, tense: str | None) -> EventDate | None:
        """TEXT resolved in TENSE; the day of an event not told as to come is never after the
        publication day ("accuses ... on Thursday" in a Monday article is the Thursday before),
        nor is "in N years" read forward for it."""
        resolved = resolve_date(text, published, tense)
        if (
            resolved is not None
            and tense != "future"
            and _COUNT_AHEAD.match(text.strip())
            and resolved.date > published.isoformat()[: len(resolved.date)]
        ):
            return None  # "the first visit in 20 years": a span back to now, not 20 years ahead
        if (
            resolved is not None
            and tense != "future"
            and resolved.precision == "day"
            and resolved.date > published.isoformat()
        ):
            past = resolve_date(text, published, "past")
            if past is not None and past.date <= published.isoformat():
                return past
        return resolved


BACKGROUND = "background"  # EventDate.source of a past event the story recalls
_COUNT_AHEAD = re.compile(r"in\s+\S+\s+(?:day|week|month|year)s?\b", re.I)
_YEAR_WORD = re.compile(r"(?:19|20)\d{2}")
_DECADE_WORD = re.compile(r"((?:19|20)\d)0'?s")
# Prepositions that put an event inside the time a year-named event took ("in the 2006 war"),
# and those that only put it after ("since the 2006 war"): a date, or background from that year.
_DURING = frozenset({"in", "during", "at", "amid"})
_AFTER = frozenset({"since", "after", "following"})
# Words of the trigger's own clause that put it in an undated past.
_VAGUE_PAST = re.compile(
    r"\b(?:(?:years|decades|centuries|generations)\s+ago|for\s+(?:years|decades|generations)|"
    r"(?:years|decades)\s+of\b|long-running|long-standing|longstanding|decades-long|"
    r"years-long|decades-old)\b",
    re.I,
)


def _after_since(actors: SentenceActors, i: int) -> bool:
    """Is the date at I the start of the event's period: the object of "since" ("has tightened
    them since 2014") or of "after"/"following" a year-named event ("after the 1974 invasion")?"""
    tokens = actors.tokens
    seen: set[int] = set()
    current = i
    while current not in seen:
        seen.add(current)
        token = tokens[current]
        if token.text.lower() in _AFTER and token.dep == "prep":
            return True
        if token.head == current or (token.pos in {"VERB", "AUX"} and current != i):
            return False
        current = token.head
    return False


def _since_clause(actors: SentenceActors, anchor: int, verb: int | None) -> bool:
    """Is VERB the verb of a "since" clause of the trigger ("has vetoed 16 resolutions since the
    war began in 2011")? Its date is then when the trigger's period began."""
    if verb is None or verb == anchor:
        return False
    tokens = actors.tokens
    marked = any(t.head == verb and t.dep == "mark" and t.text.lower() == "since" for t in tokens)
    head = tokens[verb].head
    return marked and (head == anchor or _governs(actors, head, anchor))


def _past_complement(actors: SentenceActors, anchor: int, verb: int | None) -> bool:
    """Is VERB the infinitive complement of a past-tense trigger ("Syria agreed to give up its
    arsenal in 2013")? A year it names, before the article's, dates the trigger too."""
    if verb is None or verb == anchor:
        return False
    token = actors.tokens[verb]
    return token.dep == "xcomp" and token.head == anchor and actors.tokens[anchor].tag == "VBD"


def _names_a_thing(actors: SentenceActors, i: int, text: str) -> bool:
    """A bare year that modifies a noun outside a time phrase: "the 2005 budget", "the 1984
    declaration" name a thing, not when the event happened."""
    if not _YEAR_WORD.fullmatch(text.strip()):
        return False
    tokens = actors.tokens
    token = tokens[i]
    if token.dep not in {"compound", "nummod", "amod", "nmod"} or token.head == i:
        return False
    if i > 0 and tokens[i - 1].text.lower() in _DURING | _AFTER | {"by", "until"}:
        return False  # "in 2015 militants beheaded ...": a time, whatever the parse
    noun = tokens[token.head]
    if noun.head == token.head:
        return True
    above = tokens[noun.head]
    return not (noun.dep == "pobj" and above.text.lower() in _DURING | _AFTER)


def background_date(actors: SentenceActors, anchor: int, published: dt.date) -> EventDate | None:
    """The vague date of a past event with no date of its own in its clause, or None when its
    clause does not put it in the past: a year naming an event it happened in or after ("in the
    1967 war", "since the 2006 war"), a decade ("in the 1990s"), a long past ("has long
    accused", "for decades", "years of war have")."""
    tokens = actors.tokens
    words = _clause_words(actors, anchor)
    for k in words:
        token = tokens[k]
        if not _YEAR_WORD.fullmatch(token.text) or token.head == k:
            continue
        noun = tokens[token.head]
        if noun.dep != "pobj" or noun.head == token.head:
            continue
        prep = tokens[noun.head].text.lower()
        if prep in _DURING:
            return EventDate(token.text, "year", token.text, "text")
        if prep in _AFTER:
            return EventDate(token.text, "year", token.text, BACKGROUND)
    text = " ".join(tokens[k].text for k in sorted(words))
    decade = _DECADE_WORD.search(text)
    if decade is not None and int(decade.group(1) + "0") <= published.year:
        # EDTF's (ISO 8601-2) decade, "199X": no first day, so the store's event_date stays
        # NULL and day/week/month/year series leave it out, as they do undated events.
        return EventDate(decade.group(1) + "X", "decade", decade.group(0), BACKGROUND)
    if _VAGUE_PAST.search(text) or _has_long(actors, anchor):
        match = _VAGUE_PAST.search(text)
        return EventDate("", "unknown", match.group(0) if match else "long", BACKGROUND)
    return None


def _clause_words(actors: SentenceActors, anchor: int) -> set[int]:
    """The trigger and the words of its own clause: its subtree without the clauses that hang on
    it (their dates are theirs)."""
    tokens = actors.tokens
    clauses = {"ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "csubj"}
    out = {anchor}
    frontier = [anchor]
    while frontier:
        head = frontier.pop()
        for k, token in enumerate(tokens):
            if token.head == head and k != head and k not in out and token.dep not in clauses:
                out.add(k)
                frontier.append(k)
    return out


def _has_long(actors: SentenceActors, anchor: int) -> bool:
    """ "has long accused", "have long opposed": a perfect with "long"."""
    children = [t for t in actors.tokens if t.head == anchor]
    return any(t.text.lower() == "long" and t.dep == "advmod" for t in children) and any(
        t.lemma == "have" and t.dep == "aux" for t in children
    )


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
    """Give an undated event of the last three sentences the date a retelling states.

    EVENTS are a document's events so far, in sentence order; they are updated in place and
    returned. Only the tail of the last three sentences is read, so that a document's cost
    stays linear in its length (a long article retells on many sentences)."""
    for k in range(retold_from(events, index), len(events)):
        event = events[k]
        if event.date_source == "publication" and index - 3 <= event.sentence_index < index:
            for root, date in dated:
                if event.cameo[:2] == root or (
                    root in {"05", "03"} and event.cameo[:2] in {"05", "03"}
                ):
                    events[k] = replace(
                        event,
                        date=date.date,
                        date_precision=date.precision,
                        date_source="retelling",
                    )
                    break
    return events


def retold_from(events: list[Event], index: int) -> int:
    """Where the events of the three sentences before sentence INDEX start in EVENTS (a
    document's events so far, in sentence order): what a retelling there can date."""
    start = len(events)
    while start > 0 and events[start - 1].sentence_index >= index - 3:
        start -= 1
    return start


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

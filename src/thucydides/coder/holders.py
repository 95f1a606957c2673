"""A named person coded with the office held on the event's date, not the article's.

Mentions are coded when a sentence is read, with the publication date (mentions.py); the dating
step (dating.py) may then date the event otherwise ("In 2003 Smith signed ..."). `on_event_date`
looks the person's name up again on that date and recodes what the office-holder row gave: the
country (unless the mention's own words named one: "French minister Smith") and the sector and
role (unless an office word of the mention gave them: "opposition leader Smith").

An event can also be dated after it is made: a later sentence that retells it with a date ("The
accord was signed on 4 March 2011", dating.date_from_retelling). `event_on_its_date` recodes
such an event's actors on that date in the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ..actors import ActorLexicon, OfficeHolderMatch
from ..types import Actor, Event, EventDate
from .records import Mention

# Where in a period of the date's precision to look a term up: its middle.
_MIDDLE = {"year": timedelta(days=182), "month": timedelta(days=14), "week": timedelta(days=3)}


def event_day(event_date: EventDate) -> date | None:
    """The day an event date of the text stands for (the middle of a month or year); None for
    the publication date (mentions were coded with it already) or no date."""
    if event_date.source == "publication" or not event_date.date:
        return None
    parts = event_date.date.split("-")
    try:
        if len(parts) == 3:
            first = date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif len(parts) == 2:
            first = date(int(parts[0]), int(parts[1]), 1)
        else:
            first = date(int(parts[0]), 1, 1)
    except ValueError:
        return None
    return first + _MIDDLE.get(event_date.precision, timedelta(0))


def on_event_date(
    actor: Actor, lexicon: ActorLexicon, on: date, countries: tuple[str, ...] = ()
) -> Actor:
    """ACTOR as coded on the day ON, when an office-holder row coded it; else ACTOR."""
    if actor.name is None or not actor.entry:
        return actor
    parts = actor.entry.split("+")
    rows = {m.entry: m for m in lexicon.office_holders.terms(actor.name)}
    used = [i for i, part in enumerate(parts) if part in rows]
    if not used:
        return actor
    old = rows[parts[used[0]]]
    new = lexicon.office_holders.lookup(actor.name, on, countries)
    if new is None or new.entry == old.entry:
        return actor
    country, organization, kind = actor.country, actor.organization, actor.organization_kind
    if used[0] == 0 and _from_row(actor, old):  # the row, not the mention's words, placed it
        country, organization, kind = new.country, None, None
        if new.country is None and new.organization:
            organization = new.organization
            kind = kind_of(lexicon, new.organization)
    sector, role = actor.sector, actor.role
    if not any("agents.tsv:" in part or part == "rule:former" for part in parts):
        sector, role = new.sector, new.role
    parts[used[0]] = new.entry
    return replace(
        actor,
        country=country,
        organization=organization,
        organization_kind=kind,
        sector=sector,
        role=role,
        entry="+".join(dict.fromkeys(parts)),
    )


def mention_on(
    mention: Mention, lexicon: ActorLexicon, on: date, countries: tuple[str, ...] = ()
) -> Mention:
    """MENTION with each of its actors as coded on the day ON (see on_event_date)."""
    actors = tuple(on_event_date(a, lexicon, on, countries) for a in mention.actors)
    return mention if actors == mention.actors else replace(mention, actors=actors)


def event_on_its_date(
    event: Event, lexicon: ActorLexicon, countries: tuple[str, ...] = ()
) -> Event:
    """EVENT with its source and target as coded on the day its date stands for (after a
    retelling has dated it); EVENT itself when that changes nothing."""
    day = event_day(EventDate(event.date, event.date_precision, source=event.date_source))
    if day is None:
        return event
    source = on_event_date(event.source, lexicon, day, countries)
    target = event.target and on_event_date(event.target, lexicon, day, countries)
    if source == event.source and target == event.target:
        return event
    return replace(event, source=source, target=target)


def _from_row(actor: Actor, row: OfficeHolderMatch) -> bool:
    if row.country is not None:
        return actor.country == row.country
    return actor.organization == row.organization


def kind_of(lexicon: ActorLexicon, code: str) -> str:
    for match in lexicon.organizations.forms().values():
        if match.code == code:
            return match.kind
    return "IGO"

"""Dating (coder/dating.py): an event's date from its own clause, else the publication date."""

from __future__ import annotations

import datetime as dt

from thucydides.coder.candidates import TriggerLexicon
from thucydides.coder.dating import (
    DateResolver,
    date_from_retelling,
    is_past_retelling,
    tense_of,
)
from thucydides.types import EventDate

from .coder_steps import PUBLISHED, Read, event, found_at, index_of


def _date(read: Read, text: str, word: str, published: dt.date | None = PUBLISHED) -> EventDate:
    actors = read(text, published)
    i = index_of(actors, word)
    tense = "future" if "will" in text.split() else tense_of(actors.tokens[i])
    return DateResolver().for_trigger(actors.sentence, actors, i, tense)


def test_a_weekday_never_resolves_after_the_publication_date(read: Read) -> None:
    """Published on Wednesday 10 June: "signed on Thursday" is the Thursday before."""
    date = _date(read, "Chile signed the treaty with Peru on Thursday.", "signed")
    assert (date.date, date.precision, date.source) == ("2015-06-04", "day", "text")
    assert date.date <= PUBLISHED.isoformat()
    # What is still to come is dated forward.
    assert _date(read, "Chile will sign the treaty with Peru on Thursday.", "sign").date == (
        "2015-06-11"
    )


def test_a_date_of_the_events_own_clause(read: Read) -> None:
    date = _date(read, "Chile and Peru signed the accord on Apr. 27.", "signed")
    assert (date.date, date.text) == ("2015-04-27", "Apr. 27")
    date = _date(read, "Egypt detained the fishermen last month.", "detained")
    assert (date.date, date.precision) == ("2015-05", "month")


def test_a_date_of_another_clause_or_of_the_report_is_not_the_events(read: Read) -> None:
    date = _date(read, "Egypt released fishermen detained last month.", "released")
    assert (date.date, date.source) == ("2015-06-10", "publication")
    date = _date(read, "Chile signed the treaty, officials said on Monday.", "signed")
    assert (date.date, date.source) == ("2015-06-10", "publication")


def test_no_publication_date_no_date(read: Read) -> None:
    date = _date(read, "Chile signed the treaty with Peru on Thursday.", "signed", published=None)
    assert date == EventDate(date="", precision="", source="none")


def test_only_a_past_event_told_as_done_dates_a_retelling(
    read: Read, triggers: TriggerLexicon
) -> None:
    actors = read("The two accords were reached on Apr. 27.")
    assert is_past_retelling(actors, found_at(triggers, actors, "accords"))
    actors = read("Chile will sign the treaty.")
    assert not is_past_retelling(actors, found_at(triggers, actors, "sign"))
    actors = read("The proposed visit by Chile to Peru was postponed.")
    assert not is_past_retelling(actors, found_at(triggers, actors, "visit"))


def test_a_retelling_dates_the_same_kind_of_event_of_the_sentences_just_before() -> None:
    told = [event(0, "057"), event(1, "190"), event(2, "051")]
    april = EventDate("2015-04-27", "day", "Apr. 27")
    dated = date_from_retelling(told, 4, [("05", april)])
    assert [(e.sentence_index, e.date, e.date_source) for e in dated] == [
        (0, "2015-06-10", "publication"),  # four sentences back: too far
        (1, "2015-06-10", "publication"),  # force is another kind of event
        (2, "2015-04-27", "retelling"),
    ]

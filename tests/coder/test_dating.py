"""Dating (coder/dating.py): an event's date from its own clause, else the publication date."""

from __future__ import annotations

import datetime as dt
from typing import cast

from thucydides.coder.candidates import TriggerLexicon
from thucydides.coder.dating import (
    DateResolver,
    date_from_retelling,
    is_past_retelling,
    tense_of,
)
from thucydides.types import Event, EventDate

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


# Background: past events a story recalls (published 10 June 2015).


def test_a_present_tense_weekday_is_never_after_the_article(read: Read) -> None:
    """Published on Wednesday: "accuses ... on Friday" is not two days ahead."""
    date = _date(read, "On Friday, Chile accuses Peru of spying.", "accuses")
    assert (date.date, date.precision) == ("2015-06-05", "day")


def test_a_year_naming_the_event_it_happened_in_dates_it(read: Read) -> None:
    date = _date(read, "Peru lost the islands to Chile in the 1967 war.", "lost")
    assert (date.date, date.precision, date.source) == ("1967", "year", "text")
    date = _date(read, "Peru captured the islands from Chile during the 1967 war.", "captured")
    assert (date.date, date.precision) == ("1967", "year")
    date = _date(read, "Chile and Peru fought a month-long war in 2006.", "fought")
    assert (date.date, date.precision) == ("2006", "year")


def test_since_a_year_is_background_from_that_year(read: Read) -> None:
    date = _date(
        read, "Chile has vetoed ten resolutions on Peru since the war began in 2011.", "vetoed"
    )
    assert (date.date, date.source) == ("2011", "background")
    date = _date(read, "Chile has imposed sanctions on Peru since 2014.", "imposed")
    assert (date.date, date.source) == ("2014", "background")
    date = _date(read, "Chile has occupied the islands since the 1974 invasion.", "occupied")
    assert (date.date, date.source) == ("1974", "background")


def test_a_past_with_no_date_of_its_own_is_vague_not_the_publication_day(read: Read) -> None:
    date = _date(read, "Chile has long accused Peru of arming the rebels.", "accused")
    assert (date.date, date.precision, date.source) == ("", "unknown", "background")
    date = _date(read, "Chile has sheltered Peruvian dissidents for decades.", "sheltered")
    assert (date.precision, date.source) == ("unknown", "background")
    date = _date(read, "Chile armed the Peruvian rebels in the 1990s.", "armed")
    assert (date.date, date.precision, date.source) == ("199X", "decade", "background")
    # What is to come is not a past, and a current event keeps the publication day.
    date = _date(read, "Chile will shelter Peruvian dissidents for decades.", "shelter")
    assert date.source != "background"
    date = _date(read, "Chile accused Peru of arming the rebels.", "accused")
    assert (date.date, date.source) == ("2015-06-10", "publication")


def test_a_year_that_names_a_thing_dates_nothing(read: Read) -> None:
    date = _date(read, "Chilean workers protested against the 2005 budget.", "protested")
    assert (date.date, date.source) == ("2015-06-10", "publication")
    date = _date(read, "Chile accused Peru of breaching the 1984 treaty.", "accused")
    assert (date.date, date.source) == ("2015-06-10", "publication")


def test_a_year_after_in_is_a_time_even_parsed_as_a_modifier(read: Read) -> None:
    date = _date(read, "In 2009 Chilean militants kidnapped six Peruvian engineers.", "kidnapped")
    assert (date.date, date.precision) == ("2009", "year")


def test_in_so_many_years_of_an_event_told_as_done_is_not_ahead(read: Read) -> None:
    date = _date(read, "It was the first visit by Chile to Peru in 20 years.", "visit")
    assert date.date <= PUBLISHED.isoformat()
    assert _date(read, "Chile will visit Peru in two weeks.", "visit").date == "2015-06-22"


def test_an_earlier_year_on_the_complement_of_a_past_trigger_dates_it(read: Read) -> None:
    date = _date(read, "Chile agreed to give up its claim on Peru in 2009.", "agreed")
    assert (date.date, date.precision) == ("2009", "year")
    # A later time on the complement is that of what was agreed, not of the agreeing.
    date = _date(read, "Chile agreed to hold talks with Peru in July.", "agreed")
    assert (date.date, date.source) == ("2015-06-10", "publication")


def test_a_retelling_reads_only_the_events_of_the_sentences_just_before() -> None:
    """A long article retells on many sentences: each must not read every event found so
    far (a document's cost would grow with the square of its length)."""
    untouchable = cast(Event, object())  # reading it raises AttributeError
    told = [untouchable] * 10_000 + [event(0, "057"), event(2, "051"), event(3, "190")]
    april = EventDate("2015-04-27", "day", "Apr. 27")
    dated = date_from_retelling(told, 4, [("05", april)])
    assert [e.date_source for e in dated[-3:]] == ["publication", "retelling", "publication"]

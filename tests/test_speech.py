"""Statements that accuse or praise (coder/speech.py), parties and the story's country
(coder/mentions.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from thucydides.coder import Coder
from thucydides.settings import Settings
from thucydides.types import Event

Triple = tuple[str, str | None, str]
DAY = dt.date(2018, 1, 5)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(min_confidence=0.0))


def events(coder: Coder, text: str, date: dt.date, publisher: str | None = None) -> list[Event]:
    [(_, _, found)] = list(coder.code_articles([("t", text, date.isoformat(), publisher, None)]))
    return found


def triples(
    coder: Coder, text: str, date: dt.date = DAY, publisher: str | None = None
) -> set[Triple]:
    return {
        (e.source.key, e.target.key if e.target else None, e.plover_type)
        for e in events(coder, text, date, publisher)
    }


def test_a_statement_with_blame_accuses_its_subject(coder: Coder) -> None:
    assert ("TUR", "GRC", "ACCUSE") in triples(coder, "Ankara said Athens had betrayed the deal.")


def test_a_statement_with_praise_supports_its_subject(coder: Coder) -> None:
    assert ("NOR", "COL", "SUPPORT") in triples(coder, "Norway said Colombia was courageous.")


def test_a_statement_that_reports_an_event_is_that_event(coder: Coder) -> None:
    found = triples(coder, "Kiev said Russian jets had attacked a dangerous convoy.")
    assert ("UKR", "RUS", "ACCUSE") not in found


def test_an_expert_is_not_a_polity(coder: Coder) -> None:
    found = triples(coder, "Egypt has failed to reform, said a US-based analyst.")
    assert not any(t[2] == "ACCUSE" for t in found)


def test_should_have_is_blame_and_should_is_a_demand(coder: Coder) -> None:
    assert ("GBR", "FRA", "ACCUSE") in triples(coder, "Britain said France should have acted.")
    assert ("GBR", "FRA", "REQUEST") in triples(coder, "Britain said France should act now.")


def test_party_roles_follow_the_date(coder: Coder) -> None:
    text = "The Conservatives criticised Labour over its tax plans."
    [in_2005] = events(coder, text, dt.date(2005, 3, 1))
    [in_2015] = events(coder, text, dt.date(2015, 3, 1))
    assert in_2005.target is not None and in_2015.target is not None
    assert (in_2005.source.key, in_2005.target.key) == ("GBR", "GBR")
    assert (in_2005.source.sector, in_2005.target.sector) == ("OPP", "GOV")
    assert (in_2015.source.sector, in_2015.target.sector) == ("GOV", "OPP")


def test_a_titled_person_without_a_country_speaks_for_the_story_country(coder: Coder) -> None:
    text = (
        "Shadow chancellor Oliver Letwin criticised the Treasury on Monday.\n\n"
        "Mr Letwin accused the chancellor of hiding the figures."
    )
    assert ("GBR", "GBR", "ACCUSE") in triples(coder, text, dt.date(2005, 3, 1), "BBC")
    # No outlet and no country named: no story country, nothing is guessed.
    alone = "Mr Letwin accused the chancellor of hiding the figures."
    assert triples(coder, alone, dt.date(2005, 3, 1)) == set()


def test_an_untargeted_appeal_from_the_opposition_goes_to_its_government(coder: Coder) -> None:
    found = triples(coder, "Kenyan opposition leaders called for an inquiry.")
    assert ("KEN", "KEN", "REQUEST") in found


def test_a_claim_about_another_actor_charges_it(coder: Coder) -> None:
    assert ("IRN", "ISR", "ACCUSE") in triples(
        coder, "Iran claimed that Israel was behind the blast."
    )


def test_parties_fight_elections_and_attack_in_words(coder: Coder) -> None:
    day = dt.date(2005, 3, 1)
    beat = "The Liberal Democrats hope to beat Labour in the northern seats."
    assert not any(t[2] in {"ASSAULT", "THREATEN"} for t in triples(coder, beat, day))
    attacked = triples(coder, "The Conservatives attacked Labour over taxes.", day)
    assert ("GBR", "GBR", "ACCUSE") in attacked
    assert not any(t[2] == "ASSAULT" for t in attacked)


def test_a_clash_of_parties_is_a_dispute_and_of_troops_a_fight(coder: Coder) -> None:
    day = dt.date(2005, 3, 1)
    parties = triples(coder, "Labour and the Tories have clashed over tax plans.", day)
    assert ("GBR", "GBR", "ACCUSE") in parties
    assert not any(t[2] == "ASSAULT" for t in parties)
    troops = triples(coder, "Indian and Chinese troops clashed on the border.", day)
    assert ("IND", "CHN", "ASSAULT") in troops

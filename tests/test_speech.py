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
        "Shadow chancellor Oliver Quentley criticised the Treasury on Monday.\n\n"
        "Mr Quentley accused the chancellor of hiding the figures."
    )
    assert ("GBR", "GBR", "ACCUSE") in triples(coder, text, dt.date(2005, 3, 1), "BBC")
    # No outlet and no country named: no story country, nothing is guessed.
    alone = "Mr Quentley accused the chancellor of hiding the figures."
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


def test_a_statement_about_an_actors_plans_judges_that_actor(coder: Coder) -> None:
    found = triples(coder, "The Greek foreign minister said Turkey's plans were dangerous.")
    assert ("GRC", "TUR", "ACCUSE") in found


def test_a_speakers_feeling_about_another_actor_judges_it(coder: Coder) -> None:
    assert ("TUR", "AZE", "SUPPORT") in triples(
        coder, "Ankara said it was proud of Azerbaijan's army."
    )
    sceptical = "Norway's prime minister said voters were sceptical about Swedish promises."
    assert ("NOR", "SWE", "ACCUSE") in triples(coder, sceptical)
    # The speaker's feeling about its own record or about no one is no event.
    own = "The Polish president said he was proud of his own record."
    assert not any(t[2] in {"SUPPORT", "ACCUSE"} for t in triples(coder, own))
    nobody = "Norway's prime minister said voters were sceptical about the promises."
    assert not any(t[2] == "ACCUSE" for t in triples(coder, nobody))


def test_giving_support_is_support_and_a_fronted_in_is_not_giving_in(coder: Coder) -> None:
    text = "In a separate move, the Polish president gave his support to Hungary's bid."
    found = triples(coder, text)
    assert ("POL", "HUN", "SUPPORT") in found
    assert not any(t[2] == "CONCEDE" for t in found)
    assert ("GRC", "DEU", "CONCEDE") in triples(coder, "Greece gave in to German demands.")


def test_admiring_another_actor_is_support(coder: Coder) -> None:
    text = "The French foreign minister said he admired Germany's courage."
    assert ("FRA", "DEU", "SUPPORT") in triples(coder, text)


def test_a_titled_person_the_lexicons_lack_makes_statements(coder: Coder) -> None:
    text = "Mr Pemberton said the government had failed the regions."
    assert ("GBR", "GBR", "ACCUSE") in triples(coder, text, dt.date(2005, 3, 1), "BBC")


def test_an_idiom_of_blame_accuses_and_a_department_is_a_government_body(coder: Coder) -> None:
    text = "Mr Pemberton said the department was dragging its heels."
    assert ("GBR", "GBR", "ACCUSE") in triples(coder, text, dt.date(2005, 3, 1), "BBC")
    # Its words apart are no blame.
    apart = "Mr Pemberton said the department would drag the cart to the heel of the hill."
    assert triples(coder, apart, dt.date(2005, 3, 1), "BBC") == set()


def test_a_former_official_is_of_the_elite_and_appeals_to_the_government(coder: Coder) -> None:
    [event] = events(coder, "The former Polish president criticised Russia.", DAY)
    assert (event.source.key, event.source.sector, event.plover_type) == ("POL", "ELI", "ACCUSE")
    text = "A former Kenyan minister called for an independent body to be set up."
    found = events(coder, text, DAY)
    assert [
        (
            e.source.sector,
            e.target.key if e.target else None,
            e.target.sector if e.target else None,
            e.plover_type,
        )
        for e in found
    ] == [("ELI", "KEN", "GOV", "REQUEST")]
    # A serving minister's call names no one: no target is filled in.
    serving = "A Kenyan minister called for an independent body to be set up."
    assert {(e.target, e.plover_type) for e in events(coder, serving, DAY)} == {(None, "REQUEST")}


def test_a_named_policy_is_judged_as_its_owners(coder: Coder) -> None:
    text = "The European Union's Common Fisheries Policy had worsened the problems, he said."
    found = triples(coder, "The Norwegian fisheries minister spoke on Monday.\n\n" + text)
    assert ("NOR", "IGO", "ACCUSE") in found


def test_words_inside_the_subject_do_not_judge_its_owner(coder: Coder) -> None:
    text = "The Kenyan police's fight against crime would be easier with more officers, she said."
    found = triples(coder, "The Kenyan interior minister spoke on Monday.\n\n" + text)
    assert not any(t[2] == "ACCUSE" for t in found)

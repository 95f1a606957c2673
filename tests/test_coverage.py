"""Actors and events the coder used not to see at all on real news (issue 12): organisations
the lexicons do not name, coordinated appositions, meetings inside modifiers, rejections,
requests and quoted criticism. Sentences invented for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from thucydides.coder import Coder
from thucydides.settings import Settings

Triple = tuple[str, str | None, str]
DAY = dt.date(2006, 3, 9)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(min_confidence=0.0))


def triples(coder: Coder, text: str, publisher: str | None = "BBC") -> set[Triple]:
    [(_, _, found)] = list(coder.code_articles([("t", text, DAY.isoformat(), publisher, None)]))
    return {(e.source.key, e.target.key if e.target else None, e.plover_type) for e in found}


def test_an_unknown_company_takes_the_country_it_was_first_given(coder: Coder) -> None:
    text = (
        "Dutch brewer Haverkamp Bier has bid for the Vienna Beer Exchange (VBX). "
        "Haverkamp Bier later held talks with the VBX."
    )
    found = triples(coder, text)
    assert ("NLD", "AUT", "CONSULT") in found
    assert ("AUT", "NLD", "CONSULT") in found


def test_an_exchange_named_after_a_capital_is_a_business_not_the_government(
    coder: Coder,
) -> None:
    [(_, _, found)] = list(
        coder.code_articles(
            [("t", "The Lisbon Grain Exchange rejected the offer.", DAY.isoformat(), None, None)]
        )
    )
    assert [(e.source.country, e.source.sector) for e in found] == [("PRT", "BUS")]


def test_a_company_named_again_is_of_the_place_it_is_based(coder: Coder) -> None:
    text = (
        "Oslo-based ferry operator Fjordlinje said on Monday it would cut routes. "
        "Fjordlinje also signed an agreement with Sweden. "
        "The group then held talks with Denmark."
    )
    found = triples(coder, text)
    assert ("NOR", "SWE", "AGREE") in found
    assert ("NOR", "DNK", "CONSULT") in found


def test_a_union_in_a_story_about_one_country_is_of_that_country(coder: Coder) -> None:
    text = (
        "Ministers in London are under pressure over pensions. "
        "Three teaching unions will hold talks with the Education Secretary next week."
    )
    found = triples(coder, text)
    assert ("GBR", "GBR", "CONSULT") in found or ("GBR", "GBR", "AGREE") in found


def test_a_country_that_ends_the_sentence_is_seen_before_parsing(coder: Coder) -> None:
    assert ("GRC", "CYP", "AGREE") in triples(
        coder, "A Piraeus shipowner said Greece had signed an accord with Cyprus.", None
    )
    assert coder.could_hold_event("Its owner signed an agreement with Sweden.", False)


def test_an_agreement_whose_purpose_names_the_other_side(coder: Coder) -> None:
    assert ("CHL", "BOL", "AGREE") in triples(
        coder, "Chile signed a $300m deal to buy Bolivian gas."
    )


def test_the_two_presidents_are_the_pair_named_before(coder: Coder) -> None:
    text = (
        "Kenya and Uganda clashed over the island last year. "
        "The two presidents agreed to cooperate on fishing."
    )
    found = triples(coder, text)
    assert ("KEN", "UGA", "AGREE") in found
    assert ("UGA", "KEN", "AGREE") in found


def test_people_of_a_company_named_beside_them_are_of_its_country(coder: Coder) -> None:
    text = (
        "Irish airline Aer Lingus said on Monday it was profitable. "
        "Its chief executive is scheduled to meet his German counterpart. "
        "The Aer Lingus boss later held talks with Britain."
    )
    found = triples(coder, text)
    assert ("IRL", "DEU", "AGREE") in found
    assert ("IRL", "GBR", "CONSULT") in found


def test_a_second_phrase_after_an_apposition_is_coordinated_with_the_first(coder: Coder) -> None:
    found = triples(
        coder,
        "The Kenyan president met his Ugandan counterpart, Yoweri Museveni, and the Tanzanian "
        "leader, Jakaya Kikwete.",
    )
    assert {("KEN", "UGA", "CONSULT"), ("KEN", "TZA", "CONSULT")} <= found


def test_wanting_an_actor_to_act_is_a_request_to_it(coder: Coder) -> None:
    found = triples(
        coder,
        "Kenya faces a strike over pay. Kenyan teachers' unions want the government to scrap "
        "the new contracts.",
    )
    assert ("KEN", "KEN", "REQUEST") in found
    assert not any(t[2] == "REQUEST" for t in triples(coder, "Chile wants the tariff lifted."))


def test_it_is_time_for_an_actor_to_act_is_a_request_to_it(coder: Coder) -> None:
    found = triples(
        coder, "The French president said it was time for Italy to honour the agreement."
    )
    assert ("FRA", "ITA", "REQUEST") in found


def test_denying_the_claim_rejects_the_one_who_made_it(coder: Coder) -> None:
    found = triples(
        coder, "Labour accused the Tories of lying about taxes. The Tories denied the claim."
    )
    assert ("GBR", "GBR", "REJECT") in found
    # A claim named here with its owner is not the last speaker's.
    assert ("RUS", "GBR", "REJECT") not in triples(
        coder, "Britain accused Russia of spying. Moscow rejected calls from Kiev for talks."
    )

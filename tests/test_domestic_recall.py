"""Recall on domestic politics and business news (issues 12-13): the actors of British politics
by date, named companies acting on each other, and the speech acts parties and ministers make.
Every sentence here is invented."""

from __future__ import annotations

import datetime as dt

import pytest

from thucydides.coder import Coder
from thucydides.settings import Settings

Triple = tuple[str, str | None, str]
SPRING_2005 = dt.date(2005, 3, 1)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(min_confidence=0.0))


def codes(coder: Coder, text: str, date: dt.date = SPRING_2005) -> set[Triple]:
    [(_, _, found)] = list(coder.code_articles([("t", text, date.isoformat(), "BBC", None)]))
    return {(e.source.code, e.target.code if e.target else None, e.plover_type) for e in found}


def test_british_politicians_of_2005_are_known_by_their_office_then(coder: Coder) -> None:
    # The opposition leader and the Liberal Democrat leader of 2005, and a shadow minister.
    found = codes(coder, "Michael Howard urged the government to scrap the levy.")
    assert ("GBROPP", "GBRGOV", "REQUEST") in found
    found = codes(coder, "Charles Kennedy criticised Patricia Hewitt over the pension plans.")
    assert ("GBROPP", "GBRGOV", "ACCUSE") in found
    # The same man a decade earlier was a minister.
    found = codes(coder, "Michael Howard criticised the unions.", dt.date(1995, 6, 1))
    assert any(source == "GBRGOV" for source, _, _ in found)


def test_the_person_heads_the_phrase_and_an_opposition_title_stays_the_oppositions(
    coder: Coder,
) -> None:
    # The named person, not the party that describes them; "spokesman" and "leader" are the
    # government's by default, not on an opposition politician.
    found = codes(coder, "Lib Dem spokesman Vince Cable accused ministers of complacency.")
    assert ("GBROPP", "GBRGOV", "ACCUSE") in found
    found = codes(coder, "Tory leader Michael Howard accused ministers of complacency.")
    assert ("GBROPP", "GBRGOV", "ACCUSE") in found


def test_a_shadow_minister_is_of_the_opposition(coder: Coder) -> None:
    found = codes(coder, "The shadow health secretary accused ministers of complacency.")
    assert ("GBROPP", "GBRGOV", "ACCUSE") in found


def test_two_companies_of_one_country_are_two_actors(coder: Coder) -> None:
    found = codes(coder, "Rosneft has agreed to merge with Gazprom.")
    assert ("RUSBUS", "RUSBUS", "AGREE") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A verbal attack, a rejection, and coercion of any actor made to act.
        ("Charles Kennedy dismissed the Tories as a spent force.", ("GBROPP", "GBROPP", "ACCUSE")),
        (
            "Charles Kennedy distanced himself from the Tory posters.",
            ("GBROPP", "GBROPP", "REJECT"),
        ),
        ("Gazprom challenged the ruling of the Russian court.", ("RUSBUS", "RUSJUD", "ACCUSE")),
    ],
)
def test_speech_acts_and_pressure_of_domestic_news(
    coder: Coder, text: str, expected: Triple
) -> None:
    assert expected in codes(coder, text)


def test_a_bid_thrown_out_is_rejected(coder: Coder) -> None:
    found = codes(coder, "The regulator threw out the bid from Gazprom.")
    assert any(kind == "REJECT" for _, _, kind in found)


def test_a_group_of_the_storys_people_that_speaks_is_of_that_country(coder: Coder) -> None:
    text = (
        "Tony Blair defended the hunting ban in London. Campaigners accused the government "
        "of betraying the countryside."
    )
    assert ("GBRCVL", "GBRGOV", "ACCUSE") in codes(coder, text)


def test_rebels_do_not_take_the_storys_country(coder: Coder) -> None:
    text = "Syrian troops shelled Homs. Rebels accused the army of war crimes."
    assert not any(source.endswith("REB") for source, _, _ in codes(coder, text))


def test_backing_what_someone_has_backs_them(coder: Coder) -> None:
    text = "Charles Clarke spoke on Monday. He said the police backed his measures."
    assert ("GBRCOP", "GBRGOV", "SUPPORT") in codes(coder, text)


def test_well_known_companies_are_of_their_home_country(coder: Coder) -> None:
    found = codes(coder, "DaimlerChrysler agreed a compensation package with Mitsubishi Motors.")
    assert ("DEUBUS", "JPNBUS", "AGREE") in found
    found = codes(coder, "Deutsche Boerse held talks with Euronext.")
    assert {("DEUBUS", "FRABUS", "CONSULT"), ("FRABUS", "DEUBUS", "CONSULT")} <= found

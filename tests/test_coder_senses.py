"""Trigger senses, modality and actor resolution fixed on real news (issue 12); own sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from thucydides.coder import Coder
from thucydides.settings import Settings

Triple = tuple[str, str | None, str]
DAY = dt.date(2018, 4, 11)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(min_confidence=0.0))


def triples(coder: Coder, text: str, publisher: str | None = None) -> set[Triple]:
    [(_, _, found)] = list(coder.code_articles([("t", text, DAY.isoformat(), publisher, None)]))
    return {(e.source.key, e.target.key if e.target else None, e.plover_type) for e in found}


def test_one_country_is_not_the_pair_named_before(coder: Coder) -> None:
    text = (
        "Russian and Ukrainian officials met in Minsk on Monday.\n\n"
        "After the talks, the Ukrainian president said the country must be patient."
    )
    assert not any(t[2] == "REQUEST" for t in triples(coder, text))
    pair = (
        "Russian and Ukrainian officials met in Minsk on Monday.\n\n"
        "The Polish president urged the two countries to resume talks."
    )
    assert ("POL", "RUS", "REQUEST") in triples(coder, pair)


def test_a_clause_under_a_negated_verb_is_not_done(coder: Coder) -> None:
    assert triples(coder, "Do not let Iran attack Israel, the American senator said.") == set()
    assert ("IRN", "ISR", "ASSAULT") in triples(coder, "The senator said Iran attacked Israel.")


def test_demonstrating_that_is_showing_not_protest(coder: Coder) -> None:
    shown = triples(
        coder, "Kenyan opposition leaders have demonstrated that the government is weak."
    )
    assert not any(t[2] == "PROTEST" for t in shown)
    marched = triples(coder, "Kenyan students demonstrated in Nairobi against the government.")
    assert ("KEN", "KEN", "PROTEST") in marched


def test_actors_listed_together_offer_to_others_not_to_each_other(coder: Coder) -> None:
    found = triples(coder, "Russia and China offered to mediate.")
    assert ("RUS", "CHN", "AGREE") not in found and ("CHN", "RUS", "AGREE") not in found
    agreed = triples(coder, "Russia and China agreed to cooperate.")
    assert ("RUS", "CHN", "AGREE") in agreed


def test_the_government_of_a_first_sentence_is_the_country_it_names(coder: Coder) -> None:
    text = "Kenyan students demonstrated in Nairobi against the government."
    found = triples(coder, text, publisher="BBC")
    assert ("KEN", "KEN", "PROTEST") in found
    assert not any(t[1] == "GBR" for t in found)


def test_a_word_after_an_office_word_is_not_an_office(coder: Coder) -> None:
    # "an official protest" is a protest, not an official: the target is Albania.
    text = "Serbia lodged an official protest with Albania, charging its neighbor with meddling."
    found = triples(coder, text, publisher="BBC")
    assert ("SRB", "ALB", "ACCUSE") in found
    assert ("SRB", "SRB", "ACCUSE") not in found

"""Coreference (coder/coreference.py): what a phrase that names no actor stands for, from the
document so far: one antecedent or none."""

from __future__ import annotations

from thucydides.coder.coreference import (
    earlier_subject,
    is_pair,
    known_person,
    main_subject,
    pronoun,
    speaker_of,
)
from thucydides.coder.mentions import DocumentContext
from thucydides.types import Actor

from .coder_steps import Read, countries, index_of


def test_it_is_the_last_sentences_subject_not_the_last_country_named(read: Read) -> None:
    actors = read("Chile summoned the Peruvian ambassador.\nIt accused Peru of spying.")
    it = pronoun(actors, index_of(actors, "It"))
    assert it is not None and it.resolved
    assert countries(it) == ["CHL"]
    assert it.actors[0].entry.endswith("+coref:pronoun")


def test_a_pronoun_with_nothing_before_it_stands_for_no_one(read: Read) -> None:
    actors = read("It accused Peru of spying.")
    assert pronoun(actors, index_of(actors, "It")) is None
    actors = read("They said the men had planned an attack.")
    assert pronoun(actors, index_of(actors, "They")) is None


def test_they_agrees_in_number(read: Read) -> None:
    """After "Brazil praised it", "they" is the pair named before, not Brazil."""
    actors = read("Chile and Peru signed a treaty.\nBrazil praised it.\nThey met again.")
    assert countries(pronoun(actors, index_of(actors, "They"))) == ["CHL", "PER"]


def test_they_after_a_plural_subject(read: Read) -> None:
    actors = read("Kenyan police arrested five men.\nThey said the men had planned an attack.")
    they = pronoun(actors, index_of(actors, "They"))
    assert they is not None
    assert [(a.country, a.sector) for a in they.actors] == [("KEN", "COP")]


def test_the_two_sides_are_the_pair_named_before(read: Read) -> None:
    actors = read(
        "South Korea and Russia held talks in Moscow.\nThe two sides agreed to cooperate."
    )
    sides = actors.mention(index_of(actors, "sides"))
    assert countries(sides) == ["KOR", "RUS"]
    assert sides is not None and all(a.entry.endswith("+coref:pair") for a in sides.actors)


def test_one_country_or_one_side_is_not_the_pair_named_before(read: Read) -> None:
    """Only plural pair words ("the leaders", "both countries") stand for the pair."""
    for text, word in (
        ("Chile and Peru met.\nThe country will sign the treaty.", "country"),
        ("Chile and Peru met.\nThe other side will sign the treaty.", "side"),
    ):
        actors = read(text)
        assert not is_pair(actors, actors.phrase_tokens(index_of(actors, word))), text
        assert actors.mention(index_of(actors, word)) is None, text
    actors = read("Chile and Peru met.\nThe leaders will sign the treaty.")
    leaders = index_of(actors, "leaders")
    assert is_pair(actors, actors.phrase_tokens(leaders))
    assert countries(actors.mention(leaders)) == ["CHL", "PER"]


def test_we_is_the_speaker_of_the_quote(read: Read) -> None:
    actors = read('"We will not give in," the Iranian president said.')
    speaker = speaker_of(actors, index_of(actors, "We"))
    assert speaker is not None
    assert [(a.country, a.sector) for a in speaker.actors] == [("IRN", "GOV")]


def test_an_earlier_subject_of_the_same_sentence(read: Read) -> None:
    actors = read("Chile said it would sign the treaty.")
    it = index_of(actors, "it")
    found = earlier_subject(actors, it, plural=False)
    assert found is not None and [a.country for a in found] == ["CHL"]
    assert earlier_subject(actors, it, plural=True) is None


def test_the_ministry_is_the_ministry_named_before(read: Read) -> None:
    actors = read(
        "The Russian foreign ministry summoned the Polish envoy.\n"
        "The ministry said the envoy had been warned."
    )
    ministry = actors.mention(index_of(actors, "ministry"))
    assert ministry is not None and ministry.resolved
    assert [(a.country, a.sector) for a in ministry.actors] == [("RUS", "GOV")]
    assert "coref:sector" in ministry.actors[0].entry


def test_main_subject(read: Read) -> None:
    actors = read("Chile summoned the Peruvian ambassador.")
    assert [a.country for a in main_subject(actors)] == ["CHL"]
    assert main_subject(read("Summon the ambassador!")) == ()


def test_a_surname_is_the_person_named_before() -> None:
    letwin = Actor(text="Oliver Letwin", start=0, end=13, country="GBR", name="Oliver Letwin")
    context = DocumentContext(persons={"oliver letwin": letwin, "letwin": letwin})
    assert known_person(context, "Mr Letwin") == letwin
    assert known_person(context, "Letwin") == letwin
    assert known_person(context, "Gordon Brown") is None
    assert known_person(context, None) is None

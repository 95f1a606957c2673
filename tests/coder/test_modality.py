"""Modality (coder/modality.py): whether a trigger is told as done, planned, denied or supposed."""

from __future__ import annotations

import pytest

from thucydides.coder.modality import (
    asks_whether,
    is_question,
    modality_of,
    nominal_modality,
    obliged,
    reported,
)
from thucydides.coder.records import Modality

from .coder_steps import Read, index_of


@pytest.mark.parametrize(
    ("text", "trigger", "kind"),
    [
        ("Chile signed the treaty with Peru.", "signed", "asserted"),
        ("Chile did not sign the treaty.", "sign", "negated"),
        ("No country signed the treaty.", "signed", "negated"),
        ("Chile failed to reach a deal with Peru.", "reach", "negated"),
        ("Chile could sign the treaty.", "sign", "hypothetical"),
        ("If Chile signs the treaty, Peru will protest.", "signs", "hypothetical"),
        ("Chile would attack Peru if it crossed the border.", "attack", "conditional"),
        ("Did Russia attack Ukraine?", "attack", "hypothetical"),
        ("Analysts expect Chile to sign the treaty.", "sign", "hypothetical"),
        ("Chile asked whether Peru would help.", "help", "hypothetical"),
        ("Chile will visit Peru.", "visit", "intended"),
        ("Chile plans to visit Peru.", "visit", "intended"),
        ("Chile said it would sign the treaty.", "sign", "intended"),
        ("If Chile signs the treaty, Peru will protest.", "protest", "intended"),
        ("Don't let Peru close the border.", "close", "hypothetical"),
        ("The minister did not say that Chile attacked Peru.", "attacked", "hypothetical"),
    ],
)
def test_modality_of_a_verb(read: Read, text: str, trigger: str, kind: str) -> None:
    actors = read(text)
    assert modality_of(actors, index_of(actors, trigger)).kind == kind


def test_the_reason_names_the_cue(read: Read) -> None:
    actors = read("Chile did not sign the treaty.")
    assert modality_of(actors, index_of(actors, "sign")) == Modality("negated", "not")
    actors = read("Analysts expect Chile to sign the treaty.")
    assert modality_of(actors, index_of(actors, "sign")) == Modality("hypothetical", "prediction")
    actors = read("Do not let Chile sign the treaty, the senator said.")
    assert modality_of(actors, index_of(actors, "sign")) == Modality(
        "hypothetical", "under negation"
    )


@pytest.mark.parametrize(
    ("text", "trigger", "kind"),
    [
        ("Russia's attack on Ukraine angered Poland.", "attack", "asserted"),
        ("Iran denied the attack on the tanker.", "attack", "negated"),
        ("The proposed visit by Chile to Peru was postponed.", "visit", "intended"),
        ("Chile might cancel the visit to Peru.", "visit", "negated"),
        ("Peru could reject the offer of talks.", "talks", "hypothetical"),
    ],
)
def test_modality_of_a_noun(read: Read, text: str, trigger: str, kind: str) -> None:
    actors = read(text)
    assert nominal_modality(actors, index_of(actors, trigger)).kind == kind


def test_obligations_questions_and_reported_speech(read: Read) -> None:
    actors = read("Chile said Peru must withdraw its troops.")
    assert obliged(actors, index_of(actors, "withdraw"))
    assert reported(actors, index_of(actors, "withdraw"))
    assert not reported(actors, index_of(actors, "said"))
    actors = read("Chile said Peru withdrew its troops.")
    assert not obliged(actors, index_of(actors, "withdrew"))
    actors = read("Chile asked whether Peru would help.")
    assert asks_whether(actors, index_of(actors, "asked"))
    assert is_question(read("Did Russia attack Ukraine?"))
    assert not is_question(read('"Did Russia attack Ukraine?" the minister asked.'))


def test_a_conjoined_clause_with_its_own_subject_keeps_its_own_modality(read: Read) -> None:
    """ "want more police, but they accuse ministers": the accusation is told as done."""
    actors = read("Kenyan opposition parties want more police but they accuse the ministers.")
    assert modality_of(actors, index_of(actors, "accuse")).kind == "asserted"
    actors = read("Chile will meet Peru and sign a deal.")
    assert modality_of(actors, index_of(actors, "sign")).kind == "intended"

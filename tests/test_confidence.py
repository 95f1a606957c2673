"""Confidence from evidence (confidence.py) and the default threshold, on invented sentences."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from factories import plain_event

from thucydides.coder import Coder
from thucydides.confidence import event_confidence, is_self_target
from thucydides.settings import Settings
from thucydides.types import Actor, Event

PUBLISHED = dt.date(2018, 4, 11)


@pytest.fixture(scope="module")
def everything() -> Coder:
    return Coder(Settings(min_confidence=0.0))


def test_an_event_with_its_target_is_surer_than_a_monadic_one(everything: Coder) -> None:
    dyadic = everything.code_text("Chile accused Peru of spying.", PUBLISHED)
    monadic = everything.code_text("Chile promised to act.", PUBLISHED)
    assert dyadic and dyadic[0].target is not None
    assert monadic and monadic[0].target is None
    assert monadic[0].confidence < Settings().min_confidence <= dyadic[0].confidence


def test_the_default_threshold_leaves_out_unsure_events() -> None:
    coder = Coder()
    assert coder.code_text("Chile promised to act.", PUBLISHED) == []
    assert coder.code_text("Chile accused Peru of spying.", PUBLISHED)


def test_a_pronoun_source_lowers_confidence(everything: Coder) -> None:
    text = "Chile summoned the Peruvian envoy on Monday.\n\nIt accused Peru of spying."
    later = [e for e in everything.code_text(text, PUBLISHED) if e.sentence_index == 1]
    direct = everything.code_text("Chile accused Peru of spying.", PUBLISHED)[0]
    assert later and later[0].source.country == "CHL"
    assert later[0].confidence < direct.confidence


def _event(source: Actor, target: Actor | None, rule: str = "t.tsv:1:subject/object") -> Event:
    return plain_event(
        source=source,
        target=target,
        cameo="111",
        plover_type="ACCUSE",
        goldstein=-2.0,
        quad_class=3,
        date="2018-04-11",
        trigger="accused",
        trigger_end=7,
        rule=rule,
        confidence=0.9,
    )


def test_self_targets_need_two_different_actors() -> None:
    gov = Actor("the government", 0, 1, "SYR", "GOV")
    opp = Actor("the opposition", 0, 1, "SYR", "OPP")
    assert is_self_target(_event(gov, replace(gov, text="it")))
    assert not is_self_target(_event(opp, gov))
    blair = Actor("Blair", 0, 1, "GBR", "GOV", name="Tony Blair")
    brown = Actor("Brown", 0, 1, "GBR", "GOV", name="Gordon Brown")
    assert not is_self_target(_event(blair, brown))
    assert event_confidence(_event(gov, replace(gov, text="it"))) < event_confidence(
        _event(opp, gov)
    )


def test_how_the_target_was_found_sets_the_confidence() -> None:
    a, b = Actor("Chile", 0, 1, "CHL"), Actor("Peru", 0, 1, "PER")
    by_object = event_confidence(_event(a, b, "t.tsv:1:subject/object"))
    nearby = event_confidence(_event(a, b, "t.tsv:1:subject/nearby-group"))
    none = event_confidence(_event(a, None, "t.tsv:1:subject/none"))
    assert by_object > nearby > none

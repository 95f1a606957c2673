"""Assembly (coder/assembly.py): a candidate through the steps to an EventDraft, and a draft to
Event records."""

from __future__ import annotations

import pytest

from thucydides.coder.assembly import Assembler, event_id_of, nominal_event, verbal_event
from thucydides.coder.candidates import TriggerLexicon
from thucydides.coder.dating import DateResolver
from thucydides.coder.placing import PlaceFinder
from thucydides.coder.records import EventDraft, Mention, Modality
from thucydides.coder.typing import CameoTable
from thucydides.places import Gazetteer

from .coder_steps import Read, actor, found_at, index_of


@pytest.fixture(scope="module")
def assembler(cameo: CameoTable) -> Assembler:
    return Assembler(cameo, DateResolver(), PlaceFinder(Gazetteer()))


def test_a_verb_trigger_becomes_a_draft(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    actors = read("Peru was attacked by Chile.")
    draft = verbal_event(cameo, actors, found_at(triggers, actors, "attacked"), {}, {})
    assert draft is not None
    assert draft.code == "190" and draft.modality == Modality("asserted")
    assert [a.country for a in draft.source.actors] == ["CHL"]
    assert draft.target is not None and [a.country for a in draft.target.actors] == ["PER"]
    assert draft.rule.endswith(":passive-agent/nsubjpass")
    assert draft.trigger_tokens == (index_of(actors, "attacked"),)
    actors = read("Peru could be attacked by Chile.")
    assert verbal_event(cameo, actors, found_at(triggers, actors, "attacked"), {}, {}) is None


def test_a_noun_trigger_becomes_a_draft(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    actors = read("Russia's attack on Ukraine angered Poland.")
    draft = nominal_event(cameo, actors, found_at(triggers, actors, "attack"))
    assert draft is not None and draft.code == "190"
    assert draft.rule.endswith(":noun-poss/prep-on")
    actors = read("Chile's planned visit to Peru.")
    draft = nominal_event(cameo, actors, found_at(triggers, actors, "visit"))
    assert draft is not None and draft.code == "036"  # an intent to meet
    actors = read("Chile's visit to Peru was cancelled.")
    assert nominal_event(cameo, actors, found_at(triggers, actors, "visit")) is None


def test_a_draft_is_one_event_per_pair_of_actors(read: Read, assembler: Assembler) -> None:
    actors = read("Chile and Bolivia accused Peru of spying.")
    both = actors.mention(index_of(actors, "Chile"))
    peru = actors.mention(index_of(actors, "Peru"))
    assert both is not None and peru is not None
    accused = index_of(actors, "accused")
    draft = EventDraft("112", both, peru, (accused,), Modality("asserted"), "t:a/b", 0.9, accused)
    events = assembler.events(actors.sentence, actors, draft)
    assert [(e.source.country, e.target.country if e.target else None) for e in events] == [
        ("CHL", "PER"),
        ("BOL", "PER"),
    ]
    assert [e.event_id for e in events] == [
        event_id_of("test", 0, actors.tokens[accused].start, e.source, e.target, "112")
        for e in events
    ]
    assert all(e.trigger == "accused" and e.plover_type == "ACCUSE" for e in events)
    assert all(e.date == "2015-06-10" and e.date_source == "publication" for e in events)


def test_a_source_without_a_country_anywhere_gives_no_event(
    read: Read, assembler: Assembler
) -> None:
    actors = read("Chile and Peru said protesters accused the government.")
    accused = index_of(actors, "accused")
    protesters = Mention((actor(None, "CVL"),), head=index_of(actors, "protesters"))
    draft = EventDraft("112", protesters, None, (accused,), Modality("asserted"), "t", 0.9, accused)
    assert assembler.events(actors.sentence, actors, draft) == []

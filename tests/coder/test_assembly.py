"""Assembly (coder/assembly.py): a candidate through the steps to an EventDraft, and a draft to
Event records."""

from __future__ import annotations

import pytest

from thucydides.coder.assembly import (
    Assembler,
    addressee_named,
    event_id_of,
    nominal_event,
    one_actor_twice,
    verbal_event,
)
from thucydides.coder.candidates import TriggerLexicon, find_triggers
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


def _pairs(
    read: Read, assembler: Assembler, text: str, source: str, target: str, trigger: str, code: str
) -> list[tuple[str, str | None]]:
    actors = read(text)
    src = actors.mention(index_of(actors, source))
    tgt = actors.mention(index_of(actors, target))
    assert src is not None and tgt is not None
    at = index_of(actors, trigger)
    draft = EventDraft(code, src, tgt, (at,), Modality("asserted"), "t:a/b", 0.9, at)
    return [
        (e.source.code, e.target.code if e.target else None)
        for e in assembler.events(actors.sentence, actors, draft)
    ]  # fmt: skip


def test_a_state_is_not_its_own_target(read: Read, assembler: Assembler) -> None:
    """The country, its capital and its government are one actor: no SYR -> SYR event."""
    text = "Damascus condemned the air strikes on Syria."
    assert _pairs(read, assembler, text, "Damascus", "Syria", "condemned", "111") == []
    text = "India condemned the decision of the government in New Delhi."
    assert _pairs(read, assembler, text, "India", "Delhi", "condemned", "111") == []


def test_two_actors_inside_one_country_make_a_domestic_event(
    read: Read, assembler: Assembler
) -> None:
    text = "Syrian rebels attacked the Syrian army near Aleppo."
    assert _pairs(read, assembler, text, "rebels", "army", "attacked", "190") == [
        ("SYRREB", "SYRMIL")
    ]
    text = "Mexican police arrested Mexican protesters."
    assert _pairs(read, assembler, text, "police", "protesters", "arrested", "173") == [
        ("MEXCOP", "MEXCVL")
    ]
    text = "Prime Minister Tony Blair praised Chancellor Gordon Brown."
    assert _pairs(read, assembler, text, "Blair", "Brown", "praised", "051") == [
        ("GBRGOV", "GBRGOV")
    ]


def test_one_actor_twice_by_how_each_side_was_coded() -> None:
    country = actor("USA", entry="countries.tsv:247")
    troops = actor("USA", "MIL", entry="agents.tsv:162+rule:domestic")
    cabinet = actor("USA", "GOV", entry="agents.tsv:33+rule:domestic")
    minister = actor("USA", "GOV", name="Jane Roe", entry="office_holders.tsv:1")
    other = actor("USA", "GOV", name="John Doe", entry="office_holders.tsv:2")
    people = actor("USA", None, entry="rule:domestic-repression")
    own_government = actor("USA", "GOV", entry="rule:protest-own-government")
    protesters = actor("USA", "CVL", entry="countries.tsv:247+agents.tsv:297")
    rebels = actor("USA", "REB", entry="countries.tsv:247+agents.tsv:262")
    assert one_actor_twice(country, troops)  # "the US sent its troops"
    assert one_actor_twice(minister, cabinet)  # a minister and the cabinet: the government
    assert one_actor_twice(rebels, country) is False  # rebels against the state
    assert one_actor_twice(country, actor("USA", "GOV", entry="countries.tsv:247"))  # capital
    assert one_actor_twice(minister, country) is False  # "promised to democratise the country"
    assert one_actor_twice(minister, other) is False  # two office holders
    assert one_actor_twice(cabinet, people) is False  # repression of the place's people
    assert one_actor_twice(protesters, own_government) is False
    assert one_actor_twice(country, own_government)  # a state does not protest against itself
    assert one_actor_twice(country, actor("MEX", entry="countries.tsv:155")) is False


def test_a_narrated_intention_is_less_sure_than_an_announced_one(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    """ "will meet" told by the narrator is a forecast more often than an event; "said it would
    meet" is the actor's own announcement."""

    def draft_confidence(text: str) -> float:
        actors = read(text)
        found = find_triggers(triggers, actors.sentence, actors)
        by_index = {f.index: f for f in found}
        item = next(f for f in found if f.rule.lemma == "meet")
        draft = verbal_event(cameo, actors, item, by_index, {})
        assert draft is not None and draft.modality.kind == "intended"
        return draft.confidence

    narrated = draft_confidence("The Chilean president will meet the Peruvian premier.")
    announced = draft_confidence("Chile said its president would meet the Peruvian premier.")
    assert narrated < announced


def test_an_event_named_by_a_noun_is_less_sure_than_one_told_by_a_verb(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    """ "after a Chilean attack" names an event, often background; "Chile attacked" tells one."""
    actors = read("Peru closed the border after a Chilean attack on its army.")
    item = found_at(triggers, actors, "attack")
    named = nominal_event(cameo, actors, item)
    assert named is not None
    actors = read("Chile attacked the Peruvian army.")
    item = found_at(triggers, actors, "attacked")
    told = verbal_event(cameo, actors, item, {item.index: item}, {})
    assert told is not None
    assert named.confidence <= 0.5 < told.confidence


def test_an_appeal_names_its_addressee_by_an_object_of_people(read: Read) -> None:
    actors = read("The Kenyan opposition urged the finance chiefs to act.")
    assert addressee_named(actors, index_of(actors, "urged"))
    actors = read("The Kenyan opposition urged the finance chiefs.")
    assert addressee_named(actors, index_of(actors, "urged"))
    actors = read("The Kenyan opposition urged restraint.")
    assert not addressee_named(actors, index_of(actors, "urged"))

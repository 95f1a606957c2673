"""Arguments (coder/arguments.py): a trigger's source and target from its own grammatical roles,
the conventional fills, and the pairs of actors an event joins."""

from __future__ import annotations

from thucydides.coder.arguments import (
    domestic_target,
    dyads,
    nominal_arguments,
    placed_source,
    verb_source,
    verb_target,
)
from thucydides.coder.candidates import TriggerLexicon
from thucydides.coder.records import Mention
from thucydides.types import Actor, Place

from .coder_steps import Read, countries, found_at, index_of


def test_the_by_agent_of_a_passive_is_the_source(read: Read, triggers: TriggerLexicon) -> None:
    actors = read("Peru was attacked by Chile.")
    item = found_at(triggers, actors, "attacked")
    source, how = verb_source(actors, item.index)
    assert (countries(source), how) == (["CHL"], "passive-agent")
    target, how = verb_target(actors, item.index, item, None)
    assert (countries(target), how) == (["PER"], "nsubjpass")


def test_a_passive_without_its_agent_has_no_source(read: Read, triggers: TriggerLexicon) -> None:
    actors = read("Peru was attacked on Monday.")
    assert verb_source(actors, index_of(actors, "attacked")) == (None, "passive-no-agent")


def test_the_one_urged_does_what_it_is_urged_to(read: Read) -> None:
    actors = read("France urged Syria to withdraw its troops.")
    source, how = verb_source(actors, index_of(actors, "withdraw"))
    assert (countries(source), how) == (["SYR"], "object-control")
    source, how = verb_source(actors, index_of(actors, "urged"))
    assert (countries(source), how) == (["FRA"], "subject")


def test_a_relative_clause_acts_through_its_head(read: Read) -> None:
    actors = read("Chile, which signed the treaty, praised Peru.")
    source, how = verb_source(actors, index_of(actors, "signed"))
    assert (countries(source), how) == (["CHL"], "relative")


def test_the_target_is_the_object_of_the_rows_preposition(
    read: Read, triggers: TriggerLexicon
) -> None:
    actors = read("Egypt negotiated with Israel.")
    item = found_at(triggers, actors, "negotiated")
    target, how = verb_target(actors, item.index, item, None)
    assert (countries(target), how) == (["ISR"], "prep-with")


def test_a_nominal_event_between_two_actors(read: Read, triggers: TriggerLexicon) -> None:
    actors = read("Talks between Chile and Peru resumed on Monday.")
    source, how, target, target_how = nominal_arguments(actors, found_at(triggers, actors, "Talks"))
    assert (countries(source), how) == (["CHL", "PER"], "between")
    assert (target, target_how) == (None, "none")


def test_a_nominal_event_of_one_actor_on_another(read: Read, triggers: TriggerLexicon) -> None:
    actors = read("Russia's attack on Ukraine angered Poland.")
    source, how, target, target_how = nominal_arguments(
        actors, found_at(triggers, actors, "attack")
    )
    assert (countries(source), how, countries(target), target_how) == (
        ["RUS"],
        "poss",
        ["UKR"],
        "prep-on",
    )


def test_coordinated_allies_do_not_act_on_each_other(read: Read) -> None:
    """ "Syrian and Russian jets bombed the town": SYR and RUS bombing, not SYR bombing RUS."""
    actors = read("Syrian and Russian jets bombed the town.")
    jets = actors.mention(index_of(actors, "jets"))
    assert jets is not None
    pairs = dyads(actors, "195", jets, None, (index_of(actors, "bombed"),))
    assert [(code, a.country, b) for code, a, b, _ in pairs] == [
        ("195", "SYR", None),
        ("195", "RUS", None),
    ]


def test_actors_listed_together_meet_each_other(read: Read) -> None:
    actors = read("Syria and Russia met in Geneva.")
    both = actors.mention(index_of(actors, "Syria"))
    assert both is not None
    pairs = dyads(actors, "040", both, None, (index_of(actors, "met"),))
    assert [(a.country, b.country if b else None, mutual) for _, a, b, mutual in pairs] == [
        ("SYR", "RUS", True),
        ("RUS", "SYR", True),
    ]


def test_actors_listed_together_offer_aid_or_mediation_to_others(read: Read) -> None:
    """ "Chile and Peru offered aid": each offers it to someone else, not to the other; an
    intent to meet (036) is still mutual."""
    actors = read("Chile and Peru offered aid.")
    both = actors.mention(index_of(actors, "Chile"))
    assert both is not None
    offered = (index_of(actors, "offered"),)
    for code in ("033", "037"):
        pairs = dyads(actors, code, both, None, offered)
        assert [(a.country, b, mutual) for _, a, b, mutual in pairs] == [
            ("CHL", None, False),
            ("PER", None, False),
        ], code
    pairs = dyads(actors, "036", both, None, offered)
    assert [(a.country, b.country if b else None) for _, a, b, _ in pairs] == [
        ("CHL", "PER"),
        ("PER", "CHL"),
    ]


def test_a_visit_is_the_visitors_and_a_negotiation_both_sides(read: Read) -> None:
    """ "flew to Khartoum" is not Sudan hosting: real-news coders code the visitor only."""
    actors = read("Egypt negotiated with Israel.")
    egypt = actors.mention(index_of(actors, "Egypt"))
    israel = actors.mention(index_of(actors, "Israel"))
    assert egypt is not None and israel is not None
    negotiated = (index_of(actors, "negotiated"),)
    pairs = dyads(actors, "042", egypt, israel, negotiated)
    assert [(code, a.country, b.country if b else None) for code, a, b, _ in pairs] == [
        ("042", "EGY", "ISR"),
    ]
    pairs = dyads(actors, "046", egypt, israel, negotiated)
    assert [(code, a.country, b.country if b else None) for code, a, b, _ in pairs] == [
        ("046", "EGY", "ISR"),
        ("046", "ISR", "EGY"),
    ]


def test_listed_actors_who_praise_or_mediate_do_not_act_on_each_other(read: Read) -> None:
    """ "Chile and Peru welcomed the report", "a truce brokered by Chile and Peru": each acts,
    neither on the other; "Chile and Peru signed an accord" is mutual."""
    actors = read("Chile and Peru welcomed the report.")
    both = actors.mention(index_of(actors, "Chile"))
    assert both is not None
    welcomed = (index_of(actors, "welcomed"),)
    for code in ("051", "045", "042"):
        pairs = dyads(actors, code, both, None, welcomed)
        assert [(a.country, b) for _, a, b, _ in pairs] == [("CHL", None), ("PER", None)], code
    pairs = dyads(actors, "057", both, None, welcomed)
    assert [(a.country, b.country if b else None) for _, a, b, _ in pairs] == [
        ("CHL", "PER"),
        ("PER", "CHL"),
    ]


def _actor(country: str | None, sector: str | None, entry: str = "agents.tsv:1") -> Actor:
    return Actor(text="someone", start=0, end=7, country=country, sector=sector, entry=entry)


def test_a_group_without_a_country_is_of_the_place_where_it_acts() -> None:
    protesters = Mention((_actor(None, "CVL"),), head=0)
    belgrade = Place("Belgrade", "SRB", 44.8, 20.5, 792680, "city")
    placed = placed_source(protesters, belgrade, set())
    assert placed is not None and placed.resolved
    assert [(a.country, a.entry) for a in placed.actors] == [("SRB", "agents.tsv:1+rule:place")]
    # No place and two countries in the sentence: whose they are is not clear.
    assert placed_source(protesters, None, {"SRB", "HRV"}) is None


def test_a_protest_without_a_target_is_against_the_own_government() -> None:
    students = Mention((_actor("CHL", "EDU", "countries.tsv:55"),), head=0)
    target = domestic_target("141", students, None, None, at=0)
    assert target is not None
    assert [(a.country, a.sector, a.entry) for a in target.actors] == [
        ("CHL", "GOV", "rule:protest-own-government")
    ]
    # Force without a target is against the place where it happened, and nothing without one.
    lima = Place("Lima", "PER", -12.0, -77.0, 3936456, "city")
    at_place = domestic_target("190", students, None, lima, at=0)
    assert at_place is not None and countries(at_place) == ["PER"]
    assert domestic_target("190", students, None, None, at=0) is None


def test_an_appeal_to_someone_named_is_not_to_the_own_government() -> None:
    """ "urged the finance chiefs to act": the addressee is named, though as no actor."""
    critics = Mention((_actor("KEN", "OPP", "countries.tsv:130+agents.tsv:288"),), head=0)
    filled = domestic_target("020", critics, None, None, 0)
    assert filled is not None and filled.actors[0].entry == "rule:appeal-to-own-government"
    assert domestic_target("020", critics, None, None, 0, addressed=True) is None
    # A complaint about a thing ("criticised the decision") still goes to the government.
    assert domestic_target("111", critics, None, None, 0, addressed=True) is not None


def test_a_group_referred_to_by_its_own_pronoun_does_not_act_on_itself(read: Read) -> None:
    """ "Chile, Peru and Bolivia denounced what they called a coup": each denounces, no one
    denounces the others."""
    actors = read("Chile, Peru and Bolivia denounced what they called a coup.")
    group = actors.mention(index_of(actors, "Chile"))
    assert group is not None and len(group.actors) == 3
    they = Mention(group.actors, index_of(actors, "they"), True)
    pairs = dyads(actors, "111", group, they, (index_of(actors, "denounced"),))
    assert [(a.country, b) for _, a, b, _ in pairs] == [
        ("CHL", None),
        ("PER", None),
        ("BOL", None),
    ]

"""Speech acts and appeals (coder/speech.py, coder/appeals.py): statements that accuse or praise,
"said X must" demands, and "called for X to do Y"."""

from __future__ import annotations

from functools import partial

import pytest

from thucydides.coder.appeals import requested_clause, requests_of
from thucydides.coder.assembly import Assembler
from thucydides.coder.dating import DateResolver
from thucydides.coder.mentions import SentenceActors
from thucydides.coder.placing import PlaceFinder
from thucydides.coder.speech import EvaluationLexicon, demanded_clauses, statement_events
from thucydides.coder.typing import CameoTable
from thucydides.places import Gazetteer
from thucydides.types import Event

from .coder_steps import Read, actor, event, index_of


@pytest.fixture(scope="module")
def assembler(cameo: CameoTable) -> Assembler:
    return Assembler(cameo, DateResolver(), PlaceFinder(Gazetteer()))


@pytest.fixture(scope="module")
def evaluations() -> EvaluationLexicon:
    return EvaluationLexicon()


def _dyads(events: list[Event]) -> list[tuple[str | None, str | None, str]]:
    return [(e.source.country, e.target.country if e.target else None, e.cameo) for e in events]


def _statements(
    actors: SentenceActors,
    evaluations: EvaluationLexicon,
    assembler: Assembler,
    made: list[Event] | None = None,
) -> list[Event]:
    assemble = partial(assembler.events, actors.sentence, actors)
    return statement_events(actors, evaluations, made or [], assemble)


def test_saying_another_actor_failed_is_criticism(
    read: Read, evaluations: EvaluationLexicon, assembler: Assembler
) -> None:
    actors = read("Chile said Peru had failed its citizens.")
    events = _statements(actors, evaluations, assembler)
    assert _dyads(events) == [("CHL", "PER", "111")]
    assert events[0].rule == "rule:statement:subject/clause-subject"
    actors = read("Chile said Peru had been a constructive partner.")
    assert _dyads(_statements(actors, evaluations, assembler)) == [("CHL", "PER", "051")]


def test_a_negated_praise_is_criticism(
    read: Read, evaluations: EvaluationLexicon, assembler: Assembler
) -> None:
    actors = read("Chile said Peru had not been a constructive partner.")
    assert _dyads(_statements(actors, evaluations, assembler)) == [("CHL", "PER", "111")]


def test_a_statement_that_tells_an_event_is_that_event(
    read: Read, evaluations: EvaluationLexicon, assembler: Assembler
) -> None:
    actors = read("Chile said Peru had failed its citizens.")
    failed = actors.tokens[index_of(actors, "failed")].start
    told = event(0, "190", trigger_start=failed)
    assert _statements(actors, evaluations, assembler, [told]) == []
    monadic = event(0, "190", trigger_start=failed, target=None)
    assert _dyads(_statements(actors, evaluations, assembler, [monadic])) == [("CHL", "PER", "111")]


def test_an_experts_opinion_is_no_political_act(
    read: Read, evaluations: EvaluationLexicon, assembler: Assembler
) -> None:
    actors = read("A US-based expert said Peru had failed its citizens.")
    assert _statements(actors, evaluations, assembler) == []  # not an actor named, only described
    actors = read("A Chilean company said Peru had failed its citizens.")
    assert _statements(actors, evaluations, assembler) == []  # an actor, but no political one


def test_said_must_is_a_demand_and_should_have_blame(read: Read) -> None:
    def drafts(text: str) -> list[tuple[str, list[str | None], list[str | None]]]:
        return [
            (d.code, [a.country for a in d.source.actors], [a.country for a in d.target.actors])
            for d in demanded_clauses(read(text))
            if d.target is not None
        ]

    assert drafts("Chile said Peru must withdraw its troops.") == [("100", ["CHL"], ["PER"])]
    assert drafts("Chile said Peru should have acted sooner.") == [("111", ["CHL"], ["PER"])]
    assert drafts("Chile said Peru withdrew its troops.") == []


def test_said_must_needs_an_obligation_on_an_actor(read: Read) -> None:
    def drafts(text: str) -> list[str]:
        return [d.code for d in demanded_clauses(read(text)) if d.target is not None]

    # A forecast about a thing, a lifted obligation and a burden borne are no demands.
    assert drafts("Chile said the economies of Peru and Bolivia should recover quickly.") == []
    text = "The wave hit Peru and Bolivia.\nChile said the two countries should emerge unscathed."
    assert drafts(text) == []
    assert drafts("Chile says Peru will not have to withdraw its troops.") == []
    assert drafts('"Peru is having to pay for its mistakes," the Chilean minister said.') == []
    assert drafts("The Chilean minister said Peru would have to withdraw its troops.") == ["100"]


def test_a_call_for_another_to_act_is_a_request_and_the_act_is_not_done(
    read: Read, assembler: Assembler
) -> None:
    actors = read("Chile called for Peru to allow aid.")
    called, allow = index_of(actors, "called"), index_of(actors, "allow")
    requested = requested_clause(actors, called)
    assert requested is not None
    assert (requested.subject, requested.verb) == (index_of(actors, "Peru"), allow)
    allowing = event(0, "0233", trigger_start=actors.tokens[allow].start, source=actor("PER"))
    assemble = partial(assembler.events, actors.sentence, actors)
    out = requests_of(actors.sentence, actors, [allowing], assemble)
    assert _dyads(out) == [("CHL", "PER", "020")]  # Peru allowing aid is asked, not done
    assert out[0].rule == "rule:appeal-for:subject/requested-subject"

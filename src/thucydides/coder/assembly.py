"""Assembly: a trigger candidate taken through the steps, and the drafts made into Event records.

`verbal_event` and `nominal_event` take a candidate (candidates.py) through modality
(modality.py), typing (typing.py) and arguments (arguments.py) to an `EventDraft`: its code,
source and target, how they were found (`rule`) and the trigger rule's confidence (0.9 for a
specific row, less for a source found by coreference or a target inside the object phrase).
`Assembler.events` dates (dating.py) and places (placing.py) a draft, fills in what coders
conventionally fill in (arguments.placed_source, arguments.domestic_target), retypes it for its
actors (typing.code_for_actors) and makes one `Event` per pair of actors (arguments.dyads), each
with its id (`event_id_of`). A pair inside one country is kept only when it joins two different
actors of that country (`one_actor_twice`): not a state and its own capital, forces or
government.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..types import Actor, Event, EventDate, Place, Sentence
from .arguments import (
    domestic_target,
    dyads,
    nominal_arguments,
    placed_source,
    refers_back,
    same,
    verb_source,
    verb_target,
)
from .candidates import complement_of
from .dating import DateResolver, tense_of
from .holders import event_day, mention_on
from .mentions import SentenceActors
from .modality import modality_of, nominal_modality, reported
from .placing import PlaceFinder
from .records import EventDraft, Found, Mention
from .typing import CameoTable, code_for_actors, nominal_code, verbal_code

# An intention the narrator tells ("will visit", "is set to campaign", "hopes to reach a deal"),
# not one its actor announces ("said it would summon the ambassador"): most are forecasts and
# plans, which real-news annotators and analysts do not take for events (scoring.py).
NARRATED_INTENT = 0.7


def verbal_event(
    cameo: CameoTable,
    actors: SentenceActors,
    item: Found,
    by_index: dict[int, Found],
    governed: dict[int, int],
) -> EventDraft | None:
    """The event of the verb trigger ITEM: its code (typing), source and target (arguments);
    None when it is none."""
    i = item.index
    rule = item.rule
    complement = complement_of(actors, item, by_index, governed)
    typed = verbal_code(cameo, actors, item, modality_of(actors, i), complement)
    if typed is None:
        return None
    code, rule_name, modality = typed
    source_mention, source_rule = verb_source(actors, i)
    if source_mention is None:
        return None
    target_mention, target_rule = verb_target(actors, i, item, complement)
    if target_mention is not None and not_its_target(actors, source_mention, target_mention):
        target_mention = None
    confidence = 0.9 - (0.05 if not rule.specificity else 0.0)
    if source_mention.resolved:
        confidence -= 0.15
    if target_rule == "inside-object":
        confidence -= 0.1
    if modality.kind == "intended" and not reported(actors, i):
        confidence *= NARRATED_INTENT
    trigger_tokens = [i] + ([item.particle_index] if item.particle_index is not None else [])
    return EventDraft(
        code=code,
        source=source_mention,
        target=target_mention,
        trigger_tokens=tuple(trigger_tokens),
        modality=modality,
        rule=f"{rule_name}:{source_rule}/{target_rule}",
        confidence=round(confidence, 2),
        anchor=i,
    )


def not_its_target(actors: SentenceActors, source: Mention, target: Mention) -> bool:
    """The source named again, its own group ("they" for the three), or an actor listed with
    it ("X and Y traded fire": Y is no target found near the verb)."""
    if same(source, target) or refers_back(source, target):
        return True
    return source.head >= 0 and target.head in actors.conjuncts(source.head)[1:]


# A noun trigger ("after a Taliban attack", "the number of US strikes", "Labour's promises")
# names an event more often than it reports one: on the BBC and conflict development sets none
# of ten noun events the coder was sure of (0.4 or more) was an event the annotators coded.
NOMINAL_CONFIDENCE = 0.5


def nominal_event(cameo: CameoTable, actors: SentenceActors, item: Found) -> EventDraft | None:
    """The event of the noun trigger ITEM ("the visit by X to Y"); None when it is none."""
    i = item.index
    rule = item.rule
    source, source_rule, target, target_rule = nominal_arguments(actors, item)
    if source is None:
        return None
    modality = nominal_modality(actors, i)
    if modality.kind in {"negated", "hypothetical"}:
        return None
    code = nominal_code(cameo, actors, item, modality)
    return EventDraft(
        code=code,
        source=source,
        target=target,
        trigger_tokens=(i,),
        modality=modality,
        rule=f"{rule.entry}:noun-{source_rule}/{target_rule}",
        confidence=NOMINAL_CONFIDENCE if not source.resolved else NOMINAL_CONFIDENCE - 0.15,
        anchor=i,
    )


class Assembler:
    """Event drafts -> Event records: each dated, placed, typed by its actors and made one event
    per pair of actors. Holds the CAMEO table, the date resolver and the place finder."""

    def __init__(self, cameo: CameoTable, dates: DateResolver, places: PlaceFinder) -> None:
        self.cameo = cameo
        self.dates = dates
        self.places = places

    def events(self, sentence: Sentence, actors: SentenceActors, draft: EventDraft) -> list[Event]:
        """The events of DRAFT, told in SENTENCE; none when its source has no country."""
        code, source, target, modality = draft.code, draft.source, draft.target, draft.modality
        trigger_tokens, rule, confidence, anchor = (
            draft.trigger_tokens,
            draft.rule,
            draft.confidence,
            draft.anchor,
        )
        self.cameo.get(code)  # fails on an unknown code, even when no pair of actors comes out
        date, source, target, place = self._dated_and_placed(
            sentence, actors, anchor, code, modality.kind, source, target
        )
        _, trigger_start, trigger_end = actors.span_text(sorted(trigger_tokens))
        trigger_text = (
            " ... ".join(actors.tokens[k].text for k in sorted(trigger_tokens))
            if len(trigger_tokens) > 1 and max(trigger_tokens) - min(trigger_tokens) > 1
            else (actors.span_text(sorted(trigger_tokens))[0])
        )
        placed = placed_source(
            source, place, actors.countries_named(), code, actors.context.story_country()
        )
        if placed is None:
            return []
        recoded = code_for_actors(actors, code, trigger_tokens, placed, target)
        if recoded is None:
            return []
        code = recoded
        source = placed
        sources = [a.country for a in source.actors if a.country]
        counterpart = actors.context.counterpart(sources, sorted(actors.countries_named()))
        target = domestic_target(
            code,
            source,
            target,
            place,
            trigger_start,
            counterpart,
            addressed=addressee_named(actors, anchor),
        )
        events = []
        for event_code, src, tgt, reciprocal in dyads(actors, code, source, target, trigger_tokens):
            if tgt is not None and one_actor_twice(src, tgt):
                continue
            told = Telling(trigger_text, trigger_start, trigger_end, date, place)
            events.append(
                self.record(
                    sentence,
                    told,
                    event_code,
                    src,
                    tgt,
                    modality.kind,
                    rule,
                    confidence,
                    reciprocal=reciprocal,
                )
            )
        return events

    def _dated_and_placed(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        anchor: int,
        code: str,
        modality: str,
        source: Mention,
        target: Mention | None,
    ) -> tuple[EventDate, Mention, Mention | None, Place | None]:
        """The date of the event at ANCHOR, its actors as coded on that date (a person holds the
        office of the event's day) and its place: the same for rule and scored events."""
        tense = "future" if modality == "intended" else tense_of(actors.tokens[anchor])
        date = self.dates.for_trigger(sentence, actors, anchor, tense)
        day = event_day(date)
        if day is not None:
            named = tuple(actors.context.countries)
            source = mention_on(source, actors.lexicon, day, named)
            if target is not None:
                target = mention_on(target, actors.lexicon, day, named)
        place = self.places.for_trigger(
            sentence,
            actors,
            anchor,
            target,
            destination=code.startswith("04") or code == "036",
            struck=code[:2] in {"17", "18", "19", "20"},
        )
        return date, source, target, place

    def scored(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        anchor: int,
        code: str,
        source: Mention,
        target: Mention | None,
        modality: str,
        rule: str,
        confidence: float,
        evidence: str,
    ) -> Event:
        """The one event the learned scorer (learned.py) chose: its trigger ANCHOR, CODE and
        actors as scored, dated, placed and with office holders coded for its date exactly as
        a rule event is. Its actors are not recoded: the model scored this pair."""
        date, source, target, place = self._dated_and_placed(
            sentence, actors, anchor, code, modality, source, target
        )
        token = actors.tokens[anchor]
        told = Telling(token.text, token.start, token.start + len(token.text), date, place)
        return self.record(
            sentence,
            told,
            code,
            source.actors[0],
            target.actors[0] if target is not None else None,
            modality,
            rule,
            confidence,
            evidence=evidence,
        )

    def record(
        self,
        sentence: Sentence,
        told: Telling,
        event_code: str,
        src: Actor,
        tgt: Actor | None,
        modality: str,
        rule: str,
        confidence: float,
        *,
        reciprocal: bool = False,
        evidence: str = "",
    ) -> Event:
        """The Event record: the one place an event is made, for the rules and the scorer."""
        info = self.cameo.get(event_code)
        event_id = event_id_of(sentence.doc_id, sentence.index, told.start, src, tgt, event_code)
        return Event(
            doc_id=sentence.doc_id,
            event_id=event_id,
            source=src,
            target=tgt,
            cameo=info.code if len(event_code) <= len(info.code) else event_code,
            plover_type=info.plover_type,
            plover_mode=info.plover_mode,
            plover_context=info.plover_context,
            goldstein=info.goldstein,
            quad_class=info.quad_class,
            date=told.date.date,
            date_precision=told.date.precision,
            date_source=told.date.source,
            location=told.place,
            sentence=sentence.text,
            sentence_index=sentence.index,
            sentence_start=sentence.start,
            sentence_end=sentence.end,
            trigger=told.trigger,
            trigger_start=told.start,
            trigger_end=told.end,
            modality=modality,
            rule=rule,
            confidence=confidence,
            mention_sentences=(sentence.index,),
            reciprocal=reciprocal,
            evidence=evidence,
        )


@dataclass(frozen=True, slots=True)
class Telling:
    """Where and when an event was told: its trigger's words and offsets, its date and place."""

    trigger: str
    start: int
    end: int
    date: EventDate
    place: Place | None


def addressee_named(actors: SentenceActors, i: int) -> bool:
    """Does the verb at I name whom it asks to act: an object with a to-infinitive ("urged
    the party to act"), or an object that is people ("urged the finance chiefs", not "urged
    restraint")?"""
    tokens = actors.tokens
    children = actors.children[i]
    objects = [c for c in children if tokens[c].dep in {"dobj", "obj", "dative"}]
    if not objects:
        return False
    if any(tokens[c].dep in {"xcomp", "ccomp"} for c in children):
        return True
    return any(
        tokens[c].tag in {"NNS", "NNPS"} or tokens[c].entity in {"PERSON", "ORG", "NORP"}
        for c in objects
    )


# Sectors that are the state itself: a country's government and armed forces act as one.
STATE_SECTORS = frozenset({"GOV", "MIL"})
# Targets domestic_target supplies for an event inside a country (the people of the place): a
# state acting on them is a domestic event. Protest against one's own government is one only when
# the protesters are not the state.
_DOMESTIC_RULES = ("rule:domestic-repression", "rule:violence-at-place", "rule:appeal-to-own")


def _is_the_country(actor: Actor) -> bool:
    """The country named as such ("Syria", "Damascus", "it" for Syria): the lexicon's own entry,
    not a group or person the rules gave a country."""
    first = actor.entry.split("+")[0]
    return (
        actor.organization is None
        and actor.name is None
        and first.startswith("countries.tsv")
        and "agents.tsv" not in actor.entry
        and "rule:" not in actor.entry
        and actor.sector in {None, *STATE_SECTORS}
    )


def _is_the_state(actor: Actor) -> bool:
    """The state or one of its arms: the country named as such (not through a pronoun), its
    government or its military."""
    if actor.organization is not None:
        return False
    if actor.sector in STATE_SECTORS:
        return True
    return actor.sector is None and _is_the_country(actor) and "coref" not in actor.entry


def one_actor_twice(source: Actor, target: Actor) -> bool:
    """A "domestic" pair that is really one actor: a source and target of the same country that
    are not two different actors inside it (government and opposition, police and protesters,
    two named politicians).

    "Damascus condemned the offensive on Syria" (the capital and the country), "the US sent its
    troops" (a state and its forces), "the Cabinet will back the minister" (the government and a
    member of it) are one actor. Two office holders with different names are two ("Blair backed
    Brown"); so are a government and the country it acts on by name ("the president promised to
    democratise Serbia"), and a target the domestic rules supplied (the people of the place),
    unless a state "protests" against its own government.
    """
    if source.country is None or source.country != target.country:
        return False
    if source.organization is not None or target.organization is not None:
        return False
    if target.entry.startswith(_DOMESTIC_RULES):
        return False
    if target.entry.startswith("rule:protest-own-government"):
        return _is_the_state(source)
    if source.name is not None and target.name is not None and source.name != target.name:
        return False
    if _is_the_country(source) and _is_the_country(target):
        return True  # the country's name, capital or adjective twice
    return _is_the_state(source) and target.sector in STATE_SECTORS


def event_id_of(
    doc_id: str, sentence: int, trigger_start: int, src: Actor, tgt: Actor | None, code: str
) -> str:
    """An event's id: a hash of where it was told (document, sentence, trigger) and what it is
    (actors, code), so that the same telling gets the same id in every run."""
    raw = f"{doc_id}|{sentence}|{trigger_start}|{src.code}|{tgt.code if tgt else ''}|{code}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]

"""Event detection and classification: triggers -> CAMEO + PLOVER events with their actors.

For every word of a parsed sentence that the trigger lexicon (lexicons/triggers.tsv) knows, the
coder finds the source and target in the dependency structure, decides the event's modality, and
codes it:

- Source: the subject; through control and raising verbs ("are scheduled to hold", "agreed to
  undertake"), shared subjects of coordinated verbs, relative clauses, and the "by" agent of a
  passive ("were signed with Russia by the minister"). Nominal events ("the visit by X to Y",
  "talks between X and Y", "Russia's attack on Y") take the source from the noun phrase.
- Target: a dative or direct object that is an actor, else the object of a target preposition
  ("to", "with", "against", "on"), else an actor inside the object phrase ("rejected North
  Korea's demand"), else the subject of a demanded clause ("demanded that the US cancel").
- Reported speech: speech verbs are not events; the reported clause is coded with its own subject
  ("X said Y did Z" is Z with Y as source). "we" in a quote is the speaker.
- Compound actors acting together with no target give both directions (reciprocal events).
- Modality: negated events give nothing (or, for triggers whose negation is itself an event, the
  row's `negated` code: "will not accept" -> REJECT); hypothetical ones ("could", "might", "may",
  "would" outside reported speech, "if" clauses) give nothing; future and planned ones ("will
  travel", "are scheduled to hold") take CAMEO's intent codes (03x).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace

from ..types import Actor, Event, EventDate, Sentence
from .appeals import requested_clause
from .arguments import (
    domestic_target,
    dyads,
    nominal_arguments,
    placed_source,
    same,
    verb_source,
    verb_target,
)
from .candidates import TriggerLexicon, complement_of, find_triggers, governed_triggers
from .dating import DateResolver, date_from_retelling, is_past_retelling, tense_of
from .mentions import DocumentContext, MentionFinder, SentenceActors
from .merging import merge_events
from .modality import (
    SPEECH_VERBS,
    modality_of,
    nominal_modality,
    obliged,
)
from .placing import PlaceFinder
from .records import EventDraft, Found, Mention, Modality
from .scoring import with_confidence
from .speech import EvaluationLexicon, statements
from .tree import subtree
from .typing import CameoTable, code_for_actors, nominal_code, verbal_code


class EventCoder:
    """Codes the sentences of one document at a time. Holds lexicons only; no state between docs."""

    def __init__(
        self,
        mentions: MentionFinder,
        triggers: TriggerLexicon,
        cameo: CameoTable,
        dates: DateResolver,
        places: PlaceFinder,
        evaluations: EvaluationLexicon | None = None,
    ) -> None:
        self.evaluations = evaluations or EvaluationLexicon()
        self.mentions = mentions
        self.triggers = triggers
        self.cameo = cameo
        self.dates = dates
        self.places = places
        self.assembler = Assembler(cameo, dates, places)

    # -- document level ---------------------------------------------------------------------

    def code_document(
        self,
        doc_id: str,
        sentences: Iterable[Sentence],
        context: DocumentContext,
        *,
        merge: bool = True,
    ) -> list[Event]:
        """The events of a document, in order; with MERGE, one event per retold event."""
        events: list[Event] = []
        for sentence in sentences:
            actors = self.mentions.analyse(sentence, context)
            dated: list[tuple[str, EventDate]] = []
            events.extend(self.code_sentence(sentence, actors, dated))
            if dated:
                events = date_from_retelling(events, sentence.index, dated)
            context.remember(actors.mentions_in(range(len(sentence.tokens))))
            context.last_subject = actors.main_subject()
        events = with_confidence(events)
        return merge_events(events) if merge else events

    # -- sentence level ---------------------------------------------------------------------

    def code_sentence(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        dated: list[tuple[str, EventDate]] | None = None,
    ) -> list[Event]:
        """The events of one sentence. DATED, if given, collects (CAMEO root, date) of triggers
        that made no event but carry a date."""
        found = find_triggers(self.triggers, sentence, actors)
        consumed: set[int] = set()
        for item in found:
            consumed |= item.object_tokens
        by_index = {item.index: item for item in found}
        governed = governed_triggers(actors, found)
        events: list[Event] = self._demanded_clauses(sentence, actors)
        for item in found:
            if item.index in governed or item.index in consumed:
                continue
            if item.rule.pos == "noun":
                made = self._nominal_event(sentence, actors, item)
            else:
                made = self._verbal_event(sentence, actors, item, by_index, governed)
            events.extend(made)
            if not made and dated is not None and is_past_retelling(actors, item):
                # An event told again without its actors may still date it ("the two
                # accords reached Apr. 27"): the document level uses that.
                date = self.dates.for_trigger(sentence, actors, item.index, "past")
                if date.source == "text":
                    dated.append((item.rule.cameo[:2], date))
        events.extend(self._statement_events(sentence, actors, events))
        return self._requests_of(sentence, actors, events)

    def _requests_of(
        self, sentence: Sentence, actors: SentenceActors, events: list[Event]
    ) -> list[Event]:
        """ "X called for Y to allow aid": a REQUEST to Y; Y allowing aid is asked, not done."""
        tokens = actors.tokens
        by_start = {t.start: i for i, t in enumerate(tokens)}
        asked: set[int] = set()
        out: list[Event] = []
        appeals = {by_start.get(e.trigger_start) for e in events if e.plover_type == "REQUEST"}
        for i, token in enumerate(tokens):
            # "called for Israel to allow aid": the parser makes "for" the clause's marker, so
            # no trigger row of "call for" matched.
            if token.lemma.lower() not in APPEAL_VERBS or i in appeals:
                continue
            requested = requested_clause(actors, i)
            subject = next((c for c in actors.children[i] if tokens[c].dep == "nsubj"), None)
            if requested is None or subject is None:
                continue
            if not any(
                tokens[c].dep == "mark" and tokens[c].text.lower() == "for"
                for c in actors.children[requested.verb]
            ):
                continue
            source, target = actors.mention(subject), actors.mention(requested.subject)
            modality = modality_of(actors, i)
            if source is None or target is None or same(source, target):
                continue
            if modality.kind not in {"asserted", "intended"}:
                continue
            asked.add(tokens[requested.verb].start)
            out.extend(
                self.assembler.events(
                    sentence,
                    actors,
                    EventDraft(
                        code="020",
                        source=source,
                        target=target,
                        trigger_tokens=(i,),
                        modality=modality,
                        rule="rule:appeal-for:subject/requested-subject",
                        confidence=0.85,
                        anchor=i,
                    ),
                )
            )
        for event in events:
            index = by_start.get(event.trigger_start)
            if event.plover_type != "REQUEST" or index is None:
                out.append(event)
                continue
            requested = requested_clause(actors, index)
            if requested is None:
                out.append(event)
                continue
            asked.add(tokens[requested.verb].start)
            target = actors.mention(requested.subject)
            if event.target is not None or target is None:
                out.append(event)
                continue
            for actor in target.actors:
                if actor.key == event.source.key and actor.sector == event.source.sector:
                    continue
                out.append(
                    replace(
                        event,
                        target=actor,
                        rule=event.rule.rsplit("/", 1)[0] + "/requested-subject",
                        event_id=event_id_of(
                            sentence.doc_id,
                            sentence.index,
                            event.trigger_start,
                            event.source,
                            actor,
                            event.cameo,
                        ),
                    )
                )
        return [e for e in out if e.trigger_start not in asked]

    def _statement_events(
        self, sentence: Sentence, actors: SentenceActors, made: list[Event]
    ) -> list[Event]:
        """ "X said Y had failed": X criticising (or praising) Y, when what X said is not an
        event of its own (speech.py)."""
        out: list[Event] = []
        tokens = actors.tokens
        for statement in statements(actors, self.evaluations):
            span = subtree(actors, statement.clause)
            low, high = tokens[min(span)].start, tokens[max(span)].start + 1
            # What was said is an event with a target of its own ("said Y bombed Z"): that
            # event is coded, not the saying. A monadic one ("said Y had violated the treaty")
            # leaves the accusation of Y.
            if any(
                (low <= e.trigger_start < high and e.target is not None)
                or e.trigger_start == tokens[statement.verb].start
                for e in made + out
            ):
                continue
            modality = modality_of(actors, statement.verb)
            if modality.kind != "asserted":
                continue
            source = actors.mention(statement.subject)
            target = actors.mention(statement.target)
            if source is None or target is None or same(source, target):
                continue
            if not all(_speaks_for_a_polity(a) for a in source.actors):
                continue  # an expert's or a trader's opinion is not a political act
            if not (_names_an_actor(actors, source) and _names_an_actor(actors, target)):
                continue  # "a US-based expert", "many of the countries": not the actors named
            out.extend(
                self.assembler.events(
                    sentence,
                    actors,
                    EventDraft(
                        code=statement.code,
                        source=source,
                        target=target,
                        trigger_tokens=(statement.verb,),
                        modality=modality,
                        rule=f"rule:statement:subject/{statement.target_rule}",
                        confidence=0.8,
                        anchor=statement.verb,
                    ),
                )
            )
        return out

    def _demanded_clauses(self, sentence: Sentence, actors: SentenceActors) -> list[Event]:
        """ "X said (that) Y must do Z" is X demanding of Y (CAMEO 100)."""
        tokens = actors.tokens
        events: list[Event] = []
        for i, token in enumerate(tokens):
            if token.pos != "VERB" or token.lemma.lower() not in SPEECH_VERBS | {"reiterate"}:
                continue
            subject = next((c for c in actors.children[i] if tokens[c].dep == "nsubj"), None)
            if subject is None:
                continue
            for clause in actors.children[i]:
                if tokens[clause].dep != "ccomp" or not obliged(actors, clause):
                    continue
                target_head = next(
                    (c for c in actors.children[clause] if tokens[c].dep in {"nsubj", "nsubjpass"}),
                    None,
                )
                source = actors.mention(subject)
                target = actors.mention(target_head) if target_head is not None else None
                if source is None or target is None or same(source, target):
                    continue
                # "said Y should have acted sooner": blame for the past, not a demand.
                blamed = any(
                    tokens[c].dep == "aux" and tokens[c].lemma.lower() == "have"
                    for c in actors.children[clause]
                )
                events.extend(
                    self.assembler.events(
                        sentence,
                        actors,
                        EventDraft(
                            code="111" if blamed else "100",
                            source=source,
                            target=target,
                            trigger_tokens=(i,),
                            modality=Modality("asserted", "obligation"),
                            rule="rule:said-must:subject/clause-subject",
                            confidence=0.7,
                            anchor=clause,
                        ),
                    )
                )
        return events

    # -- verbal events ----------------------------------------------------------------------

    def _verbal_event(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        item: Found,
        by_index: dict[int, Found],
        governed: dict[int, int],
    ) -> list[Event]:
        i = item.index
        rule = item.rule
        complement = complement_of(actors, item, by_index, governed)
        typed = verbal_code(self.cameo, actors, item, modality_of(actors, i), complement)
        if typed is None:
            return []
        code, rule_name, modality = typed
        source_mention, source_rule = verb_source(actors, i)
        if source_mention is None:
            return []
        target_mention, target_rule = verb_target(actors, i, item, complement)
        if target_mention is not None and same(source_mention, target_mention):
            target_mention = None
        confidence = 0.9 - (0.05 if not rule.specificity else 0.0)
        if source_mention.resolved:
            confidence -= 0.15
        if target_rule == "inside-object":
            confidence -= 0.1
        trigger_tokens = [i] + ([item.particle_index] if item.particle_index is not None else [])
        return self.assembler.events(
            sentence,
            actors,
            EventDraft(
                code=code,
                source=source_mention,
                target=target_mention,
                trigger_tokens=tuple(trigger_tokens),
                modality=modality,
                rule=f"{rule_name}:{source_rule}/{target_rule}",
                confidence=round(confidence, 2),
                anchor=i,
            ),
        )

    # -- nominal events ---------------------------------------------------------------------

    def _nominal_event(
        self, sentence: Sentence, actors: SentenceActors, item: Found
    ) -> list[Event]:
        i = item.index
        rule = item.rule
        source, source_rule, target, target_rule = nominal_arguments(actors, item)
        if source is None:
            return []
        modality = nominal_modality(actors, i)
        if modality.kind in {"negated", "hypothetical"}:
            return []
        code = nominal_code(self.cameo, actors, item, modality)
        return self.assembler.events(
            sentence,
            actors,
            EventDraft(
                code=code,
                source=source,
                target=target,
                trigger_tokens=(i,),
                modality=modality,
                rule=f"{rule.entry}:noun-{source_rule}/{target_rule}",
                confidence=0.75 if not source.resolved else 0.6,
                anchor=i,
            ),
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
        tense = "future" if modality.kind == "intended" else tense_of(actors.tokens[anchor])
        date = self.dates.for_trigger(sentence, actors, anchor, tense)
        place = self.places.for_trigger(
            sentence,
            actors,
            anchor,
            target,
            destination=code.startswith("04") or code == "036",
            struck=code[:2] in {"17", "18", "19", "20"},
        )
        _, trigger_start, trigger_end = actors.span_text(sorted(trigger_tokens))
        trigger_text = (
            " ... ".join(actors.tokens[k].text for k in sorted(trigger_tokens))
            if len(trigger_tokens) > 1 and max(trigger_tokens) - min(trigger_tokens) > 1
            else (actors.span_text(sorted(trigger_tokens))[0])
        )
        placed = placed_source(source, place, actors.countries_named())
        if placed is None:
            return []
        recoded = code_for_actors(actors, code, trigger_tokens, placed, target)
        if recoded is None:
            return []
        code = recoded
        source = placed
        target = domestic_target(code, source, target, place, trigger_start)
        events = []
        for event_code, src, tgt, reciprocal in dyads(actors, code, source, target, trigger_tokens):
            info = self.cameo.get(event_code)
            event_id = event_id_of(
                sentence.doc_id, sentence.index, trigger_start, src, tgt, event_code
            )
            events.append(
                Event(
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
                    date=date.date,
                    date_precision=date.precision,
                    date_source=date.source,
                    location=place,
                    sentence=sentence.text,
                    sentence_index=sentence.index,
                    sentence_start=sentence.start,
                    sentence_end=sentence.end,
                    trigger=trigger_text,
                    trigger_start=trigger_start,
                    trigger_end=trigger_end,
                    modality=modality.kind,
                    rule=rule,
                    confidence=confidence,
                    mention_sentences=(sentence.index,),
                    reciprocal=reciprocal,
                )
            )
        return events


# -- helpers ------------------------------------------------------------------------------------


# Verbs of appeal whose "for X to do Y" clause names whom they address.
APPEAL_VERBS = frozenset({"call", "appeal", "press", "push", "plead", "lobby"})

# Sectors whose statements are political acts: governments, parties, legislators, courts,
# forces, opposition, rebels.
POLITICAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "OPP", "PTY", "MIL", "COP", "REB"})


def _names_an_actor(actors: SentenceActors, mention: Mention) -> bool:
    """Is the phrase's head itself a name, an agent word or a pronoun ("Russia", "the
    minister", "he"), not a thing described by one ("a US-based expert")?"""
    head = mention.head
    if head < 0:
        return False
    token = actors.tokens[head]
    return (
        actors.is_name(head)
        or head in actors.agent_at
        or token.pos == "PRON"
        or token.entity == "PERSON"
        or mention.resolved
    )


def _speaks_for_a_polity(actor: Actor) -> bool:
    """A country by name, an organisation, or someone of a political sector."""
    if actor.organization:
        return True
    if actor.sector is None:
        return bool(actor.country) and not actor.name and "rule:" not in actor.entry
    return actor.sector in POLITICAL_SECTORS


def event_id_of(
    doc_id: str, sentence: int, trigger_start: int, src: Actor, tgt: Actor | None, code: str
) -> str:
    raw = f"{doc_id}|{sentence}|{trigger_start}|{src.code}|{tgt.code if tgt else ''}|{code}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]

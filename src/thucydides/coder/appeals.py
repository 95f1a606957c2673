"""What an appeal asks for: "called for Israel to allow aid" is a REQUEST to Israel.

The clause an appeal asks for ("for X to do Y", "on X to do Y") names the appeal's target X and
an action Y that is asked for, not done: the caller codes the appeal with target X and drops
the events of Y. Found from the parse: a clause of the appeal word (or, for a noun such as
"demand", of the verb it belongs to) that is an infinitive with its own subject after "for",
or "for X" followed by such an infinitive. `requests_of` applies this to a sentence's events
and codes the appeals no trigger row matched ("called for Israel to allow aid"). `wishes` codes
wanting an actor to act ("want the government to withdraw", "it was time for X to apologise")
as a request to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..types import Event, Sentence
from .arguments import same
from .assembly import event_id_of
from .mentions import SentenceActors
from .modality import SPEECH_VERBS, modality_of
from .records import EventDraft, Modality
from .speech import names_an_actor

CLAUSE_DEPS = frozenset({"advcl", "ccomp", "xcomp", "acl"})
# Verbs of appeal whose "for X to do Y" clause names whom they address.
APPEAL_VERBS = frozenset({"call", "appeal", "press", "push", "plead", "lobby"})


# Verbs of wanting whose object is asked to act ("want the government to withdraw").
WISHING_VERBS = frozenset({"want", "like"})


@dataclass(frozen=True, slots=True)
class Requested:
    subject: int  # the one asked (X)
    verb: int  # what X is asked to do (Y)


def _infinitive(actors: SentenceActors, verb: int) -> bool:
    return any(
        actors.tokens[c].dep == "aux" and actors.tokens[c].text.lower() == "to"
        for c in actors.children[verb]
    )


def requested_clause(actors: SentenceActors, trigger: int) -> Requested | None:
    """The "for X to Y" an appeal at TRIGGER asks for, if the parse shows one."""
    tokens = actors.tokens
    owners = [trigger]
    if tokens[trigger].pos == "NOUN" and tokens[trigger].head != trigger:
        owners.append(tokens[trigger].head)  # "repeated its demand for Turkey to recognise"
    for owner in owners:
        for clause in actors.children[owner]:
            if tokens[clause].dep not in CLAUSE_DEPS or not _infinitive(actors, clause):
                continue
            subject = next(
                (c for c in actors.children[clause] if tokens[c].dep in {"nsubj", "nsubjpass"}),
                None,
            )
            if subject is not None and subject < clause:
                return Requested(subject, clause)
            # "demand for Turkey to recognise": the subject hangs on "for" under the appeal.
            for prep in actors.children[trigger]:
                if tokens[prep].dep == "prep" and tokens[prep].text.lower() in {"for", "on"}:
                    pobj = next((c for c in actors.children[prep] if tokens[c].dep == "pobj"), None)
                    if pobj is not None and pobj < clause:
                        return Requested(pobj, clause)
    return None


def _asked_subject(actors: SentenceActors, i: int) -> int | None:
    """Who a verb of wanting at I wants to act: its object with a to-clause ("want the
    government to withdraw"), or the subject of its to-clause."""
    tokens = actors.tokens
    children = actors.children[i]
    clauses = [
        c
        for c in children
        if tokens[c].dep in {"xcomp", "ccomp"}
        and tokens[c].pos in {"VERB", "AUX"}
        and _infinitive(actors, c)
    ]  # a to-clause: "want the embargo lifted" is not asked of the embargo
    if not clauses:
        return None
    for c in children:
        if tokens[c].dep in {"dobj", "obj"}:
            return c
    for clause in clauses:
        for c in actors.children[clause]:
            if tokens[c].dep in {"nsubj", "nsubjpass"}:
                return c
    return None


def _time_for(actors: SentenceActors, i: int) -> tuple[int | None, int | None, int]:
    """ "X said it was time for Y to V" at the noun "time" I: (Y, X, the speech verb)."""
    tokens = actors.tokens
    asked = next(
        (
            s
            for c in actors.children[i]
            if tokens[c].dep in {"relcl", "acl", "advcl"}
            and any(
                tokens[m].dep == "mark" and tokens[m].text.lower() == "for"
                for m in actors.children[c]
            )
            for s in actors.children[c]
            if tokens[s].dep == "nsubj"
        ),
        None,
    )
    clause = tokens[i].head
    speech = tokens[clause].head
    if tokens[clause].dep != "ccomp" or tokens[speech].lemma.lower() not in SPEECH_VERBS:
        return asked, None, i
    subject = next((c for c in actors.children[speech] if tokens[c].dep == "nsubj"), None)
    return asked, subject, speech


def wishes(actors: SentenceActors) -> list[EventDraft]:
    """ "X wants Y to withdraw", "X would like Y to reflect", "X said it was time for Y to
    apologise": X asks Y (CAMEO 020). What Y is asked to do is not done: requests_of drops it
    when the parse shows the clause."""
    tokens = actors.tokens
    drafts: list[EventDraft] = []
    for i, token in enumerate(tokens):
        lemma = token.lemma.lower()
        asked: int | None = None
        subject: int | None = None
        anchor = i
        if lemma in WISHING_VERBS and token.pos in {"VERB", "AUX"}:
            if lemma == "like" and not any(
                tokens[c].dep == "aux" and tokens[c].text.lower() in {"would", "'d"}
                for c in actors.children[i]
            ):
                continue  # "like" only as "would like"
            subject = next((c for c in actors.children[i] if tokens[c].dep == "nsubj"), None)
            asked = _asked_subject(actors, i)
        elif lemma == "time" and token.dep == "attr":
            asked, subject, anchor = _time_for(actors, i)
        if asked is None or subject is None:
            continue
        source, target = actors.mention(subject), actors.mention(asked)
        if source is None or target is None or same(source, target):
            continue
        if not names_an_actor(actors, target) or tokens[asked].lemma.lower() == "people":
            continue  # "want the EU budget to be capped", "want more people to come"
        if modality_of(actors, anchor).kind not in {"asserted", "intended"}:
            continue
        drafts.append(
            EventDraft(
                code="020",
                source=source,
                target=target,
                trigger_tokens=(anchor,),
                modality=Modality("asserted", "wish"),
                rule="rule:wish:subject/requested-subject",
                confidence=0.8,
                anchor=anchor,
            )
        )
    return drafts


def requests_of(
    sentence: Sentence,
    actors: SentenceActors,
    events: list[Event],
    assemble: Callable[[EventDraft], list[Event]],
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
        if source is None or (target is not None and same(source, target)):
            continue
        if modality.kind not in {"asserted", "intended"}:
            continue
        asked.add(tokens[requested.verb].start)
        # "called for an independent body to be set up": asked of no one named (the
        # conventions may give it to the source's government).
        how = "requested-subject" if target is not None else "none"
        out.extend(
            assemble(
                EventDraft(
                    code="020",
                    source=source,
                    target=target,
                    trigger_tokens=(i,),
                    modality=modality,
                    rule=f"rule:appeal-for:subject/{how}",
                    confidence=0.85,
                    anchor=i,
                )
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

"""Speech acts told as reported statements: "X said Y had failed" is X criticising Y.

A speech verb (say, claim, insist, tell ...) with a subject that is an actor, whose statement
(its ccomp, or the main clause it is a parataxis of: "Y has failed, X claimed") names another
actor and uses an evaluative word of lexicons/evaluations.tsv, is an accusation (negative) or
praise (positive) of that actor. A statement that reports an event of its own ("X said Y bombed
Z") is that event, not an accusation: `statement_events` leaves out clauses that already made
one. A speaker saying another actor must act ("X said Y must withdraw") is a demand of Y
(`demanded_clauses`; "should have acted" is blame).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..lexicon import load_table
from ..types import Actor, Event
from .arguments import same
from .mentions import SentenceActors
from .modality import SPEECH_VERBS, modality_of, obliged
from .records import EventDraft, Mention, Modality

# Verbs whose statement can accuse or praise; "think", "estimate" report belief, not an act.
STATEMENT_VERBS = frozenset(
    {"say", "tell", "claim", "insist", "argue", "declare", "state", "allege", "charge"}
    | {"complain", "warn", "add", "write", "stress", "maintain", "assert", "contend", "suggest"}
)
# Verbs that charge what they say against its subject, evaluative words or not.
CLAIMING_VERBS = frozenset({"claim", "allege", "charge", "complain"})
# CAMEO codes of the two kinds of statement.
CRITICISM_CODE = "111"
PRAISE_CODE = "051"


class EvaluationLexicon:
    """lexicons/evaluations.tsv: lemma -> "negative" or "positive"."""

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self.polarity: dict[str, str] = {}
        for row in load_table("evaluations.tsv", ("lemma", "polarity"), lexicon_dir):
            lemma, polarity = row.values["lemma"].strip().lower(), row.values["polarity"].strip()
            if lemma and polarity in {"negative", "positive"}:
                self.polarity[lemma] = polarity


@dataclass(frozen=True, slots=True)
class Statement:
    verb: int  # the speech verb
    subject: int  # its subject (the speaker)
    clause: int  # head of what was said
    target: int  # head of the actor the statement is about
    code: str  # CRITICISM_CODE or PRAISE_CODE
    target_rule: str  # how the target was found: "clause-subject" or "clause-mention"


def subtree(actors: SentenceActors, i: int) -> list[int]:
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(actors.children[j])
    return sorted(out)


def statements(actors: SentenceActors, lexicon: EvaluationLexicon) -> Iterator[Statement]:
    """Evaluative statements of one sentence about an actor other than the speaker."""
    tokens = actors.tokens
    for i, token in enumerate(tokens):
        if token.pos not in {"VERB", "AUX"} or token.lemma.lower() not in STATEMENT_VERBS:
            continue
        subject = next((c for c in actors.children[i] if tokens[c].dep == "nsubj"), None)
        if subject is None:
            continue
        clauses = [c for c in actors.children[i] if tokens[c].dep == "ccomp"]
        if not clauses and token.dep in {"parataxis", "ccomp"} and token.head != i:
            clauses = [token.head]  # "Y has failed, X claimed"
        for clause in clauses:
            if clause == token.head:
                own = set(subtree(actors, i))
                words = [j for j in subtree(actors, clause) if j not in own]
            else:
                words = subtree(actors, clause)
            polarities = {lexicon.polarity.get(tokens[j].lemma.lower()) for j in words}
            polarities |= {lexicon.polarity.get(tokens[j].text.lower()) for j in words}
            polarities.discard(None)
            if not polarities and token.lemma.lower() in CLAIMING_VERBS:
                # "Y has broken its promise, X claimed": a claim about another actor charges it.
                polarities = {"negative"}
            if len(polarities) != 1:
                continue  # none, or praise and blame mixed: not clear
            code = CRITICISM_CODE if "negative" in polarities else PRAISE_CODE
            clause_subject = next(
                (c for c in actors.children[clause] if tokens[c].dep in {"nsubj", "nsubjpass"}),
                None,
            )
            # Only the statement's subject is its target: an actor named elsewhere in it ("do
            # not buy insurance, such as Indonesia") is not what is judged.
            if clause_subject is not None and actors.mention(clause_subject) is not None:
                yield Statement(i, subject, clause, clause_subject, code, "clause-subject")
                continue
            # No actor as its subject ("the document offers a return to a failed Tory past"):
            # an actor in the same phrase as the evaluative word is what is judged, one only.
            evaluative = [
                j
                for j in words
                if lexicon.polarity.get(tokens[j].lemma.lower())
                or lexicon.polarity.get(tokens[j].text.lower())
            ]
            judged = {
                j
                for j in words
                if actors.mention(j) is not None
                and j != subject
                and any(_same_phrase(actors, j, e) for e in evaluative)
            }
            # "a failed Tory past" is a mention at "Tory", "past" and "to": one actor, judged
            # once, at its name; two different actors judged together are not clear.
            judged_actors = {
                tuple((a.key, a.name) for a in m.actors)
                for j in judged
                if (m := actors.mention(j)) is not None
            }
            if len(judged_actors) == 1:
                named = [j for j in sorted(judged) if actors.is_name(j)]
                target = named[0] if named else min(judged)
                yield Statement(i, subject, clause, target, code, "clause-mention")


def _same_phrase(actors: SentenceActors, a: int, b: int) -> bool:
    """A and B modify each other or the same noun ("failed Tory past", "Tory failure")."""
    tokens = actors.tokens
    if a == b:
        return False
    return (
        tokens[a].head == b
        or tokens[b].head == a
        or (
            tokens[a].head == tokens[b].head
            and tokens[a].dep in {"amod", "compound", "poss", "nmod"}
            and tokens[b].dep in {"amod", "compound"}
        )
    )


def statement_events(
    actors: SentenceActors,
    lexicon: EvaluationLexicon,
    made: list[Event],
    assemble: Callable[[EventDraft], list[Event]],
) -> list[Event]:
    """ "X said Y had failed": X criticising (or praising) Y, when what X said is not an
    event of its own among MADE (the sentence's events so far). ASSEMBLE makes a draft into
    events (Assembler.events for this sentence)."""
    out: list[Event] = []
    tokens = actors.tokens
    for statement in statements(actors, lexicon):
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
            assemble(
                EventDraft(
                    code=statement.code,
                    source=source,
                    target=target,
                    trigger_tokens=(statement.verb,),
                    modality=modality,
                    rule=f"rule:statement:subject/{statement.target_rule}",
                    confidence=0.8,
                    anchor=statement.verb,
                )
            )
        )
    return out


def demanded_clauses(actors: SentenceActors) -> list[EventDraft]:
    """ "X said (that) Y must do Z" is X demanding of Y (CAMEO 100)."""
    tokens = actors.tokens
    drafts: list[EventDraft] = []
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
            drafts.append(
                EventDraft(
                    code="111" if blamed else "100",
                    source=source,
                    target=target,
                    trigger_tokens=(i,),
                    modality=Modality("asserted", "obligation"),
                    rule="rule:said-must:subject/clause-subject",
                    confidence=0.7,
                    anchor=clause,
                )
            )
    return drafts


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

"""Speech acts told as reported statements: "X said Y had failed" is X criticising Y.

A speech verb (say, claim, insist, tell ...) with a subject that is an actor, whose statement
(its ccomp, or the main clause it is a parataxis of: "Y has failed, X claimed") names another
actor and uses an evaluative word of lexicons/evaluations.tsv, is an accusation (negative) or
praise (positive) of that actor. The actor judged is the statement's subject ("Y had failed"),
the owner of a subject that is a thing ("Y's plans were dangerous"), the actor an evaluative word
is about ("she was proud of Y", "sceptical about Y's promises"), or the one actor in the
evaluative word's phrase ("a failed Y past"); never the speaker. A statement that reports an
event of its own ("X said Y bombed Z") is that event, not an accusation: `statement_events`
leaves out clauses that already made one. A speaker saying another actor must act ("X said Y
must withdraw") is a demand of Y (`demanded_clauses`; "should have acted" is blame).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..lexicon import load_table
from ..types import Actor, Event, Token
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
    """lexicons/evaluations.tsv: lemma -> "negative" or "positive"; a row of several lemmas is an
    idiom whose words must all occur in the statement ("drag heel": "dragging its heels")."""

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self.polarity: dict[str, str] = {}
        self.phrases: dict[tuple[str, ...], str] = {}
        for row in load_table("evaluations.tsv", ("lemma", "polarity"), lexicon_dir):
            words = tuple(row.values["lemma"].lower().split())
            polarity = row.values["polarity"].strip()
            if not words or polarity not in {"negative", "positive"}:
                continue
            if len(words) == 1:
                self.polarity[words[0]] = polarity
            else:
                self.phrases[words] = polarity

    def evaluative(self, actors: SentenceActors, words: list[int]) -> dict[int, str]:
        """The tokens among WORDS that evaluate, with their polarity."""
        tokens = actors.tokens
        out: dict[int, str] = {}
        for j in words:
            polarity = self.polarity.get(tokens[j].lemma.lower()) or self.polarity.get(
                tokens[j].text.lower()
            )
            if polarity:
                out[j] = polarity
        ordered = sorted(words)
        for phrase, idiom_polarity in self.phrases.items():
            # The idiom's words in order, close together ("dragging its heels", "let the
            # voters down"): a few words may come between.
            for start, j in enumerate(ordered):
                if not _is_word(tokens[j], phrase[0]):
                    continue
                found, last = [j], j
                for word in phrase[1:]:
                    last = next(
                        (k for k in ordered[start + 1 :] if k > last and _is_word(tokens[k], word)),
                        -1,
                    )
                    if last < 0:
                        break
                    found.append(last)
                if last >= 0 and found[-1] - found[0] <= len(phrase) + 2:
                    for k in found:
                        out.setdefault(k, idiom_polarity)
                    break
        return out


def _is_word(token: Token, word: str) -> bool:
    return token.lemma.lower() == word or token.text.lower() == word


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
            evaluative = lexicon.evaluative(actors, words)
            polarities = set(evaluative.values())
            if not polarities and token.lemma.lower() in CLAIMING_VERBS:
                # "Y has broken its promise, X claimed": a claim about another actor charges it.
                polarities = {"negative"}
            if len(polarities) != 1:
                continue  # none, or praise and blame mixed: not clear
            if any(tokens[c].dep == "neg" for c in actors.children[clause]):
                # "said Y had not been a constructive partner" blames Y. (A denied blame stays
                # blame: "said Y has not done enough to stop unfair practices".)
                polarities = {"negative"}
            code = CRITICISM_CODE if "negative" in polarities else PRAISE_CODE
            clause_subject = next(
                (c for c in actors.children[clause] if tokens[c].dep in {"nsubj", "nsubjpass"}),
                None,
            )
            speaker = actors.mention(subject)
            found = _judged(actors, sorted(evaluative), clause_subject, words, subject, speaker)
            if found is not None:
                target, rule = found
                yield Statement(i, subject, clause, target, code, rule)


def _same_actor(a: Mention | None, b: Mention | None) -> bool:
    """Do A and B stand for the same actors ("Ms Hewitt said she was proud"), not just the
    same country ("Labour said the Tories ...")?"""
    if a is None or b is None:
        return False

    def who(m: Mention) -> set[tuple[str, str | None, str | None]]:
        return {(x.key, x.sector, x.name) for x in m.actors}

    return who(a) == who(b)


def _other(actors: SentenceActors, j: int, speaker: Mention | None) -> bool:
    """Is J an actor other than the speaker?"""
    mention = actors.mention(j)
    return mention is not None and not _same_actor(mention, speaker)


# What a phrase's owner does to it: "the government's plans", "Labour's tax promises".
_OWNER_DEPS = frozenset({"poss", "compound", "amod", "nmod"})
# Prepositions after an evaluative word that name what it judges ("sceptical about", "proud of",
# "at odds with", "critical of", "angry over").
_JUDGING_PREPS = frozenset({"about", "of", "with", "over", "on", "towards", "toward", "at"})


def _owners(actors: SentenceActors, head: int) -> list[int]:
    """HEAD, else the actors that own or describe it ("Blair's prediction" -> Blair; "Labour
    and Conservative promises" -> Labour, Conservative)."""
    tokens = actors.tokens
    mention = actors.mention(head)
    if mention is not None and (
        actors.is_name(head)
        or head in actors.agent_at
        or tokens[head].pos == "PRON"
        or tokens[head].entity == "PERSON"
        or mention.resolved
    ):
        return [head]
    out = []
    for child in actors.children[head]:
        if tokens[child].dep in _OWNER_DEPS and actors.mention(child) is not None:
            out.append(child)
    return out


def _judged(
    actors: SentenceActors,
    evaluative: list[int],
    clause_subject: int | None,
    words: list[int],
    subject: int,
    speaker: Mention | None,
) -> tuple[int, str] | None:
    """The actor a statement judges, and how it was found: the clause's subject ("Y had
    failed"); the owner of a subject that is a thing ("Y's plans had failed"); the actor named
    after the evaluative word ("was proud of Y", "sceptical about Y's promises"); or the one
    actor in the evaluative word's own phrase ("a failed Tory past"). Not the speaker."""
    tokens = actors.tokens
    # Only the statement's subject is its target: an actor named elsewhere in it ("do not buy
    # insurance, such as Indonesia") is not what is judged.
    # What judges the subject is said of it, not words inside it ("the police's job against
    # crime would be easier" does not blame the police).
    inside = set(subtree(actors, clause_subject)) if clause_subject is not None else set()
    # (A claim, "X claimed Y was behind the blast", charges its subject with no such word.)
    if clause_subject is not None and (not evaluative or any(e not in inside for e in evaluative)):
        # A thing as the subject ("the government's plans were flawed") is its owner's.
        owners = [j for j in _owners(actors, clause_subject) if _other(actors, j, speaker)]
        if owners:
            how = "clause-subject" if owners[0] == clause_subject else "subject-owner"
            return owners[0], how
    # "she was proud of the UK's games industry": the speaker's own feeling about another.
    for e in evaluative:
        for prep in actors.children[e]:
            if tokens[prep].dep != "prep" or tokens[prep].text.lower() not in _JUDGING_PREPS:
                continue
            for pobj in actors.children[prep]:
                if tokens[pobj].dep != "pobj":
                    continue
                named = [j for j in _owners(actors, pobj) if _other(actors, j, speaker)]
                if named:
                    return named[0], "evaluated-object"
    # No actor as its subject ("the document offers a return to a failed Tory past"): an actor
    # in the same phrase as the evaluative word is what is judged, one only.
    judged = {
        j
        for j in words
        if actors.mention(j) is not None
        and j != subject
        and any(_same_phrase(actors, j, e) for e in evaluative)
    }
    # "a failed Tory past" is a mention at "Tory", "past" and "to": one actor, judged once, at
    # its name; two different actors judged together are not clear.
    judged_actors = {
        tuple((a.key, a.name) for a in m.actors)
        for j in judged
        if (m := actors.mention(j)) is not None
    }
    if len(judged_actors) == 1:
        named = [j for j in sorted(judged) if actors.is_name(j)]
        return (named[0] if named else min(judged)), "clause-mention"
    return None


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
        if not (names_an_actor(actors, source) and names_an_actor(actors, target)):
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


# Verbs of what befalls an actor, not what it does: "X should recover" forecasts, it does not
# demand.
OUTCOME_VERBS = frozenset(
    {"emerge", "recover", "grow", "rise", "fall", "improve", "remain", "benefit", "suffer"}
    | {"survive", "slow", "weaken", "strengthen", "expand", "shrink", "decline", "prosper"}
    | {"struggle", "face", "see", "experience", "become", "gain", "lose", "thrive", "rebound"}
)


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
            if target.head != target_head or not names_an_actor(actors, target):
                continue  # "the economies of X should recover": a forecast about a thing
            if tokens[clause].lemma.lower() in OUTCOME_VERBS:
                continue  # "the affected countries should emerge unscathed": a forecast
            if any(_unknown_body(a) for a in source.actors):
                continue  # a think tank's "X would need to" is advice, not a demand
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
POLITICAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "OPP", "PTY", "MIL", "COP", "REB", "ELI"})


def names_an_actor(actors: SentenceActors, mention: Mention) -> bool:
    """Is the phrase's head itself a name, an agent word or a pronoun ("Russia", "the
    minister", "he"), not a thing described by one ("a US-based expert")?"""
    head = mention.head
    if head < 0:
        return False
    token = actors.tokens[head]
    return (
        actors.is_name(head)
        or actors.is_organization(head)
        or head in actors.agent_at
        or token.pos == "PRON"
        or token.entity == "PERSON"
        or mention.resolved
    )


def _unknown_body(actor: Actor) -> bool:
    """An organisation the lexicons do not name, known only by its name ("the Fiscal Studies
    Institute"), without a sector that says what it is."""
    return actor.sector is None and "rule:org-entity" in actor.entry


def _speaks_for_a_polity(actor: Actor) -> bool:
    """A country by name, an organisation, or someone of a political sector."""
    if actor.organization:
        return True
    if actor.sector is None:
        if actor.name and "rule:story-country" in actor.entry:
            # "Mr Leigh", "Ms Hewitt": someone the story names with a title, whose office the
            # lexicons do not know, speaks for a side of the story's country.
            return bool(actor.country)
        return bool(actor.country) and not actor.name and "rule:" not in actor.entry
    return actor.sector in POLITICAL_SECTORS

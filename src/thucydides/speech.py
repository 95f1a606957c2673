"""Speech acts told as reported statements: "X said Y had failed" is X criticising Y.

A speech verb (say, claim, insist, tell ...) with a subject that is an actor, whose statement
(its ccomp, or the main clause it is a parataxis of: "Y has failed, X claimed") names another
actor and uses an evaluative word of lexicons/evaluations.tsv, is an accusation (negative) or
praise (positive) of that actor. The actor judged is the statement's subject ("Y had failed"),
the owner of a subject that is a thing ("Y's plans were dangerous"), the actor an evaluative word
is about ("she was proud of Y", "sceptical about Y's promises"), or the one actor in the
evaluative word's phrase ("a failed Y past"); never the speaker. A statement that reports an
event of its own ("X said Y bombed Z") is that event, not an accusation: the caller leaves out
clauses that already made one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .lexicon import load_table
from .mentions import Mention, SentenceActors
from .types import Token

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

"""Speech acts told as reported statements: "X said Y had failed" is X criticising Y.

A speech verb (say, claim, insist, tell ...) with a subject that is an actor, whose statement
(its ccomp, or the main clause it is a parataxis of: "Y has failed, X claimed") names another
actor and uses an evaluative word of lexicons/evaluations.tsv, is an accusation (negative) or
praise (positive) of that actor. A statement that reports an event of its own ("X said Y bombed
Z") is that event, not an accusation: the caller leaves out clauses that already made one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..lexicon import load_table
from .mentions import SentenceActors

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

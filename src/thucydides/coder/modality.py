"""Modality: whether the text tells a trigger as done, planned, denied or supposed.

`modality_of` walks from a verb trigger up through the verbs that govern it and collects what
they say of it: a negation ("did not sign", "failed to reach", "no country signed"), a modal or
condition ("could attack", "if X attacks", "would attack unless"), a question ("asked whether",
"Did X attack?"), someone's prediction ("is tipped to", "analysts expect X to"), an intention
or plan ("will visit", "plans to visit", "is ready to"). A speech verb ends the walk: what a
speaker says is asserted unless its own clause says more. `nominal_modality` does the same for
a noun trigger ("the proposed visit", "postponed the talks"). `obliged` and `reported` tell a
"said X must ..." demand and reported speech.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from .records import Modality

if TYPE_CHECKING:
    from .mentions import SentenceActors

# Verbs of saying: the subject of one is the speaker of its quote ("we", "I").
SPEECH_VERBS = frozenset(
    {
        *("say", "tell", "announce", "confirm", "state", "report", "add", "note", "claim"),
        *("insist", "explain", "declare", "reiterate", "stress", "emphasize", "emphasise"),
        *("indicate", "suggest", "write", "quote", "reveal", "acknowledge", "admit", "argue"),
        *("believe", "think", "feel", "know", "understand", "reckon", "estimate", "predict"),
        *("hear", "learn", "disclose", "assert", "maintain", "observe", "remark", "mention"),
        "comment",
    }
)
# Verbs that make their complement planned or intended ("plan to visit", "scheduled to hold").
INTENT_VERBS = frozenset(
    [
        "plan",
        "schedule",
        "intend",
        "prepare",
        "expect",
        "hope",
        "look",
        "seek",
        "aim",
        "set",
        "slate",
        "want",
        "wish",
        "decide",
        "arrange",
        "vow",
        "go",
        "move",
        "propose",
        "mean",
    ]
)
# Governing words that deny their complement ("failed to reach", "unable to agree").
NEGATING_GOVERNORS = frozenset({"fail", "unable", "refrain", "avoid", "cease", "stop", "neglect"})
# Verbs that say an event named as their subject or object did not (yet) happen.
UNDOING_VERBS = frozenset({"postpone", "cancel", "delay", "scrap", "suspend", "deny"})
# Words of forecast that make what they govern someone's prediction.
PREDICTION_WORDS = frozenset(
    {"likely", "unlikely", "tip", "predict", "forecast", "speculate", "rumour", "rumor"}
)
HYPOTHETICAL_MODALS = frozenset({"could", "might", "may", "should", "must", "can"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "going"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
CONDITION_MARKS = frozenset({"if", "unless", "whether", "lest"})
QUESTION_MARKS = frozenset({"if", "whether"})
PLANNED_ADJECTIVES = frozenset(
    {"proposed", "planned", "upcoming", "scheduled", "expected", "forthcoming", "possible"}
)


def modality_of(actors: SentenceActors, i: int) -> Modality:
    """Walk from the trigger up through its governing verbs, collecting what they say of it."""
    tokens = actors.tokens
    intended = False
    current = i
    seen: set[int] = set()
    while current not in seen:
        seen.add(current)
        token = tokens[current]
        for child in actors.children[current]:
            c = tokens[child]
            lower = c.text.lower()
            if c.dep == "neg" or (c.dep == "advmod" and lower in {"never", "not"}):
                return Modality("negated", lower)
            if c.dep in {"aux", "auxpass"}:
                if lower in HYPOTHETICAL_MODALS:
                    return unless_conditional(actors, i, lower)
                if lower in {"would", "'d"}:
                    if not reported(actors, current):
                        return unless_conditional(actors, i, lower)
                    intended = True
                if lower in FUTURE_AUX or c.lemma.lower() == "will":
                    intended = True
            if c.dep == "mark" and lower in CONDITION_MARKS:
                return Modality("hypothetical", lower)
            if c.dep in {"nsubj", "nsubjpass"} and any(
                tokens[g].dep == "det" and tokens[g].text.lower() == "no"
                for g in actors.children[child]
            ):
                return Modality("negated", "no subject")
        if token.dep == "advcl" and marked(actors, current, CONDITION_MARKS):
            return Modality("hypothetical", "condition")
        if token.dep == "ccomp" and marked(actors, current, QUESTION_MARKS):
            return Modality("hypothetical", "question")  # "asked if she would ..."
        if current != i:
            lemma = token.lemma.lower()
            if lemma in NEGATING_GOVERNORS:
                return Modality("negated", lemma)
            if lemma in PREDICTION_WORDS or (
                lemma == "expect"
                and any(tokens[c].dep == "nsubj" for c in actors.children[current])
            ):
                # "is tipped to", "likely to", "analysts expect X to": someone's forecast,
                # not an act or a plan of the actor ("X is expected to" is a schedule).
                return Modality("hypothetical", "prediction")
            if lemma in INTENT_VERBS or (token.tag == "JJ" and lemma == "ready"):
                intended = True
            if lemma in SPEECH_VERBS:
                break  # what the speaker says is asserted unless its own clause says more
        if token.dep == "conj" and any(
            tokens[c].dep in {"nsubj", "nsubjpass"} for c in actors.children[current]
        ):
            break  # "X wants more police, but they accuse ministers": a clause of its own
        if token.dep in {"xcomp", "conj", "acomp"} or (
            token.dep == "ccomp" and tokens[token.head].lemma.lower() in INTENT_VERBS
        ):
            current = token.head
            continue
        if token.dep == "xcomp" or tokens[token.head].pos == "AUX":
            current = token.head
            continue
        if token.dep == "ccomp" and any(
            tokens[c].dep == "neg" for c in actors.children[token.head]
        ):
            # "Don't let the Tories wreck it", "did not say that troops attacked": a clause
            # under a negated verb is not told as done.
            return Modality("hypothetical", "under negation")
        break
    if inside_condition(actors, current):
        return Modality("hypothetical", "inside a condition")
    if tokens[current].dep == "ROOT" and is_question(actors):
        return Modality("hypothetical", "question")  # "Did Russia attack Ukraine?"
    return Modality("intended" if intended else "asserted")


def unless_conditional(actors: SentenceActors, i: int, reason: str) -> Modality:
    """ "would attack if ...", "may halt mediation unless ...": a conditional, which is a
    threat when the act is coercive; otherwise a hypothetical."""
    for child in actors.children[i]:
        if actors.tokens[child].dep == "advcl" and marked(actors, child, {"if", "unless"}):
            return Modality("conditional", reason)
    return Modality("hypothetical", reason)


def nominal_modality(actors: SentenceActors, i: int) -> Modality:
    tokens = actors.tokens
    for child in actors.children[i]:
        lower = tokens[child].text.lower()
        if tokens[child].dep == "det" and lower == "no":
            return Modality("negated", "no")
        if tokens[child].dep == "amod" and lower in PLANNED_ADJECTIVES:
            return Modality("intended", lower)
    # The clause the noun sits in: climb through prepositions and nouns to its verb.
    current, seen = i, {i}
    while tokens[current].head != current and tokens[current].head not in seen:
        current = tokens[current].head
        seen.add(current)
        if tokens[current].pos in {"VERB", "AUX"}:
            lemma = tokens[current].lemma.lower()
            if lemma in INTENT_VERBS:
                return Modality("intended", lemma)
            if lemma in NEGATING_GOVERNORS or lemma in UNDOING_VERBS:
                return Modality("negated", lemma)
            governing = modality_of(actors, current)
            if governing.kind in {"negated", "hypothetical", "conditional"}:
                return Modality("hypothetical", governing.reason)
            return governing
    return Modality("asserted")


def is_question(actors: SentenceActors) -> bool:
    """A sentence that asks: it ends with a question mark outside quotation marks."""
    words = [t.text for t in actors.tokens if not t.text.isspace()]
    if words and words[-1] in {'"', "'", "”", "’", ")"}:
        return False  # a quoted question: the sentence reports it
    return bool(words) and words[-1] == "?"


def reported(actors: SentenceActors, i: int) -> bool:
    """Is the clause at I reported speech ("said it would ...")?"""
    tokens = actors.tokens
    seen: set[int] = set()
    current = i
    while current not in seen:
        seen.add(current)
        token = tokens[current]
        if token.head == current:
            return False
        parent = tokens[token.head]
        if token.dep in {"ccomp", "parataxis"} and (
            parent.lemma.lower() in SPEECH_VERBS or parent.pos == "VERB"
        ):
            return True
        if token.dep not in {"conj", "xcomp"}:
            return False
        current = token.head
    return False


def marked(actors: SentenceActors, clause: int, marks: Collection[str]) -> bool:
    """Is CLAUSE introduced by one of MARKS ("if", "unless", "whether")?"""
    return any(
        actors.tokens[c].dep == "mark" and actors.tokens[c].text.lower() in marks
        for c in actors.children[clause]
    )


def asks_whether(actors: SentenceActors, i: int) -> bool:
    return any(
        actors.tokens[child].dep in {"ccomp", "advcl"} and marked(actors, child, QUESTION_MARKS)
        for child in actors.children[i]
    )


def inside_condition(actors: SentenceActors, i: int) -> bool:
    """Is I anywhere inside an "if" or "unless" clause ("if the governments were ready to
    commit to war ...")?"""
    tokens = actors.tokens
    seen: set[int] = set()
    current = i
    while current not in seen and tokens[current].head != current:
        seen.add(current)
        if tokens[current].dep == "advcl" and marked(actors, current, CONDITION_MARKS):
            return True
        current = tokens[current].head
    return False


def obliged(actors: SentenceActors, clause: int) -> bool:
    """Does the clause say its subject must act ("must hand over", "has to leave")?"""
    tokens = actors.tokens
    children = actors.children[clause]
    if any(tokens[c].dep == "neg" for c in children):
        return False  # "will not have to leave", "need not resign": no obligation
    for child in children:
        lower = tokens[child].text.lower()
        if tokens[child].dep == "aux" and lower in {"must", "should", "ought"}:
            return True
        if (
            tokens[child].dep == "xcomp"
            and tokens[clause].lemma.lower() in {"have", "need"}
            and tokens[clause].tag != "VBG"
        ):
            # "is having to pay" describes a burden being borne, not a demand.
            return True
    return False

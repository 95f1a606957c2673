"""The records the coder's steps pass to each other, in the order a sentence meets them.

A trigger rule of the lexicon (`TriggerRule`) matched in a sentence is a candidate (`Found`,
candidates.py); the actors its phrases stand for are `Mention`s (mentions.py, coreference.py);
what the text says of its reality is its `Modality` (modality.py). The records that leave the
coder (`Event`, `Actor`) are in thucydides.types.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Actor


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """A row of lexicons/triggers.tsv (its header explains the columns)."""

    cameo: str
    pos: str  # "verb" or "noun"
    lemma: str
    particle: str
    objects: tuple[tuple[str, ...], ...]  # alternatives, each a set of lemmas that must all occur
    target_preps: tuple[str, ...]
    negated: str
    complement: str  # "intent" or "own"
    entry: str  # triggers.tsv:LINE

    @property
    def specificity(self) -> int:
        return (2 if self.particle else 0) + (2 if self.objects else 0)


@dataclass(frozen=True, slots=True)
class Found:
    """A trigger matched in a sentence, before its actors are attached."""

    index: int  # trigger token
    rule: TriggerRule
    object_tokens: frozenset[int]  # the object phrase the rule matched on (consumed)
    particle_index: int | None


@dataclass(frozen=True, slots=True)
class Mention:
    """The actors a noun phrase stands for (several for "South Korea and Russia")."""

    actors: tuple[Actor, ...]
    head: int  # token index of the phrase head in the sentence
    resolved: bool = False  # True when coded from context (coreference), not from its own words
    # An organisation's own names in the phrase, lower-cased ("london stock exchange", "lse"),
    # by which the document may name it again.
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Modality:
    """Whether the text tells a trigger as done, and why not when it does not."""

    kind: str  # "asserted", "intended", "negated", "hypothetical", "conditional"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event as the steps found it: its code, actors and evidence, before it is dated, placed
    and made into Event records (one per pair of actors)."""

    code: str  # CAMEO
    source: Mention
    target: Mention | None
    trigger_tokens: tuple[int, ...]  # the trigger's words (a verb and its particle)
    modality: Modality
    rule: str  # how it was found: "triggers.tsv:12:subject/object"
    confidence: float  # the trigger rule's; scoring.py weighs the rest of the evidence
    anchor: int  # the token the event's clause is read from (date, place, tense)

"""How sure the coder is of an event, from the evidence it was found with.

An event starts from the confidence its trigger rule gave it (0.85-0.9: how specific the row is)
and is multiplied by a factor for each weaker piece of evidence:

* how the target was found: the trigger's own object or the preposition its row names (1.0),
  an indirect object (0.9), a phrase near the trigger or inside a complement clause (0.7), no
  target at all (0.55: most monadic events on real news leave out a target the text names);
* how the source was found: the subject or passive agent (1.0); through control or coordination
  of another verb (0.8-0.95); a "said ... must" demand (0.7);
* how each actor was coded: by its own words (1.0), by a name or an office told before (0.95,
  0.85), by a pronoun (0.85), as the story's country (0.85), by the only country named or the
  place (0.7);
* actors listed together for a symmetric predicate ("X and Y met") are each other's target
  (0.95);
* a stated intention, plan or pledge (0.8); one the narrator tells ("X will visit", "X is set
  to campaign", "X hopes to reach a deal") rather than one the actor announces ("X said it
  would summon the ambassador") starts lower (assembly.NARRATED_INTENT): on the BBC and
  conflict development sets about one in seven of those is an event the annotators code;
* a same-country event between actors of one sector that are not two named people (0.6): a
  domestic event needs two different actors.

The factors were set from the reliability table of ``thucydides evaluate --articles ...
--calibration``
on the BBC development gold and checked on the PLOVER development records.
"""

from __future__ import annotations

from dataclasses import replace

from ..types import Actor, Event

TARGET_FACTORS = {
    "object": 1.0,
    "passive-subject": 1.0,
    "inside-object": 1.0,
    "dative": 0.9,
    "object-group": 0.9,
    "nearby": 0.7,
    "nearby-group": 0.6,
    "complement-object": 0.6,
    "complement-subject": 0.6,
    "clause-subject": 0.9,
    "requested-subject": 1.0,
    "clause-mention": 0.75,
    "subject-owner": 0.9,
    "evaluated-object": 0.8,
    "object-purpose": 0.8,
    "claim-owner": 0.75,
    "none": 0.42,
    "": 0.42,
}
SOURCE_FACTORS = {
    "subject": 1.0,
    "passive-agent": 1.0,
    "relative": 1.0,
    "xcomp-subject": 0.95,
    "object-control": 0.95,
    "noun-compound": 0.85,
    "noun-nmod": 0.85,
    "noun-poss": 0.9,
    "conj-subject": 0.8,
    "advcl-subject": 0.8,
    "acomp-subject": 0.8,
    "said-must": 0.7,
    "instrument": 0.9,
    "passive-means": 0.9,
}
ENTRY_FACTORS = {
    "coref:name": 0.95,
    "coref:sector": 0.85,
    "coref:pronoun": 0.85,
    "coref:possessor": 0.85,
    "coref:pair": 0.85,
    "rule:story-country": 0.85,
    "rule:only-country-named": 0.85,
    "rule:place": 0.85,
    "rule:appeal-to-own-government": 0.8,
    "rule:protest-own-government": 0.8,
    "rule:violence-at-place": 0.8,
    "rule:domestic-repression": 0.8,
    "rule:force-posture-at-place": 0.8,
    "rule:story-counterpart": 0.7,
}
INTENDED_FACTOR = 0.8
RECIPROCAL_FACTOR = 0.95
SELF_TARGET_FACTOR = 0.6
MONADIC_FACTOR = TARGET_FACTORS["none"]


def _attachment(rule: str) -> tuple[str, str]:
    """(source rule, target rule) from an event's rule ("triggers.tsv:12:subject/object")."""
    last = rule.rsplit(":", 1)[-1]
    if "/" in last:
        source, target = last.split("/", 1)
        return source, target
    return last, ""


def _entry_factor(actor: Actor) -> float:
    factor = 1.0
    for part in actor.entry.split("+"):
        factor = min(factor, ENTRY_FACTORS.get(part, 1.0))
    return factor


def is_self_target(event: Event) -> bool:
    """Source and target of one country and sector, and not two different named people."""
    target = event.target
    if target is None or target.key != event.source.key:
        return False
    if target.sector != event.source.sector:
        return False
    names = {event.source.name, target.name}
    return not (None not in names and len(names) == 2)


def event_confidence(event: Event) -> float:
    """The confidence of EVENT from its evidence (see the module doc)."""
    source_rule, target_rule = _attachment(event.rule)
    confidence = event.confidence
    if event.target is None:
        confidence *= MONADIC_FACTOR
    else:
        # The preposition the trigger row names, on the trigger or on its object noun.
        prep = target_rule.startswith(("prep-", "object-prep-"))
        if event.reciprocal and target_rule in {"none", ""}:
            # Actors listed together acting with each other ("X and Y met"): the text names
            # both sides.
            confidence *= RECIPROCAL_FACTOR
        elif target_rule in {"none", ""}:
            pass  # a target the conventions fill in (its entry's rule sets the factor)
        else:
            confidence *= 1.0 if prep else TARGET_FACTORS.get(target_rule, 0.9)
        confidence *= _entry_factor(event.target)
    confidence *= SOURCE_FACTORS.get(source_rule, 0.9)
    confidence *= _entry_factor(event.source)
    if event.modality == "intended":
        confidence *= INTENDED_FACTOR
    if is_self_target(event):
        confidence *= SELF_TARGET_FACTOR
    return round(max(0.0, min(1.0, confidence)), 2)


def with_confidence(events: list[Event]) -> list[Event]:
    return [replace(e, confidence=event_confidence(e)) for e in events]

"""Placing: where an event happened, from its own clause.

`PlaceFinder.for_trigger` looks for a place after "in" or "at" on the trigger's clause (its own
prepositions first, then those inside its objects: "fired shells at targets in Jericho"), the
destination of a visit ("will travel to Russia"), and, for force, a place named as what was hit
("shelled districts of Aleppo"); the gazetteer (thucydides.places) gives its coordinates.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..places import Gazetteer
from ..types import Place, Sentence
from .records import Mention
from .tree import near_objects, phrase_subtree

if TYPE_CHECKING:
    from .mentions import SentenceActors


class PlaceFinder:
    """Where an event happened: a place after "in"/"at" on the trigger's clause, or the
    destination of a visit ("will travel to Russia")."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def for_trigger(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        anchor: int,
        target: Mention | None,
        destination: bool = False,
        struck: bool = False,
    ) -> Place | None:
        """DESTINATION: a visit's "to X" is where it happened. STRUCK: for force, a place
        named as what was hit ("shelled districts of Aleppo") is where it happened."""
        tokens = actors.tokens
        clause = [anchor]
        current = anchor
        while tokens[current].dep in {"xcomp", "conj"} and tokens[current].head != current:
            current = tokens[current].head
            clause.append(current)
        preps = {"in", "at", "to"} if destination else {"in", "at"}
        if struck:
            preps |= {"of", "near", "outside"}
        # The trigger's own prepositions first, then those inside its objects ("fired shells
        # at targets in Jericho").
        candidates = [c for verb in clause for c in actors.children[verb]]
        candidates += [j for j in near_objects(actors, anchor) if j not in candidates]
        for child in candidates:
            if tokens[child].dep != "prep" or tokens[child].text.lower() not in preps:
                continue
            for pobj in actors.children[child]:
                if tokens[pobj].dep != "pobj":
                    continue
                if tokens[pobj].pos != "PROPN":
                    # "in the capital Kabul", "in the town of Samarra"
                    named = [
                        c
                        for c in phrase_subtree(actors, pobj)
                        if tokens[c].pos == "PROPN" and tokens[c].dep in {"appos", "pobj"}
                    ]
                    if not named:
                        continue
                    pobj = named[0]
                indexes = [
                    j
                    for j in actors.phrase_tokens(pobj)
                    if tokens[j].pos == "PROPN" or tokens[j].dep == "compound"
                ]
                text, start, end = actors.span_text(indexes)
                hint = actors.context.home_country
                place = self.gazetteer.lookup(text, hint) or self.gazetteer.lookup(
                    tokens[pobj].text, hint
                )
                if place is not None:
                    return replace(place, text=text, start=start, end=end)
        return None

"""Merging within a document: the same event told again in a later sentence is one event.

(Across documents, the store's events are merged by thucydides.merge.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..types import Event


def merge_events(events: Sequence[Event]) -> list[Event]:
    """The same event told twice in a document is one event with a mention count.

    Same means: same source and target (country or organisation, and sector), same CAMEO code and
    the same date. The first telling keeps its provenance; the others add to `mentions`.
    """
    # key -> the first telling, and the sentences of the later ones (with a set to look them
    # up): the merged event is made once per key at the end, so that N tellings of one event
    # cost N steps, not N*N (a long article retells the same event hundreds of times).
    merged: dict[tuple[object, ...], tuple[Event, list[int], set[int], list[float]]] = {}
    for event in events:
        key = (
            event.source.key,
            event.source.sector,
            event.target.key if event.target else None,
            event.cameo,
            event.date,
        )
        found = merged.get(key)
        if found is None:
            merged[key] = (event, [], set(event.mention_sentences), [event.confidence])
            continue
        _, later, told, confidence = found
        if event.sentence_index in told:
            continue  # one sentence telling it twice counts once
        later.append(event.sentence_index)
        told.add(event.sentence_index)
        confidence[0] = max(confidence[0], event.confidence)
    return [
        first
        if not later
        else replace(
            first,
            mentions=first.mentions + len(later),
            mention_sentences=(*first.mention_sentences, *later),
            confidence=confidence[0],
        )
        for first, later, _, confidence in merged.values()
    ]

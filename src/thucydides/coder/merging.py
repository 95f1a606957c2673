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
    merged: dict[tuple[object, ...], Event] = {}
    for event in events:
        key = (
            event.source.key,
            event.source.sector,
            event.target.key if event.target else None,
            event.cameo,
            event.date,
        )
        first = merged.get(key)
        if first is None:
            merged[key] = event
        elif (
            event.sentence_index not in first.mention_sentences or event.event_id != first.event_id
        ):
            if event.sentence_index in first.mention_sentences:
                continue
            merged[key] = replace(
                first,
                mentions=first.mentions + 1,
                mention_sentences=(*first.mention_sentences, event.sentence_index),
                confidence=max(first.confidence, event.confidence),
            )
    return list(merged.values())

"""Invented records for tests that need an Event without coding a sentence."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from thucydides.types import Actor, Event

_PLAIN = Event(
    doc_id="doc",
    event_id="e",
    source=Actor(text="FRA", start=0, end=3, country="FRA"),
    target=Actor(text="DEU", start=10, end=13, country="DEU"),
    cameo="010",
    plover_type="",
    plover_mode="",
    plover_context="",
    goldstein=0.0,
    quad_class=1,
    date="2001-05-04",
    date_precision="day",
    date_source="publication",
    location=None,
    sentence="",
    sentence_index=0,
    sentence_start=0,
    sentence_end=0,
    trigger="",
    trigger_start=0,
    trigger_end=0,
    modality="asserted",
    rule="test",
    confidence=1.0,
)


def plain_event(**changes: Any) -> Event:
    """An asserted, day-dated FRA -> DEU event with no place, CHANGES applied."""
    return replace(_PLAIN, **changes)

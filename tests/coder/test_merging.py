"""Merging within a document (coder/merging.py): the same event told again is one event."""

from __future__ import annotations

from typing import Any

import pytest

from thucydides.coder import merging
from thucydides.coder.merging import merge_events
from thucydides.types import Event

from .coder_steps import actor, event


def test_the_same_event_told_twice_is_one_with_two_mentions() -> None:
    first, again = event(0, "057", confidence=0.6), event(3, "057", confidence=0.8)
    merged = merge_events([first, again])
    assert len(merged) == 1
    assert merged[0].event_id == first.event_id  # the first telling keeps its provenance
    assert (merged[0].mentions, merged[0].mention_sentences) == (2, (0, 3))
    assert merged[0].confidence == 0.8


def test_events_that_differ_in_code_actors_or_date_stay_apart() -> None:
    base = event(0, "057")
    others = [
        event(1, "051"),
        event(1, "057", target=actor("BOL")),
        event(1, "057", source=actor("CHL", "GOV")),
        event(1, "057", date="2015-04-27"),
    ]
    assert len(merge_events([base, *others])) == 5


def test_one_sentence_telling_it_twice_counts_once() -> None:
    """Two triggers of one sentence for the same event ("signed an accord, the accord ...")."""
    one, same_sentence = event(2, "057"), event(2, "057", event_id="other")
    merged = merge_events([one, same_sentence])
    assert [(e.mentions, e.mention_sentences) for e in merged] == [(1, (2,))]


def test_many_tellings_of_one_event_are_merged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long article tells one event hundreds of times: the merged event is made once, not
    once per telling (copying its growing list of sentences each time)."""
    made: list[int] = []
    real = merging.replace

    def counted(event: Event, **changes: Any) -> Event:
        made.append(1)
        return real(event, **changes)

    monkeypatch.setattr(merging, "replace", counted)
    tellings = [event(k, "057", confidence=0.5 + k / 4_000) for k in range(1_000)]
    merged = merge_events(tellings)
    assert [(e.mentions, e.mention_sentences[-1], e.confidence) for e in merged] == [
        (1_000, 999, 0.5 + 999 / 4_000)
    ]
    assert len(made) == 1

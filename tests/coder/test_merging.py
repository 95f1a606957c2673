"""Merging within a document (coder/merging.py): the same event told again is one event."""

from __future__ import annotations

from thucydides.coder.merging import merge_events

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

"""Scoring (coder/scoring.py): an event's confidence from the evidence it was found with.

The factors are calibrated on development data and may change; these tests check which way
each piece of evidence moves the confidence, on Event records of our own.
"""

from __future__ import annotations

from thucydides.coder.scoring import event_confidence, with_confidence

from .coder_steps import actor, event


def test_evidence_moves_confidence_the_right_way() -> None:
    plain = event(0, "112", rule="triggers.tsv:1:subject/object")
    base = event_confidence(plain)
    assert 0 < base <= plain.confidence
    weaker = [
        event(0, "112", target=None, rule="triggers.tsv:1:subject/none"),
        event(0, "112", source=actor("CHL", entry="countries.tsv:55+coref:pronoun")),
        event(0, "112", rule="triggers.tsv:1:conj-subject/object"),
        event(0, "112", rule="triggers.tsv:1:subject/nearby"),
        event(0, "112", modality="intended"),
        event(0, "112", source=actor("CHL", "GOV"), target=actor("CHL", "GOV")),
    ]
    for other in weaker:
        assert event_confidence(other) < base, other


def test_with_confidence_scores_every_event() -> None:
    told = [event(0, "112"), event(1, "112", target=None, rule="triggers.tsv:1:subject/none")]
    scored = with_confidence(told)
    assert [e.confidence for e in scored] == [event_confidence(e) for e in told]
    assert scored[1].confidence < scored[0].confidence
    assert [e.event_id for e in scored] == [e.event_id for e in told]

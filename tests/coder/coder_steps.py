"""Helpers for the coder's step tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from thucydides.coder.candidates import TriggerLexicon, find_triggers
from thucydides.coder.mentions import SentenceActors
from thucydides.coder.records import Found, Mention
from thucydides.types import Actor, Event

PUBLISHED = dt.date(2015, 6, 10)  # a Wednesday

# read(text, published=PUBLISHED, home=None): the last sentence of TEXT (conftest.py)
Read = Callable[..., SentenceActors]


def index_of(actors: SentenceActors, word: str, nth: int = 0) -> int:
    """The token index of the NTH WORD of the sentence."""
    found = [i for i, t in enumerate(actors.tokens) if t.text == word]
    assert len(found) > nth, f"{word!r} not in {actors.sentence.text!r}"
    return found[nth]


def found_at(triggers: TriggerLexicon, actors: SentenceActors, word: str) -> Found:
    """The trigger candidate at WORD."""
    i = index_of(actors, word)
    matched = [f for f in find_triggers(triggers, actors.sentence, actors) if f.index == i]
    assert matched, f"no trigger at {word!r} in {actors.sentence.text!r}"
    return matched[0]


def countries(mention: Mention | None) -> list[str | None]:
    """The country of each actor of a Mention (None for no mention)."""
    return [] if mention is None else [a.country for a in mention.actors]


def actor(country: str | None, sector: str | None = None, **fields: str) -> Actor:
    """An Actor record as a step would make it, at the start of the body."""
    return Actor(
        text=country or "someone", start=0, end=7, country=country, sector=sector, **fields
    )


def event(sentence_index: int, cameo: str, **fields: object) -> Event:
    """An Event record told in sentence SENTENCE_INDEX, dated by its publication day."""
    values: dict[str, object] = {
        "doc_id": "d",
        "event_id": f"e{sentence_index}-{cameo}",
        "source": actor("CHL"),
        "target": actor("PER"),
        "cameo": cameo,
        "plover_type": "",
        "plover_mode": "",
        "plover_context": "",
        "goldstein": 0.0,
        "quad_class": 1,
        "date": "2015-06-10",
        "date_precision": "day",
        "date_source": "publication",
        "location": None,
        "sentence": "",
        "sentence_index": sentence_index,
        "sentence_start": 0,
        "sentence_end": 0,
        "trigger": "",
        "trigger_start": sentence_index * 100,
        "trigger_end": sentence_index * 100 + 5,
        "modality": "asserted",
        "rule": "triggers.tsv:1:subject/object",
        "confidence": 0.9,
        "mention_sentences": (sentence_index,),
    }
    values.update(fields)
    return Event(**values)

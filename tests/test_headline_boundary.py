"""A headline without a full stop is its own sentence, not the start of the paragraph after it."""

from __future__ import annotations

import datetime as dt

from thucydides.coder import Coder, text_document
from thucydides.settings import Settings

ARTICLE = (
    "Chilean navy seizes fishing boats\n\n"
    "Peru said on Monday that the seizure of its boats had violated the maritime treaty."
)


def test_sentences_do_not_cross_paragraphs() -> None:
    coder = Coder(Settings(min_confidence=0.0))
    events = coder.code_text(ARTICLE, dt.date(2019, 5, 6))
    assert events
    for event in events:
        assert "\n" not in event.sentence, event.sentence
    sentences = coder.parser.parse(text_document(ARTICLE, "2019-05-06", "t"))
    assert sentences[0].text == "Chilean navy seizes fishing boats"

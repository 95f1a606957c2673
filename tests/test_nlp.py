"""The spaCy stage with the real model: sentences, offsets into the body, parse, entities."""

from __future__ import annotations

import pytest

from thucydides.clean import clean_text
from thucydides.errors import SettingsError
from thucydides.nlp import Parser
from thucydides.settings import Settings
from thucydides.types import Document, Metadata


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(Settings().model)


def make_document(raw: str) -> Document:
    clean = clean_text(raw)
    return Document(
        doc_id="n1",
        content_hash="h",
        source_path="x",
        location="x",
        media_type="text/plain",
        raw_text=raw,
        body=clean.body,
        paragraphs=clean.paragraphs,
        offset_map=clean.offset_map,
        metadata=Metadata(),
    )


def test_sentences_offsets_and_parse(parser: Parser) -> None:
    doc = make_document(
        "Talks in Lima\n"
        "Peru and Chile signed a border agreement in Lima on Monday. Both sides praised it.\n"
        "Chile’s foreign minister will visit Bolivia next week.\n"
    )
    sentences = parser.parse(doc)
    assert [s.index for s in sentences] == [0, 1, 2]
    for sentence in sentences:
        assert doc.body[sentence.start : sentence.end] == sentence.text
        for token in sentence.tokens:
            assert doc.body[token.start : token.start + len(token.text)] == token.text
    first = sentences[0]
    signed = next(t for t in first.tokens if t.text == "signed")
    assert signed.lemma == "sign" and signed.pos == "VERB" and signed.dep == "ROOT"
    assert first.tokens[signed.head] is signed
    assert {e.text for e in first.entities if e.label == "GPE"} >= {"Peru", "Chile", "Lima"}
    assert sentences[2].start > sentences[1].end  # a new paragraph


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(SettingsError) as caught:
        Parser("no_such_spacy_model_xyz")
    assert caught.value.code == "T502" and "never download" in str(caught.value)

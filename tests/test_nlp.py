"""The spaCy stage with the real model: sentences, offsets into the body, parse, entities."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

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


class _Counted:
    """A spaCy pipeline whose docs count the entities their `ents` build and scan, and which
    records how many characters each call to `pipe` is given: the parser's work and memory
    on a long text, without a clock."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.max_length = nlp.max_length
        self.entities_visited = 0
        self.piped_chars: list[int] = []

    def make_doc(self, text: str) -> Any:
        return self.nlp.make_doc(text)

    def pipe(self, docs: Iterable[Any], batch_size: int = 64) -> Iterator[Any]:
        docs = list(docs)
        self.piped_chars.append(sum(len(doc.text) for doc in docs))
        for doc in self.nlp.pipe(docs, batch_size=batch_size):
            yield _CountedDoc(doc, self)

    def __call__(self, doc: Any) -> Any:
        return next(self.pipe([doc]))


class _CountedDoc:
    def __init__(self, doc: Any, counter: _Counted) -> None:
        self.doc, self.counter = doc, counter

    @property
    def ents(self) -> Any:
        self.counter.entities_visited += len(self.doc.ents)
        return self.doc.ents

    @property
    def sents(self) -> Iterator[Any]:
        for sent in self.doc.sents:
            yield _CountedSpan(sent, self)


class _CountedSpan:
    def __init__(self, span: Any, doc: _CountedDoc) -> None:
        self.span, self.doc = span, doc

    @property
    def ents(self) -> Any:  # spaCy builds and scans every entity of the doc for each span
        self.doc.counter.entities_visited += len(self.doc.doc.ents)
        return self.span.ents

    def __iter__(self) -> Iterator[Any]:
        return iter(self.span)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.span, name)


def _counted_pipeline() -> _Counted:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [{"label": "GPE", "pattern": name} for name in ("Chile", "Peru", "Bolivia", "Lima")]
    )
    return _Counted(nlp)


def _told(lines: int) -> str:
    """LINES paragraphs of two sentences naming five places, each paragraph its own."""
    return "".join(
        f"Chile and Peru met in Lima on day {k}. Bolivia protested to Chile {k} times.\n"
        for k in range(lines)
    )


def test_a_long_text_costs_each_sentence_only_its_own_entities() -> None:
    """spaCy's Span.ents builds every entity of the whole parsed text for each sentence: on a
    100,000-character piece of a huge article that was most of the parse time, growing with
    the square of its length. Each sentence must cost only its own entities."""
    counted = _counted_pipeline()
    document = make_document(_told(40))  # 80 sentences, 200 entities
    sentences = Parser(counted).parse(document)
    found = [e for s in sentences for e in s.entities]
    assert len(sentences) == 80 and len(found) == 200
    assert [e.text for e in sentences[1].entities] == ["Bolivia", "Chile"]
    assert all(document.body[e.start : e.end] == e.text for e in found)
    assert counted.entities_visited <= 2 * len(found)  # was 80 x 200


def test_a_huge_document_is_parsed_a_few_pieces_at_a_time() -> None:
    """The pipeline's working memory grows with the characters it is given at once: a
    1.1 M-character article given as one batch of pieces reached 3.35 GB."""
    counted = _counted_pipeline()
    document = make_document(_told(300))  # 600 sentences, 22,000 characters
    parser = Parser(counted, max_chars=2_000)
    parser.batch_chars = 4_000  # at most this many characters through the pipeline at once
    sentences = parser.parse(document)
    assert len(sentences) == 600 and all(s.tokens for s in sentences)
    assert len(counted.piped_chars) >= 5 and max(counted.piped_chars) <= 4_000

"""Language analysis with spaCy: sentences, tokens, parts of speech, dependencies, entities.

The only module that imports spaCy. The pipeline to load is a setting (`model`), so a user with a
larger installed spaCy pipeline can use it; nothing is ever downloaded. spaCy objects stay inside
this module: what leaves it are Sentence records, which cross processes and land in files.
Paragraphs are parsed one by one, so a sentence never spans two paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .errors import SettingsError
from .types import Document, Entity, Sentence, Token


def load_model(name: str) -> Any:
    """The installed spaCy pipeline NAME (package name or path); T502 if it is not installed."""
    import spacy

    try:
        return spacy.load(name)
    except OSError:
        raise SettingsError(
            f"spaCy pipeline {name!r} is not installed; install it with pip (we never download "
            "models at run time) or set `model` to one that is",
            code="T502",
        ) from None


class Parser:
    """Parses documents into Sentence records with one loaded spaCy pipeline."""

    def __init__(self, model: str | Any, batch_size: int = 64) -> None:
        self.nlp = load_model(model) if isinstance(model, str) else model
        self.batch_size = batch_size

    def parse(self, doc: Document) -> list[Sentence]:
        return next(self.parse_many([doc]))[1]

    def parse_many(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Sentence]]]:
        """Each document with its sentences, parsing paragraphs in batches (nlp.pipe)."""
        for document in docs:
            spans = [(p.start, document.body[p.start : p.end]) for p in document.paragraphs]
            sentences: list[Sentence] = []
            texts = (text for _, text in spans)
            for (offset, _), parsed in zip(
                spans, self.nlp.pipe(texts, batch_size=self.batch_size), strict=True
            ):
                for sent in parsed.sents:
                    sentences.append(_sentence(document.doc_id, len(sentences), sent, offset))
            yield document, sentences


def _sentence(doc_id: str, index: int, sent: Any, offset: int) -> Sentence:
    first = sent.start
    tokens = tuple(
        Token(
            text=token.text,
            start=offset + token.idx,
            lemma=token.lemma_,
            pos=token.pos_,
            tag=token.tag_,
            dep=token.dep_,
            head=token.head.i - first,
            entity=token.ent_type_,
        )
        for token in sent
    )
    entities = tuple(
        Entity(ent.text, offset + ent.start_char, offset + ent.end_char, ent.label_)
        for ent in sent.ents
    )
    return Sentence(
        doc_id=doc_id,
        index=index,
        start=offset + sent.start_char,
        end=offset + sent.end_char,
        text=sent.text,
        tokens=tokens,
        entities=entities,
    )

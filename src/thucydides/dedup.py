"""Duplicates across documents: exact copies and near copies of one story.

Exact: the normalised body (case, quotes, dashes, punctuation and spacing ignored) hashes the
same. Near: MinHash signatures of word shingles, indexed with LSH, estimate a Jaccard similarity
at or above `near_duplicate_threshold`: a wire story republished with an edited sentence or
another credit line. Each document records the earlier one it repeats and the story it belongs to.

Signatures are stored with the documents and compared with those of later runs, so everything
that shapes them is fixed here, not left to library defaults: the seed, datasketch's "affine32"
permutation scheme, and the shingle hash (CRC-32 of each word, mixed by position). Changing
`minhash_permutations` or `shingle_words` between runs makes stored signatures incomparable;
`DuplicateFinder.signature_scheme` names all of it so a caller can notice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .errors import SettingsError
from .settings import Settings
from .types import Document

if TYPE_CHECKING:
    from datasketch import MinHash

U32Array = npt.NDArray[np.uint32]
U64Array = npt.NDArray[np.uint64]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[^\w\s]+")
# The same replacement for ASCII text as a translation table: ten times faster than the regex,
# and built from the regex itself so the two cannot disagree (content hashes depend on it).
_ASCII_NON_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if _NON_WORD.fullmatch(chr(c)) is not None}
)

_SEED = 1  # fixed, so that signatures stored by one run compare with those of the next
_SCHEME = "affine32"  # pinned: datasketch changed its default once (2.0), it may again
_MAX_U32 = 0xFFFFFFFF
_MASK64 = (1 << 64) - 1
_FOLD = 0x9E3779B97F4A7C15  # odd 64-bit constant (golden ratio) folding a shingle hash to 32 bits
_CHUNK = 8192  # shingles per permutation step: bounds memory at CHUNK x permutations x 4 bytes
_BLOCK = 1024  # signature rows allocated at a time


def _words(body: str) -> list[str]:
    text = unicodedata.normalize("NFKC", body).translate(_QUOTES).casefold()
    text = text.translate(_ASCII_NON_WORD) if text.isascii() else _NON_WORD.sub(" ", text)
    return text.split()


def normalise_for_hash(body: str) -> str:
    """Casefolded words only: trivially different copies of a text normalise the same."""
    return " ".join(_words(body))


def content_hash(body: str) -> str:
    """Hex SHA-256 (first 32 characters) of the normalised body."""
    return hashlib.sha256(normalise_for_hash(body).encode()).hexdigest()[:32]


def shingles(body: str, size: int) -> set[str]:
    """Word SIZE-grams of the normalised text; a text of SIZE words or fewer is one shingle."""
    return {" ".join(gram) for gram in _word_grams(_words(body), size)}


def _word_grams(words: list[str], size: int) -> list[list[str]]:
    if len(words) <= size:
        return [words] if words else []
    return [words[i : i + size] for i in range(len(words) - size + 1)]


def _splitmix64(index: int) -> int:
    z = (index * 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def _position_multipliers(size: int) -> U64Array:
    # Odd, so no word position loses bits; one per position, so word order matters.
    return np.array([_splitmix64(j + 1) | 1 for j in range(size)], dtype=np.uint64)


def shingle_hash(shingle: str) -> int:
    """The 32-bit hash a shingle (words joined by one space) enters the MinHash with.

    The CRC-32 of each word, weighted by position, summed modulo 2**64 and folded to 32 bits.
    `DuplicateFinder` computes the same for all shingles of a text at once; this is the reference.
    """
    words = shingle.split(" ")
    multipliers = _position_multipliers(len(words))
    total = sum(zlib.crc32(w.encode()) * int(m) for w, m in zip(words, multipliers, strict=True))
    return ((total & _MASK64) * _FOLD & _MASK64) >> 32


def _shingle_hashes(words: list[str], size: int, multipliers: U64Array) -> U64Array:
    """shingle_hash of every SIZE-gram of WORDS at once (numpy wraps uint64 like the mask).

    MULTIPLIERS is _position_multipliers(SIZE); a shorter text uses its first ones.
    """
    if not words:
        return np.empty(0, dtype=np.uint64)
    # One encode and one split instead of one encode per word (words never contain a space),
    # and map() over a builtin instead of a generator: this loop is most of the time per text.
    word_hashes = np.array(
        list(map(zlib.crc32, " ".join(words).encode().split(b" "))), dtype=np.uint64
    )
    width = min(size, len(words))
    count = len(words) - width + 1
    total = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        total += word_hashes[j : j + count] * multipliers[j]
    result: U64Array = (total * np.uint64(_FOLD)) >> np.uint64(32)
    return result


def _fmix32(values: U32Array) -> U32Array:
    """MurmurHash3's finaliser, as datasketch applies it to inputs in the affine32 scheme."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    result: U32Array = values ^ (values >> np.uint32(16))
    return result


def _identity(value: int) -> int:
    return value


class DuplicateFinder:
    """Sees the stream of documents once; tells for each whether it repeats an earlier one.

    Memory grows with the number of documents registered (checked or seeded with `add_known`):
    bodies are not kept, but each document costs its signature (`minhash_permutations` x 4
    bytes: 512 B at 128), its LSH entries (one bucket entry per band, a Python set each: about
    4-5 KB at 128 permutations and the default threshold) and its ids: about 6 KB in all, so
    some 6 GB for a million documents. The LSH index is what grows; trade accuracy for memory
    with fewer `minhash_permutations`.
    """

    def __init__(self, settings: Settings) -> None:
        self.threshold = settings.near_duplicate_threshold
        self.permutations = settings.minhash_permutations
        self.shingle_words = settings.shingle_words
        if not 0.0 < self.threshold <= 1.0:
            raise SettingsError(f"near_duplicate_threshold must be in (0, 1], got {self.threshold}")
        if self.permutations < 2 or self.shingle_words < 1:
            raise SettingsError(
                "minhash_permutations must be at least 2 and shingle_words at least 1, got "
                f"{self.permutations} and {self.shingle_words}"
            )
        # Imported here: datasketch pulls in scipy (about a second), which commands that never
        # deduplicate (info, query, settings) should not pay for.
        from datasketch import MinHash, MinHashLSH

        self._minhash_type = MinHash
        self._multipliers = _position_multipliers(self.shingle_words)
        # One prepared permutation set, shared by every signature (building it is the slow part).
        # Shingles are hashed before they reach datasketch, so its hash function is the identity.
        self._template = MinHash(
            num_perm=self.permutations, seed=_SEED, hashfunc=_identity, scheme=_SCHEME
        )
        # LSH only proposes candidates; a lower threshold there makes it miss few true pairs near
        # the cut-off, and the estimated Jaccard decides.
        self._lsh = MinHashLSH(
            threshold=min(1.0, max(0.3, self.threshold - 0.2)), num_perm=self.permutations
        )
        # Per registered document, by registration order (its index): ids and signature rows.
        self._doc_ids: list[str] = []
        self._story_ids: list[str] = []
        self._index: dict[str, int] = {}
        self._by_hash: dict[str, int] = {}  # content hash -> earliest index with it
        self._blocks: list[U32Array] = []  # signatures, _BLOCK rows at a time

    @property
    def signature_scheme(self) -> str:
        """Everything a stored signature depends on; equal strings mean comparable signatures."""
        return f"minhash-{_SCHEME}-seed{_SEED}-perm{self.permutations}-words{self.shingle_words}"

    def __len__(self) -> int:
        return len(self._doc_ids)

    def signature(self, body: str) -> MinHash:
        """The MinHash of the body's word shingles (the empty set: all values at their maximum).

        Equal to `update_batch` of `shingles(body, shingle_words)` hashed with `shingle_hash`
        (a test pins it), but vectorised: datasketch's update_batch calls the hash function once
        per shingle in Python, which made it the slowest step.
        """
        a, b = self._template.permutations
        values = np.full(self.permutations, _MAX_U32, dtype=np.uint32)
        hashes = _shingle_hashes(_words(body), self.shingle_words, self._multipliers)
        for start in range(0, len(hashes), _CHUNK):
            mixed = _fmix32(hashes[start : start + _CHUNK].astype(np.uint32)).reshape(-1, 1)
            np.minimum(values, (mixed * a + b).min(axis=0), out=values)
        return self._minhash(values)

    def _minhash(self, values: U32Array) -> MinHash:
        return self._minhash_type(
            seed=_SEED,
            hashfunc=_identity,
            hashvalues=values,
            permutations=self._template.permutations,
            scheme=_SCHEME,
        )

    def add_known(
        self, doc_id: str, story_id: str, content_hash: str, signature_values: Sequence[int]
    ) -> None:
        """Register a document from an earlier run, so later documents can match it.

        A signature of the wrong length or range (made with other settings) still allows exact
        matches on the content hash, just not near ones.
        """
        if doc_id in self._index:
            return
        minhash = None
        try:
            values = np.asarray(signature_values, dtype=np.uint64)
        except (OverflowError, TypeError, ValueError):  # negative or not integers
            values = np.empty(0, dtype=np.uint64)
        if values.shape == (self.permutations,) and values.max() <= _MAX_U32:
            minhash = self._minhash(values.astype(np.uint32))
        self._register(doc_id, story_id or doc_id, content_hash, minhash)

    def check(self, doc: Document) -> tuple[Document, list[int]]:
        """The document with its duplicate fields set, and its signature values (to store).

        A doc_id seen before (a re-ingest) is judged again against the documents registered
        before it, never against itself, so it gets the verdict it got the first time.
        """
        minhash = self.signature(doc.body)
        values: list[int] = minhash.hashvalues.tolist()
        index = self._index.get(doc.doc_id)
        before = len(self._doc_ids) if index is None else index
        match = self._best_match(doc.content_hash, minhash, before)
        if match is not None:
            original, kind, similarity = match
            marked = dataclasses.replace(
                doc,
                duplicate_of=self._doc_ids[original],
                duplicate_kind=kind,
                similarity=similarity,
                story_id=self._story_ids[original],
            )
        else:
            story_id = doc.doc_id if index is None else self._story_ids[index]
            marked = dataclasses.replace(
                doc, duplicate_of=None, duplicate_kind=None, similarity=None, story_id=story_id
            )
        if index is None:
            self._register(doc.doc_id, marked.story_id or doc.doc_id, doc.content_hash, minhash)
        return marked, values

    def _best_match(
        self, body_hash: str, minhash: MinHash, before: int
    ) -> tuple[int, str, float] | None:
        """(index, kind, similarity) of the document registered before BEFORE that it repeats."""
        exact = self._by_hash.get(body_hash)
        if exact is not None and exact < before:
            return exact, "exact", 1.0
        if _is_empty(minhash):
            return None
        values = minhash.hashvalues
        best: tuple[int, float] | None = None
        for candidate in self._lsh.query(minhash):
            if candidate >= before:
                continue
            # MinHash.jaccard, without building a MinHash per candidate.
            similarity = float(np.count_nonzero(self._row(candidate) == values)) / len(values)
            if similarity < self.threshold:
                continue
            # Most similar wins; on a tie the earliest (lowest index), whatever LSH's order.
            if best is None or (similarity, -candidate) > (best[1], -best[0]):
                best = (candidate, similarity)
        return None if best is None else (best[0], "near", best[1])

    def _row(self, index: int) -> U32Array:
        block, offset = divmod(index, _BLOCK)
        row: U32Array = self._blocks[block][offset]
        return row

    def _register(
        self, doc_id: str, story_id: str, body_hash: str, minhash: MinHash | None
    ) -> None:
        index = len(self._doc_ids)
        self._doc_ids.append(doc_id)
        self._story_ids.append(story_id)
        self._index[doc_id] = index
        self._by_hash.setdefault(body_hash, index)
        block, offset = divmod(index, _BLOCK)
        if block == len(self._blocks):
            self._blocks.append(np.full((_BLOCK, self.permutations), _MAX_U32, dtype=np.uint32))
        if minhash is not None:
            self._blocks[block][offset] = minhash.hashvalues
            # A wordless body would match every other wordless body; its hash still matches.
            if not _is_empty(minhash):
                self._lsh.insert(index, minhash, check_duplication=False)


def _is_empty(minhash: MinHash) -> bool:
    return bool((minhash.hashvalues == _MAX_U32).all())

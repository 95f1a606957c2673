from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from thucydides.dedup import (
    _QUOTES,
    DuplicateFinder,
    _position_multipliers,
    _shingle_hashes,
    content_hash,
    normalise_for_hash,
    shingle_hash,
    shingles,
)
from thucydides.errors import SettingsError
from thucydides.settings import Settings
from thucydides.types import Document, Metadata, OffsetMap

# Invented stories (about 200 and 60 words).
STORY = (
    "Ministers from Ghana and Burkina Faso met in Accra on Thursday to agree a plan against "
    "armed groups operating along their northern border. The two governments will share "
    "intelligence, run joint patrols and open a liaison office in Tamale, according to a "
    "statement read by Ghana's defence minister after four hours of talks. Burkina Faso's "
    "delegation said the plan would take effect next month and that a review was due in "
    "December. Regional officials welcomed the deal, though several analysts warned that "
    "patrols alone would not stop the attacks on farming villages that have displaced "
    "thousands of people this year. Both sides also pledged to improve roads to the border "
    "posts so that troops could reach remote areas quickly during the rainy season. A "
    "spokesman for the West African regional bloc said its observers would visit the "
    "border in January, and that donors had offered money for radios, vehicles and "
    "training. Farmers in the region told reporters they hoped the patrols would let them "
    "return to fields they abandoned last spring, but several said they had heard similar "
    "promises before and would wait to see soldiers on the roads."
)
OTHER = (
    "The central bank of Chile raised its benchmark interest rate by half a point on "
    "Wednesday, citing stubborn inflation in food and energy prices. Economists had expected "
    "a smaller move. The bank said further increases were possible if prices kept rising, "
    "and the finance ministry promised to trim spending on fuel subsidies next year."
)
EDITED = (
    STORY.replace("Thursday", "Friday")
    .replace("four hours", "five hours")
    .replace("next month", "in March")
)


def doc(doc_id: str, body: str) -> Document:
    return Document(
        doc_id=doc_id,
        content_hash=content_hash(body),
        source_path="x",
        location=doc_id,
        media_type="text/plain",
        raw_text=body,
        body=body,
        paragraphs=(),
        offset_map=OffsetMap(),
        metadata=Metadata(),
    )


def jaccard(a: str, b: str) -> float:
    first, second = shingles(a, 5), shingles(b, 5)
    return len(first & second) / len(first | second)


def test_normalisation_ignores_case_quotes_dashes_punctuation_and_spacing() -> None:
    assert normalise_for_hash("Ghana’s  “plan” — agreed,\nNOW!") == "ghana s plan agreed now"
    assert normalise_for_hash('GHANA\'S "PLAN" - AGREED... now') == "ghana s plan agreed now"
    assert normalise_for_hash("Ça\u00a0va «très» bien") == "ça va très bien"
    assert content_hash("A  b!") == content_hash("a b") != content_hash("a c")
    # doc_ids are built from content hashes: a changed normalisation would change them all.
    assert content_hash("Peace talks resumed in Geneva on Monday.") == (
        "5980479e70b4311d4e4c602e4c44f354"
    )


def _reference_normalise(body: str) -> str:
    text = unicodedata.normalize("NFKC", body).translate(_QUOTES).casefold()
    return " ".join(re.sub(r"[^\w\s]+", " ", text).split())


@settings(max_examples=300, deadline=None)
@given(st.text() | st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_fast_path_normalises_like_the_regex(text: str) -> None:
    assert normalise_for_hash(text) == _reference_normalise(text)


def test_shingles() -> None:
    assert shingles("A b, c.", 5) == {"a b c"}  # shorter than a shingle: one shingle
    assert shingles("  ...  ", 5) == set()
    assert shingles("a b c d", 2) == {"a b", "b c", "c d"}
    words = len(normalise_for_hash(STORY).split())
    assert 190 <= words <= 230
    assert len(shingles(STORY, 5)) == words - 4


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), max_size=30),
    size=st.integers(1, 7),
)
def test_vectorised_shingle_hashes_match_the_reference(words: list[str], size: int) -> None:
    # Words of letters and digits only: what normalisation leaves.
    hashes = _shingle_hashes(words, size, _position_multipliers(size)).tolist()
    width = min(size, len(words))
    grams = [" ".join(words[i : i + width]) for i in range(len(words) - width + 1)]
    assert hashes == ([shingle_hash(g) for g in grams] if words else [])
    assert all(0 <= h < 2**32 for h in hashes)


@pytest.mark.parametrize("body", [STORY, "Talks resumed.", "", " ".join(["w"] * 9000) + " end"])
def test_signature_is_datasketch_minhash_of_the_shingles(body: str) -> None:
    finder = DuplicateFinder(Settings())
    reference = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash, scheme="affine32")
    reference.update_batch(sorted(shingles(body, 5)))
    assert finder.signature(body).hashvalues.tolist() == reference.hashvalues.tolist()
    assert finder.signature(body) == reference  # same scheme and seed too


def test_signatures_are_pinned() -> None:
    # Stored signatures are compared with later runs': a change here makes them incomparable.
    values = DuplicateFinder(Settings()).signature(STORY).hashvalues.tolist()
    assert DuplicateFinder(Settings()).signature(STORY).hashvalues.tolist() == values
    assert values[:4] == [16553133, 2995440, 3498420, 8191229]


def test_exact_near_and_original() -> None:
    finder = DuplicateFinder(Settings())
    first, signature = finder.check(doc("a", STORY))
    assert (first.duplicate_of, first.duplicate_kind, first.similarity) == (None, None, None)
    assert first.story_id == "a"
    assert len(signature) == 128 and all(isinstance(v, int) and 0 <= v < 2**32 for v in signature)

    copy = STORY.replace("'", "’").replace(" ", "  \n").replace(".", " .").upper()
    exact, _ = finder.check(doc("b", copy))
    assert (exact.duplicate_of, exact.duplicate_kind, exact.similarity) == ("a", "exact", 1.0)
    assert exact.story_id == "a"

    near, _ = finder.check(doc("c", EDITED))
    true_similarity = jaccard(STORY, EDITED)
    assert 0.8 < true_similarity < 0.95
    assert (near.duplicate_of, near.duplicate_kind, near.story_id) == ("a", "near", "a")
    assert near.similarity is not None
    assert 0.8 <= near.similarity < 1.0 and abs(near.similarity - true_similarity) < 0.1

    other, _ = finder.check(doc("d", OTHER))
    assert (other.duplicate_of, other.duplicate_kind, other.story_id) == (None, None, "d")
    again, _ = finder.check(doc("e", STORY + "\n"))
    assert (again.duplicate_of, again.duplicate_kind) == ("a", "exact")  # the first, not b
    assert len(finder) == 5


def test_the_most_similar_earlier_document_wins_and_the_story_chains_to_the_first() -> None:
    finder = DuplicateFinder(Settings())
    finder.check(doc("a", STORY))
    longer = STORY + " Officials gave no further details about the cost of the patrols."
    second, _ = finder.check(doc("b", longer))
    assert (second.duplicate_of, second.story_id) == ("a", "a")
    longest = longer + " The talks will resume in Ouagadougou."
    third, _ = finder.check(doc("c", longest))
    # c is closer to b than to a; it repeats b, and belongs to a's story.
    assert jaccard(longest, longer) > jaccard(longest, STORY)
    assert (third.duplicate_of, third.duplicate_kind, third.story_id) == ("b", "near", "a")


def test_ties_go_to_the_earliest_document() -> None:
    finder = DuplicateFinder(Settings())
    finder.check(doc("first", STORY))
    finder.check(doc("second", STORY + "!"))  # an exact copy: the same signature
    edited, _ = finder.check(doc("third", EDITED))
    assert edited.duplicate_of == "first"


def test_earlier_runs_seed_the_finder() -> None:
    earlier = DuplicateFinder(Settings())
    stored = [earlier.check(doc(i, body)) for i, body in (("a", STORY), ("b", EDITED))]
    later = DuplicateFinder(Settings())
    for document, signature in stored:
        assert document.story_id is not None
        later.add_known(document.doc_id, document.story_id, document.content_hash, signature)
    exact, _ = later.check(doc("x", STORY.upper()))
    assert (exact.duplicate_of, exact.duplicate_kind, exact.story_id) == ("a", "exact", "a")
    near, _ = later.check(doc("y", EDITED.replace("Tamale", "Bolgatanga")))
    assert (near.duplicate_of, near.duplicate_kind, near.story_id) == ("b", "near", "a")
    fresh, _ = later.check(doc("z", OTHER))
    assert fresh.duplicate_of is None and fresh.story_id == "z"


def test_a_signature_from_other_settings_still_allows_exact_matches() -> None:
    finder = DuplicateFinder(Settings())
    finder.add_known("a", "a", content_hash(STORY), [1, 2, 3])  # 3 permutations, not 128
    finder.add_known("b", "b", content_hash(OTHER), [-1] * 128)  # not a signature at all
    exact, _ = finder.check(doc("x", STORY))
    assert (exact.duplicate_of, exact.duplicate_kind) == ("a", "exact")
    near, _ = finder.check(doc("y", EDITED))
    assert near.duplicate_of == "x"  # not "a": its signature could not be compared
    # A stored near copy whose signature cannot be compared keeps the story it was given.
    stored = "Floods closed schools in three provinces; no earlier document resembles it."
    finder.add_known("z", "a", content_hash(stored), [7] * 5)
    assert finder.check(doc("z", stored))[0].story_id == "a"


def test_reingest_is_not_a_self_duplicate_and_keeps_its_verdict() -> None:
    first_run = DuplicateFinder(Settings())
    original, _ = first_run.check(doc("a", STORY))
    edited, signature = first_run.check(doc("b", EDITED))
    again, again_signature = first_run.check(doc("a", STORY))  # the same input in one run
    assert again == original and again.duplicate_of is None
    assert first_run.check(doc("b", EDITED)) == (edited, signature)
    assert len(first_run) == 2  # nothing registered twice

    second_run = DuplicateFinder(Settings())
    second_run.add_known("a", "a", original.content_hash, again_signature)
    second_run.add_known("b", "a", edited.content_hash, signature)
    assert second_run.check(doc("a", STORY))[0] == original
    assert second_run.check(doc("b", EDITED))[0] == edited  # still a near copy of a
    # A later exact copy of a is a copy of a, even when a was re-checked in between.
    copy, _ = second_run.check(doc("c", STORY))
    assert (copy.duplicate_of, copy.duplicate_kind) == ("a", "exact")


def test_wordless_bodies_are_not_near_duplicates() -> None:
    finder = DuplicateFinder(Settings())
    finder.check(doc("a", "* * * * *"))
    other, _ = finder.check(doc("b", "- - - - - - -"))
    assert other.duplicate_kind == "exact"  # both normalise to nothing: same content hash
    # Empty shingle sets have equal signatures, but that is no evidence of a shared story.
    rehashed, _ = finder.check(dataclasses.replace(doc("c", "* * *"), content_hash="other"))
    assert rehashed.duplicate_of is None
    assert finder.check(doc("d", "Talks resumed."))[0].duplicate_of is None


def test_threshold_and_signature_shape_are_settings() -> None:
    strict = DuplicateFinder(Settings(near_duplicate_threshold=0.99))
    strict.check(doc("a", STORY))
    edited, _ = strict.check(doc("b", EDITED))
    assert edited.duplicate_of is None and edited.story_id == "b"

    small = DuplicateFinder(Settings(minhash_permutations=32, shingle_words=3))
    _, signature = small.check(doc("a", STORY))
    assert len(signature) == 32
    assert small.signature_scheme != DuplicateFinder(Settings()).signature_scheme

    for bad in (
        Settings(near_duplicate_threshold=0.0),
        Settings(near_duplicate_threshold=1.5),
        Settings(minhash_permutations=1),
        Settings(shingle_words=0),
    ):
        with pytest.raises(SettingsError):
            DuplicateFinder(bad)

from __future__ import annotations

import dataclasses

from thucydides.dedup import DuplicateFinder, content_hash, normalise_for_hash, shingles
from thucydides.settings import Settings
from thucydides.types import Document, Metadata, OffsetMap

STORY = (
    "Ministers from Ghana and Burkina Faso met in Accra on Thursday to agree a plan against "
    "armed groups operating along their northern border. The two governments will share "
    "intelligence, run joint patrols and open a liaison office in Tamale, according to a "
    "statement read by Ghana's defence minister after four hours of talks. Burkina Faso's "
    "delegation said the plan would take effect next month and that a review was due in "
    "December. Regional officials welcomed the deal, though several analysts warned that "
    "patrols alone would not stop the attacks on farming villages that have displaced "
    "thousands of people this year. Both sides also pledged to improve roads to the border "
    "posts so that troops could reach remote areas quickly during the rainy season."
)
OTHER = (
    "The central bank of Chile raised its benchmark interest rate by half a point on "
    "Wednesday, citing stubborn inflation in food and energy prices. Economists had expected "
    "a smaller move. The bank said further increases were possible if prices kept rising."
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


def test_normalisation_ignores_case_quotes_and_spacing() -> None:
    assert normalise_for_hash("Ghana’s  “plan”,\nNOW!") == normalise_for_hash('ghana\'s "plan" now')
    assert shingles("a b c", 5) == {"a b c"}
    assert len(shingles(STORY, 5)) > 100


def test_exact_near_and_original() -> None:
    finder = DuplicateFinder(Settings())
    first, signature = finder.check(doc("a", STORY))
    assert first.duplicate_of is None and first.story_id == "a" and len(signature) == 128

    exact, _ = finder.check(doc("b", STORY.replace("’", "'").replace(" ", "  ").upper()))
    assert (exact.duplicate_of, exact.duplicate_kind, exact.similarity) == ("a", "exact", 1.0)

    edited = STORY.replace("Thursday", "Friday").replace("four hours", "five hours")
    near, _ = finder.check(doc("c", edited + " (Wire Service)"))
    assert near.duplicate_of == "a" and near.duplicate_kind == "near"
    assert 0.8 <= near.similarity < 1.0 and near.story_id == "a"

    other, _ = finder.check(doc("d", OTHER))
    assert other.duplicate_of is None and other.story_id == "d"


def test_story_chains_to_the_first_document() -> None:
    finder = DuplicateFinder(Settings())
    finder.check(doc("a", STORY))
    finder.check(doc("b", STORY + " Officials gave no further details."))
    third, _ = finder.check(doc("c", STORY + " Officials gave no further details. More later."))
    assert third.story_id == "a"


def test_earlier_runs_seed_the_finder_and_reingest_is_not_a_self_duplicate() -> None:
    earlier = DuplicateFinder(Settings())
    stored, signature = earlier.check(doc("a", STORY))
    later = DuplicateFinder(Settings())
    later.add_known("a", "a", stored.content_hash, signature)
    copy, _ = later.check(doc("b", STORY))
    assert copy.duplicate_of == "a"
    again, _ = later.check(doc("a", STORY))
    assert again.duplicate_of is None and again.story_id == "a"


def test_threshold_is_a_setting() -> None:
    strict = DuplicateFinder(Settings(near_duplicate_threshold=0.99))
    strict.check(doc("a", STORY))
    edited, _ = strict.check(doc("b", STORY.replace("Thursday", "Friday")))
    assert edited.duplicate_of is None
    assert dataclasses.replace(edited).story_id == "b"

from __future__ import annotations

import pytest

from thucydides.clean import Cleaner
from thucydides.metadata import LanguageDetector, MetadataExtractor, PublisherLexicon
from thucydides.types import Hints, Metadata

CLEANER = Cleaner()


@pytest.fixture(scope="module")
def extractor() -> MetadataExtractor:
    return MetadataExtractor(PublisherLexicon(), LanguageDetector())


def test_outlet_byline_is_publisher_and_wire_credit_is_found(extractor) -> None:
    raw = (
        "Kenya and Uganda open new rail link\n"
        "By Nairobi Daily Published : August 2, 2021 - 10:05\n"
        "Kenya and Uganda opened a rail link between Nairobi and Kampala on Sunday.\n"
        "The presidents of both countries attended the ceremony in Malaba. (Reuters)\n"
    )
    meta = extractor.extract(CLEANER.clean(raw), Hints())
    assert meta.title == "Kenya and Uganda open new rail link"
    assert meta.publisher == "Nairobi Daily"
    assert meta.author is None
    assert meta.wire_source == "Reuters"
    assert meta.published == "2021-08-02T10:05:00"
    assert meta.language == "en"


def test_person_byline_is_author_and_outlet_part_is_publisher(extractor) -> None:
    raw = (
        "Talks resume in Geneva\n"
        "By Anna Keller, Alpine Times\n"
        "GENEVA (Swiss Wire Agency) - Delegates from Armenia and Azerbaijan resumed talks.\n"
    )
    meta = extractor.extract(CLEANER.clean(raw), Hints())
    assert meta.author == "Anna Keller"
    assert meta.publisher == "Alpine Times"
    assert meta.wire_source == "Swiss Wire Agency"


def test_signature_line_gives_author_not_publisher(extractor) -> None:
    raw = (
        "Morocco and Spain agree on fishing quotas\n\n"
        "Posted June. 4, 2003 11:20,\n\n"
        "Morocco and Spain agreed on new fishing quotas on Tuesday, officials in Rabat said.\n\n"
        "Omar Benali obenali@coastnews.example\n"
    )
    meta = extractor.extract(CLEANER.clean(raw), Hints())
    assert meta.author == "Omar Benali"
    assert meta.publisher is None
    assert meta.published == "2003-06-04T11:20:00"


def test_container_hints_win_and_url_names_publisher(extractor) -> None:
    raw = "Officials in Seoul said talks with Tokyo would resume next month after a long pause."
    hints = Hints(
        title="Seoul, Tokyo to resume talks",
        date="2019-11-02",
        url="https://www.koreaherald.com/view.php?ud=1",
    )
    meta = extractor.extract(CLEANER.clean(raw), hints)
    assert meta.title == "Seoul, Tokyo to resume talks"
    assert meta.published == "2019-11-02"
    assert meta.publisher == "Korea Herald"
    assert meta.url == "https://www.koreaherald.com/view.php?ud=1"


def test_page_metadata_time_upgrades_a_date_only_hint(extractor) -> None:
    clean = CLEANER.clean("Ministers from Chile and Peru met in Lima on Monday to discuss trade.")
    meta = extractor.extract(
        clean, Hints(date="2020-01-06"), Metadata(published="2020-01-06T09:30:00")
    )
    assert meta.published == "2020-01-06T09:30:00"


def test_language_of_non_english_text(extractor) -> None:
    clean = CLEANER.clean(
        "Die Außenminister Deutschlands und Frankreichs trafen sich am Montag in Berlin, "
        "um über die Lage in der Ukraine zu sprechen.",
        detect_title=False,
    )
    assert extractor.extract(clean, Hints()).language == "de"


def test_too_short_to_tell_is_none() -> None:
    assert LanguageDetector().detect("Ok") is None

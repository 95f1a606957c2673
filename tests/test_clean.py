"""The cleaner on our own small pages, and properties of its offset map."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from thucydides.clean import Cleaner, normalise_typography

CLEANER = Cleaner()

PAGE = """Go to contents
Home | World | Asia

Chile and Peru agree to reopen border crossings
By Andes HeraldPublished : June 3, 2019 - 08:15

한국어

Chile and Peru agreed on Monday to reopen two border crossings closed since the floods.
The interior ministers of both countries met in Arica for three hours, officials said.
“We have a common interest in trade,” Chile‘s minister said. “Trucks can move again.”
The interior ministers of both countries met in Arica for three hours, officials said.
-
Share this article
Articles by Andes Herald
Carla Rojas carla.rojas@andesherald.example
"""


def paragraphs(raw: str) -> list[str]:
    clean = CLEANER.clean(raw)
    return [clean.body[p.start : p.end] for p in clean.paragraphs]


def test_page_furniture_removed_and_story_kept() -> None:
    clean = CLEANER.clean(PAGE)
    assert paragraphs(PAGE) == [
        "Chile and Peru agreed on Monday to reopen two border crossings closed since the floods.",
        "The interior ministers of both countries met in Arica for three hours, officials said.",
        '"We have a common interest in trade," Chile\'s minister said. "Trucks can move again."',
    ]
    assert clean.title_line == "Chile and Peru agree to reopen border crossings"
    assert clean.byline == "Andes Herald"
    assert clean.date_line is not None and "June 3, 2019" in clean.date_line
    assert clean.footer_names == ("Andes Herald",)
    assert clean.emails == ("carla.rojas@andesherald.example",)
    assert clean.repeated_paragraphs == 1
    for gone in ("Go to contents", "Share this", "한국어", "Articles by", "@", "Published"):
        assert gone not in clean.body
    assert clean.body.count("\n\n") == 2


def test_backtick_apostrophes_and_curly_quotes_become_plain() -> None:
    text, _ = normalise_typography("chief`s ‘visit’ “talks” ``quoted'' it’s")
    assert text == "chief's 'visit' \"talks\" \"quoted\" it's"


def test_hard_wrapped_paragraphs_are_joined() -> None:
    raw = (
        "The foreign ministers of Ghana and Togo met in Lome on Friday to discuss\n"
        "smuggling across their shared border and agreed to set up joint patrols\n"
        "before the end of the year, the ministry said.\n"
        "\n"
        "A second meeting is planned for March.\n"
    )
    assert paragraphs(raw) == [
        "The foreign ministers of Ghana and Togo met in Lome on Friday to discuss smuggling "
        "across their shared border and agreed to set up joint patrols before the end of the "
        "year, the ministry said.",
        "A second meeting is planned for March.",
    ]


def test_sentences_starting_with_by_are_not_bylines() -> None:
    raw = (
        "Troops leave the border zone\n"
        "By Tuesday, March 12, 2012 the troops had left the zone, officials said.\n"
        "By contrast, the navy stayed in port.\n"
    )
    assert paragraphs(raw) == [
        "By Tuesday, March 12, 2012 the troops had left the zone, officials said.",
        "By contrast, the navy stayed in port.",
    ]


def test_title_line_kept_in_body_when_it_reads_as_a_sentence() -> None:
    raw = "Officials said the talks would continue.\nA second round is planned.\n"
    clean = CLEANER.clean(raw)
    assert clean.title_line is None
    assert len(clean.paragraphs) == 2


def test_non_latin_page_is_not_emptied() -> None:
    raw = "한국과 러시아는 이번 주 모스크바에서 회담을 연다\n국방부가 월요일 밝혔다\n"
    clean = CLEANER.clean(raw, detect_title=False)
    assert len(clean.paragraphs) == 2


def _word_spans(body: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", body) if m.group() != "\n\n"]


def assert_offsets_point_into_raw(raw: str) -> None:
    clean = CLEANER.clean(raw)
    segments = clean.offset_map.segments
    for a, b in itertools.pairwise(segments):
        assert a.clean_end == b.clean_start
    for start, end in _word_spans(clean.body):
        raw_start, raw_end = clean.offset_map.to_raw(start, end)
        assert 0 <= raw_start <= raw_end <= len(raw)
        # The raw slice, normalised the same way, gives back the same word.
        assert normalise_typography(raw[raw_start:raw_end])[0].split() == [clean.body[start:end]]
    for span in clean.paragraphs:
        raw_start, raw_end = clean.offset_map.to_raw(span.start, span.end)
        restored = " ".join(normalise_typography(raw[raw_start:raw_end])[0].split())
        assert restored == clean.body[span.start : span.end]


def test_offsets_of_a_page_point_into_raw() -> None:
    assert_offsets_point_into_raw(PAGE)


_news_alphabet = st.sampled_from(
    [
        *list("abcdefghij KLMNOP.,;:-—'`\"‘’“”\xa0\t\r\n@#()0123456789é한"),
        "\n\n",
        "By ",
        "Published : ",
        "Articles by ",
        "``",
        "''",
        "\u200b",
        "Go to contents\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_news_alphabet, max_size=200).map("".join))
def test_cleaner_never_crashes_and_offsets_point_back(raw: str) -> None:
    assert_offsets_point_into_raw(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_cleaner_never_crashes_on_any_text(raw: str) -> None:
    clean = CLEANER.clean(raw)
    assert all(0 <= p.start <= p.end <= len(clean.body) for p in clean.paragraphs)
    for span in clean.paragraphs:
        raw_start, raw_end = clean.offset_map.to_raw(span.start, span.end)
        assert 0 <= raw_start <= raw_end <= len(raw)


def test_title_directly_above_the_body_is_not_joined_to_it() -> None:
    raw = (
        "Chile and Peru agree to reopen border crossings\n"
        "Chile and Peru agreed on Monday to reopen two border crossings that were closed in "
        "January after floods, the foreign ministries of both countries said in Lima.\n"
    )
    clean = CLEANER.clean(raw)
    assert clean.title_line == "Chile and Peru agree to reopen border crossings"
    assert len(clean.paragraphs) == 1

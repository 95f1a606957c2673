"""Actors by date (coder/holders.py, actors.OfficeHolderLexicon): a named person is coded with the
office held on the event's date, our own rows win over imported ones where both speak, and a
name two people share is the one of the document's countries. Invented people and sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from thucydides.actors import OfficeHolderLexicon
from thucydides.coder import Coder
from thucydides.settings import Settings
from thucydides.types import Event

_HEADER = "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\tsource\n"
_ROWS = [
    # A foreign minister who went into opposition: two offices, two dates.
    "Maren Holtvik\tHoltvik\tNOR\t\tGOV\tforeign minister\t2009-10-01\t2013-10-15\t\tthucydides",
    "Maren Holtvik\tHoltvik\tNOR\t\tOPP\topposition leader\t2013-10-16\t\t\tthucydides",
    # Another person with the same surname alias, of another country.
    "Per Holtvik\tHoltvik\tDNK\t\tGOV\ttrade minister\t2012-01-01\t\t\tthucydides",
]


@pytest.fixture(scope="module")
def lexicon_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("holders")
    (folder / "office_holders.tsv").write_text(_HEADER + "\n".join(_ROWS) + "\n")
    return folder


@pytest.fixture(scope="module")
def coder(lexicon_dir: Path) -> Coder:
    return Coder(Settings(), lexicon_dir)


def _criticisms(events: list[Event]) -> list[tuple[str, str | None]]:
    return [
        (e.source.code, e.target.code if e.target else None)
        for e in events
        if e.cameo.startswith("11")
    ]


def test_the_event_date_picks_the_office_not_the_article_date(coder: Coder) -> None:
    published = "2016-05-10"
    now = coder.code_text("Maren Holtvik criticised Sweden on Monday.", published)
    assert ("NOROPP", "SWE") in _criticisms(now)
    then = coder.code_text("In March 2011, Maren Holtvik criticised Sweden.", published)
    assert ("NORGOV", "SWE") in _criticisms(then)
    event = next(e for e in then if e.cameo.startswith("11"))
    assert event.date == "2011-03"
    assert event.source.role == "foreign minister"


def test_the_clauses_own_date_picks_the_office(coder: Coder) -> None:
    # The date at the end of the clause dates the event as well as one before it does.
    events = coder.code_text("Maren Holtvik met the Swedish prime minister in 2011.", "2016-05-10")
    met = [(e.source.code, e.source.role, e.date) for e in events if e.source.name]
    assert met == [("NORGOV", "foreign minister", "2011")]


def test_an_event_a_later_sentence_dates_takes_the_office_of_that_date(coder: Coder) -> None:
    # The first sentence is coded with the article's date (she leads the opposition by then);
    # the second, without an actor of its own, retells the signing with its date: the event is
    # dated by it and its person recoded with the office held on that day.
    text = (
        "Maren Holtvik signed a fishing accord with Sweden.\n\n"
        "The accord was signed on 4 March 2011."
    )
    events = [e for e in coder.code_text(text, "2016-05-10") if e.cameo.startswith("05")]
    assert [(e.source.code, e.source.role, e.date, e.date_source) for e in events] == [
        ("NORGOV", "foreign minister", "2011-03-04", "retelling")
    ]
    assert "office_holders.tsv:2" in events[0].source.entry
    # Without the dating sentence the article's date holds.
    alone = coder.code_text("Maren Holtvik signed a fishing accord with Sweden.", "2016-05-10")
    assert [e.source.code for e in alone if e.cameo.startswith("05")] == ["NOROPP"]


def test_a_dated_sentence_without_an_actor_is_parsed_after_one_with_a_name(coder: Coder) -> None:
    assert coder.could_hold_event("The accord was signed on 4 March 2011.", named_before=True)
    assert coder.could_hold_event("The accord was signed in 2011.", named_before=True)
    assert not coder.could_hold_event("The accord was signed on Monday.", named_before=False)
    assert not coder.could_hold_event("The accord was signed in 2011.", named_before=False)
    # "may" is a modal verb, not the month, without a number.
    assert not coder.could_hold_event("The accord may be signed soon.", named_before=True)


def test_an_office_word_in_the_mention_keeps_its_sector(coder: Coder) -> None:
    # The text says what she is; only the row's own coding follows the date.
    events = coder.code_text(
        "In March 2011, Norwegian opposition figure Maren Holtvik criticised Sweden.",
        "2016-05-10",
    )
    assert [s for s, _ in _criticisms(events)] == ["NOROPP"]


def test_a_shared_alias_is_the_person_of_the_documents_country(coder: Coder) -> None:
    danish = coder.code_text(
        "Denmark's government met in Copenhagen on Sunday.\n\nHoltvik criticised Sweden on Monday.",
        "2016-05-10",
    )
    assert ("DNKGOV", "SWE") in _criticisms(danish)
    norwegian = coder.code_text(
        "Norway's parliament met in Oslo on Sunday.\n\nHoltvik criticised Sweden on Monday.",
        "2016-05-10",
    )
    assert ("NOROPP", "SWE") in _criticisms(norwegian)


def test_our_rows_win_over_imported_rows_from_their_first_day(tmp_path: Path) -> None:
    rows = [
        # Imported: a legislator, then minister "from 2005" with no end (the dictionary's
        # open-ended term, which would outlive the office).
        "Ilse Branntor\t\tAUT\t\tLEG\tlegislator\t2001-01-01\t2004-12-31\t\tpetrarch2:x.txt:3",
        "Ilse Branntor\t\tAUT\t\tGOV\tgovernment\t2005-01-01\t\t\tpetrarch2:x.txt:4",
        # Ours: minister until 2012, then opposition.
        "Ilse Branntor\t\tAUT\t\tGOV\tinterior minister\t2005-01-01\t2012-06-30\t\tthucydides",
        "Ilse Branntor\t\tAUT\t\tOPP\topposition leader\t2012-07-01\t\t\tthucydides",
    ]
    (tmp_path / "office_holders.tsv").write_text(_HEADER + "\n".join(rows) + "\n")
    holders = OfficeHolderLexicon(tmp_path)
    later = holders.lookup("Ilse Branntor", date(2016, 1, 1))
    assert later is not None and (later.sector, later.source) == ("OPP", "thucydides")
    both = holders.lookup("Ilse Branntor", date(2008, 1, 1))
    assert both is not None and both.role == "interior minister"  # ours, on the same start
    before = holders.lookup("Ilse Branntor", date(2003, 1, 1))
    assert before is not None and (before.sector, before.source) == ("LEG", "petrarch2:x.txt:3")


def test_a_file_without_the_source_column_is_all_our_rows(tmp_path: Path) -> None:
    header = _HEADER.replace("\tsource", "")
    row = "Ilse Branntor\t\tAUT\t\tGOV\tinterior minister\t2005-01-01\t2012-06-30\t"
    (tmp_path / "office_holders.tsv").write_text(header + row + "\n")
    found = OfficeHolderLexicon(tmp_path).lookup("Ilse Branntor", date(2008, 1, 1))
    assert found is not None and found.hand and found.source == ""

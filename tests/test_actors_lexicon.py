from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from thucydides.actors import COUNTRY_COLUMNS, CountryLexicon
from thucydides.lexicon import load_table


@pytest.fixture(scope="module")
def countries() -> CountryLexicon:
    return CountryLexicon()


@pytest.mark.parametrize(
    ("mention", "code", "kind"),
    [
        ("S. Korea", "KOR", "name"), ("South Korean", "KOR", "demonym"),
        ("Seoul", "KOR", "capital"), ("N. Korea", "PRK", "name"),
        ("North Korean", "PRK", "demonym"), ("Pyongyang", "PRK", "capital"),
        ("Moscow", "RUS", "capital"), ("the Kremlin", "RUS", "seat"),
        ("Russian", "RUS", "demonym"), ("U.S.", "USA", "name"), ("Britain", "GBR", "name"),
        ("Côte d'Ivoire", "CIV", "name"), ("Burkinabe", "BFA", "demonym"),
    ],
)  # fmt: skip
def test_mentions(countries: CountryLexicon, mention: str, code: str, kind: str) -> None:
    match = countries.lookup(mention)
    assert match is not None and (match.code, match.kind) == (code, kind)
    assert match.entry.startswith("countries.tsv:")


def test_lowercase_pronoun_is_not_a_country(countries: CountryLexicon) -> None:
    assert countries.lookup("us") is None and countries.lookup("US").code == "USA"


def test_every_row_is_a_real_iso3_code() -> None:
    rows = load_table("countries.tsv", COUNTRY_COLUMNS)
    codes = [row.values["code"] for row in rows]
    assert len(codes) == len(set(codes)) >= 240
    # Kosovo has no ISO 3166 code; XKX is the one the EU and the IMF use.
    assert all(pycountry.countries.get(alpha_3=code) or code == "XKX" for code in codes)


def test_user_overlay_can_add_names(tmp_path: Path) -> None:
    (tmp_path / "countries.tsv").write_text(
        "code\tname\tnames\tdemonyms\tcapital\tseats\nKOR\tKorea\tHanguk\t\t\tYongsan\n",
        encoding="utf-8",
    )
    lexicon = CountryLexicon(tmp_path)
    assert lexicon.lookup("Hanguk").code == "KOR" and lexicon.lookup("Yongsan").kind == "seat"

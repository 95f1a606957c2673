"""Placing (coder/placing.py): where an event happened, from its own clause."""

from __future__ import annotations

import pytest

from thucydides.coder.placing import PlaceFinder
from thucydides.places import Gazetteer
from thucydides.types import Place

from .coder_steps import Read, index_of


@pytest.fixture(scope="module")
def places() -> PlaceFinder:
    return PlaceFinder(Gazetteer())


def _place(
    places: PlaceFinder, read: Read, text: str, word: str, **how: bool
) -> tuple[str, str | None, str] | None:
    actors = read(text)
    place = places.for_trigger(actors.sentence, actors, index_of(actors, word), None, **how)
    if place is None:
        return None
    assert isinstance(place, Place)
    assert actors.sentence.text[place.start - actors.sentence.start :].startswith(place.text)
    return place.name, place.country, place.text


def test_a_place_after_in_on_the_triggers_clause(places: PlaceFinder, read: Read) -> None:
    text = "Chile and Peru signed a treaty in Lima."
    assert _place(places, read, text, "signed") == ("Lima", "PER", "Lima")
    text = "Officials met in the capital Kabul."
    assert _place(places, read, text, "met") == ("Kabul", "AFG", "Kabul")
    assert _place(places, read, "Chile signed a treaty with Peru.", "signed") is None


def test_a_place_inside_the_triggers_objects(places: PlaceFinder, read: Read) -> None:
    text = "Israeli troops fired shells at targets in Jericho."
    assert _place(places, read, text, "fired") == ("Jericho", "PSE", "Jericho")


def test_a_visits_destination_is_its_place(places: PlaceFinder, read: Read) -> None:
    text = "The Chilean minister will travel to Moscow."
    assert _place(places, read, text, "travel") is None
    assert _place(places, read, text, "travel", destination=True) == ("Moscow", "RUS", "Moscow")


def test_what_force_struck_is_where_it_happened(places: PlaceFinder, read: Read) -> None:
    text = "Syrian jets shelled districts of Aleppo."
    assert _place(places, read, text, "shelled") is None
    assert _place(places, read, text, "shelled", struck=True) == ("Aleppo", "SYR", "Aleppo")

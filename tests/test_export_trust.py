"""Exports other tools can trust (issue 10, part 3): resolved actor names, the date policy,
CAMEO actor codes, ICEWS names and sectors, PLOVER's own fields, the CSV schema, -o -."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.errors import ThucydidesError
from thucydides.export import (
    GDELT_COLUMNS,
    ICEWS_COLUMNS,
    PLOVER_QUAD,
    POLECAT_COLUMNS,
    POLECAT_EMPTY,
    cow_code,
    csv_schema_path,
    export_events,
    gw_code,
)
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store

# Invented articles: Turkish shelling, an accusation and a PKK attack (2018); Kosovo and Serbia,
# NATO's bombing retold from 1999, Russian criticism (2019); talks in Cairo and Iranian threats
# told by pronouns (2017).
ARTICLES = [
    {
        "id": "border",
        "url": "https://example.org/news/border",
        "source": "Example Wire",
        "date": "2018-02-14",
        "text": "Turkish troops shell Kurdish positions\n\n"
        "Turkish troops shelled Kurdish positions in northern Syria on Monday, officials said.\n\n"
        "The Turkish government accused Syria of sheltering militants on Wednesday.\n\n"
        "PKK militants attacked a Turkish army post near the Iraqi border on Wednesday.",
    },
    {
        "id": "kosovo",
        "url": "https://example.org/news/kosovo",
        "source": "Example Times",
        "date": "2019-05-20",
        "text": "Kosovo accuses Serbia\n\n"
        "Kosovo accused Serbia of provoking unrest along their border on Sunday.\n\n"
        "In 1999, NATO bombed Serbia for 78 days.\n\n"
        "Russian officials criticised NATO on Monday.",
    },
    {
        "id": "cairo",
        "url": "https://example.org/news/cairo",
        "source": "Example Post",
        "date": "2017-07-03",
        "text": "Egypt hosts talks\n\n"
        "Egypt's foreign minister met Israeli officials in Cairo on Monday.\n\n"
        "He later criticised Iran for its role in Yemen.\n\n"
        "The Iranian government said on Tuesday that it would sanction Saudi Arabia.\n\n"
        "It also threatened Bahrain on Tuesday.\n\n"
        "Thousands of Iranian students protested in Tehran on Wednesday.\n\n"
        "The Egyptian government is considering new taxes.",
    },
]

PRONOUNS = {"I", "WE", "YOU", "HE", "SHE", "IT", "THEY", "THEM", "US"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trust")
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(item) + "\n" for item in ARTICLES), encoding="utf-8")
    settings = Settings(db=str(folder / "store.duckdb"))
    extract([str(source)], settings, ExtractOptions(on_error="raise"))
    with Store(settings.db) as store:
        # The coder rarely codes a monadic statement in so short a text: one is added to the
        # store as the coder writes them ("The Egyptian government is considering new taxes":
        # CAMEO 014, no target, no PLOVER type).
        base = next(e for e in store.get_events() if e.source.country == "EGY")
        store.add_events(
            [
                dataclasses.replace(
                    base, event_id="monadic-014", target=None, cameo="014", plover_type="",
                    plover_mode="", plover_context="", quad_class=1, goldstein=0.0,
                    sentence_index=5,
                )
            ],
            None,
        )  # fmt: skip
    return Path(settings.db)


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db) as opened:
        yield opened


def jsonl(store: Store, tmp_path: Path, **options: Any) -> list[dict[str, Any]]:
    path = tmp_path / "events.jsonl"
    export_events(store, "jsonl", path, **options)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def gdelt(store: Store, tmp_path: Path, **options: Any) -> list[dict[str, str]]:
    path = tmp_path / "events.gdelt.tsv"
    export_events(store, "gdelt", path, **options)
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    extra = ["CoarseDate"] if options.get("include_coarse_dates") else []
    return [dict(zip([*GDELT_COLUMNS, *extra], row, strict=True)) for row in rows]


def icews(store: Store, tmp_path: Path, **options: Any) -> pd.DataFrame:
    path = tmp_path / "events.icews.tsv"
    export_events(store, "icews", path, **options)
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)


def test_names_are_resolved_never_a_pronoun(store: Store, tmp_path: Path) -> None:
    records = jsonl(store, tmp_path)
    # The store has an actor told by a pronoun: the test can fail.
    told = [r for r in records if r["source"]["text"] in ("It", "it", "He")]
    assert len(told) >= 2 and {r["source"]["country"] for r in told} <= {"IRN", "EGY"}
    rows = gdelt(store, tmp_path, include_monadic=True, include_coarse_dates=True)
    names = [row[f"Actor{side}Name"] for row in rows for side in (1, 2)]
    assert not PRONOUNS & set(names)
    assert all(len(name.split()) <= 4 for name in names)
    assert "IRAN" in [row["Actor1Name"] for row in rows if row["Actor2CountryCode"] == "BHR"]
    frame = icews(store, tmp_path, include_monadic=True, include_coarse_dates=True)
    assert not PRONOUNS & {n.upper() for n in [*frame["Source Name"], *frame["Target Name"]]}
    accusation = frame[(frame["CAMEO Code"] == "112") & (frame["Target Country"] == "Syria")]
    assert list(accusation["Source Name"]) == ["Government (Turkey)"]


def test_non_state_groups_and_kosovo_follow_cameo(store: Store, tmp_path: Path) -> None:
    rows = gdelt(store, tmp_path)
    pkk = [row for row in rows if row["Actor1KnownGroupCode"] == "PKK"]
    assert pkk, rows
    assert pkk[0]["Actor1Code"] == "TURREB" and pkk[0]["Actor1Type1Code"] == "REB"
    assert not any(row["Actor1Code"].startswith("NSA") for row in rows)
    kosovo = [row for row in rows if row["Actor1CountryCode"] == "KSV"]
    assert kosovo and kosovo[0]["Actor1Code"] == "KSV"
    assert "XKX" not in {row["Actor1CountryCode"] for row in rows}
    frame = icews(store, tmp_path)
    group = frame[frame["Source Name"].str.contains("PKK|Kurdistan")]
    assert len(group) == 1
    assert group.iloc[0]["Source Sectors"] == "Rebels"  # not "International Organizations"
    assert "Russian Federation" in set(frame["Source Country"])
    assert "Russia" not in set(frame["Source Country"])
    # ... while its actor names call it Russia, as ICEWS does ("Extremist (Russia)").
    russian = frame[frame["Source Country"] == "Russian Federation"]
    assert set(russian["Source Name"]) == {"Government (Russia)"}


def test_icews_country_names_are_icews_own(db: Path, tmp_path: Path) -> None:
    expected = {
        "NLD": "Netherlands", "CZE": "Czech Republic", "CIV": "Cote d'Ivoire",
        "COD": "Democratic Republic of Congo", "MKD": "the former Yugoslav Republic of Macedonia",
        "SWZ": "Swaziland", "PSE": "Occupied Palestinian Territory",
    }  # fmt: skip
    copy = tmp_path / "store.duckdb"
    shutil.copy(db, copy)
    with Store(copy) as store:
        # Day-dated events with a target, given one of these countries as source and target.
        ids = [
            row["event_id"]
            for row in store.query(
                "SELECT event_id FROM events WHERE target_text IS NOT NULL "
                "AND date_precision = 'day' ORDER BY event_id"
            ).to_pylist()
        ]
        assert len(ids) >= len(expected)
        for event_id, iso3 in zip(ids, expected, strict=False):
            store.connection.execute(
                "UPDATE events SET source_country = ?, target_country = ? WHERE event_id = ?",
                [iso3, iso3, event_id],
            )
        frame = icews(store, tmp_path)
    pairs = set(zip(frame["Source Country"], frame["Target Country"], strict=True))
    assert {(name, name) for name in expected.values()} <= pairs


def test_state_numbers_in_our_formats(store: Store, tmp_path: Path) -> None:
    records = jsonl(store, tmp_path)
    by_country = {r["source"]["country"]: r["source"]["gw_code"] for r in records}
    assert by_country["IRN"] == 630 and by_country["TUR"] == 640 and by_country["RUS"] == 365
    export_events(store, "parquet", tmp_path / "parquet")
    table = ds.dataset(tmp_path / "parquet", format="parquet", partitioning="hive").to_table()
    countries, numbers = table["target_country"].to_pylist(), table["target_gw_code"].to_pylist()
    pairs = set(zip(countries, numbers, strict=True))
    assert ("BHR", 692) in pairs and ("SRB", 340) in pairs


def test_correlates_of_war_numbers_are_cows_own(store: Store, tmp_path: Path) -> None:
    # COW and Gleditsch-Ward differ for Serbia (COW keeps Yugoslavia's 345, GW 340), Germany
    # (255 / 260), Vietnam (816) and Yemen (679): the COW columns hold COW's numbers.
    assert [cow_code(c) for c in ("SRB", "DEU", "VNM", "YEM", "XKX", "GBR")] == [
        345, 255, 816, 679, 347, 200,
    ]  # fmt: skip
    assert cow_code("PSE") is None and cow_code("HKG") is None and cow_code(None) is None
    records = jsonl(store, tmp_path)
    sources = {r["source"]["country"]: r["source"]["cow_code"] for r in records}
    assert sources["XKX"] == 347 and sources["IRN"] == 630
    targets = {r["target"]["country"]: r["target"]["cow_code"] for r in records if r["target"]}
    assert targets["SRB"] == 345
    export_events(store, "parquet", tmp_path / "parquet")
    table = ds.dataset(tmp_path / "parquet", format="parquet", partitioning="hive").to_table()
    countries, numbers = table["target_country"].to_pylist(), table["target_cow_code"].to_pylist()
    assert ("SRB", 345) in set(zip(countries, numbers, strict=True))
    path = tmp_path / "events.csv"
    export_events(store, "csv", path)
    schema = json.loads(csv_schema_path(path).read_text(encoding="utf-8"))
    dtypes = {column["name"]: column["dtype"] for column in schema["columns"]}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    serbia = frame[frame["target_country"] == "SRB"]
    assert set(serbia["target_cow_code"]) == {345} and set(serbia["target_gw_code"]) == {340}
    polecat = pd.read_csv(
        _polecat(store, tmp_path), sep="\t", dtype=str, keep_default_na=False,
        quoting=csv.QUOTE_NONE,
    )  # fmt: skip
    kosovo = polecat[polecat["Actor Name"] == "Kosovo"]
    assert list(kosovo["Actor COW"]) == ["347"] and list(kosovo["Recipient COW"]) == ["345"]
    assert list(kosovo["Actor Country"]) == ["XKX"]  # ISO-3, as POLECAT; KSV is CAMEO's


def test_gleditsch_ward_numbers_are_the_lists() -> None:
    # The Gleditsch-Ward list: Czech Republic 316 (315 was Czechoslovakia), Yemen 678 (680 was
    # South Yemen), Vietnam 816 (817 was South Vietnam); its microstates apart (Kiribati 970).
    countries = ("CZE", "YEM", "VNM", "DEU", "SRB", "RUS", "KIR")
    assert [gw_code(c) for c in countries] == [316, 678, 816, 260, 340, 365, 970]
    assert gw_code("PSE") is None and gw_code(None) is None


def _polecat(store: Store, tmp_path: Path, **options: Any) -> Path:
    path = tmp_path / "events.polecat.tsv"
    export_events(store, "polecat", path, **options)
    return path


def test_plover_quad_classes_are_the_codebooks() -> None:
    # PLOVER 2021 codebook: each event type's heading names its quad category.
    codebook = {
        1: {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"},
        2: {"COOPERATE", "AID", "RETREAT"},
        3: {"REQUEST", "ACCUSE", "REJECT", "THREATEN"},
        4: {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"},
    }
    assert {quad: {t for t, q in PLOVER_QUAD.items() if q == quad} for quad in codebook} == codebook


def test_polecat_concessions_and_many_contexts(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store.duckdb"
    shutil.copy(db, copy)
    with Store(copy) as store:
        base = next(e for e in store.get_events() if e.source.country == "TUR")
        concession = dataclasses.replace(
            base, event_id="concede-081", cameo="081", plover_type="CONCEDE", plover_mode="",
            plover_context="military|diplomatic", quad_class=2, goldstein=5.0,
        )  # fmt: skip
        store.add_events([concession], None)
        frame = pd.read_csv(
            _polecat(store, tmp_path), sep="\t", dtype=str, keep_default_na=False,
            quoting=csv.QUOTE_NONE,
        )  # fmt: skip
        path = tmp_path / "plover.jsonl"
        export_events(store, "plover", path)
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    row = frame[frame["Event Type"] == "CONCEDE"]
    assert list(row["Quad Code"]) == ["VERBAL COOPERATION"]
    assert list(row["Contexts"]) == ["military; diplomatic"]  # POLECAT's separator
    (record,) = [r for r in records if r["event"] == "CONCEDE"]
    assert record["quadClass"] == 1 and record["cameoQuadClass"] == 2


def test_coarse_dates_and_history(store: Store, tmp_path: Path) -> None:
    records = jsonl(store, tmp_path)
    bombing = [r for r in records if r["date"] == "1999"]
    assert bombing and bombing[0]["date_precision"] == "year"
    # Event-data formats: day-precision events only by default.
    assert all(row["SQLDATE"] != "19990101" for row in gdelt(store, tmp_path))
    assert "1999-01-01" not in set(icews(store, tmp_path)["Event Date"])
    path = tmp_path / "plover.jsonl"
    export_events(store, "plover", path)
    assert all(json.loads(line)["date"] != "1999" for line in path.open(encoding="utf-8"))
    # Kept on request: dated by the publication, the coarse date in a column of its own.
    kept = [r for r in gdelt(store, tmp_path, include_coarse_dates=True) if r["CoarseDate"]]
    assert [(r["SQLDATE"], r["CoarseDate"]) for r in kept] == [("20190520", "1999 year")]
    frame = icews(store, tmp_path, include_coarse_dates=True)
    assert list(frame.columns) == [*ICEWS_COLUMNS, "Coarse Event Date"]
    assert list(frame[frame["Coarse Event Date"] != ""]["Event Date"]) == ["2019-05-20"]
    # Retold history goes with --max-lag, in every format.
    assert not [r for r in jsonl(store, tmp_path, max_lag=30) if r["date"] == "1999"]
    assert len(jsonl(store, tmp_path, max_lag=30)) == len(records) - len(bombing)
    with pytest.raises(ThucydidesError, match="max-lag"):
        export_events(store, "jsonl", tmp_path / "x", max_lag=-1)


def test_gdelt_and_icews_leave_out_events_without_a_target(store: Store, tmp_path: Path) -> None:
    monadic = [r for r in jsonl(store, tmp_path) if r["target"] is None]
    assert monadic
    assert all(row["Actor2Code"] for row in gdelt(store, tmp_path))
    kept = gdelt(store, tmp_path, include_monadic=True)
    assert len([row for row in kept if not row["Actor2Code"]]) == len(monadic)


def test_plover_version_quad_and_no_empty_event(store: Store, tmp_path: Path) -> None:
    statements = [r for r in jsonl(store, tmp_path) if r["cameo"].startswith("01")]
    assert statements and not statements[0]["plover"]["type"]  # PLOVER has no type for them
    path = tmp_path / "plover.jsonl"
    export_events(store, "plover", path, include_coarse_dates=True)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records
    for record in records:
        assert record["event"] and record["version"].startswith("PLOVER")
        assert record["quadClass"] == PLOVER_QUAD[record["event"]]
    assert {"date": "1999", "precision": "year"} in [r.get("dateCoarse") for r in records]


def test_polecat_table(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.polecat.tsv"
    rows = export_events(store, "polecat", path)
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)
    assert tuple(frame.columns) == POLECAT_COLUMNS and len(frame) == rows > 0
    # The release's 40 columns, read by position too (Event Type 3rd, Actor Name 8th, Recipient
    # Name 16th, Version last).
    assert len(POLECAT_COLUMNS) == 40 and POLECAT_COLUMNS[-1] == "Version"
    named = ["Event Type", "Actor Name", "Recipient Name"]
    assert [POLECAT_COLUMNS[i] for i in (2, 7, 15)] == named
    assert (frame["Event Type"] != "").all()  # no CAMEO 01x statement without a PLOVER type
    assert set(frame["Version"]) == {"PLOVER 2021"}
    for column in POLECAT_EMPTY:
        assert (frame[column] == "").all()
    threat = frame[frame["Event Type"] == "THREATEN"]
    assert list(threat["Actor Name"]) == ["Iran"] and list(threat["Actor Name Raw"]) == ["It"]
    assert list(threat["Actor COW"]) == ["630"] and list(threat["Recipient Country"]) == ["BHR"]
    assert set(threat["Quad Code"]) == {"VERBAL CONFLICT"}
    assert "1999" not in "".join(frame["Event Date"])  # day-precision events only


def test_csv_schema_keeps_cameo_codes_as_text(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    export_events(store, "csv", path)
    schema = json.loads(csv_schema_path(path).read_text(encoding="utf-8"))
    dtypes = {column["name"]: column["dtype"] for column in schema["columns"]}
    assert dtypes["cameo"] == "string" and dtypes["goldstein"] == "float64"
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    assert list(frame.columns) == list(dtypes)
    assert "040" in set(frame["cameo"])  # the leading zero survives
    assert {"url", "publisher", "published"} <= set(frame.columns)
    assert set(frame["publisher"]) == {"Example Wire", "Example Times", "Example Post"}


runner = CliRunner()


def test_cli_writes_to_standard_output(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "-f", "plover", "-o", "-", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(json.loads(line)["version"] for line in lines)
    result = runner.invoke(app, ["export", "-f", "parquet", "-o", "-", "--db", str(db)])
    assert result.exit_code == 1 and "standard output" in result.output
    assert result.output.count("\n") == 1
    result = runner.invoke(
        app,
        ["export", "-f", "gdelt", "-o", "-", "--db", str(db), "--include-coarse-dates",
         "--include-monadic", "--max-lag", "30"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert all(len(line.split("\t")) == 62 for line in result.stdout.splitlines())

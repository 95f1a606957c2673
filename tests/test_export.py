"""Exports (issue 4): every format, the filters, a GDELT reader we did not write, the CLI."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.errors import ThucydidesError
from thucydides.export import FORMATS, ICEWS_COLUMNS, export_events
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store

# Invented articles: a fisheries pact in Lima (2011), shelling and an accusation (2015), a UN
# envoy in Moscow and a Russian statement on Ukraine (2019).
ARTICLES = [
    {
        "id": "pact",
        "url": "https://example.org/news/pact",
        "source": "Example Wire",
        "date": "2011-03-03",
        "text": "Chile and Peru sign fisheries pact\n\n"
        "Chile and Peru signed a fisheries agreement in Lima on Thursday, officials said.\n\n"
        "The accord ends a long quarrel over anchovy catches along "
        "the shared coast, the two governments said in a joint statement.",
    },
    {
        "id": "shelling",
        "url": "https://example.org/news/shelling",
        "source": "Example Times",
        "date": "2015-06-14",
        "text": "Russian troops shell Ukrainian town\n\n"
        "Russian troops shelled Ukrainian army positions near Mariupol on Sunday, the "
        "Ukrainian military said.\n\n"
        "Ukraine accused Russia of violating the ceasefire agreement.",
    },
    {
        "id": "envoy",
        "url": "https://example.org/news/envoy",
        "source": "Example Post",
        "date": "2019-09-09",
        "text": "UN envoy visits Moscow\n\n"
        "MOSCOW, September 9, 2019 - The United Nations envoy visited Moscow on Monday for "
        "talks with Russian officials.\n\n"
        "Russian President Vladimir Putin praised Ukraine's decision to free the sailors.",
    },
]

# The GDELT 2.0 Event table's columns in the codebook's order, written out here on purpose
# rather than imported: the test must not trust export.py's own list.
GDELT_2_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]  # fmt: skip
# How a GDELT 2.0 reader types the columns (codes stay strings: "036" keeps its zero).
GDELT_INTEGERS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
    "NumSources", "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type", "DATEADDED",
)  # fmt: skip
GDELT_FLOATS = (
    "FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long",
)  # fmt: skip
GDELT_DTYPES: dict[str, Any] = {
    **{name: "string" for name in GDELT_2_COLUMNS},
    **{name: "Int64" for name in GDELT_INTEGERS},
    **{name: "float64" for name in GDELT_FLOATS},
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(item) + "\n" for item in ARTICLES), encoding="utf-8")
    settings = Settings(db=str(folder / "store.duckdb"))
    summary = extract([str(source)], settings, ExtractOptions(on_error="raise"))
    assert summary.events >= 5
    return Path(settings.db)


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db) as opened:
        yield opened


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def merged_count(store: Store) -> int:
    table = store.query(f"SELECT count(*) AS n FROM ({store.merged_events_sql()})")
    return int(table.to_pylist()[0]["n"])


def codes(record: dict[str, Any]) -> tuple[str, str | None]:
    target = record["target"]["code"] if record["target"] else None
    return record["source"]["code"], target


def test_jsonl_carries_every_event_field_and_the_evidence(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    rows = export_events(store, "jsonl", path)
    records = read_jsonl(path)
    assert rows == len(records) == merged_count(store) >= 5
    expected = set(store.get_events()[0].to_record()) | {
        "num_mentions", "num_sources", "num_articles", "first_seen", "last_seen", "documents",
        "record_id", "url", "publisher", "published",
    }  # fmt: skip
    for record in records:
        assert set(record) == expected
        assert record["num_articles"] >= 1 and record["documents"]
        assert record["first_seen"] <= record["last_seen"]
        assert set(record["plover"]) == {"type", "mode", "context"}
        assert set(record["trigger"]) == {"text", "start", "end"}
    pact = [r for r in records if sorted(c for c in codes(r) if c) == ["CHL", "PER"]]
    assert pact and all(r["cameo"] == "057" for r in pact)
    assert pact[0]["location"]["name"] == "Lima"


def test_csv_has_the_flat_columns_and_counts(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    rows = export_events(store, "csv", path)
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert rows == len(table) == merged_count(store)
    header = set(table[0])
    assert {"event_id", "source_code", "target_code", "cameo", "goldstein", "quad_class"} <= header
    assert {"num_mentions", "num_sources", "num_articles", "first_seen", "documents"} <= header
    assert "doc_url" not in header  # the export's own join stays out
    assert all(row["documents"] and "[" not in row["documents"] for row in table)


def test_parquet_is_partitioned_by_event_month(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "parquet"
    rows = export_events(store, "parquet", path)
    months = sorted(p.name for p in path.iterdir())
    assert months == ["event_month=2011-03", "event_month=2015-06", "event_month=2019-09"]
    table = ds.dataset(path, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == rows == merged_count(store)
    assert {"cluster_id", "num_articles", "documents", "event_month"} <= set(table.column_names)
    # A second export into the same, now full, directory is refused rather than mixed.
    with pytest.raises(ThucydidesError, match="empty directory"):
        export_events(store, "parquet", path)


def test_gdelt_loads_with_pandas_and_the_published_columns(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.gdelt.tsv"
    rows = export_events(store, "gdelt", path)
    export_events(store, "jsonl", tmp_path / "same.jsonl")
    records = read_jsonl(tmp_path / "same.jsonl")
    assert len(GDELT_2_COLUMNS) == 61
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == rows and all(line.count("\t") == 60 for line in lines)
    frame = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=GDELT_2_COLUMNS,
        dtype=GDELT_DTYPES,
        keep_default_na=False,
        na_values={name: [""] for name in GDELT_DTYPES if GDELT_DTYPES[name] != "string"},
        quoting=csv.QUOTE_NONE,
    )
    assert frame.shape == (rows, 61) and rows == merged_count(store)
    dates = pd.to_datetime(frame["SQLDATE"].astype(str), format="%Y%m%d", errors="coerce")
    assert dates.notna().all()
    assert (frame["Year"] == dates.dt.year).all()
    assert frame["GLOBALEVENTID"].is_unique
    # Same order as the jsonl export: the event code is the CAMEO code, its prefixes the rest.
    assert list(frame["EventCode"]) == [r["cameo"] for r in records]
    assert (frame["EventRootCode"] == frame["EventCode"].str[:2]).all()
    assert (frame["EventBaseCode"] == frame["EventCode"].str[:3]).all()
    assert frame["QuadClass"].between(1, 4).all()
    assert list(frame["Actor1Code"]) == [r["source"]["code"] for r in records]
    assert frame["SOURCEURL"].str.startswith("https://example.org/news/").all()
    assert frame["AvgTone"].isna().all()  # we measure no tone: empty, not 0
    lima = frame[frame["ActionGeo_FullName"].fillna("").str.startswith("Lima")]
    assert len(lima) >= 1
    assert set(lima["ActionGeo_Type"]) == {4} and set(lima["ActionGeo_CountryCode"]) == {"PE"}
    assert lima["ActionGeo_Lat"].round(0).eq(-12).all()
    shelling = frame[frame["EventCode"].str.startswith("19")]
    assert len(shelling) >= 1 and set(shelling["Actor1CountryCode"]) == {"RUS"}


def test_icews_columns(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.icews.tsv"
    rows = export_events(store, "icews", path)
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)
    assert tuple(frame.columns) == ICEWS_COLUMNS and len(ICEWS_COLUMNS) == 20
    assert len(frame) == rows == merged_count(store)
    assert set(frame["Publisher"]) >= {"Example Wire", "Example Times"}
    pact = frame[frame["CAMEO Code"] == "057"]
    assert set(pact["Event Text"]) == {"Sign formal agreement"}
    assert set(pact["City"]) == {"Lima"} and set(pact["Country"]) == {"Peru"}
    assert set(pact["Source Country"]) == {"Chile", "Peru"}
    assert pd.to_datetime(frame["Event Date"], format="%Y-%m-%d").notna().all()


def test_plover_records(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.plover.jsonl"
    rows = export_events(store, "plover", path)
    records = read_jsonl(path)
    assert len(records) == rows == merged_count(store)
    for record in records:
        assert {"id", "date", "source", "target", "event", "mode", "context", "eventText"} <= set(
            record
        )
        assert record["text"] and isinstance(record["source"], list)
        assert {"actorText", "code"} <= set(record["source"][0])
    envoy = [r for r in records if r["source"][0]["code"] == "IGO"]
    assert envoy and envoy[0]["source"][0]["organization"] == "UNO"
    lima = [r for r in records if r.get("eventLoc", {}).get("name") == "Lima"]
    assert lima and lima[0]["event"] == "AGREE" and lima[0]["cameo"] == "057"


def test_filters(store: Store, tmp_path: Path) -> None:
    export_events(store, "jsonl", tmp_path / "all.jsonl")
    every = read_jsonl(tmp_path / "all.jsonl")

    def exported(**filters: Any) -> list[dict[str, Any]]:
        path = tmp_path / "filtered.jsonl"
        rows = export_events(store, "jsonl", path, **filters)
        records = read_jsonl(path)
        assert rows == len(records)
        return records

    only_2015 = exported(since="2015-01-01", until="2015-12-31")
    assert only_2015 and all(r["date"].startswith("2015") for r in only_2015)
    assert exported(since="2015", until="2015") == only_2015  # a year stands for its days
    assert exported(since="2015-06", until="2015-06") == only_2015
    assert all(r["date"] >= "2015-06-14" for r in exported(since="2015-06-14"))
    assert {r["date"][:4] for r in exported(until="2011-12")} == {"2011"}

    def involves(record: dict[str, Any], prefix: str) -> bool:
        return any(code and code.startswith(prefix) for code in codes(record))

    russia = exported(actor="rus")
    assert russia == [r for r in every if involves(r, "RUS")]
    assert len(russia) < len(every)
    assert any(codes(r)[0] == "RUSMIL" for r in russia)  # a prefix: RUS matches RUSMIL
    assert exported(actor="IGOUNO") == [r for r in every if involves(r, "IGOUNO")] != []

    pair = exported(dyad="RUS,UKR")
    assert pair == exported(dyad=("UKR", "RUS")) == exported(dyad="UKR RUS")
    assert pair and all({codes(r)[0][:3], (codes(r)[1] or "")[:3]} == {"RUS", "UKR"} for r in pair)
    assert exported(dyad="CHL,PER", since="2012") == []


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"since": "2015-13-01"}, "bad date"),
        ({"until": "last week"}, "bad date"),
        ({"actor": "RUS; DROP TABLE events"}, "bad actor code"),
        ({"dyad": "RUS"}, "bad dyad"),
    ],
)
def test_bad_filters_raise(
    store: Store, tmp_path: Path, filters: dict[str, Any], message: str
) -> None:
    with pytest.raises(ThucydidesError, match=message) as raised:
        export_events(store, "jsonl", tmp_path / "x.jsonl", **filters)
    assert raised.value.code == "T501"
    assert store.count("events") >= 5


def test_unknown_format_raises(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ThucydidesError, match="unknown export format"):
        export_events(store, "xlsx", tmp_path / "x.xlsx")
    assert "gdelt" in FORMATS


runner = CliRunner()


def test_cli_export_gdelt(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "gdelt.tsv"
    result = runner.invoke(app, ["export", "--format", "gdelt", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(len(line.split("\t")) == 61 for line in lines)
    assert f"{len(lines)} events written" in result.output
    result = runner.invoke(
        app, ["export", "-o", str(tmp_path / "x.jsonl"), "--db", str(db), "--dyad", "ukr,rus"]
    )
    assert result.exit_code == 0, result.output
    assert read_jsonl(tmp_path / "x.jsonl")


@pytest.mark.parametrize(
    "arguments",
    [["--format", "xlsx"], ["--since", "2015-02-30"], ["--dyad", "RUS"]],
)
def test_cli_export_errors_are_one_line(db: Path, tmp_path: Path, arguments: list[str]) -> None:
    result = runner.invoke(
        app, ["export", "-o", str(tmp_path / "x.out"), "--db", str(db), *arguments]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "error:" in result.output
    assert "Traceback" not in result.output

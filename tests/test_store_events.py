from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thucydides.settings import Settings
from thucydides.store import MIGRATIONS, Store
from thucydides.store import columns as store_columns
from thucydides.store import schema as store_schema
from thucydides.types import Actor, Document, Event, Metadata, OffsetMap, Place, RunSummary, Span

# Invented sentences; offsets are into an imagined clean body.
VISIT = "The Ruritanian foreign minister visited Moscow on 15 March."
TALKS = "Beijing and Tokyo held talks on fishing rights."


def make_event(event_id: str = "e1", **changes: object) -> Event:
    """An event with every field set: target, location, a day-precision date."""
    event = Event(
        doc_id="d1",
        event_id=event_id,
        source=Actor(
            text="The Ruritanian foreign minister",
            start=100,
            end=131,
            country="USA",
            sector="GOV",
            name=None,
            role="foreign minister",
            entry="countries.tsv:230|roles.tsv:12",
        ),
        target=Actor(
            text="Moscow",
            start=140,
            end=146,
            country="RUS",
            sector="MIL",
            name="Anatoly Example",
            entry="countries.tsv:188",
        ),
        cameo="0421",
        plover_type="CONSULT",
        plover_mode="visit",
        plover_context="diplomatic",
        goldstein=1.9,
        quad_class=1,
        date="2012-03-15",
        date_precision="day",
        date_source="text",
        location=Place(
            name="Moscow",
            country="RUS",
            latitude=55.75222,
            longitude=37.61556,
            geonames_id=524901,
            feature="city",
            text="Moscow",
            start=140,
            end=146,
        ),
        sentence=VISIT,
        sentence_index=3,
        sentence_start=100,
        sentence_end=100 + len(VISIT),
        trigger="visited",
        trigger_start=132,
        trigger_end=139,
        modality="asserted",
        rule="verbs.tsv:41 nsubj>dobj",
        confidence=0.82,
        mentions=2,
        mention_sentences=(3, 7),
        reciprocal=False,
    )
    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]


def sample_events() -> list[Event]:
    """Four events: full; an organisation alone (no target, no place, year date); a reciprocal
    pair in another document with a month date, stored in coding order."""
    nato = Actor(
        text="NATO",
        start=5,
        end=9,
        country=None,
        organization="NATO",
        organization_kind="IGO",
        entry="organizations.tsv:3",
    )
    chn = Actor(text="Beijing", start=0, end=7, country="CHN", sector="GOV", entry="c:1")
    jpn = Actor(text="Tokyo", start=12, end=17, country="JPN", sector="GOV", entry="c:2")
    pair = {
        "doc_id": "d2",
        "cameo": "040",
        "plover_type": "CONSULT",
        "plover_mode": "",
        "plover_context": "",
        "goldstein": 1.0,
        "date": "2012-03",
        "date_precision": "month",
        "date_source": "publication",
        "location": None,
        "sentence": TALKS,
        "sentence_index": 0,
        "sentence_start": 0,
        "sentence_end": len(TALKS),
        "trigger": "held talks",
        "trigger_start": 18,
        "trigger_end": 28,
        "mentions": 1,
        "mention_sentences": (0,),
        "reciprocal": True,
    }
    return [
        make_event("e1"),
        make_event(
            "e2",
            source=nato,
            target=None,
            location=None,
            cameo="190",
            plover_type="FIGHT",
            plover_mode="",
            plover_context="",
            goldstein=-10.0,
            quad_class=4,
            date="2007",
            date_precision="year",
            date_source="text",
            sentence_index=5,
            trigger_start=300,
            trigger_end=308,
            modality="intended",
            mentions=1,
            mention_sentences=(5,),
        ),
        # "zz" before "aa": ties on trigger keep the order they were added in, not id order.
        make_event("zz", source=chn, target=jpn, **pair),
        make_event("aa", source=jpn, target=chn, **pair),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "events.duckdb") as opened:
        yield opened


def test_events_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    events = sample_events()
    with Store(path) as store:
        run = store.begin_run(["in"], Settings())
        # Added out of order: reading orders by document, sentence and trigger.
        assert store.add_events([events[1], events[0], events[2], events[3]], run) == 4
    with Store(path) as store:  # and it survives closing the file
        assert store.count("events") == 4
        assert store.get_events() == events
        assert [e.to_record() for e in store.get_events()] == [e.to_record() for e in events]
        assert store.get_events("d2") == events[2:]
        assert store.get_events("nope") == []
        assert list(store.iter_events(batch_size=3)) == events


def test_flat_columns(store: Store) -> None:
    run = store.begin_run([], Settings())
    store.add_events(sample_events(), run)
    rows = {
        row["event_id"]: row
        for row in store.query("SELECT * FROM events").to_pylist()  # every column
    }
    full, alone = rows["e1"], rows["e2"]
    assert full["run_id"] == run and isinstance(full["coded_at"], dt.datetime)
    assert (full["source_code"], full["target_code"], alone["source_code"]) == (
        "USAGOV",
        "RUSMIL",
        "IGONATO",
    )
    assert (full["cameo_root"], alone["cameo_root"]) == ("04", "19")
    assert full["location_geonames_id"] == 524901 and full["location_feature"] == "city"
    assert full["mention_sentences"] == [3, 7] and full["mentions"] == 2
    assert all(alone[k] is None for k in alone if k.startswith(("target_", "location_")))
    assert alone["source_country"] is None and alone["source_organization_kind"] == "IGO"
    types = {
        row["column_name"]: row["data_type"]
        for row in store.query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'events'"
        ).to_pylist()
    }
    assert types["goldstein"] == "DOUBLE" and types["quad_class"] == "TINYINT"
    assert types["event_date"] == "DATE" and types["coded_at"] == "TIMESTAMP"
    assert types["mention_sentences"] == "INTEGER[]" and types["reciprocal"] == "BOOLEAN"
    indexes = set(
        store.query("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'events'")
        .column(0)
        .to_pylist()
    )
    assert {"events_doc_id", "events_dyad", "events_event_date"} <= indexes


def test_adding_again_adds_nothing(store: Store) -> None:
    events = sample_events()
    assert store.add_events([], "r") == 0
    assert store.add_events(events[:2], None) == 2  # a run is optional
    assert store.add_events(events[:2], "r") == 0
    # A repeat inside one batch counts once; an id already stored is left as it was.
    changed = dataclasses.replace(events[0], cameo="190", confidence=0.1)
    assert store.add_events([changed, events[2], events[2], events[3]], "r") == 2
    assert store.count("events") == 4
    assert store.get_events("d1")[0] == events[0]
    assert store.query("SELECT run_id FROM events WHERE event_id = 'e1'").to_pylist() == [
        {"run_id": None}
    ]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2012-03-15", dt.date(2012, 3, 15)),
        ("2012-03-12", dt.date(2012, 3, 12)),  # a week: its Monday
        ("2012-03", dt.date(2012, 3, 1)),
        ("2007", dt.date(2007, 1, 1)),
        ("2012-03-15T10:30:00", dt.date(2012, 3, 15)),
        ("", None),
        ("2012-02-30", None),  # impossible: NULL, and the batch still goes in
        ("2012-13", None),
        ("next spring", None),
    ],
)
def test_event_date_is_the_first_day_the_date_stands_for(
    date: str, expected: dt.date | None
) -> None:
    with Store(":memory:") as store:
        assert store.add_events([make_event(date=date)], "r") == 1
        rows = store.query("SELECT date, event_date FROM events").to_pylist()
        assert rows == [{"date": date, "event_date": expected}]


def test_dyad_and_time_series_queries(store: Store) -> None:
    store.add_events(sample_events(), "r")
    dyad = store.query(
        "SELECT event_id FROM events WHERE source_country = ? AND target_country = ? "
        "ORDER BY event_id",
        ["CHN", "JPN"],
    )
    assert dyad.column(0).to_pylist() == ["zz"]
    counts = store.query(
        "SELECT source_country, target_country, count(*) AS n FROM events "
        "WHERE target_country IS NOT NULL GROUP BY ALL ORDER BY ALL"
    ).to_pylist()
    assert counts == [
        {"source_country": "CHN", "target_country": "JPN", "n": 1},
        {"source_country": "JPN", "target_country": "CHN", "n": 1},
        {"source_country": "USA", "target_country": "RUS", "n": 1},
    ]
    monthly = store.query(
        "SELECT CAST(date_trunc('month', event_date) AS DATE) AS month, count(*) AS n FROM events "
        "WHERE event_date BETWEEN DATE '2012-01-01' AND DATE '2012-12-31' GROUP BY 1 ORDER BY 1"
    ).to_pylist()
    assert monthly == [{"month": dt.date(2012, 3, 1), "n": 3}]


def test_run_counts_keep_whatever_the_summary_has(store: Store) -> None:
    run = store.begin_run([], Settings())
    store.add_events(sample_events(), run)
    store.finish_run(run, RunSummary(read=2, stored=2))
    (recorded,) = store.runs()
    assert recorded["counts"] == RunSummary(read=2, stored=2).to_record()
    assert store.query("SELECT DISTINCT run_id FROM events").to_pylist() == [{"run_id": run}]


def make_doc(doc_id: str) -> Document:
    return Document(
        doc_id=doc_id,
        content_hash="h-" + doc_id,
        source_path="a.txt",
        location="a.txt",
        media_type="text/plain",
        raw_text=TALKS,
        body=TALKS,
        paragraphs=(Span(0, len(TALKS)),),
        offset_map=OffsetMap(),
        metadata=Metadata(published="2012-03-20"),
    )


def test_a_store_from_before_events_is_upgraded_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.duckdb"
    (events_version,) = [v for v, sql in MIGRATIONS if "CREATE TABLE events" in sql]
    older = [(v, sql) for v, sql in MIGRATIONS if v < events_version]
    monkeypatch.setattr(store_schema, "MIGRATIONS", older)
    # The code of that time wrote no document columns that later migrations added.
    later = {
        name
        for v, sql in MIGRATIONS
        if v >= events_version
        for name in re.findall(r"ALTER TABLE documents ADD COLUMN (\w+)", sql)
    }
    batch = pa.schema([f for f in store_columns._DOCUMENT_BATCH if f.name not in later])
    monkeypatch.setattr(store_columns, "_DOCUMENT_BATCH", batch)
    monkeypatch.setattr(
        store_columns, "_DOCUMENT_COLUMNS", ", ".join(n for n in batch.names if n != "position")
    )
    with Store(path) as store:
        # A document as that version stored it: the columns of its schema only.
        old_columns = set(store.query("SELECT * FROM documents LIMIT 0").schema.names)
        batch = store_columns._documents_batch([make_doc("d2")], {}, "r0", datetime.now())
        batch = batch.select([name for name in batch.schema.names if name in old_columns])
        store.connection.register("old_batch", batch)
        store.connection.execute(
            f"INSERT INTO documents ({', '.join(batch.schema.names)}) SELECT * FROM old_batch"
        )
        assert "events" not in set(
            store.query("SELECT table_name FROM duckdb_tables()").column(0).to_pylist()
        )
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version == MIGRATIONS[-1][0]
        assert store.get_document("d2") == make_doc("d2")
        assert store.add_events(sample_events(), "r") == 4
        assert store.get_events("d2") == sample_events()[2:]
        joined = store.query(
            "SELECT count(*) AS n FROM events JOIN documents USING (doc_id)"
        ).to_pylist()
        assert joined == [{"n": 2}]
    with Store(path, read_only=True) as store:
        assert store.count("events") == 4 and store.count("documents") == 1


def test_ten_thousand_events_go_in_as_one_batch(store: Store) -> None:
    base = make_event()
    events = [
        dataclasses.replace(
            base,
            event_id=f"e{i:05d}",
            doc_id=f"d{i // 10:04d}",
            sentence_index=i % 10,
            target=None if i % 3 == 0 else base.target,
            location=None if i % 2 == 0 else base.location,
            date=("2012-03-15", "2012-03", "2007", "")[i % 4],
        )
        for i in range(10_000)
    ]
    assert store.add_events(events, "r") == 10_000
    assert store.add_events(events, "r") == 0
    assert store.count("events") == 10_000
    assert store.get_events("d0042") == events[420:430]
    assert sum(1 for _ in store.iter_events()) == 10_000
    (row,) = store.query("SELECT count(event_date) AS n FROM events").to_pylist()
    assert row == {"n": 7_500}


_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
_optional = st.none() | _text
_offset = st.integers(0, 2**31 - 1)


@st.composite
def actors(draw: st.DrawFn) -> Actor:
    return Actor(
        text=draw(_text),
        start=draw(_offset),
        end=draw(_offset),
        country=draw(_optional),
        sector=draw(_optional),
        organization=draw(_optional),
        organization_kind=draw(_optional),
        name=draw(_optional),
        role=draw(_optional),
        entry=draw(_text),
    )


@st.composite
def places(draw: st.DrawFn) -> Place:
    coordinate = st.none() | st.floats(-180, 180)
    return Place(
        name=draw(_text),
        country=draw(_optional),
        latitude=draw(coordinate),
        longitude=draw(coordinate),
        geonames_id=draw(st.none() | st.integers(0, 2**40)),
        feature=draw(st.sampled_from(["city", "country"])),
        text=draw(_text),
        start=draw(_offset),
        end=draw(_offset),
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    return make_event(
        event_id=draw(_text),
        doc_id=draw(_text),
        source=draw(actors()),
        target=draw(st.none() | actors()),
        location=draw(st.none() | places()),
        cameo=draw(_text),
        goldstein=draw(st.floats(-10, 10)),
        quad_class=draw(st.integers(1, 4)),
        date=draw(_text | st.dates().map(str)),
        sentence=draw(_text),
        sentence_index=draw(st.integers(0, 10_000)),
        trigger_start=draw(_offset),
        confidence=draw(st.floats(0, 1)),
        mention_sentences=tuple(draw(st.lists(st.integers(0, 10_000), max_size=4))),
        reciprocal=draw(st.booleans()),
    )


@pytest.fixture(scope="module")
def shared_store() -> Iterator[Store]:
    with Store(":memory:") as store:
        yield store


@settings(max_examples=40, deadline=None)
@given(batch=st.lists(events(), min_size=1, max_size=4, unique_by=lambda e: e.event_id))
def test_round_trip_property(shared_store: Store, batch: list[Event]) -> None:
    prefix = uuid.uuid4().hex  # the store outlives the example; one document per example
    batch = [dataclasses.replace(e, event_id=prefix + e.event_id, doc_id=prefix) for e in batch]
    assert shared_store.add_events(batch, "r") == len(batch)
    expected = sorted(batch, key=lambda e: (e.sentence_index, e.trigger_start))
    assert shared_store.get_events(prefix) == expected


def test_the_scorers_evidence_is_stored_and_read_back(tmp_path: Path) -> None:
    """Events the learned scorer kept carry its most weighted features (coder/learned.py)."""
    scored = make_event("e9", evidence="lemma:accuse=+1.20, src:role:nsubj@trigger=+0.80")
    with Store(tmp_path / "s.duckdb") as store:
        run = store.begin_run(["in"], Settings())
        store.add_events([scored, make_event("e8")], run)
        back = {e.event_id: e for e in store.get_events()}
    assert back["e9"].evidence == scored.evidence
    assert back["e8"].evidence == ""

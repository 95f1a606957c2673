from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thucydides.errors import StoreError
from thucydides.settings import Settings
from thucydides.store import MIGRATIONS, Store
from thucydides.store import schema as store_schema
from thucydides.types import Document, Metadata, OffsetMap, Rejection, RunSummary, Segment, Span

RAW = "<p>Peace  talks\u00a0resumed.</p>\n<p>Both sides ``attended''.</p>"
BODY = 'Peace talks resumed.\n\nBoth sides "attended".'


def make_doc(doc_id: str = "d1", **changes: object) -> Document:
    """A document as the cleaner would make it: an offset map with a removed and a replaced
    stretch, two paragraphs, every metadata field set."""
    doc = Document(
        doc_id=doc_id,
        content_hash="h-" + doc_id,
        source_path="pages/a.html",
        location="pages/a.html",
        media_type="text/html",
        raw_text=RAW,
        body=BODY,
        paragraphs=(Span(0, 20), Span(22, 44)),
        offset_map=OffsetMap(
            (
                Segment(0, 5, 3, 8),
                Segment(5, 6, 8, 10),  # two spaces became one
                Segment(6, 11, 10, 15),
                Segment(11, 12, 15, 16),  # a no-break space
                Segment(12, 20, 16, 24),
                Segment(20, 22, 28, 33),  # "</p>\n<p>" became a blank line
                Segment(22, 33, 33, 44),
                Segment(33, 34, 44, 46),  # `` became "
                Segment(34, 42, 46, 54),
                Segment(42, 43, 54, 56),  # '' became "
                Segment(43, 44, 56, 57),
            )
        ),
        metadata=Metadata(
            title="Talks resume",
            publisher="The Daily Example",
            author="Ana Lima",
            wire_source="Reuters",
            published="2012-03-12T13:55:00",
            language="en",
            url="https://example.org/talks",
        ),
        repeated_paragraphs=2,
        duplicate_of="d0",
        duplicate_kind="near",
        similarity=0.8671875,
        story_id="d0",
        skip_reason=None,
    )
    return dataclasses.replace(doc, **changes)  # type: ignore[arg-type]


def test_schema_version_is_recorded_and_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "s.duckdb"  # the directory is created
    with Store(path) as store:
        assert store.schema_version == MIGRATIONS[-1][0] == len(MIGRATIONS)
        assert store.count("schema_version") == len(MIGRATIONS)
        store.add_documents([make_doc()], {}, store.begin_run([], Settings()))
    with Store(path) as store:
        assert store.count("schema_version") == len(MIGRATIONS)
        assert store.count("documents") == 1
        versions = store.query("SELECT version FROM schema_version").column(0).to_pylist()
        assert sorted(versions) == [version for version, _ in MIGRATIONS]


def test_documents_round_trip_and_are_added_once(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    doc = make_doc()
    with Store(path) as store:
        run = store.begin_run(["pages/"], Settings())
        assert not store.has_document("d1")
        twin = make_doc(body="Another body.")  # the same doc_id: the first one wins
        assert store.add_documents([doc, twin], {"d1": [1, 2, 3]}, run) == 1
        assert store.add_documents([doc], {"d1": [9]}, run) == 0
        assert store.add_documents([make_doc("d2"), doc], {}, run) == 1
        assert store.count("documents") == 2
    with Store(path) as store:
        assert store.get_document("d1") == doc
        assert store.get_document("nope") is None
        assert store.has_document("d1") and not store.has_document("nope")
        # The second insert changed nothing: the first signature is still there.
        assert dict((d, s) for d, _, _, s in store.known_signatures())["d1"] == [1, 2, 3]


def test_store_keeps_insertion_order_and_signatures(tmp_path: Path) -> None:
    ids = ["m", "c", "x", "a", "k", "b"]  # deliberately not sorted
    with Store(tmp_path / "s.duckdb") as store:
        run = store.begin_run([], Settings())
        big = [2**64 - 1, 2**63, 0, 4294967295]
        store.add_documents(
            [make_doc(i, story_id="m") for i in ids[:3]], {"m": big, "c": [5] * 128}, run
        )
        store.add_documents([make_doc(i, story_id=None) for i in ids[3:]], {"a": [7]}, run)
        known = list(store.known_signatures())
        assert [row[0] for row in known] == ids
        assert known[0] == ("m", "m", "h-m", big)
        assert known[1] == ("c", "m", "h-c", [5] * 128)
        assert known[2] == ("x", "m", "h-x", [])  # no signature stored
        assert known[3] == ("a", "a", "h-a", [7])  # no story: its own
        assert [d.doc_id for d in store.iter_documents(batch_size=2)] == ids


def test_published_date_is_derived_and_never_fails_a_batch() -> None:
    published = {
        "a": "2012-03-12T13:55:00+09:00",
        "b": "2012-03-12",
        "c": "2012-02-30",  # no such day
        "d": "March 2012",
        "e": "2012-03",
        "f": None,
    }
    docs = [
        make_doc(doc_id, metadata=Metadata(published=value)) for doc_id, value in published.items()
    ]
    with Store(":memory:") as store:
        assert store.add_documents(docs, {}, store.begin_run([], Settings())) == 6
        rows = store.query("SELECT doc_id, published_date FROM documents ORDER BY doc_id")
        dates = {r["doc_id"]: r["published_date"] for r in rows.to_pylist()}
        assert {k: v.isoformat() if v else None for k, v in dates.items()} == {
            "a": "2012-03-12",
            "b": "2012-03-12",
            "c": None,
            "d": None,
            "e": None,
            "f": None,
        }
        assert store.get_document("d") == docs[3]  # published kept as given


def test_runs_and_rejections(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        first = store.begin_run(["pages/", "feed.jsonl"], Settings(batch_size=7))
        store.add_rejections(
            first,
            [
                Rejection("feed.jsonl:3", "read", "T104", "malformed JSON line"),
                Rejection("pages/empty.txt", "read", "T102", "empty input: 0 bytes"),
            ],
        )
        store.add_rejections(first, [])
        store.finish_run(first, RunSummary(read=2, rejected=2, rejections_by_code={"T104": 1}))
        second = store.begin_run(["more/"], Settings())
    with Store(tmp_path / "s.duckdb") as store:
        finished, running = store.runs()
        assert (finished["run_id"], running["run_id"]) == (first, second)
        assert finished["inputs"] == ["pages/", "feed.jsonl"]
        assert finished["settings"]["batch_size"] == 7
        assert finished["counts"]["rejected"] == 2
        assert finished["counts"]["rejections_by_code"] == {"T104": 1}
        assert finished["finished_at"] >= finished["started_at"]
        assert finished["version"]
        assert running["counts"] is None and running["finished_at"] is None
        assert store.count("rejections") == 2
        rows = store.query(
            "SELECT run_id, location, stage, code, message FROM rejections ORDER BY location"
        ).to_pylist()
        assert rows[0] == {
            "run_id": first,
            "location": "feed.jsonl:3",
            "stage": "read",
            "code": "T104",
            "message": "malformed JSON line",
        }


def test_count_and_query_refuse_what_they_do_not_know() -> None:
    with Store(":memory:") as store:
        assert store.count("documents") == 0
        for name in ("documents; DROP TABLE runs", "nope", '"documents"'):
            with pytest.raises(StoreError) as caught:
                store.count(name)
            assert caught.value.code == "T403"
        assert store.count("runs") == 0  # still there
        assert store.query("SELECT ? + 1 AS x", [41]).to_pylist() == [{"x": 42}]
        assert store.query("SELECT $n AS n", {"n": "a"}).to_pylist() == [{"n": "a"}]
        with pytest.raises(StoreError) as caught:
            store.query("SELECT nothing FROM nowhere")
        assert caught.value.code == "T403" and "\n" not in str(caught.value)


def test_default_path_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Store() as store:
        assert store.path == Settings().db
    assert (tmp_path / Settings().db).is_file()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    connection = duckdb.connect(str(path))
    connection.execute("INSERT INTO schema_version VALUES (999, now())")
    connection.close()
    for read_only in (False, True):
        with pytest.raises(StoreError) as caught:
            Store(path, read_only=read_only)
        assert caught.value.code == "T402" and "999" in str(caught.value)


@pytest.mark.parametrize("kind", ["text", "binary", "directory", "other-database"])
def test_what_is_not_a_store_is_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "notes.duckdb"
    if kind == "text":
        path.write_text("just some notes\n")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 64)
    elif kind == "directory":
        path.mkdir()
    else:
        connection = duckdb.connect(str(path))
        connection.execute("CREATE TABLE notes (x INTEGER)")
        connection.close()
    with pytest.raises(StoreError) as caught:
        Store(path)
    # Bytes that are no DuckDB file are T404, as a damaged store is; a directory or a DuckDB
    # database of something else cannot be opened as a store (T401).
    expected = "T404" if kind in ("text", "binary") else "T401"
    assert caught.value.code == expected and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    if kind == "other-database":  # left as it was
        connection = duckdb.connect(str(path))
        assert connection.execute("SHOW TABLES").fetchall() == [("notes",)]
        connection.close()


def test_read_only_stores(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with pytest.raises(StoreError) as caught:
        Store(path, read_only=True)  # nothing there to read
    assert caught.value.code == "T401"
    with Store(path) as store:
        store.add_documents([make_doc()], {}, store.begin_run([], Settings()))
    with Store(path, read_only=True) as store:
        assert store.get_document("d1") == make_doc()
        with pytest.raises(StoreError):
            store.query("DELETE FROM documents")


def test_a_version_1_store_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    connection.execute(MIGRATIONS[0][1])
    connection.execute("INSERT INTO schema_version VALUES (1, now())")
    for doc_id in ("z", "b", "q"):  # one statement each: rowid order is z, b, q
        connection.execute(
            "INSERT INTO documents (doc_id, content_hash, source_path, location, media_type, "
            "body, raw_text, paragraphs, offset_map, repeated_paragraphs, minhash, run_id, "
            "added_at) VALUES (?, 'h', 's', 'l', 'text/plain', 'b', 'r', [], [], 0, [1, 2], "
            "'old', TIMESTAMP '2024-01-01 00:00:00')",
            [doc_id],
        )
    connection.close()
    with Store(path) as store:
        assert store.schema_version == MIGRATIONS[-1][0]
        store.add_documents([make_doc("a")], {"a": [3]}, store.begin_run([], Settings()))
        assert [row[0] for row in store.known_signatures()] == ["z", "b", "q", "a"]
        rows = store.query("SELECT doc_id, seq FROM documents ORDER BY seq").to_pylist()
        assert [(r["doc_id"], r["seq"]) for r in rows] == [("z", 1), ("b", 2), ("q", 3), ("a", 4)]
        assert store.get_document("b") is not None


def test_later_migrations_apply_in_order_and_a_failed_one_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.add_documents([make_doc()], {}, store.begin_run([], Settings()))
    last = MIGRATIONS[-1][0]
    notes = "CREATE TABLE notes (doc_id VARCHAR NOT NULL, code VARCHAR NOT NULL);"
    broken = "CREATE TABLE scratch (name VARCHAR); SELECT * FROM no_such_table;"
    monkeypatch.setattr(
        store_schema, "MIGRATIONS", [*MIGRATIONS, (last + 1, notes), (last + 2, broken)]
    )
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert caught.value.code == "T401" and f"migration {last + 2}" in str(caught.value)
    monkeypatch.setattr(store_schema, "MIGRATIONS", [*MIGRATIONS, (last + 1, notes)])
    with Store(path) as store:
        assert store.schema_version == last + 1
        assert store.count("notes") == 0 and store.count("documents") == 1
        tables = set(store.query("SELECT table_name FROM duckdb_tables()").column(0).to_pylist())
        assert "scratch" not in tables  # the failed migration was rolled back whole


_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80)
_offsets = st.integers(min_value=0, max_value=2**31 - 1)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    optional = st.none() | _text
    return Document(
        doc_id=draw(_text),
        content_hash=draw(_text),
        source_path=draw(_text),
        location=draw(_text),
        media_type=draw(st.sampled_from(["text/plain", "text/html"])),
        raw_text=draw(_text),
        body=draw(_text),
        paragraphs=tuple(
            Span(a, b) for a, b in draw(st.lists(st.tuples(_offsets, _offsets), max_size=5))
        ),
        offset_map=OffsetMap(
            tuple(Segment(*row) for row in draw(st.lists(st.tuples(*[_offsets] * 4), max_size=5)))
        ),
        metadata=Metadata(
            title=draw(optional),
            publisher=draw(optional),
            author=draw(optional),
            wire_source=draw(optional),
            published=draw(st.none() | _text | st.dates().map(str)),
            language=draw(optional),
            url=draw(optional),
        ),
        repeated_paragraphs=draw(st.integers(0, 1000)),
        duplicate_of=draw(optional),
        duplicate_kind=draw(st.none() | st.sampled_from(["exact", "near"])),
        similarity=draw(st.none() | st.floats(0.0, 1.0)),
        story_id=draw(optional),
        skip_reason=draw(optional),
    )


@pytest.fixture(scope="module")
def shared_store() -> Iterator[Store]:
    # One store for all examples (opening one costs more than an example).
    with Store(":memory:") as store:
        yield store


@settings(max_examples=50, deadline=None)
@given(
    docs=st.lists(documents(), min_size=1, max_size=4, unique_by=lambda d: d.doc_id),
    signature=st.lists(st.integers(0, 2**64 - 1), max_size=8),
)
def test_round_trip_property(
    shared_store: Store, docs: list[Document], signature: list[int]
) -> None:
    prefix = uuid.uuid4().hex  # the store outlives the example
    docs = [dataclasses.replace(doc, doc_id=prefix + doc.doc_id) for doc in docs]
    run = shared_store.begin_run([], Settings())
    assert shared_store.add_documents(docs, {docs[0].doc_id: signature}, run) == len(docs)
    assert shared_store.add_documents(docs, {}, run) == 0
    for doc in docs:
        assert shared_store.get_document(doc.doc_id) == doc
    ours = [doc for doc in shared_store.iter_documents() if doc.doc_id.startswith(prefix)]
    assert ours == docs
    known = [row for row in shared_store.known_signatures() if row[0].startswith(prefix)]
    story_id = docs[0].story_id if docs[0].story_id is not None else docs[0].doc_id
    assert known[0] == (docs[0].doc_id, story_id, docs[0].content_hash, signature)
    assert [row[3] for row in known[1:]] == [[]] * (len(docs) - 1)

"""The Spark back end in local[2] mode gives the events of the local path, and imports cleanly.

Skips without PySpark or Java. Uses ../shared (seeds, BBC corpus) when present.
"""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import shared_path

from thucydides.coder import Coder
from thucydides.dedup import DuplicateFinder
from thucydides.pipeline import DocumentBuilder, build_documents
from thucydides.readers import read_paths
from thucydides.settings import Settings
from thucydides.store import Store
from thucydides.types import Document, Event

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no Java: Spark needs a JVM", allow_module_level=True)

from thucydides.backends.spark import (
    guess_format,
    import_parquet,
    local_session,
    spark_extract,
)

pytestmark = pytest.mark.slow

EventKey = tuple[str, str, str, str, str]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = local_session(
        "local[2]",
        **{"spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "2"},
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings())


def _key(event: Event | dict[str, Any]) -> EventKey:
    if isinstance(event, Event):
        target = event.target.code if event.target else ""
        return (event.doc_id, event.source.code, target, event.cameo, event.date)
    return (
        event["doc_id"],
        event["source_code"],
        event["target_code"] or "",
        event["cameo"],
        event["date"],
    )


def _local(path: Path, coder: Coder) -> tuple[list[Document], set[EventKey]]:
    """The local path: the same reader, DocumentBuilder, DuplicateFinder and Coder."""
    settings = Settings()
    builder = DocumentBuilder(settings)
    finder = DuplicateFinder(settings)
    documents = [
        finder.check(item)[0]
        for item in build_documents(read_paths([str(path)], settings), builder)
        if isinstance(item, Document)
    ]
    events = {
        _key(e)
        for _, found in coder.code_documents(documents)
        if isinstance(found, list)
        for e in found
    }
    return documents, events


def _parquet(path: Path) -> list[dict[str, Any]]:
    rows = duckdb.sql(
        f"SELECT * FROM read_parquet('{path}/**/*.parquet', hive_partitioning = true)"
    ).to_arrow_table()
    return list(rows.to_pylist())


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _check_same_as_local(spark: Any, coder: Coder, source: Path, out: Path) -> set[EventKey]:
    summary = spark_extract(spark, str(source), str(out), Settings(), partitions=2)
    documents, local_events = _local(source, coder)
    spark_docs = {row["doc_id"]: row for row in _parquet(out / "documents")}
    assert set(spark_docs) == {d.doc_id for d in documents}
    spark_events = {_key(row) for row in _parquet(out / "events")}
    assert spark_events == local_events
    assert summary.documents == len(documents)
    assert summary.events == len(_parquet(out / "events"))
    # Deduplication as a Spark job agrees with DuplicateFinder reading in input order.
    for document in documents:
        row = spark_docs[document.doc_id]
        assert (row["duplicate_of"], row["duplicate_kind"], row["story_id"]) == (
            document.duplicate_of,
            document.duplicate_kind,
            document.story_id,
        )
        assert (row["record_id"], row["record_source"]) == (
            document.record_id,
            document.record_source,
        )
    # Partitioned by month: every directory is month=YYYY-MM or month=unknown.
    for part in (out / "documents").glob("month=*"):
        month = part.name.removeprefix("month=")
        assert month == "unknown" or (len(month) == 7 and month[4] == "-")
    return local_events


def test_guess_format(tmp_path: Path) -> None:
    assert guess_format("news.jsonl.gz") == "jsonl"
    assert guess_format("crawl.warc.gz") == "warc"
    assert guess_format("rows.parquet") == "parquet"
    (tmp_path / "a.warc.gz").write_bytes(b"")
    assert guess_format(str(tmp_path)) == "warc"


def test_record_ids_reach_documents_parquet_and_the_import(spark: Any, tmp_path: Path) -> None:
    records = [
        {
            "id": "user-17",
            "source": "Coast Herald",
            "text": "Chile and Peru signed a fishing accord in Lima on Tuesday, officials said.",
        },
        {"id": 18, "text": "Kenya and Tanzania agreed to reopen the border on Friday."},
    ]
    source = _write_jsonl(tmp_path / "mine.jsonl", records)
    out = tmp_path / "out"
    spark_extract(spark, str(source), str(out), Settings(), partitions=1)
    rows = {row["record_id"]: row for row in _parquet(out / "documents")}
    assert set(rows) == {"user-17", "18"}
    assert rows["user-17"]["record_source"] == "Coast Herald"
    settings = Settings(db=str(tmp_path / "store.duckdb"))
    with Store(settings.db) as store:
        import_parquet(store, out, settings)
        stored = store.query("SELECT record_id FROM documents ORDER BY record_id")
        assert stored.column("record_id").to_pylist() == ["18", "user-17"]


@pytest.mark.shared
def test_seeds_same_events_as_local(spark: Any, coder: Coder, tmp_path: Path) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))[:2]
    records = [{"id": seed.stem, "text": seed.read_text(encoding="utf-8")} for seed in seeds]
    # A line that is not JSON must come out as a rejection, as the local reader makes it.
    source = tmp_path / "seeds.jsonl"
    _write_jsonl(source, records)
    with source.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    events = _check_same_as_local(spark, coder, source, tmp_path / "out")
    assert events, "the seeds tell events"
    rejects = _parquet(tmp_path / "out" / "rejects")
    assert [(r["location"], r["code"]) for r in rejects] == [(f"{source}:3", "T104")]


@pytest.mark.shared
def test_bbc_same_events_as_local_and_import(spark: Any, coder: Coder, tmp_path: Path) -> None:
    corpus = shared_path("corpora", "bbc-news-2225.jsonl.gz")
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in itertools.islice(handle, 0, None, 11)][:200]
    assert len(records) == 200
    # One exact copy under another id: the dedup job must mark it.
    records.append({**records[3], "id": "copy-of-3"})
    source = _write_jsonl(tmp_path / "bbc.jsonl", records)
    out = tmp_path / "out"
    events = _check_same_as_local(spark, coder, source, out)
    assert len(events) > 50
    copy = next(r for r in _parquet(out / "documents") if r["location"].endswith(":201"))
    assert copy["duplicate_kind"] == "exact"

    settings = Settings(db=str(tmp_path / "store.duckdb"))
    with Store(settings.db) as store:
        first = import_parquet(store, out, settings)
        assert first.stored == first.documents == 201
        assert first.stored_events == first.events == len(_parquet(out / "events"))
        assert store.count("documents") == 201
        assert store.count("events") == first.events
        assert store.count("event_cluster_members") == first.events
        stored = store.get_document(copy["doc_id"])
        assert stored is not None and stored.duplicate_kind == "exact"
        # Importing again changes nothing.
        again = import_parquet(store, out, settings)
        assert (again.stored, again.stored_events, again.merged_events) == (0, 0, 0)
        assert store.count("documents") == 201
        assert store.count("events") == first.events

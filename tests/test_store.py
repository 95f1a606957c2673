from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thucydides.errors import StoreError
from thucydides.settings import Settings
from thucydides.store import MIGRATIONS, Store
from thucydides.types import (
    Document,
    Metadata,
    OffsetMap,
    Rejection,
    RunSummary,
    Segment,
    Span,
)  # fmt: skip


def make_doc(
    doc_id: str = "d1",
    body: str = "Peace talks resumed.\n\nBoth sides attended.",
    **meta: str | None,
) -> Document:
    return Document(
        doc_id=doc_id,
        content_hash="h-" + doc_id,
        source_path="pages/a.txt",
        location="pages/a.txt",
        media_type="text/plain",
        raw_text="RAW " + body,
        body=body,
        paragraphs=(Span(0, 20), Span(22, len(body))),
        offset_map=OffsetMap(
            (
                Segment(0, 20, 4, 24),
                Segment(20, 22, 24, 24),
                Segment(22, len(body), 26, len(body) + 4),
            )
        ),
        metadata=Metadata(
            title=meta.get("title", "Talks"),
            published="2012-03-12T13:55:00",
            language="en",
            publisher=meta.get("publisher"),
        ),
        repeated_paragraphs=2,
        duplicate_of=None,
        story_id=doc_id,
    )


def test_schema_documents_runs_and_rejections(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        assert store.schema_version == MIGRATIONS[-1][0]
        run = store.begin_run(["pages/"], Settings())
        doc = make_doc()
        assert store.add_documents([doc], {"d1": [1, 2, 3]}, run) == 1
        assert store.add_documents([doc, doc], {}, run) == 0
        store.add_rejections(run, [Rejection("a.jsonl:3", "read", "T104", "malformed JSON")])
        store.finish_run(run, RunSummary(read=2, cleaned=1, rejected=1))
    with Store(path) as store:  # reopening applies nothing twice
        assert store.get_document("d1") == doc
        assert store.get_document("nope") is None
        assert store.has_document("d1")
        assert list(store.known_signatures()) == [("d1", "d1", "h-d1", [1, 2, 3])]
        (row,) = store.runs()
        assert row["inputs"] == ["pages/"] and '"rejected": 1' in row["counts"]
        assert store.count("rejections") == 1
        assert (
            store.query("SELECT published_date FROM documents")
            .to_pylist()[0]["published_date"]
            .isoformat()
            == "2012-03-12"
        )
        assert [d.doc_id for d in store.iter_documents()] == ["d1"]
        with pytest.raises(StoreError):
            store.count("documents; DROP TABLE runs")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    connection = duckdb.connect(str(path))
    connection.execute("INSERT INTO schema_version VALUES (999, now())")
    connection.close()
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert caught.value.code == "T402" and "999" in str(caught.value)


def test_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("just some notes\n")
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert caught.value.code == "T401" and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=_text, title=st.none() | _text, publisher=st.none() | _text)
def test_round_trip(tmp_path: Path, body: str, title: str | None, publisher: str | None) -> None:
    doc = make_doc("r", body or "x", title=title, publisher=publisher)
    with Store(":memory:") as store:
        store.add_documents([doc], {"r": [2**63, 0]}, store.begin_run([], Settings()))
        assert store.get_document("r") == doc
        assert next(iter(store.known_signatures()))[3] == [2**63, 0]

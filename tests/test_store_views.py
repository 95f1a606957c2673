"""The store's `actors` and `event_mentions` views (migration 5): who acts, and the evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from thucydides.coder import Coder
from thucydides.merge import merge_events
from thucydides.settings import Settings
from thucydides.store import Store


def test_actors_and_event_mentions_views(tmp_path: Path) -> None:
    coder = Coder()
    told = "Chile and Peru signed a border treaty in Lima on Monday."
    retold = "Chile and Peru signed a border treaty in Lima on Monday, officials said."
    events = coder.code_text(told, "2015-06-10", "doc-a") + coder.code_text(
        retold, "2015-06-10", "doc-b"
    )
    settings = Settings(db=str(tmp_path / "views.duckdb"))
    with Store(settings.db) as store:
        store.add_events(events, None)
        merge_events(store, settings)
        actors = {row["code"]: row for row in store.query("SELECT * FROM actors").to_pylist()}
        assert actors["CHL"]["as_source"] == 2 and actors["CHL"]["as_target"] == 2
        mentions = store.query(
            "SELECT cluster_id, doc_id, sentence, trigger FROM event_mentions ORDER BY doc_id"
        ).to_pylist()
        # Two directions told by two documents: two merged events, four mentions.
        assert len(mentions) == 4
        assert len({m["cluster_id"] for m in mentions}) == 2
        assert {m["doc_id"] for m in mentions} == {"doc-a", "doc-b"}
        assert all(m["trigger"] == "signed" for m in mentions)


def test_an_older_store_opened_read_only_is_upgraded_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import thucydides.store.schema as store_schema

    path = str(tmp_path / "old.duckdb")
    full = list(store_schema.MIGRATIONS)
    monkeypatch.setattr(store_schema, "MIGRATIONS", full[:-1])
    with Store(path) as store:
        assert store.schema_version == full[-2][0]
    monkeypatch.setattr(store_schema, "MIGRATIONS", full)
    with Store(path, read_only=True) as store:  # `thucydides query` opens stores this way
        assert store.schema_version == full[-1][0]
        assert store.query("SELECT count(*) AS n FROM actors").to_pylist() == [{"n": 0}]


def test_a_transaction_commits_several_writes_together_or_none(tmp_path: Path) -> None:
    coder = Coder()
    events = coder.code_text("Chile and Peru signed a border treaty.", "2015-06-10", "doc-t")
    with Store(str(tmp_path / "t.duckdb")) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.add_events(events[:1], None)
            raise RuntimeError("killed between two writes")
        assert store.count("events") == 0
        with store.transaction():
            store.add_events(events[:1], None)
            with store.transaction():  # nested: the outer block commits
                store.add_events(events[1:], None)
        assert store.count("events") == len(events)

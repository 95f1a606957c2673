"""The store's `actors` and `event_mentions` views (migration 5): who acts, and the evidence."""

from __future__ import annotations

from pathlib import Path

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

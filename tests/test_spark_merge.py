"""The cross-document event merge as a Spark job gives the clusters of the local merge.

The articles are invented for this test. Skips without PySpark or Java.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from thucydides.pipeline import extract
from thucydides.settings import Settings
from thucydides.store import Store

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no Java: Spark needs a JVM", allow_module_level=True)

from thucydides.backends.spark import import_parquet, local_session, spark_extract

pytestmark = pytest.mark.slow

WIRE = """Norway and Chile sign salmon trade deal

June 4, 2025

OSLO - Norwegian Trade Minister Ingrid Halvorsen met Chilean Economy Minister Tomas Varela in \
Oslo on Tuesday to discuss salmon exports.

On Wednesday, Norway signed a trade agreement with Chile after two days of negotiations.

Separately, Kenya accused Uganda on Tuesday of seizing fishing boats on Lake Victoria.
"""

# The same facts and days in other words: no sentence is a near copy of the wire story's.
RETOLD = """Santiago and Oslo settle salmon dispute

June 4, 2025

Chile's economy chief Tomas Varela held talks with his Norwegian counterpart Ingrid Halvorsen \
on Tuesday in the Norwegian capital about farmed fish quotas.

Norway concluded a commercial accord with Chile on Wednesday, ending months of wrangling.

Nairobi also criticized Kampala on Tuesday, saying Ugandan police took fishermen's vessels.
"""

# The same dyad and kind of act eight days later: another real-world event.
LATER = """Norway and Chile add a second trade pact

June 12, 2025

Norway signed a second agreement with Chile on Thursday covering shipping of frozen mussels.
"""


def _records() -> list[dict[str, Any]]:
    return [
        {"id": "wire-1", "url": "https://fjord.example/a", "source": "Fjord Wire",
         "date": "2025-06-04", "text": WIRE},
        {"id": "wire-2", "url": "https://andes.example/b", "source": "Andes Daily",
         "date": "2025-06-04", "text": WIRE},
        {"id": "retold", "url": "https://lake.example/c", "source": "Lake Post",
         "date": "2025-06-04", "text": RETOLD},
        {"id": "later", "url": "https://fjord.example/d", "source": "Fjord Wire",
         "date": "2025-06-12", "text": LATER},
        {"id": "wire-3", "url": "https://north.example/e", "source": "North Times",
         "date": "2025-06-05", "text": WIRE},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = local_session(
        "local[2]",
        **{"spark.sql.shuffle.partitions": "3", "spark.default.parallelism": "2"},
    )
    yield session
    session.stop()


# An event by what it is: the two back ends give a copy's events other event_ids (the local
# coder reuses the events of a body it coded before), so clusters are compared by these.
_EVENT_KEY = (
    "[doc_id, CAST(sentence_index AS VARCHAR), CAST(trigger_start AS VARCHAR), cameo, "
    "source_code, coalesce(target_code, '')]"
)


def _clusters(store: Store) -> list[tuple[list[str], list[list[str]]]]:
    """Every cluster as (its first event, its members), sorted, events by _EVENT_KEY."""
    rows = store.query(
        "SELECT any_value(e.k) FILTER (WHERE e.event_id = m.cluster_id) AS head, "
        "list(e.k ORDER BY e.k) AS members FROM event_cluster_members m "
        f"JOIN (SELECT event_id, {_EVENT_KEY} AS k FROM events) e USING (event_id) "
        "GROUP BY m.cluster_id"
    ).to_pylist()
    return sorted((row["head"], row["members"]) for row in rows)


def _merged(store: Store) -> list[dict[str, Any]]:
    # run_id, coded_at and seq say when and how a row was stored, not what it is; the ids are
    # replaced by the representative's _EVENT_KEY.
    rows = store.query(
        f"SELECT * EXCLUDE (run_id, coded_at, seq, event_id, cluster_id), {_EVENT_KEY} AS head "
        f"FROM ({store.merged_events_sql()})"
    ).to_pylist()
    return sorted(rows, key=lambda row: row["head"])


def test_spark_merge_equals_local_merge(spark: Any, tmp_path: Path) -> None:
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    out = tmp_path / "out"
    summary = spark_extract(spark, str(source), str(out), Settings(), partitions=2)
    assert list((out / "event_clusters").glob("*.parquet"))

    settings = Settings(db=str(tmp_path / "spark.duckdb"))
    with Store(settings.db) as spark_store:
        imported = import_parquet(spark_store, out, settings)
        spark_clusters, spark_merged = _clusters(spark_store), _merged(spark_store)
        assert spark_store.count("event_cluster_members") == spark_store.count("events")
        # Importing again adds nothing and changes nothing.
        again = import_parquet(spark_store, out, settings)
        assert (again.stored_events, again.merged_events) == (0, 0)
        assert _clusters(spark_store) == spark_clusters

    local_settings = Settings(db=str(tmp_path / "local.duckdb"))
    with Store(local_settings.db) as local_store:
        extract([str(source)], local_settings, store=local_store)
        local_clusters, local_merged = _clusters(local_store), _merged(local_store)

    assert spark_clusters == local_clusters
    assert spark_merged == local_merged
    assert summary.event_clusters == len(local_clusters)
    assert imported.merged_events == sum(len(m) - 1 for _, m in local_clusters)

    # The rule did merge across documents: the signing told by four articles (three copies of
    # the wire story and one retelling) is one cluster; the later signing stays separate.
    articles = [(row["num_articles"], row["date"]) for row in spark_merged]
    assert max(n for n, _ in articles) >= 3
    later = [n for n, date in articles if date.startswith("2025-06-1")]
    assert later == [1]
    # The Spark output itself: one row per event, every cluster named by one of its events.
    rows = duckdb.sql(
        f"SELECT * FROM read_parquet('{out}/event_clusters/*.parquet')"
    ).to_arrow_table()
    event_ids = {row["event_id"] for row in rows.to_pylist()}
    assert len(event_ids) == rows.num_rows == summary.events
    assert {row["cluster_id"] for row in rows.to_pylist()} <= event_ids
    with Store(settings.db) as spark_store:
        stored = spark_store.query("SELECT event_id, cluster_id, doc_id FROM event_cluster_members")
    assert sorted(stored.to_pylist(), key=str) == sorted(rows.to_pylist(), key=str)

    # import reads event_clusters/ rather than merging again: every event alone there stays so.
    alone = tmp_path / "alone"
    for part in ("documents", "events"):
        shutil.copytree(out / part, alone / part)
    (alone / "event_clusters").mkdir()
    duckdb.sql(
        f"COPY (SELECT event_id, event_id AS cluster_id, doc_id FROM "
        f"read_parquet('{out}/event_clusters/*.parquet')) "
        f"TO '{alone}/event_clusters/part-0.parquet' (FORMAT parquet)"
    )
    alone_settings = Settings(db=str(tmp_path / "alone.duckdb"))
    with Store(alone_settings.db) as alone_store:
        assert import_parquet(alone_store, alone, alone_settings).merged_events == 0
        assert alone_store.count("event_clusters") == alone_store.count("events") == rows.num_rows

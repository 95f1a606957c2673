"""One event, one record: merging event mentions across documents.

Ten outlets reporting one meeting give ten coded events; this module groups them into one
*cluster* per real-world event (tables `event_clusters` and `event_cluster_members`), which
`Store.merged_events_sql()` reads.

The rule. Two events from *different* documents are the same real-world event when all of:

1. **Same dyad**: the same source key and the same target key, order kept (the key is the
   actor's country, else its organisation code, else its actor code; no target matches no
   target). A reciprocal pair ("A and B met") is two directed events and stays two clusters:
   A->B and B->A are different rows in every dyad table, and merging them would halve a pair's
   counts in one direction.
2. **Same kind of event**: the same CAMEO root (two digits) or the same PLOVER type. Outlets
   word one act differently ("met" 040, "held talks" 046); the root is what they agree on, and
   the PLOVER type catches the few acts whose wording moves them across a CAMEO root.
3. **Close dates**: the event dates (the first day each date stands for; an event dated only by
   its publication date counts as that day) are at most `event_merge_days` apart. Reports of
   one act are dated from different time zones and publication days, so an exact day would split
   them; a wider window would merge repeated acts (a meeting on Monday and another on Friday).
4. **And evidence that it is the same telling**, one of:
   a. the documents are of the same story (equal `story_id`, or one is `duplicate_of` the
      other): a wire story republished by several outlets;
   b. the sentences are near duplicates (the Jaccard similarity of their word 3-gram shingles,
      lowercased, punctuation removed, is at least `event_merge_text_similarity`): a lightly
      edited copy that document-level dedup missed;
   c. both dates were read from the text (not the publication date) at day precision and are
      equal: two independent reports in different words that name the same day.
   Conditions 1-3 alone would merge a country's two separate protests in one week told by
   different outlets with publication dates only; (c) asks the texts themselves to agree on
   the day, (a) and (b) accept copies of one report whatever their dates say.

An event never joins a cluster that already holds an event of its own document: the coder has
already merged repeated tellings within a document (`mentions`), so two events it kept apart in
one document are two events. Events without any date (no event date, no publication date) merge
only with undated events of the same story (rule 4a, no date window): copies of one article
count once, two undated reports in different words stay two.

Assignment is greedy and deterministic: events are taken in the order they were stored (`seq`);
each joins the cluster of the best matching earlier event (highest sentence similarity, then the
smallest date gap, then the earliest stored), or starts a new cluster whose id is its own
event_id. The first event of a cluster stands for it (`representative`). Running the merge again
adds nothing; later documents only add members to (and refresh the counts of) the clusters they
touch, so re-ingesting the same documents changes nothing.

Work is done in SQL, BATCH_EVENTS new events at a time: candidates come from one equality join
on (source key, target key, day) with one probe per day of the window, sentence shingles are
compared as sorted 64-bit hashes, and only the best member of each stored cluster is kept per new
event. Python then walks the batch's candidate pairs in order, never all pairs. 100,000 events
on few dyads merge in about 2 s; very dense dyads (dozens of similar events per dyad and day)
cost more, as every such pair is compared.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from .settings import Settings
from .store import Store

SHINGLE_WORDS = 3  # words per sentence shingle: one changed word costs 3 of ~20 shingles
BATCH_EVENTS = 50_000  # new events merged per transaction

# Words of a sentence: lowercased, anything but letters, digits and spaces removed.
_WORDS = (
    r"string_split_regex(trim(regexp_replace(lower({s}), '[^\p{{L}}\p{{N}}\s]+', ' ', 'g')), "
    r"'\s+')"
)
_SHINGLES = (
    "list_distinct(CASE WHEN len(w) <= {k} THEN [array_to_string(w, ' ')] "
    "ELSE list_transform(range(1, len(w) - {k} + 2), "
    "lambda i: array_to_string(w[i:i + {k} - 1], ' ')) END)"
)
_KEY = "coalesce(e.{side}_country, e.{side}_organization, e.{side}_code{default})"

# When a supporting document was published: its timestamp, else its day, else when we coded it.
_SEEN = (
    "coalesce(TRY_CAST(d.published AS TIMESTAMP), CAST(d.published_date AS TIMESTAMP), e.coded_at)"
)

_HELPERS = ("base", "candidates", "shingled")  # temp tables of one batch's pair search

_MEMBER_BATCH = pa.schema(
    [("event_id", pa.string()), ("cluster_id", pa.string()), ("doc_id", pa.string())]
)


@dataclass
class MergeSummary:
    """What one merge did."""

    events: int = 0  # events placed in a cluster (those not in one before)
    merged: int = 0  # of them, events that joined an event from another document
    new_clusters: int = 0  # clusters started
    touched_clusters: int = 0  # clusters whose counts were refreshed (new ones included)
    seconds: float = 0.0

    def to_record(self) -> dict[str, Any]:
        return asdict(self)


def merge_events(store: Store, settings: Settings) -> MergeSummary:
    """Put every event not yet in a cluster into one, and refresh the touched clusters' counts."""
    started = time.perf_counter()
    summary = MergeSummary()
    while True:
        batch = store.connection.execute(
            "SELECT e.event_id, e.doc_id FROM events e WHERE NOT EXISTS "
            "(SELECT 1 FROM event_cluster_members m WHERE m.event_id = e.event_id) "
            f"ORDER BY e.seq LIMIT {BATCH_EVENTS}"
        ).fetchall()
        if not batch:
            break
        _merge_batch(store, settings, batch, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _merge_batch(
    store: Store, settings: Settings, batch: list[tuple[str, str]], summary: MergeSummary
) -> None:
    connection = store.connection
    suffix = uuid.uuid4().hex
    batch_view, pairs = f"merge_batch_{suffix}", f"merge_pairs_{suffix}"
    connection.register(batch_view, pa.table({"event_id": [event_id for event_id, _ in batch]}))
    try:
        for statement in _pairs_sql(batch_view, pairs, settings):
            connection.execute(statement)
        candidates = connection.execute(
            f"SELECT new_id, old_id, old_cluster, similarity, gap, old_seq FROM {pairs}"
        ).fetchall()
        # Documents already in the candidate clusters: an event never joins one holding its own.
        cluster_docs: dict[str, set[str]] = defaultdict(set)
        for cluster_id, doc_id in connection.execute(
            "SELECT cluster_id, doc_id FROM event_cluster_members WHERE cluster_id IN "
            f"(SELECT DISTINCT old_cluster FROM {pairs} WHERE old_cluster IS NOT NULL)"
        ).fetchall():
            cluster_docs[cluster_id].add(doc_id)
    finally:
        for table in (pairs, *(f"{pairs}_{helper}" for helper in _HELPERS)):
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.unregister(batch_view)

    by_event: dict[str, list[tuple[str, str | None, float, int, int]]] = defaultdict(list)
    for new_id, old_id, old_cluster, similarity, gap, old_seq in candidates:
        by_event[new_id].append((old_id, old_cluster, float(similarity), int(gap), int(old_seq)))

    cluster_of: dict[str, str] = {}  # this batch's events, as they are placed
    rows: dict[str, list[str]] = {"event_id": [], "cluster_id": [], "doc_id": []}
    for event_id, doc_id in batch:  # in seq order: every candidate was placed before
        best: tuple[float, int, int, str] | None = None
        for old_id, old_cluster, similarity, gap, old_seq in by_event.get(event_id, ()):
            cluster_id = old_cluster if old_cluster is not None else cluster_of[old_id]
            if doc_id in cluster_docs[cluster_id]:
                continue
            # Highest similarity, then the smallest gap, then the earliest event.
            key = (-similarity, gap, old_seq, cluster_id)
            if best is None or key < best:
                best = key
        if best is None:
            cluster_id = event_id
            summary.new_clusters += 1
        else:
            cluster_id = best[3]
            summary.merged += 1
        cluster_of[event_id] = cluster_id
        cluster_docs[cluster_id].add(doc_id)
        rows["event_id"].append(event_id)
        rows["cluster_id"].append(cluster_id)
        rows["doc_id"].append(doc_id)
    summary.events += len(batch)
    summary.touched_clusters += store_members(store, pa.table(rows, schema=_MEMBER_BATCH))


def _pairs_sql(batch_view: str, pairs: str, settings: Settings) -> list[str]:
    """Statements that leave in temp table PAIRS every (new event, earlier event) pair the rule
    merges, one per earlier cluster (its best member). Helper tables are PAIRS_*."""
    source_key = _KEY.format(side="source", default="")
    target_key = _KEY.format(side="target", default=", ''")
    words = _WORDS.format(s="sentence")
    shingles = _SHINGLES.format(k=SHINGLE_WORDS)
    days = int(settings.event_merge_days)
    threshold = float(settings.event_merge_text_similarity)
    base, candidates, shingled = (f"{pairs}_{helper}" for helper in _HELPERS)
    return [
        # The batch's events and every event on one of their dyads: nothing else can match.
        f"""
        CREATE TEMP TABLE {base} AS
        WITH keyed AS (
            SELECT e.event_id, e.doc_id, e.seq, e.cameo_root, e.plover_type,
                   {source_key} AS source_key, {target_key} AS target_key,
                   coalesce(e.event_date, d.published_date) AS day,
                   e.date_source <> 'publication' AND e.date_precision = 'day' AS text_day,
                   coalesce(d.story_id, e.doc_id) AS story, d.duplicate_of
            FROM events e LEFT JOIN documents d ON d.doc_id = e.doc_id
        ),
        new AS (SELECT k.* FROM keyed k JOIN {batch_view} b ON b.event_id = k.event_id)
        SELECT k.*, m.cluster_id, b.event_id IS NOT NULL AS is_new
        FROM keyed k
        LEFT JOIN event_cluster_members m ON m.event_id = k.event_id
        LEFT JOIN {batch_view} b ON b.event_id = k.event_id
        WHERE (k.source_key, k.target_key) IN (SELECT (source_key, target_key) FROM new)
        """,
        f"""
        CREATE TEMP TABLE {candidates} AS
        SELECT n.event_id AS new_id, o.event_id AS old_id, o.cluster_id AS old_cluster,
               o.seq AS old_seq, abs(n.day - o.day) AS gap,
               n.story = o.story OR n.duplicate_of = o.doc_id OR o.duplicate_of = n.doc_id
                   AS same_story,
               n.text_day AND o.text_day AND n.day = o.day AS same_text_day
        -- one probe per day of the window: an equality join, not a range scan of the dyad
        FROM (SELECT b.*, b.day + CAST(r.shift AS INTEGER) AS probe
              FROM {base} b, range(-{days}, {days} + 1) r(shift) WHERE b.is_new) n
        JOIN {base} o
          ON n.source_key = o.source_key AND n.target_key = o.target_key AND o.day = n.probe
        WHERE n.doc_id <> o.doc_id
          AND (n.cameo_root = o.cameo_root OR n.plover_type = o.plover_type)
          -- earlier events only: those already in a cluster, or this batch's before it
          AND (o.cluster_id IS NOT NULL OR (o.is_new AND o.seq < n.seq))
        UNION ALL
        -- Undated events have no window: only copies of one story (exact or near duplicate
        -- documents) merge, so an article stored twice still counts once.
        SELECT n.event_id, o.event_id, o.cluster_id, o.seq, 0, TRUE, FALSE
        FROM {base} n
        JOIN {base} o ON n.source_key = o.source_key AND n.target_key = o.target_key
        WHERE n.is_new AND n.day IS NULL AND o.day IS NULL AND n.doc_id <> o.doc_id
          AND (n.story = o.story OR n.duplicate_of = o.doc_id OR o.duplicate_of = n.doc_id)
          AND (n.cameo_root = o.cameo_root OR n.plover_type = o.plover_type)
          AND (o.cluster_id IS NOT NULL OR (o.is_new AND o.seq < n.seq))
        """,
        # Shingles as sorted 64-bit hashes: comparing numbers is cheaper than comparing words.
        f"""
        CREATE TEMP TABLE {shingled} AS
        SELECT event_id, list_sort(list_distinct(list_transform({shingles}, lambda x: hash(x))))
                   AS shingles
        FROM (SELECT event_id, {words} AS w FROM events
              WHERE event_id IN (SELECT new_id FROM {candidates}
                                 UNION SELECT old_id FROM {candidates}))
        """,
        f"""
        CREATE TEMP TABLE {pairs} AS
        WITH scored AS (
            SELECT c.*,
                   len(list_intersect(a.shingles, b.shingles)) AS common,
                   len(a.shingles) + len(b.shingles) AS total
            FROM {candidates} c
            JOIN {shingled} a ON a.event_id = c.new_id
            JOIN {shingled} b ON b.event_id = c.old_id
        ),
        measured AS (
            SELECT *, CASE WHEN total > common THEN common / (total - common) ELSE 0.0 END
                          AS similarity
            FROM scored
        )
        SELECT new_id, old_id, old_cluster, similarity, gap, old_seq FROM measured
        WHERE same_story OR same_text_day OR similarity >= {threshold}
        -- of a cluster already stored, its best member is enough
        QUALIFY row_number() OVER (PARTITION BY new_id, coalesce(old_cluster, old_id)
                                   ORDER BY similarity DESC, gap, old_seq) = 1
        """,
    ]


def store_members(store: Store, members: pa.Table) -> int:
    """Add MEMBERS (event_id, cluster_id, doc_id) and recount the clusters they belong to, in
    one transaction (also how `thucydides import` stores the clusters a Spark job found).

    Returns the number of clusters recounted.
    """
    connection = store.connection
    view = f"merge_members_{uuid.uuid4().hex}"
    connection.register(view, members)
    try:
        connection.begin()
        try:
            connection.execute(
                f"INSERT INTO event_cluster_members (event_id, cluster_id, doc_id) "
                f"SELECT event_id, cluster_id, doc_id FROM {view}"
            )
            touched = f"(SELECT DISTINCT cluster_id FROM {view})"
            connection.execute(f"DELETE FROM event_clusters WHERE cluster_id IN {touched}")
            (count,) = connection.execute(
                f"""
                INSERT INTO event_clusters (cluster_id, representative, num_mentions,
                    num_sources, num_articles, first_seen, last_seen, updated_at)
                SELECT m.cluster_id,
                       arg_min(e.event_id, e.seq),
                       sum(e.mentions),
                       -- a document without a publisher is its own source
                       count(DISTINCT coalesce(nullif(trim(d.publisher), ''),
                                               'document:' || e.doc_id)),
                       count(DISTINCT e.doc_id),
                       min({_SEEN}),
                       max({_SEEN}),
                       ?
                FROM event_cluster_members m
                JOIN events e ON e.event_id = m.event_id
                LEFT JOIN documents d ON d.doc_id = e.doc_id
                WHERE m.cluster_id IN {touched}
                GROUP BY m.cluster_id
                """,
                [_now()],
            ).fetchall()[0]
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
    finally:
        connection.unregister(view)
    return int(count)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)

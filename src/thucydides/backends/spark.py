"""Apache Spark back end: the local pipeline's library functions over partitions of a DataFrame.

    thucydides spark extract INPUT OUTPUT [--master local[4]] [--partitions N]
    spark-submit run_thucydides.py INPUT OUTPUT   (a one-line launcher; see main)
    python -m thucydides.backends.spark INPUT OUTPUT
    thucydides import OUTPUT --db store.duckdb

INPUT is JSONL (plain or .gz; records with id/text/html/url/date/title/source, as
`thucydides.readers` reads them), Parquet with those columns, or WARC archives (.warc, .warc.gz,
read whole with Spark's binaryFile source). Each partition goes through, with `mapInArrow`:
the readers' record parsing -> `pipeline.DocumentBuilder.build` -> `coder.Coder.code_documents`,
the very functions `thucydides extract` calls, so a document gets the same doc_id and the same
events either way. OUTPUT gets Parquet:

    OUTPUT/documents/month=YYYY-MM/   one row per document (published month; "unknown")
    OUTPUT/events/month=YYYY-MM/      one row per event (event month; "unknown")
    OUTPUT/rejects/                   one row per input that could not be used
    OUTPUT/event_clusters/            (event_id, cluster_id, doc_id): the cross-document merge

Columns are those of the store's tables (`Store.add_documents` / `add_events`), so
`import_parquet` loads them without conversion. Deduplication across documents is Spark work:
exact copies by a groupBy on content_hash, near copies by MinHash LSH banding (the signatures,
bands and threshold of `dedup.DuplicateFinder`). So is merging events across documents: the
rule of `thucydides.merge` only ever pairs events of one dyad, so events are grouped by a hash
of their dyad and each group goes through `merge_events` itself, in a throwaway in-memory store
(see `merge_group`); `import_parquet` then stores those clusters instead of merging again.

PySpark is imported inside functions only: the rest of Thucydides works without it.
"""

from __future__ import annotations

import dataclasses
import io
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .. import store as store_module
from ..coder import Coder
from ..dedup import DuplicateFinder
from ..errors import ThucydidesError, require_extra
from ..merge import merge_events, store_members
from ..pipeline import DocumentBuilder, build_documents
from ..readers import read_jsonl, read_warc
from ..settings import Settings
from ..store import Store
from ..types import Document, Event, RawDocument, Rejection, RunSummary

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

INPUT_FORMATS = ("jsonl", "parquet", "warc")
RECORD_FIELDS = ("id", "text", "html", "url", "date", "title", "source")
DOCUMENTS_DIR, EVENTS_DIR, REJECTS_DIR = "documents", "events", "rejects"
CLUSTERS_DIR = "event_clusters"
STAGING_DIR = "tmp_coded"  # the coded partitions, read back by the dedup job, removed at the end
UNKNOWN_MONTH = "unknown"
# Where a document came from, in input order: the dedup job's "earlier" and the import's order.
ORDER_COLUMNS = ("input_path", "input_row", "input_record")

# -- Arrow schemas of the output -----------------------------------------------------------

_STORE_ONLY = {"run_id", "added_at", "coded_at", "position"}  # set by the store on import
_ORDER_FIELDS = [
    ("input_path", pa.string()),
    ("input_row", pa.int64()),
    ("input_record", pa.int32()),
]
DOCUMENT_SCHEMA = pa.schema(
    [
        # Spark has no unsigned 64-bit type; MinHash values are below 2**32 (affine32).
        (f.name, pa.list_(pa.int64()) if f.name == "minhash" else f.type)
        for f in store_module._DOCUMENT_BATCH
        if f.name not in _STORE_ONLY
    ]
    + _ORDER_FIELDS
)
EVENT_SCHEMA = pa.schema(
    [(f.name, f.type) for f in store_module._EVENT_BATCH if f.name not in _STORE_ONLY]
)
REJECTION_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("location", "stage", "code", "message")]
)
CLUSTER_SCHEMA = pa.schema(
    [("event_id", pa.string()), ("cluster_id", pa.string()), ("doc_id", pa.string())]
)
# The documents' columns merge.py's rule reads (dates, story links), carried with each event.
_MERGE_DOCUMENT_COLUMNS = ("published", "story_id", "duplicate_of")
# The order import_parquet stores events in (their document's input order, then their place in
# it): merge_events is greedy in stored order, so each group must be stored in this order too.
_IMPORT_EVENT_ORDER = (*ORDER_COLUMNS, "sentence_index", "trigger_start", "event_id")
_CODED_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),  # "document", "event" or "rejection": which struct is set
        ("document", pa.struct(list(DOCUMENT_SCHEMA))),
        ("event", pa.struct(list(EVENT_SCHEMA))),
        ("rejection", pa.struct(list(REJECTION_SCHEMA))),
    ]
)


def spark_ddl(schema: pa.Schema) -> str:
    """A Spark DDL schema string ("`a` string, `b` array<int>") for an Arrow schema."""
    return ", ".join(f"`{f.name}` {_spark_type(f.type)}" for f in schema)


def _spark_type(kind: pa.DataType) -> str:
    simple = {
        pa.string(): "string",
        pa.int8(): "tinyint",
        pa.int32(): "int",
        pa.int64(): "bigint",
        pa.float64(): "double",
        pa.bool_(): "boolean",
    }
    if kind in simple:
        return simple[kind]
    if pa.types.is_list(kind):
        return f"array<{_spark_type(kind.value_type)}>"
    if pa.types.is_struct(kind):
        inner = ", ".join(f"`{f.name}`: {_spark_type(f.type)}" for f in kind)
        return f"struct<{inner}>"
    raise TypeError(f"no Spark type for Arrow type {kind}")


# -- the executor side ---------------------------------------------------------------------


@dataclass
class _Worker:
    """What coding needs, built once per executor process: the spaCy model and the lexicons."""

    key: tuple[Settings, str | None]
    builder: DocumentBuilder
    coder: Coder
    finder: DuplicateFinder  # only its signature(): MinHash values for the near-duplicate job


class _WorkerCache:
    """The one cached Worker of this Python process.

    Why module state is allowed here: Spark runs each partition as a call into a long-lived
    Python worker process (spark.python.worker.reuse, on by default) and gives us no other place
    to keep anything between calls. Loading the spaCy model and the lexicons takes seconds;
    doing it per partition would cost more than coding many partitions. Nothing is cached until
    a partition asks (no work at import time), the Worker is rebuilt when the settings differ,
    and the coder's memory of bodies already coded is cleared at the start of every partition,
    so a partition's output depends on the partition alone.
    """

    def __init__(self) -> None:
        self._worker: _Worker | None = None

    def get(self, settings: Settings, lexicon_dir: str | None) -> _Worker:
        key = (settings, lexicon_dir)
        if self._worker is None or self._worker.key != key:
            self._worker = _Worker(
                key,
                DocumentBuilder(settings, lexicon_dir),
                Coder(settings, lexicon_dir),
                DuplicateFinder(settings),
            )
        return self._worker


_WORKERS = _WorkerCache()


def local_label(path: str) -> str:
    """A file path as Spark names it ("file:///data/x.jsonl") -> as a user writes it."""
    for prefix in ("file://", "file:"):
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            return rest if rest.startswith("/") else "/" + rest
    return path


def _raw_items(row: dict[str, Any], settings: Settings) -> Iterator[RawDocument | Rejection]:
    """The RawDocuments and Rejections of one input row, read by thucydides.readers."""
    label = local_label(row["path"])
    data: bytes = row["data"] or b""
    if row["kind"] == "warc":
        yield from read_warc(label, io.BytesIO(data), settings)
        return
    if not data.strip():
        return  # a blank line, skipped as the JSONL reader skips it
    # One record through the JSONL reader (BOM, UTF-8 and JSON errors, the record rules), then
    # placed where it was: "file.jsonl:12" (line) or "file.parquet#3" (row).
    sep = ":" if row["kind"] == "jsonl" else "#"
    location = f"{label}{sep}{row['row']}"
    for item in read_jsonl(label, io.BytesIO(data), settings):
        yield dataclasses.replace(item, location=location)


def code_batches(
    batches: Iterable[pa.RecordBatch], settings: Settings, lexicon_dir: str | None = None
) -> Iterator[pa.RecordBatch]:
    """mapInArrow's function: input rows (path, row, kind, data) -> coded rows (_CODED_SCHEMA)."""
    worker = _WORKERS.get(settings, lexicon_dir)
    worker.coder._coded_by_hash.clear()  # see _WorkerCache: partitions do not share state
    for batch in batches:
        raws: list[RawDocument | Rejection] = []
        places: list[tuple[str, int, int]] = []
        for row in batch.to_pylist():
            for record, item in enumerate(_raw_items(row, settings)):
                raws.append(item)
                places.append((local_label(row["path"]), int(row["row"]), record))
        documents: list[Document] = []
        order: dict[str, tuple[str, int, int]] = {}
        rejections: list[Rejection] = []
        # build_documents yields exactly one item per input item, in order.
        for place, built in zip(places, build_documents(raws, worker.builder), strict=True):
            if isinstance(built, Rejection):
                rejections.append(built)
            else:
                documents.append(built)
                order.setdefault(built.doc_id, place)
        signatures = {
            d.doc_id: worker.finder.signature(d.body).hashvalues.tolist() for d in documents
        }
        events: list[Event] = []
        for _, found in worker.coder.code_documents(documents, on_error="skip"):
            if isinstance(found, Rejection):
                rejections.append(found)
            else:
                events.extend(found)
        yield from _coded_batches(documents, order, signatures, events, rejections)


def _coded_batches(
    documents: list[Document],
    order: dict[str, tuple[str, int, int]],
    signatures: dict[str, list[int]],
    events: list[Event],
    rejections: list[Rejection],
) -> Iterator[pa.RecordBatch]:
    now = datetime.now(UTC).replace(tzinfo=None)
    parts: list[pa.Table] = []
    if documents:
        table = store_module._documents_batch(documents, signatures, "", now)
        places = [order[d.doc_id] for d in documents]
        table = table.append_column("input_path", pa.array([p[0] for p in places], pa.string()))
        table = table.append_column("input_row", pa.array([p[1] for p in places], pa.int64()))
        table = table.append_column("input_record", pa.array([p[2] for p in places], pa.int32()))
        parts.append(
            _one_kind("document", table.select(DOCUMENT_SCHEMA.names).cast(DOCUMENT_SCHEMA))
        )
    if events:
        table = store_module._events_batch(events, None, now)
        parts.append(_one_kind("event", table.select(EVENT_SCHEMA.names).cast(EVENT_SCHEMA)))
    if rejections:
        table = pa.Table.from_pylist([r.to_record() for r in rejections], schema=REJECTION_SCHEMA)
        parts.append(_one_kind("rejection", table))
    for part in parts:
        yield from part.to_batches()


def _one_kind(kind: str, table: pa.Table) -> pa.Table:
    """TABLE as rows of _CODED_SCHEMA: its struct column set, the other two null."""
    rows = table.num_rows
    struct = pa.StructArray.from_arrays(
        [column.combine_chunks() for column in table.columns], fields=list(table.schema)
    )
    columns = {
        "kind": pa.array([kind] * rows, pa.string()),
        "document": None,
        "event": None,
        "rejection": None,
    }
    columns[kind] = struct
    arrays = [
        columns[f.name] if columns[f.name] is not None else pa.nulls(rows, f.type)
        for f in _CODED_SCHEMA
    ]
    return pa.Table.from_arrays(arrays, schema=_CODED_SCHEMA)


def merge_group(table: pa.Table, settings: Settings) -> pa.Table:
    """applyInArrow's function: the events of some dyads, each with its document's input order
    and _MERGE_DOCUMENT_COLUMNS -> their clusters (CLUSTER_SCHEMA), as merge_events finds them.

    The events go into an in-memory Store in the order import_parquet stores them, with stub
    documents (only the columns the rule reads; NOT NULL columns empty), and merge_events runs
    there: the rule is the library's, not a copy. Candidates never leave a dyad, so a group's
    clusters are those the merge of all events gives.
    """
    rows = table.sort_by([(name, "ascending") for name in _IMPORT_EVENT_ORDER]).to_pylist()
    documents: dict[str, dict[str, Any]] = {}
    for row in rows:
        documents.setdefault(
            row["doc_id"], {name: row[name] for name in ("doc_id", *_MERGE_DOCUMENT_COLUMNS)}
        )
    stubs = pa.Table.from_pylist(
        list(documents.values()),
        schema=pa.schema([(name, pa.string()) for name in ("doc_id", *_MERGE_DOCUMENT_COLUMNS)]),
    )
    with Store(":memory:") as store:
        store.connection.register("merge_documents", stubs)
        store.connection.execute(
            "INSERT INTO documents (doc_id, content_hash, source_path, location, media_type, "
            "published, published_date, body, raw_text, paragraphs, offset_map, "
            "repeated_paragraphs, duplicate_of, story_id, run_id, added_at) "
            f"SELECT doc_id, '', '', '', '', published, {store_module._PUBLISHED_DATE}, '', '', "
            "[], [], 0, duplicate_of, story_id, '', CAST(now() AS TIMESTAMP) FROM merge_documents"
        )
        store.connection.unregister("merge_documents")
        store.add_events([store_module._event_from_row(row) for row in rows], None)
        merge_events(store, settings)
        members = store.connection.sql(
            "SELECT event_id, cluster_id, doc_id FROM event_cluster_members"
        ).to_arrow_table()
    return members.select(CLUSTER_SCHEMA.names).cast(CLUSTER_SCHEMA)


# -- the driver side -----------------------------------------------------------------------


def guess_format(input_path: str) -> str:
    """ "jsonl", "parquet" or "warc" from INPUT's name, or from the files of a local directory."""
    suffixes = {
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".json": "jsonl",
        ".parquet": "parquet",
        ".warc": "warc",
    }
    names = [input_path.rstrip("/")]
    if os.path.isdir(input_path):
        names = sorted(n for n in os.listdir(input_path) if not n.startswith((".", "_")))
    for name in names:
        name = name.lower().removesuffix(".gz")
        for suffix, fmt in suffixes.items():
            if name.endswith(suffix):
                return fmt
    raise ThucydidesError(
        f"{input_path}: cannot tell the input format (JSONL, Parquet or WARC); give --format",
        code="T501",
    )


def read_input(spark: SparkSession, input_path: str, input_format: str | None = None) -> DataFrame:
    """INPUT as rows (path, row, kind, data): a JSONL line, a Parquet row as JSON, a WARC file."""
    from pyspark.sql import functions as F

    fmt = input_format or guess_format(input_path)
    if fmt == "jsonl":
        return _jsonl_lines(spark, input_path)
    if fmt == "parquet":
        frame = spark.read.parquet(input_path)
        fields = [F.col(n).cast("string").alias(n) for n in RECORD_FIELDS if n in frame.columns]
        return frame.select(
            F.col("_metadata.file_path").alias("path"),
            (F.col("_metadata.row_index") + 1).alias("row"),
            F.lit("record").alias("kind"),
            F.to_json(F.struct(*fields)).cast("binary").alias("data"),
        )
    if fmt == "warc":
        reader = spark.read.format("binaryFile")
        if os.path.isdir(input_path):
            reader = reader.option("pathGlobFilter", "*.warc*")
        return reader.load(input_path).select(
            "path",
            F.lit(0).cast("bigint").alias("row"),
            F.lit("warc").alias("kind"),
            F.col("content").alias("data"),
        )
    raise ThucydidesError(f"unknown input format {fmt!r}: one of {INPUT_FORMATS}", code="T501")


def _jsonl_lines(spark: SparkSession, input_path: str) -> DataFrame:
    """Every line of the JSONL files with its 1-based line number, as the local reader counts.

    Spark splits a large file across partitions and says nothing of line numbers, so: count the
    lines of each (file, partition), add up the counts of the file's earlier partitions. A file's
    splits go to partitions in offset order (Spark packs splits by size, largest first, with a
    stable sort, and only a file's last split is smaller), and a partition's rows of one file
    are consecutive, so monotonically_increasing_id() - its first value is the row within them.
    """
    from pyspark.sql import functions as F

    lines = spark.read.text(input_path).select(
        F.col("_metadata.file_path").alias("path"),
        F.spark_partition_id().alias("pid"),
        F.monotonically_increasing_id().alias("mono"),
        F.col("value").cast("binary").alias("data"),
    )
    counts = (
        lines.groupBy("path", "pid")
        .agg(F.count("*").alias("n"), F.min("mono").alias("first"))
        .collect()
    )
    bases: list[tuple[str, int, int, int]] = []
    seen: dict[str, int] = {}
    for row in sorted(counts, key=lambda r: (r["path"], r["pid"])):
        base = seen.get(row["path"], 0)
        bases.append((row["path"], row["pid"], base - row["first"] + 1, row["first"]))
        seen[row["path"]] = base + row["n"]
    table = spark.createDataFrame(bases, "path string, pid int, shift bigint, first bigint")
    return lines.join(F.broadcast(table.drop("first")), ["path", "pid"]).select(
        "path", (F.col("mono") + F.col("shift")).alias("row"), F.lit("jsonl").alias("kind"), "data"
    )


def mark_duplicates(documents: DataFrame, settings: Settings) -> DataFrame:
    """DOCUMENTS with duplicate_of, duplicate_kind, similarity and story_id set, as
    dedup.DuplicateFinder would set them reading the documents in input order: an exact copy
    (same content_hash) of an earlier document first; else the most similar earlier document
    whose MinHash signature agrees on at least near_duplicate_threshold of its values, among the
    candidates LSH banding proposes (the bands DuplicateFinder's index uses)."""
    from datasketch import MinHashLSH
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = F.struct(*ORDER_COLUMNS)
    first_of_id = Window.partitionBy("doc_id").orderBy(*ORDER_COLUMNS)
    docs = (
        documents.withColumn("_n", F.row_number().over(first_of_id))
        .where("_n = 1")
        .drop("_n", "duplicate_of", "duplicate_kind", "similarity", "story_id")
        .withColumn("_order", order)
    )
    exact = docs.groupBy("content_hash").agg(
        F.min(F.struct("_order", "doc_id")).getField("doc_id").alias("_exact_of")
    )
    threshold = settings.near_duplicate_threshold
    lsh = MinHashLSH(
        threshold=min(1.0, max(0.3, threshold - 0.2)), num_perm=settings.minhash_permutations
    )
    bands = docs.where(
        ~F.forall("minhash", lambda v: v == 0xFFFFFFFF)
    ).select(  # wordless: no near match
        "doc_id",
        "_order",
        "minhash",
        F.posexplode(
            F.array(*[F.slice("minhash", i * lsh.r + 1, lsh.r) for i in range(lsh.b)])
        ).alias("band", "key"),
    )
    a, b = bands.alias("a"), bands.alias("b")
    same = F.aggregate(
        F.zip_with("a.minhash", "b.minhash", lambda x, y: F.when(x == y, 1).otherwise(0)),
        F.lit(0),
        lambda acc, v: acc + v,
    )
    pairs = (
        a.join(b, (F.col("a.band") == F.col("b.band")) & (F.col("a.key") == F.col("b.key")))
        .where(F.col("b._order") < F.col("a._order"))
        .select(
            F.col("a.doc_id").alias("doc_id"),
            F.col("b.doc_id").alias("_near_of"),
            F.col("b._order").alias("_near_order"),
            (same / F.size("a.minhash")).alias("_similarity"),
        )
        .dropDuplicates(["doc_id", "_near_of"])
        .where(F.col("_similarity") >= threshold)
    )
    best = Window.partitionBy("doc_id").orderBy(F.desc("_similarity"), "_near_order")
    near = pairs.withColumn("_n", F.row_number().over(best)).where("_n = 1").drop("_n")
    marked = (
        docs.join(exact, "content_hash")
        .join(near, "doc_id", "left")
        .withColumn("_exact_of", F.when(F.col("_exact_of") != F.col("doc_id"), F.col("_exact_of")))
        .withColumn("duplicate_of", F.coalesce("_exact_of", "_near_of"))
        .withColumn(
            "duplicate_kind",
            F.when(F.col("_exact_of").isNotNull(), "exact").when(
                F.col("_near_of").isNotNull(), "near"
            ),
        )
        .withColumn(
            "similarity",
            F.when(F.col("_exact_of").isNotNull(), 1.0).otherwise(F.col("_similarity")),
        )
    )
    return _stories(marked).select(*DOCUMENT_SCHEMA.names)


def _stories(marked: DataFrame, max_rounds: int = 32) -> DataFrame:
    """story_id: the first document of the chain of duplicate_of links (its own id if none)."""
    from pyspark.sql import functions as F

    marked = marked.withColumn("story_id", F.coalesce("duplicate_of", "doc_id")).localCheckpoint()
    for _ in range(max_rounds):
        parents = marked.select(
            F.col("doc_id").alias("_parent"), F.col("story_id").alias("_parent_story")
        )
        step = marked.join(parents, marked["story_id"] == parents["_parent"], "left")
        if step.where("_parent_story IS NOT NULL AND _parent_story != story_id").isEmpty():
            break
        marked = (
            step.withColumn("story_id", F.coalesce("_parent_story", "story_id"))
            .drop("_parent", "_parent_story")
            .localCheckpoint()
        )
    return marked


def merge_clusters(
    events: DataFrame, documents: DataFrame, settings: Settings, groups: int
) -> DataFrame:
    """The cross-document event merge as a Spark job: EVENTS (EVENT_SCHEMA) of DOCUMENTS
    (DOCUMENT_SCHEMA, one row per doc_id) -> rows of CLUSTER_SCHEMA.

    Events are hashed by dyad (source and target key as thucydides.merge computes them) into
    GROUPS groups, each merged by merge_group. One group holds many dyads: an in-memory store
    per dyad would cost more than merging the dyads together, which gives the same clusters.
    """
    from pyspark.sql import functions as F

    source_key = F.coalesce("source_country", "source_organization", "source_code")
    target_key = F.coalesce("target_country", "target_organization", "target_code", F.lit(""))
    # Inner join, as import_parquet's: an event whose document is missing is not imported.
    keyed = events.join(
        documents.select("doc_id", *ORDER_COLUMNS, *_MERGE_DOCUMENT_COLUMNS), "doc_id"
    ).withColumn("_group", F.pmod(F.xxhash64(source_key, target_key), F.lit(max(1, groups))))

    def merge(table: pa.Table) -> pa.Table:
        return merge_group(table, settings)

    return keyed.groupBy("_group").applyInArrow(merge, spark_ddl(CLUSTER_SCHEMA))


def _month(column: str) -> Any:
    """The YYYY-MM a date string starts with, else 'unknown' (the Parquet partition)."""
    from pyspark.sql import functions as F

    return F.when(F.col(column).rlike(r"^[0-9]{4}-[0-9]{2}"), F.substring(column, 1, 7)).otherwise(
        F.lit(UNKNOWN_MONTH)
    )


@dataclass
class SparkSummary:
    """What a Spark run wrote."""

    documents: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    events: int = 0
    rejected: int = 0
    event_clusters: int = 0  # real-world events: clusters of the cross-document merge
    seconds: float = 0.0


def spark_extract(
    spark: SparkSession,
    input_path: str,
    output_dir: str,
    settings: Settings,
    partitions: int | None = None,
    *,
    input_format: str | None = None,
    lexicon_dir: str | None = None,
) -> SparkSummary:
    """Code INPUT on the cluster SPARK runs on; write OUTPUT/documents, events, rejects and
    event_clusters.

    PARTITIONS: how many pieces the input is cut into before coding (default: as Spark reads
    it). Each piece runs on one core; a few per core keeps them all busy to the end.
    """
    from pyspark.sql import functions as F

    started = time.perf_counter()
    rows = read_input(spark, input_path, input_format)
    if partitions:
        rows = rows.repartition(partitions)
    output = output_dir.rstrip("/")
    staging = f"{output}/{STAGING_DIR}"

    def code(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return code_batches(batches, settings, lexicon_dir)

    # Coding is the expensive step: its output is written once and read back by the jobs below.
    rows.mapInArrow(code, spark_ddl(_CODED_SCHEMA)).write.mode("overwrite").parquet(staging)
    coded = spark.read.parquet(staging)
    documents = mark_duplicates(coded.where("kind = 'document'").select("document.*"), settings)
    documents.withColumn("month", _month("published")).write.mode("overwrite").partitionBy(
        "month"
    ).parquet(f"{output}/{DOCUMENTS_DIR}")
    events = coded.where("kind = 'event'").select("event.*").dropDuplicates(["event_id"])
    events.withColumn("month", _month("date")).write.mode("overwrite").partitionBy("month").parquet(
        f"{output}/{EVENTS_DIR}"
    )
    rejects = coded.where("kind = 'rejection'").select("rejection.*")
    rejects.write.mode("overwrite").parquet(f"{output}/{REJECTS_DIR}")

    written = spark.read.parquet(f"{output}/{DOCUMENTS_DIR}")
    merge_clusters(events, written.drop("month"), settings, _shuffle_partitions(spark)).write.mode(
        "overwrite"
    ).parquet(f"{output}/{CLUSTERS_DIR}")
    kinds = {
        r["duplicate_kind"]: r["n"]
        for r in written.groupBy("duplicate_kind").agg(F.count("*").alias("n")).collect()
    }
    summary = SparkSummary(
        documents=sum(kinds.values()),
        exact_duplicates=kinds.get("exact", 0),
        near_duplicates=kinds.get("near", 0),
        events=spark.read.parquet(f"{output}/{EVENTS_DIR}").count(),
        rejected=spark.read.parquet(f"{output}/{REJECTS_DIR}").count(),
        event_clusters=spark.read.parquet(f"{output}/{CLUSTERS_DIR}")
        .select("cluster_id")
        .distinct()
        .count(),
    )
    _delete(spark, staging)
    summary.seconds = time.perf_counter() - started
    return summary


def _shuffle_partitions(spark: SparkSession) -> int:
    """spark.sql.shuffle.partitions as a number (Databricks may say "auto"): the merge's groups."""
    value = str(spark.conf.get("spark.sql.shuffle.partitions", "200"))
    return int(value) if value.isdigit() else 200


def _delete(spark: SparkSession, path: str) -> None:
    """Remove PATH recursively, on whatever file system Spark reads it from (local, HDFS, S3)."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)  # type: ignore[union-attr]
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    hadoop_path.getFileSystem(conf).delete(hadoop_path, True)


def local_session(master: str = "local[2]", **config: str) -> SparkSession:
    """A SparkSession for `thucydides spark extract` and tests, with the UI off.

    With a local master the Python workers must be this interpreter (the one with Thucydides
    and spaCy installed), not whatever `python3` is first on the PATH.
    """
    require_extra("pyspark", "spark", "the Spark back end")
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("thucydides")
    for key, value in {"spark.ui.enabled": "false", **config}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# -- into the local store ------------------------------------------------------------------


@dataclass
class ImportSummary:
    documents: int = 0  # rows read
    stored: int = 0  # of them, documents new to the store
    events: int = 0
    stored_events: int = 0
    rejections: int = 0
    merged_events: int = 0
    seconds: float = 0.0


def import_parquet(store: Store, parquet_dir: str | Path, settings: Settings) -> ImportSummary:
    """Load a Spark run's documents/, events/ and rejects/ into STORE, then its event_clusters/
    (see _store_clusters), and merge whatever events are still in no cluster.

    Idempotent: documents and events already stored (same doc_id / event_id) are skipped, so
    importing the same output twice changes nothing. Documents go in in input order, events in
    their documents' order, so that merge_events (greedy in stored order) sees what a local run
    would have given it. Runs without PySpark (DuckDB reads the Parquet).
    """
    import duckdb

    started = time.perf_counter()
    root = Path(parquet_dir)
    summary = ImportSummary()
    docs_glob = str(root / DOCUMENTS_DIR / "**" / "*.parquet")
    events_glob = str(root / EVENTS_DIR / "**" / "*.parquet")
    rejects_glob = str(root / REJECTS_DIR / "*.parquet")
    if not list(root.glob(f"{DOCUMENTS_DIR}/**/*.parquet")):
        raise ThucydidesError(f"{root}: no {DOCUMENTS_DIR}/ Parquet files here", code="T401")
    run_id = store.begin_run([str(root)], settings)
    order = ", ".join(ORDER_COLUMNS)
    reader = duckdb.connect()
    try:
        documents = reader.sql(
            "SELECT * FROM read_parquet($1, hive_partitioning = true, union_by_name = true) "
            f"ORDER BY {order}",
            params=[docs_glob],
        ).to_arrow_reader(settings.batch_size)
        for batch in documents or ():
            rows = batch.to_pylist()
            docs = [store_module._document_from_row(row) for row in rows]
            signatures = {row["doc_id"]: row["minhash"] for row in rows if row["minhash"]}
            summary.documents += len(docs)
            summary.stored += store.add_documents(docs, signatures, run_id)
        if list(root.glob(f"{EVENTS_DIR}/**/*.parquet")):
            events = reader.sql(
                "SELECT e.* FROM read_parquet($1, hive_partitioning = true, union_by_name = true) e"
                " JOIN (SELECT doc_id, min(struct_pack(" + order + ")) AS o FROM "
                "read_parquet($2, hive_partitioning = true, union_by_name = true) GROUP BY doc_id)"
                " d USING (doc_id) ORDER BY d.o, e.sentence_index, e.trigger_start, e.event_id",
                params=[events_glob, docs_glob],
            ).to_arrow_reader(settings.batch_size)
            for batch in events or ():
                found = [store_module._event_from_row(row) for row in batch.to_pylist()]
                summary.events += len(found)
                summary.stored_events += store.add_events(found, run_id)
        if list(root.glob(f"{REJECTS_DIR}/*.parquet")):
            rejected = reader.execute(
                "SELECT location, stage, code, message FROM read_parquet(?)", [rejects_glob]
            ).fetchall()
            store.add_rejections(run_id, [Rejection(*row) for row in rejected])
            summary.rejections = len(rejected)
    finally:
        reader.close()
    summary.merged_events = _store_clusters(store, root)
    # Nothing left after the Spark job's clusters, unless they could not be used.
    summary.merged_events += merge_events(store, settings).merged
    summary.seconds = time.perf_counter() - started
    store.finish_run(
        run_id,
        RunSummary(
            read=summary.documents,
            cleaned=summary.documents,
            stored=summary.stored,
            already_stored=summary.documents - summary.stored,
            rejected=summary.rejections,
            events=summary.events,
            merged_events=summary.merged_events,
            seconds=summary.seconds,
        ),
    )
    return summary


def _store_clusters(store: Store, root: Path) -> int:
    """Put the events not in a cluster yet into those ROOT/event_clusters/ gives them, and count
    those clusters (merge.store_members); returns how many events joined another document's.

    Used only when every stored event is of this output: the Spark job merged these events
    alone, and events stored before (by another run) could have taken some of them into their
    clusters. Otherwise it stores nothing and merge_events merges locally.
    """
    if not list(root.glob(f"{CLUSTERS_DIR}/*.parquet")):
        return 0
    clusters = str(root / CLUSTERS_DIR / "*.parquet")
    connection = store.connection
    (foreign,) = connection.execute(
        "SELECT count(*) FROM events e WHERE NOT EXISTS "
        "(SELECT 1 FROM read_parquet($1) c WHERE c.event_id = e.event_id)",
        [clusters],
    ).fetchall()[0]
    if foreign:
        return 0
    members = connection.sql(
        "SELECT c.event_id, c.cluster_id, c.doc_id FROM read_parquet($1) c "
        "JOIN events e ON e.event_id = c.event_id WHERE NOT EXISTS "
        "(SELECT 1 FROM event_cluster_members m WHERE m.event_id = c.event_id)",
        params=[clusters],
    ).to_arrow_table()
    if not members.num_rows:
        return 0
    store_members(store, members.cast(CLUSTER_SCHEMA))
    return sum(
        1
        for event_id, cluster_id in zip(
            members["event_id"].to_pylist(), members["cluster_id"].to_pylist(), strict=True
        )
        if event_id != cluster_id
    )


# -- spark-submit --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """spark-submit entry point: the master, executors and memory come from spark-submit.

    spark-submit runs a file, not a module, and this module's relative imports need the package,
    so launch it through a one-line file:

        echo 'from thucydides.backends.spark import main; main()' > run_thucydides.py
        spark-submit --master yarn run_thucydides.py s3://bucket/news/ s3://bucket/out/ \\
            --partitions 400

    Locally: `PYSPARK_PYTHON=$(which python) python -m thucydides.backends.spark IN OUT` (PySpark
    then runs in local[*] mode). Every executor needs Thucydides, spaCy and the model installed.
    """
    import argparse

    from pyspark.sql import SparkSession

    from ..settings import load_settings

    parser = argparse.ArgumentParser(prog="thucydides.backends.spark", description=main.__doc__)
    parser.add_argument("input", help="JSONL, Parquet or WARC file or directory (any Spark URL)")
    parser.add_argument("output", help="directory for documents/, events/ and rejects/")
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--format", choices=INPUT_FORMATS, default=None)
    parser.add_argument("--config", default=None, help="settings file (TOML)")
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("thucydides").getOrCreate()
    summary = spark_extract(
        spark,
        args.input,
        args.output,
        load_settings(args.config),
        args.partitions,
        input_format=args.format,
    )
    print(dataclasses.asdict(summary))


if __name__ == "__main__":
    main()

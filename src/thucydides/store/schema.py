"""The store's schema: numbered migrations, and how a connection is checked and brought up to date.

Migrations are applied in order, each in its own transaction, when a store is opened for writing;
the `schema_version` table records which have run. Later stages add their tables (events is
migration 3) as further migrations: append to MIGRATIONS, never edit one that has shipped.
"""

from __future__ import annotations

import duckdb

from .. import __version__
from ..errors import StoreError
from .columns import now
from .failures import first_line
from .rejections import _REJECTION_KEY

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            version VARCHAR NOT NULL,
            inputs VARCHAR[] NOT NULL,
            settings JSON NOT NULL,
            counts JSON
        );
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY,
            content_hash VARCHAR NOT NULL,
            source_path VARCHAR NOT NULL,
            location VARCHAR NOT NULL,
            media_type VARCHAR NOT NULL,
            url VARCHAR,
            title VARCHAR,
            publisher VARCHAR,
            author VARCHAR,
            wire_source VARCHAR,
            published VARCHAR,
            published_date DATE,
            language VARCHAR,
            body VARCHAR NOT NULL,
            raw_text VARCHAR NOT NULL,
            paragraphs INTEGER[][] NOT NULL,
            offset_map INTEGER[][] NOT NULL,
            repeated_paragraphs INTEGER NOT NULL,
            duplicate_of VARCHAR,
            duplicate_kind VARCHAR,
            similarity DOUBLE,
            story_id VARCHAR,
            skip_reason VARCHAR,
            minhash UBIGINT[],
            run_id VARCHAR NOT NULL,
            added_at TIMESTAMP NOT NULL
        );
        CREATE INDEX documents_content_hash ON documents (content_hash);
        CREATE TABLE rejections (
            run_id VARCHAR NOT NULL,
            location VARCHAR NOT NULL,
            stage VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            message VARCHAR NOT NULL
        );
        """,
    ),
    (
        2,
        # Insertion order, explicit: DuckDB does not promise that rowid follows it (INSERT OR
        # IGNORE does not), and a re-run's duplicate verdicts depend on it. Rows from before
        # this migration keep the order rowid gives them.
        """
        ALTER TABLE documents ADD COLUMN seq BIGINT;
        UPDATE documents SET seq = rowid + 1;
        """,
    ),
    (
        3,
        # One row per coded event, actors and place flattened so that dyad and time-series
        # queries need no JSON. target_* and location_* are all NULL when there is none.
        # event_date is the first day `date` stands for; seq keeps insertion order.
        """
        CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            run_id VARCHAR,
            source_text VARCHAR NOT NULL,
            source_start INTEGER NOT NULL,
            source_end INTEGER NOT NULL,
            source_country VARCHAR,
            source_sector VARCHAR,
            source_code VARCHAR NOT NULL,
            source_organization VARCHAR,
            source_organization_kind VARCHAR,
            source_name VARCHAR,
            source_role VARCHAR,
            source_entry VARCHAR NOT NULL,
            target_text VARCHAR,
            target_start INTEGER,
            target_end INTEGER,
            target_country VARCHAR,
            target_sector VARCHAR,
            target_code VARCHAR,
            target_organization VARCHAR,
            target_organization_kind VARCHAR,
            target_name VARCHAR,
            target_role VARCHAR,
            target_entry VARCHAR,
            cameo VARCHAR NOT NULL,
            cameo_root VARCHAR NOT NULL,
            plover_type VARCHAR NOT NULL,
            plover_mode VARCHAR NOT NULL,
            plover_context VARCHAR NOT NULL,
            goldstein DOUBLE NOT NULL,
            quad_class TINYINT NOT NULL,
            date VARCHAR NOT NULL,
            date_precision VARCHAR NOT NULL,
            date_source VARCHAR NOT NULL,
            event_date DATE,
            location_name VARCHAR,
            location_country VARCHAR,
            location_latitude DOUBLE,
            location_longitude DOUBLE,
            location_geonames_id BIGINT,
            location_feature VARCHAR,
            location_text VARCHAR,
            location_start INTEGER,
            location_end INTEGER,
            sentence VARCHAR NOT NULL,
            sentence_index INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            trigger VARCHAR NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            modality VARCHAR NOT NULL,
            rule VARCHAR NOT NULL,
            confidence DOUBLE NOT NULL,
            mentions INTEGER NOT NULL,
            mention_sentences INTEGER[] NOT NULL,
            reciprocal BOOLEAN NOT NULL,
            coded_at TIMESTAMP NOT NULL,
            seq BIGINT NOT NULL
        );
        CREATE INDEX events_doc_id ON events (doc_id);
        CREATE INDEX events_dyad ON events (source_country, target_country);
        CREATE INDEX events_event_date ON events (event_date);
        """,
    ),
    (
        4,
        # Cross-document merging (thucydides.merge): one cluster per real-world event, the
        # events that support it, and its counts, refreshed when members are added.
        """
        CREATE TABLE event_clusters (
            cluster_id VARCHAR PRIMARY KEY,
            representative VARCHAR NOT NULL,
            num_mentions BIGINT NOT NULL,
            num_sources BIGINT NOT NULL,
            num_articles BIGINT NOT NULL,
            first_seen TIMESTAMP,
            last_seen TIMESTAMP,
            updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE event_cluster_members (
            event_id VARCHAR PRIMARY KEY,
            cluster_id VARCHAR NOT NULL,
            doc_id VARCHAR NOT NULL
        );
        CREATE INDEX event_cluster_members_cluster ON event_cluster_members (cluster_id);
        """,
    ),
    (
        5,
        """
        -- Every actor coded, with how often it acts and is acted upon.
        CREATE VIEW actors AS
        SELECT code, any_value(country) AS country, any_value(sector) AS sector,
               any_value(organization) AS organization, any_value(name) AS name,
               any_value(role) AS role, count(*) FILTER (WHERE side = 'source') AS as_source,
               count(*) FILTER (WHERE side = 'target') AS as_target
        FROM (
            SELECT 'source' AS side, source_code AS code, source_country AS country,
                   source_sector AS sector, source_organization AS organization,
                   source_name AS name, source_role AS role FROM events
            UNION ALL
            SELECT 'target', target_code, target_country, target_sector, target_organization,
                   target_name, target_role FROM events WHERE target_code IS NOT NULL
        ) GROUP BY code;
        -- The evidence of each merged event: every document and sentence that tells it.
        CREATE VIEW event_mentions AS
        SELECT coalesce(m.cluster_id, e.event_id) AS cluster_id, e.event_id, e.doc_id,
               d.publisher, d.url, d.published, e.sentence_index, e.sentence_start,
               e.sentence_end, e.sentence, e.trigger, e.trigger_start, e.trigger_end,
               e.source_start, e.source_end, e.target_start, e.target_end, e.mentions
        FROM events e
        LEFT JOIN event_cluster_members m ON m.event_id = e.event_id
        LEFT JOIN documents d ON d.doc_id = e.doc_id;
        """,
    ),
    (
        6,
        # Which spaCy pipeline (name, version, package) and which lexicons (a fingerprint of
        # their files) coded a run: `thucydides info` shows them.
        """
        ALTER TABLE runs ADD COLUMN model JSON;
        ALTER TABLE runs ADD COLUMN lexicon_version VARCHAR;
        """,
    ),
    (
        7,
        # The user's own record id and source on each document, so that output joins back to
        # their data. merged_events: one row per real-world event. Columns: every column of
        # `events` (those of the event chosen to stand for the group), plus cluster_id,
        # num_mentions (sentences telling it, over all documents), num_sources (distinct
        # publishers; a document without one is its own source), num_articles (distinct
        # documents), first_seen and last_seen (earliest and latest publication of a
        # supporting document, else when it was coded) and documents (the supporting doc_ids,
        # sorted). Groups are the clusters thucydides.merge.merge_events made (extract runs it);
        # an event not merged yet (stored by add_events alone) is a group of its own.
        """
        ALTER TABLE documents ADD COLUMN record_id VARCHAR;
        ALTER TABLE documents ADD COLUMN record_source VARCHAR;
        CREATE VIEW merged_events AS
            SELECT e.*,
                   c.cluster_id,
                   c.num_mentions,
                   c.num_sources,
                   c.num_articles,
                   c.first_seen,
                   c.last_seen,
                   m.documents
            FROM event_clusters c
            JOIN events e ON e.event_id = c.representative
            JOIN (SELECT cluster_id, list(doc_id ORDER BY doc_id) AS documents
                  FROM event_cluster_members GROUP BY cluster_id) m
              ON m.cluster_id = c.cluster_id
            UNION ALL BY NAME
            SELECT e.*,
                   e.event_id AS cluster_id,
                   CAST(e.mentions AS BIGINT) AS num_mentions,
                   CAST(1 AS BIGINT) AS num_sources,
                   CAST(1 AS BIGINT) AS num_articles,
                   coalesce(TRY_CAST(d.published AS TIMESTAMP),
                            CAST(d.published_date AS TIMESTAMP), e.coded_at) AS first_seen,
                   coalesce(TRY_CAST(d.published AS TIMESTAMP),
                            CAST(d.published_date AS TIMESTAMP), e.coded_at) AS last_seen,
                   [e.doc_id] AS documents
            FROM events e LEFT JOIN documents d ON d.doc_id = e.doc_id
            WHERE NOT EXISTS
                (SELECT 1 FROM event_cluster_members x WHERE x.event_id = e.event_id);
        """,
    ),
    (
        8,
        # How each run ended (RUN_STATUSES), and the process that ran it, so that a run whose
        # process died (kill -9, out of memory) is not shown as running forever. A run that
        # never finished before this migration ended without a word.
        """
        ALTER TABLE runs ADD COLUMN status VARCHAR;
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host VARCHAR;
        UPDATE runs SET status = CASE WHEN finished_at IS NULL THEN 'killed' ELSE 'finished' END;
        """,
    ),
    (
        9,
        # A rejection is its input and record (location), code and message: the same one from
        # a re-run of the same input is not stored again (add_rejections), and copies stored by
        # earlier versions go, the first kept. key is a hash of the three (_REJECTION_KEY): one
        # 8-byte column to look a batch up in, where comparing the strings costs ten times more.
        f"""
        ALTER TABLE rejections ADD COLUMN key UBIGINT;
        DELETE FROM rejections WHERE rowid NOT IN
            (SELECT min(rowid) FROM rejections GROUP BY location, code, message);
        UPDATE rejections SET key = {_REJECTION_KEY};
        """,
    ),
    (
        10,
        # The learned scorer's reasons for keeping an event (Event.evidence); "" for events the
        # rules alone coded, as every event before this migration was.
        """
        ALTER TABLE events ADD COLUMN evidence VARCHAR DEFAULT '';
        UPDATE events SET evidence = '' WHERE evidence IS NULL;
        """,
    ),
]


def tables(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall()
    return {row[0] for row in rows}


def schema_version(connection: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied (0: none yet)."""
    if "schema_version" not in tables(connection):
        return 0
    (row,) = connection.execute("SELECT max(version) FROM schema_version").fetchall()
    return int(row[0]) if row[0] is not None else 0


def older_schema(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store is one of ours from an older version (it needs migrating)."""
    return (
        "schema_version" in tables(connection)
        and 0 < schema_version(connection) < MIGRATIONS[-1][0]
    )


def check_version(connection: duckdb.DuckDBPyConnection, path: str, *, read_only: bool) -> None:
    """Refuse a database that is not a store, a store newer than this code, and (READ_ONLY) a
    store that would need migrating."""
    found = tables(connection)
    known = MIGRATIONS[-1][0]
    if "schema_version" not in found:
        # Another program's database: adding our tables to it would be a surprise.
        if found or read_only:
            raise StoreError(
                f"{path}: cannot open the store: a DuckDB database, but not a "
                "thucydides store (no schema_version table)"
            )
        return
    current = schema_version(connection)
    if current > known:
        raise StoreError(
            f"{path}: store schema version {current} is newer than this thucydides "
            f"{__version__} knows ({known}); upgrade thucydides",
            code="T402",
        )
    if read_only and current < known:
        raise StoreError(
            f"{path}: cannot open the store: schema version {current} is older than "
            f"{known}; open it once for writing (any thucydides command) to upgrade it"
        )


def migrate(connection: duckdb.DuckDBPyConnection, path: str) -> None:
    """Apply the migrations not applied yet, in order."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    current = schema_version(connection)
    for version, sql in MIGRATIONS:
        if version <= current:
            continue
        # A migration and its record commit together, or neither does.
        connection.begin()
        try:
            connection.execute(sql)
            connection.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
            connection.commit()
        except duckdb.Error as exc:
            connection.rollback()
            raise StoreError(
                f"{path}: cannot open the store: migration {version} failed: {first_line(exc)}"
            ) from None

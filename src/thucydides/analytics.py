"""Analytics over the store: dyad time series, top lists, the country network, and free SQL.

Everything reads `Store.merged_events_sql()`, one row per real-world event, so ten reports of
one meeting count once. Values from the caller are bound as parameters, never pasted into SQL.
Each function returns a pyarrow Table; call `.to_pandas()` on it for a DataFrame (needs pandas).

    with Store("news.duckdb", read_only=True) as store:
        table = dyad_series(store, "KOR", "RUS", by="month")
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

import duckdb
import pyarrow as pa

from .codes import CameoTable
from .errors import StoreError
from .store import Store

PERIODS = ("day", "week", "month", "year")
TOP_KINDS = ("dyad", "actor", "code")
MERGED_VIEW = "merged_events"  # the view name `query` offers
QUERY_LIMIT = 1000  # rows `query` returns unless told otherwise
_QUERY_BATCH = 10_000  # rows per batch read from DuckDB's streamed result

# Actor codes are country or organisation codes plus sector letters: "KOR", "KORMIL", "IGONATO".
_ACTOR_CODE = re.compile(r"^[A-Z0-9]{1,16}$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Organisations have no country: they stand for themselves in dyads and the network.
_SOURCE_KEY = "coalesce(source_country, source_code)"
_TARGET_KEY = "coalesce(target_country, target_code)"


def _error(message: str) -> StoreError:
    return StoreError(message, code="T403")


def actor_code(value: str) -> str:
    """VALUE as an actor code ("kor" -> "KOR"), or a T403 error saying what one looks like."""
    code = value.strip().upper()
    if not _ACTOR_CODE.match(code):
        raise _error(f"{value!r} is not an actor code (letters and digits, e.g. KOR, RUSMIL)")
    return code


def date_bounds(since: str | date | None, until: str | date | None) -> tuple[date, date]:
    """[first day, day after the last) for SINCE and UNTIL, both inclusive.

    Either may be YYYY, YYYY-MM or YYYY-MM-DD: since "2012" starts on 1 January 2012,
    until "2012-03" ends with 31 March 2012. None leaves that side open.
    """
    low = date.min if since is None else _parse_partial(since, "--since")[0]
    high = date.max if until is None else _parse_partial(until, "--until")[1]
    if low >= high:
        raise _error(f"--since {since} is after --until {until}")
    return low, high


def _parse_partial(value: str | date, option: str) -> tuple[date, date]:
    """The first day VALUE stands for and the day after its last."""
    if isinstance(value, date):
        return value, value + timedelta(days=1)
    match = _PARTIAL_DATE.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if month is None:
            return date(year, 1, 1), date(year + 1, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last) + timedelta(days=1)
        return date(year, month, day), date(year, month, day) + timedelta(days=1)
    except (ValueError, OverflowError):
        raise _error(f"{option} {value!r}: not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def _run(store: Store, sql: str, params: list[object]) -> pa.Table:
    return store.query(sql, params or None)  # its errors are T403 already


def dyad_series(
    store: Store,
    a: str,
    b: str,
    by: str = "month",
    since: str | date | None = None,
    until: str | date | None = None,
) -> pa.Table:
    """Events between A and B per period, in both directions.

    A and B match actor codes by prefix ("KOR" takes in "KORMIL"). Columns: period (its first
    day; weeks start on Monday), label ("2012-03", "2012-W11"), direction ("KOR->RUS" or
    "RUS->KOR"), events, goldstein_sum, goldstein_mean, q1..q4 (each QuadClass's share of the
    row's events). An event dated less precisely than BY gets a period of its own precision:
    one known only as "2007" is a row labelled 2007, not January 2007. Undated events are left
    out. Rows come by period, A->B before B->A.
    """
    if by not in PERIODS:
        raise _error(f"--by {by!r}: one of {', '.join(PERIODS)}")
    a, b = actor_code(a), actor_code(b)
    low, high = date_bounds(since, until)
    # The period unit of each event: BY, or the event's precision when that is coarser.
    # Only names from PERIODS reach the SQL text, never the caller's strings.
    coarser = PERIODS[PERIODS.index(by) + 1 :]
    unit = "".join(f"WHEN date_precision = '{p}' THEN '{p}' " for p in coarser)
    unit = f"CASE {unit}ELSE '{by}' END" if unit else f"'{by}'"
    quads = ", ".join(
        f"count(*) FILTER (WHERE quad_class = {q}) / count(*) AS q{q}" for q in (1, 2, 3, 4)
    )
    sql = f"""
        WITH m AS ({store.merged_events_sql()}),
        pairs AS (
            SELECT 0 AS side, ? || '->' || ? AS direction, * FROM m
            WHERE starts_with(source_code, ?) AND starts_with(target_code, ?)
            UNION ALL
            SELECT 1 AS side, ? || '->' || ? AS direction, * FROM m
            WHERE starts_with(source_code, ?) AND starts_with(target_code, ?)
        ),
        dated AS (
            SELECT *, {unit} AS unit FROM pairs WHERE event_date >= ? AND event_date < ?
        )
        SELECT CAST(date_trunc(unit, event_date) AS DATE) AS period,
               CASE unit
                   WHEN 'year' THEN strftime(event_date, '%Y')
                   WHEN 'month' THEN strftime(event_date, '%Y-%m')
                   WHEN 'week' THEN strftime(event_date, '%G-W%V')
                   ELSE strftime(event_date, '%Y-%m-%d') END AS label,
               direction,
               count(*) AS events,
               sum(goldstein) AS goldstein_sum,
               avg(goldstein) AS goldstein_mean,
               {quads}
        FROM dated
        GROUP BY ALL
        ORDER BY period, label, min(side)
    """
    return _run(store, sql, [a, b, a, b, b, a, b, a, low, high])


def top(
    store: Store,
    by: str = "dyad",
    limit: int = 20,
    since: str | date | None = None,
    until: str | date | None = None,
) -> pa.Table:
    """The most frequent dyads, actors or CAMEO codes, with event counts and Goldstein means.

    dyad: source and target country (an organisation's code when it has none) -> source,
    target, events, goldstein_sum, goldstein_mean. actor: full actor codes, counting events on
    either side -> actor, events, as_source, as_target, goldstein_mean. code: CAMEO codes ->
    cameo, name, plover_type, quad_class, events, goldstein_mean.
    """
    if by not in TOP_KINDS:
        raise _error(f"--by {by!r}: one of {', '.join(TOP_KINDS)}")
    if limit < 1:
        raise _error(f"--limit {limit}: must be at least 1")
    low, high = date_bounds(since, until)
    # Undated events count unless the caller asked for a period.
    where = "(event_date >= ? AND event_date < ?)"
    if since is None and until is None:
        where = f"({where} OR event_date IS NULL)"
    merged = store.merged_events_sql()
    if by == "dyad":
        sql = f"""
            SELECT {_SOURCE_KEY} AS source, {_TARGET_KEY} AS target, count(*) AS events,
                   sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean
            FROM ({merged}) WHERE target_code IS NOT NULL AND {where}
            GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?
        """
    elif by == "actor":
        sql = f"""
            WITH m AS (SELECT * FROM ({merged}) WHERE {where}),
            sides AS (
                SELECT source_code AS actor, 1 AS as_source, 0 AS as_target, goldstein FROM m
                UNION ALL
                SELECT target_code, 0, 1, goldstein FROM m WHERE target_code IS NOT NULL
            )
            SELECT actor, count(*) AS events, CAST(sum(as_source) AS BIGINT) AS as_source,
                   CAST(sum(as_target) AS BIGINT) AS as_target, avg(goldstein) AS goldstein_mean
            FROM sides GROUP BY actor ORDER BY events DESC, actor LIMIT ?
        """
    else:
        sql = f"""
            SELECT cameo, plover_type, quad_class, count(*) AS events,
                   avg(goldstein) AS goldstein_mean
            FROM ({merged}) WHERE {where}
            GROUP BY ALL ORDER BY events DESC, cameo LIMIT ?
        """
    table = _run(store, sql, [low, high, limit])
    if by == "code":
        table = table.add_column(1, "name", pa.array(_cameo_names(table.column("cameo"))))
    return table


def _cameo_names(codes: pa.ChunkedArray) -> list[str]:
    cameo = CameoTable()
    names = []
    for code in codes.to_pylist():
        try:
            names.append(cameo.get(code).name)
        except ValueError:  # a code from an older or overlaid codebook
            names.append("")
    return names


def network(
    store: Store, since: str | date | None = None, until: str | date | None = None
) -> pa.Table:
    """Directed country edges: source, target, events, goldstein_sum, goldstein_mean.

    Countries are the actors' countries (an organisation's code when it has none); events
    without a target are left out, events inside one country kept (source = target).
    """
    low, high = date_bounds(since, until)
    where = "(event_date >= ? AND event_date < ?)"
    if since is None and until is None:
        where = f"({where} OR event_date IS NULL)"
    sql = f"""
        SELECT {_SOURCE_KEY} AS source, {_TARGET_KEY} AS target, count(*) AS events,
               sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean
        FROM ({store.merged_events_sql()}) WHERE target_code IS NOT NULL AND {where}
        GROUP BY ALL ORDER BY events DESC, source, target
    """
    return _run(store, sql, [low, high])


def query(store: Store, sql: str, limit: int = QUERY_LIMIT) -> pa.Table:
    """The first LIMIT rows of one read-only statement; see `query_limited`."""
    return query_limited(store, sql, limit)[0]


def query_limited(store: Store, sql: str, limit: int = QUERY_LIMIT) -> tuple[pa.Table, bool]:
    """(the first LIMIT rows of one read-only statement, whether it had more).

    One SELECT (WITH ... SELECT, FROM-first); the view `merged_events` (one row per real-world
    event; see Store.merged_events_sql) is there besides the store's tables. Anything else
    (several statements, INSERT, COPY, PRAGMA, ATTACH ...) is a T403 error. This check is about
    intent: for SQL from someone else open the store with Store(path, sandbox=True), which is
    what keeps it from files, extensions and writes. Rows are streamed in batches and reading
    stops after LIMIT, so a result of millions of rows is never built in memory.
    """
    if limit < 1:
        raise _error(f"--limit {limit}: must be at least 1")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise _error(f"query failed: {str(exc).strip().splitlines()[0]}") from None
    if len(statements) != 1:
        raise _error(f"query: expected one SELECT statement, got {len(statements)}")
    if statements[0].type != duckdb.StatementType.SELECT:
        kind = statements[0].type.name
        raise _error(f"query: only SELECT (or WITH ... SELECT) is allowed, not {kind}")
    # The view's text is ours (merged_events_sql), not the caller's.
    _run(store, f"CREATE OR REPLACE TEMP VIEW {MERGED_VIEW} AS {store.merged_events_sql()}", [])
    batches: list[pa.RecordBatch] = []
    rows, truncated = 0, False
    try:
        relation = store.connection.sql(sql)
        if relation is None:  # extract_statements said SELECT; be safe all the same
            raise _error("query: the statement gave no result")
        reader = relation.to_arrow_reader(min(limit + 1, _QUERY_BATCH))
        for batch in reader:
            if rows + batch.num_rows > limit:
                batches.append(batch.slice(0, limit - rows))
                truncated = True
                break
            batches.append(batch)
            rows += batch.num_rows
        schema = reader.schema
    except duckdb.Error as exc:
        raise _error(f"query failed: {str(exc).strip().splitlines()[0]}") from None
    return pa.Table.from_batches(batches, schema=schema), truncated

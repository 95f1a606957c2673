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
LEVELS = ("country", "code")  # what an actor in a dyad is: see actor_level
MERGED_VIEW = "merged_events"  # the view name `query` offers
QUERY_LIMIT = 1000  # rows `query` returns unless told otherwise
_QUERY_BATCH = 10_000  # rows per batch read from DuckDB's streamed result

# Actor codes are country or organisation codes plus sector letters: "KOR", "KORMIL", "IGONATO".
_ACTOR_CODE = re.compile(r"^[A-Z0-9]{1,16}$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Organisations have no country: they stand for themselves in dyads and the network.
_SOURCE_KEY = "coalesce(source_country, source_code)"  # _actor_key("country", "source")
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


def actor_level(level: str | None, code: str) -> str:
    """The level at which CODE names an actor: LEVEL when given, else "country" for a
    three-character code (a country: KOR) and "code" for a longer one (KORGOV, IGOEU).

    country: an actor's country, or its own code when it has none (an organisation: IGOEU);
    "TUR" takes in every actor of Turkey (TURGOV, TURMIL, a Turkish rebel group NSAPKK).
    code: the full actor code, exactly; "TURGOV" is the Turkish government only. An
    organisation without a country is the same actor at both levels, so that `IGOEU GBR`
    counts what the row IGOEU -> GBR of `top(by="dyad")` counts.
    """
    if level is None:
        return "country" if len(code) == 3 else "code"
    if level not in LEVELS:
        raise _error(f"--level {level!r}: one of {', '.join(LEVELS)}")
    return level


def describe_levels(a: str, b: str, level: str | None) -> str:
    """What the output of a dyad says about its levels: "country", or "KORGOV: code, RUS:
    country" when the two differ."""
    a, b = actor_code(a), actor_code(b)
    level_a, level_b = actor_level(level, a), actor_level(level, b)
    return level_a if level_a == level_b else f"{a}: {level_a}, {b}: {level_b}"


def _actor_key(level: str, side: str) -> str:
    """The SQL for SIDE's ("source" or "target") actor at LEVEL (one of LEVELS; never the
    caller's string)."""
    return f"coalesce({side}_country, {side}_code)" if level == "country" else f"{side}_code"


def _directions(a: str, b: str, level: str | None) -> tuple[str, str]:
    """SQL for the events A -> B and for those B -> A, each actor at its level; parameters:
    A, B for the first, B, A for the second."""
    level_a, level_b = actor_level(level, a), actor_level(level, b)
    forward = f"{_actor_key(level_a, 'source')} = ? AND {_actor_key(level_b, 'target')} = ?"
    backward = f"{_actor_key(level_b, 'source')} = ? AND {_actor_key(level_a, 'target')} = ?"
    return forward, backward


def pair_clause(
    a: str, b: str, level: str | None = None, *, directed: bool = False
) -> tuple[str, list[object]]:
    """SQL (over events or merged_events) for events from A to B or from B to A (DIRECTED:
    from A to B only), at LEVEL as dyad_series counts them, and its parameters: for callers
    that list the events behind a series or a top row (the API's dyad filters)."""
    a, b = actor_code(a), actor_code(b)
    forward, backward = _directions(a, b, level)
    if directed:
        return f"({forward})", [a, b]
    return f"(({forward}) OR ({backward}))", [a, b, b, a]


# The longest span (in days, first to last event) each period is the default for: a chart
# of up to ~100-180 columns. Longer than the last: by year.
DEFAULT_PERIOD_SPANS = (("day", 92), ("week", 731), ("month", 15 * 366))


def default_period(first: date | None, last: date | None) -> str:
    """The period a series of events from FIRST to LAST reads best by: day up to three months,
    week up to two years, month up to fifteen years, else year ("month" when there are none)."""
    if first is None or last is None:
        return "month"
    span = abs((last - first).days)
    for period, longest in DEFAULT_PERIOD_SPANS:
        if span <= longest:
            return period
    return "year"


def dyad_span(
    store: Store,
    a: str,
    b: str,
    since: str | date | None = None,
    until: str | date | None = None,
    *,
    level: str | None = None,
) -> tuple[date | None, date | None]:
    """The first and last event_date of the dated events between A and B (either way, at
    LEVEL, within SINCE..UNTIL): what dyad_series would count. (None, None) when none."""
    clause, params = pair_clause(a, b, level)
    low, high = date_bounds(since, until)
    sql = f"""
        SELECT min(event_date) AS first, max(event_date) AS last
        FROM ({store.merged_events_sql()})
        WHERE {clause} AND event_date >= ? AND event_date < ?
    """
    row = _run(store, sql, [*params, low, high]).to_pylist()[0]
    return row["first"], row["last"]


def dyad_series(
    store: Store,
    a: str,
    b: str,
    by: str = "month",
    since: str | date | None = None,
    until: str | date | None = None,
    *,
    level: str | None = None,
    fill: bool = False,
) -> pa.Table:
    """Events between A and B per period, in both directions.

    A and B are actors at LEVEL (see actor_level: by default "country" for a three-letter code,
    else the exact code), the same definition `top(by="dyad")` counts with. Columns: period (its
    first day, a date; weeks start on Monday), label ("2012-03", "2012-W11"), precision (the
    period's unit: day, week, month or year), direction ("KOR->RUS" or "RUS->KOR"), events,
    goldstein_sum, goldstein_mean, q1..q4 (each QuadClass's share of the row's events). An event
    dated less precisely than BY gets a period of its own precision: one known only as "2007"
    is a row labelled 2007 with precision "year", not January 2007. Undated events are left out.
    Rows come by period, A->B before B->A.

    FILL gives a regular series instead: only events dated at least as precisely as BY, and
    every period from the first to the last (SINCE and UNTIL when given) in both directions,
    with 0 events (goldstein_mean and the shares NULL) where nothing happened; ready for a pivot
    or a time-series library.
    """
    if by not in PERIODS:
        raise _error(f"--by {by!r}: one of {', '.join(PERIODS)}")
    a, b = actor_code(a), actor_code(b)
    forward, backward = _directions(a, b, level)
    low, high = date_bounds(since, until)
    # The period unit of each event: BY, or the event's precision when that is coarser.
    # Only names from PERIODS reach the SQL text, never the caller's strings.
    coarser = PERIODS[PERIODS.index(by) + 1 :]
    unit = "".join(f"WHEN date_precision = '{p}' THEN '{p}' " for p in coarser)
    unit = f"CASE {unit}ELSE '{by}' END" if unit else f"'{by}'"
    keep = f"AND {unit} = '{by}'" if fill else ""
    quads = ", ".join(
        f"count(*) FILTER (WHERE quad_class = {q}) / count(*) AS q{q}" for q in (1, 2, 3, 4)
    )
    label = """CASE unit
                   WHEN 'year' THEN strftime(period, '%Y')
                   WHEN 'month' THEN strftime(period, '%Y-%m')
                   WHEN 'week' THEN strftime(period, '%G-W%V')
                   ELSE strftime(period, '%Y-%m-%d') END"""
    sql = f"""
        WITH m AS ({store.merged_events_sql()}),
        pairs AS (
            SELECT 0 AS side, ? || '->' || ? AS direction, * FROM m WHERE {forward}
            UNION ALL
            SELECT 1 AS side, ? || '->' || ? AS direction, * FROM m WHERE {backward}
        ),
        dated AS (
            SELECT *, {unit} AS unit FROM pairs
            WHERE event_date >= ? AND event_date < ? {keep}
        ),
        counted AS (
            SELECT CAST(date_trunc(unit, event_date) AS DATE) AS period, unit, side, direction,
                   count(*) AS events,
                   sum(goldstein) AS goldstein_sum,
                   avg(goldstein) AS goldstein_mean,
                   {quads}
            FROM dated GROUP BY ALL
        )
    """
    params: list[object] = [a, b, a, b, b, a, b, a, low, high]
    if not fill:
        sql += f"""
            SELECT period, {label} AS label, unit AS precision, direction, events,
                   goldstein_sum, goldstein_mean, q1, q2, q3, q4
            FROM counted ORDER BY period, label, side
        """
        return _run(store, sql, params)
    # The regular grid: every BY period between the bounds, both directions.
    first = f"CAST(date_trunc('{by}', CAST(? AS DATE)) AS DATE)"
    sql += f""",
        bounds AS (
            SELECT coalesce({first}, min(period)) AS first,
                   coalesce({first}, max(period)) AS last
            FROM counted
        ),
        grid AS (
            SELECT CAST(g.period AS DATE) AS period, '{by}' AS unit, d.side, d.direction
            FROM bounds,
                 generate_series(CAST(bounds.first AS TIMESTAMP),
                                 CAST(bounds.last AS TIMESTAMP), INTERVAL 1 {by}) g(period),
                 (VALUES (0, ? || '->' || ?), (1, ? || '->' || ?)) d(side, direction)
        )
        SELECT grid.period, {label.replace("unit", "grid.unit").replace("(period", "(grid.period")}
               AS label, grid.unit AS precision, grid.direction,
               coalesce(c.events, 0) AS events, coalesce(c.goldstein_sum, 0.0) AS goldstein_sum,
               c.goldstein_mean, c.q1, c.q2, c.q3, c.q4
        FROM grid LEFT JOIN counted c ON c.period = grid.period AND c.side = grid.side
        ORDER BY grid.period, grid.side
    """
    known_low = None if since is None else low
    known_high = None if until is None else high - timedelta(days=1)
    params += [known_low, known_high, a, b, b, a]
    return _run(store, sql, params)


def top(
    store: Store,
    by: str = "dyad",
    limit: int = 20,
    since: str | date | None = None,
    until: str | date | None = None,
    *,
    level: str | None = None,
) -> pa.Table:
    """The most frequent dyads, actors or CAMEO codes, with event counts and Goldstein means.

    dyad: source and target actors at LEVEL (default "country": an actor's country, an
    organisation's code when it has none; "code": full actor codes), the definition
    dyad_series counts with -> source, target, events, goldstein_sum, goldstein_mean. actor:
    actors at LEVEL (default "code"), counting events on either side -> actor, events,
    as_source, as_target, goldstein_mean. code: CAMEO codes -> cameo, name, plover_type,
    quad_class, events, goldstein_mean.
    """
    if by not in TOP_KINDS:
        raise _error(f"--by {by!r}: one of {', '.join(TOP_KINDS)}")
    if limit < 1:
        raise _error(f"--limit {limit}: must be at least 1")
    level = top_level(by, level)
    low, high = date_bounds(since, until)
    # Undated events count unless the caller asked for a period.
    where = "(event_date >= ? AND event_date < ?)"
    if since is None and until is None:
        where = f"({where} OR event_date IS NULL)"
    merged = store.merged_events_sql()
    source, target = _actor_key(level, "source"), _actor_key(level, "target")
    if by == "dyad":
        sql = f"""
            SELECT {source} AS source, {target} AS target, count(*) AS events,
                   sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean
            FROM ({merged}) WHERE target_code IS NOT NULL AND {where}
            GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?
        """
    elif by == "actor":
        sql = f"""
            WITH m AS (SELECT * FROM ({merged}) WHERE {where}),
            sides AS (
                SELECT {source} AS actor, 1 AS as_source, 0 AS as_target, goldstein FROM m
                UNION ALL
                SELECT {target}, 0, 1, goldstein FROM m WHERE target_code IS NOT NULL
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


def top_level(by: str, level: str | None) -> str:
    """The actor level top(BY) ranks at: LEVEL, else country for dyads, code for actors."""
    if level is None:
        return "country" if by == "dyad" else "code"
    if level not in LEVELS:
        raise _error(f"--level {level!r}: one of {', '.join(LEVELS)}")
    return level


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
        raise store.sql_failure(exc) from None
    return pa.Table.from_batches(batches, schema=schema), truncated

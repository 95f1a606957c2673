"""The HTTP API over the event store (FastAPI), served by `thucydides serve`.

Every route lives under /api and answers JSON; errors have one shape,
``{"error": {"code": "T8xx", "message": "one line"}}``, with a 4xx status for anything a request
can get wrong. The app holds one Store for its lifetime: DuckDB lets one process write, so the
one write route (POST /api/documents) runs the pipeline on that store under a lock, and reads
use cursors of it (a cursor is a connection of its own and may run beside the writer).
Values from requests are bound as SQL parameters, never pasted into SQL text.
"""

import asyncio
import difflib
import hmac
import json
import math
import re
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import pycountry
import uvicorn
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from . import __version__
from .analytics import (
    PERIODS,
    actor_code,
    date_bounds,
    default_period,
    describe_levels,
    dyad_series,
    dyad_span,
    network,
    pair_clause,
    top,
)
from .backends.local import KnownIds
from .coder import Coder
from .codes import CameoTable
from .dedup import DuplicateFinder
from .errors import CODES, ReadError, StoreError, ThucydidesError
from .lexicon import load_table
from .pipeline import ExtractOptions, extract
from .readers import decode_bytes
from .settings import Settings
from .store import Store
from .types import Document, Rejection, RunSummary

API = "/api"
MAX_PAGE_SIZE = 500
MAX_PLACES = 5000  # places /api/places answers at most
MAX_PAGE = 1_000_000  # keeps OFFSET far from integer overflow
MAX_WORDS = 20  # words of a text search
MULTIPART_OVERHEAD = 64 * 1024  # room for a form's boundaries and small fields
SUFFIXES = {  # media type of an upload -> the suffix `extract` picks its reader by
    "text/plain": ".txt",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/json-lines": ".jsonl",
}
FILE_SUFFIXES = {".txt": ".txt", ".html": ".html", ".htm": ".html", ".jsonl": ".jsonl"}
FILE_SUFFIXES[".ndjson"] = ".jsonl"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CAMEO = re.compile(r"^[0-9]{2,4}$")
_ROOT = re.compile(r"^[0-9]{2}$")
_PERIOD_LABEL = re.compile(r"^[0-9]{4}(-W[0-9]{2}|-[0-9]{2}(-[0-9]{2})?)?$")

# Every answer: no framing (clickjacking), no sniffing, and only our own scripts and styles.
# The dashboard keeps all script and style in /static, so 'self' is enough for it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# /docs and /redoc: Swagger UI and ReDoc come from the package (fastapi-offline), started by an
# inline script, and ReDoc runs a worker from a blob: allowed there only; nothing from elsewhere.
DOCS_PATHS = ("/docs", "/redoc")
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """ASGI middleware adding CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(DOCS_PATHS)
        policy = DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in _SECURITY_HEADER_NAMES
                ]
                headers += [
                    (b"content-security-policy", policy.encode()),
                    (b"x-frame-options", b"DENY"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SECURITY_HEADER_NAMES = {
    b"content-security-policy",
    b"x-frame-options",
    b"x-content-type-options",
    b"referrer-policy",
}

# -- errors -------------------------------------------------------------------------------------


class ApiError(Exception):
    """A 4xx answer: STATUS, a T8xx CODE and a one-line MESSAGE (plus EXTRA fields)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, _one_line(message)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _error_response(
    status: int, code: str, message: str, extra: Mapping[str, Any] | None = None, **kw: Any
) -> JSONResponse:
    body = {"error": {"code": code, "message": _one_line(message), **(extra or {})}}
    return JSONResponse(body, status_code=status, **kw)


def _bad(message: str) -> ApiError:
    return ApiError(400, "T801", message)


# -- response shapes (they are the OpenAPI schemas schemathesis checks answers against) ---------


class RejectedOut(BaseModel):
    location: str
    code: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    rejected: list[RejectedOut] | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class ActorOut(BaseModel):
    code: str
    country: str | None
    sector: str | None
    text: str
    name: str | None


class PloverOut(BaseModel):
    type: str
    mode: str
    context: str


class LocationOut(BaseModel):
    name: str
    country: str | None
    latitude: float | None
    longitude: float | None


class TriggerOut(BaseModel):
    text: str


class EventOut(BaseModel):
    cluster_id: str
    source: ActorOut
    target: ActorOut | None
    cameo: str
    cameo_name: str
    plover: PloverOut
    goldstein: float
    quad_class: int
    date: str
    date_precision: str
    location: LocationOut | None
    num_mentions: int
    num_sources: int
    num_articles: int
    first_seen: str | None
    last_seen: str | None
    sentence: str
    trigger: TriggerOut


class EventPage(BaseModel):
    items: list[EventOut]
    page: int
    page_size: int
    total: int


class SpanOut(BaseModel):
    """A span of the mention's sentence; start/end are null when it lies outside it."""

    text: str
    start: int | None
    end: int | None


class MentionOut(BaseModel):
    event_id: str
    doc_id: str
    record_id: str | None
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    sentence: str
    sentence_start: int
    trigger: SpanOut
    source: SpanOut
    target: SpanOut | None


class EventDetail(EventOut):
    mentions: list[MentionOut]


class DocumentOut(BaseModel):
    doc_id: str
    record_id: str | None  # the id the user's JSONL/CSV record gave
    record_source: str | None  # the record's `source` field, as given
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None
    events: int


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    page: int
    page_size: int
    total: int


class DocumentDetail(BaseModel):
    doc_id: str
    record_id: str | None  # the id the user's JSONL/CSV record gave
    record_source: str | None  # the record's `source` field, as given
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None
    body: str
    events: list[str]


class DyadRow(BaseModel):
    """One period of one direction of a dyad (analytics.dyad_series)."""

    period: str = Field(description="The period's first day (YYYY-MM-DD; weeks start Monday).")
    label: str = Field(
        description="The period as written at its precision: 2012, 2012-03, 2012-W11."
    )
    precision: str = Field(
        description="The period's unit: day, week, month or year. Equal to `by`, except for "
        "events dated less precisely (one known only as '2007' is a year row in a monthly "
        "series); a chart of one granularity keeps the rows whose precision is `by`."
    )
    direction: str = Field(description="'A->B' or 'B->A'.")
    events: int
    goldstein_sum: float
    goldstein_mean: float | None = Field(description="Null in a filled period with no events.")
    q1: float | None = Field(description="Share of QuadClass 1 (verbal cooperation).")
    q2: float | None = Field(description="Share of QuadClass 2 (material cooperation).")
    q3: float | None = Field(description="Share of QuadClass 3 (verbal conflict).")
    q4: float | None = Field(description="Share of QuadClass 4 (material conflict).")


class DyadOut(BaseModel):
    a: str
    b: str
    by: str = Field(description="The granularity of the rows (what `by=auto` chose).")
    level: str = Field(
        description="How the actors are matched: 'country', 'code', or per actor "
        "('KORGOV: code, RUS: country'), as the CLI's `dyad` says."
    )
    first: str | None = Field(description="The first day of the pair's dated events, or null.")
    last: str | None = Field(description="The last day of the pair's dated events, or null.")
    rows: list[DyadRow]


class TopOut(BaseModel):
    items: list[dict[str, Any]]


class EdgeOut(BaseModel):
    source: str
    target: str
    events: int
    goldstein_sum: float
    goldstein_mean: float


class NetworkOut(BaseModel):
    edges: list[EdgeOut]
    names: dict[str, str] = Field(
        description="The English name of each country or organisation code in the edges, "
        "where one is known (for labels: 'KOR': 'South Korea')."
    )


class PlaceCount(BaseModel):
    name: str = Field(description="The gazetteer's name of the place.")
    country: str | None = Field(description="ISO 3166 alpha-3 code of the place's country.")
    latitude: float
    longitude: float
    feature: str | None = Field(description="city, country, region, water, island or place.")
    events: int = Field(description="Merged events located there that pass the filters.")


class PlacesOut(BaseModel):
    items: list[PlaceCount]
    total: int = Field(description="Places with events (items holds at most `limit`).")
    located: int = Field(description="Events that pass the filters and have coordinates.")
    unlocated: int = Field(description="Events that pass the filters without coordinates.")


class HealthOut(BaseModel):
    status: str
    version: str
    documents: int | None
    events: int | None


class UploadOut(BaseModel):
    documents: int
    events: int
    doc_ids: list[str]
    rejected: list[RejectedOut]


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI error answers; "4XX" also keeps FastAPI from documenting its own 422 shape."""
    meanings = {
        400: "A bad request parameter (T801).",
        401: "Missing or wrong API token (T802).",
        403: "Writes are off: no api_token configured (T802).",
        404: "Not found (T806).",
        413: "Upload too large (T803).",
        408: "The body did not arrive in time (T807).",
        415: "Unsupported media type (T804).",
        422: "Nothing usable in the upload (T805), or the one article failed in the pipeline "
        "(T808).",
    }
    answers: dict[int | str, dict[str, Any]] = {
        status: {"model": ErrorOut, "description": meanings[status]} for status in statuses
    }
    answers["4XX"] = {"model": ErrorOut, "description": "Any other client error."}
    return answers


READ_ERRORS = _responses(400, 401)

# -- the store, held by the app ---------------------------------------------------------------


class _CursorStore(Store):
    """A Store reading through a cursor of another Store's connection (one per request)."""

    def __init__(self, parent: Store) -> None:  # no super().__init__: the file is open already
        self.path = parent.path
        self.connection = parent.connection.cursor()


class _StoredIds(KnownIds):
    """The doc_ids in a store, asked of the store itself (its primary-key index) instead of
    being loaded: always current, and nothing to reload as the store grows."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def __len__(self) -> int:
        return self.store.count("documents")

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        rows = self.store.connection.execute(
            "SELECT 1 FROM documents WHERE doc_id = ? LIMIT 1", [doc_id]
        ).fetchall()
        return bool(rows)


class Backend:
    """How the app reaches the store, its write lock, and the coder loaded on first upload.

    Writes off (no api_token): one read-only connection for the app's life, so `thucydides
    query`, `info` and a notebook can open the file too while the dashboard runs. Writes on:
    the file is opened per request (read-only for reads, read-write for an upload) and closed
    right after, so other processes can read between requests; DuckDB admits one writer
    process or any number of readers.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.writable = bool(settings.api_token)
        self.write_lock = threading.Lock()
        self._open_lock = threading.Lock()  # one of: the shared store, a per-request open
        if settings.db != ":memory:" and not Path(settings.db).exists():
            Store(settings.db).close()  # a new store: create it and its tables once
        self._store: Store | None = None
        if not self.writable or settings.db == ":memory:":
            self._store = self._open()  # errors (T401, T402) surface at start
        else:
            self._open().close()  # the same errors at start; not kept open
        self._coder: Coder | None = None
        # The store's duplicate index and doc_ids, read once and kept up to date by each upload
        # (call with write_lock held), so an upload does not reread the whole store.
        self._finder: DuplicateFinder | None = None
        self.cameo = CameoTable()

    def _open(self, *, write: bool = False) -> Store:
        if self.settings.db == ":memory:":
            return Store(self.settings.db)
        return Store(self.settings.db, read_only=not write)

    def _shared(self) -> bool:
        return not self.writable or self.settings.db == ":memory:"

    @contextmanager
    def reader(self) -> Iterator[Store]:
        if self._shared():
            with self._open_lock:
                if self._store is None:  # reopened when the app runs again after a shutdown
                    self._store = self._open()
                view = _CursorStore(self._store)
            try:
                yield view
            finally:
                view.close()
            return
        with self._open_lock:  # DuckDB: one configuration per file per process at a time
            store = self._open()
            try:
                yield store
            finally:
                store.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """The store opened read-write for one upload, closed after it."""
        if self._shared():
            with self._open_lock:
                if self._store is None:
                    self._store = self._open(write=True)
            yield self._store
            return
        with self._open_lock:
            store = self._open(write=True)
            try:
                yield store
            finally:
                store.close()

    def coder(self) -> Coder:
        """Loaded once (the spaCy model is slow to load); call with write_lock held."""
        if self._coder is None:
            self._coder = Coder(self.settings)
        return self._coder

    def finder(self, store: Store) -> DuplicateFinder:
        """The duplicate index of every stored document, read from STORE the first time and
        kept up to date by each upload after; call with write_lock held."""
        if self._finder is None:
            finder = DuplicateFinder(self.settings)
            for doc_id, story_id, body_hash, signature in store.known_signatures():
                finder.add_known(doc_id, story_id, body_hash, signature)
            self._finder = finder
        return self._finder

    def forget_index(self) -> None:
        """Drop the duplicate index (rebuilt on the next upload): after a failed upload it may
        hold documents that were not stored."""
        self._finder = None

    def close(self) -> None:
        with self._open_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def cameo_name(self, code: str) -> str:
        try:
            return self.cameo.get(code).name
        except ValueError:  # a code from an older or overlaid codebook
            return ""


# -- request values -----------------------------------------------------------------------------


def _text(value: str | None, name: str, limit: int = 200) -> str | None:
    """VALUE stripped, None when empty; control characters and very long values are a 400."""
    if value is None or not value.strip():
        return None
    if len(value) > limit or _CONTROL.search(value):
        raise _bad(f"{name}: at most {limit} characters of text, without control characters")
    return value.strip()


def _actor(value: str, name: str) -> str:
    try:
        return actor_code(value)
    except StoreError as exc:
        raise _bad(f"{name}: {exc.message}") from None


def country_names() -> dict[str, tuple[str, str]]:
    """Lower-cased country name or code -> (ISO alpha-3, English name).

    From the package's countries.tsv (the forms news uses: 'Turkey', 'South Korea'), then
    pycountry (ISO names and alpha-2/alpha-3 codes).
    """
    names: dict[str, tuple[str, str]] = {}
    for row in load_table("countries.tsv", ("code", "name", "names")):
        entry = (row.values["code"], row.values["name"])
        for form in (row.values["code"], row.values["name"], *row.values["names"].split("|")):
            if form:
                names.setdefault(form.lower(), entry)
    for country in pycountry.countries:
        entry = (str(country.alpha_3), str(getattr(country, "common_name", country.name)))
        for form in (country.alpha_3, country.alpha_2, country.name):
            names.setdefault(str(form).lower(), entry)
    return names


def actor_names() -> dict[str, str]:
    """Actor code -> English name, for the codes the network's nodes carry: countries
    (countries.tsv, then pycountry) and organisations coded as kind + code (organizations.tsv:
    'IGONATO' -> 'North Atlantic Treaty Organization')."""
    names: dict[str, str] = {}
    for row in load_table("countries.tsv", ("code", "name")):
        names.setdefault(row.values["code"], row.values["name"])
    for country in pycountry.countries:
        names.setdefault(str(country.alpha_3), str(getattr(country, "common_name", country.name)))
    for row in load_table("organizations.tsv", ("code", "kind", "name")):
        if row.values["kind"] in ("IGO", "NGO", "MNC"):  # NSA and STA take their country's code
            names.setdefault(row.values["kind"] + row.values["code"], row.values["name"])
    return names


def _country(value: str, name: str, names: Mapping[str, tuple[str, str]]) -> str:
    """VALUE (a country code or English name) as its alpha-3 code.

    A near miss is a 400 that names the likely country ("did you mean TUR (Turkey)?").
    """
    found = names.get(value.lower())
    if found is not None:
        return found[0]
    # A short value is compared with codes, a longer one with names.
    forms = [form for form in names if (len(form) <= 3) == (len(value) <= 3)]
    close = difflib.get_close_matches(value.lower(), forms, n=1, cutoff=0.6)
    hint = ""
    if close:
        code, full_name = names[close[0]]
        hint = f"; did you mean {code} ({full_name})?"
    raise _bad(f"{name}: {value!r} is not a country code or name{hint}")


def _reject_unknown_parameters(request: Request) -> None:
    """A query parameter the endpoint does not take is a 422, not silently ignored."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known: set[str] = set()
    pending = [dependant]
    while pending:  # the route's own parameters and those of its dependencies
        current = pending.pop()
        known.update(str(param.alias) for param in current.query_params)
        pending.extend(current.dependencies)
    unknown = sorted(set(request.query_params) - known)
    if not unknown:
        return
    close = difflib.get_close_matches(unknown[0], sorted(known), n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ApiError(
        422,
        "T801",
        f"unknown query parameter {unknown[0]!r}{hint} (this endpoint takes: "
        f"{', '.join(sorted(known)) or 'none'})",
        extra={"unknown": unknown},
    )


def _dates(since: str | None, until: str | None) -> tuple[date, date] | None:
    """The [low, high) day range asked for, or None when neither side is given."""
    since, until = _text(since, "since", 10), _text(until, "until", 10)
    if since is None and until is None:
        return None
    try:
        return date_bounds(since, until)
    except StoreError as exc:
        raise _bad(exc.message.replace("--", "")) from None


def _period(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """SINCE and UNTIL checked (a 400 when not dates), for the analytics functions."""
    _dates(since, until)
    return _text(since, "since", 10), _text(until, "until", 10)


def _words(q: str | None, name: str = "q") -> list[str]:
    text = _text(q, name, 500)
    words = text.split() if text else []
    if len(words) > MAX_WORDS:
        raise _bad(f"{name}: at most {MAX_WORDS} words")
    return words


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _span(text: str | None, start: int | None, end: int | None, sentence: Mapping[str, Any]) -> Any:
    """TEXT with START/END made relative to the sentence (null when outside it)."""
    if text is None:
        return None
    offset, length = sentence["sentence_start"], len(sentence["sentence"])
    if start is None or end is None:
        return {"text": text, "start": None, "end": None}
    rel_start, rel_end = start - offset, end - offset
    if not 0 <= rel_start <= rel_end <= length:
        return {"text": text, "start": None, "end": None}
    return {"text": text, "start": rel_start, "end": rel_end}


def _actor_out(row: Mapping[str, Any], side: str) -> dict[str, Any] | None:
    if row[f"{side}_text"] is None:
        return None
    return {
        "code": row[f"{side}_code"],
        "country": row[f"{side}_country"],
        "sector": row[f"{side}_sector"],
        "text": row[f"{side}_text"],
        "name": row[f"{side}_name"],
    }


def _event_out(row: Mapping[str, Any], backend: Backend) -> dict[str, Any]:
    """One merged-events row in the API's shape."""
    location = None
    if row["location_name"] is not None:
        location = {
            "name": row["location_name"],
            "country": row["location_country"],
            "latitude": row["location_latitude"],
            "longitude": row["location_longitude"],
        }
    return {
        "cluster_id": row["cluster_id"],
        "source": _actor_out(row, "source"),
        "target": _actor_out(row, "target"),
        "cameo": row["cameo"],
        "cameo_name": backend.cameo_name(row["cameo"]),
        "plover": {
            "type": row["plover_type"],
            "mode": row["plover_mode"],
            "context": row["plover_context"],
        },
        "goldstein": row["goldstein"],
        "quad_class": row["quad_class"],
        "date": row["date"],
        "date_precision": row["date_precision"],
        "location": location,
        "num_mentions": row["num_mentions"],
        "num_sources": row["num_sources"],
        "num_articles": row["num_articles"],
        "first_seen": _iso(row["first_seen"]),
        "last_seen": _iso(row["last_seen"]),
        "sentence": row["sentence"],
        "trigger": {"text": row["trigger"]},
    }


def _pair_clause(
    a: str, b: str, level: str | None = None, *, directed: bool = False
) -> tuple[str, list[object]]:
    """Events from A to B or from B to A (DIRECTED: A to B only), at LEVEL, as
    analytics.dyad_series counts them (/api/dyad)."""
    return pair_clause(a, b, level, directed=directed)


@dataclass(frozen=True, slots=True)
class Conditions:
    """SQL conditions over merged_events (text of our own) and the values bound to them."""

    where: list[str]
    params: list[object]


def _levels(a: str, b: str, level: str | None) -> str:
    """describe_levels(A, B, LEVEL): what the answer says about how the actors are matched."""
    try:
        return describe_levels(a, b, level)
    except StoreError as exc:
        raise _bad(exc.message) from None


EVENT_ORDER = "ORDER BY event_date DESC NULLS LAST, first_seen DESC, cluster_id"


def _page(
    store: Store, relation: str, where: list[str], params: list[object], page: int, size: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of RELATION (SQL of our own) filtered by WHERE, and the total count."""
    condition = " AND ".join(where) if where else "TRUE"
    total = store.query(f"SELECT count(*) AS n FROM ({relation}) WHERE {condition}", params)
    rows = store.query(
        f"SELECT * FROM ({relation}) WHERE {condition} {EVENT_ORDER} LIMIT ? OFFSET ?",
        [*params, size, (page - 1) * size],
    ).to_pylist()
    return rows, int(total.column("n")[0].as_py())


# -- the app ------------------------------------------------------------------------------------

Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
PageSize = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (at most {MAX_PAGE_SIZE}).")
]
Since = Annotated[
    str | None, Query(description="Events on or after this day: YYYY, YYYY-MM or YYYY-MM-DD.")
]
Until = Annotated[
    str | None, Query(description="Events on or before this day: YYYY, YYYY-MM or YYYY-MM-DD.")
]
Period = Literal["day", "week", "month", "year"]
Level = Annotated[
    Literal["country", "code"] | None,
    Query(
        description="How A and B match actors: country (every actor of that country; an "
        "organisation's own code when it has none) or code (the full code exactly). Default: "
        "country for a three-letter code, code for a longer one (as the CLI's dyad --level)."
    ),
]
bearer = HTTPBearer(auto_error=False, description="The api_token setting.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _token_matches(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> bool:
    if not settings.api_token or credentials is None:
        return False
    given = credentials.credentials.encode("utf-8", "surrogateescape")
    return hmac.compare_digest(given, settings.api_token.encode("utf-8"))


def create_app(settings: Settings, web_dir: Path | None = None) -> FastAPI:
    """The API (and, when src/thucydides/web is there, the dashboard pages) over settings.db."""
    backend = Backend(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        backend.close()

    # Swagger UI and ReDoc from assets shipped in fastapi-offline: /docs works with no network.
    app = FastAPIOffline(
        title="Thucydides",
        version=__version__,
        description="Political events coded from news text: who did what to whom, when, where.",
        lifespan=lifespan,
    )
    app.state.backend = backend
    app.state.settings = settings
    _add_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    origins = [o.strip() for o in settings.api_cors_origins.split(",") if o.strip()]
    if origins:  # CORS stays off unless asked for
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    def read_access(credentials: Credentials) -> None:
        if settings.api_public_read or _token_matches(settings, credentials):
            return
        raise ApiError(
            401,
            "T802",
            "reads need the API token: send 'Authorization: Bearer <api_token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )

    def write_access(credentials: Credentials) -> None:
        if not settings.api_token:
            raise ApiError(
                403,
                "T802",
                "writes are off: set the api_token setting (THUCYDIDES_API_TOKEN or "
                "api_token in thucydides.toml) and send 'Authorization: Bearer <api_token>'",
            )
        if not _token_matches(settings, credentials):
            raise ApiError(
                401,
                "T802",
                "missing or wrong API token: send 'Authorization: Bearer <api_token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )

    _add_read_routes(app, backend, read_access)
    _add_write_route(app, backend, write_access)
    _add_pages(app, settings, web_dir)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    async def api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return _error_response(
            exc.status, exc.code, exc.message, exc.extra, headers=exc.headers or None
        )

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        message = "bad request"
        if errors:
            first = errors[0]
            where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
            message = f"{where}: {first.get('msg', 'invalid')}"
        return _error_response(400, "T801", message)

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = {401: "T802", 403: "T802", 404: "T806", 413: "T803", 415: "T804"}.get(
            exc.status_code, "T801"
        )
        message = str(exc.detail) if exc.detail else CODES[code]
        return _error_response(exc.status_code, code, message, headers=exc.headers)

    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        # Our own bug or a broken store, never the request's doing: say so, in the same shape.
        code = exc.code if isinstance(exc, ThucydidesError) else "T000"
        return _error_response(500, code, f"internal error: {type(exc).__name__}")

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal_error)


OPTIONAL_TOKEN: dict[str, Any] = {
    "security": [{}]
}  # appended to the bearer requirement: the token is optional


def _add_read_routes(app: FastAPI, backend: Backend, read_access: Any) -> None:
    reads = [Depends(read_access), Depends(_reject_unknown_parameters)]
    with backend.reader() as opened:
        merged_sql = opened.merged_events_sql()
    countries = country_names()
    node_names = actor_names()
    public = OPTIONAL_TOKEN if backend.settings.api_public_read else None

    @app.get(f"{API}/health", response_model=HealthOut, tags=["meta"], openapi_extra=OPTIONAL_TOKEN)
    def health(credentials: Credentials) -> dict[str, Any]:
        """Liveness, always open; the counts only when reads are open to the caller."""
        settings = backend.settings
        counts: dict[str, int | None] = {"documents": None, "events": None}
        if settings.api_public_read or _token_matches(settings, credentials):
            with backend.reader() as store:
                row = store.query(
                    f"SELECT (SELECT count(*) FROM documents) AS documents, "
                    f"(SELECT count(*) FROM ({merged_sql})) AS events"
                ).to_pylist()[0]
            counts = {"documents": int(row["documents"]), "events": int(row["events"])}
        return {"status": "ok", "version": __version__, **counts}

    def event_filters(
        actor: Annotated[
            str | None, Query(description="Actor code on either side, by prefix: KOR, KORMIL.")
        ] = None,
        dyad: Annotated[
            str | None, Query(description="Two actor codes, either direction: 'KOR,RUS'.")
        ] = None,
        cameo: Annotated[
            str | None, Query(description="CAMEO code or its prefix: '04', '042'.")
        ] = None,
        root: Annotated[str | None, Query(description="CAMEO root code (two digits).")] = None,
        plover: Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT.")] = None,
        quad: Annotated[
            int | None,
            Query(
                ge=1,
                le=4,
                description="QuadClass: 1 verbal cooperation, 2 material cooperation, "
                "3 verbal conflict, 4 material conflict.",
            ),
        ] = None,
        country: Annotated[
            str | None,
            Query(description="Country of either actor: ISO code or name ('TUR', 'TR', 'Turkey')."),
        ] = None,
        place: Annotated[
            str | None,
            Query(description="Where it happened: words of the place name, or its country."),
        ] = None,
        since: Since = None,
        until: Until = None,
        q: Annotated[
            str | None, Query(description="Words that must all occur in the sentence.")
        ] = None,
    ) -> Conditions:
        """The filters of /api/events (and /api/places) as SQL over merged_events."""
        where: list[str] = []
        params: list[object] = []
        if (value := _text(actor, "actor")) is not None:
            code = _actor(value, "actor")
            where.append("(starts_with(source_code, ?) OR starts_with(target_code, ?))")
            params += [code, code]
        if (value := _text(dyad, "dyad")) is not None:
            parts = [part.strip() for part in value.split(",")]
            if len(parts) != 2:
                raise _bad("dyad: two actor codes separated by a comma, e.g. KOR,RUS")
            clause, values = _pair_clause(_actor(parts[0], "dyad"), _actor(parts[1], "dyad"))
            where.append(clause)
            params += values
        if (value := _text(cameo, "cameo")) is not None:
            if not _CAMEO.match(value):
                raise _bad("cameo: a CAMEO code of 2 to 4 digits, e.g. 042")
            where.append("starts_with(cameo, ?)")
            params.append(value)
        if (value := _text(root, "root")) is not None:
            if not _ROOT.match(value):
                raise _bad("root: a CAMEO root code of two digits, e.g. 19")
            where.append("cameo_root = ?")
            params.append(value)
        if (value := _text(plover, "plover")) is not None:
            where.append("upper(plover_type) = upper(?)")
            params.append(value)
        if quad is not None:
            where.append("quad_class = ?")
            params.append(quad)
        if (value := _text(country, "country")) is not None:
            iso3 = _country(value, "country", countries)
            where.append("(source_country = ? OR target_country = ?)")
            params += [iso3, iso3]
        if (value := _text(place, "place")) is not None:
            iso3_place = countries.get(value.lower(), (None, None))[0]
            where.append("(contains(lower(location_name), lower(?)) OR location_country = ?)")
            params += [value, iso3_place]
        if (bounds := _dates(since, until)) is not None:
            where.append("event_date >= ? AND event_date < ?")
            params += list(bounds)
        for word in _words(q):
            where.append("contains(lower(sentence), lower(?))")
            params.append(word)
        return Conditions(where, params)

    Filters = Annotated[Conditions, Depends(event_filters)]

    @app.get(
        f"{API}/events",
        response_model=EventPage,
        dependencies=reads,
        openapi_extra=public,
        responses=READ_ERRORS,
        tags=["events"],
    )
    def list_events(filters: Filters, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
        """Merged events (one per real-world event), newest first, with filters."""
        where, params = filters.where, filters.params
        with backend.reader() as store:
            rows, total = _page(store, merged_sql, where, params, page, page_size)
        items = [_event_out(row, backend) for row in rows]
        return {"items": items, "page": page, "page_size": page_size, "total": total}

    @app.get(
        f"{API}/events/{{cluster_id}}",
        response_model=EventDetail,
        dependencies=reads,
        openapi_extra=public,
        responses=_responses(400, 401, 404),
        tags=["events"],
    )
    def get_event(
        cluster_id: Annotated[str, PathParam(max_length=200, description="From /api/events.")],
    ) -> dict[str, Any]:
        """One merged event and every mention of it: document, sentence, highlighted spans."""
        with backend.reader() as store:
            rows = store.query(
                f"SELECT * FROM ({merged_sql}) WHERE cluster_id = ?", [cluster_id]
            ).to_pylist()
            if not rows:
                raise ApiError(404, "T806", f"no event {cluster_id!r}")
            mentions = store.query(
                "SELECT e.*, d.record_id, d.title, d.publisher, d.url, d.published FROM events e "
                "LEFT JOIN event_cluster_members m ON m.event_id = e.event_id "
                "LEFT JOIN documents d ON d.doc_id = e.doc_id "
                "WHERE coalesce(m.cluster_id, e.event_id) = ? "
                "ORDER BY d.published NULLS LAST, e.doc_id, e.sentence_start, e.seq",
                [cluster_id],
            ).to_pylist()
        event = _event_out(rows[0], backend)
        event["mentions"] = [
            {
                "event_id": m["event_id"],
                "doc_id": m["doc_id"],
                "record_id": m["record_id"],
                "title": m["title"],
                "publisher": m["publisher"],
                "url": m["url"],
                "published": m["published"],
                "sentence": m["sentence"],
                "sentence_start": m["sentence_start"],
                "trigger": _span(m["trigger"], m["trigger_start"], m["trigger_end"], m),
                "source": _span(m["source_text"], m["source_start"], m["source_end"], m),
                "target": _span(m["target_text"], m["target_start"], m["target_end"], m),
            }
            for m in mentions
        ]
        return event

    @app.get(
        f"{API}/documents",
        response_model=DocumentPage,
        dependencies=reads,
        openapi_extra=public,
        responses=READ_ERRORS,
        tags=["documents"],
    )
    def list_documents(
        page: Page = 1,
        page_size: PageSize = 50,
        q: Annotated[
            str | None, Query(description="Words that must all occur in the title or body.")
        ] = None,
    ) -> dict[str, Any]:
        """Stored documents, the latest added first, with how many events each gave."""
        where: list[str] = []
        params: list[object] = []
        for word in _words(q):
            where.append("contains(lower(coalesce(title, '') || ' ' || body), lower(?))")
            params.append(word)
        condition = " AND ".join(where) if where else "TRUE"
        with backend.reader() as store:
            total = store.query(
                f"SELECT count(*) AS n FROM documents WHERE {condition}", params
            ).to_pylist()[0]["n"]
            rows = store.query(
                "SELECT doc_id, record_id, record_source, title, publisher, published, url, "
                "(SELECT count(*) FROM events e WHERE e.doc_id = d.doc_id) AS events "
                f"FROM documents d WHERE {condition} ORDER BY seq DESC LIMIT ? OFFSET ?",
                [*params, page_size, (page - 1) * page_size],
            ).to_pylist()
        return {"items": rows, "page": page, "page_size": page_size, "total": int(total)}

    @app.get(
        f"{API}/documents/{{doc_id}}",
        response_model=DocumentDetail,
        dependencies=reads,
        openapi_extra=public,
        responses=_responses(400, 401, 404),
        tags=["documents"],
    )
    def get_document(
        doc_id: Annotated[str, PathParam(max_length=200, description="From /api/documents.")],
    ) -> dict[str, Any]:
        """One document: its clean body and the merged events it supports."""
        with backend.reader() as store:
            rows = store.query(
                "SELECT doc_id, record_id, record_source, title, publisher, published, url, body "
                "FROM documents "
                "WHERE doc_id = ?",
                [doc_id],
            ).to_pylist()
            if not rows:
                raise ApiError(404, "T806", f"no document {doc_id!r}")
            clusters = store.query(
                "SELECT coalesce(m.cluster_id, e.event_id) AS cluster_id FROM events e "
                "LEFT JOIN event_cluster_members m ON m.event_id = e.event_id "
                "WHERE e.doc_id = ? GROUP BY ALL ORDER BY min(e.sentence_start), cluster_id",
                [doc_id],
            ).column("cluster_id")
        return {**rows[0], "events": clusters.to_pylist()}

    @app.get(
        f"{API}/dyad",
        response_model=DyadOut,
        dependencies=reads,
        openapi_extra=public,
        responses=READ_ERRORS,
        tags=["analytics"],
    )
    def dyad(
        a: Annotated[str, Query(max_length=40, description="Actor code, e.g. KOR.")],
        b: Annotated[str, Query(max_length=40, description="Actor code, e.g. RUS.")],
        by: Annotated[
            Literal["auto", "day", "week", "month", "year"],
            Query(
                description="The granularity: the period of each row. auto picks one from the "
                "span of the pair's events (day up to 3 months, week up to 2 years, month up "
                "to 15 years, else year); the answer's `by` says which."
            ),
        ] = "month",
        level: Level = None,
        fill: Annotated[
            bool,
            Query(
                description="A regular series: every period from the first to the last in both "
                "directions, 0 events where nothing happened; events dated less precisely "
                "than `by` are left out."
            ),
        ] = False,
        since: Since = None,
        until: Until = None,
    ) -> dict[str, Any]:
        """Events between A and B per period, both directions (analytics.dyad_series)."""
        code_a, code_b = _actor(a, "a"), _actor(b, "b")
        levels = _levels(code_a, code_b, level)
        low, high = _period(since, until)
        with backend.reader() as store:
            first, last = dyad_span(store, code_a, code_b, low, high, level=level)
            chosen = default_period(first, last) if by == "auto" else by
            rows = dyad_series(
                store, code_a, code_b, by=chosen, since=low, until=high, level=level, fill=fill
            )
        out = [{**row, "period": _iso(row["period"])} for row in rows.to_pylist()]
        return {
            "a": code_a,
            "b": code_b,
            "by": chosen,
            "level": levels,
            "first": _iso(first),
            "last": _iso(last),
            "rows": out,
        }

    @app.get(
        f"{API}/dyad/events",
        response_model=EventPage,
        dependencies=reads,
        openapi_extra=public,
        responses=READ_ERRORS,
        tags=["analytics"],
    )
    def dyad_events(
        a: Annotated[str, Query(max_length=40, description="Actor code, e.g. KOR.")],
        b: Annotated[str, Query(max_length=40, description="Actor code, e.g. RUS.")],
        period_label: Annotated[
            str | None,
            Query(description="A row label of /api/dyad ('2012-03', '2012-W11'); none: all."),
        ] = None,
        by: Annotated[Period, Query(description="The period the label is of.")] = "month",
        level: Level = None,
        directed: Annotated[
            bool, Query(description="Only the events from A to B (one row's direction).")
        ] = False,
        page: Page = 1,
        page_size: PageSize = 50,
    ) -> dict[str, Any]:
        """The events of one point of the dyad series: that pair, that period, either way
        (or from A to B only)."""
        code_a, code_b = _actor(a, "a"), _actor(b, "b")
        clause, params = _pair_clause(code_a, code_b, level, directed=directed)
        where = [clause, "event_date IS NOT NULL"]
        label = _text(period_label, "period_label", 10)
        if label is not None:
            if not _PERIOD_LABEL.match(label):
                raise _bad("period_label: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Www")
            where.append(f"{_label_sql(by)} = ?")
            params.append(label)
        with backend.reader() as store:
            rows, total = _page(store, merged_sql, where, params, page, page_size)
        items = [_event_out(row, backend) for row in rows]
        return {"items": items, "page": page, "page_size": page_size, "total": total}

    @app.get(
        f"{API}/top",
        response_model=TopOut,
        dependencies=reads,
        openapi_extra=public,
        responses=READ_ERRORS,
        tags=["analytics"],
    )
    def top_list(
        by: Annotated[
            Literal["dyad", "actor", "code"], Query(description="What to rank.")
        ] = "dyad",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="How many rows.")] = 20,
        since: Since = None,
        until: Until = None,
    ) -> dict[str, Any]:
        """The most frequent dyads, actors or CAMEO codes (analytics.top)."""
        low, high = _period(since, until)
        with backend.reader() as store:
            table = top(store, by=by, limit=limit, since=low, until=high)
        return {"items": table.to_pylist()}

    @app.get(
        f"{API}/network",
        response_model=NetworkOut,
        dependencies=reads,
        openapi_extra=public,
        responses=READ_ERRORS,
        tags=["analytics"],
    )
    def country_network(
        since: Since = None,
        until: Until = None,
        min_events: Annotated[
            int, Query(ge=1, le=1_000_000, description="Only pairs with at least this many events.")
        ] = 1,
    ) -> dict[str, Any]:
        """Directed country edges with event counts and Goldstein sums (analytics.network)."""
        low, high = _period(since, until)
        with backend.reader() as store:
            table = network(store, since=low, until=high)
        edges = [edge for edge in table.to_pylist() if edge["events"] >= min_events]
        codes = {edge[side] for edge in edges for side in ("source", "target")}
        return {
            "edges": edges,
            "names": {code: node_names[code] for code in sorted(codes) if code in node_names},
        }

    @app.get(
        f"{API}/places",
        response_model=PlacesOut,
        dependencies=reads,
        openapi_extra=public,
        responses=READ_ERRORS,
        tags=["analytics"],
    )
    def places(
        filters: Filters,
        limit: Annotated[
            int, Query(ge=1, le=MAX_PLACES, description="At most this many places, busiest first.")
        ] = 1000,
    ) -> dict[str, Any]:
        """Where the events took place: one item per place with coordinates and its event
        count, under the filters of /api/events."""
        condition = " AND ".join(filters.where) if filters.where else "TRUE"
        located = (
            "location_name IS NOT NULL AND location_latitude BETWEEN -90 AND 90 "
            "AND location_longitude BETWEEN -180 AND 180"
        )
        with backend.reader() as store:
            counts = store.query(
                f"SELECT count(*) FILTER (WHERE {located}) AS located, "
                f"count(*) FILTER (WHERE NOT coalesce({located}, FALSE)) AS unlocated "
                f"FROM ({merged_sql}) WHERE {condition}",
                filters.params,
            ).to_pylist()[0]
            rows = store.query(
                "SELECT location_name AS name, location_country AS country, "
                "location_latitude AS latitude, location_longitude AS longitude, "
                "min(location_feature) AS feature, count(*) AS events, "
                "count(*) OVER () AS total "
                f"FROM ({merged_sql}) WHERE {condition} AND {located} "
                "GROUP BY name, country, latitude, longitude "
                "ORDER BY events DESC, name, country NULLS LAST, latitude, longitude LIMIT ?",
                [*filters.params, limit],
            ).to_pylist()
        total = int(rows[0]["total"]) if rows else 0
        items = [{k: v for k, v in row.items() if k != "total"} for row in rows]
        return {
            "items": items,
            "total": total,
            "located": int(counts["located"]),
            "unlocated": int(counts["unlocated"]),
        }


def _label_sql(by: str) -> str:
    """The period label analytics.dyad_series gives an event (kept in step with it): by BY, or
    by the event's own precision when that is coarser. Only names from PERIODS reach the SQL."""
    coarser = PERIODS[PERIODS.index(by) + 1 :]
    cases = "".join(f"WHEN date_precision = '{p}' THEN '{p}' " for p in coarser)
    unit = f"(CASE {cases}ELSE '{by}' END)" if cases else f"'{by}'"
    return (
        f"(CASE {unit} WHEN 'year' THEN strftime(event_date, '%Y') "
        f"WHEN 'month' THEN strftime(event_date, '%Y-%m') "
        f"WHEN 'week' THEN strftime(event_date, '%G-W%V') "
        f"ELSE strftime(event_date, '%Y-%m-%d') END)"
    )


# -- uploads ------------------------------------------------------------------------------------

UPLOAD_BODY = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/x-ndjson": {
            "schema": {"type": "string", "description": "JSON lines: id, text or html, url..."}
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "date": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                },
            }
        },
    },
}


async def _read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The body, refused with 413 as soon as it passes LIMIT bytes (not after reading it all),
    and with 408 when it has not all come within TIMEOUT seconds (a slow or half-sent body)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise _bad("Content-Length: not a number")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0

    async def read() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)

    try:
        await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise ApiError(
            408,
            "T807",
            f"the request body did not arrive within {timeout:g} s (setting api_request_timeout)",
            headers={"Connection": "close"},
        ) from None
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "T803", f"upload larger than {limit} bytes (setting api_max_upload_bytes)")


def _unsupported(media_type: str) -> ApiError:
    return ApiError(
        415,
        "T804",
        f"unsupported media type {media_type!r}: send text/plain, text/html, "
        "application/x-ndjson, or multipart/form-data with a 'file' field",
    )


async def _parse_form(
    request: Request, body: bytes, limit: int
) -> tuple[bytes, str, str, dict[str, str]]:
    """(file bytes, suffix, file name, metadata fields) of a multipart upload."""

    async def replay() -> Message:  # the body was read (and measured) already
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
    except Exception as exc:  # python-multipart's errors have no common base worth naming
        raise _bad(f"malformed multipart form: {exc}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(422, "T805", "multipart upload without a 'file' field")
    data = await upload.read()
    if len(data) > limit:
        raise _too_large(limit)
    name = upload.filename or "upload"
    suffix = FILE_SUFFIXES.get(Path(name).suffix.lower())
    if suffix is None:
        media_type = (upload.content_type or "").split(";")[0].strip().lower()
        suffix = SUFFIXES.get(media_type)
        if suffix is None:
            raise _unsupported(media_type or Path(name).suffix or "none")
    fields: dict[str, str] = {}
    for key in ("date", "title", "url"):
        value = form.get(key)
        if isinstance(value, str) and (text := _text(value, key, 2000)) is not None:
            fields[key] = text
    return data, suffix, name, fields


def _as_record(data: bytes, suffix: str, fields: Mapping[str, str]) -> bytes:
    """A text or HTML upload with form fields (date, title, url) as one JSONL record."""
    if suffix == ".jsonl":
        raise _bad(
            "date, title and url go with a text or HTML file (JSONL records carry their own)"
        )
    try:
        text, _ = decode_bytes(data, "upload")
    except ReadError as exc:
        raise ApiError(
            422,
            "T805",
            "nothing usable in the upload",
            extra={"rejected": [{"location": "upload", "code": exc.code, "message": exc.message}]},
        ) from None
    record = {"html" if suffix == ".html" else "text": text, **fields}
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def _add_write_route(app: FastAPI, backend: Backend, write_access: Any) -> None:
    @app.post(
        f"{API}/documents",
        response_model=UploadOut,
        dependencies=[Depends(write_access)],
        responses=_responses(400, 401, 403, 408, 413, 415, 422),
        openapi_extra={"requestBody": UPLOAD_BODY},
        tags=["documents"],
    )
    async def upload_documents(request: Request) -> dict[str, Any]:
        """Ingest articles: the normal pipeline (clean, code, store, merge) on the body.

        The body is the raw article (text/plain, text/html), JSON lines as `extract` reads them
        (application/x-ndjson), or multipart/form-data with a field "file" and optional "date",
        "title" and "url". Needs 'Authorization: Bearer <api_token>'.
        """
        limit = backend.settings.api_max_upload_bytes
        timeout = backend.settings.api_request_timeout
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == "multipart/form-data":
            body = await _read_body(request, limit + MULTIPART_OVERHEAD, timeout)
            data, suffix, name, fields = await _parse_form(request, body, limit)
            if fields:
                data, suffix = _as_record(data, suffix, fields), ".jsonl"
        elif media_type in SUFFIXES:
            suffix = SUFFIXES[media_type]
            name = f"upload{suffix}"
            data = await _read_body(request, limit, timeout)
        else:
            raise _unsupported(media_type or "none")
        return await run_in_threadpool(_ingest, backend, data, suffix, name)


def _ingest(backend: Backend, data: bytes, suffix: str, name: str) -> dict[str, Any]:
    """Run extract() on DATA, saved with SUFFIX so the right reader takes it; blocking.

    A document's id is its declared id and text, not the staging file's name, so posting the
    same article again adds nothing. When the pipeline fails on the upload as a whole (a record
    no stage expected), JSON lines are taken again one record at a time: the good ones are
    stored, the failing ones come back in `rejected` (T808) with their line; a text or HTML
    upload, one article, is a 422 T808 naming the reason. A store that fails stays a 500.
    """
    shown = Path(name).name or f"upload{suffix}"
    doc_ids: list[str] = []
    rejected: list[dict[str, str]] = []
    with backend.write_lock:
        try:
            events = _extract_bytes(backend, data, suffix, shown, doc_ids, rejected)
        except Exception as exc:
            backend.forget_index()
            if isinstance(exc, StoreError):  # the store's fault, not the upload's: a 500
                raise
            if suffix != ".jsonl":  # one document: it is the one that failed
                message = _pipeline_failure(exc)
                raise ApiError(
                    422,
                    "T808",
                    f"the upload {message}",
                    extra={"rejected": [{"location": shown, "code": "T808", "message": message}]},
                ) from None
            doc_ids.clear()
            rejected.clear()
            events = 0
            for number, line in enumerate(data.splitlines(keepends=True), start=1):
                if not line.strip():
                    continue
                try:
                    events += _extract_bytes(
                        backend, line, suffix, shown, doc_ids, rejected, f"{shown}:{number}"
                    )
                except Exception as record_exc:
                    backend.forget_index()
                    if isinstance(record_exc, StoreError):
                        raise
                    message = _pipeline_failure(record_exc)
                    rejected.append(
                        {"location": f"{shown}:{number}", "code": "T808", "message": message}
                    )
            if not doc_ids and not rejected:
                raise exc
    if not doc_ids:
        raise ApiError(422, "T805", "nothing usable in the upload", extra={"rejected": rejected})
    return {"documents": len(doc_ids), "events": events, "doc_ids": doc_ids, "rejected": rejected}


def _pipeline_failure(exc: Exception) -> str:
    return f"failed in the pipeline: {type(exc).__name__}: {exc}"


def _extract_bytes(
    backend: Backend,
    data: bytes,
    suffix: str,
    shown: str,
    doc_ids: list[str],
    rejected: list[dict[str, str]],
    record: str | None = None,
) -> int:
    """extract() on DATA staged in a temporary file named as SHOWN in rejections (RECORD: the
    location of the one record DATA is); adds to DOC_IDS and REJECTED, returns the events.
    Call with write_lock held."""
    with tempfile.TemporaryDirectory(prefix="thucydides-upload-") as directory:
        path = Path(directory) / f"upload{suffix}"
        path.write_bytes(data)
        staged = str(path)

        def collect(item: Document | Rejection, _: RunSummary) -> None:
            if isinstance(item, Rejection):
                # A single record taken again keeps its own line: "upload.jsonl:7", not ":1".
                location = record or item.location.replace(staged, shown)
                rejected.append({"location": location, "code": item.code, "message": item.message})
            elif item.doc_id not in doc_ids:
                doc_ids.append(item.doc_id)

        coder = backend.coder()  # loaded before the store is opened: keep that window short
        with backend.writer() as store:
            summary = extract(
                [staged],
                backend.settings,
                ExtractOptions(content_identity=True),
                on_item=collect,
                store=store,
                coder=coder,
                finder=backend.finder(store),
                known=_StoredIds(store),
            )
    return summary.events


# -- serving ----------------------------------------------------------------------------------


class _HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request line and headers have
    not all come within `timeout_keep_alive` seconds (uvicorn itself waits for them forever,
    so a client sending one header byte a minute holds a connection open)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def _in_request(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _start_header_timer(self) -> None:
        if self._header_timer is None and not self._in_request():
            self._header_timer = self.loop.call_later(self.timeout_keep_alive, self._header_timeout)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        if not self._in_request():  # the headers never finished: drop the connection
            self.timeout_keep_alive_handler()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._in_request():
            self._stop_header_timer()  # headers complete; the body has the app's own timeout
        else:
            self._start_header_timer()  # (part of) a next request on a kept-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)


def serve(app: FastAPI, settings: Settings, host: str, port: int, log_level: str) -> None:
    """Run APP with uvicorn until interrupted. Slow clients are cut off after
    api_request_timeout seconds: idle keep-alive connections, request headers that do not
    finish (here), and request bodies that do not arrive (_read_body, 408)."""
    timeout = max(1, math.ceil(settings.api_request_timeout))
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        http=_HeaderTimeoutProtocol,
        timeout_keep_alive=timeout,
        timeout_graceful_shutdown=timeout,
    )


# -- pages --------------------------------------------------------------------------------------


def _add_pages(app: FastAPI, settings: Settings, web_dir: Path | None) -> None:
    """The dashboard from thucydides.web, when it is there; the API works without it."""
    web_dir = web_dir or Path(__file__).parent / "web"
    if not web_dir.is_dir():
        return
    try:
        from .web import register_pages
    except ImportError:  # no pages module (yet): the static files alone
        pass
    else:
        register_pages(app, settings)
    static = web_dir / "static"
    mounted = any(isinstance(r, Mount) and r.path == "/static" for r in app.routes)
    if static.is_dir() and not mounted:
        app.mount("/static", StaticFiles(directory=static), name="static")

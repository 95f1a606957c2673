"""The web dashboard: server-rendered pages over the HTTP API, plus small plain JavaScript.

register_pages(app, settings) adds the HTML routes (/, /events, /events/{id}, /documents/{id},
/network, /places, /upload) and mounts /static. Pages read their data from the app's own /api
endpoints (called in-process, so the API's filters, limits and access rules apply to pages
too); charts are drawn in the browser by static/*.js from the same endpoints. Templates
autoescape, and the only markup built in Python (the highlighted sentence) escapes every text
piece.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..analytics import default_period
from ..settings import Settings

__all__ = ["highlight", "register_pages"]

# Filters of /events, in the order the form shows them: (query name, label, placeholder).
EVENT_FILTERS = (
    ("actor", "Actor", "RUS, KORGOV"),
    ("dyad", "Dyad", "KOR,RUS"),
    ("cameo", "CAMEO code", "036"),
    ("root", "CAMEO root", "03"),
    ("plover", "PLOVER type", "AGREE"),
    ("quad", "QuadClass", "1-4"),
    ("country", "Country", "TUR, Turkey"),
    ("place", "Place", "Aleppo"),
    ("since", "Since", "2012-01"),
    ("until", "Until", "2012-12"),
    ("q", "Text", "words in the sentence"),
)
# Filters of /places: a subset of those of /events (the place is what the map shows).
PLACE_FILTERS = tuple(
    f for f in EVENT_FILTERS if f[0] in ("actor", "country", "quad", "since", "until")
)
PERIODS = ("day", "week", "month", "year")
DYAD_PERIODS = ("auto", *PERIODS)  # auto: from the span of the dyads shown (default_period)
LEVELS = ("country", "code")
LEVEL_CHOICES = (("", "default"), ("country", "country"), ("code", "full code"))
PAGE_SIZE = 50
# Headers a page passes on to its in-process API call: who is asking and for which host.
_FORWARDED = (b"host", b"authorization", b"cookie")


class ApiAnswer:
    """Status and decoded JSON body of one in-process API call."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        return f"the API answered {self.status}"


async def call_api(
    app: FastAPI, request: Request, path: str, params: Mapping[str, Any] | None = None
) -> ApiAnswer:
    """GET PATH on APP itself (no network), with the page request's host and credentials."""
    query = urlencode({k: v for k, v in (params or {}).items() if v not in (None, "")})
    headers = [(k, v) for k, v in request.scope.get("headers", []) if k in _FORWARDED]
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": request.url.scheme,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [*headers, (b"accept", b"application/json")],
        "client": request.scope.get("client") or ("127.0.0.1", 0),
        "server": request.scope.get("server") or ("localhost", 80),
        "state": {},
    }
    status = 500
    chunks: list[bytes] = []
    done = asyncio.Event()
    sent_request = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()  # a disconnect only once the answer is complete
        return {"type": "http.disconnect"}

    async def send(message: Mapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                done.set()

    await app(scope, receive, send)
    done.set()
    raw = b"".join(chunks)
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    return ApiAnswer(status, body)


def highlight(sentence: str, spans: Mapping[str, Mapping[str, Any] | None]) -> Markup:
    """SENTENCE as HTML with each span (name -> {start, end}) in <mark class="hl hl-NAME">.

    Offsets are inside the sentence, end exclusive. Spans that fall outside it or overlap one
    already placed are left out (the first by position wins; the trigger on a tie). Every text
    piece is escaped, so article text never becomes markup.
    """
    order = {"trigger": 0, "source": 1, "target": 2}
    placed: list[tuple[int, int, str]] = []
    candidates = []
    for name, span in spans.items():
        if not span:
            continue
        start, end = span.get("start"), span.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(sentence):
            candidates.append((start, order.get(name, 9), end, name))
    for start, _, end, name in sorted(candidates):
        if all(end <= s or start >= e for s, e, _ in placed):
            placed.append((start, end, name))
    placed.sort()
    pieces: list[str] = []
    at = 0
    for start, end, name in placed:
        pieces.append(str(escape(sentence[at:start])))
        pieces.append(
            f'<mark class="hl hl-{escape(name)}" title="{escape(name)}">'
            f"{escape(sentence[start:end])}</mark>"
        )
        at = end
    pieces.append(str(escape(sentence[at:])))
    return Markup("".join(pieces))


def _actor_label(actor: Mapping[str, Any] | None) -> str:
    if not actor:
        return "-"
    code = actor.get("code") or ""
    text = actor.get("text") or actor.get("name") or ""
    return f"{code} ({text})" if text and code else str(code or text or "-")


def _http_url(value: Any) -> str | None:
    """VALUE when it is an http(s) URL, else None: a javascript: link must not become an href."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _page_links(path: str, params: Mapping[str, str], page: int, total: int, size: int) -> Any:
    """Previous / next URLs (None at either end) for a list page, keeping its filters."""
    last = max(1, -(-total // size))

    def url(number: int) -> str:
        return f"{path}?{urlencode({**params, 'page': str(number)})}"

    return {
        "page": page,
        "last": last,
        "total": total,
        "prev": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < last else None,
    }


def _int_param(request: Request, name: str, default: int) -> int:
    try:
        return max(1, int(request.query_params.get(name, default)))
    except ValueError:
        return default


def register_pages(app: FastAPI, settings: Settings) -> None:
    """Add the dashboard's HTML routes and /static to APP."""
    env = Environment(
        loader=PackageLoader("thucydides.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http_url"] = _http_url
    env.globals["actor_label"] = _actor_label
    env.globals["highlight"] = highlight
    env.globals["version"] = getattr(app, "version", "")
    static_dir = Path(str(files("thucydides.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    def failed(answer: ApiAnswer, what: str) -> HTMLResponse:
        status = answer.status if 400 <= answer.status < 600 else 502
        title = "Not found" if status == 404 else f"Error {status}"
        return render("error.html", status, title=title, message=f"{what}: {answer.message}")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def dyad_page(request: Request) -> HTMLResponse:
        query = request.query_params
        top = await call_api(app, request, "/api/top", {"by": "actor", "limit": 300})
        actors = [row.get("actor") for row in top.body.get("items", [])] if top.ok else []
        a, b, c, d = (query.get(name, "").strip() for name in "abcd")
        by_choice = query.get("by", "auto")
        by_choice = by_choice if by_choice in DYAD_PERIODS else "auto"
        level = query.get("level", "")
        level = level if level in LEVELS else ""
        since, until = query.get("since", ""), query.get("until", "")
        pairs = [(x, y) for x, y in ((a, b), (c, d)) if x and y]
        by = by_choice
        if by_choice == "auto":
            by = await _period_for_pairs(app, request, pairs, level, since, until)
        return render(
            "dyad.html",
            page="dyad",
            a=a,
            b=b,
            c=c,
            d=d,
            by=by,
            by_choice=by_choice,
            level=level,
            levels=LEVEL_CHOICES,
            since=since,
            until=until,
            periods=DYAD_PERIODS,
            actors=[actor for actor in actors if actor],
        )

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    async def events_page(request: Request) -> HTMLResponse:
        filters = {name: request.query_params.get(name, "").strip() for name, _, _ in EVENT_FILTERS}
        page = _int_param(request, "page", 1)
        answer = await call_api(
            app, request, "/api/events", {**filters, "page": page, "page_size": PAGE_SIZE}
        )
        if not answer.ok:
            if answer.status in (400, 422):  # a bad filter: show the form with the message
                return render(
                    "events.html",
                    answer.status,
                    page="events",
                    fields=EVENT_FILTERS,
                    filters=filters,
                    items=[],
                    error=answer.message,
                    paging=None,
                )
            return failed(answer, "events")
        kept = {k: v for k, v in filters.items() if v}
        total = int(answer.body.get("total", 0))
        return render(
            "events.html",
            page="events",
            fields=EVENT_FILTERS,
            filters=filters,
            items=answer.body.get("items", []),
            error=None,
            paging=_page_links("/events", kept, page, total, PAGE_SIZE),
        )

    @app.get("/events/{cluster_id}", response_class=HTMLResponse, include_in_schema=False)
    async def event_page(request: Request, cluster_id: str) -> HTMLResponse:
        if not _is_id(cluster_id):
            return render("error.html", 404, title="Not found", message="no such event")
        answer = await call_api(app, request, f"/api/events/{cluster_id}")
        if not answer.ok:
            return failed(answer, f"event {cluster_id}")
        return render("event.html", page="events", event=answer.body)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    async def document_page(request: Request, doc_id: str) -> HTMLResponse:
        if not _is_id(doc_id):
            return render("error.html", 404, title="Not found", message="no such document")
        answer = await call_api(app, request, f"/api/documents/{doc_id}")
        if not answer.ok:
            return failed(answer, f"document {doc_id}")
        return render("document.html", page="events", doc=answer.body)

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    async def network_page(request: Request) -> HTMLResponse:
        query = request.query_params
        return render(
            "network.html",
            page="network",
            since=query.get("since", ""),
            until=query.get("until", ""),
            min_events=query.get("min_events", ""),
        )

    @app.get("/places", response_class=HTMLResponse, include_in_schema=False)
    async def places_page(request: Request) -> HTMLResponse:
        filters = {name: request.query_params.get(name, "").strip() for name, _, _ in PLACE_FILTERS}
        return render("places.html", page="places", fields=PLACE_FILTERS, filters=filters)

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload_page(request: Request) -> HTMLResponse:
        return render(
            "upload.html",
            page="upload",
            max_bytes=getattr(settings, "api_max_upload_bytes", 5_000_000),
            token_set=bool(getattr(settings, "api_token", "")),
        )


async def _period_for_pairs(
    app: FastAPI,
    request: Request,
    pairs: list[tuple[str, str]],
    level: str,
    since: str,
    until: str,
) -> str:
    """The period a chart of PAIRS (one or two dyads on one time axis) is drawn by when the
    user leaves it to us: analytics.default_period over the span of all their events, so two
    dyads compared share one granularity. "month" when there is nothing to measure (a bad
    value is left for the chart's own request to report)."""
    firsts: list[date] = []
    lasts: list[date] = []
    for a, b in pairs:
        params = {"a": a, "b": b, "by": "year", "level": level, "since": since, "until": until}
        answer = await call_api(app, request, "/api/dyad", params)
        if answer.ok and answer.body.get("first") and answer.body.get("last"):
            firsts.append(date.fromisoformat(answer.body["first"]))
            lasts.append(date.fromisoformat(answer.body["last"]))
    if not firsts:
        return "month"
    return default_period(min(firsts), max(lasts))


def _is_id(value: str) -> bool:
    """Whether VALUE can be a stored id (hex digests, maybe with - or _): safe in a path."""
    return 0 < len(value) <= 128 and all((c.isascii() and c.isalnum()) or c in "-_" for c in value)

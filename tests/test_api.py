"""The HTTP API against a real store built by extract() from our own invented articles."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from thucydides.api import create_app
from thucydides.errors import CODES
from thucydides.pipeline import extract
from thucydides.settings import Settings
from thucydides.store import Store

TOKEN = "correct-horse-battery"

# Two invented articles about Norway and Sweden; the first has markup in its text, which must
# come back as data.
ARTICLES = {
    "01-talks.txt": """Norway and Sweden hold border talks

By Ingrid Dahl
Nordic Courier
April 3, 2021

Norway and Sweden signed a border agreement in Oslo on Tuesday, the ministry said.

Sweden's prime minister praised Norway for its <b>help</b> & support after the storm.
""",
    "02-dispute.txt": """Sweden accuses Norway over fishing boats

By Lars Berg
Nordic Courier
August 9, 2021

Sweden accused Norway of seizing two fishing boats on Monday.

Norwegian troops attacked a Swedish patrol near the coast, officials said.
""",
}

UPLOAD = """Finland and Estonia agree on ferry links

By Mari Kask
Baltic Review
May 17, 2022

Finland signed a transport agreement with Estonia in Tallinn on Tuesday.
"""


@pytest.fixture(scope="module")
def nordic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("nordic")
    for name, text in ARTICLES.items():
        (directory / name).write_text(text, encoding="utf-8")
    db = directory / "nordic.duckdb"
    summary = extract([str(directory / "*.txt")], Settings(db=str(db)))
    assert summary.events >= 4
    return db


def _client(db: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(db=str(db), **settings)))


@pytest.fixture(scope="module")
def client(nordic_db: Path) -> Iterator[TestClient]:
    with _client(nordic_db) as opened:
        yield opened


@pytest.fixture
def writable(nordic_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    """A client with a token, over a copy of the store (uploads must not change the others)."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(nordic_db, db)
    with _client(db, api_token=TOKEN, api_max_upload_bytes=2000) as opened:
        yield opened


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and code in CODES
    assert error["message"] and "\n" not in error["message"]
    return str(error["message"])


def _all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/events", params={"page_size": 500, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


AUTH = {"Authorization": f"Bearer {TOKEN}"}


# -- reads ----------------------------------------------------------------------------------------


def test_health_counts_the_store(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["documents"] == 2
    assert body["events"] == len(_all_events(client)) >= 4


def test_events_have_the_contract_shape(client: TestClient) -> None:
    events = _all_events(client)
    accuse = next(e for e in events if e["cameo"] == "112")
    assert accuse["source"]["code"] == "SWE" and accuse["target"]["code"] == "NOR"
    assert accuse["cameo_name"] == "Accuse" and accuse["plover"]["type"] == "ACCUSE"
    assert accuse["quad_class"] == 3 and accuse["goldstein"] < 0
    assert accuse["date"] == "2021-08-09" and accuse["trigger"] == {"text": "accused"}
    assert accuse["num_articles"] == 1 and accuse["first_seen"].startswith("2021-08-09")
    dates = [e["date"] for e in events]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_event_filters(client: TestClient) -> None:
    everything = _all_events(client)
    military = _all_events(client, actor="normil")
    assert military and all(e["source"]["code"] == "NORMIL" for e in military)
    norway = _all_events(client, actor="NOR")  # a prefix: NORMIL too
    assert {e["cluster_id"] for e in military} <= {e["cluster_id"] for e in norway}
    pair = _all_events(client, dyad="SWE,NOR")
    directions = {(e["source"]["country"], e["target"]["country"]) for e in pair}
    assert directions == {("SWE", "NOR"), ("NOR", "SWE")}
    assert [e["cameo"] for e in _all_events(client, cameo="19")] == ["190"]
    assert {e["cameo"] for e in _all_events(client, root="05")} <= {"050", "051", "057"}
    assert [e["cameo"] for e in _all_events(client, plover="accuse")] == ["112"]
    august = _all_events(client, since="2021-08", until="2021-08")
    assert august and all(e["date"].startswith("2021-08") for e in august)
    assert len(august) < len(everything)
    assert _all_events(client, since="2022") == []
    found = _all_events(client, q="FISHING boats")
    assert [e["cameo"] for e in found] == ["112"]
    assert _all_events(client, q="fishing zebra") == []


def test_pagination(client: TestClient) -> None:
    everything = [e["cluster_id"] for e in _all_events(client)]
    seen = []
    for page in (1, 2, 3):
        body = client.get("/api/events", params={"page": page, "page_size": 2}).json()
        assert body["page"] == page and body["page_size"] == 2
        assert body["total"] == len(everything)
        seen += [e["cluster_id"] for e in body["items"]]
    assert seen == everything[:6]
    beyond = client.get("/api/events", params={"page": 99}).json()
    assert beyond["items"] == [] and beyond["total"] == len(everything)
    docs = client.get("/api/documents", params={"page_size": 1, "page": 2}).json()
    assert len(docs["items"]) == 1 and docs["total"] == 2


@pytest.mark.parametrize(
    "url",
    [
        "/api/events?actor=no!",
        "/api/events?dyad=NOR",
        "/api/events?cameo=abc",
        "/api/events?root=1",
        "/api/events?since=2021-13",
        "/api/events?since=2022&until=2021",
        "/api/events?q=a%00b",
        "/api/events?page=0",
        "/api/events?page_size=501",
        "/api/events?page=x",
        "/api/dyad?a=NOR",
        "/api/dyad?a=NOR&b=SWE&by=decade",
        "/api/dyad/events?a=NOR&b=SWE&period_label=April",
        "/api/top?by=colour",
        "/api/top?limit=0",
        "/api/network?until=soon",
        "/api/documents?q=" + "word+" * 30,
    ],
)
def test_bad_parameters_are_400(client: TestClient, url: str) -> None:
    _error(client.get(url), 400, "T801")


def test_one_event_with_its_highlightable_mentions(client: TestClient) -> None:
    attack = next(e for e in _all_events(client) if e["cameo"] == "190")
    body = client.get(f"/api/events/{attack['cluster_id']}").json()
    assert body["cluster_id"] == attack["cluster_id"] and body["source"]["code"] == "NORMIL"
    (mention,) = body["mentions"]
    assert mention["title"] == "Sweden accuses Norway over fishing boats"
    sentence = mention["sentence"]
    for side in ("trigger", "source", "target"):
        span = mention[side]
        assert sentence[span["start"] : span["end"]] == span["text"]
    assert mention["trigger"]["text"] == "attacked"
    document = client.get(f"/api/documents/{mention['doc_id']}").json()
    assert attack["cluster_id"] in document["events"]


def test_unknown_things_are_404(client: TestClient) -> None:
    _error(client.get("/api/events/no-such-event"), 404, "T806")
    _error(client.get("/api/documents/no-such-document"), 404, "T806")
    _error(client.get("/api/nothing-here"), 404, "T806")


def test_documents_and_markup_comes_back_as_data(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["items"]
    assert {d["title"] for d in docs} == {
        "Norway and Sweden hold border talks",
        "Sweden accuses Norway over fishing boats",
    }
    assert all(d["events"] >= 2 for d in docs)
    (talks,) = client.get("/api/documents", params={"q": "border talks"}).json()["items"]
    body = client.get(f"/api/documents/{talks['doc_id']}").json()
    assert "its <b>help</b> & support" in body["body"]
    assert body["published"] == "2021-04-03"
    praise = _all_events(client, q="praised")
    assert praise and "<b>help</b> &" in praise[0]["sentence"]
    raw = client.get(f"/api/events/{praise[0]['cluster_id']}").text
    assert "<b>help</b> &" in raw  # JSON, not HTML-escaped: escaping is the pages' job


def test_dyad_series_and_its_points(client: TestClient) -> None:
    body = client.get("/api/dyad", params={"a": "nor", "b": "swe"}).json()
    assert body["a"] == "NOR" and body["b"] == "SWE" and body["by"] == "month"
    rows = body["rows"]
    assert rows and {r["direction"] for r in rows} == {"NOR->SWE", "SWE->NOR"}
    august = [r for r in rows if r["label"] == "2021-08"]
    assert august and august[0]["period"] == "2021-08-01"
    assert sum(r["q3"] + r["q4"] for r in august) == len(august)  # conflict only
    for label in {r["label"] for r in rows}:
        events = client.get(
            "/api/dyad/events", params={"a": "NOR", "b": "SWE", "period_label": label}
        ).json()
        expected = sum(r["events"] for r in rows if r["label"] == label)
        assert events["total"] == expected == len(events["items"])
    yearly = client.get("/api/dyad", params={"a": "NOR", "b": "SWE", "by": "year"}).json()
    assert {r["label"] for r in yearly["rows"]} == {"2021"}
    later = client.get("/api/dyad", params={"a": "NOR", "b": "SWE", "since": "2021-06"}).json()
    assert {r["label"] for r in later["rows"]} == {"2021-08"}


def test_top_and_network(client: TestClient) -> None:
    dyads = client.get("/api/top").json()["items"]
    assert {(d["source"], d["target"]) for d in dyads} == {("SWE", "NOR"), ("NOR", "SWE")}
    (first,) = client.get("/api/top", params={"by": "actor", "limit": 1}).json()["items"]
    assert first["events"] >= 2
    codes = client.get("/api/top", params={"by": "code"}).json()["items"]
    assert {"cameo": "112", "name": "Accuse"}.items() <= next(
        c for c in codes if c["cameo"] == "112"
    ).items()
    edges = client.get("/api/network").json()["edges"]
    assert sum(e["events"] for e in edges) == len(_all_events(client))
    assert client.get("/api/network", params={"since": "2030"}).json() == {"edges": [], "names": {}}


def test_openapi_is_served(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{cluster_id}", "/api/dyad/events"} <= set(paths)
    assert "post" in paths["/api/documents"]


# -- access ---------------------------------------------------------------------------------------


def test_closed_reads_need_the_token(nordic_db: Path) -> None:
    with _client(nordic_db, api_public_read=False, api_token=TOKEN) as closed:
        response = closed.get("/api/events")
        _error(response, 401, "T802")
        assert response.headers["www-authenticate"] == "Bearer"
        wrong = {"Authorization": "Bearer not-the-token"}
        _error(closed.get("/api/events", headers=wrong), 401, "T802")
        _error(closed.get("/api/dyad?a=NOR&b=SWE", headers={"Authorization": TOKEN}), 401, "T802")
        assert closed.get("/api/events", headers=AUTH).status_code == 200
        assert closed.get("/api/network", headers=AUTH).status_code == 200
        # Liveness stays open, without the counts.
        assert closed.get("/api/health").json()["documents"] is None
        assert closed.get("/api/health", headers=AUTH).json()["documents"] == 2
    with _client(nordic_db, api_public_read=False) as no_token:  # closed, and no token set
        _error(no_token.get("/api/events", headers=AUTH), 401, "T802")


def test_writes_need_a_configured_token(client: TestClient, writable: TestClient) -> None:
    headers = {"Content-Type": "text/plain", **AUTH}
    message = _error(client.post("/api/documents", content=UPLOAD, headers=headers), 403, "T802")
    assert "api_token" in message
    wrong = {"Content-Type": "text/plain", "Authorization": "Bearer nope"}
    _error(writable.post("/api/documents", content=UPLOAD, headers=wrong), 401, "T802")
    plain = {"Content-Type": "text/plain"}
    _error(writable.post("/api/documents", content=UPLOAD, headers=plain), 401, "T802")


def test_cors_is_off_unless_configured(client: TestClient, nordic_db: Path) -> None:
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in client.get("/api/health", headers=origin).headers
    with _client(nordic_db, api_cors_origins="https://example.org") as open_:
        answer = open_.get("/api/health", headers=origin)
        assert answer.headers["access-control-allow-origin"] == "https://example.org"


# -- uploads --------------------------------------------------------------------------------------


def test_an_uploaded_article_becomes_events(writable: TestClient) -> None:
    assert _all_events(writable, dyad="FIN,EST") == []
    response = writable.post(
        "/api/documents", content=UPLOAD, headers={"Content-Type": "text/plain", **AUTH}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["documents"] == 1 and body["events"] >= 1 and body["rejected"] == []
    (doc_id,) = body["doc_ids"]
    found = _all_events(writable, dyad="FIN,EST")
    assert found and found[0]["source"]["code"] == "FIN" and found[0]["cameo"] == "057"
    detail = writable.get(f"/api/events/{found[0]['cluster_id']}").json()
    assert detail["mentions"][0]["doc_id"] == doc_id
    assert writable.get("/api/documents").json()["items"][0]["doc_id"] == doc_id
    assert writable.get("/api/health").json()["documents"] == 3


def test_multipart_upload_with_fields(writable: TestClient) -> None:
    html = (
        "<html><head><title>Ferry pact</title></head><body><article>"
        "<h1>Ferry pact</h1><p>Finland signed a transport agreement with Estonia in Tallinn "
        "on Tuesday, the ministers said after the meeting.</p></article></body></html>"
    )
    response = writable.post(
        "/api/documents",
        files={"file": ("ferry.html", html.encode(), "text/html")},
        data={"date": "2022-05-17", "title": "Ferry pact signed", "url": "https://x.test/a"},
        headers=AUTH,
    )
    assert response.status_code == 200, response.text
    (doc_id,) = response.json()["doc_ids"]
    document = writable.get(f"/api/documents/{doc_id}").json()
    assert document["url"] == "https://x.test/a" and document["title"] == "Ferry pact signed"
    assert document["published"].startswith("2022-05-17")
    jsonl = b'{"id": "n1", "text": "' + UPLOAD.replace("\n", "\\n").encode() + b'"}\n'
    answer = writable.post(
        "/api/documents", files={"file": ("batch.jsonl", jsonl, "")}, headers=AUTH
    )
    assert answer.status_code == 200 and answer.json()["documents"] == 1, answer.text


def test_bad_uploads(writable: TestClient) -> None:
    def post(content: Any, media_type: str) -> Any:
        headers = {"Content-Type": media_type, **AUTH}
        return writable.post("/api/documents", content=content, headers=headers)

    _error(post("x" * 2001, "text/plain"), 413, "T803")
    _error(post(b"%PDF-1.4", "application/pdf"), 415, "T804")
    _error(writable.post("/api/documents", content=b"hi", headers=AUTH), 415, "T804")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(10):
            yield b"y" * 500

    _error(post(chunks(), "text/plain"), 413, "T803")
    response = post("Too short.", "text/plain")
    _error(response, 422, "T805")
    (rejected,) = response.json()["error"]["rejected"]
    assert rejected["code"] == "T201" and rejected["location"] == "upload.txt"
    _error(post(b"", "text/plain"), 422, "T805")
    _error(post(b"{not json\n", "application/x-ndjson"), 422, "T805")
    no_file = writable.post("/api/documents", data={"title": "x"}, files={"x": ("a", b"")})
    _error(no_file, 401, "T802")  # the token is checked first
    no_file = writable.post(
        "/api/documents", data={"title": "x"}, files={"other": ("a.txt", b"")}, headers=AUTH
    )
    _error(no_file, 422, "T805")
    _error(
        writable.post(
            "/api/documents", files={"file": ("a.pdf", b"%PDF", "application/pdf")}, headers=AUTH
        ),
        415,
        "T804",
    )
    big = writable.post(
        "/api/documents", files={"file": ("a.txt", b"z" * 2001, "text/plain")}, headers=AUTH
    )
    _error(big, 413, "T803")
    assert writable.get("/api/health").json()["documents"] == 2  # nothing was stored


def test_docs_page_needs_no_network(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.text
    # Every script and stylesheet is served by us: no CDN (the default Swagger UI uses jsdelivr).
    assert "cdn." not in html and "https://" not in html and "http://" not in html
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+\.(?:js|css))['"]""", html)
    assert len(assets) >= 2
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 10_000, asset
    redoc = client.get("/redoc")
    assert redoc.status_code == 200 and "https://" not in redoc.text


@pytest.mark.parametrize(
    "path", ["/api/events", "/api/documents", "/api/dyad?a=NOR&b=SWE", "/api/top", "/api/network"]
)
def test_an_unknown_query_parameter_is_a_422_not_ignored(client: TestClient, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}quad_class=4")
    message = _error(response, 422, "T801")
    assert "'quad_class'" in message
    assert response.json()["error"]["unknown"] == ["quad_class"]


def test_unknown_parameter_names_the_one_meant(client: TestClient) -> None:
    message = _error(client.get("/api/events", params={"actr": "NOR"}), 422, "T801")
    assert "did you mean 'actor'" in message


def test_events_by_quad_class(client: TestClient) -> None:
    everything = _all_events(client)
    quads = {event["quad_class"] for event in everything}
    assert len(quads) >= 2  # cooperation and conflict in the fixture
    for quad in range(1, 5):
        chosen = _all_events(client, quad=quad)
        assert len(chosen) == sum(1 for event in everything if event["quad_class"] == quad)
        assert all(event["quad_class"] == quad for event in chosen)
    _error(client.get("/api/events", params={"quad": 5}), 400, "T801")


def test_events_by_country_name_or_code(client: TestClient) -> None:
    by_code = _all_events(client, country="NOR")
    assert by_code
    for event in by_code:
        assert "NOR" in {
            (event["source"] or {}).get("country"),
            (event["target"] or {}).get("country"),
        }
    assert _all_events(client, country="Norway") == by_code
    assert _all_events(client, country="no") == by_code  # alpha-2, any case
    assert _all_events(client, country="Finland") == []
    message = _error(client.get("/api/events", params={"country": "Norwey"}), 400, "T801")
    assert "did you mean NOR (Norway)?" in message
    message = _error(client.get("/api/events", params={"country": "Turky"}), 400, "T801")
    assert "did you mean TUR" in message


def test_events_by_place(client: TestClient) -> None:
    everything = _all_events(client)
    placed = [event for event in everything if event["location"]]
    assert placed, "the fixture places the agreement in Oslo"
    name = placed[0]["location"]["name"]
    chosen = _all_events(client, place=name.lower())
    assert chosen and all(name.lower() in e["location"]["name"].lower() for e in chosen)
    assert len(chosen) < len(everything)
    assert _all_events(client, place="Atlantis") == []


# -- the store shared with other processes while `serve` runs ------------------------------------


def _serve(db: Path, token: str | None) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if not k.startswith("THUCYDIDES_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[1] / "src")
    if token:
        env["THUCYDIDES_API_TOKEN"] = token
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "thucydides"),
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"serve did not start: {server.communicate()[1].decode()[-500:]}")
        time.sleep(0.2)


def _query(db: Path, sql: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THUCYDIDES_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[1] / "src")
    return subprocess.run(
        [str(Path(sys.executable).parent / "thucydides"), "query", "--db", str(db), "--json", sql],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("token", [None, TOKEN], ids=["writes-off", "writes-on"])
def test_other_processes_read_the_store_while_serve_runs(
    nordic_db: Path, tmp_path: Path, token: str | None
) -> None:
    db = tmp_path / "served.duckdb"
    shutil.copy(nordic_db, db)
    server, url = _serve(db, token)
    try:
        assert httpx.get(f"{url}/api/events").status_code == 200
        # A concurrent `thucydides query` process, a notebook's duckdb and our Store.
        answer = _query(db, "SELECT count(*) AS n FROM documents")
        assert answer.returncode == 0, answer.stderr
        assert json.loads(answer.stdout)[0]["n"] == 2
        with duckdb.connect(str(db), read_only=True) as notebook:
            assert notebook.execute("SELECT count(*) FROM documents").fetchall() == [(2,)]
        with Store(db, read_only=True) as store:
            assert store.query("SELECT count(*) AS n FROM events").to_pylist()[0]["n"] >= 4
        # The server still answers while others have had the file open.
        assert httpx.get(f"{url}/api/events").json()["total"] >= 4
        if token:
            upload = httpx.post(
                f"{url}/api/documents",
                content=UPLOAD,
                headers={"Content-Type": "text/plain", "Authorization": f"Bearer {token}"},
                timeout=120,
            )
            assert upload.status_code == 200, upload.text
            after = _query(db, "SELECT count(*) AS n FROM documents")
            assert after.returncode == 0, after.stderr
            assert json.loads(after.stdout)[0]["n"] == 3
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_network_minimum_events(client: TestClient) -> None:
    edges = client.get("/api/network").json()["edges"]
    assert edges
    most = max(edge["events"] for edge in edges)
    strong = client.get("/api/network", params={"min_events": most}).json()["edges"]
    assert strong and all(edge["events"] == most for edge in strong)
    assert len(strong) == sum(1 for edge in edges if edge["events"] == most)
    assert client.get("/api/network", params={"min_events": most + 1}).json()["edges"] == []
    _error(client.get("/api/network", params={"min_events": 0}), 400, "T801")

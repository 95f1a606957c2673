"""HTTP hardening: security headers on every answer, slow or half-sent requests cut off."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from live_server import free_port, running

from thucydides.api import _HeaderTimeoutProtocol, create_app
from thucydides.settings import Settings
from thucydides.store import Store

TOKEN = "slow-loris-token"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.duckdb"
    Store(path).close()
    return path


def test_every_answer_carries_the_security_headers(db: Path) -> None:
    with TestClient(create_app(Settings(db=str(db), api_token=TOKEN))) as client:
        answers = [
            client.get("/api/health"),
            client.get("/api/events"),
            client.get("/api/no-such-route"),  # 404
            client.get("/api/events", params={"page": 0}),  # 400
            client.post("/api/documents", content=b"x"),  # 401
            client.get("/"),  # the dashboard
            client.get("/static/style.css"),
        ]
        for answer in answers:
            assert answer.headers["x-frame-options"] == "DENY", answer.url
            assert answer.headers["x-content-type-options"] == "nosniff"
            policy = answer.headers["content-security-policy"]
            assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
            assert "frame-ancestors 'none'" in policy
        # The API docs load Swagger UI from its CDN: allowed there and only there.
        docs = client.get("/docs").headers["content-security-policy"]
        assert "cdn.jsdelivr.net" in docs and "frame-ancestors 'none'" in docs


def test_dashboard_pages_need_no_inline_script_or_style(db: Path) -> None:
    # With script-src/style-src 'self', inline <script> or style="" would be blocked.
    with TestClient(create_app(Settings(db=str(db)))) as client:
        for path in ("/", "/events", "/network", "/upload"):
            page = client.get(path)
            assert page.status_code == 200, path
            html = page.text
            assert "<style" not in html and " style=" not in html, path
            for tag in html.split("<script")[1:]:
                assert tag.lstrip().startswith("src="), (path, tag[:80])


@pytest.fixture
def server(db: Path) -> Iterator[int]:
    """A real uvicorn server on a free port, with a one-second request timeout."""
    settings = Settings(db=str(db), api_token=TOKEN, api_request_timeout=1.0)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_keep_alive=1,
        http=_HeaderTimeoutProtocol,
    )  # fmt: skip  (what `thucydides serve` runs: api.serve)
    with running(config):
        yield port


def test_a_half_sent_body_times_out(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(
            b"POST /api/documents HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {TOKEN}\r\n".encode()
            + b"Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly a part"
        )
        started = time.monotonic()
        received = b""
        while chunk := connection.recv(65536):  # until the server closes the connection
            received += chunk
        answer = received.decode()
        waited = time.monotonic() - started
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert "T807" in answer
    assert waited < 5


def test_an_idle_connection_is_closed(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        started = time.monotonic()
        received = b""
        # The answer (perhaps in several segments), then the end: closed by the server, not by
        # our own 10 s timeout, which would raise.
        while chunk := connection.recv(65536):
            received += chunk
        assert received.startswith(b"HTTP/1.1 200")
        assert time.monotonic() - started < 5


def test_half_sent_headers_time_out(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=15) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # never ends
        started = time.monotonic()
        try:
            data = connection.recv(65536)
        except TimeoutError:
            data = b"still open"
        assert time.monotonic() - started < 10
    assert data == b"" or data.startswith(b"HTTP/1.1 408"), data[:100]

"""API uploads: one article is one document however often it is posted; exact copies without a
date are one event; a poison record costs only itself. Real store files, the real coder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from thucydides.api import create_app
from thucydides.cli import app
from thucydides.dedup import DuplicateFinder
from thucydides.settings import Settings
from thucydides.store import Store
from thucydides.types import Document

TOKEN = "upload-token-7"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

DATED = """Finland and Estonia agree on ferry links

By Mari Kask
Baltic Review
May 17, 2022

Finland signed a transport agreement with Estonia in Tallinn on Tuesday.
"""
# No publication date and no date in the text: its events are undated.
UNDATED = "Portugal and Morocco signed a fisheries agreement, the ministry said."
OTHER = "Hungary accused Romania of violating its airspace, the army said."


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    db = tmp_path / "uploads.duckdb"
    with TestClient(create_app(Settings(db=str(db), api_token=TOKEN))) as opened:
        yield opened


def _post(client: TestClient, body: str, media_type: str = "text/plain") -> Any:
    return client.post(
        "/api/documents",
        content=body.encode("utf-8"),
        headers={**AUTH, "Content-Type": media_type},
    )


def _counts(client: TestClient) -> tuple[int, int, list[dict[str, Any]]]:
    """(stored documents, merged events, the merged events)."""
    health = client.get("/api/health").json()
    events = client.get("/api/events", params={"page_size": 500}).json()["items"]
    return health["documents"], health["events"], events


def test_the_same_article_posted_four_times_is_one_document(client: TestClient) -> None:
    answers = [_post(client, DATED)]
    once = _counts(client)
    answers += [_post(client, DATED) for _ in range(3)]
    assert all(a.status_code == 200 for a in answers), answers[0].text
    ids = {tuple(a.json()["doc_ids"]) for a in answers}
    assert len(ids) == 1  # the same id every time, not one per staging file
    documents, events, merged = _counts(client)
    assert documents == 1 and once[1] >= 1
    assert (documents, events, merged) == once
    assert all(e["num_articles"] == 1 for e in merged)
    # Multipart with the same text and no fields: still the same document.
    files = {"file": ("ferry.txt", DATED.encode(), "text/plain")}
    again = client.post("/api/documents", files=files, headers=AUTH)
    assert again.json()["doc_ids"] == answers[0].json()["doc_ids"]
    assert _counts(client)[0] == 1


def test_same_record_twice_in_one_upload_is_one_document(client: TestClient) -> None:
    record = json.dumps({"id": "pm-1", "text": UNDATED})
    answer = _post(client, f"{record}\n{record}\n", "application/x-ndjson")
    assert answer.status_code == 200, answer.text
    assert answer.json()["documents"] == 1
    assert _counts(client)[0] == 1


def test_exact_copies_without_a_date_merge_into_one_event(client: TestClient) -> None:
    lines = [json.dumps({"id": f"copy-{n}", "text": UNDATED}) for n in range(3)]
    answer = _post(client, "\n".join(lines) + "\n", "application/x-ndjson")
    assert answer.status_code == 200, answer.text
    coded = answer.json()["events"]  # each copy's own events
    documents, events, merged = _counts(client)
    assert documents == 3 and coded >= 3 and coded % 3 == 0
    assert all(e["date"] == "" for e in merged)  # undated, as meant
    # One merged event per distinct act, each supported by all three copies.
    assert events == len(merged) == coded // 3
    assert all(e["num_articles"] == 3 and e["num_mentions"] == 3 for e in merged)


def test_undated_different_reports_stay_apart(client: TestClient) -> None:
    first = _post(client, UNDATED)
    second = _post(client, UNDATED.replace("the ministry said", "officials in Rabat said"))
    assert first.status_code == second.status_code == 200
    _, _, merged = _counts(client)
    assert all(e["num_articles"] == 1 for e in merged)


def test_cli_exact_copies_without_a_date_merge_too(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(UNDATED + "\n", encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "*.txt"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        rows = store.query(f"SELECT num_articles FROM ({store.merged_events_sql()})").to_pylist()
        assert store.count("documents") == 2
    assert rows and all(r["num_articles"] == 2 for r in rows)


def test_a_poison_record_costs_only_itself(client: TestClient) -> None:
    good = [json.dumps({"id": f"good-{n}", "text": text}) for n, text in enumerate([DATED, OTHER])]
    # A lone surrogate: valid JSON, not encodable text.
    poison = '{"id": "poison", "text": "Russia attacked Ukraine \\udcff on Monday."}'
    empty = json.dumps({"id": "empty", "text": ""})
    body = "\n".join([good[0], poison, empty, good[1]]) + "\n"
    answer = _post(client, body, "application/x-ndjson")
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert _counts(client)[0] == out["documents"] >= 2
    named = {r["location"] for r in out["rejected"]}
    assert "upload.jsonl:3" in named  # the empty record, by its line
    for r in out["rejected"]:
        assert r["code"].startswith("T") and r["message"]
    # The poison is either stored (a stage coped with it) or named by its line; never a 500.
    assert out["documents"] == 3 or "upload.jsonl:2" in named


def test_the_duplicate_index_is_kept_between_uploads(client: TestClient) -> None:
    first = _post(client, DATED).json()["doc_ids"][0]
    backend = client.app.state.backend  # type: ignore[attr-defined]
    with backend.reader() as store:
        finder = backend.finder(store)
    assert len(finder) == 1
    copy = json.dumps({"id": "copy-of-ferry", "text": DATED})
    second = _post(client, copy + "\n", "application/x-ndjson").json()["doc_ids"][0]
    # The same index, grown by the upload (not read again from the store), still finds copies.
    with backend.reader() as store:
        assert backend.finder(store) is finder and len(finder) == 2
    with backend.reader() as store:
        row = store.query(
            "SELECT duplicate_of, duplicate_kind FROM documents WHERE doc_id = ?", [second]
        ).to_pylist()
    assert row == [{"duplicate_of": first, "duplicate_kind": "exact"}]


def _fail_on_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stage that raises on documents saying XYZZY, as a bug in one would."""
    original = DuplicateFinder.check

    def check(self: DuplicateFinder, document: Document) -> Any:
        if "XYZZY" in document.body:
            raise RuntimeError("the duplicate index met something it cannot handle")
        return original(self, document)

    monkeypatch.setattr(DuplicateFinder, "check", check)


@pytest.mark.parametrize(
    ("body", "media_type", "name"),
    [
        (f"XYZZY {OTHER}", "text/plain", "upload.txt"),
        (f"<html><body><article><p>XYZZY {OTHER}</p></article></body></html>", "text/html",
         "upload.html"),
    ],
)  # fmt: skip
def test_one_article_that_fails_in_the_pipeline_is_a_422_naming_why(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, body: str, media_type: str, name: str
) -> None:
    _fail_on_marker(monkeypatch)
    answer = _post(client, body, media_type)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "T808"
    assert "RuntimeError" in error["message"] and "cannot handle" in error["message"]
    assert error["rejected"] == [
        {"location": name, "code": "T808", "message": error["message"].removeprefix("the upload ")}
    ]
    assert _counts(client)[0] == 0
    # The server goes on: the next upload is stored.
    assert _post(client, OTHER).status_code == 200
    assert _counts(client)[0] == 1

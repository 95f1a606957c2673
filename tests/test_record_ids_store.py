"""The user's own record ids (and source, url, title) survive into every output with a
document column: documents.jsonl, the store, the API and the Spark path's documents Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from thucydides.api import create_app
from thucydides.cli import app
from thucydides.settings import Settings
from thucydides.store import Store

runner = CliRunner()

# Invented records; the ids are the user's, in the user's own scheme.
RECORDS = [
    {
        "id": "j1",
        "source": "Harbour Gazette",
        "url": "https://news.example.org/ports/1",
        "title": "Chile and Peru sign a fishing accord",
        "date": "2023-04-05",
        "text": "Chile and Peru signed a fishing accord in Lima on Tuesday, officials said.",
    },
    {
        "id": 1042,  # a number in JSON: kept as its text
        "text": "Argentina accused Uruguay of polluting the river on Monday, the ministry said.",
    },
]


def _extract(tmp_path: Path, inputs: Path) -> tuple[Path, list[dict[str, object]]]:
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    result = runner.invoke(
        app, ["extract", str(inputs), "--db", str(db), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return db, [json.loads(line) for line in lines]


def test_jsonl_record_ids_reach_documents_jsonl_and_the_store(tmp_path: Path) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    db, docs = _extract(tmp_path, path)
    by_id = {d["record_id"]: d for d in docs}
    assert set(by_id) == {"j1", "1042"}
    first = by_id["j1"]
    assert first["record_source"] == "Harbour Gazette"
    assert first["url"] == "https://news.example.org/ports/1"
    assert first["title"] == "Chile and Peru sign a fishing accord"
    assert by_id["1042"]["record_source"] is None
    # The store: a plain DuckDB user joins on record_id.
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = connection.execute(
            "SELECT record_id, record_source, url FROM documents ORDER BY record_id"
        ).fetchall()
    assert rows == [
        ("1042", None, None),
        ("j1", "Harbour Gazette", "https://news.example.org/ports/1"),
    ]
    with Store(db, read_only=True) as store:
        document = store.get_document(str(first["doc_id"]))
        assert document is not None
        assert (document.record_id, document.record_source) == ("j1", "Harbour Gazette")


def test_csv_record_ids_reach_documents_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=["id", "source", "text"])
        writer.writeheader()
        writer.writerow(
            {
                "id": "row-7",
                "source": "Valley Post",
                "text": "Kenya and Tanzania agreed to reopen the border crossing on Friday.",
            }
        )
    _, docs = _extract(tmp_path, path)
    ((doc),) = docs
    assert (doc["record_id"], doc["record_source"]) == ("row-7", "Valley Post")


def test_plain_files_have_no_record_id(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Ghana and Togo signed a trade agreement in Accra on Monday, officials said.\n",
        encoding="utf-8",
    )
    _, docs = _extract(tmp_path, path)
    ((doc),) = docs
    assert doc["record_id"] is None and doc["record_source"] is None


def test_api_documents_carry_the_record_id(tmp_path: Path) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    db, _ = _extract(tmp_path, path)
    client = TestClient(create_app(Settings(db=db)))
    page = client.get("/api/documents")
    assert page.status_code == 200, page.text
    items = {item["record_id"]: item for item in page.json()["items"]}
    assert set(items) == {"j1", "1042"}
    assert items["j1"]["record_source"] == "Harbour Gazette"
    detail = client.get(f"/api/documents/{items['j1']['doc_id']}")
    assert detail.status_code == 200, detail.text
    assert detail.json()["record_id"] == "j1"

"""A user's own record ids survive: documents.jsonl, the store, the exports and the API carry
them, so our output joins back to the data it came from; GDELT's SOURCEURL never shows a local
path."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from fastapi.testclient import TestClient

from thucydides.api import create_app
from thucydides.export import GDELT_COLUMNS, export_events
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store

ARTICLE_A = (
    "Kenyan police arrested six Somali nationals in Mombasa on Wednesday, officials said. "
    "The arrests followed a raid on a house in the city's old town."
)
ARTICLE_B = (
    "The Norwegian foreign minister met her Finnish counterpart in Oslo on Tuesday to discuss "
    "fisheries. Norway and Finland signed an agreement on border crossings."
)
ARTICLE_C = "Chile accused Peru of violating its airspace on Monday, the defence ministry said."


def _extracted(tmp_path: Path) -> tuple[Settings, Path]:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "wire.jsonl").write_text(
        json.dumps({"id": "j1", "text": ARTICLE_A, "date": "2024-05-10", "source": "Own Wire"})
        + "\n"
        + json.dumps({"id": 42, "text": ARTICLE_B, "date": "2024-05-08"})
        + "\n",
        encoding="utf-8",
    )
    with (inputs / "sheet.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "date", "url"])
        writer.writerow(["c-7", ARTICLE_C, "2024-05-07", ""])
    (inputs / "note.txt").write_text(ARTICLE_C.replace("Chile", "Bolivia"), encoding="utf-8")
    settings = Settings(db=str(tmp_path / "s.duckdb"))
    extract([str(inputs)], settings, ExtractOptions(out_dir=tmp_path / "out"))
    return settings, tmp_path / "out"


def test_record_ids_reach_documents_store_exports_and_api(tmp_path: Path) -> None:
    settings, out = _extracted(tmp_path)
    documents = [json.loads(line) for line in (out / "documents.jsonl").open()]
    by_id = {d["record_id"]: d for d in documents}
    assert set(by_id) == {"j1", "42", "c-7", None}
    assert by_id["j1"]["publisher"] == "Own Wire"

    with Store(settings.db, read_only=True) as store:
        stored = {
            r["record_id"]: r["location"]
            for r in store.query("SELECT record_id, location FROM documents").to_pylist()
        }
        assert set(stored) == {"j1", "42", "c-7", None}
        assert store.get_document(by_id["c-7"]["doc_id"]).record_id == "c-7"  # type: ignore[union-attr]

        export_events(store, "jsonl", tmp_path / "events.jsonl")
        exported = [json.loads(line) for line in (tmp_path / "events.jsonl").open()]
        assert {"j1", "42", "c-7"} <= {e["record_id"] for e in exported}

        export_events(store, "csv", tmp_path / "events.csv")
        with (tmp_path / "events.csv").open(encoding="utf-8") as rows:
            assert {"j1", "42", "c-7"} <= {row["record_id"] for row in csv.DictReader(rows)}

        # Every event (the date and target policy of the GDELT export is not tested here).
        export_events(
            store,
            "gdelt",
            tmp_path / "events.tsv",
            include_coarse_dates=True,
            include_monadic=True,
        )
        urls = {
            line.rstrip("\n").split("\t")[GDELT_COLUMNS.index("SOURCEURL")]
            for line in (tmp_path / "events.tsv").open(encoding="utf-8")
        }
    # No URL was given: the record id, or for a plain file its name, never a local path.
    assert {"j1", "c-7"} <= urls
    assert not any(str(tmp_path) in url or url.startswith("/") for url in urls), urls
    assert "note.txt" in urls

    client = TestClient(create_app(Settings(db=settings.db)))
    items = client.get("/api/documents", params={"page_size": 10}).json()["items"]
    assert {"j1", "42", "c-7"} <= {item["record_id"] for item in items}
    detail = client.get(f"/api/documents/{by_id['j1']['doc_id']}").json()
    assert detail["record_id"] == "j1"

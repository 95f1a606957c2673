"""The whole document pipeline on the bundled example and on small pages of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES

from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def example_run(tmp_path: Path) -> tuple[Path, Settings]:
    settings = Settings(db=str(tmp_path / "store.duckdb"))
    extract([str(EXAMPLES)], settings, ExtractOptions(out_dir=tmp_path / "out"))
    return tmp_path / "out", settings


def test_example_documents_and_rejects(example_run) -> None:
    out, _ = example_run
    documents = {d["location"].split("/")[-1]: d for d in _read_jsonl(out / "documents.jsonl")}
    rejects = _read_jsonl(out / "rejects.jsonl")
    assert sorted((Path(r["location"]).name, r["code"]) for r in rejects) == [
        ("wire-stories.jsonl:3", "T104"),
        ("wire-stories.jsonl:5", "T105"),
    ]
    assert len(documents) == 6
    baltic = documents["2024-05-06-baltic-exercise.txt"]
    assert (
        baltic["title"] == "Estonia and Finland to hold joint naval drills in the Gulf of Finland"
    )
    assert baltic["author"] == "Maria Lindqvist"
    assert baltic["publisher"] == "Nordic Post"
    assert baltic["published"] == "2024-05-06T09:40:00"
    assert baltic["repeated_paragraphs"] == 2
    assert "Share this" not in baltic["body"] and "All rights reserved" not in baltic["body"]

    html = documents["2024-05-07-ceasefire-talks.html"]
    assert html["title"] == "Mediators open ceasefire talks in Doha"
    assert html["publisher"] == "Gulf Courier"
    assert html["published"].startswith("2024-05-07")
    assert "Most read" not in html["body"] and "Sign in" not in html["body"]
    assert "Sudan" in html["body"]

    wire = documents["wire-stories.jsonl:1"]
    copy = documents["wire-stories.jsonl:2"]
    assert wire["duplicate_of"] is None and wire["story_id"] == wire["doc_id"]
    assert copy["duplicate_of"] == wire["doc_id"] and copy["duplicate_kind"] == "near"
    assert copy["story_id"] == wire["doc_id"]
    assert wire["wire_source"] == "Asia Wire" and copy["publisher"] == "Harbour Times"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["near_duplicates"] == 1 and summary["rejected"] == 2


def test_same_input_twice_adds_nothing(example_run, tmp_path: Path) -> None:
    _, settings = example_run
    with Store(settings.db) as store:
        before = store.count("documents")
    second = extract([str(EXAMPLES)], settings)
    assert second.stored == 0 and second.already_stored == before
    with Store(settings.db) as store:
        assert store.count("documents") == before == 6
        assert len(store.runs()) == 2


def test_exact_copy_under_another_name_is_an_exact_duplicate(tmp_path: Path) -> None:
    text = (EXAMPLES / "2024-05-06-baltic-exercise.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("“", '"').replace("”", '"'), encoding="utf-8")
    settings = Settings(db=str(tmp_path / "s.duckdb"))
    summary = extract([str(tmp_path / "*.txt")], settings, ExtractOptions(out_dir=tmp_path))
    docs = _read_jsonl(tmp_path / "documents.jsonl")
    assert summary.exact_duplicates == 1
    assert docs[1]["duplicate_of"] == docs[0]["doc_id"] and docs[1]["similarity"] == 1.0


def test_non_english_document_is_kept_and_flagged(tmp_path: Path) -> None:
    page = tmp_path / "de.txt"
    page.write_text(
        "Die Außenminister Deutschlands und Polens haben sich am Montag in Warschau getroffen. "
        "Sie sprachen über die Lage an der Grenze und über gemeinsame Übungen der Armeen.\n",
        encoding="utf-8",
    )
    summary = extract(
        [str(page)],
        Settings(db=str(tmp_path / "s.duckdb")),
        ExtractOptions(out_dir=tmp_path / "out"),
    )
    (doc,) = _read_jsonl(tmp_path / "out" / "documents.jsonl")
    assert doc["language"] == "de" and "not one of" in doc["skip_reason"]
    assert summary.skipped_language == 1


def test_bad_inputs_are_rejected_and_the_run_goes_on(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "empty.txt").write_bytes(b"")
    (pages / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (pages / "huge.txt").write_bytes(b"a" * (5 * 1024 * 1024))
    (pages / "only-menu.txt").write_text("Home\nShare this article\n-\n", encoding="utf-8")
    (pages / "good.txt").write_text(
        "Brazil and Argentina agreed on Monday to extend their trade pact, officials said.\n",
        encoding="utf-8",
    )
    summary = extract(
        [str(pages), str(pages / "missing.txt")],
        Settings(db=str(tmp_path / "s.duckdb")),
        ExtractOptions(out_dir=tmp_path / "out"),
    )
    rejects = {Path(r["location"]).name: r for r in _read_jsonl(tmp_path / "out" / "rejects.jsonl")}
    assert rejects["empty.txt"]["code"] == "T102"
    assert rejects["binary.txt"]["code"] == "T103"
    assert rejects["huge.txt"]["code"] in {"T107", "T108"}
    assert rejects["only-menu.txt"]["code"] == "T201"
    assert rejects["missing.txt"]["code"] == "T101"
    assert all("\n" not in r["message"] for r in rejects.values())
    assert summary.cleaned == 1 and summary.rejected == 5


def test_own_store_and_output_inside_the_input_are_not_read(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(
        "Kenya and Ethiopia agreed on Tuesday to build a new road link, officials said.\n"
    )
    settings = Settings(db=str(pages / "store.duckdb"))
    extract([str(pages)], settings, ExtractOptions(out_dir=pages / "out"))
    second = extract([str(pages)], settings, ExtractOptions(out_dir=str(pages / "out")))
    assert (second.read, second.rejected, second.already_stored) == (1, 0, 1)

"""The public API is pinned: changing it is a decision, not an accident."""

from __future__ import annotations

import json
import subprocess
import sys

import thucydides

PUBLIC = {
    "__version__", "read", "register_reader", "clean_text", "Cleaner", "extract", "ExtractOptions",
    "DocumentBuilder", "DuplicateFinder", "Store", "Settings", "load_settings", "Document",
    "RawDocument", "Rejection", "RunSummary", "ThucydidesError", "InputError", "Coder", "code",
    "Event", "Actor",
}  # fmt: skip


def test_all_is_pinned_and_every_name_resolves() -> None:
    assert set(thucydides.__all__) == PUBLIC == {"__version__", *thucydides._EXPORTS}
    for name in thucydides.__all__:
        assert getattr(thucydides, name) is not None


def test_import_is_cheap() -> None:
    code = "import sys, thucydides; print('duckdb' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_clean_convenience() -> None:
    result = thucydides.clean_text("Home\nOfficials in Quito said talks with Lima went well.\n")
    assert result.body == "Officials in Quito said talks with Lima went well."


def test_python_api_end_to_end(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """extract(paths), code(text, date) and Store(path) with the analytics, as the README shows."""
    page = tmp_path / "news.jsonl"
    record = {
        "id": "n1",
        "date": "2015-06-10",
        "text": "Chile and Peru signed a border treaty in Lima on Monday, officials said.",
    }
    page.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = str(tmp_path / "news.duckdb")
    summary = thucydides.extract([str(page)], thucydides.load_settings(db=db))
    assert summary.events >= 2
    with thucydides.Store(db) as store:
        series = store.dyad("CHL", "PER").to_pylist()
        assert {row["direction"] for row in series} == {"CHL->PER", "PER->CHL"}
        assert store.top(by="dyad").num_rows >= 2
        assert store.export("jsonl", tmp_path / "events.jsonl") == summary.events
    events = thucydides.code("Chile and Peru signed a border treaty.", "2015-06-10")
    assert {(e.source.country, e.target.country if e.target else None) for e in events} == {
        ("CHL", "PER"),
        ("PER", "CHL"),
    }

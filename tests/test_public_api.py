"""The public API is pinned: changing it is a decision, not an accident."""

from __future__ import annotations

import subprocess
import sys

import thucydides

PUBLIC = {
    "__version__", "read", "register_reader", "clean_text", "Cleaner", "extract", "ExtractOptions",
    "DocumentBuilder", "DuplicateFinder", "Store", "Settings", "load_settings", "Document",
    "RawDocument", "Rejection", "RunSummary", "ThucydidesError", "InputError", "Coder", "Event",
    "Actor",
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

"""Thucydides: political event data from news text.

The public API. Names are imported on first use, so `import thucydides` stays cheap::

    import thucydides
    summary = thucydides.extract(["pages/"], thucydides.load_settings(db="news.duckdb"))
    with thucydides.Store("news.duckdb") as store:
        titles = store.query("SELECT title FROM documents").to_pylist()
        by_month = store.dyad("KOR", "RUS", by="month").to_pandas()
    events = thucydides.code("Chile and Peru signed a border treaty.", "2015-06-10")
    coder = thucydides.Coder()  # loads the spaCy model and the lexicons once
    events = coder.code_text("Chile and Peru signed a border treaty.", "2015-06-10")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "read": ".readers",
    "register_reader": ".readers",
    "clean_text": ".clean",
    "Cleaner": ".clean",
    "extract": ".pipeline",
    "ExtractOptions": ".pipeline",
    "DocumentBuilder": ".pipeline",
    "DuplicateFinder": ".dedup",
    "Store": ".store",
    "Settings": ".settings",
    "load_settings": ".settings",
    "Document": ".types",
    "RawDocument": ".types",
    "Rejection": ".types",
    "RunSummary": ".types",
    "ThucydidesError": ".errors",
    "InputError": ".errors",
    "Coder": ".coder",
    "code": ".coder",
    "Event": ".types",
    "Actor": ".types",
}
__all__ = [
    "Actor", "Cleaner", "Coder", "Document", "DocumentBuilder", "DuplicateFinder", "Event",
    "ExtractOptions", "InputError", "RawDocument", "Rejection", "RunSummary", "Settings", "Store",
    "ThucydidesError", "__version__", "clean_text", "code", "extract", "load_settings", "read",
    "register_reader",
]  # fmt: skip

if TYPE_CHECKING:
    from .clean import Cleaner, clean_text
    from .coder import Coder, code
    from .dedup import DuplicateFinder
    from .errors import InputError, ThucydidesError
    from .pipeline import DocumentBuilder, ExtractOptions, extract
    from .readers import read, register_reader
    from .settings import Settings, load_settings
    from .store import Store
    from .types import Actor, Document, Event, RawDocument, Rejection, RunSummary


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'thucydides' has no attribute {name!r}")

"""HTML page -> main text and metadata. The only module that imports trafilatura.

trafilatura never fetches anything here: we hand it the page we already have.
"""

from __future__ import annotations

import logging

import trafilatura

from .errors import ReadError
from .types import Metadata, RawDocument

# trafilatura logs a warning for every page it finds empty or odd; we report those ourselves
# as rejections, once, with the file name.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def extract_html(raw: RawDocument) -> tuple[str, Metadata]:
    """Main text (one paragraph a line) and page metadata; T106 if the page has no main text."""
    hints = raw.hints
    try:
        result = trafilatura.bare_extraction(
            raw.text,
            url=hints.url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken markup
        raise ReadError(
            raw.location, f"cannot parse the HTML page: {type(exc).__name__}: {exc}", code="T106"
        ) from None
    text = _attr(result, "text") or ""
    if not text.strip():
        # Pages with little markup structure: fall back to all visible text.
        text = trafilatura.html2txt(raw.text) or ""
    if len(text.strip()) < 2 or not any(ch.isalpha() for ch in text):
        raise ReadError(raw.location, "no main text found in the HTML page", code="T106")
    metadata = Metadata(
        title=_attr(result, "title") or hints.title,
        publisher=_attr(result, "sitename") or hints.publisher,
        author=_attr(result, "author"),
        published=hints.date or _attr(result, "date"),
        url=hints.url or _attr(result, "url"),
    )
    return text, metadata


def _attr(result: object, name: str) -> str | None:
    value = getattr(result, name, None) if result is not None else None
    return str(value) if value else None

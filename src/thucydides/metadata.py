"""Document metadata: title, publisher, author, wire source, publication date, language, URL.

Evidence comes from three places, most trusted first: what the container said (JSONL/CSV fields,
WARC target URI), what the HTML page said (trafilatura), and what the cleaner found in the text
(title line, byline, date line, footers, signature). A byline or footer naming a news outlet
("By Korea Herald", "Articles by Korea Herald") gives the publisher; one naming a person gives
the author. A wire credit ("(Yonhap News)" closing the story, "SEOUL (Reuters) -" opening it)
gives the wire source.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .dates import parse_date_hint
from .lexicon import load_table
from .types import CleanText, Hints, Metadata

# Words that make a credited name an outlet rather than a person.
_OUTLET_WORDS = re.compile(
    r"\b(?:news|herald|times|post|daily|ilbo|shimbun|press|agency|journal|tribune|gazette|"
    r"telegraph|observer|guardian|chronicle|mail|express|review|weekly|wire|broadcasting|"
    r"television|tv|radio|network|media|magazine|newspaper|online|dispatch|courier|standard|"
    r"reporter|bulletin|sun|star|mirror|record|inquirer|examiner|monitor|insider)\b",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PERSON_NAME = re.compile(r"(?:[A-Z\u00c0-\u00de][\w'’.\-]*\s+){0,4}[A-Z\u00c0-\u00de][\w'’\-]*")
_CLOSING_CREDIT = re.compile(r"\((?P<name>[A-Z][\w.&'’ \-/]{1,40})\)\s*$")
_TRAILING_CREDIT = re.compile(r"^[-–—]+\s*(?P<name>[A-Z][\w.&'’ \-/]{1,40})$")
_OPENING_CREDIT = re.compile(
    r"^[A-Z][A-Z .'’\-]{1,40}(?:,\s*[^()]{1,40}?)?\s*\((?P<name>[A-Z][\w.&'’ \-/]{1,40})\)"
    r"\s*(?:-{1,2}|–|—|:)"
)


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    kind: str  # agency, newspaper, broadcaster, magazine, online
    country: str
    domains: tuple[str, ...]


class PublisherLexicon:
    """News outlets and wire agencies from lexicons/publishers.tsv (plus a user's overlay)."""

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        columns = ("name", "kind", "country", "domains", "aliases")
        for row in load_table("publishers.tsv", columns, lexicon_dir):
            values = row.values
            domains = tuple(d.strip().lower() for d in values["domains"].split(",") if d.strip())
            outlet = Outlet(values["name"], values["kind"], values["country"], domains)
            names = [values["name"], *values["aliases"].split(",")]
            for name in names:
                if name.strip():
                    self._by_name[_name_key(name)] = outlet
            for domain in domains:
                self._by_domain[domain] = outlet

    def find(self, name: str) -> Outlet | None:
        return self._by_name.get(_name_key(name))

    def by_url(self, url: str | None) -> Outlet | None:
        if not url:
            return None
        host = (urlsplit(url).hostname or "").lower()
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2]
        return None

    def is_outlet(self, name: str) -> bool:
        return self.find(name) is not None or bool(_OUTLET_WORDS.search(name))

    def is_wire(self, name: str) -> bool:
        outlet = self.find(name)
        if outlet is not None:
            return outlet.kind == "agency"
        return bool(re.search(r"\b(?:news|agency|wire|press)\b", name, re.I))


def _name_key(name: str) -> str:
    key = re.sub(r"[`'’]", "'", name.casefold()).strip()
    return re.sub(r"^the\s+", "", re.sub(r"\s+", " ", key))


@functools.cache
def _language_identifier() -> Any:
    """py3langid's model, loaded once per process: it is read-only, and loading it (0.6 s)
    for every DocumentBuilder made each API upload pay for it again."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


class LanguageDetector:
    """py3langid over the start of the body. The model loads on first use (about half a
    second), so runs that never ask pay nothing."""

    def __init__(self, min_probability: float = 0.5, sample_chars: int = 1000) -> None:
        self.min_probability = min_probability
        self.sample_chars = sample_chars
        self._identifier: Any = None  # py3langid.LanguageIdentifier, untyped

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code, or None when the text is too short or mixed to tell."""
        sample = text[: self.sample_chars]
        if len(sample.split()) < 3 and not re.search(r"[^\x00-\u024f]{4}", sample):
            return None
        if self._identifier is None:
            self._identifier = _language_identifier()
        language, probability = self._identifier.classify(sample)
        return str(language) if float(probability) >= self.min_probability else None


class MetadataExtractor:
    """Combines container hints, HTML metadata and the cleaner's findings into Metadata."""

    def __init__(self, publishers: PublisherLexicon, languages: LanguageDetector) -> None:
        self.publishers = publishers
        self.languages = languages

    def extract(self, clean: CleanText, hints: Hints, page: Metadata | None = None) -> Metadata:
        page = page or Metadata()
        url = hints.url or page.url
        publisher_candidates: list[str | None] = [hints.publisher, page.publisher]
        author_candidates: list[str | None] = [page.author]

        # Bylines and footers: outlets are publishers, people are authors.
        credited = [clean.byline, *clean.footer_names] if clean.byline else list(clean.footer_names)
        for name in credited:
            if not name:
                continue
            people, outlets = self._split_credit(name)
            publisher_candidates.extend(outlets)
            if people:
                author_candidates.append(people)
        author_candidates.append(self._signature_name(clean.author_line))
        by_url = self.publishers.by_url(url)
        publisher_candidates.append(by_url.name if by_url else None)

        return Metadata(
            title=_first(hints.title, page.title, clean.title_line),
            publisher=_first(*publisher_candidates),
            author=_first(*author_candidates),
            wire_source=self.wire_source(clean),
            published=_published(hints.date, page.published, clean.date_line),
            language=self.languages.detect(clean.body),
            url=url,
        )

    def _split_credit(self, name: str) -> tuple[str | None, list[str]]:
        """Split a credit into people and outlets.

        "John Smith, Reuters" -> ("John Smith", ["Reuters"]); "Korea Herald" -> (None, [...]).
        """
        parts = [part.strip() for part in re.split(r"\s*[,|/]\s*", name) if part.strip()]
        outlets = [part for part in parts if self.publishers.is_outlet(part)]
        people = [part for part in parts if part not in outlets]
        return (", ".join(people) or None), outlets

    def _signature_name(self, line: str | None) -> str | None:
        """ "Kim Ki-Hyun kimkihy@donga.com" -> "Kim Ki-Hyun"."""
        if not line:
            return None
        text = _EMAIL.sub(" ", line)
        text = re.sub(r"\b(?:e-?mail|by|contact|reporter|writer)\b\s*:?", " ", text, flags=re.I)
        text = re.sub(r"[()\[\]<>|:,;]", " ", text)
        text = " ".join(text.split())
        if not text or not _PERSON_NAME.fullmatch(text) or self.publishers.is_outlet(text):
            return None
        return text

    def wire_source(self, clean: CleanText) -> str | None:
        paragraphs = [clean.body[p.start : p.end] for p in clean.paragraphs]
        if not paragraphs:
            return None
        candidates = []
        for pattern, paragraph in (
            (_CLOSING_CREDIT, paragraphs[-1]),
            (_TRAILING_CREDIT, paragraphs[-1]),
            (_OPENING_CREDIT, paragraphs[0]),
        ):
            match = pattern.search(paragraph)
            if match:
                candidates.append(match.group("name").strip())
        for name in candidates:
            if self.publishers.is_wire(name):
                return name
        return None


def _first(*values: str | None) -> str | None:
    for value in values:
        if value and value.strip():
            return value.strip()
    return None


def _published(*texts: str | None) -> str | None:
    """The first date found, upgraded with a time from a later source that agrees on the day."""
    parsed = [value for value in map(parse_date_hint, texts) if value is not None]
    if not parsed:
        return None
    best = parsed[0]
    if best.hour is None:
        for other in parsed[1:]:
            if other.day == best.day and other.hour is not None:
                best = other
                break
    return best.iso()

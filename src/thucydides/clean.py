"""Clean an already-extracted text page: keep the story, drop the page around it.

What goes: navigation and language-switch lines, bylines (also when glued to their date, as in
"By Korea HeraldPublished : March 12, 2012 - 13:55"), date lines, "Articles by ..." footers,
signature lines with e-mail addresses, lone punctuation, and paragraphs the page repeats.
What changes: typographic apostrophes and quotes (curly, backtick) become plain ones, odd spaces
become one space, hard-wrapped lines of one paragraph are joined.

Every character of the clean body keeps a link to the raw text (OffsetMap), so that offsets we
report later point into what the user gave us. The lines removed are kept for inspection, and
the byline, date line, footer names and signature are handed to `metadata`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_datetime
from .errors import LexiconError
from .lexicon import load_table
from .types import CleanText, OffsetMap, Segment, Span

PARAGRAPH_SEPARATOR = "\n\n"

# Typographic characters and their plain replacements. Two-character sequences first.
_REPLACEMENTS: dict[str, str] = {
    "``": '"', "''": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "`": "'", "\u00b4": "'",
    "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
}  # fmt: skip
_SPACE = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# A run of spaces and invisible characters becomes one plain space (or nothing, if it holds no
# space); a single plain space is left alone, so most text is copied through untouched.
_SPECIAL = re.compile(
    r"``|''|[\u2018\u2019\u201a\u201b`\u00b4\u2032\u201c\u201d\u201e\u201f\u2033]"
    rf"|[{_SPACE}{_INVISIBLE}]{{2,}}|[{_SPACE.replace(' ', '')}{_INVISIBLE}]"
)
_HAS_SPACE = re.compile(rf"[{_SPACE}]")
_STRIP_CHARS = (
    " \t\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u202f\u205f\u3000\ufeff\u200b"
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HAS_WORD_CHAR = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NAME_WORD = (
    r"(?:[A-Z\u00c0-\u00de][\w.'’\-]*"
    r"|and|&|de|da|del|della|der|den|van|von|bin|ibn|al|el|la|le|du|dos|of|the|in)"
)
# Case matters for the name (capitalised words), not for the keywords around it.
_BYLINE = re.compile(
    rf"(?i:by)\s+(?P<name>{_NAME_WORD}(?:[ ,/|]+{_NAME_WORD}){{0,9}}?)"
    r"\s*[,|/\-–—]?\s*(?P<date>(?i:published|posted|updated|first\s+published|date)\b.*|"
    r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}.*|"
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}.*)?"
)
_TERMINAL = re.compile(r"[.!?:;\"'”’)\]…]$")
_TITLE_BAD_END = re.compile(r"[.,;:]$")


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    kind: str
    pattern: re.Pattern[str]
    location: str  # file:line of the rule, for debugging a surprising removal


def load_boilerplate_rules(lexicon_dir: str | Path | None = None) -> list[BoilerplateRule]:
    rules = []
    for row in load_table("boilerplate.tsv", ("kind", "pattern", "note"), lexicon_dir):
        try:
            pattern = re.compile(row.values["pattern"], re.I)
        except re.error as exc:
            raise LexiconError(f"{row.location}: bad regular expression: {exc}") from None
        rules.append(BoilerplateRule(row.values["kind"], pattern, row.location))
    return rules


def normalise_typography(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Plain quotes and spaces; returns the text and (clean_start, clean_end, raw_start, raw_end)
    segments relative to the input. Stretches of equal length are merged into one segment."""
    out: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    clean_pos = 0

    def add(piece: str, raw_start: int, raw_end: int) -> None:
        nonlocal clean_pos
        end = clean_pos + len(piece)
        if segments:
            cs, ce, rs, re_ = segments[-1]
            if (
                ce == clean_pos
                and re_ == raw_start
                and ce - cs == re_ - rs
                and len(piece) == raw_end - raw_start
            ):
                segments[-1] = (cs, end, rs, raw_end)
                out.append(piece)
                clean_pos = end
                return
        if piece or raw_end > raw_start:
            segments.append((clean_pos, end, raw_start, raw_end))
        out.append(piece)
        clean_pos = end

    last = 0
    for match in _SPECIAL.finditer(text):
        if match.start() > last:
            add(text[last : match.start()], last, match.start())
        found = match.group()
        replacement = _REPLACEMENTS.get(found) or (" " if _HAS_SPACE.search(found) else "")
        add(replacement, match.start(), match.end())
        last = match.end()
    if last < len(text):
        add(text[last:], last, len(text))
    return "".join(out), segments


def paragraph_key(text: str) -> str:
    """What two paragraphs must share to count as the same paragraph."""
    return " ".join(text.casefold().split())


@dataclass(slots=True)
class _Line:
    start: int  # raw offsets of the stripped line
    end: int
    text: str  # stripped raw text
    block: int  # index of the blank-line separated block it belongs to
    number: int  # index of the line in the raw text


@dataclass(slots=True)
class _Paragraph:
    text: str
    segments: list[tuple[int, int, int, int]]  # relative to text, absolute raw offsets
    lines: int = 1  # raw lines joined into it


class Cleaner:
    """Turns a raw text page into a CleanText. Holds its boilerplate rules; no other state."""

    def __init__(self, rules: Sequence[BoilerplateRule] | None = None) -> None:
        self.rules = list(rules) if rules is not None else load_boilerplate_rules()

    def clean(
        self, raw: str, *, detect_title: bool = True, title_hint: str | None = None
    ) -> CleanText:
        lines = _split_lines(raw)
        latin_page = _mostly_latin(raw)
        removed: list[str] = []
        footer_names: list[str] = []
        emails: list[str] = []
        byline: str | None = None
        date_line: str | None = None
        author_line: str | None = None
        title_line: str | None = None
        content: list[_Line] = []

        for line in lines:
            text = line.text
            kind = self._boilerplate_kind(text, footer_names)
            if kind is None and not _HAS_WORD_CHAR.search(text):
                kind = "punctuation"
            if kind is None and latin_page and len(text) <= 30 and not _LATIN_LETTER.search(text):
                kind = "language"  # "한국어", "日本語": a language switch on an English page
            if kind is None and len(text) <= 200:
                match = _BYLINE.fullmatch(text)
                glued_date = match.group("date") if match else None
                if glued_date and parse_datetime(glued_date) is None:
                    match = None  # "By Tuesday, March 12, 2012 the troops ..." is a sentence
                if match and (byline is None or not content):
                    byline = byline or match.group("name").strip(" ,|/")
                    if glued_date and date_line is None:
                        date_line = glued_date
                    kind = "byline"
            if kind is None and parse_datetime(text) is not None:
                date_line = date_line or text
                kind = "date"
            if kind is None and len(text.split()) <= 12:
                found = _EMAIL.findall(text)
                if found:
                    emails.extend(found)
                    author_line = author_line or text
                    kind = "signature"
            if kind is not None:
                removed.append(text)
                continue
            content.append(line)

        paragraphs = _join_wrapped(content)
        # The title is a first paragraph of one line: the one the container named (TITLE_HINT),
        # or, with no hint and DETECT_TITLE, a short line that does not read as a sentence.
        if (
            paragraphs
            and paragraphs[0].lines == 1
            and _is_title(content[0].text, title_hint, detect_title)
        ):
            title_line = content[0].text
            removed.append(title_line)
            paragraphs.pop(0)
        kept: list[_Paragraph] = []
        seen: set[str] = set()
        repeated = 0
        for paragraph in paragraphs:
            key = paragraph_key(paragraph.text)
            if key in seen:
                repeated += 1
                continue
            seen.add(key)
            kept.append(paragraph)

        body, spans, offset_map = _assemble(kept)
        return CleanText(
            body=body,
            paragraphs=tuple(spans),
            offset_map=offset_map,
            title_line=title_line,
            byline=byline,
            date_line=date_line,
            footer_names=tuple(footer_names),
            emails=tuple(emails),
            author_line=author_line,
            removed_lines=tuple(removed),
            repeated_paragraphs=repeated,
        )

    def _boilerplate_kind(self, text: str, footer_names: list[str]) -> str | None:
        if len(text) > 300:  # rules describe short lines; skip the regex work on paragraphs
            return None
        for rule in self.rules:
            match = rule.pattern.fullmatch(text)
            if match:
                name = match.groupdict().get("name")
                if name:
                    footer_names.append(name.strip())
                return rule.kind
        return None


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    previous_blank = True
    position = 0
    for number, piece in enumerate(raw.splitlines(keepends=True)):
        content = piece.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        stripped = content.strip(_STRIP_CHARS)
        if not stripped:
            if not previous_blank:
                block += 1
            previous_blank = True
        else:
            lead = len(content) - len(content.lstrip(_STRIP_CHARS))
            start = position + lead
            lines.append(_Line(start, start + len(stripped), stripped, block, number))
            previous_blank = False
        position += len(piece)
    return lines


def _mostly_latin(raw: str) -> bool:
    sample = raw[:5_000]
    letters = len(_LETTER.findall(sample))
    return letters == 0 or len(_LATIN_LETTER.findall(sample)) / letters >= 0.6


def _is_title(text: str, hint: str | None, detect: bool) -> bool:
    if hint:
        return paragraph_key(normalise_typography(text)[0]) == paragraph_key(
            normalise_typography(hint)[0]
        )
    words = text.split()
    return (
        detect
        and len(text) <= 250
        and 2 <= len(words) <= 35
        and not _TITLE_BAD_END.search(text)
        and (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘")
    )


def _join_wrapped(lines: list[_Line]) -> list[_Paragraph]:
    """One paragraph per line, except hard-wrapped lines of one block, which are joined."""
    widest: dict[int, int] = {}
    for line in lines:
        widest[line.block] = max(widest.get(line.block, 0), len(line.text))
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    previous: _Line | None = None
    for line in lines:
        text, segments = normalise_typography(line.text)
        segments = [(cs, ce, rs + line.start, re_ + line.start) for cs, ce, rs, re_ in segments]
        if (
            current is not None
            and previous is not None
            and _continues(previous, line, widest[line.block])
        ):
            offset = len(current.text) + 1
            current.segments.append((offset - 1, offset, previous.end, line.start))
            current.segments.extend(
                (cs + offset, ce + offset, rs, re_) for cs, ce, rs, re_ in segments
            )
            current.text += " " + text
            current.lines += 1
        else:
            current = _Paragraph(text, segments)
            paragraphs.append(current)
        previous = line
    return paragraphs


def _continues(previous: _Line, line: _Line, block_width: int) -> bool:
    """Is LINE the rest of PREVIOUS's paragraph, cut by a hard wrap?"""
    if line.number != previous.number + 1 or _TERMINAL.search(previous.text):
        return False
    if line.text[0].islower():
        return True
    # A capitalised next line continues only where the page is wrapped at a fixed width:
    # the line before it is about as wide as the widest line of its block.
    return line.text[0].isalnum() and len(previous.text) >= max(40, 0.75 * block_width)


def _assemble(paragraphs: list[_Paragraph]) -> tuple[str, list[Span], OffsetMap]:
    pieces: list[str] = []
    spans: list[Span] = []
    segments: list[Segment] = []
    position = 0
    for index, paragraph in enumerate(paragraphs):
        if index:
            # The separator stands for the gap between paragraphs; it maps to no raw text.
            anchor = segments[-1].raw_end if segments else 0
            segments.append(Segment(position, position + len(PARAGRAPH_SEPARATOR), anchor, anchor))
            pieces.append(PARAGRAPH_SEPARATOR)
            position += len(PARAGRAPH_SEPARATOR)
        spans.append(Span(position, position + len(paragraph.text)))
        segments.extend(
            Segment(cs + position, ce + position, rs, re_) for cs, ce, rs, re_ in paragraph.segments
        )
        pieces.append(paragraph.text)
        position += len(paragraph.text)
    return "".join(pieces), spans, OffsetMap(tuple(segments))


def clean_text(raw: str, *, title_hint: str | None = None) -> CleanText:
    """Clean one text page with the packaged rules (a convenience over Cleaner().clean)."""
    return Cleaner().clean(raw, title_hint=title_hint)

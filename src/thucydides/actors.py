"""Actor lexicons: which words stand for which country, organisation, sector or office holder.

- CountryLexicon reads lexicons/countries.tsv: names, short forms, demonyms, capitals and seats.
- OrganizationLexicon reads organizations.tsv: IGOs, NGOs, companies, state bodies, armed groups.
- AgentLexicon reads agents.tsv: words that give a sector ("riot police" -> COP).
- OfficeHolderLexicon reads office_holders.tsv: people and the dates they held office.
- OrgHeadLexicon reads org_heads.tsv: head nouns that make a phrase an organisation ("the firm").
- ActorLexicon bundles the five and finds their names in a sentence's tokens.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from .errors import LexiconError
from .lexicon import LexiconRow, load_table

COUNTRY_COLUMNS = ("code", "name", "names", "demonyms", "capital", "seats")


@dataclass(frozen=True, slots=True)
class CountryMatch:
    code: str  # ISO 3166-1 alpha-3
    kind: str  # name, demonym, capital or seat: a capital or seat stands for the government
    entry: str  # lexicon row ("countries.tsv:42"), for provenance


class CountryLexicon:
    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self._index: dict[str, CountryMatch] = {}
        for row in load_table("countries.tsv", COUNTRY_COLUMNS, lexicon_dir):
            values = row.values
            forms = [
                ("name", [values["name"], *values["names"].split("|")]),
                ("demonym", values["demonyms"].split("|")),
                ("capital", [values["capital"]]),
                ("seat", values["seats"].split("|")),
            ]
            for kind, texts in forms:
                for text in texts:
                    key = _key(text)
                    if not key:
                        continue
                    # In the packaged table the first claim on a form wins ("Washington" is
                    # the capital before it is a seat); a user's row always takes a form over.
                    if key not in self._index or not row.packaged:
                        self._index[key] = CountryMatch(values["code"], kind, row.location)

    def lookup(self, text: str) -> CountryMatch | None:
        """The country a mention stands for: "S. Korea", "North Korean", "Seoul", "the Kremlin"."""
        return self._index.get(_key(text))


def _key(text: str) -> str:
    text = " ".join(text.replace("’", "'").split())
    return text[4:] if text.lower().startswith("the ") else text


# --- shared vocabulary -----------------------------------------------------------------------

# CAMEO agent codes a lexicon row may give as its sector (documented in agents.tsv's header).
SECTORS: dict[str, str] = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police and security forces",
    "JUD": "judiciary",
    "LEG": "legislature",
    "SPY": "intelligence",
    "PTY": "political party",
    "OPP": "opposition",
    "REB": "rebels",
    "INS": "insurgents",
    "SEP": "separatists",
    "UAF": "unaligned armed forces",
    "PKO": "peacekeepers",
    "CVL": "civilians",
    "REF": "refugees",
    "LAB": "labour",
    "BUS": "business",
    "MED": "media",
    "EDU": "education",
    "HLH": "health",
    "AGR": "agriculture",
    "ENV": "environment",
    "HRI": "human rights",
    "DEV": "development and aid",
    "REL": "religion",
    "CRM": "criminals",
    "ELI": "elites",
    "SET": "settlers",
}
ORGANIZATION_KINDS: dict[str, str] = {
    "IGO": "intergovernmental organisation",
    "NGO": "non-governmental organisation",
    "MNC": "multinational company",
    "NSA": "non-state armed or political group",
    "STA": "state body of one country",
}
ORGANIZATION_COLUMNS = ("code", "kind", "name", "aliases", "country", "sector", "note")
AGENT_COLUMNS = ("phrase", "sector", "role", "person", "note")
HAND_SOURCE = "thucydides"  # the `source` of our own rows in a lexicon with that column
OFFICE_HOLDER_COLUMNS = (
    "name", "aliases", "country", "organization", "sector", "role", "start", "end", "note",
)  # fmt: skip

_ISO3 = re.compile(r"[A-Z]{3}")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
# Hyphens and apostrophes glue to their neighbours, so "Il - Chul" and "Il-Chul", "People 's" and
# "People's" give one key; a comma or full stop glues to the word before it.
_GLUE = re.compile(r"\s*([-'])\s*")
_BEFORE_PUNCT = re.compile(r"\s+([,.])")
_PIECE = re.compile(r"\w+(?:\.\w+)*\.?|[^\w\s]")
_PLAIN = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d"})


def _canon(text: str) -> str:
    text = " ".join(text.translate(_APOSTROPHES).split())
    return _BEFORE_PUNCT.sub(r"\1", _GLUE.sub(r"\1", text))


def _org_key(text: str) -> str:
    text = _canon(text)
    return text[4:] if text[:4].lower() == "the " else text


def _person_key(text: str) -> str:
    """Case, accents, hyphens and full stops do not matter: "Kim Il-chol" = "kim il chol"."""
    if text.isascii():  # most names: nothing to decompose (start-up keys ~100,000 of them)
        text = text.replace("`", "'").casefold()
    else:
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).translate(_PLAIN))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(text.replace("-", " ").replace(".", " ").split())


def _first_piece(text: str) -> str:
    found = _PIECE.match(text)
    return found.group(0) if found else text


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _optional(value: str) -> str | None:
    return value or None


def _check_sector(row: LexiconRow, value: str, *, required: bool) -> None:
    if not value and not required:
        return
    if value not in SECTORS:
        raise LexiconError(f"{row.location}: sector {value!r} is not one of {', '.join(SECTORS)}")


def _check_country(row: LexiconRow, value: str) -> None:
    if value and not _ISO3.fullmatch(value):
        raise LexiconError(f"{row.location}: country {value!r} is not an ISO-3 code like KOR")


def _overlay(rows: Iterable[LexiconRow], key: Callable[[LexiconRow], Hashable]) -> list[LexiconRow]:
    """Rows by key. A key repeated inside one file is an error; a user's row replaces ours."""
    merged: dict[Hashable, LexiconRow] = {}
    for row in rows:
        k = key(row)
        earlier = merged.get(k)
        if earlier is not None and earlier.packaged == row.packaged:
            raise LexiconError(f"{row.location}: repeats the row at {earlier.location}")
        merged[k] = row
    return list(merged.values())


# --- organisations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrganizationMatch:
    code: str  # "NATO", "UNSC"
    kind: str  # IGO, NGO, MNC, NSA or STA
    name: str  # the usual English name
    country: str | None  # ISO-3 for national groups and bodies; None for IGOs
    sector: str | None  # the sector its people take (REB for an armed group), if any
    entry: str  # "organizations.tsv:31"


class OrganizationLexicon:
    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        rows = load_table("organizations.tsv", ORGANIZATION_COLUMNS, lexicon_dir)
        self._index: dict[str, OrganizationMatch] = {}
        for row in _overlay(rows, lambda row: row.values["code"]):
            v = row.values
            if not v["code"] or not v["name"]:
                raise LexiconError(f"{row.location}: code and name must not be empty")
            if v["kind"] not in ORGANIZATION_KINDS:
                raise LexiconError(
                    f"{row.location}: kind {v['kind']!r} is not one of "
                    f"{', '.join(ORGANIZATION_KINDS)}"
                )
            _check_country(row, v["country"])
            _check_sector(row, v["sector"], required=False)
            match = OrganizationMatch(
                v["code"], v["kind"], v["name"], _optional(v["country"]),
                _optional(v["sector"]), row.location,
            )  # fmt: skip
            for form in [v["name"], *_split(v["aliases"])]:
                key = _org_key(form)
                # As for countries: the first packaged claim on a name wins; a user's row takes
                # a name over.
                if key and (key not in self._index or not row.packaged):
                    self._index[key] = match

    def lookup(self, text: str) -> OrganizationMatch | None:
        """The organisation a name stands for: "the U.N. Security Council", "NATO", "Hamas"."""
        return self._index.get(_org_key(text))

    def forms(self) -> dict[str, OrganizationMatch]:
        """Every name and alias (as keys: whitespace-normalised, no leading "the")."""
        return dict(self._index)


# --- agents ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgentMatch:
    phrase: str  # the lexicon phrase ("defense minister")
    sector: str  # MIL
    role: str | None  # normalised office ("defense minister"), None for groups
    person: bool  # the phrase (in the singular) names one person's office
    entry: str  # "agents.tsv:57"


_WORD = re.compile(r"'s\b|[\w.]+|[^\w\s]")


def _phrase_variants(phrase: str) -> set[tuple[str, ...]]:
    """spaCy's tokens for a phrase: "vice-president" is vice - president; also vice president."""
    words = tuple(_WORD.findall(phrase.lower().translate(_APOSTROPHES)))
    variants = {words, tuple(word for word in words if word != "-")}
    variants.add(tuple(" ".join(words).replace(" - ", "-").split()))
    return {variant for variant in variants if variant}


def _fold(word: str) -> str:
    """A crude singular, used on both sides, for callers who pass word forms, not lemmas."""
    if len(word) <= 3 or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


class AgentLexicon:
    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        rows = load_table("agents.tsv", AGENT_COLUMNS, lexicon_dir)
        self._exact: dict[tuple[str, ...], AgentMatch] = {}
        self._folded: dict[tuple[str, ...], AgentMatch] = {}
        for row in _overlay(rows, lambda row: " ".join(row.values["phrase"].lower().split())):
            v = row.values
            phrase = " ".join(v["phrase"].lower().split())
            if not phrase:
                raise LexiconError(f"{row.location}: empty phrase")
            _check_sector(row, v["sector"], required=True)
            if v["person"] not in ("yes", "no"):
                raise LexiconError(f"{row.location}: person must be yes or no, not {v['person']!r}")
            match = AgentMatch(
                phrase, v["sector"], _optional(v["role"]), v["person"] == "yes", row.location
            )
            for words in _phrase_variants(phrase):
                # An exact phrase is never shadowed: "mps" (lemma of "MPs") is not folded "mp".
                if words not in self._exact or not row.packaged:
                    self._exact[words] = match
                folded = tuple(_fold(word) for word in words)
                if folded not in self._folded or not row.packaged:
                    self._folded[folded] = match
        self._longest = max((len(words) for words in self._exact), default=0)
        # Words that can start a phrase, folded: most tokens are not one, and are dismissed fast.
        self._first_words = frozenset(
            _fold(word) for words in (*self._exact, *self._folded) for word in words[:1]
        )

    def lookup(self, lemmas: Sequence[str]) -> AgentMatch | None:
        """The agent a whole lemma sequence names: ["riot", "police"] -> COP."""
        words = tuple(lemma.lower() for lemma in lemmas)
        return self._lookup(words)

    def _lookup(self, words: tuple[str, ...]) -> AgentMatch | None:
        found = self._exact.get(words)
        if found is None:
            found = self._folded.get(tuple(_fold(word) for word in words))
        if found is None and "-" in words[1:-1]:  # "vice - president" as "vice president"
            found = self._lookup(tuple(word for word in words if word != "-"))
        return found

    def longest_at(self, lemmas: Sequence[str], i: int) -> tuple[AgentMatch, int] | None:
        """The longest phrase starting at lemmas[i], and its length in lemmas."""
        if i >= len(lemmas) or _fold(lemmas[i].lower()) not in self._first_words:
            return None
        words = tuple(lemma.lower() for lemma in lemmas[i : i + self._longest])
        for n in range(len(words), 0, -1):
            found = self._lookup(words[:n])
            if found is not None:
                return found, n
        return None


# --- organisation head nouns ------------------------------------------------------------------

ORG_HEAD_COLUMNS = ("phrase", "sector", "note")


@dataclass(frozen=True, slots=True)
class OrgHeadMatch:
    phrase: str  # the lexicon phrase ("stock market")
    sector: str | None  # BUS, LAB ...; None when the word says only "an organisation"
    entry: str  # "org_heads.tsv:12"


class OrgHeadLexicon:
    """Head nouns that make a noun phrase an organisation, with the sector they give."""

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        rows = load_table("org_heads.tsv", ORG_HEAD_COLUMNS, lexicon_dir)
        self._index: dict[tuple[str, ...], OrgHeadMatch] = {}
        for row in _overlay(rows, lambda row: " ".join(row.values["phrase"].lower().split())):
            words = tuple(_fold(word) for word in row.values["phrase"].lower().split())
            if not words:
                raise LexiconError(f"{row.location}: empty phrase")
            _check_sector(row, row.values["sector"], required=False)
            self._index[words] = OrgHeadMatch(
                " ".join(words), _optional(row.values["sector"]), row.location
            )
        self._longest = max((len(words) for words in self._index), default=0)
        self._heads = frozenset(words[-1] for words in self._index)

    def lookup(self, lemmas: Sequence[str]) -> OrgHeadMatch | None:
        """The longest phrase ending with the last of LEMMAS (the head): ["stock", "market"]."""
        words = tuple(_fold(lemma.lower()) for lemma in lemmas)
        for n in range(min(len(words), self._longest), 0, -1):
            found = self._index.get(words[len(words) - n :])
            if found is not None:
                return found
        return None

    def __contains__(self, word: str) -> bool:
        """Is WORD (a word form or lemma) the head of some phrase?"""
        return _fold(word.lower()) in self._heads


# --- office holders ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfficeHolderMatch:
    name: str  # the row's full name ("Vladimir Putin")
    country: str | None  # ISO-3; None for officers of an international organisation
    sector: str  # GOV, MIL ...
    role: str  # "president", "defense minister" ...
    # First and last day in office; from a YYYY-MM or YYYY date, the first or last day of that
    # month or year. end is None while in office.
    start: date
    end: date | None
    entry: str  # "office_holders.tsv:120"
    organization: str | None = None  # organizations.tsv code ("EU", "UNO") for its officers
    # Where the row came from: "thucydides" (or "" in a file without the column) for our own
    # rows, "petrarch2:FILE:LINE" for rows of the PETRARCH-2 dictionaries.
    source: str = ""

    def in_office(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    @property
    def hand(self) -> bool:
        """One of our own rows (not imported from a dictionary)."""
        return self.source in ("", HAND_SOURCE)


def _parse_date(row: LexiconRow, column: str, *, last: bool) -> date | None:
    text = row.values[column]
    if not text:
        return None
    try:
        parts = [int(part) for part in text.split("-")]
        if len(parts) == 3 and len(text) == 10:
            return date(*parts)
        if len(parts) == 2 and len(text) == 7:
            day = calendar.monthrange(parts[0], parts[1])[1] if last else 1
            return date(parts[0], parts[1], day)
        if len(parts) == 1 and len(text) == 4:
            return date(parts[0], 12, 31) if last else date(parts[0], 1, 1)
    except ValueError:
        pass
    raise LexiconError(
        f"{row.location}: {column} {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    )


def _pick(candidates: Sequence[OfficeHolderMatch], on: date | None) -> OfficeHolderMatch:
    if on is None:  # the latest: in office now, else the one that ended last
        return max(candidates, key=lambda m: (m.end or date.max, m.start))
    current = [m for m in candidates if m.in_office(on)]
    if current:  # a new appointment overlapping the old one's last day wins; ours win ties
        return max(current, key=lambda m: (m.start, m.hand))

    def distance(m: OfficeHolderMatch) -> int:
        if on < m.start:
            return (m.start - on).days
        return (on - (m.end or on)).days

    # A former president is still of his country: the nearest term in time.
    return min(candidates, key=lambda m: (distance(m), -m.start.toordinal()))


class OfficeHolderLexicon:
    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        rows = load_table("office_holders.tsv", OFFICE_HOLDER_COLUMNS, lexicon_dir)
        self._index: dict[str, list[OfficeHolderMatch]] = {}
        self._forms: list[str] = []

        def row_key(row: LexiconRow) -> Hashable:
            v = row.values
            return (_person_key(v["name"]), v["country"], v["role"].lower(), v["start"])

        for row in _overlay(rows, row_key):
            v = row.values
            if not v["name"] or not v["role"]:
                raise LexiconError(f"{row.location}: name and role must not be empty")
            if not v["country"] and not v["organization"]:
                raise LexiconError(f"{row.location}: give a country or an organization")
            _check_country(row, v["country"])
            _check_sector(row, v["sector"], required=True)
            start = _parse_date(row, "start", last=False)
            if start is None:
                raise LexiconError(f"{row.location}: start must not be empty")
            end = _parse_date(row, "end", last=True)
            if end is not None and end < start:
                raise LexiconError(f"{row.location}: end {v['end']} is before start {v['start']}")
            match = OfficeHolderMatch(
                v["name"], _optional(v["country"]), v["sector"], v["role"].lower(), start, end,
                row.location, _optional(v["organization"]), v.get("source", ""),
            )  # fmt: skip
            forms = [v["name"], *_split(v["aliases"])]
            self._forms.extend(forms)
            for key in {_person_key(form) for form in forms}:
                if key:
                    self._index.setdefault(key, []).append(match)

    def lookup(
        self, name: str, on: date | None = None, countries: Iterable[str] = ()
    ) -> OfficeHolderMatch | None:
        """The office a name held on a date: in office then, else the nearest term in time;
        with no date, the latest.

        Our own rows speak for a person from the first day they cover on: the dictionaries'
        rows end around 2015, and their open-ended terms ("in office from 2009") would
        otherwise outlive the office. Before that day the imported rows tell the person's
        earlier career. A name several people share (a surname alias, a common full name) is
        the one of the latest of COUNTRIES (the document's countries so far, latest last) that
        any of them is of; without such a country, the date decides among them all."""
        candidates = self._index.get(_person_key(name))
        if not candidates:
            return None
        named = list(countries)
        if named and len({(m.name, m.country, m.organization) for m in candidates}) > 1:
            for country in reversed(named):
                ours = [m for m in candidates if m.country == country]
                if ours:
                    candidates = ours
                    break
        hand = [m for m in candidates if m.hand]
        ours_speak = on is None or (hand and on >= min(m.start for m in hand))
        if hand and len(hand) < len(candidates) and ours_speak:
            candidates = hand
        return _pick(candidates, on)

    def forms(self) -> list[str]:
        """Every name and alias as written in the lexicon."""
        return list(self._forms)

    def terms(self, name: str) -> list[OfficeHolderMatch]:
        """Every row for NAME (one per office and term), in file order."""
        return list(self._index.get(_person_key(name), ()))


# --- all of them, and names in a sentence ------------------------------------------------------

PhraseKind = Literal["country", "organization", "person"]


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    start_token: int  # first token
    end_token: int  # one past the last token
    kind: PhraseKind
    match: CountryMatch | OrganizationMatch | OfficeHolderMatch


# A country form written with "the" whose rest is one of these words needs its article in running
# text: "the South" is South Korea, "South" alone is not.
_NEEDS_ARTICLE = frozenset({"South", "North", "East", "West", "Emirates", "Valley"})
# Name particles that may start a name in lower case ("de Klerk", "von der Leyen").
_PARTICLES = frozenset({"de", "da", "di", "del", "van", "von", "al", "el", "le", "la", "bin", "zu"})
_POSSESSIVE = frozenset({"'s", "'", "’s", "’"})


class ActorLexicon:
    """The five actor lexicons, plus a scan of a sentence's tokens for their names."""

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self.countries = CountryLexicon(lexicon_dir)
        self.organizations = OrganizationLexicon(lexicon_dir)
        self.agents = AgentLexicon(lexicon_dir)
        self.office_holders = OfficeHolderLexicon(lexicon_dir)
        self.org_heads = OrgHeadLexicon(lexicon_dir)
        # Names as written (case-sensitive): canonical key -> (kind, match); organisations win
        # over countries on the same key. Indexed by first piece, with the most pieces a name has.
        self._names: dict[str, tuple[PhraseKind, CountryMatch | OrganizationMatch]] = {}
        self._name_len: dict[str, int] = {}
        for form in self._country_forms(lexicon_dir):
            match = self.countries.lookup(form)
            if match is None:
                continue
            key = _canon(form)
            if key[:4].lower() == "the ":
                key = "the " + key[4:]
                rest = key[4:]
                if " " in rest or rest not in _NEEDS_ARTICLE:
                    self._add_name(rest, "country", match)
            self._add_name(key, "country", match)
        for key, organization in self.organizations.forms().items():
            self._add_name(_canon(key), "organization", organization)
        # People (case-insensitive keys): first word -> most words.
        self._person_len: dict[str, int] = {}
        self._person_pairs: set[tuple[str, str]] = set()  # the first two words of each key
        for form in self.office_holders.forms():
            key = _person_key(form)
            if key:
                parts = key.split()
                first, pieces = parts[0], len(_PIECE.findall(_canon(form)))
                self._person_len[first] = max(self._person_len.get(first, 0), pieces)
                if len(parts) > 1:
                    self._person_pairs.add((parts[0], parts[1]))

    @staticmethod
    def _country_forms(lexicon_dir: str | Path | None) -> list[str]:
        forms: list[str] = []  # the forms CountryLexicon read, with their "the" kept
        for row in load_table("countries.tsv", COUNTRY_COLUMNS, lexicon_dir):
            v = row.values
            for cell in (v["name"], v["names"], v["demonyms"], v["capital"], v["seats"]):
                forms.extend(_split(cell))
        return forms

    def _add_name(
        self, key: str, kind: PhraseKind, match: CountryMatch | OrganizationMatch
    ) -> None:
        if not key or (kind == "country" and key in self._names):
            return
        self._names[key] = (kind, match)
        first = _first_piece(key)
        self._name_len[first] = max(self._name_len.get(first, 0), len(_PIECE.findall(key)))

    def phrase_matches(
        self, words: Sequence[str], on: date | None = None, countries: Sequence[str] = ()
    ) -> list[PhraseMatch]:
        """Country, organisation and office-holder names in a sentence's token texts: the
        longest match from the left, no overlaps. ON picks an office holder's term, COUNTRIES
        (the document's, latest last) among people who share a name."""
        found: list[PhraseMatch] = []
        i = 0
        while i < len(words):
            match = self._longest_at(words, i, on, countries)
            if match is None:
                i += 1
                continue
            found.append(match)
            i = match.end_token
        return found

    def _longest_at(
        self, words: Sequence[str], i: int, on: date | None, countries: Sequence[str] = ()
    ) -> PhraseMatch | None:
        best: PhraseMatch | None = None
        first = _first_piece(words[i])
        first = "the" if first == "The" else first  # "The Kremlin said"
        longest = self._name_len.get(first, 0)
        for n in range(min(longest, len(words) - i), 0, -1):
            if words[i + n - 1] in _POSSESSIVE:
                continue
            key = _canon(" ".join(words[i : i + n]))
            hit = self._names.get("the " + key[4:] if key.startswith("The ") else key)
            if hit is not None:
                best = PhraseMatch(i, i + n, hit[0], hit[1])
                break
        first = words[i]
        if not first[:1].isupper() and first not in _PARTICLES:
            return best
        first_key = _person_key(first).split(" ")
        longest = self._person_len.get(first_key[0], 0)
        if longest > 1 and len(first_key) == 1 and i + 1 < len(words):
            # Most capitalised words start some name of the imported layer: a name of two or
            # more words needs its second word to follow one of them ("Kim Kwan-jin").
            second = _person_key(words[i + 1]).split(" ")[0]
            if second and (first_key[0], second) not in self._person_pairs:
                longest = 1
        for n in range(min(longest, len(words) - i), 0, -1):
            if best is not None and n < best.end_token - best.start_token:
                break  # an organisation or country of this length or longer was found
            if words[i + n - 1] in _POSSESSIVE:
                continue
            text = _canon(" ".join(words[i : i + n]))
            if not text.rsplit(" ", 1)[-1][:1].isupper():  # "Lee Myung-bak", not "Abe said"
                continue
            person = self.office_holders.lookup(text, on, countries)
            if person is not None:
                if best is None or n > best.end_token - best.start_token or best.kind == "country":
                    best = PhraseMatch(i, i + n, "person", person)
                break
        return best

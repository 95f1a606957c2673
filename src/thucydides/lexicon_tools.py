"""Looking after lexicon directories: check one, look a name up, count rows, find unknown names.

- `check_lexicon_dir`: what would stop the coder loading a `--lexicon-dir` (bad headers, stray
  tabs, unknown codes, bad dates, repeated keys) and what would make it code wrongly (one alias
  for two actors, a name that is also a country or an organisation, names that are common
  words), each with file and line. Unlike loading, it reads on after the first problem.
- `lookup_name`: what the coder's actor lexicons make of a name, and from which row.
- `lexicon_stats`: rows and names per file, packaged and the directory's.
- `unresolved_names`: the most frequent actor-like names in a store's documents (PERSON, ORG,
  NORP, GPE entities and capitalised subjects of trigger verbs) that code to no actor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .actors import (
    AGENT_COLUMNS,
    COUNTRY_COLUMNS,
    HAND_SOURCE,
    OFFICE_HOLDER_COLUMNS,
    ORGANIZATION_COLUMNS,
    ORGANIZATION_KINDS,
    SECTORS,
    ActorLexicon,
    CountryMatch,
    OfficeHolderMatch,
    OrganizationMatch,
    _canon,
    _person_key,
)
from .coder.candidates import TRIGGER_COLUMNS, TriggerLexicon
from .codes import CAMEO_COLUMNS
from .errors import LexiconError
from .lexicon import load_table

if TYPE_CHECKING:
    from .coder import Coder
    from .store import Store
    from .types import Document, Sentence

Severity = Literal["error", "warning"]

# The lexicon files the coder reads, and the columns it needs in each.
LEXICON_FILES: dict[str, tuple[str, ...]] = {
    "triggers.tsv": TRIGGER_COLUMNS,
    "countries.tsv": COUNTRY_COLUMNS,
    "organizations.tsv": ORGANIZATION_COLUMNS,
    "office_holders.tsv": OFFICE_HOLDER_COLUMNS,
    "agents.tsv": AGENT_COLUMNS,
    "cameo.tsv": CAMEO_COLUMNS,
    "off_topic.tsv": ("word", "topic"),
    "evaluations.tsv": ("lemma", "polarity"),
    "places.tsv": ("name", "aliases", "country", "latitude", "longitude", "geonames_id", "feature"),
    "publishers.tsv": ("name", "kind", "country", "domains", "aliases"),
    "boilerplate.tsv": ("kind", "pattern", "note"),
}
_ISO3 = re.compile(r"[A-Z]{3}")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class Finding:
    location: str  # "DIR/organizations.tsv:12"
    severity: Severity  # error: the coder refuses the directory; warning: it codes wrongly
    kind: str  # short class: "unknown code", "duplicate alias", "collision", "bad date" ...
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.kind}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Row:
    location: str
    line: int
    values: dict[str, str]


def _read(path: Path, columns: Sequence[str], findings: list[Finding]) -> list[_Row]:
    """The rows of a lexicon file, as lexicon.load_table reads them, but reporting every bad
    line instead of stopping at the first."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        findings.append(Finding(str(path), "error", "encoding", f"not UTF-8 ({exc.reason})"))
        return []
    header: list[str] | None = None
    rows: list[_Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        location = f"{path}:{number}"
        if header is None:
            header = [cell.strip() for cell in cells]
            missing = [name for name in columns if name not in header]
            if missing:
                findings.append(
                    Finding(location, "error", "header", f"lacks column(s) {', '.join(missing)}")
                )
                return []
            continue
        if len(cells) > len(header):
            findings.append(
                Finding(location, "error", "stray tab", f"{len(cells)} cells for {len(header)}")
            )
            continue
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        rows.append(_Row(location, number, values))
    return rows


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _common_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    months = "january february march april may june july august september october november"
    return frozenset(STOP_WORDS) | frozenset((months + " december").split())


def _packaged_values(name: str, columns: Sequence[str]) -> list[tuple[str, dict[str, str]]]:
    return [(row.location, row.values) for row in load_table(name, columns)]


def check_lexicon_dir(lexicon_dir: str | Path) -> list[Finding]:
    """Everything wrong with the lexicon files in LEXICON_DIR, in file and line order."""
    root = Path(lexicon_dir)
    if not root.is_dir():
        raise LexiconError(f"{root}: not a directory")
    findings: list[Finding] = []
    tables: dict[str, list[_Row]] = {}
    for path in sorted(root.glob("*.tsv")):
        columns = LEXICON_FILES.get(path.name)
        if columns is None:
            findings.append(
                Finding(str(path), "warning", "unknown file", "not a lexicon file the coder reads")
            )
            continue
        tables[path.name] = _read(path, columns, findings)

    known_countries = {values["code"] for _, values in _packaged_values("countries.tsv", ("code",))}
    known_countries |= {row.values["code"] for row in tables.get("countries.tsv", [])}
    known_orgs = {v["code"] for _, v in _packaged_values("organizations.tsv", ("code",))}
    known_orgs |= {row.values["code"] for row in tables.get("organizations.tsv", [])}
    cameo = {v["code"] for _, v in _packaged_values("cameo.tsv", ("code",))}
    cameo |= {row.values["code"] for row in tables.get("cameo.tsv", [])}

    def add(row: _Row, severity: Severity, kind: str, message: str) -> None:
        findings.append(Finding(row.location, severity, kind, message))

    def country(row: _Row, value: str) -> None:
        if not value:
            return
        if not _ISO3.fullmatch(value):
            add(row, "error", "bad code", f"country {value!r} is not an ISO-3 code like KOR")
        elif value not in known_countries:
            add(row, "warning", "unknown code", f"country {value} is in no countries.tsv")

    def sector(row: _Row, value: str, *, required: bool) -> None:
        if (value or required) and value not in SECTORS:
            add(row, "error", "unknown code", f"sector {value!r} is not one of ours")

    def repeated(rows: Iterable[_Row], key: str, describe: str) -> None:
        first: dict[str, _Row] = {}
        for row in rows:
            value = row.values[key]
            k = " ".join(value.lower().split()) if key == "phrase" else value
            if k in first:
                add(
                    row,
                    "error",
                    "repeated key",
                    f"{describe} {value!r} repeats line {first[k].line}",
                )
            else:
                first[k] = row

    for row in tables.get("triggers.tsv", []):
        v = row.values
        if v["pos"] not in {"verb", "noun"} or not v["lemma"]:
            add(row, "error", "bad row", "needs pos verb or noun and a lemma")
        if not v["cameo"].isdigit():
            add(row, "error", "bad code", f"cameo {v['cameo']!r} is not digits")
        elif v["cameo"] not in cameo:
            add(row, "warning", "unknown code", f"CAMEO code {v['cameo']} is in no cameo.tsv")
        if v["negated"] and v["negated"] not in cameo:
            add(row, "warning", "unknown code", f"negated code {v['negated']} is in no cameo.tsv")
        if len(v["lemma"].split()) > 1 or len(v["particle"].split()) > 1:
            add(row, "warning", "never matches", "lemma and particle are one word each")
    seen_rules: dict[tuple[str, str, str, str], _Row] = {}
    for row in tables.get("triggers.tsv", []):
        v = row.values
        rule = (v["pos"], v["lemma"].lower(), v["particle"].lower(), v["object"])
        if rule in seen_rules:
            add(
                row,
                "warning",
                "duplicate",
                f"same word and conditions as line {seen_rules[rule].line}: this row replaces it",
            )
        else:
            seen_rules[rule] = row

    for row in tables.get("organizations.tsv", []):
        v = row.values
        if not v["code"] or not v["name"]:
            add(row, "error", "bad row", "code and name must not be empty")
        if v["kind"] not in ORGANIZATION_KINDS:
            add(row, "error", "unknown code", f"kind {v['kind']!r} is not one of ours")
        country(row, v["country"])
        sector(row, v["sector"], required=False)
    repeated(tables.get("organizations.tsv", []), "code", "code")

    for row in tables.get("agents.tsv", []):
        v = row.values
        if not v["phrase"]:
            add(row, "error", "bad row", "empty phrase")
        sector(row, v["sector"], required=True)
        if v["person"] not in ("yes", "no"):
            add(row, "error", "bad row", f"person must be yes or no, not {v['person']!r}")
    repeated(tables.get("agents.tsv", []), "phrase", "phrase")

    holder_keys: dict[tuple[str, str, str, str], _Row] = {}
    for row in tables.get("office_holders.tsv", []):
        v = row.values
        if not v["name"] or not v["role"]:
            add(row, "error", "bad row", "name and role must not be empty")
        if not v["country"] and not v["organization"]:
            add(row, "error", "bad row", "give a country or an organization")
        country(row, v["country"])
        sector(row, v["sector"], required=True)
        if v["organization"] and v["organization"] not in known_orgs:
            add(
                row,
                "warning",
                "unknown code",
                f"organization {v['organization']} is in no organizations.tsv (coded IGO)",
            )
        start, end = _date_of(row, "start", findings), _date_of(row, "end", findings)
        if not v["start"]:
            add(row, "error", "bad date", "start must not be empty")
        if start and end and end < start:
            add(row, "error", "bad date", f"end {v['end']} is before start {v['start']}")
        key = (_person_key(v["name"]), v["country"], v["role"].lower(), v["start"])
        if key in holder_keys:
            add(
                row,
                "error",
                "repeated key",
                f"same name, country, role and start as line {holder_keys[key].line}",
            )
        else:
            holder_keys[key] = row

    for row in tables.get("countries.tsv", []):
        country(row, row.values["code"])

    findings.extend(_collisions(tables))
    return sorted(findings, key=_finding_order)


def _finding_order(finding: Finding) -> tuple[str, int]:
    path, _, line = finding.location.rpartition(":")
    return (path, int(line)) if line.isdigit() else (finding.location, 0)


def _date_of(row: _Row, column: str, findings: list[Finding]) -> date | None:
    text = row.values[column]
    if not text:
        return None
    if _DATE.fullmatch(text):
        parts = [int(p) for p in text.split("-")]
        try:
            month, day = ([*parts[1:], 1, 1])[:2]
            return date(parts[0], month, day)
        except ValueError:
            pass
    findings.append(
        Finding(
            row.location,
            "error",
            "bad date",
            f"{column} {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY",
        )
    )
    return None


def _collisions(tables: dict[str, list[_Row]]) -> list[Finding]:
    """Names of the directory's rows that another actor also claims (in the directory or the
    packaged lexicons), and one-word names that are common words."""
    # key (case-folded, as a person's) -> [(location, meaning, from the directory)]
    claims: dict[str, list[tuple[str, str, bool]]] = {}
    risky: set[tuple[str, str, str]] = set()  # (key, location, meaning) of common-word forms
    common = _common_words()

    def claim(form: str, location: str, meaning: str, user: bool) -> None:
        key = _person_key(_canon(form))
        if key.startswith("the "):
            key = key[4:]
        if not key:
            return
        entry = (location, meaning, user)
        found = claims.setdefault(key, [])
        if entry not in found:
            found.append(entry)
        # Countries and organisations match case-sensitively: "US" is not "us", but "Who" is
        # "who" at the start of a sentence. People match whatever the case.
        bare = form[4:] if form[:4].lower() == "the " else form
        written_as_word = not bare.isupper() or meaning.startswith("person")
        if user and " " not in key and key in common and written_as_word:
            risky.add((key, location, meaning))

    def countries(rows: Iterable[tuple[str, dict[str, str]]], user: bool) -> None:
        for location, v in rows:
            for cell in ("name", "names", "demonyms", "capital", "seats"):
                for form in _split(v.get(cell, "")):
                    claim(form, location, f"country {v['code']}", user)

    def organizations(rows: Iterable[tuple[str, dict[str, str]]], user: bool) -> None:
        for location, v in rows:
            for form in [v["name"], *_split(v["aliases"])]:
                claim(form, location, f"organisation {v['code']}", user)

    def holders(rows: Iterable[tuple[str, dict[str, str]]], user: bool) -> None:
        for location, v in rows:
            meaning = f"person {v['name']} ({v['country'] or v['organization']})"
            for form in [v["name"], *_split(v["aliases"])]:
                claim(form, location, meaning, user)

    countries(_packaged_values("countries.tsv", COUNTRY_COLUMNS), False)
    organizations(_packaged_values("organizations.tsv", ORGANIZATION_COLUMNS), False)
    holders(_packaged_values("office_holders.tsv", OFFICE_HOLDER_COLUMNS), False)
    countries(((r.location, r.values) for r in tables.get("countries.tsv", [])), True)
    organizations(((r.location, r.values) for r in tables.get("organizations.tsv", [])), True)
    holders(((r.location, r.values) for r in tables.get("office_holders.tsv", [])), True)

    findings = [
        Finding(location, "warning", "common word", f"{key!r} ({meaning}) is a common word")
        for key, location, meaning in sorted(risky)
    ]
    for key, found in claims.items():
        mine = [c for c in found if c[2]]
        if not mine:
            continue
        meanings = list(dict.fromkeys(meaning for _, meaning, _ in found))
        if len(meanings) < 2:
            continue
        # One warning per directory row, naming the first other claim.
        for location, meaning, _ in mine:
            other = next(c for c in found if c[1] != meaning)
            kind = "duplicate alias" if other[1].split()[0] == meaning.split()[0] else "collision"
            findings.append(
                Finding(
                    location,
                    "warning",
                    kind,
                    f"{key!r} is {meaning} here and {other[1]} at {other[0]}"
                    + (f" (+{len(meanings) - 2} more)" if len(meanings) > 2 else ""),
                )
            )
    return findings


# --- lookup --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LookupResult:
    how: str  # "phrase" (as the coder scans a sentence) or "country", "organisation" ...
    text: str  # the words matched
    code: str  # the actor code it gives ("AFGGOV", "IGOUNO")
    detail: str  # what the row says
    entry: str  # file and line of the row
    # The row's `source` cell: "thucydides" for our own rows (also a packaged file without the
    # column), "petrarch2:FILE:LINE" for an imported base-layer row, a user file's own value
    # ("CAMEO.2.0.txt:718" from `lexicon import`), "" for a user's row without one.
    source: str = ""


class _Sources:
    """The `source` cell of lexicon rows named by their entry ("countries.tsv:42" for a packaged
    row, "DIR/countries.tsv:42" for a user's), each file read once when first asked about."""

    def __init__(self) -> None:
        self._files: dict[str, dict[int, str]] = {}

    def __call__(self, entry: str) -> str:
        where, _, line = entry.rpartition(":")
        if not line.isdigit() or "+" in entry:
            return ""  # not one row ("coref", "countries.tsv:3+agents.tsv:9")
        if where not in self._files:
            self._files[where] = self._read(where)
        return self._files[where].get(int(line), "")

    @staticmethod
    def _read(where: str) -> dict[int, str]:
        packaged = "/" not in where and "\\" not in where
        if packaged:
            path = resources.files("thucydides").joinpath("lexicons", where)
            if not path.is_file():
                return {}
            text = path.read_text(encoding="utf-8")
        else:
            try:
                text = Path(where).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return {}
        out: dict[int, str] = {}
        column: int | None = None
        header = False
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            if not header:
                header = True
                column = cells.index("source") if "source" in cells else None
                continue
            value = cells[column] if column is not None and column < len(cells) else ""
            out[number] = value or (HAND_SOURCE if packaged else "")
        return out


_WORDS = re.compile(r"'s\b|[^\s,;:()\"']+(?:'[^\s,;:()\"']+)*|[,;:()]")


def _words(name: str) -> list[str]:
    return _WORDS.findall(name.replace("’", "'"))


def _describe(match: CountryMatch | OrganizationMatch | OfficeHolderMatch) -> tuple[str, str]:
    if isinstance(match, CountryMatch):
        return match.code + ("GOV" if match.kind in {"capital", "seat"} else ""), match.kind
    if isinstance(match, OrganizationMatch):
        # As mentions.py codes them: a national body by its country and sector, a national
        # armed group and an international one by kind and code.
        if match.country and match.kind != "NSA":
            code = f"{match.country}{match.sector or ''}"
        else:
            code = f"{match.kind}{match.code}"
        return code, f"{match.kind} {match.name}" + (f" ({match.country})" if match.country else "")
    where = match.country or match.organization or "?"
    code = f"{match.country}{match.sector}" if match.country else f"IGO{match.organization}"
    term = f"{match.start.isoformat()}..{match.end.isoformat() if match.end else ''}"
    return code, f"{match.name}, {match.role} of {where} {term}"


def lookup_name(name: str, lexicons: ActorLexicon, on: date | None = None) -> list[LookupResult]:
    """What the actor lexicons make of NAME (on ON, for office holders): the names the coder's
    sentence scan finds in it, then each lexicon's own reading of the whole name; each with
    the file, line and `source` of the row it comes from."""
    results: list[LookupResult] = []
    source = _Sources()
    words = _words(name)
    for match in lexicons.phrase_matches(words, on):
        code, detail = _describe(match.match)
        text = " ".join(words[match.start_token : match.end_token])
        results.append(
            LookupResult(
                "phrase",
                text,
                code,
                f"{match.kind}: {detail}",
                match.match.entry,
                source(match.match.entry),
            )
        )
    country = lexicons.countries.lookup(name)
    if country is not None:
        code, detail = _describe(country)
        results.append(
            LookupResult("country", name, code, detail, country.entry, source(country.entry))
        )
    organization = lexicons.organizations.lookup(name)
    if organization is not None:
        code, detail = _describe(organization)
        results.append(
            LookupResult(
                "organisation", name, code, detail, organization.entry, source(organization.entry)
            )
        )
    terms = lexicons.office_holders.terms(name)
    chosen = lexicons.office_holders.lookup(name, on)
    for term in terms:
        code, detail = _describe(term)
        how = "person (chosen)" if term is chosen else "person"
        results.append(
            LookupResult(how, name, code, detail, term.entry, term.source or source(term.entry))
        )
    agent = lexicons.agents.lookup([w.lower() for w in words])
    if agent is not None:
        detail = f"sector {agent.sector}" + (f", office {agent.role}" if agent.role else "")
        results.append(
            LookupResult(
                "agent", name, f"---{agent.sector}", detail, agent.entry, source(agent.entry)
            )
        )
    return results


# --- stats ---------------------------------------------------------------------------------


@dataclass
class LexiconStats:
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # file -> (packaged, dir)
    triggers_by_root: Counter[str] = field(default_factory=Counter)  # as loaded (both)
    trigger_lemmas: int = 0
    organizations_by_kind: Counter[str] = field(default_factory=Counter)
    agents_by_sector: Counter[str] = field(default_factory=Counter)
    office_holder_names: int = 0
    off_topic_by_topic: Counter[str] = field(default_factory=Counter)


def lexicon_stats(lexicon_dir: str | Path | None = None) -> LexiconStats:
    """Rows per lexicon file (packaged, and LEXICON_DIR's), and what the coder loads from them."""
    stats = LexiconStats()
    packaged = resources.files("thucydides").joinpath("lexicons")
    for name, columns in LEXICON_FILES.items():
        if not packaged.joinpath(name).is_file():
            continue
        rows = load_table(name, columns[:1], lexicon_dir)
        ours = sum(1 for row in rows if row.packaged)
        stats.files[name] = (ours, len(rows) - ours)
    triggers = TriggerLexicon(lexicon_dir)
    for rules in triggers.rules.values():
        for rule in rules:
            stats.triggers_by_root[rule.cameo[:2]] += 1
    stats.trigger_lemmas = len(triggers.lemmas)
    for row in load_table("organizations.tsv", ORGANIZATION_COLUMNS, lexicon_dir):
        stats.organizations_by_kind[row.values["kind"]] += 1
    for row in load_table("agents.tsv", AGENT_COLUMNS, lexicon_dir):
        stats.agents_by_sector[row.values["sector"]] += 1
    stats.office_holder_names = len(
        {
            _person_key(row.values["name"])
            for row in load_table("office_holders.tsv", OFFICE_HOLDER_COLUMNS, lexicon_dir)
        }
    )
    for row in load_table("off_topic.tsv", ("word", "topic"), lexicon_dir):
        stats.off_topic_by_topic[row.values["topic"]] += 1
    return stats


# --- unresolved names ----------------------------------------------------------------------

ACTOR_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


@dataclass
class UnresolvedName:
    name: str
    count: int = 0
    labels: Counter[str] = field(default_factory=Counter)  # PERSON ... or "subject"
    example: str = ""  # a sentence it occurs in
    doc_id: str = ""


def unresolved_names(
    store: Store, coder: Coder, *, limit_docs: int | None = None, top: int = 50
) -> list[UnresolvedName]:
    """The TOP names in STORE's documents (at most LIMIT_DOCS of them) that look like actors but
    that CODER codes to no actor: PERSON, ORG, NORP and GPE entities, and capitalised subjects of
    trigger verbs. Each with how often it occurs and an example sentence."""
    from .coder.coreference import main_subject
    from .coder.mentions import DocumentContext

    found: dict[str, UnresolvedName] = {}
    for document, sentences in _parsed(store, coder, limit_docs):
        context: DocumentContext = coder.context_for(document)
        for sentence in sentences:
            actors = coder.events.mentions.analyse(sentence, context)
            tokens = sentence.tokens
            heads: dict[int, str] = {}
            for entity in sentence.entities:
                if entity.label not in ACTOR_ENTITY_LABELS:
                    continue
                inside = [i for i, t in enumerate(tokens) if entity.start <= t.start < entity.end]
                if inside:
                    head = next(
                        (i for i in inside if tokens[i].head not in inside or tokens[i].head == i),
                        inside[-1],
                    )
                    heads.setdefault(head, entity.label)
            for i, token in enumerate(tokens):
                if (
                    token.dep in {"nsubj", "nsubjpass"}
                    and token.text[:1].isupper()
                    and token.pos in {"PROPN", "NOUN"}
                    and coder.triggers.candidates(tokens[token.head])
                ):
                    heads.setdefault(i, "subject")
            for head, label in heads.items():
                mention = actors.mention(head)
                if (
                    mention is not None
                    and any(a.country or a.organization for a in mention.actors)
                    # An organisation given only the story's country is still unknown.
                    and not (
                        mention.names
                        and all("rule:story-country" in a.entry for a in mention.actors)
                    )
                ):
                    continue
                text, _, _ = actors.span_text(actors.phrase_tokens(head))
                key = _display_key(text)
                if not key:
                    continue
                item = found.setdefault(key, UnresolvedName(key))
                item.count += 1
                item.labels[label] += 1
                if not item.example:
                    item.example, item.doc_id = sentence.text.strip(), document.doc_id
            context.remember(actors.mentions_in(range(len(tokens))))
            context.last_subject = main_subject(actors)
    ranked = sorted(found.values(), key=lambda u: (-u.count, u.name))
    return ranked[:top]


def _display_key(text: str) -> str:
    text = " ".join(text.split())
    for article in ("the ", "The "):
        if text.startswith(article):
            text = text[len(article) :]
    return text.removesuffix("'s").removesuffix("’s").strip()


def _parsed(
    store: Store, coder: Coder, limit_docs: int | None
) -> Iterator[tuple[Document, list[Sentence]]]:
    documents = (
        d for d in store.iter_documents() if d.duplicate_of is None and d.skip_reason is None
    )
    count = 0
    for document, sentences in coder.parser.parse_many(documents):
        if isinstance(sentences, Exception):
            continue
        yield document, sentences
        count += 1
        if limit_docs is not None and count >= limit_docs:
            return

"""PETRARCH-2 dictionaries -> our lexicon files (a directory for `--lexicon-dir`).

`import_petrarch` reads a directory of PETRARCH-2 dictionaries (dictionaries.py) and writes
triggers.tsv, countries.tsv, organizations.tsv, office_holders.tsv, agents.tsv and off_topic.tsv
with the packaged files' columns and header, plus a `source` column naming the dictionary line
each row came from, and the dictionaries' MIT licence notice. What cannot be said in our formats
is refused and counted by reason; nothing is guessed silently:

- verb patterns become trigger rows (lemma, particle, object words, target preposition, code)
  for every verb of their block. Refused: conditions on the subject (words before the verb), a
  source or compound actor after the verb, skipped words (^), two prepositional phrases (our
  rows have one particle; an "(OF ...)" phrase that qualifies a noun is kept as object words),
  null and reverse-only codes, codes cameo.tsv lacks.
- actor records with date restrictions become office-holder rows, one per code and period (a
  default code is a row from 0001-01-01, which a dated row in office wins over, as in
  PETRARCH); records with a plain country code add names to that country; the rest (state
  bodies, international and non-state groups, companies) become organisation rows.
- agents become agents.tsv rows (sector = the code's first part; religion codes are REL).
- discards become off_topic.tsv rows of the topic "discard" (our off-topic test needs several
  such words in a document; PETRARCH drops a sentence on one).

Names are written in title case ("HAMID_KARZAI_" -> "Hamid Karzai"): our country and
organisation names are matched case-sensitively, so a short name is also given in capitals
("Nato" and "NATO"). Single-word names that are common English words ("May", "Who") are refused.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from .actors import (
    AGENT_COLUMNS,
    COUNTRY_COLUMNS,
    OFFICE_HOLDER_COLUMNS,
    ORGANIZATION_COLUMNS,
    SECTORS,
)
from .actors import _person_key as _person_key  # the office-holder lexicon's own name key
from .coder.candidates import TRIGGER_COLUMNS, TriggerLexicon
from .coder.modality import INTENT_VERBS, SPEECH_VERBS
from .coder.speech import STATEMENT_VERBS
from .codes import CameoTable
from .dictionaries import (
    ActorCode,
    ActorDictionary,
    ActorEntry,
    AgentDictionary,
    DiscardList,
    Marker,
    Problem,
    VerbDictionary,
    VerbForm,
    VerbPattern,
    Words,
    is_damaged,
    read_actor_dictionary,
    read_agent_dictionary,
    read_discards,
    read_verb_dictionary,
)
from .errors import LexiconError
from .lexicon import load_table

# (word, "NOUN" or "VERB") -> the lemma en_core_web_sm gives it; see spacy_lemmatizer.
Lemmatizer = Callable[[str, str], str]

PARTS = ("verbs", "actors", "agents", "discards")
PATTERNS_FOR = ("block", "comment")
LICENSE_NAME = "PETRARCH2-LICENSE.txt"
REPORT_NAME = "petrarch-import.txt"
DEFAULT_START = "0001-01-01"  # a default actor code: in force whenever no dated code is

_NOTICE = (
    "# Imported from the PETRARCH-2 dictionaries (github.com/openeventdata/petrarch2),",
    "# MIT licence, Copyright (c) 2014 Open Event Data Alliance: see {license} here.",
    "# Written by `thucydides lexicon import petrarch`; the `source` column names the dictionary",
    "# file and line each row came from.",
)


def spacy_lemmatizer(nlp: Any) -> Lemmatizer:
    """A Lemmatizer from a loaded spaCy pipeline: its rule lemmatizer on the one word, tagged
    with the given part of speech (the first candidate is the one the pipeline picks)."""
    from spacy.tokens import Doc

    lemmatizer = nlp.get_pipe("lemmatizer")
    cache: dict[tuple[str, str], str] = {}

    def lemma(word: str, pos: str) -> str:
        key = (word, pos)
        if key not in cache:
            doc = Doc(nlp.vocab, words=[word], pos=[pos])
            found = lemmatizer.rule_lemmatize(doc[0])
            cache[key] = (found[0] if found else word).lower()
        return cache[key]

    return lemma


# --- the report --------------------------------------------------------------------------------


@dataclass
class PartReport:
    """Counts for one part (verbs, actors, agents, discards)."""

    name: str
    unit: str  # what `read` counts: "patterns and coded verbs", "records" ...
    read: int = 0
    used: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)  # file written -> rows
    notes: Counter[str] = field(default_factory=Counter)  # smaller losses inside used units


@dataclass
class ImportReport:
    source: str
    out: str
    parts: dict[str, PartReport] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # reader problems and refusals
    files: dict[str, str] = field(default_factory=dict)  # dictionary file -> part read from it
    license_copied: bool = False

    def part(self, name: str, unit: str) -> PartReport:
        return self.parts.setdefault(name, PartReport(name, unit))

    def refuse(self, part: PartReport, file: str, line: int, reason: str, text: str = "") -> None:
        """A unit (pattern, record, agent ...) that gives no row."""
        part.refused[reason] += 1
        self.problems.append(Problem(file, line, f"{part.name}: {reason}", text))

    def note(self, part: PartReport, file: str, line: int, reason: str, text: str = "") -> None:
        """A loss inside a unit that is otherwise used (one alias of an actor ...)."""
        part.notes[reason] += 1
        self.problems.append(Problem(file, line, f"{part.name}: {reason}", text))

    def lines(self) -> list[str]:
        """The summary `thucydides lexicon import` prints."""
        out = [f"PETRARCH-2 dictionaries in {self.source} -> {self.out}"]
        out.append("read: " + ", ".join(f"{f} ({part})" for f, part in self.files.items()))
        for name in PARTS:
            part = self.parts.get(name)
            if part is None:
                continue
            refused = sum(part.refused.values())
            out.append(f"{name}: {part.read} {part.unit} read, {part.used} used, {refused} refused")
            for reason, count in part.refused.most_common():
                out.append(f"  refused {count:6d}  {reason}")
            for reason, count in part.notes.most_common():
                out.append(f"  note    {count:6d}  {reason}")
            for file, rows in part.rows.items():
                out.append(f"  wrote {rows} rows to {file}")
        reader = Counter(p.reason for p in self.problems if p.reason.split(":")[0] not in PARTS)
        out.append(f"dictionary lines not read, or read with a caveat: {reader.total()}")
        for reason, count in reader.most_common():
            out.append(f"  {count:6d}  {reason}")
        if not self.license_copied:
            out.append("warning: no LICENSE file found: add the dictionaries' licence notice")
        out.append(f"every refused line: {Path(self.out) / REPORT_NAME}")
        return out


# --- names ---------------------------------------------------------------------------------

_SMALL_WORDS = frozenset(
    {
        *("of", "the", "and", "for", "in", "on", "at", "to", "by", "with", "from", "de", "du"),
        *("des", "la", "le", "les", "el", "al", "da", "di", "del", "van", "von", "der", "den", "y"),
        *("e", "et", "bin", "ibn"),
    }
)
_VOWELS = frozenset("AEIOUY")
_MONTHS_AND_DAYS = frozenset(
    {
        *("january", "february", "march", "april", "may", "june", "july", "august", "september"),
        *("october", "november", "december", "monday", "tuesday", "wednesday", "thursday"),
        *("friday", "saturday", "sunday"),
    }
)


def _common_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _MONTHS_AND_DAYS


def _acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return (
        "." in word
        or any(ch.isdigit() for ch in word)
        or (bool(letters) and len(letters) <= 5 and not _VOWELS.intersection(letters))
        or (len(letters) == 2 and word.lower() not in _SMALL_WORDS)
    )


def _title_word(word: str, first: bool) -> str:
    lower = word.lower()
    if not first and lower in _SMALL_WORDS:
        return lower
    if _acronym(word):
        return word.upper()

    def cap(part: str) -> str:
        head, apostrophe, tail = part.partition("'")
        if apostrophe and len(head) == 1:  # O'Brien, D'Alema; not People'S
            return head.upper() + "'" + tail[:1].upper() + tail[1:]
        return part[:1].upper() + part[1:]

    return "-".join(cap(part) for part in lower.split("-"))


def title_case(words: Sequence[str]) -> str:
    """ "HAMID KARZAI" -> "Hamid Karzai"; "UN SECRETARY GENERAL" -> "UN Secretary General"."""
    return " ".join(_title_word(word, i == 0) for i, word in enumerate(words))


def written_forms(words: Sequence[str]) -> list[str]:
    """How a name from an upper-case dictionary is written in running text, for lexicons that
    match case-sensitively: title case; a one-word name of up to five letters in capitals too
    ("Nato" and "NATO"), since we cannot tell an acronym from a short word."""
    forms = [title_case(words)]
    if len(words) == 1 and len(words[0]) <= 5 and words[0].upper() != forms[0]:
        forms.append(words[0].upper())
    return forms


def _slug(words: Sequence[str]) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", " ".join(words).upper()).strip("-")[:40] or "ACTOR"


# --- codes ---------------------------------------------------------------------------------

# CAMEO religion codes (and the Phoenix agents' RAD radicals): our agents have one REL sector.
RELIGION_CODES = frozenset(
    {
        *("ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "HIN", "ITR"),
        *("JAN", "JEW", "MOS", "MUS", "SHI", "SIK", "SUN", "TAO", "ZRO", "RAD"),
    }
)
_ORG_PREFIXES = {"IGO": "IGO", "NGO": "NGO", "NGM": "NGO", "MNC": "MNC", "IMG": "NSA"}
_STATE = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
_NON_STATE = frozenset({"REB", "INS", "SEP", "UAF", "CRM", "PTY", "OPP"})


@dataclass(frozen=True, slots=True)
class ActorCodeParts:
    """A CAMEO actor code split into its three-letter parts."""

    code: str
    country: str | None  # ISO-3 when the code starts with one of our countries
    kind: str | None  # our organisation kind when it starts with IGO, NGO, MNC, IMG
    rest: str  # the code after its country or kind prefix
    sector: str | None  # the first part that is one of our sectors (religions: REL)
    extra: tuple[str, ...]  # the other parts


def split_actor_code(code: str, countries: frozenset[str]) -> ActorCodeParts | None:
    if len(code) < 3 or len(code) % 3 or not code.isalnum():
        return None
    groups = [code[i : i + 3] for i in range(0, len(code), 3)]
    country = kind = None
    if groups[0] in countries:
        country, rest_groups = groups[0], groups[1:]
    elif groups[0] in _ORG_PREFIXES:
        kind, rest_groups = _ORG_PREFIXES[groups[0]], groups[1:]
    else:  # a region ("MEA") or a code of its own: no country
        rest_groups = groups
    sector = None
    extra: list[str] = []
    for group in rest_groups:
        mapped = group if group in SECTORS else "REL" if group in RELIGION_CODES else None
        if sector is None and mapped is not None:
            sector = mapped
        else:
            extra.append(group)
    return ActorCodeParts(code, country, kind, "".join(rest_groups), sector, tuple(extra))


# --- the import ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DictionaryFiles:
    verbs: tuple[Path, ...]
    actors: tuple[Path, ...]
    agents: tuple[Path, ...]
    discards: tuple[Path, ...]
    license: Path | None


def find_dictionaries(directory: str | Path) -> DictionaryFiles:
    """The dictionaries of a PETRARCH-2 directory, by PETRARCH's file names."""
    root = Path(directory)
    if not root.is_dir():
        raise LexiconError(f"{root}: not a directory")
    files = sorted(p for p in root.iterdir() if p.is_file())

    def named(test: Callable[[str], bool]) -> tuple[Path, ...]:
        return tuple(p for p in files if test(p.name.lower()))

    verbs = named(lambda n: (n.startswith("cameo") and n.endswith(".txt")) or n.endswith(".verbs"))
    found = DictionaryFiles(
        verbs=verbs,
        actors=named(lambda n: "actors" in n and n.endswith((".txt", ".actors"))),
        agents=named(lambda n: "agents" in n and n.endswith((".txt", ".agents"))),
        discards=named(lambda n: "discard" in n and n.endswith(".txt")),
        license=next((p for p in files if p.name.upper().startswith("LICENSE")), None),
    )
    if not (found.verbs or found.actors or found.agents or found.discards):
        raise LexiconError(f"{root}: no PETRARCH dictionaries (CAMEO*.txt, *actors*.txt ...)")
    return found


def import_petrarch(
    directory: str | Path,
    out: str | Path,
    lemmatize: Lemmatizer,
    parts: Iterable[str] = PARTS,
    *,
    patterns_for: str = "block",
) -> ImportReport:
    """Read the PETRARCH-2 dictionaries in DIRECTORY and write lexicon files into OUT.

    PATTERNS_FOR "block" gives a verb pattern's rows for every verb of its block, as PETRARCH
    reads it; "comment" only for the verbs its comment names (see _pattern_verbs)."""
    if patterns_for not in PATTERNS_FOR:
        raise LexiconError(f"patterns for {patterns_for!r}: use {' or '.join(PATTERNS_FOR)}")
    wanted = set(parts)
    unknown = wanted - set(PARTS)
    if unknown:
        raise LexiconError(f"unknown part(s) {', '.join(sorted(unknown))}: use {', '.join(PARTS)}")
    found = find_dictionaries(directory)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = ImportReport(str(directory), str(out_dir))
    cameo = CameoTable()
    countries = frozenset(row.values["code"] for row in load_table("countries.tsv", ("code",)))
    common = _common_words()
    tables: dict[str, list[dict[str, str]]] = {}

    if "verbs" in wanted:
        for path in found.verbs:
            verbs = read_verb_dictionary(path)
            report.files[path.name] = "verbs"
            report.problems.extend(verbs.problems)
            rows = _trigger_rows(verbs, lemmatize, cameo, report, patterns_for)
            _add(tables, "triggers.tsv", rows)
    if "actors" in wanted and found.actors:
        dictionaries = [read_actor_dictionary(path) for path in found.actors]
        for dictionary in dictionaries:
            report.files[dictionary.file] = "actors"
            report.problems.extend(dictionary.problems)
        for name, rows in _actor_rows(dictionaries, countries, common, report).items():
            _add(tables, name, rows)
    if "agents" in wanted:
        for path in found.agents:
            agents = read_agent_dictionary(path)
            report.files[path.name] = "agents"
            report.problems.extend(agents.problems)
            _add(tables, "agents.tsv", _agent_rows(agents, lemmatize, report))
    if "discards" in wanted:
        for path in found.discards:
            discards = read_discards(path)
            report.files[path.name] = "discards"
            report.problems.extend(discards.problems)
            _add(tables, "off_topic.tsv", _discard_rows(discards, report))

    for name, rows in tables.items():
        _write_table(out_dir / name, name, rows, license_name=LICENSE_NAME)
    if found.license is not None:
        shutil.copyfile(found.license, out_dir / LICENSE_NAME)
        report.license_copied = True
    (out_dir / REPORT_NAME).write_text(
        "\n".join([*report.lines(), "", *(str(p) for p in report.problems)]) + "\n",
        encoding="utf-8",
    )
    return report


def _add(tables: dict[str, list[dict[str, str]]], name: str, rows: list[dict[str, str]]) -> None:
    tables.setdefault(name, []).extend(rows)


# The packaged file's columns, in order; `source` is added last.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "triggers.tsv": TRIGGER_COLUMNS,
    "countries.tsv": COUNTRY_COLUMNS,
    "organizations.tsv": ORGANIZATION_COLUMNS,
    "office_holders.tsv": OFFICE_HOLDER_COLUMNS,
    "agents.tsv": AGENT_COLUMNS,
    "off_topic.tsv": ("word", "topic"),
}


def _packaged_header(name: str) -> list[str]:
    """The comment lines at the top of the packaged file NAME: they say what the columns mean."""
    text = resources.files("thucydides").joinpath("lexicons", name).read_text(encoding="utf-8")
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    return header


def _cell(value: str) -> str:
    return " ".join(value.replace("\t", " ").split())


def _write_table(path: Path, name: str, rows: list[dict[str, str]], *, license_name: str) -> None:
    columns = (*_COLUMNS[name], "source")
    lines = _packaged_header(name)
    lines.extend(line.format(license=license_name) for line in _NOTICE)
    lines.append("\t".join(columns))
    for row in rows:
        lines.append("\t".join(_cell(row.get(column, "")) for column in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- verbs ---------------------------------------------------------------------------------

# Words after the verb that are its particle ("set OUT views", "put DOWN riot") when they come
# first; other prepositions outside parentheses are TABARI-era patterns we cannot read.
_PARTICLES = frozenset(
    {
        *("up", "down", "out", "off", "in", "on", "over", "back", "away", "aside", "forward"),
        *("through", "around", "about", "along", "together", "apart", "ahead", "across", "by"),
    }
)
_PREPOSITIONS = frozenset(
    {
        *("to", "of", "for", "with", "from", "into", "onto", "upon", "at", "against", "toward"),
        *("towards", "between", "among", "under", "after", "before", "behind", "during", "within"),
        *("without", "as", "than", "via", "like", "near", "beyond"),
    }
)
MAX_ALTERNATIVES = 200  # object alternatives one row may hold


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a pattern says in our terms."""

    particles: tuple[str, ...]  # alternatives; () = none
    objects: tuple[tuple[str, ...], ...]  # alternatives, each all-of lemmas; () = none
    target_preps: tuple[str, ...]


# Why a row a pattern or verb would give is not written.
_PACKAGED_ROW = "a packaged row has its word and conditions (ours kept)"
_EARLIER_ROW = "an earlier row has its word, conditions and code"
_OTHER_CODE = "an earlier row has its word and conditions, with another code (first kept)"
# Verbs of saying and of intent frame the event they report ("said it would attack", "plans to
# meet"): our coder codes the reported event, so, as triggers.tsv's header says, they are not
# triggers without an object that names an event ("announced a ceasefire"). PETRARCH codes
# "say" 010; imported, such rows take the sentence from the event it reports.
FRAME_VERBS = SPEECH_VERBS | STATEMENT_VERBS | INTENT_VERBS
_FRAME_VERB = "a speech or intent verb without an object is no trigger here"


class _Refused(Exception):
    pass


def _trigger_rows(
    verbs: VerbDictionary,
    lemmatize: Lemmatizer,
    cameo: CameoTable,
    report: ImportReport,
    patterns_for: str = "block",
) -> list[dict[str, str]]:
    part = report.part("verbs", "patterns and coded verbs")
    rows: list[dict[str, str]] = []
    seen: dict[tuple[str, str, str], str] = {}  # (lemma, particle, object) -> cameo
    # A directory's row with the word and conditions of a packaged row replaces it: ours, with
    # their targets, negations and complements, are kept instead.
    packaged = {
        (rule.lemma, rule.particle, "|".join(" ".join(alt) for alt in rule.objects))
        for (pos, _), rules in TriggerLexicon(base_layer=False).rules.items()
        if pos == "verb"
        for rule in rules
    }

    def emit(row: dict[str, str], dropped: list[str]) -> bool:
        """Write ROW unless it is one we keep out; then add the reason to DROPPED."""
        key = (row["lemma"], row["particle"], row["object"])
        earlier = seen.get(key)
        if row["lemma"] in FRAME_VERBS and not row["object"]:
            reason = _FRAME_VERB
        elif key in packaged:
            reason = _PACKAGED_ROW
        elif earlier is not None:
            reason = _EARLIER_ROW if earlier == row["cameo"] else _OTHER_CODE
        else:
            seen[key] = row["cameo"]
            rows.append(row)
            return True
        part.notes[f"row dropped: {reason}"] += 1
        dropped.append(reason)
        return False

    def refuse_unused(line: int, dropped: list[str], text: str = "") -> None:
        # The reason most of its rows were dropped for.
        reason = Counter(dropped).most_common(1)[0][0] if dropped else _EARLIER_ROW
        report.refuse(part, verbs.file, line, f"no new row: {reason}", text)

    for block in verbs.blocks:
        forms: list[tuple[str, str, frozenset[str]]] = []  # (lemma, particle, written forms)
        for verb in block.verbs:
            after = verb.words[verb.verb + 1 :]
            # A verb we cannot read is a loss inside its block; the block's patterns go on.
            if verb.verb > 0:
                report.note(
                    part,
                    verbs.file,
                    verb.line,
                    "verb with words before it (WIRE_+TAP)",
                    " ".join(verb.words),
                )
                continue
            if len(after) > 1:
                report.note(
                    part,
                    verbs.file,
                    verb.line,
                    "verb with more than one word after it",
                    " ".join(verb.words),
                )
                continue
            particle = after[0].lower() if after else ""
            for lemma in _verb_lemmas(verb.words[verb.verb], verb.irregular, verb.verb, lemmatize):
                forms.append((lemma, particle, _written(verb)))
            code = verb.code or block.code
            if code is None:
                continue
            part.read += 1
            if code not in cameo:
                report.refuse(part, verbs.file, verb.line, "code not in cameo.tsv", code)
                continue
            used = False
            dropped: list[str] = []
            for lemma in _verb_lemmas(verb.words[verb.verb], verb.irregular, verb.verb, lemmatize):
                used |= emit(
                    _trigger(
                        code,
                        lemma,
                        particle,
                        (),
                        (),
                        f"verb of {block.name}",
                        f"{verbs.file}:{verb.line}",
                    ),
                    dropped,
                )
            if used:
                part.used += 1
            else:
                refuse_unused(verb.line, dropped, " ".join(verb.words))
        for pattern in block.patterns:
            part.read += 1
            try:
                shape = _pattern_shape(pattern, verbs, lemmatize, cameo)
            except _Refused as exc:
                report.refuse(part, verbs.file, pattern.line, str(exc))
                continue
            if not forms:
                report.refuse(part, verbs.file, pattern.line, "block has no usable verb")
                continue
            assert pattern.code is not None  # _pattern_shape refuses patterns without one
            used = clash = False
            dropped = []
            for lemma, verb_particle, _ in _pattern_verbs(forms, pattern, patterns_for, part):
                for particle in shape.particles or ("",):
                    if verb_particle and particle and verb_particle != particle:
                        clash = True
                        continue
                    row = _trigger(
                        pattern.code,
                        lemma,
                        verb_particle or particle,
                        shape.objects,
                        shape.target_preps,
                        _pattern_note(block.name, pattern),
                        f"{verbs.file}:{pattern.line}",
                    )
                    used |= emit(row, dropped)
            if used:
                part.used += 1
                if clash:
                    part.notes["pattern's preposition differs from a multi-word verb's"] += 1
            elif clash:
                report.refuse(
                    part,
                    verbs.file,
                    pattern.line,
                    "pattern's preposition differs from its verbs' particles",
                )
            else:
                refuse_unused(pattern.line, dropped)
    part.rows["triggers.tsv"] = part.rows.get("triggers.tsv", 0) + len(rows)
    return rows


def _written(verb: VerbForm) -> frozenset[str]:
    """A verb's forms as a pattern's comment names them ("CORDON_OFF", "SPED")."""
    return frozenset("_".join(words) for words in (verb.words, *verb.irregular))


def _pattern_verbs(
    forms: list[tuple[str, str, frozenset[str]]],
    pattern: VerbPattern,
    patterns_for: str,
    part: PartReport,
) -> list[tuple[str, str, frozenset[str]]]:
    """The verbs a pattern gives rows for: all its block's (PETRARCH's reading), or with
    PATTERNS_FOR "comment" those its comment names ("# RUSH": the verb the pattern was written
    for, in the CAMEO dictionaries), all of them when it names none."""
    if patterns_for == "block":
        return forms
    named = set(re.findall(r"[A-Z][A-Z_'-]*", pattern.comment))
    chosen = [form for form in forms if form[2] & named]
    if not chosen:
        part.notes["pattern's comment names none of its verbs: all its block's verbs used"] += 1
        return forms
    return chosen


def _verb_lemmas(
    verb: str, irregular: Sequence[Sequence[str]], index: int, lemmatize: Lemmatizer
) -> list[str]:
    """The lemmas spaCy may give the verb's forms: its base form's, and those of its irregular
    forms and its -ed form when they differ ("staged" is "stag" to en_core_web_sm)."""
    base = verb.lower()
    lemmas = [lemmatize(base, "VERB")]
    forms = [words[index].lower() for words in irregular if len(words) > index]
    stem = base[:-1] if base.endswith("e") else base
    forms.append(stem + "ed")
    for form in forms:
        lemma = lemmatize(form, "VERB")
        if lemma and lemma not in lemmas and form not in irregular:
            lemmas.append(lemma)
    return lemmas


def _pattern_note(block: str, pattern: VerbPattern) -> str:
    note = f"{block}"
    if pattern.comment:
        note += f" ({pattern.comment})"
    if pattern.reverse:
        note += f"; reverse event {pattern.reverse} not coded"
    return note


def _trigger(
    code: str,
    lemma: str,
    particle: str,
    objects: Sequence[Sequence[str]],
    target_preps: Sequence[str],
    note: str,
    source: str,
) -> dict[str, str]:
    return {
        "cameo": code,
        "pos": "verb",
        "lemma": lemma,
        "particle": particle,
        "object": "|".join(" ".join(alt) for alt in objects),
        "target_prep": "|".join(target_preps),
        "note": note,
        "source": source,
    }


# Pattern markers our trigger rows cannot express on either side of the verb.
_UNUSABLE_MARKERS = {"%": "compound actor (%)", "^": "skipped words (^)"}


def _refuse_marker(symbol: str, misplaced: dict[str, str]) -> None:
    """Refuse a pattern whose marker SYMBOL is unusable anywhere, or MISPLACED on this side."""
    reason = misplaced.get(symbol) or _UNUSABLE_MARKERS.get(symbol)
    if reason:
        raise _Refused(reason)


def _pattern_shape(
    pattern: VerbPattern, verbs: VerbDictionary, lemmatize: Lemmatizer, cameo: CameoTable
) -> _Shape:
    if pattern.code is None:
        raise _Refused(
            "codes only the reverse event ([:NNN])" if pattern.reverse else "null code (---)"
        )
    if pattern.code not in cameo:
        raise _Refused("code not in cameo.tsv")
    for element in pattern.before:
        if isinstance(element, Marker):
            _refuse_marker(element.symbol, {"+": "target before the verb"})
            continue  # "$ *": the source is the subject, as our coder takes it
        raise _Refused("words before the verb (a condition on the subject)")
    particles: tuple[str, ...] = ()
    objects: list[list[tuple[str, ...]]] = []  # all of these, each one of its alternatives
    target_preps: list[str] = []
    for element in pattern.after:
        if isinstance(element, Marker):
            _refuse_marker(element.symbol, {"$": "source after the verb"})
            continue  # "+": the object is the target, our default
        if isinstance(element, Words):
            first = element.words[0].lower()
            if len(element.words) == 1 and first in _PARTICLES and not particles and not objects:
                particles = (first,)
                continue
            if len(element.words) == 1 and first in _PREPOSITIONS | _PARTICLES:
                raise _Refused("preposition outside parentheses")
            objects.append(_alternatives(element.words, verbs, lemmatize))
            continue
        preps = tuple(p.lower() for p in element.preposition.split("/") if p)
        if any(p.startswith("&") for p in preps):
            raise _Refused("synset as a preposition")
        symbols = {e.symbol for e in element.elements if isinstance(e, Marker)}
        nouns = [e for e in element.elements if isinstance(e, Words)]
        if "$" in symbols:
            raise _Refused("source in a prepositional phrase")
        if "^" in symbols:
            raise _Refused("skipped words (^)")
        if "%" in symbols:
            raise _Refused("compound actor (%)")
        if "+" in symbols:
            if nouns:
                raise _Refused("target in a prepositional phrase with other words")
            target_preps.extend(p for p in preps if p not in target_preps)
            continue
        if preps == ("of",) and nouns and objects:
            # "* LIFTING (OF IMMUNITY)", "(FOR &SOLUTION) (OF &INVESTIGATION)": OF qualifies
            # the noun before it, inside the object phrase our matcher reads; not a particle.
            objects.extend(_alternatives(noun.words, verbs, lemmatize) for noun in nouns)
        elif not particles:
            particles = preps
            objects.extend(_alternatives(noun.words, verbs, lemmatize) for noun in nouns)
        else:
            raise _Refused("two particles or prepositional phrases (our rows have one)")
    combined: list[tuple[str, ...]] = []
    for combination in itertools.product(*objects) if objects else ():
        words = tuple(dict.fromkeys(word for alt in combination for word in alt))
        if words not in combined:
            combined.append(words)
        if len(combined) > MAX_ALTERNATIVES:
            raise _Refused(f"more than {MAX_ALTERNATIVES} object alternatives")
    return _Shape(particles, tuple(combined), tuple(target_preps))


def _alternatives(
    words: Sequence[str], verbs: VerbDictionary, lemmatize: Lemmatizer
) -> list[tuple[str, ...]]:
    """The lemma sets one noun element may be: synsets expanded, each word as spaCy lemmas it;
    a hyphenated word is its parts, as spaCy splits it ("cease-fire" -> cease fire)."""
    options: list[list[tuple[str, ...]]] = []
    for word in words:
        if word.startswith("&"):
            synset = verbs.synsets.get(word[1:])
            if synset is None:
                raise _Refused(f"synset {word} not defined")
            options.append([tuple(_lemmas(phrase, lemmatize)) for phrase in synset.phrases])
        else:
            options.append([tuple(_lemmas((word,), lemmatize))])
    out: list[tuple[str, ...]] = []
    for combination in itertools.product(*options):
        alt = tuple(dict.fromkeys(w for part in combination for w in part))
        if alt and alt not in out:
            out.append(alt)
    return out


def _lemmas(words: Sequence[str], lemmatize: Lemmatizer) -> list[str]:
    out: list[str] = []
    for word in words:
        for piece in re.split(r"-+", word.lower()):
            if piece and any(ch.isalnum() for ch in piece):
                out.append(lemmatize(piece, "NOUN"))
    return out


# --- actors --------------------------------------------------------------------------------


def _actor_rows(
    dictionaries: Sequence[ActorDictionary],
    countries: frozenset[str],
    common: frozenset[str],
    report: ImportReport,
) -> dict[str, list[dict[str, str]]]:
    part = report.part("actors", "records")
    packaged_orgs = {
        row.values["code"]: dict(row.values)
        for row in load_table("organizations.tsv", ORGANIZATION_COLUMNS)
    }
    country_rows: list[dict[str, str]] = []
    holders: list[dict[str, str]] = []
    holder_keys: set[tuple[str, str, str, str]] = set()
    claimed: dict[str, str] = {}  # case-sensitive form -> what took it (country or org code)
    orgs = _Organizations(packaged_orgs, claimed)

    for dictionary in dictionaries:
        for entry in dictionary.entries:
            part.read += 1
            phrases = _usable_phrases(entry, common, part, report)
            codes = [c for c in entry.codes if c.code != "---"]
            if not entry.codes:
                report.refuse(part, entry.file, entry.line, "no code", _first(entry))
                continue
            if not codes:
                report.refuse(
                    part, entry.file, entry.line, "only the null code [---]", _first(entry)
                )
                continue
            if not phrases:
                report.refuse(part, entry.file, entry.line, "no usable phrase", _first(entry))
                continue
            # A country whose code changed ("[USRARM <900823]", "[ARM >911221]"): our country
            # rows have no dates, so its latest country code names it.
            country_codes = [c for c in codes if c.code in countries]
            if country_codes and any(c.dated for c in codes):
                latest = max(country_codes, key=lambda c: (c.end or date.max, c.start or date.min))
                part.notes["country with dated codes: its latest country code used"] += 1
                codes = [ActorCode(latest.code, None, None, False, latest.line)]
            if any(c.dated for c in codes):
                rows = _holder_rows(entry, phrases, codes, countries, part, report)
                if not rows:
                    continue  # refused, with its reason
                fresh = []
                for row in rows:
                    # The key OfficeHolderLexicon requires to be unique within one file.
                    key = (_person_key(row["name"]), row["country"], row["role"], row["start"])
                    if key in holder_keys:
                        part.notes["office-holder row repeats a name, office and start"] += 1
                        continue
                    holder_keys.add(key)
                    fresh.append(row)
                if fresh:
                    holders.extend(fresh)
                    part.used += 1
                else:
                    report.refuse(
                        part,
                        entry.file,
                        entry.line,
                        "same office-holder rows as an earlier record",
                        _first(entry),
                    )
                continue
            if len(codes) > 1:
                part.notes["record with several default codes: the first used"] += 1
            code = codes[0].code
            if code in countries:
                names = _claim(phrases, code, claimed, part)
                if not names:
                    report.refuse(
                        part,
                        entry.file,
                        entry.line,
                        "all its names were taken by an earlier record",
                        _first(entry),
                    )
                    continue
                country_rows.append(
                    {
                        "code": code,
                        "name": names[0],
                        "names": "|".join(names[1:]),
                        "source": entry.location,
                    }
                )
                part.used += 1
                continue
            parts = split_actor_code(code, countries)
            if parts is None:
                report.refuse(part, entry.file, entry.line, "code not made of 3-letter parts", code)
                continue
            if _org_row(entry, phrases, parts, orgs, claimed, part, report):
                part.used += 1

    out = {
        "countries.tsv": country_rows,
        "organizations.tsv": list(orgs.rows.values()),
        "office_holders.tsv": holders,
    }
    for name, rows in out.items():
        part.rows[name] = len(rows)
    return {name: rows for name, rows in out.items() if rows}


def _first(entry: ActorEntry) -> str:
    return " ".join(entry.phrases[0])


def _usable_phrases(
    entry: ActorEntry, common: frozenset[str], part: PartReport, report: ImportReport
) -> list[tuple[str, ...]]:
    usable: list[tuple[str, ...]] = []
    for words, line in zip(entry.phrases, entry.phrase_lines, strict=True):
        text = " ".join(words)
        if is_damaged(text):
            report.note(part, entry.file, line, "name refused: a damaged character", text)
            continue
        if len(words) == 1 and words[0].lower().strip(".") in common:
            report.note(part, entry.file, line, "name refused: one common word", text)
            continue
        if words not in usable:
            usable.append(words)
    return usable


def _claim(
    phrases: Sequence[tuple[str, ...]], owner: str, claimed: dict[str, str], part: PartReport
) -> list[str]:
    """The written forms of PHRASES not already taken by another record's owner."""
    names: list[str] = []
    for words in phrases:
        for form in written_forms(words):
            holder = claimed.get(form)
            if holder is not None and holder != owner:
                part.notes["name already given to another actor: first kept"] += 1
                continue
            claimed[form] = owner
            if form not in names:
                names.append(form)
    return names


def _holder_rows(
    entry: ActorEntry,
    phrases: Sequence[tuple[str, ...]],
    codes: Sequence[ActorCode],
    countries: frozenset[str],
    part: PartReport,
    report: ImportReport,
) -> list[dict[str, str]]:
    names = [title_case(words) for words in phrases]
    rows: list[dict[str, str]] = []
    # Dated codes first: among rows in office on a date the latest start wins, and the default
    # row starts at 0001-01-01, so it holds only where no dated row does.
    ordered = [c for c in codes if c.dated] + [c for c in codes if not c.dated]
    reasons: list[str] = []
    for code in ordered:
        parts = split_actor_code(code.code, countries)
        if parts is None:
            reasons.append("code not made of 3-letter parts")
            continue
        organization = ""
        if parts.country is None:
            if parts.kind != "IGO" and parts.kind != "NGO":
                reasons.append("office-holder code without one of our countries (or IGO, NGO)")
                continue
            organization = parts.rest or parts.kind
        sector = parts.sector or ("GOV" if organization else "")
        if not sector:
            reasons.append("office-holder code without a sector")
            continue
        start = code.start.isoformat() if code.start else DEFAULT_START
        rows.append(
            {
                "name": names[0],
                "aliases": "|".join(names[1:]),
                "country": parts.country or "",
                "organization": organization,
                "sector": sector,
                "role": SECTORS[sector],
                "start": start,
                "end": code.end.isoformat() if code.end else "",
                "note": f"PETRARCH {code.code}" + ("" if code.dated else " (default code)"),
                "source": f"{entry.file}:{code.line}",
            }
        )
    if not rows:
        report.refuse(
            part, entry.file, entry.line, reasons[0] if reasons else "no code", _first(entry)
        )
    elif reasons:
        part.notes["office-holder codes refused (no sector, or not a country code)"] += len(reasons)
    return rows


def _org_row(
    entry: ActorEntry,
    phrases: Sequence[tuple[str, ...]],
    parts: ActorCodeParts,
    orgs: _Organizations,
    claimed: dict[str, str],
    part: PartReport,
    report: ImportReport,
) -> bool:
    sector = parts.sector or ""
    if parts.country is not None:
        kind = (
            "STA"
            if sector in _STATE or not sector
            else "NSA"
            if sector in _NON_STATE
            else "MNC"
            if sector == "BUS"
            else "NGO"
        )
    elif parts.kind is not None:
        kind = parts.kind
    else:
        kind = "NSA" if sector in _NON_STATE else "NGO"
    if parts.country is None and parts.rest:
        # An international group's code is what the coder gives out (IGO + "UNO"): every
        # record with that code adds names to one row.
        code = parts.rest if parts.kind is not None else parts.code
        shared = True
    else:
        # A country's body, a company: one row per record, named after it.
        code = _slug(phrases[0])
        shared = False
    row = orgs.row_for(code, shared)
    names = _claim(phrases, row["code"] if row else code, claimed, part)
    if row is None:
        if not names:
            report.refuse(
                part,
                entry.file,
                entry.line,
                "all its names were taken by an earlier record",
                _first(entry),
            )
            return False
        orgs.add(
            {
                "code": code,
                "kind": kind,
                "name": names[0],
                "aliases": "|".join(names[1:]),
                "country": parts.country or "",
                "sector": sector,
                "note": f"PETRARCH {parts.code}",
                "source": entry.location,
            },
            shared,
        )
        return True
    known = {row["name"], *row["aliases"].split("|")}
    new = [name for name in names if name not in known]
    if not new:
        report.refuse(
            part, entry.file, entry.line, "names all already in the row of its code", _first(entry)
        )
        return False
    row["aliases"] = "|".join(a for a in [*row["aliases"].split("|"), *new] if a)
    orgs.merged(row["code"], entry.location)
    part.notes["record merged into the row of its code"] += 1
    return True


class _Organizations:
    """organizations.tsv rows being built: codes are unique, as the loader requires."""

    def __init__(self, packaged: dict[str, dict[str, str]], claimed: dict[str, str]) -> None:
        self.rows: dict[str, dict[str, str]] = {}
        self.shared: set[str] = set()  # codes whose row several records add names to
        self.more: Counter[str] = Counter()  # code -> records merged into its row
        self.packaged = packaged
        self.claimed = claimed

    def row_for(self, code: str, shared: bool) -> dict[str, str] | None:
        """The row a record with CODE adds names to, or None when it gets a new row (a
        per-record code already taken is then made unique: "HAMAS-2")."""
        if code in self.rows and (shared or code in self.shared):
            return self.rows[code]
        if code not in self.rows and code in self.packaged:
            # Our row for the code stays; the dictionary adds names to it.
            values = self.packaged[code]
            self.rows[code] = {**values, "source": "organizations.tsv (packaged)"}
            self.shared.add(code)
            for form in [values["name"], *values["aliases"].split("|")]:
                if form:
                    self.claimed.setdefault(form, code)
            return self.rows[code]
        return None

    def add(self, row: dict[str, str], shared: bool) -> None:
        code, n = row["code"], 2
        while row["code"] in self.rows or row["code"] in self.packaged:
            row["code"], n = f"{code}-{n}", n + 1
        self.rows[row["code"]] = row
        if shared:
            self.shared.add(row["code"])

    def merged(self, code: str, location: str) -> None:
        row = self.rows[code]
        if row["source"].endswith("(packaged)"):
            row["source"] += f" + {location}"
        else:
            self.more[code] += 1
            row["source"] = f"{row['source'].split(' (+')[0]} (+{self.more[code]} records)"


# --- agents and discards -------------------------------------------------------------------

# Words for one person, for agents.tsv's `person` column (PETRARCH does not say). A guess from
# the last word: these words, or the endings below, unless it ends like a body or an activity.
_PERSON_WORDS = frozenset(
    {
        *("official", "president", "chief", "head", "deputy", "envoy", "delegate", "secretary"),
        *("aide", "judge", "diplomat", "premier", "chancellor", "king", "queen", "prince"),
        *("princess", "general", "admiral", "colonel", "captain", "lieutenant", "sergeant"),
        *("mayor", "governor", "senator", "mp", "lawmaker", "candidate", "prosecutor", "attorney"),
        *("ambassador", "emissary", "monk", "priest", "bishop", "imam", "cleric", "rabbi", "pope"),
        *("cardinal", "student", "citizen", "civilian", "refugee", "journalist", "activist"),
        *("militant", "guerrilla", "rebel", "insurgent", "separatist", "soldier", "spokesperson"),
        *("expert", "representative", "legislator", "politician", "dissident", "hostage", "victim"),
        *("resident", "patient", "doctor", "nurse", "scientist", "analyst", "agent", "spy"),
        *("assassin", "gunman", "bomber", "thief", "pirate", "smuggler", "trafficker", "suspect"),
        *("detainee", "prisoner", "convict", "defendant", "witness", "veteran", "recruit", "cadet"),
        *("magistrate", "sheikh", "emir", "sultan", "monarch", "dictator", "tycoon", "executive"),
        *("ceo", "entrepreneur", "peasant"),
    }
)
_PERSON_ENDINGS = ("man", "woman", "person", "er", "or", "ist", "ian", "ant", "ee")
_BODY_ENDINGS = ("ment", "ship", "ism", "ery", "ary", "ory", "ance", "ence", "ion", "ure")


def _is_person(lemma: str) -> bool:
    if lemma in _PERSON_WORDS:
        return True
    return lemma.endswith(_PERSON_ENDINGS) and not lemma.endswith(_BODY_ENDINGS)


def _agent_rows(
    agents: AgentDictionary, lemmatize: Lemmatizer, report: ImportReport
) -> list[dict[str, str]]:
    part = report.part("agents", "agents (after !MARKER! expansion)")
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    # A directory's agent replaces ours of the same phrase: ours (with their roles) are kept.
    packaged = {
        " ".join(row.values["phrase"].lower().split())
        for row in load_table("agents.tsv", ("phrase",))
    }
    for entry in agents.entries:
        part.read += 1
        text = " ".join(entry.words)
        if entry.placement == "before":
            report.refuse(
                part,
                agents.file,
                entry.line,
                "organisation-kind agent (CODE~): agents.tsv holds sectors",
                text,
            )
            continue
        first = entry.code[:3]
        sector = first if first in SECTORS else "REL" if first in RELIGION_CODES else None
        if sector is None:
            report.refuse(
                part, agents.file, entry.line, f"agent code {first} is not one of our sectors", text
            )
            continue
        words = [word.lower() for word in entry.words]
        words[-1] = lemmatize(words[-1], "NOUN")
        phrase = " ".join(words)
        if phrase in packaged:
            report.refuse(
                part, agents.file, entry.line, "phrase already in agents.tsv: ours kept", phrase
            )
            continue
        if phrase in seen:
            report.refuse(
                part,
                agents.file,
                entry.line,
                "same phrase as an earlier agent (plural forms fold to one)",
                phrase,
            )
            continue
        seen.add(phrase)
        person = _is_person(words[-1])
        rows.append(
            {
                "phrase": phrase,
                "sector": sector,
                "role": phrase if person and sector in {"GOV", "LEG", "JUD"} else "",
                "person": "yes" if person else "no",
                "note": f"PETRARCH ~{entry.code}" + (f"; {entry.comment}" if entry.comment else ""),
                "source": f"{agents.file}:{entry.line}",
            }
        )
        part.used += 1
    part.rows["agents.tsv"] = part.rows.get("agents.tsv", 0) + len(rows)
    return rows


DISCARD_TOPIC = "discard"


def _discard_rows(discards: DiscardList, report: ImportReport) -> list[dict[str, str]]:
    part = report.part("discards", "phrases")
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for entry in discards.entries:
        part.read += 1
        word = " ".join(entry.words).lower()
        if not any(ch.isalpha() for ch in word):
            report.refuse(
                part, discards.file, entry.line, "a number: our off-topic words are letters", word
            )
            continue
        if word in seen:
            report.refuse(
                part, discards.file, entry.line, "same phrase as an earlier discard", word
            )
            continue
        seen.add(word)
        rows.append(
            {"word": word, "topic": DISCARD_TOPIC, "source": f"{discards.file}:{entry.line}"}
        )
        part.used += 1
    part.rows["off_topic.tsv"] = part.rows.get("off_topic.tsv", 0) + len(rows)
    return rows

"""Reading the TABARI / PETRARCH-2 coding dictionaries into typed records.

PETRARCH-2 (github.com/openeventdata/petrarch2, MIT licence, Copyright (c) 2014 Open Event Data
Alliance) codes events with five flat text dictionaries; this module reads four of them:

- the verb dictionary (CAMEO.2.0.txt): synonym sets (``&NAME`` then ``+WORD`` lines), verb blocks
  (``--- NAME [code] ---``, then verbs with irregular forms in braces and an optional own code),
  and patterns (``- pre-verb * post-verb [code] # comment``) with ``{multi word}`` noun phrases,
  ``(PREP noun)`` prepositional phrases, ``&SYNSET`` references and the markers ``$`` source,
  ``+`` target, ``%`` compound actor and ``^`` skipped words;
- actor dictionaries (*.actors.txt): a primary phrase, ``+ALIAS`` lines and codes, each code
  either a default ``[CODE]`` or date-restricted (``[CODE 991231-080507]``, ``[CODE >080508]``,
  ``[CODE <080508]``), on the phrase's line or on indented lines below it;
- the agents dictionary: ``PHRASE {PLURAL} [~CODE]`` with ``!MARKER! = A, B`` substitutions;
- the discard list: phrases that make a sentence (or, with a leading ``+``, a story) uncodable.

Nothing here knows our lexicon files: lexicon_import.py turns these records into them. Every
line that cannot be used becomes a `Problem` naming file, line and reason; reading goes on.
Phrases keep the dictionaries' upper case; words are split on blanks and underscores.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, slots=True)
class Problem:
    """A line of a dictionary that could not be used (or was read with a caveat)."""

    file: str  # the file's name ("CAMEO.2.0.txt")
    line: int  # 1-based line number
    reason: str
    text: str = ""  # the line (or the part of it) concerned

    def __str__(self) -> str:
        shown = f": {self.text.strip()[:120]!r}" if self.text.strip() else ""
        return f"{self.file}:{self.line}: {self.reason}{shown}"


# --- lines ---------------------------------------------------------------------------------


# A character the file lost before we got it: U+FFFD, or an ASCII control code such as SUB (\x1a)
# where an accented letter used to be. A phrase with one cannot match any text.
_DAMAGED = re.compile(r"[\ufffd\x00-\x08\x0b-\x1f\x7f]")
DAMAGED = "damaged character (U+FFFD or a control code): the phrase cannot match text"


def is_damaged(text: str) -> bool:
    return _DAMAGED.search(text) is not None


def read_lines(path: str | Path) -> tuple[list[tuple[int, str]], list[Problem]]:
    """The numbered lines of PATH. A line that is not UTF-8 is read as Latin-1 (every byte is
    a character there) and reported: the actor dictionaries mix encodings."""
    path = Path(path)
    lines: list[tuple[int, str]] = []
    problems: list[Problem] = []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            problems.append(Problem(path.name, number, "not UTF-8: read as Latin-1", text))
        if _DAMAGED.search(text.replace("\t", " ")):
            problems.append(Problem(path.name, number, DAMAGED, text))
        lines.append((number, text.lstrip("\ufeff") if number == 1 else text))
    return lines, problems


def _without_comment(text: str, markers: str = "#") -> tuple[str, str]:
    """TEXT before the first comment marker, and the comment."""
    cut = min((i for i in (text.find(m) for m in markers) if i >= 0), default=-1)
    if cut < 0:
        return text, ""
    return text[:cut], text[cut + 1 :].strip()


def phrase_words(text: str) -> tuple[str, ...]:
    """The words of a phrase: blanks and underscores both separate them ("NEW_YORK" -> 2)."""
    return tuple(word for word in re.split(r"[\s_]+", text.strip()) if word)


_YY_PIVOT = 30  # as in KEDS, TABARI and PETRARCH: YY 00..30 is 20YY, else 19YY


def parse_date(text: str) -> date | None:
    """YYMMDD or YYYYMMDD as PETRARCH reads them; None when it is not a valid date."""
    if not text.isdigit() or len(text) not in (6, 8):
        return None
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= _YY_PIVOT else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- verbs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Synset:
    """A synonym set: ``&NAME`` and its ``+PHRASE`` lines."""

    name: str  # without the "&"
    phrases: tuple[tuple[str, ...], ...]
    line: int


@dataclass(frozen=True, slots=True)
class VerbForm:
    """One verb of a block: "ASK", "+CORDON_OFF {...}", "WIRE_+TAP {...}"."""

    words: tuple[str, ...]  # ("CORDON", "OFF")
    verb: int  # index in WORDS of the verb itself (the word marked "+", else the only one)
    irregular: tuple[tuple[str, ...], ...]  # forms in braces, each split like WORDS
    code: str | None  # its own code; None: the block's
    line: int


@dataclass(frozen=True, slots=True)
class Words:
    """Noun words a pattern requires: one bare word, or a {multi word} phrase (head last).
    A word starting with "&" names a synset."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Marker:
    """$ source, + target, % compound actor, ^ skipped words."""

    symbol: Literal["$", "+", "%", "^"]


@dataclass(frozen=True, slots=True)
class Prep:
    """A prepositional phrase: (PREP), (PREP NOUN), (PREP {A B}), (PREP +) ..."""

    preposition: str
    elements: tuple[Words | Marker, ...]


Element = Words | Marker | Prep


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """``- before * after [code:reverse] # comment``."""

    before: tuple[Element, ...]
    after: tuple[Element, ...]
    code: str | None  # the source -> target code; None for the null code "---" or none given
    reverse: str | None  # the code of the reverse event in "[042:043]" ("043"), if any
    comment: str
    line: int


@dataclass(frozen=True, slots=True)
class VerbBlock:
    name: str  # the block's description ("ACCELERATE")
    code: str | None  # the block's code for its bare verbs; None for "---"
    verbs: tuple[VerbForm, ...]
    patterns: tuple[VerbPattern, ...]
    line: int


@dataclass(frozen=True, slots=True)
class VerbDictionary:
    file: str
    synsets: dict[str, Synset]
    blocks: tuple[VerbBlock, ...]
    problems: tuple[Problem, ...]
    transformations: int = 0  # "~" lines (verb-verb transformations), not read


_BLOCK = re.compile(r"^-{3}\s*(?P<name>.*?)\s*(?:\[(?P<code>[^\]]*)\])?\s*-{3}\s*$")
_CODE = re.compile(r"^(?:\d{2,4}|-{3})$")
# A verb's or block's code may also name the reverse event ("[042:043]"); the first part is it.
_VERB_CODE = re.compile(r"^(?:\d{2,4}|-{3})?(?::(?:\d{2,4}|-{3}))?$")
_VERB_LINE = re.compile(
    r"^(?P<verb>[^\s{\[]+)\s*(?:\{(?P<forms>[^}]*)\})?\s*(?:\[(?P<code>[^\]]*)\])?\s*$"
)
_PATTERN_CODE = re.compile(r"\[(?P<code>[^\]]*)\]\s*$")
_TOKEN = re.compile(r"\{[^{}]*\}|\([^()]*\)|[*$+%^]|[^\s{}()*$%^]+|\S")


def _code(text: str) -> str | None:
    """A CAMEO code, or None for the null code."""
    text = text.strip()
    return None if text in ("", "---") else text


def read_verb_dictionary(path: str | Path) -> VerbDictionary:
    """Synsets, verb blocks and patterns of a PETRARCH-2 verb dictionary."""
    path = Path(path)
    name = path.name
    lines, problems = read_lines(path)
    synsets: dict[str, Synset] = {}
    blocks: list[VerbBlock] = []
    transformations = 0
    synset: tuple[str, int, list[tuple[str, ...]]] | None = None
    block: tuple[str, str | None, int, list[VerbForm], list[VerbPattern]] | None = None

    def close_synset() -> None:
        nonlocal synset
        if synset is not None:
            label, at, phrases = synset
            if not phrases:
                problems.append(Problem(name, at, "synset without phrases", "&" + label))
            synsets[label] = Synset(label, tuple(phrases), at)
            synset = None

    def close_block() -> None:
        nonlocal block
        if block is not None:
            label, code, at, verbs, patterns = block
            blocks.append(VerbBlock(label, code, tuple(verbs), tuple(patterns), at))
            block = None

    for number, text in lines:
        content, comment = _without_comment(text)
        stripped = content.strip()
        if not stripped:
            continue
        if stripped.startswith("---"):
            close_synset()
            close_block()
            found = _BLOCK.match(stripped)
            if found is None:
                problems.append(Problem(name, number, "verb block header not understood", text))
                continue
            code_text = found.group("code") or "---"
            if not _VERB_CODE.match(code_text.strip()):
                problems.append(Problem(name, number, "block code is not a CAMEO code", text))
                code_text = "---"
            block = (found.group("name"), _code(code_text.split(":")[0]), number, [], [])
            continue
        if stripped.startswith("&"):
            close_synset()
            label = stripped[1:].strip()
            if not re.fullmatch(r"[\w-]+", label):
                problems.append(Problem(name, number, "synset name not understood", text))
                continue
            if block is not None:
                problems.append(Problem(name, number, "synset defined inside a verb block", text))
            synset = (label, number, [])
            continue
        if synset is not None and stripped.startswith("+"):
            words = phrase_words(stripped[1:])
            if not words or any(ch in stripped[1:] for ch in "$+%^{}()[]"):
                problems.append(Problem(name, number, "synset phrase not understood", text))
            else:
                synset[2].append(words)
            continue
        close_synset()
        if stripped.startswith("~"):
            transformations += 1
            problems.append(Problem(name, number, "verb transformation (~) is not read", stripped))
            continue
        if block is None:
            problems.append(Problem(name, number, "line outside any synset or verb block", text))
            continue
        if stripped.startswith("-"):
            pattern = _pattern(stripped[1:], comment, number, name, problems)
            if pattern is not None:
                block[4].append(pattern)
            continue
        verb = _verb_form(content.split(";", 1)[0].strip(), number, name, problems)
        if verb is not None:
            block[3].append(verb)
    close_synset()
    close_block()
    return VerbDictionary(name, synsets, tuple(blocks), tuple(problems), transformations)


def _verb_form(text: str, number: int, name: str, problems: list[Problem]) -> VerbForm | None:
    found = _VERB_LINE.match(text)
    if found is None:
        problems.append(Problem(name, number, "verb line not understood", text))
        return None
    raw = found.group("verb")
    words = phrase_words(raw.replace("+", " +"))
    marked = [i for i, word in enumerate(words) if word.startswith("+")]
    if len(marked) > 1 or (len(words) > 1 and not marked):
        problems.append(
            Problem(name, number, "multi-word verb without exactly one '+' on its verb", text)
        )
        return None
    words = tuple(word.lstrip("+") for word in words)
    if not all(words):
        problems.append(Problem(name, number, "verb line not understood", text))
        return None
    code_text = found.group("code")
    if code_text is not None and not _VERB_CODE.match(code_text.strip()):
        problems.append(Problem(name, number, "verb code is not a CAMEO code", text))
        code_text = None
    forms = tuple(
        tuple(w.lstrip("+") for w in phrase_words(form.replace("+", " +")))
        for form in (found.group("forms") or "").split()
    )
    return VerbForm(
        words=words,
        verb=marked[0] if marked else 0,
        irregular=forms,
        code=_code(code_text.split(":")[0]) if code_text is not None else None,
        line=number,
    )


def _pattern(
    body: str, comment: str, number: int, name: str, problems: list[Problem]
) -> VerbPattern | None:
    found = _PATTERN_CODE.search(body)
    if found is None:
        problems.append(Problem(name, number, "pattern without a [code]", "-" + body))
        return None
    codes = found.group("code").strip()
    primary, _, reverse = codes.partition(":")
    if any(part.strip() and not _CODE.match(part.strip()) for part in (primary, reverse)):
        problems.append(Problem(name, number, "pattern code is not a CAMEO code", "-" + body))
        return None
    tokens = _TOKEN.findall(body[: found.start()])
    if tokens.count("*") != 1:
        problems.append(Problem(name, number, "pattern without exactly one '*'", "-" + body))
        return None
    star = tokens.index("*")
    try:
        before = tuple(_element(token) for token in tokens[:star])
        after = tuple(_element(token) for token in tokens[star + 1 :])
    except ValueError as exc:
        problems.append(Problem(name, number, str(exc), "-" + body))
        return None
    return VerbPattern(
        before=before,
        after=after,
        code=_code(primary),
        reverse=_code(reverse),
        comment=comment,
        line=number,
    )


def _element(token: str) -> Element:
    if token in ("$", "+", "%", "^"):
        return Marker(token)  # type: ignore[arg-type]  # the literal is checked just above
    if token.startswith("{"):
        if not token.endswith("}"):
            raise ValueError("unbalanced braces")
        words = phrase_words(token[1:-1])
        if not words or any(ch in token[1:-1] for ch in "$+%^*"):
            raise ValueError("noun phrase in braces not understood")
        return Words(words)
    if token.startswith("("):
        if not token.endswith(")"):
            raise ValueError("unbalanced parentheses")
        inner = _TOKEN.findall(token[1:-1])
        # "(TO/FOR PROTEST)": alternative prepositions separated by "/".
        if not inner or not re.fullmatch(r"&?[A-Za-z][\w'&/-]*", inner[0]):
            raise ValueError("prepositional phrase without a preposition")
        elements: list[Words | Marker] = []
        for part in inner[1:]:
            element = _element(part)
            if isinstance(element, Prep):
                raise ValueError("prepositional phrase inside a prepositional phrase")
            elements.append(element)
        return Prep(inner[0], tuple(elements))
    if token in ("{", "}", "(", ")", "*"):
        raise ValueError(f"stray {token!r}")
    return Words((token,))


# --- actors --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorCode:
    """One code of an actor: a default (no dates) or date-restricted one. Dates are inclusive.
    code "---" is the null code (the actor is not coded then)."""

    code: str
    start: date | None  # None: from the beginning
    end: date | None  # None: open-ended
    dated: bool  # False for a default code
    line: int


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A record of an actor dictionary: its phrases (the first is the primary one) and codes."""

    phrases: tuple[tuple[str, ...], ...]
    phrase_lines: tuple[int, ...]
    codes: tuple[ActorCode, ...]
    file: str
    line: int  # of the primary phrase
    comment: str = ""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    file: str
    entries: tuple[ActorEntry, ...]
    problems: tuple[Problem, ...]


_BRACKETS = re.compile(r"\[([^\]]*)\]")
_RESTRICTION = re.compile(
    r"^(?P<code>[A-Z0-9-]+)\s*(?:(?P<op>[<>])\s*(?P<one>\d+)|(?P<start>\d+)\s*-\s*(?P<end>\d+))?$"
)


def read_actor_dictionary(path: str | Path) -> ActorDictionary:
    """The records of a TABARI/PETRARCH actor dictionary.

    As in PETRARCH, a primary phrase without a code that follows a record without codes yet
    joins that record: consecutive phrases share the codes given after the last of them."""
    path = Path(path)
    name = path.name
    lines, problems = read_lines(path)
    entries: list[ActorEntry] = []
    phrases: list[tuple[str, ...]] = []
    phrase_lines: list[int] = []
    codes: list[ActorCode] = []
    first_line = 0
    first_comment = ""

    def close() -> None:
        if phrases:
            entries.append(
                ActorEntry(
                    tuple(phrases),
                    tuple(phrase_lines),
                    tuple(codes),
                    name,
                    first_line,
                    first_comment,
                )
            )
        phrases.clear()
        phrase_lines.clear()
        codes.clear()

    for number, text in lines:
        content, comment = _without_comment(text)
        if not content.strip():
            continue
        indented = content[:1].isspace()
        stripped = content.strip()
        if stripped.startswith("+"):
            phrase_text = stripped[1:].split(";", 1)[0]
            phrase_text, found_codes = _split_codes(phrase_text, number, name, problems)
            if not phrases:
                problems.append(Problem(name, number, "alias before any primary phrase", text))
                continue
            # "+A_ +B_": two aliases on one line.
            aliases = [phrase_words(part) for part in re.split(r"\s\+", phrase_text)]
            if not all(aliases) or any("+" in word for words in aliases for word in words):
                problems.append(Problem(name, number, "alias not understood", text))
                continue
            for words in aliases:
                phrases.append(words)
                phrase_lines.append(number)
            codes.extend(found_codes)
            continue
        if indented and stripped.startswith("["):
            rest, found_codes = _split_codes(stripped, number, name, problems)
            if rest.strip():
                problems.append(Problem(name, number, "text after the codes ignored", rest))
            if not phrases:
                problems.append(Problem(name, number, "codes before any phrase", text))
                continue
            codes.extend(found_codes)
            continue
        phrase_text = stripped.split(";", 1)[0]
        phrase_text, found_codes = _split_codes(phrase_text, number, name, problems)
        words = phrase_words(phrase_text)
        if not words or any(ch in phrase_text for ch in "+[]{}"):
            problems.append(Problem(name, number, "phrase not understood", text))
            continue
        if phrases and not codes:
            # No codes yet: this phrase shares the codes that follow (PETRARCH's reading).
            phrases.append(words)
            phrase_lines.append(number)
            codes.extend(found_codes)
            continue
        close()
        phrases.append(words)
        phrase_lines.append(number)
        codes.extend(found_codes)
        first_line, first_comment = number, comment
    close()
    for entry in entries:
        if not entry.codes:
            problems.append(Problem(name, entry.line, "no code", " ".join(entry.phrases[0])))
    return ActorDictionary(name, tuple(entries), tuple(problems))


def _split_codes(
    text: str, number: int, name: str, problems: list[Problem]
) -> tuple[str, list[ActorCode]]:
    """TEXT without its [...] groups, and the codes they hold."""
    codes: list[ActorCode] = []
    for group in _BRACKETS.findall(text):
        code = _actor_code(group.strip(), number)
        if code is None:
            problems.append(Problem(name, number, "code or date restriction not understood", group))
        else:
            codes.append(code)
    return _BRACKETS.sub(" ", text), codes


def _actor_code(text: str, number: int) -> ActorCode | None:
    found = _RESTRICTION.match(" ".join(text.split()))
    if found is None:
        return None
    code = found.group("code")
    if found.group("op"):
        when = parse_date(found.group("one"))
        if when is None:
            return None
        if found.group("op") == ">":
            return ActorCode(code, when, None, True, number)
        return ActorCode(code, None, when, True, number)
    if found.group("start"):
        start, end = parse_date(found.group("start")), parse_date(found.group("end"))
        if start is None or end is None or end < start:
            return None
        return ActorCode(code, start, end, True, number)
    return ActorCode(code, None, None, False, number)


# --- agents --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgentEntry:
    """``PHRASE {PLURAL} [~CODE]``: an agent word and the code it adds to an actor's."""

    words: tuple[str, ...]
    plural: tuple[str, ...] | None  # None: the regular plural; (): none; else the plural given
    code: str  # "GOVMED"
    placement: Literal["after", "before"]  # "~GOV" goes after the actor's code, "NGO~" before
    line: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class AgentDictionary:
    file: str
    entries: tuple[AgentEntry, ...]
    problems: tuple[Problem, ...]
    markers: dict[str, tuple[str, ...]] = field(default_factory=dict)


_AGENT_LINE = re.compile(
    r"^(?P<phrase>[^{\[]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]]*)[\]}]"
)
_MARKER_DEF = re.compile(r"^!(?P<name>[^!\s]+)!\s*=\s*(?P<items>.+)$")
_MARKER_USE = re.compile(r"!([^!\s]+)!")


def read_agent_dictionary(path: str | Path) -> AgentDictionary:
    """The agents of a PETRARCH agents dictionary, with !MARKER! substitutions expanded."""
    path = Path(path)
    name = path.name
    lines, problems = read_lines(path)
    markers: dict[str, tuple[str, ...]] = {}
    entries: list[AgentEntry] = []
    for number, text in lines:
        content, comment = _without_comment(text)
        stripped = content.strip()
        if not stripped or stripped.startswith("<!--"):
            continue
        definition = _MARKER_DEF.match(stripped)
        if definition is not None:
            items = tuple(item.strip() for item in definition.group("items").split(","))
            markers[definition.group("name")] = tuple(item for item in items if item)
            continue
        found = _AGENT_LINE.match(stripped)
        if found is None:
            reason = "agent without a [code]" if "[" not in stripped else "agent not understood"
            problems.append(Problem(name, number, reason, text))
            continue
        raw_code = found.group("code").strip()
        if raw_code.startswith("~") and raw_code[1:].isalnum():
            code, placement = raw_code[1:], "after"
        elif raw_code.endswith("~") and raw_code[:-1].isalnum():
            code, placement = raw_code[:-1], "before"
        else:
            problems.append(Problem(name, number, "agent code without '~' before or after", text))
            continue
        plural_text = found.group("plural")
        plural = None if plural_text is None else phrase_words(plural_text)
        for phrase in _expand_markers(found.group("phrase"), markers, name, number, problems):
            words = phrase_words(phrase)
            if not words:
                problems.append(Problem(name, number, "empty agent phrase", text))
                continue
            entries.append(
                AgentEntry(words, plural, code, placement, number, comment)  # type: ignore[arg-type]
            )
    return AgentDictionary(name, tuple(entries), tuple(problems), markers)


def _expand_markers(
    phrase: str,
    markers: dict[str, tuple[str, ...]],
    name: str,
    number: int,
    problems: list[Problem],
) -> Iterator[str]:
    found = _MARKER_USE.search(phrase)
    if found is None:
        if "!" in phrase:
            problems.append(Problem(name, number, "substitution marker not closed", phrase))
            return
        yield phrase
        return
    items = markers.get(found.group(1))
    if items is None:
        problems.append(Problem(name, number, f"substitution marker !{found.group(1)}! undefined"))
        return
    for item in items:
        yield from _expand_markers(
            phrase[: found.start()] + item + phrase[found.end() :], markers, name, number, problems
        )


# --- discards ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Discard:
    words: tuple[str, ...]
    story: bool  # "+": the whole story is not coded, not just the sentence
    whole_word: bool  # a trailing "_": the match must end at a blank or punctuation
    line: int


@dataclass(frozen=True, slots=True)
class DiscardList:
    file: str
    entries: tuple[Discard, ...]
    problems: tuple[Problem, ...]


def read_discards(path: str | Path) -> DiscardList:
    path = Path(path)
    lines, problems = read_lines(path)
    entries: list[Discard] = []
    for number, text in lines:
        content, _ = _without_comment(text)
        stripped = content.split(";", 1)[0].strip()
        if not stripped:
            continue
        story = stripped.startswith("+")
        body = stripped[1:].strip() if story else stripped
        words = phrase_words(body)
        if not words or any(ch in body for ch in "[]{}"):
            problems.append(Problem(path.name, number, "discard phrase not understood", text))
            continue
        entries.append(Discard(words, story, body.endswith("_"), number))
    return DiscardList(path.name, tuple(entries), tuple(problems))

"""Trigger candidates: the words and phrases of lexicons/triggers.tsv found in a sentence.

`TriggerLexicon` reads the rows (`TriggerRule`); `find_triggers` matches them on a parsed
sentence: a verb or noun with the row's lemma, its particle ("call for", "appealed to donors
for") and the object words the row asks for ("opened an investigation"), the most specific row
first. Each match is a `Found` candidate, whose actors later steps attach. `word_lemmas` is the
cheap test the coder uses before parsing: could this word be a trigger at all?

Below our own rows sits a base layer, lexicons/triggers_petrarch.tsv: the PETRARCH-2 verb
patterns that were precise on the tuning sets (scripts/build_petrarch_base.py writes it). It is
a file of its own so that our rows can be edited without touching it. Ours win: a word's base
rows are tried only when none of our rows for the word matches (the most specific of them first,
as ours are), and a base row with the word and conditions of one of ours is not loaded at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LexiconError
from ..lexicon import _rows, load_table
from ..types import Sentence, Token
from .records import Found, TriggerRule
from .tree import subtree

if TYPE_CHECKING:
    from .mentions import SentenceActors

TRIGGER_COLUMNS = (
    "cameo",
    "pos",
    "lemma",
    "particle",
    "object",
    "target_prep",
    "negated",
    "complement",
    "note",
)
DEFAULT_TARGET_PREPS = ("to", "with", "against", "on")
BASE_LAYER = "triggers_petrarch.tsv"  # the imported base layer, below our triggers.tsv
SENSE_COLUMNS = ("lemma", "pos", "test", "words", "note")
SENSE_TESTS = frozenset({"object", "object-unless-asked", "particle", "clause-subject-not-actor"})


@dataclass(frozen=True, slots=True)
class SenseRule:
    """A row of lexicons/trigger_senses.tsv: when a trigger word is used in another sense."""

    lemma: str
    pos: str
    test: str  # one of SENSE_TESTS
    words: frozenset[str]
    entry: str  # trigger_senses.tsv:LINE


class TriggerLexicon:
    """lexicons/triggers.tsv, indexed by (pos, lemma)."""

    def __init__(
        self, lexicon_dir: str | Path | None = None, *, base_layer: bool | Path = True
    ) -> None:
        """Our rows (and LEXICON_DIR's), then the base layer: with BASE_LAYER True the packaged
        file, with a path that file instead (to measure other rows), with False none."""
        self.rules: dict[tuple[str, str], list[TriggerRule]] = {}
        rows = load_table("triggers.tsv", TRIGGER_COLUMNS, lexicon_dir)
        base = (
            resources.files("thucydides").joinpath("lexicons", BASE_LAYER)
            if base_layer is True
            else base_layer or None
        )
        if base is not None and base.is_file():
            # Named as the packaged file is, wherever it was read from: is_base knows its rows.
            rows.extend(_rows(base.read_text(encoding="utf-8"), BASE_LAYER, TRIGGER_COLUMNS))
        for row in rows:
            v = row.values
            if v["pos"] not in {"verb", "noun"} or not v["cameo"].isdigit() or not v["lemma"]:
                raise LexiconError(
                    f"{row.location}: needs a digit cameo, pos verb|noun and a lemma"
                )
            objects = tuple(
                tuple(alt.split()) for alt in v["object"].split("|") if alt.strip() and alt != "*"
            )
            preps = tuple(p for p in v["target_prep"].split("|") if p) or DEFAULT_TARGET_PREPS
            rule = TriggerRule(
                cameo=v["cameo"],
                pos=v["pos"],
                lemma=v["lemma"].lower(),
                particle=v["particle"].lower(),
                objects=objects,
                target_preps=preps,
                negated=v["negated"],
                complement=v["complement"] or "own",
                entry=row.location,
            )
            rules = self.rules.setdefault((rule.pos, rule.lemma), [])
            if row.location.startswith(BASE_LAYER) and any(
                (r.particle, r.objects) == (rule.particle, rule.objects) for r in rules
            ):
                continue  # one of our rows (or a user's) says what this word means here
            if not row.packaged:
                # A user's row for the same word and constraints replaces ours.
                rules[:] = [
                    r for r in rules if (r.particle, r.objects) != (rule.particle, rule.objects)
                ]
                rules.insert(0, rule)
            else:
                rules.append(rule)
        for rules in self.rules.values():
            # Ours (and a user's) before the base layer's, each the most specific first; stable:
            # file order among equals.
            rules.sort(key=lambda r: (is_base(r), -r.specificity))
        self.lemmas = frozenset(lemma for _, lemma in self.rules)
        self.senses: dict[tuple[str, str], list[SenseRule]] = {}
        for row in load_table("trigger_senses.tsv", SENSE_COLUMNS, lexicon_dir):
            v = row.values
            if v["pos"] not in {"verb", "noun"} or v["test"] not in SENSE_TESTS:
                raise LexiconError(
                    f"{row.location}: needs pos verb|noun and a test of {sorted(SENSE_TESTS)}"
                )
            sense = SenseRule(
                lemma=v["lemma"].lower(),
                pos=v["pos"],
                test=v["test"],
                words=frozenset(v["words"].lower().split()),
                entry=row.location,
            )
            self.senses.setdefault((sense.pos, sense.lemma), []).append(sense)

    def candidates(self, token: Token) -> list[TriggerRule]:
        # Proper nouns are names ("the Warsaw Pact", "March"), not events.
        pos = "verb" if token.pos == "VERB" else "noun" if token.pos == "NOUN" else ""
        if not pos:
            return []
        return self.rules.get((pos, token.lemma.lower()), [])


def is_base(rule: TriggerRule) -> bool:
    """A row of the imported base layer (lexicons/triggers_petrarch.tsv), not one of ours."""
    return rule.entry.startswith(BASE_LAYER)


def _layers(rules: list[TriggerRule]) -> list[list[TriggerRule]]:
    """Our rows for a word, then the base layer's (TriggerLexicon sorts them so)."""
    split = next((k for k, rule in enumerate(rules) if is_base(rule)), len(rules))
    return [layer for layer in (rules[:split], rules[split:]) if layer]


def find_triggers(
    triggers: TriggerLexicon, sentence: Sentence, actors: SentenceActors
) -> list[Found]:
    """The trigger rules that match in SENTENCE: at most one per word, the most specific of our
    rows, else the most specific of the base layer's."""
    out = []
    for i, token in enumerate(sentence.tokens):
        rules = triggers.candidates(token)
        if not rules:
            continue
        if token.pos == "VERB" and token.dep in {"amod", "compound"}:
            continue  # "the visiting minister" describes, it does not report
        if token.pos == "NOUN" and token.dep == "compound":
            continue
        if _shows(actors, i):
            continue  # "demonstrated that it could win": showing, not a demonstration
        # First the rules whose object names the object's head ("opened an investigation
        # into the border incident" is an investigation, not an opened border), then any.
        for layer in _layers(rules):
            matched = _first_match(actors, i, layer)
            if matched is not None:
                if other_sense(triggers, actors, matched) is None:
                    out.append(matched)
                break
    return out


def _first_match(actors: SentenceActors, i: int, rules: list[TriggerRule]) -> Found | None:
    # The verb's own object first ("signed an agreement on a ceasefire" is an agreement).
    for strict in (2, 1, 0):
        for rule in rules:
            if strict and not rule.objects:
                continue
            matched = match_rule(actors, i, rule, strict=strict)
            if matched is not None:
                return matched
    return None


def other_sense(triggers: TriggerLexicon, actors: SentenceActors, item: Found) -> SenseRule | None:
    """The row of trigger_senses.tsv by which the trigger ITEM is used in a sense that is no
    event ("charge customers a fee", "appeal to young voters"), or None."""
    i = item.index
    senses = triggers.senses.get((item.rule.pos, item.rule.lemma), [])
    if not senses:
        return None
    tokens = actors.tokens
    children = actors.children[i]
    passive = any(tokens[c].dep in {"auxpass", "nsubjpass"} for c in children)
    acted_on: set[str] = set()
    for j in object_phrase(actors, i, item.rule.pos, item.particle_index):
        acted_on |= {tokens[j].lemma.lower(), tokens[j].text.lower()}
    for c in children:
        if tokens[c].dep in {"acomp", "oprd", "advmod", "xcomp", "attr"}:
            acted_on |= {tokens[c].lemma.lower(), tokens[c].text.lower()}
    if tokens[i].dep == "relcl":  # "the tariffs the companies charge": what is charged
        acted_on |= {tokens[tokens[i].head].lemma.lower(), tokens[tokens[i].head].text.lower()}
    asks = any(
        (tokens[c].dep == "prep" and tokens[c].text.lower() == "for")
        or (tokens[c].dep in {"xcomp", "ccomp"} and tokens[c].pos in {"VERB", "AUX"})
        for c in children
    )
    for sense in senses:
        if sense.test == "object" and sense.words & acted_on:
            return sense
        if sense.test == "object-unless-asked" and sense.words & acted_on and not asks:
            return sense
        if (
            sense.test == "particle"
            and not passive
            and any(
                tokens[c].dep in {"prt", "prep"} and tokens[c].text.lower() in sense.words
                for c in children
            )
        ):
            return sense
        if sense.test == "clause-subject-not-actor":
            for clause in children:
                if tokens[clause].dep != "ccomp":
                    continue
                subject = next(
                    (c for c in actors.children[clause] if tokens[c].dep in {"nsubj", "nsubjpass"}),
                    None,
                )
                if subject is not None and not _names_an_actor(actors, subject):
                    return sense
    return None


# Verbs of protest that with an object or a clause mean showing something.
SHOWING_VERBS = frozenset({"demonstrate"})


def _shows(actors: SentenceActors, i: int) -> bool:
    """ "demonstrated that ...", "demonstrated its resolve": to show, not to protest."""
    return actors.tokens[i].lemma.lower() in SHOWING_VERBS and any(
        actors.tokens[c].dep in {"ccomp", "dobj", "obj", "xcomp", "attr"}
        for c in actors.children[i]
    )


def _names_an_actor(actors: SentenceActors, i: int) -> bool:
    """Is the word at I itself an actor (a name, an office, a pronoun), not a thing an actor
    describes ("the aims of the Chilean policy")?"""
    token = actors.tokens[i]
    return actors.mention(i) is not None and (
        actors.is_name(i)
        or actors.is_organization(i)
        or i in actors.agent_at
        or token.pos == "PRON"
        or token.entity == "PERSON"
    )


def match_rule(
    actors: SentenceActors, i: int, rule: TriggerRule, *, strict: int = 0
) -> Found | None:
    """RULE at token I, or None. STRICT 2: the rule's object word heads the verb's direct
    object; 1: any object or prepositional object; 0: anywhere in the object phrase."""
    tokens = actors.tokens
    particle_index = None
    if rule.particle:
        for child in actors.children[i]:
            if tokens[child].dep in {"prt", "prep", "agent", "dative"} and (
                tokens[child].text.lower() == rule.particle
            ):
                if rule.pos == "verb" and child < i:
                    continue  # "In a speech, he gave ...": a fronted phrase, not "give in"
                particle_index = child
                break
        if particle_index is None and rule.pos == "verb":
            # The parser often hangs the preposition on the object: "appealed to donors for
            # aid" has "for" under "donors".
            for child in actors.children[i]:
                for grandchild in actors.children[child]:
                    if tokens[grandchild].dep == "pobj":
                        for candidate in actors.children[grandchild]:
                            if (
                                tokens[candidate].dep == "prep"
                                and tokens[candidate].text.lower() == rule.particle
                            ):
                                particle_index = candidate
        if particle_index is None:
            return None
    object_tokens: frozenset[int] = frozenset()
    if rule.objects:
        phrase = object_phrase(actors, i, rule.pos, particle_index)
        lemmas = {tokens[j].lemma.lower() for j in phrase} | {
            tokens[j].text.lower() for j in phrase
        }
        if not any(all(word in lemmas for word in alt) for alt in rule.objects):
            return None
        if strict:
            heads = {
                tokens[j].lemma.lower()
                for j in phrase
                if tokens[j].dep
                in (
                    {"dobj", "obj", "nsubjpass", "attr"}
                    if strict > 1
                    else {"dobj", "obj", "pobj", "nsubjpass", "attr", "conj"}
                )
                or (rule.pos == "noun" and tokens[j].head == i)
            }
            if not any(alt[-1] in heads and all(w in lemmas for w in alt) for alt in rule.objects):
                return None
        object_tokens = frozenset(phrase)
    elif rule.pos == "verb":
        # A noun trigger inside the verb's object is told by the verb ("rejected an offer of
        # talks"): it is not coded again.
        object_tokens = frozenset(object_phrase(actors, i, "verb", particle_index))
    return Found(i, rule, object_tokens, particle_index)


def object_phrase(
    actors: SentenceActors, i: int, pos: str, particle_index: int | None
) -> list[int]:
    """The words of what the trigger at I acts on: a verb's objects (and those behind its
    particle or prepositions), a noun's whole phrase; not relative clauses."""
    tokens = actors.tokens
    heads: list[int] = []
    if pos == "noun":
        return [j for j in subtree(actors, i) if j != i and tokens[j].dep != "relcl"]
    if particle_index is not None and tokens[particle_index].dep in {"prep", "agent"}:
        heads.extend(c for c in actors.children[particle_index] if tokens[c].dep == "pobj")
    for child in actors.children[i]:
        dep = tokens[child].dep
        if dep in {"dobj", "obj", "attr", "nsubjpass", "oprd", "dative"} or (
            dep == "xcomp" and tokens[child].pos in {"NOUN", "ADJ"}
        ):
            heads.append(child)
    if particle_index is None:
        # Objects behind a particle-less preposition still describe the event ("appealed
        # for aid", "took part in talks").
        for child in actors.children[i]:
            if tokens[child].dep == "prep":
                heads.extend(c for c in actors.children[child] if tokens[c].dep == "pobj")
    out: list[int] = []
    for head in heads:
        out.extend(j for j in subtree(actors, head) if tokens[j].dep != "relcl")
    return out


def governed_triggers(actors: SentenceActors, found: list[Found]) -> dict[int, int]:
    """Triggers governed by another trigger, which are part of it ("agreed to hold talks"):
    governed trigger token -> governing trigger token."""
    by_index = {item.index: item for item in found}
    governed: dict[int, int] = {}
    for item in found:
        for child in actors.children[item.index]:
            if child not in by_index:
                continue
            dep = actors.tokens[child].dep
            # A purpose or manner clause without its own subject ("telephoned X to
            # discuss", "hold talks, discussing ...") is part of the governing event.
            if dep in {"xcomp", "ccomp"} or (
                dep == "advcl"
                and not any(
                    actors.tokens[c].dep in {"nsubj", "nsubjpass"} for c in actors.children[child]
                )
            ):
                governed[child] = item.index
    return governed


def complement_of(
    actors: SentenceActors, item: Found, by_index: dict[int, Found], governed: dict[int, int]
) -> Found | None:
    """The trigger ITEM governs as its complement ("agreed to hold talks": "hold talks"), whose
    code a promise takes (the last one, as the parse lists them)."""
    i = item.index
    complement = None
    for child in actors.children[i]:
        if governed.get(child) == i and actors.tokens[child].dep in {"xcomp", "ccomp"}:
            complement = by_index[child]
    return complement


# Irregular forms of trigger verbs, for word_lemmas.
_IRREGULAR = {
    "met": "meet",
    "held": "hold",
    "sent": "send",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "fought": "fight",
    "brought": "bring",
    "made": "make",
    "paid": "pay",
    "went": "go",
    "gone": "go",
    "spoke": "speak",
    "spoken": "speak",
    "threw": "throw",
    "thrown": "throw",
    "shot": "shoot",
    "struck": "strike",
    "stricken": "strike",
    "seized": "seize",
    "sold": "sell",
    "bought": "buy",
    "left": "leave",
    "led": "lead",
    "fled": "flee",
    "won": "win",
    "lost": "lose",
    "beat": "beat",
    "beaten": "beat",
    "broke": "break",
    "broken": "break",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "forgave": "forgive",
    "forgiven": "forgive",
    "froze": "freeze",
    "frozen": "freeze",
    "blew": "blow",
    "blown": "blow",
    "stole": "steal",
    "stolen": "steal",
    "bound": "bind",
    "hit": "hit",
    "cut": "cut",
    "put": "put",
    "set": "set",
    "let": "let",
    "shut": "shut",
    "told": "tell",
    "said": "say",
    "sought": "seek",
    "kept": "keep",
    "rode": "ride",
    "overran": "overrun",
    "undertook": "undertake",
    "undertaken": "undertake",
    "began": "begin",
    "begun": "begin",
    "drove": "drive",
    "driven": "drive",
    "rose": "rise",
    "risen": "rise",
    "swore": "swear",
    "sworn": "swear",
    "chose": "choose",
    "chosen": "choose",
    "forbade": "forbid",
    "forbidden": "forbid",
    "dealt": "deal",
    "meant": "mean",
    "hid": "hide",
    "hidden": "hide",
    "slew": "slay",
    "slain": "slay",
    "stood": "stand",
    "understood": "understand",
    "upheld": "uphold",
    "withheld": "withhold",
    "overthrew": "overthrow",
    "overthrown": "overthrow",
    "bled": "bleed",
    "fed": "feed",
    "laid": "lay",
    "lent": "lend",
    "spent": "spend",
    "wrote": "write",
    "written": "write",
    "ran": "run",
    "came": "come",
    "became": "become",
}


def word_lemmas(word: str) -> set[str]:
    """Cheap guesses at the lemma of WORD: enough to know whether it may be a trigger."""
    w = word.lower().strip(".'-")
    out = {w}
    if w in _IRREGULAR:
        out.add(_IRREGULAR[w])
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: len(w) - len(suffix)] + repl
            out.add(stem)
            if len(stem) > 2 and stem[-1] == stem[-2] and suffix in {"ed", "ing"}:
                out.add(stem[:-1])  # "planned" -> "plan"
    return out

"""A learned scorer over the coder's candidate events: broad proposals, a linear model decides.

The rule coder is precise but proposes few of the events real news reports. This step proposes
many: for each trigger word of a parsed sentence (every row of lexicons/triggers.tsv that its
lemma has, and the statement verbs of speech.py as criticism or praise), each PLOVER type those
rows give, crossed with the actor mentions of the sentence (coreference included, as
mentions.py resolves them) as source and as target, or no target. The rule coder's own events
join as candidates too, with their rule and confidence. Each candidate carries sparse binary
features (`CandidateGenerator.propose`): lemmas around the trigger, the row's CAMEO code, the
dependency path from trigger to each actor, the actors' roles and kinds, modality and negation
cues, distances, whether the rule coder made this event.

`EventScorer` is a logistic regression over those features (trained by thucydides.training): it
gives each candidate a probability that it is an event the gold would code (source country,
target country, PLOVER type), and `select` keeps, per trigger, the best type and actor pair above
the model's threshold (and the reverse pair of a mutual event); with the model's `keep_rules`, a
trigger the rules made an event of keeps the rules' events only. An event the model adds is
made by the rules' Assembler (assembly.py: dated, placed, office holders coded for its date).
Every kept event records its score as `confidence` and the features that weighed most in
`evidence`; `rule` keeps saying how its trigger and actors were found.

The model file is JSON (never a pickle): the feature vocabulary, the weights, the threshold, and
what it was trained on (data and lexicon hashes, seed).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from ..types import Actor, Event, Sentence
from .assembly import Assembler
from .candidates import TriggerLexicon
from .mentions import DocumentContext, SentenceActors
from .modality import (
    CONDITION_MARKS,
    FUTURE_AUX,
    HYPOTHETICAL_MODALS,
    INTENT_VERBS,
    NEGATIONS,
    SPEECH_VERBS,
)
from .records import Mention
from .speech import CRITICISM_CODE, PRAISE_CODE, STATEMENT_VERBS, EvaluationLexicon
from .typing import CameoTable

if TYPE_CHECKING:
    from .pipeline import EventCoder

MODEL_FORMAT = "thucydides-scorer/1"
# The model built by `thucydides train` from annotations/ (see the README), shipped in the package.
PACKAGED_MODEL = Path(__file__).parent.parent / "models" / "scorer.json"
ERROR_CODE = "T703"  # a model file that cannot be used
# Parts of speech that can head an actor mention.
_MENTION_POS = frozenset({"NOUN", "PROPN", "PRON"})
# At most this many actor slots per sentence, nearest the trigger first: keeps a long sentence's
# candidates bounded (slots x slots per trigger type).
MAX_SLOTS = 6
# At most this many dependency arcs between a trigger and an actor it is paired with.
MAX_PATH = 6
# Dependency labels of a word inside a larger noun phrase ("US" in "US troops"): not a slot of
# its own (its head's mention carries its actors). Possessors stay ("Iran's programme").
_INNER_DEPS = frozenset({"compound", "amod", "appos", "conj", "nmod"})
# The head of a slot no word of the sentence names (the story's government).
IMPLICIT = -1
RULE_ONLY = -2  # an actor of a rule event that no candidate has
# Dependency labels that name an actor's role towards a trigger.
_ROLE_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "dative", "pobj", "agent", "poss", "compound", "appos"}
)


@dataclass(frozen=True, slots=True)
class Slot:
    """One actor of a mention in a sentence."""

    actor: Actor
    head: int  # token index of the mention's head
    resolved: bool  # coded from context (coreference), not from its own words


@dataclass(slots=True)
class Candidate:
    """A possible event: a trigger, a PLOVER type and CAMEO code, a source and maybe a target."""

    sentence: Sentence
    trigger: int  # token index in the sentence
    trigger_start: int  # offset of the trigger in the clean body
    plover: str
    cameo: str
    source: Slot
    target: Slot | None
    # The features in groups with no feature in two groups (a group is shared by the
    # candidates it describes: the trigger's, each actor's, ...), so a score adds up the
    # group sums once per group object (`EventScorer.score`).
    parts: list[list[str]]
    rule_event: Event | None = None  # the rule coder's event this candidate is, if any
    score: float = 0.0

    @property
    def features(self) -> list[str]:
        return [f for part in self.parts for f in part]

    @property
    def triple(self) -> tuple[str, str | None, str]:
        target = self.target.actor.key if self.target is not None else None
        return (self.source.actor.key, None if target == "---" else target, self.plover)


@dataclass
class SentenceCandidates:
    """The candidates of one sentence, with the analysis they came from (to build events)."""

    sentence: Sentence
    actors: SentenceActors
    candidates: list[Candidate] = field(default_factory=list)


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7-11" if n < 12 else "12+"


def _ancestors(actors: SentenceActors, i: int) -> list[int]:
    chain = [i]
    seen = {i}
    while True:
        head = actors.tokens[chain[-1]].head
        if head == chain[-1] or head in seen or not 0 <= head < len(actors.tokens):
            return chain
        chain.append(head)
        seen.add(head)


def dependency_path(actors: SentenceActors, trigger: int, head: int) -> tuple[str, int]:
    """The labels from HEAD up to the lowest common ancestor, then down to TRIGGER:
    "nsubj>" for a subject, "pobj>prep>" for the object of a preposition on the trigger,
    ">conj" when the trigger is a conjunct below the actor's verb; and the path's length."""
    up_actor = _ancestors(actors, head)
    up_trigger = _ancestors(actors, trigger)
    on_trigger = {t: k for k, t in enumerate(up_trigger)}
    for k, node in enumerate(up_actor):
        if node in on_trigger:
            tokens = actors.tokens
            rising = [tokens[n].dep for n in up_actor[:k]]
            falling = [tokens[n].dep for n in up_trigger[: on_trigger[node]]]
            path = ">".join(rising[:4]) + ">" + "<".join(falling[:3])
            return path, k + on_trigger[node]
    return "none", 99


def _role(actors: SentenceActors, trigger: int, head: int) -> str:
    """The actor's dependency label, and whether it hangs on the trigger or further away."""
    token = actors.tokens[head]
    parent = token.head
    if parent == trigger:
        return f"{token.dep}@trigger"
    if 0 <= parent < len(actors.tokens) and actors.tokens[parent].head == trigger:
        via = actors.tokens[parent]
        return f"{token.dep}@{via.dep}:{via.lemma.lower()}"
    return f"{token.dep}@far"


def _kind(slot: Slot) -> str:
    actor = slot.actor
    if actor.organization:
        return f"org:{actor.organization_kind or '?'}"
    entry = actor.entry.split("+")[0].split(":")[0]
    if actor.name:
        return f"person:{entry}"
    return f"{entry}:{'country' if actor.country else 'none'}"


def _modality_cues(actors: SentenceActors, trigger: int) -> list[str]:
    tokens = actors.tokens
    cues: list[str] = []
    children = actors.children[trigger]
    for child in children:
        lower = tokens[child].text.lower()
        if tokens[child].dep == "neg" or lower in NEGATIONS:
            cues.append("neg")
        if tokens[child].dep == "aux" and lower in HYPOTHETICAL_MODALS | {"would"}:
            cues.append(f"modal:{lower}")
        if tokens[child].dep == "aux" and lower in FUTURE_AUX:
            cues.append("future")
        if tokens[child].dep == "mark" and lower in CONDITION_MARKS:
            cues.append(f"mark:{lower}")
        if tokens[child].dep == "auxpass":
            cues.append("passive")
    chain = _ancestors(actors, trigger)
    for depth, node in enumerate(chain[1:4], start=1):
        lemma = tokens[node].lemma.lower()
        if lemma in INTENT_VERBS:
            cues.append(f"governor:intent:{lemma}")
        if lemma in SPEECH_VERBS:
            cues.append("reported")
            cues.append(f"reported:{depth}")
        if lemma in {"deny", "reject", "refuse", "fail", "cancel", "postpone"}:
            cues.append(f"governor:undo:{lemma}")
        for child in actors.children[node]:
            word = tokens[child].text.lower()
            if tokens[child].dep == "neg":
                cues.append(f"governor_neg:{depth}")
            if tokens[child].dep == "mark" and word in CONDITION_MARKS:
                cues.append(f"governor_mark:{word}")
    if actors.sentence.text.rstrip().endswith("?"):
        cues.append("question")
    before = actors.sentence.text[: tokens[trigger].start - actors.sentence.start]
    if before.count('"') % 2 == 1:
        cues.append("quoted")
    return cues


class CandidateGenerator:
    """Proposes candidates for one analysed sentence. Holds lexicons only."""

    def __init__(
        self, triggers: TriggerLexicon, cameo: CameoTable, evaluations: EvaluationLexicon
    ) -> None:
        self.triggers = triggers
        self.cameo = cameo
        self.evaluations = evaluations

    def types_of(self, actors: SentenceActors, i: int) -> list[tuple[str, str, str]]:
        """(PLOVER type, CAMEO code, trigger row) for token I: one per type its rows give."""
        token = actors.tokens[i]
        out: dict[str, tuple[str, str, str]] = {}
        rows = self.triggers.candidates(token)
        for rule in sorted(rows, key=lambda r: r.specificity):
            try:
                info = self.cameo.get(rule.cameo)
            except KeyError:
                continue
            if info.plover_type and info.plover_type not in out:
                out[info.plover_type] = (info.plover_type, rule.cameo, rule.entry)
        if token.pos == "VERB" and token.lemma.lower() in STATEMENT_VERBS:
            for code in (CRITICISM_CODE, PRAISE_CODE):
                info = self.cameo.get(code)
                out.setdefault(info.plover_type, (info.plover_type, code, "speech"))
        return list(out.values())

    def slots(self, actors: SentenceActors) -> list[Slot]:
        """The actors the sentence's mentions code, and the story's government (the publisher's
        or the story's country, as "the government" is read): the actor a domestic story's
        criticism and appeals most often aim at without naming it."""
        out: list[Slot] = []
        seen: set[tuple[str, int]] = set()
        story = actors.context.story_country()
        if story is not None:
            implicit = Actor("", -1, -1, story, "GOV", entry="rule:story-government")
            out.append(Slot(implicit, IMPLICIT, True))
        tokens = actors.tokens
        for i, token in enumerate(tokens):
            if token.pos not in _MENTION_POS:
                continue
            if token.dep in _INNER_DEPS and tokens[token.head].pos in _MENTION_POS:
                continue  # a word inside a larger phrase: its head's mention has its actors
            mention = actors.mention(i)
            if mention is None:
                continue
            for actor in mention.actors:
                key = (actor.code, mention.head)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Slot(actor, mention.head, mention.resolved))
        return out

    def propose(self, sentence: Sentence, actors: SentenceActors) -> SentenceCandidates:
        found = SentenceCandidates(sentence, actors)
        if not sentence.tokens:
            return found
        tokens = actors.tokens
        # Trigger words first: a sentence with none needs no actor lookups.
        typed_at = [
            (i, found_types)
            for i in range(len(tokens))
            if (found_types := self.types_of(actors, i))
        ]
        if not typed_at:
            return found
        slots = self.slots(actors)
        if not any(s.head != IMPLICIT for s in slots):
            return found
        polarity = self.evaluations.polarity
        evaluative = [polarity[t.lemma.lower()] for t in tokens if t.lemma.lower() in polarity]
        sentence_cues = [f"eval:{p}" for p in sorted(set(evaluative))]
        position = f"sent:{_bucket(sentence.index)}"
        entities: dict[int, str] = {IMPLICIT: "implicit", RULE_ONLY: "-"}
        for i, kinds in typed_at:
            token = tokens[i]
            paths = {s.head: dependency_path(actors, i, s.head) for s in slots if s.head >= 0}
            # Actors too far from the trigger in the tree are almost never its arguments:
            # dropping them early keeps the pairs (slots x slots per type) few.
            near = [s for s in slots if s.head == IMPLICIT or paths[s.head][1] <= MAX_PATH]
            near.sort(key=lambda s: abs(s.head - i) if s.head != IMPLICIT else 0)
            near = near[: MAX_SLOTS + 1]
            if not any(s.head != IMPLICIT for s in near):
                continue
            lemma = token.lemma.lower()
            head = tokens[token.head] if 0 <= token.head < len(tokens) else token
            base = [
                f"lemma:{lemma}",
                f"pos:{token.pos}",
                f"tag:{token.tag}",
                f"dep:{token.dep}",
                f"head:{head.lemma.lower()}",
                f"headdep:{head.dep}",
                position,
                *sentence_cues,
                *(f"child:{tokens[c].dep}:{tokens[c].lemma.lower()}" for c in actors.children[i]),
                *_modality_cues(actors, i),
            ]
            roles = {s.head: _role(actors, i, s.head) for s in near if s.head >= 0}
            paths[IMPLICIT], roles[IMPLICIT] = ("implicit", 0), "implicit"
            for s in near:  # the named-entity type of each actor's head word ("-" for none)
                if s.head >= 0 and s.head not in entities:
                    entities[s.head] = tokens[s.head].entity or "-"
            base = list(dict.fromkeys(base))
            # Pairs' features, made once per trigger and shared by its types.
            pairs = {
                (k, m): _pair_features(a, b, roles)
                for k, a in enumerate(near)
                for m, b in enumerate(near)
                if a.head != b.head and i not in (a.head, b.head)
            }
            for plover, cameo, entry in kinds:
                typed_pair = {same: [f"{plover}|pair:same_key:{same}"] for same in (True, False)}
                typed = ["bias", f"type:{plover}", f"cameo:{cameo}", f"root:{cameo[:2]}"]
                typed += [f"row:{entry}", *(f"{plover}|{f}" for f in base)]
                typed.append(f"types_for_trigger:{_bucket(len(kinds))}")
                typed = list(dict.fromkeys(typed))  # a group's features once each (`score_all`)
                # Each actor's features are made once per type, and shared by its pairs.
                as_source = [
                    _slot_features("src", s, i, paths, roles, entities, plover) for s in near
                ]
                as_target = [
                    _slot_features("tgt", s, i, paths, roles, entities, plover) for s in near
                ]
                no_target = ["tgt:none", f"{plover}|tgt:none"]
                for k, source in enumerate(near):
                    if source.head == i:
                        continue
                    for m, target in [(-1, None), *enumerate(near)]:
                        if target is not None and (target.head == source.head or target.head == i):
                            continue
                        if target is None:
                            parts = [typed, base, as_source[k], no_target]
                        else:
                            same = source.actor.key == target.actor.key
                            parts = [typed, base, as_source[k], as_target[m], pairs[k, m]]
                            parts.append(typed_pair[same])
                        found.candidates.append(
                            Candidate(
                                sentence, i, token.start, plover, cameo, source, target, parts
                            )
                        )
        return found


def _slot_features(
    side: str,
    slot: Slot,
    trigger: int,
    paths: dict[int, tuple[str, int]],
    roles: dict[int, str],
    entities: dict[int, str],
    plover: str,
) -> list[str]:
    path, length = paths[slot.head]
    role = roles[slot.head]
    actor = slot.actor
    distance = slot.head - trigger
    where = "implicit" if slot.head == IMPLICIT else "before" if distance < 0 else "after"
    feats = [
        f"{side}:path:{path}",
        f"{side}:pathlen:{_bucket(length)}",
        f"{side}:role:{role}",
        f"{side}:kind:{_kind(slot)}",
        f"{side}:sector:{actor.sector or '-'}",
        f"{side}:has_country:{bool(actor.country)}",
        f"{side}:{where}",
        f"{side}:dist:{_bucket(abs(distance)) if slot.head != IMPLICIT else 'implicit'}",
        f"{side}:coref:{slot.resolved}",
        f"{side}:ner:{entities[slot.head]}",
        f"{plover}|{side}:path:{path}",
        f"{plover}|{side}:role:{role}",
        f"{plover}|{side}:sector:{actor.sector or '-'}",
        f"{plover}|{side}:{where}",
    ]
    return feats


def _pair_features(source: Slot, target: Slot, roles: dict[int, str]) -> list[str]:
    """What a source and target are to each other, whatever the type (the typed feature is
    `_typed_pair`)."""
    same = source.actor.key == target.actor.key
    feats = [
        f"pair:same_key:{same}",
        f"pair:same_sector:{source.actor.sector == target.actor.sector}",
        f"pair:roles:{roles[source.head]}/{roles[target.head]}",
        f"pair:order:{'st' if source.head < target.head else 'ts'}",
    ]
    if same:
        feats.append(f"pair:same_key_sectors:{source.actor.sector}/{target.actor.sector}")
    return feats


def attach_rule_events(found: SentenceCandidates, events: Sequence[Event]) -> None:
    """Mark the candidates the rule coder made; add its events no candidate covers."""
    by_trigger: dict[int, int] = {t.start: k for k, t in enumerate(found.actors.tokens)}
    sentence_triples = {_event_triple(e) for e in events}
    in_sentence = ["rule:triple_in_sentence"]
    for candidate in found.candidates:
        if candidate.triple in sentence_triples:
            candidate.parts.append(in_sentence)
    for event in events:
        index = by_trigger.get(event.trigger_start)
        triple = _event_triple(event)
        matches = [
            c
            for c in found.candidates
            if c.triple == triple and (index is None or c.trigger == index)
        ]
        rule_feats = [
            "rule:made",
            f"rule:how:{event.rule.rsplit(':', 1)[-1]}",
            f"rule:conf:{min(9, int(event.confidence * 10))}",
            f"rule:modality:{event.modality}",
            f"rule:type:{event.plover_type}",
            f"rule:reciprocal:{event.reciprocal}",
        ]
        if matches:
            for c in matches:
                if c.rule_event is None:  # one event's features per candidate
                    c.parts.append(rule_feats)
                c.rule_event = event
            continue
        source = Slot(event.source, RULE_ONLY, "coref" in event.source.entry)
        target = (
            Slot(event.target, RULE_ONLY, "coref" in event.target.entry)
            if event.target is not None
            else None
        )
        found.candidates.append(
            Candidate(
                found.sentence,
                index if index is not None else 0,
                event.trigger_start,
                event.plover_type,
                event.cameo,
                source,
                target,
                [["bias", "rule:only", f"type:{event.plover_type}"], rule_feats],
                rule_event=event,
            )
        )


def _event_triple(event: Event) -> tuple[str, str | None, str]:
    target = event.target.key if event.target is not None else None
    return (event.source.key, None if target == "---" else target, event.plover_type)


# --- the model ---------------------------------------------------------------------------------


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class EventScorer:
    """Logistic regression over candidate features; see the module doc."""

    vocabulary: dict[str, int]
    weights: np.ndarray  # one per vocabulary entry
    bias: float
    threshold: float
    info: dict[str, Any] = field(default_factory=dict)  # training data, lexicons, seed, scores
    # The threshold for events the rules make at rule_min_confidence or more (see `select`).
    rule_threshold: float | None = None
    rule_min_confidence: float = 0.4
    # Where the rules made an event, keep theirs and add none (see `select`).
    keep_rules: bool = False
    # The weights as a plain list: the scoring loop reads them faster than numpy's scalars.
    _weights: list[float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._weights = np.asarray(self.weights, dtype=np.float64).tolist()

    def raw(self, features: Iterable[str]) -> float:
        vocabulary, weights = self.vocabulary, self.weights
        total = self.bias
        for f in set(features):
            k = vocabulary.get(f)
            if k is not None:
                total += float(weights[k])
        return total

    def probability(self, features: Iterable[str]) -> float:
        return _logistic(self.raw(features))

    def score(self, candidate: Candidate, sums: dict[int, float]) -> float:
        """CANDIDATE's probability, adding up its feature groups; SUMS caches each group's
        sum by the group's identity (groups are shared by many candidates of a sentence)."""
        return self.score_all([candidate], sums)[0]

    def score_all(
        self, candidates: Sequence[Candidate], sums: dict[int, float] | None = None
    ) -> list[float]:
        """The probability of each of CANDIDATES (see `score`); the hot loop of the scorer, so
        it reads weights from a plain list and each shared group's sum once."""
        if sums is None:
            sums = {}
        lookup = self.vocabulary.get
        weights = self._weights
        bias = self.bias
        out: list[float] = []
        for candidate in candidates:
            total = bias
            for part in candidate.parts:
                key = id(part)
                partial = sums.get(key)
                if partial is None:
                    partial = 0.0
                    for f in part:
                        k = lookup(f)
                        if k is not None:
                            partial += weights[k]
                    sums[key] = partial
                total += partial
            out.append(_logistic(total))
        return out

    def explain(self, features: Iterable[str], top: int = 5) -> list[tuple[str, float]]:
        """The features that weighed most (by absolute weight) in this decision; not "bias",
        which every candidate has and so explains none."""
        weighted = [
            (f, float(self.weights[self.vocabulary[f]]))
            for f in set(features)
            if f in self.vocabulary and f != "bias"
        ]
        # Features that always occur together weigh exactly alike: ties go by name, so that the
        # same decision is explained the same way in every run (not by the set's hash order).
        weighted.sort(key=lambda fw: (-round(abs(fw[1]), 6), fw[0]))
        return [(f, round(w, 3)) for f, w in weighted[:top]]

    def to_json(self) -> dict[str, Any]:
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {
            "format": MODEL_FORMAT,
            "threshold": self.threshold,
            "rule_threshold": self.rule_threshold,
            "rule_min_confidence": self.rule_min_confidence,
            "keep_rules": self.keep_rules,
            "bias": self.bias,
            "features": names,
            "weights": [round(float(self.weights[self.vocabulary[n]]), 5) for n in names],
            "info": self.info,
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> EventScorer:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(
                str(path), f"cannot read the scorer model: {exc}", code=ERROR_CODE
            ) from exc
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise InputError(str(path), f"not a {MODEL_FORMAT} model file", code=ERROR_CODE)
        names, weights = data.get("features"), data.get("weights")
        if (
            not isinstance(names, list)
            or not isinstance(weights, list)
            or len(names) != len(weights)
        ):
            raise InputError(str(path), "features and weights do not match", code=ERROR_CODE)
        return cls(
            {str(n): k for k, n in enumerate(names)},
            np.asarray(weights, dtype=np.float64),
            float(data.get("bias", 0.0)),
            float(data.get("threshold", 0.5)),
            dict(data.get("info") or {}),
            None if data.get("rule_threshold") is None else float(data["rule_threshold"]),
            float(data.get("rule_min_confidence", 0.4)),
            bool(data.get("keep_rules", False)),
        )


def select(
    candidates: Sequence[Candidate],
    threshold: float,
    rule_threshold: float | None = None,
    rule_min_confidence: float = 0.4,
    keep_rules: bool = False,
) -> list[Candidate]:
    """The candidates kept in one sentence (scores set). A candidate is eligible at THRESHOLD,
    or at RULE_THRESHOLD when it is an event the rules make at RULE_MIN_CONFIDENCE or more
    (those are precise: the model needs less to keep them). Per trigger word: the best eligible
    type and pair, the reverse pair of that event ("X and Y held talks"), and every eligible
    event of the rules; one candidate per triple.

    With KEEP_RULES, a trigger word the rules made an event of keeps the rules' events only
    (each unless the model scores it under RULE_THRESHOLD): the model adds events only at
    trigger words the rules made none of, so it cannot swap a precise rule pair for its own."""
    rule_cut = threshold if rule_threshold is None else rule_threshold

    def ruled(c: Candidate) -> bool:
        return c.rule_event is not None and c.rule_event.confidence >= rule_min_confidence

    def eligible(c: Candidate) -> bool:
        return c.score >= (rule_cut if ruled(c) else threshold)

    by_trigger: dict[int, list[Candidate]] = {}
    for c in candidates:
        if eligible(c):
            by_trigger.setdefault(c.trigger_start, []).append(c)
    rule_triggers = {c.trigger_start for c in candidates if c.rule_event is not None}
    kept: dict[tuple[str, str | None, str], Candidate] = {}
    for at, group in by_trigger.items():
        if keep_rules and at in rule_triggers:
            chosen = [c for c in group if c.rule_event is not None]
        else:
            best = max(group, key=lambda c: c.score)
            chosen = [best, *(c for c in group if c.rule_event is not None and c is not best)]
            if best.target is not None:
                reverse = [
                    c
                    for c in group
                    if c.plover == best.plover
                    and c.target is not None
                    and c.source.actor.key == best.target.actor.key
                    and c.target.actor.key == best.source.actor.key
                ]
                if reverse:
                    chosen.append(max(reverse, key=lambda c: c.score))
        for c in chosen:
            if c.triple not in kept or kept[c.triple].score < c.score:
                kept[c.triple] = c
    return sorted(kept.values(), key=lambda c: (c.trigger_start, -c.score))


class ScoredCoding:
    """Turns the kept candidates of a document into events: a rule event keeps its record
    (score and reasons set); a new one is made by the rules' Assembler, dated and placed as
    the rules' events are."""

    def __init__(self, scorer: EventScorer, assembler: Assembler) -> None:
        self.scorer = scorer
        self.assembler = assembler

    def events_of(self, found: SentenceCandidates) -> list[Event]:
        for c, score in zip(found.candidates, self.scorer.score_all(found.candidates), strict=True):
            c.score = score
        out: list[Event] = []
        scorer = self.scorer
        kept = select(
            found.candidates,
            scorer.threshold,
            scorer.rule_threshold,
            scorer.rule_min_confidence,
            scorer.keep_rules,
        )
        for c in kept:
            evidence = ", ".join(f"{f}={w:+.2f}" for f, w in self.scorer.explain(c.features))
            confidence = round(c.score, 3)
            if c.rule_event is not None:
                out.append(replace(c.rule_event, confidence=confidence, evidence=evidence))
                continue
            out.append(self._new_event(found, c, confidence, evidence))
        return out

    def _new_event(
        self, found: SentenceCandidates, c: Candidate, confidence: float, evidence: str
    ) -> Event:
        actors = found.actors
        future = any(
            actors.tokens[k].text.lower() in FUTURE_AUX for k in actors.children[c.trigger]
        )
        row = next((f[4:] for f in c.features if f.startswith("row:")), "scorer")
        source = Mention((c.source.actor,), c.source.head, c.source.resolved)
        target = (
            Mention((c.target.actor,), c.target.head, c.target.resolved)
            if c.target is not None
            else None
        )
        return self.assembler.scored(
            found.sentence,
            actors,
            c.trigger,
            c.cameo,
            source,
            target,
            "intended" if future else "asserted",
            f"{row}:scorer",
            confidence,
            evidence,
        )


def propose_document(
    coder: EventCoder,
    generator: CandidateGenerator,
    doc_id: str,
    sentences: Iterable[Sentence],
    context: DocumentContext,
) -> tuple[list[SentenceCandidates], list[Event]]:
    """Every sentence's candidates, with the rule coder's events (confidence set, not merged)
    attached; and those rule events."""
    proposed: list[SentenceCandidates] = []

    def observe(sentence: Sentence, actors: SentenceActors) -> None:
        proposed.append(generator.propose(sentence, actors))

    events = coder.code_document(doc_id, sentences, context, merge=False, observe=observe)
    by_sentence: dict[int, list[Event]] = {}
    for event in events:
        by_sentence.setdefault(event.sentence_index, []).append(event)
    for found in proposed:
        attach_rule_events(found, by_sentence.get(found.sentence.index, []))
    return proposed, events


def resolve_scorer_model(value: str | None) -> Path | None:
    """The model file a setting or --model names: "packaged" (the shipped one), a path, or
    "", "none" or "rules" for the rules alone."""
    if value is None or value.strip().lower() in {"", "none", "rules"}:
        return None
    if value.strip().lower() == "packaged":
        return PACKAGED_MODEL if PACKAGED_MODEL.is_file() else None
    return Path(value)

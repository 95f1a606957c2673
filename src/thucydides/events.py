"""Event detection and classification: triggers -> CAMEO + PLOVER events with their actors.

For every word of a parsed sentence that the trigger lexicon (lexicons/triggers.tsv) knows, the
coder finds the source and target in the dependency structure, decides the event's modality, and
codes it:

- Source: the subject; through control and raising verbs ("are scheduled to hold", "agreed to
  undertake"), shared subjects of coordinated verbs, relative clauses, and the "by" agent of a
  passive ("were signed with Russia by the minister"). Nominal events ("the visit by X to Y",
  "talks between X and Y", "Russia's attack on Y") take the source from the noun phrase.
- Target: a dative or direct object that is an actor, else the object of a target preposition
  ("to", "with", "against", "on"), else an actor inside the object phrase ("rejected North
  Korea's demand"), else the subject of a demanded clause ("demanded that the US cancel").
- Reported speech: speech verbs are not events; the reported clause is coded with its own subject
  ("X said Y did Z" is Z with Y as source). "we" in a quote is the speaker.
- Compound actors acting together with no target give both directions (reciprocal events).
- Modality: negated events give nothing (or, for triggers whose negation is itself an event, the
  row's `negated` code: "will not accept" -> REJECT); hypothetical ones ("could", "might", "may",
  "would" outside reported speech, "if" clauses) give nothing; future and planned ones ("will
  travel", "are scheduled to hold") take CAMEO's intent codes (03x).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .appeals import requested_clause
from .codes import CameoTable
from .confidence import with_confidence
from .dates import find_dates, publication_date, resolve_date
from .errors import LexiconError
from .lexicon import load_table
from .mentions import SPEECH_VERBS, DocumentContext, Mention, MentionFinder, SentenceActors
from .places import Gazetteer
from .speech import EvaluationLexicon, statements
from .types import Actor, Event, EventDate, Place, Sentence, Token

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
# Verbs that make their complement planned or intended ("plan to visit", "scheduled to hold").
INTENT_VERBS = frozenset(
    [
        "plan",
        "schedule",
        "intend",
        "prepare",
        "expect",
        "hope",
        "look",
        "seek",
        "aim",
        "set",
        "slate",
        "want",
        "wish",
        "decide",
        "arrange",
        "vow",
        "go",
        "move",
        "propose",
        "mean",
    ]
)
# Governing words that deny their complement ("failed to reach", "unable to agree").
NEGATING_GOVERNORS = frozenset({"fail", "unable", "refrain", "avoid", "cease", "stop", "neglect"})
# Verbs that say an event named as their subject or object did not (yet) happen.
UNDOING_VERBS = frozenset({"postpone", "cancel", "delay", "scrap", "suspend", "deny"})
# Words of forecast that make what they govern someone's prediction.
PREDICTION_WORDS = frozenset(
    {"likely", "unlikely", "tip", "predict", "forecast", "speculate", "rumour", "rumor"}
)
HYPOTHETICAL_MODALS = frozenset({"could", "might", "may", "should", "must", "can"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "going"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
CONDITION_MARKS = frozenset({"if", "unless", "whether", "lest"})
QUESTION_MARKS = frozenset({"if", "whether"})
PLANNED_ADJECTIVES = frozenset(
    {"proposed", "planned", "upcoming", "scheduled", "expected", "forthcoming", "possible"}
)
# Consultations with a direction: hosting a visit and mediating (a visit is still a meeting of
# both sides).
ONE_WAY_CONSULTATIONS = frozenset({"043", "045"})
REVERSE_CONSULTATION = {"042": "043"}
# What words attack: "launched an attack on the spending plans" is criticism (111), not force.
VERBAL_TARGETS = frozenset(
    {"plan", "policy", "proposal", "decision", "idea", "remark", "comment", "claim", "record"}
    | {"report", "budget", "speech", "statement", "bill", "law", "tax", "reform", "approach"}
    | {"handling", "stance", "strategy", "scheme", "view", "argument", "manifesto", "leadership"}
)
# Struggles against things, not people: "fight corruption" is not a fight.
ABSTRACT_STRUGGLES = frozenset(
    {"corruption", "crime", "poverty", "terrorism", "smuggling", "trafficking", "disease"}
    | {"inflation", "fire", "drug", "extremism", "piracy", "fraud", "unemployment", "hunger"}
    | {"racism", "pandemic", "virus", "epidemic", "famine", "drought", "climate", "illiteracy"}
)
# Roots whose announced or conditional use is a threat: protest, coerce, assault, fight, mass
# violence. (Reducing relations, 16, is a threat only when conditional.)
THREATENING_ROOTS = frozenset({"14", "17", "18", "19", "20"})
# Dependencies through which an event's subject is shared with the governing verb.
_CONTROL_DEPS = frozenset({"xcomp", "conj", "advcl"})


@dataclass(frozen=True, slots=True)
class TriggerRule:
    cameo: str
    pos: str  # "verb" or "noun"
    lemma: str
    particle: str
    objects: tuple[tuple[str, ...], ...]  # alternatives, each a set of lemmas that must all occur
    target_preps: tuple[str, ...]
    negated: str
    complement: str  # "intent" or "own"
    entry: str  # triggers.tsv:LINE

    @property
    def specificity(self) -> int:
        return (2 if self.particle else 0) + (2 if self.objects else 0)


class TriggerLexicon:
    """lexicons/triggers.tsv, indexed by (pos, lemma)."""

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self.rules: dict[tuple[str, str], list[TriggerRule]] = {}
        for row in load_table("triggers.tsv", TRIGGER_COLUMNS, lexicon_dir):
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
            if not row.packaged:
                # A user's row for the same word and constraints replaces ours.
                rules[:] = [
                    r for r in rules if (r.particle, r.objects) != (rule.particle, rule.objects)
                ]
                rules.insert(0, rule)
            else:
                rules.append(rule)
        for rules in self.rules.values():
            rules.sort(key=lambda r: -r.specificity)  # stable: file order among equals
        self.lemmas = frozenset(lemma for _, lemma in self.rules)

    def candidates(self, token: Token) -> list[TriggerRule]:
        # Proper nouns are names ("the Warsaw Pact", "March"), not events.
        pos = "verb" if token.pos == "VERB" else "noun" if token.pos == "NOUN" else ""
        if not pos:
            return []
        return self.rules.get((pos, token.lemma.lower()), [])


@dataclass(frozen=True, slots=True)
class Found:
    """A trigger matched in a sentence, before its actors are attached."""

    index: int  # trigger token
    rule: TriggerRule
    object_tokens: frozenset[int]  # the object phrase the rule matched on (consumed)
    particle_index: int | None


@dataclass(frozen=True, slots=True)
class Modality:
    kind: str  # "asserted", "intended", "negated", "hypothetical"
    reason: str = ""


class EventCoder:
    """Codes the sentences of one document at a time. Holds lexicons only; no state between docs."""

    def __init__(
        self,
        mentions: MentionFinder,
        triggers: TriggerLexicon,
        cameo: CameoTable,
        dates: DateResolver,
        places: PlaceFinder,
        evaluations: EvaluationLexicon | None = None,
    ) -> None:
        self.evaluations = evaluations or EvaluationLexicon()
        self.mentions = mentions
        self.triggers = triggers
        self.cameo = cameo
        self.dates = dates
        self.places = places

    # -- document level ---------------------------------------------------------------------

    def code_document(
        self,
        doc_id: str,
        sentences: Iterable[Sentence],
        context: DocumentContext,
        *,
        merge: bool = True,
    ) -> list[Event]:
        """The events of a document, in order; with MERGE, one event per retold event."""
        events: list[Event] = []
        for sentence in sentences:
            actors = self.mentions.analyse(sentence, context)
            dated: list[tuple[str, EventDate]] = []
            events.extend(self.code_sentence(sentence, actors, dated))
            if dated:
                events = _date_from_retelling(events, sentence.index, dated)
            context.remember(actors.mentions_in(range(len(sentence.tokens))))
            context.last_subject = actors.main_subject()
        events = with_confidence(events)
        return merge_events(events) if merge else events

    # -- sentence level ---------------------------------------------------------------------

    def code_sentence(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        dated: list[tuple[str, EventDate]] | None = None,
    ) -> list[Event]:
        """The events of one sentence. DATED, if given, collects (CAMEO root, date) of triggers
        that made no event but carry a date."""
        found = self._find_triggers(sentence, actors)
        consumed: set[int] = set()
        for item in found:
            consumed |= item.object_tokens
        by_index = {item.index: item for item in found}
        # A trigger governed by another trigger is part of it ("agreed to hold talks").
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
                        actors.tokens[c].dep in {"nsubj", "nsubjpass"}
                        for c in actors.children[child]
                    )
                ):
                    governed[child] = item.index
        events: list[Event] = self._demanded_clauses(sentence, actors)
        for item in found:
            if item.index in governed or item.index in consumed:
                continue
            if item.rule.pos == "noun":
                made = self._nominal_event(sentence, actors, item)
            else:
                made = self._verbal_event(sentence, actors, item, by_index, governed)
            events.extend(made)
            if not made and dated is not None and self._is_past_retelling(actors, item):
                # An event told again without its actors may still date it ("the two
                # accords reached Apr. 27"): the document level uses that.
                date = self.dates.for_trigger(sentence, actors, item.index, "past")
                if date.source == "text":
                    dated.append((item.rule.cameo[:2], date))
        events.extend(self._statement_events(sentence, actors, events))
        return self._requests_of(sentence, actors, events)

    def _requests_of(
        self, sentence: Sentence, actors: SentenceActors, events: list[Event]
    ) -> list[Event]:
        """ "X called for Y to allow aid": a REQUEST to Y; Y allowing aid is asked, not done."""
        tokens = actors.tokens
        by_start = {t.start: i for i, t in enumerate(tokens)}
        asked: set[int] = set()
        out: list[Event] = []
        appeals = {by_start.get(e.trigger_start) for e in events if e.plover_type == "REQUEST"}
        for i, token in enumerate(tokens):
            # "called for Israel to allow aid": the parser makes "for" the clause's marker, so
            # no trigger row of "call for" matched.
            if token.lemma.lower() not in APPEAL_VERBS or i in appeals:
                continue
            requested = requested_clause(actors, i)
            subject = next((c for c in actors.children[i] if tokens[c].dep == "nsubj"), None)
            if requested is None or subject is None:
                continue
            if not any(
                tokens[c].dep == "mark" and tokens[c].text.lower() == "for"
                for c in actors.children[requested.verb]
            ):
                continue
            source, target = actors.mention(subject), actors.mention(requested.subject)
            modality = self._modality(actors, i)
            if source is None or (target is not None and _same(source, target)):
                continue
            if modality.kind not in {"asserted", "intended"}:
                continue
            asked.add(tokens[requested.verb].start)
            # "called for an independent body to be set up": asked of no one named (the
            # conventions may give it to the source's government).
            how = "requested-subject" if target is not None else "none"
            out.extend(
                self._events(
                    sentence,
                    actors,
                    "020",
                    source,
                    target,
                    [i],
                    modality,
                    f"rule:appeal-for:subject/{how}",
                    0.85,
                    anchor=i,
                )
            )
        for event in events:
            index = by_start.get(event.trigger_start)
            if event.plover_type != "REQUEST" or index is None:
                out.append(event)
                continue
            requested = requested_clause(actors, index)
            if requested is None:
                out.append(event)
                continue
            asked.add(tokens[requested.verb].start)
            target = actors.mention(requested.subject)
            if event.target is not None or target is None:
                out.append(event)
                continue
            for actor in target.actors:
                if actor.key == event.source.key and actor.sector == event.source.sector:
                    continue
                out.append(
                    replace(
                        event,
                        target=actor,
                        rule=event.rule.rsplit("/", 1)[0] + "/requested-subject",
                        event_id=_event_id(
                            sentence.doc_id,
                            sentence.index,
                            event.trigger_start,
                            event.source,
                            actor,
                            event.cameo,
                        ),
                    )
                )
        return [e for e in out if e.trigger_start not in asked]

    def _statement_events(
        self, sentence: Sentence, actors: SentenceActors, made: list[Event]
    ) -> list[Event]:
        """ "X said Y had failed": X criticising (or praising) Y, when what X said is not an
        event of its own (speech.py)."""
        out: list[Event] = []
        tokens = actors.tokens
        for statement in statements(actors, self.evaluations):
            span = _subtree(actors, statement.clause)
            low, high = tokens[min(span)].start, tokens[max(span)].start + 1
            # What was said is an event with a target of its own ("said Y bombed Z"): that
            # event is coded, not the saying. A monadic one ("said Y had violated the treaty")
            # leaves the accusation of Y.
            if any(
                (low <= e.trigger_start < high and e.target is not None)
                or e.trigger_start == tokens[statement.verb].start
                for e in made + out
            ):
                continue
            modality = self._modality(actors, statement.verb)
            if modality.kind != "asserted":
                continue
            source = actors.mention(statement.subject)
            target = actors.mention(statement.target)
            if source is None or target is None or _same(source, target):
                continue
            if not all(_speaks_for_a_polity(a) for a in source.actors):
                continue  # an expert's or a trader's opinion is not a political act
            if not (_names_an_actor(actors, source) and _names_an_actor(actors, target)):
                continue  # "a US-based expert", "many of the countries": not the actors named
            out.extend(
                self._events(
                    sentence,
                    actors,
                    statement.code,
                    source,
                    target,
                    [statement.verb],
                    modality,
                    f"rule:statement:subject/{statement.target_rule}",
                    0.8,
                    anchor=statement.verb,
                )
            )
        return out

    def _is_past_retelling(self, actors: SentenceActors, item: Found) -> bool:
        """A trigger that tells a past event as done ("the accords reached Apr. 27"), not one
        planned, postponed or denied ("the visit had been slated for Apr. 17")."""
        token = actors.tokens[item.index]
        if item.rule.pos == "verb":
            return token.tag in {"VBD", "VBN"} and self._modality(actors, item.index).kind == (
                "asserted"
            )
        return self._nominal_modality(actors, item.index).kind == "asserted"

    def _demanded_clauses(self, sentence: Sentence, actors: SentenceActors) -> list[Event]:
        """ "X said (that) Y must do Z" is X demanding of Y (CAMEO 100)."""
        tokens = actors.tokens
        events: list[Event] = []
        for i, token in enumerate(tokens):
            if token.pos != "VERB" or token.lemma.lower() not in SPEECH_VERBS | {"reiterate"}:
                continue
            subject = next((c for c in actors.children[i] if tokens[c].dep == "nsubj"), None)
            if subject is None:
                continue
            for clause in actors.children[i]:
                if tokens[clause].dep != "ccomp" or not _obliged(actors, clause):
                    continue
                target_head = next(
                    (c for c in actors.children[clause] if tokens[c].dep in {"nsubj", "nsubjpass"}),
                    None,
                )
                source = actors.mention(subject)
                target = actors.mention(target_head) if target_head is not None else None
                if source is None or target is None or _same(source, target):
                    continue
                # "said Y should have acted sooner": blame for the past, not a demand.
                blamed = any(
                    tokens[c].dep == "aux" and tokens[c].lemma.lower() == "have"
                    for c in actors.children[clause]
                )
                events.extend(
                    self._events(
                        sentence,
                        actors,
                        "111" if blamed else "100",
                        source,
                        target,
                        [i],
                        Modality("asserted", "obligation"),
                        "rule:said-must:subject/clause-subject",
                        0.7,
                        anchor=clause,
                    )
                )
        return events

    def _find_triggers(self, sentence: Sentence, actors: SentenceActors) -> list[Found]:
        out = []
        for i, token in enumerate(sentence.tokens):
            rules = self.triggers.candidates(token)
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
            matched = None
            # The verb's own object first ("signed an agreement on a ceasefire" is an agreement).
            for strict in (2, 1, 0):
                for rule in rules:
                    if strict and not rule.objects:
                        continue
                    matched = self._match(actors, i, rule, strict=strict)
                    if matched is not None:
                        break
                if matched is not None:
                    out.append(matched)
                    break
        return out

    def _match(
        self, actors: SentenceActors, i: int, rule: TriggerRule, *, strict: int = 0
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
            phrase = self._object_phrase(actors, i, rule.pos, particle_index)
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
                if not any(
                    alt[-1] in heads and all(w in lemmas for w in alt) for alt in rule.objects
                ):
                    return None
            object_tokens = frozenset(phrase)
        elif rule.pos == "verb":
            # A noun trigger inside the verb's object is told by the verb ("rejected an offer of
            # talks"): it is not coded again.
            object_tokens = frozenset(self._object_phrase(actors, i, "verb", particle_index))
        return Found(i, rule, object_tokens, particle_index)

    def _object_phrase(
        self, actors: SentenceActors, i: int, pos: str, particle_index: int | None
    ) -> list[int]:
        tokens = actors.tokens
        heads: list[int] = []
        if pos == "noun":
            return [j for j in _subtree(actors, i) if j != i and tokens[j].dep != "relcl"]
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
            out.extend(j for j in _subtree(actors, head) if tokens[j].dep != "relcl")
        return out

    # -- verbal events ----------------------------------------------------------------------

    def _verbal_event(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        item: Found,
        by_index: dict[int, Found],
        governed: dict[int, int],
    ) -> list[Event]:
        i = item.index
        rule = item.rule
        modality = self._modality(actors, i)
        code = rule.cameo
        rule_name = f"{rule.entry}"
        if modality.kind == "negated":
            if not rule.negated:
                return []
            code = rule.negated
            rule_name += "+negated"
            modality = Modality("asserted", "negated trigger")
        elif modality.kind == "hypothetical":
            return []
        elif modality.kind == "conditional":
            if self.cameo.threat_code(code) == code and code[:2] not in THREATENING_ROOTS:
                return []
            modality = Modality("intended", "conditional")
        # The complement of a promise carries the real action ("agreed to hold talks").
        complement = None
        for child in actors.children[i]:
            if governed.get(child) == i and actors.tokens[child].dep in {"xcomp", "ccomp"}:
                complement = by_index[child]
        if complement is not None and rule.complement == "intent":
            code = self.cameo.intent_code(complement.rule.cameo)
            rule_name += f"+{complement.rule.entry}"
        if modality.kind == "intended":
            code = self._intended_code(code, modality)
        if code[:2] in {"18", "19", "20"} and any(
            actors.tokens[c].dep in {"dobj", "obj"}
            and actors.tokens[c].lemma.lower() in ABSTRACT_STRUGGLES
            for c in actors.children[i]
        ):
            return []
        if _attacks_words(actors, i, code):
            code, rule_name = "111", rule_name + "+verbal"
        if code[:2] == "02" and _asks_whether(actors, i):
            return []  # "asked if he would return": a question, not an appeal
        source_mention, source_rule = self._verb_source(actors, i)
        if source_mention is None:
            return []
        target_mention, target_rule = self._verb_target(actors, i, item, complement)
        if target_mention is not None and _same(source_mention, target_mention):
            target_mention = None
        confidence = 0.9 - (0.05 if not rule.specificity else 0.0)
        if source_mention.resolved:
            confidence -= 0.15
        if target_rule == "inside-object":
            confidence -= 0.1
        trigger_tokens = [i] + ([item.particle_index] if item.particle_index is not None else [])
        return self._events(
            sentence,
            actors,
            code,
            source_mention,
            target_mention,
            trigger_tokens,
            modality,
            f"{rule_name}:{source_rule}/{target_rule}",
            round(confidence, 2),
            anchor=i,
        )

    def _verb_source(self, actors: SentenceActors, i: int) -> tuple[Mention | None, str]:
        """Who does it: the subject, found through control, raising, coordination, relative
        clauses and passives."""
        tokens = actors.tokens
        seen: set[int] = set()
        current = i
        came_by = ""  # the dependency through which we climbed to CURRENT
        while current not in seen:
            seen.add(current)
            children = actors.children[current]
            if came_by != "conj":
                # A passive's "by" agent acts; a coordinated verb does not share it.
                for child in children:
                    if tokens[child].dep == "agent":
                        for pobj in actors.children[child]:
                            mention = actors.mention(pobj) if tokens[pobj].dep == "pobj" else None
                            if mention is not None:
                                return mention, "passive-agent"
            for child in children:
                dep = tokens[child].dep
                if dep in {"nsubj", "csubj"} or (dep == "nsubjpass" and current != i):
                    if tokens[child].lemma.lower() in {"that", "who", "which"}:
                        break  # a relative clause: its head noun acts (below)
                    mention = actors.mention(child)
                    if mention is not None:
                        how = "subject" if current == i else f"{came_by}-subject"
                        return mention, how
                    # A group without its country ("ethnic Albanians demonstrated in Serbia"):
                    # the place may say where they are from.
                    group = actors.group(child)
                    if group is not None or not _has_actor_below(actors, child):
                        return group, "subject-group"
                elif (
                    dep == "nsubjpass"
                    and current == i
                    and not any(tokens[c].dep == "agent" for c in children)
                ):
                    # Passive without an actor named: someone unknown did it to the subject.
                    return None, "passive-no-agent"
            token = tokens[current]
            if token.head == current:
                break
            if token.dep == "relcl":
                mention = actors.mention(token.head)
                return mention, "relative"
            if token.dep == "xcomp":
                # Object control: "urged Syria to withdraw" -> Syria withdraws.
                parent = token.head
                for child in actors.children[parent]:
                    if tokens[child].dep in {"dobj", "dative"}:
                        mention = actors.mention(child)
                        if mention is not None:
                            return mention, "object-control"
            if token.dep in {"xcomp", "conj", "advcl", "acomp"} or (
                token.dep == "ccomp"
                and tokens[token.head].dep in {"auxpass", "ROOT"}
                and tokens[token.head].lemma.lower() not in SPEECH_VERBS
                and any(tokens[c].dep == "nsubjpass" for c in actors.children[token.head])
            ):
                came_by = token.dep
                current = token.head
                continue
            break
        return None, "none"

    def _verb_target(
        self, actors: SentenceActors, i: int, item: Found, complement: Found | None, depth: int = 0
    ) -> tuple[Mention | None, str]:
        """Whom it is done to; see the module docstring for the order of the rules."""
        tokens = actors.tokens
        children = actors.children[i]
        preps = item.rule.target_preps
        # Where a curfew or an attack is (or is lifted), is whom it concerns; where an agreement
        # is signed is only where it happened.
        coercive = item.rule.cameo[:2] >= "10" or item.rule.cameo[:2] == "08"
        has_agent = any(tokens[c].dep == "agent" for c in children)
        for child in children:
            dep = tokens[child].dep
            # "gave Haiti aid"; and with an agent, a passive's subject ("was attacked by X").
            if dep == "dative" or (dep == "nsubjpass" and has_agent):
                mention = actors.mention(child)
                if mention is not None:
                    return mention, dep
        for child in children:
            if tokens[child].dep in {"dobj", "obj"}:
                mention = actors.mention(child)
                if mention is not None:
                    return mention, "object"
        for child in children:
            if tokens[child].dep in {"prep", "dative"} and tokens[child].text.lower() in preps:
                for pobj in actors.children[child]:
                    if tokens[pobj].dep == "pobj":
                        mention = actors.mention(pobj)
                        if mention is not None:
                            return mention, f"prep-{tokens[child].text.lower()}"
        # "urged X to ...", "demanded that X ...": the one asked to act; and the target of the
        # action promised or threatened ("threatened to ban opposition candidates").
        for child in children:
            if tokens[child].dep not in {"ccomp", "xcomp"}:
                continue
            for grandchild in actors.children[child]:
                if tokens[grandchild].dep in {"nsubj", "nsubjpass"}:
                    mention = actors.mention(grandchild)
                    if mention is not None:
                        return mention, "complement-subject"
            if depth < 2 and tokens[child].lemma.lower() not in SPEECH_VERBS:
                inner = complement if complement is not None and complement.index == child else item
                target, rule = self._verb_target(actors, child, inner, None, depth + 1)
                if target is not None:
                    return target, f"complement-{rule}"
        # An actor inside the object phrase: "rejected North Korea's demand", "beat up
        # Palestinian detainees", "asked for participation from Russia".
        for child in children:
            if tokens[child].dep in {"dobj", "obj", "nsubjpass", "attr"} or (
                tokens[child].dep == "prep" and tokens[child].text.lower() in {"for", "of", "from"}
            ):
                for j in _phrase_subtree(actors, child, places=coercive):
                    if (
                        j != child
                        and tokens[j].pos in {"PROPN", "NOUN", "ADJ"}
                        and actors.is_name(j)
                    ):
                        mention = actors.mention(j)
                        if mention is not None:
                            return mention, "inside-object"
        # A group named without its country ("dispersed demonstrators"): coded as domestic later.
        if depth == 0:
            for child in children:
                if tokens[child].dep in {"dobj", "obj"}:
                    group = actors.group(child)
                    if group is not None:
                        return group, "object-group"
        # A name a little further down the verb's own phrases ("kidnapped up to 16 Russian
        # advisers", "suspended part of an aid program for Bosnia").
        if depth <= 1:
            located = _located(actors, i)
            for j in _near_objects(actors, i, places=coercive):
                if actors.is_name(j) and tokens[j].pos in {"PROPN", "NOUN", "ADJ"}:
                    if j in located and actors.is_city(j):
                        continue  # "arrested supporters in Nairobi": a place, not a government
                    mention = actors.mention(j)
                    if mention is not None:
                        return mention, "nearby"
        if depth == 0:
            for j in _near_objects(actors, i, places=coercive):
                if tokens[j].pos in {"NOUN", "PROPN"}:
                    group = actors.group(j)
                    if group is not None:
                        return group, "nearby-group"
        return None, "none"

    # -- nominal events ---------------------------------------------------------------------

    def _nominal_event(
        self, sentence: Sentence, actors: SentenceActors, item: Found
    ) -> list[Event]:
        tokens = actors.tokens
        i = item.index
        rule = item.rule
        source: Mention | None = None
        target: Mention | None = None
        source_rule = target_rule = "none"
        for child in actors.children[i]:
            token = tokens[child]
            if token.dep == "prep" and token.text.lower() == "between":
                for pobj in actors.children[child]:
                    if tokens[pobj].dep == "pobj":
                        mention = actors.mention(pobj)
                        if mention is not None and len(mention.actors) >= 2:
                            source, source_rule = mention, "between"
        if source is None:
            for child in actors.children[i]:
                token = tokens[child]
                if token.dep in {"prep", "agent"} and token.text.lower() == "by":
                    for pobj in actors.children[child]:
                        mention = actors.mention(pobj) if tokens[pobj].dep == "pobj" else None
                        if mention is not None:
                            source, source_rule = mention, "by"
                elif token.dep in {"poss", "compound", "amod", "nmod"} and source is None:
                    mention = actors.mention(child)
                    if mention is not None:
                        source, source_rule = mention, token.dep
        if source is None and tokens[i].dep == "pobj":
            # "arrived in Amman for talks with Jordanian officials": the traveller talks.
            prep = tokens[i].head
            verb = tokens[prep].head
            if tokens[prep].text.lower() == "for" and tokens[verb].pos == "VERB":
                source, how = self._verb_source(actors, verb)
                source_rule = f"purpose-{how}"
        if source is None:
            return []
        if source_rule != "between":
            for child in actors.children[i]:
                token = tokens[child]
                if token.dep == "prep" and token.text.lower() in rule.target_preps:
                    for pobj in actors.children[child]:
                        mention = actors.mention(pobj) if tokens[pobj].dep == "pobj" else None
                        if mention is not None:
                            target, target_rule = mention, f"prep-{token.text.lower()}"
                            break
                if target is not None:
                    break
        if target is not None and _same(source, target):
            target = None
        modality = self._nominal_modality(actors, i)
        if modality.kind in {"negated", "hypothetical"}:
            return []
        code = rule.cameo
        if _attacks_words(actors, i, code):
            code = "111"
        if modality.kind == "intended":
            code = self._intended_code(code, modality)
        return self._events(
            sentence,
            actors,
            code,
            source,
            target,
            [i],
            modality,
            f"{rule.entry}:noun-{source_rule}/{target_rule}",
            0.75 if not source.resolved else 0.6,
            anchor=i,
        )

    # -- modality -----------------------------------------------------------------------------

    def _intended_code(self, code: str, modality: Modality) -> str:
        """Announced cooperation is an intent (03x); announced or conditional force, repression
        or protest is a threat (13x); an announced cut in relations is the decision itself."""
        root = code[:2]
        if root in THREATENING_ROOTS or (root == "16" and modality.reason == "conditional"):
            return self.cameo.threat_code(code)
        return self.cameo.intent_code(code)

    def _modality(self, actors: SentenceActors, i: int) -> Modality:
        """Walk from the trigger up through its governing verbs, collecting what they say of it."""
        tokens = actors.tokens
        intended = False
        current = i
        seen: set[int] = set()
        while current not in seen:
            seen.add(current)
            token = tokens[current]
            for child in actors.children[current]:
                c = tokens[child]
                lower = c.text.lower()
                if c.dep == "neg" or (c.dep == "advmod" and lower in {"never", "not"}):
                    return Modality("negated", lower)
                if c.dep in {"aux", "auxpass"}:
                    if lower in HYPOTHETICAL_MODALS:
                        return self._unless_conditional(actors, i, lower)
                    if lower in {"would", "'d"}:
                        if not _reported(actors, current):
                            return self._unless_conditional(actors, i, lower)
                        intended = True
                    if lower in FUTURE_AUX or c.lemma.lower() == "will":
                        intended = True
                if c.dep == "mark" and lower in CONDITION_MARKS:
                    return Modality("hypothetical", lower)
                if c.dep in {"nsubj", "nsubjpass"} and any(
                    tokens[g].dep == "det" and tokens[g].text.lower() == "no"
                    for g in actors.children[child]
                ):
                    return Modality("negated", "no subject")
            if token.dep == "advcl" and _marked(actors, current, CONDITION_MARKS):
                return Modality("hypothetical", "condition")
            if token.dep == "ccomp" and _marked(actors, current, QUESTION_MARKS):
                return Modality("hypothetical", "question")  # "asked if she would ..."
            if current != i:
                lemma = token.lemma.lower()
                if lemma in NEGATING_GOVERNORS:
                    return Modality("negated", lemma)
                if lemma in PREDICTION_WORDS or (
                    lemma == "expect"
                    and any(tokens[c].dep == "nsubj" for c in actors.children[current])
                ):
                    # "is tipped to", "likely to", "analysts expect X to": someone's forecast,
                    # not an act or a plan of the actor ("X is expected to" is a schedule).
                    return Modality("hypothetical", "prediction")
                if lemma in INTENT_VERBS or (token.tag == "JJ" and lemma == "ready"):
                    intended = True
                if lemma in SPEECH_VERBS:
                    break  # what the speaker says is asserted unless its own clause says more
            if token.dep in {"xcomp", "conj", "acomp"} or (
                token.dep == "ccomp" and tokens[token.head].lemma.lower() in INTENT_VERBS
            ):
                current = token.head
                continue
            if token.dep == "xcomp" or tokens[token.head].pos == "AUX":
                current = token.head
                continue
            if token.dep == "ccomp" and any(
                tokens[c].dep == "neg" for c in actors.children[token.head]
            ):
                # "Don't let the Tories wreck it", "did not say that troops attacked": a clause
                # under a negated verb is not told as done.
                return Modality("hypothetical", "under negation")
            break
        if _inside_condition(actors, current):
            return Modality("hypothetical", "inside a condition")
        if tokens[current].dep == "ROOT" and _is_question(actors):
            return Modality("hypothetical", "question")  # "Did Russia attack Ukraine?"
        return Modality("intended" if intended else "asserted")

    @staticmethod
    def _unless_conditional(actors: SentenceActors, i: int, reason: str) -> Modality:
        """ "would attack if ...", "may halt mediation unless ...": a conditional, which is a
        threat when the act is coercive; otherwise a hypothetical."""
        for child in actors.children[i]:
            if actors.tokens[child].dep == "advcl" and _marked(actors, child, {"if", "unless"}):
                return Modality("conditional", reason)
        return Modality("hypothetical", reason)

    def _nominal_modality(self, actors: SentenceActors, i: int) -> Modality:
        tokens = actors.tokens
        for child in actors.children[i]:
            lower = tokens[child].text.lower()
            if tokens[child].dep == "det" and lower == "no":
                return Modality("negated", "no")
            if tokens[child].dep == "amod" and lower in PLANNED_ADJECTIVES:
                return Modality("intended", lower)
        # The clause the noun sits in: climb through prepositions and nouns to its verb.
        current, seen = i, {i}
        while tokens[current].head != current and tokens[current].head not in seen:
            current = tokens[current].head
            seen.add(current)
            if tokens[current].pos in {"VERB", "AUX"}:
                lemma = tokens[current].lemma.lower()
                if lemma in INTENT_VERBS:
                    return Modality("intended", lemma)
                if lemma in NEGATING_GOVERNORS or lemma in UNDOING_VERBS:
                    return Modality("negated", lemma)
                governing = self._modality(actors, current)
                if governing.kind in {"negated", "hypothetical", "conditional"}:
                    return Modality("hypothetical", governing.reason)
                return governing
        return Modality("asserted")

    # -- assembling events ----------------------------------------------------------------------

    def _events(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        code: str,
        source: Mention,
        target: Mention | None,
        trigger_tokens: Sequence[int],
        modality: Modality,
        rule: str,
        confidence: float,
        *,
        anchor: int,
    ) -> list[Event]:
        info = self.cameo.get(code)
        tense = "future" if modality.kind == "intended" else _tense(actors.tokens[anchor])
        date = self.dates.for_trigger(sentence, actors, anchor, tense)
        place = self.places.for_trigger(
            sentence,
            actors,
            anchor,
            target,
            destination=code.startswith("04") or code == "036",
            struck=code[:2] in {"17", "18", "19", "20"},
        )
        _, trigger_start, trigger_end = actors.span_text(sorted(trigger_tokens))
        trigger_text = (
            " ... ".join(actors.tokens[k].text for k in sorted(trigger_tokens))
            if len(trigger_tokens) > 1 and max(trigger_tokens) - min(trigger_tokens) > 1
            else (actors.span_text(sorted(trigger_tokens))[0])
        )
        placed = _placed_source(source, place, actors.countries_named())
        if placed is None:
            return []
        if (code[:2] in {"18", "19", "20"} or code.startswith("138")) and _electoral(
            placed, target
        ):
            # Parties "attack" each other in words and "beat" each other at the polls.
            if not any(actors.tokens[k].lemma.lower() in VERBAL_FORCE for k in trigger_tokens):
                return []
            code = "111"
        elif code[:2] in {"18", "19", "20"} and _war_of_words(
            actors, trigger_tokens, placed, target
        ):
            code = "111"  # "Top judge clashes with ministers": a dispute, not a fight
        source = placed
        target = _domestic_target(code, source, target, place, trigger_start)
        pairs: list[tuple[Actor, Actor | None, bool]] = []
        if target is None and len(source.actors) >= 2 and _mutual(actors, code, trigger_tokens):
            for a in source.actors:
                for b in source.actors:
                    if a.code != b.code:
                        pairs.append((a, b, True))
        else:
            targets: tuple[Actor | None, ...] = target.actors if target is not None else (None,)
            for a in source.actors:
                for other in targets:
                    # Not an actor to itself; a domestic event (police -> protesters) is fine.
                    if other is not None and a.code == other.code and a.name == other.name:
                        continue
                    pairs.append((a, other, False))
        if code[:2] == "04" and code not in ONE_WAY_CONSULTATIONS:
            # Meeting, talking and negotiating are mutual: both directions. (An intent to meet,
            # 036, is one side's.)
            mutual = {(a.key, b.key) for a, b, _ in pairs if b is not None}
            reverse = [
                (b, a, True)
                for a, b, _ in pairs
                if b is not None and b.key != a.key and (b.key, a.key) not in mutual
            ]
            pairs = [(a, b, b is not None) for a, b, _ in pairs]
        else:
            reverse = []
        events = []
        # The other side of a visit hosts it (CAMEO 043); of other meetings, meets too.
        coded = [(code, p) for p in pairs] + [
            (REVERSE_CONSULTATION.get(code, code), p) for p in reverse
        ]
        for event_code, (src, tgt, reciprocal) in coded:
            info = self.cameo.get(event_code)
            event_id = _event_id(
                sentence.doc_id, sentence.index, trigger_start, src, tgt, event_code
            )
            events.append(
                Event(
                    doc_id=sentence.doc_id,
                    event_id=event_id,
                    source=src,
                    target=tgt,
                    cameo=info.code if len(event_code) <= len(info.code) else event_code,
                    plover_type=info.plover_type,
                    plover_mode=info.plover_mode,
                    plover_context=info.plover_context,
                    goldstein=info.goldstein,
                    quad_class=info.quad_class,
                    date=date.date,
                    date_precision=date.precision,
                    date_source=date.source,
                    location=place,
                    sentence=sentence.text,
                    sentence_index=sentence.index,
                    sentence_start=sentence.start,
                    sentence_end=sentence.end,
                    trigger=trigger_text,
                    trigger_start=trigger_start,
                    trigger_end=trigger_end,
                    modality=modality.kind,
                    rule=rule,
                    confidence=confidence,
                    mention_sentences=(sentence.index,),
                    reciprocal=reciprocal,
                )
            )
        return events


def merge_events(events: Sequence[Event]) -> list[Event]:
    """The same event told twice in a document is one event with a mention count.

    Same means: same source and target (country or organisation, and sector), same CAMEO code and
    the same date. The first telling keeps its provenance; the others add to `mentions`.
    """
    merged: dict[tuple[object, ...], Event] = {}
    for event in events:
        key = (
            event.source.key,
            event.source.sector,
            event.target.key if event.target else None,
            event.cameo,
            event.date,
        )
        first = merged.get(key)
        if first is None:
            merged[key] = event
        elif (
            event.sentence_index not in first.mention_sentences or event.event_id != first.event_id
        ):
            if event.sentence_index in first.mention_sentences:
                continue
            merged[key] = replace(
                first,
                mentions=first.mentions + 1,
                mention_sentences=(*first.mention_sentences, event.sentence_index),
                confidence=max(first.confidence, event.confidence),
            )
    return list(merged.values())


# -- helpers ------------------------------------------------------------------------------------


def _subtree(actors: SentenceActors, i: int) -> list[int]:
    out = [i]
    stack = [i]
    while stack:
        j = stack.pop()
        for child in actors.children[j]:
            out.append(child)
            stack.append(child)
    return out


# Sectors of a country's people and institutions outside its government, whose appeals and
# complaints without an addressee go to their own government.
NON_GOVERNMENT_SECTORS = frozenset(
    {"OPP", "LEG", "PTY", "NGO", "HRI", "LAB", "REL", "EDU", "MED", "ELI"}
)


def _one_home(source: Mention) -> bool:
    return len({a.country for a in source.actors}) == 1 and bool(source.actors[0].country)


def _outside_government(source: Mention) -> bool:
    return all(a.sector in NON_GOVERNMENT_SECTORS and not a.organization for a in source.actors)


# Non-state armed groups, whose country the text must give ("Kurdish rebels").
ARMED_GROUP_SECTORS = frozenset({"REB", "INS", "SEP", "UAF", "CRM"})


def _placed_source(
    source: Mention, place: Place | None, sentence_countries: set[str]
) -> Mention | None:
    """A group or office acting without its country named ("ethnic Albanians", "President
    Museveni") is of the place where it acts, else of the one country the sentence names."""
    if all(a.country or a.organization for a in source.actors):
        return source
    if place is not None and place.country is not None:
        country, why = place.country, "rule:place"
    elif len(sentence_countries) == 1 and not any(
        a.sector in ARMED_GROUP_SECTORS for a in source.actors if not a.country
    ):
        # Not "rebels", "gunmen", "terrorists": a country named elsewhere in the sentence ("Turkish
        # officials said rebels attacked") does not tie them to it.
        country, why = next(iter(sentence_countries)), "rule:only-country-named"
    else:
        return None
    actors = tuple(
        a if a.country or a.organization else replace(a, country=country, entry=f"{a.entry}+{why}")
        for a in source.actors
    )
    return Mention(actors, source.head, True)


def _domestic_target(
    code: str, source: Mention, target: Mention | None, place: Place | None, at: int
) -> Mention | None:
    """Targets the text leaves to the reader, as coders conventionally fill them in.

    A group without a country ("demonstrators", "opposition candidates") is of the place's
    country, else of the source's: repression and protest are mostly domestic. A protest
    without a target is against the protesters' own government; force or repression without
    one is against the place where it happened (or, for repression, the source's own country).
    """
    home = next((a.country for a in source.actors if a.country), None)
    place_country = place.country if place is not None else None
    if target is not None:
        if all(a.country or a.organization for a in target.actors):
            return target
        # Allies of several countries acting together ("Iraqi and American troops attacked the
        # militants") say nothing of whose the group is.
        one_home = len({a.country for a in source.actors if a.country}) == 1
        country = place_country or (home if one_home else None)
        if country is None:
            return None
        actors = tuple(
            a
            if a.country or a.organization
            else replace(a, country=country, entry=f"{a.entry}+rule:domestic")
            for a in target.actors
        )
        return Mention(actors, target.head, True)
    root = code[:2]
    country = None
    if root == "14":
        country, sector, why = home, "GOV", "rule:protest-own-government"
    elif root in {"02", "11"} and _one_home(source) and _outside_government(source):
        # "The opposition called for an inquiry", "MPs criticised the decision": an appeal or
        # a complaint from inside a country, naming no one, is addressed to its government.
        country, sector, why = home, "GOV", "rule:appeal-to-own-government"
    elif root == "17":
        country, sector, why = place_country or home, None, "rule:domestic-repression"
    elif root in {"18", "19", "20"}:
        country, sector, why = place_country, None, "rule:violence-at-place"
    elif root == "15" and place_country != home:
        country, sector, why = place_country, None, "rule:force-posture-at-place"
    if country is None:
        return None
    actor = Actor(text="", start=at, end=at, country=country, sector=sector, entry=why)
    return Mention((actor,), -1, True)


_OBJECT_PATH = frozenset(
    {"dobj", "obj", "prep", "pobj", "prt", "dative", "attr", "oprd", "compound", "nmod", "poss"}
    | {"amod", "appos", "npadvmod", "nummod", "quantmod"}
)


def _near_objects(actors: SentenceActors, i: int, depth: int = 5, places: bool = True) -> list[int]:
    """Tokens below I in its objects and prepositional phrases, nearest first, not in clauses;
    without PLACES, not inside "in"/"at" phrases either."""
    out: list[int] = []
    frontier = [i]
    for _ in range(depth):
        following = []
        for j in frontier:
            for child in actors.children[j]:
                token = actors.tokens[child]
                if token.dep not in _OBJECT_PATH or token.pos == "VERB":
                    continue
                if not places and token.dep == "prep" and token.text.lower() in _LOCATIVE:
                    continue
                out.append(child)
                following.append(child)
        frontier = following
    return out


_LOCATIVE = frozenset({"in", "at", "near", "inside", "throughout", "across"})


def _located(actors: SentenceActors, i: int) -> set[int]:
    """Tokens below I inside "in"/"at" phrases."""
    out: set[int] = set()
    for j in _near_objects(actors, i):
        token = actors.tokens[j]
        if token.dep == "prep" and token.text.lower() in _LOCATIVE:
            out.update(_phrase_subtree(actors, j))
    return out


def _phrase_subtree(actors: SentenceActors, i: int, places: bool = True) -> list[int]:
    """The subtree of I without the clauses inside it (relative clauses, complements), and
    without its "in"/"at" phrases unless PLACES."""
    out = [i]
    stack = [i]
    while stack:
        j = stack.pop()
        for child in actors.children[j]:
            token = actors.tokens[child]
            if token.dep in {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj"}:
                continue
            if not places and token.dep == "prep" and token.text.lower() in _LOCATIVE:
                continue
            out.append(child)
            stack.append(child)
    return out


def _has_actor_below(actors: SentenceActors, i: int) -> bool:
    return any(actors.is_name(j) for j in _phrase_subtree(actors, i))


# CAMEO roots whose actors, listed together without a target, act with each other: intents to
# cooperate, consultations, diplomatic and material cooperation ("X and Y signed an accord").
MUTUAL_ROOTS = frozenset({"03", "04", "05", "06"})
# Intents that one side has toward others, not the listed actors toward each other: to give aid
# (033), to yield (034, 035), to mediate (037), to accept mediation (039) ("X and Y offered aid").
ONE_WAY_INTENTS = ("033", "034", "035", "037", "039")
# Conflict verbs that are mutual when the actors are listed together ("X and Y clashed").
MUTUAL_CONFLICT_LEMMAS = frozenset({"clash", "fight", "exchange", "skirmish", "battle", "feud"})


def _mutual(actors: SentenceActors, code: str, trigger_tokens: Sequence[int]) -> bool:
    """Do actors listed together act on each other? For symmetric predicates (meet, agree,
    sign, clash) or when the text says "each other"; not "Syrian and Russian jets bombed"."""
    if code[:2] in MUTUAL_ROOTS:
        return not code.startswith(ONE_WAY_INTENTS)
    tokens = actors.tokens
    if any(tokens[k].lemma.lower() in MUTUAL_CONFLICT_LEMMAS for k in trigger_tokens):
        return True
    words = [t.text.lower() for t in tokens]
    return any(
        words[k : k + 2] in (["each", "other"], ["one", "another"]) for k in range(len(words) - 1)
    )


# Verbs of appeal whose "for X to do Y" clause names whom they address.
APPEAL_VERBS = frozenset({"call", "appeal", "press", "push", "plead", "lobby"})

# Sectors whose statements are political acts: governments, parties, legislators, courts,
# forces, opposition, rebels.
POLITICAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "OPP", "PTY", "MIL", "COP", "REB", "ELI"})


def _names_an_actor(actors: SentenceActors, mention: Mention) -> bool:
    """Is the phrase's head itself a name, an agent word or a pronoun ("Russia", "the
    minister", "he"), not a thing described by one ("a US-based expert")?"""
    head = mention.head
    if head < 0:
        return False
    token = actors.tokens[head]
    return (
        actors.is_name(head)
        or head in actors.agent_at
        or token.pos == "PRON"
        or token.entity == "PERSON"
        or mention.resolved
    )


def _speaks_for_a_polity(actor: Actor) -> bool:
    """A country by name, an organisation, or someone of a political sector."""
    if actor.organization:
        return True
    if actor.sector is None:
        if actor.name and "rule:story-country" in actor.entry:
            # "Mr Leigh", "Ms Hewitt": someone the story names with a title, whose office the
            # lexicons do not know, speaks for a side of the story's country.
            return bool(actor.country)
        return bool(actor.country) and not actor.name and "rule:" not in actor.entry
    return actor.sector in POLITICAL_SECTORS


PARTY_ROLES = frozenset({"governing party", "opposition party"})
# Force verbs that between parties are criticism.
VERBAL_FORCE = frozenset({"attack", "hit", "slam", "blast", "assail", "target", "savage"})


def _electoral(source: Mention, target: Mention | None) -> bool:
    """Force between political parties ("beat", "fight", "attack" in a campaign) is electoral
    or verbal, not material."""
    if target is None:
        return False
    sides = [*source.actors, *target.actors]
    return all(a.role in PARTY_ROLES or a.sector == "PTY" for a in sides)


# Sectors that fight; offices and parties that only argue.
FIGHTING_SECTORS = frozenset({"MIL", "COP", "REB", "INS", "SEP", "UAF", "PKO", "SPY", "CRM", "CVL"})
ARGUING_SECTORS = frozenset({"GOV", "LEG", "JUD", "OPP", "PTY", "BUS", "MED", "NGO", "LAB", "ELI"})


def _war_of_words(
    actors: SentenceActors, trigger_tokens: Sequence[int], source: Mention, target: Mention | None
) -> bool:
    """A clash between offices, courts and parties with no armed side is a dispute."""
    if not any(actors.tokens[k].lemma.lower() in {"clash", "battle"} for k in trigger_tokens):
        return False
    sides = [*source.actors, *(target.actors if target is not None else ())]
    if any(a.sector in FIGHTING_SECTORS for a in sides):
        return False
    return all(a.sector in ARGUING_SECTORS or a.role in PARTY_ROLES for a in sides)


def _is_question(actors: SentenceActors) -> bool:
    """A sentence that asks: it ends with a question mark outside quotation marks."""
    words = [t.text for t in actors.tokens if not t.text.isspace()]
    if words and words[-1] in {'"', "'", "”", "’", ")"}:
        return False  # a quoted question: the sentence reports it
    return bool(words) and words[-1] == "?"


def _same(a: Mention, b: Mention) -> bool:
    return {x.key for x in a.actors} == {x.key for x in b.actors} and a.head == b.head


def _reported(actors: SentenceActors, i: int) -> bool:
    """Is the clause at I reported speech ("said it would ...")?"""
    tokens = actors.tokens
    seen: set[int] = set()
    current = i
    while current not in seen:
        seen.add(current)
        token = tokens[current]
        if token.head == current:
            return False
        parent = tokens[token.head]
        if token.dep in {"ccomp", "parataxis"} and (
            parent.lemma.lower() in SPEECH_VERBS or parent.pos == "VERB"
        ):
            return True
        if token.dep not in {"conj", "xcomp"}:
            return False
        current = token.head
    return False


def _date_from_retelling(
    events: list[Event], index: int, dated: list[tuple[str, EventDate]]
) -> list[Event]:
    """Give an undated event of the last three sentences the date a retelling states."""
    out = []
    for event in events:
        if event.date_source == "publication" and index - 3 <= event.sentence_index < index:
            for root, date in dated:
                if event.cameo[:2] == root or (
                    root in {"05", "03"} and event.cameo[:2] in {"05", "03"}
                ):
                    event = replace(
                        event,
                        date=date.date,
                        date_precision=date.precision,
                        date_source="retelling",
                    )
                    break
        out.append(event)
    return out


def _attacks_words(actors: SentenceActors, i: int, code: str) -> bool:
    """Is a use of force at I aimed at words or plans ("attacked the plans", "launched an attack
    on the budget")?"""
    if code[:2] not in {"18", "19", "20"}:
        return False
    tokens = actors.tokens
    heads = []
    for child in actors.children[i]:
        if tokens[child].dep in {"dobj", "obj"}:
            heads.append(child)
    for head in [i, *heads]:
        for child in actors.children[head]:
            if tokens[child].dep == "prep" and tokens[child].text.lower() in {"on", "against"}:
                heads.extend(c for c in actors.children[child] if tokens[c].dep == "pobj")
    return any(tokens[h].lemma.lower() in VERBAL_TARGETS for h in heads)


# Verbs of protest that with an object or a clause mean showing something.
SHOWING_VERBS = frozenset({"demonstrate"})


def _shows(actors: SentenceActors, i: int) -> bool:
    """ "demonstrated that ...", "demonstrated its resolve": to show, not to protest."""
    return actors.tokens[i].lemma.lower() in SHOWING_VERBS and any(
        actors.tokens[c].dep in {"ccomp", "dobj", "obj", "xcomp", "attr"}
        for c in actors.children[i]
    )


def _marked(actors: SentenceActors, clause: int, marks: Collection[str]) -> bool:
    """Is CLAUSE introduced by one of MARKS ("if", "unless", "whether")?"""
    return any(
        actors.tokens[c].dep == "mark" and actors.tokens[c].text.lower() in marks
        for c in actors.children[clause]
    )


def _asks_whether(actors: SentenceActors, i: int) -> bool:
    return any(
        actors.tokens[child].dep in {"ccomp", "advcl"} and _marked(actors, child, QUESTION_MARKS)
        for child in actors.children[i]
    )


def _inside_condition(actors: SentenceActors, i: int) -> bool:
    """Is I anywhere inside an "if" or "unless" clause ("if the governments were ready to
    commit to war ...")?"""
    tokens = actors.tokens
    seen: set[int] = set()
    current = i
    while current not in seen and tokens[current].head != current:
        seen.add(current)
        if tokens[current].dep == "advcl" and _marked(actors, current, CONDITION_MARKS):
            return True
        current = tokens[current].head
    return False


def _obliged(actors: SentenceActors, clause: int) -> bool:
    """Does the clause say its subject must act ("must hand over", "has to leave")?"""
    tokens = actors.tokens
    for child in actors.children[clause]:
        lower = tokens[child].text.lower()
        if tokens[child].dep == "aux" and lower in {"must", "should", "ought"}:
            return True
        if tokens[child].dep == "xcomp" and tokens[clause].lemma.lower() in {"have", "need"}:
            return True
    return False


def _tense(token: Token) -> str | None:
    if token.tag in {"VBD", "VBN"}:
        return "past"
    return None


def _event_id(
    doc_id: str, sentence: int, trigger_start: int, src: Actor, tgt: Actor | None, code: str
) -> str:
    raw = f"{doc_id}|{sentence}|{trigger_start}|{src.code}|{tgt.code if tgt else ''}|{code}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


class DateResolver:
    """The date of an event: a date expression attached to its trigger, else the publication date.

    Dates attached to a speech verb ("officials said Monday") date the report, not the event.
    """

    def for_trigger(
        self, sentence: Sentence, actors: SentenceActors, anchor: int, tense: str | None
    ) -> EventDate:
        published = actors.context.published
        if published is None:
            return EventDate(date="", precision="", source="none")
        tokens = actors.tokens
        best: tuple[int, EventDate] | None = None
        for entity in sentence.entities:
            if entity.label != "DATE":
                continue
            first = next((k for k, t in enumerate(tokens) if t.start >= entity.start), None)
            if first is None:
                continue
            verb = _governing_verb(actors, first)
            if verb is not None and tokens[verb].lemma.lower() in SPEECH_VERBS and verb != anchor:
                continue
            if not _dates_the_trigger(actors, anchor, first, verb):
                continue  # "released fishermen detained last month": another clause's date
            resolved = resolve_date(entity.text, published, tense)
            if resolved is None:
                continue
            distance = 0 if verb == anchor or _governs(actors, anchor, first) else 1
            distance = distance * 100 + abs(first - anchor)
            if best is None or distance < best[0]:
                best = (distance, resolved)
        if best is None:
            offset = sentence.start
            for start, _end, text in find_dates(sentence.text):
                first = next((k for k, t in enumerate(tokens) if t.start >= offset + start), None)
                verb = _governing_verb(actors, first) if first is not None else None
                if verb is not None and tokens[verb].lemma.lower() in SPEECH_VERBS:
                    continue
                if first is not None and not _dates_the_trigger(actors, anchor, first, verb):
                    continue
                resolved = resolve_date(text, published, tense)
                if resolved is not None:
                    best = (0, resolved)
                    break
        return best[1] if best is not None else publication_date(published)


class PlaceFinder:
    """Where an event happened: a place after "in"/"at" on the trigger's clause, or the
    destination of a visit ("will travel to Russia")."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def for_trigger(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        anchor: int,
        target: Mention | None,
        destination: bool = False,
        struck: bool = False,
    ) -> Place | None:
        """DESTINATION: a visit's "to X" is where it happened. STRUCK: for force, a place
        named as what was hit ("shelled districts of Aleppo") is where it happened."""
        tokens = actors.tokens
        clause = [anchor]
        current = anchor
        while tokens[current].dep in {"xcomp", "conj"} and tokens[current].head != current:
            current = tokens[current].head
            clause.append(current)
        preps = {"in", "at", "to"} if destination else {"in", "at"}
        if struck:
            preps |= {"of", "near", "outside"}
        # The trigger's own prepositions first, then those inside its objects ("fired shells
        # at targets in Jericho").
        candidates = [c for verb in clause for c in actors.children[verb]]
        candidates += [j for j in _near_objects(actors, anchor) if j not in candidates]
        for child in candidates:
            if tokens[child].dep != "prep" or tokens[child].text.lower() not in preps:
                continue
            for pobj in actors.children[child]:
                if tokens[pobj].dep != "pobj":
                    continue
                if tokens[pobj].pos != "PROPN":
                    # "in the capital Kabul", "in the town of Samarra"
                    named = [
                        c
                        for c in _phrase_subtree(actors, pobj)
                        if tokens[c].pos == "PROPN" and tokens[c].dep in {"appos", "pobj"}
                    ]
                    if not named:
                        continue
                    pobj = named[0]
                indexes = [
                    j
                    for j in actors.phrase_tokens(pobj)
                    if tokens[j].pos == "PROPN" or tokens[j].dep == "compound"
                ]
                text, start, end = actors.span_text(indexes)
                hint = actors.context.home_country
                place = self.gazetteer.lookup(text, hint) or self.gazetteer.lookup(
                    tokens[pobj].text, hint
                )
                if place is not None:
                    return replace(place, text=text, start=start, end=end)
        return None


def _dates_the_trigger(actors: SentenceActors, anchor: int, i: int, verb: int | None) -> bool:
    """Can the date at I (whose nearest verb is VERB) date the trigger at ANCHOR? Yes when it
    hangs on the trigger itself or on a verb the trigger's clause depends on; not when it belongs
    to another clause ("released fishermen detained last month")."""
    if verb is None or verb == anchor:
        return True
    tokens = actors.tokens
    current, seen = anchor, {anchor}
    while tokens[current].head != current and tokens[current].head not in seen:
        current = tokens[current].head
        seen.add(current)
        if current == verb:
            return True
    return False


def _governing_verb(actors: SentenceActors, i: int) -> int | None:
    seen: set[int] = set()
    current = i
    while current not in seen:
        seen.add(current)
        token = actors.tokens[current]
        if token.pos in {"VERB", "AUX"} and current != i:
            return current
        if token.head == current:
            return current if token.pos in {"VERB", "AUX"} else None
        current = token.head
    return None


def _governs(actors: SentenceActors, ancestor: int, i: int) -> bool:
    seen: set[int] = set()
    current = i
    while current not in seen:
        seen.add(current)
        if current == ancestor:
            return True
        current = actors.tokens[current].head
    return False

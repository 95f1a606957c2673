"""Typing: the CAMEO code of an event, and with it PLOVER type, mode and context, Goldstein score
and QuadClass.

The table is thucydides.codes (`CameoTable`, lexicons/cameo.tsv), which exports and analytics
use too; this step decides which code a trigger gives in its sentence. `verbal_code` and
`nominal_code` start from the trigger row's code and change it for the trigger's modality and
object (negated, conditional, promised or intended acts; force against words or abstractions);
`code_for_actors` changes it for the actors found (parties, offices and courts only argue).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..codes import CameoCode, CameoTable
from .modality import asks_whether
from .records import Found, Mention, Modality

if TYPE_CHECKING:
    from .mentions import SentenceActors

__all__ = [
    "CameoCode",
    "CameoTable",
    "code_for_actors",
    "intended_code",
    "nominal_code",
    "verbal_code",
]

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


def intended_code(cameo: CameoTable, code: str, modality: Modality) -> str:
    """Announced cooperation is an intent (03x); announced or conditional force, repression
    or protest is a threat (13x); an announced cut in relations is the decision itself."""
    root = code[:2]
    if root in THREATENING_ROOTS or (root == "16" and modality.reason == "conditional"):
        return cameo.threat_code(code)
    return cameo.intent_code(code)


def verbal_code(
    cameo: CameoTable,
    actors: SentenceActors,
    item: Found,
    modality: Modality,
    complement: Found | None,
) -> tuple[str, str, Modality] | None:
    """The code of the verb trigger ITEM told with MODALITY, the rule's name with what changed
    it, and the modality that is left; None when the trigger is no event here.

    A negated trigger gives its row's `negated` code ("will not accept" -> REJECT) or nothing;
    a hypothetical one nothing; a conditional one a threat, if its act can be threatened; a
    promise the intent code of the act promised ("agreed to hold talks"); an intended one its
    intent or threat code. Force against an abstraction ("fight corruption") is nothing, force
    against words or plans criticism, and an appeal that asks whether a question.
    """
    i = item.index
    rule = item.rule
    code = rule.cameo
    rule_name = f"{rule.entry}"
    if modality.kind == "negated":
        if not rule.negated:
            return None
        code = rule.negated
        rule_name += "+negated"
        modality = Modality("asserted", "negated trigger")
    elif modality.kind == "hypothetical":
        return None
    elif modality.kind == "conditional":
        if cameo.threat_code(code) == code and code[:2] not in THREATENING_ROOTS:
            return None
        modality = Modality("intended", "conditional")
    # The complement of a promise carries the real action ("agreed to hold talks").
    if complement is not None and rule.complement == "intent":
        code = cameo.intent_code(complement.rule.cameo)
        rule_name += f"+{complement.rule.entry}"
    if modality.kind == "intended":
        code = intended_code(cameo, code, modality)
    if code[:2] in {"18", "19", "20"} and any(
        actors.tokens[c].dep in {"dobj", "obj"}
        and actors.tokens[c].lemma.lower() in ABSTRACT_STRUGGLES
        # a row that names its object ("traded fire") means that object, no struggle
        and not (item.rule.objects and c in item.object_tokens)
        for c in actors.children[i]
    ):
        return None
    if attacks_words(actors, i, code):
        code, rule_name = "111", rule_name + "+verbal"
    if code[:2] == "02" and asks_whether(actors, i):
        return None  # "asked if he would return": a question, not an appeal
    return code, rule_name, modality


def nominal_code(cameo: CameoTable, actors: SentenceActors, item: Found, modality: Modality) -> str:
    """The code of the noun trigger ITEM: criticism when it attacks words or plans, the intent or
    threat code when it is planned."""
    code = item.rule.cameo
    if attacks_words(actors, item.index, code):
        code = "111"
    if modality.kind == "intended":
        code = intended_code(cameo, code, modality)
    return code


def code_for_actors(
    actors: SentenceActors,
    code: str,
    trigger_tokens: Sequence[int],
    source: Mention,
    target: Mention | None,
) -> str | None:
    """CODE as its actors make it: force between parties is criticism or nothing, a clash of
    offices and courts a dispute (None: not an event)."""
    if (code[:2] in {"18", "19", "20"} or code.startswith("138")) and electoral(source, target):
        # Parties "attack" each other in words and "beat" each other at the polls.
        if not any(actors.tokens[k].lemma.lower() in VERBAL_FORCE for k in trigger_tokens):
            return None
        return "111"
    if code[:2] in {"18", "19", "20"} and war_of_words(actors, trigger_tokens, source, target):
        return "111"  # "Top judge clashes with ministers": a dispute, not a fight
    return code


PARTY_ROLES = frozenset({"governing party", "opposition party"})


# Force verbs that between parties are criticism.
VERBAL_FORCE = frozenset({"attack", "hit", "slam", "blast", "assail", "target", "savage"})


def electoral(source: Mention, target: Mention | None) -> bool:
    """Force between political parties ("beat", "fight", "attack" in a campaign) is electoral
    or verbal, not material."""
    if target is None:
        return False
    sides = [*source.actors, *target.actors]
    return all(a.role in PARTY_ROLES or a.sector == "PTY" for a in sides)


# Sectors that fight; offices and parties that only argue.
FIGHTING_SECTORS = frozenset({"MIL", "COP", "REB", "INS", "SEP", "UAF", "PKO", "SPY", "CRM", "CVL"})
ARGUING_SECTORS = frozenset({"GOV", "LEG", "JUD", "OPP", "PTY", "BUS", "MED", "NGO", "LAB", "ELI"})


def war_of_words(
    actors: SentenceActors, trigger_tokens: Sequence[int], source: Mention, target: Mention | None
) -> bool:
    """A clash between offices, courts and parties with no armed side is a dispute."""
    if not any(actors.tokens[k].lemma.lower() in {"clash", "battle"} for k in trigger_tokens):
        return False
    sides = [*source.actors, *(target.actors if target is not None else ())]
    if any(a.sector in FIGHTING_SECTORS for a in sides):
        return False
    return all(a.sector in ARGUING_SECTORS or a.role in PARTY_ROLES for a in sides)


def attacks_words(actors: SentenceActors, i: int, code: str) -> bool:
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

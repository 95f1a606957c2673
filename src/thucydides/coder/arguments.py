"""Arguments: the source and target of a trigger, from its own grammatical roles.

- Source (`verb_source`): the subject; through control and raising verbs ("are scheduled to
  hold", "agreed to undertake", "urged Syria to withdraw"), shared subjects of coordinated
  verbs, relative clauses, and the "by" agent of a passive ("were signed with Russia by the
  minister"). Nominal events (`nominal_arguments`: "the visit by X to Y", "talks between X and
  Y", "Russia's attack on Y") take the source from the noun phrase.
- Target (`verb_target`): a dative or direct object that is an actor, else the object of a
  target preposition of the trigger row ("to", "with", "against", "on"), else the subject of a
  demanded or promised clause ("demanded that the US cancel"), else an actor inside the object
  phrase ("rejected North Korea's demand"), else a name a little further down its phrases.
- What the text leaves to the reader, as coders fill it in: the country of a group or office
  named without one (`placed_source`, `domestic_target`), and the pairs of actors an event
  joins (`dyads`: actors listed together act on each other only for mutual predicates).

Each rule's name goes into the event's `rule` ("subject/object"), which scoring.py weighs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..types import Actor, Place
from .modality import SPEECH_VERBS
from .records import Found, Mention
from .tree import located, near_objects, phrase_subtree

if TYPE_CHECKING:
    from .mentions import SentenceActors

# Dependencies through which an event's subject is shared with the governing verb.
_CONTROL_DEPS = frozenset({"xcomp", "conj", "advcl"})
# Consultations one side does to the other: a visit (042; its host is not coded for it, as
# real-news coders do not), hosting (043), mediating (045, "brokered by X and Y" is no meeting of
# X and Y).
ONE_WAY_CONSULTATIONS = frozenset({"042", "043", "045"})
# Diplomatic cooperation one side gives: praise, verbal defence, rallying support, recognition,
# apology, forgiveness (051-056): "X and Y welcomed the report" is not X praising Y.
ONE_WAY_COOPERATION = ("051", "052", "053", "054", "055", "056")
# CAMEO roots whose actors, listed together without a target, act with each other: intents to
# cooperate, consultations, diplomatic and material cooperation ("X and Y signed an accord").
MUTUAL_ROOTS = frozenset({"03", "04", "05", "06"})
# Intents that one side has toward others, not the listed actors toward each other: to give aid
# (033), to yield (034, 035), to mediate (037), to accept mediation (039) ("X and Y offered aid").
ONE_WAY_INTENTS = ("033", "034", "035", "037", "039")
# Conflict verbs that are mutual when the actors are listed together ("X and Y clashed").
MUTUAL_CONFLICT_LEMMAS = frozenset(
    {"clash", "fight", "exchange", "skirmish", "battle", "feud", "trade"}
)
# Sectors of a country's people and institutions outside its government, whose appeals and
# complaints without an addressee go to their own government.
NON_GOVERNMENT_SECTORS = frozenset(
    {"OPP", "LEG", "PTY", "NGO", "HRI", "LAB", "REL", "EDU", "MED", "ELI"}
)
# Expulsions (CAMEO 174 individuals, 166 missions), whose country-less targets are not domestic.
EXPULSIONS = frozenset({"174", "166"})
# Weapons and military actions that, as a subject, stand for whoever fires or flies them
# ("Israeli air strikes killed five"): the subject's owner is the source.
INSTRUMENT_NOUNS = frozenset(
    {"raid", "airstrike", "strike", "shelling", "shell", "missile", "rocket", "bomb", "mortar"}
    | {"bombardment", "barrage", "gunfire", "fire", "offensive", "attack", "assault", "bombing"}
    | {"airstrikes", "raids", "strikes", "shells", "missiles", "rockets", "bombs", "mortars"}
)
# CAMEO roots of an international body's appeals and complaints, whose unnamed addressee is the
# story's country (DocumentContext.counterpart): appeals (02), demands (10), disapproval (11),
# threats (13) and sanctions (16). Not meetings or support (04, 05: on BBC politics those named
# their partner elsewhere, and the guess was wrong).
COUNTERPART_ROOTS = frozenset({"02", "10", "11", "13", "16"})
# Attacks and fights through which a passive verb names who did it (passive_means).
MEANS_NOUNS = INSTRUMENT_NOUNS | {"clash", "fighting", "battle", "ambush", "skirmish", "raid"}
# Statements, appeals, accusations, rejections and protests (CAMEO 01, 02, 11, 12, 14): what a
# country's people say and do about its affairs. "Campaigners urged ministers" in a British story
# are British.
SPEAKING_ROOTS = frozenset({"01", "02", "11", "12", "14"})
# Sectors of a country's own people and bodies, who take the story's country when they speak.
PEOPLE_SECTORS = frozenset({"CVL", "OPP", "LAB", "BUS", "HRI", "ENV", "EDU", "HLH", "REL", "AGR"})
# Support, criticism and rejection (CAMEO 05, 11, 12): of an actor through what it has or does.
JUDGING_ROOTS = frozenset({"05", "11", "12"})
# Non-state armed groups, whose country the text must give ("Kurdish rebels").
ARMED_GROUP_SECTORS = frozenset({"REB", "INS", "SEP", "UAF", "CRM"})


def verb_source(actors: SentenceActors, i: int) -> tuple[Mention | None, str]:
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
                if group is None:
                    # "Coalition raids struck a camp", "Israeli air strikes killed five": the
                    # weapon or raid is the subject; whoever it belongs to acts.
                    owner = instrument_owner(actors, child)
                    if owner is not None:
                        how = "instrument" if current == i else f"{came_by}-instrument"
                        return owner, how
                if group is not None or not _has_actor_below(actors, child):
                    return group, "subject-group"
            elif (
                dep == "nsubjpass"
                and current == i
                and not any(tokens[c].dep == "agent" for c in children)
            ):
                # "Five soldiers were killed in an Israeli air strike", "... in a clash with
                # Chinese troops": the strike's owner or the other side of the clash did it.
                by_means = passive_means(actors, i)
                if by_means is not None:
                    return by_means, "passive-means"
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


def verb_target(
    actors: SentenceActors, i: int, item: Found, complement: Found | None, depth: int = 0
) -> tuple[Mention | None, str]:
    """Whom it is done to; see the module docstring for the order of the rules."""
    tokens = actors.tokens
    children = actors.children[i]
    preps = item.rule.target_preps
    # Where a curfew or an attack is (or is lifted), is whom it concerns; where an agreement
    # is signed is only where it happened.
    coercive = item.rule.cameo[:2] >= "10" or item.rule.cameo[:2] == "08"
    has_agent = any(tokens[c].dep == "agent" for c in children) or (
        passive_means(actors, i) is not None
    )
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
            if mention is not None and not _own_people(mention):
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
            target, rule = verb_target(actors, child, inner, None, depth + 1)
            if target is not None:
                return target, f"complement-{rule}"
    # The counterpart named by the object noun's own preposition: "held talks with the
    # education secretary", "signed an agreement with its union" (any actor phrase, not only
    # a name).
    for child in children:
        if tokens[child].dep not in {"dobj", "obj"} or tokens[child].pos != "NOUN":
            continue
        for prep in actors.children[child]:
            if tokens[prep].dep != "prep" or tokens[prep].text.lower() not in preps:
                continue
            for pobj in actors.children[prep]:
                if tokens[pobj].dep == "pobj":
                    mention = actors.mention(pobj)
                    if mention is not None:
                        return mention, f"object-prep-{tokens[prep].text.lower()}"
    # An agreement's purpose names the other side: "signed a deal to import Venezuelan fuel",
    # "reached an accord to buy gas from Iran".
    if item.rule.cameo[:2] in MUTUAL_ROOTS:
        purpose = _purpose_counterpart(actors, children)
        if purpose is not None:
            return purpose, "object-purpose"
    # An actor inside the object phrase: "rejected North Korea's demand", "beat up
    # Palestinian detainees", "asked for participation from Russia".
    for child in children:
        if tokens[child].dep in {"dobj", "obj", "nsubjpass", "attr"} or (
            tokens[child].dep == "prep" and tokens[child].text.lower() in {"for", "of", "from"}
        ):
            for j in phrase_subtree(actors, child, places=coercive):
                if (
                    j != child
                    and tokens[j].pos in {"PROPN", "NOUN", "ADJ"}
                    and (actors.is_name(j) or actors.is_organization(j))
                ):
                    mention = actors.mention(j)
                    if mention is not None:
                        return mention, "inside-object"
    # Backing or attacking what someone has or does is backing or attacking them: "backed his
    # measures", "criticised her record", "rejected their plan" (the owner of the object).
    if depth == 0 and (item.rule.cameo[:2] in JUDGING_ROOTS or item.rule.cameo == "016"):
        owner = _object_owner(actors, children, preps)
        subject, _ = verb_source(actors, i) if owner is not None else (None, "")
        # Not its own: "reneged on his commitment to the voters" is not about himself.
        if owner is not None and not (
            subject is not None
            and {a.code for a in subject.actors} >= {a.code for a in owner.actors}
        ):
            return owner, "object-owner"
    # A group named without its country ("dispersed demonstrators"): coded as domestic later.
    if depth == 0:
        for child in children:
            if tokens[child].dep in {"dobj", "obj"}:
                group = actors.group(child)
                if group is not None:
                    return group, "object-group"
    # "denied the claim", "rejected his offer": the one whose claim or offer it was.
    if depth == 0 and (item.rule.cameo == "016" or item.rule.cameo[:2] == "12"):
        owner = _claim_owner(actors, children)
        if owner is not None:
            return owner, "claim-owner"
        claimant = _relative_claimant(actors, i)
        if claimant is not None:
            return claimant, "claim-owner"
    # A name a little further down the verb's own phrases ("kidnapped up to 16 Russian
    # advisers", "suspended part of an aid program for Bosnia").
    if depth <= 1:
        in_places = located(actors, i)
        for j in near_objects(actors, i, places=coercive):
            if actors.is_name(j) and tokens[j].pos in {"PROPN", "NOUN", "ADJ"}:
                if j in in_places and actors.is_city(j):
                    continue  # "arrested supporters in Nairobi": a place, not a government
                mention = actors.mention(j)
                if mention is not None:
                    return mention, "nearby"
    if depth == 0:
        for j in near_objects(actors, i, places=coercive):
            if tokens[j].pos in {"NOUN", "PROPN"}:
                group = actors.group(j)
                if group is not None:
                    return group, "nearby-group"
    return None, "none"


# What one side says or offers, which another denies or rejects.
CLAIM_NOUNS = frozenset(
    {"claim", "allegation", "accusation", "charge", "criticism", "call", "demand", "offer"}
    | {"bid", "proposal", "suggestion", "quote", "remark", "comment", "report", "talk", "idea"}
    | {"request", "appeal", "plan", "speculation", "rumour", "rumor", "assertion"}
)
_BACK_REFERRING_DETS = frozenset({"the", "that", "this", "these", "those"})


def _claim_owner(actors: SentenceActors, children: list[int]) -> Mention | None:
    """Whose claim the verb's object is: its owner pronoun ("denied his claims"), else, for a
    claim named again ("denied the claim", "dismissed that quote"), the subject of the sentence
    before, who made it."""
    tokens = actors.tokens
    for child in children:
        if tokens[child].dep not in {"dobj", "obj"} or tokens[child].lemma not in CLAIM_NOUNS:
            continue
        below = actors.children[child]
        for c in below:
            if tokens[c].dep == "poss" and tokens[c].pos == "PRON":
                return actors.mention(c)
        if any(tokens[c].dep == "prep" and tokens[c].text.lower() in {"from", "by"} for c in below):
            return None  # "the offer from X": its owner is named here, or not known
        if any(
            tokens[c].dep == "det" and tokens[c].text.lower() in _BACK_REFERRING_DETS for c in below
        ):
            earlier = actors.context.last_subject
            if not earlier:
                return None
            return Mention(
                tuple(replace(a, entry=f"{a.entry}+coref:claimant") for a in earlier),
                -1,
                True,
            )
    return None


def _relative_claimant(actors: SentenceActors, i: int) -> Mention | None:
    """Who made the claim that the relative clause at I denies: "X accused Y of arming the
    rebels, a charge Y denies", "... said the group acted on orders from Tehran, an accusation
    Iran has denied": the source of the clause the claim noun describes."""
    tokens = actors.tokens
    if tokens[i].dep != "relcl":
        return None
    noun = tokens[i].head
    if tokens[noun].lemma.lower() not in CLAIM_NOUNS or tokens[noun].head == noun:
        return None
    verb = tokens[noun].head
    seen = {noun}
    while tokens[verb].pos not in {"VERB", "AUX"} and tokens[verb].head != verb:
        if verb in seen:
            return None
        seen.add(verb)
        verb = tokens[verb].head  # "a charge" on an object noun of the accusing verb
    if tokens[verb].pos not in {"VERB", "AUX"} or verb == i:
        return None
    # "said the group was acting on orders from Tehran, an accusation ...": the one who said it.
    while tokens[verb].dep in {"ccomp", "xcomp"} and tokens[verb].head != verb:
        if tokens[tokens[verb].head].lemma.lower() not in SPEECH_VERBS:
            break
        verb = tokens[verb].head
    source, _ = verb_source(actors, verb)
    return source


def _object_owner(
    actors: SentenceActors, children: list[int], preps: Sequence[str]
) -> Mention | None:
    """The actor that owns the verb's object ("his" in "backed his measures", "Labour's" in
    "attacked Labour's record"), or of the object of one of its target prepositions ("poured
    cold water on his promises")."""
    tokens = actors.tokens
    objects = [c for c in children if tokens[c].dep in {"dobj", "obj"}]
    for child in children:
        if tokens[child].dep == "prep" and tokens[child].text.lower() in preps:
            objects.extend(c for c in actors.children[child] if tokens[c].dep == "pobj")
    for head in objects:
        if tokens[head].pos != "NOUN":
            continue
        for c in actors.children[head]:
            if tokens[c].dep == "poss":
                mention = actors.mention(c)
                if mention is not None:
                    return mention
    return None


def _purpose_counterpart(actors: SentenceActors, children: list[int]) -> Mention | None:
    """A name in the purpose clause of the verb's object noun ("a deal to buy Bolivian gas")."""
    tokens = actors.tokens
    for child in children:
        if tokens[child].dep not in {"dobj", "obj"} or tokens[child].pos != "NOUN":
            continue
        for clause in actors.children[child]:
            if tokens[clause].dep not in {"acl", "advcl"} or tokens[clause].pos != "VERB":
                continue
            for part in actors.children[clause]:
                if tokens[part].dep not in {"dobj", "obj", "prep"}:
                    continue
                for j in phrase_subtree(actors, part):
                    if tokens[j].pos in {"PROPN", "NOUN", "ADJ"} and actors.is_name(j):
                        mention = actors.mention(j)
                        if mention is not None:
                            return mention
    return None


def passive_means(actors: SentenceActors, i: int) -> Mention | None:
    """Who did what the passive verb at I tells through the attack or clash it names ("were
    killed in an Israeli air strike", "were wounded in a clash with Chinese troops", "died
    in shelling by government forces"): the attack's owner, or the actor after its "with" or
    "by"; None when the verb names no such means."""
    tokens = actors.tokens
    for prep in actors.children[i]:
        if tokens[prep].dep != "prep" or tokens[prep].text.lower() not in {"in", "during"}:
            continue
        for noun in actors.children[prep]:
            if tokens[noun].dep != "pobj" or tokens[noun].lemma.lower() not in MEANS_NOUNS:
                continue
            owner = instrument_owner(actors, noun)
            if owner is not None:
                return owner
            for inner in actors.children[noun]:
                if tokens[inner].dep == "prep" and tokens[inner].text.lower() in {"with", "by"}:
                    for pobj in actors.children[inner]:
                        mention = actors.mention(pobj) if tokens[pobj].dep == "pobj" else None
                        if mention is not None:
                            return mention
    return None


def instrument_owner(actors: SentenceActors, i: int) -> Mention | None:
    """The actor a weapon or military action at I belongs to ("coalition raids", "Israeli air
    strikes", "Russia's missiles"): a modifier of the noun that names an actor; None when the
    noun is no instrument or names no owner."""
    tokens = actors.tokens
    if tokens[i].lemma.lower() not in INSTRUMENT_NOUNS:
        return None
    for child in actors.children[i]:
        if tokens[child].dep in {"poss", "compound", "amod", "nmod"}:
            mention = actors.mention(child)
            if mention is not None:
                return mention
    return None


def _own_people(mention: Mention) -> bool:
    """ "its troops", "their forces" as an object: the means of the one who acts ("offered its
    troops to Lebanon", "sent its forces to the border"), not whom the act is done to."""
    return all("coref:possessor" in a.entry for a in mention.actors)


def _has_actor_below(actors: SentenceActors, i: int) -> bool:
    return any(actors.is_name(j) for j in phrase_subtree(actors, i))


def nominal_arguments(
    actors: SentenceActors, item: Found
) -> tuple[Mention | None, str, Mention | None, str]:
    """(source, how, target, how) of the noun trigger ITEM: "talks between X and Y", "the visit
    by X to Y", "Russia's attack on Y", and the traveller of "arrived in Amman for talks with
    Jordanian officials". No source: (None, how, None, "none")."""
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
            source, how = verb_source(actors, verb)
            source_rule = f"purpose-{how}"
    if source is None:
        return None, source_rule, None, target_rule
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
    if target is not None and same(source, target):
        target = None
    return source, source_rule, target, target_rule


def same(a: Mention, b: Mention) -> bool:
    """The same phrase standing for the same actors: not a source and a target."""
    return {x.key for x in a.actors} == {x.key for x in b.actors} and a.head == b.head


def refers_back(source: Mention, target: Mention) -> bool:
    """A target that is the source's own group named again ("Cuba, Venezuela and Nicaragua
    denounced what they called a coup": "they" are the three, not each other's target)."""
    keys = {a.key for a in source.actors}
    return target.resolved and len(keys) >= 2 and {a.key for a in target.actors} == keys


def placed_source(
    source: Mention,
    place: Place | None,
    sentence_countries: set[str],
    code: str = "",
    story_country: str | None = None,
) -> Mention | None:
    """A group or office acting without its country named ("ethnic Albanians", "President
    Museveni") is of the place where it acts, else of the one country the sentence names; a
    group of a country's people that speaks ("campaigners urged ...", "critics accused ...",
    CODE a statement, appeal, accusation or protest) is of the country the story is about
    (STORY_COUNTRY), as coders of domestic news code it."""
    if all(a.country or a.organization for a in source.actors):
        return source
    armed = any(a.sector in ARMED_GROUP_SECTORS for a in source.actors if not a.country)
    if place is not None and place.country is not None:
        country, why = place.country, "rule:place"
    elif len(sentence_countries) == 1 and not armed:
        # Not "rebels", "gunmen", "terrorists": a country named elsewhere in the sentence ("Turkish
        # officials said rebels attacked") does not tie them to it.
        country, why = next(iter(sentence_countries)), "rule:only-country-named"
    elif (
        story_country is not None
        and not armed
        and not sentence_countries
        and code[:2] in SPEAKING_ROOTS
        and all(a.sector in PEOPLE_SECTORS for a in source.actors if not a.country)
    ):
        country, why = story_country, "rule:story-country-group"
    else:
        return None
    actors = tuple(
        a if a.country or a.organization else replace(a, country=country, entry=f"{a.entry}+{why}")
        for a in source.actors
    )
    return Mention(actors, source.head, True)


def domestic_target(
    code: str,
    source: Mention,
    target: Mention | None,
    place: Place | None,
    at: int,
    counterpart: str | None = None,
    addressed: bool = False,
) -> Mention | None:
    """Targets the text leaves to the reader, as coders conventionally fill them in.

    A group without a country ("demonstrators", "opposition candidates") is of the place's
    country, else of the source's: repression and protest are mostly domestic. A protest
    without a target is against the protesters' own government; force or repression without
    one is against the place where it happened (or, for repression, the source's own country).
    ADDRESSED: the text names whom an appeal is to, though as no actor ("urged the finance
    chiefs to act", "urged supporters to vote"): then it is not to the source's government.
    """
    home = next((a.country for a in source.actors if a.country), None)
    place_country = place.country if place is not None else None
    if target is not None:
        if all(a.country or a.organization for a in target.actors):
            return target
        if code[:3] in EXPULSIONS:
            # "Prague expelled three staff": those expelled are mostly foreigners, so the
            # place and the source's country say nothing of whose they are.
            return None
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
    elif (
        root in {"02", "11"}
        and not (root == "02" and addressed)
        and _one_home(source)
        and _outside_government(source)
    ):
        # "The opposition called for an inquiry", "MPs criticised the decision": an appeal or
        # a complaint from inside a country, naming no one, is addressed to its government.
        country, sector, why = home, "GOV", "rule:appeal-to-own-government"
    elif root == "17" and code[:3] not in EXPULSIONS:
        country, sector, why = place_country or home, None, "rule:domestic-repression"
    elif root in {"18", "19", "20"}:
        country, sector, why = place_country, None, "rule:violence-at-place"
    elif root == "15" and place_country != home:
        country, sector, why = place_country, None, "rule:force-posture-at-place"
    if (
        country is None
        and counterpart is not None
        and root in COUNTERPART_ROOTS
        and all(a.organization_kind == "IGO" and not a.country for a in source.actors)
    ):
        # "The UN envoy urged restraint", "the EU called for a truce": an international
        # body's appeal or act naming no one is addressed to the country the story is about.
        # (Between two states the unnamed side is a guess: on invented conflict stories the
        # story's other side was the gold target of only a third of such events.)
        country, sector, why = counterpart, None, "rule:story-counterpart"
    if country is None:
        return None
    actor = Actor(text="", start=at, end=at, country=country, sector=sector, entry=why)
    return Mention((actor,), -1, True)


def _one_home(source: Mention) -> bool:
    return len({a.country for a in source.actors}) == 1 and bool(source.actors[0].country)


def _outside_government(source: Mention) -> bool:
    return all(a.sector in NON_GOVERNMENT_SECTORS and not a.organization for a in source.actors)


def _mutual(actors: SentenceActors, code: str, trigger_tokens: Sequence[int]) -> bool:
    """Do actors listed together act on each other? For symmetric predicates (meet, agree,
    sign, clash) or when the text says "each other"; not "Syrian and Russian jets bombed"."""
    if code[:2] in MUTUAL_ROOTS:
        return not code.startswith(ONE_WAY_INTENTS + ONE_WAY_COOPERATION) and (
            code not in ONE_WAY_CONSULTATIONS
        )
    tokens = actors.tokens
    if any(tokens[k].lemma.lower() in MUTUAL_CONFLICT_LEMMAS for k in trigger_tokens):
        return True
    words = [t.text.lower() for t in tokens]
    if any(
        words[k : k + 2] in (["each", "other"], ["one", "another"]) for k in range(len(words) - 1)
    ):
        return True
    # "Each side accused the other of ...": the pair acts on each other.
    first = min(trigger_tokens)
    return "each" in words[:first] and any(
        words[k : k + 2] == ["the", "other"] for k in range(first, len(words) - 1)
    )


def _one_actor(a: Actor, b: Actor) -> bool:
    """Are A and B one actor? The same code and name, unless two different rows of the
    organisation lexicon name them ("Rosneft agreed to merge with Gazprom": two Russian
    companies, both RUSBUS)."""
    if a.code != b.code or a.name != b.name:
        return False
    rows = {_organization_row(x.entry) for x in (a, b)}
    return len(rows) == 1 or None in rows


def _organization_row(entry: str) -> str | None:
    """The organizations.tsv row an actor was coded from ("organizations.tsv:104"), if any."""
    first = entry.split("+", 1)[0]
    return first if first.startswith("organizations.tsv:") else None


def dyads(
    actors: SentenceActors,
    code: str,
    source: Mention,
    target: Mention | None,
    trigger_tokens: Sequence[int],
) -> list[tuple[str, Actor, Actor | None, bool]]:
    """(code, source actor, target actor, reciprocal) of each event a trigger gives: every
    source actor with every target actor; actors listed together with each other when the
    predicate is mutual ("X and Y met"); meetings in both directions, but not visits: the
    visited side is not coded as hosting what the visitor did."""
    pairs: list[tuple[Actor, Actor | None, bool]] = []
    if (
        target is not None
        and len(source.actors) >= 2
        and {a.key for a in target.actors} == {a.key for a in source.actors}
        and target.resolved
    ):
        # "Cuba, Venezuela and Nicaragua denounced what they called a coup": "they" is the
        # group itself, which acts on each other only as the predicate allows (as if no target).
        target = None
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
                if other is not None and _one_actor(a, other):
                    continue
                pairs.append((a, other, False))
    if code[:2] == "04" and code not in ONE_WAY_CONSULTATIONS:
        # Meeting, talking and negotiating are mutual: both directions. (An intent to meet,
        # 036, is one side's.)
        mutual_pairs = {(a.key, b.key) for a, b, _ in pairs if b is not None}
        reverse = [
            (b, a, True)
            for a, b, _ in pairs
            if b is not None and b.key != a.key and (b.key, a.key) not in mutual_pairs
        ]
        pairs = [(a, b, b is not None) for a, b, _ in pairs]
    else:
        reverse = []
    # The other side of a meeting meets too.
    return [(code, *p) for p in pairs] + [(code, *p) for p in reverse]

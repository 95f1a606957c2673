"""Coreference: what a phrase that names no actor of its own stands for, from the document so far.

One antecedent or none: a pronoun (`pronoun`) is the subject of an earlier clause of the
sentence that agrees in number and kind (`earlier_subject`), else the last sentence's main
subject (`main_subject`, kept in DocumentContext.last_subject), the last group named together
or the last person; "we" and "I" are the speaker of the quote (`speaker_of`); "the two sides"
is the last group named together (`pair`); a surname is the person named before
(`known_person`); "the ministry" is the body last named with that word or of that sector
(`earlier_body`). What the document has said so far is its DocumentContext (mentions.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..types import Actor
from .modality import SPEECH_VERBS
from .records import Mention

if TYPE_CHECKING:
    from .mentions import DocumentContext, SentenceActors

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
THING_PRONOUNS = frozenset({"it", "its"})
SPEAKER_PRONOUNS = frozenset({"we", "us", "our", "i", "me", "my"})
# Plural only: "the country", "the other side" are one actor.
PAIR_WORDS = frozenset({"sides", "countries", "nations", "leaders"})
PAIR_DETS = frozenset({"two", "both"})


def is_pair(actors: SentenceActors, indexes: list[int]) -> bool:
    """ "the two sides", "both countries", "the leaders": the pair named before. Not "the
    country" or "the other side", which are one actor."""
    words = {actors.tokens[i].text.lower() for i in indexes}
    if words & PAIR_DETS and any(
        actors.tokens[i].tag == "NNS"
        and (i in actors.agent_at or actors.tokens[i].lemma in actors.lexicon.org_heads)
        for i in indexes
    ):
        return True  # "the two presidents", "both banks": the pair named before
    return bool(words & PAIR_WORDS) and (bool(words & PAIR_DETS) or "the" in words)


def pair(actors: SentenceActors, head: int) -> Mention | None:
    """ "The two sides": the actors the document last named together, or none."""
    group = actors.context.recent_pair()
    if not group:
        return None
    text, start, end = actors.span_text(actors.phrase_tokens(head))
    coded = tuple(
        replace(a, text=text, start=start, end=end, entry=f"{a.entry}+coref:pair") for a in group
    )
    return Mention(coded, head, True)


def pronoun(actors: SentenceActors, head: int) -> Mention | None:
    """The actor(s) the pronoun at HEAD stands for: one antecedent (a group named together is
    one), or None when there is none to take."""
    token = actors.tokens[head]
    lower = token.text.lower()
    text, start, end = token.text, token.start, token.start + len(token.text)
    found: tuple[Actor, ...] = ()
    if lower in SPEAKER_PRONOUNS:
        speaker = speaker_of(actors, head)
        if speaker is not None:
            found = speaker.actors
    elif lower in PLURAL_PRONOUNS:
        earlier = earlier_subject(actors, head, plural=True)
        if earlier is not None:
            found = earlier
        elif len(actors.context.last_subject) > 1:
            found = actors.context.last_subject
        elif actors.context.last_group:
            found = actors.context.last_group  # "South Korea and Russia ... they"
        elif actors.context.last_subject:
            # One antecedent: the last sentence's subject ("Police arrested five men. They
            # said ..."), not the last actor in sight.
            found = actors.context.last_subject
    elif lower in PERSON_PRONOUNS:
        earlier = earlier_subject(actors, head, plural=False, person=True)
        if earlier is not None:
            found = earlier
        elif actors.context.last_person is not None:
            found = (actors.context.last_person,)
    elif lower in THING_PRONOUNS:
        earlier = earlier_subject(actors, head, plural=False)
        subject = actors.context.last_subject
        if earlier is not None:
            found = earlier
        elif len(subject) == 1 and not subject[0].name and not subject[0].role:
            found = subject  # "Chile summoned the Peruvian envoy. It accused Peru ..."
        elif actors.context.last_actor is not None and not actors.context.last_actor.name:
            found = (actors.context.last_actor,)
    if not found:
        return None
    coded = tuple(
        replace(a, text=text, start=start, end=end, entry=f"{a.entry}+coref:pronoun") for a in found
    )
    return Mention(coded, head, True)


def earlier_subject(
    actors: SentenceActors, head: int, *, plural: bool, person: bool = False
) -> tuple[Actor, ...] | None:
    """An actor named earlier in the same sentence as the subject of a clause."""
    for i in range(head - 1, -1, -1):
        token = actors.tokens[i]
        if token.dep not in {"nsubj", "nsubjpass"} or token.pos == "PRON":
            continue
        mention = actors.mention(i) or actors.group(i)  # a titled person the lexicons lack
        if mention is None:
            continue
        many = len(mention.actors) > 1 or token.tag in {"NNS", "NNPS"}
        if plural != many:
            continue
        if person and not any(a.name or a.role for a in mention.actors):
            continue
        return mention.actors
    return None


def speaker_of(actors: SentenceActors, index: int) -> Mention | None:
    """Who "we" or "I" is: the subject of the speech verb that governs the quote."""
    if index in actors.speaker_cache:
        return actors.speaker_cache[index]
    result = None
    i = index
    seen = set()
    while i not in seen:
        seen.add(i)
        token = actors.tokens[i]
        parent = token.head
        if parent == i:
            break
        if (
            token.dep in {"ccomp", "parataxis"}
            and actors.tokens[parent].lemma.lower() in SPEECH_VERBS
        ):
            for child in actors.children[parent]:
                child_token = actors.tokens[child]
                if child_token.dep == "nsubj" and child_token.pos != "PRON":
                    result = actors.mention(child)
                    break
            if result is not None:
                break
        i = parent
    if result is None and actors.context.by_sector:
        # A quote without its speaker in the sentence: the last official of the document.
        for sector in ("GOV", "MIL"):
            actor = actors.context.by_sector.get(sector)
            if actor is not None:
                result = Mention((actor,), index, True)
                break
    actors.speaker_cache[index] = result
    return result


def main_subject(actors: SentenceActors) -> tuple[Actor, ...]:
    """The actors of the main clause's subject ("Chile" in "Chile summoned the envoy")."""
    for i, token in enumerate(actors.tokens):
        if token.dep == "ROOT":
            for child in actors.children[i]:
                if actors.tokens[child].dep in {"nsubj", "nsubjpass"}:
                    mention = actors.mention(child)
                    return mention.actors if mention is not None else ()
    return ()


def known_person(context: DocumentContext, name: str | None) -> Actor | None:
    """A person the document named before by NAME or its last word ("Kim", "Mr Letwin")."""
    known = context.persons.get(name.lower()) if name else None
    if known is None and name:
        known = context.persons.get(name.split()[-1].lower())
    return known


def earlier_body(
    actors: SentenceActors,
    head: int,
    indexes: list[int],
    sector: str | None,
    by_sector: bool = True,
) -> Actor | None:
    """The body an agent word names again ("the ministry", "one defense ministry official"):
    the last actor named with that word, else (BY_SECTOR) the last of its SECTOR; None when
    there is none."""
    tokens = actors.tokens
    previous = None
    for i in sorted(indexes, key=lambda k: abs(k - head)):
        if i in actors.agent_at and tokens[i].text[:1].islower():
            previous = actors.context.by_word.get(singular(tokens[i].text.lower()))
            if previous is not None:
                break
    if previous is None and by_sector:
        previous = actors.context.by_sector.get(sector or "")
    return previous


def earlier_organization(
    actors: SentenceActors, head: int, names: tuple[str, ...], phrase: str, sector: str | None
) -> Actor | None:
    """The organisation a phrase names again: by its NAMES ("the LSE" after "the London Stock
    Exchange (LSE)"), else, for a bare organisation noun PHRASE ("the exchange", "the group"),
    the last organisation named with that word or of that SECTOR; None when there is none."""
    context = actors.context
    for name in names:
        known = context.organizations.get(name)
        if known is not None:
            return known
    if names or not phrase:
        return None
    previous = context.by_word.get(singular(actors.tokens[head].text.lower()))
    if previous is not None and (previous.country or previous.organization):
        return previous
    last = context.last_organization
    if last is not None and (sector is None or sector == last.sector or phrase == "group"):
        return last
    return None


def singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word

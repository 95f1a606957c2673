"""Actor mentions in parsed sentences: noun phrases -> Mention records (their Actor records).

A mention is coded from the words of its noun phrase: a country name, short form, demonym, capital
or seat ("Russia's", "North Korean", "the Kremlin"), an organisation ("the U.N. Security Council"),
a person (a name from the office-holder lexicon, or a PERSON entity with a title), and agent words
that give the sector ("deputy defense minister" -> MIL, "police" -> COP). What a phrase does not
say is taken from the document read so far (`DocumentContext`): later references ("the two
sides", "they", "the ministry", "Kim", "the South") resolve to the actors already named
(coreference.py), and "here" ("officials here said") to the publisher's country.

`MentionFinder.analyse` gives a sentence's `SentenceActors`: its parse (tokens, each token's
children) with the lexicon names and agent words found in it, and `mention(head)`, the actors
of the phrase headed at a token. Every later step reads the sentence through it.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..actors import (
    ActorLexicon,
    AgentMatch,
    CountryMatch,
    OfficeHolderMatch,
    OrganizationMatch,
    OrgHeadMatch,
    PhraseMatch,
)
from ..types import Actor, Sentence, Token
from .coreference import (
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    THING_PRONOUNS,
    earlier_body,
    earlier_organization,
    is_pair,
    known_person,
    pair,
    possessor,
    pronoun,
    singular,
)
from .records import Mention

# Dependencies that keep a word inside the noun phrase of its head.
_PHRASE_DEPS = frozenset(
    {
        "compound",
        "amod",
        "poss",
        "nmod",
        "det",
        "nummod",
        "appos",
        "case",
        "flat",
        "quantmod",
        "predet",
        "prep",
        "pobj",
        "punct",
        "cc",
        "conj",
        "npadvmod",
        "advmod",
    }
)
# Prepositions whose object still names the actor ("Minister of the People's Armed Forces").
_PHRASE_PREPS = frozenset({"of", "for", "from", "in", "at", "throughout", "across", "inside"})
# People named by what they belong to ("opposition supporters"); "military exchanges" are not.
_MEMBERS = frozenset(
    {"supporter", "member", "loyalist", "follower", "activist", "deserter", "veteran", "worker"}
    | {"sympathizer", "sympathiser", "leader", "representative", "delegate", "fighter", "cadre"}
    | {"militant", "recruit", "volunteer", "employee", "staff", "personnel", "partisan"}
)
# Weapons among the agent words: as a modifier ("artillery fire", "drone strike") they name the
# weapon, not a force named before.
_WEAPONS = frozenset(
    {"artillery", "drone", "tank", "jet", "warplane", "aircraft", "helicopter", "bomber"}
    | {"gunship", "warship", "frigate", "submarine", "missile", "rocket", "mortar"}
)
# "Russian-backed", "Iran-aligned": the country word names a backer, not the group's country.
_BACKING_WORDS = frozenset(
    {"back", "backed", "align", "aligned", "support", "supported", "sponsor", "sponsored"}
    | {"fund", "funded", "arm", "armed", "train", "trained", "ally", "allied", "friendly"}
)
# Offices and bodies of a state, which belong to the story's country when none is named; not
# armed forces or groups ("rebels", "fighters"), whose country the text must give.
_STATE_SECTORS = frozenset({"GOV", "LEG", "JUD", "COP", "OPP", "ELI"})
_HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady", "Baroness", "Dame"})
_LOCATIVE_PREPS = frozenset({"in", "at", "throughout", "across", "inside", "near"})
_KOREA_SIDES = {"South": "KOR", "North": "PRK"}
# Sectors that make a country-only mention a government mention ("Seoul said").
_GOVERNMENT_KINDS = frozenset({"capital", "seat"})
# Relative dates from office-holder rows are compared at day precision.
DateLike = dt.date


@dataclass
class DocumentContext:
    """What a document has said so far about who is who. One per document, updated in order."""

    published: DateLike | None = None
    home_country: str | None = None  # the publisher's country: what "here" means
    # Countries named, each once, in the order of their latest noting (latest last): a name
    # is noted when it is not among the last six noted (`recent`). Kept as an ordered set, not
    # as the list of every noting: a document's readers (office-holder look-ups, each event)
    # would otherwise copy and scan a list that grows with its length.
    noted: dict[str, None] = field(default_factory=dict)
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=6))
    persons: dict[str, Actor] = field(default_factory=dict)  # lower-cased name or surname -> actor
    last_person: Actor | None = None
    last_actor: Actor | None = None
    last_group: tuple[Actor, ...] = ()  # the last compound actor ("South Korea and Russia")
    by_sector: dict[str, Actor] = field(default_factory=dict)  # last actor of each sector
    by_word: dict[str, Actor] = field(default_factory=dict)  # last actor named with a word
    # The subject of the last sentence's main clause, when it is an actor: what "it" and "they"
    # at the start of the next sentence most often mean.
    last_subject: tuple[Actor, ...] = ()
    # How often each country was named by its own words (not through coreference).
    country_counts: dict[str, int] = field(default_factory=dict)
    # Organisations the lexicons do not know, by the names written for them ("deutsche
    # boerse", "lse"): a later "LSE" is the same body, of the country it was given then.
    organizations: dict[str, Actor] = field(default_factory=dict)
    last_organization: Actor | None = None  # what "the group" means
    # Abbreviations the document defines ("the Syrian Democratic Forces (SDF)"): the name each
    # stands for, over the lexicons' reading of the same letters.
    abbreviations: dict[str, PhraseMatch] = field(default_factory=dict)
    # Countries the whole document names (by name, people, capital, office holder or
    # organisation), read before its first sentence; None when not known (a bare sentence).
    # An acronym shared by bodies of several countries ("FSA") is the one of these (acronym_fits).
    document_countries: frozenset[str] | None = None

    def story_country(self, also: Sequence[str] = ()) -> str | None:
        """The country the story is about, for an office named without one ("the chancellor",
        "Mr X, the MP"): the country named clearly most often so far (at least twice as often
        as any other), else the publisher's when nothing else is named; None when unclear.
        ALSO: countries the current sentence has named so far ("Kenyan students marched
        against the government" is Kenya's, in an article's first sentence too)."""
        counts = dict(self.country_counts)
        for code in also:
            counts[code] = counts.get(code, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if not ranked:
            return self.home_country
        top, count = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if count >= 2 * second and (
            self.home_country is None or top == self.home_country or (second == 0 and count >= 2)
        ):
            return top
        if self.home_country is not None and counts.get(self.home_country, 0) >= count:
            return self.home_country
        return None

    def only_country(self, also: Sequence[str] = ()) -> str | None:
        """The one country the document has named so far (ALSO: those the current sentence
        has); None when it names none or two or more. For an organisation the lexicons do not
        know, which may be of any country (a British outlet's business story is often about a
        foreign company, so the publisher's country is no guess)."""
        named = set(self.country_counts) | set(also)
        return next(iter(named)) if len(named) == 1 else None

    def counterpart(self, sources: Sequence[str], also: Sequence[str] = ()) -> str | None:
        """The other side of the story for an actor of SOURCES ("Ankara launched the offensive"
        in a story about Turkey and Syria): the country named clearly most often (at least
        twice, and twice as often as any other) among those that are not SOURCES; ALSO: the
        countries the current sentence names. None when no country stands out."""
        counts = {k: v for k, v in self.country_counts.items() if k not in sources}
        for code in also:
            if code not in sources:
                counts[code] = counts.get(code, 0) + 1
        ranked = sorted(counts.values(), reverse=True)
        if not ranked or ranked[0] < 2 or (len(ranked) > 1 and ranked[0] < 2 * ranked[1]):
            return None
        return next(k for k, v in counts.items() if v == ranked[0])

    def remember(self, mentions: Sequence[Mention]) -> None:
        """Take note of the mentions of a sentence, in order."""
        for mention in mentions:
            if mention.names and mention.actors[0].country:
                for name in mention.names:
                    self.organizations[name] = mention.actors[0]
                self.last_organization = mention.actors[0]
            for actor in mention.actors:
                if actor.country and not mention.resolved and "rule:story" not in actor.entry:
                    counts = self.country_counts
                    counts[actor.country] = counts.get(actor.country, 0) + 1
                if actor.country and actor.country not in self.recent:
                    self.recent.append(actor.country)
                    self.noted.pop(actor.country, None)
                    self.noted[actor.country] = None
                if actor.name:
                    self.persons[actor.name.lower()] = actor
                    parts = actor.name.replace("-", " ").split()
                    if len(parts) > 1:
                        self.persons[parts[-1].lower()] = actor
                        # "Kim Il-Chul": the family name comes first in Korean and Chinese names.
                        self.persons.setdefault(parts[0].lower(), actor)
                    self.last_person = actor
                elif (
                    actor.role
                    and actor.country
                    and len(mention.actors) == 1
                    and not actor.text.lower().endswith("s")  # "officials" are not "he"
                ):
                    # "The Polish foreign minister ... He": an office holder without a name.
                    self.last_person = actor
                single = len(mention.actors) == 1
                if single and actor.sector and (actor.country or actor.organization):
                    self.by_sector[actor.sector] = actor
                    # "the ministry", "one defense ministry official": the same body again.
                    for word in actor.text.lower().replace("'s", "").split():
                        self.by_word[singular(word)] = actor
                if actor.country or actor.organization:
                    self.last_actor = actor
            # A group is what the text names together ("South Korea and Russia").
            if len({a.key for a in mention.actors if a.country or a.organization}) >= 2:
                self.last_group = mention.actors

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries named so far, the latest noted last: what a name several office
        holders share is read against (the latest of them first)."""
        return tuple(self.noted)

    def mentions_koreas(self) -> bool:
        return "KOR" in self.noted or "PRK" in self.noted

    def recent_pair(self) -> tuple[Actor, ...]:
        return self.last_group


def countries_of(matches: Sequence[PhraseMatch], words: Sequence[str]) -> frozenset[str]:
    """The countries that the name MATCHES in WORDS stand for: a country's own forms, an office
    holder's country, a national organisation's country (not by an acronym: see acronym_fits)."""
    out: set[str] = set()
    for match in matches:
        if match.kind == "organization" and _is_acronym(match, words):
            continue
        code = match.match.code if isinstance(match.match, CountryMatch) else match.match.country
        if code:
            out.add(code)
    return frozenset(out)


def _is_acronym(match: PhraseMatch, words: Sequence[str]) -> bool:
    text = "".join(words[match.start_token : match.end_token]).replace(".", "")
    return text.isupper() and len(text) <= 5


def acronym_fits(match: PhraseMatch, words: Sequence[str], context: DocumentContext) -> bool:
    """Is a national body named only by its acronym ("FSA": the Free Syrian Army, and the UK's
    Financial Services Authority) one of the document's countries or its publisher's? An
    acronym names bodies of many countries; the lexicon's is the story's only when the story
    is about its country. True for every other match, and when the document is not known."""
    if match.kind != "organization" or context.document_countries is None:
        return True
    organization = match.match
    if not isinstance(organization, OrganizationMatch) or organization.country is None:
        return True
    if not _is_acronym(match, words):
        return True
    allowed = context.document_countries | {context.home_country}
    return organization.country in allowed


class MentionFinder:
    """Codes the noun phrases of one sentence. Holds only the lexicons; context is passed in."""

    def __init__(self, lexicon: ActorLexicon) -> None:
        self.lexicon = lexicon

    def analyse(self, sentence: Sentence, context: DocumentContext) -> SentenceActors:
        return SentenceActors(self, sentence, context)


class SentenceActors:
    """Actor lookups over one parsed sentence, with caches; made by MentionFinder.analyse."""

    def __init__(self, finder: MentionFinder, sentence: Sentence, context: DocumentContext):
        self.lexicon = finder.lexicon
        self.sentence = sentence
        self.context = context
        self.tokens = sentence.tokens
        n = len(self.tokens)
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, token in enumerate(self.tokens):
            if token.head != i and 0 <= token.head < n:
                self.children[token.head].append(i)
        words = [t.text for t in self.tokens]
        self.phrase_at: dict[int, PhraseMatch] = {}  # token -> the name it is part of
        on, named = context.published, context.countries
        for match in self.lexicon.phrase_matches(words, on=on, countries=named):
            if not acronym_fits(match, words, context):
                continue
            for i in range(match.start_token, match.end_token):
                self.phrase_at[i] = match
        self._define_abbreviations(words)
        lemmas = [t.lemma.lower() for t in self.tokens]
        self.agent_at: dict[int, tuple[AgentMatch, int, int]] = {}  # token -> (match, start, end)
        i = 0
        while i < n:
            found = self.lexicon.agents.longest_at(lemmas, i)
            if found is None:
                i += 1
                continue
            agent, length = found
            for j in range(i, i + length):
                self.agent_at[j] = (agent, i, i + length)
            i += length
        self._cache: dict[int, Mention | None] = {}
        self.speaker_cache: dict[int, Mention | None] = {}

    def _define_abbreviations(self, words: list[str]) -> None:
        """ "the Syrian Democratic Forces (SDF)": a name followed by its abbreviation in
        brackets defines the abbreviation for the rest of the document, over a lexicon entry
        of another body written the same way (Japan's SDF). The definition is noted in the
        document's context as soon as it is read, since the sentence may use it again."""
        abbreviations = self.context.abbreviations
        for i in range(1, len(words) - 2):
            if words[i] != "(" or words[i + 2] != ")" or not _is_abbreviation(words[i + 1]):
                continue
            named = self.phrase_at.get(i - 1)
            if (
                named is not None
                and named.end_token == i
                and named.end_token - named.start_token > 1
            ):
                abbreviations[words[i + 1]] = named
        for i, word in enumerate(words):
            defined = abbreviations.get(word)
            current = self.phrase_at.get(i)
            if defined is not None and (
                current is None or current.end_token - current.start_token == 1
            ):
                self.phrase_at[i] = replace(defined, start_token=i, end_token=i + 1)

    # -- phrase structure -------------------------------------------------------------------

    def phrase_tokens(self, head: int) -> list[int]:
        """The head and the words that describe it, without clauses or coordinated phrases."""
        out = [head]
        stack = [head]
        while stack:
            i = stack.pop()
            for child in self.children[i]:
                token = self.tokens[child]
                if token.dep not in _PHRASE_DEPS or token.dep in {"conj", "cc"}:
                    continue
                if token.dep == "prep" and token.lemma.lower() not in _PHRASE_PREPS:
                    continue
                if token.dep == "npadvmod" and token.entity == "DATE":
                    continue
                out.append(child)
                stack.append(child)
        return sorted(out)

    def conjuncts(self, head: int) -> list[int]:
        """HEAD and the phrases coordinated with it ("South Korea and Russia")."""
        out = [head]
        stack = [head]
        while stack:
            i = stack.pop()
            for child in self.children[i]:
                dep = self.tokens[child].dep
                if dep == "conj" and self.tokens[child].pos in {"PROPN", "NOUN", "PRON", "ADJ"}:
                    out.append(child)
                    stack.append(child)
                elif dep == "appos" and self.tokens[i].dep != "appos":
                    # "his Israeli counterpart, Ariel Sharon, and the Palestinian leader": the
                    # parser hangs the second phrase on the first one's apposition.
                    for grandchild in self.children[child]:
                        if self.tokens[grandchild].dep == "conj" and grandchild not in out:
                            out.append(grandchild)
                            stack.append(grandchild)
        return out

    def span_text(self, indexes: Sequence[int]) -> tuple[str, int, int]:
        """The text and body offsets from the first to the last of INDEXES, without the
        punctuation at either end ("Lim Kwan-bin, the South's minister," loses its comma)."""
        low, high = min(indexes), max(indexes)
        while low < high and self.tokens[low].pos == "PUNCT":
            low += 1
        while high > low and self.tokens[high].pos == "PUNCT":
            high -= 1
        first, last = self.tokens[low], self.tokens[high]
        start, end = first.start, last.start + len(last.text)
        offset = self.sentence.start
        return self.sentence.text[start - offset : end - offset], start, end

    # -- coding -----------------------------------------------------------------------------

    def mention(self, head: int) -> Mention | None:
        """The actor(s) of the phrase headed at HEAD, including its coordinated phrases."""
        if head in self._cache:
            return self._cache[head]
        self._cache[head] = None  # guards against cycles ("he ... and his", pronoun chains)
        actors: list[Actor] = []
        groups: list[Actor] = []
        resolved = False
        names: tuple[str, ...] = ()
        conjuncts = self.conjuncts(head)
        for conj in conjuncts:
            single = self._single(conj)
            if single is not None:
                actors.extend(single.actors)
                resolved = resolved or single.resolved
                if len(conjuncts) == 1:
                    names = single.names
            elif len(conjuncts) > 1:
                group = self.group(conj)
                if group is not None:
                    groups.extend(group.actors)
        # "The Philippine government and the communist rebels": a group named beside a country's
        # actor, without a country of its own, is of that country.
        country = next((a.country for a in actors if a.country), None)
        if country is not None:
            actors.extend(
                replace(g, country=country, entry=f"{g.entry}+rule:coordinated") for g in groups
            )
        result = Mention(tuple(_unique(actors)), head, resolved, names) if actors else None
        self._cache[head] = result
        return result

    def _single(self, head: int) -> Mention | None:
        token = self.tokens[head]
        lower = token.text.lower()
        if token.pos == "PRON" or lower in PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS:
            return pronoun(self, head)
        indexes = self.phrase_tokens(head)
        return code_phrase(self, head, indexes)

    def group(self, head: int) -> Mention | None:
        """A group or office named without a country ("demonstrators", "the opposition"):
        an actor whose country the caller decides. None unless an agent word is the head."""
        if self.tokens[head].dep == "compound" and self.tokens[head].lemma.lower() in _WEAPONS:
            return None  # "artillery fire": a weapon, not a group
        found = self.agent_at.get(head)
        name = None
        if (
            found is None
            and self.tokens[head].tag in {"NNS", "NNPS"}
            and self.tokens[head].lemma.lower() in _MEMBERS
        ):
            # "opposition supporters", "army deserters": people named by what they belong to.
            for child in self.children[head]:
                if self.tokens[child].dep in {"compound", "amod"} and child in self.agent_at:
                    found = self.agent_at[child]
                    break
        if found is None and (
            self.tokens[head].entity == "PERSON" or self.tokens[head].pos == "PROPN"
        ):
            # "President Yoweri Museveni": a titled person the lexicons do not know.
            indexes = self.phrase_tokens(head)
            titles = [self.agent_at[i] for i in indexes if i in self.agent_at]
            people = [t for t in titles if t[0].person]
            if people:
                found = people[0]
                name = self.person_name(head, indexes)
        if found is not None:
            agent, _, _ = found
            sector, role, entry = agent.sector, agent.role, agent.entry
        elif (
            head > 0
            and self.tokens[head - 1].text.lower() == "ethnic"
            and self.country_or_name_at(head) is not None
        ):
            sector, role, entry = "CVL", None, "rule:ethnic-group"  # "ethnic Albanians"
        else:
            return None
        text, start, end = self.span_text(self.phrase_tokens(head))
        actor = Actor(
            text=text,
            start=start,
            end=end,
            country=None,
            sector=sector,
            name=name,
            role=role,
            entry=entry,
        )
        return Mention((actor,), head, True)

    def is_city(self, i: int) -> bool:
        """Is token I part of a capital or seat of government (a place, too)?"""
        match = self.country_or_name_at(i)
        return isinstance(match, CountryMatch) and match.kind in _GOVERNMENT_KINDS

    def countries_named(self) -> set[str]:
        """The countries the sentence names (by name, people, capital or seat)."""
        found = (self.country_or_name_at(i) for i in range(len(self.tokens)))
        return {match.code for match in found if isinstance(match, CountryMatch)}

    def is_organization(self, i: int, as_modifier: bool = False) -> bool:
        """Is token I the head of a proper name coded as an organisation the lexicons do not
        name ("Deutsche Boerse", "the LSE")? AS_MODIFIER: also when it describes another
        noun ("LSE" in "his LSE counterpart")."""
        if self.tokens[i].pos != "PROPN":
            return False
        if not as_modifier and self.tokens[i].dep in {"compound", "flat"}:
            return False
        if as_modifier and i + 1 < len(self.tokens) and self.tokens[i + 1].dep == "flat":
            return False
        mention = self.mention(i)
        return mention is not None and bool(mention.names)

    def is_name(self, i: int) -> bool:
        """Is token I part of a country, organisation or office-holder name?"""
        return self.country_or_name_at(i) is not None

    def country_or_name_at(
        self, i: int
    ) -> CountryMatch | OrganizationMatch | OfficeHolderMatch | None:
        """The lexicon name token I is part of; plural demonyms ("Palestinians") included."""
        found = self.phrase_at.get(i)
        if found is not None:
            return found.match
        text = self.tokens[i].text
        if (
            text[:1].isupper()
            and text[1:-1].islower()  # "Palestinians", not "MPs"
            and text.endswith("s")
            and self.tokens[i].tag in {"NNPS", "NNS"}
        ):
            match = self.lexicon.countries.lookup(text[:-1])
            if match is not None and match.kind == "demonym":
                return match
        return None

    def person_name(self, head: int, indexes: list[int]) -> str | None:
        """The PERSON entity inside the phrase, nearest the head, as written."""
        tokens = self.tokens
        if tokens[head].entity != "PERSON":
            candidates = [i for i in indexes if tokens[i].entity == "PERSON"]
            if not candidates:
                return None
            head = min(candidates, key=lambda i: abs(i - head))
        first = last = head
        while first - 1 >= 0 and tokens[first - 1].entity == "PERSON":
            first -= 1
        while last + 1 < len(tokens) and tokens[last + 1].entity == "PERSON":
            last += 1
        while last > first and tokens[last].text in {"'s", "'", ","}:
            last -= 1
        text, _, _ = self.span_text(range(first, last + 1))
        return text

    def mentions_in(self, indexes: Sequence[int]) -> list[Mention]:
        """Every mention headed inside INDEXES coded from its own words, for the context."""
        out: list[Mention] = []
        for i in indexes:
            token = self.tokens[i]
            if token.pos not in {"PROPN", "NOUN"}:
                continue
            if self.tokens[token.head].pos in {"PROPN", "NOUN"} and token.dep in {
                "compound",
                "amod",
                "poss",
                "appos",
                "nmod",
                "conj",
            }:
                continue
            mention = self.mention(i)
            if mention is not None and not mention.resolved:
                out.append(mention)
        return out


def _unique(actors: Sequence[Actor]) -> list[Actor]:
    seen: set[tuple[str | None, str | None, str | None, str | None]] = set()
    out = []
    for actor in actors:
        key = (actor.country, actor.organization, actor.sector, actor.name)
        if key not in seen:
            seen.add(key)
            out.append(actor)
    return out


def _lower_is(token: Token, word: str) -> bool:
    return token.text.lower() == word


def code_phrase(actors: SentenceActors, head: int, indexes: list[int]) -> Mention | None:
    """The actor(s) the words INDEXES of the phrase headed at HEAD name, or None."""
    tokens = actors.tokens
    text, start, end = actors.span_text(indexes)
    country: str | None = None
    country_entry = ""
    seat = False
    org: OrganizationMatch | None = None
    person: OfficeHolderMatch | None = None
    person_distance = 10**6
    best_distance = 10**6
    country_token = -1
    # "an agreement in Buenos Aires" is not Argentina; "officials in Moscow" are Russian:
    # a place after a preposition codes only people and bodies.
    located = _located_tokens(actors, head, indexes)
    for i in indexes:
        match = actors.country_or_name_at(i)
        if match is None or i in located:
            continue
        distance = 0 if i == head else abs(i - head) + (0 if i < head else 50)
        if isinstance(match, CountryMatch) and distance < best_distance:
            if i > 0 and tokens[i - 1].text.lower() == "ethnic":
                continue  # "ethnic Albanians" are a people, not Albania
            if _backer(actors, i):
                continue  # "Russian-backed separatists" are not Russia's own
            best_distance = distance
            country, country_entry = match.code, match.entry
            seat = match.kind in _GOVERNMENT_KINDS
            country_token = i
        elif isinstance(match, OrganizationMatch) and org is None:
            org = match
        elif isinstance(match, OfficeHolderMatch) and (
            person is None or distance < person_distance
        ):
            # The person the phrase is headed by, not the party describing them ("Lib Dem
            # spokesman Vince Cable" is Vince Cable).
            person, person_distance = match, distance
    # "The Turkish and Greek sides": coordinated country words inside one phrase.
    also: list[tuple[str, str, int]] = []
    if country_token >= 0:
        stack = [country_token]
        while stack:
            for child in actors.children[stack.pop()]:
                if tokens[child].dep != "conj":
                    continue
                stack.append(child)
                other = actors.country_or_name_at(child)
                if isinstance(other, CountryMatch) and other.code != country:
                    also.append((other.code, other.entry, child))
    # "the South" / "the North" stand for the Koreas when the document is about them.
    for i in indexes:
        side = _KOREA_SIDES.get(tokens[i].text)
        if (
            side
            and country is None
            and (i > 0 and _lower_is(tokens[i - 1], "the"))
            and (actors.context.mentions_koreas() or _sentence_mentions_korea(actors))
        ):
            country, country_entry = side, "rule:korea-side"
    agent: AgentMatch | None = None
    agent_distance = 10**6
    agent_start = -1
    for i in indexes:
        found_agent = actors.agent_at.get(i)
        if found_agent is None:
            continue
        agent_match, a_start, a_end = found_agent
        distance = 0 if a_start <= head < a_end else min(abs(head - a_start), abs(head - a_end + 1))
        if distance < agent_distance:
            agent, agent_distance, agent_start = agent_match, distance, a_start
    # An agent word that is not the head ("agreements for military cooperation") gives a
    # sector to an actor named otherwise, but does not make the phrase an actor.
    agent_is_head = agent is not None and agent_distance == 0
    name = actors.person_name(head, indexes)
    if name is not None and isinstance(actors.country_or_name_at(head), CountryMatch):
        name = None  # the NER took a country for a person ("Togo")
    entries: list[str] = []
    sector = agent.sector if agent is not None else None
    role = agent.role if agent is not None and agent.role else None
    if agent is not None:
        entries.append(agent.entry)
        if _former(actors, indexes, agent_start):
            # "a former Home Office minister", "ex-Foreign Secretary Robin Cook": no longer
            # in office, one of the country's elite (CAMEO ELI), as event data codes them.
            sector, role = "ELI", None
            entries.append("rule:former")
        elif _shadow(actors, indexes, agent_start):
            # "the shadow home secretary": the opposition's spokesman for that office.
            sector = "OPP"
            entries.append("rule:shadow")
    organization: str | None = None
    kind_of_org: str | None = None
    if org is not None:
        entries.append(org.entry)
        if org.country:
            # A national group or body (Hamas, the KPA) is coded by country and sector; its
            # own country beats a describing word ("the pro-Iranian Hizbollah").
            country = org.country
            also = []
            if org.kind == "NSA":
                organization, kind_of_org = org.code, org.kind
        else:
            organization, kind_of_org = org.code, org.kind
        sector = sector or org.sector or None
    holder = person
    if holder is None and name:
        holder = actors.lexicon.office_holders.lookup(
            name, actors.context.published, actors.context.countries
        )
    if holder is not None:
        name = name or holder.name
        if country is None and organization is None:
            if holder.country:
                country, country_entry = holder.country, holder.entry
            elif holder.organization:
                org_match = _organization(actors, holder.organization)
                organization = holder.organization
                kind_of_org = org_match.kind if org_match else "IGO"
        if holder.sector == "OPP" and sector == "GOV":
            # "Tory leader Michael Howard", "Lib Dem spokesman Vince Cable": a title that is
            # the government's by default is the opposition's on an opposition politician.
            sector = "OPP"
        sector = sector or holder.sector or None
        role = role or holder.role or None
        if holder.role == "opposition party" and agent is not None and agent.sector == "GOV":
            # "Tory leader Michael Howard" in 2005, "the Lib Dem spokesman": an office of a
            # party out of power is the opposition's, whatever the office word's own sector.
            sector = holder.sector
        entries.append(holder.entry)
    resolved = False
    if country is None and organization is None:
        # Nothing in the phrase names a country: the document read so far may.
        known = known_person(actors.context, name)
        if known is not None:
            country = known.country
            organization, kind_of_org = known.organization, known.organization_kind
            sector = sector or known.sector
            role = role or known.role
            name = known.name
            entries.append("coref:name")
            resolved = True
        elif _says_here(actors, head, indexes) and actors.context.home_country:
            country = actors.context.home_country
            entries.append("rule:here")
        elif is_pair(actors, indexes):
            return pair(actors, head)
        elif (
            agent is not None
            and agent_is_head
            and tokens[head].dep == "compound"
            and tokens[head].lemma.lower() in _WEAPONS
        ):
            pass  # "artillery fire", "drone strike": a weapon named, no one's in particular
        elif agent is not None and agent_is_head and not name:
            # Not "investors" or "workers" after a company: people of a business or trade are
            # not that company, nor of its country.
            by_sector = sector in _STATE_SECTORS or not agent.person
            possessed_by = possessor(actors, head)
            previous = possessed_by or earlier_body(actors, head, indexes, sector, by_sector)
            if previous is not None:
                # "Its commanders", "their fighters": of the one actor the pronoun means; else
                # of the body of that sector named before.
                country = previous.country
                organization = previous.organization
                kind_of_org = previous.organization_kind
                entries.append("coref:possessor" if possessed_by is not None else "coref:sector")
                resolved = True
            elif sector in _STATE_SECTORS:
                country = actors.context.story_country(_named_before(actors, head))
                entries.append("rule:story-country")
                resolved = True
        elif name and (
            (agent is not None and agent.person and sector in _STATE_SECTORS)
            or any(tokens[i].text.rstrip(".") in _HONORIFICS for i in indexes)
        ):
            # "shadow chancellor Oliver Letwin", "Mr Letwin": a titled person the lexicons
            # do not know speaks for the story's country.
            country = actors.context.story_country(_named_before(actors, head))
            entries.append("rule:story-country")
    org_head = _org_head(actors, head, indexes)
    names = _org_names(actors, head, indexes) if org_head is not None else ()
    if org_head is None and tokens[head].pos == "PROPN" and head not in actors.phrase_at:
        # "the LSE" again, which the parser no longer tags as an organisation.
        names = _org_names(actors, head, indexes)
        if any(n in actors.context.organizations for n in names):
            org_head = OrgHeadMatch("", None, "")
        else:
            names = ()
    if org_head is not None and country is None and organization is None and not name:
        found_org = earlier_organization(actors, head, names, org_head.phrase, org_head.sector)
        if found_org is not None:
            country, organization = found_org.country, found_org.organization
            kind_of_org = found_org.organization_kind
            sector = sector or found_org.sector
            entries.append("coref:organization")
            resolved = True
        else:
            # A company, union or regulator the lexicons do not know, in a story about one
            # country: that country's, when the text names no other.
            country = actors.context.only_country(_named_before(actors, head))
            entries.append("rule:story-country")
    if country is None and organization is None and (agent is not None or name):
        owner = _owner_organization(actors, head, indexes)
        if owner is not None:
            country = owner.actors[0].country
            entries.append("rule:of-organization")
            resolved = resolved or owner.resolved
    if org_head is not None and sector is None:
        sector = org_head.sector  # "the London Stock Exchange" is not the government
        entries.append(org_head.entry)
    if country is None and organization is None:
        return None
    if country_entry:
        entries.insert(0, country_entry)
    if seat and sector is None:
        sector = "GOV"
    actor = Actor(
        text=text,
        start=start,
        end=end,
        country=country,
        sector=sector,
        organization=organization,
        organization_kind=kind_of_org,
        name=name,
        role=role,
        entry="+".join(dict.fromkeys(e for e in entries if e)),
    )
    others = tuple(
        replace(
            actor,
            text=actors.tokens[k].text,
            start=actors.tokens[k].start,
            end=actors.tokens[k].start + len(actors.tokens[k].text),
            country=code,
            name=None,
            entry=entry,
        )
        for code, entry, k in also
    )
    return Mention((actor, *others), head, resolved, names)


# -- organisations the lexicons do not name --------------------------------------------------


def _org_head(actors: SentenceActors, head: int, indexes: list[int]) -> OrgHeadMatch | None:
    """Is the phrase an organisation: its head an organisation noun ("the firm", "the London
    Stock Exchange"), or a name (an ORG entity, or a proper noun described by an organisation
    noun: "rival bidder Deutsche Boerse", "Metrovias, the private firm")?"""
    tokens = actors.tokens
    token = tokens[head]
    if token.entity == "PERSON" or token.pos not in {"NOUN", "PROPN"}:
        return None
    heads = actors.lexicon.org_heads
    found = heads.lookup([tokens[i].lemma for i in indexes if head - 2 <= i <= head])
    if found is not None:
        return found
    if token.pos != "PROPN":
        return None
    for child in actors.children[head]:
        if child in indexes and tokens[child].dep in {"compound", "appos"}:
            found = heads.lookup([tokens[i].lemma for i in indexes if child - 2 <= i <= child])
            if found is not None:
                return found
    if token.entity == "ORG" and head not in actors.phrase_at:
        return OrgHeadMatch("", None, "rule:org-entity")
    return None


def _org_names(actors: SentenceActors, head: int, indexes: list[int]) -> tuple[str, ...]:
    """The proper names of the organisation headed at HEAD: the run of proper nouns that ends
    at the head, and an acronym beside it ("the London Stock Exchange (LSE)")."""
    tokens = actors.tokens
    names: list[str] = []
    if tokens[head].pos == "PROPN":
        first = head
        while first - 1 in indexes and tokens[first - 1].pos == "PROPN":
            first -= 1
        names.append(" ".join(tokens[i].text for i in range(first, head + 1)).lower())
    for child in actors.children[head]:
        text = tokens[child].text
        if tokens[child].dep == "appos" and text.isupper() and len(text) >= 2:
            names.append(text.lower())
    return tuple(names)


def _owner_organization(actors: SentenceActors, head: int, indexes: list[int]) -> Mention | None:
    """ "his LSE counterpart", "Deutsche Boerse bosses", a company's "its chief executive":
    the organisation people are named beside, whose country they are of."""
    tokens = actors.tokens
    for i in indexes:
        if i == head or tokens[i].dep not in {"compound", "poss"}:
            continue
        if tokens[i].head != head and tokens[i].head not in actors.agent_at:
            continue
        owned = tokens[i].dep == "poss" and tokens[i].text.lower() in {"its", "their"}
        if not owned and not actors.is_organization(i, as_modifier=True):
            continue  # "his counterpart" is the other side's
        owner = actors.mention(i)
        if owner is None or not owner.actors[0].country:
            continue
        if owned and not _is_company_like(owner.actors[0]):
            continue  # "its troops" are a country's: not this rule's to code
        return owner
    return None


def _is_company_like(actor: Actor) -> bool:
    """Was ACTOR coded as an organisation the lexicons do not name, or as a company?"""
    entry = actor.entry
    return (
        "org_heads.tsv" in entry
        or "rule:org-entity" in entry
        or "coref:organization" in entry
        or actor.organization_kind == "MNC"
    )


def _located_tokens(actors: SentenceActors, head: int, indexes: list[int]) -> set[int]:
    """Tokens of the phrase inside its locative prepositions, when the head is not a person
    or body (whose place says where they are from)."""
    if head in actors.agent_at or actors.tokens[head].entity in {"PERSON", "NORP"}:
        return set()
    if actors.phrase_at.get(head) is not None:
        return set()
    located: set[int] = set()
    for i in indexes:
        token = actors.tokens[i]
        parent = token.head
        if (
            token.dep == "prep"
            and token.text.lower() in _LOCATIVE_PREPS
            and not (
                parent in actors.agent_at
                or actors.tokens[parent].entity in {"PERSON", "NORP", "ORG"}
            )
        ):
            stack = [i]
            while stack:
                j = stack.pop()
                located.add(j)
                stack.extend(actors.children[j])
    return located


def _organization(actors: SentenceActors, code: str) -> OrganizationMatch | None:
    for match in actors.lexicon.organizations.forms().values():
        if match.code == code:
            return match
    return None


def _named_before(actors: SentenceActors, head: int) -> list[str]:
    """The countries named by their own words before HEAD in this sentence, once a name."""
    out = []
    for i in range(head):
        match = actors.country_or_name_at(i)
        if not isinstance(match, CountryMatch):
            continue
        if (
            i > 0
            and actors.phrase_at.get(i) is not None
            and (actors.phrase_at.get(i - 1) is actors.phrase_at.get(i))
        ):
            continue  # the second word of "North Korea"
        out.append(match.code)
    return out


def _is_abbreviation(word: str) -> bool:
    """ "SDF", "LNA", "U.N.": two or more capitals, perhaps with dots or digits."""
    letters = word.replace(".", "")
    return len(letters) >= 2 and letters.isalnum() and letters.isupper()


def _backer(actors: SentenceActors, i: int) -> bool:
    """Is the country word at I the backer of the group it describes ("Russian-backed
    separatists", "Iran-aligned Houthis"), not the group's own country ("Saudi-led")?"""
    tokens = actors.tokens
    for k in (tokens[i].head, i + 2):
        if i < k < len(tokens) and k - i <= 2 and tokens[k].lemma.lower() in _BACKING_WORDS:
            return all(tokens[j].text == "-" for j in range(i + 1, k))
    return False


def _former(actors: SentenceActors, indexes: list[int], agent_start: int) -> bool:
    """Does "former" or "ex-" come just before the office word at AGENT_START?"""
    words = [actors.tokens[i].text.lower() for i in indexes if i < agent_start][-4:]
    return "former" in words or any(
        w == "ex" and words[k + 1 : k + 2] == ["-"] for k, w in enumerate(words)
    )


def _shadow(actors: SentenceActors, indexes: list[int], agent_start: int) -> bool:
    """Does "shadow" come just before the office word at AGENT_START ("shadow chancellor")?"""
    words = [actors.tokens[i].text.lower() for i in indexes if i < agent_start][-2:]
    return "shadow" in words


def _says_here(actors: SentenceActors, head: int, indexes: list[int]) -> bool:
    """ "officials here", "the Defense Ministry here": the publisher's own country."""
    return any(actors.tokens[i].text.lower() == "here" for i in [*indexes, *actors.children[head]])


def _sentence_mentions_korea(actors: SentenceActors) -> bool:
    return any("Korea" in t.text for t in actors.tokens)

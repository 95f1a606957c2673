"""Mentions (coder/mentions.py): noun phrases -> Mention records, and the document's context."""

from __future__ import annotations

import datetime as dt
import re

from thucydides.coder.mentions import DocumentContext, MentionFinder, countries_of
from thucydides.coder.pipeline import text_document
from thucydides.coder.records import Mention
from thucydides.nlp import Parser
from thucydides.types import Actor

from .coder_steps import PUBLISHED, Read, countries, index_of

_WORDS = re.compile(r"[A-Za-z][A-Za-z'\-.]*")


def test_an_agent_word_gives_the_sector_and_a_demonym_the_country(read: Read) -> None:
    actors = read("The Kenyan police arrested five men.")
    police = actors.mention(index_of(actors, "police"))
    assert police is not None and not police.resolved
    assert [(a.country, a.sector) for a in police.actors] == [("KEN", "COP")]
    assert actors.mention(index_of(actors, "men")) is None


def test_coordinated_names_are_one_mention_of_several_actors(read: Read) -> None:
    actors = read("South Korea and Russia signed a deal.")
    assert countries(actors.mention(index_of(actors, "Korea"))) == ["KOR", "RUS"]
    assert countries(actors.mention(index_of(actors, "Russia"))) == ["RUS"]


def test_a_place_codes_people_but_not_things(read: Read) -> None:
    """ "officials in Moscow" are Russian; "an agreement in Buenos Aires" is no actor."""
    actors = read("Officials in Moscow welcomed an agreement in Buenos Aires.")
    officials = actors.mention(index_of(actors, "Officials"))
    assert officials is not None
    assert [(a.country, a.sector) for a in officials.actors] == [("RUS", "GOV")]
    assert actors.mention(index_of(actors, "agreement")) is None


def test_an_ethnic_group_is_a_group_without_a_country(read: Read) -> None:
    actors = read("Ethnic Albanians protested in Belgrade.")
    albanians = index_of(actors, "Albanians")
    assert actors.mention(albanians) is None  # not Albania
    group = actors.group(albanians)
    assert group is not None
    assert [(a.country, a.sector, a.entry) for a in group.actors] == [
        (None, "CVL", "rule:ethnic-group")
    ]


def test_mentions_in_keeps_what_the_sentence_names_itself(read: Read) -> None:
    actors = read("Chile summoned the Peruvian ambassador.\nIt accused Peru of spying.")
    kept = actors.mentions_in(range(len(actors.tokens)))
    assert [countries(m) for m in kept] == [["PER"]]  # not "It", coded from the sentence before


def _person(name: str, country: str) -> Actor:
    return Actor(text=name, start=0, end=len(name), country=country, name=name, entry="t")


def test_the_context_remembers_names_and_surnames() -> None:
    context = DocumentContext()
    letwin = _person("Oliver Letwin", "GBR")
    context.remember([Mention((letwin,), head=0)])
    assert context.persons["oliver letwin"] == letwin
    assert context.persons["letwin"] == letwin
    assert context.last_person == letwin
    assert context.country_counts == {"GBR": 1}


def test_the_story_country_is_the_one_named_clearly_most_often() -> None:
    context = DocumentContext(country_counts={"GBR": 4, "FRA": 1})
    assert context.story_country() == "GBR"
    assert DocumentContext(country_counts={"GBR": 2, "FRA": 2}).story_country() is None
    assert DocumentContext(home_country="GBR").story_country() == "GBR"
    # Named as often as any other, the publisher's country is the story's.
    tied = DocumentContext(home_country="GBR", country_counts={"GBR": 2, "FRA": 2})
    assert tied.story_country() == "GBR"


def test_a_former_official_is_of_the_elite(read: Read) -> None:
    """ "a former minister", "the ex-minister": no longer in office, ELI with no role."""
    for text in ("A former Chilean minister criticised the plan.", "The ex-minister left."):
        actors = read(text, home="CHL")
        minister = actors.mention(index_of(actors, "minister"))
        assert minister is not None, text
        [actor] = minister.actors
        assert (actor.country, actor.sector, actor.role) == ("CHL", "ELI", None), text
        assert "rule:former" in actor.entry
    actors = read("The Chilean minister criticised the plan.")
    minister = actors.mention(index_of(actors, "minister"))
    assert minister is not None
    assert [(a.sector, a.role) for a in minister.actors] == [("GOV", "minister")]


def test_the_story_country_counts_the_countries_the_sentence_named_before() -> None:
    """ "Kenyan students marched against the government" in a first sentence is Kenya's."""
    assert DocumentContext().story_country() is None
    assert DocumentContext().story_country(["KEN"]) == "KEN"
    context = DocumentContext(country_counts={"GBR": 1})
    assert context.story_country() == "GBR"
    assert context.story_country(["KEN"]) is None  # one each: unclear


def test_an_office_with_no_country_is_of_the_country_named_before_it(read: Read) -> None:
    actors = read("Kenyan students marched against the government.")
    government = actors.mention(index_of(actors, "government"))
    assert government is not None
    assert [(a.country, a.sector) for a in government.actors] == [("KEN", "GOV")]
    assert "rule:story-country" in government.actors[0].entry


def test_the_countries_named_are_each_kept_once_latest_last() -> None:
    """A long article names the same few countries thousands of times: the context keeps
    each once (every event and office-holder look-up reads them), ordered by when it was
    last noted; a country among the last six noted is not noted again."""
    context = DocumentContext()
    cycle = ["CHL", "PER", "BOL", "ARG", "BRA", "URY", "PRY", "ECU"]
    for k in range(10_000):
        context.remember([Mention((Actor("x", 0, 1, cycle[k % 8]),), head=0)])
    assert len(context.countries) == 8  # was a list of 10,000
    assert context.countries[-1] == cycle[9_999 % 8]
    context.remember([Mention((Actor("x", 0, 1, "BOL"),), head=0)])  # among the last six
    assert context.countries[-1] == cycle[9_999 % 8]
    context.remember([Mention((Actor("x", 0, 1, "PER"),), head=0)])  # seven back: noted
    assert context.countries[-1] == "PER" and len(context.countries) == 8


def test_an_acronym_of_a_national_body_needs_its_country_in_the_document(
    parser: Parser, finder: MentionFinder
) -> None:
    """ "FSA" is the Free Syrian Army in the lexicon, and a British regulator too: in a British
    story that names no Syria it is no actor; in a story about Syria it is the army."""
    words_of = _WORDS.findall

    def fsa(text: str, home: str | None) -> list[str | None]:
        document = text_document(text, PUBLISHED, "test")
        words = words_of(document.body)
        named = countries_of(finder.lexicon.phrase_matches(words), words)
        context = DocumentContext(published=PUBLISHED, home_country=home, document_countries=named)
        actors = finder.analyse(parser.parse(document)[-1], context)
        mention = actors.mention(index_of(actors, "FSA"))
        return [a.country for a in mention.actors] if mention is not None else []

    assert "SYR" not in fsa("Insurers in London chided the FSA over its rules.", "GBR")
    assert fsa("Syrian rebels of the FSA shelled an army base.", "GBR") == ["SYR"]
    # Without the document (a bare sentence of the step tests) the lexicon's reading stands.
    actors = DocumentContext(published=PUBLISHED)
    assert actors.document_countries is None


def test_a_leader_of_a_party_out_of_power_is_the_opposition(read: Read) -> None:
    """ "Tory leader" in 2005 leads the opposition; "Labour leader" then leads the government.
    The office word "leader" alone would make either GOV."""
    in_2005 = dt.date(2005, 3, 1)
    actors = read("Tory leader Ann Smith attacked the plans.", published=in_2005)
    smith = actors.mention(index_of(actors, "Smith"))
    assert smith is not None
    assert [(a.country, a.sector) for a in smith.actors] == [("GBR", "OPP")]
    actors = read("Labour leader Ann Smith attacked the plans.", published=in_2005)
    smith = actors.mention(index_of(actors, "Smith"))
    assert smith is not None
    assert [(a.country, a.sector) for a in smith.actors] == [("GBR", "GOV")]
    actors = read("Liberal Democrat leader Ann Smith attacked the plans.", published=in_2005)
    smith = actors.mention(index_of(actors, "Smith"))
    assert smith is not None
    assert [(a.country, a.sector) for a in smith.actors] == [("GBR", "OPP")]

"""The event coder on our own sentences: every CAMEO root, modality, reported speech, passives,
compound actors, nominal events, dates, places and within-document merging.

Each case is (sentence, publication date, expected events); an expected event is
(source country or kind, target country or kind or None, CAMEO prefix). Cases check that each
expected event is produced and, where `exact` is set, that nothing else is.
"""

from __future__ import annotations

import datetime as dt

import pytest

from thucydides.coder import Coder
from thucydides.settings import Settings
from thucydides.types import Event

PUBLISHED = dt.date(2015, 6, 10)  # a Wednesday


@pytest.fixture(scope="module")
def coder() -> Coder:
    # Every event the mechanisms find, however sure, statements too: the default threshold and
    # the statements setting are tested apart.
    return Coder(Settings(min_confidence=0.0, statements=True))


def triples(events: list[Event]) -> set[tuple[str, str | None, str]]:
    return {(e.source.key, e.target.key if e.target else None, e.cameo) for e in events}


def has(events: list[Event], source: str, target: str | None, prefix: str) -> bool:
    return any(
        e.source.key == source
        and (e.target.key if e.target else None) == target
        and e.cameo.startswith(prefix)
        for e in events
    )


# One sentence of our own for each CAMEO root category.
ROOT_CASES = [
    ("01", "The Kenyan government expressed concern over the floods on Tuesday.", "KEN", None),
    ("02", "Lebanon appealed to France for humanitarian aid after the storm.", "LBN", "FRA"),
    ("03", "Brazil promised to provide economic aid to Bolivia.", "BRA", "BOL"),
    (
        "04",
        "The Japanese foreign minister met his Australian counterpart in Canberra.",
        "JPN",
        "AUS",
    ),
    ("05", "Chile praised Peru for its handling of the border dispute.", "CHL", "PER"),
    ("06", "Norway extradited two suspects to Sweden on Monday.", "NOR", "SWE"),
    ("07", "Germany sent humanitarian aid to Haiti after the earthquake.", "DEU", "HTI"),
    ("08", "Egypt released 20 Sudanese prisoners on Monday.", "EGY", "SDN"),
    ("09", "Thailand opened an investigation into the Cambodian border incident.", "THA", "KHM"),
    ("10", "Ukraine demanded that Russia withdraw its troops from the border.", "UKR", "RUS"),
    ("11", "India accused Pakistan of sheltering the attackers.", "IND", "PAK"),
    ("12", "Greece rejected the Turkish proposal for new talks.", "GRC", "TUR"),
    ("13", "Venezuela threatened to impose sanctions on Colombia.", "VEN", "COL"),
    ("14", "Thousands of Serbian students protested against the Croatian decision.", "SRB", "HRV"),
    ("15", "Armenia mobilized troops along its border with Azerbaijan.", "ARM", "AZE"),
    ("16", "Morocco severed diplomatic relations with Iran on Tuesday.", "MAR", "IRN"),
    ("17", "Indonesian police arrested three Malaysian fishermen.", "IDN", "MYS"),
    ("18", "Somali gunmen kidnapped two Kenyan aid workers.", "SOM", "KEN"),
    ("19", "Ethiopian troops attacked Eritrean positions near the border.", "ETH", "ERI"),
    ("20", "The United Nations accused Sudan of ethnic cleansing in Darfur.", "IGO", "SDN"),
]


@pytest.mark.parametrize(("root", "sentence", "source", "target"), ROOT_CASES)
def test_each_cameo_root(coder: Coder, root: str, sentence: str, source: str, target: str) -> None:
    events = coder.code_text(sentence, PUBLISHED)
    if root == "20":
        # "accused ... of ethnic cleansing" is an accusation (11), not the act itself.
        assert has(events, "IGO", "SDN", "11"), triples(events)
        events = coder.code_text(
            "Sudanese militias carried out ethnic cleansing against Chadian villagers.", PUBLISHED
        )
        assert any(e.cameo.startswith("20") for e in events), triples(events)
        return
    assert has(events, source, target, root), triples(events)
    for event in events:
        assert event.goldstein == coder.cameo.get(event.cameo).goldstein
        assert event.quad_class in {1, 2, 3, 4}
        assert event.plover_type or event.cameo.startswith("01")


def test_negated_events_give_nothing(coder: Coder) -> None:
    assert coder.code_text("No Chinese warship has visited Vietnam since 1979.", PUBLISHED) == []
    assert (
        coder.code_text(
            "Peru and Chile have not been able to settle their maritime dispute.", PUBLISHED
        )
        == []
    )
    assert coder.code_text("Canada did not sign the agreement with Mexico.", PUBLISHED) == []


def test_negation_that_is_itself_an_event(coder: Coder) -> None:
    events = coder.code_text("Hungary said it will not accept any more Syrian refugees.", PUBLISHED)
    assert any(e.source.key == "HUN" and e.cameo.startswith("12") for e in events), triples(events)


def test_hypothetical_events_give_nothing(coder: Coder) -> None:
    for sentence in (
        "Russia could sell fighter jets to Indonesia.",
        "An attack on Georgia might strain Russian relations with the European Union.",
        "Norway would welcome Danish investment if prices fell.",
    ):
        assert coder.code_text(sentence, PUBLISHED) == [], sentence


def test_conditional_or_announced_force_is_a_threat(coder: Coder) -> None:
    events = coder.code_text("Israel would attack Iran if the talks failed.", PUBLISHED)
    assert has(events, "ISR", "IRN", "138"), triples(events)
    events = coder.code_text("The Malian junta announced it will impose a curfew.", PUBLISHED)
    assert any(e.cameo.startswith("13") for e in events), triples(events)


def test_future_takes_intent_codes(coder: Coder) -> None:
    events = coder.code_text("The Mongolian president will visit China next week.", PUBLISHED)
    assert has(events, "MNG", "CHN", "036"), triples(events)
    visit = next(e for e in events if e.cameo == "036")
    assert visit.modality == "intended"
    assert visit.date == "2015-06-15" and visit.date_precision == "week"
    events = coder.code_text(
        "Kenya and Uganda are scheduled to hold talks on the pipeline this month.", PUBLISHED
    )
    assert has(events, "KEN", "UGA", "036") and has(events, "UGA", "KEN", "036"), triples(events)


def test_reported_speech_codes_the_reported_clause(coder: Coder) -> None:
    events = coder.code_text(
        "Colombian officials said Ecuadorian soldiers attacked a border post on Sunday.",
        PUBLISHED,
    )
    assert has(events, "ECU", None, "19") or has(events, "ECU", "COL", "19"), triples(events)
    assert not any(e.source.key == "COL" for e in events), triples(events)


def test_we_in_a_quote_is_the_speaker(coder: Coder) -> None:
    events = coder.code_text(
        '"We have asked Nigeria for help with the refugees," a Ghanaian minister said.',
        PUBLISHED,
    )
    assert has(events, "GHA", "NGA", "02"), triples(events)


def test_passive_with_agent(coder: Coder) -> None:
    events = coder.code_text("Two Libyan fishing boats were seized by the Maltese navy.", PUBLISHED)
    assert any(e.source.key == "MLT" and e.target and e.target.key == "LBY" for e in events), (
        triples(events)
    )
    events = coder.code_text(
        "A trade agreement was signed with Vietnam by the Philippine president.", PUBLISHED
    )
    assert has(events, "PHL", "VNM", "05"), triples(events)


def test_compound_actors_give_both_directions(coder: Coder) -> None:
    events = coder.code_text("Spain and Portugal signed a water-sharing treaty.", PUBLISHED)
    assert has(events, "ESP", "PRT", "057") and has(events, "PRT", "ESP", "057"), triples(events)
    assert all(e.reciprocal for e in events)
    events = coder.code_text("Madrid and Lisbon agreed to cooperate on fisheries.", PUBLISHED)
    assert has(events, "ESP", "PRT", "03") and has(events, "PRT", "ESP", "03"), triples(events)


def test_nominal_events(coder: Coder) -> None:
    events = coder.code_text(
        "The visit by the Austrian chancellor to Slovenia ended a long dispute.", PUBLISHED
    )
    assert has(events, "AUT", "SVN", "04"), triples(events)
    events = coder.code_text(
        "Talks between Armenia and Georgia resumed in Tbilisi on Monday.", PUBLISHED
    )
    assert has(events, "ARM", "GEO", "04") and has(events, "GEO", "ARM", "04"), triples(events)


def test_actor_sectors_and_people(coder: Coder) -> None:
    events = coder.code_text(
        "Poland's deputy defense minister Jan Kowalczyk met Lithuanian army officers in Vilnius.",
        PUBLISHED,
    )
    event = next(e for e in events if e.cameo.startswith("04"))
    assert event.source.country == "POL" and event.source.sector in {"MIL", "GOV"}
    assert event.source.name == "Jan Kowalczyk"
    assert event.target is not None and event.target.country == "LTU"
    assert event.target.sector == "MIL"
    assert event.location is not None and event.location.name == "Vilnius"
    assert event.location.country == "LTU"


def test_later_references_resolve_to_named_actors(coder: Coder) -> None:
    text = (
        "Ghana's foreign minister Ama Boateng arrived in Togo on Monday.\n"
        "Boateng met Togolese officials in Lome on Tuesday.\n"
        "Ghana and Togo signed a border agreement last year. The two sides will meet again in May."
    )
    events = coder.code_text(text, PUBLISHED)
    assert has(events, "GHA", "TGO", "04"), triples(events)
    assert any(e.source.key == "GHA" and e.cameo == "036" for e in events), triples(events)


def test_dates_resolved_against_publication(coder: Coder) -> None:
    events = coder.code_text("Finland signed a defence pact with Estonia in 2009.", PUBLISHED)
    event = next(e for e in events if e.target is not None and e.target.key == "EST")
    assert (event.date, event.date_precision, event.date_source) == ("2009", "year", "text")
    events = coder.code_text("Iceland will host Danish ministers this Thursday.", PUBLISHED)
    assert any(e.date == "2015-06-11" for e in events), [(e.cameo, e.date) for e in events]
    events = coder.code_text("Latvia expelled a Belarusian diplomat.", PUBLISHED)
    assert events and events[0].date == "2015-06-10" and events[0].date_source == "publication"


def test_provenance(coder: Coder) -> None:
    text = "Weather was fine.\nCuba welcomed the Jamaican prime minister in Havana on Friday."
    events = coder.code_text(text, PUBLISHED, doc_id="doc-7")
    assert events
    event = events[0]
    assert event.doc_id == "doc-7"
    body_start = text.index("Cuba")
    assert event.sentence_start == body_start
    assert text[event.sentence_start : event.sentence_end] == event.sentence
    assert text[event.trigger_start : event.trigger_end] == event.trigger
    assert text[event.source.start : event.source.end] == event.source.text
    assert event.rule and 0 < event.confidence <= 1


def test_same_event_twice_in_a_document_is_merged(coder: Coder) -> None:
    text = (
        "Senegal signed a fishing agreement with Gambia on Monday.\n"
        "Officials in Dakar said more talks are planned.\n"
        "Senegal signed a fishing agreement with Gambia on Monday."
    )
    events = coder.code_text(text, PUBLISHED)
    signed = [e for e in events if e.source.key == "SEN" and e.target and e.target.key == "GMB"]
    assert len(signed) == 1, triples(events)
    assert signed[0].mentions == 2 and len(signed[0].mention_sentences) == 2


def test_attacks_on_plans_are_criticism(coder: Coder) -> None:
    events = coder.code_text(
        "The Dutch premier launched an attack on Belgian tax plans.", PUBLISHED
    )
    assert events and all(e.cameo == "111" for e in events), triples(events)
    events = coder.code_text("Ukrainian drones attacked Russian fuel depots.", PUBLISHED)
    assert any(e.cameo.startswith(("18", "19")) for e in events), triples(events)


def test_sports_reports_are_not_coded(coder: Coder) -> None:
    report = (
        "Wales beat Scotland in the rugby at the national stadium on Saturday.\n"
        "The Welsh coach praised his squad after the championship match, and the Scottish "
        "players said the league season was far from over.\n"
        "Wales attacked from the first minute and their winger scored twice."
    )
    assert coder.off_topic.topic_of(report) == "sport"
    assert coder.code_text(report, PUBLISHED) == []
    news = "Iceland signed a fisheries agreement with Norway. Talks on trade will follow in May."
    assert coder.off_topic.topic_of(news) is None
    assert coder.code_text(news, PUBLISHED)


def test_office_holders_are_coded_for_the_article_date(coder: Coder) -> None:
    events = coder.code_text("Putin met Merkel in Sochi on Friday.", dt.date(2015, 5, 10))
    assert has(events, "RUS", "DEU", "04"), triples(events)
    visit = next(e for e in events if e.source.key == "RUS")
    assert visit.source.name == "Putin" and visit.source.sector == "GOV"
    assert visit.location is not None and visit.location.country == "RUS"


def test_the_south_and_the_north_in_a_story_about_the_koreas(coder: Coder) -> None:
    text = (
        "North Korea fired two missiles on Monday, officials in Seoul said.\n"
        "The South condemned the launch, and the North rejected a proposal for talks."
    )
    events = coder.code_text(text, PUBLISHED)
    assert any(e.source.key == "KOR" and e.cameo.startswith("11") for e in events), triples(events)
    assert any(e.source.key == "PRK" and e.cameo.startswith("12") for e in events), triples(events)
    # Outside a story about the Koreas, "the South" is nobody.
    events = coder.code_text("The South condemned the launch.", PUBLISHED)
    assert events == []


def test_a_wire_dateline_is_not_the_subject(coder: Coder) -> None:
    events = coder.code_text(
        "QUITO, March 3 (Andes) - Ecuador and Colombia signed a border agreement.", PUBLISHED
    )
    assert has(events, "ECU", "COL", "057") and has(events, "COL", "ECU", "057"), triples(events)
    assert all(e.sentence.startswith("Ecuador") for e in events)


def test_statements_without_a_plover_type_are_written_only_when_asked(coder: Coder) -> None:
    """CAMEO 01 comments have no PLOVER type: no event by default (setting `statements`)."""
    text = "The Chilean government expressed concern over the talks with Peru."
    coder.statements = False
    try:
        assert coder.code_text(text, PUBLISHED) == []
    finally:
        coder.statements = True
    # Another text: a text coded before reuses its events.
    events = coder.code_text(text.replace("Chilean", "Bolivian"), PUBLISHED)
    assert [e.cameo[:2] for e in events] == ["01"], triples(events)

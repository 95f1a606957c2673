"""The coder on invented wire-style reports of international conflict and diplomacy.

Each case is a short text (one or a few sentences, so pronouns and "the two sides" have
something to refer to), the (source, target, PLOVER type) triples that must come out and those
that must not. Written for this project; none is taken from a real article. They check that the
mechanisms are general: the BBC development set is British politics, these are not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from thucydides.coder import Coder

PUBLISHED = dt.date(2018, 4, 11)

Triple = tuple[str, str | None, str]

# (text, required triples, forbidden triples)
CASES: list[tuple[str, set[Triple], set[Triple]]] = [
    # Strikes and attacks: the agent is the source, the patient the target; a place's country is
    # the target of force against it.
    (
        "Syrian and Russian jets bombed the town of Douma in Syria.",
        {("RUS", "SYR", "ASSAULT")},
        {("SYR", "RUS", "ASSAULT")},
    ),
    (
        "Turkish jets bombed Kurdish positions in northern Iraq on Tuesday.",
        {("TUR", "IRQ", "ASSAULT")},
        set(),
    ),
    (
        "Israeli aircraft struck targets in Syria overnight, the army said.",
        {("ISR", "SYR", "ASSAULT")},
        set(),
    ),
    (
        "Saudi-led warplanes attacked Yemeni rebels near the port of Hodeidah.",
        set(),
        {("SAU", "SAU", "ASSAULT")},
    ),
    # Coordinated allies do not act on each other.
    (
        "Syrian and Russian jets bombed the town.",
        set(),
        {("SYR", "RUS", "ASSAULT"), ("RUS", "SYR", "ASSAULT")},
    ),
    (
        "Iraqi and American troops attacked the militants.",
        set(),
        {("IRQ", "USA", "ASSAULT"), ("USA", "IRQ", "ASSAULT")},
    ),
    # ... but do for symmetric predicates.
    # (signing an agreement, CAMEO 057, is AGREE per the real-news guideline; not a truce, 0871)
    (
        "Russia and Turkey signed an agreement on a ceasefire in Idlib.",
        {("RUS", "TUR", "AGREE"), ("TUR", "RUS", "AGREE")},
        {("RUS", None, "RETREAT")},
    ),
    (
        "India and Pakistan held talks in Islamabad on Monday.",
        {("IND", "PAK", "CONSULT"), ("PAK", "IND", "CONSULT")},
        set(),
    ),
    ("Ethiopia and Eritrea agreed to restore diplomatic ties.", {("ETH", "ERI", "AGREE")}, set()),
    # Sanctions, expulsions, recalls.
    # (imposing sanctions, CAMEO 163, is SANCTION as the real-news guideline and the PLOVER gold
    # code it, though the PLOVER crosswalk says COERCE; expelling diplomats, 161, SANCTION)
    (
        "The United States imposed new sanctions on Iran on Friday.",
        {("USA", "IRN", "SANCTION")},
        set(),
    ),
    (
        # Expulsions are COERCE (174) under the real-news guideline, diplomats' too.
        "Britain expelled 23 Russian diplomats over the poisoning.",
        {("GBR", "RUS", "COERCE")},
        set(),
    ),
    ("Qatar recalled its ambassador from Egypt.", {("QAT", "EGY", "SANCTION")}, set()),
    # Accusations, condemnations and criticism told as statements.
    ("Iran accused Saudi Arabia of supporting terrorism.", {("IRN", "SAU", "ACCUSE")}, set()),
    (
        "China condemned the United States over its arms sales to Taiwan.",
        {("CHN", "USA", "ACCUSE")},
        set(),
    ),
    ("Moscow said Washington had violated the treaty.", {("RUS", "USA", "ACCUSE")}, set()),
    (
        "Tehran said the American sanctions were illegal and a breach of the nuclear deal.",
        set(),
        {("IRN", "IRN", "ACCUSE")},
    ),
    (
        "The Venezuelan government said the Colombian president was lying.",
        {("VEN", "COL", "ACCUSE")},
        set(),
    ),
    # An evaluative word about an actor in the statement's own phrase, not its subject.
    (
        "Moscow said the talks showed a damaging American approach.",
        {("RUS", "USA", "ACCUSE")},
        set(),
    ),
    (
        "Ankara said the report repeated a misleading Greek claim, not the facts about Iraq.",
        {("TUR", "GRC", "ACCUSE")},
        {("TUR", "IRQ", "ACCUSE")},
    ),
    # Appeals and demands, including "called for X to allow".
    ("The UN called on Israel to allow aid into Gaza.", {("IGO", "ISR", "REQUEST")}, set()),
    (
        "Germany urged Turkey to release the detained journalists.",
        {("DEU", "TUR", "REQUEST")},
        {("TUR", None, "RETREAT")},
    ),
    ("France said Russia must stop its attacks on civilians.", {("FRA", "RUS", "REQUEST")}, set()),
    (
        "Kenya said Somalia should have stopped the militants long ago.",
        {("KEN", "SOM", "ACCUSE")},
        {("KEN", "SOM", "REQUEST")},
    ),
    # Meetings and visits.
    ("The Japanese prime minister visited Beijing on Sunday.", {("JPN", "CHN", "CONSULT")}, set()),
    ("Egyptian officials met a Hamas delegation in Cairo.", set(), {("EGY", "EGY", "CONSULT")}),
    # Aid and support.
    ("Washington pledged $200 million in aid to Ukraine.", set(), {("UKR", "USA", "AID")}),
    ("Sweden praised Ethiopia for its peace efforts.", {("SWE", "ETH", "SUPPORT")}, set()),
    # Denials, negation, questions and hypotheticals are not events.
    ("Russia denied that its forces had attacked the convoy.", set(), {("RUS", None, "ASSAULT")}),
    (
        "Israel did not strike Iranian targets, a spokesman said.",
        set(),
        {("ISR", "IRN", "ASSAULT")},
    ),
    ("Would China invade Taiwan if talks failed?", set(), {("CHN", "TWN", "ASSAULT")}),
    (
        "Analysts said North Korea could test another missile if the talks collapse.",
        set(),
        {("PRK", None, "ASSAULT")},
    ),
    # Pronouns resolve to one antecedent.
    (
        "Pakistan summoned the Afghan envoy on Monday. It accused Kabul of sheltering militants.",
        {("PAK", "AFG", "ACCUSE")},
        {("AFG", "AFG", "ACCUSE")},
    ),
    (
        "The Polish foreign minister met Ukrainian officials in Kiev on Tuesday. "
        "He criticised Russia over the blockade.",
        {("POL", "RUS", "ACCUSE")},
        {("UKR", "RUS", "ACCUSE")},
    ),
    # Self-targets need two different actors in the country.
    ("Syria said it would not negotiate.", set(), {("SYR", "SYR", "REJECT")}),
    ("Egyptian police arrested dozens of protesters in Cairo.", {("EGY", "EGY", "COERCE")}, set()),
    # Threats and military moves.
    ("North Korea threatened to attack the United States.", {("PRK", "USA", "THREATEN")}, set()),
    (
        "Russia deployed additional troops to its border with Ukraine.",
        set(),
        {("UKR", "RUS", "MOBILIZE")},
    ),
    # Withdrawals and releases.
    ("Iran released two British sailors on Thursday.", {("IRN", "GBR", "RETREAT")}, set()),
    ("The rebels released their budget for the region.", set(), {("", "", "RETREAT")}),
    # Rejections.
    ("Israel rejected the Palestinian proposal for talks.", set(), {("PSE", "ISR", "REJECT")}),
    ("South Korea rejected North Korea's demand.", {("KOR", "PRK", "REJECT")}, set()),
    # Generic nouns do not take a neighbour's country.
    (
        "Turkish officials said rebels attacked a hospital.",
        set(),
        {("TUR", None, "ASSAULT"), ("TUR", "TUR", "ASSAULT")},
    ),
    ("Jordan condemned the attack on the embassy in Baghdad.", set(), {("JOR", "JOR", "ACCUSE")}),
    # "called for X to do Y" is a request to X; Y is asked, not done.
    (
        "The UN called for Israel to allow aid into Gaza.",
        {("IGO", "ISR", "REQUEST")},
        {("ISR", None, "RETREAT"), ("ISR", None, "CONCEDE")},
    ),
    # Forecasts and questions are no one's act.
    (
        "Analysts expect Russia to attack Ukraine.",
        set(),
        {("RUS", "UKR", "THREATEN"), ("RUS", "UKR", "ASSAULT")},
    ),
    (
        "Russia is likely to sanction Ukraine.",
        set(),
        {("RUS", "UKR", "COERCE"), ("RUS", "UKR", "SANCTION")},
    ),
    ("Did Russia attack Ukraine?", set(), {("RUS", "UKR", "ASSAULT")}),
    # "They" is the last sentence's subject, not the last actor named.
    (
        "Egyptian police detained two Libyan smugglers on Monday. They accused Libya of laxity.",
        {("EGY", "LBY", "ACCUSE")},
        {("LBY", "LBY", "ACCUSE")},
    ),
]


# Events named by a noun, found with their actors but scored under the default threshold: on
# the real-news development sets a noun trigger names an event more often than it reports one
# (coder/assembly.NOMINAL_CONFIDENCE). Coded with every candidate kept.
BELOW_THRESHOLD = [
    ("The EU repeated its demand for Turkey to recognise Cyprus.", ("IGO", "TUR", "REQUEST")),
]


@pytest.mark.parametrize(
    ("text", "required"), BELOW_THRESHOLD, ids=[c[0][:40] for c in BELOW_THRESHOLD]
)
def test_noun_events_are_found_below_the_default_threshold(text: str, required: Triple) -> None:
    default = Coder()
    assert required not in triples(default, text)
    everything = Coder()
    everything.min_confidence = 0.0
    assert required in triples(everything, text)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()  # default settings: what a user gets, threshold included


def triples(coder: Coder, text: str) -> set[Triple]:
    return {
        (e.source.key, e.target.key if e.target else None, e.plover_type)
        for e in coder.code_text(text, PUBLISHED)
        if e.plover_type
    }


@pytest.mark.parametrize(("text", "required", "forbidden"), CASES, ids=[c[0][:40] for c in CASES])
def test_wire_sentence(
    coder: Coder, text: str, required: set[Triple], forbidden: set[Triple]
) -> None:
    found = triples(coder, text)
    assert required <= found, f"missing {required - found}; found {found}"
    assert not (forbidden & found), f"forbidden {forbidden & found}; found {found}"

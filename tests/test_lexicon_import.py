"""PETRARCH-2 dictionaries -> lexicon files (lexicon_import.py), and the coder loading them.

An invented mini dictionary always; the real PETRARCH-2 dictionaries in ../shared when present.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import shared_path

from thucydides.actors import ActorLexicon
from thucydides.coder import Coder
from thucydides.errors import LexiconError
from thucydides.events import TriggerLexicon
from thucydides.lexicon import load_table
from thucydides.lexicon_import import (
    LICENSE_NAME,
    REPORT_NAME,
    Lemmatizer,
    import_petrarch,
    spacy_lemmatizer,
    split_actor_code,
    title_case,
    written_forms,
)
from thucydides.nlp import load_model
from thucydides.settings import Settings

MINI_VERBS = """\
# an invented verb dictionary
&BEVERAGE
+TEA
+HOT_COCOA

---  GREET   [---]  ---
GREET [040]
HAIL {HAILS HAILED HAILING}
+WAVE_AT {+WAVES_AT +WAVED_AT +WAVING_AT}
- * &BEVERAGE                          [071]   # GREET
- * (TOWARD +)                         [042:043]  # WAVE_AT
- &BEVERAGE *                          [072]
- * DOWN (ON ^)                        [111]
- * (ACROSS RIVER)                     [:045]
- * BRIEFLY                            [---]
- * LIFTING (OF EMBARGO)               [0814]
- * (AT DAWN) (IN HARBOUR)             [043]
- * {FLOWER GARLANDS}                  [9999]

---  SCOLD   [111]  ---
SCOLD
UPBRAID
- * (FOR {BORDER INCURSIONS})          [112]

---  ANNOUNCE   [010]  ---
DECLARE
- * &BEVERAGE                          [071]
"""

MINI_ACTORS = (
    "# invented actors standing for real codes\n"
    "RURITANIA_  [POL]\n"
    "+RURITANIAN_\n"
    "+STRELSAU_\n"
    "\n"
    "RUDOLF_RASSENDYLL_\n"
    "+RASSENDYLL_\n"
    "+MAY\n"
    "\t[POLGOV 980101-031231]\n"
    "\t[POLELI]\n"
    "\n"
    "ROYAL_GUARD_OF_RURITANIA [POLMIL]\n"
    "LEAGUE_OF_INVENTED_NATIONS_ [IGOLIN]\n"
    "LINX_SECRETARIAT [IGOLIN]\n"
    "THE_WORLD_ORGANISATION_OF_NATIONS [IGOUNO]\n"
    "FELLOWSHIP_OF_THE_RIVER [NGOENV]\n"
    "NOBODY_IN_PARTICULAR [---]\n"
)

MINI_AGENTS = """\
!PILOT! = PILOT, PILOTS
HARBOUR_!PILOT! [~BUS]
LAMPLIGHTER [~GOV]
MONK_OF_THE_HILL [~BUD]
FRIENDLY_SOCIETY [NGO~]
MYSTERY_GUILD [~XYZ]
POLICE [~COP]
"""

MINI_DISCARDS = "+KITE FLYING CONTEST\nCHESS OLYMPIAD\n1815\n"


@pytest.fixture(scope="module")
def lemmatize() -> Lemmatizer:
    return spacy_lemmatizer(load_model(Settings().model))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    source = tmp_path / "petrarch"
    source.mkdir()
    (source / "CAMEO.mini.txt").write_text(MINI_VERBS, encoding="utf-8")
    (source / "Mini.actors.txt").write_text(MINI_ACTORS, encoding="utf-8")
    (source / "Mini.agents.txt").write_text(MINI_AGENTS, encoding="utf-8")
    (source / "Mini.discards.txt").write_text(MINI_DISCARDS, encoding="utf-8")
    (source / "LICENSE").write_text("The invented licence notice.\n", encoding="utf-8")
    return source


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def test_mini_dictionary_verbs_become_trigger_rows(
    mini: Path, tmp_path: Path, lemmatize: Lemmatizer
) -> None:
    out = tmp_path / "lex"
    report = import_petrarch(mini, out, lemmatize)
    verbs = report.parts["verbs"]
    # 11 patterns and 4 coded verbs (GREET [040]; SCOLD and UPBRAID, by their block's [111],
    # whose bare rows are packaged triggers already; DECLARE [010], a speech verb).
    assert (verbs.read, verbs.used) == (15, 6)
    assert dict(verbs.refused) == {
        "words before the verb (a condition on the subject)": 1,
        "skipped words (^)": 1,
        "codes only the reverse event ([:NNN])": 1,
        "null code (---)": 1,
        "two particles or prepositional phrases (our rows have one)": 1,
        "code not in cameo.tsv": 1,
        "no new row: a packaged row has its word and conditions (ours kept)": 2,
        "no new row: a speech or intent verb without an object is no trigger here": 1,
    }
    rows = {
        (r["lemma"], r["particle"], r["object"], r["target_prep"]): r
        for r in _rows(out / "triggers.tsv")
    }
    assert rows[("greet", "", "", "")]["cameo"] == "040"
    # A pattern applies to every verb of its block; synsets become object alternatives.
    for lemma, particle in [("greet", ""), ("hail", ""), ("wave", "at")]:
        assert rows[(lemma, particle, "tea|hot cocoa", "")]["cameo"] == "071"
    assert rows[("wave", "at", "", "toward")]["cameo"] == "042"  # (TOWARD +): the target
    # (OF EMBARGO) qualifies LIFTING: object words, not the particle.
    assert rows[("hail", "", "lifting embargo", "")]["cameo"] == "0814"
    assert rows[("upbraid", "for", "border incursion", "")]["cameo"] == "112"
    # A speech verb is a trigger only with an object that names the event.
    assert rows[("declare", "", "tea|hot cocoa", "")]["cameo"] == "071"
    assert ("declare", "", "", "") not in rows
    assert rows[("upbraid", "for", "border incursion", "")]["source"] == "CAMEO.mini.txt:23"
    assert "reverse event 043 not coded" in rows[("wave", "at", "", "toward")]["note"]
    refused = (out / REPORT_NAME).read_text(encoding="utf-8")
    assert "CAMEO.mini.txt:12: verbs: words before the verb" in refused
    assert "CAMEO.mini.txt:18: verbs: code not in cameo.tsv" in refused
    # The packaged header explains the columns; the notice says where the rows came from.
    text = (out / "triggers.tsv").read_text(encoding="utf-8")
    assert text.startswith("# Event triggers:") and "MIT licence" in text
    assert (out / LICENSE_NAME).read_text() == "The invented licence notice.\n"


def test_mini_dictionary_actors_agents_and_discards(
    mini: Path, tmp_path: Path, lemmatize: Lemmatizer
) -> None:
    out = tmp_path / "lex"
    report = import_petrarch(mini, out, lemmatize)
    actors = report.parts["actors"]
    assert (actors.read, actors.used) == (8, 7)
    assert dict(actors.refused) == {"only the null code [---]": 1}
    assert actors.notes["name refused: one common word"] == 1  # +MAY
    countries = _rows(out / "countries.tsv")
    assert countries == [
        {
            "code": "POL",
            "name": "Ruritania",
            "names": "Ruritanian|Strelsau",
            "demonyms": "",
            "capital": "",
            "seats": "",
            "source": "Mini.actors.txt:2",
        }
    ]
    holders = _rows(out / "office_holders.tsv")
    assert [(h["name"], h["aliases"], h["sector"], h["start"], h["end"]) for h in holders] == [
        ("Rudolf Rassendyll", "Rassendyll", "GOV", "1998-01-01", "2003-12-31"),
        ("Rudolf Rassendyll", "Rassendyll", "ELI", "0001-01-01", ""),  # the default code
    ]
    orgs = {row["code"]: row for row in _rows(out / "organizations.tsv")}
    assert orgs["ROYAL-GUARD-OF-RURITANIA"]["kind"] == "STA"
    assert orgs["ROYAL-GUARD-OF-RURITANIA"]["country"] == "POL"
    # Two records with one international code are one row; our own UNO row gains a name.
    assert orgs["LIN"]["name"] == "League of Invented Nations"
    assert orgs["LIN"]["aliases"] == "Linx Secretariat"
    assert orgs["LIN"]["source"] == "Mini.actors.txt:13 (+1 records)"
    assert orgs["UNO"]["name"] == "United Nations"  # the packaged row's
    assert "The World Organisation of Nations" in orgs["UNO"]["aliases"].split("|")
    assert "U.N." in orgs["UNO"]["aliases"].split("|")
    assert orgs["ENV"]["kind"] == "NGO" and orgs["ENV"]["sector"] == "ENV"

    agents = {row["phrase"]: row for row in _rows(out / "agents.tsv")}
    assert set(agents) == {"harbour pilot", "lamplighter", "monk of the hill"}
    assert agents["monk of the hill"]["sector"] == "REL"  # CAMEO's BUD
    assert agents["lamplighter"]["person"] == "yes"
    part = report.parts["agents"]
    assert dict(part.refused) == {
        "same phrase as an earlier agent (plural forms fold to one)": 1,  # harbour pilots
        "organisation-kind agent (CODE~): agents.tsv holds sectors": 1,
        "agent code XYZ is not one of our sectors": 1,
        "phrase already in agents.tsv: ours kept": 1,  # police
    }
    discards = _rows(out / "off_topic.tsv")
    assert [(d["word"], d["topic"]) for d in discards] == [
        ("kite flying contest", "discard"),
        ("chess olympiad", "discard"),
    ]
    assert report.parts["discards"].refused["a number: our off-topic words are letters"] == 1


def test_the_coder_loads_and_codes_with_the_imported_directory(
    mini: Path, tmp_path: Path, lemmatize: Lemmatizer
) -> None:
    out = tmp_path / "lex"
    import_petrarch(mini, out, lemmatize)
    coder = Coder(Settings(min_confidence=0.0), out)
    text = "Rudolf Rassendyll upbraided Chile for border incursions."
    (event,) = coder.code_texts([(text, dt.date(2001, 5, 10), "a")])[0]
    assert event.cameo == "112"
    assert (event.source.code, event.target and event.target.code) == ("POLGOV", "CHL")
    assert event.rule.startswith(str(out / "triggers.tsv"))
    # After 2003 the default code holds.
    later = coder.code_texts([(text, dt.date(2010, 1, 1), "b")])[0]
    assert [e.source.code for e in later] == ["POLELI"]
    # Without the directory the name is no actor.
    assert Coder(Settings(min_confidence=0.0)).code_texts([(text, dt.date(2001, 5, 10), "c")]) == [
        []
    ]


def test_parts_and_errors(mini: Path, tmp_path: Path, lemmatize: Lemmatizer) -> None:
    report = import_petrarch(mini, tmp_path / "verbs", lemmatize, ["verbs"])
    assert set(report.parts) == {"verbs"}
    assert sorted(p.name for p in (tmp_path / "verbs").iterdir()) == [
        LICENSE_NAME,
        REPORT_NAME,
        "triggers.tsv",
    ]
    with pytest.raises(LexiconError, match="unknown part"):
        import_petrarch(mini, tmp_path / "x", lemmatize, ["nouns"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LexiconError, match="no PETRARCH dictionaries"):
        import_petrarch(empty, tmp_path / "y", lemmatize)


def test_names_in_running_text_case() -> None:
    assert title_case(("HAMID", "KARZAI")) == "Hamid Karzai"
    assert title_case(("UN", "SECRETARY", "GENERAL")) == "UN Secretary General"
    assert title_case(("REPUBLIC", "OF", "O'NEILLAND")) == "Republic of O'Neilland"
    assert title_case(("PEOPLE'S", "ARMY")) == "People's Army"
    assert title_case(("AL-FAJR", "BRIGADE")) == "Al-Fajr Brigade"
    assert title_case(("U.N.", "MISSION")) == "U.N. Mission"
    assert written_forms(("NATO",)) == ["Nato", "NATO"]
    assert written_forms(("ANSF",)) == ["Ansf", "ANSF"]  # short: either
    assert written_forms(("PKK",)) == ["PKK"]  # no vowel: an acronym
    assert written_forms(("SOUTH", "KOREA")) == ["South Korea"]


def test_actor_codes_split_into_parts() -> None:
    countries = frozenset({"AFG", "USA"})
    parts = split_actor_code("AFGGOVBUS", countries)
    assert parts is not None
    assert (parts.country, parts.kind, parts.sector, parts.extra) == ("AFG", None, "GOV", ("BUS",))
    un = split_actor_code("IGOUNOREFHCR", countries)
    assert un is not None and (un.kind, un.rest, un.sector) == ("IGO", "UNOREFHCR", "REF")
    assert split_actor_code("MUSREB", countries).sector == "REL"  # type: ignore[union-attr]
    assert split_actor_code("AFGGO", countries) is None


def test_real_petrarch_dictionaries(tmp_path: Path, lemmatize: Lemmatizer) -> None:
    source = shared_path("dictionaries", "petrarch2")
    out = tmp_path / "petrarch"
    report = import_petrarch(source, out, lemmatize)
    verbs, actors = report.parts["verbs"], report.parts["actors"]
    agents, discards = report.parts["agents"], report.parts["discards"]
    # Every unit is used or refused with a reason.
    for part in (verbs, actors, agents, discards):
        assert part.used + sum(part.refused.values()) == part.read
    assert verbs.read > 5000 and verbs.used > 4000
    assert verbs.refused["words before the verb (a condition on the subject)"] > 100
    assert actors.read > 25000 and actors.used > 24000
    assert actors.rows["office_holders.tsv"] > 20000
    assert actors.rows["countries.tsv"] > 150 and actors.rows["organizations.tsv"] > 1000
    assert agents.used > 2000 and discards.used > 300
    assert report.license_copied
    # The readers' own problems, with file and line.
    problems = [str(p) for p in report.problems]
    assert any(p.startswith("CAMEO.2.0.txt:") and "transformation" in p for p in problems)

    lexicon = ActorLexicon(out)
    karzai = lexicon.office_holders.lookup("Hamid Karzai", dt.date(2005, 6, 1))
    assert karzai is not None and (karzai.country, karzai.sector) == ("AFG", "GOV")
    assert lexicon.countries.lookup("Kandahar") is not None
    triggers = TriggerLexicon(out)
    assert len(triggers.lemmas) > len(TriggerLexicon().lemmas) + 500
    assert len(load_table("agents.tsv", ("phrase",), out)) > 2000
    Coder(Settings(), out)  # loads: no repeated keys, no bad rows


def test_patterns_for_the_verbs_their_comment_names(
    mini: Path, tmp_path: Path, lemmatize: Lemmatizer
) -> None:
    out = tmp_path / "lex"
    report = import_petrarch(mini, out, lemmatize, ["verbs"], patterns_for="comment")
    rows = {
        (r["lemma"], r["particle"], r["object"], r["target_prep"])
        for r in _rows(out / "triggers.tsv")
    }
    # "# GREET" and "# WAVE_AT": only those verbs of the block.
    assert ("greet", "", "tea|hot cocoa", "") in rows
    assert ("hail", "", "tea|hot cocoa", "") not in rows
    assert ("wave", "at", "", "toward") in rows
    # A pattern whose comment names no verb of its block is for all of them.
    assert {("greet", "", "lifting embargo", ""), ("hail", "", "lifting embargo", "")} <= rows
    assert (
        report.parts["verbs"].notes[
            "pattern's comment names none of its verbs: all its block's verbs used"
        ]
        >= 1
    )
    with pytest.raises(LexiconError, match="patterns for"):
        import_petrarch(mini, out, lemmatize, patterns_for="verb")

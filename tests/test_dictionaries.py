"""Reading PETRARCH-2 dictionaries (dictionaries.py) on small invented snippets in their formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from thucydides.dictionaries import (
    Marker,
    Prep,
    Words,
    parse_date,
    phrase_words,
    read_actor_dictionary,
    read_agent_dictionary,
    read_discards,
    read_verb_dictionary,
)

VERBS = """\
# an invented verb dictionary
&BEVERAGE
+TEA
+HOT_COCOA
+LEMONADE_

&EMPTYSET

---  GREET   [---]  ---
GREET [040]
HAIL {HAILS HAILED HAILING}  # a comment
+WAVE_AT {+WAVES_AT +WAVED_AT +WAVING_AT} [042:043]
MUDDLE_+THROUGH
SCRIBBLE {SCRIBBLED};ab 1 Jan 2001
- * &BEVERAGE                          [071]   # GREET
- $ * (WITH {WARM WORDS})              [051]   # HAIL
- * (TOWARD +)                         [042:043]  # WAVE_AT
- &BEVERAGE *                          [072]
- * DOWN (ON ^)                        [111]
- * (ACROSS RIVER)                     [:045]
- * (TO/FOR PARADE)                    [141]
- * KITES)                             [073]
- * GIFT                               [07X]
~ a (a b GREET) HAIL = a b 040
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_verb_dictionary_synsets_blocks_verbs_and_patterns(tmp_path: Path) -> None:
    verbs = read_verb_dictionary(_write(tmp_path, "verbs.txt", VERBS))
    assert verbs.synsets["BEVERAGE"].phrases == (("TEA",), ("HOT", "COCOA"), ("LEMONADE",))
    (block,) = verbs.blocks
    assert block.name == "GREET" and block.code is None  # [---] is the null code
    forms = {verb.words: verb for verb in block.verbs}
    assert forms[("GREET",)].code == "040"
    assert forms[("HAIL",)].irregular == (("HAILS",), ("HAILED",), ("HAILING",))
    assert forms[("HAIL",)].code is None  # the block's
    wave = forms[("WAVE", "AT")]
    assert wave.verb == 0 and wave.code == "042" and wave.irregular[1] == ("WAVED", "AT")
    assert forms[("MUDDLE", "THROUGH")].verb == 1  # the "+" marks the verb
    assert forms[("SCRIBBLE",)].irregular == (("SCRIBBLED",),)  # ";" starts a comment
    patterns = {pattern.line: pattern for pattern in block.patterns}
    assert patterns[15].after == (Words(("&BEVERAGE",)),) and patterns[15].comment == "GREET"
    assert patterns[16].before == (Marker("$"),)
    assert patterns[16].after == (Prep("WITH", (Words(("WARM", "WORDS")),)),)
    assert patterns[17].code == "042" and patterns[17].reverse == "043"
    assert patterns[17].after == (Prep("TOWARD", (Marker("+"),)),)
    assert patterns[18].before == (Words(("&BEVERAGE",)),)
    assert patterns[19].after == (Words(("DOWN",)), Prep("ON", (Marker("^"),)))
    assert patterns[20].code is None and patterns[20].reverse == "045"
    assert patterns[21].after == (Prep("TO/FOR", (Words(("PARADE",)),)),)
    problems = {problem.line: problem.reason for problem in verbs.problems}
    assert problems == {
        7: "synset without phrases",
        22: "stray ')'",
        23: "pattern code is not a CAMEO code",
        24: "verb transformation (~) is not read",
    }
    assert str(verbs.problems[1]).startswith("verbs.txt:22: stray ')': ")


ACTORS = (
    b"# invented actors\n"
    b"RURITANIA_  [ROU]\n"
    b"+RURITANIAN_ +RURITANEAN_\n"
    b"+STRELSAU_ ; the capital\n"
    b"\n"
    b"RUDOLF_RASSENDYLL_  # an invented person\n"
    b"+RASSENDYLL_\n"
    b"\t[ROUGOV 980101-031231]\n"
    b"\t[ROUELI >040101]\n"
    b"\t[ROUOPP <290615]\n"
    b"\t[ROUOPP]\n"
    b"FLAVIA_ELPHBERG_\n"
    b"QUEEN_FLAVIA_\n"
    b"\t[ROUGOV 20100315-20121231]\n"
    b"\t[ROUGOV 2004017-20061201]\n"
    b"CAF\xc9_SOCIETY_\t[NGO] [ELI]\n"
    b"Z\x1aNDA_WATCH [ROUCOP]\n"
    b"LONELY_PHRASE\n"
)


def test_actor_dictionary_records_codes_and_dates(tmp_path: Path) -> None:
    actors = read_actor_dictionary(_write(tmp_path, "mini.actors.txt", ACTORS))
    entries = {entry.phrases[0]: entry for entry in actors.entries}
    ruritania = entries[("RURITANIA",)]
    assert ruritania.phrases[1:] == (("RURITANIAN",), ("RURITANEAN",), ("STRELSAU",))
    assert [(c.code, c.dated) for c in ruritania.codes] == [("ROU", False)]
    rudolf = entries[("RUDOLF", "RASSENDYLL")]
    assert rudolf.comment == "an invented person" and rudolf.line == 6
    assert [(c.code, c.start, c.end) for c in rudolf.codes] == [
        ("ROUGOV", date(1998, 1, 1), date(2003, 12, 31)),
        ("ROUELI", date(2004, 1, 1), None),
        ("ROUOPP", None, date(2029, 6, 15)),  # YY up to 30 is 20YY
        ("ROUOPP", None, None),
    ]
    assert rudolf.codes[3].dated is False
    # A primary phrase without a code after a record without codes shares the codes below.
    flavia = entries[("FLAVIA", "ELPHBERG")]
    assert flavia.phrases == (("FLAVIA", "ELPHBERG"), ("QUEEN", "FLAVIA"))
    assert [c.start for c in flavia.codes] == [date(2010, 3, 15)]
    cafe = entries[("CAFÉ", "SOCIETY")]  # the byte \xc9 read as Latin-1
    assert [c.code for c in cafe.codes] == ["NGO", "ELI"]
    problems = {(p.line, p.reason) for p in actors.problems}
    assert problems == {
        (15, "code or date restriction not understood"),
        (16, "not UTF-8: read as Latin-1"),
        (17, "damaged character (U+FFFD or a control code): the phrase cannot match text"),
        (18, "no code"),
    }


def test_dates_as_petrarch_reads_them() -> None:
    assert parse_date("300101") == date(2030, 1, 1)
    assert parse_date("310101") == date(1931, 1, 1)
    assert parse_date("19450703") == date(1945, 7, 3)
    assert parse_date("20100931") is None  # no 31 September
    assert parse_date("2004017") is None  # seven digits: neither form
    assert phrase_words("NEW_YORK  CITY_") == ("NEW", "YORK", "CITY")


AGENTS = """\
!ENVOY! = ENVOY, ENVOYS, EMISSARY
WATER_!ENVOY! [~GOV]
GLASSBLOWER [~LAB]  # a trade
HARBOUR_PILOTS {} [~BUSAGR]
GOOSE_HERDER {GEESE_HERDERS} [~AGR}
FRIENDLY_SOCIETY [NGO~]
RIVERMAN
CLOUD_!WATCHER! [~ENV]
"""


def test_agent_dictionary_markers_plurals_and_placement(tmp_path: Path) -> None:
    agents = read_agent_dictionary(_write(tmp_path, "mini.agents.txt", AGENTS))
    words = [(e.words, e.code, e.placement) for e in agents.entries]
    assert words == [
        (("WATER", "ENVOY"), "GOV", "after"),
        (("WATER", "ENVOYS"), "GOV", "after"),
        (("WATER", "EMISSARY"), "GOV", "after"),
        (("GLASSBLOWER",), "LAB", "after"),
        (("HARBOUR", "PILOTS"), "BUSAGR", "after"),
        (("GOOSE", "HERDER"), "AGR", "after"),
        (("FRIENDLY", "SOCIETY"), "NGO", "before"),
    ]
    plurals = {e.words: e.plural for e in agents.entries}
    assert plurals[("GLASSBLOWER",)] is None  # the regular plural
    assert plurals[("HARBOUR", "PILOTS")] == ()  # none
    assert plurals[("GOOSE", "HERDER")] == ("GEESE", "HERDERS")
    assert agents.entries[3].comment == "a trade"
    problems = {(p.line, p.reason) for p in agents.problems}
    assert problems == {
        (7, "agent without a [code]"),
        (8, "substitution marker !WATCHER! undefined"),
    }


def test_discards_story_and_whole_word(tmp_path: Path) -> None:
    text = "+KITE FLYING CONTEST   # story\nCHESS OLYMPIAD\nTIDDLYWINKS_\n[BAD]\n"
    discards = read_discards(_write(tmp_path, "mini.discards.txt", text))
    assert [(d.words, d.story, d.whole_word) for d in discards.entries] == [
        (("KITE", "FLYING", "CONTEST"), True, False),
        (("CHESS", "OLYMPIAD"), False, False),
        (("TIDDLYWINKS",), False, True),
    ]
    assert [(p.line, p.reason) for p in discards.problems] == [(4, "discard phrase not understood")]

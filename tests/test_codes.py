from __future__ import annotations

from pathlib import Path

import pytest

from thucydides.codes import (
    CAMEO_COLUMNS,
    PLOVER_05_TO_2021,
    PLOVER_TYPES,
    CameoTable,
)
from thucydides.errors import LexiconError
from thucydides.lexicon import load_table

HEADER = "\t".join(CAMEO_COLUMNS) + "\n"


@pytest.fixture(scope="module")
def table() -> CameoTable:
    return CameoTable()


def test_every_root_is_present_with_its_quad_class(table: CameoTable) -> None:
    for number in range(1, 21):
        root = f"{number:02d}"
        assert root in table
        expected = 1 if number <= 5 else 2 if number <= 9 else 3 if number <= 14 else 4
        assert table.get(root).quad_class == expected
        # every code under a root shares the root's class
        assert {c.quad_class for c in table.codes() if c.code.startswith(root)} == {expected}


def test_codebook_coverage(table: CameoTable) -> None:
    codes = {c.code for c in table.codes()}
    assert 300 <= len(codes) <= 330 and len(codes) == len(table)
    for code in (
        "0211",
        "0256",
        "0314",
        "0356",
        "046",
        "057",
        "0874",
        "094",
        "1056",
        "1125",
        "1246",
        "1385",
        "1454",
        "155",
        "1663",
        "1724",
        "176",
        "1834",
        "1952",
        "2042",
    ):
        assert code in codes  # fmt: skip
    # every 3/4-digit code has its parent in the table
    assert all(c.code[:-1] in codes for c in table.codes() if len(c.code) > 2)


def test_rows_are_in_codebook_order(table: CameoTable) -> None:
    order = [c.code for c in table.codes()]
    assert order[:4] == ["01", "010", "011", "012"]
    assert order.index("02") < order.index("020") < order.index("0211") < order.index("022")


@pytest.mark.parametrize(
    ("code", "goldstein"),
    [("01", 0.0), ("010", 0.0), ("036", 4.0), ("042", 1.9), ("043", 2.8), ("057", 8.0),
     ("0312", 5.2), ("0874", 10.0), ("074", 8.5), ("112", -2.0), ("130", -4.4),
     ("163", -8.0), ("173", -5.0), ("182", -9.5), ("190", -10.0), ("2042", -10.0)],
)  # fmt: skip
def test_goldstein_values(table: CameoTable, code: str, goldstein: float) -> None:
    assert table.get(code).goldstein == goldstein


@pytest.mark.parametrize(
    ("code", "plover"),
    [("010", ("", "", "")), ("0232", ("REQUEST", "assist", "military")),
     ("0311", ("AGREE", "", "economic")), ("0312", ("AGREE", "", "military")),
     ("0333", ("AGREE", "", "humanitarian")), ("036", ("AGREE", "", "diplomatic")),
     ("042", ("CONSULT", "visit", "")), ("041", ("CONSULT", "phone", "")),
     ("057", ("AGREE", "", "diplomatic")), ("062", ("COOPERATE", "", "military")),
     ("073", ("AID", "", "humanitarian")), ("0841", ("RETREAT", "release", "legal")),
     ("0874", ("RETREAT", "withdraw", "military")),
     ("091", ("ACCUSE", "investigate", "crime|corruption")),
     ("1041", ("REQUEST", "change", "executive")), ("111", ("ACCUSE", "disapprove", "")),
     ("163", ("SANCTION", "", "economic")), ("166", ("SANCTION", "expel", "diplomatic")),
     ("173", ("COERCE", "arrest", "legal")), ("175", ("ASSAULT", "", "rights_freedoms")),
     ("194", ("ASSAULT", "heavy-weapons", "military")),
     ("2041", ("ASSAULT", "unconventional", "cbrn"))],
)  # fmt: skip
def test_plover_mapping(table: CameoTable, code: str, plover: tuple[str, str, str]) -> None:
    entry = table.get(code)
    assert (entry.plover_type, entry.plover_mode, entry.plover_context) == plover


def test_plover_types_are_2021_names(table: CameoTable) -> None:
    assert len(PLOVER_TYPES) == 16
    used = {c.plover_type for c in table.codes()}
    assert used - {""} == set(PLOVER_TYPES)
    # The 01 statements have no PLOVER type, but a denial (016) rejects the one who claimed.
    assert {c.code for c in table.codes() if not c.plover_type} == {
        "01",
        *(f"01{i}" for i in range(10) if i != 6),
    }
    assert table.get("016").plover_type == "REJECT"
    # the packaged rows that leave the type empty say why
    rows = load_table("cameo.tsv", CAMEO_COLUMNS)
    assert all(row.values["note"] for row in rows if not row.values["plover_type"])


def test_plover_05_names() -> None:
    assert PLOVER_05_TO_2021["DEMAND"] == "REQUEST"
    assert PLOVER_05_TO_2021["DISAPPROVE"] == PLOVER_05_TO_2021["INVESTIGATE"] == "ACCUSE"
    assert PLOVER_05_TO_2021["FIGHT"] == "ASSAULT"
    assert all(PLOVER_05_TO_2021[name] == name for name in PLOVER_TYPES)
    assert set(PLOVER_05_TO_2021.values()) <= set(PLOVER_TYPES)


@pytest.mark.parametrize(
    ("code", "intent"),
    [("040", "036"), ("042", "036"), ("046", "036"), ("045", "039"), ("051", "032"),
     ("057", "030"), ("060", "031"), ("061", "0311"), ("062", "0312"), ("063", "0313"),
     ("064", "0314"), ("070", "033"), ("071", "0331"), ("072", "0332"), ("073", "0333"),
     ("074", "0334"), ("075", "033"), ("080", "035"), ("0811", "0351"), ("082", "0352"),
     ("083", "034"), ("0832", "0342"), ("0841", "0353"), ("085", "0354"), ("0862", "0355"),
     ("087", "0356"), ("0871", "0356"), ("036", "036"), ("0312", "0312"), ("112", "112"),
     ("190", "190"), ("010", "010")],
)  # fmt: skip
def test_intent_code(table: CameoTable, code: str, intent: str) -> None:
    assert table.intent_code(code) == intent
    assert intent in table
    assert table.get(intent).plover_type in ("AGREE", table.get(code).plover_type)


def test_unknown_code_falls_back_to_nearest_ancestor(table: CameoTable) -> None:
    assert "0315" not in table
    assert table.get("0315").code == "031"
    assert table.get("1835").code == "183"
    assert table.get("159").code == "15"
    assert table.get("0999").code == "09"
    assert table.root("0312") == "03" and table.root("20") == "20"


@pytest.mark.parametrize("code", ["", "3", "21", "00", "2100", "12a", "01234", "ab"])
def test_malformed_code_raises_value_error(table: CameoTable, code: str) -> None:
    with pytest.raises(ValueError):
        table.get(code)
    assert code not in table


def test_overlay_replaces_and_adds_rows(tmp_path: Path) -> None:
    (tmp_path / "cameo.tsv").write_text(
        "# my changes\n" + HEADER
        + "042\tPay a state visit\t2.5\t1\tCONSULT\tvisit\tdiplomatic\tours\n"
        + "0365\tExpress intent to hold a summit\t4.5\t1\tAGREE\t\tdiplomatic\t\n",
        encoding="utf-8",
    )  # fmt: skip
    packaged = CameoTable()
    table = CameoTable(tmp_path)
    assert len(table) == len(packaged) + 1
    visit = table.get("042")
    assert (visit.name, visit.goldstein, visit.plover_context) == (
        "Pay a state visit",
        2.5,
        "diplomatic",
    )
    assert visit.entry == f"{tmp_path / 'cameo.tsv'}:3"
    assert table.get("0365").code == "0365" and table.get("043") == packaged.get("043")
    assert packaged.get("042").entry.startswith("cameo.tsv:")


@pytest.mark.parametrize(
    ("row", "message"),
    [("04x\tConsult\t1.0\t1\tCONSULT\t\t\t", "not a CAMEO event code"),
     ("042\tVisit\tbig\t1\tCONSULT\t\t\t", "not a number"),
     ("042\tVisit\t11\t1\tCONSULT\t\t\t", "outside -10..10"),
     ("042\tVisit\tnan\t1\tCONSULT\t\t\t", "outside -10..10"),
     ("042\tVisit\t1.9\t5\tCONSULT\t\t\t", "quad_class"),
     ("042\tVisit\t1.9\t1\tMEET\t\t\t", "plover_type 'MEET'"),
     ("042\t\t1.9\t1\tCONSULT\t\t\t", "no name")],
)  # fmt: skip
def test_bad_overlay_row_names_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "cameo.tsv"
    path.write_text("# comment\n\n" + HEADER + "036\tMeet\t4.0\t1\tAGREE\t\t\t\n" + row + "\n")
    with pytest.raises(LexiconError) as caught:
        CameoTable(tmp_path)
    assert caught.value.code == "T601"
    assert f"{path}:5:" in str(caught.value) and message in str(caught.value)

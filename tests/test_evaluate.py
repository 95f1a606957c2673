from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from factories import plain_event

from thucydides.errors import InputError, ThucydidesError
from thucydides.evaluate import (
    GoldItem,
    abbreviate,
    describe_scoring,
    evaluate_gold,
    format_report,
    gold_triples,
    load_gold,
    normalise_code,
    normalise_type,
    score,
)
from thucydides.types import Actor, Event

SHARED_GOLD = Path(__file__).parent.parent.parent / "shared" / "eval" / "plover-gsr-dev.json"

# Invented sentences.
TALKS = "Norway and Chile agreed to expand fishery cooperation on Tuesday."
DEMAND = "Portugal demanded that Morocco release the detained sailors."
BOMB = "Peruvian troops shelled a rebel camp near the border with Ecuador."
TOKYO = "Japan criticised Canada over the whaling ruling."
LONE = "Kenyan nurses walked out over unpaid wages."
TWO = "Egypt condemned Sudan and then recalled its ambassador from Khartoum."


def actor(code: str) -> Actor:
    if code in {"IGO", "NGO"}:
        return Actor(text=code, start=0, end=3, country=None, organization_kind=code)
    return Actor(text=code, start=0, end=3, country=code)


def event(source: str, target: str | None, plover: str) -> Event:
    return plain_event(
        event_id=f"{source}-{target}-{plover}",
        source=actor(source),
        target=actor(target) if target else None,
        plover_type=plover,
    )


EventSpec = tuple[str, str | None, str]


def fake_coder(
    table: dict[str, Sequence[EventSpec]],
) -> Callable[[str, datetime.date | None, str], list[Event]]:
    def coder(text: str, date: datetime.date | None, doc_id: str) -> list[Event]:
        return [event(*spec) for spec in table.get(text, ())]

    return coder


def plover_record(
    record_id: str, text: str, event_name: str, sources: list[str], targets: Any
) -> dict[str, Any]:
    return {
        "id": record_id,
        "date": "2001-05-04",
        "source": [{"actorText": code.lower(), "code": code} for code in sources],
        "target": (
            [{"actorText": code.lower(), "code": code} for code in targets]
            if isinstance(targets, list)
            else targets
        ),
        "event": event_name,
        "eventText": "",
        "context": "",
        "text": text,
        "textInfo": {},
    }


def write_plover(path: Path, records: list[Any]) -> Path:
    path.write_text(json.dumps({"about": "invented", "records": records}), encoding="utf-8")
    return path


@pytest.fixture
def plover_file(tmp_path: Path) -> Path:
    return write_plover(
        tmp_path / "gold.json",
        [
            plover_record("G-1", TALKS, "AGREE", ["NOR", "CHL"], ""),
            plover_record("G-2", DEMAND, "DEMAND", ["PRT"], ["MAR"]),
            plover_record("G-3", "  " + BOMB + " ", "FIGHT", ["PER"], None),
            plover_record("G-4", TOKYO, "DISAPPROVE", ["JAP"], ["CAN"]),
            plover_record("G-5", LONE, "PROTEST", ["KEN"], "strike"),
            plover_record("G-6", TWO, "DISAPPROVE", ["EGY"], ["SDN"]),
            plover_record("G-7", TWO + "\n", "RETREAT", ["EGY"], ["SDN"]),
        ],
    )


PERFECT: dict[str, Sequence[EventSpec]] = {
    TALKS: [("NOR", "CHL", "AGREE"), ("CHL", "NOR", "AGREE")],
    DEMAND: [("PRT", "MAR", "REQUEST")],
    BOMB: [("PER", None, "ASSAULT")],
    TOKYO: [("JPN", "CAN", "ACCUSE")],
    LONE: [("KEN", None, "PROTEST")],
    TWO: [("EGY", "SDN", "ACCUSE"), ("EGY", "SDN", "RETREAT")],
}


def test_plover_file_groups_texts_and_maps_names(plover_file: Path) -> None:
    gold = load_gold(plover_file)
    assert len(gold) == 6  # seven records, two share one text
    assert gold.records == 7
    assert gold.skipped == ()
    by_text = {item.text: item for item in gold}
    assert by_text[TWO].triples == {("EGY", "SDN", "ACCUSE"), ("EGY", "SDN", "RETREAT")}
    assert by_text[TWO].record_ids == ("G-6", "G-7")
    assert by_text[DEMAND].triples == {("PRT", "MAR", "REQUEST")}
    assert by_text[BOMB].triples == {("PER", None, "ASSAULT")}  # stripped text, FIGHT renamed
    assert by_text[BOMB].date == datetime.date(2001, 5, 4)
    assert by_text[BOMB].doc_id == "G-3"
    # A stray word where the target should be is no target.
    assert by_text[LONE].triples == {("KEN", None, "PROTEST")}


def test_compound_actor_is_reciprocal(plover_file: Path) -> None:
    items = {item.text: item for item in load_gold(plover_file)}
    assert items[TALKS].triples == {("NOR", "CHL", "AGREE"), ("CHL", "NOR", "AGREE")}
    three = gold_triples(["ARG", "URY", "PRY"], [], "CONSULT")
    assert len(three) == 6
    assert ("PRY", "ARG", "CONSULT") in three
    assert gold_triples(["ARG", "URY"], ["BRA"], "ACCUSE") == {
        ("ARG", "BRA", "ACCUSE"),
        ("URY", "BRA", "ACCUSE"),
    }


def test_one_direction_of_a_compound_is_half_right(plover_file: Path) -> None:
    coder = fake_coder({TALKS: [("NOR", "CHL", "AGREE")]})
    report = evaluate_gold(load_gold(plover_file), coder=coder)
    talks = next(d for d in report.details if d.text == TALKS)
    assert talks.matched == {("NOR", "CHL", "AGREE")}
    assert talks.missed == {("CHL", "NOR", "AGREE")}
    assert report.per_type["AGREE"].recall == 0.5
    assert report.per_type["AGREE"].precision == 1.0


def test_jap_is_jpn(plover_file: Path) -> None:
    items = {item.text: item for item in load_gold(plover_file)}
    assert items[TOKYO].triples == {("JPN", "CAN", "ACCUSE")}
    assert normalise_code(" jap ") == "JPN"
    assert normalise_code("RUSMIL") == "RUS"
    assert normalise_code("IGOUNO") == "IGO"
    # A coder that says JAP is normalised the same way.
    report = evaluate_gold([items[TOKYO]], coder=fake_coder({TOKYO: [("JAP", "CAN", "ACCUSE")]}))
    assert report.f1 == 1.0


def test_plover_05_names() -> None:
    assert normalise_type("DEMAND") == "REQUEST"
    assert normalise_type("disapprove") == "ACCUSE"
    assert normalise_type("INVESTIGATE") == "ACCUSE"
    assert normalise_type("FIGHT") == "ASSAULT"
    assert normalise_type("CONSULT") == "CONSULT"


def test_perfect_coder(plover_file: Path) -> None:
    report = evaluate_gold(plover_file, coder=fake_coder(PERFECT))
    assert (report.precision, report.recall, report.f1) == (1.0, 1.0, 1.0)
    assert report.triples.gold == report.triples.predicted == report.triples.matched == 8
    assert report.types.f1 == 1.0
    assert report.source_accuracy.value == 1.0
    assert report.dyad_accuracy.value == 1.0
    assert report.texts == 6
    assert report.gold_records == 7
    assert report.texts_without_prediction == 0
    assert all(detail.correct for detail in report.details)
    assert report.gold_path == str(plover_file)


def test_empty_coder(plover_file: Path) -> None:
    report = evaluate_gold(plover_file, coder=fake_coder({}))
    assert report.recall == 0.0
    assert report.precision == 0.0
    assert report.f1 == 0.0
    assert report.types.recall == 0.0
    assert report.texts_without_prediction == 6
    assert report.source_accuracy.total == 0
    assert report.dyad_accuracy.total == 0
    # Every single-type text lands in the "none" column.
    assert report.confusion["AGREE"] == {"none": 1}
    assert report.confusion["ACCUSE"] == {"none": 1}


def test_partial_coder_scores_and_confusion(plover_file: Path) -> None:
    coder = fake_coder(
        {
            TALKS: [("NOR", "CHL", "CONSULT"), ("CHL", "NOR", "CONSULT")],  # wrong type
            DEMAND: [("PRT", "MAR", "REQUEST"), ("PRT", "MAR", "THREATEN")],  # one extra
            BOMB: [("ECU", None, "ASSAULT")],  # wrong source
            TOKYO: [("JPN", "CAN", "ACCUSE"), ("JPN", "CAN", "ACCUSE")],  # duplicate
            TWO: [("EGY", "SDN", "ACCUSE")],  # one of two
        }
    )
    report = evaluate_gold(plover_file, coder=coder)
    # gold 8 triples; predicted: 2 + 2 + 1 + 1 + 1 = 7; matched: REQUEST, JPN ACCUSE, EGY ACCUSE
    assert report.triples.gold == 8
    assert report.triples.predicted == 7
    assert report.triples.matched == 3
    assert report.precision == pytest.approx(3 / 7)
    assert report.recall == pytest.approx(3 / 8)
    assert report.f1 == pytest.approx(2 * (3 / 7) * (3 / 8) / (3 / 7 + 3 / 8))
    # types: gold pairs 7 (AGREE, REQUEST, ASSAULT, ACCUSE, PROTEST, ACCUSE, RETREAT);
    # predicted pairs 6 (CONSULT, REQUEST, THREATEN, ASSAULT, ACCUSE, ACCUSE); matched 4.
    assert (report.types.gold, report.types.predicted, report.types.matched) == (7, 6, 4)
    # source accuracy over gold triples whose type was predicted: REQUEST, ASSAULT, ACCUSE x2.
    assert (report.source_accuracy.correct, report.source_accuracy.total) == (3, 4)
    # dyad accuracy over gold triples of texts with a prediction: 2 + 1 + 1 + 1 + 2 = 7;
    # right dyads: NOR-CHL both ways, PRT-MAR, JPN-CAN, EGY-SDN twice.
    assert (report.dyad_accuracy.correct, report.dyad_accuracy.total) == (6, 7)
    assert report.texts_without_prediction == 1
    assert report.confusion["AGREE"] == {"CONSULT": 1}
    assert report.confusion["REQUEST"] == {"REQUEST": 1, "THREATEN": 1}
    assert report.confusion["ASSAULT"] == {"ASSAULT": 1}
    assert report.confusion["PROTEST"] == {"none": 1}
    assert "RETREAT" not in report.confusion  # its text has two gold types
    assert report.per_type["THREATEN"].gold == 0
    assert report.per_type["THREATEN"].predicted == 1
    assert report.per_type["ACCUSE"].f1 == 1.0
    tokyo = next(d for d in report.details if d.text == TOKYO)
    assert tokyo.predicted == {("JPN", "CAN", "ACCUSE")}
    assert len(tokyo.events) == 2  # the raw events are kept for error analysis


def test_batch_coder_matches_single_coder(plover_file: Path) -> None:
    seen: list[tuple[str, datetime.date | None, str]] = []
    single = fake_coder(PERFECT)

    def batch(items: list[tuple[str, datetime.date | None, str]]) -> list[list[Event]]:
        seen.extend(items)
        return [single(*item) for item in items]

    report = evaluate_gold(plover_file, batch_coder=batch)
    assert report.f1 == 1.0
    assert len(seen) == 6
    assert (BOMB, datetime.date(2001, 5, 4), "G-3") in seen

    with pytest.raises(ValueError):
        evaluate_gold(plover_file, batch_coder=lambda items: [[]])
    with pytest.raises(ValueError):
        evaluate_gold(plover_file)


def test_jsonl_format(tmp_path: Path) -> None:
    lines = [
        {"text": TALKS, "date": "2003-02-01", "source": ["NOR", "CHL"], "event": "AGREE"},
        {"text": DEMAND, "source": "prt", "target": "MAR", "event": "REQUEST", "id": "d1"},
        {"text": TOKYO, "source": "JAP", "target": ["CAN"], "event": "DISAPPROVE"},
        {"text": LONE, "source": "KENLAB", "target": "", "event": "PROTEST"},
        {"text": BOMB, "source": "PER", "target": None, "event": "fight"},
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    gold = load_gold(path)
    by_text = {item.text: item for item in gold}
    assert len(gold) == 5
    assert by_text[TALKS].triples == {("NOR", "CHL", "AGREE"), ("CHL", "NOR", "AGREE")}
    assert by_text[TALKS].date == datetime.date(2003, 2, 1)
    assert by_text[TALKS].doc_id == "mine.jsonl:1"
    assert by_text[DEMAND].triples == {("PRT", "MAR", "REQUEST")}
    assert by_text[DEMAND].doc_id == "d1"
    assert by_text[TOKYO].triples == {("JPN", "CAN", "ACCUSE")}
    assert by_text[LONE].triples == {("KEN", None, "PROTEST")}
    assert by_text[BOMB].triples == {("PER", None, "ASSAULT")}
    assert by_text[BOMB].date is None
    report = evaluate_gold(gold, coder=fake_coder(PERFECT))
    assert report.f1 == 1.0


def test_bad_records_are_skipped_and_counted(tmp_path: Path) -> None:
    path = write_plover(
        tmp_path / "mixed.json",
        [
            plover_record("ok", DEMAND, "DEMAND", ["PRT"], ["MAR"]),
            plover_record("no-text", "   ", "AGREE", ["NOR"], ""),
            plover_record("no-source", TALKS, "AGREE", [], ""),
            {"id": "no-event", "text": LONE, "source": [{"code": "KEN"}]},
            "not a record",
            {"id": "doc", "event": "DOCUMENT", "text": "notes", "source": [{"code": "USA"}]},
        ],
    )
    gold = load_gold(path)
    assert [item.doc_id for item in gold] == ["ok"]
    assert len(gold.skipped) == 4  # the DOCUMENT record is documentation, not an error
    assert gold.skipped[0] == "mixed.json:record 2: record without text"
    report = evaluate_gold(gold, coder=fake_coder(PERFECT))
    assert len(report.skipped_records) == 4
    assert report.to_dict()["counts"]["skipped_records"] == 4

    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text(
        json.dumps({"text": TOKYO, "source": "JPN", "target": "CAN", "event": "ACCUSE"})
        + "\n{broken\n",
        encoding="utf-8",
    )
    gold = load_gold(jsonl)
    assert len(gold) == 1
    assert gold.skipped[0].startswith("mixed.jsonl:line 2: not valid JSON")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.json", '{"records": [', "not valid JSON"),
        ("wrong.json", '{"events": []}', '"records" list'),
        ("empty.json", '{"records": []}', "no usable gold records"),
        ("textless.json", '{"records": [{"event": "AGREE"}]}', "record without text"),
        ("textless.jsonl", '{"event": "AGREE", "source": "USA"}\n', "record without text"),
        ("latin1.json", b'{"records": "\xe9"}', "not UTF-8"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: str | bytes, reason: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_gold(path)
    assert caught.value.code == "T701"
    assert reason in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ThucydidesError, match=r"\[T701\] gold file not found"):
        evaluate_gold(tmp_path / "absent.json", coder=fake_coder({}))


def test_report_is_json_and_text(plover_file: Path) -> None:
    coder = fake_coder({**PERFECT, TALKS: [("NOR", "CHL", "CONSULT")]})
    report = evaluate_gold(plover_file, coder=coder)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["counts"]["texts"] == 6
    assert data["counts"]["gold_triples"] == 8
    assert data["triples"]["matched"] == 6
    assert data["confusion"]["AGREE"] == {"CONSULT": 1}
    talks = next(d for d in data["details"] if d["doc_id"] == "G-1")
    assert talks["missed"] == [["CHL", "NOR", "AGREE"], ["NOR", "CHL", "AGREE"]]
    assert talks["spurious"] == [["NOR", "CHL", "CONSULT"]]

    text = format_report(report, errors=1)
    precision, recall = 6 / 7, 6 / 8
    f1 = 2 * precision * recall / (precision + recall)
    triples_line = next(line for line in text.splitlines() if line.startswith("triples"))
    assert triples_line.split() == ["triples", f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}"]
    agree_line = next(line for line in text.splitlines() if line.startswith("AGREE "))
    assert agree_line.split() == ["AGREE", "2", "0", "0", "0.000", "0.000", "0.000"]
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("gold\\pred"))
    assert header.split()[1:] == ["AGRE", "CONS", "REQU", "ACCU", "PROT", "ASSA", "none"]
    row = next(line for line in lines if line.startswith("AGRE "))
    # The 1 sits under CONS: columns are aligned.
    assert row[header.index("CONS") : header.index("CONS") + 4].strip() == "1"
    assert "CONS=CONSULT" in text
    assert "G-1:" in text and "spurious: NOR->CHL CONSULT" in text


def test_abbreviations_are_unique() -> None:
    short = abbreviate(["CONSULT", "CONCEDE", "COOPERATE", "AID", "ASSAULT", "ASSASSINATE"])
    assert short["CONSULT"] == "CONS"
    assert short["CONCEDE"] == "CONC"
    assert short["AID"] == "AID"
    assert short["ASSAULT"] == "ASSAU"
    assert len(set(short.values())) == len(short)


def test_describe_scoring_names_the_rules() -> None:
    text = describe_scoring()
    for phrase in ["JAP becomes JPN", "DEMAND -> REQUEST", "ordered pair", "Confusion"]:
        assert phrase in text


def test_score_needs_one_list_per_text() -> None:
    item = GoldItem("a", TALKS, None, frozenset({("NOR", None, "AGREE")}))
    with pytest.raises(ValueError):
        score([item], [])
    report = score([item], [[event("NOR", None, "AGREE")]])
    assert report.f1 == 1.0
    assert report.gold_records == 1


@pytest.mark.shared
def test_plover_dev_file() -> None:
    if not SHARED_GOLD.exists():
        pytest.skip(f"{SHARED_GOLD} not present")
    gold = load_gold(SHARED_GOLD)
    assert len(gold) == 107  # 110 records; three texts carry two records each
    assert gold.records == 110
    assert gold.skipped == ()
    assert sum(len(item.triples) for item in gold) == 119
    types = {t for item in gold for t in item.types}
    assert not types & {"DEMAND", "DISAPPROVE", "INVESTIGATE", "FIGHT"}
    assert all(s != "JAP" and t != "JAP" for item in gold for s, t, _ in item.triples)
    table = {item.text: list(item.triples) for item in gold}
    report = evaluate_gold(gold, coder=fake_coder(table))
    assert report.f1 == 1.0
    assert report.types.f1 == 1.0
    assert report.texts_without_prediction == 0
    assert format_report(report).count("1.000") >= 3

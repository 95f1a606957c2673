"""`thucydides code`, `evaluate` and the events of `extract`, run through the real model.

Every command runs once, in a module-level fixture (the model loads once per run), and the tests
read the results. The sentences and the article are invented for these tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from thucydides.cli import app
from thucydides.store import Store

GOOD = [
    {
        "id": "chile-peru-1",
        "text": "The foreign minister of Chile met his Peruvian counterpart in Lima on Thursday.",
        "date": "2023-03-10",
    },
    {
        "id": "ghana-togo-2",
        "text": "Ghana's president visited Togo on Wednesday.",
        "date": "2023-06-10",
    },
]
# Line 2 is cut off mid-record, line 4 has no text.
RECORDS = "\n".join(
    [
        json.dumps(GOOD[0]),
        '{"id": "cut-off", "text": "The talks were',
        json.dumps(GOOD[1]),
        json.dumps({"id": "no-text", "date": "2023-06-10"}),
    ]
)
GOLD = [
    {**GOOD[0], "source": "CHL", "target": "PER", "event": "CONSULT"},
    {**GOOD[1], "source": "GHA", "target": "TGO", "event": "CONSULT"},
    {
        "text": "Japan's prime minister criticised China on Monday.",
        "date": "2023-06-10",
        "source": "JPN",
        "target": "CHN",
        "event": "ACCUSE",
    },
    {
        "text": "Mexico accused the United States of interfering in its elections.",
        "date": "2023-06-10",
        "source": "MEX",
        "target": "USA",
        "event": "ACCUSE",
    },
]
ARTICLE = """Chile and Peru agree on fishing patrols
By Ana Torres, Pacific Desk Published : March 10, 2023 - 11:05
The foreign ministers of Chile and Peru met in Lima on Thursday and signed an agreement on joint \
fishing patrols.
Bolivia's government criticised the agreement, saying it had not been consulted.
"""

# What the README documents for every event record (and its actors and PLOVER fields).
EVENT_FIELDS = {
    "doc_id",
    "event_id",
    "source",
    "target",
    "cameo",
    "plover",
    "goldstein",
    "quad_class",
    "date",
    "date_precision",
    "location",
    "sentence",
    "sentence_start",
    "sentence_end",
    "trigger",
    "mentions",
    "confidence",
}
ACTOR_FIELDS = {"text", "country", "sector", "code"}
PLOVER_FIELDS = {"type", "mode", "context"}


@dataclass
class Runs:
    records_path: Path
    code_file: Result
    code_dash: Result
    code_no_argument: Result
    code_missing: Result
    evaluate: Result
    evaluate_json: Result
    evaluate_missing: Result
    extract: Result
    out_dir: Path
    db: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    tmp = tmp_path_factory.mktemp("cli_code")
    runner = CliRunner()
    records = tmp / "records.jsonl"
    records.write_text(RECORDS + "\n", encoding="utf-8")
    gold = tmp / "gold.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    pages = tmp / "pages"
    pages.mkdir()
    (pages / "chile-peru.txt").write_text(ARTICLE, encoding="utf-8")
    out_dir, db = tmp / "out", tmp / "store.duckdb"
    stdin = json.dumps(GOOD[1]) + "\n"
    return Runs(
        records_path=records,
        code_file=runner.invoke(app, ["code", str(records)]),
        code_dash=runner.invoke(app, ["code", "-"], input=stdin),
        code_no_argument=runner.invoke(app, ["code"], input=stdin),
        code_missing=runner.invoke(app, ["code", str(tmp / "absent.jsonl")]),
        evaluate=runner.invoke(app, ["evaluate", str(gold)]),
        evaluate_json=runner.invoke(app, ["evaluate", str(gold), "--json"]),
        evaluate_missing=runner.invoke(app, ["evaluate", str(tmp / "absent-gold.jsonl")]),
        extract=runner.invoke(
            app, ["extract", str(pages), "--db", str(db), "--out", str(out_dir), "--quiet"]
        ),
        out_dir=out_dir,
        db=db,
    )


def _events(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines, "no events on stdout"
    return [json.loads(line) for line in lines]  # every line must be one JSON object


def _check_actor(actor: dict[str, Any]) -> None:
    assert actor.keys() >= ACTOR_FIELDS
    assert actor["text"] and actor["code"]


def test_code_writes_documented_event_records_with_the_record_ids(runs: Runs) -> None:
    events = _events(runs.code_file)
    assert {e["doc_id"] for e in events} == {g["id"] for g in GOOD}
    texts = {g["id"]: g["text"] for g in GOOD}
    for event in events:
        assert event.keys() >= EVENT_FIELDS, EVENT_FIELDS - event.keys()
        _check_actor(event["source"])
        if event["target"] is not None:
            _check_actor(event["target"])
        assert event["plover"].keys() >= PLOVER_FIELDS
        assert event["cameo"].isdigit() and event["quad_class"] in {1, 2, 3, 4}
        assert -10.0 <= event["goldstein"] <= 10.0 and 0.0 < event["confidence"] <= 1.0
        assert event["mentions"] >= 1
        # One-sentence records: offsets point into the record's text.
        text = texts[event["doc_id"]]
        assert text[event["sentence_start"] : event["sentence_end"]] == event["sentence"]
        trigger = event["trigger"]
        assert text[trigger["start"] : trigger["end"]] == trigger["text"]
    meeting = [e for e in events if e["doc_id"] == "chile-peru-1"]
    assert any(
        e["source"]["country"] == "CHL"
        and (e["target"] or {}).get("country") == "PER"
        and e["plover"]["type"] == "CONSULT"
        and e["date"] == "2023-03-09"  # "on Thursday" before Friday 10 March
        and e["date_precision"] == "day"
        for e in meeting
    ), meeting


def test_code_reports_bad_records_by_line_and_goes_on(runs: Runs) -> None:
    assert runs.code_file.exit_code == 0
    errors = runs.code_file.stderr.splitlines()
    assert len(errors) == 2, errors
    assert f"{runs.records_path}:2: [T104]" in errors[0]
    assert f"{runs.records_path}:4: [T105]" in errors[1] and "no-text" in errors[1]
    assert "T10" not in runs.code_file.stdout


@pytest.mark.parametrize("which", ["code_dash", "code_no_argument"])
def test_code_reads_standard_input(runs: Runs, which: str) -> None:
    result: Result = getattr(runs, which)
    events = _events(result)
    assert {e["doc_id"] for e in events} == {"ghana-togo-2"}
    assert any(e["source"]["country"] == "GHA" for e in events), events
    assert result.stderr == ""


def test_code_on_a_missing_file_is_a_one_line_error(runs: Runs) -> None:
    result = runs.code_missing
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "T101" in result.stderr and "absent.jsonl" in result.stderr
    assert "Traceback" not in result.output


def test_evaluate_prints_precision_recall_f1(runs: Runs) -> None:
    result = runs.evaluate
    assert result.exit_code == 0, result.output
    for word in ("precision", "recall", "F1", "CONSULT", "ACCUSE"):
        assert word in result.stdout


def test_evaluate_json_has_the_numbers(runs: Runs) -> None:
    assert runs.evaluate_json.exit_code == 0, runs.evaluate_json.output
    report = json.loads(runs.evaluate_json.stdout)
    assert report["counts"]["texts"] == len(GOLD)
    triples = report["triples"]
    for name in ("precision", "recall", "f1"):
        assert 0.0 <= triples[name] <= 1.0
    # Four plain sentences, one event each: the coder should get most of them.
    assert triples["matched"] >= 3, triples
    assert triples["recall"] == pytest.approx(triples["matched"] / triples["gold"])


def test_evaluate_on_a_missing_gold_file_is_a_one_line_t701_error(runs: Runs) -> None:
    result = runs.evaluate_missing
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "T701" in result.output and "Traceback" not in result.output


def test_extract_writes_and_stores_the_events_of_its_documents(runs: Runs) -> None:
    result = runs.extract
    assert result.exit_code == 0, result.output
    documents = [
        json.loads(line)
        for line in (runs.out_dir / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    events = [
        json.loads(line)
        for line in (runs.out_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(documents) == 1 and events
    assert {e["doc_id"] for e in events} <= {d["doc_id"] for d in documents}
    with Store(runs.db) as store:
        assert store.count("events") == len(events)
    summary = json.loads((runs.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["events"] == len(events) and summary["coded"] == 1
    assert "events.jsonl" in result.stdout
    events_row = [line for line in result.stdout.splitlines() if " events " in line]
    assert events_row and str(len(events)) in events_row[0]


@pytest.mark.parametrize("command", ["code", "evaluate"])
def test_new_commands_have_help_and_are_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"thucydides {command}" in readme

"""One poison record never stops a run: lone surrogates, extreme dates, text over spaCy's
max_length, Rich markup and control characters, file names that are not UTF-8, and a seeded fuzz
of mutated records. Through the real entry points, with the real spaCy model. Texts invented here.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import thucydides
from thucydides.cli import app
from thucydides.coder import Coder, text_document
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import load_settings
from thucydides.types import Rejection

SURROGATE = "Russia attacked Ukraine \udcff on Monday."


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def test_lone_surrogate_is_coded_by_code() -> None:
    events = thucydides.code(SURROGATE, "2024-01-01")
    assert [(e.source.country, e.target.country) for e in events] == [("RUS", "UKR")]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Russia will attack Ukraine next week.", "9999-12-31"),
        ("Russia attacked Ukraine last Monday.", "0001-01-01"),
    ],
)
def test_extreme_publication_dates(coder: Coder, text: str, published: str) -> None:
    [events] = coder.code_texts([(text, published, "far")])
    assert events and all(e.source.country == "RUS" for e in events)


def test_text_over_max_length_is_rejected_and_the_rest_coded(coder: Coder) -> None:
    long_text = " ".join(["Chile criticised Peru on Monday."] * 40)
    documents = [
        text_document("Ghana's president visited Togo on Wednesday.", "2023-06-10", "good-1"),
        text_document(long_text, "2023-06-10", "too-long"),
        text_document("Japan's prime minister criticised China.", "2023-06-10", "good-2"),
    ]
    limit = coder.parser.nlp.max_length
    coder.parser.nlp.max_length = 500
    try:
        results = list(coder.code_documents(documents, on_error="skip"))
    finally:
        coder.parser.nlp.max_length = limit
    by_id = {d.doc_id: r for d, r in results}
    assert isinstance(by_id["too-long"], Rejection) and by_id["too-long"].code == "T302"
    assert not isinstance(by_id["good-1"], Rejection) and by_id["good-1"]
    assert not isinstance(by_id["good-2"], Rejection)


def test_cli_code_poison_file_no_traceback(tmp_path: Path) -> None:
    records = [
        {"id": "[/x]", "text": SURROGATE, "date": "2024-01-01"},
        {"id": "far", "text": "Russia will attack Ukraine next week.", "date": "9999-12-31"},
        {"id": "[link=http://example.com]x", "date": "2024-01-01"},  # no text: rejected
        {
            "id": "good",
            "text": "Ghana's president visited Togo on Wednesday.",
            "date": "2023-06-10",
        },
    ]
    path = tmp_path / "poison.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\x1b]0;title\x07\n")
    result = CliRunner().invoke(app, ["code", str(path)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    ids = {json.loads(line)["doc_id"] for line in result.stdout.splitlines()}
    assert {"[/x]", "far", "good"} <= ids
    assert "\x1b" not in result.stderr and "rejected" in result.stderr


def test_error_line_with_markup_in_the_file_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["code", str(tmp_path / "[/x].jsonl")])
    assert result.exit_code == 1
    assert "[/x].jsonl" in result.stderr and "Traceback" not in result.output


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")
def test_extract_file_name_not_utf8_and_surrogate_text(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    record = {"id": "a", "text": SURROGATE + " The battle went on near the border for days."}
    name = os.fsdecode(b"caf\xe9.jsonl")
    (inputs / name).write_text(json.dumps(record) + "\n", encoding="utf-8")
    (inputs / os.fsdecode(b"empty\xff.txt")).write_bytes(b"")
    settings = load_settings(db=str(tmp_path / "store.duckdb"))
    summary = extract([str(inputs)], settings, ExtractOptions(out_dir=tmp_path / "out"))
    assert summary.stored == 1 and summary.rejected == 1 and summary.events >= 1
    [reject] = _records(tmp_path / "out" / "rejects.jsonl")
    assert reject["location"].endswith("empty\\xff.txt")
    [document] = _records(tmp_path / "out" / "documents.jsonl")
    assert document["location"].endswith("caf\\xe9.jsonl:1")
    assert "\ufffd" in document["body"]


def _records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _mutated(rng: random.Random, text: str) -> str:
    poisons = ["\udcff", "\ud800", "\x00", "\x1b]0;x\x07", "[/b]", "[link=x]", "\u202e", "\ufeff"]
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(poisons))
    if rng.random() < 0.2:
        chars = [c for c in chars if rng.random() > 0.3]
    return "".join(chars)


def test_seeded_fuzz_of_mutated_records(coder: Coder) -> None:
    rng = random.Random(11)
    base = [
        "Russia attacked Ukraine last Monday.",
        "Chile will meet Peru next week in Lima.",
        "The president of Ghana visited Togo two days ago.",
    ]
    dates = ["9999-12-31", "0001-01-01", "2024-02-29", None, "not a date", "9999-12-25"]
    items = [(_mutated(rng, rng.choice(base)), rng.choice(dates), f"fuzz-{k}") for k in range(60)]
    documents = [text_document(text, date, doc_id) for text, date, doc_id in items]
    results = list(coder.code_documents(documents, on_error="skip"))
    assert len(results) == len(items)
    for _, outcome in results:  # a record may be rejected with a code, never crash the run
        if isinstance(outcome, Rejection):
            assert outcome.code.startswith("T3")
        else:
            for event in outcome:
                json.dumps(event.to_record(), ensure_ascii=False).encode("utf-8")


def test_error_line_shows_control_characters_not_sends_them(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["code", str(tmp_path / "x\x1b]0;owned\x07.jsonl")])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "x\\x1b]0;owned\\x07.jsonl" in result.stderr

"""One bad record never stops a run: lone surrogates, texts past spaCy's max_length, extreme
publication dates, and a document the parser fails on are coded, cut, or rejected with a code
naming the record, and the records around them come through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.coder import Coder, code, text_document
from thucydides.nlp import resolve_model_name
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store
from thucydides.types import Rejection

GOOD = "Kenyan police arrested six Somali nationals in Mombasa on Wednesday."
SURROGATE = "Russia attacked Ukraine \udcff on Monday."


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def _cli(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "thucydides.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_lone_surrogates_are_replaced_not_fatal_in_code_and_extract(tmp_path: Path) -> None:
    # json.dumps writes the surrogate as the escape "\udcff": valid JSON, no character.
    lines = [
        json.dumps({"id": "s1", "text": SURROGATE, "title": "t \ud800", "date": "2024-05-08"}),
        json.dumps({"id": "g1", "text": GOOD, "date": "2024-05-10"}),
    ]
    result = _cli("code", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert {e["doc_id"] for e in events} == {"s1", "g1"}
    assert "\ufffd" in next(e["sentence"] for e in events if e["doc_id"] == "s1")

    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(db=str(tmp_path / "s.duckdb"))
    summary = extract([str(tmp_path / "in.jsonl")], settings, ExtractOptions(out_dir=tmp_path))
    assert summary.stored == 2 and summary.rejected == 0
    with Store(settings.db, read_only=True) as store:
        titles = store.query("SELECT title FROM documents ORDER BY title").column(0).to_pylist()
    assert "t \ufffd" in titles
    assert code(SURROGATE, "2024-05-08")  # the Python API too


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_extreme_publication_dates_do_not_overflow(coder: Coder, published: str) -> None:
    text = "Kenya will meet Somalia next week. Kenya met Somalia last Monday. " + GOOD
    events = coder.code_text(text, published)
    assert events  # coded; a date that would fall outside the calendar is just not resolved
    result = _cli("code", stdin=json.dumps({"id": "x", "text": text, "date": published}) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_a_text_past_the_parsers_max_length_is_parsed_in_pieces() -> None:
    nlp = spacy.load(resolve_model_name(Settings().model))
    nlp.max_length = 4_000  # spaCy refuses longer texts (E088): a real article can be longer
    small = Coder(nlp=nlp)
    sentence = "Kenya accused Somalia of shelling the border town on Monday. "
    text = sentence * 200  # 12,400 characters, every sentence kept for parsing
    events = small.code_text(text, "2024-05-08")
    assert events, "no events from a long text"
    assert {e.sentence for e in events} == {sentence.strip()}
    # one long 'sentence' with no stop in it is cut at spaces
    table = " ".join(["Kenya"] * 3_000)
    assert isinstance(small.code_text(table + ". " + sentence, "2024-05-08"), list)


@Language.component("explodes_on_marker")
def _explodes_on_marker(doc: Any) -> Any:
    if "XYZZY" in doc.text:
        raise RuntimeError("the parser met something it cannot handle")
    return doc


def test_a_document_the_parser_fails_on_is_rejected_and_the_rest_coded() -> None:
    nlp = spacy.load(resolve_model_name(Settings().model))
    nlp.add_pipe("explodes_on_marker", last=True)
    coder = Coder(nlp=nlp)
    documents = [
        text_document(GOOD, "2024-05-10", "before"),
        text_document("XYZZY: Kenya accused Somalia of shelling a town.", "2024-05-10", "bad"),
        text_document(GOOD.replace("Kenyan", "Ugandan"), "2024-05-10", "after"),
    ]
    results = dict(
        (document.doc_id, events)
        for document, events in coder.code_documents(documents, on_error="skip")
    )
    assert isinstance(results["bad"], Rejection)
    assert results["bad"].code == "T302" and results["bad"].location == "bad"
    assert results["before"] and results["after"]
    with pytest.raises(RuntimeError):
        list(coder.code_documents(documents, on_error="raise"))


def _deep_page(depth: int, text: str) -> str:
    return f"<html><body>{'<div>' * depth}<p>{text}</p>{'</div>' * depth}</body></html>"


# One record of each poison kind: (id, the line as written, what must become of it). "doc": it
# comes through as a document (repaired or as it is); a code: it is rejected with that code,
# named by its line.
_POISON_LINES: list[tuple[str, str, str]] = [
    ("surrogate", json.dumps({"id": "surrogate", "text": SURROGATE, "title": "t \ud800"}), "doc"),
    ("markup-id", json.dumps({"id": "[/x]", "text": GOOD.replace("six", "two")}), "doc"),
    ("link-id", json.dumps({"id": "[link=https://x.example]y[/link]", "text": ""}), "T105"),
    ("far-future", json.dumps({"id": "far", "text": "Kenya will meet Somalia next week. "
                               + GOOD, "date": "9999-12-31"}), "doc"),
    ("far-past", json.dumps({"id": "past", "text": "Kenya met Somalia last Monday. "
                             + GOOD, "date": "0001-01-01"}), "doc"),
    ("escape", json.dumps({"id": "esc\x1b]0;owned\x07", "text": "\x1b]0;owned\x07" + GOOD}),
     "doc"),
    ("nul", json.dumps({"id": "nul", "text": GOOD.replace(" ", "\x00", 2)}), "doc"),
    ("long", json.dumps({"id": "long", "text": "Kenya accused Somalia of shelling the border "
                         "town on Monday. " * 300, "date": "2024-05-08"}), "doc"),
    ("parser", json.dumps({"id": "parser", "text": "XYZZY: Kenya accused Somalia of shelling "
                           "a town.", "date": "2024-05-10"}), "T302"),
    ("deep-html", json.dumps({"id": "deep", "html": _deep_page(400, GOOD)}), "doc"),
    ("number-text", json.dumps({"id": "n", "text": 12345}), "T105"),
    ("list", json.dumps([GOOD]), "T104"),
    ("cut", '{"id": "cut", "text": "Kenya accused', "T104"),
    ("bad-date", json.dumps({"id": "d", "text": GOOD, "date": {"year": 10**400 > 0}}), "doc"),
    ("id-object", json.dumps({"id": {"a": [1, {"b": None}]}, "text": GOOD.replace("six", "nine")}),
     "doc"),
]  # fmt: skip


def test_one_file_of_every_poison_among_good_records_through_extract(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    goods = [
        json.dumps({"id": f"good-{n}", "text": text, "date": "2024-05-10"})
        for n, text in enumerate(
            [
                GOOD,
                "Uganda signed a trade agreement with Rwanda in Kigali on Tuesday.",
                "Ethiopia accused Eritrea of moving troops to the border, officials said.",
            ]
        )
    ]
    lines: list[str] = []
    expected: dict[int, str] = {}  # line number -> "doc" or a code
    for n, (_, line, outcome) in enumerate(_POISON_LINES):
        if n % 5 == 0:
            lines.append(goods[n // 5])
            expected[len(lines)] = "doc"
        lines.append(line)
        expected[len(lines)] = outcome
    (inputs / "poison.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A name that is not UTF-8 is a file's name: a good article under one.
    name = os.fsdecode(b"[red]caf\xe9.txt")
    (inputs / name).write_text("Tanzania and Kenya agreed to open a new border post.\n")

    nlp = spacy.load(resolve_model_name(Settings().model))
    nlp.max_length = 4_000  # spaCy refuses longer texts (E088): "long" is 18,000 characters
    nlp.add_pipe("explodes_on_marker", last=True)
    settings = Settings(db=str(tmp_path / "s.duckdb"))
    out = tmp_path / "out"
    summary = extract([str(inputs)], settings, ExtractOptions(out_dir=out), coder=Coder(nlp=nlp))

    documents = {d["location"]: d for d in _jsonl(out / "documents.jsonl")}
    rejects = {r["location"]: r for r in _jsonl(out / "rejects.jsonl")}
    label = str(inputs / "poison.jsonl")
    for number, outcome in expected.items():
        where = f"{label}:{number}"
        if outcome == "doc":
            assert where in documents, (where, rejects.get(where))
        else:
            assert rejects[where]["code"] == outcome, (where, rejects.get(where))
    assert any(location.endswith("[red]caf\\xe9.txt") for location in documents)
    assert summary.rejected == len(rejects) == sum(o != "doc" for o in expected.values())
    with Store(settings.db, read_only=True) as store:
        stored = set(store.query("SELECT record_id FROM documents").column(0).to_pylist())
    assert {f"good-{n}" for n in range(3)} <= stored and "[/x]" in stored

    # The CLI on the same directory: one line per rejection, markup and escapes shown as text.
    result = CliRunner().invoke(
        app, ["extract", str(inputs), "--db", str(tmp_path / "cli.duckdb"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "\x1b" not in result.output
    assert "[link=https://x.example]y[/link]" in result.output  # printed, not a hyperlink


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

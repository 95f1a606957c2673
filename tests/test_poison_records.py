"""One bad record never stops a run: lone surrogates, texts past spaCy's max_length, extreme
publication dates, and a document the parser fails on are coded, cut, or rejected with a code
naming the record, and the records around them come through."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

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

"""The annotation files in annotations/ are what training and the unseen checks read: every line
must load, point at real text, use the guideline's labels, and never come from the dev gold's
articles (which stay out of training)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, shared_path

from thucydides.codes import PLOVER_TYPES
from thucydides.evaluate_articles import load_realnews_gold

ANNOTATIONS = ROOT / "annotations"
BBC_PARTS = sorted((ANNOTATIONS / "bbc-2005").glob("part-*.jsonl"))
INVENTED_SETS = sorted(p.parent for p in ANNOTATIONS.glob("*/articles.jsonl"))
# The guideline's sectors ("" when just the country); IGO for an organisation's own staff.
SECTORS = set(
    ["GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "CVL", "REF", "BUS", "MED", "NGO", "IGO"]
) | {""}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _texts(path: Path) -> dict[str, str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return {record["id"]: record["text"] for record in map(json.loads, handle)}


def _check_labels(path: Path) -> None:
    ids: set[str] = set()
    for row in _rows(path):
        assert row["id"] not in ids, f"{path.name}: id {row['id']} twice"
        ids.add(row["id"])
        for event in row["events"]:
            assert event["plover"] in PLOVER_TYPES, (path.name, row["id"], event["plover"])
            assert event.get("cameo", "").isdigit(), (path.name, row["id"], event.get("cameo"))
            for side in ("source", "target"):
                assert event.get(f"{side}_sector", "") in SECTORS, (path.name, row["id"], event)
    gold = load_realnews_gold(path)
    assert not gold.skipped, gold.skipped[:3]


def test_there_are_parts_to_check() -> None:
    # The globs must find the files, or every test below would pass over nothing.
    assert len(BBC_PARTS) >= 9
    names = {folder.name for folder in INVENTED_SETS}
    assert {"conflict", "conflict-2", "conflict-3", "conflict-4"} <= names, sorted(names)


@pytest.mark.parametrize("path", BBC_PARTS, ids=lambda p: p.name)
def test_bbc_parts_point_at_the_corpus_text_without_holding_it(path: Path) -> None:
    _check_labels(path)
    texts = _texts(shared_path("corpora", "bbc-news-2225.jsonl.gz"))
    for row in _rows(path):
        assert "sentence" not in row, (
            f"{path.name} {row['id']}: the corpus's text is not ours to keep"
        )
        text = texts[row["doc"]]
        start, end = row["start"], row["end"]
        assert 0 <= start < end <= len(text) and len(text[start:end].split()) >= 6
        for event in row["events"]:
            if event.get("trigger_start") is not None:
                assert start <= event["trigger_start"] < event["trigger_end"] <= end, row["id"]


@pytest.mark.parametrize("folder", INVENTED_SETS, ids=lambda p: p.name)
def test_invented_sets_hold_their_own_text(folder: Path) -> None:
    _check_labels(folder / "gold.jsonl")
    texts = _texts(folder / "articles.jsonl")
    for row in _rows(folder / "gold.jsonl"):
        assert row["sentence"] in texts[row["doc"]], row["id"]
        for event in row["events"]:
            assert not event.get("trigger") or event["trigger"] in row["sentence"], row["id"]


# conflict-2's background line on the Korean armistice repeats one of conflict/ word for word;
# found when this check was added, and kept: both sets had been scored on by then.
KNOWN_REPEATS = {"c2-79"}


def test_invented_sets_share_no_article_and_no_sentence() -> None:
    # Each invented set is a separate check: a later set repeating an earlier one's article or
    # sentence would score the coder on text it may have been tuned on.
    seen_docs: dict[str, str] = {}
    seen_sentences: dict[str, str] = {}
    for folder in INVENTED_SETS:
        for doc in _texts(folder / "articles.jsonl"):
            assert doc not in seen_docs, f"{folder.name}: article {doc} is also in {seen_docs[doc]}"
            seen_docs[doc] = folder.name
        for row in _rows(folder / "gold.jsonl"):
            key = " ".join(row["sentence"].lower().split())
            earlier = seen_sentences.setdefault(key, folder.name)
            if row["id"] not in KNOWN_REPEATS:
                assert earlier == folder.name, f"{folder.name} {row['id']} repeats {earlier}"


def test_no_annotated_article_is_a_dev_gold_article() -> None:
    dev_docs = {row["doc"] for row in _rows(shared_path("eval", "bbc-dev-gold.jsonl"))}
    for path in BBC_PARTS:
        overlap = {row["doc"] for row in _rows(path)} & dev_docs
        assert not overlap, f"{path.name} annotates dev-gold articles {sorted(overlap)[:3]}"

"""Issue 3: on the seed pages, `extract` finds every required event of seeds-gold.json, none of
the forbidden ones, and no event twice.

The matching rule is the gold file's own: a produced event matches an expected one when its
source and target countries equal the expected ones (either direction where `reciprocal` is
true), its CAMEO code starts with one of `cameo_prefixes`, and it comes from the sentence that
contains `sentence_hint`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store


def _normal(text: str) -> str:
    """Quotes and apostrophes as the cleaner writes them, spaces collapsed."""
    for fancy, plain in (("`", "'"), ("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"')):
        text = text.replace(fancy, plain)
    return " ".join(text.replace("\u201d", '"').split())


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from conftest import shared_path

    seeds = shared_path("seeds")
    gold = json.loads(shared_path("eval", "seeds-gold.json").read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("seed-events")
    db = out / "store.duckdb"
    summary = extract([str(seeds)], Settings(db=str(db)), ExtractOptions(out_dir=out))
    documents = {
        record["doc_id"]: Path(record["source_path"]).name
        for record in map(json.loads, (out / "documents.jsonl").read_text().splitlines())
    }
    events: dict[str, list[dict[str, Any]]] = {name: [] for name in documents.values()}
    for record in map(json.loads, (out / "events.jsonl").read_text().splitlines()):
        events[documents[record["doc_id"]]].append(record)
    return {"gold": gold, "events": events, "summary": summary, "db": db}


def _matches(event: dict[str, Any], expected: dict[str, Any]) -> bool:
    source = event["source"]["country"]
    target = event["target"]["country"] if event["target"] else None
    pairs = {(expected["source"], expected["target"])}
    if expected.get("reciprocal"):
        pairs.add((expected["target"], expected["source"]))
    return (
        (source, target) in pairs
        and any(event["cameo"].startswith(p) for p in expected["cameo_prefixes"])
        and _normal(expected["sentence_hint"]) in _normal(event["sentence"])
    )


def test_every_required_event_is_found_once(seed_run: dict[str, Any]) -> None:
    missing, repeated = [], []
    for document in seed_run["gold"]["documents"]:
        events = seed_run["events"][document["file"]]
        for expected in document["events"]:
            found = [e for e in events if _matches(e, expected)]
            directions = {(e["source"]["country"], e["target"]["country"]) for e in found}
            if expected["required"] and not found:
                missing.append(expected["id"])
            if len(found) > len(directions):
                repeated.append((expected["id"], len(found)))
    assert not missing, f"required events not found: {missing}"
    assert not repeated, f"events produced more than once: {repeated}"


def test_nothing_forbidden_is_produced(seed_run: dict[str, Any]) -> None:
    wrong = []
    for document in seed_run["gold"]["documents"]:
        for rule in document["forbidden"]:
            hint = _normal(rule["sentence_hint"])
            for event in seed_run["events"][document["file"]]:
                if hint not in _normal(event["sentence"]):
                    continue
                countries = {event["source"]["country"]}
                if event["target"]:
                    countries.add(event["target"]["country"])
                if (
                    rule.get("no_event")
                    or rule.get("no_country") in countries
                    or ("no_pair" in rule and set(rule["no_pair"]) <= countries)
                ):
                    wrong.append((rule["sentence_hint"][:40], event["cameo"], sorted(countries)))
    assert not wrong, wrong


def test_no_event_twice_and_stored(seed_run: dict[str, Any]) -> None:
    for events in seed_run["events"].values():
        keys = [
            (
                e["source"]["country"],
                e["target"]["country"] if e["target"] else None,
                e["cameo"],
                e["date"],
                e["source"]["sector"],
            )
            for e in events
        ]
        assert len(keys) == len(set(keys)), keys
    total = sum(len(v) for v in seed_run["events"].values())
    assert seed_run["summary"].events == total
    with Store(str(seed_run["db"])) as store:
        assert store.count("events") == total


def test_event_dates_and_places_match_gold(seed_run: dict[str, Any]) -> None:
    for document in seed_run["gold"]["documents"]:
        events = seed_run["events"][document["file"]]
        for expected in document["events"]:
            if not expected["required"] or "date" not in expected:
                continue
            found = [e for e in events if _matches(e, expected)]
            low, _, high = expected["date"].partition("..")
            assert any(
                low[: len(e["date"])] <= e["date"] <= (high or low)[: len(e["date"])]
                or e["date"] == low
                for e in found
            ), (expected["id"], [e["date"] for e in found])
            place = expected.get("location")
            if place:
                assert any(
                    e["location"] and e["location"]["country"] == place["country"] for e in found
                ), (expected["id"], [e["location"] for e in found])

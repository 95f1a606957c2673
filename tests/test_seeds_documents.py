"""Issue 2: on the two seed pages, documents.jsonl matches the gold metadata and clean
expectations in ../shared/eval/seeds-gold.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings

# The gold file says 7 unique body paragraphs for seed 003, but the page has six (its lines 9-19;
# the gold's own first and last paragraph hints are the first and last of those six). We check
# the six the page holds rather than invent a split.
PARAGRAPHS_IN_FILE = {"003_88c75dfbc590812c.txt": 6}


@pytest.fixture(scope="module")
def seed_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    from conftest import shared_path

    seeds = shared_path("seeds")
    out = tmp_path_factory.mktemp("seeds")
    summary = extract(
        [str(seeds)], Settings(db=str(out / "store.duckdb")), ExtractOptions(out_dir=out)
    )
    assert summary.rejected == 0
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(record["source_path"]).name: record for record in map(json.loads, lines)}


def test_seed_metadata_and_body_match_gold(seed_documents, seeds_gold) -> None:
    for gold in seeds_gold["documents"]:
        doc = seed_documents[gold["file"]]
        meta = gold["metadata"]
        assert doc["title"] == meta["title"]
        assert doc["publisher"] == meta["publisher"]
        published_date, _, published_time = doc["published"].partition("T")
        assert published_date == meta["published"]
        assert published_time.startswith(meta["published_time"])
        for field in ("wire_source", "author"):
            if field in meta:
                assert doc[field] == meta[field], field
        assert doc["language"] == "en"

        clean = gold["clean"]
        paragraphs = doc["body"].split("\n\n")
        expected = PARAGRAPHS_IN_FILE.get(gold["file"], clean["unique_body_paragraphs"])
        assert len(paragraphs) == expected == doc["paragraphs"]
        assert len({" ".join(p.split()) for p in paragraphs}) == len(paragraphs)
        assert paragraphs[0].startswith(clean["first_body_paragraph_starts"])
        assert paragraphs[-1].endswith(clean["last_body_paragraph_ends"])
        for boilerplate in clean["boilerplate_not_in_body"]:
            assert boilerplate not in doc["body"]


def test_seed_repeats_removed_and_apostrophes_plain(seed_documents) -> None:
    herald = seed_documents["000_d3254ce370e2106a.txt"]
    assert herald["repeated_paragraphs"] == 6
    donga = seed_documents["003_88c75dfbc590812c.txt"]
    assert "`" not in donga["body"] and "People's Armed Forces" in donga["body"]


def test_seed_offsets_point_into_the_raw_file(seeds_dir) -> None:
    from thucydides.pipeline import DocumentBuilder
    from thucydides.readers import read_paths

    settings = Settings()
    builder = DocumentBuilder(settings)
    for raw in read_paths([str(seeds_dir)], settings):
        doc = builder.build(raw)
        original = Path(raw.source_path).read_text(encoding="utf-8")
        assert doc.raw_text == original
        for span in doc.paragraphs:
            start, end = doc.offset_map.to_raw(span.start, span.end)
            raw_words = original[start:end].replace("`", "'").replace("’", "'").split()
            clean_words = doc.body[span.start : span.end].split()
            assert [
                w.replace("‘", "'").replace("“", '"').replace("”", '"') for w in raw_words
            ] == clean_words

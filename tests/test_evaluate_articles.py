"""Scoring whole articles against sentence-level gold (thucydides evaluate --articles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.errors import InputError
from thucydides.evaluate_articles import (
    load_realnews_gold,
    pair_triples,
    sentence_spans,
)

# An invented article: the second sentence needs the first to know who "they" are.
ARTICLE = (
    "Peru recalls envoy\n\n"
    "Peru recalled its ambassador from Bolivia on Monday after a border incident.\n\n"
    "Chilean officials said nothing about the dispute.\n\n"
    "The weather in Lima was mild for the season.\n\n"
    "Ecuador condemned Colombia over the raid on its territory."
)
GOLD = [
    {
        "id": "t-1",
        "doc": "a1",
        "date": "2019-05-06",
        "sentence": "Peru recalled its ambassador from Bolivia on Monday after a border incident.",
        "events": [{"source": "PER", "target": "BOL", "plover": "SANCTION", "cameo": "161"}],
    },
    {
        "id": "t-2",
        "doc": "a1",
        "date": "2019-05-06",
        "sentence": "The weather in Lima was mild for the season.",
        "events": [],
    },
    {
        "id": "t-3",
        "doc": "a1",
        "date": "2019-05-06",
        # Typography differs from the article: matching is on letters and digits only.
        "sentence": "Ecuador  condemned Colombia over the raid on its territory",
        "events": [{"source": "ECU", "target": "", "plover": "ACCUSE", "cameo": "122"}],
    },
]


def write(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g) for g in GOLD) + "\n", encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        json.dumps({"id": "a1", "text": ARTICLE, "date": "2019-05-06"})
        + "\n"
        + json.dumps({"id": "other", "text": "Not in the gold."})
        + "\n",
        encoding="utf-8",
    )
    return gold, articles


def test_gold_sentences_are_found_by_normalised_text() -> None:
    spans = sentence_spans(ARTICLE, ["ECUADOR condemned Colombia over the raid", "absent here"])
    assert spans[1] is None
    assert spans[0] is not None
    start, end = spans[0]
    assert ARTICLE[start:end] == "Ecuador condemned Colombia over the raid"


def test_pairing_is_one_to_one_and_empty_gold_codes_match_anything() -> None:
    matched, missed, spurious = pair_triples(
        [("PER", "", "ACCUSE"), ("PER", "BOL", "ACCUSE")],
        [("PER", "BOL", "ACCUSE"), ("PER", None, "ACCUSE"), ("PER", "BOL", "SANCTION")],
    )
    # The exact gold triple takes the exact prediction; the wildcard takes the monadic one.
    assert [p for _, p in matched] == [("PER", "BOL", "ACCUSE"), ("PER", None, "ACCUSE")]
    assert missed == []
    assert spurious == [("PER", "BOL", "SANCTION")]
    # A gold target must be predicted: a monadic event does not match it.
    assert pair_triples([("PER", "BOL", "ACCUSE")], [("PER", None, "ACCUSE")])[0] == []


def test_bad_gold_lines_are_listed_and_an_empty_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(
        '{"doc": "a", "sentence": "x", "events": []}\nnot json\n[1]\n{"doc": "a"}\n',
        encoding="utf-8",
    )
    gold = load_realnews_gold(path)
    assert len(gold.sentences) == 1
    assert len(gold.skipped) == 3
    assert all(s.startswith("T702 ") and str(path) in s for s in gold.skipped)
    path.write_text("{}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no usable gold sentence"):
        load_realnews_gold(path)
    with pytest.raises(InputError, match="no such file"):
        load_realnews_gold(tmp_path / "missing.jsonl")


def test_cli_codes_whole_articles_and_scores_by_sentence(tmp_path: Path) -> None:
    gold, articles = write(tmp_path)
    result = CliRunner().invoke(
        app, ["evaluate", str(gold), "--articles", str(articles), "--json", "--errors", "5"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sentences"] == 3
    assert report["sentences_not_found"] == 0
    assert report["gold"] == 2
    assert report["no_event_sentences"] == 1
    assert report["kept_empty"] == 1.0
    # Both events are found: the recall and the wildcard target.
    assert report["matched"] == 2, report["errors"]
    assert report["per_type"]["SANCTION"]["matched"] == 1
    assert report["thresholds"][0]["min_confidence"] == 0.0


def test_gold_kept_as_offsets_reads_its_sentences_from_the_articles(tmp_path: Path) -> None:
    """Gold without the corpus's words (start/end in the article text) scores the same as the
    gold with them, after scripts/gold_offsets.py turned one into the other."""
    import subprocess
    import sys

    gold, articles = write(tmp_path)
    # The script finds sentences byte for byte: give it the article's own typography.
    rows = [dict(g) for g in GOLD]
    rows[2]["sentence"] = "Ecuador condemned Colombia over the raid on its territory."
    gold.write_text("\n".join(json.dumps(g) for g in rows) + "\n", encoding="utf-8")
    offsets = tmp_path / "offsets.jsonl"
    script = Path(__file__).parent.parent / "scripts" / "gold_offsets.py"
    done = subprocess.run(
        [sys.executable, str(script), str(gold), str(articles), "-o", str(offsets)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in offsets.read_text(encoding="utf-8").splitlines()]
    assert all("sentence" not in line for line in lines)
    assert all("trigger" not in event for line in lines for event in line["events"])
    assert ARTICLE[lines[0]["start"] : lines[0]["end"]] == rows[0]["sentence"]

    def scores(path: Path) -> dict[str, object]:
        result = CliRunner().invoke(
            app, ["evaluate", str(path), "--articles", str(articles), "--json"]
        )
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        return {k: report[k] for k in ("sentences", "gold", "matched", "predicted")}

    assert scores(offsets) == scores(gold)
    # Offsets beyond the article are named, and the line is left out.
    lines[1]["end"] = len(ARTICLE) + 50
    offsets.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["evaluate", str(offsets), "--articles", str(articles), "--json"]
    )
    report = json.loads(result.output)
    assert report["sentences"] == 2
    assert any("t-2" in line and "not in article a1" in line for line in report["skipped"])


def test_cli_text_report_with_calibration(tmp_path: Path) -> None:
    gold, articles = write(tmp_path)
    result = CliRunner().invoke(
        app, ["evaluate", str(gold), "--articles", str(articles), "--calibration"]
    )
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "kept empty" in result.output
    assert "reliability" in result.output


def test_bbc_dev_gold() -> None:
    gold = shared_path("eval", "bbc-dev-gold.jsonl")
    articles = shared_path("corpora", "bbc-news-2225.jsonl.gz")
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--articles", str(articles), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sentences"] == 400 and report["sentences_not_found"] == 0
    assert report["gold"] == 135
    assert report["kept_empty"] > 0.9

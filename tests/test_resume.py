"""A run killed midway (SIGKILL) and started again ends with the same store as one that was not."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import SHARED

from thucydides.store import Store

COUNTRIES = [
    "Norway",
    "Chile",
    "Japan",
    "Nepal",
    "Canada",
    "Ghana",
    "Kenya",
    "Peru",
    "Egypt",
    "Spain",
    "Poland",
    "India",
    "Mexico",
    "Turkey",
    "Vietnam",
    "Morocco",
]
ACTIONS = [
    "signed a trade agreement with",
    "accused",
    "pledged aid to",
    "imposed sanctions on",
    "held talks with",
]
CITIES = ["Oslo", "Lima", "Cairo", "Madrid", "Warsaw"]


def _own_articles(folder: Path, count: int = 40) -> list[str]:
    """Invented articles, long enough that the output file is written as the run goes."""
    folder.mkdir()
    for i in range(count):
        a, b = COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i * 7 + 3) % len(COUNTRIES)]
        action, city = ACTIONS[i % len(ACTIONS)], CITIES[i % len(CITIES)]
        body = [f"{a} {action} {b} in {city} on Monday, officials said (report {i})."]
        body += [
            f"The ministers of {a} and {b} spoke for {j + 2} hours about roads, ports and "
            f"fishing quotas, and agreed to meet again in {CITIES[(i + j) % len(CITIES)]}."
            for j in range(8)
        ]
        (folder / f"story-{i:03d}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    return [str(folder)]


def _inputs(tmp: Path) -> list[str]:
    corpus = SHARED / "corpora" / "bbc-news-2225.jsonl.gz"
    if not corpus.is_file():
        return _own_articles(tmp / "in")
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        head = [next(lines) for _ in range(120)]
    source = tmp / "bbc.jsonl"
    source.write_text("".join(head), encoding="utf-8")
    return [str(source)]


def _command(inputs: list[str], db: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "thucydides.cli",
        "extract",
        *inputs,
        "--db",
        str(db),
        "--out",
        str(out),
        "--workers",
        "1",
        "--quiet",
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "THUCYDIDES_BATCH_SIZE": "5"}


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _snapshot(db: Path) -> dict[str, object]:
    with Store(db, read_only=True) as store:
        return {
            "documents": store.query(
                "SELECT doc_id, duplicate_of, story_id FROM documents ORDER BY doc_id"
            ).to_pylist(),
            "events": store.query(
                "SELECT event_id, doc_id, cameo FROM events ORDER BY event_id"
            ).to_pylist(),
            "clusters": store.count("event_clusters"),
            "cluster_members": store.count("event_cluster_members"),
        }


def test_killed_run_resumes_to_the_same_store(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    total = _lines(Path(inputs[0])) if inputs[0].endswith(".jsonl") else 40

    killed_db, killed_out = tmp_path / "killed.duckdb", tmp_path / "killed-out"
    run = subprocess.Popen(
        _command(inputs, killed_db, killed_out),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while _lines(killed_out / "documents.jsonl") < total // 4 and run.poll() is None:
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be killed"
    run.send_signal(signal.SIGKILL)
    run.wait()
    with Store(killed_db, read_only=True) as store:
        partial = store.count("documents")
    assert 0 < partial < total

    resumed = subprocess.run(
        _command(inputs, killed_db, killed_out),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    whole_db = tmp_path / "whole.duckdb"
    whole = subprocess.run(
        _command(inputs, whole_db, tmp_path / "whole-out"),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert whole.returncode == 0, whole.stderr

    got, want = _snapshot(killed_db), _snapshot(whole_db)
    assert len(got["documents"]) == len(want["documents"]) > partial  # type: ignore[arg-type]
    assert got == want
    assert want["events"] and want["clusters"]
    # The resumed run wrote every document and event to its output files, not only the new ones.
    summary = json.loads((killed_out / "summary.json").read_text())
    assert summary["already_stored"] == partial
    assert _lines(killed_out / "events.jsonl") == _lines(tmp_path / "whole-out" / "events.jsonl")

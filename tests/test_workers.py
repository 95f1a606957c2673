"""`extract --workers N` gives the same documents, events and store as one process."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_path

from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store
from thucydides.types import Rejection

TIMING = {"run_id", "added_at", "coded_at", "seq"}
# Invented wire stories: (file name, text). Each names two countries and an action.
STORIES = [
    (
        "a-talks.txt",
        "Norway and Chile signed a fishing agreement in Oslo on Monday, "
        "officials of both governments said.",
    ),
    (
        "b-protest.txt",
        "Thousands of farmers protested in Lima on Tuesday against a new tax, "
        "and police arrested twelve people near the parliament.",
    ),
    (
        "c-aid.txt",
        "Japan pledged emergency aid to Nepal on Wednesday after floods destroyed "
        "villages in the south of the country.",
    ),
    (
        "d-sanctions.txt",
        "Canada imposed sanctions on Belarus on Thursday, accusing its "
        "government of jailing opposition leaders.",
    ),
    (
        "e-visit.txt",
        "The president of Ghana visited Senegal on Friday to discuss a joint "
        "railway project, the foreign ministry said.",
    ),
    (
        "f-threat.txt",
        "Iran threatened to close the Strait of Hormuz on Saturday if the "
        "United States attacked its ships.",
    ),
    (
        "g-meeting.txt",
        "Ministers from Kenya and Uganda met in Kampala on Sunday to settle "
        "a dispute over fishing rights on Lake Victoria.",
    ),
    (
        "h-sport.txt",
        "Brazil beat Argentina 2-1 in the football final on Sunday after a late "
        "goal, and the coach praised the team.",
    ),
]
JSONL = [
    {
        "id": "w1",
        "title": "Peru and Bolivia agree",
        "date": "2024-03-01",
        "text": "Peru and Bolivia agreed on Friday to reopen their border crossing, "
        "the two governments said in a joint statement.",
    },
    {
        "id": "w2",
        "title": "Egypt mediates",
        "date": "2024-03-02",
        "text": "Egypt offered on Saturday to mediate between Sudan and Ethiopia in their "
        "dispute over the Nile dam.",
    },
]


def _write_articles(folder: Path) -> list[str]:
    folder.mkdir()
    for name, text in STORIES:
        (folder / name).write_text(text + "\n", encoding="utf-8")
    # An exact copy under another name (its events are reused, moved to its own doc_id).
    (folder / "i-copy.txt").write_text(STORIES[0][1] + "\n", encoding="utf-8")
    lines = [json.dumps(r) for r in JSONL]
    lines.insert(1, "{not json")  # a bad line: rejected, the run goes on
    lines.append(json.dumps({**JSONL[1], "id": "w3"}))  # same text, another record id
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(folder)]


def _records(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [
        json.dumps({k: v for k, v in r.items() if k not in TIMING}, sort_keys=True) for r in rows
    ]


def _table(store: Store, name: str, key: str) -> list[str]:
    rows = store.query(f"SELECT * FROM {name} ORDER BY {key}").to_pylist()
    return sorted(
        json.dumps({k: v for k, v in r.items() if k not in TIMING}, sort_keys=True, default=str)
        for r in rows
    )


def _run(inputs: list[str], tmp: Path, workers: int) -> tuple[Path, Settings]:
    settings = Settings(db=str(tmp / f"w{workers}.duckdb"), batch_size=4)
    out = tmp / f"out{workers}"
    extract(inputs, settings, ExtractOptions(out_dir=out, workers=workers, chunk_size=3))
    return out, settings


def _assert_same(tmp: Path, inputs: list[str]) -> dict[str, Any]:
    one, s1 = _run(inputs, tmp, 1)
    two, s2 = _run(inputs, tmp, 2)
    for name in ("documents.jsonl", "events.jsonl", "rejects.jsonl"):
        assert _records(one / name) == _records(two / name), name
    with Store(s1.db, read_only=True) as a, Store(s2.db, read_only=True) as b:
        for table, key in (
            ("documents", "doc_id"),
            ("events", "event_id"),
            ("rejections", "location"),
        ):
            assert _table(a, table, key) == _table(b, table, key), table
        assert a.count("event_clusters") == b.count("event_clusters")
    return json.loads((two / "summary.json").read_text())


def test_two_workers_same_as_one_on_own_articles(tmp_path: Path) -> None:
    summary = _assert_same(tmp_path, _write_articles(tmp_path / "in"))
    assert summary["exact_duplicates"] == 2 and summary["rejected"] == 1
    events = [json.loads(x) for x in (tmp_path / "out2" / "events.jsonl").read_text().splitlines()]
    docs = [json.loads(x) for x in (tmp_path / "out2" / "documents.jsonl").read_text().splitlines()]
    copy = next(d for d in docs if d["location"].endswith("i-copy.txt"))
    assert copy["duplicate_kind"] == "exact"
    assert any(e["doc_id"] == copy["doc_id"] for e in events)  # reused, under its own id
    assert summary["events"] > 0


@pytest.mark.shared
def test_two_workers_same_as_one_on_bbc(tmp_path: Path) -> None:
    corpus = shared_path("corpora", "bbc-news-2225.jsonl.gz")
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        head = [next(lines) for _ in range(60)]
    source = tmp_path / "bbc.jsonl"
    source.write_text("".join(head), encoding="utf-8")
    summary = _assert_same(tmp_path, [str(source)])
    assert summary["read"] == 60 and summary["events"] > 0


# -- a worker killed from outside (kill -9, the OOM killer) ----------------------------------

KILL_COUNTRIES = ["Norway", "Chile", "Japan", "Nepal", "Canada", "Ghana", "Kenya", "Peru"]


def _kill_inputs(folder: Path) -> int:
    """Distinct small stories, enough that the workers are busy for a while; their number."""
    folder.mkdir()
    count = 0
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"):
        for a in KILL_COUNTRIES:
            for b in KILL_COUNTRIES:
                if a == b:
                    continue
                count += 1
                (folder / f"{count:03}.txt").write_text(
                    f"{a} and {b} signed a trade agreement on {day} in story {count}, "
                    "officials said.\n",
                    encoding="utf-8",
                )
    return count


def _worker_pids(parent: int) -> list[int]:
    """The pool's worker processes under PARENT (spawned interpreters), found through /proc."""
    found: list[int] = []
    todo = [parent]
    while todo:
        pid = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                todo.append(child)
                try:
                    cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
                except OSError:
                    continue
                if b"spawn_main" in cmdline:
                    found.append(child)
    return found


def _extract_cli(inputs: Path, db: Path, out: Path) -> subprocess.Popen[str]:
    command = Path(sys.executable).with_name("thucydides")
    places = ["--db", str(db), "--out", str(out)]
    return subprocess.Popen(
        [str(command), "extract", str(inputs), *places, "--workers", "2", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_workers(run: subprocess.Popen[str], times: int, once: Path | None = None) -> int:
    """SIGKILL one worker of RUN at a time, up to TIMES times; how many were killed. With ONCE,
    the first kill waits until that file is not empty: the first results have come back, so
    the workers are past loading the model and each holds a chunk."""
    killed: set[int] = set()
    while run.poll() is None and len(killed) < times:
        pids = [p for p in _worker_pids(run.pid) if p not in killed]
        ready = once is None or (once.exists() and once.stat().st_size > 0)
        if not pids or not ready:
            time.sleep(0.05)
            continue
        try:
            os.kill(pids[0], signal.SIGKILL)
            killed.add(pids[0])
        except ProcessLookupError:
            pass
    return len(killed)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_one_worker_killed_the_chunk_is_done_again_and_all_is_stored(tmp_path: Path) -> None:
    count = _kill_inputs(tmp_path / "in")
    db = tmp_path / "killed.duckdb"
    started = time.monotonic()
    out = tmp_path / "out"
    run = _extract_cli(tmp_path / "in", db, out)
    try:
        assert _kill_workers(run, times=1, once=out / "documents.jsonl") == 1
        _, err = run.communicate(timeout=120)  # old code: waits forever for the dead worker
    finally:
        run.kill()
    assert run.returncode == 0, err
    assert time.monotonic() - started < 120
    with Store(str(db), read_only=True) as store:
        assert store.count("documents") == count


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_workers_that_keep_dying_stop_the_run_with_one_line_and_resume_works(
    tmp_path: Path,
) -> None:
    count = _kill_inputs(tmp_path / "in")
    db = tmp_path / "killed.duckdb"
    run = _extract_cli(tmp_path / "in", db, tmp_path / "out")
    try:
        _kill_workers(run, times=100)  # every worker, until the run gives up
        _, err = run.communicate(timeout=120)
    finally:
        run.kill()
    assert run.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "[T901]" in lines[0] and "resume" in lines[0], err
    assert "Traceback" not in err
    again = _extract_cli(tmp_path / "in", db, tmp_path / "out2")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    with Store(str(db), read_only=True) as store:
        assert store.count("documents") == count


def test_rejections_are_stored_by_count_not_only_with_a_batch_of_documents(
    tmp_path: Path,
) -> None:
    """A file of bad lines fills no batch of documents; its rejections must still be flushed
    (stored and let go) every batch_size, or a million of them pile up in memory."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-bad.jsonl").write_text("{not json\n" * 30, encoding="utf-8")
    (folder / "b-good.txt").write_text(STORIES[0][1] + "\n", encoding="utf-8")
    settings = Settings(db=str(tmp_path / "r.duckdb"), batch_size=4)

    def stop_at_first_document(item: object, _: object) -> None:
        if not isinstance(item, Rejection):
            raise KeyboardInterrupt  # as if the run were killed after the bad lines

    with pytest.raises(KeyboardInterrupt):
        extract(
            [str(folder)],
            settings,
            ExtractOptions(code_events=False),
            on_item=stop_at_first_document,
        )
    with Store(settings.db, read_only=True) as store:
        assert store.count("rejections") >= 30 - 4  # all but the last, unflushed few

"""Issue 11 item 12: API upload latency at 1,000 and 50,000 stored documents.

    python benchmarks/bench_upload.py [--sizes 1000 50000] [--uploads 5] [--seed 12]

For each size, a fresh store gets that many synthetic documents (MinHash signatures included)
and three synthetic events each (bench_store.synthetic_events), merged once, so the store
looks like one that has been fed for a while. Then, through the real app (FastAPI TestClient,
the real coder), one warm-up upload (loads the spaCy model and the duplicate index) and UPLOADS
timed uploads of new one-paragraph articles ("incremental": what POST /api/documents does now).
For comparison the same number of articles go through extract() as the API called it before
(no kept index: every stored signature and doc_id is read again per upload: "reload").
Prints one JSON object: median and max seconds per upload for each mode and size.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import synthetic_events

from thucydides.api import create_app
from thucydides.merge import merge_events
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings

TOKEN = "bench-upload"
NAMES = (
    "Chile", "Peru", "Norway", "Sweden", "Kenya", "Ghana", "Japan", "Egypt", "Spain", "Greece",
    "Poland", "Hungary", "Mexico", "Canada", "Brazil", "Turkey", "Vietnam", "Ireland",
)  # fmt: skip
VERBS = ("signed a trade agreement with", "accused", "praised", "held talks with")


def articles() -> Any:
    """Endless distinct one-paragraph articles."""
    for (a, b), verb in itertools.product(itertools.permutations(NAMES, 2), VERBS):
        yield f"{a} {verb} {b} on Tuesday, officials in the capital said."


def build_store(db: Path, documents: int, seed: int, settings: Settings) -> None:
    from thucydides.store import Store

    with Store(db) as store:
        permutations = settings.minhash_permutations
        store.connection.execute(
            f"""
            INSERT INTO documents (doc_id, content_hash, source_path, location, media_type,
                body, raw_text, paragraphs, offset_map, repeated_paragraphs, story_id, minhash,
                run_id, added_at, seq)
            SELECT 'doc-' || i, md5('body ' || i), 'synthetic.jsonl', 'synthetic.jsonl:' || i,
                   'text/plain', 'Synthetic body number ' || i, 'Synthetic body number ' || i,
                   [[0, 20]], [[0, 0]], 0, 'doc-' || i,
                   list_transform(range({permutations}),
                                  lambda x: CAST(hash(i * 1000 + x + {seed}) % 4294967295
                                                 AS UBIGINT)),
                   'synthetic', now(), i + 1
            FROM range({documents}) t(i)
            """
        )
        events = synthetic_events(3 * documents, seed)
        store.connection.register("synthetic_events", events)
        names = ", ".join(events.column_names)
        store.connection.execute(
            f"INSERT INTO events ({names}) SELECT {names} FROM synthetic_events"
        )
        store.connection.unregister("synthetic_events")
        merge_events(store, settings)


def run(documents: int, uploads: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as directory:
        db = Path(directory) / "store.duckdb"
        settings = Settings(db=str(db), api_token=TOKEN)
        started = time.perf_counter()
        build_store(db, documents, seed, settings)
        built = time.perf_counter() - started
        texts = articles()
        app = create_app(settings)
        timings: dict[str, list[float]] = {"incremental": [], "reload": []}
        with TestClient(app) as client:

            def post() -> float:
                began = time.perf_counter()
                answer = client.post(
                    "/api/documents",
                    content=next(texts).encode(),
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"},
                )
                assert answer.status_code == 200, answer.text
                return time.perf_counter() - began

            warm_up = post()
            timings["incremental"] = [post() for _ in range(uploads)]
            backend = app.state.backend
            for _ in range(uploads):  # the API's call before: nothing kept between uploads
                path = Path(directory) / "upload.txt"
                path.write_text(next(texts), encoding="utf-8")
                began = time.perf_counter()
                with backend.write_lock:
                    extract(
                        [str(path)],
                        settings,
                        ExtractOptions(),
                        store=backend.store(),
                        coder=backend.coder(),
                    )
                timings["reload"].append(time.perf_counter() - began)
        result: dict[str, Any] = {"documents": documents, "build_seconds": round(built, 1)}
        result["warm_up_seconds"] = round(warm_up, 2)
        for mode, values in timings.items():
            result[mode] = {
                "median_seconds": round(statistics.median(values), 3),
                "max_seconds": round(max(values), 3),
            }
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 50000])
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12)
    arguments = parser.parse_args()
    runs = [run(size, arguments.uploads, arguments.seed) for size in arguments.sizes]
    print(json.dumps({"python": platform.python_version(), "runs": runs}, indent=2))


if __name__ == "__main__":
    main()

"""The per-document work of `extract`, in this process or in a pool of worker processes.

A worker turns a chunk of read items into `Processed` results: it builds each Document
(`DocumentBuilder`) and codes its events (`Coder.code_documents`). Everything that must see the
whole stream (duplicate detection, reuse of an exact copy's events, the store, the output files)
stays in the main process, which consumes results in input order, so `--workers N` gives the same
output as `--workers 1`.

Input is streamed: at most two chunks per worker are in flight (read but not yet consumed).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from ..coder import Coder
from ..settings import Settings
from ..store import Store
from ..types import Document, Event, RawDocument, Rejection

Item = RawDocument | Rejection
Action = Literal["code", "skip", "known", "none"]
OnError = Literal["skip", "raise"]
IN_FLIGHT_PER_WORKER = 2


class KnownIds:
    """The doc_ids already in a store, compactly: 8 bytes each (a sorted array of the first 64
    bits of the hex id) so that every worker can hold a copy even for millions of documents."""

    def __init__(self, doc_ids: Iterable[str] = ()) -> None:
        prefixes: list[int] = []
        self._other: set[str] = set()  # ids not made by make_doc_id (not hex): kept whole
        for doc_id in doc_ids:
            try:
                prefixes.append(int(doc_id[:16], 16))
            except ValueError:
                self._other.add(doc_id)
        self._sorted = np.unique(np.asarray(prefixes, dtype=np.uint64))

    @classmethod
    def from_store(cls, store: Store) -> KnownIds:
        column = store.query("SELECT doc_id FROM documents").column("doc_id")
        return cls(str(value) for value in column.to_pylist())

    def __len__(self) -> int:
        return int(self._sorted.size) + len(self._other)

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        try:
            prefix = np.uint64(int(doc_id[:16], 16))
        except ValueError:
            return doc_id in self._other
        at = int(np.searchsorted(self._sorted, prefix))
        return at < self._sorted.size and bool(self._sorted[at] == prefix)


@dataclass
class Processed:
    """One input item after the per-document work.

    ACTION: "code" (OUTCOME is its events, or a Rejection when the coder failed on it), "skip"
    (not coded: a skip_reason or off topic), "known" (already in the store: not coded again, the
    main process takes its stored events), "none" (coding is off, or ITEM is a Rejection).
    """

    item: Document | Rejection
    action: Action = "none"
    outcome: list[Event] | Rejection | None = None
    off_topic: bool = False


class DocumentWorker:
    """Builds and codes chunks of items; holds the spaCy model, so build one per process."""

    def __init__(
        self,
        settings: Settings,
        lexicon_dir: str | Path | None,
        *,
        code_events: bool,
        known: KnownIds | None = None,
        on_error: OnError = "skip",
        coder: Coder | None = None,
        content_identity: bool = False,
    ) -> None:
        from ..pipeline import DocumentBuilder  # pipeline imports this module

        self.builder = DocumentBuilder(settings, lexicon_dir, content_identity=content_identity)
        self.coder = (coder or Coder(settings, lexicon_dir)) if code_events else None
        self.known = known or KnownIds()
        self.on_error = on_error

    def process(self, items: Sequence[Item]) -> list[Processed]:
        from ..pipeline import build_documents

        built = build_documents(items, self.builder, on_error=self.on_error)
        results = [Processed(item) for item in built]
        if self.coder is None:
            return results
        to_code: list[Processed] = []
        for result in results:
            doc = result.item
            if isinstance(doc, Rejection):
                continue
            result.off_topic = bool(self.coder.off_topic.topic_of(doc.body))
            if doc.doc_id in self.known:
                result.action = "known"
            else:
                to_code.append(result)
        coded = self.coder.code_documents(
            [r.item for r in to_code if isinstance(r.item, Document)], on_error=self.on_error
        )
        for result, (_, found) in zip(to_code, coded, strict=True):
            doc = result.item
            skipped = isinstance(doc, Document) and bool(doc.skip_reason or result.off_topic)
            result.action = "skip" if skipped else "code"
            result.outcome = found
        return results


# One DocumentWorker per pool process, made by the pool's initializer: the only way to keep the
# spaCy model loaded between tasks. Never set in the main process.
_WORKER: DocumentWorker | None = None


def _init_worker(
    settings: Settings,
    lexicon_dir: str | Path | None,
    code_events: bool,
    known: KnownIds,
    on_error: OnError,
    content_identity: bool = False,
) -> None:
    global _WORKER
    _WORKER = DocumentWorker(
        settings,
        lexicon_dir,
        code_events=code_events,
        known=known,
        on_error=on_error,
        content_identity=content_identity,
    )


def _process_chunk(items: list[Item]) -> list[Processed]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.process(items)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextmanager
def process_items(
    items: Iterable[Item],
    settings: Settings,
    lexicon_dir: str | Path | None,
    *,
    workers: int = 1,
    chunk_size: int = 64,
    code_events: bool = True,
    known: KnownIds | None = None,
    on_error: OnError = "skip",
    coder: Coder | None = None,
    content_identity: bool = False,
) -> Iterator[Iterator[Processed]]:
    """The items processed, in input order, by WORKERS processes (1: in this process).

    CODER, an already loaded coder, is used in this process when WORKERS is 1.
    """
    known = known or KnownIds()
    if workers <= 1:
        worker = DocumentWorker(
            settings,
            lexicon_dir,
            code_events=code_events,
            known=known,
            on_error=on_error,
            coder=coder,
            content_identity=content_identity,
        )
        yield (r for chunk in _chunks(items, chunk_size) for r in worker.process(chunk))
        return

    # spawn: a fresh interpreter per worker (forking a process that holds DuckDB and threads
    # is not safe); each loads the lexicons and the model once, in the initializer.
    context = multiprocessing.get_context("spawn")
    slots = threading.BoundedSemaphore(IN_FLIGHT_PER_WORKER * workers)
    stop = threading.Event()

    def feed() -> Iterator[list[Item]]:
        # Runs in the pool's task thread: waiting for a slot keeps the input from being read
        # ahead of the workers (Pool.imap alone would queue all of it).
        for chunk in _chunks(items, chunk_size):
            while not slots.acquire(timeout=0.2):
                if stop.is_set():
                    return
            if stop.is_set():
                return
            yield chunk

    def results(pool: multiprocessing.pool.Pool) -> Iterator[Processed]:
        for processed in pool.imap(_process_chunk, feed(), chunksize=1):
            slots.release()
            yield from processed

    pool = context.Pool(
        workers,
        initializer=_init_worker,
        initargs=(settings, lexicon_dir, code_events, known, on_error, content_identity),
    )
    try:
        yield results(pool)
        pool.close()
    except BaseException:
        stop.set()
        pool.terminate()
        raise
    finally:
        stop.set()
        pool.join()

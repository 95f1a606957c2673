"""The per-document work of `extract`, in this process or in a pool of worker processes.

A worker turns a chunk of read items into `Processed` results: it builds each Document
(`DocumentBuilder`) and codes its events (`Coder.code_documents`). Everything that must see the
whole stream (duplicate detection, reuse of an exact copy's events, the store, the output files)
stays in the main process, which consumes results in input order, so `--workers N` gives the same
output as `--workers 1`.

Input is streamed: at most two chunks per worker are in flight (read but not yet consumed).
A worker killed from outside (kill -9, the OOM killer) costs a new pool and its chunks are done
again; if workers keep dying the run stops with one line (T901) and can be resumed.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..coder import Coder
from ..errors import WorkerError
from ..settings import Settings
from ..store import Store
from ..types import Document, Event, RawDocument, Rejection

Item = RawDocument | Rejection
Action = Literal["code", "skip", "known", "none"]
OnError = Literal["skip", "raise"]
IN_FLIGHT_PER_WORKER = 2
MAX_POOL_RESTARTS = 3  # new pools after a worker died, per run


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

    yield _pool_results(
        _chunks(items, chunk_size),
        workers,
        (settings, lexicon_dir, code_events, known, on_error, content_identity),
    )


def _pool_results(
    chunks: Iterator[list[Item]], workers: int, initargs: tuple[Any, ...]
) -> Iterator[Processed]:
    """The chunks processed by a pool of WORKERS processes, in input order.

    A worker that dies (kill -9, the OOM killer) breaks the pool: the chunks in flight are sent
    again to a new pool, up to MAX_POOL_RESTARTS times in a run; after that WorkerError (a
    resumed run skips what is already stored). Multiprocessing's Pool would wait forever.
    """
    # spawn: a fresh interpreter per worker (forking a process that holds DuckDB and threads
    # is not safe); each loads the lexicons and the model once, in the initializer.
    context = multiprocessing.get_context("spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=initargs
        )

    # At most two chunks per worker are read ahead of the consumer.
    pending: deque[tuple[list[Item], Future[list[Processed]] | None]] = deque()
    restarts = 0
    pool = new_pool()
    try:
        while True:
            while len(pending) < IN_FLIGHT_PER_WORKER * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                try:
                    pending.append((chunk, pool.submit(_process_chunk, chunk)))
                except BrokenProcessPool:
                    pending.append((chunk, None))  # sent again to the next pool
            if not pending:
                return
            chunk, future = pending[0]
            try:
                if future is None:
                    raise BrokenProcessPool("the pool broke before this chunk was sent")
                processed = future.result()
            except BrokenProcessPool:
                restarts += 1
                if restarts > MAX_POOL_RESTARTS:
                    raise WorkerError(
                        f"a worker process died {restarts} times (killed, or out of memory?); "
                        f"stopped at {_location(chunk[0])}; what was stored is kept: run the "
                        "same command again to resume, or use fewer --workers"
                    ) from None
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                pending = deque((chunk, _submit(pool, chunk)) for chunk, _ in pending)
                continue
            pending.popleft()
            yield from processed
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, chunk: list[Item]) -> Future[list[Processed]] | None:
    try:
        return pool.submit(_process_chunk, chunk)
    except BrokenProcessPool:
        return None


def _location(item: Item) -> str:
    return item.location

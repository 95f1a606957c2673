"""The pipeline: read -> (HTML extraction) -> clean -> metadata -> dedup -> code -> store -> merge.

`DocumentBuilder` turns one RawDocument into one Document and holds no state between documents,
so it can run in any process. `DuplicateFinder` is the one stage that must see the whole stream.
`extract` wires the stages to the store and the output files; the CLI and (later) the parallel
and Spark back ends are thin shells over these functions.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

import duckdb

from .backends.local import KnownIds, Processed, process_items
from .clean import Cleaner, load_boilerplate_rules
from .coder import Coder
from .coder.pipeline import _moved
from .dedup import DuplicateFinder, content_hash
from .errors import CleanError, InputError
from .html import extract_html
from .lexicon import lexicon_version
from .merge import merge_events
from .metadata import LanguageDetector, MetadataExtractor, PublisherLexicon
from .nlp import describe_model
from .readers import read_paths
from .settings import Settings, load_settings
from .store import Store, store_failure
from .textsafety import json_line, safe_name
from .types import Document, Event, RawDocument, Rejection, RunSummary

OnError = Literal["skip", "raise"]
DOCUMENTS_FILE, EVENTS_FILE = "documents.jsonl", "events.jsonl"
REJECTS_FILE, SUMMARY_FILE = "rejects.jsonl", "summary.json"
OUTPUT_FILES = (DOCUMENTS_FILE, EVENTS_FILE, REJECTS_FILE, SUMMARY_FILE)
CODING_CHUNK = 64  # documents coded together (spaCy parses them in one batch)


def make_doc_id(raw: RawDocument, body_hash: str, *, by_content: bool = False) -> str:
    """Same input, same id: where the document came from plus what it says.

    Where it came from is the record id or URL when the container gives one, else the absolute
    path of the file (and the position inside it), so re-reading a file gives the same ids.
    BY_CONTENT leaves the file out: the id is the declared id (record id or URL) and the text
    alone, for input whose file is only a staging place (an API upload): the same article
    posted twice is one document.
    """
    identity = raw.hints.record_id or raw.hints.url
    if not identity and by_content:
        identity = ""
    elif not identity:
        suffix = (
            raw.location[len(raw.source_path) :]
            if raw.location.startswith(raw.source_path)
            else raw.location
        )
        path = raw.source_path if raw.source_path == "-" else os.path.abspath(raw.source_path)
        identity = path + suffix
    return hashlib.sha256(f"{identity}\x00{body_hash}".encode()).hexdigest()[:20]


class DocumentBuilder:
    """RawDocument -> Document: main text from HTML, cleaning, metadata, ids."""

    def __init__(
        self,
        settings: Settings,
        lexicon_dir: str | Path | None = None,
        *,
        content_identity: bool = False,
    ) -> None:
        self.settings = settings
        self.content_identity = content_identity  # doc_id without the file (make_doc_id)
        self.cleaner = Cleaner(load_boilerplate_rules(lexicon_dir))
        self.metadata = MetadataExtractor(PublisherLexicon(lexicon_dir), LanguageDetector())

    def build(self, raw: RawDocument) -> Document:
        """Raises InputError (with the document's location) when nothing usable is left."""
        page_metadata = None
        # A file name that is not UTF-8 (`caf\xe9.txt`) cannot be stored or written: \xNN form.
        raw = replace(raw, source_path=safe_name(raw.source_path), location=safe_name(raw.location))
        text = raw.text
        if raw.media_type == "text/html":
            text, page_metadata = extract_html(raw)
        page_title = page_metadata.title if page_metadata else None
        clean = self.cleaner.clean(
            text,
            detect_title=raw.media_type != "text/html",
            title_hint=raw.hints.title or page_title,
        )
        if len(clean.body) < self.settings.min_body_chars:
            raise CleanError(
                raw.location,
                f"no body text left after cleaning ({len(clean.body)} characters; "
                f"min_body_chars={self.settings.min_body_chars})",
                code="T201",
            )
        metadata = self.metadata.extract(clean, raw.hints, page_metadata)
        body_hash = content_hash(clean.body)
        skip_reason = None
        if metadata.language and metadata.language not in self.settings.language_set:
            skip_reason = f"language '{metadata.language}' is not one of: {self.settings.languages}"
        return Document(
            doc_id=make_doc_id(raw, body_hash, by_content=self.content_identity),
            content_hash=body_hash,
            source_path=raw.source_path,
            location=raw.location,
            media_type=raw.media_type,
            raw_text=text,
            body=clean.body,
            paragraphs=clean.paragraphs,
            offset_map=clean.offset_map,
            metadata=metadata,
            repeated_paragraphs=clean.repeated_paragraphs,
            skip_reason=skip_reason,
            record_id=raw.hints.record_id,
            record_source=raw.hints.publisher,
        )


def build_documents(
    raws: Iterable[RawDocument | Rejection],
    builder: DocumentBuilder,
    *,
    on_error: OnError = "skip",
) -> Iterator[Document | Rejection]:
    """Each RawDocument becomes a Document or a Rejection; a failure never ends the stream."""
    for item in raws:
        if isinstance(item, Rejection):
            yield item
            continue
        try:
            yield builder.build(item)
        except InputError as exc:
            yield exc.to_rejection()
        except Exception as exc:  # a bug on one document must not lose the rest of the run
            if on_error == "raise":
                raise
            yield Rejection(
                safe_name(item.location),
                "clean",
                "T299",
                f"internal error while cleaning: {type(exc).__name__}: {exc}",
            )


@dataclass
class ExtractOptions:
    out_dir: Path | None = None
    lexicon_dir: Path | None = None
    use_store: bool = True
    on_error: OnError = "skip"
    code_events: bool = True  # run the event coder (loads the spaCy model)
    workers: int = 1  # processes doing the per-document work (1: this process)
    chunk_size: int = CODING_CHUNK  # documents per worker task (and per spaCy batch)
    # doc_id from the declared id and the text only, not the file (make_doc_id by_content):
    # for files that are only staged copies, as API uploads are.
    content_identity: bool = False


ProgressCallback = Callable[[Document | Rejection, RunSummary], None]
MAX_REUSE_CACHE = 50_000  # as Coder's own cache: duplicates are usually close together


def extract(
    paths: Iterable[str],
    settings: Settings | None = None,
    options: ExtractOptions | None = None,
    *,
    on_item: ProgressCallback | None = None,
    store: Store | None = None,
    coder: Coder | None = None,
    finder: DuplicateFinder | None = None,
    known: KnownIds | None = None,
) -> RunSummary:
    """Read, clean, deduplicate, code and store every document under PATHS.

    Writes OUT_DIR/documents.jsonl, events.jsonl, rejects.jsonl and summary.json when an output
    directory is given. Returns the run's counts. STORE, an already open store, is used (and left
    open) instead of opening settings.db; CODER, an already loaded coder, saves loading the
    spaCy model again (a long-running server passes both; used when options.workers is 1).
    FINDER, a DuplicateFinder that already holds every stored document, and KNOWN, the stored
    doc_ids, spare reading all of them from STORE again (a server keeps both between uploads, so
    an upload costs the same whatever the store's size); FINDER is updated with this run's.

    Resumable: each flush stores documents, their events and the rejections in one transaction,
    and documents already in the store are not coded again (their stored events are reused), so
    a run killed midway and started again with the same arguments finishes the work cheaply.

    A store that cannot be read or written (damaged, disk full) raises StoreError naming it.
    """
    settings = settings or load_settings()
    try:
        return _extract(
            paths, settings, options, on_item, store=store, coder=coder, finder=finder, known=known
        )
    except duckdb.Error as exc:  # merge_events and the like use the store's connection directly
        where = store.path if store is not None else str(settings.db)
        raise store_failure(where, exc, doing="store error") from exc


def _extract(
    paths: Iterable[str],
    settings: Settings,
    options: ExtractOptions | None,
    on_item: ProgressCallback | None,
    *,
    store: Store | None,
    coder: Coder | None,
    finder: DuplicateFinder | None,
    known: KnownIds | None,
) -> RunSummary:
    options = options or ExtractOptions()
    if options.out_dir is not None:
        options.out_dir = Path(options.out_dir)  # a str from Python callers is fine too
    paths = list(paths)
    summary = RunSummary()
    started = time.perf_counter()
    seeded = finder is not None
    finder = finder if finder is not None else DuplicateFinder(settings)
    code_events = options.code_events

    with ExitStack() as stack:
        if not options.use_store:
            store = None
        elif store is None:
            store = stack.enter_context(Store(settings.db))
        if code_events:
            summary.model = describe_model(settings.model)
            summary.lexicon_version = lexicon_version(options.lexicon_dir)
        run_id = (
            store.begin_run(
                [safe_name(path) for path in paths],
                settings,
                model=summary.model or None,
                lexicon_version=summary.lexicon_version or None,
            )
            if store
            else None
        )
        if store and run_id:
            # Unwound before the store closes: a run that stops early says how.
            stack.push(_stopped_run_recorder(store, run_id, summary))
        if store and not seeded:
            for doc_id, story_id, body_hash, signature in store.known_signatures():
                finder.add_known(doc_id, story_id, body_hash, signature)
        if known is None:
            known = KnownIds.from_store(store) if store and code_events else KnownIds()
        documents_out: IO[str] | None = None
        events_out: IO[str] | None = None
        rejects_out: IO[str] | None = None
        if options.out_dir is not None:
            options.out_dir.mkdir(parents=True, exist_ok=True)
            documents_out = stack.enter_context(
                (options.out_dir / DOCUMENTS_FILE).open("w", encoding="utf-8")
            )
            rejects_out = stack.enter_context(
                (options.out_dir / REJECTS_FILE).open("w", encoding="utf-8")
            )
            if code_events:
                events_out = stack.enter_context(
                    (options.out_dir / EVENTS_FILE).open("w", encoding="utf-8")
                )

        batch: list[Document] = []
        events: list[Event] = []
        signatures: dict[str, list[int]] = {}
        rejections: list[Rejection] = []
        # content hash -> events of the first document coded with it (read back from the store
        # for a document stored by an earlier run). An exact copy gets them under its own
        # doc_id, exactly as Coder.code_documents does in one process; the workers' own caches
        # only see their share of the stream.
        originals: dict[str, list[Event]] = {}
        this_run: set[str] = set()  # doc_ids read in this run

        def flush() -> None:
            if store and run_id:
                with store.transaction():
                    inserted = store.add_documents(batch, signatures, run_id)
                    store.add_rejections(run_id, rejections)
                    if events:
                        store.add_events(events, run_id)
                summary.stored += inserted
                summary.already_stored += len(batch) - inserted
            batch.clear()
            events.clear()
            signatures.clear()
            rejections.clear()

        def reject(rejection: Rejection) -> None:
            rejection = replace(
                rejection,
                location=safe_name(rejection.location),
                message=safe_name(rejection.message),
            )
            _count_rejection(summary, rejection)
            rejections.append(rejection)
            if rejects_out:
                rejects_out.write(_json_line(rejection.to_record()))

        def take_events(document: Document, result: Processed) -> None:
            """The coding result of one document: counts, events to store and write."""
            if isinstance(result.outcome, Rejection):
                reject(result.outcome)
                return
            original = originals.get(document.content_hash)
            if result.action == "skip":
                found: list[Event] = []
            elif result.action == "known":
                found = store.get_events(document.doc_id) if store else []
            elif original is not None:
                found = [_moved(e, document.doc_id) for e in original]
            else:
                found = result.outcome or []
            if result.action != "skip" and original is None:
                if len(originals) > MAX_REUSE_CACHE:
                    originals.clear()
                originals[document.content_hash] = found
            if document.skip_reason:
                pass
            elif result.off_topic:
                summary.off_topic += 1
            else:
                summary.coded += 1
            summary.events += len(found)
            if result.action != "known":
                events.extend(found)
            if events_out:
                events_out.writelines(_json_line(e.to_record()) for e in found)

        # Never read our own output back in (`extract pages/ --out pages/out`).
        own_files = [Path(store.path), Path(store.path + ".wal")] if store else []
        if options.out_dir is not None:
            own_files += [options.out_dir / name for name in OUTPUT_FILES]
        raws = read_paths(paths, settings, exclude=own_files)
        with process_items(
            raws,
            settings,
            options.lexicon_dir,
            workers=options.workers,
            chunk_size=options.chunk_size,
            code_events=code_events,
            known=known,
            on_error=options.on_error,
            coder=coder,
            content_identity=options.content_identity,
        ) as results:
            for result in results:
                item = result.item
                summary.read += 1
                if isinstance(item, Rejection):
                    reject(item)
                else:
                    item, signature = finder.check(item)
                    summary.cleaned += 1
                    summary.repeated_paragraphs += item.repeated_paragraphs
                    if item.duplicate_kind == "exact":
                        summary.exact_duplicates += 1
                    elif item.duplicate_kind == "near":
                        summary.near_duplicates += 1
                    if item.skip_reason:
                        summary.skipped_language += 1
                    # Seen already: stored by an earlier (perhaps killed) run, or the same
                    # record (same declared id and text) earlier in this run.
                    repeated = item.doc_id in this_run
                    if result.action == "known" or repeated:
                        summary.already_stored += 1
                    else:
                        batch.append(item)
                        signatures[item.doc_id] = signature
                    this_run.add(item.doc_id)
                    if documents_out and not repeated:
                        documents_out.write(_json_line(item.to_record()))
                    if code_events and not repeated:
                        take_events(item, result)
                if on_item:
                    on_item(item, summary)
                # By count of rejections too: a file of a million bad lines has no documents
                # to fill a batch, and its rejections must not pile up in memory.
                if len(batch) >= settings.batch_size or len(rejections) >= settings.batch_size:
                    flush()
        flush()
        if store and code_events:
            # One record per real-world event: this run's events join those already stored.
            summary.merged_events = merge_events(store, settings).merged
        summary.seconds = time.perf_counter() - started
        if store and run_id:
            store.finish_run(run_id, summary)
        if options.out_dir is not None:
            (options.out_dir / SUMMARY_FILE).write_text(
                json.dumps(summary.to_record(), indent=2) + "\n", encoding="utf-8"
            )
    return summary


def _stopped_run_recorder(
    store: Store, run_id: str, summary: RunSummary
) -> Callable[[type[BaseException] | None, BaseException | None, TracebackType | None], bool]:
    """An exit callback that records a run ended by an exception as interrupted (Ctrl-C) or
    failed, with its counts so far. What was not flushed yet is not stored: a run started again
    does it. A process killed outright is found later (Store marks its run killed)."""

    def record(
        kind: type[BaseException] | None, exc: BaseException | None, _: TracebackType | None
    ) -> bool:
        if exc is not None:
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            with suppress(Exception):  # the store may be what failed: the exception says so
                store.finish_run(run_id, summary, status=status)
        return False  # the exception goes on

    return record


def _count_rejection(summary: RunSummary, rejection: Rejection) -> None:
    summary.rejected += 1
    summary.rejections_by_code[rejection.code] = (
        summary.rejections_by_code.get(rejection.code, 0) + 1
    )


def _json_line(record: dict[str, Any]) -> str:
    return json_line(record)

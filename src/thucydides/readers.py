"""Paths, directories, globs and standard input -> a stream of RawDocuments (or Rejections).

The reader is chosen by file type from a registry (`register_reader` adds one; the built-ins are
registered the same way). JSONL, CSV and WARC inputs are read record by record, so a file larger
than memory streams through. Nothing raises out of `read_paths`: an input that cannot be used
becomes a Rejection naming the file (and line or record) and the reason, and reading goes on.
"""

from __future__ import annotations

import codecs
import csv
import glob
import gzip
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from .errors import ReadError
from .settings import Settings
from .types import Hints, RawDocument, Rejection

Item = RawDocument | Rejection
# A reader gets the label used in messages (the path as given), the binary stream, and settings.
Reader = Callable[[str, IO[bytes], Settings], Iterator[Item]]

_READERS: dict[str, Reader] = {}
_GLOB_CHARS = set("*?[")
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]  # fmt: skip
_TEXT_FIELDS = ("text", "html")


def register_reader(suffixes: Iterable[str], reader: Reader) -> None:
    """Read files ending in any of SUFFIXES (".txt", ".warc.gz") with READER."""
    for suffix in suffixes:
        _READERS[suffix.lower()] = reader


def read_paths(
    paths: Iterable[str],
    settings: Settings,
    *,
    stdin: IO[bytes] | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[Item]:
    """Every document under PATHS. Files at or under an EXCLUDE path (a run's own store and
    output directory) are passed over when a directory or glob is walked."""
    skip = tuple(Path(p).resolve() for p in exclude)
    for path in paths:
        if path == "-":
            yield from _read_stdin(stdin, settings)
            continue
        candidate = Path(path)
        if candidate.is_dir():
            yield from _read_directory(candidate, settings, skip)
        elif candidate.exists():
            yield from read_file(candidate, settings)
        elif _GLOB_CHARS & set(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield _reject(path, "no file matches this pattern", "T101")
            for match in matches:
                found = Path(match)
                if found.is_dir():
                    yield from _read_directory(found, settings, skip)
                elif not _excluded(found, skip):
                    yield from read_file(found, settings)
        else:
            yield _reject(path, "no such file or directory", "T101")


read = read_paths  # the public name: thucydides.read(paths, settings)


def _read_directory(directory: Path, settings: Settings, skip: tuple[Path, ...]) -> Iterator[Item]:
    for path in sorted(directory.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(directory).parts)
        if path.is_file() and not hidden and not _excluded(path, skip):
            yield from read_file(path, settings)


def _excluded(path: Path, skip: tuple[Path, ...]) -> bool:
    if not skip:
        return False
    resolved = path.resolve()
    return any(resolved == s or s in resolved.parents for s in skip)


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    label = str(path)
    name = path.name.lower()
    try:
        with path.open("rb") as stream:
            if name.endswith(".gz") and not name.endswith((".warc.gz", ".arc.gz")):
                with gzip.GzipFile(fileobj=stream) as unzipped:
                    yield from _dispatch(
                        label, name[: -len(".gz")], cast(IO[bytes], unzipped), settings
                    )
            else:
                yield from _dispatch(label, name, stream, settings)
    except (OSError, EOFError, zlib.error) as exc:
        if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
            yield _reject(label, f"cannot open: {exc.strerror}", "T101")
        else:
            yield _reject(label, f"truncated or corrupt file: {exc}", "T111")


def _dispatch(label: str, name: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    for suffix in sorted(_READERS, key=len, reverse=True):
        if name.endswith(suffix):
            yield from _READERS[suffix](label, stream, settings)
            return
    if "." in name and not name.endswith(".txt"):
        # Unknown type: look at the bytes. Text and HTML are read; anything else is not ours.
        head = stream.read(settings.max_document_bytes + 1)
        if _looks_binary(head):
            yield _reject(label, f"unsupported file type '{Path(name).suffix}'", "T112")
            return
        stream = io.BytesIO(head)
    yield from read_text_file(label, stream, settings)


def _read_stdin(stdin: IO[bytes] | None, settings: Settings) -> Iterator[Item]:
    import sys

    stream = _buffered(stdin if stdin is not None else sys.stdin.buffer)
    first = stream.peek(4096).lstrip()[:1]
    if first == b"{":
        yield from read_jsonl(_STDIN, stream, settings)
    elif first == b"<":
        yield from read_html_file(_STDIN, stream, settings)
    else:
        yield from read_text_file(_STDIN, stream, settings)


_STDIN = "<stdin>"


def _buffered(stream: IO[bytes]) -> io.BufferedReader:
    """A stream we can peek at without consuming."""
    if isinstance(stream, io.BufferedReader):
        return stream
    return io.BufferedReader(cast(io.RawIOBase, stream))


# -- bytes -> text ---------------------------------------------------------------------------


def _looks_binary(head: bytes) -> bool:
    sample = head[:8192]
    if not sample or any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.05


def decode_bytes(data: bytes, location: str, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding it was read with: BOM, UTF-8, the declared charset, a detected
    one, then cp1252 (which decodes any byte, so Latin-1 text is never lost)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding
            except UnicodeDecodeError as exc:
                raise ReadError(
                    location, f"cannot decode as {encoding}: {exc.reason}", code="T109"
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [declared] if declared else []
    if _western_single_byte(data):
        candidates.append("cp1252")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        candidates.append(best.encoding)
    for encoding in candidates:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace"), "cp1252"


_WESTERN = frozenset(
    "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßœŒšŠžŽ"
    "’‘“”–—…€£¥©®°±«»·§¶¿¡ \u00a0"
)


def _western_single_byte(data: bytes) -> bool:
    """Do the non-ASCII bytes, read as cp1252, give Western European letters and punctuation?

    Short Latin-1 texts fool statistical detectors; news in English, French, German, Spanish
    or Portuguese is by far the likeliest single-byte text we are given."""
    sample = data[:100_000].decode("cp1252", errors="replace")
    unusual = [ch for ch in sample if ord(ch) > 127]
    return bool(unusual) and sum(ch in _WESTERN for ch in unusual) / len(unusual) >= 0.9


def _read_capped(label: str, stream: IO[bytes], settings: Settings) -> bytes:
    data = stream.read(settings.max_document_bytes + 1)
    if len(data) > settings.max_document_bytes:
        raise ReadError(
            label,
            f"larger than max_document_bytes ({settings.max_document_bytes:,} bytes); "
            "split it or raise the setting",
            code="T108",
        )
    if not data.strip():
        raise ReadError(label, "empty file" if not data else "only whitespace", code="T102")
    if _looks_binary(data):
        raise ReadError(label, "binary data, not text", code="T103")
    return data


# -- the built-in readers --------------------------------------------------------------------


def read_text_file(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    try:
        text, encoding = decode_bytes(_read_capped(label, stream, settings), label)
        longest = max(map(len, text.splitlines()), default=0)
        if longest > settings.max_line_chars:
            number = next(i for i, line in enumerate(text.splitlines(), 1) if len(line) == longest)
            raise ReadError(
                label,
                f"line {number} is {longest:,} characters long (max_line_chars="
                f"{settings.max_line_chars:,}): not running text",
                code="T107",
            )
    except ReadError as exc:
        yield exc.to_rejection()
        return
    yield RawDocument(label, label, "text/plain", text, encoding)


def read_html_file(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    try:
        data = _read_capped(label, stream, settings)
        text, encoding = decode_bytes(data, label, _meta_charset(data))
    except ReadError as exc:
        yield exc.to_rejection()
        return
    yield RawDocument(label, label, "text/html", text, encoding)


def _meta_charset(data: bytes) -> str | None:
    head = data[:4096].lower()
    marker = head.find(b"charset=")
    if marker < 0:
        return None
    value = head[marker + 8 : marker + 40].strip(b"\"' ")
    end = next((i for i, byte in enumerate(value) if byte in b"\"' ;/>"), len(value))
    return value[:end].decode("ascii", errors="ignore") or None


def read_jsonl(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    number = 0
    limit = settings.max_document_bytes
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        location = f"{label}:{number}"
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the oversized line without holding it
            yield _reject(
                location, f"line longer than max_document_bytes ({limit:,} bytes)", "T108"
            )
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _reject(location, f"malformed JSON: {exc.msg} (column {exc.colno})", "T104")
            continue
        except UnicodeDecodeError as exc:
            yield _reject(location, f"not UTF-8 JSON: {exc.reason}", "T104")
            continue
        yield _record(location, label, record)


def read_json(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """A .json file: a JSON array of records, or JSON lines."""
    buffered = _buffered(stream)
    if buffered.peek(4096).lstrip()[:1] != b"[":
        yield from read_jsonl(label, buffered, settings)
        return
    try:
        records = json.loads(buffered.read())
    except json.JSONDecodeError as exc:
        yield _reject(label, f"malformed JSON: {exc.msg} at line {exc.lineno}", "T104")
        return
    for index, record in enumerate(records, start=1):
        yield _record(f"{label}#{index}", label, record)


def read_csv(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    csv.field_size_limit(max(settings.max_document_bytes, 131_072))
    head = stream.read(65_536)
    try:
        _, encoding = decode_bytes(head, label)
    except ReadError as exc:
        yield exc.to_rejection()
        return
    joined = io.BufferedReader(_Chain(head, stream))
    text = io.TextIOWrapper(joined, encoding=encoding, errors="replace", newline="")
    delimiter = "\t" if label.lower().removesuffix(".gz").endswith(".tsv") else ","
    reader = csv.DictReader(text, delimiter=delimiter)
    fields = {name.strip().lower() for name in (reader.fieldnames or [])}
    if not fields & set(_TEXT_FIELDS):
        yield _reject(label, f"no 'text' or 'html' column (columns: {sorted(fields)})", "T110")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _reject(f"{label}:{reader.line_num}", f"malformed CSV: {exc}", "T110")
            return
        clean_row = {(k or "").strip().lower(): v for k, v in row.items()}
        yield _record(f"{label}:{reader.line_num}", label, clean_row)


class _Chain(io.RawIOBase):
    """Bytes already read, then the rest of a stream: lets us sniff a stream and still read it."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = io.BytesIO(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._head.read(len(buffer)) or self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_warc(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    index = 0
    end = 0  # where the last complete record ended
    try:
        records = ArchiveIterator(stream)
        for index, record in enumerate(records, start=1):
            item = _warc_record(f"{label}#{index}", label, record, settings)
            records.read_to_end(record)
            end = records.get_record_offset() + records.get_record_length()
            if item is not None:
                yield item
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        yield _reject(
            f"{label}#{index + 1}",
            f"truncated or corrupt WARC, rest of file skipped: {exc}",
            "T111",
        )
        return
    # warcio stops quietly at a cut-off last record; bytes left after the last whole record
    # (beyond the blank lines that close it) mean one was lost.
    size = _stream_size(stream)
    if size is not None and size - end > 4:
        yield _reject(
            f"{label}#{index + 1}",
            f"truncated WARC: {size - end:,} bytes after the last whole record",
            "T111",
        )


def _stream_size(stream: IO[bytes]) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        return None


def _warc_record(location: str, label: str, record: Any, settings: Settings) -> Item | None:
    if record.rec_type not in ("response", "resource"):
        return None  # requests, warcinfo, metadata, revisits: not documents
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    if mime not in ("text/html", "application/xhtml+xml", "text/plain", ""):
        return None  # images, scripts, style sheets
    charset = params.partition("charset=")[2].strip(" \"'") or None
    url = record.rec_headers.get_header("WARC-Target-URI")
    hints = Hints(record_id=record.rec_headers.get_header("WARC-Record-ID"), url=url)
    try:
        data = _read_capped(location, record.content_stream(), settings)
        if mime == "" and data.lstrip()[:1] != b"<":
            mime = "text/plain"
        text, encoding = decode_bytes(data, location, charset)
    except ReadError as exc:
        return exc.to_rejection()
    media_type = "text/plain" if mime == "text/plain" else "text/html"
    return RawDocument(label, location, media_type, text, encoding, hints)


def _record(location: str, label: str, record: Any) -> Item:
    """A JSONL/CSV record -> RawDocument, or a Rejection saying what is missing."""
    if not isinstance(record, dict):
        return _reject(
            location, f"a record must be a JSON object, got {type(record).__name__}", "T104"
        )
    record_id = _field(record, "id")
    html = _field(record, "html")
    text = _field(record, "text")
    if not (html and html.strip()) and not (text and text.strip()):
        named = f"record {record_id!r}" if record_id else "record"
        return _reject(location, f"{named} has no text or html", "T105")
    hints = Hints(
        record_id=record_id,
        url=_field(record, "url"),
        date=_field(record, "date"),
        title=_field(record, "title"),
        publisher=_field(record, "source"),
    )
    if html and html.strip():
        return RawDocument(label, location, "text/html", html, None, hints)
    return RawDocument(label, location, "text/plain", text or "", None, hints)


def _field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def _reject(location: str, message: str, code: str) -> Rejection:
    return ReadError(location, message, code=code).to_rejection()


register_reader([".txt", ".text"], read_text_file)
register_reader([".html", ".htm", ".xhtml"], read_html_file)
register_reader([".jsonl", ".ndjson"], read_jsonl)
register_reader([".json"], read_json)
register_reader([".csv", ".tsv"], read_csv)
register_reader([".warc", ".warc.gz", ".arc.gz"], read_warc)

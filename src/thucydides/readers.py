"""Paths, directories, globs and standard input -> a stream of RawDocuments (or Rejections).

The reader is chosen by file type from a registry: a dict from suffix (".txt", ".warc.gz") to a
reader function. `register_reader` adds one; the built-ins are registered the same way at the
bottom of this module. A reader is called as ``reader(label, stream, settings)``: LABEL is the path
as the user gave it (locations start with it), STREAM the file's bytes (already decompressed for
"file.jsonl.gz"), and it yields RawDocuments and Rejections.

JSONL, CSV, JSON arrays and WARC archives are read record by record, so a file larger than memory
streams through. Nothing raises out of `read_paths`: an input that cannot be used becomes a
Rejection naming the file (and line or record) and the reason, and reading goes on.

Locations: "dir/file.txt", "dir/file.jsonl:12" (1-based line), "dir/file.csv:7" (the line the
record starts on), "dir/file.json#3" (element of a JSON array), "crawl.warc.gz#3" (record number
in the archive, counting every record), "<stdin>:2" for standard input.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import glob
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import IO, Any, cast

from .errors import ReadError
from .settings import Settings
from .textsafety import printable
from .types import Hints, RawDocument, Rejection

Item = RawDocument | Rejection
Reader = Callable[[str, IO[bytes], Settings], Iterator[Item]]
"""reader(label, stream, settings): yields what it found in one file."""

# The one piece of module state: suffix (lower case, with its dot) -> reader.
_READERS: dict[str, Reader] = {}

STDIN_LABEL = "<stdin>"  # how locations name standard input; RawDocument.source_path is "-"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_GLOB_CHARS = frozenset("*?[")
_CHUNK = 1 << 16
# Decompression bounds. Text and HTML gzip 3-10 fold (a WARC of one site ~20); zeros or newlines
# ~1000 fold. The first GZIP_RATIO_FREE bytes are never checked, so small files always pass.
MAX_GZIP_RATIO = 100
GZIP_RATIO_FREE = 4 << 20
# WARC header lines are short (a long URL is a few KB).
MAX_WARC_LINE = 256 << 10
_SNIFF_BYTES = 8192
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_BOMS = tuple(bom for bom, name in _BOMS if name != "utf-8-sig")
# C0 controls that do not occur in text (tab, newlines, form feed and escape do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b")
_BLANK = b" \t\r\n\f\v"
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:-]+)", re.IGNORECASE)
_HTML_START = re.compile(rb"<(!doctype\s+html|html)[\s>]", re.IGNORECASE)
# Non-ASCII characters of Western European text read as cp1252: letters and the punctuation of
# typeset news. Chosen so that Central European (cp1250) text read as cp1252 mostly misses it.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœ"
    "‘’‚“”„–—…•€£¥©®°±«»·§¶¿¡™\u00a0"
)
# Charsets that browsers read as windows-1252 whatever the label says (WHATWG Encoding).
_AS_CP1252 = frozenset({"iso8859-1", "ascii", "cp1252"})


# -- the registry ----------------------------------------------------------------------------


def register_reader(suffixes: str | Iterable[str], reader: Reader) -> None:
    """Read files whose names end in any of SUFFIXES (".txt", ".warc.gz") with READER.

    The longest registered suffix that a file name ends with wins, so ".warc.gz" beats ".gz".
    Registering a suffix again replaces its reader.
    """
    for suffix in [suffixes] if isinstance(suffixes, str) else suffixes:
        if not suffix.startswith(".") or len(suffix) < 2:
            raise ValueError(f"a suffix starts with a dot, like '.txt': got {suffix!r}")
        _READERS[suffix.lower()] = reader


def reader_for(name: str) -> Reader | None:
    """The reader registered for the longest suffix of file name NAME, if any."""
    name = name.lower()
    matches = [suffix for suffix in _READERS if name.endswith(suffix)]
    return _READERS[max(matches, key=len)] if matches else None


# -- paths -----------------------------------------------------------------------------------


def read_paths(
    paths: Iterable[str],
    settings: Settings,
    *,
    stdin: IO[bytes] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[Item]:
    """RawDocuments and Rejections from files, directories, glob patterns and "-" (stdin).

    Directories are read recursively in sorted order, hidden files and directories skipped.
    A path that does not exist but holds * ? or [ is expanded as a glob (** recurses).
    Files at or under an EXCLUDE path (a run's own store and output files) are passed over when
    a directory or glob is walked; a file named outright is always read.
    """
    skip = _Excluded(exclude)
    for path in [paths] if isinstance(paths, str) else paths:
        path = os.fspath(path)
        if path == "-":
            source = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
            if source is None:
                yield _reject(STDIN_LABEL, "there is no standard input to read", "T101")
            else:
                yield from _read_stdin(source, settings)
        elif os.path.isdir(path):
            yield from _read_directory(path, settings, skip, set())
        elif os.path.lexists(path):
            yield from read_file(path, settings)
        elif _GLOB_CHARS.intersection(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield _reject(path, "no file matches this pattern", "T101")
            for match in matches:
                if skip(match):
                    continue
                if os.path.isdir(match):
                    yield from _read_directory(match, settings, skip, set())
                else:
                    yield from read_file(match, settings)
        else:
            yield _reject(
                path or "''", "no such file or directory" if path else "empty path", "T101"
            )


read = read_paths  # the public name: thucydides.read(paths, settings)


class _Excluded:
    """Is a path at or under one of the excluded paths?"""

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self._paths = tuple(os.path.realpath(p) for p in paths)

    def __call__(self, path: str) -> bool:
        if not self._paths:
            return False
        real = os.path.realpath(path)
        return any(real == p or real.startswith(p.rstrip(os.sep) + os.sep) for p in self._paths)


def _read_directory(
    directory: str, settings: Settings, skip: _Excluded, seen: set[str]
) -> Iterator[Item]:
    """Files under DIRECTORY, depth first in sorted order ("a/x", "b.txt"), never twice."""
    real = os.path.realpath(directory)
    if real in seen:  # a symbolic link back up the tree
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        yield _reject(directory, f"cannot list the directory: {exc.strerror}", "T101")
        return
    for name in names:
        path = os.path.join(directory, name)
        if name.startswith(".") or skip(path):
            continue
        if os.path.isdir(path):
            yield from _read_directory(path, settings, skip, seen)
        else:
            yield from read_file(path, settings)


def read_file(path: str | os.PathLike[str], settings: Settings) -> Iterator[Item]:
    """RawDocuments and Rejections from one file, read by the reader for its suffix."""
    label = os.fspath(path)
    try:
        mode = os.stat(label).st_mode
    except OSError as exc:
        yield _reject(label, f"cannot open: {exc.strerror or exc}", "T101")
        return
    if not stat.S_ISREG(mode):
        # open() on a FIFO waits for a writer forever, a device may never end: regular files only.
        yield _reject(label, f"not a regular file ({_file_kind(mode)}): not read", "T113")
        return
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since stat, open must not wait either.
        fd = os.open(label, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            yield _reject(label, "not a regular file: not read", "T113")
            return
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        stream = open(fd, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        yield _reject(label, f"cannot open: {exc.strerror or exc}", "T101")
        return
    with stream:
        yield from _guarded(label, _dispatch(label, os.path.basename(label), stream, settings))


def _file_kind(mode: int) -> str:
    """What a file that is not a regular one is, for the rejection message."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _dispatch(label: str, name: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    reader = reader_for(name)
    if reader is not None:
        yield from reader(label, stream, settings)
    elif name.lower().endswith(".gz"):
        # Any other .gz: decompress while reading and go by the name inside ("x.jsonl.gz").
        compressed = _CountingStream(stream)
        with gzip.GzipFile(fileobj=cast(IO[bytes], compressed), mode="rb") as unzipped:
            guard = _RatioGuard(label, cast(IO[bytes], unzipped), compressed)
            guarded = io.BufferedReader(guard, _CHUNK)
            yield from _dispatch(label, name[: -len(".gz")], cast(IO[bytes], guarded), settings)
    elif not os.path.splitext(name)[1]:
        yield from read_text_file(label, stream, settings)
    else:
        yield from _read_unknown(label, name, stream, settings)


def _read_unknown(label: str, name: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """A suffix nobody registered: HTML or plain text if the bytes say so, else T112."""
    head, stream = _peek(stream, _SNIFF_BYTES)
    suffix = os.path.splitext(name)[1]
    if _looks_binary(head):
        yield _reject(label, f"unsupported file type '{suffix}' (binary content)", "T112")
    elif _looks_like_html(head):
        yield from read_html_file(label, stream, settings)
    else:
        yield from read_text_file(label, stream, settings)


def _read_stdin(stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """Standard input, sniffed: '{' starts JSON lines, '<' an HTML page, anything else text."""
    chunks: list[bytes] = []
    size = 0
    while size <= settings.max_document_bytes:  # skip leading blank lines, however many
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if chunk.strip(_BLANK):
            break
    head = b"".join(chunks)
    rest = _Prefixed.stream(head, stream)
    first = head.removeprefix(codecs.BOM_UTF8).lstrip(_BLANK)[:1]
    reader = read_jsonl if first == b"{" else read_html_file if first == b"<" else read_text_file
    for item in _guarded(STDIN_LABEL, reader(STDIN_LABEL, rest, settings)):
        yield dataclasses.replace(item, source_path="-") if isinstance(item, RawDocument) else item


def _guarded(label: str, items: Iterator[Item]) -> Iterator[Item]:
    """Pass ITEMS on; if reading fails part way, say so in a Rejection instead of raising."""
    try:
        yield from items
    except ReadError as exc:
        yield exc.to_rejection()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield _reject(label, f"truncated or corrupt gzip data, rest of file skipped: {exc}", "T111")
    except OSError as exc:
        yield _reject(label, f"read failed, rest of file skipped: {exc}", "T111")
    except Exception as exc:  # a reader's bug must cost one file, not the run
        yield _reject(
            label, f"reading failed, rest of file skipped: {type(exc).__name__}: {exc}", "T111"
        )


# -- bytes -> text ---------------------------------------------------------------------------


def decode_bytes(data: bytes, location: str, declared: str | None = None) -> tuple[str, str]:
    """The text of DATA and the name of the encoding it was read with.

    In order: a byte-order mark; strict UTF-8; the DECLARED charset (HTTP header, <meta>);
    Western European single-byte text (cp1252, which also covers Latin-1); charset_normalizer's
    best guess; cp1252. A BOM is dropped from the text; nothing else is changed (line endings
    stay), because later offsets point into this text. ReadError T109 if nothing fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff"), encoding
            except UnicodeDecodeError as exc:
                raise ReadError(
                    location,
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}",
                    code="T109",
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    if declared:
        candidates.extend(_charset_names(declared))
    if _looks_western(data):
        candidates.append("cp1252")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes  # imported late: it is slow to import

    best = from_bytes(data[: 4 * _CHUNK]).best()
    for encoding in ([best.encoding] if best is not None else []) + ["cp1252"]:
        try:
            return data.decode(encoding), codecs.lookup(encoding).name
        except (LookupError, UnicodeDecodeError):
            continue
    raise ReadError(
        location, "cannot decode the bytes: not UTF-8 and no other encoding fits", code="T109"
    )


def _charset_names(declared: str) -> list[str]:
    """Codec names to try for a declared charset; [] if Python does not know it."""
    label = declared.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return []
    # Pages labelled Latin-1 or ASCII are windows-1252 in practice (curly quotes in 0x80-0x9f);
    # the label itself is kept as a fallback (Latin-1 decodes every byte).
    return ["cp1252", label] if name in _AS_CP1252 else [label]


def _looks_western(data: bytes) -> bool:
    """Is DATA, read as cp1252, Western European text? Short Latin-1 texts fool statistical
    detectors (charset_normalizer reads "José Müller" as cp775), and cp1252/Latin-1 is by far
    the likeliest single-byte encoding of English, French, German, Spanish or Portuguese news."""
    sample = data[:_CHUNK].decode("cp1252", errors="replace")
    high = [ch for ch in sample if ord(ch) > 127]
    letters = sum(ch.isalpha() for ch in sample)
    if not high or not letters:
        return False
    western = sum(ch in _WESTERN for ch in high)
    # Cyrillic or Greek read as cp1252 are all accented letters too, but then nearly every letter
    # is one; in Western text they are a small share.
    return western >= 0.9 * len(high) and len(high) <= 0.3 * letters


def _looks_binary(head: bytes) -> bool:
    """NUL bytes (without a UTF-16/32 byte-order mark) or many control characters."""
    sample = head[:_SNIFF_BYTES]
    if not sample or sample.startswith(_WIDE_BOMS):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.05 * len(sample)


def _looks_like_html(head: bytes) -> bool:
    start = head.removeprefix(codecs.BOM_UTF8).lstrip(_BLANK)
    if start.startswith(b"<?xml"):  # XHTML: an XML declaration, then the html element
        return _HTML_START.search(start[:2048]) is not None
    return _HTML_START.match(start) is not None


def _declared_html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (<meta>, or an XML declaration)."""
    head = data[:_SNIFF_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def _peek(stream: IO[bytes], size: int) -> tuple[bytes, IO[bytes]]:
    """The first SIZE bytes of STREAM, and a stream that still starts with them."""
    head = stream.read(size)
    return head, _Prefixed.stream(head, stream)


class _Prefixed(io.RawIOBase):
    """Bytes already read, then the rest of a stream: sniff a stream and still read all of it."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    @classmethod
    def stream(cls, head: bytes, rest: IO[bytes]) -> IO[bytes]:
        return io.BufferedReader(cls(head, rest), buffer_size=_CHUNK)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# -- checks shared by the readers ------------------------------------------------------------


def _read_document(label: str, stream: IO[bytes], settings: Settings, what: str) -> bytes:
    """All of a one-document stream, or ReadError: too large (T108), empty (T102), binary (T103)."""
    limit = settings.max_document_bytes
    size = _file_size(stream)
    if size is not None and size > limit:  # a file on disk: no need to read it to know
        raise ReadError(
            label,
            f"{what} is {size:,} bytes, more than max_document_bytes ({limit:,}); "
            "split it or raise the setting",
            code="T108",
        )
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadError(
            label,
            f"{what} is larger than max_document_bytes ({limit:,} bytes); "
            "split it or raise the setting",
            code="T108",
        )
    if not data:
        raise ReadError(label, f"empty {what}", code="T102")
    if _looks_binary(data):
        raise ReadError(
            label,
            f"binary data, not text (NUL bytes or control characters in the {what})",
            code="T103",
        )
    return data


def _file_size(stream: IO[bytes]) -> int | None:
    """The size of a plain file on disk (not of a decompressed or sniffed stream)."""
    raw = getattr(stream, "raw", None)
    if not isinstance(stream, io.BufferedReader) or not isinstance(raw, io.FileIO):
        return None
    try:
        return os.fstat(raw.fileno()).st_size if not raw.isatty() else None
    except OSError:
        return None


def _check_text(location: str, text: str, settings: Settings, what: str) -> None:
    """Plain text that is only whitespace (T102) or has a line no prose has (T107)."""
    if not text.strip():
        raise ReadError(location, f"empty {what}: only whitespace", code="T102")
    limit = settings.max_line_chars
    if len(text) <= limit:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > limit:
            raise ReadError(
                location,
                f"line {number} is {len(line):,} characters long (max_line_chars={limit:,}): "
                "not running text",
                code="T107",
            )


def _reject(location: str, message: str, code: str) -> Rejection:
    """A Rejection with a one-line message (exception texts may hold newlines)."""
    return ReadError(location, " ".join(message.split()), code=code).to_rejection()


# -- plain text and HTML files ---------------------------------------------------------------


def read_text_file(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """One plain-text document."""
    try:
        data = _read_document(label, stream, settings, "file")
        text, encoding = decode_bytes(data, label)
        _check_text(label, text, settings, "file")
    except ReadError as exc:
        yield exc.to_rejection()
        return
    yield RawDocument(label, label, "text/plain", text, encoding)


def read_html_file(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """One HTML page, markup and all: html.extract_html finds its main text later."""
    try:
        data = _read_document(label, stream, settings, "file")
        text, encoding = decode_bytes(data, label, _declared_html_charset(data))
        if not text.strip():
            raise ReadError(label, "empty file: only whitespace", code="T102")
    except ReadError as exc:
        yield exc.to_rejection()
        return
    yield RawDocument(label, label, "text/html", text, encoding)


# -- records: JSON lines, JSON arrays, CSV ---------------------------------------------------


def _record(
    label: str, location: str, record: object, settings: Settings, encoding: str | None
) -> Item:
    """A JSONL/JSON/CSV record -> RawDocument, or a Rejection saying what is wrong with it.

    Fields: id, text or html (html wins when both are there), url, date, title, source.
    """
    if not isinstance(record, dict):
        return _reject(
            location, f"a record must be a JSON object, got {_json_kind(record)}", "T104"
        )
    record_id = _hint(record, "id")
    html = _content(record, "html")
    text = _content(record, "text")
    if html is not None:
        media_type, content = "text/html", html
    elif text is not None:
        media_type, content = "text/plain", text
    else:
        named = f"record {record_id!r}" if record_id else "record"
        return _reject(location, f"{named} has no text or html", "T105")
    try:
        if len(content) > settings.max_document_bytes:
            raise ReadError(
                location,
                f"record text is longer than max_document_bytes ({settings.max_document_bytes:,})",
                code="T108",
            )
        if media_type == "text/plain":
            _check_text(location, content, settings, "record text")
    except ReadError as exc:
        return exc.to_rejection()
    hints = Hints(
        record_id=record_id,
        url=_hint(record, "url"),
        date=_hint(record, "date"),
        title=_hint(record, "title"),
        publisher=_hint(record, "source"),
    )
    return RawDocument(label, location, media_type, content, encoding, hints)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """TEXT with each lone surrogate (valid JSON such as "\\udcff", but no character: it cannot
    be written as UTF-8, parsed or stored) replaced by U+FFFD, the replacement character. Same
    length, so offsets are unchanged."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _content(record: dict[Any, Any], name: str) -> str | None:
    value = record.get(name)
    return without_surrogates(value) if isinstance(value, str) and value.strip() else None


def _hint(record: dict[Any, Any], name: str) -> str | None:
    value = record.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return without_surrogates(str(value)).strip() or None


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


def read_jsonl(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """One JSON object a line. Blank lines are skipped; every other bad line is a Rejection."""
    limit = settings.max_document_bytes
    number = 0
    blank = True  # no line with anything on it yet
    while line := stream.readline(limit + 1):
        number += 1
        location = f"{label}:{number}"
        if len(line) > limit and not line.endswith(b"\n"):
            blank = False
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the oversized line without holding it
            yield _reject(
                location, f"line is longer than max_document_bytes ({limit:,} bytes)", "T108"
            )
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        blank = False
        try:
            record = json.loads(line.rstrip(b"\r\n").decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield _reject(location, f"not UTF-8: {exc.reason} at byte {exc.start + 1}", "T109")
            continue
        except json.JSONDecodeError as exc:
            yield _reject(location, f"malformed JSON: {exc.msg} (column {exc.colno})", "T104")
            continue
        except (ValueError, RecursionError) as exc:
            yield _reject(location, f"malformed JSON: {exc}", "T104")
            continue
        yield _record(label, location, record, settings, "utf-8")
    if blank:
        yield _reject(label, "empty file" if not number else "empty file: only whitespace", "T102")


def read_json(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """A .json file: one JSON array of records (streamed), or JSON lines."""
    head, stream = _peek(stream, _SNIFF_BYTES)
    first = head.removeprefix(codecs.BOM_UTF8).lstrip(_BLANK)[:1]
    if first == b"[":
        yield from _read_json_array(label, stream, settings)
        return
    if first == b"{":
        # One object spread over several lines ("article.json") is one record; a file that
        # does not parse as one object is read as JSON lines.
        data = stream.read(settings.max_document_bytes + 1)
        if len(data) <= settings.max_document_bytes:
            try:
                value = json.loads(data.decode("utf-8-sig"))
            except (ValueError, RecursionError):
                value = None
            if isinstance(value, dict):
                yield _record(label, label, value, settings, "utf-8")
                return
        stream = _Prefixed.stream(data, stream)
    yield from read_jsonl(label, stream, settings)


class _TextWindow:
    """The decoded text of a UTF-8 byte stream, read a chunk at a time behind a cursor."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.eof = False

    def fill(self, size: int = _CHUNK) -> None:
        """Drop what the cursor has passed; read SIZE more bytes (UnicodeDecodeError if bad)."""
        data = self._stream.read(size)
        self.eof = not data
        self.text = self.text[self.pos :] + self._decoder.decode(data, final=self.eof)
        self.pos = 0

    def next_char(self) -> str:
        """The next non-blank character (not consumed), or "" at the end of the stream."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text) or self.eof:
                return self.text[self.pos : self.pos + 1]
            self.fill()


def _read_json_array(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """Elements of one JSON array, parsed one at a time so the file never has to fit in memory.

    Element locations are "file.json#N". A malformed element ends the file (there is no
    reliable place to pick up again): it and the rest are one T104.
    """
    window = _TextWindow(stream)
    decoder = json.JSONDecoder()
    limit = settings.max_document_bytes
    try:
        window.next_char()  # the "[" that read_json saw
        window.pos += 1
        if window.next_char() == "]":
            yield _reject(label, "the JSON array is empty", "T102")
            return
        index = 0
        while True:
            index += 1
            location = f"{label}#{index}"
            window.next_char()  # raw_decode does not skip blank space itself
            while True:
                try:
                    value, end = decoder.raw_decode(window.text, window.pos)
                    if end < len(window.text) or window.eof:
                        break  # a value ending at the end of the window may go on (a number)
                except json.JSONDecodeError as exc:
                    cut_off = exc.pos >= len(window.text) - 16 or exc.msg.startswith(
                        "Unterminated string"
                    )
                    if window.eof or not cut_off:
                        line = window.text.count("\n", window.pos, exc.pos) + 1
                        yield _reject(
                            location,
                            f"malformed JSON: {exc.msg} (line {line} of the element); "
                            "rest of file skipped",
                            "T104",
                        )
                        return
                    if len(window.text) - window.pos > limit:
                        yield _reject(
                            location,
                            f"array element is larger than max_document_bytes ({limit:,} bytes); "
                            "rest of file skipped",
                            "T108",
                        )
                        return
                # Read more, doubling, so a large element is parsed O(log n) times, not O(n).
                window.fill(max(_CHUNK, len(window.text) - window.pos))
            window.pos = end
            yield _record(label, location, value, settings, "utf-8")
            separator = window.next_char()
            window.pos += 1
            if separator == "]":
                break
            if separator != ",":
                found = f"{separator!r}" if separator else "the end of the file"
                yield _reject(
                    f"{label}#{index + 1}",
                    f"malformed JSON array: expected ',' or ']' but found {found}; "
                    "rest of file skipped",
                    "T104",
                )
                return
        if window.next_char():
            yield _reject(label, "extra data after the end of the JSON array", "T104")
    except UnicodeDecodeError as exc:
        yield _reject(label, f"not UTF-8: {exc.reason}; rest of file skipped", "T109")


def read_csv(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """Comma-separated records with a header row (columns as in JSON lines)."""
    yield from _read_delimited(label, stream, settings, ",")


def read_tsv(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """Tab-separated records with a header row (columns as in JSON lines)."""
    yield from _read_delimited(label, stream, settings, "\t")


def _read_delimited(
    label: str, stream: IO[bytes], settings: Settings, delimiter: str
) -> Iterator[Item]:
    limit = settings.max_document_bytes
    # Big fields are news stories; the module-wide limit is only ever raised here.
    if csv.field_size_limit() < limit + 1:
        csv.field_size_limit(limit + 1)
    head, stream = _peek(stream, _CHUNK)
    if not head.strip(_BLANK):
        yield _reject(label, "empty file" if not head else "empty file: only whitespace", "T102")
        return
    if _looks_binary(head):
        yield _reject(label, "binary data, not text", "T103")
        return
    try:
        encoding = _sniff_encoding(head, label, complete=len(head) < _CHUNK)
    except ReadError as exc:
        yield exc.to_rejection()
        return
    lines = _NumberedLines(_decoded_lines(label, stream, encoding, limit))
    reader = csv.DictReader(lines, delimiter=delimiter, strict=True)
    try:
        columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except ReadError as exc:
        yield exc.to_rejection()
        return
    except csv.Error as exc:
        yield _reject(f"{label}:1", f"malformed CSV header: {exc}", "T110")
        return
    if "text" not in columns and "html" not in columns:
        yield _reject(label, f"no 'text' or 'html' column (columns: {', '.join(columns)})", "T110")
        return
    reader.fieldnames = columns
    rows = 0
    while True:
        lines.mark()
        try:
            row = next(reader)
        except StopIteration:
            if not rows:
                yield _reject(label, "empty file: a header and no records", "T102")
            return
        except ReadError as exc:  # from the line reader: the file cannot go on
            yield exc.to_rejection()
            return
        except csv.Error as exc:
            location = f"{label}:{lines.start}"
            if "field larger than field limit" in str(exc):
                yield _reject(
                    location, f"a field is larger than max_document_bytes ({limit:,})", "T108"
                )
            else:
                yield _reject(location, f"malformed CSV: {exc}", "T110")
            continue
        rows += 1
        location = f"{label}:{lines.start}"
        # DictReader files surplus fields under None and fills missing ones with None.
        surplus = row.pop(None, None)
        missing = sum(value is None for value in row.values())
        if surplus or missing:
            count = len(columns) + len(surplus or ()) - missing
            yield _reject(
                location, f"row has {count} fields, the header has {len(columns)}", "T110"
            )
            continue
        yield _record(label, location, row, settings, encoding)


def _sniff_encoding(head: bytes, location: str, *, complete: bool) -> str:
    """The encoding of a stream from its first bytes (which may end inside a character)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        return decode_bytes(head, location)[1]


def _decoded_lines(label: str, stream: IO[bytes], encoding: str, limit: int) -> Iterator[str]:
    """Lines of text, line endings kept (csv wants them). A line that does not decode with the
    file's encoding is decoded on its own (files stitched from several sources do that)."""
    cap = 2 * limit + 2  # a record may be a little larger than its longest field
    if encoding.startswith(("utf-16", "utf-32")):  # bytes.readline would split characters
        decoder = codecs.getincrementaldecoder(encoding)()
        pending = ""
        while True:
            data = stream.read(_CHUNK)
            try:
                pending += decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                raise ReadError(label, f"not {encoding}: {exc.reason}", code="T109") from None
            *complete, pending = pending.split("\n")
            yield from (line + "\n" for line in complete)
            if len(pending) > cap:
                raise ReadError(label, f"a line is longer than {cap:,} characters", code="T108")
            if not data:
                if pending:
                    yield pending
                return
    number = 0
    while line := stream.readline(cap):
        number += 1
        if len(line) >= cap and not line.endswith(b"\n"):
            raise ReadError(
                f"{label}:{number}",
                f"line is longer than {cap:,} bytes; rest of file skipped",
                code="T108",
            )
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            yield line.decode("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            yield decode_bytes(line, f"{label}:{number}")[0]


class _NumberedLines:
    """An iterator of lines that knows on which line the record csv is reading started."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.number = 0
        self.start = 0
        self._marked = False

    def __iter__(self) -> _NumberedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        # csv skips blank lines between records; the record starts at the next other line.
        if self._marked and line not in ("\n", "\r\n"):
            self.start = self.number
            self._marked = False
        return line

    def mark(self) -> None:
        """A new record begins with the next non-blank line."""
        self._marked = True
        self.start = self.number + 1


# -- WARC and ARC archives -------------------------------------------------------------------


class _CountingStream:
    """Counts the bytes read through it and keeps the last few, to see what follows the last
    whole record of an archive. warcio calls tell(); nothing else."""

    def __init__(self, stream: IO[bytes], start: int = 0) -> None:
        self._stream = stream
        self.count = start  # bytes before START count too: offsets are the file's
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        self.tail = (self.tail + data)[-256:]
        return data

    def tell(self) -> int:
        return self.count

    def after(self, offset: int) -> bytes | None:
        """The bytes after OFFSET if they are among the last kept, None if there are more."""
        extra = self.count - offset
        if extra <= 0:
            return b""
        return self.tail[-extra:] if extra <= len(self.tail) else None


class _RatioGuard(io.RawIOBase):
    """Decompressed bytes, stopped with T114 when they outgrow the compressed bytes read by
    more than MAX_GZIP_RATIO (past the first GZIP_RATIO_FREE bytes): a gzip bomb of newlines
    or zeros would otherwise cost minutes of CPU or gigabytes of memory."""

    def __init__(self, label: str, unzipped: IO[bytes], compressed: _CountingStream) -> None:
        self._label = label
        self._unzipped = unzipped
        self._compressed = compressed
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._unzipped.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        if self.count > GZIP_RATIO_FREE and self.count > MAX_GZIP_RATIO * max(
            self._compressed.count, 1
        ):
            raise ReadError(
                self._label,
                f"gzip data expands more than {MAX_GZIP_RATIO}-fold ({self.count:,} bytes from "
                f"{self._compressed.count:,}): a decompression bomb, not text; rest of file "
                "skipped",
                code="T114",
            )
        return len(data)


class _CappedLines:
    """warcio's reader with a bound on what readline returns: warcio reads a record's first
    line and headers with no length limit, so 100 MB of zeros as .warc.gz is one 100 MB line
    (2 GB of memory). A line longer than MAX_WARC_LINE is ReadError T115. Everything else goes
    to the wrapped reader."""

    def __init__(self, reader: Any, location: Callable[[], str]) -> None:
        self._reader = reader
        self._location = location

    def readline(self, length: int | None = None) -> bytes:
        if length is not None and 0 < length <= MAX_WARC_LINE:
            # A bounded read (warcio looks at the few bytes after a record): not a header line.
            return cast(bytes, self._reader.readline(length))
        cap = MAX_WARC_LINE
        line: bytes = self._reader.readline(cap + 1)
        if len(line) > cap and not line.endswith(b"\n"):
            raise ReadError(
                self._location(),
                f"a header line is longer than {MAX_WARC_LINE:,} bytes: not a WARC record "
                "(a corrupt or hostile archive)",
                code="T115",
            )
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def read_warc(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """HTML and plain-text documents of a WARC archive, gzipped per record or not.

    Only successful (200) responses and resource records with an HTML or text type count;
    requests, metadata, revisits, images and the like are skipped without a word. A corrupt
    record is one T111 naming it and its byte offset, and reading goes on at the next record;
    a cut-off archive yields what could be read, then one T111 for the rest.
    """
    yield from _read_archive(label, stream, settings, arc=False)


def read_arc(label: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """The same for the older ARC format (read through warcio's ARC-to-WARC conversion)."""
    yield from _read_archive(label, stream, settings, arc=True)


@dataclasses.dataclass
class _ArchiveStop:
    """Where and why reading an archive stopped before its end."""

    number: int  # the record that could not be read (records count from 1)
    offset: int  # where in the file it starts
    reason: str
    code: str = "T111"


def _read_archive(
    label: str, stream: IO[bytes], settings: Settings, *, arc: bool
) -> Iterator[Item]:
    """The records of an archive. A record that cannot be read is named (T111, T115) and,
    where the file can be searched (a regular file), reading goes on at the next record: the
    next gzip member that holds one (WARC files are one member per record), or in an
    uncompressed WARC the next line starting a WARC header. Otherwise the rest is skipped."""
    searchable = _seekable(stream)
    gzipped = False
    if searchable:
        gzipped = stream.read(2) == b"\x1f\x8b"
        stream.seek(0)
    start, number = 0, 0
    while True:
        stop = yield from _archive_part(
            label, stream, settings, arc=arc, start=start, number=number, gzipped=gzipped
        )
        if stop is None:
            return
        location = f"{label}#{stop.number}"
        resume = (
            _next_record(stream, stop.offset + 1, gzipped=gzipped, arc=arc) if searchable else None
        )
        if resume is None:
            yield _reject(location, f"{stop.reason}; rest of file skipped", stop.code)
            return
        yield _reject(
            location,
            f"{stop.reason} (the record at byte {stop.offset:,}); skipped to the next record, "
            f"at byte {resume:,}",
            stop.code,
        )
        start, number = resume, stop.number


def _archive_part(
    label: str,
    stream: IO[bytes],
    settings: Settings,
    *,
    arc: bool,
    start: int,
    number: int,
    gzipped: bool,
) -> Generator[Item, None, _ArchiveStop | None]:
    """The records from byte START on, numbered after NUMBER; returns (as a generator's
    value) an _ArchiveStop if one cannot be read, None at a clean end."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    if start:
        stream.seek(start)
    counted = _CountingStream(stream, start)
    index = number
    failing = number + 1  # the record a failure now would be in
    end = start  # where the last whole record ended
    # Where a record that could not be parsed starts: right where the last one ended (a gzip
    # member), or after the blank line that ends a WARC record.
    unparsed = 0 if gzipped else len(b"\r\n\r\n")
    try:
        records = ArchiveIterator(counted, arc2warc=arc)
        _fail_on_corrupt_members(records.reader)
        records.reader = _CappedLines(records.reader, lambda: f"{label}#{failing}")
        for index, record in enumerate(records, start=number + 1):
            failing = index  # its content, or its end (a gzip member's checksum), may fail
            location = f"{label}#{index}"
            if not arc and record.format != "warc":
                return _ArchiveStop(index, end + unparsed, "not a WARC record")
            item = _warc_item(label, location, record, settings, arc=arc)
            records.read_to_end(record)
            here = records.get_record_offset()  # known once read to the end (else it reads)
            if getattr(record.raw_stream, "limit", 0):  # fewer bytes than its Content-Length
                return _ArchiveStop(index, here, "truncated archive: the record is cut off")
            if records.err_count:  # warcio found no blank line where the record should end
                return _ArchiveStop(
                    index,
                    here,
                    "malformed archive: the record's Content-Length does not match its content",
                )
            end = records.get_record_offset() + records.get_record_length()
            failing = index + 1
            if item is not None:
                yield item
    except ReadError as exc:
        return _ArchiveStop(failing, end + unparsed, exc.message, exc.code)
    except (
        ArchiveLoadFailed,
        StatusAndHeadersParserException,
        EOFError,
        OSError,
        ValueError,
        zlib.error,
    ) as exc:
        reason = " ".join(printable(str(exc)).split())[:200]
        return _ArchiveStop(failing, end + unparsed, f"malformed or truncated archive: {reason}")
    # warcio drops a cut-off last gzip member without a word: look at what follows the last
    # whole record. Blank lines close records; anything else is a record we lost.
    rest = counted.after(end)
    if rest is None or rest.strip(_BLANK):
        return _ArchiveStop(
            index + 1,
            end + unparsed,
            f"truncated archive: {counted.count - end:,} bytes after the last whole record",
        )
    return None


class _CorruptMember(zlib.error):
    """A gzip member that fails to decompress part way (a corrupt or cut-off record)."""


def _fail_on_corrupt_members(reader: Any) -> None:
    """Make warcio's decompressing READER raise on a member that fails part way: it writes the
    zlib error to standard error and goes on as if the member had ended, so the records after a
    corrupt one vanish without a word. (warcio's own fallback, a first block that is not gzip,
    is kept: it reads an uncompressed WARC.) Uses warcio's internals; if they are not as
    expected, READER is left as it is."""
    decompress = getattr(reader, "_decompress", None)
    if decompress is None or not hasattr(reader, "num_block_read"):
        return

    def strict(data: bytes) -> bytes:
        decompressor = getattr(reader, "decompressor", None)
        if decompressor is None or not data or reader.num_block_read == 0:
            return cast(bytes, decompress(data))
        try:
            return cast(bytes, decompressor.decompress(data))
        except zlib.error as exc:
            raise _CorruptMember(f"corrupt gzip data: {exc}") from None

    reader._decompress = strict


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, OSError, ValueError):
        return False


# How far past a candidate the search reads to check that a record starts there.
_RECORD_CHECK_BYTES = 1 << 16
_WARC_HEADER_START = re.compile(rb"WARC/1\.\d\r?\n")


def _next_record(stream: IO[bytes], after: int, *, gzipped: bool, arc: bool) -> int | None:
    """Where the next readable record starts at or after byte AFTER, or None: for a gzipped
    archive a gzip member whose first bytes decompress to a record header, for a plain WARC a
    line starting a WARC header (a plain ARC has no mark to find records by)."""
    if arc and not gzipped:
        return None
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    position = after if gzipped else after - 1  # the newline before the header may be at AFTER-1
    while True:
        stream.seek(position)
        chunk = stream.read(_CHUNK * 16)
        if len(chunk) < len(marker):
            return None
        found = chunk.find(marker)
        while found != -1:
            candidate = position + found + (0 if gzipped else 1)
            if _record_starts_at(stream, candidate, gzipped=gzipped, arc=arc):
                return candidate
            found = chunk.find(marker, found + 1)
        position += len(chunk) - len(marker) + 1


def _record_starts_at(stream: IO[bytes], offset: int, *, gzipped: bool, arc: bool) -> bool:
    stream.seek(offset)
    head = stream.read(_RECORD_CHECK_BYTES)
    if not gzipped:
        return _WARC_HEADER_START.match(head) is not None
    try:
        # A few bytes out only: the member may be a bomb.
        first = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
    except zlib.error:
        return False
    return bool(first) if arc else first.startswith(b"WARC/")


def _warc_item(
    label: str, location: str, record: Any, settings: Settings, *, arc: bool
) -> Item | None:
    """A document from one archive record, a Rejection, or None for records that are not
    documents (requests, metadata, images, errors, redirects)."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    if mime and mime not in HTML_TYPES and mime != "text/plain":
        return None
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    hints = Hints(
        # An ARC record has no id: warcio makes up a new one on every read, which is no use.
        record_id=None if arc else record.rec_headers.get_header("WARC-Record-ID"),
        url=record.rec_headers.get_header("WARC-Target-URI"),
    )
    try:
        data = record.content_stream().read(settings.max_document_bytes + 1)
    except Exception as exc:  # broken chunked or gzip transfer encoding: this record only
        return _reject(location, f"cannot read the record's content: {exc!r}", "T111")
    try:
        if not mime:  # no type given: a document only if the bytes look like one
            if not data.strip(_BLANK) or _looks_binary(data):
                return None
            mime = "text/html" if data.lstrip(_BLANK)[:1] == b"<" else "text/plain"
        data = _read_document(location, io.BytesIO(data), settings, "record")
        declared = charset.group(1) if charset else None
        if mime == "text/plain":
            text, encoding = decode_bytes(data, location, declared)
            _check_text(location, text, settings, "record")
            return RawDocument(label, location, "text/plain", text, encoding, hints)
        text, encoding = decode_bytes(data, location, declared or _declared_html_charset(data))
        if not text.strip():
            raise ReadError(location, "empty record: only whitespace", code="T102")
        return RawDocument(label, location, "text/html", text, encoding, hints)
    except ReadError as exc:
        return exc.to_rejection()


# -- the built-in readers, registered like anyone else's ------------------------------------

register_reader([".txt", ".text"], read_text_file)
register_reader([".html", ".htm", ".xhtml"], read_html_file)
register_reader([".jsonl", ".ndjson"], read_jsonl)
register_reader(".json", read_json)
register_reader(".csv", read_csv)
register_reader(".tsv", read_tsv)
register_reader([".warc", ".warc.gz"], read_warc)
register_reader([".arc", ".arc.gz"], read_arc)

"""DuckDB's and the OS's errors as one-line StoreErrors naming the store file and the reason."""

from __future__ import annotations

import duckdb

from ..errors import StoreError


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# Words in DuckDB's (and the OS's) messages -> what they mean for the user. DuckDB raises one
# IOException for all of them, with the OS's words in the message.
_UNWRITABLE = {
    "no space left on device": "the disk is full",
    "disk quota exceeded": "the disk quota is used up",
    "read-only file system": "the file system is read-only",
    "permission denied": "no permission",
    "operation not permitted": "no permission",
}
_DAMAGED = (
    "could not read enough bytes",  # truncated: a block past the end of the file
    "corrupt",
    "checksum",
    "invalid block",
    "failed to deserialize",
    "serialization error",
)


def store_failure(
    path: str,
    exc: BaseException,
    *,
    doing: str = "cannot open the store",
    code: str = "T401",
    writing: bool = True,
) -> StoreError:
    """EXC, raised while using the store at PATH, as one line naming PATH and the reason.

    A full disk or a file that may not be written is T405 (when WRITING: a read that may not
    read is T401), a truncated or corrupted file T404; anything else is CODE, after DOING
    ("cannot open the store", "query failed").
    """
    if isinstance(exc, StoreError):
        return exc
    reason = first_line(exc)
    lowered = reason.lower()
    if isinstance(exc, OSError) and exc.strerror:
        lowered += " " + exc.strerror.lower()
    for words, meaning in _UNWRITABLE.items():
        if words not in lowered:
            continue
        if not writing and meaning == "no permission":
            return StoreError(f"{path}: cannot open the store: no permission to read it ({reason})")
        return StoreError(f"{path}: cannot write the store: {meaning} ({reason})", code="T405")
    if "is a directory" in lowered:
        return StoreError(f"{path}: cannot open the store: a directory, not a store file")
    if "not a valid duckdb database file" in lowered:
        # Garbage, another format, an empty file: the same fault as a store whose header is
        # damaged (which DuckDB words differently, by chance of what bytes 8-12 hold), so the
        # same code from every command.
        return StoreError(
            f"{path}: the store file is damaged or not a DuckDB store: {reason}; restore it "
            "from a copy or start a new store with another --db",
            code="T404",
        )
    if any(words in lowered for words in _DAMAGED):
        return StoreError(
            f"{path}: the store file is damaged (truncated or corrupted): {reason}; "
            "restore it from a copy or start a new store with another --db",
            code="T404",
        )
    return StoreError(f"{path}: {doing}: {reason}", code=code)


def sql_failure(
    path: str, exc: duckdb.Error, doing: str = "query failed", *, writing: bool = True
) -> StoreError:
    """A failed statement as a one-line StoreError: T404 or T405 naming the file when the
    file is at fault (an I/O error, a failed checksum), else T403 with DuckDB's reason."""
    # Only errors of those kinds are looked into: the SQL's own errors may quote its text.
    if isinstance(exc, duckdb.IOException) or type(exc) is duckdb.Error:
        failure = store_failure(path, exc, writing=writing)
        if failure.code in ("T404", "T405"):
            return failure
    return StoreError(f"{doing}: {first_line(exc)}", code="T403")

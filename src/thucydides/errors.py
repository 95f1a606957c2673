"""Errors and their stable message codes.

Hierarchy::

    ThucydidesError            anything we raise on purpose; has .code and a one-line message
    ├── InputError             one input (file, line, record) cannot be used; the run goes on
    │   ├── ReadError          T1xx: missing, empty, binary, undecodable, malformed, too large
    │   └── CleanError         T2xx: nothing left after cleaning
    ├── SettingsError          T5xx: a bad setting or settings file
    │   └── MissingExtraError  T503: an optional part (extra) is not installed; an ImportError too
    ├── StoreError             T4xx: the database cannot be opened, read or written, or is of a
    │                          newer schema (store.store_failure names the file and the reason)
    ├── LexiconError           T6xx: a lexicon file has a bad row (names file and line)
    └── WorkerError            T9xx: a worker process died and the run cannot go on

Codes are stable: users grep for them, and tests pin them.
"""

from __future__ import annotations

from .types import Rejection

# code -> short meaning; the message carries the specifics.
CODES: dict[str, str] = {
    "T101": "input not found",
    "T102": "empty input",
    "T103": "binary, not text",
    "T104": "malformed JSON line",
    "T105": "record without text",
    "T106": "HTML without extractable main text",
    "T107": "line too long to be running text",
    "T108": "document too large",
    "T109": "cannot decode the bytes",
    "T110": "malformed CSV",
    "T111": "malformed or truncated archive",
    "T112": "unsupported file type",
    "T113": "not a regular file (FIFO, socket, device)",
    "T114": "decompression bomb: gzip data expands far more than text does",
    "T115": "archive header line too long (corrupt or hostile WARC)",
    "T201": "no body text left after cleaning",
    "T299": "internal error on one document (a bug: please report it with the input)",
    "T301": "internal error while coding one document's events (a bug: please report it)",
    "T302": "the language parser failed on one document (please report it with the input)",
    "T401": "cannot open the store",
    "T402": "store schema is newer than this version of thucydides",
    "T403": "query failed",
    "T404": "the store file is damaged (truncated, corrupted) or not a DuckDB store",
    "T405": "cannot write the store (disk full, no permission, read-only file system)",
    "T501": "bad setting",
    "T502": "spaCy pipeline not installed",
    "T503": "optional dependency not installed (pip install 'thucydides[EXTRA]')",
    "T601": "bad lexicon file",
    "T701": "bad gold file",
    "T703": "a learned scorer model file that cannot be used",
    "T704": "training the scorer cannot go on (no data, dev set among the training articles)",
    "T801": "bad request parameter",
    "T802": "unauthorised: missing or wrong API token",
    "T803": "request too large",
    "T804": "unsupported media type",
    "T805": "nothing usable in the upload",
    "T806": "not found",
    "T807": "request body timed out",
    "T808": "an uploaded record failed in the pipeline",
    "T901": "a worker process died",
}


class ThucydidesError(Exception):
    code = "T000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(ThucydidesError):
    """One input cannot be used. Carries where it is, so it can become a Rejection."""

    stage = "read"

    def __init__(self, location: str, message: str, *, code: str) -> None:
        super().__init__(message, code=code)
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: [{self.code}] {self.message}"

    def to_rejection(self) -> Rejection:
        return Rejection(
            location=self.location, stage=self.stage, code=self.code, message=self.message
        )


class ReadError(InputError):
    stage = "read"


class CleanError(InputError):
    stage = "clean"


class SettingsError(ThucydidesError):
    code = "T501"


class StoreError(ThucydidesError):
    code = "T401"


class WorkerError(ThucydidesError):
    """A worker process of `extract --workers N` died (kill -9, out of memory) too often."""

    code = "T901"


class LexiconError(ThucydidesError):
    code = "T601"


class MissingExtraError(SettingsError, ImportError):
    """A command or function needs an optional part that is not installed.

    The message names what is missing and the pip command that brings it; an ImportError too,
    so code that guards an optional import with `except ImportError` keeps working.
    """

    code = "T503"

    def __init__(self, what: str, module: str, extra: str) -> None:
        super().__init__(
            f"{what} needs {module}, which is not installed: pip install 'thucydides[{extra}]'",
            code="T503",
        )
        self.module = module
        self.extra = extra


def require_extra(module: str, extra: str, what: str) -> None:
    """Raise MissingExtraError unless MODULE can be imported (the check imports nothing)."""
    import importlib.util

    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a None entry in sys.modules
        found = False
    if not found:
        raise MissingExtraError(what, module, extra)

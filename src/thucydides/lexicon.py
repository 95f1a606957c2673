"""Reading the data files in `lexicons/` (and a user's overlay directory).

Every lexicon is a tab-separated file: comment lines starting with '#' explain the columns, then
one header row naming them, then data rows. A user's `--lexicon-dir` may hold a file of the same
name; its rows are added after the packaged ones. Problems are reported with file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import LexiconError


@dataclass(frozen=True, slots=True)
class LexiconRow:
    location: str  # "boilerplate.tsv:14", for messages that point at the row
    values: dict[str, str]
    packaged: bool = True  # False for rows from the user's --lexicon-dir


def _rows(
    text: str, source: str, columns: Sequence[str], packaged: bool = True
) -> Iterator[LexiconRow]:
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [cell.strip() for cell in cells]
            missing = [name for name in columns if name not in header]
            if missing:
                raise LexiconError(
                    f"{source}:{number}: header lacks column(s) {', '.join(missing)}; "
                    f"expected {' | '.join(columns)}"
                )
            continue
        if len(cells) > len(header):
            raise LexiconError(
                f"{source}:{number}: {len(cells)} cells for {len(header)} columns (a stray tab?)"
            )
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        yield LexiconRow(f"{source}:{number}", values, packaged)


def load_table(
    name: str, columns: Sequence[str], lexicon_dir: str | Path | None = None
) -> list[LexiconRow]:
    """Packaged rows of lexicons/NAME, then those of LEXICON_DIR/NAME if that file exists."""
    packaged = resources.files("thucydides").joinpath("lexicons", name)
    rows = list(_rows(packaged.read_text(encoding="utf-8"), name, columns))
    if lexicon_dir is not None:
        user_file = Path(lexicon_dir) / name
        if user_file.is_file():
            rows.extend(
                _rows(user_file.read_text(encoding="utf-8"), str(user_file), columns, False)
            )
    return rows


def lexicon_version(lexicon_dir: str | Path | None = None) -> str:
    """A short fingerprint of the lexicons a run codes with: the packaged tables and, with
    LEXICON_DIR, the user's tables that extend them. Recorded with every run, so two stores (or
    two runs) can be told to have been coded with the same word lists or not."""
    import hashlib

    digest = hashlib.sha256()
    packaged = resources.files("thucydides").joinpath("lexicons")
    for entry in sorted(packaged.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".tsv"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    version = digest.hexdigest()[:12]
    if lexicon_dir is not None and Path(lexicon_dir).is_dir():
        user = hashlib.sha256()
        for path in sorted(Path(lexicon_dir).glob("*.tsv")):
            user.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        version += f"+user-{user.hexdigest()[:12]}"
    return version

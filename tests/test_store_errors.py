"""A store that cannot be used (truncated or corrupted file, garbage bytes, a directory, no
permission, a full disk) is one line naming the file and the reason, with a T4xx code, from
every command that opens it: never a traceback. Real store files; the disk is really full
(the store's WAL is /dev/full)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.errors import StoreError
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store, store_failure

runner = CliRunner()

ARTICLES = {
    "harbour.txt": "Norway signed a fishing agreement with Iceland in Oslo on Monday, "
    "the ministry said. Iceland thanked Norway for the talks.",
    "border.txt": "Chile accused Peru of moving troops to the border on Tuesday. Peru denied "
    "it and invited Chile to talks in Lima next week.",
    "aid.txt": "Japan promised aid to the Philippines after the storm, officials in Manila "
    "said on Wednesday. The Philippines praised Japan.",
}
BAD_LINES = '{"id": "cut", "text": "no end\n{"id": "empty", "text": ""}\n'
# Every command that opens the store, with what it needs besides --db.
COMMANDS = [
    ["info"],
    ["top"],
    ["dyad", "NOR", "ISL"],
    ["query", "SELECT max(sentence), max(body) FROM events, documents"],
    ["export", "--out", "{tmp}/events.jsonl"],
    ["plot", "network", "--out", "{tmp}/network.svg"],
    ["extract", "{tmp}/more.txt", "--quiet"],
]


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("store-errors")
    inputs = directory / "in"
    inputs.mkdir()
    for name, text in ARTICLES.items():
        (inputs / name).write_text(text + "\n", encoding="utf-8")
    (inputs / "bad.jsonl").write_text(BAD_LINES, encoding="utf-8")
    db = directory / "real.duckdb"
    summary = extract([str(inputs)], Settings(db=str(db)))
    assert summary.stored == 3 and summary.events >= 3 and summary.rejected == 2
    return db


def _run(command: list[str], db: Path, tmp: Path) -> tuple[int, str]:
    (tmp / "more.txt").write_text(
        "Kenya and Uganda agreed on Friday to reopen their border posts.\n", encoding="utf-8"
    )
    arguments = [part.replace("{tmp}", str(tmp)) for part in command]
    result = runner.invoke(app, [*arguments, "--db", str(db)])
    return result.exit_code, result.output


def _one_line_error(output: str, path: Path, codes: tuple[str, ...]) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert "Traceback" not in output and str(path) in lines[0], output
    code = next((c for c in codes if f"[{c}]" in lines[0]), None)
    assert code is not None, output
    return code


def test_a_truncated_store_is_t404_from_every_command(real_store: Path, tmp_path: Path) -> None:
    data = real_store.read_bytes()
    failed: dict[str, set[str]] = {}
    for fraction in (0.25, 0.5, 0.75):
        cut = tmp_path / f"cut-{fraction}.duckdb"
        cut.write_bytes(data[: int(len(data) * fraction)])
        for command in COMMANDS:
            code, output = _run(command, cut, tmp_path)
            if code == 0:  # it read nothing past the cut: a fine answer
                continue
            assert code == 1, output
            failed.setdefault(command[0], set()).add(_one_line_error(output, cut, ("T404",)))
    # Every command met the damage somewhere (this was a traceback or T403 "query failed").
    assert set(failed) == {command[0] for command in COMMANDS}, failed


def test_a_store_cut_in_its_header_is_t404(real_store: Path, tmp_path: Path) -> None:
    cut = tmp_path / "header.duckdb"
    cut.write_bytes(real_store.read_bytes()[:5000])
    for command in COMMANDS:
        code, output = _run(command, cut, tmp_path)
        assert code == 1 and _one_line_error(output, cut, ("T404",)) == "T404"


def test_a_corrupted_block_is_t404(real_store: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.duckdb"
    data = bytearray(real_store.read_bytes())
    # Overwrite every data block (past the two headers) with garbage: DuckDB's checksums fail.
    for start in range(3 * 4096, len(data), 256 * 1024):
        data[start + 8 : start + 4096] = os.urandom(4096 - 8)
    damaged.write_bytes(bytes(data))
    code, output = _run(["info"], damaged, tmp_path)
    assert code == 1 and _one_line_error(output, damaged, ("T404",)) == "T404"


@pytest.mark.parametrize("kind", ["random", "text", "zeros", "empty", "duckdb-magic"])
def test_a_file_that_is_not_a_store_is_t404_from_every_command(tmp_path: Path, kind: str) -> None:
    """Garbage given as --db is one fault, whatever its bytes: random bytes were T401 and
    random bytes that happen to carry DuckDB's magic number T404."""
    path = tmp_path / "store.duckdb"
    garbage = {
        "random": os.urandom(300_000),
        "text": b"this is a text file, not a store\n" * 1_000,
        "zeros": bytes(300_000),
        "empty": b"",
        "duckdb-magic": os.urandom(8) + b"DUCK" + os.urandom(300_000),
    }[kind]
    codes = set()
    for command in COMMANDS:
        path.write_bytes(garbage)
        code, output = _run(command, path, tmp_path)
        assert code == 1, output
        codes.add(_one_line_error(output, path, ("T401", "T404")))
    assert codes == {"T404"}


def test_a_directory_is_t401(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    path.mkdir()
    for command in COMMANDS:
        code, output = _run(command, path, tmp_path)
        assert code == 1 and _one_line_error(output, path, ("T401",)) == "T401"
        assert "a directory, not a store file" in output


def _unwritable_directory(tmp_path: Path) -> Path:
    """A directory this process may not create files in: a read-only one, or for root (whom
    file modes do not stop) a sysfs directory."""
    directory = tmp_path / "read-only"
    directory.mkdir()
    directory.chmod(0o555)
    probe = directory / "probe"
    try:
        probe.write_text("")
    except OSError:
        return directory
    probe.unlink()
    sysfs = Path("/sys/kernel")
    try:
        (sysfs / "thucydides-probe").write_text("")
    except OSError:
        return sysfs
    pytest.skip("no directory here that this user cannot write to")


def test_no_permission_to_write_is_t405(tmp_path: Path) -> None:
    directory = _unwritable_directory(tmp_path)
    try:
        db = directory / "new.duckdb"
        code, output = _run(["extract", "{tmp}/more.txt", "--quiet"], db, tmp_path)
        assert code == 1 and _one_line_error(output, db, ("T405",)) == "T405"
        assert "no permission" in output
    finally:
        if directory.is_relative_to(tmp_path):
            directory.chmod(0o755)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_t405_and_the_store_stays_as_it_was(
    real_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "full.duckdb"
    shutil.copyfile(real_store, db)
    wal = Path(f"{db}.wal")
    wal.symlink_to("/dev/full")  # every write to the WAL fails with ENOSPC, as on a full disk
    code, output = _run(["extract", "{tmp}/more.txt", "--quiet"], db, tmp_path)
    assert code == 1 and _one_line_error(output, db, ("T405",)) == "T405"
    assert "the disk is full" in output
    wal.unlink()
    with Store(db, read_only=True) as store:  # nothing half-written
        assert store.count("documents") == 3


def test_a_failed_write_in_the_library_is_a_store_error(
    real_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(real_store, db)
    (tmp_path / "more.txt").write_text("Kenya and Uganda agreed to reopen the border.\n")

    def disk_full(*_: object, **__: object) -> int:
        raise duckdb.IOException('IO Error: Could not write file "x.wal": No space left on device')

    monkeypatch.setattr(Store, "add_documents", disk_full)
    with pytest.raises(StoreError) as caught:
        extract([str(tmp_path / "more.txt")], Settings(db=str(db)), ExtractOptions())
    assert caught.value.code == "T405" and str(db) in str(caught.value)


def test_store_failure_says_what_the_error_means() -> None:
    def failure(message: str, **options: bool) -> StoreError:
        return store_failure("s.duckdb", duckdb.IOException(message), **options)

    assert failure("IO Error: Could not read enough bytes from file").code == "T404"
    assert failure("Corrupt database file: computed checksum 1 does not match").code == "T404"
    assert failure("Could not write: No space left on device").code == "T405"
    assert failure("Cannot open file: Read-only file system").code == "T405"
    assert failure("Cannot open file: Permission denied").code == "T405"
    assert failure("Cannot open file: Permission denied", writing=False).code == "T401"
    assert failure("Could not read from file: Is a directory").code == "T401"
    garbage = 'IO Error: The file "x" exists, but it is not a valid DuckDB database file!'
    assert failure(garbage).code == "T404"
    assert failure("Could not set lock on file").code == "T401"
    assert all("s.duckdb" in str(failure(m)) for m in ("Corrupt", "No space left on device"))


def test_sql_errors_quoting_words_are_still_t403(real_store: Path) -> None:
    with Store(real_store, read_only=True) as store, pytest.raises(StoreError) as caught:
        store.query("SELECT CAST('No space left on device, corrupt' AS INTEGER)")
    assert caught.value.code == "T403"

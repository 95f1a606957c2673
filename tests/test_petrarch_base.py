"""The packaged PETRARCH-2 base layer of office_holders.tsv (scripts/build_petrarch_base.py):
rebuilt from the shared dictionaries it is the packaged file byte for byte, every row says where
it came from, our rows come first, and the build lists the rows of people we also have rows for."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from importlib import resources
from pathlib import Path
from types import ModuleType

from conftest import shared_path

from thucydides.actors import OfficeHolderLexicon
from thucydides.lexicon import load_table

ROOT = Path(__file__).resolve().parent.parent
PACKAGED = resources.files("thucydides").joinpath("lexicons")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_petrarch_base", ROOT / "scripts" / "build_petrarch_base.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_packaged_row_names_its_source_and_ours_come_first() -> None:
    rows = load_table("office_holders.tsv", ("name", "source"))
    sources = [row.values["source"] for row in rows]
    assert all(s == "thucydides" or s.startswith("petrarch2:Phoenix.") for s in sources)
    ours = sources.count("thucydides")
    assert ours > 500 and sources[:ours] == ["thucydides"] * ours
    assert len(sources) - ours > 20000
    assert "MIT License" in PACKAGED.joinpath("PETRARCH2-LICENSE.txt").read_text()


def test_the_base_layer_tells_a_career_our_rows_do_not() -> None:
    holders = OfficeHolderLexicon()
    # Before our first row for him the imported rows speak; from it on, ours.
    before = holders.lookup("Vladimir Putin", date(1990, 6, 1))
    assert before is not None and before.source.startswith("petrarch2:")
    later = holders.lookup("Vladimir Putin", date(2019, 6, 1))
    assert later is not None and (later.source, later.role) == ("thucydides", "president")


def test_the_build_reproduces_the_packaged_files_and_lists_conflicts(tmp_path: Path) -> None:
    dictionaries = shared_path("dictionaries", "petrarch2")
    for name in ("office_holders.tsv", "PETRARCH2-CONFLICTS.txt"):
        shutil.copyfile(str(PACKAGED.joinpath(name)), tmp_path / name)
    counts = _script().build(dictionaries, tmp_path)
    for name in ("office_holders.tsv", "PETRARCH2-CONFLICTS.txt", "PETRARCH2-LICENSE.txt"):
        assert (tmp_path / name).read_bytes() == PACKAGED.joinpath(name).read_bytes(), name
    assert counts["written: imported"] == counts["imported"] - counts.get(
        "left out: same key as ours", 0
    )
    conflicts = (tmp_path / "PETRARCH2-CONFLICTS.txt").read_text().splitlines()
    listed = sum(n for k, n in counts.items() if k.startswith(("conflict:", "left out:")))
    assert len([line for line in conflicts if not line.startswith("#")]) == listed + 1
    assert any(line.startswith("Vladimir Putin\t") for line in conflicts)

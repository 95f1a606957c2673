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


def test_the_verb_layer_keeps_only_rows_measured_precise(tmp_path: Path) -> None:
    script = _script()
    # An invented precision file: one row right 3 of 4 times (kept), one 1 of 5 (left out), and
    # a group (rows with object words of root 19) pooled to 3 of 4: its rows that fired less
    # than MIN_FIRED times are kept with it.
    counts = tmp_path / "precision.tsv"
    counts.write_text(
        "lemma\tparticle\tobject\tcameo\tsource\tfired\thits\n"
        "befriend\t\t\t051\tx:1\t4\t3\n"
        "take\t\t\t171\tx:2\t5\t1\n"
        "shell\t\ttown\t190\tx:3\t2\t2\n"
        "bomb\t\tbridge\t190\tx:4\t2\t1\n",
        encoding="utf-8",
    )
    keep, groups = script._precise(counts)

    def row(lemma: str, cameo: str, obj: str = "") -> dict[str, str]:
        return {"lemma": lemma, "particle": "", "object": obj, "cameo": cameo}

    assert keep(row("befriend", "051")) and not keep(row("take", "171"))
    assert keep(row("shell", "190", "town")) and keep(row("storm", "190", "base"))  # pooled
    assert not keep(row("storm", "190"))  # no object words: another group, never fired
    assert any("object    19: 3/4 right  kept" in line for line in groups)


def test_the_packaged_verb_layer_is_what_the_build_writes(tmp_path: Path) -> None:
    dictionaries = shared_path("dictionaries", "petrarch2")
    counts = _script().build_verbs(dictionaries, tmp_path)
    name = "triggers_petrarch.tsv"
    assert (tmp_path / name).read_bytes() == PACKAGED.joinpath(name).read_bytes()
    assert counts["verb rows imported"] > 30000
    rows = load_table(name, ("cameo", "source"))
    assert len(rows) == counts["verb rows written"]
    assert all(row.values["source"].startswith("CAMEO.2.0.txt:") for row in rows)

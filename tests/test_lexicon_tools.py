"""`thucydides lexicon check | lookup | stats | unresolved | import petrarch` (lexicon_tools.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thucydides.actors import ActorLexicon
from thucydides.cli import app
from thucydides.coder import Coder
from thucydides.lexicon_tools import check_lexicon_dir, lexicon_stats, lookup_name
from thucydides.store import Store

runner = CliRunner()

HOLDERS = (
    "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\n"
    "Rudolf Rassendyll\tRassendyll\tPOL\t\tGOV\tgovernment\t1998-01-01\t2003-12-31\t\n"
    "Rudolf Rassendyll\tRassendyll\tPOL\t\tELI\telites\t0001-01-01\t\t\n"
)


def _directory(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "lex"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_check_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    root = _directory(
        tmp_path,
        {
            "organizations.tsv": (
                "# invented groups\n"
                "code\tkind\tname\taliases\tcountry\tsector\tnote\n"
                "LANTERN\tNGO\tLantern League\tChile\t\t\t\n"  # 3: a country's name
                "LANTERN\tNGO\tLantern Circle\t\t\t\t\n"  # 4: code repeated
                "OWLS\tNSA\tOwl Brigade\tLantern League\tPOL\tXXX\t\n"  # 5: sector, alias
                "MOTHS\tCLUB\tMoth Club\t\tpoland\t\t\textra\n"  # 6: stray tab
            ),
            "office_holders.tsv": (
                "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\n"
                "Ada Quill\tMay\tPOL\t\tGOV\tminister\t2001-13-01\t\t\n"  # 2: date, word
                "Ada Quill\t\tPOL\t\tGOV\tminister\t2005-01-01\t2004-01-01\t\n"  # 3: end
                "Ada Quill\t\tPOL\t\tGOV\tminister\t2005-01-01\t\t\n"  # 4: repeats 3
            ),
            "triggers.tsv": (
                "cameo\tpos\tlemma\tparticle\tobject\ttarget_prep\tnegated\tcomplement\tnote\n"
                "9999\tverb\tbefriend\t\t\t\t\t\t\n"  # 2: no such code
                "051\tverb\tbefriend\t\t\t\t\t\t\n"  # 3: same conditions as 2
            ),
            "agents.tsv": "phrase\tsector\n",  # 1: header without role, person, note
            "notes.tsv": "anything\n",
        },
    )
    found = {
        (f.location.replace(str(root) + "/", ""), f.severity, f.kind)
        for f in check_lexicon_dir(root)
    }
    assert {
        ("agents.tsv:1", "error", "header"),
        ("notes.tsv", "warning", "unknown file"),
        ("organizations.tsv:3", "warning", "collision"),  # Chile is a country
        ("organizations.tsv:4", "error", "repeated key"),
        ("organizations.tsv:5", "error", "unknown code"),  # sector XXX
        ("organizations.tsv:5", "warning", "duplicate alias"),  # Lantern League is LANTERN
        ("organizations.tsv:6", "error", "stray tab"),
        ("office_holders.tsv:2", "error", "bad date"),
        ("office_holders.tsv:2", "warning", "common word"),  # "May"
        ("office_holders.tsv:3", "error", "bad date"),  # ends before it starts
        ("office_holders.tsv:4", "error", "repeated key"),
        ("triggers.tsv:2", "warning", "unknown code"),
        ("triggers.tsv:3", "warning", "duplicate"),
    } <= found
    result = runner.invoke(app, ["lexicon", "check", str(root)])
    assert result.exit_code == 1
    assert f"{root}/organizations.tsv:4: error: repeated key: code 'LANTERN' repeats line 3" in (
        result.output
    )


def test_lookup_names_the_source_of_each_row(tmp_path: Path) -> None:
    # A directory as `lexicon import` writes it: every row says which dictionary line it is.
    root = _directory(
        tmp_path,
        {
            "office_holders.tsv": (
                "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\tsource\n"
                "Ottilie Brandauer\tBrandauer\tAUT\t\tGOV\tchancellor\t2003-02-01\t2006-01-31"
                "\t\tPhoenix.Countries.actors.txt:17\n"
                "Ottilie Brandauer\tBrandauer\tAUT\t\tELI\telites\t0001-01-01\t\t\t"
                "Phoenix.Countries.actors.txt:18\n"
            ),
            "organizations.tsv": (
                "code\tkind\tname\taliases\tcountry\tsector\tnote\tsource\n"
                "HERONS\tNSA\tHeron Brigade\t\t\tREB\t\tPhoenix.MilNonState.actors.txt:5\n"
            ),
            "agents.tsv": (
                "phrase\tsector\trole\tperson\tnote\tsource\n"
                "lamplighter\tLAB\t\tno\t\tPhoenix.agents.txt:9\n"
            ),
        },
    )
    lexicon = ActorLexicon(root)
    found = lookup_name("Ottilie Brandauer", lexicon, dt.date(2005, 6, 1))
    chosen = [r for r in found if r.how == "person (chosen)"]
    assert [(r.code, r.entry, r.source) for r in chosen] == [
        ("AUTGOV", f"{root}/office_holders.tsv:2", "Phoenix.Countries.actors.txt:17")
    ]
    heron = lookup_name("Heron Brigade", lexicon)
    assert {(r.how, r.source) for r in heron} == {
        ("phrase", "Phoenix.MilNonState.actors.txt:5"),
        ("organisation", "Phoenix.MilNonState.actors.txt:5"),
    }
    assert [(r.how, r.source) for r in lookup_name("lamplighter", lexicon)] == [
        ("agent", "Phoenix.agents.txt:9")
    ]
    # Packaged rows: ours say `thucydides`; the imported base layer names its dictionary line.
    packaged = ActorLexicon()
    putin = lookup_name("Vladimir Putin", packaged, dt.date(2005, 6, 1))
    (mine,) = [r for r in putin if r.how == "person (chosen)"]
    assert (mine.code, mine.source) == ("RUSGOV", "thucydides")
    assert mine.entry.startswith("office_holders.tsv:")
    assert any(r.source.startswith("petrarch2:Phoenix.Countries.actors.txt:") for r in putin)
    (nato,) = lookup_name("NATO", packaged)[:1]
    assert nato.source == "thucydides" and nato.entry.startswith("organizations.tsv:")
    result = runner.invoke(
        app, ["lexicon", "lookup", "Brandauer", "--date", "2005-06-01", "--lexicon-dir", str(root)]
    )
    assert result.exit_code == 0
    assert "office_holders.tsv:2 source=Phoenix.Countries.actors.txt:17]" in result.output
    result = runner.invoke(app, ["lexicon", "lookup", "Vladimir Putin", "--date", "2005-06-01"])
    assert "office_holders.tsv:" in result.output and "source=thucydides]" in result.output


def test_check_passes_a_clean_directory(tmp_path: Path) -> None:
    root = _directory(tmp_path, {"office_holders.tsv": HOLDERS})
    assert check_lexicon_dir(root) == []
    result = runner.invoke(app, ["lexicon", "check", str(root)])
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output


def test_lookup_names_the_row_and_the_term(tmp_path: Path) -> None:
    root = _directory(tmp_path, {"office_holders.tsv": HOLDERS})
    lexicon = ActorLexicon(root)
    in_office = lookup_name("Rudolf Rassendyll", lexicon, dt.date(2001, 5, 1))
    chosen = [r for r in in_office if r.how == "person (chosen)"]
    assert [(r.code, r.entry) for r in chosen] == [("POLGOV", f"{root}/office_holders.tsv:2")]
    assert [r.how for r in in_office].count("person") == 1  # the other term
    assert in_office[0].how == "phrase" and in_office[0].code == "POLGOV"
    later = lookup_name("Rudolf Rassendyll", lexicon, dt.date(2010, 1, 1))
    assert [r.code for r in later if r.how == "person (chosen)"] == ["POLELI"]
    nato = lookup_name("the NATO alliance", lexicon)
    assert [(r.how, r.text, r.code) for r in nato] == [("phrase", "NATO", "IGONATO")]
    assert nato[0].entry.startswith("organizations.tsv:")
    police = lookup_name("riot police", lexicon)
    assert [(r.how, r.code) for r in police] == [("agent", "---COP")]

    result = runner.invoke(
        app, ["lexicon", "lookup", "Rassendyll", "--date", "2002-01-01", "--lexicon-dir", str(root)]
    )
    assert result.exit_code == 0 and "POLGOV" in result.output
    assert "office_holders.tsv:2" in result.output
    assert runner.invoke(app, ["lexicon", "lookup", "Nobody Atall"]).exit_code == 1
    bad = runner.invoke(app, ["lexicon", "lookup", "Rassendyll", "--date", "May 2002"])
    assert bad.exit_code == 1 and "T501" in bad.output


def test_stats_counts_packaged_and_directory_rows(tmp_path: Path) -> None:
    root = _directory(tmp_path, {"office_holders.tsv": HOLDERS})
    packaged = lexicon_stats()
    stats = lexicon_stats(root)
    assert stats.files["office_holders.tsv"] == (packaged.files["office_holders.tsv"][0], 2)
    assert stats.files["triggers.tsv"][1] == 0
    assert stats.office_holder_names == packaged.office_holder_names + 1
    assert sum(stats.triggers_by_root.values()) > 1000
    assert stats.organizations_by_kind["IGO"] > 10
    result = runner.invoke(app, ["lexicon", "stats", str(root)])
    assert result.exit_code == 0 and "office_holders.tsv" in result.output
    assert "office holders (names)" in result.output


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unresolved")
    docs = root / "docs.jsonl"
    records = [
        {
            "id": "d1",
            "date": "2024-03-04",
            "text": "Quentin Marlowe condemned Russia on Monday.\n\nQuentin Marlowe later "
            "accused the Vandermeer Institute of lying. Russia rejected the claim.",
        },
        {
            "id": "d2",
            "date": "2024-03-05",
            "text": "Quentin Marlowe criticised the French government on Tuesday, aides said.",
        },
    ]
    docs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = root / "s.duckdb"
    result = runner.invoke(app, ["extract", str(docs), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def test_unresolved_lists_unknown_actor_names(store_path: Path, tmp_path: Path) -> None:
    from thucydides.lexicon_tools import unresolved_names

    with Store(store_path, read_only=True) as store:
        names = {item.name: item for item in unresolved_names(store, Coder())}
    assert names["Quentin Marlowe"].count == 3
    assert names["Quentin Marlowe"].labels["PERSON"] == 3
    assert names["Quentin Marlowe"].example == "Quentin Marlowe condemned Russia on Monday."
    assert "Vandermeer Institute" in names
    assert not {"Russia", "French", "French government"} & set(names)  # those are actors

    # Once the lexicon knows him, he is no longer listed.
    root = _directory(
        tmp_path,
        {
            "office_holders.tsv": (
                "name\taliases\tcountry\torganization\tsector\trole\tstart\tend\tnote\n"
                "Quentin Marlowe\t\tGBR\t\tOPP\tactivist\t2020-01-01\t\t\n"
            )
        },
    )
    with Store(store_path, read_only=True) as store:
        known = {item.name for item in unresolved_names(store, Coder(None, root))}
    assert "Quentin Marlowe" not in known and "Vandermeer Institute" in known

    result = runner.invoke(app, ["lexicon", "unresolved", "--db", str(store_path), "--top", "1"])
    assert result.exit_code == 0
    assert "3  Quentin Marlowe  [PERSON]" in result.output
    assert "Vandermeer" not in result.output  # --top 1


def test_import_command_prints_counts(tmp_path: Path) -> None:
    source = tmp_path / "petrarch"
    source.mkdir()
    (source / "CAMEO.tiny.txt").write_text(
        "---  SERENADE   [051]  ---\nSERENADE\nEULOGIZE\n- * (FOR {BRAVE RESCUE})  [051]\n"
        "- PILOT * (FOR RESCUE)  [051]\n",
        encoding="utf-8",
    )
    (source / "LICENSE").write_text("an invented notice\n", encoding="utf-8")
    out = tmp_path / "lex"
    result = runner.invoke(app, ["lexicon", "import", "petrarch", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "verbs: 4 patterns and coded verbs read, 3 used, 1 refused" in result.output
    assert "refused      1  words before the verb (a condition on the subject)" in result.output
    assert (out / "triggers.tsv").is_file() and (out / "PETRARCH2-LICENSE.txt").is_file()
    check = runner.invoke(app, ["lexicon", "check", str(out)])
    assert check.exit_code == 0, check.output
    missing = runner.invoke(app, ["lexicon", "import", "petrarch", str(tmp_path / "no"), "-o", "x"])
    assert missing.exit_code == 1 and "T601" in missing.output


def test_lexicon_commands_have_help() -> None:
    for command in (["lexicon"], ["lexicon", "import", "petrarch"], ["lexicon", "check"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output

"""What a user installing the package alone meets: optional parts say how to get them, the model
in use is the one recorded, and the first seconds of a run say what they are spent on.

The install itself (a plain venv, Python's bundled pip, no extras) is checked by
scripts/check_plain_install.sh, which CI runs: it needs a fresh environment, not this one.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from thucydides.errors import MissingExtraError, require_extra
from thucydides.lexicon import lexicon_version
from thucydides.nlp import OFFLINE_MODEL_COPY, describe_model, resolve_model_name
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings
from thucydides.store import Store

ARTICLE = (
    "NAIROBI, May 8 - Kenyan police arrested six Somali nationals in Mombasa on Wednesday, "
    "officials said. The Kenyan foreign minister later met his Somali counterpart in Nairobi."
)


def _run_without(module: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with MODULE made unimportable, as it is where its extra was not installed."""
    code = (
        "import sys\n"
        f"sys.modules[{module!r}] = None\n"
        "from thucydides.cli import main\n"
        f"sys.argv = ['thucydides', *{args!r}]\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize(
    ("module", "extra", "args"),
    [
        ("matplotlib", "plots", ["plot", "dyad", "KOR", "RUS", "--db", "s.duckdb", "-o", "k.png"]),
        ("pyspark", "spark", ["spark", "extract", "in.jsonl", "out"]),
    ],
)
def test_a_command_whose_extra_is_missing_says_so_in_one_line(
    tmp_path: Path, module: str, extra: str, args: list[str]
) -> None:
    with Store(tmp_path / "s.duckdb"):
        pass
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n")
    result = _run_without(module, args, tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "[T503]" in lines[0] and module in lines[0]
    assert f"pip install 'thucydides[{extra}]'" in lines[0]


def test_the_plots_module_without_matplotlib_raises_an_import_error_that_says_how() -> None:
    code = (
        "import sys\nsys.modules['matplotlib'] = None\n"
        "try:\n    import thucydides.plots\n"
        "except ImportError as exc:\n    print(type(exc).__name__, exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.startswith("MissingExtraError [T503]"), result.stdout + result.stderr
    assert "pip install 'thucydides[plots]'" in result.stdout


def test_require_extra() -> None:
    require_extra("json", "none", "a test")  # present: nothing happens
    with pytest.raises(MissingExtraError) as caught:
        require_extra("no_such_module_here", "thing", "thucydides thing")
    assert isinstance(caught.value, ImportError)
    assert str(caught.value) == (
        "[T503] thucydides thing needs no_such_module_here, which is not installed: "
        "pip install 'thucydides[thing]'"
    )


def test_the_default_model_is_the_official_package_or_its_offline_copy() -> None:
    import spacy.util

    resolved = resolve_model_name(Settings().model)
    if spacy.util.is_package("en_core_web_sm"):
        assert resolved == "en_core_web_sm"
    else:
        assert resolved == OFFLINE_MODEL_COPY
    assert resolve_model_name("/some/path/to/a/pipeline") == "/some/path/to/a/pipeline"
    info = describe_model(Settings().model)
    assert info["version"] == "3.8.0"
    assert info["package"].startswith(resolved) and info["spacy"].startswith("3.8")
    assert describe_model("no_such_pipeline")["version"] == ""


def test_each_run_records_the_model_and_the_lexicons(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    settings = Settings(db=str(tmp_path / "s.duckdb"))
    summary = extract([str(tmp_path / "a.txt")], settings, ExtractOptions(out_dir=tmp_path / "out"))
    assert summary.events > 0
    with Store(settings.db, read_only=True) as store:
        run = store.runs()[-1]
    assert run["model"]["version"] == "3.8.0"
    assert run["lexicon_version"] == lexicon_version() == summary.lexicon_version
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert written["model"] == run["model"]
    assert written["lexicon_version"] == run["lexicon_version"]

    # The user's own lexicons are part of what coded the run.
    lexicons = tmp_path / "lex"
    lexicons.mkdir()
    (lexicons / "agents.tsv").write_text("# mine\n", encoding="utf-8")
    mine = lexicon_version(lexicons)
    assert mine.startswith(lexicon_version() + "+user-")
    (lexicons / "agents.tsv").write_text("# mine, changed\n", encoding="utf-8")
    assert lexicon_version(lexicons) != mine
    assert lexicon_version(tmp_path / "absent") == lexicon_version()

    info = subprocess.run(
        [sys.executable, "-m", "thucydides.cli", "info", "--db", settings.db],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert info.returncode == 0, info.stderr
    assert f"{run['model']['name']} 3.8.0" in info.stdout
    assert run["lexicon_version"] in info.stdout


def test_the_progress_line_says_the_model_is_loading_before_the_first_document() -> None:
    from thucydides.cli import _progress
    from thucydides.types import RunSummary

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=200)
    with _progress(False, 3, console=console) as advance:
        console.file.flush()
        loading = screen.getvalue()
        advance(RunSummary(read=1, cleaned=1))
    assert "loading the language model" in loading

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=200)
    with _progress(False, 3, loading_model=False, console=console):
        pass
    assert "loading the language model" not in screen.getvalue()


def test_an_installed_official_model_is_preferred_to_the_offline_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package named en_core_web_sm on the path (here a stand-in with its own meta.json and
    distribution metadata) is what the default setting resolves to and what a run records."""
    package = tmp_path / "en_core_web_sm"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "meta.json").write_text(
        json.dumps({"lang": "en", "name": "core_web_sm", "version": "3.8.9"}), encoding="utf-8"
    )
    dist_info = tmp_path / "en_core_web_sm-3.8.9.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: en_core_web_sm\nVersion: 3.8.9\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "en_core_web_sm", raising=False)

    assert resolve_model_name(Settings().model) == "en_core_web_sm"
    info = describe_model(Settings().model)
    assert info["package"] == "en_core_web_sm 3.8.9"
    assert (info["name"], info["version"]) == ("en_core_web_sm", "3.8.9")

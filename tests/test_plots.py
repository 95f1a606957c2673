"""Plots rendered from real stores, checked as files: format, size, title, data."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from conftest import shared_path
from test_analytics import build_store
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.errors import ThucydidesError
from thucydides.pipeline import extract
from thucydides.plots import _html_page, plot_dyad, plot_network
from thucydides.settings import Settings
from thucydides.store import Store

runner = CliRunner()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a PNG must start with."""
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def andes_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("andes-plots"))


@pytest.fixture
def store(andes_db: Path):
    with Store(andes_db, read_only=True) as opened:
        yield opened


def test_dyad_png(store: Store, tmp_path: Path) -> None:
    path = plot_dyad(store, "CHL", "PER", tmp_path / "chl-per.png")
    assert path.stat().st_size > 20_000  # bars, line, labels: not an empty canvas
    assert png_size(path) == (1500, 825)


def test_dyad_svg_keeps_text(store: Store, tmp_path: Path) -> None:
    path = plot_dyad(store, "CHL", "PER", tmp_path / "chl-per.svg", by="year")
    svg = path.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert path.stat().st_size > 10_000
    for text in ("CHL - PER relations", "cooperation CHL", "conflict PER", "Goldstein"):
        assert text in svg
    # The same data gives the same file.
    again = plot_dyad(store, "CHL", "PER", tmp_path / "again.svg", by="year")
    assert again.read_bytes() == path.read_bytes()


def test_dyad_html_is_self_contained(store: Store, tmp_path: Path) -> None:
    path = plot_dyad(store, "CHL", "PER", tmp_path / "chl-per.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>CHL - PER relations</title>" in page
    assert page.count("<svg") == 1 and "<?xml" not in page
    assert "<script" not in page and "<img" not in page and "<link" not in page
    for text in (
        "<td>2023-03</td>",
        "<td>2023-06</td>",
        "<td>2023-09</td>",
        "<td>PER-&gt;CHL</td>",
    ):
        assert text in page
    assert path.stat().st_size > 10_000


def test_html_page_escapes_the_title(store: Store) -> None:
    from matplotlib.figure import Figure

    page = _html_page(Figure(), "<b>A & B</b>", ["x"], [["<i>"]])
    assert "<title>&lt;b&gt;A &amp; B&lt;/b&gt;</title>" in page and "<b>A" not in page
    assert "<td>&lt;i&gt;</td>" in page


def test_network_png_svg_html(store: Store, tmp_path: Path) -> None:
    png = plot_network(store, tmp_path / "net.png")
    assert png_size(png) == (1350, 1200) and png.stat().st_size > 20_000
    svg = plot_network(store, tmp_path / "net.svg", since="2023-06", until="2023-06")
    text = svg.read_text(encoding="utf-8")
    assert "Country network, 2023-06 to 2023-06" in text
    assert "CHL" in text and "PER" in text and "mean Goldstein" in text
    page = plot_network(store, tmp_path / "net.html").read_text(encoding="utf-8")
    assert "<title>Country network</title>" in page and "<td>CHL</td>" in page


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, d: plot_dyad(s, "CHL", "PER", d / "plot.pdf"), "unknown plot format"),
        (lambda s, d: plot_dyad(s, "CHL", "PER", d / "no" / "plot.png"), "does not exist"),
        (lambda s, d: plot_dyad(s, "CHL", "FRA", d / "plot.png"), "no dated events"),
        (lambda s, d: plot_dyad(s, "CHL", "PER", d / "plot.png", by="hour"), "--by"),
        (lambda s, d: plot_network(s, d / "plot.png", since="2030"), "no events"),
    ],
)
def test_plot_errors(store: Store, tmp_path: Path, call, message: str) -> None:
    with pytest.raises(ThucydidesError, match=message):
        call(store, tmp_path)
    assert not (tmp_path / "plot.png").exists()


def test_cli_plot_commands(andes_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "dyad.svg"
    result = runner.invoke(
        app, ["plot", "dyad", "CHL", "PER", "-o", str(out), "--db", str(andes_db)]
    )
    assert result.exit_code == 0, result.output
    assert "CHL - PER relations" in out.read_text(encoding="utf-8")
    net = tmp_path / "net.png"
    result = runner.invoke(app, ["plot", "network", "-o", str(net), "--db", str(andes_db)])
    assert result.exit_code == 0, result.output
    assert net.read_bytes()[:8] == PNG_MAGIC
    bad = runner.invoke(app, ["plot", "dyad", "CHL", "PER", "-o", str(tmp_path / "x.gif"),
                              "--db", str(andes_db)])  # fmt: skip
    assert bad.exit_code == 1 and "T403" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    missing = runner.invoke(app, ["plot", "network", "-o", str(net), "--db", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "T401" in missing.output


def test_seeds_dyad_plot(tmp_path: Path) -> None:
    seeds = shared_path("seeds")
    db = tmp_path / "seeds.duckdb"
    extract([str(seeds)], Settings(db=str(db)))
    with Store(db, read_only=True) as store:
        png = plot_dyad(store, "KOR", "RUS", tmp_path / "kor-rus.png")
        page = plot_dyad(store, "KOR", "RUS", tmp_path / "kor-rus.html").read_text("utf-8")
    assert png_size(png) == (1500, 825)
    assert "<td>2007</td>" in page and "<td>2012-03</td>" in page

"""Plots of the store: a dyad's relations over time and the country network.

matplotlib draws them on Figure objects of its own (no pyplot, so no global figure state and no
display needed: the Agg canvas renders PNG, the SVG backend SVG). The file's suffix picks the
format: .png, .svg, or .html (a self-contained page: the SVG inline plus the data as a table).

    with Store("news.duckdb", read_only=True) as store:
        plot_dyad(store, "KOR", "RUS", "kor-rus.png")
        plot_network(store, "network.svg", since="2012")
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from .errors import ThucydidesError, require_extra

# matplotlib is the `plots` extra: without it, importing this module says how to install it.
require_extra("matplotlib", "plots", "thucydides plots")

import matplotlib as mpl  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.cm import ScalarMappable  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from .analytics import actor_code, dyad_series, network  # noqa: E402
from .store import Store  # noqa: E402

FORMATS = (".png", ".svg", ".html")
MAX_NODES = 40  # more countries than this on one circle cannot be read; the busiest are kept
_DPI = 150
# Cooperation green, conflict red; the first direction darker than the second.
_COOPERATION = ("#1b7837", "#7fbf7b")
_CONFLICT = ("#b2182b", "#ef8a62")
_LINE = "#2c3e50"
# SVG text stays text (searchable, and the title is in the file); a fixed salt makes the SVG's
# element ids, and so the file, the same for the same data.
_RC: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "thucydides", "font.size": 10}
_CMAP = "RdYlGn"  # red (conflict, -10) .. green (cooperation, +10)
# Period length in days by label shape, for bar widths ("2012", "2012-03", "2012-W11", day).
_UNIT_DAYS = {4: 365.0, 7: 30.0, 8: 7.0, 10: 1.0}


def _plot_error(message: str) -> ThucydidesError:
    return ThucydidesError(message, code="T403")


def _check_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise _plot_error(f"{path}: unknown plot format; the file must end in {', '.join(FORMATS)}")
    if not path.parent.is_dir():
        raise _plot_error(f"{path}: directory {path.parent} does not exist")
    return path


@dataclass(frozen=True, slots=True)
class _Period:
    label: str
    start: date
    days: float  # how long the period is
    cooperation: tuple[float, float]  # QuadClass 1+2 events, A->B and B->A
    conflict: tuple[float, float]  # QuadClass 3+4 events
    goldstein_sum: float
    events: int

    @property
    def middle(self) -> float:
        return float(date2num(self.start)) + self.days / 2  # type: ignore[no-untyped-call]

    @property
    def goldstein_mean(self) -> float:
        return self.goldstein_sum / self.events


def _periods(table: pa.Table, a_to_b: str) -> list[_Period]:
    """The dyad series folded into one record per period label, both directions side by side."""
    grouped: dict[str, dict[str, Any]] = {}
    for row in table.to_pylist():
        entry = grouped.setdefault(
            row["label"],
            {"start": row["period"], "coop": [0.0, 0.0], "conf": [0.0, 0.0], "sum": 0.0, "n": 0},
        )
        side = 0 if row["direction"] == a_to_b else 1
        entry["coop"][side] += row["events"] * (row["q1"] + row["q2"])
        entry["conf"][side] += row["events"] * (row["q3"] + row["q4"])
        entry["sum"] += row["goldstein_sum"]
        entry["n"] += row["events"]
    return [
        _Period(
            label=label,
            start=entry["start"],
            days=_UNIT_DAYS.get(len(label), 1.0),
            cooperation=(round(entry["coop"][0]), round(entry["coop"][1])),
            conflict=(round(entry["conf"][0]), round(entry["conf"][1])),
            goldstein_sum=entry["sum"],
            events=entry["n"],
        )
        for label, entry in grouped.items()
    ]


def plot_dyad(
    store: Store,
    a: str,
    b: str,
    path: str | Path,
    by: str = "month",
    since: str | date | None = None,
    until: str | date | None = None,
) -> Path:
    """Draw A and B's relations over time to PATH (.png, .svg or .html) and return PATH.

    Per period (see analytics.dyad_series): cooperation events (QuadClass 1 and 2) as bars
    above the axis, conflict events (3 and 4) below it, each split by direction, and the mean
    Goldstein score of both directions as a line on a second axis (-10..+10).
    """
    path = _check_path(path)
    a, b = actor_code(a), actor_code(b)
    table = dyad_series(store, a, b, by=by, since=since, until=until)
    if table.num_rows == 0:
        raise _plot_error(f"no dated events between {a} and {b} in the store for that period")
    periods = _periods(table, f"{a}->{b}")
    title = f"{a} - {b} relations"
    directions = (f"{a} \u2192 {b}", f"{b} \u2192 {a}")

    with mpl.rc_context(_RC):
        figure = Figure(figsize=(10, 5.5), layout="constrained")
        axes = figure.add_subplot()
        dates = [float(date2num(p.start)) for p in periods]  # type: ignore[no-untyped-call]
        span = max(dates) - min(dates) + max(p.days for p in periods)
        # Sparse series over many years would give hairline bars: keep them visible.
        floor = span / 60
        # Coarser periods first, so that finer bars inside them stay on top.
        for p in sorted(periods, key=lambda p: -p.days):
            width = max(p.days * 0.8, floor)
            up = down = 0.0
            for side in (0, 1):
                axes.bar(
                    p.middle,
                    p.cooperation[side],
                    width,
                    bottom=up,
                    color=_COOPERATION[side],
                    edgecolor="white",
                    linewidth=0.5,
                )
                up += p.cooperation[side]
                axes.bar(
                    p.middle,
                    -p.conflict[side],
                    width,
                    bottom=-down,
                    color=_CONFLICT[side],
                    edgecolor="white",
                    linewidth=0.5,
                )
                down += p.conflict[side]
        axes.axhline(0, color="black", linewidth=0.8)
        peak = max(max(sum(p.cooperation), sum(p.conflict)) for p in periods)
        axes.set_ylim(-peak * 1.15 - 0.5, peak * 1.15 + 0.5)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{abs(value):g}"))
        axes.set_ylabel("events  (conflict below 0, cooperation above)")
        axes.set_xlabel(f"period ({by}; events dated less precisely get their own period)")
        pad = max(floor, max(p.days for p in periods))
        axes.set_xlim(min(dates) - pad, max(dates) + pad + max(p.days for p in periods))
        locator = AutoDateLocator(minticks=3, maxticks=10)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        formatter = ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(formatter)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)

        line_axes = axes.twinx()
        ordered = sorted(periods, key=lambda p: p.middle)
        line_axes.plot(
            [p.middle for p in ordered],
            [p.goldstein_mean for p in ordered],
            color=_LINE,
            marker="o",
            linewidth=1.5,
        )
        line_axes.set_ylim(-10.5, 10.5)
        line_axes.set_ylabel("mean Goldstein score (-10 conflict .. +10 cooperation)")

        handles = [
            _patch(_COOPERATION[0], f"cooperation {directions[0]}"),
            _patch(_COOPERATION[1], f"cooperation {directions[1]}"),
            _patch(_CONFLICT[0], f"conflict {directions[0]}"),
            _patch(_CONFLICT[1], f"conflict {directions[1]}"),
            Line2D([], [], color=_LINE, marker="o", label="mean Goldstein score"),
        ]
        # Below the plot, where it hides neither bars nor line.
        figure.legend(handles=handles, loc="outside lower center", ncols=5, fontsize=9)
        total = sum(p.events for p in periods)
        axes.set_title(title, fontsize=14, fontweight="bold", loc="left")
        axes.set_title(f"{total} events, both directions", fontsize=9, loc="right")
        columns = ["period", "direction", "events", "Goldstein sum", "Goldstein mean"]
        columns += [f"% Q{q}" for q in (1, 2, 3, 4)]
        rows = [
            [
                row["label"],
                row["direction"],
                str(row["events"]),
                f"{row['goldstein_sum']:.1f}",
                f"{row['goldstein_mean']:.2f}",
            ]
            + [f"{100 * row[f'q{q}']:.0f}" for q in (1, 2, 3, 4)]
            for row in table.to_pylist()
        ]
        _save(figure, path, title, columns, rows)
    return path


def _patch(color: str, label: str) -> Patch:
    return Patch(facecolor=color, label=label)


def plot_network(
    store: Store,
    path: str | Path,
    since: str | date | None = None,
    until: str | date | None = None,
) -> Path:
    """Draw the country network to PATH (.png, .svg or .html) and return PATH.

    Countries sit on a circle (sized by their events); an arrow from source to target is as
    wide as their events are many and coloured by its mean Goldstein score (red conflict,
    green cooperation). Events inside one country are not drawn. With more than MAX_NODES
    countries, the busiest are kept.
    """
    path = _check_path(path)
    edges = [
        row
        for row in network(store, since=since, until=until).to_pylist()
        if row["source"] != row["target"]
    ]
    if not edges:
        raise _plot_error("no events between two countries in the store for that period")
    activity: dict[str, int] = {}
    for edge in edges:
        for country in (edge["source"], edge["target"]):
            activity[country] = activity.get(country, 0) + edge["events"]
    kept = sorted(sorted(activity, key=lambda c: (-activity[c], c))[:MAX_NODES])
    edges = [e for e in edges if e["source"] in kept and e["target"] in kept]
    position = {
        country: (
            math.cos(math.pi / 2 - 2 * math.pi * i / len(kept)),
            math.sin(math.pi / 2 - 2 * math.pi * i / len(kept)),
        )
        for i, country in enumerate(kept)
    }
    most = max(e["events"] for e in edges)
    norm = Normalize(vmin=-10, vmax=10)
    colormap = mpl.colormaps[_CMAP]
    period = _period_text(since, until)
    title = f"Country network{period}"

    with mpl.rc_context(_RC):
        figure = Figure(figsize=(9, 8), layout="constrained")
        axes = figure.add_subplot()
        for edge in sorted(edges, key=lambda e: e["events"]):  # thick edges on top
            width = 0.8 + 5.2 * math.sqrt(edge["events"] / most)
            arrow = FancyArrowPatch(
                position[edge["source"]],
                position[edge["target"]],
                arrowstyle="-|>",
                mutation_scale=8 + 2 * width,
                linewidth=width,
                color=colormap(norm(edge["goldstein_mean"])),
                alpha=0.85,
                # Curved, so that A->B and B->A are two arcs, not one line.
                connectionstyle="arc3,rad=0.15",
                shrinkA=14,
                shrinkB=14,
            )
            axes.add_patch(arrow)
        biggest = max(activity[c] for c in kept)
        for country in kept:
            x, y = position[country]
            size = 120 + 600 * activity[country] / biggest
            axes.scatter([x], [y], s=size, color="#34495e", zorder=3)
            axes.annotate(
                country,
                (x, y),
                xytext=(x * 1.13, y * 1.13),
                ha="center",
                va="center",
                fontsize=10,
                fontweight="bold",
            )
        axes.set_xlim(-1.35, 1.35)
        axes.set_ylim(-1.35, 1.35)
        axes.set_aspect("equal")
        axes.axis("off")
        colorbar = figure.colorbar(
            ScalarMappable(norm=norm, cmap=colormap), ax=axes, shrink=0.6, pad=0.02
        )
        colorbar.set_label("mean Goldstein score (red conflict, green cooperation)")
        samples = sorted({1, max(1, most // 2), most})
        handles = [
            Line2D(
                [],
                [],
                color="#7f8c8d",
                linewidth=0.8 + 5.2 * math.sqrt(n / most),
                label=f"{n} event{'s' if n != 1 else ''}",
            )
            for n in samples
        ]
        axes.legend(handles=handles, title="arrow width", loc="lower left", fontsize=9)
        shown = f"{len(kept)} countries" + (
            f" (the {MAX_NODES} busiest of {len(activity)})" if len(activity) > len(kept) else ""
        )
        axes.set_title(
            f"{title}\n{shown}, {sum(e['events'] for e in edges)} events",
            fontsize=13,
            fontweight="bold",
        )
        columns = ["source", "target", "events", "Goldstein sum", "Goldstein mean"]
        rows = [
            [
                e["source"],
                e["target"],
                str(e["events"]),
                f"{e['goldstein_sum']:.1f}",
                f"{e['goldstein_mean']:.2f}",
            ]
            for e in edges
        ]
        _save(figure, path, title, columns, rows)
    return path


def _period_text(since: str | date | None, until: str | date | None) -> str:
    if since is None and until is None:
        return ""
    return f", {since or '...'} to {until or '...'}"


def _save(
    figure: Figure, path: Path, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    """Write FIGURE in the format PATH's suffix names; .html gets the data table too."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".png":
            FigureCanvasAgg(figure)
            figure.savefig(path, format="png", dpi=_DPI, metadata={"Software": None})
        elif suffix == ".svg":
            # No date in the file: the same data gives the same bytes.
            figure.savefig(path, format="svg", metadata={"Date": None})
        else:
            path.write_text(_html_page(figure, title, columns, rows), encoding="utf-8")
    except OSError as exc:
        raise _plot_error(f"{path}: cannot write the plot: {exc.strerror or exc}") from None


def _html_page(
    figure: Figure, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]
) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and doctype: it is inline now
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    name = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{name}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; margin-top: 1.5em; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }}
th {{ background: #f3f3f3; }}
td:first-child, td:nth-child(2) {{ text-align: left; }}
</style>
</head>
<body>
<h1>{name}</h1>
<figure>
{svg}
</figure>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
<p>Made by thucydides.</p>
</body>
</html>
"""

"""Rebuild the PETRARCH-2 base layers: office_holders.tsv's imported rows, triggers_petrarch.tsv.

    PYTHONPATH=src python scripts/build_petrarch_base.py [DICTIONARIES] [--part actors|verbs]
    PYTHONPATH=src python scripts/build_petrarch_base.py --all-verbs   # to measure every verb row

DICTIONARIES defaults to ../shared/dictionaries/petrarch2 (the PETRARCH-2 / Phoenix dictionaries,
MIT licence). The script imports their actor dictionaries as `thucydides lexicon import petrarch
--part actors` does and keeps one layer of them: the named persons and their dated roles (the
office-holder rows). Only that layer helped on the dev sets (international-conflict annotations,
BBC dev, PLOVER dev; measured with scripts/measure_layers.py): the country, organisation, agent,
verb and discard layers lowered precision on BBC dev or F1 on the conflict sets.

What it writes, the same bytes on every run of the same inputs:
- office_holders.tsv: our own rows first, as they are (source `thucydides`), then the imported
  rows sorted by name, start, country and role (source `petrarch2:FILE:LINE`). An imported row
  with the key of one of ours (name, country, role, start) is left out: ours is kept.
- PETRARCH2-LICENSE.txt: the dictionaries' MIT notice, which the package carries with the rows.
- PETRARCH2-CONFLICTS.txt: every imported row of a person we have rows for (by any name or
  alias), with what differs and how the coder settles it (our rows speak from their first day;
  see actors.OfficeHolderLexicon.lookup). Nothing is resolved without being listed there.
It prints the counts. Edit our rows in office_holders.tsv (those whose source is `thucydides`),
then run the script again.

The verb layer (`--part verbs`): all imported verb rows together lowered BBC dev and PLOVER dev,
so only rows measured precise are kept. scripts/measure_verb_rows.py, run with every imported
row in place (`--all-verbs`), counts per row the scored events it triggered on the tuning sets
and how many were right (scripts/petrarch_verb_precision.tsv, committed). The build keeps a row
when it fired at least MIN_FIRED times there with at least MIN_PRECISION of them right; a
row that fired less is judged by its group's pooled counts (rows with or without object words,
by CAMEO root: bare rows such as "take" -> 171 fire on anything). It writes those rows, in
the importer's order, to lexicons/triggers_petrarch.tsv (a file of its own, below our
triggers.tsv; see coder/candidates.py), with their `source` (CAMEO.2.0.txt:LINE).
A row whose word and conditions are also one of our rows is left out by the importer already.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from thucydides.actors import HAND_SOURCE, OFFICE_HOLDER_COLUMNS, _person_key
from thucydides.coder.candidates import BASE_LAYER, TRIGGER_COLUMNS
from thucydides.lexicon import _rows
from thucydides.lexicon_import import LICENSE_NAME, import_petrarch, spacy_lemmatizer
from thucydides.nlp import load_model
from thucydides.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LEXICONS = ROOT / "src" / "thucydides" / "lexicons"
TABLE = LEXICONS / "office_holders.tsv"
CONFLICTS = LEXICONS / "PETRARCH2-CONFLICTS.txt"
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():  # a worktree beside the main checkout
    SHARED = Path("/work/shared")
DEFAULT_DICTIONARIES = SHARED / "dictionaries" / "petrarch2"
COLUMNS = (*OFFICE_HOLDER_COLUMNS, "source")
SOURCE_PREFIX = "petrarch2:"
PRECISION = ROOT / "scripts" / "petrarch_verb_precision.tsv"
VERB_KEY = ("lemma", "particle", "object", "cameo")
MIN_FIRED = 3  # firings on the tuning sets before a row's precision is believed
MIN_PRECISION = 0.6

_VERB_NOTE = (
    "# This file is the PETRARCH-2 verb base layer, below our own rows of triggers.tsv (same",
    "# columns, plus `source`: the CAMEO.2.0.txt line each row came from). Of the ~40,000 rows",
    "# the PETRARCH-2 verb dictionary imports to, only those that were precise on our tuning",
    "# sets are kept (fired at least {fired} times, at least {precision:.0%} of them right, alone",
    "# or pooled with the rows of their CAMEO root that, like them, ask for object words or do",
    "# not; see scripts/measure_verb_rows.py and scripts/petrarch_verb_precision.tsv). Rows",
    "# fired on the tuning sets were scored; the held-out sets only check the choice. Rebuilt by",
    "# scripts/build_petrarch_base.py --part verbs: do not edit it; add or override rows in",
    "# triggers.tsv, which wins: a word's rows here are tried only when none of ours for it",
    "# matches, and a row here with the word and conditions of one of ours is not loaded.",
    "# MIT licence, Copyright (c) 2014 Open Event Data Alliance: see PETRARCH2-LICENSE.txt.",
)

# The lines our header gains (after its own comment lines) to say what the layer is.
_LAYER_NOTE = (
    "# source        where the row came from: `thucydides` for our own rows (they come first);",
    "#               `petrarch2:FILE:LINE` for the base layer imported from the PETRARCH-2 /",
    "#               Phoenix actor dictionaries (github.com/openeventdata/petrarch2), MIT licence,",
    "#               Copyright (c) 2014 Open Event Data Alliance: see PETRARCH2-LICENSE.txt here.",
    "#               Those rows are rebuilt by scripts/build_petrarch_base.py: do not edit them by",
    "#               hand. Our rows speak for a person from their first day; the imported rows",
    "#               tell what came before (the dictionaries end around 2015). The build lists",
    "#               every imported row of a person we have rows for in PETRARCH2-CONFLICTS.txt.",
)
_LAYER_START = _LAYER_NOTE[0]


def _hand_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header comments (without the layer note) and our own rows of the packaged table."""
    comments: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line)
    if _LAYER_START in comments:
        comments = comments[: comments.index(_LAYER_START)]
    rows = []
    for row in _rows(text, TABLE.name, OFFICE_HOLDER_COLUMNS):
        if row.values.get("source", HAND_SOURCE) in ("", HAND_SOURCE):
            rows.append({**row.values, "source": HAND_SOURCE})
    return comments, rows


def _key(row: dict[str, str]) -> tuple[str, str, str, str]:
    return (_person_key(row["name"]), row["country"], row["role"].lower(), row["start"])


def _forms(row: dict[str, str]) -> set[str]:
    names = [row["name"], *row["aliases"].split("|")]
    return {key for key in (_person_key(n) for n in names if n.strip()) if key}


def _term(row: dict[str, str]) -> str:
    where = row["country"] or row["organization"]
    return f"{where} {row['sector']} {row['role']} {row['start']}..{row['end'] or 'open'}"


def _overlaps(a: dict[str, str], b: dict[str, str]) -> bool:
    # ISO dates of one precision compare as text; a missing end is open.
    a_end, b_end = a["end"] or "9999", b["end"] or "9999"
    return a["start"] <= b_end and b["start"] <= a_end


def build(dictionaries: Path, lexicons: Path = LEXICONS) -> dict[str, int]:
    """Rebuild LEXICONS/office_holders.tsv (and its licence and conflicts files) in place."""
    table = lexicons / TABLE.name
    comments, hand = _hand_rows(table.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as out:
        import_petrarch(
            dictionaries, out, spacy_lemmatizer(load_model(Settings().model)), parts=["actors"]
        )
        imported_text = (Path(out) / "office_holders.tsv").read_text(encoding="utf-8")
        license_text = (Path(out) / LICENSE_NAME).read_text(encoding="utf-8")
    imported = [
        {**row.values, "source": SOURCE_PREFIX + row.values["source"]}
        for row in _rows(imported_text, "office_holders.tsv", COLUMNS)
    ]
    ours_by_key = {_key(row): row for row in hand}
    ours_by_form: dict[str, list[dict[str, str]]] = {}
    for row in hand:
        for form in _forms(row):
            ours_by_form.setdefault(form, []).append(row)

    counts: Counter[str] = Counter(ours=len(hand), imported=len(imported))
    kept: list[dict[str, str]] = []
    conflicts: list[tuple[str, str, str, str, str]] = []
    for row in imported:
        ours = {id(r): r for f in sorted(_forms(row)) for r in ours_by_form.get(f, [])}
        same = ours_by_key.get(_key(row))
        if same is not None:
            counts["left out: same key as ours"] += 1
            conflicts.append(
                (row["name"], _term(row), _term(same), "same name, country, role and start",
                 "ours kept, theirs left out")
            )  # fmt: skip
            continue
        kept.append(row)
        if not ours:
            continue
        mine = sorted(ours.values(), key=lambda r: r["start"])
        first = min(r["start"] for r in mine)
        if {r["country"] for r in mine} & {row["country"]} == set():
            what = "another country: a namesake, or a shared alias"
            settle = "the document's countries pick the person; else as below"
        elif any(_overlaps(row, r) and r["sector"] != row["sector"] for r in mine):
            what = "overlapping term, another sector"
        elif not row["end"] and row["start"] >= "0002":
            what = "open-ended term"
        else:
            what = "another term"
        if what != "another country: a namesake, or a shared alias":
            settle = f"ours from {first}, theirs before"
        conflicts.append((row["name"], _term(row), "; ".join(_term(r) for r in mine), what, settle))
        counts[f"conflict: {what}"] += 1
    kept.sort(key=lambda r: (_person_key(r["name"]), r["start"], r["country"], r["role"]))
    counts["written: imported"] = len(kept)

    lines = [*comments, *_LAYER_NOTE, "\t".join(COLUMNS)]
    for row in [*hand, *kept]:
        lines.append("\t".join(" ".join(row.get(c, "").split()) for c in COLUMNS))
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (lexicons / LICENSE_NAME).write_text(license_text, encoding="utf-8")
    report = [
        "# Imported PETRARCH-2 office-holder rows of people our office_holders.tsv rows name.",
        "# Written by scripts/build_petrarch_base.py; how each is settled is in the last column.",
        "\t".join(("name", "theirs", "ours", "differs", "settled")),
        *("\t".join(c) for c in sorted(conflicts)),
    ]
    (lexicons / CONFLICTS.name).write_text("\n".join(report) + "\n", encoding="utf-8")
    return dict(counts)


def _group(row: dict[str, str]) -> tuple[str, str]:
    """The group a verb row's precision is pooled in: whether it asks for object words (a
    bare "take" or "call" row fires on anything; "fired weapon" is specific), and its CAMEO
    root. Few rows fire often enough on the tuning sets to be judged alone."""
    return ("object" if row["object"] else "no object", row["cameo"][:2])


def _precise(precision: Path) -> tuple[Callable[[dict[str, str]], bool], list[str]]:
    """Which imported verb rows to keep, by PRECISION's counts: a row that fired MIN_FIRED times
    on the tuning sets by its own precision, any other by its group's. Also the groups' lines."""
    rows = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for row in _rows(precision.read_text(encoding="utf-8"), precision.name, (*VERB_KEY, "fired")):
        fired, hits = int(row.values["fired"]), int(row.values["hits"])
        rows[tuple(row.values[c] for c in VERB_KEY)] = (fired, hits)
        counts = groups.setdefault(_group(row.values), [0, 0])
        counts[0] += fired
        counts[1] += hits

    def good(fired: int, hits: int) -> bool:
        return fired >= MIN_FIRED and hits >= MIN_PRECISION * fired

    def keep(row: dict[str, str]) -> bool:
        fired, hits = rows.get(tuple(row[c] for c in VERB_KEY), (0, 0))
        if fired >= MIN_FIRED:
            return good(fired, hits)
        return good(*groups.get(_group(row), [0, 0]))

    report = [
        f"  group {kind:<9} {root}: {hits}/{fired} right" + ("  kept" if good(fired, hits) else "")
        for (kind, root), (fired, hits) in sorted(groups.items())
    ]
    return keep, report


def build_verbs(
    dictionaries: Path,
    lexicons: Path = LEXICONS,
    precision: Path | None = PRECISION,
) -> dict[str, int]:
    """Write LEXICONS/triggers_petrarch.tsv: the imported verb rows PRECISION finds precise
    (every imported row when PRECISION is None, for measuring them)."""
    with tempfile.TemporaryDirectory() as out:
        import_petrarch(
            dictionaries, out, spacy_lemmatizer(load_model(Settings().model)), parts=["verbs"]
        )
        imported = [
            row.values
            for row in _rows(
                (Path(out) / "triggers.tsv").read_text(encoding="utf-8"),
                "triggers.tsv",
                (*TRIGGER_COLUMNS, "source"),
            )
        ]
    keep, groups = _precise(precision) if precision is not None else (None, [])
    kept = [r for r in imported if keep is None or keep(r)]
    header = "\n".join(_VERB_NOTE).format(fired=MIN_FIRED, precision=MIN_PRECISION)
    header += f"\n# This build: {len(kept)} of the {len(imported)} imported rows."
    if keep is None:
        header += "\n# (this build keeps EVERY imported row: it is for measuring them, not to ship)"
    elif not kept:
        header += (
            "\n# None is kept: where none of our rows matches a word, the imported rows were"
            "\n# right too seldom on the tuning sets (see scripts/petrarch_verb_precision.tsv)."
        )
    lines = [header, "\t".join((*TRIGGER_COLUMNS, "source"))]
    lines += ["\t".join(r[c] for c in (*TRIGGER_COLUMNS, "source")) for r in kept]
    (lexicons / BASE_LAYER).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for line in groups:
        print(line)
    return {"verb rows imported": len(imported), "verb rows written": len(kept)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dictionaries", nargs="?", type=Path, default=DEFAULT_DICTIONARIES)
    parser.add_argument("--part", choices=("actors", "verbs"), action="append")
    parser.add_argument("--all-verbs", action="store_true", help="every verb row, to measure")
    args = parser.parse_args()
    if not args.dictionaries.is_dir():
        parser.error(f"{args.dictionaries}: no such directory (the PETRARCH-2 dictionaries)")
    parts = args.part or (["verbs"] if args.all_verbs else ["actors", "verbs"])
    if "actors" in parts:
        for name, count in sorted(build(args.dictionaries).items()):
            print(f"{count:>7}  {name}")
        print(f"wrote {TABLE.relative_to(ROOT)}, {CONFLICTS.relative_to(ROOT)}, {LICENSE_NAME}")
    if "verbs" in parts:
        precision = None if args.all_verbs else PRECISION
        for name, count in sorted(build_verbs(args.dictionaries, precision=precision).items()):
            print(f"{count:>7}  {name}")
        print(f"wrote {(LEXICONS / BASE_LAYER).relative_to(ROOT)}")


if __name__ == "__main__":
    main()

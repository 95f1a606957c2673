"""Regenerate src/thucydides/data/icews_countries.tsv from the country names ICEWS uses.

    cut -f18 events.*.tab | tail -n +2 | sort -u > icews-countries.txt
    PYTHONPATH=src python scripts/build_icews_countries.py icews-countries.txt

NAMES is one name a line: the distinct values of the Country column of the ICEWS Coded Event
Data (Harvard Dataverse, doi:10.7910/DVN/28075). Each gets its ISO 3166-1 alpha-3 code from
country_converter; names it cannot place (historical regions such as "Bavaria") are left out.
The names are written as ICEWS spells them; nothing here is typed by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from thucydides.export import country_crosswalk

OUT = Path(__file__).resolve().parent.parent / "src/thucydides/data/icews_countries.tsv"

HEADER = """\
# Country names as the ICEWS Coded Event Data spell them (its Country, Source Country and
# Target Country columns), keyed by ISO 3166-1 alpha-3. Source: the distinct Country values of
# the ICEWS Coded Event Data (Harvard Dataverse, doi:10.7910/DVN/28075); ISO-3 codes from
# country_converter by the name. Regenerate with scripts/build_icews_countries.py.
#   iso3   ISO 3166-1 alpha-3 code (XKX for Kosovo), as the coder's countries.tsv
#   name   the ICEWS name ("Russian Federation", "Occupied Palestinian Territory")
iso3\tname
"""


def main(names_file: str) -> None:
    names = sorted({line.strip() for line in Path(names_file).read_text("utf-8").splitlines()})
    converter = country_crosswalk()
    rows: dict[str, str] = {}
    for name in filter(None, names):
        iso3 = converter.convert(name, to="ISO3", not_found=None)
        if not isinstance(iso3, str) or len(iso3) != 3:
            print(f"left out: {name!r} (no ISO-3 code)", file=sys.stderr)
            continue
        if iso3 in rows:
            raise SystemExit(f"two ICEWS names for {iso3}: {name!r} and {rows[iso3]!r}")
        rows[iso3] = name
    body = "".join(f"{iso3}\t{rows[iso3]}\n" for iso3 in sorted(rows))
    OUT.write_text(HEADER + body, encoding="utf-8")
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])

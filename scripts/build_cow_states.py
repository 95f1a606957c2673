"""Regenerate src/thucydides/data/cow_states.tsv from the Correlates of War state list.

    PYTHONPATH=src python scripts/build_cow_states.py states2016.csv

STATES is the Correlates of War Project's State System Membership List (v2016, "states2016.csv"
from correlatesofwar.org: stateabb, ccode, statenme, start and end dates). Every state that is a
member at the list's end gets one row, with its ISO 3166-1 alpha-3 code found by
country_converter from the COW name (our exports key on ISO-3). The COW numbers and names are
copied as the list gives them; nothing here is typed by hand but the one row below.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from thucydides.export import country_crosswalk

OUT = Path(__file__).resolve().parent.parent / "src/thucydides/data/cow_states.tsv"

# COW keeps Serbia under Yugoslavia's number (345) after 1992; country_converter reads the name
# "Yugoslavia" as no current country.
ISO3_BY_COW_NAME = {"Yugoslavia": "SRB"}

HEADER = """\
# Correlates of War state numbers (ccode) of the states in the COW state system at the end of
# its State System Membership List, keyed by ISO 3166-1 alpha-3. Source: Correlates of War
# Project, State System Membership List, v{version} (correlatesofwar.org); ISO-3 codes from
# country_converter by the COW name. Regenerate with scripts/build_cow_states.py.
#   iso3      ISO 3166-1 alpha-3 code (XKX for Kosovo), as the coder's countries.tsv
#   ccode     the COW state number most IR data join on (COW's Serbia is 345, Germany 255)
#   stateabb  COW's three-letter state abbreviation (GMY, UKG, ROK)
#   statenme  COW's state name
iso3\tccode\tstateabb\tstatenme
"""


def main(states_csv: str) -> None:
    with open(states_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    version = rows[0]["version"]
    current = [row for row in rows if row["endyear"] == version]
    converter = country_crosswalk()
    lines: dict[str, str] = {}
    for row in current:
        name = row["statenme"]
        iso3 = ISO3_BY_COW_NAME.get(name) or converter.convert(name, to="ISO3", not_found=None)
        if not isinstance(iso3, str) or len(iso3) != 3:
            raise SystemExit(f"no ISO-3 code for COW state {name!r} ({row['ccode']})")
        if iso3 in lines:
            raise SystemExit(f"two COW states for {iso3}: {name!r} and {lines[iso3]!r}")
        lines[iso3] = f"{iso3}\t{row['ccode']}\t{row['stateabb']}\t{name}"
    text = HEADER.format(version=version) + "\n".join(lines[k] for k in sorted(lines)) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(lines)} states to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])

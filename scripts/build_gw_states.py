"""Regenerate src/thucydides/data/gw_states.tsv from the Gleditsch-Ward list of states.

    PYTHONPATH=src python scripts/build_gw_states.py iisystem.dat

STATES is Gleditsch and Ward's list of independent states ("iisystem.dat", tab-separated:
number, abbreviation, name, start and end dates as dd:mm:yyyy; Gleditsch & Ward 1999, "A
Revised List of Independent States since the Congress of Vienna", International Interactions
25(4), updated at ksgleditsch.com). Every state that exists at the list's last date gets one
row, with its ISO 3166-1 alpha-3 code found by country_converter from the name. The list's
microstates (Kiribati, Nauru, Tonga, Tuvalu, ...) are a separate list: for them the exports
keep country_converter's own GWcode.
"""

from __future__ import annotations

import sys
from pathlib import Path

from thucydides.export import country_crosswalk

OUT = Path(__file__).resolve().parent.parent / "src/thucydides/data/gw_states.tsv"

# Two current states the list names by their Cold War incarnation, which country_converter
# does not read as today's country.
ISO3_BY_GW_NAME = {"German Federal Republic": "DEU", "Vietnam, Democratic Republic of": "VNM"}

HEADER = """\
# Gleditsch-Ward state numbers of the independent states on the last day of the Gleditsch-Ward
# list, keyed by ISO 3166-1 alpha-3. Source: Gleditsch & Ward (1999), "A Revised List of
# Independent States since the Congress of Vienna", list "iisystem.dat" (to {end});
# ISO-3 codes from country_converter by the name. Rebuilt by scripts/build_gw_states.py.
#   iso3    ISO 3166-1 alpha-3 code (XKX for Kosovo), as the coder's countries.tsv
#   gwcode  the Gleditsch-Ward number (UCDP and many IR data join on it: Serbia 340, Germany 260)
#   gwabb   the list's three-letter abbreviation
#   gwname  the list's name of the state
iso3\tgwcode\tgwabb\tgwname
"""


def main(states_file: str) -> None:
    rows = [
        line.rstrip("\n").split("\t")
        for line in Path(states_file).read_text("utf-8").splitlines()
        if line.strip()
    ]
    last = max(row[4][-4:] + row[4][3:5] + row[4][:2] for row in rows)  # yyyymmdd
    end = f"{last[6:]}:{last[4:6]}:{last[:4]}"
    converter = country_crosswalk()
    lines: dict[str, str] = {}
    for number, abbreviation, name, _start, until in rows:
        if until != end:
            continue
        iso3 = ISO3_BY_GW_NAME.get(name) or converter.convert(name, to="ISO3", not_found=None)
        if not isinstance(iso3, str) or len(iso3) != 3:
            raise SystemExit(f"no ISO-3 code for Gleditsch-Ward state {name!r} ({number})")
        if iso3 in lines:
            raise SystemExit(f"two Gleditsch-Ward states for {iso3}: {name!r}, {lines[iso3]!r}")
        lines[iso3] = f"{iso3}\t{number}\t{abbreviation}\t{name}"
    body = "".join(lines[iso3] + "\n" for iso3 in sorted(lines))
    OUT.write_text(HEADER.format(end=end) + body, encoding="utf-8")
    print(f"wrote {len(lines)} states to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])

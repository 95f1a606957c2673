"""Actor lexicons: which words stand for which country (ISO-3).

This first part reads lexicons/countries.tsv: names, short forms, demonyms, capitals and seats
of government. Agents (sectors), international organisations, office holders and coreference
come with the event coder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .lexicon import load_table

COUNTRY_COLUMNS = ("code", "name", "names", "demonyms", "capital", "seats")


@dataclass(frozen=True, slots=True)
class CountryMatch:
    code: str  # ISO 3166-1 alpha-3
    kind: str  # name, demonym, capital or seat: a capital or seat stands for the government
    entry: str  # lexicon row ("countries.tsv:42"), for provenance


class CountryLexicon:
    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self._index: dict[str, CountryMatch] = {}
        for row in load_table("countries.tsv", COUNTRY_COLUMNS, lexicon_dir):
            values = row.values
            forms = [
                ("name", [values["name"], *values["names"].split("|")]),
                ("demonym", values["demonyms"].split("|")),
                ("capital", [values["capital"]]),
                ("seat", values["seats"].split("|")),
            ]
            for kind, texts in forms:
                for text in texts:
                    key = _key(text)
                    if not key:
                        continue
                    # In the packaged table the first claim on a form wins ("Washington" is
                    # the capital before it is a seat); a user's row always takes a form over.
                    if key not in self._index or not row.packaged:
                        self._index[key] = CountryMatch(values["code"], kind, row.location)

    def lookup(self, text: str) -> CountryMatch | None:
        """The country a mention stands for: "S. Korea", "North Korean", "Seoul", "the Kremlin"."""
        return self._index.get(_key(text))


def _key(text: str) -> str:
    text = " ".join(text.replace("’", "'").split())
    return text[4:] if text.lower().startswith("the ") else text

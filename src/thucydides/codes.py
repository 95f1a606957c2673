"""CAMEO event codes: names, Goldstein scores, QuadClass and their PLOVER 2021 type, mode, context.

The table is `lexicons/cameo.tsv` (its header documents the columns and where the PLOVER mapping
comes from). A row in a user's `--lexicon-dir/cameo.tsv` replaces the packaged row of the same code.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import LexiconError
from .lexicon import LexiconRow, load_table

CAMEO_FILE = "cameo.tsv"
CAMEO_COLUMNS = (
    "code",
    "name",
    "goldstein",
    "quad_class",
    "plover_type",
    "plover_mode",
    "plover_context",
    "note",
)

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# PLOVER 0.5 (the gold-standard records' names) -> 2021. COOPERATION is the spelling of some
# 0.5-era files for COOPERATE.
PLOVER_05_TO_2021: dict[str, str] = {
    **{name: name for name in PLOVER_TYPES},
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "COOPERATION": "COOPERATE",
}

# The "express intent" (03x) counterpart of a cooperative code, for events only announced,
# promised or planned. Keys are matched longest first, so "0815" (unknown) goes by "081".
# Choices where the codebook leaves room:
#   045 mediate -> 039 (intent to mediate), the exact counterpart; other 04x -> 036.
#   050..056 -> 032 (intent to provide diplomatic cooperation), the codebook's counterpart of 05;
#   057 sign formal agreement -> 030: a promised signature is intent to cooperate in general.
#   075 grant asylum -> 033 (no 4-digit intent code for it).
#   08x follow the 034x/035x structure: 081x -> 0351, 082 -> 0352, 083x -> 034x,
#   084x -> 0353, 085 -> 0354, 086x -> 0355, 087x -> 0356 (de-escalate; not 0354).
_INTENT: dict[str, str] = {
    "04": "036",
    "045": "039",
    "05": "032",
    "057": "030",
    "06": "031",
    "061": "0311",
    "062": "0312",
    "063": "0313",
    "064": "0314",
    "07": "033",
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "08": "035",
    "081": "0351",
    "082": "0352",
    "083": "034",
    "0831": "0341",
    "0832": "0342",
    "0833": "0343",
    "0834": "0344",
    "084": "0353",
    "085": "0354",
    "086": "0355",
    "087": "0356",
}


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str  # "0312"
    name: str  # "Express intent to cooperate militarily"
    goldstein: float  # -10..+10
    quad_class: int  # 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict
    plover_type: str  # one of PLOVER_TYPES, or "" (CAMEO 01 statements have none)
    plover_mode: str  # "" when none applies
    plover_context: str  # "" when none is implied; alternatives separated by "|"
    entry: str  # where the row is: "cameo.tsv:57" or "/my/lexicons/cameo.tsv:3"


def _check_code(code: str) -> str:
    code = code.strip()
    if not (code.isascii() and code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
        raise ValueError(f"not a CAMEO event code: {code!r} (2 to 4 digits, root 01..20)")
    return code


def _parse(row: LexiconRow) -> CameoCode:
    values = row.values

    def bad(message: str) -> LexiconError:
        return LexiconError(f"{row.location}: {message}")

    try:
        code = _check_code(values["code"])
    except ValueError as error:
        raise bad(str(error)) from None
    if not values["name"]:
        raise bad(f"code {code} has no name")
    try:
        goldstein = float(values["goldstein"])
    except ValueError:
        raise bad(f"goldstein {values['goldstein']!r} is not a number") from None
    if math.isnan(goldstein) or not -10.0 <= goldstein <= 10.0:
        raise bad(f"goldstein {values['goldstein']} is outside -10..10")
    if values["quad_class"] not in ("1", "2", "3", "4"):
        raise bad(f"quad_class {values['quad_class']!r} is not 1, 2, 3 or 4")
    plover_type = values["plover_type"]
    if plover_type and plover_type not in PLOVER_TYPES:
        raise bad(f"plover_type {plover_type!r} is not a PLOVER 2021 type (or empty)")
    return CameoCode(
        code=code,
        name=values["name"],
        goldstein=goldstein,
        quad_class=int(values["quad_class"]),
        plover_type=plover_type,
        plover_mode=values["plover_mode"],
        plover_context=values["plover_context"],
        entry=row.location,
    )


# Announced or conditional coercion -> the matching threat (most specific prefix first).
_THREAT: dict[str, str] = {
    "14": "133",
    "16": "131",
    "161": "1313",
    "162": "1311",
    "163": "1312",
    "164": "134",
    "165": "135",
    "166": "136",
    "17": "137",
    "172": "132",
    "1721": "1321",
    "1722": "1322",
    "1723": "1323",
    "1724": "1324",
    "18": "1383",
    "19": "1384",
    "191": "1381",
    "192": "1382",
    "20": "1383",
    "204": "1385",
}


class CameoTable:
    """The CAMEO code table, with a user's overlay rows replacing packaged rows of the same code."""

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        entries: dict[str, CameoCode] = {}
        for row in load_table(CAMEO_FILE, CAMEO_COLUMNS, lexicon_dir):
            entry = _parse(row)
            entries[entry.code] = entry  # user rows come last: later wins
        self._entries = dict(sorted(entries.items()))  # string order is the codebook's order

    def get(self, code: str) -> CameoCode:
        """The entry of CODE, or of its nearest ancestor ("1835" -> "183") when CODE is unknown.

        The entry returned carries its own code, so callers can see a fallback happened.
        Raises ValueError for a malformed code, or one without a known ancestor.
        """
        code = _check_code(code)
        for length in range(len(code), 1, -1):
            entry = self._entries.get(code[:length])
            if entry is not None:
                return entry
        raise ValueError(f"unknown CAMEO code {code!r} and no known ancestor")

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def codes(self) -> Iterator[CameoCode]:
        """Every entry in codebook order (01, 010, ..., 019, 02, 020, 021, 0211, ...)."""
        return iter(self._entries.values())

    @staticmethod
    def root(code: str) -> str:
        """The two-digit root ("0312" -> "03")."""
        return _check_code(code)[:2]

    def threat_code(self, code: str) -> str:
        """The 13x "threaten" code for an announced or conditional coercive or violent CODE.

        An actor saying it will use force, repress or restrict, or that it will cut relations
        if a condition is not met, is threatening (CAMEO 13): 14x -> 133, 16x -> 131x/134-136,
        17x -> 132x/137, 18x -> 1383, 19x -> 138x, 20x -> 1383/1385; other codes unchanged.
        """
        code = _check_code(code)
        for length in range(len(code), 1, -1):
            target = _THREAT.get(code[:length])
            if target is not None:
                return target
        return code

    def intent_code(self, code: str) -> str:
        """The 03x "express intent" code for an announced or planned cooperative CODE.

        04x -> 036 (045 -> 039), 05x -> 032 (057 -> 030), 06x -> 031x, 07x -> 033x,
        08x -> 034x/035x; any other code (03x included) is returned unchanged.
        """
        code = _check_code(code)
        for length in range(len(code), 1, -1):
            target = _INTENT.get(code[:length])
            if target is not None:
                return target
        return code

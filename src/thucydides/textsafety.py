"""Strings from outside made safe to store, write and print.

Python strings can hold lone surrogates (a JSON `"\\udcff"`, or a file name that is not valid
UTF-8, decoded by the OS layer with surrogateescape); UTF-8 cannot encode them, so spaCy, DuckDB
and every output file fail on them. Text gets U+FFFD in their place (what a decoder does with a bad
byte); names keep their bytes readable in the backslash form (`caf\\xe9.txt`), the same everywhere.
"""

from __future__ import annotations

import json
import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 control characters except tab and newline: ESC sequences can rewrite a terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """TEXT with each lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _escaped(match: re.Match[str]) -> str:
    point = ord(match.group(0))
    if 0xDC80 <= point <= 0xDCFF:  # a byte that os.fsdecode could not decode
        return f"\\x{point - 0xDC00:02x}"
    return f"\\u{point:04x}"


def safe_name(name: str) -> str:
    """A file name or location with undecodable bytes written as \\xNN (and other lone
    surrogates as \\uNNNN), so it can be stored and printed."""
    return _SURROGATE.sub(_escaped, name) if _SURROGATE.search(name) else name


def printable(text: str) -> str:
    """TEXT safe for a terminal: names made safe and control characters shown as \\xNN."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", safe_name(text))


# Characters that JSON leaves as they are but Python's str.splitlines (and older JavaScript)
# take for line ends: raw in a JSON line, they cut it in two for such readers.
_LINE_BREAKS_JSON_KEEPS = re.compile("[\x85\u2028\u2029]")


def json_line(record: object) -> str:
    """RECORD as one line of JSON lines (UTF-8 text kept as it is, not \\u-escaped), with the
    line breaks JSON would leave raw (U+0085, U+2028, U+2029) escaped, and a newline."""
    text = json.dumps(record, ensure_ascii=False)
    return _LINE_BREAKS_JSON_KEEPS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"

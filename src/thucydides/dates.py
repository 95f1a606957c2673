"""Dates written in news text -> calendar dates.

This module reads absolute dates and times ("March 12, 2012 - 13:55", "Posted April. 30, 2001
13:37", "2012-03-12T13:55:00Z", "Mon, 12 Mar 2012 13:55:00 +0900", "2012.03.12"). Our own rules
rather than a general parser: news date lines come in a few shapes, and rules are fast, predictable
and never read "May" in a sentence as a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .types import EventDate

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s*)?"
_TIME = (
    r"(?:[\s,\-–—|@T]*(?:at\s+)?(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<tz>z|utc|gmt|kst|est|edt|pst|pdt|cet|cest|bst|[+-]\d{2}:?\d{2})?)?"
)
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

# Whole-string shapes, tried in order; each must consume the string but for trailing punctuation.
_SHAPES = [
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}", re.I),  # March 12, 2012
    re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME}", re.I),  # 12 March 2012
    re.compile(
        rf"{_YEAR}[-./](?P<month>\d{{1,2}})[-./]{_DAY}{_TIME}",
        re.I,
    ),  # 2012-03-12T13:55, 2012.03.12 13:55
]
_LEADING_LABEL = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|posted|updated|modified|created|date|dated|"
    r"release[d]?|issued|edited)(?:\s+(?:on|at))?\s*[:：\-–—]?\s*)+",
    re.I,
)
_TRAILING = re.compile(r"[\s,.;|·\-–—:]+$")


@dataclass(frozen=True, slots=True)
class DateTimeText:
    """An absolute date, with a time when the text gave one."""

    day: date
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    tz: str | None = None  # as written ("KST", "+09:00"); we do not convert

    def iso(self) -> str:
        """ISO 8601: the date alone, or date and time (naive: the page's own clock)."""
        if self.hour is None:
            return self.day.isoformat()
        stamp = datetime(
            self.day.year,
            self.day.month,
            self.day.day,
            self.hour,
            self.minute or 0,
            self.second or 0,
        )
        text = stamp.isoformat()
        if self.tz and re.fullmatch(r"[+-]\d{2}:?\d{2}", self.tz):
            text += self.tz if ":" in self.tz else f"{self.tz[:3]}:{self.tz[3:]}"
        elif self.tz and self.tz.lower() in {"z", "utc", "gmt"}:
            text += "+00:00"
        return text


def _normalise_spaces(text: str) -> str:
    return re.sub(r"[\s\u00a0\u2009\u202f]+", " ", text).strip()


def parse_datetime(text: str) -> DateTimeText | None:
    """Read text that is a date (optionally with a time and a label such as "Published :").

    Returns None unless the whole text is a date: "Posted April. 30, 2001 13:37," is one,
    "Talks began on March 12, 2012 in Moscow" is not.
    """
    candidate = _LEADING_LABEL.sub("", _normalise_spaces(text))
    candidate = _TRAILING.sub("", candidate)
    if not candidate or len(candidate) > 60:
        return None
    for shape in _SHAPES:
        match = shape.fullmatch(candidate)
        if match:
            return _build(match)
    return None


def _build(match: re.Match[str]) -> DateTimeText | None:
    groups = match.groupdict()
    month_text = groups["month"].lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    if month is None:
        return None
    try:
        day = date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None
    if groups.get("hour") is None:
        return DateTimeText(day)
    hour, minute = int(groups["hour"]), int(groups["minute"])
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return DateTimeText(day)
    second = int(groups["second"]) if groups.get("second") else None
    return DateTimeText(day, hour, minute, second, groups.get("tz"))


_RFC2822 = re.compile(
    rf"{_WEEKDAY}{_DAY}\s+{_MONTH}\s+{_YEAR}\s+(?P<hour>\d{{2}}):(?P<minute>\d{{2}})"
    r"(?::(?P<second>\d{2}))?\s*(?P<tz>[+-]\d{4}|gmt|utc|z)?",
    re.I,
)


def parse_date_hint(text: str | None) -> DateTimeText | None:
    """A date given by a container (JSONL `date`, CSV column, HTML metadata): any common shape."""
    if not text or not text.strip():
        return None
    text = text.strip()
    match = _RFC2822.fullmatch(text)
    if match:
        return _build(match)
    return parse_datetime(text)


# --- Event dates: date expressions in a sentence, resolved against the publication date ---------
#
# Conventions (chosen so that the same words always give the same date):
# - Weeks run Monday to Sunday; a week-precision date is that week's Monday.
# - "this Thursday" is the Thursday of the publication week, "next Thursday" that of the following
#   week and "last Thursday" that of the previous week, whatever the tense.
# - A bare weekday ("Thursday", "on Thursday") goes by tense: past -> the latest one on or before
#   publication ("said on Monday" in a Monday article is that day), future -> the first one on or
#   after, unknown -> the nearer of the two (a tie goes to the past: news mostly reports).
# - "the weekend" is its Saturday at day precision (the same tense rule; "this weekend" with no
#   tense is the publication week's Saturday).
# - "last night" is the day before publication (a morning paper's convention).
# - A month-day without a year takes the publication year, moved back a year when a past-tense event
#   would fall more than ~2 months after publication, forward when a future-tense one would fall
#   more than ~2 months before it; with no tense, the nearest. A bare month goes strictly by tense.
# - "early/late/mid-/earlier/later" keep the precision of what they qualify ("late last year" is
#   last year).
# - Durations, decades, ages and repeats ("for 10 years", "the 1990s", "50-year-old", "every year")
#   are not a point in time: None.

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_NUMBERS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "a couple of": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_SLACK_DAYS = 61  # how far a month-day may fall on the "wrong" side of publication for its tense

_WD = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_MO = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_UNIT = r"(?:day|week|month|year)s?"

_NOT_A_POINT = re.compile(
    r"\b(?:every|each|decades?|centur(?:y|ies)|indefinitely|annually|daily|weekly|monthly|yearly|"
    r"year-old|years?\s+old|more\s+than|less\s+than|over\s+the\s+(?:past|last|next)|"
    r"recent|recently|currently|past\s+(?:few|several)|next\s+(?:few|several))\b|"
    r"\d0'?s\b|'\d0s\b",
    re.I,
)
_LEADING_WORDS = re.compile(
    r"^(?:(?:on|in|at|during|over|around|about|circa|by|as\s+of|sometime|some\s+time|"
    r"early|earlier|late|later|mid|middle\s+of|the\s+middle\s+of|end\s+of|the\s+end\s+of|"
    r"beginning\s+of|the\s+beginning\s+of|start\s+of|the\s+start\s+of)(?:\s+|-))+"
)
_CLOCK = re.compile(
    r"(?:\s*(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|o'clock|gmt|utc)|\s*at\s+(?:noon|midnight|"
    r"dawn|dusk))",
)
_TIME_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night|overnight|noon|midday|midnight)$")
_RANGE_SPLIT = re.compile(r"\s+(?:and|or|to|through|until|till)\s+|\s*[-–—/]\s*(?=\d|[a-z])")

_RELATIVE_DAY = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}
_SHIFT = {"this": 0, "the": 0, "coming": 0, "this coming": 0, "the coming": 0, "current": 0,
          "the current": 0, "last": -1, "past": -1, "next": 1}  # fmt: skip
_SHIFT_RE = "(?P<shift>" + "|".join(sorted(_SHIFT, key=len, reverse=True)) + ")"


def publication_date(published: date) -> EventDate:
    """The event date to use when a sentence gives none: the publication day."""
    return EventDate(published.isoformat(), "day", "", "publication")


def resolve_date(expression: str, published: date, tense: str | None = None) -> EventDate | None:
    """One date expression ("last Thursday", "Apr. 27", "two days ago") -> an EventDate.

    Relative expressions are resolved against `published`; `tense` ("past", "future" or None)
    picks the direction of bare weekdays, months and month-days. None when the words are not a
    point in time (durations, decades, ages, repeats) or not understood.
    """
    if isinstance(published, datetime):
        published = published.date()
    text = _normalise_spaces(expression).replace("\u2019", "'")
    if not text or len(text) > 80:
        return None
    resolved = _resolve(text.lower(), published, tense)
    if resolved is None:
        # "April 2001 and every year", "March 12-14": the first point of a list or range.
        pieces = _RANGE_SPLIT.split(text.lower(), maxsplit=1)
        numeric = re.fullmatch(r"[\d\s./-]+", text) is not None  # "2012-13-01" is no range
        if len(pieces) == 2 and not numeric and not _NOT_A_POINT.search(pieces[0]):
            resolved = _resolve(pieces[0], published, tense)
    if resolved is None:
        return None
    value, precision = resolved
    return EventDate(value, precision, expression.strip(), "text")


def _resolve(low: str, published: date, tense: str | None) -> tuple[str, str] | None:
    if _NOT_A_POINT.search(low):
        return None
    ahead = _AHEAD.fullmatch(low)  # before "in" is dropped: "in two weeks" is not "two weeks"
    if ahead:
        return _offset(ahead, published, tense)
    low = re.sub(r"'s$", "", low.strip(" ,;:.")).strip()
    low = _CLOCK.sub("", low).strip()
    low = _LEADING_WORDS.sub("", low).strip()
    if low not in _RELATIVE_DAY:
        low = _TIME_OF_DAY.sub("", low).strip()
    low = re.sub(r"^(?:" + _WD + r"),?\s+(?=\d|" + _MO + ")", "", low)  # "Thursday, March 15"
    if not low:
        return None
    for rule in _RULES:
        match = rule[0].fullmatch(low)
        if match:
            try:
                return rule[1](match, published, tense)
            except (OverflowError, ValueError):  # "next week" of 9999-12-31: no such day
                return None
    return None


def _day(value: date) -> tuple[str, str]:
    return value.isoformat(), "day"


def _week(value: date) -> tuple[str, str]:
    return (value - timedelta(days=value.weekday())).isoformat(), "week"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _relative_day(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str]:
    return _day(published + timedelta(days=_RELATIVE_DAY[match.group(0)]))


def _weekday_near(published: date, weekday: int, tense: str | None) -> date:
    before = published - timedelta(days=(published.weekday() - weekday) % 7)
    after = published + timedelta(days=(weekday - published.weekday()) % 7)
    if tense == "past":
        return before
    if tense == "future":
        return after
    return before if (published - before) <= (after - published) else after


def _weekday(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str]:
    weekday = WEEKDAYS[match.group("wd").rstrip(".")]
    shift = match.group("shift")
    if shift is None:
        return _day(_weekday_near(published, weekday, tense))
    monday = published - timedelta(days=published.weekday())
    return _day(monday + timedelta(days=7 * _SHIFT[shift] + weekday))


def _weekend(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str]:
    shift = match.group("shift")
    if shift in {"last", "past", "next"} or (shift in {"this", "current"} and tense is None):
        monday = published - timedelta(days=published.weekday())
        return _day(monday + timedelta(days=7 * _SHIFT[shift] + 5))
    return _day(_weekday_near(published, 5, tense))


def _period(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str]:
    shift = _SHIFT[match.group("shift") or "this"]
    unit = match.group("unit")
    if unit == "week":
        return _week(published + timedelta(days=7 * shift))
    if unit == "month":
        year, month = _add_months(published.year, published.month, shift)
        return f"{year:04d}-{month:02d}", "month"
    return f"{published.year + shift:04d}", "year"


def _count(text: str) -> int | None:
    number = _NUMBERS.get(text) if not text.isdigit() else int(text)
    return number if number is not None and 0 < number < 1000 else None


def _offset(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str] | None:
    groups = match.groupdict()
    number = _count(groups["n"] or groups.get("n2") or "")
    if number is None:
        return None
    sign = -1 if groups["ago"] else 1
    unit = (groups["unit"] or groups.get("unit2") or "").rstrip("s")
    if unit == "day":
        return _day(published + timedelta(days=sign * number))
    if unit == "week":
        return _week(published + timedelta(days=sign * 7 * number))
    if unit == "month":
        year, month = _add_months(published.year, published.month, sign * number)
        return f"{year:04d}-{month:02d}", "month"
    return f"{published.year + sign * number:04d}", "year"


def _month_number(text: str) -> int:
    return MONTHS[text.rstrip(".")]


def _month_day(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str] | None:
    month, day = _month_number(match.group("mo")), int(match.group("d"))
    if match.group("y"):
        try:
            return _day(date(int(match.group("y")), month, day))
        except ValueError:
            return None
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # February 29 outside a leap year
            continue
    if not candidates:
        return None
    same_year = next((c for c in candidates if c.year == published.year), None)
    if tense in {"past", "future"} and same_year is not None:
        if tense == "past" and (same_year - published).days > _SLACK_DAYS:
            return _day(date(same_year.year - 1, month, day))
        if tense == "future" and (published - same_year).days > _SLACK_DAYS:
            return _day(date(same_year.year + 1, month, day))
        return _day(same_year)
    return _day(min(candidates, key=lambda c: abs((c - published).days)))


def _month_year(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str]:
    return f"{int(match.group('y')):04d}-{_month_number(match.group('mo')):02d}", "month"


def _month(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str]:
    month = _month_number(match.group("mo"))
    year = published.year
    if tense == "past" and month > published.month:
        year -= 1
    elif tense == "future" and month < published.month:
        year += 1
    elif tense is None and abs(month - published.month) > 6:
        year += -1 if month > published.month else 1
    return f"{year:04d}-{month:02d}", "month"


def _year(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str]:
    return match.group("y"), "year"


def _iso(match: re.Match[str], published: date, tense: str | None) -> tuple[str, str] | None:
    try:
        return _day(date(int(match.group("y")), int(match.group("m")), int(match.group("d"))))
    except ValueError:
        return None


_Rule = tuple[
    re.Pattern[str],
    Callable[[re.Match[str], date, str | None], tuple[str, str] | None],
]
_AHEAD = re.compile(
    rf"(?:in\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})(?:'?\s+time)?|"
    rf"(?P<n2>{_NUM})\s+(?P<unit2>{_UNIT})\s+from\s+(?:now|today))(?P<ago>)"
)
_YR = r"(?P<y>(?:19|20)\d{2})"
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_RULES: list[_Rule] = [
    (re.compile("|".join(sorted(_RELATIVE_DAY, key=len, reverse=True))), _relative_day),
    (re.compile(rf"(?:(?P<shift>this|this\s+coming|coming|next|last|past)\s+)?(?P<wd>{_WD})"),
     _weekday),
    (re.compile(rf"(?:{_SHIFT_RE}\s+)?weekend"), _weekend),
    (re.compile(rf"(?:{_SHIFT_RE}\s+)?(?P<unit>week|month|year)"), _period),
    (re.compile(rf"(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\s+(?P<ago>ago)"), _offset),
    (re.compile(rf"(?P<mo>{_MO})\s+(?:the\s+)?{_D}(?:,?\s+{_YR})?"), _month_day),
    (re.compile(rf"(?:the\s+)?{_D}\s+(?:of\s+)?(?P<mo>{_MO}),?(?:\s+{_YR})?"), _month_day),
    (re.compile(rf"(?P<mo>{_MO}),?\s+(?:of\s+)?{_YR}"), _month_year),
    (re.compile(rf"(?P<mo>{_MO})"), _month),
    (re.compile(rf"(?:the\s+year\s+)?{_YR}"), _year),
    (re.compile(rf"{_YR}[-./](?P<m>\d{{1,2}})[-./](?P<d>\d{{1,2}})"), _iso),
]  # fmt: skip


def _capitalised(names: dict[str, int], full: bool = False) -> str:
    # Names in running text are capitalised: "may" and "march" are words, "May" and "March" dates.
    # Alone, only full names count ("Sun rose", "Jan said"); abbreviations need a day with them.
    longest = {
        value: max((n for n in names if names[n] == value), key=len) for value in names.values()
    }
    chosen = [n for n in names if not full or longest[names[n]] == n]
    return "(?:" + "|".join(n.capitalize() for n in sorted(chosen, key=len, reverse=True)) + r")\.?"


_F_WD = _capitalised(WEEKDAYS, full=True)
_F_WD_ANY = _capitalised(WEEKDAYS)
_F_MO = _capitalised(MONTHS)
_F_MO_FULL = _capitalised(MONTHS, full=True)
_F_YR = r"(?:19|20)\d{2}"
_F_D = r"\d{1,2}(?:st|nd|rd|th)?"
_F_QUAL = r"(?i:(?:early|earlier|late|later|mid)(?:\s+|-)|mid-)"
_F_TOD = r"(?:\s+(?i:morning|afternoon|evening|night))?"
_F_SHIFT = r"(?i:this\s+coming|this|next|last|coming)"
# Each pattern's group "d" is the expression; words around it only decide whether it is one.
_FINDERS: list[re.Pattern[str]] = [
    re.compile(rf"\b(?P<d>(?:{_F_WD_ANY},?\s+)?{_F_MO}\s+{_F_D}(?:,?\s+{_F_YR})?)\b"),
    re.compile(rf"\b(?P<d>(?:{_F_WD_ANY},?\s+)?{_F_D}\s+(?:of\s+)?{_F_MO}(?:,?\s+{_F_YR})?)(?!\w)"),
    re.compile(rf"\b(?P<d>{_F_QUAL}?{_F_MO},?\s+{_F_YR})\b"),
    re.compile(rf"\b(?P<d>{_F_YR}-\d{{2}}-\d{{2}})\b"),
    re.compile(rf"\b(?P<d>(?:{_F_QUAL}|(?i:in)\s+){_F_MO_FULL})(?!\w)"),
    re.compile(
        rf"\b(?i:in|since|during|until|by|of|from|early|late|mid-?)\s+(?P<d>{_F_YR})\b(?!-)"
    ),
    re.compile(rf"\b(?P<d>(?:{_F_SHIFT}\s+)?{_F_WD}{_F_TOD})(?!\w)"),
    re.compile(
        r"\b(?P<d>(?i:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|today|tonight|"
        r"yesterday|tomorrow|last\s+night)(?:\s+(?i:morning|afternoon|evening|night))?)\b"
    ),
    re.compile(
        rf"\b(?P<d>{_F_QUAL}?(?i:(?:this|next|last|the\s+coming|the)\s+weekend|"
        r"(?:this|next|last)\s+(?:week|month|year)))\b"
    ),
    re.compile(rf"\b(?P<d>(?i:{_NUM}\s+{_UNIT}\s+ago|in\s+{_NUM}\s+{_UNIT}))\b"),
]


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Date expressions in a sentence, as (start, end, text): a fallback for what NER misses.

    Only expressions that resolve_date understands are returned; overlaps keep the longest.
    """
    found: list[tuple[int, int, str]] = []
    for finder in _FINDERS:
        for match in finder.finditer(text):
            start, end = match.span("d")
            # A trailing "." belongs to "Apr." but not to "May." at a sentence's end.
            last_word = re.split(r"\W+", text[start : end - 1])[-1].lower()
            if text[end - 1] == "." and (len(last_word) > 4 or last_word == "may"):
                end -= 1
            found.append((start, end, text[start:end]))
    probe = date(2001, 4, 30)
    found = [f for f in found if resolve_date(f[2], probe) is not None]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            if item[1] - item[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = item
            continue
        kept.append(item)
    return kept

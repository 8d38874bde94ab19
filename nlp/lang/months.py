"""Loaders for the date word lists: months, ordinal days, relative dates, seasons, durations.

Each list is a small UTF-8 file under `nlp/lang/ar/` or `nlp/lang/en/`, one entry a line,
tab-separated columns, `#` comments. Surfaces are normalised on load with
`nlp.normalize.normalize_ar` (Arabic) or `nlp.normalize.normalize_en` (English), so the
extractor matches them against normalised text. Every loader is cached and returns
immutable values.

Example:
    >>> [m.month for m in month_names("ar") if m.surface == "ايلول"]
    [9]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from nlp.errors import ConfigError
from nlp.normalize import normalize
from nlp.records import Lang

LANG_DIR = Path(__file__).resolve().parent

Calendar = Literal["gregorian", "hijri"]
Part = Literal["early", "mid", "late"]

# file name (without .tsv) -> calendar, per language
MONTH_FILES: dict[str, tuple[tuple[str, Calendar], ...]] = {
    "ar": (
        ("months_gregorian", "gregorian"),
        ("months_levantine", "gregorian"),
        ("months_maghrebi", "gregorian"),
        ("months_french", "gregorian"),  # embedded tweets and datelines: "3 novembre 2017"
        ("months_hijri", "hijri"),
    ),
    "en": (("months", "gregorian"), ("months_hijri", "hijri")),
}


@dataclass(frozen=True, slots=True)
class MonthName:
    """One spelling of a month name.

    Attributes:
        surface: Normalised spelling ("ايلول", "sept").
        month: Month number 1-12 in its calendar.
        calendar: "gregorian" or "hijri".
        needs_context: Only a month when a day, a year or a word such as "شهر" is next to
            it (آب folds to "father", May is a verb, صفر means zero).
        source: The list it came from ("months_levantine", ...).
    """

    surface: str
    month: int
    calendar: Calendar
    needs_context: bool
    source: str


@dataclass(frozen=True, slots=True)
class RelativePhrase:
    """A relative date phrase: `offset` units after its anchor (negative = before)."""

    phrase: str
    offset: int
    unit: Literal["day", "year"]
    anchor: Literal["context", "published"]


@dataclass(frozen=True, slots=True)
class SeasonPhrase:
    """A season (fixed month-day span) or a part of a year/month (early, mid, late).

    For a season, `span` is ((start_month, start_day), (end_month, end_day)); a start month
    after the end month means the span begins in the previous year. For a part, `part`
    says which third.
    """

    phrase: str
    kind: Literal["season", "part"]
    span: tuple[tuple[int, int], tuple[int, int]] | None = None
    part: Part | None = None


@dataclass(frozen=True, slots=True)
class DurationUnit:
    """A unit word of a duration; `count` 0 needs a number, 1 or 2 carries its own."""

    surface: str
    unit: Literal["year", "month", "week", "day"]
    count: int


def _rows(lang: Lang, name: str, ncols: int) -> list[tuple[int, list[str]]]:
    """Read `nlp/lang/<lang>/<name>.tsv`: (line number, columns) for each data line."""
    path = LANG_DIR / lang / f"{name}.tsv"
    if not path.is_file():
        raise ConfigError(
            f"Language list {path} is missing. Reinstall Tabayyun or restore the file from git."
        )
    rows: list[tuple[int, list[str]]] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < ncols:
            raise ConfigError(
                f"{path}:{lineno}: expected {ncols} tab-separated columns, got {len(cols)}: "
                f"{line!r}. Fix the line (columns are separated by one tab)."
            )
        rows.append((lineno, cols))
    return rows


def _norm(text: str, lang: Lang) -> str:
    """Normalise a list entry; English also folds apostrophes away (Sha'ban -> shaban)."""
    out = normalize(text, lang)
    if lang == "en":
        out = out.replace("'", "")
    return " ".join(out.split())


def _int(value: str, path: str, lineno: int, lo: int, hi: int) -> int:
    try:
        n = int(value)
    except ValueError:
        n = lo - 1
    if not lo <= n <= hi:
        raise ConfigError(f"{path}:{lineno}: {value!r} is not a number in {lo}..{hi}. Fix it.")
    return n


def _check_unique(seen: dict[str, object], key: str, value: object, where: str) -> bool:
    """Record key -> value; False for a harmless duplicate, error for a contradiction."""
    if key in seen:
        if seen[key] != value:
            raise ConfigError(
                f"{where}: {key!r} is listed with two meanings ({seen[key]} and {value}). Keep one."
            )
        return False
    seen[key] = value
    return True


@lru_cache(maxsize=4)
def month_names(lang: Lang) -> tuple[MonthName, ...]:
    """All month spellings for `lang`, Gregorian (every regional list) and Hijri.

    Returns:
        Tuple of `MonthName`, one per distinct normalised spelling and calendar, longest
        spelling first (so "كانون الثاني" is tried before shorter names).

    Example:
        >>> sorted({m.month for m in month_names("ar") if m.surface in ("اب", "اغسطس")})
        [8]
    """
    out: list[MonthName] = []
    for name, calendar in MONTH_FILES[lang]:
        seen: dict[str, object] = {}
        for lineno, cols in _rows(lang, name, 2):
            month = _int(cols[1], f"{lang}/{name}.tsv", lineno, 1, 12)
            surface = _norm(cols[0], lang)
            ctx = len(cols) > 2 and cols[2] == "ctx"
            if _check_unique(seen, surface, month, f"{lang}/{name}.tsv:{lineno}"):
                out.append(MonthName(surface, month, calendar, ctx, name))
    return tuple(sorted(out, key=lambda m: -len(m.surface)))


@lru_cache(maxsize=4)
def ordinal_days(lang: Lang) -> dict[str, int]:
    """Ordinal day words -> day number ("الثالث" -> 3, "twenty-first" -> 21).

    Example:
        >>> ordinal_days("en")["third"]
        3
    """
    out: dict[str, int] = {}
    for lineno, cols in _rows(lang, "ordinal_days", 2):
        day = _int(cols[1], f"{lang}/ordinal_days.tsv", lineno, 1, 31)
        _check_unique(out, _norm(cols[0], lang), day, f"{lang}/ordinal_days.tsv:{lineno}")  # type: ignore[arg-type]
    return out


@lru_cache(maxsize=4)
def relative_phrases(lang: Lang) -> tuple[RelativePhrase, ...]:
    """Relative date phrases, longest first.

    Example:
        >>> [p.offset for p in relative_phrases("en") if p.phrase == "the previous day"]
        [-1]
    """
    out: dict[str, RelativePhrase] = {}
    for lineno, cols in _rows(lang, "relative_dates", 4):
        where = f"{lang}/relative_dates.tsv:{lineno}"
        offset = _int(cols[1], where, lineno, -3650, 3650)
        if cols[2] not in ("day", "year") or cols[3] not in ("context", "published"):
            raise ConfigError(
                f"{where}: unit must be day|year and anchor context|published, got "
                f"{cols[2]!r}, {cols[3]!r}. Fix the line."
            )
        phrase = _norm(cols[0], lang)
        value = RelativePhrase(phrase, offset, cols[2], cols[3])  # type: ignore[arg-type]
        if phrase in out and out[phrase] != value:
            raise ConfigError(f"{where}: {phrase!r} is listed twice with different values.")
        out[phrase] = value
    return tuple(sorted(out.values(), key=lambda p: -len(p.phrase)))


def _mmdd(text: str, where: str) -> tuple[int, int]:
    try:
        m, d = (int(x) for x in text.split("-"))
    except ValueError:
        m = d = 0
    if not (1 <= m <= 12 and 1 <= d <= 31):
        raise ConfigError(f"{where}: {text!r} is not MM-DD. Write spans as 06-01..08-31.")
    return m, d


@lru_cache(maxsize=4)
def season_phrases(lang: Lang) -> tuple[SeasonPhrase, ...]:
    """Seasons and year/month parts, longest first.

    Example:
        >>> [s.span for s in season_phrases("en") if s.phrase == "summer"]
        [((6, 1), (8, 31))]
    """
    out: dict[str, SeasonPhrase] = {}
    for lineno, cols in _rows(lang, "seasons", 3):
        where = f"{lang}/seasons.tsv:{lineno}"
        phrase = _norm(cols[0], lang)
        if cols[1] == "season":
            lo, _, hi = cols[2].partition("..")
            value = SeasonPhrase(phrase, "season", span=(_mmdd(lo, where), _mmdd(hi, where)))
        elif cols[1] == "part" and cols[2] in ("early", "mid", "late"):
            value = SeasonPhrase(phrase, "part", part=cols[2])  # type: ignore[arg-type]
        else:
            raise ConfigError(
                f"{where}: type must be 'season' (span MM-DD..MM-DD) or 'part' "
                f"(early|mid|late), got {cols[1]!r} {cols[2]!r}. Fix the line."
            )
        if phrase in out and out[phrase] != value:
            raise ConfigError(f"{where}: {phrase!r} is listed twice with different values.")
        out[phrase] = value
    return tuple(sorted(out.values(), key=lambda s: -len(s.phrase)))


@lru_cache(maxsize=4)
def duration_units(lang: Lang) -> dict[str, DurationUnit]:
    """Duration unit words -> `DurationUnit` ("عامين" -> year, count 2).

    Example:
        >>> duration_units("ar")["عامين"].count
        2
    """
    out: dict[str, DurationUnit] = {}
    for lineno, cols in _rows(lang, "duration_units", 3):
        where = f"{lang}/duration_units.tsv:{lineno}"
        if cols[1] not in ("year", "month", "week", "day"):
            raise ConfigError(f"{where}: unit must be year|month|week|day, got {cols[1]!r}.")
        surface = _norm(cols[0], lang)
        value = DurationUnit(surface, cols[1], _int(cols[2], where, lineno, 0, 2))  # type: ignore[arg-type]
        if surface in out and out[surface] != value:
            raise ConfigError(f"{where}: {surface!r} is listed twice with different values.")
        out[surface] = value
    return out


@lru_cache(maxsize=4)
def duration_counts(lang: Lang) -> dict[str, int]:
    """Small count words used in durations ("ثلاث" -> 3, "five" -> 5).

    Example:
        >>> duration_counts("en")["five"]
        5
    """
    out: dict[str, int] = {}
    for lineno, cols in _rows(lang, "duration_counts", 2):
        where = f"{lang}/duration_counts.tsv:{lineno}"
        _check_unique(out, _norm(cols[0], lang), _int(cols[1], where, lineno, 1, 100), where)  # type: ignore[arg-type]
    return out


@lru_cache(maxsize=4)
def duration_fractions(lang: Lang) -> dict[str, float]:
    """Fraction words of a duration ("half" -> 0.5 in "a year and a half", "نصف" in
    "عام ونصف").

    Example:
        >>> duration_fractions("ar")["نصف"]
        0.5
    """
    out: dict[str, float] = {}
    for lineno, cols in _rows(lang, "duration_fractions", 2):
        where = f"{lang}/duration_fractions.tsv:{lineno}"
        try:
            value = float(cols[1])
        except ValueError:
            value = -1.0
        if not 0 < value < 1:
            raise ConfigError(f"{where}: {cols[1]!r} is not a fraction between 0 and 1. Fix it.")
        _check_unique(out, _norm(cols[0], lang), value, where)  # type: ignore[arg-type]
    return out


@lru_cache(maxsize=4)
def year_blockers(lang: Lang) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words that make a bare four-digit number a count: (before words, after words).

    Example:
        >>> "fighters" in year_blockers("en")[1]
        True
    """
    before: list[str] = []
    after: list[str] = []
    for lineno, cols in _rows(lang, "year_blockers", 2):
        if cols[1] not in ("before", "after"):
            raise ConfigError(
                f"{lang}/year_blockers.tsv:{lineno}: position must be before|after, "
                f"got {cols[1]!r}. Fix the line."
            )
        (before if cols[1] == "before" else after).append(_norm(cols[0], lang))
    return tuple(dict.fromkeys(before)), tuple(dict.fromkeys(after))

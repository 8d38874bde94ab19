"""Language data as data: one small file per list, per language, loaded and normalised here.

Files live in `nlp/lang/ar/` and `nlp/lang/en/`: UTF-8, one entry per line, `#` starts a
comment, columns separated by a tab. The first column (the surface form) is normalised on
load with `nlp.normalize.normalize` (Arabic: diacritics, hamza-on-alef, alef maksura and teh
marbuta folded; English: lower-cased), so lookups must normalise their key the same way.

This module holds the generic readers and the loaders of the number-related lists
(`number_words`, `scale_words`, `hedges`, ...). Other engineers keep their loaders in modules
next to it (`nlp/lang/months.py`, `nlp/lang/places.py`).

Example:
    >>> number_words("ar")["اربعه"]
    4.0
    >>> scale_words("en")["million"]
    1000000.0
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from nlp.errors import ConfigError
from nlp.normalize import normalize
from nlp.records import Lang

LANG_DIR = Path(__file__).resolve().parent

HedgeKind = Literal["approx", "min", "max"]
HedgePosition = Literal["pre", "post"]


def data_path(lang: Lang, name: str) -> Path:
    """Path of the list `name` (file name with extension) for `lang`."""
    return LANG_DIR / lang / name


def read_rows(lang: Lang, name: str, columns: int) -> list[tuple[str, ...]]:
    """Rows of a tab-separated list, first column normalised, comments and blanks skipped.

    Args:
        lang: "ar" or "en".
        name: File name inside `nlp/lang/<lang>/`, e.g. "number_words.tsv".
        columns: Number of columns every row must have.

    Returns:
        One tuple of `columns` strings per entry, in file order.

    Raises:
        ConfigError: The file is missing or a row has the wrong number of columns.
    """
    path = data_path(lang, name)
    if not path.is_file():
        raise ConfigError(
            f"Language list {path} is missing; reinstall Tabayyun or restore the file from git."
        )
    rows: list[tuple[str, ...]] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != columns:
            raise ConfigError(
                f"{path}:{lineno} has {len(cells)} columns, expected {columns} "
                "(columns are separated by one tab); fix the line."
            )
        surface = " ".join(normalize(cells[0], lang).split())
        rows.append((surface, *cells[1:]))
    return rows


def read_list(lang: Lang, name: str) -> list[str]:
    """Entries of a one-column list, normalised, comments and blanks skipped."""
    return [row[0] for row in read_rows(lang, name, 1)]


def _float_table(lang: Lang, name: str) -> dict[str, float]:
    table: dict[str, float] = {}
    for surface, raw in read_rows(lang, name, 2):
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(
                f"{data_path(lang, name)}: value {raw!r} of {surface!r} is not a number."
            ) from None
        if surface in table and table[surface] != value:
            raise ConfigError(
                f"{data_path(lang, name)}: {surface!r} is listed with two values "
                f"({table[surface]} and {value}); keep one."
            )
        table[surface] = value
    return table


def _str_table(lang: Lang, name: str) -> dict[str, str]:
    return {surface: value for surface, value in read_rows(lang, name, 2)}


@cache
def number_words(lang: Lang) -> dict[str, float]:
    """Cardinal number words (normalised surface -> value), multi-word entries included."""
    return _float_table(lang, "number_words.tsv")


@cache
def dual_words(lang: Lang) -> dict[str, float]:
    """Words that carry their own number: Arabic duals (اثنين، ألفين), English couple/pair."""
    return _float_table(lang, "dual_words.tsv")


@cache
def scale_words(lang: Lang) -> dict[str, float]:
    """Scale words (thousand, مليون) -> factor."""
    return _float_table(lang, "scale_words.tsv")


@cache
def fraction_words(lang: Lang) -> dict[str, float]:
    """Fraction words (half, ثلث) -> fraction of a whole (0.5, 0.333333)."""
    return _float_table(lang, "fractions.tsv")


@cache
def ordinal_words(lang: Lang) -> dict[str, int]:
    """Ordinal words (fourth, الرابعة) -> value."""
    return {k: int(v) for k, v in _float_table(lang, "ordinals.tsv").items()}


@cache
def unit_nouns(lang: Lang) -> dict[str, str]:
    """Military formation nouns (brigade, اللواء) -> formation class."""
    return _str_table(lang, "unit_nouns.tsv")


@cache
def units(lang: Lang) -> dict[str, str]:
    """Units of measure and currency words (km, كيلومتر مربع) -> unit code."""
    return _str_table(lang, "units.tsv")


@cache
def counted_nouns(lang: Lang) -> dict[str, str]:
    """Counted nouns (civilians, مقاتل) -> class (civilian, fighter)."""
    return _str_table(lang, "counted_nouns.tsv")


@cache
def percent_words(lang: Lang) -> tuple[str, ...]:
    """Words for percent (percent, في المئة), normalised; the signs % ٪ are handled in code."""
    return tuple(read_list(lang, "percent_words.txt"))


@dataclass(frozen=True, slots=True)
class Hedge:
    """A hedge phrase: its normalised words, what it does to the number, and where it goes."""

    words: tuple[str, ...]
    kind: HedgeKind
    position: HedgePosition


@cache
def hedges(lang: Lang) -> tuple[Hedge, ...]:
    """Hedges (about, more than, نحو, على الأقل), longest first.

    Raises:
        ConfigError: A row names an unknown kind or position.
    """
    out: list[Hedge] = []
    for surface, kind, position in read_rows(lang, "hedges.tsv", 3):
        if kind not in ("approx", "min", "max") or position not in ("pre", "post"):
            raise ConfigError(
                f"{data_path(lang, 'hedges.tsv')}: {surface!r} has kind {kind!r} and position "
                f"{position!r}; use approx|min|max and pre|post."
            )
        out.append(Hedge(tuple(surface.split()), kind, position))  # type: ignore[arg-type]
    return tuple(sorted(out, key=lambda h: -len(h.words)))


@cache
def currency_signs(lang: Lang) -> dict[str, str]:
    """Currency signs written before a number ($, £) -> unit code (English list only)."""
    if not data_path(lang, "currency_signs.tsv").is_file():
        return {}
    return _str_table(lang, "currency_signs.tsv")


@cache
def dual_stems(lang: Lang) -> dict[str, str]:
    """Arabic masculine nouns whose dual reads as 2 -> counted-noun class ("-" = none)."""
    return _str_table(lang, "dual_stems.tsv")


@cache
def dual_exclusions(lang: Lang) -> frozenset[str]:
    """Arabic words ending like a feminine dual that are not duals (بوتين، هاتين)."""
    return frozenset(read_list(lang, "dual_exclusions.txt"))


@cache
def scale_blockers(lang: Lang) -> frozenset[str]:
    """Words that make a following bare ألف the verb ألّف (الذي ألف كتابا)."""
    return frozenset(read_list(lang, "scale_blockers.txt"))


@cache
def date_slot_cues(lang: Lang) -> dict[str, str]:
    """Cue word -> slot ("start" or "end") of the date right after it (`date_slot_cues.tsv`).

    >>> date_slot_cues("en")["launched"], date_slot_cues("ar")["منذ"]
    ('start', 'start')
    """
    table = _str_table(lang, "date_slot_cues.tsv")
    bad = sorted(k for k, v in table.items() if v not in ("start", "end"))
    if bad:
        raise ConfigError(
            f"{data_path(lang, 'date_slot_cues.tsv')}: slot must be 'start' or 'end' for {bad}; "
            "fix the second column."
        )
    return table

"""Loaders of the place-name language data: cue words, exonyms, non-place words.

Files (UTF-8, one entry a line, `#` comments, normalised on load):

- `nlp/lang/ar/place_cues.txt`: `cue<TAB>category<TAB>position<TAB>open|closed`
  (مدينة -> city, before, open).
- `nlp/lang/en/place_cues.txt`: the same columns (city -> city, both, open).
- `nlp/lang/ar/exonyms.tsv`: `english<TAB>arabic` (Aleppo -> حلب).
- `nlp/lang/ar/not_places.txt`: Arabic words that are gazetteer names but far more often
  ordinary words (سلوك "behaviour", الثورة "the revolution"); found only after a cue.
- `nlp/lang/en/not_places.txt`: capitalised English words that are gazetteer aliases but
  usually not places (months, weekdays, first names, titles).
- `nlp/lang/{ar,en}/place_context.txt`: words that stand before a place name (في، قرب،
  شرق; in, near, east of), used to anchor names across languages.
- `nlp/lang/ar/common_adjectives.txt`: frequent adjectives that are gazetteer names (جديدة
  "new"): right after a cue they agree with, they are adjectives, not names.
- `nlp/lang/{ar,en}/generic_place_words.txt`: words that begin many place names (دير، تل،
  Deir, Tal): a name made only of them is never matched as part of a longer name.
- `nlp/lang/{ar,en}/organisations.txt`: names of organisations and armed groups that
  contain place names (قوات سوريا الديمقراطية, "Islamic State of Iraq and the Levant"): no
  place is read inside them.
- `nlp/lang/{ar,en}/person_titles.txt`: titles that stand before a person's name
  (اللواء، الرئيس; General, spokeswoman): a name after them is not anchored as a place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from nlp.errors import ConfigError
from nlp.normalize import normalize_ar, normalize_en
from nlp.records import Lang

LANG_DIR = Path(__file__).resolve().parent
CuePosition = Literal["before", "after", "both"]
CueNumber = Literal["singular", "dual", "plural"]
CATEGORIES = frozenset(
    {"city", "town", "village", "district", "neighbourhood", "island", "river", "governorate",
     "countryside"}
)


@dataclass(frozen=True, slots=True)
class PlaceCue:
    """A word that announces a place name.

    Attributes:
        word: The cue, normalised ("مدينه", "city").
        category: Shared cross-language kind of place ("city", "governorate", ...).
        position: Where the name stands relative to the cue in English ("the city of X":
            before; "X Governorate": after); Arabic cues always stand before the name.
        open: Whether a name the gazetteer lacks is read as a place after this cue (yes for
            مدينة "city"; no for منطقة "area", which precedes common nouns as often).
        number: "singular", "dual" or "plural": which adjectives agree with the cue.
    """

    word: str
    category: str
    position: CuePosition = "before"
    open: bool = True
    number: CueNumber = "singular"

    @property
    def feminine_agreement(self) -> bool:
        """Whether an adjective after this Arabic cue takes ة: a feminine singular cue
        (مدينة) or a plural of things (قرى: "قرى جديدة")."""
        return self.number == "plural" or (self.number == "singular" and self.word.endswith("ه"))


def _lines(path: Path) -> list[list[str]]:
    """Non-comment, non-blank lines of a data file split on tabs."""
    if not path.exists():
        raise ConfigError(
            f"Language data file {path} is missing; reinstall Tabayyun or restore it."
        )
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _norm(text: str, lang: Lang) -> str:
    return " ".join(normalize_ar(text).split()) if lang == "ar" else normalize_en(text).strip()


@lru_cache(maxsize=2)
def place_cues(lang: Lang) -> dict[str, PlaceCue]:
    """Cue words of `lang`, keyed by normalised word.

    Returns:
        {normalised cue: PlaceCue}, e.g. {"مدينه": PlaceCue("مدينه", "city", "before")}.

    >>> place_cues("en")["governorate"].category
    'governorate'
    """
    out: dict[str, PlaceCue] = {}
    for cells in _lines(LANG_DIR / lang / "place_cues.txt"):
        if len(cells) < 2 or cells[1] not in CATEGORIES:
            raise ConfigError(
                f"Bad line {cells!r} in nlp/lang/{lang}/place_cues.txt: expected cue<TAB>category "
                f"with a category among {sorted(CATEGORIES)}."
            )
        position = cells[2] if len(cells) > 2 else "before"
        is_open = cells[3] if len(cells) > 3 else "open"
        number = cells[4] if len(cells) > 4 else "singular"
        if (
            position not in ("before", "after", "both")
            or is_open not in ("open", "closed")
            or number not in ("singular", "dual", "plural")
        ):
            raise ConfigError(
                f"Bad cue line {cells!r} in nlp/lang/{lang}/place_cues.txt: position must be "
                "before, after or both, the fourth column open or closed, and the optional "
                "fifth singular, dual or plural."
            )
        word = _norm(cells[0], lang)
        out[word] = PlaceCue(
            word, cells[1], position, is_open == "open", number  # type: ignore[arg-type]
        )
    return out


@lru_cache(maxsize=1)
def exonyms() -> tuple[tuple[str, str], ...]:
    """English exonyms and their Arabic names, as written (normalise when matching).

    Returns:
        ((english, arabic), ...), e.g. (("Aleppo", "حلب"), ...).
    """
    pairs = []
    for cells in _lines(LANG_DIR / "ar" / "exonyms.tsv"):
        if len(cells) != 2 or not cells[0] or not cells[1]:
            raise ConfigError(
                f"Bad line {cells!r} in nlp/lang/ar/exonyms.tsv: expected english<TAB>arabic."
            )
        pairs.append((cells[0], cells[1]))
    return tuple(pairs)


@lru_cache(maxsize=2)
def not_places(lang: Lang) -> frozenset[str]:
    """Normalised words of `lang` that are gazetteer names but usually not places.

    >>> "سلوك" in not_places("ar")
    True
    """
    return frozenset(_norm(cells[0], lang) for cells in _lines(LANG_DIR / lang / "not_places.txt"))


@lru_cache(maxsize=2)
def common_adjectives(lang: Lang) -> frozenset[str]:
    """Normalised frequent adjectives of `lang` that are also one-word gazetteer names
    (جديدة "new", عالية "high"); after a cue they agree with they are not places
    (`nlp/lang/ar/common_adjectives.txt`; English adjectives are not capitalised, so
    English needs no such list).

    >>> "جديده" in common_adjectives("ar")
    True
    """
    path = LANG_DIR / lang / "common_adjectives.txt"
    if lang == "en" and not path.exists():
        return frozenset()
    return frozenset(_norm(c[0], lang) for c in _lines(path))


@lru_cache(maxsize=2)
def place_context(lang: Lang) -> frozenset[str]:
    """Normalised words that stand right before a place name ("in", "east", "في", "شرق").

    >>> "near" in place_context("en")
    True
    """
    return frozenset(_norm(c[0], lang) for c in _lines(LANG_DIR / lang / "place_context.txt"))


@lru_cache(maxsize=2)
def person_titles(lang: Lang) -> frozenset[str]:
    """Normalised titles that stand before a person's name ("general", "اللواء").

    >>> "spokeswoman" in person_titles("en")
    True
    """
    return frozenset(_norm(c[0], lang) for c in _lines(LANG_DIR / lang / "person_titles.txt"))


@lru_cache(maxsize=2)
def generic_place_words(lang: Lang) -> frozenset[str]:
    """Normalised generic words that begin place names ("deir", "tal", "دير", "تل").

    >>> "kafr" in generic_place_words("en")
    True
    """
    return frozenset(
        _norm(c[0], lang) for c in _lines(LANG_DIR / lang / "generic_place_words.txt")
    )


@lru_cache(maxsize=2)
def organisations(lang: Lang) -> tuple[str, ...]:
    """Normalised names of organisations that contain place names, longest first.

    >>> "قوات سوريا الديمقراطيه" in organisations("ar")
    True
    """
    names = {_norm(c[0], lang) for c in _lines(LANG_DIR / lang / "organisations.txt")}
    return tuple(sorted((n for n in names if n), key=lambda n: (-len(n), n)))

"""Abbreviation lists (`nlp/lang/<lang>/abbreviations.txt`), loaded and normalised.

File format: one abbreviation a line, ending with a period (``Gen.``, ``د.``); ``#`` starts
a comment; an optional second column separated by a tab, ``may-end``, marks abbreviations
that often close a sentence (``etc.``, ``Inc.``, ``هـ.``). English entries are matched
case-sensitively, except that a capitalised word also matches a lower-case entry
(``E.g.`` matches ``e.g.``); Arabic entries and words are compared after
`nlp.normalize.normalize_ar` (diacritics, tatweel, alef forms folded), so ``هـ.`` and ``ه.``
are the same entry.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from nlp.errors import ConfigError
from nlp.normalize import normalize_ar
from nlp.records import LANGS, Lang

AbbrevKind = Literal["no-end", "may-end"]
_KINDS: frozenset[str] = frozenset({"no-end", "may-end"})


def abbrev_key(word: str, lang: Lang) -> str:
    """The normalised form under which `word` is looked up.

    Args:
        word: One whitespace-free token ending with a period, e.g. ``"Gen."``.
        lang: "ar" or "en".

    Returns:
        NFC text for English; `normalize_ar` (NFKC, no diacritics, folded alef) for Arabic.

    >>> abbrev_key("هـ.", "ar")
    'ه.'
    """
    if lang == "ar":
        return normalize_ar(word)
    return unicodedata.normalize("NFC", word)


@dataclass(frozen=True, slots=True)
class Abbreviations:
    """The abbreviations of one language, keyed by `abbrev_key`.

    Attributes:
        lang: "ar" or "en".
        entries: normalised abbreviation -> "no-end" or "may-end".
    """

    lang: Lang
    entries: dict[str, AbbrevKind]

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, word: str) -> AbbrevKind | None:
        """How `word` (a token ending with ".") behaves, or None if it is no abbreviation.

        >>> load_abbreviations("en").lookup("Gen.")
        'no-end'
        >>> load_abbreviations("en").lookup("E.g.")
        'no-end'
        >>> load_abbreviations("en").lookup("ago.") is None
        True
        """
        key = abbrev_key(word, self.lang)
        kind = self.entries.get(key)
        if kind is None and self.lang == "en" and key[:1].isupper():
            kind = self.entries.get(key[:1].lower() + key[1:])
        return kind


def parse_abbreviations(text: str, lang: Lang, *, origin: str = "<text>") -> Abbreviations:
    """Parse the contents of an abbreviations file.

    Args:
        text: File contents (see the module docstring for the format).
        lang: Language of the entries.
        origin: File name used in error messages.

    Returns:
        The normalised `Abbreviations`.

    Raises:
        ConfigError: a line that is not ``ABBR.`` or ``ABBR.<TAB>may-end``; the message
            names the file and line to fix.

    >>> parse_abbreviations("Gen.\\netc.\\tmay-end\\n", "en").entries
    {'Gen.': 'no-end', 'etc.': 'may-end'}
    """
    entries: dict[str, AbbrevKind] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        word = parts[0].strip()
        kind = parts[1].strip() if len(parts) > 1 else "no-end"
        if len(parts) > 2 or kind not in _KINDS or not word.endswith(".") or " " in word:
            raise ConfigError(
                f"{origin}:{lineno}: expected 'ABBR.' or 'ABBR.<TAB>may-end', got {raw!r}; "
                "fix the line in the abbreviations file"
            )
        entries[abbrev_key(word, lang)] = kind  # type: ignore[assignment]
    return Abbreviations(lang=lang, entries=entries)


@lru_cache(maxsize=len(LANGS))
def load_abbreviations(lang: Lang) -> Abbreviations:
    """Load `nlp/lang/<lang>/abbreviations.txt` (cached; read once per process).

    Args:
        lang: "ar" or "en".

    Raises:
        ConfigError: `lang` is not one of `nlp.records.LANGS`.

    >>> len(load_abbreviations("ar")) > 5
    True
    """
    if lang not in LANGS:
        raise ConfigError(f"no abbreviation list for language {lang!r}; use one of {LANGS}")
    path = resources.files(f"nlp.lang.{lang}").joinpath("abbreviations.txt")
    return parse_abbreviations(
        path.read_text(encoding="utf-8"), lang, origin=f"nlp/lang/{lang}/abbreviations.txt"
    )

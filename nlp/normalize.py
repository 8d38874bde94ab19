"""Text normalisation for *matching* (never for display: original text is not altered).

Arabic orthographic normalisation reuses camel-tools' one-line pure functions
(`camel_tools.utils.normalize`, `camel_tools.utils.dediac`), the only camel-tools modules
that work offline. Digits of every script are mapped to ASCII by a translation table that
keeps string length, so offsets computed on the normalised string are valid on the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

TATWEEL = "\u0640"
# camel-tools' Arabic diacritic set (`camel_tools.utils.charsets.AR_DIAC_CHARSET`: fathatan ..
# sukun and the dagger alef), spelled out here because importing `charsets` builds tables over
# all of Unicode (~0.4-0.8 s on every cold start); a test keeps the two identical.
AR_DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
_DIAC_RE = re.compile(f"[{AR_DIACRITICS}]")
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGIT_TABLE = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
_ARABIC_LETTER_RE = re.compile(
    r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"
)
_LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")


def to_ascii_digits(text: str) -> str:
    """Map Eastern Arabic (٠-٩) and Persian (۰-۹) digits to 0-9; length is preserved.

    >>> to_ascii_digits("١٬٧٠٠")
    '1٬700'
    """
    return text.translate(_DIGIT_TABLE)


def strip_diacritics(text: str) -> str:
    """Remove Arabic diacritics (harakat, shadda, sukun, dagger alef) and tatweel."""
    return _DIAC_RE.sub("", text).replace(TATWEEL, "")


@lru_cache(maxsize=65536)
def normalize_ar(text: str) -> str:
    """Orthographic normalisation of Arabic for matching (length may change).

    Removes diacritics and tatweel, folds alef variants (أ إ آ ٱ -> ا), alef maksura
    (ى -> ي) and teh marbuta (ة -> ه), and maps digits to ASCII.

    >>> normalize_ar("إِلَى المَدِينَةِ")
    'الي المدينه'
    """
    text = unicodedata.normalize("NFKC", text)
    text = strip_diacritics(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    text = normalize_teh_marbuta_ar(text)
    return to_ascii_digits(text)


@lru_cache(maxsize=65536)
def normalize_en(text: str) -> str:
    """Lower-case, strip Latin diacritics (Ḩ -> H), fold typographic apostrophes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()


def normalize(text: str, lang: str) -> str:
    """Normalise `text` for matching in language `lang` ("ar" or "en")."""
    return normalize_ar(text) if lang == "ar" else normalize_en(text)


def arabic_ratio(text: str) -> float:
    """Share of letters in `text` that are Arabic script (0.0 when there are no letters)."""
    ar = len(_ARABIC_LETTER_RE.findall(text))
    la = len(_LATIN_LETTER_RE.findall(text))
    return ar / (ar + la) if ar + la else 0.0

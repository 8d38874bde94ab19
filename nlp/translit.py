"""Cross-script matching of Arabic place names: Arabic and Latin spellings in one key space.

Arabic names reach English text through many romanisation conventions (Deir ez-Zor, Dayr
al-Zawr, Dair az-Zaur; Hawijat Qati, Hawijat Kati). Both scripts are reduced here to a
*consonant skeleton*: the article (ال, al-, el-, ad-, ash-, ez- ...) is dropped, vowels and
the semivowels w/y (which Arabic writes as long vowels and English often omits) are dropped,
letters that conventions confuse share a class (q = k = ق, th = t, dh = d, ة = final -ah),
and doubled letters are collapsed. Two names match when their skeletons are close (rapidfuzz
ratio); skeletons of three letters or fewer are checked again on a *full* key that keeps
w/y and a medial ayn, so that Ayyash/عياش match but Ayyash/شيء and Mayadin/معدان do not.

>>> skeleton_en("Deir ez-Zor") == skeleton_ar("دير الزور")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from nlp.normalize import strip_diacritics

# --------------------------------------------------------------------------- Latin side

# The article as written before a name: al-, el-, ul-, and the assimilated sun-letter forms.
_LATIN_ARTICLE_RE = re.compile(
    r"^(?:al|el|ul|il|ad|adh|ar|as|ash|at|ath|az|an|ed|er|es|esh|et|ez|en|ad|aḍ|aṣ|aṭ|aẓ)"
    r"(?:[-\s'’]+)(?=\w)",
    re.IGNORECASE,
)
# "Albu Kamal" / "Al-bu Kamal" / "Al Bu Kamal": the tribal prefix آلبو / البو.
_LATIN_ALBU_RE = re.compile(r"^al[-\s]?bu[-\s]?", re.IGNORECASE)
_LATIN_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("kh", "x"),
    ("sh", "S"),
    ("ch", "S"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("zh", "z"),
    ("ph", "f"),
    ("ck", "k"),
)
_LATIN_SINGLE: dict[str, str] = {
    "b": "b", "p": "b", "t": "t", "j": "j", "g": "g", "h": "h", "x": "ks", "d": "d",
    "r": "r", "z": "z", "s": "s", "c": "k", "f": "f", "v": "f", "q": "k", "k": "k",
    "l": "l", "m": "m", "n": "n", "w": "w", "y": "y",
}
_LATIN_VOWELS = set("aeiou")
_MARKS_RE = re.compile(r"[‘’`ʿʾ]")
_POSSESSIVE_RE = re.compile(r"'s\b")
_MEDIAL_AYN_RE = re.compile(r"(?<=\w)(?:aa|'+)(?=\w)")

# --------------------------------------------------------------------------- Arabic side

_ARABIC_MAP: dict[str, str] = {
    "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ط": "t", "ج": "j", "چ": "j", "ح": "h",
    "ه": "h", "خ": "x", "د": "d", "ذ": "d", "ض": "d", "ر": "r", "ز": "z", "ظ": "z",
    "س": "s", "ص": "s", "ش": "S", "غ": "g", "گ": "g", "ف": "f", "ڤ": "f", "ق": "k",
    "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n", "و": "w", "ؤ": "w", "ي": "y",
    "ى": "", "ئ": "y", "ی": "y", "ا": "", "أ": "", "إ": "", "آ": "", "ء": "", "ع": "",
}
_TA_MARBUTA = "ة"
AYN = "'"  # a medial ع (or hamza), written ' ‘ ` or as a doubled vowel (Ma'dan, Maadan)
_ARABIC_TOKEN_RE = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3\u06FA-\u06FF]+")
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z']+")
_SEMIVOWELS = {"w", "y", AYN}
SHORT_KEY = 3  # skeletons of this length or shorter are confirmed on the full key


def _collapse(chars: list[str]) -> str:
    """Collapse runs of the same letter (gemination: Ayyash, Hissan, الرقّة)."""
    out: list[str] = []
    for c in chars:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _fold_latin(text: str) -> str:
    """Strip diacritics; write the ayn/hamza marks (‘ ’ ` ʿ ʾ) as "'"; drop a possessive 's."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _MARKS_RE.sub("'", text)
    return _POSSESSIVE_RE.sub("", text)


@lru_cache(maxsize=65536)
def _latin_word_full(word: str, *, construct_t: bool) -> str:
    """Full key of one Latin word: consonant classes, w/y kept, vowels dropped.

    `construct_t` drops a final -at/-et (ta marbuta in a construct: Hawijat = حويجة).
    """
    w = word.lower().strip("'")
    # A doubled vowel or a mark inside a word stands for ع / ء (Maadan, Ma'dan = معدان).
    w = _MEDIAL_AYN_RE.sub(AYN, w)
    if construct_t and len(w) > 3 and w[-1] == "t" and w[-2] in "ae":
        w = w[:-1]
    # A final vowel + h is a ta marbuta or a vowel (Raqqah = الرقة, Hasakeh = الحسكة).
    if len(w) > 3 and w[-1] == "h" and w[-2] in _LATIN_VOWELS:
        w = w[:-1]
    for digraph, cls in _LATIN_DIGRAPHS:
        w = w.replace(digraph, cls)
    chars: list[str] = []
    for i, c in enumerate(w):
        if c in ("x", "S", AYN):
            chars.append(c)
        elif c in _LATIN_VOWELS:
            # i/e/u/o written at the end of a word or doubled stand for a long vowel ي/و.
            if c in "ie" and (i == len(w) - 1 or w[i + 1 : i + 2] == c):
                chars.append("y")
            elif c in "ou" and (i == len(w) - 1 or w[i + 1 : i + 2] == c):
                chars.append("w")
        else:
            chars.append(_LATIN_SINGLE.get(c, ""))
    return _collapse(list("".join(chars)))


def _latin_words(name: str) -> list[str]:
    text = _fold_latin(name).strip()
    text = _LATIN_ALBU_RE.sub("bu ", text)
    words = []
    for raw in re.split(r"\s+", text):
        raw = _LATIN_ARTICLE_RE.sub("", raw)
        words.extend(_LATIN_TOKEN_RE.findall(raw))
    # A free-standing article ("Al Mayadin", "Deir ez Zor") is a word of its own.
    articles = {"al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "er",
                "es", "et", "ez", "en", "il"}
    kept = [w for w in words if w.lower() not in articles]
    return kept or words


@lru_cache(maxsize=65536)
def full_key_en(name: str) -> tuple[str, ...]:
    """Full keys (w/y kept) of a Latin name, one per construct-state reading.

    Returns:
        One or two keys; the second reads a final -at of a non-final word as ة.

    >>> full_key_en("Hawijat Qati")
    ('hwjtkty', 'hwjkty')
    """
    words = _latin_words(name)
    plain = "".join(_latin_word_full(w, construct_t=False) for w in words)
    keys = [_collapse(list(plain))]
    if len(words) > 1:
        construct = "".join(
            _latin_word_full(w, construct_t=i < len(words) - 1) for i, w in enumerate(words)
        )
        keys.append(_collapse(list(construct)))
    return tuple(dict.fromkeys(keys))


def _strip_ar_article(word: str) -> str:
    if len(word) > 3 and word.startswith("ال"):
        return word[2:]
    return word


@lru_cache(maxsize=65536)
def full_key_ar(name: str) -> str:
    """Full key (w/y kept) of an Arabic name: article and ة dropped, letters classed.

    >>> full_key_ar("حويجة قاطع")
    'hwyjkt'
    """
    text = strip_diacritics(unicodedata.normalize("NFKC", name)).replace("_", " ")
    chars: list[str] = []
    for word in _ARABIC_TOKEN_RE.findall(text):
        word = _strip_ar_article(word)
        for i, c in enumerate(word):
            if c == _TA_MARBUTA:
                continue
            if c in "عءئؤأ" and 0 < i < len(word) - 1 and c != "ئ" and c != "ؤ":
                # A medial ayn or hamza: romanisations mark it (Ma'dan, Maadan).
                chars.append(AYN)
                continue
            chars.extend(_ARABIC_MAP.get(c, ""))
    return _collapse(chars)


@lru_cache(maxsize=65536)
def _core(key: str) -> str:
    return _collapse([c for c in key if c not in _SEMIVOWELS])


def skeleton_en(name: str) -> str:
    """Consonant skeleton of a Latin-script name (no vowels, no w/y, no article).

    Args:
        name: A romanised name such as "Dayr al-Zawr" or "Al Mayādīn".

    Returns:
        The skeleton, e.g. "drzr"; "" for a name with no consonants.

    >>> skeleton_en("Dayr al-Zawr"), skeleton_en("Al Mayādīn")
    ('drzr', 'mdn')
    """
    return _core(full_key_en(name)[0])


def skeleton_ar(name: str) -> str:
    """Consonant skeleton of an Arabic-script name, in the key space of `skeleton_en`.

    >>> skeleton_ar("الميادين"), skeleton_ar("البوكمال")
    ('mdn', 'bkml')
    """
    return _core(full_key_ar(name))


def word_keys(name: str) -> tuple[tuple[str, str], ...]:
    """(skeleton, full key) of each word of a name in either script, articles dropped.

    Args:
        name: A name such as "Safirah Fawqani" or "سفيرة فوقاني".

    Returns:
        One pair per word with a consonant, e.g. (("sfr", "sfr"), ("fkn", "fwkny")).

    >>> word_keys("Ma'din Jadid")[0]
    ('mdn', "m'dn")
    """
    if _ARABIC_TOKEN_RE.search(name):
        fulls = [full_key_ar(w) for w in _ARABIC_TOKEN_RE.findall(name.replace("_", " "))]
    else:
        fulls = [_latin_word_full(w, construct_t=False) for w in _latin_words(name)]
    return tuple((_core(f), f) for f in fulls if _core(f))


def word_skeletons(name: str) -> tuple[str, ...]:
    """Skeleton of each word of a name in either script, in the key space of `skeleton_en`.

    >>> word_skeletons("Safirah Fawqani") == word_skeletons("سفيرة فوقاني") == ("sfr", "fkn")
    True
    """
    return tuple(k for k, _ in word_keys(name))


def skeleton(name: str) -> str:
    """Skeleton of a name in either script (chosen by its letters)."""
    if _ARABIC_TOKEN_RE.search(name):
        return skeleton_ar(name)
    return skeleton_en(name)


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100.0


def match_score(latin: str, arabic: str) -> float:
    """How well a Latin-script name transliterates an Arabic-script one, in [0, 1].

    The score is the rapidfuzz ratio of the consonant skeletons (the best over the
    construct-state readings of the Latin name). When either skeleton has three letters or
    fewer, the skeletons must be equal and the ratio of the full keys (which keep w/y and a
    medial ayn) is used instead: Mayadin and معدان share the skeleton m-d-n but not the
    full key (m-y-d-n vs m-'-d-n).

    Args:
        latin: A Latin-script name ("Hawijat Kati").
        arabic: An Arabic-script name ("حويجة قاطع").

    Returns:
        1.0 for the same skeleton; about 0.8-0.9 for one letter off in a long name.

    >>> match_score("Deir ez-Zor", "دير الزور")
    1.0
    """
    full_ar = full_key_ar(arabic)
    core_ar = _core(full_ar)
    best = 0.0
    for full_en in full_key_en(latin):
        core_en = _core(full_en)
        if min(len(core_en), len(core_ar)) <= SHORT_KEY:
            score = _ratio(full_en, full_ar) if core_en == core_ar else 0.0
        else:
            score = _ratio(core_en, core_ar)
        best = max(best, score)
    return best


def same_key_score(a: str, b: str) -> float:
    """Similarity of two skeletons of the same key space (0 when either is empty)."""
    if min(len(a), len(b)) < SHORT_KEY:
        return 1.0 if a == b and a else 0.0
    return _ratio(a, b)

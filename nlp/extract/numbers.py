"""Numbers and quantities in Arabic and English sentences, and the number comparator.

`extract_numbers(text, offset, lang)` finds the quantities of one sentence: digits of every
script (٠-٩, ۰-۹), thousands separators (`,` `،` `٬`, no-break spaces), decimals (`.` `٫`, and
the decimal comma before a scale word, `103,7 مليون`), scale words (`3 ملايين`, `1.5 million`),
number words with compounds (`twenty-three`, `خمسة وثلاثين`, `ثلاثمئة وثلاثين ألف`), duals
(`منطقتين` = 2), fractions (`half of the city` = 50 percent), percentages, ranges
(`between 1,300 and 1,700`), hedges as intervals (`more than 2,000`, `نحو 100`), ordinals that
name military units (`the 4th Mechanized Division` = `الفرقة الآلية الرابعة`), units of
measure (converted when compared), and the counted noun (`50 ISIL militants`) as the unit and
role so that numbers pair like with like.

What is *not* a number here: years (a bare 4-digit number 1000-2100 is the dates extractor's
business), citation marks `[23]`, hashtags, URLs, handles, identifiers glued to letters
(`G20`, `F-16`), decades (`1990s`), clock times and slashed dates.

`compare_numbers(a, b, policy)` is the per-kind comparator used by `nlp.compare`.

Example:
    >>> [m.value.to_json() for m in extract_numbers("more than 2,000 civilians", 0, "en")]
    [{'value': 2000, 'low': 2000, 'high': 3000}]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from nlp.lang import (
    Hedge,
    counted_nouns,
    currency_signs,
    dual_exclusions,
    dual_stems,
    dual_words,
    fraction_words,
    hedges,
    number_words,
    ordinal_words,
    percent_words,
    scale_blockers,
    scale_words,
    unit_nouns,
    units,
)
from nlp.normalize import normalize, normalize_ar, normalize_en, to_ascii_digits
from nlp.policy import DEFAULT_POLICY, ComparePolicy, Verdict
from nlp.records import Lang, Mention, Quantity

# ----------------------------------------------------------------------------- constants

#: Unit code -> (dimension, factor to the dimension's base unit). Codes come from the
#: `units.tsv` lists; a currency is its own dimension (no exchange rates).
UNIT_DEFS: dict[str, tuple[str, float]] = {
    "m": ("length", 1.0),
    "km": ("length", 1000.0),
    "mi": ("length", 1609.344),
    "ft": ("length", 0.3048),
    "m2": ("area", 1e-6),
    "km2": ("area", 1.0),
    "mi2": ("area", 2.589988),
    "ha": ("area", 0.01),
    "dunam": ("area", 0.001),
    "kg": ("mass", 1.0),
    "t": ("mass", 1000.0),
    "l": ("volume", 1.0),
    "year": ("time", 365.25),
    "month": ("time", 30.4375),
    "week": ("time", 7.0),
    "day": ("time", 1.0),
    "hour": ("time", 1 / 24),
    "minute": ("time", 1 / 1440),
    "percent": ("percent", 1.0),
    "degree": ("degree", 1.0),
    "usd": ("currency:usd", 1.0),
    "eur": ("currency:eur", 1.0),
    "gbp": ("currency:gbp", 1.0),
    "egp": ("currency:egp", 1.0),
    "syp": ("currency:syp", 1.0),
    "dinar": ("currency:dinar", 1.0),
    "riyal": ("currency:riyal", 1.0),
    "dirham": ("currency:dirham", 1.0),
}

#: Counted-noun class -> broader class (a civilian is a person). Classes come from the
#: `counted_nouns.tsv` lists of both languages.
ROLE_PARENTS: dict[str, str] = {
    "civilian": "person",
    "fighter": "person",
    "soldier": "fighter",
    "child": "person",
    "woman": "person",
    "refugee": "person",
    "prisoner": "person",
    "member": "person",
    "killed": "person",
    "wounded": "person",
    "village": "locality",
    "town": "locality",
    "city": "locality",
    "district": "locality",
}

_EVENT_ROLES = frozenset({"killed", "wounded"})
_AGE_CUES = ("aged", "age", "ages")

UNIT_ROLE = "unit"  # role of an ordinal that names a military unit (the 137th brigade)

_AR_PREFIXES = (
    "وبال", "وال", "بال", "فال", "كال", "لل", "ال", "وب", "ول", "وف", "و", "ب", "ل", "ف",
)
_AR_NUMBER_PREFIXES = frozenset(
    {"و", "ب", "ل", "ف", "ال", "بال", "وال", "لل", "وب", "ول", "وبال", "فب", "بـ", "ك"}
)

_CITATION = r"\[\s*(?:\d+|[a-z ]+needed|note \d+)\s*\]"  # citation marks [23]
_MASK_RE = re.compile(
    _CITATION
    + r"|https?://\S+|www\.\S+|\b\S+\.(?:com|org|net|co)/\S*"  # URLs, pic.twitter.com/...
    r"|[#@][\w\u0640]+",  # hashtags and handles
    re.IGNORECASE,
)
# What `_MASK_RE` finds in a text without "/", "#", "@" and "www.": its other alternatives
# each need one of them.
_CITATION_RE = re.compile(_CITATION, re.IGNORECASE)
_LETTER = r"[^\W\d_]"
_MARKS = r"\u064B-\u065F\u0670\u0640"
_LATIN = r"[A-Za-z\u00C0-\u024F]+\d*(?:[²³])?"
# letters and marks, as runs of each (the same strings as `(?:letter|mark)+`, fewer steps)
_WORD = rf"(?:{_LETTER}+|[{_MARKS}]+)+"
# Every token starts at a non-space character: `(?=\S)` only fails faster between tokens.
_TOKEN_RE = re.compile(
    rf"(?=\S)(?:(?P<num>\d+(?:[.,،٬٫\u00a0\u202f]\d+)*(?:st|nd|rd|th|bn|mn|m|k|km|kg|C)?(?![^\W_]))"
    rf"|(?P<latin>{_LATIN})"
    rf"|(?P<word>{_WORD})"
    r"|(?P<sym>[%٪$€£+])"
    r"|(?P<dash>[-–—])"
    r"|(?P<punct>[^\s\w]))"
)
# In a text without digits `num` never matches, and `sym`, `dash` and `punct` take one
# character that `latin` and `word` cannot start at: these find the same latin and word
# tokens as `_TOKEN_RE`, as (latin, word) pairs.
_WORDS_RE = re.compile(rf"({_LATIN})|({_WORD})")
_DIGIT_RE = re.compile(r"\d")
_ORDINAL_SUFFIX_RE = re.compile(r"(\d+)(st|nd|rd|th)$")
_GLUED_SUFFIX_RE = re.compile(r"(.*\d)(bn|mn|m|k|km|kg|C)$")
#: Suffixes glued to digits: scale after a currency sign ($221bn, £2m), else a unit (100km).
_GLUED_SCALE = {"bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}
_GLUED_UNIT = {"m": "m", "km": "km", "kg": "kg", "C": "degree"}
_ERA_MARKERS = frozenset({"bc", "bce", "ad", "ce", "ق", "م", "ه", "هـ"})


# ----------------------------------------------------------------------------- tokens


@dataclass(slots=True)
class _Tok:
    kind: str  # num | latin | word | sym | dash | punct
    raw: str
    start: int  # offset in the sentence
    end: int
    norm: str = ""


# Characters the alternatives of `_MASK_RE` after the citation marks need ("www." is
# searched for on its own: with IGNORECASE only "w" and "W" match a "w", as `re` reads
# them). Each pattern starts with a class of characters, which `re` looks for first.
_LINK_HINTS_RE = re.compile(r"[#@/]")
_WWW_RE = re.compile(r"[wW][wW][wW]\.")


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _mask(text: str) -> str:
    """`text` with citation marks, URLs, hashtags and handles blanked out (same length)."""
    if _LINK_HINTS_RE.search(text) is not None or _WWW_RE.search(text) is not None:
        return _MASK_RE.sub(_blank, text)
    if "[" not in text:
        return text
    return _CITATION_RE.sub(_blank, text)


def _tokenise(
    text: str, lang: Lang, *, masked: bool = False, pos: int = 0, limit: int | None = None
) -> list[_Tok]:
    """Tokens of `text` (`masked`: already passed through `_mask`), offsets into it; with
    `pos` and `limit`, the first `limit` tokens from a token start `pos` on."""
    word_norm = normalize_ar if lang == "ar" else normalize_en
    toks: list[_Tok] = []
    append = toks.append
    tok = _Tok
    for m in islice(_TOKEN_RE.finditer(text if masked else _mask(text), pos), limit):
        kind = m.lastgroup or "punct"
        raw = m.group()
        if kind == "word":
            norm = word_norm(raw)
        elif kind == "latin":
            norm = normalize_en(raw)
        elif kind == "num":
            norm = to_ascii_digits(raw)
        else:
            norm = raw  # sym, dash, punct: no digit, `to_ascii_digits` keeps them
        start, end = m.span()
        append(tok(kind, raw, start, end, norm))
    return toks


@dataclass(frozen=True, slots=True)
class _TableIndex:
    """Lookups over one word table, built once per table (tables are cached, never changed).

    Attributes:
        table: The table (a dict of entries, or a tuple of phrases).
        clitic: Every entry, and every entry of two letters or more with a clitic prefix
            (`_AR_PREFIXES`) glued on, -> the entry (what `_strip_ar_prefix` returns); an
            entry stands for itself before any prefixed reading, and an earlier prefix of
            `_AR_PREFIXES` wins over a later one.
        prefixes: Every prefix of every entry, "" included (what `_may_start_phrase` asks).
        heads: The text before each space of each entry ("احد" of "احد عشر").
        clitic_heads: The text before each space of each key of `clitic` ("واحد").
    """

    table: Collection[str]
    clitic: dict[str, str]
    prefixes: frozenset[str]
    heads: frozenset[str]
    clitic_heads: frozenset[str]

    @classmethod
    def build(cls, table: Collection[str]) -> _TableIndex:
        entries = list(table)
        clitic = {e: e for e in entries}
        for p in _AR_PREFIXES:
            for e in entries:
                if len(e) >= 2:
                    clitic.setdefault(p + e, e)
        prefixes = frozenset(e[:k] for e in entries for k in range(len(e) + 1))
        return cls(table, clitic, prefixes, _heads(entries), _heads(clitic))


def _heads(words: Iterable[str]) -> frozenset[str]:
    """The text before each space of each word: `w + " "` starts one of `words` iff `w` is
    in the result."""
    return frozenset(w[:k] for w in words for k, ch in enumerate(w) if ch == " ")


_INDEXES: dict[int, _TableIndex] = {}


def _index(table: Collection[str]) -> _TableIndex:
    """The `_TableIndex` of `table` (keyed by identity, checked)."""
    got = _INDEXES.get(id(table))
    if got is None or got.table is not table:
        got = _TableIndex.build(table)
        _INDEXES[id(table)] = got
    return got


def _strip_ar_prefix(word: str, table: Collection[str]) -> str | None:
    """The entry of `table` that `word` is, after removing a clitic prefix (و، ب، ال ...).

    The first prefix of `_AR_PREFIXES` that leaves an entry of two letters or more wins.
    """
    return _index(table).clitic.get(word)


def _lookup(tok: _Tok, table: Collection[str], lang: Lang) -> str | None:
    if tok.kind not in ("word", "latin"):
        return None
    if lang == "ar":
        return _strip_ar_prefix(tok.norm, table)
    return tok.norm if tok.norm in table else None


# ----------------------------------------------------------------------------- digits


_DECIMAL_COMMA_RE = re.compile(r"\d+[,،]\d{1,2}")
_COMMA_RE = re.compile(r"[,،]")
_PLAIN_RE = re.compile(r"\d+(?:\.\d+)?")
_GROUPED_RE = re.compile(r"\d{1,3}(?:[,،٬ ]\d{3})+(?:\.\d+)?")
_SEPARATOR_RE = re.compile(r"[,،٬ ]")
_CLOCK_RE = re.compile(r"\d{1,2}\.\d{2}")
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
_GROUP_HEAD_RE = re.compile(r"\d{1,3}")
_GROUP_RE = re.compile(r"\d{3}")
_FOUR_DIGITS_RE = re.compile(r"\d{4}")


def parse_digits(raw: str, *, decimal_comma: bool = False) -> float | None:
    """Value of a digit string with separators, or None when it is not one number.

    Args:
        raw: Digits of any script with `,` `،` `٬` thousands separators, `.` `٫` decimals,
            or no-break spaces between groups of three.
        decimal_comma: Read a final `,` followed by one or two digits as a decimal point
            (the caller decides, e.g. because a scale word follows: `103,7 مليون`).

    Returns:
        The value, or None for strings such as `1,2,3` or `10.5.2017`.

    >>> parse_digits("١٬٧٠٠"), parse_digits("5,7", decimal_comma=True), parse_digits("1,2,3")
    (1700.0, 5.7, None)
    """
    s = to_ascii_digits(raw).replace("٫", ".").replace("\u00a0", " ").replace("\u202f", " ")
    if decimal_comma and _DECIMAL_COMMA_RE.fullmatch(s):
        return float(_COMMA_RE.sub(".", s))
    if _PLAIN_RE.fullmatch(s):
        return float(s)
    if _GROUPED_RE.fullmatch(s):
        return float(_SEPARATOR_RE.sub("", s))
    return None


# ----------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Cand:
    """A number being built: token span [i, j) and what has been learnt about it."""

    i: int
    j: int
    value: float
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    role: str | None = None
    approx: bool = False
    ordinal: bool = False
    hedge: str | None = None
    bare_digits: bool = False  # digits with nothing attached (a year candidate)
    definite: bool = False  # Arabic number word with ال (الأربع): counted noun may precede
    notes: list[str] = field(default_factory=list)


def _word_number(toks: list[_Tok], i: int, lang: Lang) -> tuple[float, int, bool] | None:
    """Parse a number written in words starting at token i: (value, end index, definite)."""
    words = number_words(lang)
    scales = scale_words(lang)
    n = len(toks)
    total, current = 0.0, 0.0
    j = i
    seen = 0
    definite = False
    last_small = 0.0
    while j < n:
        t = toks[j]
        if t.kind not in ("word", "latin"):
            if lang == "en" and t.kind == "dash" and seen and j + 1 < n:
                nxt = toks[j + 1].norm
                if nxt in words and words[nxt] < 10 and t.start == toks[j - 1].end:
                    j += 1
                    continue
            break
        w = t.norm
        if lang == "ar":
            # a two-word entry (احد عشر) first
            if j + 1 < n and toks[j + 1].kind == "word":
                two = f"{w} {toks[j + 1].norm}"
                key2 = _strip_ar_prefix(two, words) if seen == 0 else (
                    two[1:] if two.startswith("و") and two[1:] in words else None
                )
                if key2 is not None:
                    current += words[key2]
                    seen += 1
                    j += 2
                    continue
            if seen == 0:
                key = _strip_ar_prefix(w, words)
                if key is not None and w.startswith(("ال", "بال", "وال", "لل")):
                    definite = True
            else:
                key = None
                if w.startswith("و"):
                    key = _strip_ar_prefix(w[1:], words) if len(w) > 2 else None
                elif w in ("عشر", "عشره") and 3 <= last_small <= 9:
                    key = w
            if key is not None:
                v = words[key]
                if v == 100 and 1 <= current <= 9 and seen:
                    current *= 100
                else:
                    current += v
                last_small = v
                seen += 1
                j += 1
                continue
            skey = _strip_ar_prefix(w, scales) if seen == 0 else (w if w in scales else None)
            if skey is not None:
                total += max(current, 1.0) * scales[skey]
                current = 0.0
                seen += 1
                j += 1
                continue
            break
        # English
        if (w == "and" and seen and j + 1 < n and toks[j + 1].norm in words
                and (total or current >= 100) and words[toks[j + 1].norm] < 100):
            j += 1
            continue
        if w in ("a", "one") and seen == 0:
            nxt = toks[j + 1].norm if j + 1 < n else ""
            if nxt in scales or nxt in ("hundred", "dozen"):
                current = 1.0
                seen += 1
                j += 1
                continue
            break
        if w == "one" and seen:
            current += 1
            seen += 1
            j += 1
            continue
        if w in words:
            v = words[w]
            if v == 100:
                current = max(current, 1.0) * 100
            elif v == 12 and w == "dozen":
                current = max(current, 1.0) * 12
            else:
                current += v
            seen += 1
            j += 1
            continue
        if w in scales and seen:
            total += max(current, 1.0) * scales[w]
            current = 0.0
            seen += 1
            j += 1
            continue
        break
    if seen == 0:
        return None
    value = total + current
    if value == 0 and seen == 1 and toks[i].norm not in ("zero", "صفر"):
        return None
    return value, j, definite


def _dual(tok: _Tok, lang: Lang) -> tuple[float, str | None, str] | None:
    """An Arabic dual (منطقتين = 2 districts) or dual word: (value, counted class, note)."""
    if tok.kind != "word" or lang != "ar":
        return None
    return _dual_word(tok.norm, lang)


@lru_cache(maxsize=65536)
def _dual_word(norm: str, lang: Lang) -> tuple[float, str | None, str] | None:
    """`_dual` of an Arabic word token, by its normalised form."""
    key = _strip_ar_prefix(norm, dual_words(lang))
    if key is not None:
        if key == "اثنين" and norm.endswith("الاثنين"):
            return None  # (يوم) الاثنين: Monday
        return dual_words(lang)[key], None, "dual number word"
    stripped = [
        norm[len(p) :]
        for p in ("وال", "بال", "لل", "ال", "و", "ب", "ل")
        if norm.startswith(p) and len(norm) - len(p) >= 4
    ]
    forms = [norm, *stripped[:1]]
    for w in forms:
        got = _dual_form(w, lang)
        if got is not None:
            return got
    return None


def _dual_form(w: str, lang: Lang) -> tuple[float, str | None, str] | None:
    if w in dual_exclusions(lang) or w in number_words(lang) or w in counted_nouns(lang):
        return None  # بلدان is also the plural "countries"
    for suffix in ("ين", "ان"):
        stem = w[: -len(suffix)]
        if w.endswith(suffix) and stem in dual_stems(lang):
            cls = dual_stems(lang)[stem]
            return 2.0, (None if cls == "-" else cls), "dual (-ين/-ان) read as 2"
    for suffix in ("تين", "تان"):
        stem = w[: -len(suffix)]
        if w.endswith(suffix) and len(stem) >= 2 and not stem.endswith("س"):
            noun = stem + "ه"
            found = counted_nouns(lang).get(noun) or units(lang).get(noun)
            if found is None and (stem.endswith("ي") or sum(stem.count(v) for v in "اوي") >= 2):
                return None  # a nisba adjective (طبيعيتان) or a transliterated name (ماونتين)
            return 2.0, found, "feminine dual (-تين/-تان) read as 2"
    return None


def _may_start_phrase(first: str, phrases: Collection[str], lang: Lang) -> bool:
    """Whether some phrase starts with the token `first` (or, in Arabic, with `first` less a
    one-letter proclitic): a set lookup over the prefixes of the phrases, so that
    `_match_phrase` skips the tokens that can start no phrase without building any
    candidate string."""
    prefixes = _index(phrases).prefixes
    if first in prefixes:
        return True
    return (
        lang == "ar"
        and len(first) > 2
        and first[0] in ("و", "ب", "ل")
        and first[1:] in prefixes
    )


_PHRASE_KINDS = frozenset({"word", "latin", "sym", "dash"})


def _match_phrase(toks: list[_Tok], j: int, phrases: Collection[str],
                  lang: Lang, max_words: int = 3) -> tuple[str, int] | None:
    """Longest phrase of `phrases` starting at token j: (phrase, end index).

    Tokens separated by one space are joined with a space, touching tokens (three-quarters)
    without one, as the list entries are written.
    """
    n = len(toks)
    if j >= n or not _may_start_phrase(toks[j].norm, phrases, lang):
        return None
    # A phrase spans tokens of `_PHRASE_KINDS` at most one space apart, not starting or
    # ending with a dash: the segments from j with the first two properties are the
    # `span` first ones.
    span = 0
    while span < max_words and j + span < n:
        t = toks[j + span]
        if t.kind not in _PHRASE_KINDS or (span and t.start - toks[j + span - 1].end > 1):
            break
        span += 1
    if span and toks[j].kind == "dash":
        return None
    for k in range(span, 0, -1):
        seg = toks[j : j + k]
        if seg[-1].kind == "dash":
            continue
        words = [t.norm for t in seg]
        phrase = "".join(
            t.norm if x == 0 or seg[x - 1].end == t.start else " " + t.norm
            for x, t in enumerate(seg)
        )
        if phrase in phrases:
            return phrase, j + k
        if lang == "ar":
            for p in ("و", "ب", "ل"):
                if words[0].startswith(p) and len(words[0]) > 2:
                    alt = " ".join([words[0][len(p) :], *words[1:]])
                    if alt in phrases:
                        return alt, j + k
    return None


@dataclass(frozen=True, slots=True)
class _HedgeIndex:
    """The hedges of one list by position and length: words -> (list order, hedge) of the
    first hedge with those words, and the lengths to try."""

    source: tuple[Hedge, ...]
    pre: dict[tuple[str, ...], tuple[int, Hedge]]
    post: dict[tuple[str, ...], tuple[int, Hedge]]
    pre_sizes: tuple[int, ...]
    post_sizes: tuple[int, ...]
    pre_last: frozenset[str] = frozenset()  # the last word of each hedge before a number
    post_first: frozenset[str] = frozenset()  # the first word of each hedge after one

    @classmethod
    def build(cls, listed: tuple[Hedge, ...]) -> _HedgeIndex:
        pre: dict[tuple[str, ...], tuple[int, Hedge]] = {}
        post: dict[tuple[str, ...], tuple[int, Hedge]] = {}
        for n, h in enumerate(listed):
            (pre if h.position == "pre" else post).setdefault(h.words, (n, h))
        return cls(
            listed, pre, post,
            tuple(sorted({len(w) for w in pre})), tuple(sorted({len(w) for w in post})),
            frozenset(w[-1] for w in pre if w), frozenset(w[0] for w in post if w),
        )


_HEDGE_INDEXES: dict[str, _HedgeIndex] = {}


def _hedge_index(lang: Lang) -> _HedgeIndex:
    listed = hedges(lang)
    got = _HEDGE_INDEXES.get(lang)
    if got is None or got.source is not listed:
        got = _HEDGE_INDEXES[lang] = _HedgeIndex.build(listed)
    return got


def _pre_hedge(toks: list[_Tok], i: int, lang: Lang) -> tuple[Hedge, int] | None:
    """The first hedge of the list (`nlp.lang.hedges`) written right before token `i`; in
    Arabic its first word may carry و، ب or ف."""
    index = _hedge_index(lang)
    # every hedge tried ends with token i - 1 (a one-word one may carry the clitic)
    last = toks[i - 1].norm if i > 0 else ""
    if last not in index.pre_last and not (
        lang == "ar" and last[:1] in ("و", "ب", "ف") and last[1:] in index.pre_last
    ) and () not in index.pre:
        return None
    best: tuple[int, Hedge] | None = None
    best_k = 0
    for k in index.pre_sizes:
        if i - k < 0:
            continue
        seg = toks[i - k : i]
        if any(t.kind not in ("word", "latin") for t in seg):
            continue
        words = tuple(t.norm for t in seg)
        found = [index.pre.get(words)]
        if lang == "ar" and words and words[0][:1] in ("و", "ب", "ف"):
            found.append(index.pre.get((words[0][1:], *words[1:])))
            # a clitic glued to the last hedge word (بنحو = ب + نحو) is already in the list
        for got in found:
            if got is not None and (best is None or got[0] < best[0]):
                best, best_k = got, k
    return (best[1], i - best_k) if best is not None else None


def _post_hedge(toks: list[_Tok], j: int, lang: Lang) -> tuple[Hedge, int] | None:
    """The first hedge of the list written from token `j` on."""
    index = _hedge_index(lang)
    # every hedge tried starts with token j
    if (j >= len(toks) or toks[j].norm not in index.post_first) and () not in index.post:
        return None
    best: tuple[int, Hedge] | None = None
    best_k = 0
    for k in index.post_sizes:
        seg = toks[j : j + k]
        if len(seg) != k:
            continue
        got = index.post.get(tuple(t.norm for t in seg))
        if got is not None and (best is None or got[0] < best[0]):
            best, best_k = got, k
    return (best[1], j + best_k) if best is not None else None


def _counted_noun(toks: list[_Tok], j: int, lang: Lang) -> tuple[str, int] | None:
    """Class of the counted noun right after token j (window of words), and its end."""
    table = counted_nouns(lang)
    window = 3 if lang == "en" else 2
    seen = 0
    k = j
    while k < len(toks) and seen < window:
        t = toks[k]
        if t.kind == "dash":
            k += 1
            continue
        if t.kind not in ("word", "latin"):
            return None
        if lang == "en" and k + 1 < len(toks) and f"{t.norm} {toks[k + 1].norm}" in table:
            return table[f"{t.norm} {toks[k + 1].norm}"], k + 2
        key = _lookup(t, table, lang)
        if key is not None and not (lang == "en" and t.raw[:1].isupper()):
            return table[key], k + 1
        if t.norm in number_words(lang) or t.norm in scale_words(lang):
            return None
        seen += 1
        k += 1
    return None


def _counted_noun_before(toks: list[_Tok], i: int, lang: Lang) -> str | None:
    table = counted_nouns(lang)
    for k in range(i - 1, max(i - 3, -1), -1):
        key = _lookup(toks[k], table, lang)
        if key is not None:
            return table[key]
        if toks[k].kind != "word":
            return None
    return None


def _unit_after(toks: list[_Tok], j: int, lang: Lang) -> tuple[str, int] | None:
    hit = _match_phrase(toks, j, units(lang), lang)
    if hit is not None:
        return units(lang)[hit[0]], hit[1]
    if lang == "ar" and j < len(toks) and toks[j].kind == "word":
        key = _strip_ar_prefix(toks[j].norm, units(lang))
        if key is not None and " " not in key:
            return units(lang)[key], j + 1
    return None


def _percent_after(toks: list[_Tok], j: int, lang: Lang) -> int | None:
    if j < len(toks) and toks[j].raw in ("%", "٪"):
        return j + 1
    hit = _match_phrase(toks, j, percent_words(lang), lang)
    return hit[1] if hit else None


def _scale_after(toks: list[_Tok], j: int, lang: Lang) -> tuple[float, int] | None:
    if j < len(toks) and toks[j].kind in ("word", "latin"):
        key = _lookup(toks[j], scale_words(lang), lang)
        if key is not None:
            return scale_words(lang)[key], j + 1
    return None


# ----------------------------------------------------------------------------- ordinals


def _unit_ordinals(toks: list[_Tok], lang: Lang) -> list[_Cand]:
    """Ordinals and numbers that name a military unit (the 137th brigade, اللواء 137)."""
    out: list[_Cand] = []
    nouns = unit_nouns(lang)
    ords = ordinal_words(lang)
    n = len(toks)
    if lang == "en":
        # only digits with an ordinal suffix and ordinal words start one
        starts = [
            i for i, t in enumerate(toks)
            if (t.kind == "num" and t.norm[-2:] in ("st", "nd", "rd", "th"))
            or (t.kind == "latin" and t.norm in ords)
        ]
        for i in starts:
            t = toks[i]
            value: int | None = None
            m = _ORDINAL_SUFFIX_RE.fullmatch(t.norm) if t.kind == "num" else None
            if m:
                value = int(m.group(1))
            elif t.kind == "latin" and t.norm in ords:
                value = ords[t.norm]
            if value is None:
                continue
            for k in range(i + 1, min(i + 4, n)):
                if toks[k].kind != "latin":
                    break
                if toks[k].norm in nouns:
                    out.append(_Cand(i, k + 1, float(value), unit=nouns[toks[k].norm],
                                     role=UNIT_ROLE, ordinal=True,
                                     notes=["ordinal naming a military unit"]))
                    break
                if not toks[k].raw[:1].isupper():
                    break
        return out
    noun_of = _index(nouns).clitic
    # only a unit noun (`_lookup`) starts one
    starts = [
        i for i, t in enumerate(toks) if t.kind in ("word", "latin") and t.norm in noun_of
    ]
    for i in starts:
        key = noun_of[toks[i].norm]
        for k in range(i + 1, min(i + 3, n)):
            tk = toks[k]
            if k > i + 1 and not _definite(toks[k - 1].norm):
                break  # only a definite adjective may stand between (الفرقة المدرعة 17)
            if tk.kind == "num":
                v = parse_digits(tk.raw)
                # what the number measures or counts right after it wins: الجيش ... 90 بالمائة
                # is 90 percent, الجيش 5 كيلومترات is 5 km, not the 90th or 5th army
                if (v is not None and v.is_integer() and tk.start - toks[k - 1].end <= 1
                        and not _measured(toks, k + 1, lang)):
                    out.append(_Cand(k, k + 1, v, unit=nouns[key], role=UNIT_ROLE,
                                     ordinal=True, notes=["number naming a military unit"]))
                break
            if tk.kind != "word":
                break
            okey = _strip_ar_prefix(tk.norm, ords)
            two = f"{tk.norm} {toks[k + 1].norm}" if k + 1 < n else ""
            if (two in ords or okey is not None) and _percent_after(
                toks, k + (2 if two in ords else 1), lang
            ) is not None:
                break  # an ordinal word is never followed by a percent sign or word
            if two in ords:
                out.append(_Cand(k, k + 2, float(ords[two]), unit=nouns[key], role=UNIT_ROLE,
                                 ordinal=True, notes=["ordinal naming a military unit"]))
                break
            if okey is not None:
                ord_value = float(ords[okey])
                end = k + 1
                # الخامس والأربعين (45th): ordinal + و + tens
                if end < n and toks[end].norm.startswith("و"):
                    tens = _strip_ar_prefix(toks[end].norm[1:], number_words(lang))
                    if tens is not None and number_words(lang)[tens] % 10 == 0:
                        ord_value += number_words(lang)[tens]
                        end += 1
                out.append(_Cand(k, end, ord_value, unit=nouns[key], role=UNIT_ROLE, ordinal=True,
                                 notes=["ordinal naming a military unit"]))
                break
    return out


def _measured(toks: list[_Tok], j: int, lang: Lang) -> bool:
    """A percent, unit of measure, scale word or counted noun is token j."""
    if any(f(toks, j, lang) is not None for f in (_percent_after, _unit_after, _scale_after)):
        return True
    noun = _counted_noun(toks, j, lang)
    return noun is not None and noun[1] == j + 1


def _definite(word: str) -> bool:
    """An Arabic word with the article, after an optional clitic (المدرعة, والمدرعة)."""
    return any(word.startswith(p + "ال") for p in ("", "و", "ف")) and len(word) > 3


# ----------------------------------------------------------------------------- main pass


def _is_glued(text: str, t: _Tok) -> bool:
    """Digits glued to an identifier, a time or a slashed date (G-20, 10:30, 3/11)."""
    before = text[t.start - 1] if t.start > 0 else " "
    before2 = text[t.start - 2] if t.start > 1 else " "
    after = text[t.end] if t.end < len(text) else " "
    after2 = text[t.end + 1] if t.end + 1 < len(text) else " "
    if before in ":/" or after in ":/" or (before == "." and before2.isdigit()):
        return True
    if before in "-–" and _ASCII_LETTER_RE.match(before2):
        return True
    return after in ".," and after2.isdigit()


def _ordinal_value(toks: list[_Tok], k: int, lang: Lang) -> tuple[float, int] | None:
    """An Arabic ordinal at token k (الثامنة عشرة, الحادية والثلاثين): (value, end)."""
    ords, words = ordinal_words(lang), number_words(lang)
    index = _index(ords)
    if toks[k].norm not in index.heads and toks[k].norm not in index.clitic:
        return None  # neither the first word of a two-word ordinal nor an ordinal
    n = len(toks)
    if k + 1 < n and f"{toks[k].norm} {toks[k + 1].norm}" in ords:
        return float(ords[f"{toks[k].norm} {toks[k + 1].norm}"]), k + 2
    key = _strip_ar_prefix(toks[k].norm, ords)
    if key is None:
        return None
    value, end = float(ords[key]), k + 1
    if end < n and toks[end].norm in ("عشر", "عشره") and value < 10:
        value, end = value + 10, end + 1
    elif end < n and toks[end].norm.startswith("و"):
        tens = _strip_ar_prefix(toks[end].norm[1:], words)
        if tens is not None and words[tens] % 10 == 0 and words[tens] >= 20:
            value, end = value + words[tens], end + 1
    return value, end


def _ordinal_ages(toks: list[_Tok], lang: Lang) -> list[_Cand]:
    """Ages written as ordinals: في الثامنة عشرة من عمرها (18), and the range
    أعمارهم بين الخامسة والرابعة عشرة (5-14)."""
    if lang != "ar":
        return []
    out: list[_Cand] = []
    n = len(toks)
    index = _index(ordinal_words(lang))
    k = 0
    while k < n:
        tok = toks[k]
        if tok.kind != "word" or (tok.norm not in index.heads and tok.norm not in index.clitic):
            k += 1  # no ordinal starts here (`_ordinal_value` would say None)
            continue
        got = _ordinal_value(toks, k, lang)
        if got is None:
            k += 1
            continue
        value, end = got
        after = [t.norm for t in toks[end : end + 2]]
        before = [t.norm for t in toks[max(0, k - 3) : k]]
        age_after = len(after) == 2 and after[0] == "من" and after[1].startswith("عمر")
        age_before = any(w.startswith("اعمار") for w in before) and (
            "بين" in before or toks[k].norm.startswith("و"))
        if age_after or age_before:
            c = _Cand(k, end, value, unit="year", notes=["age written as an ordinal"])
            second = _ordinal_value(toks, end, lang) if (
                end < n and toks[end].norm.startswith("و") and before[-1:] == ["بين"]) else None
            if second is not None and second[0] > value:
                c.low, c.high, c.value, c.j = value, second[0], (value + second[0]) / 2, second[1]
                c.i = k - 1  # include بين
                c.notes.append("range")
            out.append(c)
            k = c.j
            continue
        k += 1
    return out


@lru_cache(maxsize=65536)
def _may_begin(norm: str, lang: Lang) -> bool:
    """Whether `_numbers_in` can read anything at a word token of this normalised form: a
    percent phrase, a fraction, a number in words (one or two words, a scale word), a dual.
    False only when each of those readers would pass over the token (a necessary
    condition of each, word by word), so that the main loop skips it at once."""
    if _may_start_phrase(norm, percent_words(lang), lang) or _may_start_phrase(
        norm, fraction_words(lang), lang
    ):
        return True
    if lang != "ar":
        return (
            norm in number_words(lang)
            or norm in ("a", "one")
            or norm in dual_words(lang)
            or norm in fraction_words(lang)
        )
    words = _index(number_words(lang))
    return (
        norm in words.clitic
        or norm in words.clitic_heads
        or norm in _index(scale_words(lang)).clitic
        or norm in _index(fraction_words(lang)).clitic
        or (norm.startswith("و") and norm[1:] in fraction_words(lang))
        or _dual_word(norm, lang) is not None
    )


def _numbers_in(toks: list[_Tok], text: str, lang: Lang) -> list[_Cand]:
    cands: list[_Cand] = []
    n = len(toks)
    taken = [False] * n
    for unit_ord in _unit_ordinals(toks, lang) + _ordinal_ages(toks, lang):
        cands.append(unit_ord)
        for k in range(unit_ord.i, unit_ord.j):
            taken[k] = True
    # The tokens the loop below can read anything at: digits, and the words some reader
    # starts from (`_may_begin`). At any other token it only moves on to the next one.
    active = [
        k for k, t in enumerate(toks)
        if t.kind == "num" or (t.kind in ("word", "latin") and _may_begin(t.norm, lang))
    ]
    at = 0  # index into `active`
    i = 0
    while i < n:
        at = bisect.bisect_left(active, i, at)
        if at == len(active):
            break
        i = active[at]
        t = toks[i]
        if taken[i]:
            i += 1
            continue
        c: _Cand | None = None
        if t.kind == "num":
            if _ORDINAL_SUFFIX_RE.fullmatch(t.norm) or _is_glued(text, t):
                i += 1
                continue
            prev = toks[i - 1] if i else None
            if prev is not None and prev.end == t.start and prev.kind == "latin":
                i += 1
                continue
            if (prev is not None and prev.end == t.start and prev.kind == "word"
                    and normalize(prev.raw, lang) not in _AR_NUMBER_PREFIXES | {""}):
                i += 1
                continue
            if prev is not None and prev.norm == "at" and _CLOCK_RE.fullmatch(t.norm):
                i += 1  # "at 23.45": a clock time
                continue
            glued = _GLUED_SUFFIX_RE.fullmatch(t.norm)
            digits = glued.group(1) if glued else t.raw
            scale = _scale_after(toks, i + 1, lang)
            v = parse_digits(digits, decimal_comma=scale is not None)
            if v is None:
                i += 1
                continue
            c = _Cand(i, i + 1, v, bare_digits=glued is None)
            spaced = None if glued else _space_grouped(toks, i, lang)
            if spaced is not None:
                c.value, c.j, c.bare_digits = spaced[0], spaced[1], False
                c.notes.append("space as thousands separator")
            if glued:
                suffix = glued.group(2)
                currency = prev is not None and prev.raw in ("$", "€", "£")
                if currency and suffix in _GLUED_SCALE:
                    c.value *= _GLUED_SCALE[suffix]
                    c.notes.append(f"scale suffix '{suffix}'")
                elif not currency and suffix in _GLUED_UNIT:
                    c.unit = _GLUED_UNIT[suffix]
                else:
                    i += 1
                    continue
            if scale is not None and ("," in t.raw or "،" in t.raw) and not v.is_integer():
                c.notes.append("decimal comma before a scale word")
        elif t.kind in ("word", "latin"):
            if not _may_begin(t.norm, lang):
                i += 1
                continue
            pct_words = _match_phrase(toks, i, percent_words(lang), lang)
            if pct_words is not None:
                i = pct_words[1]  # في المئة / بالمائة is a percent sign, never the number 100
                continue
            if _in_name(toks, i, lang):
                i += 1
                continue
            if lang == "ar" and (t.norm in ("عشر", "عشره") or t.norm.startswith("و")) and i and (
                _lookup(toks[i - 1], ordinal_words(lang), lang)
            ):
                i += 1  # الثامنة عشرة (18th), الحادية والثلاثين (31st): part of an ordinal
                continue
            multi = _match_phrase(toks, i, fraction_words(lang), lang)
            parsed = None if multi and multi[1] > i + 1 else _word_number(toks, i, lang)
            if parsed is not None:
                value, j, definite = parsed
                if lang == "ar" and j == i + 1 and value >= 1000 and not _has_number_before(
                    toks, i
                ) and (i > 0 and toks[i - 1].norm in scale_blockers(lang)):
                    i += 1
                    continue
                if lang == "ar" and j == i + 1 and _bare_scale_is_not_number(toks, i, lang):
                    i += 1  # آلاف / المليارات alone (vague), ألفا (alpha), ألف ست (composed)
                    continue
                if lang == "ar" and j == i + 1 and _short_prefixed(toks[i], lang):
                    i += 1  # وست (West) is not و + ست
                    continue
                if lang == "ar" and i and toks[i - 1].norm in ("القرن", "قرن", "للقرن"):
                    i += 1  # القرن العشرين: the 20th century
                    continue
                if value == 1 and j == i + 1:
                    i += 1  # "one" / واحد alone is rarely a count ("one of the ...")
                    continue
                c = _Cand(i, j, value, definite=definite)
                if j - i > 1:
                    c.notes.append("number in words")
            else:
                dual = _dual(t, lang)
                if dual is not None and cands and cands[-1].j == i and "dual" in " ".join(
                    cands[-1].notes
                ):
                    dual = None  # an adjective agreeing with the dual before it
                if dual is not None:
                    role = None if dual[1] in UNIT_DEFS else dual[1]
                    c = _Cand(i, i + 1, dual[0], unit=dual[1], role=role, notes=[dual[2]])
                else:
                    frac = _fraction(toks, i, lang)
                    if frac is not None:
                        c = frac
        if c is None:
            i += 1
            continue
        _attach(toks, c, lang)
        if c.value == 0 and c.unit is None:
            i = c.j  # "ground zero": zero counts only with what it counts
            continue
        cands.append(c)
        for k in range(c.i, c.j):
            taken[k] = True
        i = c.j
    return cands


def _in_name(toks: list[_Tok], i: int, lang: Lang) -> bool:
    """A capitalised English number word inside a name (Nine News, Ocean's Eleven)."""
    if lang != "en" or not toks[i].raw[:1].isupper() or i == 0:
        return False
    if toks[i - 1].raw in (".", "!", "?", '"', "“", ":", "(", "—"):
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is not None and nxt.kind == "latin" and nxt.raw[:1].isupper()


def _bare_scale_is_not_number(toks: list[_Tok], i: int, lang: Lang) -> bool:
    """A scale word with no number before it that is vague, a name or a verb."""
    w = toks[i].norm
    key = _strip_ar_prefix(w, scale_words(lang))
    if key is None:
        return False
    if key not in ("الف", "مليون", "مليار") or "ال" in w[: len(w) - len(key)]:
        return True  # آلاف، المليارات، بالملايين، ألفا (a singular بمليار counts: 1 billion)
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is not None and _strip_ar_prefix(nxt.norm, number_words(lang)) is not None


def _short_prefixed(t: _Tok, lang: Lang) -> bool:
    key = _strip_ar_prefix(t.norm, number_words(lang))
    return key is not None and key != t.norm and len(key) <= 2


def _space_grouped(toks: list[_Tok], i: int, lang: Lang) -> tuple[float, int] | None:
    """`10 000 civilians`: digit groups split by single spaces, read as one number only where
    that is unambiguous: groups of exactly three digits after a first group of one to three,
    not after another number, and followed by a unit, counted noun, percent or scale word."""
    if not _GROUP_HEAD_RE.fullmatch(toks[i].norm) or _has_number_before(toks, i):
        return None
    j = i + 1
    value = float(toks[i].norm)
    while (j < len(toks) and toks[j].kind == "num" and _GROUP_RE.fullmatch(toks[j].norm)
           and toks[j].start - toks[j - 1].end == 1):
        value = value * 1000 + float(toks[j].norm)
        j += 1
    if j == i + 1:
        return None
    follows = (_unit_after(toks, j, lang) or _counted_noun(toks, j, lang)
               or _percent_after(toks, j, lang) or _scale_after(toks, j, lang))
    return (value, j) if follows else None


def _has_number_before(toks: list[_Tok], i: int) -> bool:
    return i > 0 and toks[i - 1].kind == "num"


def _fraction(toks: list[_Tok], i: int, lang: Lang) -> _Cand | None:
    table = fraction_words(lang)
    if lang == "ar" and toks[i].norm.startswith("و") and i > 0:
        frac = table.get(toks[i].norm[1:])
        unit = _lookup(toks[i - 1], units(lang), lang)
        if frac is not None and unit is not None:
            # درجة ونصف = one and a half degrees
            return _Cand(i - 1, i + 1, 1 + frac, unit=units(lang)[unit],
                         notes=[f"'{toks[i - 1].raw} {toks[i].raw}' = {1 + frac:g}"])
    if lang == "en" and toks[i].norm in dual_words(lang):
        prev = toks[i - 1].norm if i else ""
        nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
        if prev == "a" and nxt == "of":
            return _Cand(i - 1, i + 2, dual_words(lang)[toks[i].norm],
                         notes=[f"'a {toks[i].raw} of' = 2"])
        return None
    hit = _match_phrase(toks, i, table, lang)
    key = hit[0] if hit else _lookup(toks[i], table, lang)
    if key is None:
        return None
    end = hit[1] if hit else i + 1
    frac = table[key]
    # half a million, نصف المليون: a fraction of a scale word is a number
    sc = end + 1 if lang == "en" and end < len(toks) and toks[end].norm == "a" else end
    scale = _scale_after(toks, sc, lang)
    if scale is not None:
        return _Cand(i, scale[1], frac * scale[0], notes=[f"fraction of a scale word ({key})"])
    # a year and a half = 1.5 years
    if lang == "en" and i >= 4 and [t.norm for t in toks[i - 2 : i]] == ["and", "a"]:
        unit = _lookup(toks[i - 3], units(lang), lang)
        if unit is not None and toks[i - 4].norm in ("a", "one"):
            return _Cand(i - 4, i + 1, 1 + frac, unit=units(lang)[unit],
                         notes=[f"'{toks[i - 3].raw} and a half' = {1 + frac:g}"])
    if lang == "en":
        prev = toks[i - 1].norm if i else ""
        nxt = toks[end].norm if end < len(toks) else ""
        # "a third district" is an ordinal; "half of", "a third of", "half the" are fractions
        if nxt not in ("of", "the", "its", "their", "his", "her", "a", "an") and key == "third":
            return None
        if nxt not in ("of", "the", "its", "their", "his", "her") and prev not in ("a", "one"):
            return None
    pct = round(frac * 100, 4)
    return _Cand(i, end, pct, unit="percent", notes=[f"fraction {toks[i].raw!r} = {pct:g} percent"])


def _attach(toks: list[_Tok], c: _Cand, lang: Lang) -> None:
    """Extend a number with scale, range, percent, unit, counted noun and hedges."""
    n = len(toks)
    # scale word after digits or after a word number (3 ملايين, 1.5 million)
    if toks[c.i].kind == "num":
        s = _scale_after(toks, c.j, lang)
        if s is not None:
            c.value *= s[0]
            c.j = s[1]
            c.bare_digits = False
            c.notes.append("scale word")
    # "and a half" / ونصف
    following = [t.norm for t in toks[c.j : c.j + 3]]
    if lang == "en" and following == ["and", "a", "half"]:
        c.value += 0.5
        c.j += 3
        c.bare_digits = False
    elif c.j < n and lang == "ar" and toks[c.j].norm == "ونصف":
        c.value += 0.5 * _last_scale(toks, c, lang)
        c.j += 1
        c.bare_digits = False
    # the unit right after the number, as `_range` and the unit reading below ask for it
    j0, read = c.j, c.unit is None
    unit_j0 = _unit_after(toks, j0, lang) if read else None
    _range(toks, c, lang, unit_j0)
    # currency sign before
    if c.i > 0 and toks[c.i - 1].raw in ("$", "€", "£"):
        signs = currency_signs("en")
        c.unit = signs.get(toks[c.i - 1].raw)
        c.i -= 1
        if c.i > 0 and toks[c.i - 1].norm in ("us",) and toks[c.i - 1].end == toks[c.i].start:
            c.i -= 1
        c.bare_digits = False
        s = _scale_after(toks, c.j, lang)
        if s is not None:
            c.value *= s[0]
            c.low = c.low * s[0] if c.low is not None else None
            c.high = c.high * s[0] if c.high is not None else None
            c.j = s[1]
    pct = _percent_after(toks, c.j, lang)
    if pct is not None:
        c.unit, c.j, c.bare_digits = "percent", pct, False
    elif c.i > 0 and toks[c.i - 1].raw in ("%", "٪") and toks[c.i - 1].end == toks[c.i].start:
        c.unit, c.i, c.bare_digits = "percent", c.i - 1, False
    elif c.unit is None:
        # "45-year-old": a dash between the number and its unit
        j = c.j + 1 if c.j < n and toks[c.j].kind == "dash" and lang == "en" else c.j
        u = unit_j0 if read and j == j0 else _unit_after(toks, j, lang)
        if u is not None:
            c.unit, c.j, c.bare_digits = u[0], u[1], False
    noun_end = c.j
    if lang == "en" and c.unit is None and c.i > 0 and toks[c.i - 1].norm in _AGE_CUES:
        c.unit, c.bare_digits = "year", False  # aged 5 (to 14): an age in years
        c.notes.append("age")
    if c.role is None and c.unit is None:
        cn = _counted_noun(toks, c.j, lang)
        if cn is not None:
            c.role = c.unit = cn[0]
            c.bare_digits = False
            noun_end = cn[1]
        elif lang == "ar" and c.definite:
            before = _counted_noun_before(toks, c.i, lang)
            if before is not None:
                c.role = c.unit = before
            elif c.i > 0 and _lookup(toks[c.i - 1], units(lang), lang) is not None:
                c.unit = units(lang)[_lookup(toks[c.i - 1], units(lang), lang) or ""]
    # "+" after: 300+
    if c.j < n and toks[c.j].raw == "+" and toks[c.j].start == toks[c.j - 1].end:
        c.hedge, c.j = "min", c.j + 1
        c.notes.append("hedge '+'")
    pre = _pre_hedge(toks, c.i, lang)
    if pre is not None:
        c.hedge = pre[0].kind
        c.notes.append(f"hedge '{' '.join(t.raw for t in toks[pre[1] : c.i])}'")
        c.i = pre[1]
    for at in dict.fromkeys((c.j, noun_end)):
        post = _post_hedge(toks, at, lang)
        if post is not None and c.hedge is None:
            c.hedge = post[0].kind
            c.notes.append(f"hedge '{' '.join(t.raw for t in toks[at : post[1]])}'")
            if at == c.j:
                c.j = post[1]


def _last_scale(toks: list[_Tok], c: _Cand, lang: Lang) -> float:
    for t in reversed(toks[c.i : c.j]):
        key = _lookup(t, scale_words(lang), lang)
        if key is not None:
            return scale_words(lang)[key]
        d = _lookup(t, dual_words(lang), lang)
        if d is not None and dual_words(lang)[d] >= 1000:
            return dual_words(lang)[d] / 2
    return 1.0


_RANGE_EN = ("to", "and", "-", "–", "—")
_RANGE_AR = ("و", "الي", "حتي", "-", "–", "—")


def _range(
    toks: list[_Tok], c: _Cand, lang: Lang, unit_after: tuple[str, int] | None
) -> None:
    """Join `A – B`, `between A and B`, `بين A و B`, `من A إلى B` into one interval.
    `unit_after` is `_unit_after(toks, c.j, lang)` (None when `c` has a unit)."""
    n = len(toks)
    j = c.j
    unit_between = unit_after if c.unit is None else None
    if unit_between is not None:
        j = unit_between[1]  # بين 15001 جنيه و19999 جنيه: the unit is repeated
    if j + 1 >= n:
        return
    sep = toks[j]
    opener = toks[c.i - 1].norm if c.i > 0 else ""
    seps = _RANGE_EN if lang == "en" else _RANGE_AR
    if sep.norm not in seps and sep.raw not in seps:
        return
    if sep.norm in ("and", "و") and opener not in ("between", "بين", "وبين"):
        return
    if sep.norm in ("to", "الي", "حتي") and opener not in ("from", "من", "between", "بين",
                                                          *_AGE_CUES):
        return
    k = j + 1
    same_sign = c.i > 0 and toks[c.i - 1].raw == toks[k].raw
    if toks[k].raw in ("$", "€", "£") and k + 1 < n and same_sign:
        k += 1  # £3,000-£5,000
    if toks[k].kind != "num" or (sep.kind == "dash" and (sep.start != toks[j - 1].end)):
        return
    v2 = parse_digits(toks[k].raw, decimal_comma=_scale_after(toks, k + 1, lang) is not None)
    if v2 is None:
        return
    end = k + 1
    if unit_between is not None:
        again = _unit_after(toks, end, lang)
        if again is None or again[0] != unit_between[0]:
            return
        c.unit = unit_between[0]
        end = again[1]
    s = _scale_after(toks, end, lang)
    if s is not None:
        v2 *= s[0]
        end = s[1]
        if c.value * s[0] <= v2 and toks[c.j - 1].kind == "num":
            c.value *= s[0]  # "1.3 to 1.7 million": the scale applies to both
    lo, hi = sorted((c.value, v2))
    if lo == hi:
        return
    if c.bare_digits and s is None and _is_year_token(toks[c.j - 1]) and _is_year_token(toks[k]):
        c.j = end  # 2014–2017: a span of years, the dates extractor's business
        return
    c.low, c.high, c.value = lo, hi, (lo + hi) / 2
    c.j = end
    if opener in ("between", "from", "بين", "من", "وبين"):
        c.i -= 1
    c.notes.append("range")


def _year_like(v: float) -> bool:
    return v.is_integer() and 1000 <= v <= 2100


def _is_year_token(t: _Tok) -> bool:
    """Four digits without separators, 1000-2100: what a year looks like."""
    return bool(_FOUR_DIGITS_RE.fullmatch(t.norm)) and _year_like(float(t.norm))


def _to_mention(c: _Cand, toks: list[_Tok], text: str, offset: int) -> Mention | None:
    era = c.j < len(toks) and toks[c.j].norm.rstrip(".") in _ERA_MARKERS
    if era and c.unit is None and c.role is None:
        return None  # 512 BC, 833 م: a year, the dates extractor's business
    if c.bare_digits and c.low is None:
        num = next(t for t in toks[c.i : c.j] if t.kind == "num")
        if _is_year_token(num) and c.hedge is None:
            return None  # a bare year: the dates extractor's business
    value = c.value
    low = c.low if c.low is not None else value
    high = c.high if c.high is not None else value
    approx = c.hedge is not None
    if c.hedge == "min" and c.low is None:
        low, high = value, value * DEFAULT_POLICY.open_bound_factor
    elif c.hedge == "max" and c.low is None:
        low, high = value / DEFAULT_POLICY.open_bound_factor, value
    start, end = toks[c.i].start, toks[c.j - 1].end
    q = Quantity(value=value, low=low, high=high, unit=c.unit, approx=approx, ordinal=c.ordinal)
    return Mention(kind="number", value=q, surface=text[start:end], start=offset + start,
                   end=offset + end, role=c.role, note="; ".join(c.notes))


_IDLE, _WEAK, _STRONG = 0, 1, 2  # what a word can do in a sentence without digits


def _relevance(norm: str, lang: Lang) -> int:
    """What a word token of this normalised form can start in a sentence without digits.

    `_STRONG`: a number in words, a scale word, a dual, a fraction word, an ordinal (a
    military unit, an age), as the word alone says. `_WEAK`: only with the tokens after
    it: a fraction phrase it may begin ("one-half"), or English "a"/"one" before a scale
    word ("a million"). `_IDLE`: nothing; a percent phrase ("في المئة") only makes the
    main loop pass over its words.
    """
    fractions = fraction_words(lang)
    ords = ordinal_words(lang)
    if lang != "ar":
        strong = (
            (norm in number_words(lang) and norm not in ("a", "one"))  # `_word_number`
            or norm in dual_words(lang)
            or norm in fractions
            or norm in ords
        )
        weak = norm in ("a", "one")
    else:
        words, ordinals = _index(number_words(lang)), _index(ords)
        strong = (
            norm in words.clitic
            or norm in words.clitic_heads
            or norm in _index(scale_words(lang)).clitic
            or norm in _index(fractions).clitic
            or (norm.startswith("و") and norm[1:] in fractions)
            or _dual_word(norm, lang) is not None
            or norm in ordinals.heads
            or norm in ordinals.clitic
        )
        weak = False
    if strong:
        return _STRONG
    return _WEAK if weak or _may_start_phrase(norm, fractions, lang) else _IDLE


class _Relevance(dict[tuple[str, str], int]):
    """(latin, word) token as `_WORDS_RE` finds it -> `_relevance` of its normalised
    form, filled on demand."""

    LIMIT = 200_000  # entries kept before starting afresh

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, key: tuple[str, str]) -> int:
        latin, word = key
        norm = normalize_en(latin) if latin else normalize(word, self.lang)
        got = self[key] = _relevance(norm, self.lang)
        return got


_RELEVANCE: dict[str, _Relevance] = {}


def _may_hold_numbers(masked: str, lang: Lang) -> bool:
    """False only when `_numbers_in` finds nothing in the (masked) sentence.

    With a digit it may. Without, only from a word (`_relevance`): a `_STRONG` one may, a
    `_WEAK` one is read with the tokens that follow it, by the readers that need them: a
    fraction phrase (`_match_phrase`), a number in words (`_word_number`), both of which
    look only forward.
    """
    if _DIGIT_RE.search(masked) is not None:
        return True
    memo = _RELEVANCE.get(lang)
    if memo is None or len(memo) > _Relevance.LIMIT:
        memo = _RELEVANCE[lang] = _Relevance(lang)
    seen = set(map(memo.__getitem__, _WORDS_RE.findall(masked)))
    if _STRONG in seen:
        return True
    if _WEAK not in seen:
        return False
    fractions = fraction_words(lang)
    for m in _WORDS_RE.finditer(masked):
        if memo[m.group(1) or "", m.group(2) or ""] != _WEAK:
            continue
        # the token and the two after it, as `_tokenise` reads them
        local = _tokenise(masked, lang, masked=True, pos=m.start(), limit=3)
        if (_match_phrase(local, 0, fractions, lang) is not None
                or _word_number(local, 0, lang) is not None):
            return True
    return False


def extract_numbers(text: str, offset: int, lang: Lang) -> list[Mention]:
    """Numbers and quantities of one sentence, as `Mention`s sorted by start.

    Args:
        text: The sentence text (original, not normalised).
        offset: Offset of the sentence in its document; added to every mention offset so
            that `doc.text[m.start:m.end] == m.surface`.
        lang: "ar" or "en".

    Returns:
        Mentions of kind "number" whose value is a `Quantity` (`unit` = unit code, counted
        noun class or military formation; `role` = counted noun class or "unit").

    Example:
        >>> ms = extract_numbers("50 مقاتل داعش و23 مقاتل مؤيد للحكومة", 0, "ar")
        >>> [(m.value.value, m.role) for m in ms]
        [(50.0, 'fighter'), (23.0, 'fighter')]
    """
    masked = _mask(text)
    if not _may_hold_numbers(masked, lang):
        return []
    toks = _tokenise(masked, lang, masked=True)
    out: list[Mention] = []
    for c in _numbers_in(toks, text, lang):
        m = _to_mention(c, toks, text, offset)
        if m is not None:
            out.append(m)
    return sorted(out, key=lambda m: (m.start, m.end))


# ----------------------------------------------------------------------------- comparison


def unit_dimension(unit: str | None) -> str | None:
    """Dimension of a measure unit ("length", "area", "percent", "currency:usd"), else None."""
    return UNIT_DEFS[unit][0] if unit in UNIT_DEFS else None


def _ancestors(role: str) -> list[str]:
    out = [role]
    while out[-1] in ROLE_PARENTS:
        out.append(ROLE_PARENTS[out[-1]])
    return out


def pairing_evidence(a: Mention, b: Mention) -> float | None:
    """How strongly two number mentions fill the same slot, or None when they cannot.

    1.0 = same unit dimension, same counted noun or same military formation; 0.7 = related
    counted nouns (civilians / people); 0.4 = one side says nothing about what it counts;
    None = incompatible (km vs percent, fighters vs villages, ordinal vs count).

    >>> from nlp.records import Quantity as Q
    >>> m = lambda v, u: Mention("number", Q(v, v, v, unit=u), str(v), 0, 1, role=u)
    >>> pairing_evidence(m(50, "fighter"), m(50, "fighter"))
    1.0
    >>> pairing_evidence(m(5, "km"), m(5, "percent")) is None
    True
    """
    qa, qb = a.value, b.value
    assert isinstance(qa, Quantity) and isinstance(qb, Quantity)
    if qa.ordinal != qb.ordinal:
        return None
    if qa.ordinal:
        return 1.0 if qa.unit == qb.unit else None
    da, db = unit_dimension(qa.unit), unit_dimension(qb.unit)
    if da and db:
        return 1.0 if da == db else None
    if da or db:
        other = qb.unit if da else qa.unit
        return 0.4 if other is None else None
    if qa.unit is None or qb.unit is None:
        return 0.4
    if qa.unit == qb.unit:
        return 1.0
    if qa.unit in _ancestors(qb.unit) or qb.unit in _ancestors(qa.unit):
        return 0.7
    # "13 civilian deaths" / "13 قتيلا": what happened to people pairs with who they were
    if {qa.unit, qb.unit} & _EVENT_ROLES and {"person"} & set(_ancestors(qa.unit)) & set(
        _ancestors(qb.unit)
    ):
        return 0.7
    return None


def _interval(q: Quantity, policy: ComparePolicy) -> tuple[float, float, str]:
    v = q.value
    if q.ordinal:
        return v, v, "exact"
    if q.low == q.high:
        if q.approx:
            t = policy.approx_tolerance
            return v * (1 - t), v * (1 + t), "approx"
        return v, v, "exact"
    if q.low == v and q.high > v:
        return v, v * policy.open_bound_factor, "min"
    if q.high == v and q.low < v:
        return v / policy.open_bound_factor, v, "max"
    if q.approx:
        t = policy.approx_tolerance
        return q.low * (1 - t), q.high * (1 + t), "approx range"
    return q.low, q.high, "range"


def _exact_agreement(va: float, vb: float, policy: ComparePolicy) -> str | None:
    """"equal", "rounding" (one figure rounds to the other) or None for two exact numbers."""
    if va == vb or abs(va - vb) <= policy.number_rel_tol * max(abs(va), abs(vb)):
        return "equal"
    coarse = max(_precision(va), _precision(vb))
    rel = abs(va - vb) / max(abs(va), abs(vb))
    # a round figure (1,500; 1.5 million) or a computed one (a third, a conversion) may
    # stand for a more precise one; 20 vs 21 is a difference, not rounding
    roundish = coarse >= policy.rounding_min_unit or not (
        float(va).is_integer() and float(vb).is_integer()
    )
    if (policy.rounding_agrees and roundish and abs(va - vb) <= coarse / 2
            and rel <= policy.approx_tolerance):
        return "rounding"
    return None


def _precision(v: float) -> float:
    """The unit of the last significant digit: 1,500 -> 100; 5.7 -> 0.1; 17 -> 1."""
    if v == 0:
        return 1.0
    if float(v).is_integer():
        iv, p = int(abs(v)), 1
        while iv % 10 == 0 and iv >= 10:
            iv //= 10
            p *= 10
        return float(p)
    s = f"{abs(v):.6f}".rstrip("0")
    return 10.0 ** -(len(s.split(".")[1]))


def _convert(q: Quantity, to_unit: str | None) -> tuple[Quantity, str]:
    if q.unit == to_unit or q.unit not in UNIT_DEFS or to_unit not in UNIT_DEFS:
        return q, ""
    f = UNIT_DEFS[q.unit][1] / UNIT_DEFS[to_unit][1]
    conv = Quantity(q.value * f, q.low * f, q.high * f, to_unit, q.approx, q.ordinal)
    return conv, f"{describe_quantity(q)} = {describe_quantity(conv)}"


def _fmt(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def describe_quantity(q: Quantity) -> str:
    """Short human form: '1,500 civilian', 'more than 2,000', '1,300–1,700 km2', '4th brigade'.

    >>> describe_quantity(Quantity(2000, 2000, 3000, approx=True))
    'more than 2,000'
    """
    unit = f" {q.unit}" if q.unit else ""
    if q.ordinal:
        n = int(q.value)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}{unit}"
    if q.low == q.high:
        return f"{'about ' if q.approx else ''}{_fmt(q.value)}{unit}"
    if q.low == q.value:
        return f"more than {_fmt(q.value)}{unit}"
    if q.high == q.value:
        return f"less than {_fmt(q.value)}{unit}"
    return f"{_fmt(q.low)}–{_fmt(q.high)}{unit}"


def compare_numbers(a: Quantity, b: Quantity, policy: ComparePolicy = DEFAULT_POLICY) -> Verdict:
    """Do two quantities of the same slot agree?

    Exact numbers agree when equal (within `policy.number_rel_tol`), or when the more precise
    one rounds to the rounder one, the rounder one is round (`policy.rounding_min_unit`) and
    they differ by at most `policy.approx_tolerance` (`policy.rounding_agrees`). Hedges and
    ranges are intervals (`about` ± `approx_tolerance`, `more than X` up to
    `X * open_bound_factor`) and agree when they overlap. Units of one dimension are
    converted first (1 mi = 1.609 km).

    >>> compare_numbers(Quantity(2000, 2000, 3000, approx=True), Quantity(2000, 2000, 2000)).status
    'agree'
    >>> compare_numbers(Quantity(1500, 1500, 1500), Quantity(1800, 1800, 1800)).reason
    'number: 1,500 vs 1,800 (values differ)'
    """
    b2, conv_note = _convert(b, a.unit)
    notes = [f"converted {conv_note}"] if conv_note else []
    desc = f"number: {describe_quantity(a)} vs {describe_quantity(b)}"
    lo_a, hi_a, kind_a = _interval(a, policy)
    lo_b, hi_b, kind_b = _interval(b2, policy)

    def verdict(status: str, rule: str, why: str, conf: float) -> Verdict:
        detail = "; ".join([why, *notes])
        return Verdict(status, rule, f"{desc} ({detail})", conf)  # type: ignore[arg-type]

    if a.ordinal or b.ordinal:
        if a.value == b2.value:
            return verdict("agree", "number.same_ordinal", "same unit number", 0.95)
        return verdict("conflict", "number.ordinal_differs", "unit numbers differ", 0.9)
    if kind_a == kind_b == "exact":
        how = _exact_agreement(a.value, b2.value, policy)
        if how == "equal":
            return verdict("agree", "number.equal", "same value", 0.95)
        if how == "rounding":
            coarse = max(_precision(a.value), _precision(b2.value))
            return verdict("agree", "number.rounding", f"equal after rounding to {_fmt(coarse)}",
                           0.8)
        return verdict("conflict", "number.differs", "values differ", 0.9)
    eps = 1e-9 * max(abs(hi_a), abs(hi_b), 1.0)
    if kind_a == kind_b and abs(lo_a - lo_b) <= eps and abs(hi_a - hi_b) <= eps:
        return verdict("agree", "number.equal", f"same {kind_a} interval", 0.95)
    if kind_a == kind_b == "range":
        # two stated ranges ("between 5 and 14" / "10 to 28") say the same only when their
        # ends do; overlapping is not agreeing
        ends = [_exact_agreement(x, y, policy) for x, y in ((lo_a, lo_b), (hi_a, hi_b))]
        if all(ends):
            return verdict("agree", "number.same_range", "same range ends" + (
                " after rounding" if "rounding" in ends else ""), 0.9)
        return verdict("conflict", "number.range_differs", "range ends differ", 0.9)
    if lo_a <= hi_b + eps and lo_b <= hi_a + eps:
        hedged = [k for k in (kind_a, kind_b) if k != "exact"]
        return verdict("agree", "number.interval_overlap",
                       f"intervals overlap ({', '.join(sorted(set(hedged)))})", 0.85)
    return verdict("conflict", "number.interval_disjoint", "intervals do not overlap", 0.85)

"""Dates in Arabic and English text as `Mention`s, and the date comparator.

Two steps, as spaCy's components split predict from set_annotations:

1. `find_date_candidates(text, lang)` finds date expressions in one sentence and reads
   what the text states (day, month, year, calendar, range ends, season, relative offset,
   duration) without any context.
2. `extract_dates(doc, sentences, published=...)` walks the candidates in document order
   and resolves what the text leaves open: a missing year (from the last explicit date, else
   the publication date, else the first explicit date later in the document), relative
   dates ("the next day" = the last day-precise date + 1), "last September", durations.

Matching runs on a normalised copy of the text (`nlp.normalize`) in which month names and
ordinal day words are replaced by one private-use character each (a "skeleton"), so the
patterns stay small; two offset maps take every match back to the original text.

`compare_dates(a, b, policy)` decides whether two `DateValue`s agree;
`compare_date_mentions(a, b, policy)` does the same for mentions and also knows durations
("for three years" vs "From 2014 until 2017") and where an inferred year came from.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from hijridate import Hijri

from nlp.lang.months import (
    MonthName,
    duration_counts,
    duration_fractions,
    duration_units,
    month_names,
    ordinal_days,
    relative_phrases,
    season_phrases,
    year_blockers,
)
from nlp.normalize import arabic_ratio, normalize, normalize_ar
from nlp.policy import DEFAULT_POLICY, ComparePolicy, Verdict
from nlp.records import DateValue, Document, Lang, Mention, Sentence

log = logging.getLogger(__name__)

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# --------------------------------------------------------------------------- skeleton

_GREG0 = 0xE000  # gregorian month m -> chr(_GREG0 + m)
_HIJ0 = 0xE010  # hijri month m -> chr(_HIJ0 + m)
_ORD0 = 0xE040  # ordinal day d -> chr(_ORD0 + d)
G = "[\ue001-\ue00c]"
H = "[\ue011-\ue01c]"
_ORD = "[\ue041-\ue05f]"

# word boundaries on normalised text; Arabic words may carry one proclitic (و ف ب ل ك)
_WB_AR = r"(?:(?<![^\W\d_])|(?<=(?<![^\W\d_])[وفبلك]))"
_WB_EN = r"(?<![^\W\d_])"
_WE = r"(?![^\W\d_])"


@dataclass(frozen=True, slots=True)
class _Skeleton:
    text: str  # the skeleton
    source: str  # the original text
    marks: tuple[tuple[int, int, int], ...]  # placeholders: (skeleton index, norm start, end)
    orig: Sequence[int]  # norm index -> original index
    months: dict[int, MonthName]  # skeleton index -> the month name found there
    runs: frozenset[str]  # the runs of letters of `text` (`_letter_runs`), maybe more

    def _norm_span(self, k: int) -> tuple[int, int]:
        """The span of normalised text that skeleton char `k` stands for."""
        j = bisect.bisect_right(self.marks, (k, _INF, _INF)) - 1
        if j < 0:
            return k, k + 1
        at, start, end = self.marks[j]
        if at == k:
            return start, end
        n = end + (k - at - 1)
        return n, n + 1

    def to_orig(self, start: int, end: int) -> tuple[int, int]:
        ns, ne = self._norm_span(start)[0], self._norm_span(end - 1)[1]
        o_end = self.orig[ne - 1] + 1
        # keep a trailing tatweel or diacritic (هـ) inside the span
        while (
            o_end < len(self.source)
            and self.source[o_end] != " "
            and not normalize_ar(self.source[o_end])
        ):
            o_end += 1
        return self.orig[ns], o_end


_INF = 1 << 62  # sorts after any offset


class _CharTable(dict[int, str]):
    """Code point -> its normalisation in one language (`nlp.normalize.normalize`, one
    character at a time), filled as `str.translate` meets new characters."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang
        self.irregular: set[str] = set()  # characters normalised to other than one char
        self.irregular_re: re.Pattern[str] | None = None  # finds them

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        n = normalize(ch, self.lang)
        if self.lang == "en" and n == "'":
            n = ""  # Sha'ban = Shaban, as the lists are loaded (1990's = 1990s)
        self[code] = n
        if len(n) != 1:
            self.irregular.add(ch)
            self.irregular_re = re.compile(
                "[" + "".join(re.escape(c) for c in sorted(self.irregular)) + "]"
            )
        return n


_CHAR_TABLES: dict[str, _CharTable] = {}


def _normalise_with_map(text: str, lang: Lang) -> tuple[str, Sequence[int]]:
    """Normalise char by char so each normalised char knows its original index.

    Each character is normalised on its own, through a table (`str.translate`). The
    offset map is the identity between the characters that stay one character; only the
    others (diacritics, tatweel, apostrophes, ligatures) are visited one by one.
    """
    table = _CHAR_TABLES.get(lang)
    if table is None:
        table = _CHAR_TABLES[lang] = _CharTable(lang)
    norm = text.translate(table)
    irregular = table.irregular_re
    if irregular is None:
        return norm, range(len(text))
    idx: list[int] | None = None
    done = 0
    for m in irregular.finditer(text):
        if idx is None:
            idx = []
        i = m.start()
        idx.extend(range(done, i))
        idx.extend([i] * len(table[ord(text[i])]))
        done = i + 1
    if idx is None:
        return norm, range(len(text))
    idx.extend(range(done, len(text)))
    return norm, idx


_LETTERS_RE = re.compile(r"[^\W\d_]+")
_PROCLITICS = "وفبلك"


def _letter_runs(text: str) -> frozenset[str]:
    """The maximal runs of letters of `text` (what `_WB_*` and `_WE` delimit)."""
    return frozenset(_LETTERS_RE.findall(text))


@dataclass(frozen=True, slots=True)
class _Needs:
    """The letter runs a text must hold for an alternation of list phrases to match in it.

    A match of a phrase (`_phrase_re`, after `_WB_*` or a non-letter, before `_WE` or
    another non-letter) holds, as whole runs of letters, the leading letters of each of
    its words; after `_WB_AR` the first word may carry a proclitic (و ف ب ل ك), a phrase
    of its own here. So the alternation can match only a text holding all the runs of
    some phrase. `by_key` files each phrase's runs under one of them (its longest).
    """

    by_key: dict[str, tuple[frozenset[str], ...]]
    always: bool  # some phrase needs no run: no text can be ruled out
    keys: frozenset[str] = frozenset()  # of `by_key`

    @classmethod
    def of(cls, phrases: Iterable[str], *, proclitic: bool = False) -> _Needs:
        """What an alternation of `phrases` needs; `proclitic` when it follows `_WB_AR`."""
        by_key: dict[str, list[frozenset[str]]] = {}
        listed = list(phrases)
        if proclitic:
            listed += [c + p for c in _PROCLITICS for p in listed]
        for phrase in listed:
            runs = frozenset(
                m.group() for m in map(_LETTERS_RE.match, phrase.split(" ")) if m is not None
            )
            if not runs:
                return cls({}, True)
            by_key.setdefault(max(sorted(runs), key=len), []).append(runs)
        if not by_key:
            return cls({}, True)  # an empty alternation matches the empty string
        return cls({k: tuple(v) for k, v in by_key.items()}, False, frozenset(by_key))

    def met(self, runs: frozenset[str]) -> bool:
        """Whether some phrase may match a text with these runs (`_letter_runs`)."""
        if self.always:
            return True
        hits = runs & self.keys
        if not hits:
            return False
        by_key = self.by_key
        return any(need <= runs for key in hits for need in by_key[key])


@dataclass(frozen=True, slots=True)
class _Starts:
    """Where a match of an alternation of list phrases can start, to look only there.

    A match of a phrase (`_phrase_re`, after `_WB_*`) starts where a run of letters starts
    (`_letter_runs`), and that run is the leading letters of the phrase's first word (the
    word ends at a non-letter: a space, a hyphen, the end of the phrase before `_WE`);
    after `_WB_AR` it may also start one letter into a run whose first letter is a
    proclitic (و ف ب ل ك), the rest of the run being those letters.

    Attributes:
        firsts: The leading letters of each phrase's first word; None when some phrase
            starts with no letter (then a match may start anywhere).
        proclitic: The alternation follows `_WB_AR`.
    """

    firsts: frozenset[str] | None
    proclitic: bool
    glued: frozenset[str] = frozenset()  # with `proclitic`: each first after each proclitic

    @classmethod
    def of(cls, phrases: Iterable[str], *, proclitic: bool = False) -> _Starts:
        """Where an alternation of `phrases` may start; `proclitic` when it follows `_WB_AR`."""
        firsts: set[str] = set()
        for phrase in phrases:
            lead = _LETTERS_RE.match(phrase.split(" ")[0])
            if lead is None:
                return cls(None, proclitic)
            firsts.add(lead.group())
        glued = frozenset(c + f for c in _PROCLITICS for f in firsts) if proclitic else frozenset()
        return cls(frozenset(firsts), proclitic, glued)

    def finditer(
        self, pat: re.Pattern[str], text: str, runs: frozenset[str]
    ) -> Iterator[re.Match[str]]:
        """The matches `pat.finditer(text)` finds, `pat` being the alternation (none empty)
        and `runs` the runs of letters of `text`, trying it only at the starts this allows
        (found with `str.find`), in order, each after the last match."""
        firsts = self.firsts
        if firsts is None:
            yield from pat.finditer(text)
            return
        tries = [at for word in runs & firsts for at in _run_starts(text, word)]
        for word in runs & self.glued:
            tries += [at + 1 for at in _run_starts(text, word)]
        tries.sort()
        pos = 0
        for k in tries:
            if k < pos:
                continue
            m = pat.match(text, k)
            if m is not None:
                yield m
                pos = m.end()


def _run_starts(text: str, word: str) -> list[int]:
    """Where `word` (letters) stands in `text` as a whole run of letters."""
    out = []
    end = len(word)
    at = text.find(word)
    while at >= 0:
        if (at == 0 or _LETTERS_RE.match(text, at - 1, at) is None) and (
            _LETTERS_RE.match(text, at + end, at + end + 1) is None
        ):
            out.append(at)
        at = text.find(word, at + 1)
    return out


def _phrase_re(phrase: str) -> str:
    """Regex for a normalised list phrase: spaces match any whitespace or a hyphen (en)."""
    parts = [re.escape(p) for p in phrase.split(" ")]
    return r"[\s-]+".join(parts)


@lru_cache(maxsize=4)
def _month_re(lang: Lang) -> re.Pattern[str]:
    alts = []
    for i, m in enumerate(month_names(lang)):
        body = _phrase_re(m.surface)
        if lang == "en" and _is_abbreviation(m):
            body += r"\.?"
        alts.append(f"(?P<m{i}>{body})")
    wb = _WB_AR if lang == "ar" else _WB_EN
    return re.compile(wb + "(?:" + "|".join(alts) + ")" + _WE)


@lru_cache(maxsize=4)
def _ordinal_re(lang: Lang) -> re.Pattern[str]:
    words = sorted(ordinal_days(lang), key=len, reverse=True)
    wb = _WB_AR if lang == "ar" else _WB_EN
    return re.compile(wb + "(?:" + "|".join(_phrase_re(w) for w in words) + ")" + _WE)


@dataclass(frozen=True, slots=True)
class _PhraseScan:
    """An alternation of list phrases (month names, ordinal day words) with its two exact
    shortcuts: the letter runs a text must hold (`_Needs`) and where a match can start
    (`_Starts`)."""

    pattern: re.Pattern[str]
    needs: _Needs
    starts: _Starts

    @classmethod
    def of(cls, pattern: re.Pattern[str], phrases: Sequence[str], lang: Lang) -> _PhraseScan:
        proclitic = lang == "ar"  # the patterns follow `_WB_AR`
        return cls(
            pattern,
            _Needs.of(phrases, proclitic=proclitic),
            _Starts.of(phrases, proclitic=proclitic),
        )

    def finditer(self, text: str, runs: frozenset[str]) -> Iterator[re.Match[str]]:
        """What `self.pattern.finditer(text)` finds, `runs` being the letter runs of `text`."""
        if not self.needs.met(runs):
            return iter(())
        return self.starts.finditer(self.pattern, text, runs)


@lru_cache(maxsize=4)
def _month_scan(lang: Lang) -> _PhraseScan:
    return _PhraseScan.of(_month_re(lang), [m.surface for m in month_names(lang)], lang)


@lru_cache(maxsize=4)
def _ordinal_scan(lang: Lang) -> _PhraseScan:
    return _PhraseScan.of(_ordinal_re(lang), list(ordinal_days(lang)), lang)


def _skeleton(text: str, lang: Lang) -> _Skeleton:
    """Replace month names (merging combined forms) and ordinal day words by one char each."""
    norm, orig = _normalise_with_map(text, lang)
    runs = _letter_runs(norm)
    names = month_names(lang)
    hits: list[tuple[int, int, str, MonthName | None]] = []  # norm start, end, placeholder
    for m in _month_scan(lang).finditer(norm, runs):
        name = names[int(m.lastgroup[1:])]  # type: ignore[index]  # the one group m<i>
        if lang == "en" and not text[orig[m.start()]].isupper():
            continue  # "may" the verb, "march" the verb
        base = _GREG0 if name.calendar == "gregorian" else _HIJ0
        hits.append((m.start(), m.end(), chr(base + name.month), name))
    # combined forms: سبتمبر-أيلول, أيلول/سبتمبر, سبتمبر (أيلول) are one month
    merged: list[tuple[int, int, str, MonthName | None]] = []
    for h in hits:
        if merged and merged[-1][2] == h[2]:
            prev = merged[-1]
            gap = norm[prev[1] : h[0]]
            if re.fullmatch(r"\s*[-/–]\s*", gap):
                merged[-1] = (prev[0], h[1], h[2], _less_ambiguous(prev[3], h[3]))
                continue
            close = re.match(r"\s*\)", norm[h[1] :])
            if re.fullmatch(r"\s*\(\s*", gap) and close:
                merged[-1] = (prev[0], h[1] + close.end(), h[2], _less_ambiguous(prev[3], h[3]))
                continue
        merged.append(h)
    ords = ordinal_days(lang)
    for m in _ordinal_scan(lang).finditer(norm, runs):
        if any(s < m.end() and m.start() < e for s, e, _, _ in merged):
            continue
        key = " ".join(m.group().replace("-", " ").split())
        day = ords.get(key) or ords.get(key.replace(" ", "-"))
        if day:
            merged.append((m.start(), m.end(), chr(_ORD0 + day), None))
    if not merged:
        return _Skeleton(norm, text, (), orig, {}, runs)
    merged.sort()
    pieces: list[str] = []
    marks: list[tuple[int, int, int]] = []
    months: dict[int, MonthName] = {}
    pos = 0
    size = 0  # length of the skeleton so far
    for s, e, ph, found in merged:
        if s > pos:
            pieces.append(norm[pos:s])
            size += s - pos
        if found is not None:
            months[size] = found
        marks.append((size, s, e))
        pieces.append(ph)
        size += 1
        pos = e
    pieces.append(norm[pos:])
    skeleton = "".join(pieces)
    # The runs of letters of the skeleton are those of the pieces of `norm` between
    # placeholders: whole runs of `norm`, and the proclitic a placeholder may follow (a
    # placeholder starts a run or follows its proclitic, and ends one). `runs` and these
    # proclitics hold them all, which is what the word gates need (`_Needs.met`).
    cut = {norm[s - 1] for s, _, _, _ in merged if s and _LETTERS_RE.match(norm, s - 1, s)}
    return _Skeleton(skeleton, text, tuple(marks), orig, months, runs | cut if cut else runs)


def _less_ambiguous(a: MonthName | None, b: MonthName | None) -> MonthName | None:
    """Of two spellings merged into one month (سبتمبر-أيلول), the one needing no context."""
    if a is None or b is None:
        return a or b
    return a if not a.needs_context else b


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class DatePart:
    """What the text states about one date: any of year, month, day may be missing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date expression in one sentence, before context resolves it.

    Attributes:
        start, end: Offsets into the sentence text.
        form: "point" (one date: day, month or year), "range", "season", "hijri",
            "relative", "duration".
        a, b: The stated parts (b only for ranges).
        value: A fully stated value (Hijri dates, numeric dates, seasons with a year).
        season: For a season without a year: ((start_m, start_d), (end_m, end_d)).
        offset, unit, anchor: For relative dates ("day"|"year", "context"|"published").
        year_shift: -1 for "last September", +1 for "next March", else 0.
        amount, hedge, since: For durations: (count, unit), "exact"|"more"|"less"|"about",
            and whether it runs up to the time of writing ("since", "منذ").
        note: What the reader should know about how the text was read.
    """

    start: int
    end: int
    form: str
    a: DatePart = DatePart()
    b: DatePart | None = None
    value: DateValue | None = None
    season: tuple[tuple[int, int], tuple[int, int]] | None = None
    part: str | None = None
    offset: int = 0
    unit: str = "day"
    anchor: str = "context"
    year_shift: int = 0
    amount: tuple[float, str] | None = None
    hedge: str = "exact"
    since: bool = False
    note: str = ""


def _w(words: str, lang: Lang) -> str:
    """Alternation of normalised words ("|"-separated), longest first."""
    parts = sorted({" ".join(normalize(w, lang).split()) for w in words.split("|")}, key=len)
    return "(?:" + "|".join(_phrase_re(p) for p in reversed(parts)) + ")"


# A year is not glued to Latin letters: "@Almelden2017" is a user name, "T2017" a code.
_YEAR = (
    r"(?<![\d,.،٬٫])(?<!\d[,.،٬٫])(?<![A-Za-z_])(?:1\d{3}|20\d\d)(?![,.،٬٫]\d)(?!\d)"
    r"(?!'?s\b)(?![A-Za-z])"
)
_DAYNUM = r"(?<![\d,.،٬٫])(?:0?[1-9]|[12]\d|3[01])(?![\d]|[,.،٬٫]\d)"


# Era markers after a year: Arabic words ("|"-separated), English a regex alternation.
_ERAS = {"ar": "م|ميلادي|ميلادية|هـ|ه|هجري|هجرية", "en": r"ad|ce|ah|a\.d\.|a\.h\.|bc|bce"}


class _Parts(NamedTuple):
    """Templates shared by the date patterns and their gates (`{d}`, `{m}`: group names)."""

    the: str  # what may come before a day number
    suffix: str  # what may follow its digits
    day_end: str  # what may follow the day
    month: str  # a month
    sep: str  # between the ends of a range
    and_: str  # between two days or months ("between ... and ...")


def _parts(lang: Lang) -> _Parts:
    if lang == "ar":
        return _Parts(
            "",
            "",
            rf"(?:\s+{_w('من', lang)})?(?:\s+{_w('شهر', lang)})?",
            rf"(?:{_w('شهر|شهري', lang)}\s+)?(?P<{{m}}>{G})",
            rf"(?:\s*[-–—]\s*|\s+{_w('إلى|الى|حتى|لغاية|ولغاية', lang)}\s+)",
            r"(?:\s*و\s*)",
        )
    return _Parts(
        r"(?:the\s+)?",
        "(?:st|nd|rd|th)?",
        r"(?:\s+of)?",
        rf"(?P<{{m}}>{G})",
        r"(?:\s*[-–—]\s*|\s+(?:to|until|till|through)\s+)",
        r"(?:\s+and\s+)",
    )


@lru_cache(maxsize=4)
def _dm_gate(lang: Lang) -> re.Pattern[str]:
    """Found in every text where a day before a month (`dm` of `_patterns`) is: from the
    last character of the day number or the ordinal day on, the rest of `dm`."""
    p = _parts(lang)
    return re.compile(rf"(?:\d{p.suffix}|{_ORD}){p.day_end}\s*{p.month.replace('{m}', 'm')}")


@lru_cache(maxsize=4)
def _dd_gate(lang: Lang) -> re.Pattern[str]:
    """Found in every text where a day, a separator and a day (`range_dd`, `range_mdd`)
    are: from the last character of the first day number or ordinal day to the first
    character of the second."""
    p = _parts(lang)
    return re.compile(
        rf"(?:\d{p.suffix}|{_ORD}){p.day_end}(?:{p.sep}|{p.and_}){p.the}(?:\d|{_ORD})"
    )


@lru_cache(maxsize=4)
def _patterns(lang: Lang) -> dict[str, re.Pattern[str]]:
    """The date patterns for one language, over the skeleton."""
    wb = _WB_AR if lang == "ar" else _WB_EN
    the, suffix, day_end, month, sep, and_ = _parts(lang)
    day = rf"(?:{the}(?P<{{d}}>{_DAYNUM}{suffix}|{_ORD}){day_end})"
    if lang == "ar":
        year_word = _w("العام|عام|سنة|السنة|لعام|للعام", lang)
        yc = rf"(?:\s*[,،]?\s*(?:{_w('من', lang)}\s+)?(?:{wb}{year_word}\s+)?)"
        era = rf"(?:\s*(?P<{{e}}>{_w(_ERAS['ar'], lang)}){_WE})?"
        pre = rf"(?:(?P<pre>{wb}{_w('بين|من|منذ', lang)})\s+)?"
        year_cue = rf"{wb}{_w('العام|عام|سنة|السنة|لعام|للعام|عامي|العامين|سنتي', lang)}\s+"
        prep = rf"{wb}{_w('في|منذ|حتى|خلال|قبل|بعد|بحلول|مطلع|نهاية|أواخر', lang)}\s+"
        last = rf"(?:\s+(?P<shift>{_w('الماضي|الفائت|المنصرم|المقبل|القادم', lang)}){_WE})?"
    else:
        yc = r"(?:\s*,?\s*(?:of\s+)?)"
        era = rf"(?:\s*(?P<{{e}}>{_ERAS['en']}){_WE})?"
        pre = rf"(?:(?P<pre>{wb}(?:between|from|since))\s+)?"
        year_cue = rf"{wb}(?:the\s+)?(?:year|years)\s+"
        prep = rf"{wb}(?:in|since|until|till|by|during|of|from|before|after|early|late|mid)[\s-]+"
        last = ""
        last_pre = r"(?:(?P<shift>last|next)\s+)?"

    def yr(s: str) -> str:
        return rf"(?P<y{s}>{_YEAR}){era.replace('{e}', 'e' + s)}"

    def dm(s: str) -> str:
        return day.replace("{d}", "d" + s) + r"\s*" + month.replace("{m}", "m" + s)

    def md(s: str) -> str:  # English month-first: October 17, 2017
        return month.replace("{m}", "m" + s) + rf"\s*(?P<d{s}>{_DAYNUM}(?:st|nd|rd|th)?)"

    pats: dict[str, str] = {}
    pats["iso"] = (
        r"(?<![\d/.-])(?P<y>\d{4})(?P<sp>[-/])(?P<m>\d{1,2})(?P=sp)(?P<d>\d{1,2})(?![\d/])"
    )
    pats["numeric"] = (
        r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sp>[/.-])(?P<m>\d{1,2})(?P=sp)(?P<y>\d{4})(?![\d/])"
    )
    pats["hijri_day"] = rf"{day.replace('{d}', 'd1')}\s*(?P<m1>{H}){yc}{yr('1')}"
    pats["hijri_month"] = rf"(?:{_w('شهر', 'ar')}\s+)?(?P<m1>{H}){yc}{yr('1')}"
    pats["hijri_year"] = rf"(?:{year_cue})?{yr('1')}"  # kept only with a Hijri era marker
    # ranges
    pats["range_dd"] = (
        rf"{pre}{day.replace('{d}', 'd1')}(?P<sep>{sep}|{and_}){dm('2')}(?:{yc}{yr('2')})?"
    )
    pats["range_dmdm"] = (
        rf"{pre}{dm('1')}(?:{yc}{yr('1')})?(?P<sep>{sep}|{and_}){dm('2')}(?:{yc}{yr('2')})?"
    )
    pats["range_mm"] = (
        rf"{pre}{month.replace('{m}', 'm1')}(?:{yc}{yr('1')})?(?P<sep>{sep}|{and_})"
        rf"{month.replace('{m}', 'm2')}(?:{yc}{yr('2')})?"
    )
    pats["range_yy"] = rf"{pre}(?:{year_cue})?{yr('1')}(?P<sep>{sep}|{and_}){yr('2')}"
    if lang == "en":
        pats["range_mdmd"] = rf"{pre}{md('1')}(?P<sep>{sep}){md('2')}(?:\s*,?\s*{yr('2')})?"
        pats["range_mdd"] = (
            rf"{pre}{md('1')}(?P<sep>{sep}|{and_})(?P<d2>{_DAYNUM})(?:\s*,?\s*{yr('2')})?"
        )
        pats["day_md"] = rf"{last_pre}{md('1')}(?:\s*,?\s*{yr('1')})?"
    # seasons and parts
    seasons = season_phrases(lang)
    season_alt = "|".join(_phrase_re(s.phrase) for s in seasons if s.kind == "season")
    part_alt = "|".join(_phrase_re(s.phrase) for s in seasons if s.kind == "part")
    year_rel = "|".join(_phrase_re(p.phrase) for p in relative_phrases(lang) if p.unit == "year")
    if lang == "ar":
        # ربيع followed by الأول/الآخر/الثاني is a Hijri month, already replaced by then
        pats["season_year"] = (
            rf"{wb}(?P<s>{season_alt}){_WE}\s+(?:{_w('عام|العام|سنة', lang)}\s+)?{yr('1')}"
        )
        pats["part_year"] = (
            rf"{wb}(?P<p>{part_alt}){_WE}\s+(?:{_w('عام|العام|سنة|السنة', lang)}\s+)?{yr('1')}"
        )
        pats["part_month"] = (
            rf"{wb}(?P<p>{part_alt}){_WE}\s+{month.replace('{m}', 'm1')}(?:{yc}{yr('1')})?"
        )
        pats["part_rel"] = rf"{wb}(?P<p>{part_alt}){_WE}\s+(?P<rel>{year_rel}){_WE}"
    else:
        pats["season_year"] = rf"{wb}(?:the\s+)?(?P<s>{season_alt})\s+(?:of\s+)?{yr('1')}"
        pats["part_year"] = rf"{wb}(?P<p>{part_alt})[\s-]+(?:of\s+)?(?:the\s+year\s+)?{yr('1')}"
        pats["part_month"] = (
            rf"{wb}(?P<p>{part_alt})[\s-]+(?:of\s+)?{month.replace('{m}', 'm1')}(?:{yc}{yr('1')})?"
        )
        pats["part_rel"] = rf"{wb}(?P<p>{part_alt})[\s-]+(?P<rel>{year_rel}){_WE}"
    # points
    pats["day_dm"] = rf"{dm('1')}(?:{yc}{yr('1')})?{last}"
    pats["month_year"] = rf"{month.replace('{m}', 'm1')}{yc}{yr('1')}"
    if lang == "ar":
        pats["month"] = rf"{month.replace('{m}', 'm1')}{last}"
    else:
        pats["month"] = rf"{last_pre}{month.replace('{m}', 'm1')}"
    pats["year_cue"] = rf"(?:{year_cue}|{prep}){yr('1')}"
    pats["year_bare"] = yr("1")
    out = {}
    for k, v in pats.items():
        try:
            out[k] = re.compile(v)
        except re.error as exc:
            raise RuntimeError(f"{lang} {k}: {exc}") from exc
    return out


@lru_cache(maxsize=4)
def _relative_re(lang: Lang) -> re.Pattern[str]:
    wb = _WB_AR if lang == "ar" else _WB_EN
    alts = [_phrase_re(p.phrase) for p in relative_phrases(lang)]
    return re.compile(wb + "(?:" + "|".join(alts) + ")" + _WE)


# Words a duration starts with ("لمدة ثلاث سنوات", "for three years").
_DURATION_CUES = {
    "ar": "لمدة|طيلة|طوال|منذ|خلال|على مدى|على مدار|مدة|قرابة",
    "en": "for|over|during|since|within",
}


@lru_cache(maxsize=4)
def _duration_re(lang: Lang) -> re.Pattern[str]:
    wb = _WB_AR if lang == "ar" else _WB_EN
    units = "|".join(_phrase_re(u) for u in sorted(duration_units(lang), key=len, reverse=True))
    counts = "|".join(_phrase_re(c) for c in sorted(duration_counts(lang), key=len, reverse=True))
    fracs = "|".join(_phrase_re(f) for f in sorted(duration_fractions(lang), key=len, reverse=True))
    if lang == "ar":
        cue = _w(_DURATION_CUES["ar"], lang)
        hedge = _w(
            "أكثر من|اكثر من|أقل من|نحو|حوالي|قرابة|زهاء|ما يقارب|ما يزيد عن|ما يزيد على", lang
        )
        # "عام ونصف" (a year and a half): the fraction follows the unit with و
        frac = rf"(?:\s*و\s*(?P<frac>{fracs}){_WE})?"
        # "خلال اليومين الماضيين", "على مدار السنوات الخمسين الماضية": a definite unit, a
        # definite count after it, then "past" / "last" / "next"
        recent = _w("الماضي|الماضية|الماضيين|الماضيتين|الأخيرة|الاخيرة|الأخيرين|المقبلة|"
                    "المقبلين|القادمة|القادمين", lang)
        return re.compile(
            rf"{wb}(?P<cue>{cue})\s+(?:(?P<hedge>{hedge})\s+)?"
            rf"(?:(?P<n>\d+(?:[.,٫]\d+)?|{counts}){_WE}\s*)?(?P<u>{units}){_WE}{frac}(?!\s*\d)"
            rf"|{wb}(?P<cue3>{cue})\s+ال(?P<u3>{units}){_WE}"
            rf"(?:\s+(?:ال)?(?P<n3>\d+|{counts}){_WE})?\s+(?:{recent}){_WE}"
        )
    hedge = r"more\s+than|over|about|nearly|almost|around|less\s+than|some|at\s+least"
    # "one and a half years" (before the unit), "a year and a half" (after it)
    pre_frac = rf"(?:\s+and\s+(?:a|one)\s+(?P<pfrac>{fracs}))?"
    post_frac = rf"(?:\s+and\s+(?:a|one)\s+(?P<frac>{fracs}){_WE})?"
    return re.compile(
        rf"(?:{wb}(?P<cue>{_DURATION_CUES['en']})\s+(?:the\s+(?:past|last|previous|next)\s+)?"
        rf"(?:(?P<hedge>{hedge})\s+)?(?P<n>\d+(?:\.\d+)?|{counts}){pre_frac}\s+(?P<u>{units}){_WE}"
        rf"{post_frac})"
        rf"|(?:{wb}(?P<n2>\d+|{counts})-(?P<u2>{units})(?:-long)?(?=\s+[a-z]|$))"
    )


_HEDGES = {
    "more": ("اكثر من", "ما يزيد عن", "ما يزيد علي", "more than", "over", "at least"),
    "less": ("اقل من", "less than"),
}


def _hedge_kind(text: str | None) -> str:
    if not text:
        return "exact"
    t = " ".join(text.split())
    for kind, words in _HEDGES.items():
        if t in words:
            return kind
    return "about"


def _day_of(text: str) -> int:
    if text and _ORD0 < ord(text[0]) < _ORD0 + 32:
        return ord(text[0]) - _ORD0
    return int(re.sub(r"\D", "", text))


def _month_of(text: str) -> int:
    return (ord(text[0]) - _GREG0) if ord(text[0]) < _HIJ0 else (ord(text[0]) - _HIJ0)


def _valid(y: int | None, m: int, d: int | None) -> bool:
    try:
        dt.date(y or 2000, m, d or 1)  # 2000 is a leap year: 29 February stays possible
    except ValueError:
        return False
    return True


def _month_end(y: int, m: int) -> dt.date:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _hijri_value(y: int, m: int, d: int | None) -> DateValue | None:
    try:
        if d is not None:
            g = Hijri(y, m, d).to_gregorian()
            day = dt.date(g.year, g.month, g.day)
            return DateValue(day, day, "day", calendar="hijri")
        first = Hijri(y, m, 1)
        g0 = first.to_gregorian()
        g1 = Hijri(y, m, first.month_length()).to_gregorian()
        return DateValue(
            dt.date(g0.year, g0.month, g0.day),
            dt.date(g1.year, g1.month, g1.day),
            "range",
            calendar="hijri",
        )
    except (ValueError, OverflowError):
        return None


def _hijri_year_value(y: int) -> DateValue | None:
    try:
        g0 = Hijri(y, 1, 1).to_gregorian()
        last = Hijri(y, 12, 1)
        g1 = Hijri(y, 12, last.month_length()).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return DateValue(
        dt.date(g0.year, g0.month, g0.day),
        dt.date(g1.year, g1.month, g1.day),
        "range",
        calendar="hijri",
    )


def _is_hijri_era(e: str | None) -> bool:
    return bool(e) and e.replace(".", "") in ("ه", "هجري", "هجريه", "ah")  # type: ignore[union-attr]


def _is_blocked_year(sk: str, start: int, end: int, lang: Lang, after_only: bool = False) -> bool:
    """A four-digit number that the words around it make a count (or a year BC).

    After a year cue ("عام 1000 ق.م", "in 1000 BC") only the words after it count.
    """
    before, after = year_blockers(lang)
    if after_only:
        before = ()
    left = sk[max(0, start - 30) : start].rstrip()
    right = sk[end : end + 30].lstrip()
    for w in before:
        if left.endswith(w) and (len(left) == len(w) or not left[-len(w) - 1].isalnum()):
            return True
    for w in after:
        if right.startswith(w) and (len(right) == len(w) or not right[len(w)].isalnum()):
            return True
    return False


_BARE_MONTH_CUE = {
    "ar": re.compile(
        r"(?:^|[^\w])[وف]?(?:في|منذ|حتي|خلال|بحلول|قبل|بعد|مطلع|اواخر|اوائل|منتصف|نهايه|بدايه)\s+$"
    ),
    "en": re.compile(
        r"(?:^|\W)(?:in|since|until|till|by|during|of|from|early|late|mid|before|after|last|next)"
        r"[\s-]+$"
    ),
}


def _is_abbreviation(name: MonthName) -> bool:
    """ "sept", "jan": a proper prefix of a longer spelling of the same month."""
    return any(
        o.month == name.month
        and o.calendar == name.calendar
        and o.surface != name.surface
        and o.surface.startswith(name.surface)
        for o in month_names("en")
    )


_ORDER = (
    "iso",
    "numeric",
    "hijri_day",
    "hijri_month",
    "range_mdmd",
    "range_dmdm",
    "range_mdd",
    "range_dd",
    "range_mm",
    "range_yy",
    "season_year",
    "part_month",
    "part_year",
    "part_rel",
    "day_md",
    "day_dm",
    "month_year",
    "month",
    "year_cue",
    "hijri_year",
    "year_bare",
)


# What each pattern cannot match without (so that a sentence without it skips the pattern):
# four digits in a row (every year, ISO and numeric date), a Gregorian month placeholder
# (two for a range from one month to another), a Hijri one, a day (one or two digits
# standing alone, `_DAYNUM`, or an ordinal day placeholder; two for a range from one day to
# another), a month placeholder right before a day number (English month-first dates, `md`),
# a day right before a month (`_dm_gate`), a day after a day and a separator (`_dd_gate`),
# or (`_word_needs`) words it is made of.
_NEEDS_DIGITS = frozenset(
    {"iso", "numeric", "hijri_day", "hijri_month", "hijri_year", "range_yy", "season_year",
     "part_year", "month_year", "year_cue", "year_bare"}
)
_NEEDS_GREG = frozenset(
    {"range_dd", "range_dmdm", "range_mm", "range_mdmd", "range_mdd", "day_md", "part_month",
     "day_dm", "month_year", "month"}
)
_NEEDS_TWO_GREG = frozenset({"range_dmdm", "range_mm", "range_mdmd"})
_NEEDS_HIJRI = frozenset({"hijri_day", "hijri_month"})
_NEEDS_DAY = frozenset(
    {"hijri_day", "range_dd", "range_dmdm", "range_mdmd", "range_mdd", "day_md", "day_dm"}
)
_NEEDS_TWO_DAYS = frozenset({"range_dd", "range_dmdm", "range_mdmd", "range_mdd"})
_NEEDS_MD = frozenset({"range_mdmd", "range_mdd", "day_md"})
_NEEDS_DM = frozenset({"range_dd", "range_dmdm", "day_dm"})  # a day before a month
_NEEDS_DD = frozenset({"range_dd", "range_mdd"})  # a day, a separator, a day
_DIGIT_RE = re.compile(r"\d")
_DIGITS_RE = re.compile(r"\d\d\d\d")  # not `\d{4}`: a leading class lets `re` skip ahead
_GREG_RE = re.compile(G)
# Each match of `_DAYNUM` (a run of one or two digits) or `_ORD` is a match of this one.
_DAY_RE = re.compile(rf"(?<![\d,.،٬٫])\d{{1,2}}(?![\d]|[,.،٬٫]\d)|{_ORD}")
# where `md` (a month, then `_DAYNUM`: one or two digits, no digit after) can match
_MD_RE = re.compile(rf"{G}\s*\d\d?(?!\d)")
_HIJRI_RE = re.compile(H)


@lru_cache(maxsize=4)
def _word_needs(lang: Lang) -> dict[str, _Needs]:
    """What the word-only patterns need: "part_rel" (مطلع العام المقبل, early next year) a
    part and a relative year; relative dates a relative phrase; durations a cue word
    (English "three-year" has none: a count) and a unit, in Arabic also after ال."""
    words = _DURATION_CUES["ar" if lang == "ar" else "en"]
    units = list(duration_units(lang))
    wb = lang == "ar"  # after `_WB_AR`: a proclitic may come first
    return {
        "part": _Needs.of(
            (s.phrase for s in season_phrases(lang) if s.kind == "part"), proclitic=wb
        ),
        "year_rel": _Needs.of(p.phrase for p in relative_phrases(lang) if p.unit == "year"),
        "relative": _Needs.of((p.phrase for p in relative_phrases(lang)), proclitic=wb),
        "cue": _Needs.of(
            (" ".join(normalize(w, lang).split()) for w in words.split("|")), proclitic=wb
        ),
        "count": _Needs.of(duration_counts(lang)),
        "unit": _Needs.of(units),
        "al_unit": _Needs.of("ال" + u for u in units),
        "season": _Needs.of(
            (s.phrase for s in season_phrases(lang) if s.kind == "season"), proclitic=wb
        ),
        "hijri_era": _Needs.of(e for e in _era_texts(lang) if _is_hijri_era(e)),
    }


@lru_cache(maxsize=4)
def _word_keys(lang: Lang) -> frozenset[str]:
    """Every run of letters a phrase of `_word_needs` needs: `_Needs.met` says the same of
    `runs & _word_keys(lang)` as of `runs`, a smaller set."""
    keys: set[str] = set()
    for needs in _word_needs(lang).values():
        keys.update(needs.keys)
        for group in needs.by_key.values():
            for need in group:
                keys.update(need)
    return frozenset(keys)


def _era_texts(lang: Lang) -> list[str]:
    """The era markers a year may carry, as the patterns match them (normalised)."""
    if lang == "ar":
        return [" ".join(normalize(w, lang).split()) for w in _ERAS["ar"].split("|")]
    return [re.sub(r"\\(.)", r"\1", alt) for alt in _ERAS["en"].split("|")]


@lru_cache(maxsize=128)
def _plan(
    lang: Lang, years: int, greg: int, hijri: bool, days: int, md: bool, dm: bool, dd: bool
) -> tuple[str, ...]:
    """The patterns of `_ORDER` worth running on a skeleton with `years` (0, 1, 2 or more)
    separate runs of four digits, `greg` (0, 1, 2 or more) Gregorian month placeholders,
    with or without a Hijri month placeholder, `days` (0, 1, 2 or more) days (`_DAY_RE`),
    with or without a month before a day number (`_MD_RE`), a day before a month
    (`_dm_gate`) and a range of days (`_dd_gate`); word-gated ones stay in."""
    pats = _patterns(lang)
    return tuple(
        name
        for name in _ORDER
        if name in pats
        and (years or name not in _NEEDS_DIGITS)
        and (years >= 2 or name != "range_yy")  # two years: 2014-2017
        and (greg or name not in _NEEDS_GREG)
        and (greg >= 2 or name not in _NEEDS_TWO_GREG)
        and (hijri or name not in _NEEDS_HIJRI)
        and (days or name not in _NEEDS_DAY)
        and (days >= 2 or name not in _NEEDS_TWO_DAYS)
        and (md or name not in _NEEDS_MD)
        and (dm or name not in _NEEDS_DM)
        and (dd or name not in _NEEDS_DD)
    )


# Patterns that run only when `_word_gate` lets them.
_GATED = frozenset(
    {"iso", "numeric", "hijri_year", "season_year", "part_year", "part_month", "part_rel"}
)
_SLASHED_RE = re.compile(r"\d[-/.]\d")  # ISO and numeric dates: 2017-10-17, 17/10/2017


def _word_gate(kind: str, text: str, runs: frozenset[str], lang: Lang) -> bool:
    """False only when pattern `kind` cannot match (or `_read` would drop every match of
    it in) the skeleton `text` with these letter runs."""
    needs = _word_needs(lang)
    if kind in ("iso", "numeric"):
        return _SLASHED_RE.search(text) is not None
    if kind == "hijri_year":  # kept only with a Hijri era marker (`_is_hijri_era`)
        return needs["hijri_era"].met(runs)
    if kind == "season_year":
        return needs["season"].met(runs)
    if kind in ("part_year", "part_month"):
        return needs["part"].met(runs)
    if kind == "part_rel":
        return needs["part"].met(runs) and needs["year_rel"].met(runs)
    if kind == "relative":
        return needs["relative"].met(runs)
    if kind != "duration":
        return True
    if lang == "ar":  # a cue, then a unit (خلال الأيام الماضية: ال + unit)
        return needs["cue"].met(runs) and (
            needs["unit"].met(runs) or needs["al_unit"].met(runs)
        )
    # a cue ("for three years") or a count and a hyphen ("three-year", "3-year"); a unit
    return needs["unit"].met(runs) and (
        needs["cue"].met(runs)
        or needs["count"].met(runs)
        or _DIGIT_RE.search(text) is not None
    )


def find_date_candidates(text: str, lang: Lang) -> list[DateCandidate]:
    """Find the date expressions of one sentence and read what they state.

    Args:
        text: One sentence (or any span) of original text.
        lang: "ar" or "en".

    Returns:
        Non-overlapping candidates sorted by start; offsets index `text`.

    Example:
        >>> [c.a for c in find_date_candidates("On 17 October 2017, the army", "en")]
        [DatePart(year=2017, month=10, day=17)]
    """
    sk = _skeleton(text, lang)
    pats = _patterns(lang)
    t = sk.text
    runs = sk.runs & _word_keys(lang)  # all `_word_gate` looks at
    greg = len(_GREG_RE.findall(t)[:2])
    hijri = _HIJRI_RE.search(t) is not None
    # every pattern with a day has a month too: without one, days need not be counted
    days = len(list(islice(_DAY_RE.finditer(t), 2))) if greg or hijri else 0
    plan = _plan(
        lang,
        len(_DIGITS_RE.findall(t)[:2]),
        greg,
        hijri,
        days,
        bool(greg) and _MD_RE.search(t) is not None,
        bool(greg) and _dm_gate(lang).search(t) is not None,
        days >= 2 and greg > 0 and _dd_gate(lang).search(t) is not None,
    )
    found: list[DateCandidate] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or b <= s for a, b in taken)

    for name in plan:
        if name in _GATED and not _word_gate(name, t, runs, lang):
            continue
        for m in pats[name].finditer(t):
            s, e = m.span()
            if s == e or not free(s, e):
                continue
            cand = _read(name, m, sk, lang, sk.to_orig(s, e))
            if cand is None:
                continue
            found.append(cand)
            taken.append((s, e))
    readers = (
        ("relative", _relative_re(lang), _read_relative),
        ("duration", _duration_re(lang), _read_duration),
    )
    for kind, pat, reader in readers:
        if not _word_gate(kind, t, runs, lang):
            continue
        for m in pat.finditer(t):
            s, e = m.span()
            if not free(s, e):
                continue
            cand = reader(m, lang, text, sk, sk.to_orig(s, e))
            if cand is None:
                continue
            found.append(cand)
            taken.append((s, e))
    return sorted(found, key=lambda c: c.start)


def _g(m: re.Match[str], name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _year(m: re.Match[str], s: str) -> int | None:
    y = _g(m, "y" + s)
    return int(y) if y else None


def _shift(m: re.Match[str]) -> int:
    word = _g(m, "shift")
    if not word:
        return 0
    return -1 if word in ("الماضي", "الفائت", "المنصرم", "last") else 1


def _read(
    name: str, m: re.Match[str], sk: _Skeleton, lang: Lang, at: tuple[int, int]
) -> DateCandidate | None:
    """Turn one pattern match into a candidate at `at` (its span in the original text), or
    None when the match is not a date."""
    if name == "iso":
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if not _valid(y, mo, d) or not 1000 <= y <= 2099:
            return None
        day = dt.date(y, mo, d)
        return DateCandidate(*at, "point", DatePart(y, mo, d), value=DateValue(day, day, "day"))
    if name == "numeric":
        a, b, y = int(m["d"]), int(m["m"]), int(m["y"])
        if not 1000 <= y <= 2099:
            return None
        note = ""
        if a <= 12 and b <= 12 and a != b:
            if lang == "ar":
                note = (
                    f"read day-first ({a}/{b}) as in Arabic sources; month-first would be {b}/{a}"
                )
            else:
                note = (
                    f"ambiguous {a}/{b}: read day-first; a US source would mean month {a}, day {b}"
                )
            d, mo = a, b
        elif a > 12:
            d, mo = a, b
        else:
            d, mo = b, a
            note = f"read month-first ({a}/{b}): {b} cannot be a month"
        if not _valid(y, mo, d):
            return None
        day = dt.date(y, mo, d)
        return DateCandidate(
            *at, "point", DatePart(y, mo, d), value=DateValue(day, day, "day"), note=note
        )
    if name in ("hijri_day", "hijri_month"):
        y = int(m["y1"])
        era = _g(m, "e1")
        if not (_is_hijri_era(era) or 1 <= y < 1500):
            return None
        mo = _month_of(m["m1"])
        hday = _day_of(m["d1"]) if name == "hijri_day" else None
        val = _hijri_value(y, mo, hday)
        if val is None:
            return None
        return DateCandidate(
            *at,
            "hijri",
            DatePart(y, mo, hday),
            value=val,
            note=f"Hijri {hday or ''} {mo}/{y} AH converted to the Gregorian calendar".replace(
                "  ", " "
            ),
        )
    if name == "hijri_year":
        if not _is_hijri_era(_g(m, "e1")):
            return None
        val = _hijri_year_value(int(m["y1"]))
        if val is None:
            return None
        return DateCandidate(
            *at,
            "hijri",
            DatePart(int(m["y1"])),
            value=val,
            note=f"Hijri year {m['y1']} AH converted to the Gregorian calendar",
        )
    if name.startswith("range_"):
        return _read_range(name, m, at)
    if name in ("season_year", "part_year", "part_month", "part_rel"):
        return _read_season(name, m, lang, at)
    if name in ("day_dm", "day_md"):
        mo, d = _month_of(m["m1"]), _day_of(m["d1"])
        year = _year(m, "1")
        if not _valid(year, mo, d) or _is_hijri_era(_g(m, "e1")):
            return None
        return DateCandidate(*at, "point", DatePart(year, mo, d), year_shift=_shift(m))
    if name == "month_year":
        if _is_hijri_era(_g(m, "e1")):
            return None
        return DateCandidate(*at, "point", DatePart(_year(m, "1"), _month_of(m["m1"])))
    if name == "month":
        # A month alone needs a cue: "in July", "في تموز", "شهر آب", "سبتمبر الماضي".
        # Without one, أغسطس may be Augustus, آب "father", May the verb.
        idx = m.start("m1")
        name_ = sk.months.get(idx)
        before = sk.text[max(0, m.start() - 14) : m.start()]
        cue = (
            _BARE_MONTH_CUE[lang].search(before)
            or _shift(m)
            or (lang == "ar" and sk.text[m.start() : idx].strip())
        )
        if not cue or (lang == "en" and name_ is not None and _is_abbreviation(name_)):
            return None
        return DateCandidate(
            *at, "point", DatePart(None, _month_of(m["m1"])), year_shift=_shift(m)
        )
    if name in ("year_cue", "year_bare"):
        y = int(m["y1"])
        if _is_hijri_era(_g(m, "e1")):
            return None
        blocked = _is_blocked_year(
            sk.text, m.start("y1"), m.end("y1"), lang, after_only=name == "year_cue"
        )
        if blocked or (name == "year_bare" and not 1800 <= y <= 2099):
            return None
        return DateCandidate(*at, "point", DatePart(y))
    return None


def _read_range(name: str, m: re.Match[str], at: tuple[int, int]) -> DateCandidate | None:
    sep = " ".join((m["sep"] or "").split())
    pre = _g(m, "pre") or ""
    if sep in ("و", "and") and pre not in ("بين", "between"):
        return None  # "on 14 and 23 September" names two days, not a span
    y1, y2 = _year(m, "1"), _year(m, "2")
    if name == "range_yy":
        if y1 is None or y2 is None or not 0 < y2 - y1 <= 100:
            return None
        return DateCandidate(*at, "range", DatePart(y1), DatePart(y2))
    if name == "range_mm":
        m1, m2 = _month_of(m["m1"]), _month_of(m["m2"])
        if m1 == m2 and (y1 is None or y1 == y2):
            return None
        return DateCandidate(*at, "range", DatePart(y1, m1), DatePart(y2, m2))
    m2 = _month_of(m["m2"])
    d2 = _day_of(m["d2"])
    if name in ("range_dd", "range_mdd"):
        m1 = m2 if name == "range_dd" else _month_of(m["m1"])
        d1 = _day_of(m["d1"])
        if name == "range_mdd":
            m2 = m1
        a, b = DatePart(y2, m1, d1), DatePart(y2, m2, d2)
    else:
        a = DatePart(y1, _month_of(m["m1"]), _day_of(m["d1"]))
        b = DatePart(y2, m2, d2)
    if not (_valid(a.year, a.month or 1, a.day) and _valid(b.year, b.month or 1, b.day)):
        return None
    if a.year is None and b.year is not None:
        a = replace(a, year=b.year if (a.month, a.day) <= (b.month, b.day) else b.year - 1)
    if (a.year, a.month, a.day) == (b.year, b.month, b.day):
        return None
    return DateCandidate(*at, "range", a, b)


def _read_season(
    name: str, m: re.Match[str], lang: Lang, at: tuple[int, int]
) -> DateCandidate | None:
    phrases = {s.phrase: s for s in season_phrases(lang)}
    key = " ".join((_g(m, "s") or _g(m, "p") or "").replace("-", " ").split())
    sp = phrases.get(key)
    if sp is None:
        return None
    y = _year(m, "1")
    if y is not None and _is_hijri_era(_g(m, "e1")):
        return None
    if name == "season_year":
        return DateCandidate(*at, "season", DatePart(y), season=sp.span, part=None)
    if name == "part_year":
        return DateCandidate(*at, "season", DatePart(y), part=sp.part)
    if name == "part_month":
        return DateCandidate(*at, "season", DatePart(y, _month_of(m["m1"])), part=sp.part)
    rel = next(p for p in relative_phrases(lang) if p.phrase == " ".join(m["rel"].split()))
    return DateCandidate(
        *at,
        "season",
        DatePart(None),
        part=sp.part,
        offset=rel.offset,
        unit="year",
        anchor="published",
    )


def _read_relative(
    m: re.Match[str], lang: Lang, text: str, sk: _Skeleton, at: tuple[int, int]
) -> DateCandidate | None:
    phrase = " ".join(m.group().split())
    # "the day after the attack" counts from an event, not from the last date
    if re.search(r"(?:after|before)$", phrase) and re.match(
        r"\s+(?:the|a|an|his|her|their|its|this|that)\b", sk.text[m.end() :]
    ):
        return None
    text = phrase
    for p in relative_phrases(lang):
        if p.phrase == text or p.phrase.replace("-", " ") == text:
            return DateCandidate(*at, "relative", offset=p.offset, unit=p.unit, anchor=p.anchor)
    return None


_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}


def _read_duration(
    m: re.Match[str], lang: Lang, text: str, sk: _Skeleton, at: tuple[int, int]
) -> DateCandidate | None:
    if _g(m, "u2") and text[at[0]].isupper():
        return None  # "Five-Year Plan" is a name, not a span of time
    unit_word = " ".join((_g(m, "u") or _g(m, "u2") or _g(m, "u3") or "").split())
    n_word = _g(m, "n") or _g(m, "n2") or _g(m, "n3")
    unit = duration_units(lang).get(unit_word)
    if unit is None:
        return None
    n: float | None
    if n_word:
        if unit.count == 2:
            return None  # "ثلاث عامين" is not Arabic
        if n_word[0].isdigit():
            n = float(n_word.replace(",", ".").replace("٫", "."))
        else:
            n = duration_counts(lang).get(" ".join(n_word.split()))
    else:
        n = unit.count or None
    if not n:
        return None
    frac_word = _g(m, "frac") or _g(m, "pfrac")
    if frac_word:
        n += duration_fractions(lang)[" ".join(frac_word.split())]
    cue = " ".join((_g(m, "cue") or _g(m, "cue3") or "").split())
    if lang == "ar" and cue == "منذ" and not n_word and unit.count == 1 and not frac_word:
        return None  # "منذ عام" (a year ago / since the year ...) is too ambiguous
    if _g(m, "u3") and not n_word and unit.count == 1:
        return None  # "خلال العام الماضي" is last year, not a length of one year
    return DateCandidate(
        *at,
        "duration",
        amount=(float(n), unit.unit),
        hedge=_hedge_kind(_g(m, "hedge")),
        since=cue in ("منذ", "since"),
    )


# --------------------------------------------------------------------------- resolution


@dataclass(slots=True)
class _Context:
    """What the document has said so far, for resolving missing years and relative dates."""

    fine: tuple[dt.date, dt.date, str] | None = None  # last explicit day/month/season/range
    year: tuple[int, str] | None = None  # last explicit year-only date
    last: DateValue | None = None  # last date of any kind (anchor of "the next day")
    last_surface: str = ""


def _span_of(c: DateCandidate, y: int) -> tuple[dt.date, dt.date, str] | None:
    """Span of a point/season candidate once its year is known."""
    a = c.a
    if c.form == "season":
        if c.season is not None:
            (sm, sd), (em, ed) = c.season
            sy = y - 1 if (sm, sd) > (em, ed) else y
            end = (
                min(dt.date(y, em, min(ed, 28)), _month_end(y, em))
                if ed > 28
                else dt.date(y, em, ed)
            )
            if ed > 28:
                end = min(_month_end(y, em), dt.date(y, em, 1) + dt.timedelta(days=ed - 1))
            return dt.date(sy, sm, sd), end, "season"
        if a.month is None:  # a third of the year
            bounds = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[c.part or "mid"]
            return dt.date(y, bounds[0], 1), _month_end(y, bounds[1]), "season"
        last = _month_end(y, a.month).day
        days = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[c.part or "mid"]
        return dt.date(y, a.month, days[0]), dt.date(y, a.month, days[1]), "season"
    if a.day is not None and a.month is not None:
        try:
            d = dt.date(y, a.month, a.day)
        except ValueError:
            return None  # 29 February in a common year
        return d, d, "day"
    if a.month is not None:
        return dt.date(y, a.month, 1), _month_end(y, a.month), "month"
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"


def _fmt(d: dt.date, gran: str = "day") -> str:
    if d.year == 1:
        return f"{d.day} {MONTH_ABBR[d.month - 1]}" if gran == "day" else MONTH_ABBR[d.month - 1]
    if gran == "month":
        return f"{MONTH_ABBR[d.month - 1]} {d.year}"
    if gran == "year":
        return str(d.year)
    return f"{d.day} {MONTH_ABBR[d.month - 1]} {d.year}"


def describe(v: DateValue) -> str:
    """Short human form of a value: "19 Sep 2017", "Oct 2017", "14 Sep 2017–17 Nov 2017".

    Example:
        >>> describe(DateValue(dt.date(2017, 9, 19), dt.date(2017, 9, 19), "day"))
        '19 Sep 2017'
    """
    if v.granularity in ("day", "month", "year"):
        return _fmt(v.start, v.granularity)
    return f"{_fmt(v.start)}–{_fmt(v.end)}"


def _infer_year(
    c: DateCandidate,
    ctx: _Context,
    published: dt.date | None,
    later: tuple[int, str] | None,
) -> tuple[int, str]:
    """Year for a candidate that states none, and the note saying where it came from."""
    a = c.a
    if c.year_shift and (published or ctx.fine):
        ref = published or ctx.fine[1]  # type: ignore[index]
        month = a.month or 1
        if c.year_shift < 0:
            y = ref.year if (month, a.day or 1) < (ref.month, ref.day) else ref.year - 1
        else:
            y = ref.year if (month, a.day or 1) > (ref.month, ref.day) else ref.year + 1
        src = f"publication date {ref.isoformat()}" if published else f"the date {ref.isoformat()}"
        word = "last" if c.year_shift < 0 else "next"
        return y, f"year {y} from {src} ('{word}' {MONTH_ABBR[month - 1]})"
    if ctx.fine is not None:
        start, end, surface = ctx.fine
        y = end.year
        if start.year != end.year and a.month is not None:
            for cand in range(start.year, end.year + 1):
                try:
                    probe = dt.date(cand, a.month, a.day or 1)
                except ValueError:
                    continue
                if start <= probe <= end or (a.day is None and probe.replace(day=1) <= end):
                    y = cand
                    break
        return y, f"year {y} from the document's earlier date '{surface}'"
    if ctx.year is not None:
        return ctx.year[0], f"year {ctx.year[0]} from the document's earlier date '{ctx.year[1]}'"
    if published is not None:
        return (
            published.year,
            f"year {published.year} from publication date {published.isoformat()}",
        )
    if later is not None:
        return later[0], f"year {later[0]} from the document's later date '{later[1]}'"
    return 1, "no year in context: compare on day and month only"


def _duration_years(c: DateCandidate) -> float:
    n, unit = c.amount or (0.0, "year")
    return n * _UNIT_YEARS[unit]


def _add_years(d: dt.date, years: float) -> dt.date:
    whole = int(years)
    try:
        base = d.replace(year=d.year + whole)
    except ValueError:
        base = d.replace(year=d.year + whole, day=28)
    return base + dt.timedelta(days=round((years - whole) * 365.25))


def _duration_text(c: DateCandidate) -> str:
    n, unit = c.amount or (0.0, "year")
    num = int(n) if n.is_integer() else round(n, 2)
    hedge = {"more": "more than ", "less": "less than ", "about": "about "}.get(c.hedge, "")
    return f"{hedge}{num} {unit}{'s' if n != 1 else ''}"


def extract_dates(
    doc: Document,
    sentences: Sequence[Sentence],
    *,
    published: dt.date | None = None,
) -> dict[int, list[Mention]]:
    """Date mentions of a whole document, resolved in document order.

    Args:
        doc: The document; offsets of the result index `doc.text`.
        sentences: Its sentences in order (`doc.text[s.start:s.end] == s.text`).
        published: Publication date; defaults to `doc.published_date`. Used for missing
            years when the text gives none before, for "yesterday", "last September".

    Returns:
        Sentence idx -> mentions (kind "date", value `DateValue`) sorted by start; every
        sentence idx is present. A missing year is taken from the last explicit date
        before it (dates finer than a year win over bare years such as "in 2016"), else
        from `published`, else from the first explicit date later in the document, else
        year 1 with the note "no year in context". Relative dates resolve against the last
        day-precise date before them and are dropped when there is none.

    Example:
        >>> text = "On 5 September the siege broke. The next day a road opened."
        >>> d = Document("x", text, "en")
        >>> out = extract_dates(d, [Sentence("x", 0, text, 0, len(text))])
        >>> [(m.surface, m.value.start.isoformat(), m.note) for m in out[0]][1]
        ('The next day', '0001-09-06', 'the day after 5 Sep')
    """
    if published is None:
        published = doc.published_date
    per_sentence = [
        (s, find_date_candidates(s.text, doc.lang if doc.lang in ("ar", "en") else "en"))
        for s in sentences
    ]
    later: tuple[int, str] | None = None
    for s, cands in per_sentence:
        for c in cands:
            if (
                c.form in ("point", "range", "season")
                and c.a.year is not None
                and not (c.form == "point" and c.a.month is None)
            ):
                later = (
                    c.a.year if c.b is None else (c.b.year or c.a.year),
                    s.text[c.start : c.end],
                )
                break
        if later:
            break
    ctx = _Context()
    out: dict[int, list[Mention]] = {}
    for s, cands in per_sentence:
        mentions: list[Mention] = []
        for c in cands:
            surface = s.text[c.start : c.end]
            resolved = _resolve(c, surface, ctx, published, later)
            if resolved is None:
                continue
            value, note, role = resolved
            mentions.append(
                Mention(
                    kind="date",
                    value=value,
                    surface=surface,
                    start=s.start + c.start,
                    end=s.start + c.end,
                    sentence=s.idx,
                    role=role,
                    note=note,
                )
            )
            _update_context(ctx, c, value, surface)
        out[s.idx] = mentions
    return out


def _resolve(
    c: DateCandidate,
    surface: str,
    ctx: _Context,
    published: dt.date | None,
    later: tuple[int, str] | None,
) -> tuple[DateValue, str, str | None] | None:
    """Value, note and role of one candidate in its context (None: cannot resolve)."""
    if c.value is not None:
        return c.value, c.note, None
    if c.form == "relative":
        if c.anchor == "published":
            if published is None:
                return None
            if c.unit == "year":
                y = published.year + c.offset
                v = DateValue(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", relative=True)
                return v, f"year {y}: '{surface}' from publication date {published}", None
            d = published + dt.timedelta(days=c.offset)
            return (
                DateValue(d, d, "day", relative=True),
                f"{c.offset:+d} day from publication date {published}",
                None,
            )
        last = ctx.last
        if last is None or last.granularity != "day":
            return None
        try:
            d = last.start + dt.timedelta(days=c.offset)
        except OverflowError:
            return None
        rel = {0: "the same day as", 1: "the day after", -1: "the day before"}.get(
            c.offset, f"{c.offset:+d} days from"
        )
        v = DateValue(d, d, "day", year_inferred=last.year_inferred, relative=True)
        # The role keeps the stated relation, so that two sides that both say "the next day"
        # are compared on that relation, not only on an anchor already compared elsewhere.
        return v, f"{rel} {_fmt(last.start)}", f"relative{c.offset:+d}"
    if c.form == "duration":
        years = _duration_years(c)
        text = _duration_text(c)
        if c.since and published is not None:
            start = _add_years(published, -years)
            v = DateValue(start, published, "range", year_inferred=True)
            return v, f"duration of {text} up to publication date {published}", "duration"
        start = dt.date(1, 1, 1)
        end = _add_years(start, years) - dt.timedelta(days=1)
        v = DateValue(start, max(start, end), "range", year_inferred=True)
        return v, f"duration of {text} (no anchor: compare by length)", "duration"
    if c.form == "season" and c.anchor == "published":
        if published is None:
            return None
        y = published.year + c.offset
        span = _span_of(c, y)
        if span is None:
            return None
        v = DateValue(span[0], span[1], "season", year_inferred=True)
        return v, f"year {y} from publication date {published}", None
    if c.form == "range":
        a, b = c.a, c.b or c.a
        note = ""
        inferred = False
        if b.year is None:
            y, note = _infer_year(replace(c, a=b), ctx, published, later)
            inferred = True
            a = replace(a, year=y if (a.month, a.day) <= (b.month, b.day) else y - 1)
            b = replace(b, year=y)
        elif a.year is None:
            a = replace(a, year=b.year)
        sa = _span_of(DateCandidate(0, 0, "point", a), a.year or 1)
        sb = _span_of(DateCandidate(0, 0, "point", b), b.year or 1)
        if sa is None or sb is None or sa[0] > sb[1]:
            return None
        return DateValue(sa[0], sb[1], "range", year_inferred=inferred), note, None
    # point or season
    note = ""
    inferred = False
    year = c.a.year
    if year is None:
        year, note = _infer_year(c, ctx, published, later)
        inferred = True
    span = _span_of(c, year)
    if span is None:
        return None
    return DateValue(span[0], span[1], span[2], year_inferred=inferred), note, None  # type: ignore[arg-type]


def _update_context(ctx: _Context, c: DateCandidate, v: DateValue, surface: str) -> None:
    if c.form == "duration":
        return
    ctx.last = v
    ctx.last_surface = surface
    if v.year_inferred or v.relative or v.calendar != "gregorian":
        return
    if v.granularity == "year":
        ctx.year = (v.start.year, surface)
    else:
        ctx.fine = (v.start, v.end, surface)


# --------------------------------------------------------------------------- comparison


def is_unanchored_duration(v: DateValue) -> bool:
    """A duration with no anchor in time ("for three years"): a span from 1 Jan of year 1.

    Example:
        >>> is_unanchored_duration(DateValue(dt.date(1, 1, 1), dt.date(3, 12, 31), "range",
        ...     year_inferred=True))
        True
    """
    return v.granularity == "range" and v.start == dt.date(1, 1, 1) and v.year_inferred


def _yearless(v: DateValue) -> bool:
    return v.start.year == 1 and not is_unanchored_duration(v)


def _calendar_note(a: DateValue, b: DateValue) -> str:
    if "hijri" in (a.calendar, b.calendar) and a.calendar != b.calendar:
        return " (Hijri date compared after conversion to Gregorian)"
    if a.calendar == b.calendar == "hijri":
        return " (both Hijri, compared in Gregorian)"
    return ""


def _inferred_note(a: DateValue, b: DateValue) -> str:
    if a.year_inferred or b.year_inferred:
        return "; year inferred from context, not stated"
    return ""


def compare_dates(a: DateValue, b: DateValue, policy: ComparePolicy = DEFAULT_POLICY) -> Verdict:
    """Decide whether two dates (or spans) agree.

    Rules, in order: a duration with no anchor (`is_unanchored_duration`) is compared with
    a span by length, and is not comparable with a point date (agree, confidence 0,
    rule "date.not_comparable"); a date with no year in context (year 1) is compared with
    the other on month and day only; equal spans agree; one span inside the other agrees with a note
    when `policy.coarser_date_agrees` (17 Oct 2017 inside October 2017; 18–25 Sep inside
    14 Sep–17 Nov); overlapping spans agree with a note; disjoint spans conflict, saying
    which part differs. Reasons mention an inferred year and a Hijri conversion.

    Example:
        >>> d = lambda s: DateValue(dt.date.fromisoformat(s), dt.date.fromisoformat(s), "day")
        >>> compare_dates(d("2017-10-17"), d("2017-10-19")).reason
        'date: 17 Oct 2017 vs 19 Oct 2017 (day differs)'
    """
    if is_unanchored_duration(a) or is_unanchored_duration(b):
        return _compare_lengths(a, b, policy)
    extra = _calendar_note(a, b) + _inferred_note(a, b)
    if _yearless(a) or _yearless(b):
        return _compare_month_day(a, b, extra)
    sa, sb = describe(a), describe(b)
    if a.start == b.start and a.end == b.end:
        rule = "date.same_day" if a.granularity == "day" else "date.same_span"
        return Verdict("agree", rule, f"date: {sa} = {sb}{extra}", 0.95 if not extra else 0.85)
    inside_ab = b.start <= a.start and a.end <= b.end
    inside_ba = a.start <= b.start and b.end <= a.end
    if inside_ab or inside_ba:
        if policy.coarser_date_agrees:
            inner, outer = (sa, sb) if inside_ab else (sb, sa)
            return Verdict(
                "agree",
                "date.coarser_contains",
                f"date: {inner} lies within {outer} (coarser date agrees){extra}",
                0.75,
            )
        return Verdict(
            "conflict", "date.granularity", f"date: {sa} vs {sb} (different precision){extra}", 0.5
        )
    if a.start <= b.end and b.start <= a.end:
        return Verdict("agree", "date.overlap", f"date: {sa} overlaps {sb}{extra}", 0.6)
    return Verdict(
        "conflict",
        "date.disjoint",
        f"date: {sa} vs {sb} ({_what_differs(a, b)} differs){extra}",
        0.9,
    )


def _what_differs(a: DateValue, b: DateValue) -> str:
    if a.start.year != b.start.year and a.end.year != b.end.year:
        return "year"
    if a.start.month != b.start.month:
        return "month"
    return "day"


def _compare_month_day(a: DateValue, b: DateValue, extra: str) -> Verdict:
    """Compare when at least one side has no year: month and day only."""

    def md(v: DateValue) -> tuple[tuple[int, int], tuple[int, int]]:
        return (v.start.month, v.start.day), (v.end.month, v.end.day)

    (a0, a1), (b0, b1) = md(a), md(b)
    sa, sb = describe(a), describe(b)
    note = "; no year in context, month and day compared only"
    if a.granularity == "year" or b.granularity == "year":
        # "16 Sep" (no year known) says nothing about "2016": it is not inside it, and not
        # outside it either.
        return Verdict(
            "agree",
            "date.not_comparable",
            f"date: {sa} has no year and {sb} is only a year: not comparable{extra}",
            0.0,
        )
    wraps = a.start.year != a.end.year or b.start.year != b.end.year
    if wraps:
        return Verdict("agree", "date.yearless_unknown", f"date: {sa} vs {sb}{note}{extra}", 0.3)
    if (a0, a1) == (b0, b1):
        return Verdict("agree", "date.same_yearless", f"date: {sa} = {sb}{note}{extra}", 0.7)
    if (b0 <= a0 and a1 <= b1) or (a0 <= b0 and b1 <= a1) or (a0 <= b1 and b0 <= a1):
        return Verdict(
            "agree", "date.coarser_yearless", f"date: {sa} within {sb}{note}{extra}", 0.5
        )
    what = "month" if a.start.month != b.start.month else "day"
    return Verdict(
        "conflict",
        "date.yearless_differs",
        f"date: {sa} vs {sb} ({what} differs){note}{extra}",
        0.7,
    )


def date_slot(m: Mention) -> str:
    """Which date mentions may be paired: "duration" (lengths, and spans they can measure)
    or "point" (dates and spans). A span belongs to both; compare.py pairs by this slot.

    Example:
        >>> date_slot(Mention("date", DateValue(dt.date(1, 1, 1), dt.date(3, 12, 31), "range"),
        ...     "for three years", 0, 15, role="duration"))
        'duration'
    """
    return "duration" if m.role == "duration" else "point"


def duration_of(m: Mention) -> DateCandidate | None:
    """Re-read a duration mention ("for three years") from its surface.

    Example:
        >>> m = Mention("date", DateValue(dt.date(1, 1, 1), dt.date(3, 12, 31), "range"),
        ...             "for three years", 0, 15, role="duration")
        >>> duration_of(m).amount
        (3.0, 'year')
    """
    if m.role != "duration":
        return None
    lang: Lang = "ar" if arabic_ratio(m.surface) > 0.5 else "en"
    for c in find_date_candidates(m.surface, lang):
        if c.form == "duration":
            return c
    return None


# Relative tolerance of an exact duration stated in another unit than its counterpart
# ("10 weeks" vs "two and a half months" = 10.9 weeks): enough for a conversion, not for
# another count. In the same unit the counts must be equal (10 vs 12 weeks, 20 vs 22 years
# differ). A hedge ("about", "more than") widens its side with the number policy's
# `approx_tolerance` / `open_bound_factor`. Read from `policy.duration_rel_tol` when the
# policy has that field.
DURATION_REL_TOL = 0.05


def duration_tolerance(policy: ComparePolicy) -> float:
    """The relative tolerance (each side) of an exact duration compared across units.

    Example:
        >>> duration_tolerance(DEFAULT_POLICY)
        0.05
    """
    return float(getattr(policy, "duration_rel_tol", DURATION_REL_TOL))


def _length_bounds(
    c: DateCandidate, policy: ComparePolicy, hedge: str | None = None, tol: float = 0.0
) -> tuple[float, float]:
    """Interval of lengths (years) a duration allows: exact ± `tol`; a hedge widens it
    ("about" ± `approx_tolerance`, "more than" up to `open_bound_factor` times). `hedge`
    overrides the candidate's own hedge ("exact" when both sides share it)."""
    n = _duration_years(c)
    kind = hedge or c.hedge
    if kind == "more":
        return n, n * max(policy.open_bound_factor, 1.0 + tol)
    if kind == "less":
        return 0.0, n
    if kind == "about":
        wide = max(policy.approx_tolerance, tol)
        return n * (1 - wide), n * (1 + wide)
    return n * (1 - tol), n * (1 + tol)


def _span_length_bounds(v: DateValue) -> tuple[float, float]:
    """Lengths (years) an explicit span can stand for. A span of whole calendar years is
    counted both ways: "2013-2014" is said to last one year (2014 - 2013) and covers two
    calendar years inclusive, so "one year" and "two years" both fit it; "from 2014 until
    2017" is 3 to 4 years. Other spans have their length in days."""
    if v.start.month == 1 and v.start.day == 1 and v.end.month == 12 and v.end.day == 31:
        diff = v.end.year - v.start.year
        return float(max(diff, 1)), diff + 1.0
    days = (v.end - v.start).days + 1
    return days / 365.25, days / 365.25


def _span_text(m: Mention) -> str:
    v = m.value
    assert isinstance(v, DateValue)
    if v.start.month == 1 and v.start.day == 1 and v.end.month == 12 and v.end.day == 31:
        lo, hi = _span_length_bounds(v)
        years = f"{int(lo)}" if lo == hi else f"{int(lo)} to {int(hi)}"
        return (
            f"'{m.surface}' ({v.start.year}–{v.end.year}: {years} years, counting the "
            f"{v.end.year - v.start.year + 1} calendar years inclusively)"
        )
    return f"'{m.surface}'"


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] + 1e-9 and b[0] <= a[1] + 1e-9


def compare_date_mentions(
    a: Mention, b: Mention, policy: ComparePolicy = DEFAULT_POLICY
) -> Verdict:
    """Compare two date mentions: like `compare_dates`, plus durations and year sources.

    A duration ("for three years", "لمدة ثلاث سنوات", "منذ أكثر من عامين") is compared with
    another duration or with an explicit span by length: it agrees when the lengths it
    allows overlap the lengths the other allows (rule "date.duration_length").

    Example:
        >>> span = Mention("date", DateValue(dt.date(2014, 1, 1), dt.date(2017, 12, 31),
        ...     "range"), "From 2014 until 2017", 0, 20)
        >>> dur = Mention("date", DateValue(dt.date(1, 1, 1), dt.date(3, 12, 31), "range",
        ...     year_inferred=True), "لمدة ثلاث سنوات", 0, 15, role="duration")
        >>> compare_date_mentions(dur, span).status
        'agree'
    """
    if a.role and a.role == b.role and a.role.startswith("relative"):
        # Both sides state the same relation ("the next day" / "اليوم التالي"): that is what
        # the texts say; their anchors are explicit dates compared where they are written.
        return Verdict(
            "agree",
            "date.same_relation",
            f"date: both say '{a.surface}' / '{b.surface}' ({a.role.removeprefix('relative')} "
            "day from the previous date); the anchors are compared where they are stated",
            0.9,
        )
    da, db = duration_of(a), duration_of(b)
    if da is None and db is None:
        verdict = compare_dates(a.value, b.value, policy)  # type: ignore[arg-type]
        notes = [n for n in (a.note, b.note) if n.startswith("year ")]
        if notes and (a.value.year_inferred or b.value.year_inferred):  # type: ignore[union-attr]
            verdict = replace(
                verdict,
                reason=verdict.reason.replace(
                    "; year inferred from context, not stated", "; " + "; ".join(notes)
                ),
            )
        return verdict
    other = b if da else a
    if (da is None or db is None) and other.value.granularity != "range":  # type: ignore[union-attr]
        return Verdict(
            "agree",
            "date.not_comparable",
            f"date: duration '{(a if da else b).surface}' and point date '{other.surface}' "
            "are not comparable (pair durations with durations or spans only)",
            0.0,
        )
    # Both sides hedged the same way ("about 20 years" / "نحو 20 عاماً"): the hedge is
    # shared, so what differs is the stated amount, compared as if exact.
    shared = "exact" if da and db and da.hedge == db.hedge != "exact" else None
    same_unit = bool(da and db and da.amount and db.amount and da.amount[1] == db.amount[1])
    tol = 0.0 if same_unit else duration_tolerance(policy)
    la = _length_bounds(da, policy, shared, tol) if da else _span_length_bounds(a.value)  # type: ignore[arg-type]
    lb = _length_bounds(db, policy, shared, tol) if db else _span_length_bounds(b.value)  # type: ignore[arg-type]
    ta = _duration_text(da) if da else _span_text(a)
    tb = _duration_text(db) if db else _span_text(b)
    exact = "same unit: counts compared exactly" if same_unit else (
        f"exact lengths within {tol:.0%} across units"
    )
    if not (da and db):
        how = "a span of whole years counts both ways"
    elif shared:
        how = f"both hedged alike, so the stated amounts count; {exact}"
    else:
        how = f"{exact}; a hedge widens its side"
    if _overlap(la, lb):
        return Verdict(
            "agree",
            "date.duration_length",
            f"date: duration {ta} vs {tb}: lengths agree ({how}; compared by length, not "
            "position)",
            0.6,
        )
    return Verdict(
        "conflict",
        "date.duration_length",
        f"date: duration {ta} vs {tb}: lengths {la[0]:.2f}–{la[1]:.2f} and "
        f"{lb[0]:.2f}–{lb[1]:.2f} years do not overlap ({how})",
        0.6,
    )


def _compare_lengths(a: DateValue, b: DateValue, policy: ComparePolicy) -> Verdict:
    """Values only: an unanchored duration against a span or another duration, by length."""
    tol = duration_tolerance(policy)

    def bounds(v: DateValue) -> tuple[float, float] | None:
        if is_unanchored_duration(v):
            years = ((v.end - v.start).days + 1) / 365.25
            return years * (1 - tol), years * (1 + tol)
        return _span_length_bounds(v) if v.granularity == "range" else None

    la, lb = bounds(a), bounds(b)
    if la is None or lb is None:
        return Verdict(
            "agree",
            "date.not_comparable",
            f"date: a duration and the point date {describe(b if la else a)} are not comparable",
            0.0,
        )
    ok = _overlap(la, lb)
    return Verdict(
        "agree" if ok else "conflict",
        "date.duration_length",
        f"date: lengths {la[0]:.2f}–{la[1]:.2f} and {lb[0]:.2f}–{lb[1]:.2f} years "
        f"{'overlap' if ok else 'do not overlap'} (duration compared by length)",
        0.5,
    )

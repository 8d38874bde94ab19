"""Place mentions: gazetteer lookup, cue words, and cross-lingual anchoring.

`extract_places(text, offset, lang)` finds places in one sentence:

1. **Gazetteer, longest match first** over word tokens (up to five). Arabic tokens are also
   tried with the proclitics و ف ب ل ك stripped (وبالرقة -> الرقة, للرقة -> الرقة); hashtags
   (#دير_الزور) and run-together names (ديرالزور) match too.
2. **Cue words** (مدينة، حي، جزيرة ...; "the city of", "X Governorate") set the mention's
   `role` to the cue's category and steer the choice among homonyms (the city or the
   governorate of Deir ez-Zor). A cue followed by a name the gazetteer lacks gives a
   `translit:` place (lists after a plural cue too: "the villages of A, B and C").
3. **Guards** against ordinary words that are also gazetteer names: the lists
   `nlp/lang/*/not_places.txt` and short Arabic names need a cue; English names must be
   capitalised; sentence-initial capitals that are common words are ignored.

`anchor_pair(...)` (called as `nlp.places.anchor_places`) links an English capitalised name
to the Arabic span in the aligned sentence that transliterates it, for places that neither
the gazetteer nor a cue found; a place context word (in, near, east of) must
stand before the English name, and no person title (General, spokeswoman; اللواء،
الناطقة) before either. A name right after a person title is never a place (Mazloum is a
village, but "Commander Mazloum Abdi" a person).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from nlp.lang.places import (
    PlaceCue,
    common_adjectives,
    not_places,
    organisations,
    person_titles,
    place_context,
    place_cues,
)
from nlp.normalize import normalize_ar, normalize_en
from nlp.places import CUE_FEATURES, PRIORITY_COUNTRIES, Gazetteer, is_major, load_gazetteer
from nlp.records import Lang, Mention, PlaceValue
from nlp.translit import match_score, skeleton_ar, skeleton_en

log = logging.getLogger(__name__)

MAX_TOKENS = 5
MIN_AR_LETTERS = 4  # shorter bare Arabic names (صور، قطر ...) need a cue or a strong row
ANCHOR_MIN = 0.85  # match_score an English name and an Arabic span must reach to be anchored
# Features that make a short or ambiguous name a place without a cue.
STRONG_FEATURES = frozenset({"country", "region", "river", "city"})
CATEGORY_FEATURE = {
    "city": "city", "town": "town", "village": "village", "district": "district",
    "neighbourhood": "neighbourhood", "island": "island", "river": "river",
    "governorate": "region", "countryside": "region",
}

_AR_TOKEN_RE = re.compile(r"[\u0621-\u063A\u0640-\u0652\u0670\u0671-\u06D3]+")
_EN_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:['’]s)?")
_AR_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
_EN_CONNECTORS = frozenset(
    {"al", "el", "ez", "es", "ed", "er", "as", "ad", "ar", "ash", "az", "an", "at", "ul",
     "bin", "ibn", "abu", "bu", "de", "la", "le"}
)
_AR_LIST_SEPARATORS = re.compile(r"^\s*(?:[،,]\s*)?$")
_EN_LIST_SEPARATORS = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")


_ORG_GAP = re.compile(r"[\s_\-\u200c\u200f\"'“”«»]*")


class Token(NamedTuple):
    """A word of the sentence: `text[start:end]` with offsets relative to the sentence."""

    text: str
    start: int
    end: int


def tokens(text: str, lang: Lang) -> list[Token]:
    """Word tokens of `text` (Arabic letter runs, or Latin words with inner - and ')."""
    rx = _AR_TOKEN_RE if lang == "ar" else _EN_TOKEN_RE
    return [Token(m.group(), m.start(), m.end()) for m in rx.finditer(text)]


_AR_GAP = re.compile(r"[\s_\-\u200c\u200f]*")


def _joined(text: str, toks: list[Token], lang: Lang) -> bool:
    """Whether consecutive tokens are separated only by spaces (or _ and - in Arabic)."""
    for a, b in itertools.pairwise(toks):
        gap = text[a.end : b.start]
        if lang == "ar" and not _AR_GAP.fullmatch(gap):
            return False
        if lang == "en" and gap != " ":
            return False
    return True


def ar_variants(word: str) -> Iterator[tuple[str, int]]:
    """The word and its readings without proclitics, with the number of letters removed.

    >>> [v for v, _ in ar_variants("وبالرقة")]
    ['وبالرقة', 'بالرقة', 'الرقة']
    >>> [v for v, _ in ar_variants("للرقة")]
    ['للرقة', 'الرقة']
    """
    yield word, 0
    rest = word
    for cut in (1, 2):
        if len(rest) < 4 or rest[0] not in _AR_PROCLITICS:
            break
        if rest.startswith("لل"):
            # ل + ال: the alef of the article is not written (للرقة = ل + الرقة).
            yield "ا" + rest[1:], cut
            break
        rest = rest[1:]
        yield rest, cut


_MEMO_LIMIT = 200_000  # answers kept per table before the memo starts afresh
_MEMOS: dict[str, tuple[tuple[object, ...], dict[Any, Any]]] = {}


def _memo(name: str, *owners: object) -> dict[Any, Any]:
    """A key -> answer memo for answers that depend only on the key and on `owners` (word
    lists or the gazetteer, which are built once and not changed); new owners (a list
    loaded again) get a new memo. (Owners are compared with `!=`, which is quick for the
    same objects; equal ones give the same answers.)"""
    got = _MEMOS.get(name)
    if got is None or got[0] != owners or len(got[1]) > _MEMO_LIMIT:
        got = _MEMOS[name] = (owners, {})
    return got[1]


def _ar_cue(word: str) -> PlaceCue | None:
    """The cue an Arabic word is, as written or without its proclitics (وبمدينة)."""
    cues = place_cues("ar")
    memo = _memo("ar_cue", cues)
    if word in memo:
        return memo[word]
    found = None
    for variant, _ in ar_variants(word):
        cue = cues.get(normalize_ar(variant))
        if cue:
            found = cue
            break
    memo[word] = found
    return found


_STARTS = 1  # a gazetteer name may start with the word (the first test of `_match_at`)
_CUE = 2  # the word is a cue (Arabic: with or without proclitics; English: as written)
_NAME = 4  # the word (Arabic: as written or less its proclitics) is a gazetteer name
_INNER = 8  # English: the word may stand inside or at the end of a name (`_en_span_ok`)
_ALONE = 16  # a `_NAME` that `_accept` takes without a cue (at the start or not)


class _WordFlags(dict[str, int]):
    """Word -> `_STARTS` | `_CUE` | `_NAME` | `_INNER` | `_ALONE` bits, for one language,
    gazetteer, cue list and list of words that are not places."""

    LIMIT = 200_000  # entries kept before starting afresh

    def __init__(
        self, lang: Lang, gaz: Gazetteer, cues: dict[str, PlaceCue], stop: frozenset[str]
    ) -> None:
        super().__init__()
        self.lang, self.gaz, self.cues, self.stop = lang, gaz, cues, stop

    def __missing__(self, word: str) -> int:
        lang = self.lang
        forms = [f for f, _ in ar_variants(word)] if lang == "ar" else [word]
        capital = lang == "en" and any(c.isupper() for c in word)
        if lang == "en" and (not capital or normalize_en(word) == "the"):
            starts = False  # `_name_like`, and not "The"
        else:
            starts = any(self.gaz.may_start_name(f, lang) for f in forms)
        cue = _ar_cue(word) if lang == "ar" else self.cues.get(normalize_en(word))
        names = [f for f in forms if starts and self.gaz.has_name(f, lang)]
        alone = any(
            _accept(self.gaz, f, lang, None, initial) for f in names for initial in (False, True)
        )
        # `_en_span_ok`: a word after the first of a name is capitalised or a connector
        inner = capital or (lang == "en" and normalize_en(word) in _EN_CONNECTORS)
        flags = (
            (_STARTS if starts else 0)
            | (_CUE if cue else 0)
            | (_NAME if names else 0)
            | (_INNER if inner else 0)
            | (_ALONE if alone else 0)
        )
        self[word] = flags
        return flags


_FLAGS: dict[str, _WordFlags] = {}


def _word_flags(gaz: Gazetteer, lang: Lang) -> _WordFlags:
    """The `_WordFlags` of `lang` for this gazetteer and the current word lists."""
    cues, stop = place_cues(lang), not_places(lang)
    got = _FLAGS.get(lang)
    if (
        got is None
        or got.gaz is not gaz
        or got.cues is not cues
        or got.stop is not stop
        or len(got) > got.LIMIT
    ):
        got = _FLAGS[lang] = _WordFlags(lang, gaz, cues, stop)
    return got


def _may_start(gaz: Gazetteer, tok: Token, lang: Lang) -> bool:
    """The first test of `_match_at`: whether some gazetteer name can begin with the token
    (in English, a capitalised token other than "The")."""
    return bool(_word_flags(gaz, lang)[tok.text] & _STARTS)


@lru_cache(maxsize=2)
def _org_sequences(lang: Lang) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Organisation names as normalised token tuples, grouped by first token."""
    norm = normalize_ar if lang == "ar" else normalize_en
    out: dict[str, list[tuple[str, ...]]] = {}
    for name in organisations(lang):
        seq = tuple(norm(t.text) for t in tokens(name, lang))
        if seq:
            out.setdefault(seq[0], []).append(seq)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def organisation_spans(text: str, lang: Lang) -> list[tuple[int, int]]:
    """Spans of organisation names in `text` (see `_organisation_spans`); cached."""
    return list(_organisation_spans(text, lang))


@lru_cache(maxsize=65536)
def _organisation_spans(text: str, lang: Lang) -> tuple[tuple[int, int], ...]:
    """Spans (sentence offsets) of organisation names that contain place names.

    Names come from `nlp/lang/{ar,en}/organisations.txt`; words may be joined by spaces,
    `_` (hashtags), hyphens or quotes, and an Arabic name may carry a proclitic
    (بالمرصد السوري ...). The longest name wins.

    >>> t = "استولت قوات سوريا الديمقراطية على القرية"
    >>> [t[s:e] for s, e in organisation_spans(t, "ar")]
    ['قوات سوريا الديمقراطية']
    """
    return _organisation_spans_in(text, tokens(text, lang), lang)


def _org_firsts(word: str, lang: Lang) -> tuple[tuple[str, int], ...]:
    """The readings of a token that begin some organisation name: (normalised first word,
    letters cut), the word as written first, then without its proclitics (Arabic)."""
    seqs = _org_sequences(lang)
    memo = _memo("org_" + lang, seqs)
    got = memo.get(word)
    if got is None:
        if lang == "ar":
            firsts = [(normalize_ar(v), cut) for v, cut in ar_variants(word)]
        else:
            firsts = [(normalize_en(word), 0)]
        got = tuple((f, cut) for f, cut in firsts if f in seqs)
        memo[word] = got
    return got


def _organisation_spans_in(
    text: str, toks: list[Token], lang: Lang
) -> tuple[tuple[int, int], ...]:
    """`_organisation_spans` over the tokens of `text`."""
    starts = [_org_firsts(t.text, lang) for t in toks]
    if not any(starts):
        return ()
    norm = normalize_ar if lang == "ar" else normalize_en
    seqs = _org_sequences(lang)
    words = [norm(t.text) for t in toks]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        firsts = starts[i]
        found: tuple[int, int] | None = None
        for first, cut in firsts:
            for seq in seqs.get(first, ()):
                k = len(seq)
                if i + k > len(toks) or tuple(words[i + 1 : i + k]) != seq[1:]:
                    continue
                gaps_ok = all(
                    _ORG_GAP.fullmatch(text[toks[j].end : toks[j + 1].start])
                    for j in range(i, i + k - 1)
                )
                if gaps_ok and (found is None or k > found[0]):
                    found = (k, cut)
        if found is None:
            i += 1
            continue
        k, cut = found
        out.append((toks[i].start + cut, toks[i + k - 1].end))
        i += k
    return tuple(out)


def _cue_before(text: str, toks: list[Token], i: int, lang: Lang) -> tuple[str, int] | None:
    """Category of a cue word right before token `i`, and the index of the cue token.

    English: "the city of X" / "city of X" / "the X" with X preceded by "CUE of".
    """
    cues = place_cues(lang)
    if i == 0:
        return None
    if lang == "ar":
        prev = toks[i - 1]
        cue = _ar_cue(prev.text)
        if cue is None or not _joined(text, [prev, toks[i]], "ar"):
            return None
        return cue.category, i - 1
    if i >= 2 and normalize_en(toks[i - 1].text) == "of":
        cue = cues.get(normalize_en(toks[i - 2].text))
        if cue and cue.position != "after":
            return cue.category, i - 2
    return None


def _cue_record(word: str, lang: Lang) -> PlaceCue | None:
    cues = place_cues(lang)
    if lang == "en":
        return cues.get(normalize_en(word))
    return _ar_cue(word)


def _cue_after(text: str, toks: list[Token], j: int) -> str | None:
    """Category of an English cue right after token `j` ("Deir ez-Zor Governorate")."""
    if j + 1 >= len(toks) or text[toks[j].end : toks[j + 1].start] != " ":
        return None
    cue = place_cues("en").get(normalize_en(toks[j + 1].text))
    return cue.category if cue and cue.position != "before" else None


def _name_like(tok: Token) -> bool:
    """Whether the token has a capital letter."""
    return _NAME_LIKE[tok.text]


class _NameLike(dict[str, bool]):
    """Word -> whether it has a capital letter (`_name_like`), filled on demand."""

    def __missing__(self, word: str) -> bool:
        if len(self) > _MEMO_LIMIT:
            self.clear()
        got = self[word] = any(c.isupper() for c in word)
        return got


_NAME_LIKE = _NameLike()


def _letters_ar(name: str) -> int:
    norm = normalize_ar(name).replace(" ", "")
    if norm.startswith("ال"):
        norm = norm[2:]
    return len(norm)


def _accept(
    gaz: Gazetteer,
    name: str,
    lang: Lang,
    cue: str | None,
    sentence_initial: bool,
) -> PlaceValue | None:
    """The place `name` denotes, or None when a guard says it is an ordinary word
    (`_accept_anew`, remembered per name, cue and position: what it reads, the gazetteer
    and the word lists, does not change)."""
    memo = _memo("accept_" + lang, gaz, place_cues(lang), not_places(lang))
    key = (name, cue, sentence_initial)
    if key in memo:
        return memo[key]
    got = memo[key] = _accept_anew(gaz, name, lang, cue, sentence_initial)
    return got


def _accept_anew(
    gaz: Gazetteer,
    name: str,
    lang: Lang,
    cue: str | None,
    sentence_initial: bool,
) -> PlaceValue | None:
    """`_accept`, worked out."""
    cands = gaz.lookup(name, lang, cue=cue)
    if not cands:
        return None
    best = cands[0]
    norm = " ".join(normalize_ar(name).split()) if lang == "ar" else normalize_en(name)
    if _is_cue_word(norm, lang):
        return None
    entry = gaz.get(best.id)
    country = entry.country if entry else ""
    local = any(c in PRIORITY_COUNTRIES for c in country.split("|"))
    if cue:
        # After a cue the name is a place; a foreign homonym of another kind is not it.
        if not local and best.feature not in CUE_FEATURES.get(cue, frozenset()):
            return None
        return best
    if norm in not_places(lang) or re.sub(r"'s$", "", norm) in not_places(lang):
        return None
    strong = best.feature in STRONG_FEATURES
    single = " " not in name.strip()
    if lang == "ar":
        # Two- and three-letter words (آب "August", صور "pictures") are places only as
        # countries, governorates, rivers or Syrian/Iraqi cities (حلب، حمص).
        short_ok = best.feature in ("country", "region", "river") or (
            local and best.feature == "city"
        )
        if _letters_ar(name) < MIN_AR_LETTERS and not short_ok:
            return None
        # A one-word foreign town or middle-sized city (وان، بشار، معسكر) is far more often
        # an ordinary word; countries, regions, rivers and big cities are kept.
        if single and not local and not (entry is not None and is_major(entry)):
            return None
        return best
    if sentence_initial and single and not strong:
        return None
    # English aliases of foreign towns and villages are often words or names (Carolina,
    # American, Sparta, Liwa): one word of that kind needs a cue; a major place does not.
    if single and not local and not (entry is not None and is_major(entry)):
        return None
    return best


def _is_cue_word(norm: str, lang: Lang) -> bool:
    """Whether a one-word name is itself a cue word (المدينة, مدينة, "City")."""
    cues = place_cues(lang)
    if " " in norm:
        return False
    return norm in cues or (lang == "ar" and norm.startswith("ال") and norm[2:] in cues)


def _mention(
    text: str, offset: int, start: int, end: int, value: PlaceValue, role: str | None, note: str
) -> Mention:
    return Mention(
        kind="place",
        value=value,
        surface=text[start:end],
        start=offset + start,
        end=offset + end,
        role=role,
        note=note,
    )


def translit_value(surface: str, lang: Lang, category: str | None) -> PlaceValue:
    """A place the gazetteer lacks, keyed by its consonant skeleton.

    >>> translit_value("الجنينة", "ar", "town").id
    'translit:jn'
    """
    key = skeleton_ar(surface) if lang == "ar" else skeleton_en(surface)
    return PlaceValue(
        id=f"translit:{key}",
        name_en=surface if lang == "en" else "",
        name_ar=surface if lang == "ar" else "",
        feature=CATEGORY_FEATURE.get(category or "", ""),
        key=key,
    )


def extract_places(text: str, offset: int, lang: Lang) -> list[Mention]:
    """Places named in one sentence (see `_extract_places`); cached, because the comparison
    asks again for the sentences of every aligned pair (`anchor_pair`)."""
    return list(_extract_places(text, offset, lang))


@lru_cache(maxsize=65536)
def _extract_places(text: str, offset: int, lang: Lang) -> tuple[Mention, ...]:
    """Places named in one sentence.

    Args:
        text: The sentence text.
        offset: Offset of the sentence in the document (mention offsets = offset + local).
        lang: "ar" or "en".

    Returns:
        Mentions of kind "place", sorted by start, not overlapping; `value` is a
        `PlaceValue`, `role` the category of a cue word ("city", "governorate", ...).

    >>> [m.value.id for m in extract_places("عاصمة محافظة دير الزور", 0, "ar")]
    ['opensyria:adm1:sy-deir-ez-zor']
    """
    gaz = load_gazetteer()
    words = (_AR_WORD_GAP_RE if lang == "ar" else _EN_WORD_GAP_RE).findall(text)
    flags = list(map(_word_flags(gaz, lang).__getitem__, [w for w, _ in words]))
    starts = _name_starts(gaz, words, flags, lang)
    if not starts and not any(map(_CUE.__and__, flags)):
        return ()  # no name can start anywhere, no cue can open a list
    toks = _tokens_of(text, words)
    # A cue list starts after the cue word (Arabic) or after "CUE of" (English).
    cue_gap = 1 if lang == "ar" else 2
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        # After a cue: one name or a list of names ("قرى شقرة، حسان", "villages of A and B").
        if i >= cue_gap and flags[i - cue_gap] & _CUE:
            listed = _cue_list_at(gaz, text, toks, i, lang, offset)
            if listed:
                out.extend(listed)
                last_end = listed[-1].end - offset
                while i < len(toks) and toks[i].start < last_end:
                    i += 1
                continue
        if i not in starts:
            i += 1
            continue
        found = _longest_name(gaz, text, toks, i, lang)
        if found is not None:
            k, cut, value, role = found
            start = toks[i].start + cut
            out.append(_mention(text, offset, start, toks[i + k - 1].end, value, role, ""))
            i += k
            continue
        i += 1
    if not out:
        return ()
    orgs = [(offset + s, offset + e) for s, e in _organisation_spans_in(text, toks, lang)]
    # A place named inside an organisation's name ("قوات سوريا الديمقراطية") is not a place.
    out = [m for m in out if not any(s < m.end and m.start < e for s, e in orgs)]
    return tuple(sorted(out, key=lambda m: m.start))


# A token and the text up to the next one: the tokens of `_AR_TOKEN_RE` (`_EN_TOKEN_RE`), in
# order. An English token ends before a letter never (its letter runs are greedy and its
# endings optional), and starts at any letter, so the gap between two tokens is the run of
# non-letters (`[\W\d_]`) after the first; an Arabic gap, the run of non-Arabic letters.
_AR_WORD_GAP_RE = re.compile(
    r"([\u0621-\u063A\u0640-\u0652\u0670\u0671-\u06D3]+)"
    r"([^\u0621-\u063A\u0640-\u0652\u0670\u0671-\u06D3]*)"
)
_EN_WORD_GAP_RE = re.compile(r"(" + _EN_TOKEN_RE.pattern + r")([\W\d_]*)")


def _tokens_of(text: str, words: list[tuple[str, str]]) -> list[Token]:
    """`tokens(text, lang)` from the (token, following gap) pairs of `_AR_WORD_GAP_RE` or
    `_EN_WORD_GAP_RE`: the pairs cover the text from the first token to its end."""
    lengths = [len(w) + len(g) for w, g in words]
    starts = itertools.accumulate(lengths, initial=len(text) - sum(lengths))
    # accumulate yields one start more than there are words (where the text ends)
    return [Token(w, s, s + len(w)) for (w, _), s in zip(words, starts, strict=False)]


def _name_starts(
    gaz: Gazetteer, words: list[tuple[str, str]], flags: list[int], lang: Lang
) -> set[int]:
    """The tokens of a sentence (given as (token, following gap) pairs with their
    `_WordFlags`) where `_match_at` may find a gazetteer name: it finds none elsewhere.

    `_match_at` needs `_STARTS`; then a name of one token is the token (Arabic: or the token
    less its proclitics), which `_NAME` says, and `_accept` reads it with no cue only if
    `_ALONE` says so: else a cue must stand before it (Arabic: the token before; English:
    "CUE of") or after it (English: `_cue_after`); a longer name is joined tokens (`_joined`)
    and begins with the first, its gap and the second, the rest of it following. In
    English the second token is capitalised or a connector (`_en_span_ok`, `_INNER`).
    `Gazetteer.may_start_name` is a prefix test on the compact keys, and compacting keeps
    the beginning of a name: normalising it works letter by letter (`normalize_ar` NFKC,
    `normalize_en` NFKD, neither reaching across the gap after the second token), and
    what compacting drops (spaces, `_`, `-`, a final "'s", a leading "the" or article)
    is dropped from the beginning too. So `may_start_name(first + gap + second)` is False
    only when no longer name begins there.
    """
    out: set[int] = set()
    last = len(flags) - 1
    pairs: dict[tuple[tuple[str, str], str], bool] | None = None
    cue_before = 1 if lang == "ar" else 2
    for i in itertools.compress(range(len(flags)), map(_STARTS.__and__, flags)):
        f = flags[i]
        if f & _NAME and (
            f & _ALONE
            or (i >= cue_before and flags[i - cue_before] & _CUE)
            or (lang == "en" and i < last and flags[i + 1] & _CUE)
        ):
            out.add(i)
            continue
        if i == last:
            continue
        word, gap = first = words[i]
        if lang == "en" and (gap != " " or not flags[i + 1] & _INNER):
            continue
        if pairs is None:
            pairs = _memo("name_pairs_" + lang, gaz)
        key = (first, words[i + 1][0])
        got = pairs.get(key)
        if got is None:
            got = pairs[key] = _pair_may_begin(gaz, word, gap, gap + key[1], lang)
        if got:
            out.add(i)
    return out


def _pair_may_begin(gaz: Gazetteer, word: str, gap: str, after: str, lang: Lang) -> bool:
    """Whether a name of two tokens or more may begin with `word` and `after` (its gap and
    the next token), by `_name_starts`'s prefix test; an English gap is one space."""
    if lang == "en":
        return _gaz_says(gaz, Gazetteer.may_start_name, word + after, "en")
    return _AR_GAP.fullmatch(gap) is not None and any(
        _gaz_says(gaz, Gazetteer.may_start_name, first + after, "ar")
        for first, _ in ar_variants(word)
    )


def _gaz_says(
    gaz: Gazetteer, test: Callable[[Gazetteer, str, Lang], bool], text: str, lang: Lang
) -> bool:
    """`test(gaz, text, lang)` (`Gazetteer.has_name` or `Gazetteer.may_start_name`),
    remembered per text: the same names, and words with the next, recur across sentences."""
    memo = _memo(f"{test.__name__}_{lang}", gaz)
    got = memo.get(text)
    if got is None:
        got = memo[text] = test(gaz, text, lang)
    return got


def _match_at(
    gaz: Gazetteer,
    text: str,
    toks: list[Token],
    i: int,
    lang: Lang,
    list_cue: str | None = None,
) -> tuple[int, int, PlaceValue, str | None] | None:
    """Longest gazetteer name starting at token `i`: (tokens, letters cut, place, role).

    `list_cue` is the category of a plural cue whose list the token continues.
    """
    if not _may_start(gaz, toks[i], lang):
        return None
    if lang == "ar" and not _may_name_ar(gaz, text, toks, i):
        return None
    return _longest_name(gaz, text, toks, i, lang, list_cue)


def _longest_name(
    gaz: Gazetteer,
    text: str,
    toks: list[Token],
    i: int,
    lang: Lang,
    list_cue: str | None = None,
) -> tuple[int, int, PlaceValue, str | None] | None:
    """`_match_at` past its first tests (a name may start at token `i`)."""
    if _after_title(text, toks, i, lang):
        return None
    before = _cue_before(text, toks, i, lang)
    if before is None and list_cue:
        before = (list_cue, i)
    for k in range(min(MAX_TOKENS, len(toks) - i), 0, -1):
        span = toks[i : i + k]
        if not _joined(text, span, lang):
            continue
        if lang == "en" and not _en_span_ok(span):
            continue
        rest = text[span[0].end : span[-1].end] if k > 1 else ""
        variants = ar_variants(span[0].text) if lang == "ar" else iter([(span[0].text, 0)])
        for first, cut in variants:
            name = first + rest
            if not _gaz_says(gaz, Gazetteer.has_name, name, lang):
                continue
            cue = before[0] if before else None
            if before and k == 1 and before[1] == i - 1 and any(
                # the token as written counts too: فقيرة "poor" is not ف + قيرة
                _adjective_of_cue(toks[i - 1].text, w, lang) for w in (first, span[0].text)
            ):
                continue
            if cue is None:
                cue = _cue_of_span(name, lang)
            if cue is None and lang == "en":
                cue = _cue_after(text, toks, i + k - 1)
            value = _accept(
                gaz, name, lang, cue, sentence_initial=_initial(text, span[0])
            )
            if value is not None:
                return k, cut, value, cue
    return None


def _may_name_ar(gaz: Gazetteer, text: str, toks: list[Token], i: int) -> bool:
    """False only when no Arabic gazetteer name starts at token `i` (so `_match_at` finds
    none): the token (as written or less its proclitics) is no name, and with the next
    token joined to it, it begins none. A span of more tokens begins with those two, and
    normalising it keeps that beginning: the gap after the second token (spaces, `_`, `-`,
    ZWNJ, RLM) neither composes with it nor moves.
    """
    tail: str | None = None
    if i + 1 < len(toks) and _joined(text, toks[i : i + 2], "ar"):
        tail = text[toks[i].end : toks[i + 1].end]
    for first, _ in ar_variants(toks[i].text):
        if _gaz_says(gaz, Gazetteer.has_name, first, "ar"):
            return True
        if tail is not None and _gaz_says(gaz, Gazetteer.may_start_name, first + tail, "ar"):
            return True
    return False


def _adjective_of_cue(cue_word: str, word: str, lang: Lang) -> bool:
    """Whether `word`, right after the cue `cue_word`, reads as an adjective of the cue.

    Arabic adjectives agree with their noun in definiteness and gender: "مدينة جديدة" is "a
    new city" and "حي جديد" "a new neighbourhood", while a name in a construct is definite
    ("قرية الجديدة"). Only frequent adjectives that are also gazetteer names
    (`nlp/lang/ar/common_adjectives.txt`) are read so; a name that happens to agree in form
    ("قرى شقرة") stays a place.

    >>> _adjective_of_cue("مدينة", "جديدة", "ar"), _adjective_of_cue("قرية", "الجديدة", "ar")
    (True, False)
    """
    if lang != "ar":
        return False
    norm = " ".join(normalize_ar(word).split())
    if norm.startswith("ال") or norm not in common_adjectives("ar"):
        return False
    cue = _cue_record(cue_word, "ar")
    if cue is None or cue.number == "dual":
        return False
    return norm.endswith("ه") == cue.feminine_agreement


def _after_title(text: str, toks: list[Token], i: int, lang: Lang) -> bool:
    """Whether token `i` follows a person title ("General", "اللواء"), one word apart at most,
    with nothing but spaces (or an abbreviation dot) between."""
    titles = person_titles(lang)
    norm = normalize_ar if lang == "ar" else normalize_en

    def plain(a: Token, b: Token) -> bool:
        return re.fullmatch(r"\.?\s+", text[a.end : b.start]) is not None

    if i >= 1 and norm(toks[i - 1].text) in titles and plain(toks[i - 1], toks[i]):
        return True
    # "General Issam Zahreddine": the title two words back, a first name between.
    return (
        i >= 2
        and norm(toks[i - 2].text) in titles
        and plain(toks[i - 2], toks[i - 1])
        and plain(toks[i - 1], toks[i])
        and (lang == "ar" or _name_like(toks[i - 1]))
    )


def _cue_of_span(name: str, lang: Lang) -> str | None:
    """Category of a cue word inside a matched name ("محافظة دير الزور", "Saqr Island")."""
    words = name.split()
    if len(words) < 2:
        return None
    cues = place_cues(lang)
    first = normalize_ar(words[0]) if lang == "ar" else normalize_en(words[0])
    last = normalize_ar(words[-1]) if lang == "ar" else normalize_en(words[-1])
    if first in cues and (lang == "ar" or cues[first].position != "after"):
        return cues[first].category
    if lang == "en" and last in cues and cues[last].position != "before":
        return cues[last].category
    return None


def _en_span_ok(span: list[Token]) -> bool:
    if not _name_like(span[0]) or not _name_like(span[-1]):
        return False
    return all(_name_like(t) or normalize_en(t.text) in _EN_CONNECTORS for t in span)


def _initial(text: str, tok: Token) -> bool:
    """Whether `tok` starts the sentence (only punctuation or quotes before it)."""
    return not re.search(r"\w", text[: tok.start])


def _cue_list_at(
    gaz: Gazetteer, text: str, toks: list[Token], i: int, lang: Lang, offset: int
) -> list[Mention]:
    """Names after a cue: "مدينة دير الزور", "قرى شقرة، حسان", "the villages of A and B".

    Gazetteer names are read after any cue; a name the gazetteer lacks only after an open
    cue (then as a `translit:` place); a list continues after a plural cue.
    """
    before = _cue_before(text, toks, i, lang)
    if before is None:
        return []
    category, cue_idx = before
    cue_word = toks[cue_idx].text
    cue = _cue_record(cue_word, lang)
    if cue is None:
        return []
    out: list[Mention] = []
    j = i
    while j < len(toks):
        known = _match_at(gaz, text, toks, j, lang, list_cue=category)
        k = 0 if known or not cue.open else _unknown_name_len(gaz, text, toks, j, lang)
        if known is None and k == 0:
            break
        if known is not None:
            kk, cut, value, _role = known
            start, end = toks[j].start + cut, toks[j + kk - 1].end
            out.append(_mention(text, offset, start, end, value, category, ""))
            j += kk
        else:
            span = toks[j : j + k]
            start, end = span[0].start, span[-1].end
            surface = text[start:end]
            if lang == "ar" and out:
                # A list item may carry the conjunction: "... والجيعة".
                for variant, cut in ar_variants(span[0].text):
                    if cut and variant.startswith("ال"):
                        start += cut
                        surface = text[start:end]
                        break
            note = f"not in the gazetteer; read as a place after the cue {cue_word!r}"
            value = translit_value(surface, lang, category)
            out.append(_mention(text, offset, start, end, value, category, note))
            j += k
        if j >= len(toks):
            break
        gap = text[toks[j - 1].end : toks[j].start]
        if lang == "en" and normalize_en(toks[j].text) in ("and", "or") and j + 1 < len(toks):
            # "A, B and C": the conjunction is a token of its own in English.
            gap += toks[j].text + text[toks[j].end : toks[j + 1].start]
            j += 1
        seps = _AR_LIST_SEPARATORS if lang == "ar" else _EN_LIST_SEPARATORS
        # a list continues after a plural or dual cue only: "قرى شقرة، حسان", "مدينتي
        # الميادين والبوكمال", but "جزيرة الزمالك والواجهة المائية" names one island
        plural = normalize_en(cue_word).endswith("s") if lang == "en" else cue.number != "singular"
        if not plural or not seps.match(gap):
            break
        if lang == "ar" and gap.strip() == "" and not toks[j].text.startswith("و"):
            break
    return out


def _unknown_name_len(gaz: Gazetteer, text: str, toks: list[Token], j: int, lang: Lang) -> int:
    """How many tokens from `j` form a plausible place name after a cue (0: none)."""
    cues = place_cues(lang)
    if lang == "en":
        k = 0
        while j + k < len(toks) and k < 3 and _name_like(toks[j + k]):
            if k and text[toks[j + k - 1].end : toks[j + k].start] != " ":
                break
            k += 1
        return k
    tok = toks[j]
    if j > 0 and not _joined(text, [toks[j - 1], tok], "ar") and not _AR_LIST_SEPARATORS.match(
        text[toks[j - 1].end : tok.start]
    ):
        return 0
    for variant, _ in ar_variants(tok.text):
        v = normalize_ar(variant)
        base = v[2:] if v.startswith("ال") else v
        if base in cues or v in cues:
            return 0
    for variant, _ in ar_variants(tok.text):
        v = normalize_ar(variant)
        # A name the gazetteer lacks is read after a cue only when it is definite, as
        # Arabic place names in a construct mostly are ("بلدة الجنينة", "حي الرشدية");
        # an indefinite word after a cue is most often a common noun ("منطقة ثالثة").
        if (
            v.startswith("ال")
            and len(v) >= 5
            and v not in not_places("ar")
            and v not in _ar_function_words()
        ):
            return 1
    return 0


def _ar_function_words() -> frozenset[str]:
    return person_titles("ar")


# --------------------------------------------------------------------------- anchoring


def _en_candidates(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Spans of 1-3 capitalised English tokens outside `taken` and not after a person
    title, each with whether a place context word ("in", "east of") stands before it."""
    like = list(map(_NAME_LIKE.__getitem__, _EN_TOKEN_RE.findall(text)))
    if not any(like):
        return []  # no capitalised word
    toks = tokens(text, "en")
    context = place_context("en")
    titles = person_titles("en")
    stop = not_places("en")
    out: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if not like[i]:  # `_name_like`
            i += 1
            continue
        first_word = normalize_en(t.text) == "the"  # "The Scotsman": a title, not a place
        if t.text.isupper() or _initial(text, t) or first_word:
            i += 1
            continue
        k = 1
        while (
            i + k < len(toks)
            and k < 3
            and _name_like(toks[i + k])
            and not re.search(r"['’]s$", toks[i + k - 1].text)  # "Hong Kong's | High"
            and text[toks[i + k - 1].end : toks[i + k].start] == " "
        ):
            k += 1
        span = toks[i : i + k]
        s, e = span[0].start, span[-1].end
        words_before = [normalize_en(x.text) for x in toks[max(0, i - 2) : i]]
        prev = words_before[-1] if words_before else ""
        name = normalize_en(text[s:e])
        overlaps = any(a < e and s < b for a, b in taken)
        in_span = [normalize_en(x.text).rstrip(".") for x in span]
        titled = any(w.rstrip(".") in titles for w in [*words_before, *in_span])
        if not overlaps and name not in stop and not titled:
            out.append((s, e, prev in context))
        i += k
    return out


def _has_context_name(text: str) -> bool:
    """Whether some capitalised word of English `text` follows a place context word ("in",
    "near"): where `_en_candidates` can mark a name as in context."""
    context = place_context("en")
    if "" in context:
        return True  # a name at the start of the text would count as in context
    memo = _memo("context_en", context)
    words = _EN_TOKEN_RE.findall(text)
    for before, word in itertools.pairwise(words):
        got = memo.get(before)
        if got is None:
            got = memo[before] = normalize_en(before) in context
        if got and _NAME_LIKE[word]:
            return True
    return False


def _ar_spans(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Arabic spans of 1-3 tokens outside `taken` (proclitics cut), with their text.

    Spans are joined tokens (`_joined`), none of them a person title, nor right after one.
    """
    toks = tokens(text, "ar")
    titles = person_titles("ar")
    titled = [normalize_ar(t.text) in titles for t in toks]
    # joined[j]: tokens j and j + 1 are separated only by spaces, _ or -
    joined = [_AR_GAP.fullmatch(text[a.end : b.start]) is not None for a, b in
              itertools.pairwise(toks)]
    n = len(toks)
    out: list[tuple[int, int, str]] = []
    for i in range(n):
        if i and titled[i - 1]:
            continue
        first = toks[i]
        # spans of 1, 2, 3 tokens: each longer span adds one gap and one token to check
        for k in range(1, 4):
            if i + k > n or (k > 1 and not joined[i + k - 2]) or titled[i + k - 1]:
                break
            e = toks[i + k - 1].end
            for variant, cut in ar_variants(first.text):
                s = first.start + cut
                if any(a < e and s < b for a, b in taken):
                    continue
                out.append((s, e, variant + text[first.end : e]))
    return out


def _anchor_grounding(gaz: Gazetteer, ar_name: str) -> PlaceValue | None:
    """The gazetteer place an anchored Arabic span names, when that reading is safe.

    Only an exact name counts, and a one-word name only for a Syrian or Iraqi place or a
    major one: كارولينا is also a Turkish village's alias, but "North Carolina" is not it.
    """
    if not gaz.has_name(ar_name, "ar"):
        return None
    best = gaz.lookup(ar_name, "ar")[0]
    entry = gaz.get(best.id)
    if entry is None:
        return None
    local = any(c in PRIORITY_COUNTRIES for c in entry.country.split("|"))
    if " " in ar_name.strip() or local or is_major(entry):
        return best
    return None


def _place_of(m: Mention) -> PlaceValue:
    assert isinstance(m.value, PlaceValue)
    return m.value


def _is_translit(m: Mention) -> bool:
    return isinstance(m.value, PlaceValue) and m.value.id.startswith("translit:")


def _overlaps_other(start: int, end: int, spans: dict[tuple[int, int], Mention]) -> bool:
    """Whether [start, end) overlaps one of `spans` without being exactly it."""
    return any(a < end and start < b and (a, b) != (start, end) for a, b in spans)


def anchor_pair(
    left_text: str,
    left_offset: int,
    left_lang: Lang,
    right_text: str,
    right_offset: int,
    right_lang: Lang,
) -> tuple[list[Mention], list[Mention]]:
    """Cross-lingual place anchoring for one aligned pair (English name <-> Arabic span).

    Args:
        left_text, right_text: The aligned text of each side (sentences joined as in the
            document, so that offsets stay valid).
        left_offset, right_offset: Offsets of those texts in their documents.
        left_lang, right_lang: Languages; nothing is anchored unless one is "en" and the
            other "ar".

    Returns:
        (left mentions, right mentions) not found by `extract_places`; both mentions of an
        anchored pair carry the same `PlaceValue` (a gazetteer place when the Arabic span
        is a gazetteer name held back by a guard, else a `translit:` place).

    >>> left, right = anchor_pair("captured Mazraat Zor", 0, "en", "سيطر على مزرعة الزور", 0, "ar")
    >>> right[0].surface
    'مزرعة الزور'
    """
    if {left_lang, right_lang} != {"ar", "en"}:
        return [], []
    en_is_left = left_lang == "en"
    en_text, en_off = (left_text, left_offset) if en_is_left else (right_text, right_offset)
    ar_text, ar_off = (right_text, right_offset) if en_is_left else (left_text, left_offset)
    en_found = extract_places(en_text, en_off, "en")
    ar_found = extract_places(ar_text, ar_off, "ar")
    # Places a cue gave only a transliteration key stay open to anchoring: "in Crimea" and
    # "جزيرة القرم" then share one value.
    en_translit = {(m.start - en_off, m.end - en_off): m for m in en_found if _is_translit(m)}
    ar_translit = {(m.start - ar_off, m.end - ar_off): m for m in ar_found if _is_translit(m)}
    if not en_translit and not _has_context_name(en_text):
        return [], []  # an English name is anchored only after a context word or a cue
    en_taken = [(m.start - en_off, m.end - en_off) for m in en_found if not _is_translit(m)]
    ar_taken = [(m.start - ar_off, m.end - ar_off) for m in ar_found if not _is_translit(m)]
    # Organisation names are not places, nor anchors for them.
    en_taken += organisation_spans(en_text, "en")
    ar_taken += organisation_spans(ar_text, "ar")
    gaz = load_gazetteer()

    spans: list[tuple[int, int, str]] | None = None  # built for the first English name
    pairs: list[tuple[float, tuple[int, int], tuple[int, int, str]]] = []
    for es, ee, en_context in _en_candidates(en_text, en_taken):
        name = en_text[es:ee]
        if len(skeleton_en(name)) < 2 or not (en_context or (es, ee) in en_translit):
            continue
        if spans is None:
            spans = _ar_spans(ar_text, ar_taken)
        en_words = len(name.split())
        for span in spans:
            if len(span[2].split()) > en_words:
                continue
            if _overlaps_other(span[0], span[1], ar_translit):
                continue
            score = match_score(name, span[2])
            if score >= ANCHOR_MIN:
                pairs.append((score, (es, ee), span))
    pairs.sort(key=lambda p: (-p[0], p[2][0]))
    en_out: list[Mention] = []
    ar_out: list[Mention] = []
    used_en: list[tuple[int, int]] = []
    used_ar: list[tuple[int, int]] = []
    for score, (es, ee), (as_, ae, ar_name) in pairs:
        if any(a < ee and es < b for a, b in used_en) or any(
            a < ae and as_ < b for a, b in used_ar
        ):
            continue
        known = _anchor_grounding(gaz, ar_name)
        value: PlaceValue
        if (as_, ae) in ar_translit:
            value = _place_of(ar_translit[(as_, ae)])
        elif (es, ee) in en_translit:
            value = _place_of(en_translit[(es, ee)])
        elif known is not None:
            value = known
        else:
            key = skeleton_en(en_text[es:ee])
            value = PlaceValue(
                id=f"translit:{key}", name_en=en_text[es:ee], name_ar=ar_text[as_:ae], key=key
            )
        note = f"anchored across languages (transliteration score {score:.2f})"
        used_en.append((es, ee))
        used_ar.append((as_, ae))
        if (es, ee) not in en_translit or value is not en_translit[(es, ee)].value:
            en_out.append(_mention(en_text, en_off, es, ee, value, None, note))
        if (as_, ae) not in ar_translit or value is not ar_translit[(as_, ae)].value:
            ar_out.append(_mention(ar_text, ar_off, as_, ae, value, None, note))
    en_out.sort(key=lambda m: m.start)
    ar_out.sort(key=lambda m: m.start)
    return (en_out, ar_out) if en_is_left else (ar_out, en_out)


# --------------------------------------------------------------------------- document context


def resolve_in_context(
    mentions: dict[int, list[Mention]], lang: Lang
) -> dict[int, list[Mention]]:
    """Read a name several places bear as the one inside the places the document names.

    Each sentence is read alone, so "Hamidiyah" takes the gazetteer's first Hamidiyah (a
    town in Tartus) even in an article that names Deir ez-Zor throughout. Here every place
    mention whose name has other candidates (`Gazetteer.lookup` with its cue) moves to the
    candidate inside the most places the document names elsewhere (its `within` ids), when
    that is strictly more than the current reading's; a cue keeps its say (a candidate of a
    kind the cue excludes is not taken). Mentions found by transliteration only stay.

    Args:
        mentions: Mentions per sentence index, as `extract_document` builds them.
        lang: The document's language.

    Returns:
        The same mapping, with re-read place values (note says so).
    """
    named = {m.value.id for ms in mentions.values() for m in ms
             if m.kind == "place" and isinstance(m.value, PlaceValue)}
    if len(named) < 2:
        return mentions
    out: dict[int, list[Mention]] = {}
    for idx, ms in mentions.items():
        row: list[Mention] = []
        for m in ms:
            if m.kind == "place" and isinstance(m.value, PlaceValue):
                better = _better_in_context(m, lang, named)
                if better is not None:
                    why = (f"read as the {better.feature or 'place'} inside a place the"
                           " document names elsewhere")
                    m = Mention(m.kind, better, m.surface, m.start, m.end, m.sentence, m.role,
                                f"{m.note}; {why}" if m.note else why)
            row.append(m)
        out[idx] = row
    return out


def _better_in_context(m: Mention, lang: Lang, named: set[str]) -> PlaceValue | None:
    current = m.value
    assert isinstance(current, PlaceValue)
    if current.id.startswith("translit:"):
        return None
    cands = _candidates(m.surface, lang, m.role)
    if len(cands) < 2 or current.id not in {c.id for c in cands}:
        return None
    admits = CUE_FEATURES.get(m.role or "", frozenset())

    def inside(p: PlaceValue) -> int:
        return sum(1 for w in p.within if w in named and w != current.id)

    best, best_n = None, inside(current)
    for c in cands:
        if c.id == current.id or (admits and c.feature not in admits):
            continue
        n = inside(c)
        if n > best_n:
            best, best_n = c, n
    return best


@lru_cache(maxsize=16384)
def _candidates(surface: str, lang: Lang, cue: str | None) -> tuple[PlaceValue, ...]:
    return tuple(load_gazetteer().lookup(surface, lang, cue=cue))

"""The shortcuts of the fact extractors change no result.

Extraction skips work it can prove useless: a date pattern on a sentence without what the
pattern needs, a word no number reader starts from, a token no gazetteer name begins
with, an Arabic or English sentence with nothing to anchor. Each test here states one
such shortcut as a property and checks it on real text (the UD Arabic PUD pairs, CC BY-SA
3.0, in `tests/data/`; the demo documents in `corpus/demo/`) and on sentences written to
hit the edges: every skipped step would have found nothing.
"""

from __future__ import annotations

import bisect
import csv
import re
import unicodedata
from collections.abc import Collection
from functools import cache

import pytest

from nlp.extract import dates as D
from nlp.extract import numbers as N
from nlp.extract import places as P
from nlp.lang import fraction_words, number_words, percent_words, units
from nlp.normalize import normalize
from nlp.places import load_gazetteer
from nlp.records import Lang
from tests.paths import DEMO, PUD

WRITTEN = {
    "ar": [
        "في 17 أيلول/سبتمبر 2017 سيطرت القوات على حي الرشدية في مدينة دير الزور.",
        "بين 1,300 و1,700 مقاتل في قرى شقرة، حسان والجيعة منذ الخامس عشر من تشرين الأول.",
        "قُتِلَ نحو ٥٠ مدنيًا خلال اليومين الماضيين في ريف حلب الشرقي، أي ما يقارب ثلثي الضحايا.",
        "عام 1438 هـ، في مطلع العام المقبل، 3 ملايين نازح، بنسبة 40 في المئة من السكان.",
        "أطلقت قوات سوريا الديمقراطية #معركة_الجزيرة في ديرالزور والبوكمال والميادين.",
        "قال اللواء مظلوم عبدي إن الفرقة الرابعة واللواء 137 في الثامنة عشرة من عمره.",
        "ﻻ شيء في الصفحة الحادية والثلاثين، وفي المائة الأولى بين 2014-2017.",
    ],
    "en": [
        "On 17 October 2017, 1,500 ISIL fighters left Deir ez-Zor for the village of Mazraat Zor.",
        "Between 1,300 and 1,700 civilians fled the villages of Shuqra, Hassan and Al-Jea'a.",
        "For three and a half years, a million people lived in al-Mayadin; half of them left.",
        "Sha'ban 1438 AH fell in May 2017; the 4th Mechanized Division reached Raqqa Governorate.",
        "More than two-thirds of the 300+ km road, in early next year, one-half per cent.",
        "General Issam Zahreddine visited the Scotsman office in London and Paris on 2017-09-05.",
        "The İstanbul café's 10 000 visitors — 3/11/2017 — a couple of pair-wise a.h. 1438.",
    ],
}


@cache
def corpus(lang: Lang) -> tuple[str, ...]:
    """PUD sentences of `lang`, the demo documents' lines in it, and the written ones."""
    with PUD.open(encoding="utf-8") as fh:
        texts = [row[lang] for row in csv.DictReader(fh, delimiter="\t")]
    for path in sorted(DEMO.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        mine = [x for x in lines if x.strip() and (D.arabic_ratio(x) > 0.5) == (lang == "ar")]
        texts += mine
    return tuple(texts + WRITTEN[lang])


LANGS: tuple[Lang, ...] = ("ar", "en")


# --------------------------------------------------------------------------- dates


def _char_by_char(text: str, lang: Lang) -> tuple[str, list[int]]:
    out, idx = [], []
    for i, ch in enumerate(text):
        n = normalize(ch, lang)
        if lang == "en" and n == "'":
            n = ""
        out.append(n)
        idx.extend([i] * len(n))
    return "".join(out), idx


@pytest.mark.parametrize("lang", LANGS)
def test_table_normalisation_is_char_by_char_normalisation(lang: Lang) -> None:
    extra = ["İstanbul ½ ﻻ ﷺ ـــ Sha'ban 1990's …", "إِلَى المَدِينَةِ ١٧ ۱۷ ﹶ"]
    for text in [*corpus(lang), *extra]:
        norm, orig = D._normalise_with_map(text, lang)
        assert (norm, list(orig)) == _char_by_char(text, lang)


def _ungated_candidates(text: str, lang: Lang) -> list[D.DateCandidate]:
    """`find_date_candidates` running every pattern on every sentence."""
    sk = D._skeleton(text, lang)
    found: list[D.DateCandidate] = []
    taken: list[tuple[int, int]] = []
    pats = D._patterns(lang)
    readers = {"relative": D._read_relative, "duration": D._read_duration}
    runs = [(n, pats[n]) for n in D._ORDER if n in pats]
    runs += [("relative", D._relative_re(lang)), ("duration", D._duration_re(lang))]
    for name, pat in runs:
        reader = readers.get(name)
        for m in pat.finditer(sk.text):
            s, e = m.span()
            if (reader is None and s == e) or not all(e <= a or b <= s for a, b in taken):
                continue
            at = sk.to_orig(s, e)
            cand = (
                D._read(name, m, sk, lang, at) if reader is None else reader(m, lang, text, sk, at)
            )
            if cand is None:
                continue
            found.append(cand)
            taken.append((s, e))
    return sorted(found, key=lambda c: c.start)


@pytest.mark.parametrize("lang", LANGS)
def test_date_patterns_skipped_would_find_nothing(lang: Lang) -> None:
    for text in corpus(lang):
        assert D.find_date_candidates(text, lang) == _ungated_candidates(text, lang), text


@pytest.mark.parametrize("lang", LANGS)
def test_month_and_ordinal_needs_rule_out_only_texts_without_them(lang: Lang) -> None:
    for text in corpus(lang):
        norm, _ = D._normalise_with_map(text, lang)
        runs = D._letter_runs(norm)
        if not D._month_scan(lang).needs.met(runs):
            assert D._month_re(lang).search(norm) is None, text
        if not D._ordinal_scan(lang).needs.met(runs):
            assert D._ordinal_re(lang).search(norm) is None, text


@pytest.mark.parametrize("lang", LANGS)
def test_month_and_ordinal_scans_start_only_where_a_match_can(lang: Lang) -> None:
    texts = [*corpus(lang), *(t.replace(" ", "_") for t in WRITTEN[lang])]
    texts += ["وسبتمبر وأيلول، فبراير وفبراير لأكتوبر كأيلول والخامس بالعاشر", "Sept. Sept-Oct"]
    scans = (
        (D._month_scan(lang).starts, D._month_re(lang)),
        (D._ordinal_scan(lang).starts, D._ordinal_re(lang)),
    )
    for text in texts:
        norm, _ = D._normalise_with_map(text, lang)
        for starts, pat in scans:
            assert starts.firsts is not None
            want = [(m.span(), m.lastgroup) for m in pat.finditer(norm)]
            got = starts.finditer(pat, norm, D._letter_runs(norm))
            assert [(m.span(), m.lastgroup) for m in got] == want, text


@pytest.mark.parametrize("lang", LANGS)
def test_word_needs_read_only_their_own_words(lang: Lang) -> None:
    keys = D._word_keys(lang)
    extra = ["وسبتمبر وأيلول والخامس من شهر أكتوبر", "Sept. 5, the fifth of May"]
    for text in [*corpus(lang), *extra]:
        sk = D._skeleton(text, lang)
        runs = sk.runs
        assert D._letter_runs(sk.text) <= runs, text  # what a gate may rely on
        for needs in D._word_needs(lang).values():
            assert needs.met(runs & keys) == needs.met(runs), text


def test_skeleton_spans_map_to_the_normalised_text() -> None:
    text = "من 5 أيلول/سبتمبر حتى الخامس عشر من تشرين الأول (أكتوبر) 2017"
    sk = D._skeleton(text, "ar")
    norm, _ = D._normalise_with_map(text, "ar")
    rebuilt = ""
    for k, ch in enumerate(sk.text):
        s, e = sk._norm_span(k)
        if ch < "\ue000" or ch > "\ue0ff":
            assert norm[s:e] == ch
        rebuilt += norm[s:e]
    assert rebuilt == norm
    (c,) = D.find_date_candidates(text, "ar")
    assert (c.form, c.a, c.b) == ("range", D.DatePart(2017, 9, 5), D.DatePart(2017, 10, 15))
    assert (c.start, c.end) == (0, len(text))


# --------------------------------------------------------------------------- numbers


def _strip_reference(word: str, table: Collection[str]) -> str | None:
    if word in table:
        return word
    for p in N._AR_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 2 and word[len(p) :] in table:
            return word[len(p) :]
    return None


def _may_start_reference(first: str, phrases: Collection[str], lang: Lang) -> bool:
    ordered = sorted(phrases)
    heads = [first]
    if lang == "ar":
        heads += [first[1:] for p in ("و", "ب", "ل") if first.startswith(p) and len(first) > 2]
    for head in heads:
        at = bisect.bisect_left(ordered, head)
        if at < len(ordered) and ordered[at].startswith(head):
            return True
    return False


def test_clitic_index_and_phrase_prefixes_answer_as_the_loops() -> None:
    words = {t.norm for text in corpus("ar") for t in N._tokenise(text, "ar")}
    tables: list[Collection[str]] = [
        number_words("ar"), units("ar"), fraction_words("ar"), percent_words("ar")
    ]
    for table in tables:
        probes = words | {p + e for e in table for p in N._AR_PREFIXES} | {"", "و", "ال"}
        for w in probes:
            assert N._strip_ar_prefix(w, table) == _strip_reference(w, table), w
            for lang in LANGS:
                assert N._may_start_phrase(w, table, lang) == _may_start_reference(
                    w, table, lang
                ), w


@pytest.mark.parametrize("lang", LANGS)
def test_hedge_index_finds_the_first_listed_hedge(lang: Lang) -> None:
    def pre(toks: list[N._Tok], i: int) -> tuple[N.Hedge, int] | None:
        for h in N.hedges(lang):
            k = len(h.words)
            if h.position != "pre" or i - k < 0:
                continue
            seg = toks[i - k : i]
            if any(t.kind not in ("word", "latin") for t in seg):
                continue
            words = [t.norm for t in seg]
            if tuple(words) == h.words:
                return h, i - k
            if lang == "ar":
                for p in ("و", "ب", "ف"):
                    if words[0].startswith(p) and (words[0][1:], *words[1:]) == h.words:
                        return h, i - k
        return None

    def post(toks: list[N._Tok], j: int) -> tuple[N.Hedge, int] | None:
        for h in N.hedges(lang):
            seg = toks[j : j + len(h.words)]
            if h.position == "post" and tuple(t.norm for t in seg) == h.words:
                return h, j + len(h.words)
        return None

    for text in corpus(lang):
        toks = N._tokenise(text, lang)
        for i in range(len(toks) + 1):
            assert N._pre_hedge(toks, i, lang) == pre(toks, i)
            assert N._post_hedge(toks, i, lang) == post(toks, i)


@pytest.mark.parametrize("lang", LANGS)
def test_words_the_number_loop_skips_start_nothing(lang: Lang) -> None:
    for text in corpus(lang):
        toks = N._tokenise(text, lang)
        for i, t in enumerate(toks):
            if t.kind not in ("word", "latin") or N._may_begin(t.norm, lang):
                continue
            assert N._match_phrase(toks, i, percent_words(lang), lang) is None
            assert N._match_phrase(toks, i, fraction_words(lang), lang) is None
            assert N._word_number(toks, i, lang) is None
            assert N._dual(t, lang) is None
            assert N._fraction(toks, i, lang) is None


@pytest.mark.parametrize("lang", LANGS)
def test_sentences_the_number_gate_skips_hold_no_number(lang: Lang) -> None:
    texts = [*corpus(lang), *(re.sub(r"\d", "", t) for t in corpus(lang))]
    for text in texts:
        masked = N._mask(text)
        if not N._may_hold_numbers(masked, lang):
            assert N._numbers_in(N._tokenise(text, lang), text, lang) == [], text


def _match_phrase_reference(
    toks: list[N._Tok], j: int, phrases: Collection[str], lang: Lang, max_words: int = 3
) -> tuple[str, int] | None:
    """`_match_phrase` trying every length of segment in turn."""
    for k in range(max_words, 0, -1):
        if j + k > len(toks):
            continue
        seg = toks[j : j + k]
        if any(t.kind not in ("word", "latin", "sym", "dash") for t in seg):
            continue
        if seg[0].kind == "dash" or seg[-1].kind == "dash":
            continue
        if any(seg[x + 1].start - seg[x].end > 1 for x in range(k - 1)):
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


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_matching_tries_only_segments_that_can_hold_a_phrase(lang: Lang) -> None:
    tables = (units(lang), percent_words(lang), fraction_words(lang))
    extra = ["three-quarters - per cent in 5 km – half", "ثلاثة أرباع - في المئة و كم"]
    for text in [*corpus(lang), *extra]:
        toks = N._tokenise(text, lang)
        for j in range(len(toks) + 1):
            for table in tables:
                want = _match_phrase_reference(toks, j, table, lang)
                assert N._match_phrase(toks, j, table, lang) == want, (text, j)


def _reference_mask(text: str) -> str:
    return N._MASK_RE.sub(lambda m: " " * (m.end() - m.start()), text)


@pytest.mark.parametrize("lang", LANGS)
def test_mask_blanks_what_the_full_mask_pattern_does(lang: Lang) -> None:
    edges = [
        "see [23] and [citation needed] [Note 4]", "WwW.example.org [1]", "a/b [2] #tag @me",
        "pic.twitter.com/abc [3]", "https://x.y/z", "[ 12 ] without links", "no marks at all",
    ]
    for text in [*corpus(lang), *edges]:
        assert N._mask(text) == _reference_mask(text), text


def test_only_w_and_capital_w_match_w_ignoring_case() -> None:
    w = re.compile("w", re.IGNORECASE)
    assert [c for c in map(chr, range(0x110000)) if w.fullmatch(c)] == ["W", "w"]


# --------------------------------------------------------------------------- places


def _ungated_places(text: str, lang: Lang) -> tuple[object, ...]:
    """`_extract_places` trying a cue list and a name at every token."""
    gaz = load_gazetteer()
    toks = P.tokens(text, lang)
    out = []
    i = 0
    while i < len(toks):
        listed = P._cue_list_at(gaz, text, toks, i, lang, 0)
        if listed:
            out.extend(listed)
            while i < len(toks) and toks[i].start < listed[-1].end:
                i += 1
            continue
        found = P._match_at(gaz, text, toks, i, lang)
        if found is not None:
            k, cut, value, role = found
            end = toks[i + k - 1].end
            out.append(P._mention(text, 0, toks[i].start + cut, end, value, role, ""))
            i += k
            continue
        i += 1
    orgs = P.organisation_spans(text, lang)
    out = [m for m in out if not any(s < m.end and m.start < e for s, e in orgs)]
    return tuple(sorted(out, key=lambda m: m.start))


@pytest.mark.parametrize("lang", LANGS)
def test_tokens_the_place_loop_skips_begin_no_place(lang: Lang) -> None:
    texts = [*corpus(lang), *(t.replace(" ", "_") for t in WRITTEN[lang])]
    for text in texts:
        assert tuple(P.extract_places(text, 0, lang)) == _ungated_places(text, lang), text
    words = P._AR_WORD_GAP_RE.findall(WRITTEN["ar"][0])
    assert [w for w, _ in words] == [t.text for t in P.tokens(WRITTEN["ar"][0], "ar")]


@pytest.mark.parametrize("lang", LANGS)
def test_word_gap_pairs_give_the_tokens(lang: Lang) -> None:
    rx = P._AR_WORD_GAP_RE if lang == "ar" else P._EN_WORD_GAP_RE
    extra = ["", "123", " x ", "rock'n'roll's 3rd Al-Bab’s -- é", "#دير_الزور،وبالرقة"]
    for text in [*corpus(lang), *extra]:
        assert P._tokens_of(text, rx.findall(text)) == P.tokens(text, lang), text


@pytest.mark.parametrize("lang", LANGS)
def test_tokens_the_name_gate_rules_out_begin_no_name(lang: Lang) -> None:
    """`_match_at` finds nothing (with no list cue) at the tokens `_name_starts` leaves
    out, also in texts whose words are capitalised or joined by `_`."""
    gaz = load_gazetteer()
    rx = P._AR_WORD_GAP_RE if lang == "ar" else P._EN_WORD_GAP_RE
    flags = P._word_flags(gaz, lang)
    texts = [*corpus(lang), *(t.replace(" ", "_") for t in WRITTEN[lang])]
    if lang == "en":
        texts += [t.title() for t in corpus(lang)]
        # names a cue after them, or "CUE of" before them, lets `_accept` take
        texts += ["Sparta Governorate and Liwa Island", "the town of Sparta, then Liwa."]
    else:
        texts += ["زار مدينة جديدة وقرية الجديدة", "صور المدينة، ومحافظة صور، وبصور"]
    for text in texts:
        words = rx.findall(text)
        starts = P._name_starts(gaz, words, [flags[w] for w, _ in words], lang)
        toks = P.tokens(text, lang)
        for i in range(len(words)):
            if i not in starts:
                assert P._match_at(gaz, text, toks, i, lang) is None, (text, i)


def test_arabic_name_test_rules_out_only_tokens_no_name_starts_at() -> None:
    gaz = load_gazetteer()
    for text in corpus("ar"):
        toks = P.tokens(text, "ar")
        for i in range(len(toks)):
            if P._may_name_ar(gaz, text, toks, i):
                continue
            for k in range(1, min(P.MAX_TOKENS, len(toks) - i) + 1):
                span = toks[i : i + k]
                if not P._joined(text, span, "ar"):
                    continue
                rest = text[span[0].end : span[-1].end] if k > 1 else ""
                for first, _ in P.ar_variants(span[0].text):
                    assert not gaz.has_name(first + rest, "ar"), (text, i, k)


def test_english_text_without_a_context_name_has_no_anchorable_name() -> None:
    for text in corpus("en"):
        if P._has_context_name(text):
            continue
        assert not any(ctx for _, _, ctx in P._en_candidates(text, [])), text


def test_nfkc_keeps_the_start_of_a_joined_arabic_span() -> None:
    """What `_may_name_ar` relies on: normalising a name and a gap of spaces, `_`, `-`,
    ZWNJ or RLM after it gives the name's normalisation followed by the gap's."""
    for gap in (" ", "_", "-", "\u200c", "\u200f", "\u00a0", "\u2003", "\t"):
        for word in ("الرقة", "آ", "ا\u0654", "ﻻ", "دير"):
            whole = unicodedata.normalize("NFKC", word + gap + "x")
            assert whole.startswith(unicodedata.normalize("NFKC", word))

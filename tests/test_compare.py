"""The comparison stage: omissions, pairing like with like, verdicts, confidence.

Sentences are from the demo seeds (English Wikipedia article on the 2017 Deir ez-Zor
offensive and its Arabic translation), with planted changes where a conflict is expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from nlp.compare import AlignedPair, _assign, compare, date_cue_slot
from nlp.extract.dates import extract_dates
from nlp.extract.numbers import extract_numbers
from nlp.policy import Verdict
from nlp.records import Alignment, Document, Evidence, Mention, PlaceValue, Quantity, Sentence

EN_CASUALTIES = ("where an estimated 1,500 civilians were trapped. 50 ISIL militants and 23 "
                 "pro-government fighters were killed during the day's fighting.")
AR_CASUALTIES = ("حيث يحاصر ما يقدر بنحو 1,500 مدني.[51] 50 مقاتل داعش و23 مقاتل مؤيد للحكومة "
                 "قتلوا خلال قتال اليوم.[49]")


@pytest.fixture(autouse=True)
def no_gazetteer_anchoring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cross-lingual anchoring loads the gazetteer (seconds); `nlp.places` tests cover it."""
    monkeypatch.setattr("nlp.compare.anchor_places", lambda *args: ([], []))


def make_pair(
    en: str | None,
    ar: str | None,
    *,
    en_mentions: Sequence[Mention] | None = None,
    ar_mentions: Sequence[Mention] | None = None,
) -> AlignedPair:
    """An aligned pair of one English and one Arabic sentence, numbers extracted."""
    ls = (Sentence("en", 0, en, 0, len(en)),) if en is not None else ()
    rs = (Sentence("ar", 0, ar, 0, len(ar)),) if ar is not None else ()
    lm = en_mentions if en_mentions is not None else (
        extract_numbers(en, 0, "en") if en else [])
    rm = ar_mentions if ar_mentions is not None else (
        extract_numbers(ar, 0, "ar") if ar else [])
    return AlignedPair(
        index=3,
        alignment=Alignment((0,) if ls else (), (0,) if rs else (), 0.8),
        left_lang="en",
        right_lang="ar",
        left_sentences=ls,
        right_sentences=rs,
        left_mentions=tuple(lm),
        right_mentions=tuple(rm),
    )


def number(value: float, unit: str | None = None, start: int = 0) -> Mention:
    return Mention("number", Quantity(value, value, value, unit=unit), str(value), start,
                   start + 1, role=unit)


def statuses(findings: Sequence) -> list[tuple[str, str]]:
    return [(f.kind, f.status) for f in findings]


# --------------------------------------------------------------------------- omissions


def test_unaligned_left_sentence_is_an_omission() -> None:
    text = "On 6 October, it was reported that Syrian airstrikes resulted in 13 civilian deaths."
    (f,) = compare(make_pair(text, None))
    assert (f.kind, f.status, f.rule, f.alignment) == ("omission", "left_only",
                                                       "omission.unaligned", 3)
    assert f.left == Evidence(text=text, value=None, start=0, end=len(text))
    assert f.right is None


def test_unaligned_right_sentences_span_all_of_them() -> None:
    a, b = "في 10 نوفمبر، سيطر الجيش.", "بحلول 17 نوفمبر استسلموا."
    s1, s2 = Sentence("ar", 4, a, 100, 100 + len(a)), Sentence("ar", 5, b, 130, 130 + len(b))
    pair = AlignedPair(0, Alignment((), (4, 5), 0.0), "en", "ar", (), (s1, s2), (), ())
    (f,) = compare(pair)
    assert (f.status, f.right.start, f.right.end) == ("right_only", 100, 130 + len(b))
    assert "2 right sentences" in f.reason


def test_empty_alignment_gives_nothing() -> None:
    assert compare(AlignedPair(0, Alignment((), (), 0.0), "en", "ar", (), (), (), ())) == []


# --------------------------------------------------------------------------- numbers


def test_seed_casualties_all_agree() -> None:
    findings = compare(make_pair(EN_CASUALTIES, AR_CASUALTIES))
    assert statuses(findings) == [("number", "agree")] * 3
    for f in findings:
        assert f.left is not None and f.right is not None
        assert EN_CASUALTIES[f.left.start : f.left.end] == f.left.text
        assert AR_CASUALTIES[f.right.start : f.right.end] == f.right.text
        assert "\n" not in f.reason and f.reason.startswith("number: ")
        assert f.confidence >= 0.8


def test_planted_change_is_a_conflict_with_its_counterpart() -> None:
    planted = AR_CASUALTIES.replace("و23", "و28")
    findings = compare(make_pair(EN_CASUALTIES, planted))
    conflicts = [f for f in findings if f.status == "conflict"]
    assert len(conflicts) == 1
    c = conflicts[0]
    assert (c.left.value, c.right.value) == (23, 28)
    assert c.reason == "number: 23 fighter vs 28 fighter (values differ)"
    assert c.rule == "number.differs" and c.confidence >= 0.85
    assert sum(f.status == "agree" for f in findings) == 2


def test_pairing_is_an_assignment_not_first_come() -> None:
    en = "50 ISIL militants and 23 pro-government fighters were killed."
    ar = "قتل 23 مقاتلا مؤيدا للحكومة و50 مقاتلا من داعش"
    findings = compare(make_pair(en, ar))
    assert statuses(findings) == [("number", "agree")] * 2
    assert sorted((f.left.value, f.right.value) for f in findings) == [(23, 23), (50, 50)]


def test_missing_counterpart_is_one_sided_not_a_conflict() -> None:
    en = "an estimated 1,500 civilians were trapped and 50 ISIL militants were killed."
    ar = "حيث يحاصر ما يقدر بنحو 1,500 مدني."
    findings = compare(make_pair(en, ar))
    assert statuses(findings) == [("number", "agree"), ("number", "left_only")]
    assert findings[1].left.text == "50"
    assert findings[1].rule == "number.unpaired"
    assert "only on the left" in findings[1].reason


def test_different_counted_nouns_are_never_paired() -> None:
    findings = compare(make_pair("35 towns were captured.", "قتل 35 مدنيا."))
    assert statuses(findings) == [("number", "left_only"), ("number", "right_only")]


def test_sole_unlabelled_candidates_conflict_with_lower_confidence() -> None:
    findings = compare(make_pair("They advanced 100 meters.", "تقدموا 300 متر.",))
    (f,) = findings
    assert f.status == "conflict" and f.confidence == pytest.approx(0.9)
    findings = compare(make_pair("He said 20 and 50.", "قال 50 و27."))
    by_status = {f.status: f for f in findings}
    assert by_status["agree"].left.value == 50
    assert by_status["conflict"].confidence < 0.85
    assert "only number candidates" in by_status["conflict"].reason


def test_small_differences_are_not_rounding() -> None:
    (f,) = compare(make_pair("20 soldiers were wounded.", "أصيب 21 جنديا."))
    assert (f.status, f.rule) == ("conflict", "number.differs")


def test_unbacked_guess_is_not_a_conflict() -> None:
    findings = compare(make_pair("He listed 3 and 7.", "ذكر 4 و9."))
    assert sorted(f.status for f in findings) == ["left_only"] * 2 + ["right_only"] * 2


def test_hedge_and_unit_notes_reach_the_reason() -> None:
    (f,) = compare(make_pair("advancing 100 meters past the city stadium",
                             "ليتقدم على مسافة 0.1 كيلومتر من ملعب المدينة"))
    assert f.status == "agree" and "converted" in f.reason
    (f,) = compare(make_pair("more than 10,000 civilians", "اكثر من 12 ألف مدني"))
    assert f.status == "agree" and f.rule == "number.interval_overlap"
    (f,) = compare(make_pair("bringing half of the city under their control",
                             "لتصبح 50 بالمائة من المدينة تحت سيطرتهم"))
    assert (f.status, f.left.value, f.right.value) == ("agree", 50, 50)


def test_unit_ordinals_compare_with_unit_ordinals_only() -> None:
    findings = compare(make_pair("the 4th Mechanized Division and 4 soldiers",
                                 "الفرقة الآلية الخامسة و4 جنود"))
    got = {(f.left.text, f.right.text if f.right else None): f.status for f in findings}
    assert got == {("4th Mechanized Division", "الخامسة"): "conflict", ("4", "4"): "agree"}


# --------------------------------------------------------------------------- dates, places


def _dates(text: str, lang: str) -> list[Mention]:
    doc = Document(lang, text, lang)  # type: ignore[arg-type]
    return extract_dates(doc, [Sentence(lang, 0, text, 0, len(text))])[0]


def test_dates_are_compared_by_the_dates_comparator() -> None:
    en, ar = "On 16 September, the Syrian Army captured the hill.", "في 19 سبتمبر، استولى الجيش."
    (f,) = compare(make_pair(en, ar, en_mentions=_dates(en, "en"), ar_mentions=_dates(ar, "ar")))
    assert (f.kind, f.status) == ("date", "conflict")
    assert "day differs" in f.reason
    en2 = "On 16 September, the army moved."
    (f,) = compare(make_pair(en2, "في 16 سبتمبر تحرك الجيش.", en_mentions=_dates(en2, "en"),
                             ar_mentions=_dates("في 16 سبتمبر تحرك الجيش.", "ar")))
    assert f.status == "agree"


def _place(pid: str, en: str, ar: str, within: tuple[str, ...], start: int) -> Mention:
    return Mention("place", PlaceValue(pid, en, ar, "city", within), en, start, start + len(en))


def test_places_pair_by_relation(monkeypatch: pytest.MonkeyPatch) -> None:
    # the real comparator loads the gazetteer for its reasons (seconds); tested in test_places
    from nlp.places import relate

    def verdict(a: PlaceValue, b: PlaceValue, policy: object, surfaces: object = ()) -> Verdict:
        r = relate(a, b)
        status = "conflict" if r == "different" else "agree"
        return Verdict(status, f"place.{r}", f"place: {a.name_en} vs {b.name_en} ({r})", 0.9)

    monkeypatch.setattr("nlp.compare.compare_places", verdict)
    monkeypatch.setattr("nlp.compare.partial_name", lambda a, b, surfaces=(): False)
    monkeypatch.setattr("nlp.compare.name_similarity", lambda a, b, surfaces=(): 0.0)
    city = _place("geonames:170794", "Deir ez-Zor", "دير الزور", ("opensyria:adm1:dz",), 10)
    gov = _place("opensyria:adm1:dz", "Deir ez-Zor Governorate", "محافظة دير الزور", (), 5)
    raqqa = _place("geonames:172955", "Raqqa", "الرقة", ("opensyria:adm1:rq",), 20)
    en, ar = "x" * 40, "y" * 40
    findings = compare(make_pair(en, ar, en_mentions=[city], ar_mentions=[gov]))
    assert statuses(findings) == [("place", "agree")]
    findings = compare(make_pair(en, ar, en_mentions=[city], ar_mentions=[raqqa]))
    assert statuses(findings) == [("place", "conflict")]


def test_anchored_places_are_merged(monkeypatch: pytest.MonkeyPatch) -> None:
    en, ar = "Government forces captured Khasham.", "استولت القوات على خشام."
    left = _place("translit:khsham", "Khasham", "خشام", (), en.index("Khasham"))
    right = _place("translit:khsham", "Khasham", "خشام", (), ar.index("خشام"))
    calls = []

    def anchor(lt: str, lo: int, ll: str, rt: str, ro: int, rl: str):
        calls.append((lt, lo, ll, rt, ro, rl))
        return [left], [right]

    monkeypatch.setattr("nlp.compare.anchor_places", anchor)
    (f,) = compare(make_pair(en, ar))
    assert calls == [(en, 0, "en", ar, 0, "ar")]
    assert (f.kind, f.status, f.left.text) == ("place", "agree", "Khasham")
    # an anchored span that overlaps a place already found is not added twice
    (f,) = compare(make_pair(en, ar, en_mentions=[left], ar_mentions=[right]))
    assert f.status == "agree"


def test_assign_prefers_agreeing_pairs_and_leaves_costly_ones() -> None:
    import numpy as np

    cost = np.array([[1.2, 0.0], [0.0, 1.5]])
    assert _assign(cost) == [(0, 1), (1, 0)]
    blocked = np.array([[1e6, 1e6]])
    assert _assign(blocked) == []
    # more columns than rows, and a large matrix falls back to cheapest-first
    assert _assign(np.array([[0.5, 0.0, 0.3]])) == [(0, 1)]
    big = np.full((12, 12), 1.5)
    np.fill_diagonal(big, 0.0)
    assert _assign(big) == [(i, i) for i in range(12)]


# --------------------------------------------------------------------------- date slots

DEMO_DIR = Path(__file__).resolve().parents[1] / "corpus" / "demo"


def _dated(text: str, lang: str, published: str | None = None) -> list[Mention]:
    doc = Document(lang, text, lang, published=published)  # type: ignore[arg-type]
    return extract_dates(doc, [Sentence(lang, 0, text, 0, len(text))])[0]


def _date_pair(en: str, ar: str, ar_published: str | None = None) -> list:
    return compare(make_pair(en, ar, en_mentions=_dated(en, "en"),
                             ar_mentions=_dated(ar, "ar", ar_published)))


def _seed_line(name: str, needle: str) -> str:
    text = (DEMO_DIR / name).read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if needle in line)


def test_seed_start_month_is_not_paired_with_a_later_day() -> None:
    """ar-news-nov: the offensive 'began in September' is not the day Jubaliyah fell."""
    ar = _seed_line("ar-news-2017-11-03.txt", "بدأ في سبتمبر-أيلول الماضي")
    en = _seed_line("en-wiki.txt", "On 1 November, the Syrian Army made significant advances")
    found = [f for f in _date_pair(en, ar, "2017-11-03") if f.kind == "date"]
    assert found and all(f.status != "conflict" for f in found)
    ar_side = [f for f in found if f.right is not None and "سبتمبر" in f.right.text]
    assert [f.status for f in ar_side] == ["right_only"]


def test_seed_since_date_is_not_paired_with_a_capture_day() -> None:
    """ar-news-sep: ISIL has held the city 'since summer 2014'; 17 October is a capture day."""
    ar = _seed_line("ar-news-2017-09.txt", "منذ صيف 2014")
    en = _seed_line("en-wiki.txt", "On 17 October, the Army captured three districts")
    found = [f for f in _date_pair(en, ar, "2017-09-04") if f.kind == "date"]
    assert found and all(f.status != "conflict" for f in found)


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        ("The offensive began on 9 September.", "بدأ الهجوم في 19 سبتمبر."),
        ("The operation was launched on 9 September.", "وأطلقت العملية في 19 سبتمبر."),
        ("The army has held the town since 2014.", "ويسيطر الجيش على البلدة منذ 2015."),
        ("The siege lasted until 5 September.", "واستمر الحصار حتى 6 سبتمبر."),
    ],
)
def test_same_slot_dates_that_differ_conflict(en: str, ar: str) -> None:
    (f,) = [f for f in _date_pair(en, ar) if f.kind == "date"]
    assert f.status == "conflict"


def test_several_dates_pair_by_slot_not_by_position() -> None:
    en = "The offensive began on 9 September, and on 3 November the army captured the city."
    ar = "بدأ الهجوم في 9 سبتمبر، وفي 5 نوفمبر سيطر الجيش على المدينة."
    got = {(f.left.text, f.right.text): f.status for f in _date_pair(en, ar) if f.kind == "date"}
    assert got == {("9 September", "9 سبتمبر"): "agree", ("3 November", "5 نوفمبر"): "conflict"}


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        # a start against an end: different slots, never counterparts
        ("The siege lasted until 17 November.", "بدأ الحصار في 17 سبتمبر."),
        # a start month against an unmarked day of another month
        ("The offensive was launched in September.", "في 3 نوفمبر سيطر الجيش على المدينة."),
        # a month against a day, the only dates on each side: not the same slot
        ("On 5 September, the army reached the city.", "وصل الجيش إلى المدينة في أكتوبر."),
    ],
)
def test_dates_of_different_slots_are_one_sided(en: str, ar: str) -> None:
    found = [f for f in _date_pair(en, ar) if f.kind == "date"]
    assert sorted(f.status for f in found) == ["left_only", "right_only"]


def test_start_date_still_agrees_with_an_unmarked_date() -> None:
    en = "On 9 September, the offensive reached the city."
    ar = "بدأ الهجوم في 9 سبتمبر."
    (f,) = [f for f in _date_pair(en, ar) if f.kind == "date"]
    assert f.status == "agree"


@pytest.mark.parametrize(
    ("before", "lang", "slot"),
    [
        ("في إطار هجوم واسع بدأ في ", "ar", "start"),
        ("ويسيطر التنظيم، منذ ", "ar", "start"),
        ("واستمر الحصار حتى ", "ar", "end"),
        ("وانتهت المعركة في ", "ar", "end"),
        ("The offensive was launched on ", "en", "start"),
        ("ISIL has held the city since ", "en", "start"),
        ("The siege lasted until ", "en", "end"),
        # a clause break or a longer distance ends the cue's reach
        ("The offensive began, and on ", "en", None),
        ("The offensive began with heavy shelling of the city on ", "en", None),
        ("بدأ الهجوم، وفي ", "ar", None),
        ("On ", "en", None),
        ("في ", "ar", None),
    ],
)
def test_date_cue_slot(before: str, lang: str, slot: str | None) -> None:
    assert date_cue_slot(before, lang) == slot


# --------------------------------------------------------------------------- sole pairs


@pytest.mark.parametrize(
    ("en", "ar", "status"),
    [
        # a translation that drops the unit still agrees
        ("The road is 40 kilometres long.", "يبلغ طول الطريق 40.", "agree"),
        # two measures of one dimension that differ are a conflict
        ("The army advanced 3 kilometres.", "وتقدم الجيش 5 كيلومترات.", "conflict"),
        # two bare numbers that differ, the only ones: a conflict
        ("The army captured three districts.", "وسيطر الجيش على أربعة أحياء.", "conflict"),
    ],
)
def test_number_sole_pairs(en: str, ar: str, status: str) -> None:
    (f,) = [f for f in compare(make_pair(en, ar)) if f.kind == "number"]
    assert f.status == status


def test_seed_tweet_signature_date_is_not_an_event_date() -> None:
    """ar-news-nov embeds tweets signed '— Name (@handle) 3 novembre 2017'."""
    ar = _seed_line("ar-news-2017-11-03.txt", "(@Almelden2017) 3 novembre 2017")
    en = "On 22 September, the 4th Mechanized Division began an advance."
    found = [f for f in _date_pair(en, ar, "2017-11-03") if f.kind == "date"]
    assert sorted(f.status for f in found) == ["left_only", "right_only"]
    other = "— Reema (@Reema_Rashid11) 4 November 2017"
    found = [f for f in _date_pair(other, ar, "2017-11-03") if f.kind == "date"]
    assert [f.status for f in found] == ["conflict"]


def test_seed_share_against_bare_count_is_not_a_conflict() -> None:
    """en-wiki 'the government-controlled half of the city' and ar-news-sep 'الى جزءين'
    (split into two parts): a share and a count, reported one-sided."""
    en = _seed_line("en-wiki.txt", "putting the government-controlled half of the city")
    en = next(s for s in en.split(". ") if "half of the city" in s)
    ar = _seed_line("ar-news-2017-09.txt", "الى جزءين")
    ar = next(s for s in ar.split(". ") if "جزءين" in s)
    found = [f for f in compare(make_pair(en, ar)) if f.kind == "number"]
    assert sorted(f.status for f in found) == ["left_only", "right_only"]


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        ("The army held half of the city.", "وسيطر الجيش على ثلث المدينة."),
        ("The army held 90 percent of the city.", "وسيطر الجيش على 80 بالمائة من المدينة."),
    ],
)
def test_shares_that_differ_conflict(en: str, ar: str) -> None:
    (f,) = [f for f in compare(make_pair(en, ar)) if f.kind == "number"]
    assert f.status == "conflict"

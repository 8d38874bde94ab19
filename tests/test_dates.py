"""Date extraction and comparison on the seed documents, PUD pairs and written sentences."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest

from nlp.extract.dates import (
    compare_date_mentions,
    compare_dates,
    date_slot,
    describe,
    extract_dates,
)
from nlp.policy import ComparePolicy
from nlp.records import DateValue, Document, Mention, Sentence
from tests.paths import DEMO, PUD, seed_path


def _doc(text: str, lang: str, published: str | None = None) -> tuple[Document, list[Sentence]]:
    """A document split by lines (offsets into the text), blank lines skipped."""
    sents: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            sents.append(Sentence("t", len(sents), line, pos, pos + len(line)))
        pos += len(line) + 1
    return Document("t", text, lang, published=published), sents  # type: ignore[arg-type]


def _all(text: str, lang: str, published: str | None = None) -> list[Mention]:
    doc, sents = _doc(text, lang, published)
    out = extract_dates(doc, sents)
    ms = [m for s in sents for m in out[s.idx]]
    for m in ms:  # offsets index the original text
        assert doc.text[m.start : m.end] == m.surface
    return ms


def _values(text: str, lang: str, published: str | None = None) -> list[tuple[str, str]]:
    return [(m.surface, m.value.to_json()) for m in _all(text, lang, published)]


def _seed(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def _day(iso: str) -> DateValue:
    d = dt.date.fromisoformat(iso)
    return DateValue(d, d, "day")


def _span(a: str, b: str, gran: str = "range", **kw: object) -> DateValue:
    return DateValue(dt.date.fromisoformat(a), dt.date.fromisoformat(b), gran, **kw)  # type: ignore[arg-type]


needs_seeds = pytest.mark.skipif(not DEMO.is_dir(), reason="demo corpus (seed copies) not present")

# --------------------------------------------------------------------------- seeds

EN_SEED = [
    ("September–November 2017", "2017-09-01/2017-11-30"),
    ("14 September – 17 November 2017", "2017-09-14/2017-11-17"),
    ("17 October", "2017-10-17"), ("3 November", "2017-11-03"), ("17 November", "2017-11-17"),
    ("18 Sep. – 25 Sep.", "2017-09-18/2017-09-25"), ("29 Oct. – 1 Nov.", "2017-10-29/2017-11-01"),
    ("29 Sep. – 13 Oct.", "2017-09-29/2017-10-13"), ("29 Oct. – 1 Nov.", "2017-10-29/2017-11-01"),
    ("From 2014 until 2017", "2014-01-01/2017-12-31"),
    ("the summer of 2017", "2017-06-01/2017-08-31"),
    ("5 September", "2017-09-05"), ("The next day", "2017-09-06"),
    ("14 September", "2017-09-14"), ("15 September", "2017-09-15"),
    ("a day later", "2017-09-16"), ("16 September", "2017-09-16"), ("in 2016", "2016"),
    ("18 September", "2017-09-18"), ("22 September", "2017-09-22"),
    ("23 September", "2017-09-23"), ("Between 14 and 23 September", "2017-09-14/2017-09-23"),
    ("6 October", "2017-10-06"), ("16 October", "2017-10-16"), ("The next day", "2017-10-17"),
    ("17 October", "2017-10-17"), ("The following day", "2017-10-18"),
    ("17 October", "2017-10-17"), ("18 October", "2017-10-18"),
    ("The following day", "2017-10-19"), ("23 October", "2017-10-23"),
    ("25 October", "2017-10-25"), ("The next day", "2017-10-26"),
    ("By the end of the day", "2017-10-26"), ("29 October", "2017-10-29"),
    ("31 October", "2017-10-31"), ("the previous day", "2017-10-30"),
    ("1 November", "2017-11-01"), ("the next day", "2017-11-02"), ("By midnight", "2017-11-02"),
    ("3 November", "2017-11-03"), ("10 November", "2017-11-10"), ("17 November", "2017-11-17"),
    ("2016–2017", "2016-01-01/2017-12-31"), ("May–July 2017", "2017-05-01/2017-07-31"),
    ("2017", "2017"), ("2017", "2017"), ("June 2017", "2017-06"), ("2017", "2017"),
]  # fmt: skip

AR_SEED = [
    ("17 أكتوبر", "2017-10-17"), ("3 نوفمبر", "2017-11-03"), ("17 نوفمبر", "2017-11-17"),
    ("لمدة ثلاث سنوات", "0001-01-01/0003-12-31"), ("صيف 2017", "2017-06-01/2017-08-31"),
    ("5 سبتمبر", "2017-09-05"), ("اليوم التالي", "2017-09-06"), ("14 سبتمبر", "2017-09-14"),
    ("15 سبتمبر", "2017-09-15"), ("بعد يوم", "2017-09-16"), ("16 سبتمبر", "2017-09-16"),
    ("عام 2016", "2016"), ("18 سبتمبر", "2017-09-18"), ("22 سبتمبر", "2017-09-22"),
    ("23 سبتمبر", "2017-09-23"), ("بين 14 و23 سبتمبر", "2017-09-14/2017-09-23"),
    ("16 أكتوبر", "2017-10-16"), ("في اليوم التالي", "2017-10-17"), ("17 أكتوبر", "2017-10-17"),
    ("في اليوم التالي", "2017-10-18"), ("17 أكتوبر", "2017-10-17"), ("18 أكتوبر", "2017-10-18"),
    ("في اليوم التالي", "2017-10-19"), ("25 أكتوبر", "2017-10-25"),
    ("اليوم التالي", "2017-10-26"), ("بحلول نهاية اليوم", "2017-10-26"),
    ("29 أكتوبر", "2017-10-29"), ("31 أكتوبر", "2017-10-31"), ("في اليوم السابق", "2017-10-30"),
    ("1 نوفمبر", "2017-11-01"), ("على اليوم التالي", "2017-11-02"),
    ("بحلول منتصف الليل", "2017-11-02"), ("3 نوفمبر", "2017-11-03"),
    ("10 نوفمبر", "2017-11-10"), ("17 نوفمبر", "2017-11-17"),
]  # fmt: skip


@needs_seeds
def test_english_seed_every_date() -> None:
    assert _values(_seed("001"), "en") == EN_SEED


@needs_seeds
def test_arabic_seed_every_date() -> None:
    assert _values(_seed("000"), "ar") == AR_SEED


@needs_seeds
def test_seed_notes_say_where_the_year_came_from() -> None:
    en = {m.surface: m for m in _all(_seed("001"), "en")}
    assert en["5 September"].value.year_inferred
    assert (
        en["5 September"].note == "year 2017 from the document's earlier date 'the summer of 2017'"
    )
    assert not en["the summer of 2017"].value.year_inferred
    ar = _all(_seed("000"), "ar")
    # the first lines come before any year: the year comes from a later explicit date
    assert ar[0].note == "year 2017 from the document's later date 'صيف 2017'"
    nxt = next(m for m in ar if m.surface == "اليوم التالي")
    assert nxt.value.relative and nxt.note == "the day after 5 Sep 2017"
    assert next(m for m in ar if m.surface == "لمدة ثلاث سنوات").role == "duration"


@needs_seeds
def test_seed_sides_agree_date_by_date() -> None:
    """Every Arabic date of 000 has an agreeing date in its English source 001."""
    en = [m for m in _all(_seed("001"), "en") if m.role != "duration"]
    for a in _all(_seed("000"), "ar"):
        candidates = [e for e in en if date_slot(e) == date_slot(a)] or en
        if a.role == "duration":
            candidates = [e for e in en if e.value.granularity == "range"]
        assert any(compare_date_mentions(a, e).status == "agree" for e in candidates), a


@needs_seeds
def test_news_seed_with_publication_date() -> None:
    ms = _all(_seed("002"), "ar", published="2017-11-03")
    last_sep = next(m for m in ms if m.surface == "سبتمبر-أيلول الماضي")
    assert last_sep.value.to_json() == "2017-09"
    assert "publication date 2017-11-03" in last_sep.note


@needs_seeds
def test_news_seed_seasons_and_duration() -> None:
    got = _values(_seed("004"), "ar", published="2017-09-04")
    assert got == [
        ("منذ اكثر من عامين", "2015-09-04/2017-09-04"),
        ("العام 2014", "2014"),
        ("صيف 2014", "2014-06-01/2014-08-31"),
        ("مطلع العام 2015", "2015-01-01/2015-04-30"),
        ("مطلع هذه السنة", "2017-01-01/2017-04-30"),
        ("أمس", "2017-09-03"),
        ("منتصف آذار 2011", "2011-03-11/2011-03-20"),
    ]


# --------------------------------------------------------------------------- forms


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("بدأ الهجوم في 14 سبتمبر-أيلول 2017.", "ar", [("14 سبتمبر-أيلول 2017", "2017-09-14")]),
        ("في 14 أيلول/سبتمبر 2017 بدأ", "ar", [("14 أيلول/سبتمبر 2017", "2017-09-14")]),
        ("في 14 سبتمبر (أيلول) 2017 بدأ", "ar", [("14 سبتمبر (أيلول) 2017", "2017-09-14")]),
        ("في ١٧ تشرين الأول ٢٠١٧ دخل الجيش", "ar", [("١٧ تشرين الأول ٢٠١٧", "2017-10-17")]),
        ("في الثالث من نوفمبر 2017", "ar", [("الثالث من نوفمبر 2017", "2017-11-03")]),
        ("وفي 5 جويلية 2016 أعلنت", "ar", [("5 جويلية 2016", "2016-07-05")]),
        ("يوم 9 غشت 2019 بالرباط", "ar", [("9 غشت 2019", "2019-08-09")]),
        ("بتاريخ 17/10/2017 صدر القرار", "ar", [("17/10/2017", "2017-10-17")]),
        ("صدر في 2017-10-17", "ar", [("2017-10-17", "2017-10-17")]),
        ("في أكتوبر 2017 تقدم", "ar", [("أكتوبر 2017", "2017-10")]),
        ("في تشرين الأول من عام 2017", "ar", [("تشرين الأول من عام 2017", "2017-10")]),
        ("منذ العام 2014", "ar", [("العام 2014", "2014")]),
        ("من 2014 حتى 2017 بقيت", "ar", [("من 2014 حتى 2017", "2014-01-01/2017-12-31")]),
        ("بين عامي 2014 و2017", "ar", [("بين عامي 2014 و2017", "2014-01-01/2017-12-31")]),
        ("في منتصف شهر آذار 2011", "ar", [("منتصف شهر آذار 2011", "2011-03-11/2011-03-20")]),
        ("أواخر عام 2016", "ar", [("أواخر عام 2016", "2016-09-01/2016-12-31")]),
        ("the third of November 2017", "en", [("the third of November 2017", "2017-11-03")]),
        ("on 3rd November 2017", "en", [("3rd November 2017", "2017-11-03")]),
        ("on October 17, 2017 it", "en", [("October 17, 2017", "2017-10-17")]),
        ("since Oct 17th, 2017", "en", [("Oct 17th, 2017", "2017-10-17")]),
        ("on 2017-10-17 at noon", "en", [("2017-10-17", "2017-10-17")]),
        (
            "from 14 to 23 September 2017",
            "en",
            [("from 14 to 23 September 2017", "2017-09-14/2017-09-23")],
        ),
        (
            "September 14 – November 17, 2017",
            "en",
            [("September 14 – November 17, 2017", "2017-09-14/2017-11-17")],
        ),
        ("in early 2015 the", "en", [("early 2015", "2015-01-01/2015-04-30")]),
        ("in mid-March 2011", "en", [("mid-March 2011", "2011-03-11/2011-03-20")]),
        ("in the winter of 2017", "en", [("the winter of 2017", "2016-12-01/2017-02-28")]),
        ("on 15 Ramadan 1438 AH", "en", [("15 Ramadan 1438 AH", "2017-06-10")]),
        ("في 15 رمضان 1438 هـ", "ar", [("15 رمضان 1438 هـ", "2017-06-10")]),
        ("في رمضان 1438 هـ", "ar", [("رمضان 1438 هـ", "2017-05-27/2017-06-24")]),
    ],
)
def test_forms(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert _values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Some 2,000 fighters and about 2000 civilians fled.", "en"),
        ("قاتل نحو 2000 مقاتل و1,700 مدني", "ar"),
        ("He may come; they march on.", "en"),
        ("عندما أسس أغسطس الإمبراطورية الرومانية", "ar"),  # Augustus, not August
        ("قال الأب إن الوضع صعب", "ar"),  # أب folds to اب like آب (August)
        ("around 1000 BC the settlement began", "en"),
        ("records from the 1970s", "en"),
        ("The next day, the army advanced.", "en"),  # no anchor: nothing
        ("في اليوم التالي تقدم الجيش", "ar"),
        ("the day after the attack", "en"),
    ],
)
def test_not_dates(text: str, lang: str) -> None:
    assert _values(text, lang) == []


def test_numeric_ambiguity_is_noted() -> None:
    [ar] = _all("صدر في 05/04/2017 القرار", "ar")
    assert ar.value.to_json() == "2017-04-05" and "day-first" in ar.note
    [en] = _all("issued on 05/04/2017 by", "en")
    assert en.value.to_json() == "2017-04-05" and "ambiguous" in en.note
    [us] = _all("issued on 10/25/2017 by", "en")
    assert us.value.to_json() == "2017-10-25" and "month-first" in us.note


def test_year_from_publication_date_then_none() -> None:
    [m] = _all("في 25 أكتوبر تقدم الجيش", "ar", published="2017-11-03")
    assert m.value.start == dt.date(2017, 10, 25) and m.value.year_inferred
    assert m.note == "year 2017 from publication date 2017-11-03"
    [m] = _all("On 25 October the army advanced.", "en")
    assert m.value.start == dt.date(1, 10, 25) and m.note.startswith("no year in context")


def test_year_only_mention_does_not_override_a_finer_context() -> None:
    text = (
        "In the summer of 2017 they attacked.\nIt reversed gains of 2016.\n"
        "On 18 September they crossed."
    )
    ms = _all(text, "en")
    assert ms[-1].value.to_json() == "2017-09-18"


def test_range_across_new_year_takes_the_right_years() -> None:
    [m] = _values("from 28 December – 3 January 2018", "en")
    assert m == ("from 28 December – 3 January 2018", "2017-12-28/2018-01-03")


# --------------------------------------------------------------------------- comparison


def test_compare_same_and_different_day() -> None:
    assert compare_dates(_day("2017-10-17"), _day("2017-10-17")).status == "agree"
    v = compare_dates(_day("2017-10-17"), _day("2017-10-19"))
    assert (v.status, v.reason) == ("conflict", "date: 17 Oct 2017 vs 19 Oct 2017 (day differs)")
    assert "month differs" in compare_dates(_day("1896-03-10"), _day("1896-04-10")).reason


def test_compare_coarser_date_follows_policy() -> None:
    month = _span("2017-10-01", "2017-10-31", "month")
    v = compare_dates(month, _day("2017-10-17"))
    assert (v.status, v.rule) == ("agree", "date.coarser_contains")
    assert "within Oct 2017" in v.reason
    strict = ComparePolicy(coarser_date_agrees=False)
    assert compare_dates(month, _day("2017-10-17"), strict).status == "conflict"
    assert compare_dates(month, _day("2017-11-01")).status == "conflict"


def test_compare_ranges() -> None:
    outer = _span("2017-09-14", "2017-11-17")
    assert compare_dates(outer, _span("2017-09-14", "2017-11-17")).rule == "date.same_span"
    assert compare_dates(_span("2017-09-18", "2017-09-25"), outer).status == "agree"
    assert compare_dates(_span("2017-09-10", "2017-09-20"), outer).rule == "date.overlap"
    v = compare_dates(_span("2017-09-18", "2017-09-25"), _span("2017-10-29", "2017-11-01"))
    assert v.status == "conflict"


def test_compare_says_inferred_year_and_hijri() -> None:
    inferred = DateValue(dt.date(2017, 9, 6), dt.date(2017, 9, 6), "day", year_inferred=True)
    v = compare_dates(inferred, _day("2017-09-06"))
    assert v.status == "agree" and "year inferred" in v.reason
    hijri = DateValue(dt.date(2017, 6, 10), dt.date(2017, 6, 10), "day", calendar="hijri")
    v = compare_dates(hijri, _day("2017-06-10"))
    assert v.status == "agree" and "Hijri" in v.reason


def test_compare_yearless_on_month_and_day() -> None:
    yearless = DateValue(dt.date(1, 10, 25), dt.date(1, 10, 25), "day", year_inferred=True)
    assert compare_dates(yearless, _day("2017-10-25")).status == "agree"
    v = compare_dates(yearless, _day("2017-10-26"))
    assert v.status == "conflict" and "no year in context" in v.reason


def test_compare_mentions_names_the_year_source() -> None:
    ar = _all("في صيف 2017 هاجموا\nفي 5 سبتمبر كسروا الحصار", "ar")[-1]
    en = _all("On 5 September 2017 they broke the siege.", "en")[0]
    v = compare_date_mentions(ar, en)
    assert v.status == "agree" and "from the document's earlier date 'صيف 2017'" in v.reason


def test_duration_compared_by_length() -> None:
    [dur] = _all("لمدة ثلاث سنوات كانت المدينة مقسمة", "ar")
    [span] = _all("From 2014 until 2017, the city was divided.", "en")
    v = compare_date_mentions(dur, span)
    assert (v.status, v.rule) == ("agree", "date.duration_length")
    [long_span] = _all("From 2008 until 2017, the city was divided.", "en")
    assert compare_date_mentions(dur, long_span).status == "conflict"
    [five] = _all("after a five-year siege", "en")
    assert compare_date_mentions(dur, five).status == "conflict"
    [three] = _all("for three years the city was divided", "en")
    assert compare_date_mentions(dur, three).status == "agree"
    [point] = _all("in 2016", "en")
    assert compare_date_mentions(dur, point).rule == "date.not_comparable"
    [more] = _all("يحاصر المدينة منذ اكثر من عامين", "ar", published="2017-09-04")
    assert more.value.to_json() == "2015-09-04/2017-09-04"
    assert compare_date_mentions(more, span).status == "agree"


def test_describe() -> None:
    assert describe(_span("2017-09-14", "2017-11-17")) == "14 Sep 2017–17 Nov 2017"


# --------------------------------------------------------------------------- PUD

MONTH_RE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
# A real discrepancy in the data: English "March 10, 1896", Arabic "10 نيسان" (April).
PUD_REAL_DISCREPANCIES = {"w01108063"}


def _pud_month_rows() -> list[dict[str, str]]:
    if not PUD.is_file():
        return []
    with PUD.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r for r in rows if MONTH_RE.search(r["en"])]


@pytest.mark.skipif(not PUD.is_file(), reason="PUD benchmark not present")
def test_pud_dates_match_across_languages() -> None:
    """UD Arabic PUD (CC BY-SA 3.0): English dates find an agreeing Arabic date."""
    rows = _pud_month_rows()
    assert len(rows) >= 50
    matched = total = 0
    alarms = []
    for r in rows:
        en = [m for m in _all(r["en"], "en") if m.role != "duration"]
        ar = _all(r["ar"], "ar")
        for m in en:
            total += 1
            verdicts = [compare_date_mentions(m, a) for a in ar]
            if any(v.status == "agree" for v in verdicts):
                matched += 1
            elif verdicts:
                alarms.append(r["sent_id"])
    assert set(alarms) <= PUD_REAL_DISCREPANCIES
    assert matched / total >= 0.9, (matched, total)


def test_compare_dates_on_values_handles_durations_and_yearless_ranges() -> None:
    """compare.py may call compare_dates on values alone: no false alarm from a duration."""
    dur = DateValue(dt.date(1, 1, 1), dt.date(3, 12, 31), "range", year_inferred=True)
    v = compare_dates(dur, _span("2014-01-01", "2017-12-31"))
    assert (v.status, v.rule) == ("agree", "date.duration_length")
    assert compare_dates(dur, _span("2008-01-01", "2017-12-31")).status == "conflict"
    v = compare_dates(dur, _span("2016-01-01", "2016-12-31", "year"))
    assert (v.rule, v.confidence) == ("date.not_comparable", 0.0)
    yearless = DateValue(dt.date(1, 9, 14), dt.date(1, 9, 23), "range", year_inferred=True)
    assert compare_dates(yearless, _span("2017-09-14", "2017-09-23")).status == "agree"
    assert compare_dates(yearless, _span("2017-10-14", "2017-10-23")).status == "conflict"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("في 5 سبتمبر الماضي أعلن", "ar", "2017-09-05"),
        ("في ديسمبر الماضي أعلن", "ar", "2016-12"),
        ("في يناير المقبل تبدأ", "ar", "2018-01"),
        ("It was announced last December.", "en", "2016-12"),
        ("It will open next March.", "en", "2018-03"),
    ],
)
def test_last_and_next_month_from_publication(text: str, lang: str, expected: str) -> None:
    [m] = _all(text, lang, published="2017-11-03")
    assert m.value.to_json() == expected
    assert "publication date 2017-11-03" in m.note


def test_two_sides_that_both_say_the_next_day_agree_on_that_relation() -> None:
    """A changed anchor is one conflict, not two: the relative dates agree as stated."""
    from nlp.extract.dates import compare_date_mentions

    rel_en = [m for m in _all("On 16 October 2017 the town fell.\nThe next day, Janenah fell.",
                              "en") if m.value.relative]
    rel_ar = [m for m in _all("في 19 أكتوبر 2017 سقطت البلدة.\nفي اليوم التالي، سقطت الجنينة.",
                              "ar") if m.value.relative]
    assert rel_en and rel_ar
    assert rel_en[0].value != rel_ar[0].value  # resolved against different anchors
    verdict = compare_date_mentions(rel_en[0], rel_ar[0])
    assert verdict.status == "agree" and verdict.rule == "date.same_relation"


# --------------------------------------------------------------------------- durations

DURATIONS = [
    # (text a, lang a, text b, lang b, status): real PUD wording where marked
    ("The 10-week course has been certified.", "en",
     "ستكون الدورة التي ستستمر مدة 10 أسابيع مصرحة", "ar", "agree"),  # PUD n01019004
    ("The 10-week course has been certified.", "en",
     "ستكون الدورة التي ستستمر مدة 12 أسابيع مصرحة", "ar", "conflict"),
    ("The show ran for 10 weeks.", "en", "استمر العرض لمدة 12 أسبوعا", "ar", "conflict"),
    ("The show ran for 10 weeks.", "en", "استمر العرض لمدة شهرين ونصف", "ar", "agree"),
    ("They were held for a year and a half.", "en", "احتجزوا لمدة عام ونصف", "ar", "agree"),
    ("They were held for one and a half years.", "en", "احتجزوا لمدة سنة ونصف", "ar", "agree"),
    ("They were held for 18 months.", "en", "احتجزوا لمدة عام ونصف", "ar", "agree"),
    ("They were held for a year and a half.", "en", "احتجزوا لمدة عام", "ar", "conflict"),
    ("They were held for two and a half years.", "en", "احتجزوا لمدة عامين", "ar", "conflict"),
    ("The siege lasted for two years.", "en", "استمر الحصار لمدة ثلاث سنوات", "ar", "conflict"),
    # a hedge widens its side: "more than two years" reaches three
    ("The siege lasted for more than two years.", "en", "استمر الحصار لمدة ثلاث سنوات", "ar",
     "agree"),
    ("The siege lasted for about 20 years.", "en", "استمر الحصار لمدة 21 عاما", "ar", "agree"),
    # the same hedge on both sides cancels out: the stated amounts differ
    ("It began for about 20 years.", "en", "بدأ منذ نحو 22 عاماً", "ar", "conflict"),
    ("It began for about 20 years.", "en", "بدأ منذ نحو 20 عاماً", "ar", "agree"),
]


@pytest.mark.parametrize(("a", "la", "b", "lb", "status"), DURATIONS)
def test_duration_tolerance_is_tight_unless_hedged(
    a: str, la: str, b: str, lb: str, status: str
) -> None:
    [da] = [m for m in _all(a, la) if m.role == "duration"]
    [db] = [m for m in _all(b, lb) if m.role == "duration"]
    v = compare_date_mentions(da, db)
    assert (v.status, v.rule) == (status, "date.duration_length"), v.reason
    assert compare_date_mentions(db, da).status == status


@pytest.mark.parametrize(
    ("text", "lang", "years"),
    [
        ("for a year and a half", "en", 1.5),
        ("for one and a half years", "en", 1.5),
        ("for 1.5 years", "en", 1.5),
        ("for two and a half months", "en", 2.5 / 12),
        ("لمدة عام ونصف", "ar", 1.5),
        ("لمدة سنة و نصف", "ar", 1.5),
        ("لمدة عامين ونصف", "ar", 2.5),
        ("منذ ثلاثة أشهر وربع", "ar", 3.25 / 12),
    ],
)
def test_a_duration_and_a_half_is_read_whole(text: str, lang: str, years: float) -> None:
    [m] = _all(text, lang)
    assert m.surface == text and m.role == "duration"
    length = ((m.value.end - m.value.start).days + 1) / 365.25
    assert abs(length - years) < 0.01


def test_duration_tolerance_comes_from_the_policy() -> None:
    from nlp.extract.dates import DURATION_REL_TOL, duration_tolerance

    assert duration_tolerance(ComparePolicy()) == DURATION_REL_TOL == 0.05

    class Loose:  # a policy with the field (nlp.policy may add it)
        duration_rel_tol = 0.25
        approx_tolerance = 0.1
        open_bound_factor = 1.5

    # across units the tolerance applies: 10 weeks vs three months (13 weeks)
    [a] = _all("The show ran for 10 weeks.", "en")
    [b] = _all("استمر العرض لمدة ثلاثة أشهر", "ar")
    assert compare_date_mentions(a, b).status == "conflict"
    assert compare_date_mentions(a, b, Loose()).status == "agree"  # type: ignore[arg-type]
    # in the same unit the counts are compared exactly, whatever the tolerance
    [c] = _all("استمر العرض لمدة 12 أسبوعا", "ar")
    assert compare_date_mentions(a, c, Loose()).status == "conflict"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("duration", "lang", "status"),
    [
        ("for two years", "en", "agree"),  # 2013 and 2014: two calendar years inclusive
        ("for a year", "en", "agree"),  # 2014 - 2013
        ("for five years", "en", "conflict"),
        ("لمدة عامين", "ar", "agree"),
        ("لمدة خمس سنوات", "ar", "conflict"),
    ],
)
def test_year_range_against_a_duration(duration: str, lang: str, status: str) -> None:
    # PUD n01043025: "the latest web posting is for 2013-2014 — or two years out of date"
    [span] = _all("آخر منشور على الإنترنت يعود إلى 2013-2014", "ar")
    assert span.value.to_json() == "2013-01-01/2014-12-31"
    [dur] = _all(duration, lang)
    v = compare_date_mentions(span, dur)
    assert v.status == status, v.reason
    assert "2 calendar years inclusively" in v.reason


@pytest.mark.parametrize(
    ("yearless", "lang", "year", "year_lang"),
    [
        ("The attack came on 16 Sep.", "en", "وقع الهجوم عام 2016", "ar"),
        ("وقع الهجوم في 16 أيلول", "ar", "The attack came in 2016.", "en"),
    ],
)
def test_a_date_without_year_is_not_compared_with_a_bare_year(
    yearless: str, lang: str, year: str, year_lang: str
) -> None:
    from nlp.compare import AlignedPair, compare
    from nlp.records import Alignment

    [a] = _all(yearless, lang)
    [b] = _all(year, year_lang)
    assert a.value.start.year == 1 and b.value.granularity == "year"
    v = compare_date_mentions(a, b)
    assert (v.status, v.rule, v.confidence) == ("agree", "date.not_comparable", 0.0)
    # in a comparison they are no counterparts: each is reported alone, not as "contained"
    pair = AlignedPair(0, Alignment((0,), (0,), 0.9), lang, year_lang,  # type: ignore[arg-type]
                       (Sentence("a", 0, yearless, 0, len(yearless)),),
                       (Sentence("b", 0, year, 0, len(year)),), (a,), (b,))
    found = [(f.kind, f.status) for f in compare(pair) if f.kind == "date"]
    assert found == [("date", "left_only"), ("date", "right_only")]


# --------------------------------------------------------------------------- tweets

def test_french_dates_in_embedded_tweets_are_read() -> None:
    text = (DEMO / "ar-news-2017-11-03.txt").read_text(encoding="utf-8")
    got = _values(text, "ar", published="2017-11-03")
    tweets = [v for v in got if "novembre" in v[0]]
    assert tweets == [("3 novembre 2017", "2017-11-03")] * 2
    # the user name "@Almelden2017" holds no year
    assert [v for v in got if v[1] == "2017"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("— ريما (@Reema_Rashid11) 3 novembre 2017", [("3 novembre 2017", "2017-11-03")]),
        ("نشرت في 14 juillet 2016", [("14 juillet 2016", "2016-07-14")]),
        ("نشرت في 5 aout 2016", [("5 aout 2016", "2016-08-05")]),
        ("pic.twitter.com/x (@Almelden2017)", []),
        ("زار المريخ mars الأحمر", []),  # a bare Latin word is no month
    ],
)
def test_french_months_and_user_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert _values(text, "ar") == expected


@pytest.mark.parametrize(
    ("text", "lang", "surface", "years"),
    [
        # PUD n01044009 / w01035082: a definite unit, its count after it, then "past"
        ("وقد أدى ذلك خلال اليومين الماضيين إلى اكتشاف أن ستة صحفيين", "ar",
         "خلال اليومين الماضيين", 2 / 365.25),
        ("على مدار السنوات الخمسين الماضية, أدى تدمير الموائل", "ar",
         "على مدار السنوات الخمسين الماضية", 50.0),
        ("خلال الأشهر الستة الأخيرة ارتفعت الأسعار", "ar", "خلال الأشهر الستة الأخيرة", 0.5),
        ("That led to revelations over the last two days that", "en",
         "over the last two days", 2 / 365.25),
        ("Over the past 50 years, the destruction of habitat", "en",
         "Over the past 50 years", 50.0),
        ("The siege lasted for twenty years.", "en", "for twenty years", 20.0),
    ],
)
def test_recent_spans_are_durations(text: str, lang: str, surface: str, years: float) -> None:
    [m] = _all(text, lang)
    assert (m.surface, m.role) == (surface, "duration")
    length = ((m.value.end - m.value.start).days + 1) / 365.25
    assert abs(length - years) < 0.02


def test_last_year_is_a_year_not_a_duration() -> None:
    # "خلال العام الماضي" is last year (2016 for a 2017 article), not "for one year"
    assert _values("خلال العام الماضي قتل المئات", "ar", published="2017-09-04") == [
        ("العام الماضي", "2016")
    ]
    assert _values("خلال الأيام الماضية قتل المئات", "ar") == []  # no count: no length

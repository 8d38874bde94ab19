"""Numbers and quantities: extraction on real text in both languages, and the comparator.

Sentences come from the demo seeds (`corpus/demo/`: the English Wikipedia article on the
2017 Deir ez-Zor offensive, its Arabic translation, two Arabic news reports), from the UD
Arabic PUD pairs (CC BY-SA 3.0, github.com/UniversalDependencies/UD_Arabic-PUD) and from
sentences written for the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.extract import extract_document
from nlp.extract.numbers import (
    compare_numbers,
    describe_quantity,
    extract_numbers,
    pairing_evidence,
    parse_digits,
)
from nlp.policy import ComparePolicy
from nlp.records import Document, Mention, Quantity, Sentence

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo"


def q(m: Mention) -> Quantity:
    assert isinstance(m.value, Quantity)
    return m.value


def values(text: str, lang: str) -> list[float]:
    return [q(m).value for m in extract_numbers(text, 0, lang)]


# --------------------------------------------------------------------------- digits


@pytest.mark.parametrize(
    ("raw", "decimal_comma", "expected"),
    [
        ("1,500", False, 1500.0),
        ("1،700", False, 1700.0),
        ("١٬٥٠٠", False, 1500.0),
        ("۱۲۳", False, 123.0),
        ("5.7", False, 5.7),
        ("٣٫٥", False, 3.5),
        ("103,7", True, 103.7),
        ("1,335", True, 1335.0),  # three digits after the comma: thousands, even before a scale
        ("10\u00a0000", False, 10000.0),
        ("1,2,3", False, None),
        ("10.5.2017", False, None),
    ],
)
def test_parse_digits(raw: str, decimal_comma: bool, expected: float | None) -> None:
    assert parse_digits(raw, decimal_comma=decimal_comma) == expected


# --------------------------------------------------------------------------- seeds


def test_offsets_index_the_document_text() -> None:
    text = (DEMO / "en-wiki.txt").read_text(encoding="utf-8")
    start = text.index("On 29 October")
    end = text.index("\n", start)
    ms = extract_numbers(text[start:end], start, "en")
    assert ms
    for m in ms:
        assert text[m.start : m.end] == m.surface


def test_seed_casualties_pair_like_with_like_en() -> None:
    s = ("They were attempting to reach an area that overlooks some of the remaining ISIL-held "
         "neighborhoods where an estimated 1,500 civilians were trapped. 50 ISIL militants and "
         "23 pro-government fighters were killed during the day's fighting.")
    got = [(q(m).value, q(m).approx, m.role) for m in extract_numbers(s, 0, "en")]
    assert got == [(1500.0, True, "civilian"), (50.0, False, "fighter"), (23.0, False, "fighter")]


def test_seed_casualties_pair_like_with_like_ar() -> None:
    s = ("كانوا يحاولون الوصول إلى منطقة تطل على بعض أحياء متبقية تحت سيطرة داعش حيث يحاصر "
         "ما يقدر بنحو 1,500 مدني.[51] 50 مقاتل داعش و23 مقاتل مؤيد للحكومة قتلوا خلال قتال "
         "اليوم.[49]")
    got = [(q(m).value, q(m).approx, m.role) for m in extract_numbers(s, 0, "ar")]
    assert got == [(1500.0, True, "civilian"), (50.0, False, "fighter"), (23.0, False, "fighter")]


def test_seed_range_of_area_both_languages() -> None:
    en = "the military had cleared between 1,300 and 1,700 square kilometers of territory"
    ar = "كان الجيش قد طهر بين 1,300 و1،700 كيلومتر مربع من الأرض"
    for text, lang in ((en, "en"), (ar, "ar")):
        (m,) = extract_numbers(text, 0, lang)
        assert (q(m).low, q(m).high, q(m).value, q(m).unit) == (1300, 1700, 1500, "km2")
        assert "range" in m.note


def test_seed_unit_ordinals() -> None:
    en = "the 4th Mechanized Division and the 5th Legion began an advance south of Mazloum"
    ar = "بدأ الفرقة الآلية الرابعة والفيلق الخامس تقدما جنوب مظلوم نحو خشام"
    for text, lang in ((en, "en"), (ar, "ar")):
        ms = extract_numbers(text, 0, lang)
        got = [(q(m).value, q(m).ordinal, q(m).unit, m.role) for m in ms]
        assert got == [(4.0, True, "division", "unit"), (5.0, True, "corps", "unit")]


def test_seed_brigade_number() -> None:
    (en,) = extract_numbers("by linking up with the 137th brigade base on", 0, "en")
    (ar,) = extract_numbers("عن طريق الوصول إلى قاعدة اللواء 137 في", 0, "ar")
    assert (q(en).value, q(en).unit) == (q(ar).value, q(ar).unit) == (137.0, "brigade")
    assert q(en).ordinal and q(ar).ordinal


def test_seed_news_scale_words_and_hedges() -> None:
    text = ("ويقدر عدد المدنيين الموجودين في الاحياء تحت سيطرة قوات النظام بـ100 الف محاصرين، "
            "بينما يتكلم المرصد السوري عن وجود اكثر من 10 آلاف مدني في الاحياء تحت سيطرة التنظيم.")
    a, b = extract_numbers(text, 0, "ar")
    assert (a.surface, q(a).value) == ("100 الف", 100000.0)
    assert (q(b).value, q(b).low, q(b).high, q(b).unit) == (10000.0, 10000.0, 15000.0, "civilian")
    assert "hedge" in b.note


def test_seed_news_percent_and_distance() -> None:
    text = ("ويسيطر التنظيم، منذ صيف 2014، على اجزاء واسعة من المحافظة ونحو 60 في المئة من مساحة "
            "مدينة دير الزور. ووصلت الى نقطة تبعد 3 كيلومترات من جيب خاضع لسيطرة الحكومة")
    got = [(q(m).value, q(m).unit, q(m).approx) for m in extract_numbers(text, 0, "ar")]
    assert got == [(60.0, "percent", True), (3.0, "km", False)]


def test_citations_hashtags_handles_and_urls_are_not_numbers() -> None:
    text = ("تحيا بلادك يا سوري pic.twitter.com/DEl9H2k77E— Mourad* (@Almelden2017) 3 novembre "
            "2017 #دير_الزور الاستيلاء على المدينة.[24][25]")
    assert [m.surface for m in extract_numbers(text, 0, "ar")] == ["3"]


def test_years_are_not_numbers() -> None:
    assert values("From 2014 until 2017, the city had been divided.", "en") == []
    assert values("في صيف 2017، شن الجيش السوري هجوما", "ar") == []
    assert values("Battle of Mosul (2016–2017)", "en") == []
    assert values("around 1900 BC the observatory was built", "en") == []
    # a four-digit count with its noun is a number
    assert values("1900 civilians fled", "en") == [1900.0]


def test_era_marked_years_are_dates_not_numbers() -> None:
    assert values("until about 700 BC.", "en") == []
    assert values("حتى عام 700 ق.م تقريباً", "ar") == []
    assert values("In 833 AD, this became the state of Great Moravia", "en") == []


def test_glued_units_and_temperatures() -> None:
    (en,) = extract_numbers("keep the rise in global temperatures under 2C.", 0, "en")
    (ar,) = extract_numbers("الحفاظ على ارتفاع حرارة الأرض بمقدار أقل من درجتين مئويتين", 0, "ar")
    assert (q(en).value, q(en).unit, q(en).high) == (q(ar).value, q(ar).unit, q(ar).high) == (
        2.0, "degree", 2.0)
    assert values("a 100km drive", "en") == [100.0]


def test_ages_in_both_languages() -> None:
    (ar,) = extract_numbers("ترافقهما روزان, فتاة في الثامنة عشرة من عمرها", 0, "ar")
    (en,) = extract_numbers("accompanied by Rosane, an 18 year old who", 0, "en")
    assert (q(ar).value, q(ar).unit) == (q(en).value, q(en).unit) == (18.0, "year")
    (ar,) = extract_numbers("الذي بلغ الحادية والثلاثين من عمره الآن", 0, "ar")
    assert q(ar).value == 31.0
    en_ms = extract_numbers("56% of children aged 5 to 14 were working children", 0, "en")
    ar_ms = extract_numbers("56% من الأطفال الذين تتراوح أعمارهم بين الخامسة والرابعة عشرة", 0,
                            "ar")
    for ms in (en_ms, ar_ms):
        assert [(q(m).low, q(m).high, q(m).unit) for m in ms] == [
            (56.0, 56.0, "percent"), (5.0, 14.0, "year")]
    # an ordinal that is not an age stays out
    assert values("إلى الرئيس الخامس والأربعين للولايات المتحدة", "ar") == []


def test_space_as_thousands_separator_only_where_unambiguous() -> None:
    assert values("some 10 000 civilians fled the city", "en") == [10000.0]
    assert values("فر 10 000 مدني من المدينة", "ar") == [10000.0]
    assert values("the scores were 3 100", "en") == [3.0, 100.0]
    assert values("in 2017 100 people died", "en") == [100.0]


def test_range_with_the_unit_repeated() -> None:
    (m,) = extract_numbers("لاقتراض مبالغ ما بين 15001 جنيه إسترليني و19999 جنيه إسترليني", 0,
                           "ar")
    assert (q(m).low, q(m).high, q(m).unit) == (15001.0, 19999.0, "gbp")
    (m,) = extract_numbers("looking to borrow from £15,001-£19,999 over a period", 0, "en")
    assert (q(m).low, q(m).high, q(m).unit) == (15001.0, 19999.0, "gbp")


def test_identifiers_times_and_decades_are_not_numbers() -> None:
    assert values("The G20 met at 10:30 after the 1990s crisis; the F-16 flew.", "en") == []


# --------------------------------------------------------------------------- forms


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("ثلاثمئة وثلاثين ألف شخص", "ar", 330000.0),
        ("خمسة وثلاثين بلدة", "ar", 35.0),
        ("ألف وخمسمائة مدني", "ar", 1500.0),
        ("خلال الساعات الأربع والعشرين الماضية", "ar", 24.0),
        ("twenty-three soldiers", "en", 23.0),
        ("three hundred and five people", "en", 305.0),
        ("bought for 1.5 million dollars", "en", 1500000.0),
        ("أكثر من 5,7 مليون من أهل فلوريدا", "ar", 5700000.0),
        ("بلغ 103,7 مليون دولار", "ar", 103700000.0),
        ("٣ ملايين", "ar", 3000000.0),
        ("قبل ألفي عام", "ar", 2000.0),
        ("put £2bn into the fund", "en", 2e9),
        ("close to half a million", "en", 500000.0),
        ("يقرب من نصف المليون", "ar", 500000.0),
    ],
)
def test_number_forms(text: str, lang: str, value: float) -> None:
    assert values(text, lang) == [value]


def test_duals_read_as_two() -> None:
    (m,) = extract_numbers("استولت قوات حكومية على منطقتين وملعب في دير الزور", 0, "ar")
    assert (q(m).value, m.role) == (2.0, "district")
    (m,) = extract_numbers("بعد تمكنه من فصل مناطق سيطرة قوات النظام الى شاحنتين", 0, "ar")
    assert (q(m).value, m.role) == (2.0, "vehicle")


def test_dual_adjective_and_monday_are_not_extra_twos() -> None:
    assert values("بمقدار أقل من درجتين مئويتين", "ar") == [2.0]
    assert values("في تدوينة نشرتها يوم الإثنين", "ar") == []
    assert values("العاصفة الرملية والعاصفة الترابية ظاهرتان طبيعيتان", "ar") == [2.0]


def test_alf_as_a_verb_is_not_a_thousand() -> None:
    assert values("الذي ألف عدة كتب عن تاريخ السكك الحديدية", "ar") == []
    assert values("تزعم سيرته الرسمية أن كيم ألف ست أوبرات", "ar") == [6.0]


def test_fractions_are_percentages() -> None:
    (en,) = extract_numbers("secured a perimeter around the ISIL-controlled half of the city",
                            0, "en")
    (ar,) = extract_numbers("ونزوح وتشريد اكثر من نصف السكان داخل البلاد", 0, "ar")
    assert (q(en).value, q(en).unit) == (50.0, "percent")
    assert (q(ar).value, q(ar).unit, q(ar).approx) == (50.0, "percent", True)
    # an ordinal "third" is not a fraction
    assert values("after which they advanced into a third district", "en") == []


def test_post_hedge_after_the_counted_noun() -> None:
    (m,) = extract_numbers("فقد شارك 330 ألف شخص على الأقل, بينهم", 0, "ar")
    assert (q(m).value, q(m).low, q(m).unit) == (330000.0, 330000.0, "person")
    assert q(m).high > q(m).value


def test_capitalised_number_word_in_a_name() -> None:
    assert values("read Brisbane's Nine News.", "en") == []


def test_extract_document_gives_dates_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    # places need the gazetteer (seconds to load); this test is about dates over numbers
    monkeypatch.setattr("nlp.extract.extract_places", lambda text, offset, lang: [])
    text = "On 17 October 2017, the Army captured three districts in Deir ez-Zor."
    doc = Document("d", text, "en")
    ms = extract_document(doc, [Sentence("d", 0, text, 0, len(text))])[0]
    kinds = [(m.kind, m.surface) for m in ms]
    assert ("date", "17 October 2017") in kinds
    assert [s for k, s in kinds if k == "number"] == ["three"]
    assert all(m.sentence == 0 for m in ms)


# --------------------------------------------------------------------------- comparator


def Q(v: float, lo: float | None = None, hi: float | None = None, **kw: object) -> Quantity:
    return Quantity(v, v if lo is None else lo, v if hi is None else hi, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "status", "rule"),
    [
        (Q(1500), Q(1500), "agree", "number.equal"),
        (Q(1500), Q(1800), "conflict", "number.differs"),
        (Q(17), Q(19), "conflict", "number.differs"),
        (Q(2000, 2000, 3000, approx=True), Q(2000), "agree", "number.interval_overlap"),
        (Q(10000, 10000, 15000, approx=True), Q(12000), "agree", "number.interval_overlap"),
        (Q(100, approx=True), Q(100), "agree", "number.interval_overlap"),
        (Q(100, approx=True), Q(150), "conflict", "number.interval_disjoint"),
        (Q(1500, 1300, 1700), Q(1600), "agree", "number.interval_overlap"),
        (Q(1500, 1300, 1700), Q(2000), "conflict", "number.interval_disjoint"),
        (Q(5700000), Q(5700000), "agree", "number.equal"),
        (Q(1500000), Q(1487000), "agree", "number.rounding"),
        (Q(100), Q(120), "conflict", "number.differs"),
        (Q(50, unit="percent"), Q(33.3333, unit="percent"), "conflict", "number.differs"),
        (Q(33.3333, unit="percent"), Q(33, unit="percent"), "agree", "number.rounding"),
        (Q(4, ordinal=True), Q(5, ordinal=True), "conflict", "number.ordinal_differs"),
    ],
)
def test_compare_numbers(a: Quantity, b: Quantity, status: str, rule: str) -> None:
    v = compare_numbers(a, b)
    assert (v.status, v.rule) == (status, rule), v.reason
    assert v.reason.startswith("number: ")


def test_units_are_converted() -> None:
    v = compare_numbers(Q(100, unit="m"), Q(0.1, unit="km"))
    assert v.status == "agree" and "converted" in v.reason
    v = compare_numbers(Q(10, unit="mi"), Q(16, unit="km"))
    assert v.status == "agree" and v.rule == "number.rounding"
    assert compare_numbers(Q(10, unit="mi"), Q(10, unit="km")).status == "conflict"


def test_policy_tolerances_are_used() -> None:
    hedged, exact = Q(100, approx=True), Q(115)
    assert compare_numbers(hedged, exact).status == "conflict"
    assert compare_numbers(hedged, exact, ComparePolicy(approx_tolerance=0.2)).status == "agree"
    assert compare_numbers(Q(1500), Q(1487), ComparePolicy(rounding_agrees=False)).status == \
        "conflict"
    assert compare_numbers(Q(20), Q(21)).status == "conflict"
    assert compare_numbers(Q(20), Q(21), ComparePolicy(rounding_min_unit=10)).status == "agree"
    more = Q(10000, 10000, 15000, approx=True)
    assert compare_numbers(more, Q(14000)).status == "agree"
    assert compare_numbers(more, Q(14000), ComparePolicy(open_bound_factor=1.2)).status == \
        "conflict"


def test_describe_quantity() -> None:
    assert describe_quantity(Q(1500, unit="civilian")) == "1,500 civilian"
    assert describe_quantity(Q(1500, 1300, 1700, unit="km2")) == "1,300–1,700 km2"
    assert describe_quantity(Q(137, ordinal=True, unit="brigade")) == "137th brigade"
    assert describe_quantity(Q(100, 100 / 1.5, 100, approx=True)) == "less than 100"


def test_pairing_evidence() -> None:
    def m(v: float, unit: str | None, ordinal: bool = False) -> Mention:
        return Mention("number", Q(v, unit=unit, ordinal=ordinal), str(v), 0, 1, role=unit)

    assert pairing_evidence(m(50, "fighter"), m(50, "fighter")) == 1.0
    assert pairing_evidence(m(50, "soldier"), m(50, "fighter")) == 0.7
    assert pairing_evidence(m(13, "civilian"), m(13, "killed")) == 0.7
    assert pairing_evidence(m(50, "fighter"), m(50, "village")) is None
    assert pairing_evidence(m(5, "km"), m(5, "percent")) is None
    assert pairing_evidence(m(5, "km"), m(5000, "m")) == 1.0
    assert pairing_evidence(m(5, None), m(5, "civilian")) == 0.4
    assert pairing_evidence(m(4, "division", True), m(4, None)) is None


# --------------------------------------------------------------------------- percent wins

PERCENT_FORMS = [
    # (sentence, lang, value): every percent form after digits of both scripts and words
    ("سيطر الجيش على 90 بالمائة من المدينة", "ar", 90.0),
    ("سيطر الجيش على ٩٠ بالمائة من المدينة", "ar", 90.0),
    ("سيطر الجيش على 40 في المئة من المدينة", "ar", 40.0),
    ("سيطر الجيش على ٤٠ في المئة من المدينة", "ar", 40.0),
    ("وتسيطر القوات على 60 في المائة من المحافظة", "ar", 60.0),
    ("وتسيطر القوات على 60 بالمئة من المحافظة", "ar", 60.0),
    ("وتسيطر القوات على 60% من المحافظة", "ar", 60.0),
    ("وتسيطر القوات على ٦٠٪ من المحافظة", "ar", 60.0),
    ("سيطر الجيش على تسعين بالمائة من المدينة", "ar", 90.0),
    ("سيطر الجيش على خمسين في المئة من المدينة", "ar", 50.0),
    ("The army held 90 percent of the city", "en", 90.0),
    ("The army held 90 per cent of the city", "en", 90.0),
    ("The army held ninety per cent of the city", "en", 90.0),
    ("The army held 90% of the city", "en", 90.0),
    ("The army held ٩٠٪ of the city", "en", 90.0),
]


@pytest.mark.parametrize(("text", "lang", "value"), PERCENT_FORMS)
def test_percent_after_number_wins(text: str, lang: str, value: float) -> None:
    (m,) = extract_numbers(text, 0, lang)
    assert (q(m).value, q(m).unit, q(m).ordinal, m.role) == (value, "percent", False, None)
    assert m.surface.endswith(("بالمائة", "في المئة", "في المائة", "بالمئة", "%", "٪", "percent",
                               "per cent"))


@pytest.mark.parametrize(
    "text",
    ["وتقاس النسبة في المئة من إجمالي السكان", "تغيرت النسبة بالمائة خلال العام", "زاد بالمئة"],
)
def test_percent_word_alone_is_never_a_hundred(text: str) -> None:
    assert extract_numbers(text, 0, "ar") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a military unit is still read where the number names it (seed and written text)
        ("عن طريق الوصول إلى قاعدة اللواء 137 في", 137.0),
        ("تقدمت الفرقة المدرعة 17 نحو الرقة", 17.0),
    ],
)
def test_unit_number_still_read_without_percent(text: str, value: float) -> None:
    (m,) = extract_numbers(text, 0, "ar")
    assert (q(m).value, m.role, q(m).ordinal) == (value, "unit", True)


def test_unit_noun_then_preposition_is_not_a_unit_number() -> None:
    # «الجيش على 90 من القرى»: a count of villages, not the 90th army
    (m,) = extract_numbers("سيطر الجيش على 90 من القرى", 0, "ar")
    assert (q(m).value, m.role, q(m).ordinal) == (90.0, "village", False)


def test_seed_percent_of_city_held() -> None:
    """The news report of September 2017 and the English article: 60 and 90 percent."""
    ar = (DEMO / "ar-news-2017-09.txt").read_text(encoding="utf-8")
    en = (DEMO / "en-wiki.txt").read_text(encoding="utf-8")
    s = next(line for line in ar.splitlines() if "60 في المئة من مساحة مدينة" in line)
    got = [(q(m).value, q(m).unit) for m in extract_numbers(s, 0, "ar")]
    assert (60.0, "percent") in got and all(v != 100.0 for v, _ in got)
    s = next(line for line in en.splitlines() if "90 percent of the city" in line)
    assert (90.0, "percent") in [(q(m).value, q(m).unit) for m in extract_numbers(s, 0, "en")]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("وتقدم الجيش 5 كيلومترات نحو المدينة", 5.0, "km"),
        ("وسيطر الجيش 3 قرى شرق النهر", 3.0, "village"),
        ("وخسر الجيش 2 مليون دولار", 2e6, None),
    ],
)
def test_unit_noun_before_a_measure_is_not_a_unit_number(
    text: str, value: float, unit: str | None
) -> None:
    (m,) = extract_numbers(text, 0, "ar")
    assert (q(m).value, q(m).ordinal) == (value, False)
    if unit is not None:
        assert q(m).unit == unit


# --------------------------------------------------------------------------- masculine duals


def _pud_ar(sent_id: str) -> str:
    from tests.paths import PUD

    for line in PUD.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 4 and cells[1] == sent_id:
            return cells[2]
    raise LookupError(sent_id)


@pytest.mark.parametrize(
    ("sent_id", "surface", "unit"),
    [
        # PUD pairs whose English side says "two" / "pair" (CC BY-SA 3.0)
        ("w01072065", "قسمين", None),  # divided in two
        ("w01130099", "ألبومين", None),  # two further albums
        ("n01132013", "الكتابين", None),  # two of the remaining books
        ("n01101012", "للزوجين", "person"),  # the pair
        ("n02073024", "التحالفين", None),  # the two enemy factions
        ("w05010023", "فيلقين", None),  # two legions
        ("w01070033", "الاعتدالين", None),  # the two equinoxes
    ],
)
def test_pud_masculine_dual_is_two(sent_id: str, surface: str, unit: str | None) -> None:
    got = {m.surface: q(m) for m in extract_numbers(_pud_ar(sent_id), 0, "ar")}
    assert got[surface].value == 2.0 and got[surface].unit == unit


def test_seed_masculine_duals_are_two() -> None:
    """ar-wiki: 'هدفين جديدين' (two new objectives), 'نصفين' (two halves)."""
    text = (DEMO / "ar-wiki.txt").read_text(encoding="utf-8")
    got = {m.surface: q(m).value for m in extract_numbers(text, 0, "ar")}
    assert got["هدفين"] == 2.0 and got["نصفين"] == 2.0


@pytest.mark.parametrize(
    "text",
    [
        # sound masculine plurals in -ين stay out of the list (PUD n01064113, w01137087)
        "نقلا عن باحثين يصفان التصويت",
        "أطلق حرس الحدود النار على مزارعين ألمانيين",
        "من غير الواضح من بين الفنانين ابتكر بعض الحلول",
    ],
)
def test_sound_plural_is_not_two(text: str) -> None:
    assert all(q(m).value != 2.0 for m in extract_numbers(text, 0, "ar"))

"""Tests of nlp.anchors: fact keys and the evidence that two sentences share a fact."""

from __future__ import annotations

import datetime as dt
from statistics import NormalDist

import pytest

from nlp.anchors import SETTING_FEATURES, fact_evidence, fact_keys, sentence_keys
from nlp.extract import extract_document
from nlp.records import DateValue, Document, Mention, PlaceValue, Quantity
from nlp.segment import segment


def date(y: int, mo: int, d: int, gran: str = "day") -> Mention:
    v = DateValue(dt.date(y, mo, d), dt.date(y, mo, d), gran)  # type: ignore[arg-type]
    return Mention("date", v, "", 0, 1)


def number(x: float, unit: str | None) -> Mention:
    return Mention("number", Quantity(x, x, x, unit=unit), "", 0, 1)


def place(pid: str, feature: str = "city") -> Mention:
    return Mention("place", PlaceValue(pid, "", "", feature=feature), "", 0, 1)


@pytest.mark.parametrize(
    "mention,key",
    [
        (date(2017, 11, 3), ("date", "day", "2017-11-03")),
        (number(137, "brigade"), ("number", "137", "brigade")),
        (number(1.5, "km2"), ("number", "1.5", "km2")),
        (place("geonames:170794"), ("place", "geonames:170794")),
        (place("translit:dyr-zwr", "town"), ("place", "translit:dyr-zwr")),
    ],
)
def test_fact_keys(mention: Mention, key: tuple[str, ...]) -> None:
    assert fact_keys(mention) == {key}


def test_a_year_is_not_the_day_within_it() -> None:
    year = Mention("date", DateValue(dt.date(2017, 1, 1), dt.date(2017, 12, 31), "year"), "", 0, 1)
    assert fact_keys(year) != fact_keys(date(2017, 11, 3))


@pytest.mark.parametrize("feature", sorted(SETTING_FEATURES))
def test_countries_and_provinces_are_the_setting_not_a_fact(feature: str) -> None:
    assert fact_keys(place("geonames:163843", feature)) == set()


def test_a_number_without_a_unit_is_no_fact() -> None:
    assert fact_keys(number(3, None)) == set()
    unit_by_role = Mention("number", Quantity(137, 137, 137), "", 0, 1, role="unit")
    assert fact_keys(unit_by_role) == {("number", "137", "unit")}


def test_evidence_is_the_gaussian_quantile_of_the_chance_of_sharing() -> None:
    # "137" in 1 of 4 left and 1 of 5 right sentences: chance 1/20 per pair
    left = {0: [number(137, "brigade")], 1: [], 2: [], 3: []}
    right = {4: [number(137, "brigade")]}
    ev = fact_evidence(left, right, 4, 5)
    assert ev == {(0, 4): pytest.approx(NormalDist().inv_cdf(1 - 1 / 20), abs=1e-3)}


def test_shared_facts_add_up_and_common_ones_weigh_less() -> None:
    city = place("geonames:170794")
    left = {0: [city, date(2017, 11, 3)], 1: [city], 2: [city]}
    right = {0: [city, date(2017, 11, 3)], 1: [city], 2: [], 3: []}
    ev = fact_evidence(left, right, 3, 4)
    # the city is in every left sentence and half the right ones: p = 1/2, no evidence
    assert (1, 1) not in ev and (2, 0) not in ev
    # day and city together: p = (1/3 · 1/4) · (1 · 1/2)
    assert ev[(0, 0)] == pytest.approx(NormalDist().inv_cdf(1 - 1 / 24), abs=1e-3)


def test_no_mentions_no_evidence() -> None:
    assert fact_evidence({}, {0: [date(2017, 1, 1)]}, 2, 2) == {}
    assert fact_evidence({0: [date(2017, 1, 1)]}, {0: [date(2017, 1, 1)]}, 0, 2) == {}
    assert sentence_keys({0: [], 1: [number(2, None)]}) == {}


def test_evidence_from_real_sentences_in_both_languages() -> None:
    ar = Document(
        "ar", "وذكرت وكالة سانا أن وحدات الجيش وصلت إلى اللواء 137 غرب المدينة. "
        "وقال المرصد إن الاشتباكات مستمرة. وأفادت الوكالة بارتفاع الأسعار.", "ar",
        published="2017-09-05",
    )
    en = Document(
        "en", "The weather was mild. On 5 September, the army linked up with the 137th "
        "brigade base. Markets reopened later.", "en",
    )
    ar_s, en_s = segment(ar), segment(en)
    ev = fact_evidence(
        extract_document(ar, ar_s, published=ar.published_date),
        extract_document(en, en_s),
        len(ar_s),
        len(en_s),
    )
    assert set(ev) == {(0, 1)} and ev[(0, 1)] > 1.0


# --------------------------------------------------------------------------- implied lead dates


def _sents(*texts: str, kinds: tuple[str, ...] = ()) -> list:
    from nlp.records import Sentence

    out, pos = [], 0
    for i, t in enumerate(texts):
        kind = kinds[i] if i < len(kinds) else "sentence"
        out.append(Sentence("d", i, t, pos, pos + len(t), kind=kind))  # type: ignore[arg-type]
        pos += len(t) + 1
    return out


def test_an_undated_lead_implies_its_publication_day_and_the_day_before() -> None:
    from nlp.anchors import lead_keys

    sents = _sents("The army retook the city.", "Fighting went on.")
    keys = lead_keys(sents, {}, dt.date(2017, 11, 3))
    assert keys == {0: {("date", "day", "2017-11-03"), ("date", "day", "2017-11-02")}}
    assert lead_keys(sents, {}, dt.date(2017, 11, 3), lead_days=0) == {
        0: {("date", "day", "2017-11-03")}
    }


@pytest.mark.parametrize(
    "published,mentions,kinds",
    [
        (None, {}, ()),  # no publication date: nothing to imply
        (dt.date(2017, 11, 3), {0: [date(2017, 9, 4)]}, ()),  # the lead states its own date
    ],
)
def test_no_implied_lead_date(published, mentions, kinds) -> None:  # type: ignore[no-untyped-def]
    from nlp.anchors import lead_keys

    assert lead_keys(_sents("The army retook the city.", "More."), mentions, published) == {}


def test_the_lead_is_the_first_sentence_not_a_heading() -> None:
    from nlp.anchors import lead_keys

    sents = _sents("Deir ez-Zor", "The army retook the city.", kinds=("heading",))
    assert set(lead_keys(sents, {}, dt.date(2017, 11, 3))) == {1}


def test_an_implied_day_is_weaker_evidence_than_a_stated_one() -> None:
    right = {3: [date(2017, 11, 3)]}
    implied = {0: {("date", "day", "2017-11-03"), ("date", "day", "2017-11-02")}}
    guessed = fact_evidence({}, right, 10, 10, left_implied=implied)
    stated = fact_evidence({0: [date(2017, 11, 3)]}, right, 10, 10)
    assert set(guessed) == set(stated) == {(0, 3)}
    # chance 2 guesses x 1/10 x 1/10 against 1/10 x 1/10
    assert guessed[(0, 3)] == pytest.approx(NormalDist().inv_cdf(1 - 0.02), abs=1e-3)
    assert guessed[(0, 3)] < stated[(0, 3)]


def test_implied_keys_never_match_each_other_and_work_from_the_right_too() -> None:
    implied = {0: {("date", "day", "2017-11-03")}}
    assert fact_evidence({}, {}, 5, 5, left_implied=implied, right_implied=implied) == {}
    ev = fact_evidence({4: [date(2017, 11, 3)]}, {}, 5, 5, right_implied=implied)
    assert set(ev) == {(4, 0)}


def test_of_two_implied_days_the_rarer_hit_counts_once() -> None:
    implied = {0: {("date", "day", "2017-11-03"), ("date", "day", "2017-11-02")}}
    right = {1: [date(2017, 11, 3), date(2017, 11, 2)], 2: [date(2017, 11, 2)]}
    ev = fact_evidence({}, right, 10, 10, left_implied=implied)
    # 3 Nov is stated once (1/10), 2 Nov twice: sentence 1 counts the 3 Nov hit only
    assert ev[(0, 1)] == pytest.approx(NormalDist().inv_cdf(1 - 2 / 10 * 1 / 10), abs=1e-3)


@pytest.mark.parametrize(
    "text,keep",
    [
        ("درة الشرق محررة — Mourad* (@Almelden2017) 3 novembre 2017", False),  # a post stamp
        ("Freed — Reema (@Reema_Rashid11) 3 November 2017", False),
        ("The city fell on 3 November 2017", True),  # a date of the events
        ("Reema (@Reema_Rashid11) said the city fell on 3 November 2017", True),
    ],
)
def test_post_stamps_are_no_facts(text: str, keep: bool) -> None:
    from nlp.anchors import without_post_dates
    from nlp.records import Sentence

    lang = "ar" if "درة" in text else "en"
    doc = Document("d", text, lang)  # type: ignore[arg-type]
    sents = [Sentence("d", 0, text, 0, len(text))]
    ms = extract_document(doc, sents)
    assert [m for m in ms[0] if m.kind == "date"], "the date must be found at all"
    dates = [m for m in without_post_dates(sents, ms, lang)[0] if m.kind == "date"]
    assert bool(dates) is keep

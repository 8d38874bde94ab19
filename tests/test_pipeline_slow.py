"""The demo translation pair with the real bundled encoder (USE multilingual v3)."""

from __future__ import annotations

import pytest

from corpus.demo import load_demo
from nlp.pipeline import compare_documents
from nlp.records import Comparison

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo() -> Comparison:
    from models import load_encoder

    return compare_documents(load_demo("ar-wiki"), load_demo("en-wiki"),
                             load_encoder("use-multilingual-v3"))


def counterpart(c: Comparison, arabic_start: str) -> list[str]:
    """English sentences aligned with the Arabic sentence that starts with `arabic_start`."""
    idx = next(s.idx for s in c.left_sentences if s.text.startswith(arabic_start))
    a = next(a for a in c.alignments if idx in a.left)
    return [c.right_sentences[j].text for j in a.right]


def test_auto_mode_recognises_a_translation(demo: Comparison) -> None:
    assert demo.mode == "translation"
    assert "translation" in demo.mode_reason


@pytest.mark.parametrize(
    "arabic,english",
    [
        ("في 3 نوفمبر، استولت القوات الحكومية السورية على المدينة بالكامل",
         "On 3 November, Syrian government forces completely captured the city."),
        ("في 14 سبتمبر، استولى الجيش السوري على منطقة البغيلية",
         "On 14 September, the Syrian Army captured the district of Al-Baghiliyah"),
        ("بين 14 و23 سبتمبر", "Between 14 and 23 September"),
        ("50 مقاتل داعش", "50 ISIL militants and 23 pro-government fighters"),
        ("في اليوم التالي، تم الاستيلاء على بلدة الجنينة", "The next day, the town of Janenah"),
        ("النصر في مدينة دير الزور", "The victory in Deir ez-Zor city"),
        ("في 10 نوفمبر، سيطر الجيش السوري على 80 بالمائة", "On 10 November, the Syrian Army"),
    ],
)
def test_translated_sentences_align_with_their_source(
    demo: Comparison, arabic: str, english: str
) -> None:
    assert any(e.startswith(english) for e in counterpart(demo, arabic))


def test_two_arabic_sentences_align_with_one_english_sentence(demo: Comparison) -> None:
    """The Arabic splits 'The next day ... first, to capture the nearby villages' in two."""
    merged = [a for a in demo.alignments if len(a.left) == 2 and len(a.right) == 1]
    texts = [demo.right_sentences[a.right[0]].text for a in merged]
    assert any(t.startswith("The next day they secured a supply line") for t in texts)


def test_english_sentences_the_arabic_leaves_out_are_omissions(demo: Comparison) -> None:
    omitted = [f.right.text for f in demo.findings
               if f.kind == "omission" and f.status == "right_only" and f.right]
    assert any("Al-Makhan" in t and "13 civilian deaths" in t for t in omitted)
    assert any("Qosour" in t and "15 civilian deaths" in t for t in omitted)
    assert any(t.startswith("Second, to recapture the entire city") for t in omitted)
    # The Arabic translation has no sentence that the English lacks.
    assert not [f for f in demo.findings if f.kind == "omission" and f.status == "left_only"]


def test_no_conflict_where_the_translation_agrees(demo: Comparison) -> None:
    conflicts = [(f.reason, f.left.text if f.left else "", f.right.text if f.right else "")
                 for f in demo.findings if f.status == "conflict"]
    assert conflicts == []
    agree = {f.kind: 0 for f in demo.findings}
    for f in demo.findings:
        if f.status == "agree":
            agree[f.kind] += 1
    assert agree["date"] >= 30 and agree["number"] >= 10 and agree["place"] >= 30


def test_relative_and_year_less_dates_are_resolved(demo: Comparison) -> None:
    values = {f.left.value for f in demo.findings
              if f.kind == "date" and f.status == "agree" and f.left and f.right}
    assert "2017-09-06" in values  # اليوم التالي after 5 September
    assert "2017-10-26" in values  # بحلول نهاية اليوم after اليوم التالي after 25 October

"""Independent reports with the real encoder: shared facts link the sentences that state them."""

from __future__ import annotations

import pytest

from corpus.demo import load_demo
from nlp.align import align
from nlp.pipeline import compare_documents, encode_sentences
from nlp.records import Comparison
from nlp.segment import segment

pytestmark = pytest.mark.slow

NEWS_137 = "وذكرت وكالة الانباء السورية الرسمية"  # "... reached the 137th brigade"
WIKI_AR_137 = "استطاع الجيش السوري كسر حصار دير الزور عن طريق الوصول إلى قاعدة اللواء"
WIKI_EN_137 = "The Syrian Army managed to break the siege of Deir ez-Zor by linking up"


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    from models import load_encoder

    return load_encoder("use-multilingual-v3")


def _partners(c: Comparison, left_start: str) -> list[str]:
    idx = next(s.idx for s in c.left_sentences if s.text.startswith(left_start))
    bead = next(a for a in c.alignments if idx in a.left)
    return [c.right_sentences[j].text for j in bead.right]


@pytest.mark.parametrize("right_id,target", [("ar-wiki", WIKI_AR_137), ("en-wiki", WIKI_EN_137)])
def test_the_137th_brigade_report_links_to_the_wikipedia_sentence(
    encoder, right_id: str, target: str  # type: ignore[no-untyped-def]
) -> None:
    c = compare_documents(load_demo("ar-news-sep"), load_demo(right_id), encoder)
    assert c.mode == "independent", c.mode_reason
    assert any(t.startswith(target) for t in _partners(c, NEWS_137))


@pytest.mark.parametrize("right_id", ["ar-wiki", "en-wiki"])
def test_without_fact_evidence_the_vectors_alone_pair_nothing(
    encoder, right_id: str  # type: ignore[no-untyped-def]
) -> None:
    left, right = load_demo("ar-news-sep"), load_demo(right_id)
    lv, rv = encode_sentences(encoder, [segment(left), segment(right)])
    res = align(lv, rv, "independent")
    assert not [a for a in res.alignments if a.left and a.right]


# "the Syrian army regained control of the city of Deir ez-Zor ... fully"
NEWS_NOV_LEAD = "استعادت قوات الجيش السوري السيطرة على مدينة دير الزور"


@pytest.mark.parametrize(
    "right_id,day_claim",
    [
        # the infobox line: "On 3 November, the Syrian Army took complete control of the city"
        ("en-wiki", "On 3 November, the Syrian Army took complete control"),
        # "On 3 November, Syrian government forces took the city completely."
        ("ar-wiki", "في 3 نوفمبر، استولت القوات الحكومية السورية على المدينة بالكامل"),
    ],
)
def test_an_undated_news_lead_pairs_with_the_claim_of_its_day(
    encoder, right_id: str, day_claim: str  # type: ignore[no-untyped-def]
) -> None:
    # ar-news-nov was published on 3 November 2017; its lead states no date. Vectors alone
    # pair it with an opening line about the offensive; the implied publication day links it
    # to the sentence that dates the capture (the tweets' "3 novembre 2017" stamps are when
    # the posts were published and take no part).
    c = compare_documents(load_demo("ar-news-nov"), load_demo(right_id), encoder)
    assert c.mode == "independent", c.mode_reason
    partners = _partners(c, NEWS_NOV_LEAD)
    assert len(partners) == 1 and day_claim in partners[0], partners
    assert not [f for f in c.findings if f.status == "conflict"]

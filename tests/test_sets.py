"""Claim groups across a set of documents (`nlp.sets`), its JSON contract and its reports.

Sets of three to five short documents written for these tests, in Arabic and English, about
the capture of Deir ez-Zor in 2017, with planted differences: a lone dissenter, a silent
source, two documents in one language, a document with no counterpart, and a difference
between sources published on different dates. The fake encoder knows nothing across
languages, so cross-lingual tests give `compare_set_vectors` claim vectors (one direction
per claim, a little per-sentence noise) or whole pairwise alignments; extraction and the
pairwise comparison are the real ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from app.export_set import export_set, matrix_html
from models.fake import HashingEncoder
from nlp.contract import set_to_json
from nlp.errors import ConfigError, InputError
from nlp.extract import extract_document
from nlp.records import Alignment, DateValue, Document, Mention, Quantity, Sentence
from nlp.sets import (
    ClaimGroup,
    Edge,
    PairAlignment,
    SetComparison,
    SetParams,
    anchored_edges,
    compare_set,
    compare_set_vectors,
    dateline_date,
    group_spans,
    pair_edges,
    sentence_fact_keys,
    shared_fact_count,
)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "comparison-set.schema.json").read_text("utf-8"))
DIM = 48


# --------------------------------------------------------------------------- helpers


def make_doc(
    doc_id: str, lang: str, lines: list[str], published: str | None = None
) -> tuple[Document, list[Sentence]]:
    """A document whose sentences are the given lines (one per line of its text)."""
    text = "\n".join(lines)
    doc = Document(doc_id, text, lang, title=doc_id, source=f"{doc_id}.txt", published=published)  # type: ignore[arg-type]
    sents, pos = [], 0
    for i, line in enumerate(lines):
        sents.append(Sentence(doc_id, i, line, pos, pos + len(line)))
        pos += len(line) + 1
    return doc, sents


def _unit(seed: str) -> np.ndarray:
    rng = np.random.default_rng(int.from_bytes(hashlib.blake2b(seed.encode()).digest()[:8]))
    v = rng.standard_normal(DIM)
    return v / np.linalg.norm(v)


def claim_vectors(doc_id: str, claims: list[str]) -> np.ndarray:
    """Unit rows [n, DIM]: one direction per claim label, 10% per-sentence noise and, as real
    sentence encoders have, a component shared by every sentence (unrelated sentences have a
    cosine of about 0.2, sentences of one claim about 0.99)."""
    common = 0.5 * _unit("common")
    rows = [
        _unit(f"claim:{c}") + 0.1 * _unit(f"noise:{doc_id}:{i}") + common
        for i, c in enumerate(claims)
    ]
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def members(result: SetComparison) -> list[dict[int, tuple[int, ...]]]:
    return [dict(g.members) for g in result.groups]


def group_with(result: SetComparison, doc: int, idx: int) -> ClaimGroup:
    return next(g for g in result.groups if idx in g.span(doc))


def findings_in(result: SetComparison, group: ClaimGroup, kind: str) -> list:
    return [f for f in result.findings_of(group.id) if f.kind == kind]


# --------------------------------------------------------------------------- the main set

# Sentences without dates, numbers or places, each with a claim of its own: they give the
# aligner a realistic background (documents of a handful of sentences have none).
FILLER = {
    "en": [
        "Residents described the fighting as intense.",
        "Aid agencies asked for access.",
        "Officials did not answer questions from reporters.",
        "Shops in the old market stayed closed.",
        "Families waited for news of relatives.",
        "Observers expect more clashes in the coming weeks.",
    ],
    "ar": [
        "ووصف السكان القتال بأنه عنيف.",
        "وطالبت منظمات الإغاثة بالوصول إلى المنطقة.",
        "ولم يرد المسؤولون على أسئلة الصحفيين.",
        "وبقيت المحال في السوق القديم مغلقة.",
        "وتنتظر العائلات أخبار ذويها.",
        "ويتوقع المراقبون مزيدا من الاشتباكات في الأسابيع المقبلة.",
    ],
}


# d0 English article, d1 its Arabic translation, d2 an Arabic report that dates the capture a
# day later (lone dissenter), d3 a short English report (second English document), d4 an
# English text about something else (no counterpart anywhere).
D0 = [
    "On 3 November 2017, Syrian government forces completely captured the city of Deir ez-Zor.",
    "1,500 civilians were trapped in the last neighbourhoods held by ISIL.",
    "The army had broken the siege by reaching the 137th brigade base on 5 September.",
]
D1 = [
    "في 3 نوفمبر 2017، سيطرت القوات الحكومية السورية بالكامل على مدينة دير الزور.",
    "وكان 1500 مدني محاصرين في آخر الأحياء التي يسيطر عليها داعش.",
    "وكان الجيش قد كسر الحصار بالوصول إلى قاعدة اللواء 137 في 5 سبتمبر.",
]
D2 = [
    "أعلن الجيش السوري استعادة السيطرة الكاملة على مدينة دير الزور في 4 نوفمبر 2017.",
    "وقالت مصادر محلية إن 1500 مدني كانوا محاصرين في الأحياء الأخيرة.",
    "وكان الجيش قد فك الحصار عن المدينة في وقت سابق.",
    "نبارك للأخوة في سوريا الحبيبة.",
]
D3 = [
    "Syrian troops took full control of Deir ez-Zor on 3 November 2017.",
    "It was a cold and windy Friday in the capital.",
]
D4 = [
    "The football season in Spain began in August with twenty clubs.",
    "Tickets for the opening match sold out within an hour.",
]
CLAIMS = {
    "d0": ["taken", "trapped", "siege"],
    "d1": ["taken", "trapped", "siege"],
    "d2": ["taken", "trapped", "siege", "d2-congrats"],
    "d3": ["taken", "d3-weather"],
    "d4": ["d4-football", "d4-tickets"],
}


def claim_alignments(i: int, j: int, left: list[str], right: list[str]) -> PairAlignment:
    """The alignments a perfect independent-mode aligner gives two claim-labelled documents:
    1-1 for every shared claim, 1-0 / 0-1 for the rest (score 0.9 for a shared claim)."""
    beads = [Alignment((a,), (right.index(c),), 0.9) for a, c in enumerate(left) if c in right]
    beads += [Alignment((a,), (), 0.0) for a, c in enumerate(left) if c not in right]
    beads += [Alignment((), (b,), 0.0) for b, c in enumerate(right) if c not in left]
    return PairAlignment(i, j, "independent", "given: claim labels", tuple(beads))


@pytest.fixture(scope="module")
def main_set() -> SetComparison:
    """The five documents, with the alignments of a perfect aligner injected for every pair
    (what is tested here is the grouping and the claim matrix, not the aligner)."""
    specs = [
        ("d0", "en", D0, None),
        ("d1", "ar", D1, None),
        ("d2", "ar", D2, "2017-11-05"),
        ("d3", "en", D3, "2017-11-05"),
        ("d4", "en", D4, None),
    ]
    docs, sents, vecs, claims = [], [], [], []
    for doc_id, lang, lines, pub in specs:
        d, s = make_doc(doc_id, lang, lines + FILLER[lang], pub)
        docs.append(d)
        sents.append(s)
        labels = CLAIMS[doc_id] + [f"{doc_id}-filler-{k}" for k in range(len(FILLER[lang]))]
        claims.append(labels)
        vecs.append(claim_vectors(doc_id, labels))
    given = {
        (i, j): claim_alignments(i, j, claims[i], claims[j])
        for i in range(len(docs))
        for j in range(i + 1, len(docs))
    }
    return compare_set_vectors(docs, sents, vecs, pair_alignments=given)


def test_groups_follow_the_claims_across_languages(main_set: SetComparison) -> None:
    expected = [
        {0: (0,), 1: (0,), 2: (0,), 3: (0,)},  # the capture (with the lone dissenter)
        {0: (1,), 1: (1,), 2: (1,)},  # 1,500 civilians trapped
        {0: (2,), 1: (2,), 2: (2,)},  # the siege broken at the 137th brigade base
    ]
    assert sorted(members(main_set), key=str) == sorted(expected, key=str)
    assert main_set.groups[0].members == ((0, (0,)), (1, (0,)), (2, (0,)), (3, (0,)))


def test_document_without_counterpart_is_in_no_group(main_set: SetComparison) -> None:
    assert all(4 not in g.docs for g in main_set.groups)
    assert main_set.unmatched(4) == tuple(range(2 + 6))
    assert main_set.unmatched(3) == (1, *range(2, 8))  # the weather sentence and fillers
    assert main_set.unmatched(2) == (3, *range(4, 10))  # the congratulations and fillers


def test_lone_dissenter_on_the_date(main_set: SetComparison) -> None:
    g = group_with(main_set, 0, 0)
    dates = findings_in(main_set, g, "date")
    assert len(dates) == 1
    f = dates[0]
    assert f.status == "conflict"
    assert f.dissenters == (2,)
    assert {d: e.value for d, e in f.values} == {
        0: "2017-11-03",
        1: "2017-11-03",
        2: "2017-11-04",
        3: "2017-11-03",
    }
    assert f.silent == (4,)
    assert f.time_context is None  # d2 and d3 were published the same day
    assert "d2 stands alone" in f.reason
    assert f.id == 0 and g.id == 0  # lone dissenters come first


def test_agreement_and_silence_inside_a_group(main_set: SetComparison) -> None:
    trapped = group_with(main_set, 0, 1)
    nums = findings_in(main_set, trapped, "number")
    assert [f.status for f in nums] == ["agree"]
    assert {d for d, _ in nums[0].values} == {0, 1, 2}
    assert nums[0].silent == (3, 4)  # d3 and d4 are absent from the group
    siege = group_with(main_set, 0, 2)
    sept = [f for f in findings_in(main_set, siege, "date") if f.value_of(0)]
    assert len(sept) == 1
    assert sept[0].value_of(0).value == sept[0].value_of(1).value  # 5 September both sides
    assert 2 in siege.docs and 2 in sept[0].silent  # d2 is in the group but gives no date


def test_pairs_are_all_aligned_and_explained(main_set: SetComparison) -> None:
    assert [(p.left, p.right) for p in main_set.pairs] == [
        (0, 1),
        (0, 2),
        (0, 3),
        (0, 4),
        (1, 2),
        (1, 3),
        (1, 4),
        (2, 3),
        (2, 4),
        (3, 4),
    ]
    assert all(p.mode == "independent" and p.reason for p in main_set.pairs)
    assert all(len(p.alignments) >= 2 for p in main_set.pairs)
    by_pair = {(p.left, p.right): p.n_linked for p in main_set.pairs}
    assert by_pair[(0, 1)] == 3 and by_pair[(0, 4)] == 0 and by_pair[(0, 3)] == 1


# --------------------------------------------------------------------------- time context


def small_set(
    specs: list[tuple[str, str, str, str | None]], claim: str, mode: str = "independent"
) -> SetComparison:
    """Documents of seven sentences: a filler, `text` (the shared claim), five fillers; every
    filler has a claim of its own."""
    docs, sents, vecs = [], [], []
    for doc_id, lang, text, published in specs:
        lines = [FILLER[lang][0], text, *FILLER[lang][1:]]
        d, s = make_doc(doc_id, lang, lines, published)
        docs.append(d)
        sents.append(s)
        claims = [f"{doc_id}-f0", claim, *(f"{doc_id}-f{k}" for k in range(1, 6))]
        vecs.append(claim_vectors(doc_id, claims))
    return compare_set_vectors(docs, sents, vecs, params=SetParams(mode=mode))


def test_time_context_for_values_from_different_dates() -> None:
    r = small_set(
        [
            ("sep-en", "en", "ISIL holds 60 percent of the city of Deir ez-Zor.", "2017-09-04"),
            (
                "sep-ar",
                "ar",
                "ويسيطر التنظيم على 60 في المئة من مساحة مدينة دير الزور.",
                "2017-09-04",
            ),
            ("oct-en", "en", "ISIL holds 10 percent of the city of Deir ez-Zor.", "2017-10-18"),
        ],
        claim="share",
    )
    assert [g.members for g in r.groups] == [((0, (1,)), (1, (1,)), (2, (1,)))]
    (pct,) = [f for f in r.findings if f.kind == "number"]
    assert pct.status == "conflict"
    assert pct.dissenters == (2,)
    assert pct.time_context is not None
    assert dict(pct.time_context.published) == {0: "2017-09-04", 1: "2017-09-04", 2: "2017-10-18"}
    assert pct.time_context.days_apart == 44
    assert "2017-09-04 and 2017-10-18" in pct.reason
    assert "not necessarily a contradiction" in pct.reason
    out = set_to_json(r, sources=["a", "b", "c"])
    jsonschema.validate(out, SCHEMA)
    assert out["findings"][pct.id]["time_context"]["published"]["d2"] == "2017-10-18"


def test_publication_date_is_context_for_dates_without_year() -> None:
    r = small_set(
        [
            ("a", "en", "The city fell on 3 November.", "2017-11-04"),
            ("b", "ar", "سقطت المدينة في 3 نوفمبر.", "2017-11-04"),
            ("c", "en", "The city fell on 3 November.", "2018-11-04"),
        ],
        claim="fell",
    )
    (date,) = [f for f in r.findings if f.kind == "date"]
    assert {d: e.value for d, e in date.values} == {
        0: "2017-11-03",
        1: "2017-11-03",
        2: "2018-11-03",
    }
    assert date.dissenters == (2,) and date.time_context is not None


# --------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ar", "دمشق - 3 نوفمبر 2017 - استعاد الجيش السوري مدينة دير الزور.", "2017-11-03"),
        ("ar", "بيروت (أ ف ب) - 4 أيلول 2017 - وصلت القوات إلى مشارف المدينة.", "2017-09-04"),
        ("en", "BEIRUT, 3 November 2017 (Reuters) - Syrian forces took the city.", "2017-11-03"),
        ("en", "Published 20 November 2017\nThe offensive ended.", "2017-11-20"),
        ("en", "Syrian forces took the city on 3 November 2017, officials said.", None),
        ("ar", "سيطر الجيش على المدينة في 3 نوفمبر.", None),
    ],
)
def test_dateline_date(lang: str, text: str, expected: str | None) -> None:
    doc = Document("x", text, lang)  # type: ignore[arg-type]
    sents = [Sentence("x", 0, text, 0, len(text))]
    assert dateline_date(doc, extract_document(doc, sents)) == expected


# --------------------------------------------------------------------------- grouping core


def E(w: float, a: int, sa: tuple[int, ...], b: int, sb: tuple[int, ...]) -> Edge:
    return Edge(weight=w, score=w, doc_a=a, span_a=sa, doc_b=b, span_b=sb)


def test_union_find_refuses_two_spans_of_one_source() -> None:
    edges = [E(0.9, 0, (0,), 1, (0,)), E(0.8, 1, (0,), 2, (0,)), E(0.7, 0, (5,), 2, (0,))]
    groups = group_spans(edges)
    assert [g.members for g in groups] == [((0, (0,)), (1, (0,)), (2, (0,)))]
    assert groups[0].score == pytest.approx(0.85)


def test_heavier_edge_wins_and_loser_stays_out() -> None:
    edges = [E(0.6, 0, (0,), 1, (3,)), E(0.9, 0, (0,), 1, (4,))]
    assert [g.members for g in group_spans(edges)] == [((0, (0,)), (1, (4,)))]


def test_one_to_two_spans_and_overlap_versus_adjacency() -> None:
    one_two = [E(0.9, 0, (4,), 1, (7, 8)), E(0.8, 2, (1,), 1, (8,))]
    assert [g.members for g in group_spans(one_two)] == [((0, (4,)), (1, (7, 8)), (2, (1,)))]
    adjacent = [E(0.9, 0, (4,), 1, (7,)), E(0.8, 0, (4,), 2, (1,)), E(0.7, 2, (1,), 1, (8,))]
    assert [g.members for g in group_spans(adjacent)] == [((0, (4,)), (1, (7,)), (2, (1,)))]


def test_a_newcomer_needs_two_members_to_vouch_for_it() -> None:
    pair = E(0.9, 0, (0,), 1, (0,))
    one_link = [pair, E(0.5, 2, (4,), 1, (0,))]
    assert [g.members for g in group_spans(one_link, min_links=2)] == [((0, (0,)), (1, (0,)))]
    assert group_spans(one_link, min_links=1)[0].docs == (0, 1, 2)
    two_links = [*one_link, E(0.4, 0, (0,), 2, (4,))]
    assert group_spans(two_links, min_links=2)[0].docs == (0, 1, 2)


def test_span_cap_and_weight_floor() -> None:
    chain = [E(0.9, 0, (0, 1), 1, (0,)), E(0.8, 0, (1, 2), 2, (0,))]
    assert group_spans(chain, max_span=3)[0].span(0) == (0, 1, 2)
    capped = group_spans(chain, max_span=2)
    assert [g.members for g in capped] == [((0, (0, 1)), (1, (0,)))]
    assert group_spans(chain, min_weight=0.95) == []


def test_pair_edges_bonus_for_shared_facts() -> None:
    day = DateValue(dt.date(2017, 11, 3), dt.date(2017, 11, 3), "day")
    m_date = Mention("date", day, "3 November", 0, 10, 0)
    m_num = Mention("number", Quantity(50, 50, 50), "50", 12, 14, 0)
    other = Mention("number", Quantity(23, 23, 23), "23", 12, 14, 0)
    pair = PairAlignment(
        0,
        1,
        "independent",
        "given",
        (Alignment((0,), (0,), 0.6), Alignment((1,), (), 0.0), Alignment((), (1,), 0.0)),
    )
    mentions = [{0: [m_date, m_num]}, {0: [m_date, other]}]
    (edge,) = pair_edges(pair, mentions, SetParams(fact_bonus=0.05))
    assert edge.shared_facts == 1 and edge.weight == pytest.approx(0.65) and edge.score == 0.6
    assert shared_fact_count([m_date, m_num], [m_date, m_num]) == 2
    (capped,) = pair_edges(
        pair,
        [{0: [m_date, m_num]}, {0: [m_date, m_num]}],
        SetParams(fact_bonus=0.1, max_fact_bonus=0.15),
    )
    assert capped.weight == pytest.approx(0.75)


# --------------------------------------------------------------------------- injected pairs


def test_injected_one_to_two_alignment_across_languages() -> None:
    d0, s0 = make_doc("en", "en", ["50 ISIL militants and 23 pro-government fighters were killed."])
    d1, s1 = make_doc("ar", "ar", ["قتل 50 مقاتلا من داعش.", "وقتل 23 مقاتلا مواليا للحكومة."])
    d2, s2 = make_doc(
        "en2", "en", ["Fighting killed 50 ISIL militants and 25 pro-government fighters."]
    )
    given = {
        (0, 1): PairAlignment(0, 1, "translation", "given", (Alignment((0,), (0, 1), 0.8),)),
        (1, 2): PairAlignment(1, 2, "independent", "given", (Alignment((0, 1), (0,), 0.7),)),
        (0, 2): PairAlignment(0, 2, "independent", "given", (Alignment((0,), (0,), 0.7),)),
    }
    vecs = [HashingEncoder(DIM).encode([s.text for s in ss]) for ss in (s0, s1, s2)]
    r = compare_set_vectors(
        [d0, d1, d2],
        [s0, s1, s2],
        vecs,
        pair_alignments=given,
        params=SetParams(mode="independent"),
    )
    assert r.groups[0].members == ((0, (0,)), (1, (0, 1)), (2, (0,)))
    nums = {
        tuple(sorted(str(e.value) for _, e in f.values)): f
        for f in r.findings
        if f.kind == "number"
    }
    fifty = nums[("50", "50", "50")]
    assert fifty.status == "agree"
    conflict = next(f for f in r.findings if f.kind == "number" and f.status == "conflict")
    assert {d: e.value for d, e in conflict.values} == {0: 23, 1: 23, 2: 25}
    assert conflict.dissenters == (2,)


# --------------------------------------------------------------------------- end to end


def test_compare_set_end_to_end_same_language() -> None:
    texts = [
        "On 3 November 2017, the army captured Deir ez-Zor. About 100 militants remained.",
        "On 3 November 2017, the army captured Deir ez-Zor. About 100 militants remained there.",
        "On 4 November 2017, the army captured Deir ez-Zor. Football resumed in Madrid.",
    ]
    docs = [Document(f"n{i}", t, "en", title=f"n{i}") for i, t in enumerate(texts)]
    r = compare_set(docs, HashingEncoder())
    taken = group_with(r, 0, 0)
    assert set(taken.docs) == {0, 1, 2}
    (date,) = findings_in(r, taken, "date")
    assert date.status == "conflict" and date.dissenters == (2,)
    assert set(r.timings) >= {"segment", "extract", "encode", "align", "group", "compare"}


def test_compare_set_reads_a_dateline_when_no_date_is_given() -> None:
    docs = [
        Document("a", "DAMASCUS, 3 November 2017 - The army captured the city on Friday.", "en"),
        Document("b", "The army captured the city on Friday, 3 November 2017.", "en"),
        Document("c", "The army captured the city on Friday.", "en", published="2017-11-04"),
    ]
    r = compare_set(docs, HashingEncoder())
    assert r.published == ("2017-11-03", None, "2017-11-04")
    assert r.published_from == ("text", "unknown", "given")


@pytest.mark.parametrize("n", [0, 1])
def test_too_few_documents(n: int) -> None:
    docs = [Document("a", "The city fell.", "en")] * n
    with pytest.raises(InputError, match="at least two documents"):
        compare_set(docs, HashingEncoder())


def test_vectors_must_match_sentences() -> None:
    d0, s0 = make_doc("a", "en", ["One.", "Two."])
    d1, s1 = make_doc("b", "en", ["One."])
    with pytest.raises(InputError, match="2 sentences but 1 vectors"):
        compare_set_vectors([d0, d1], [s0, s1], [np.zeros((1, 4)), np.zeros((1, 4))])


def test_unknown_mode_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="auto, translation or independent"):
        SetParams(mode="fast")


# --------------------------------------------------------------------------- JSON contract


def test_set_json_validates_and_keys_follow_the_order(main_set: SetComparison) -> None:
    refs = ["en-wiki", "ar-wiki", "ar-news.txt", "en-news.txt", "football.txt"]
    out = set_to_json(main_set, sources=refs)
    jsonschema.validate(out, SCHEMA)
    assert out["schema"] == "tabayyun.comparison-set/1"
    assert list(out["documents"]) == ["d0", "d1", "d2", "d3", "d4"]
    assert [d["source"] for d in out["documents"].values()] == refs
    assert out["documents"]["d2"]["published"] == "2017-11-05"
    assert out["documents"]["d2"]["published_from"] == "given"
    assert out["groups"][0]["members"] == {"d0": [0], "d1": [0], "d2": [0], "d3": [0]}
    first = out["findings"][0]
    assert first["dissenters"] == ["d2"] and first["silent"] == ["d4"]
    assert first["values"]["d2"]["value"] == "2017-11-04"
    text = main_set.documents[2].text
    ev = first["values"]["d2"]
    assert text[ev["start"] : ev["end"]] == ev["text"]
    assert out["unmatched"]["d4"] == list(range(8))
    assert out["summary"]["date"]["lone_dissent"] == 1
    assert len(out["pairs"]) == 10
    json.dumps(out, ensure_ascii=False)


def test_schema_rejects_a_broken_document(main_set: SetComparison) -> None:
    out = set_to_json(main_set)
    out["findings"][0]["status"] = "left_only"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(out, SCHEMA)


# --------------------------------------------------------------------------- reports


def test_markdown_matrix_marks_dissent_silence_and_absence(main_set: SetComparison) -> None:
    md = export_set(main_set, "md", sources=["a", "b", "c", "d", "e"]).decode("utf-8")
    row0 = next(line for line in md.splitlines() if line.startswith("| 0 |"))
    cells = [c.strip() for c in row0.split("|")[2:-1]]
    assert len(cells) == 5
    assert "2017-11-04" in cells[2] and "✖ dissent" in cells[2]
    assert "⚠" in cells[0] and "2017-11-03" in cells[0]
    assert cells[4] == "*absent*"
    assert "— silent" in md  # d2 in the siege group without the date
    assert "| d2 | d2 | ar | 2017-11-05 | c |" in md


def test_html_is_escaped_rtl_and_self_contained() -> None:
    r = small_set(
        [
            (
                "x<script>",
                "en",
                "<script>alert(1)</script> On 3 November 2017 the city fell.",
                None,
            ),
            ("y", "ar", "<b>سقطت</b> المدينة في 3 نوفمبر 2017.", None),
            ("z", "en", "On 4 November 2017 the city fell & burned.", None),
        ],
        claim="fell",
    )
    assert len(r.groups) == 1 and r.findings
    page = export_set(r, "html", sources=["<i>a</i>", "b", "c"]).decode("utf-8")
    assert "<script>" not in page and "<b>سقطت" not in page and "<i>a</i>" not in page
    assert html.escape("<script>alert(1)</script>") in page
    assert "&amp; burned" in page
    assert 'dir="rtl" lang="ar"' in page
    assert "<link" not in page and "<script" not in page and "src=" not in page


def test_csv_has_one_column_per_source_with_provenance(main_set: SetComparison) -> None:
    data = export_set(main_set, "csv", sources=["a", "b", "c", "d", "e"])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[-5:] == [
        "d0 en undated a",
        "d1 ar undated b",
        "d2 ar 2017-11-05 c",
        "d3 en 2017-11-05 d",
        "d4 en undated e",
    ]
    first = dict(zip(header, rows[1], strict=True))
    assert first["status"] == "conflict" and first["dissenters"] == "d2"
    assert first["d4 en undated e"] == "absent"
    assert "✖ dissent" in first["d2 ar 2017-11-05 c"]


def test_unknown_report_format(main_set: SetComparison) -> None:
    with pytest.raises(ConfigError, match="md, html, csv, json"):
        export_set(main_set, "pdf")
    with pytest.raises(ConfigError, match="one per document"):
        export_set(main_set, "md", sources=["a"])


# --------------------------------------------------------------------------- fact anchoring

IDF = {
    ("value", "number", "137|brigade"): 3.5,
    ("slot", "number", "brigade"): 3.4,
    ("value", "place", "Deir ez-Zor"): 1.1,
    ("value", "date", "2017-11-03"): 3.3,
    ("value", "date", "2017-09-15"): 3.6,
    ("value", "number", "90|percent"): 3.7,
    ("value", "number", "60|percent"): 3.7,
    ("slot", "number", "percent"): 3.2,
}


def _anchor(
    left: list[frozenset], right: list[frozenset], mode: str = "independent"
) -> list[tuple[int, int]]:
    """Anchored edges between two 3-sentence documents whose sentence k are near each other."""
    base = np.eye(3, DIM, dtype=np.float32) + 0.5 * _unit("common").astype(np.float32)
    vecs = [base / np.linalg.norm(base, axis=1, keepdims=True)] * 2
    keys = [dict(enumerate(left)), dict(enumerate(right))]
    pair = PairAlignment(0, 1, mode, "given", tuple(Alignment((i,), (), 0.0) for i in range(3)))
    edges = anchored_edges(pair, vecs, keys, IDF, SetParams(anchor_top_k=1))
    return [(e.span_a[0], e.span_b[0]) for e in edges]


BRIGADE = frozenset({("value", "number", "137|brigade"), ("slot", "number", "brigade")})
DEIR = frozenset({("value", "place", "Deir ez-Zor")})
NOTHING: frozenset = frozenset()


def test_anchored_edge_needs_a_distinctive_shared_fact() -> None:
    assert _anchor([BRIGADE, DEIR, NOTHING], [BRIGADE, DEIR, NOTHING]) == [(0, 0)]
    assert _anchor([BRIGADE, DEIR, NOTHING], [BRIGADE, DEIR, NOTHING], "translation") == []


def test_anchored_edge_only_between_near_neighbours() -> None:
    assert _anchor([BRIGADE, NOTHING, NOTHING], [NOTHING, NOTHING, BRIGADE]) == []


def test_same_slot_different_values_anchors() -> None:
    p90 = frozenset({("value", "number", "90|percent"), ("slot", "number", "percent")})
    p60 = frozenset({("value", "number", "60|percent"), ("slot", "number", "percent")})
    assert _anchor([p90 | DEIR, NOTHING, NOTHING], [p60 | DEIR, NOTHING, NOTHING]) == [(0, 0)]


def test_lead_date_matches_a_stated_date_never_another_lead() -> None:
    stated = frozenset({("value", "date", "2017-11-03")})
    lead = frozenset({("lead", "date", "2017-11-03"), ("lead", "date", "2017-11-02")})
    assert _anchor([stated, NOTHING, NOTHING], [lead, NOTHING, NOTHING]) == [(0, 0)]
    assert _anchor([lead, NOTHING, NOTHING], [lead, NOTHING, NOTHING]) == []


def test_different_days_are_different_events() -> None:
    sept = frozenset({("value", "date", "2017-09-15")}) | BRIGADE
    lead = frozenset({("lead", "date", "2017-11-03")}) | BRIGADE
    assert _anchor([sept, NOTHING, NOTHING], [lead, NOTHING, NOTHING]) == []


@pytest.mark.parametrize(
    ("lang", "text", "published", "expected", "absent"),
    [
        (
            "en",
            "ISIL held 60 percent of the city.",
            None,
            {("value", "number", "60|percent"), ("slot", "number", "percent")},
            set(),
        ),
        (
            "ar",
            "ويسيطر التنظيم على نحو 60 في المئة من مساحة مدينة دير الزور.",
            None,
            {("slot", "number", "percent"), ("value", "place", "Deir ez-Zor")},
            set(),
        ),
        ("en", "In 2017 the army advanced.", None, set(), {("value", "date", "2017")}),
        (
            "ar",
            "استعادت قوات الجيش السوري السيطرة على مدينة دير الزور.",
            "2017-11-03",
            {("lead", "date", "2017-11-03"), ("lead", "date", "2017-11-02")},
            set(),
        ),
        (
            "en",
            "On 1 November the army advanced.",
            "2017-11-03",
            {("value", "date", "2017-11-01")},
            {("lead", "date", "2017-11-03")},
        ),
    ],
)
def test_sentence_fact_keys(
    lang: str, text: str, published: str | None, expected: set, absent: set
) -> None:
    doc, sents = make_doc("k", lang, [text], published)
    keys = sentence_fact_keys(doc, sents, extract_document(doc, sents), published)
    got = keys.get(0, frozenset())
    assert expected <= got and not absent & got


def test_time_context_uses_the_date_a_claim_is_stated_for_undated_sources() -> None:
    r = small_set(
        [
            ("en", "en", "On 17 October 2017, the army held 90 percent of the city.", None),
            ("ar", "ar", "في 17 أكتوبر 2017، أصبحت 90 بالمائة من المدينة تحت سيطرة الجيش.", None),
            ("news", "ar", "ويسيطر التنظيم على نحو 60 في المئة من مساحة المدينة.", "2017-09-04"),
        ],
        claim="share",
    )
    (pct,) = [f for f in r.findings if f.kind == "number"]
    assert {d: e.value for d, e in pct.values if not isinstance(e.value, dict)} == {0: 90, 1: 90}
    assert pct.status == "conflict" and pct.dissenters == (2,)
    assert pct.time_context is not None
    assert dict(pct.time_context.stated) == {0: "2017-10-17", 1: "2017-10-17"}
    assert dict(pct.time_context.published) == {2: "2017-09-04"}
    assert "2017-09-04 (published) and 2017-10-17 (stated in the text)" in pct.reason
    (date,) = [f for f in r.findings if f.kind == "date"]
    assert date.time_context is None  # a date is never dated by itself


def test_matrix_html_for_the_app_shows_chosen_groups(main_set: SetComparison) -> None:
    table = matrix_html(main_set, groups=[0])
    assert table.startswith("<table>") and table.endswith("</table>")
    assert table.count("<tr id='g") == 1 and "<tr id='g0'>" in table
    assert table.count("class='absent'") == 1  # d4
    assert "class='dissent'" in table and "2017-11-04" in table

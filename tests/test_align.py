"""Tests of nlp.align on vectors built to a known truth, and with the fake encoder on text."""

from __future__ import annotations

import numpy as np
import pytest

from models.fake import HashingEncoder
from nlp import align as align_mod
from nlp.align import AlignParams, align
from nlp.align_eval import score_alignments
from nlp.errors import ConfigError
from nlp.records import Alignment

D = 64


def unit(x: np.ndarray) -> np.ndarray:
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def sentences(rng: np.random.Generator, n: int, d: int = D) -> np.ndarray:
    return unit(rng.normal(size=(n, d)))


def translate(rng: np.random.Generator, v: np.ndarray, noise: float = 0.6) -> np.ndarray:
    """A 'translation': the same direction plus noise (cosine about 1/sqrt(1+noise^2))."""
    return unit(v + noise * unit(rng.normal(size=v.shape)))


def check_cover(res_beads: list[Alignment], n: int, m: int) -> None:
    """Every index of both sides exactly once; consecutive indices within a side."""
    lefts = [i for a in res_beads for i in a.left]
    rights = [j for a in res_beads for j in a.right]
    assert sorted(lefts) == list(range(n))
    assert sorted(rights) == list(range(m))
    for a in res_beads:
        assert a.left or a.right
        for side in (a.left, a.right):
            assert list(side) == list(range(side[0], side[0] + len(side))) if side else True


def check_monotonic(beads: list[Alignment]) -> None:
    last_l = last_r = -1
    for a in beads:
        if a.left:
            assert a.left[0] > last_l
            last_l = a.left[-1]
        if a.right:
            assert a.right[0] > last_r
            last_r = a.right[-1]


def build_pair(
    rng: np.random.Generator,
    n: int,
    merge_right: tuple[int, ...] = (),
    merge_left: tuple[int, ...] = (),
    drop_right: tuple[int, ...] = (),
    insert_right: tuple[int, ...] = (),
) -> tuple[np.ndarray, np.ndarray, list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """Left = n random sentences; right = their translations with edits; gold beads.

    merge_right: left i and i+1 are translated as one right sentence (2-1).
    merge_left: left i is translated as two right sentences (1-2), split in two halves.
    drop_right: left i has no translation (1-0).
    insert_right: a fresh right sentence is inserted before the translation of left i (0-1).
    """
    left = sentences(rng, n)
    right: list[np.ndarray] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i = 0
    while i < n:
        if i in insert_right:
            gold.append(((), (len(right),)))
            right.append(sentences(rng, 1)[0])
        if i in merge_right and i + 1 < n:
            gold.append(((i, i + 1), (len(right),)))
            right.append(translate(rng, left[i] + left[i + 1], 0.4)[0])
            i += 2
            continue
        if i in drop_right:
            gold.append(((i,), ()))
        elif i in merge_left:
            # the sentence is split: each half carries part of the meaning
            part = sentences(rng, 1)[0]
            gold.append(((i,), (len(right), len(right) + 1)))
            right.append(translate(rng, left[i] + part, 0.3)[0])
            right.append(translate(rng, left[i] - part, 0.3)[0])
        else:
            gold.append(((i,), (len(right),)))
            right.append(translate(rng, left[i])[0])
        i += 1
    return left, np.array(right, dtype=np.float32).reshape(-1, left.shape[1]), gold


def beads_of(res: align_mod.AlignResult) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(a.left, a.right) for a in res.alignments]


# --------------------------------------------------------------------------- translation


def test_faithful_pair_aligns_one_to_one() -> None:
    rng = np.random.default_rng(1)
    left, right, gold = build_pair(rng, 60)
    res = align(left, right, "translation")
    assert beads_of(res) == gold
    assert all(0.6 < a.score <= 1.0 for a in res.alignments)


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_two_to_one_and_one_to_two_merges_are_found(seed: int) -> None:
    rng = np.random.default_rng(seed)
    left, right, gold = build_pair(rng, 40, merge_right=(5, 20), merge_left=(12, 30))
    res = align(left, right, "translation")
    got = beads_of(res)
    merges = [b for b in gold if len(b[0]) + len(b[1]) > 2]
    assert [(len(lf), len(rt)) for lf, rt in merges] == [(2, 1), (1, 2), (2, 1), (1, 2)]
    assert set(merges) <= set(got)
    assert score_alignments(res.alignments, gold).strict_f1 >= 0.95


@pytest.mark.parametrize("seed", [5, 6])
def test_deletions_on_either_side_stay_unaligned(seed: int) -> None:
    rng = np.random.default_rng(seed)
    left, right, gold = build_pair(rng, 50, drop_right=(7, 8, 33), insert_right=(20, 41))
    res = align(left, right, "translation")
    got = beads_of(res)
    for bead in gold:
        if not bead[0] or not bead[1]:
            assert bead in got
    assert score_alignments(res.alignments, gold).strict_f1 == 1.0
    # the same edits seen from the other side
    flipped = align(right, left, "translation")
    assert {(r, lf) for lf, r in gold} == set(beads_of(flipped))


def test_a_generic_sentence_similar_to_everything_does_not_win() -> None:
    rng = np.random.default_rng(7)
    left = sentences(rng, 30)
    hub = unit(left.sum(axis=0))  # a little similar to every left sentence
    right = np.concatenate([translate(rng, left[:15]), hub, translate(rng, left[15:])])
    res = align(left, right, "translation")
    assert ((), (15,)) in beads_of(res)
    check_monotonic(res.alignments)


def test_english_text_with_the_hashing_encoder() -> None:
    left_text = [
        "On 14 September, the Syrian Army captured the district of Al-Baghiliyah.",
        "After this, the Syrian Army was able to capture Maria'yah.",
        "On 16 September, the Syrian Army captured Ayyash and its nearby hill.",
        "On 6 October, Syrian airstrikes on Al-Makhan resulted in 13 civilian deaths.",
        "On 16 October, the Syrian Army captured the town of al-Husayniyah.",
        "The next day, the town of Janenah was also captured.",
        "On 3 November, Syrian government forces completely captured the city.",
    ]
    right_text = [
        "On 14 September the Syrian army captured the district of Al-Baghiliyah.",
        "After this the Syrian army was able to capture Maria'yah.",
        "On 16 September the Syrian army captured Ayyash and the nearby hill.",
        # 6 October sentence missing; the two October sentences merged into one
        "On 16 October the Syrian army captured the town of al-Husayniyah; "
        "the next day the town of Janenah was captured too.",
        "Farmers in the valley sold tomatoes at the weekly market.",
        "On 3 November Syrian government forces captured the whole city.",
    ]
    enc = HashingEncoder(dim=512)
    res = align(enc.encode(left_text), enc.encode(right_text), "translation")
    got = beads_of(res)
    assert ((0,), (0,)) in got and ((2,), (2,)) in got and ((6,), (5,)) in got
    assert ((3,), ()) in got  # the airstrike sentence has no counterpart
    assert ((4, 5), (3,)) in got  # the merged October sentences
    assert ((), (4,)) in got  # the unrelated market sentence




# --------------------------------------------------------------------------- merge objective


def _uneven_merge_pair(
    rng: np.random.Generator, weight: float, n: int = 40, at: int = 17
) -> tuple[np.ndarray, np.ndarray]:
    """Right sentence `at` translates left `at` (a minor part, `weight`) and `at`+1 (most).

    The merged vector's cosine is *below* that of the major part alone (weight < ~0.41),
    the case where a "merge must beat its best member" rule drops the minor part.
    """
    left = sentences(rng, n, 256)
    right = [translate(rng, left[i : i + 1], 0.3)[0] for i in range(at)]
    right.append(unit(weight * left[at] + left[at + 1] + 0.2 * sentences(rng, 1, 256)[0])[0])
    right += [translate(rng, left[i : i + 1], 0.3)[0] for i in range(at + 2, n)]
    return left, np.array(right, dtype=np.float32)


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_a_minor_part_joins_its_bead_though_it_lowers_the_cosine(seed: int) -> None:
    rng = np.random.default_rng(seed)
    left, right = _uneven_merge_pair(rng, weight=0.4)
    res = align(left, right, "translation")
    bead = next(a for a in res.alignments if 17 in a.right)
    pair_cos = float(left[18] @ right[17])
    assert bead.left == (17, 18) and bead.score < pair_cos  # merged, at a lower cosine
    check_cover(res.alignments, len(left), len(right))


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_an_unrelated_neighbour_does_not_ride_along(seed: int) -> None:
    rng = np.random.default_rng(seed)
    left, right = _uneven_merge_pair(rng, weight=0.0)  # left 17 has no counterpart
    res = align(left, right, "translation")
    assert ((17,), ()) in beads_of(res)
    assert ((18,), (17,)) in beads_of(res)


def test_a_generic_low_neighbourhood_sentence_is_not_merged() -> None:
    """A heading-like right sentence, weakly similar to its neighbour's source only."""
    rng = np.random.default_rng(24)
    left = sentences(rng, 30)
    right = translate(rng, left, 0.3)
    heading = unit(0.25 * left[10] + sentences(rng, 1)[0])  # cosine ~0.25 with left 10
    right = np.concatenate([right[:11], heading, right[11:]])
    res = align(left, right, "translation")
    assert ((), (11,)) in beads_of(res) and ((10,), (10,)) in beads_of(res)


def test_two_parallel_pairs_stay_two_beads_even_when_their_merge_scores_higher() -> None:
    rng = np.random.default_rng(25)
    left, right, gold = build_pair(rng, 80)
    res = align(left, right, "translation")
    assert beads_of(res) == gold
    # noise averages out in a merged pair, so many adjacent pairs would score higher merged
    higher = [k for k in range(79)
              if align_mod._bead_cos(left, right, (k, k + 1), (k, k + 1))
              > max(float(left[k] @ right[k]), float(left[k + 1] @ right[k + 1]))]
    assert len(higher) >= 10


def test_skip_cost_is_derived_from_the_margins_unless_given() -> None:
    assert AlignParams().sentence_skip_cost == pytest.approx(0.1)
    assert AlignParams(anchor_margin=1.5).sentence_skip_cost == pytest.approx(0.25)
    assert AlignParams(skip_cost=0.0).sentence_skip_cost == 0.0


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_without_the_member_rule_the_minor_part_is_lost(seed: int) -> None:
    """The merged cosine is below the major part's, so only the member rule admits it."""
    rng = np.random.default_rng(seed)
    left, right = _uneven_merge_pair(rng, weight=0.4)
    res = align(left, right, "translation", AlignParams(member_z=float("inf")))
    assert ((17,), ()) in beads_of(res) and ((18,), (17,)) in beads_of(res)


# --------------------------------------------------------------------------- independent


def test_independent_finds_shared_sentences_in_any_order() -> None:
    rng = np.random.default_rng(8)
    shared = sentences(rng, 6)
    left = np.concatenate([sentences(rng, 10), shared, sentences(rng, 8)])
    order = [4, 0, 5, 2, 1, 3]
    right = np.concatenate([sentences(rng, 5), translate(rng, shared[order]), sentences(rng, 12)])
    res = align(left, right, "independent")
    expected = {((10 + k,), (5 + pos,)) for pos, k in enumerate(order)}
    got = set(beads_of(res))
    assert expected <= got
    assert sum(1 for a in res.alignments if a.left and a.right) == 6  # the rest unaligned
    check_cover(res.alignments, len(left), len(right))


def test_independent_merges_two_sentences_matching_one() -> None:
    rng = np.random.default_rng(9)
    left = sentences(rng, 20)
    right = np.concatenate(
        [sentences(rng, 4), translate(rng, left[7] + left[8], 0.3), sentences(rng, 6),
         translate(rng, left[15], 0.5)]
    )
    res = align(left, right, "independent")
    got = set(beads_of(res))
    assert ((7, 8), (4,)) in got
    assert ((15,), (11,)) in got


def test_independent_order_places_right_only_after_their_predecessor() -> None:
    rng = np.random.default_rng(10)
    left = sentences(rng, 5)
    right = np.concatenate([sentences(rng, 1), translate(rng, left[3:4], 0.3),
                            sentences(rng, 1), translate(rng, left[0:1], 0.3)])
    res = align(left, right, "independent")
    assert beads_of(res) == [
        ((), (0,)),  # no right sentence precedes it: first
        ((0,), (3,)),
        ((1,), ()),
        ((2,), ()),
        ((3,), (1,)),
        ((), (2,)),  # after the bead holding right sentence 1
        ((4,), ()),
    ]


# --------------------------------------------------------------------------- auto


def test_auto_chooses_translation_for_a_faithful_pair() -> None:
    rng = np.random.default_rng(11)
    left, right, _ = build_pair(rng, 80, merge_right=(10,), drop_right=(40,))
    res = align(left, right)
    assert res.mode == "translation"
    assert res.reason.startswith("translation:") and "%" in res.reason


def test_auto_chooses_independent_for_shuffled_subsets() -> None:
    rng = np.random.default_rng(12)
    base = sentences(rng, 200)
    idx_l = np.sort(rng.choice(200, 60, replace=False))
    idx_r = rng.choice(200, 60, replace=False)  # another subset, in shuffled order
    res = align(base[idx_l], translate(rng, base[idx_r]))
    assert res.mode == "independent"
    assert res.reason.startswith("independent:") and "monotonic" in res.reason


def test_a_requested_mode_still_reports_the_figures() -> None:
    rng = np.random.default_rng(19)
    left, right, _ = build_pair(rng, 30)
    res = align(left, right, "independent")
    assert res.mode == "independent"
    assert res.reason.startswith("independent: requested (auto would choose translation; ")
    assert "mutual best" in res.reason and "\n" not in res.reason


def test_auto_chooses_independent_for_a_reordered_translation() -> None:
    rng = np.random.default_rng(13)
    left = sentences(rng, 60)
    perm = rng.permutation(60)
    res = align(left, translate(rng, left[perm]))
    assert res.mode == "independent"


# --------------------------------------------------------------------------- invariants


@pytest.mark.parametrize("mode", ["translation", "independent", "auto"])
def test_every_index_exactly_once_on_many_random_cases(mode: str) -> None:
    rng = np.random.default_rng(14)
    for _ in range(150):
        n, m = int(rng.integers(0, 25)), int(rng.integers(0, 25))
        kind = rng.integers(0, 3)
        if kind == 0:  # unrelated
            left, right = sentences(rng, n, 16), sentences(rng, m, 16)
        else:  # related with random edits
            left, right, _ = build_pair(
                rng, max(n, 1),
                merge_right=tuple(rng.integers(0, 25, 3)),
                merge_left=tuple(rng.integers(0, 25, 2)),
                drop_right=tuple(rng.integers(0, 25, 3)),
                insert_right=tuple(rng.integers(0, 25, 3)),
            )
            if kind == 2:
                right = right[rng.permutation(len(right))]
            n, m = len(left), len(right)
        params = AlignParams(max_group=int(rng.integers(1, 4)), band=int(rng.integers(1, 6)))
        res = align(left, right, mode, params)
        check_cover(res.alignments, n, m)
        if res.mode == "translation":
            check_monotonic(res.alignments)
        for a in res.alignments:
            assert len(a.left) <= params.max_group and len(a.right) <= params.max_group
            if a.left and a.right:
                assert len(a.left) + len(a.right) <= params.max_group + 1


def test_empty_sides() -> None:
    v = sentences(np.random.default_rng(0), 3)
    empty = np.zeros((0, D), dtype=np.float32)
    assert beads_of(align(v, empty)) == [((0,), ()), ((1,), ()), ((2,), ())]
    assert beads_of(align(empty, v, "independent")) == [((), (0,)), ((), (1,)), ((), (2,))]
    assert align(empty, empty).alignments == []


def test_two_sentences_and_unnormalised_input() -> None:
    v = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 5.0]])
    res = align(v, 2 * v, "translation")
    assert beads_of(res) == [((0,), (0,)), ((1,), (1,))]
    assert res.alignments[0].score == pytest.approx(1.0)


def test_one_sentence_each() -> None:
    # one sentence per side: every ratio margin is exactly 1 (nothing to compare with), so
    # translation mode aligns them (ties go to aligning), independent mode does not
    # (its matches need anchor_margin), and auto aligns short texts in order
    v = np.array([[3.0, 4.0, 0.0]])
    assert beads_of(align(v, v, "translation")) == [((0,), (0,))]
    assert beads_of(align(v, v, "independent")) == [((), (0,)), ((0,), ())]
    res = align(v, v)
    assert res.mode == "translation" and "too few sentences" in res.reason
    assert beads_of(res) == [((0,), (0,))]


def test_short_texts_still_align_by_content_in_translation_mode() -> None:
    rng = np.random.default_rng(18)
    left = sentences(rng, 3)
    right = np.concatenate([translate(rng, left[:1]), sentences(rng, 1), translate(rng, left[2:])])
    res = align(left, right)
    assert set(beads_of(res)) == {((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,))}
    check_monotonic(res.alignments)


def test_bad_mode_and_shapes_say_what_to_do() -> None:
    v = np.eye(3, dtype=np.float32)
    with pytest.raises(ConfigError, match="translation"):
        align(v, v, "parallel")
    with pytest.raises(ValueError, match="same encoder"):
        align(v, np.eye(4, dtype=np.float32))
    with pytest.raises(ValueError, match="2-D"):
        align(v[0], v)
    with pytest.raises(ConfigError):
        AlignParams(max_group=0)


def test_shapes_for_max_group_three() -> None:
    assert AlignParams().shapes == ((1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (3, 1))


def test_blocked_topk_equals_brute_force() -> None:
    rng = np.random.default_rng(15)
    left, right = sentences(rng, 37), sentences(rng, 23)
    full = left @ right.T
    for block in (1, 50, 10_000):
        lr_idx, lr_sim, rl_idx, rl_sim = align_mod._topk_both(left, right, 4, block)
        np.testing.assert_allclose(lr_sim, -np.sort(-full, axis=1)[:, :4], rtol=1e-5)
        np.testing.assert_allclose(rl_sim, -np.sort(-full.T, axis=1)[:, :4], rtol=1e-5)
        np.testing.assert_allclose(np.take_along_axis(full, lr_idx, 1), lr_sim, rtol=1e-5)
        np.testing.assert_allclose(np.take_along_axis(full.T, rl_idx, 1), rl_sim, rtol=1e-5)


def test_small_blocks_give_the_same_alignment() -> None:
    rng = np.random.default_rng(16)
    left, right, _ = build_pair(rng, 50, merge_right=(3,), drop_right=(30,))
    a = align(left, right, "auto")
    b = align(left, right, "auto", AlignParams(block_entries=64))
    assert a == b


def test_heaviest_chain_prefers_weight_over_length() -> None:
    ii = np.array([0, 1, 2, 3])
    jj = np.array([5, 0, 1, 2])
    assert align_mod._heaviest_chain(ii, jj, np.array([1.0, 1.0, 1.0, 1.0]), 6).tolist() == [
        1, 2, 3
    ]
    assert align_mod._heaviest_chain(ii, jj, np.array([9.0, 1.0, 1.0, 1.0]), 6).tolist() == [0]


def test_band_windows_connect_start_to_end() -> None:
    lo, hi = align_mod._band(10, 60, np.array([2, 3]), np.array([2, 50]), 2)
    assert lo[0] == 0 and hi[-1] == 60
    assert all(lo[r + 1] <= hi[r] for r in range(10))
    assert lo[3] <= 3 and hi[3] >= 50  # the row of the big jump spans it


def test_three_thousand_sentences_each_side() -> None:
    rng = np.random.default_rng(17)
    left, right, gold = build_pair(
        rng, 3000, merge_right=tuple(range(5, 3000, 97)), drop_right=tuple(range(50, 3000, 113))
    )
    res = align(left, right, "auto", AlignParams(block_entries=500_000))
    assert res.mode == "translation"
    check_cover(res.alignments, len(left), len(right))
    assert score_alignments(res.alignments, gold).strict_f1 > 0.98


# --------------------------------------------------------------------------- fact evidence


def _topical_reports(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two reports on one topic: every sentence shares it; left 3 / right 5 also share a
    weak trace of one claim (too weak for the vectors alone)."""
    topic = sentences(rng, 1)[0]
    own_l, own_r = sentences(rng, 20), sentences(rng, 24)
    left = unit(topic + 0.9 * own_l)
    own_r[5] = unit(0.45 * own_l[3] + own_r[5])[0]
    right = unit(topic + 0.9 * own_r)
    return left, right


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_fact_evidence_links_a_claim_the_vectors_alone_miss(seed: int) -> None:
    left, right = _topical_reports(np.random.default_rng(seed))
    plain = align(left, right, "independent")
    assert ((3,), (5,)) not in beads_of(plain)
    res = align(left, right, "independent", extra={(3, 5): 3.0})
    assert ((3,), (5,)) in beads_of(res)
    assert res.alignments[[a.left for a in res.alignments].index((3,))].score == pytest.approx(
        float(left[3] @ right[5]), abs=1e-6)  # the score stays the plain cosine
    check_cover(res.alignments, len(left), len(right))


def test_weak_evidence_between_unrelated_sentences_does_not_link_them() -> None:
    left, right = _topical_reports(np.random.default_rng(31))
    res = align(left, right, "independent", extra={(7, 11): 1.0, (3, 5): 3.0})
    assert ((7,), ()) in beads_of(res) and ((), (11,)) in beads_of(res)


def test_translation_mode_ignores_the_evidence() -> None:
    rng = np.random.default_rng(34)
    left, right, gold = build_pair(rng, 30, drop_right=(4,), insert_right=(12,))
    extra = {(4, 4): 5.0, (0, 9): 5.0, (20, 2): 5.0}
    for mode in ("translation", "auto"):
        assert beads_of(align(left, right, mode, extra=extra)) == beads_of(align(left, right, mode))
    assert beads_of(align(left, right, "translation", extra=extra)) == gold


def test_evidence_outside_the_documents_says_what_to_do() -> None:
    v = sentences(np.random.default_rng(35), 4)
    with pytest.raises(ValueError, match="same two sentence lists"):
        align(v, v, "independent", extra={(4, 0): 2.0})
    # non-positive evidence is no evidence
    assert beads_of(align(v, v, "independent", extra={(0, 1): -3.0, (1, 0): 0.0})) == beads_of(
        align(v, v, "independent"))


@pytest.mark.parametrize("seed", range(5))
def test_every_index_exactly_once_with_evidence(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    left, right = sentences(rng, n), sentences(rng, m)
    extra = {(int(rng.integers(n)), int(rng.integers(m))): float(rng.uniform(0, 6))
             for _ in range(15)}
    res = align(left, right, "independent", extra=extra)
    check_cover(res.alignments, n, m)

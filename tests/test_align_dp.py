"""The vectorised parts of nlp.align against plain, cell-by-cell formulations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nlp import align as align_mod
from nlp.align import AlignParams, align

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def unit(x: np.ndarray) -> np.ndarray:
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def edited_pair(rng: np.random.Generator, n: int, d: int = 48) -> tuple[np.ndarray, np.ndarray]:
    """Left sentences and a noisy 'translation' with merges, splits, drops and inserts."""
    left = unit(rng.normal(size=(n, d)))
    right: list[np.ndarray] = []
    i = 0

    def noisy(v: np.ndarray, noise: float) -> np.ndarray:
        return unit(v + noise * unit(rng.normal(size=d))[0])[0]

    while i < n:
        roll = rng.random()
        if roll < 0.1 and i + 1 < n:  # 2-1
            right.append(noisy(left[i] + left[i + 1], 0.5))
            i += 2
            continue
        if roll < 0.2:  # 1-2
            part = unit(rng.normal(size=d))[0]
            right += [unit(left[i] + part)[0], unit(left[i] - part)[0]]
        elif roll < 0.27:  # 1-0
            pass
        elif roll < 0.34:  # 0-1 then 1-1
            right += [unit(rng.normal(size=d))[0], noisy(left[i], 0.6)]
        else:
            right.append(noisy(left[i], 0.6))
        i += 1
    return left, np.array(right, dtype=np.float32)


def _members_ok(
    block: np.ndarray, cos: float, norm_l: float, norm_r: float,
    bg_l: np.ndarray, bg_r: np.ndarray, z: float,
) -> bool:
    """The merge rule for one bead; block[t, u] = cos(right member t, left member u)."""
    b, a = block.shape
    tc, uc = divmod(int(block.argmax()), a)
    if a >= 2 and b >= 2:
        cos_l, cos_r = block[tc, :], block[:, uc]
    else:
        cos_l, cos_r = block.sum(axis=0) / norm_r, block.sum(axis=1) / norm_l
    left_ok = all((cos_l[u] - bg_l[0, u]) / bg_l[1, u] >= z for u in range(a) if u != uc)
    right_ok = all((cos_r[t] - bg_r[0, t]) / bg_r[1, t] >= z for t in range(b) if t != tc)
    if a >= 2 and b >= 2:
        return left_ok and right_ok
    return (left_ok and right_ok) or cos > float(block.max())


def reference_translation(left: np.ndarray, right: np.ndarray, params: AlignParams) -> list[Bead]:
    """Translation-mode beads by a dict-based DP over the band, one cell and bead at a time."""
    left, right = align_mod._prepare(left, right)
    n, m, g = len(left), len(right), params.max_group
    nb = align_mod._neighbours(left, right, params)
    ai, aj, aw = align_mod._mutual_anchors(nb, params.anchor_margin)
    chain = align_mod._heaviest_chain(ai, aj, aw, m)
    lo, hi = align_mod._band(n, m, ai[chain], aj[chain], params.band)
    norm_l, norm_r = align_mod._group_norms(left, g), align_mod._group_norms(right, g)
    knn_l = align_mod._group_knn(left, right, nb.lr_idx, nb.knn_left, norm_l, g, params.top_k)
    knn_r = align_mod._group_knn(right, left, nb.rl_idx, nb.knn_right, norm_r, g, params.top_k)
    order = [s for a in range(1, g + 1) for s in params.shapes if s[0] == a]

    def in_band(i: int, j: int) -> bool:
        return 0 <= i <= n and lo[i] <= j <= hi[i]

    def gain(i: int, j: int, a: int, b: int) -> float:
        lf, rt = list(range(i - a, i)), list(range(j - b, j))
        block = (right[rt] @ left[lf].T).astype(np.float64)
        cos = float(block.sum()) / (norm_l[a][i - a] * norm_r[b][j - b])
        den = max((knn_l[a][i - a] + knn_r[b][j - b]) / 2.0, 1e-6)
        out = cos / den - params.skip_margin + align_mod._TIE
        if a + b > 2:
            out += params.sentence_skip_cost * (a + b - 2)
            ok = _members_ok(block, cos, norm_l[a][i - a], norm_r[b][j - b],
                             nb.bg_left[:, lf], nb.bg_right[:, rt], params.member_z)
            out = out if ok else -math.inf
        return out

    score: dict[tuple[int, int], float] = {}
    step: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        for j in range(int(lo[i]), int(hi[i]) + 1):
            best, how = (0.0, (0, 0)) if (i, j) == (0, 0) else (-math.inf, (0, 0))
            options = [((i - 1, j), (1, 0))] + [((i - a, j - b), (a, b)) for a, b in order]
            for (si, sj), (a, b) in options:
                if i == 0 or sj < 0 or not in_band(si, sj):
                    continue
                cand = score[(si, sj)] + (0.0 if b == 0 else gain(i, j, a, b))
                if cand > best:
                    best, how = cand, (a, b)
            if j > lo[i] and score[(i, j - 1)] > best:
                best, how = score[(i, j - 1)], (0, 1)
            score[(i, j)], step[(i, j)] = best, how
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = step[(i, j)]
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


@pytest.mark.parametrize("seed", range(6))
def test_translation_dp_equals_a_cell_by_cell_reference(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    left, right = edited_pair(rng, int(rng.integers(5, 45)))
    params = AlignParams(band=int(rng.choice([1, 3, 8])), max_group=int(rng.choice([2, 3, 4])))
    got = [(a.left, a.right) for a in align(left, right, "translation", params).alignments]
    assert got == reference_translation(left, right, params)


@pytest.mark.parametrize("seed", range(4))
def test_merge_rule_matches_the_reference_when_merges_are_cheap(seed: int) -> None:
    # a high skip cost makes merging any neighbour pay off, so the merge rule decides
    rng = np.random.default_rng(260 + seed)
    left, right = edited_pair(rng, 40)
    params = AlignParams(skip_cost=0.4, max_group=int(rng.choice([3, 4])))
    got = [(a.left, a.right) for a in align(left, right, "translation", params).alignments]
    assert got == reference_translation(left, right, params)


def test_very_unequal_lengths_match_the_reference() -> None:
    rng = np.random.default_rng(210)
    left, right = unit(rng.normal(size=(4, 32))), unit(rng.normal(size=(60, 32)))
    right[[7, 30, 55]] = left[[0, 2, 3]]
    for a, b in ((left, right), (right, left)):
        got = [(x.left, x.right) for x in align(a, b, "translation").alignments]
        assert got == reference_translation(a, b, AlignParams())


@pytest.mark.parametrize("cells", [1, 7, 300])
def test_blocking_of_dp_rows_does_not_change_the_result(
    cells: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(220)
    left, right = edited_pair(rng, 120)
    expected = align(left, right, "translation")
    monkeypatch.setattr(align_mod, "_DP_BLOCK_CELLS", cells)
    assert align(left, right, "translation") == expected


def test_topk_orders_ties_by_index_whatever_the_blocks() -> None:
    rng = np.random.default_rng(230)
    base = unit(rng.normal(size=(6, 16)))
    left = base[rng.integers(0, 6, 40)]  # many exact duplicates: tied cosines
    right = np.concatenate([base[rng.integers(0, 6, 25)], unit(rng.normal(size=(5, 16)))])
    full = left @ right.T  # float32, the same products the blocks compute row by row

    def brute(sims: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        cols = np.arange(sims.shape[1])
        idx = np.array([np.lexsort((cols, -row))[:k] for row in sims])
        return idx, np.take_along_axis(sims, idx, 1)

    for block in (1, 30, 65, 10_000):
        lr_idx, lr_sim, rl_idx, rl_sim = align_mod._topk_both(left, right, 4, block)
        want_lr, want_rl = brute(full, 4), brute(full.T.copy(), 4)
        np.testing.assert_array_equal(lr_idx, want_lr[0])
        np.testing.assert_allclose(lr_sim, want_lr[1], rtol=1e-6)
        np.testing.assert_array_equal(rl_idx, want_rl[0])
        np.testing.assert_allclose(rl_sim, want_rl[1], rtol=1e-6)


def test_descending_key_sorts_like_the_values() -> None:
    rng = np.random.default_rng(240)
    special = np.array([0.0, -0.0, -np.inf, 1.0, -1.0, 1e-30, -1e-30, 3e38, np.inf], np.float32)
    val = np.concatenate([special, rng.normal(size=200).astype(np.float32), special[::-1]])
    by_key = np.argsort(align_mod._descending_key(val), kind="stable")
    by_value = np.argsort(-val, kind="stable")  # -(-0.0) == 0.0: zeros stay tied
    np.testing.assert_array_equal(by_key, by_value)


def test_group_knn_is_the_same_with_float32_or_float64_neighbours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(250)
    x, other = unit(rng.normal(size=(50, 24))), unit(rng.normal(size=(40, 24)))
    lr_idx, lr_sim, _, _ = align_mod._topk_both(x, other, 4, 10_000)
    norms = align_mod._group_norms(x, 3)
    args = (x, other, lr_idx, lr_sim.mean(axis=1), norms, 3, 4)
    mixed = align_mod._group_knn(*args)
    monkeypatch.setattr(np, "getbufsize", lambda: 1)  # forces the explicit float64 copy
    cast = align_mod._group_knn(*args)
    for a, b in zip(mixed, cast, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", range(5))
def test_band_holds_the_anchor_path_with_overlapping_rows(seed: int) -> None:
    rng = np.random.default_rng(270 + seed)
    n, m, w = int(rng.integers(1, 80)), int(rng.integers(1, 80)), int(rng.integers(1, 6))
    p = int(rng.integers(0, min(n, m) + 1))
    ii = np.sort(rng.choice(n, p, replace=False)).astype(np.int64)
    jj = np.sort(rng.choice(m, p, replace=False)).astype(np.int64)
    lo, hi = align_mod._band(n, m, ii, jj, w)
    assert lo[0] == 0 and hi[n] == m
    assert np.all(lo <= hi) and np.all(np.diff(lo) >= 0) and np.all(np.diff(hi) >= 0)
    assert np.all(lo[1:] <= hi[:-1])  # consecutive windows overlap: a path always exists
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):  # each anchor bead, widened by w
        assert lo[i] <= max(0, j - w) and min(m, j + w) <= hi[i]
        assert lo[i + 1] <= max(0, j + 1 - w) and min(m, j + 1 + w) <= hi[i + 1]

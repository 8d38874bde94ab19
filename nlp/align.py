"""The sentence aligner: a pure numeric core, unit vectors in, alignments out (numpy only).

`align(left, right, mode)` pairs the sentences of two documents from their embeddings:

- ``translation``: one text translates the other. Monotonic, many-to-many beads
  (1-1, 1-2, 2-1, 1-3, 3-1, 2-2 with ``max_group=3``) and kept 1-0 / 0-1 sentences.
  Two passes, as Bertalign does: (1) mutual best 1-1 matches under a *ratio margin*
  (Artetxe & Schwenk 2019) found by a blocked top-k search, reduced to their heaviest
  monotonic chain: the anchors; (2) dynamic programming over all bead shapes inside a band
  of half-width ``band`` around the path through the anchors.
- ``independent``: two separate reports of one event. No order is assumed: margin-scored
  mutual best matches above a similarity floor, grown into 2-1 / 1-2 / 2-2 beads when a
  neighbouring sentence has the same best match, itself beats the chance floor with the
  other side's group, and the merged vector scores better. Most
  sentences stay unaligned, and that is a result. Optional sparse evidence (`extra`,
  e.g. shared dates, numbers with units and places from `nlp.anchors`) adds ``z·sigma``
  to a pair's cosine, sigma being the robust spread of the background cosines, so that a
  shared fact counts in the units of the chance floor; translation mode ignores it.
- ``auto``: measures the share of mutual best anchors and how monotonic they are, picks a
  mode, and says why with the figures (`AlignResult.reason`). Texts of ``top_k`` sentences
  or fewer on a side are too short to measure and are aligned as ``translation``.

Scoring. All similarities are cosines of unit vectors. The vector of a group of 2-3
consecutive sentences is the renormalised sum of their unit vectors. The ratio margin of a
candidate bead is ``cos(x, y) / ((knn(x) + knn(y)) / 2)``, where ``knn(s)`` is the mean
cosine of ``s`` to its ``top_k`` nearest neighbours on the other side, so a generic sentence
that is similar to everything does not win. For a group, knn is that of the group vector,
searched among the union of its members' neighbours (a generic member cannot lower it).

Objective (translation mode), in Vecalign's form: every bead pays a cost and every
sentence left unaligned costs ``c = skip_cost`` (default ``(anchor_margin -
skip_margin) / 2`` = 0.1, derived in `AlignParams`). With a bead cost of ``skip_margin +
2c`` a 1-1 bead at ``skip_margin`` still ties with leaving both sentences out, and,
dropping the constant ``c·(n + m)``, the DP maximises ``sum over beads of (margin -
skip_margin + c·(a + b - 2))`` for an a-b bead, a skipped sentence scoring 0. So a 2-1 bead
competes with the 1-1 bead plus one unaligned sentence: it wins when its margin is at most
``c`` below the 1-1 bead's. One bead is still one correspondence, so two 1-1 beads at
anchor margin are never traded for one 2-2 bead at their mean margin (that needs
``c < anchor_margin - skip_margin``; half of it leaves room for noise).

Merge rule. The objective alone would let an unrelated neighbour ride along with a strong
pair, so a bead of three or more sentences must also show that every sentence it adds to
its core pair (its most similar single pair) is itself related to the other side beyond
chance: the added sentence's cosine with the other side's group (with the core's partner
when both sides have two or more sentences, so that two parallel 1-1 pairs do not pass as
one 2-2 bead) has a robust z-score of at least ``member_z`` = 1.645 (one-sided 5%)
against that sentence's own cosines to the other document (median and 1.4826·MAD). A
one-to-many merge whose group cosine beats its core pair's also passes (an unrelated
sentence can only lower the cosine of the group it joins; in documents of a few sentences
this is the only usable test).

Complexity for n x m sentences of width d, k = ``top_k``, G = ``max_group``, w = ``band``:
the top-k search is O(n·m·d) BLAS time in row blocks of ``block_entries`` similarities
(memory O(block_entries + (n + m)·k)); no n x m matrix is ever materialised. The anchor
chain is O(n log m). The DP visits O(n·W) cells with W ≈ 2w + 2 + the local slope, each
with G(G+1)/2 + 2 bead shapes, and keeps a score and a back-pointer a cell (9 bytes); the
bead gains are computed vectorised for runs of rows (about 2^16 cells at a time), so time
and memory are linear in n for a fixed band. Group knn costs O((n + m)·G²·k·d); the
per-sentence medians for the merge rule O((n + m)·S·d) for S = ``background_sample``.

Output order (the `Alignment` records of `nlp.records`): in ``translation`` mode, document
order (the DP path). In ``independent`` mode, beads with a left side sorted by their first
left index; each right-only (0-1) sentence is placed right after the bead holding the
nearest preceding right sentence (or first, if none precedes it), so both documents can
be read top to bottom. Every index of each side appears in exactly one alignment; indices
within a side are consecutive.

Example:
    >>> rng = np.random.default_rng(0)
    >>> left = rng.normal(size=(6, 32)).astype(np.float32)
    >>> left /= np.linalg.norm(left, axis=1, keepdims=True)
    >>> res = align(left, left.copy(), mode="translation")
    >>> [a.kind for a in res.alignments]
    ['1-1', '1-1', '1-1', '1-1', '1-1', '1-1']
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from nlp.errors import ConfigError
from nlp.records import Alignment, Mode

log = logging.getLogger(__name__)

ALIGN_MODES = ("auto", "translation", "independent")

# Back-pointer codes of the DP; bead shapes follow from index 3 on.
_START, _SKIP_RIGHT, _SKIP_LEFT = 0, 1, 2
_TIE = 1e-4  # margins this close to skip_margin count as equal (float32 noise)


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Settings of the aligner (defaults fit any sentence encoder with unit vectors).

    Attributes:
        max_group: Most sentences on one side of a bead; shapes (a, b) with a, b >= 1 and
            a + b <= max_group + 1 (3 gives 1-1, 1-2, 2-1, 1-3, 3-1, 2-2), plus 1-0 / 0-1.
        top_k: Neighbours per sentence for the margin denominators and the anchor search
            (4, as in Artetxe & Schwenk's margin-based mining).
        band: Half-width, in sentences, of the DP band around the anchor path (Bertalign
            searches a window of 5 around its first-pass path; 8 leaves room for runs of
            merges and deletions between anchors).
        skip_margin: Margin a bead must exceed to beat leaving its sentences unaligned.
            1.0 means "more similar than the average of the sentences' nearest
            neighbours".
        anchor_margin: Least margin of a mutual best 1-1 match to count as an anchor (and
            as a match in ``independent`` mode). Every mutual best match has a margin
            >= 1 by construction; 1.2 asks the match to stand clearly above the sentences'
            other neighbours (with k=4 and three background neighbours at similarity s, a
            match at 1.27·s reaches it).
        floor_z: ``independent`` mode similarity floor. A sentence compared with N
            candidates finds a best match by chance: for a background of median mu and
            robust spread sigma (1.4826·MAD of the cosines of background pairs, i.e. all
            pairs but each sentence's best match), the best of N is near
            ``mu + sigma·sqrt(2 ln N)`` with a Gumbel scale of ``sigma / sqrt(2 ln N)``;
            the floor sits ``floor_z`` such scales above it (N = the longer side).
        sim_floor: Absolute lower bound of that floor (cosine).
        block_entries: Similarities computed at once in the top-k search (memory bound:
            4 bytes each).
        auto_anchor_share: ``auto`` picks translation only when at least this share of
            the shorter document's sentences are anchors...
        auto_monotonic_share: ...and at least this share of the anchors lie on one
            monotonic chain.
        floor_sample: Random pairs sampled to estimate the background similarity.
        skip_cost: Cost, in margin units, of each sentence left unaligned (Vecalign's
            per-sentence deletion penalty); a bead then pays ``skip_margin + 2·skip_cost``
            so that a 1-1 bead at ``skip_margin`` still ties with two unaligned sentences,
            and a merge may lose up to ``skip_cost`` of margin per sentence it absorbs.
            None (default) derives it as ``(anchor_margin - skip_margin) / 2`` = 0.1: the
            largest cost at which two adjacent 1-1 beads of anchor margin are never
            traded for one 2-2 bead of their mean margin (two beads gain
            ``2·(mu - skip_margin)``, the 2-2 bead ``mu - skip_margin + 2·skip_cost``).
        member_z: Robust z-score (against the sentence's own cosines to the other side)
            that every sentence of a merged bead must reach with the other side's group:
            1.645, a one-sided test at the 5% level.
        background_sample: Other-side sentences sampled (fixed seed) for those per-sentence
            medians and spreads; all of them when the other side is no longer.
    """

    max_group: int = 3
    top_k: int = 4
    band: int = 8
    skip_margin: float = 1.0
    anchor_margin: float = 1.2
    floor_z: float = 3.0
    sim_floor: float = 0.0
    block_entries: int = 4_000_000
    auto_anchor_share: float = 0.5
    auto_monotonic_share: float = 0.75
    floor_sample: int = 20_000
    skip_cost: float | None = None
    member_z: float = 1.645
    background_sample: int = 256

    def __post_init__(self) -> None:
        if self.max_group < 1:
            raise ConfigError(f"max_group must be >= 1 (got {self.max_group}); try 3.")
        if self.top_k < 1:
            raise ConfigError(f"top_k must be >= 1 (got {self.top_k}); try 4.")
        if self.band < 1:
            raise ConfigError(f"band must be >= 1 (got {self.band}); try 8.")
        if self.block_entries < 1:
            raise ConfigError(f"block_entries must be >= 1 (got {self.block_entries}).")

    @property
    def sentence_skip_cost(self) -> float:
        """Cost of leaving one sentence unaligned, in margin units (see `skip_cost`)."""
        if self.skip_cost is not None:
            return self.skip_cost
        return max(0.0, (self.anchor_margin - self.skip_margin) / 2.0)

    @property
    def shapes(self) -> tuple[tuple[int, int], ...]:
        """Bead shapes (a, b), a, b >= 1, a + b <= max_group + 1, smallest first."""
        g = self.max_group
        return tuple(
            sorted(
                ((a, b) for a in range(1, g + 1) for b in range(1, g + 1) if a + b <= g + 1),
                key=lambda s: (s[0] + s[1], s),
            )
        )


@dataclass(frozen=True, slots=True)
class AlignResult:
    """What `align` returns.

    Attributes:
        alignments: Beads covering every sentence of both sides exactly once; `score` is
            the cosine of the two sides' (group) vectors, 0.0 for 1-0 / 0-1.
        mode: The mode that produced them ("translation" or "independent").
        reason: One line saying why this mode, with the figures.
    """

    alignments: list[Alignment]
    mode: Mode
    reason: str


@dataclass(frozen=True, slots=True)
class _Neighbours:
    """Top-k neighbours both ways and the margin-best matches.

    Shapes: lr_* [n, k'] (left -> right), rl_* [m, k''] (right -> left), knn_* [n] / [m],
    best_* [n] / [m] (margin-best partner index), best_*_margin likewise, bg_* [2, n] /
    [2, m] (median and robust spread of each sentence's cosines to the other side).
    """

    lr_idx: np.ndarray
    lr_sim: np.ndarray
    rl_idx: np.ndarray
    rl_sim: np.ndarray
    knn_left: np.ndarray
    knn_right: np.ndarray
    best_right: np.ndarray
    best_right_margin: np.ndarray
    best_left: np.ndarray
    best_left_margin: np.ndarray
    bg_left: np.ndarray
    bg_right: np.ndarray


# --------------------------------------------------------------------------- public API


def align(
    left: np.ndarray,
    right: np.ndarray,
    mode: str = "auto",
    params: AlignParams | None = None,
    extra: Mapping[tuple[int, int], float] | None = None,
) -> AlignResult:
    """Align the sentences of two documents from their sentence vectors.

    Args:
        left: float [n, d] sentence vectors of the left document (rows are renormalised).
        right: float [m, d] sentence vectors of the right document.
        mode: "auto" (default), "translation" or "independent".
        params: Settings; `AlignParams()` when None.
        extra: Optional sparse evidence ``{(i, j): z}`` that left sentence i and right
            sentence j state the same fact, in standard deviations of chance (e.g.
            `nlp.anchors.fact_evidence`). Used in independent mode only (also when auto
            picks it): the pair scores ``cos + z·sigma`` (sigma = robust spread of the
            background cosines) against the chance floor and in the mutual-best test.
            Translation mode ignores it. Bead scores stay plain cosines.

    Returns:
        `AlignResult` whose alignments cover 0..n-1 and 0..m-1 exactly once each.

    Raises:
        ConfigError: Unknown mode.
        ValueError: Arrays that are not 2-D or whose widths differ; `extra` indices out
            of range.

    Example:
        >>> v = np.eye(3, dtype=np.float32)
        >>> [(a.left, a.right) for a in align(v, v, "translation").alignments]
        [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    """
    if mode not in ALIGN_MODES:
        raise ConfigError(
            f"Unknown alignment mode {mode!r}: use 'auto', 'translation' (one text translates "
            f"the other) or 'independent' (two separate reports)."
        )
    params = params or AlignParams()
    left_u, right_u = _prepare(left, right)
    n, m = len(left_u), len(right_u)
    evidence = _check_extra(extra, n, m)
    if n == 0 or m == 0:
        chosen: Mode = "independent" if mode == "independent" else "translation"
        beads = [Alignment((i,), (), 0.0) for i in range(n)]
        beads += [Alignment((), (j,), 0.0) for j in range(m)]
        return AlignResult(beads, chosen, f"{chosen}: one side is empty ({n} x {m} sentences)")

    nb = _neighbours(left_u, right_u, params)
    anchors_i, anchors_j, anchor_w = _mutual_anchors(nb, params.anchor_margin)
    chain = _heaviest_chain(anchors_i, anchors_j, anchor_w, m)

    auto_mode, auto_reason = _decide(n, m, len(anchors_i), len(chain), params)
    if mode == "auto":
        chosen, reason = auto_mode, auto_reason
    else:
        chosen = "translation" if mode == "translation" else "independent"
        agrees = "agrees" if auto_mode == chosen else f"auto would choose {auto_mode}"
        reason = f"{chosen}: requested ({agrees}; {auto_reason.split(': ', 1)[1]})"

    if chosen == "translation":
        beads = _align_translation(
            left_u, right_u, nb, anchors_i[chain], anchors_j[chain], params
        )
    else:
        beads = _align_independent(left_u, right_u, nb, params, evidence)
    log.debug("align %d x %d: %s, %d beads", n, m, reason, len(beads))
    return AlignResult(beads, chosen, reason)


# --------------------------------------------------------------------------- helpers


def _check_extra(
    extra: Mapping[tuple[int, int], float] | None, n: int, m: int
) -> dict[tuple[int, int], float]:
    """Positive evidence pairs with indices in range, as a plain dict."""
    out: dict[tuple[int, int], float] = {}
    for (i, j), z in (extra or {}).items():
        if not (0 <= i < n and 0 <= j < m):
            raise ValueError(
                f"extra evidence pair {(i, j)} is outside the {n} x {m} sentences: compute it "
                f"from the same two sentence lists that were encoded"
            )
        if z > 0:
            out[(int(i), int(j))] = float(z)
    return out


def _prepare(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    arrs = []
    for name, x in (("left", left), ("right", right)):
        a = np.asarray(x, dtype=np.float32)
        if a.ndim != 2:
            raise ValueError(f"{name} vectors must be 2-D [sentences, dim], got shape {a.shape}")
        norms = np.linalg.norm(a, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        arrs.append(np.ascontiguousarray(a / norms, dtype=np.float32))
    if arrs[0].shape[1] != arrs[1].shape[1] and len(arrs[0]) and len(arrs[1]):
        raise ValueError(
            f"left and right vectors differ in width ({arrs[0].shape[1]} vs "
            f"{arrs[1].shape[1]}): encode both documents with the same encoder"
        )
    return arrs[0], arrs[1]


def _topk_passes(sims: np.ndarray, k: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k along `axis` by k passes of argmax, best first; `sims` is restored after.

    k passes of a vectorised argmax are 2-3x faster than `argpartition` for small k, and
    along axis 0 they avoid argpartition's strided access.

    Returns:
        (indices, values), each of shape [rows, k] for axis=1 or [k, cols] for axis=0.
    """
    other = np.arange(sims.shape[1 - axis])
    idx = np.empty((k, len(other)), dtype=np.int64)
    val = np.empty((k, len(other)), dtype=sims.dtype)
    for t in range(k):
        best = sims.argmax(axis=axis)
        idx[t] = best
        if axis == 1:
            val[t] = sims[other, best]
            sims[other, best] = -np.inf
        else:
            val[t] = sims[best, other]
            sims[best, other] = -np.inf
    for t in range(k):  # restore what the passes masked
        if axis == 1:
            sims[other, idx[t]] = val[t]
        else:
            sims[idx[t], other] = val[t]
    return (idx.T.copy(), val.T.copy()) if axis == 1 else (idx, val)


def _topk_both(
    left: np.ndarray, right: np.ndarray, k: int, block_entries: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Top-k cosine neighbours in both directions by blocked matrix products.

    Neighbours are ordered by decreasing cosine, ties by increasing index. The rows of a
    block take k passes of argmax; the columns keep a running top-k over the blocks seen:
    the first block's by passes over its transpose, every later block contributing only
    the entries that beat a column's current k-th best (a few per column), merged by one
    sort.

    Args:
        left: float32 [n, d] unit rows.
        right: float32 [m, d] unit rows.
        k: Neighbours wanted (capped by the other side's length).
        block_entries: Similarities per block (rows of `left` per block = this / m).

    Returns:
        (lr_idx [n, kr], lr_sim [n, kr], rl_idx [m, kl], rl_sim [m, kl]), best first.
    """
    n, m = len(left), len(right)
    kr, kl = min(k, m), min(k, n)
    rows = max(1, block_entries // m)
    lr_idx = np.empty((n, kr), dtype=np.int64)
    lr_sim = np.empty((n, kr), dtype=np.float32)
    col_sim = np.full((kl, m), -np.inf, dtype=np.float32)
    col_idx = np.zeros((kl, m), dtype=np.int64)
    right_t = np.ascontiguousarray(right.T)
    for s in range(0, n, rows):
        sims = left[s : s + rows] @ right_t  # [b, m]
        b = len(sims)
        lr_idx[s : s + b], lr_sim[s : s + b] = _topk_passes(sims, kr, axis=1)
        if s == 0:  # argmax along rows of the transpose: contiguous, unlike along columns
            kb = min(kl, b)
            cidx, cval = _topk_passes(np.ascontiguousarray(sims.T), kb, axis=1)
            col_sim[:kb], col_idx[:kb] = cval.T, cidx.T
        else:
            _merge_column_topk(col_sim, col_idx, sims, s)
    return lr_idx, lr_sim, col_idx.T.copy(), col_sim.T.copy()


def _merge_column_topk(
    col_sim: np.ndarray, col_idx: np.ndarray, sims: np.ndarray, first_row: int
) -> None:
    """Merge a block of rows into each column's running top-k, in place.

    Args:
        col_sim: float32 [k, m] best cosines of each column so far, best first (-inf when
            unfilled); ties are ordered by row index.
        col_idx: int [k, m] their row indices (all smaller than `first_row`).
        sims: float32 [b, m] cosines of rows first_row.. with every column.
        first_row: Row index of the block's first row.

    Only an entry strictly above a column's k-th best can enter (on a tie the earlier row
    stays ahead). The affected columns' current lists, then the entries that beat them in
    row order, are stably sorted by (column, decreasing cosine); each column keeps its
    first k.
    """
    k, m = col_sim.shape
    floor = col_sim[k - 1]
    cols = np.flatnonzero(sims.max(axis=0) > floor)
    if len(cols) == 0:
        return
    if 4 * len(cols) < m:  # few columns change: search only those
        sub = sims[:, cols]
        flat = np.flatnonzero(sub > floor[cols])
        new_row, new_pos = np.divmod(flat, len(cols))
        new_val = sub.ravel()[flat]
    else:
        flat = np.flatnonzero(sims > floor)
        new_row, new_col = np.divmod(flat, m)
        new_pos = np.searchsorted(cols, new_col)
        new_val = sims.ravel()[flat]
    pos = np.concatenate([np.tile(np.arange(len(cols)), k), new_pos])
    val = np.concatenate([col_sim[:, cols].ravel(), new_val])
    idx = np.concatenate([col_idx[:, cols].ravel(), new_row + first_row])
    key = (pos.astype(np.uint64) << np.uint64(32)) | _descending_key(val)
    order = np.argsort(key, kind="stable")
    pos, val, idx = pos[order], val[order], idx[order]
    rank = np.arange(len(pos)) - np.searchsorted(pos, pos)  # place within its column
    keep = rank < k
    col_sim[rank[keep], cols[pos[keep]]] = val[keep]
    col_idx[rank[keep], cols[pos[keep]]] = idx[keep]


def _descending_key(val: np.ndarray) -> np.ndarray:
    """uint64 keys of float32 values that sort ascending as the values descend.

    -0.0 and 0.0 get the same key (they compare equal); -inf sorts last.
    """
    bits = (val.astype(np.float32) + np.float32(0.0)).view(np.uint32)  # -0.0 -> 0.0
    ascending = np.where(bits >> np.uint32(31) == 1, ~bits, bits | np.uint32(1 << 31))
    return (~ascending).astype(np.uint64)


def _margin(cos: np.ndarray, knn_a: np.ndarray, knn_b: np.ndarray) -> np.ndarray:
    """Ratio margin: cos / mean of the two sides' neighbourhood similarity."""
    den = np.maximum((knn_a + knn_b) / 2.0, 1e-6)
    return np.asarray(cos / den)


def _neighbours(left: np.ndarray, right: np.ndarray, params: AlignParams) -> _Neighbours:
    lr_idx, lr_sim, rl_idx, rl_sim = _topk_both(left, right, params.top_k, params.block_entries)
    knn_left = lr_sim.mean(axis=1).astype(np.float64)
    knn_right = rl_sim.mean(axis=1).astype(np.float64)
    m_lr = _margin(lr_sim, knn_left[:, None], knn_right[lr_idx])
    m_rl = _margin(rl_sim, knn_right[:, None], knn_left[rl_idx])
    best_r = np.argmax(m_lr, axis=1)
    best_l = np.argmax(m_rl, axis=1)
    rows_n, rows_m = np.arange(len(left)), np.arange(len(right))
    return _Neighbours(
        lr_idx=lr_idx,
        lr_sim=lr_sim,
        rl_idx=rl_idx,
        rl_sim=rl_sim,
        knn_left=knn_left,
        knn_right=knn_right,
        best_right=lr_idx[rows_n, best_r],
        best_right_margin=m_lr[rows_n, best_r],
        best_left=rl_idx[rows_m, best_l],
        best_left_margin=m_rl[rows_m, best_l],
        bg_left=_background(left, right, params),
        bg_right=_background(right, left, params),
    )


def _background(a: np.ndarray, b: np.ndarray, params: AlignParams) -> np.ndarray:
    """Median and robust spread (1.4826·MAD) of each row of `a`'s cosines to `b`.

    Uses every row of `b` when there are at most `background_sample`, else a fixed-seed
    sample of that many; computed in blocks of `block_entries` similarities.

    Returns:
        float64 [2, len(a)]: row 0 the medians, row 1 the spreads (at least 1e-6).
    """
    if len(b) > params.background_sample:
        pick = np.random.default_rng(0).choice(len(b), params.background_sample, replace=False)
        b = b[np.sort(pick)]
    out = np.empty((2, len(a)), dtype=np.float64)
    rows = max(1, params.block_entries // max(1, len(b)))
    bt = np.ascontiguousarray(b.T)
    for s in range(0, len(a), rows):
        sims = a[s : s + rows] @ bt
        med = np.median(sims, axis=1)
        out[0, s : s + len(sims)] = med
        out[1, s : s + len(sims)] = 1.4826 * np.median(np.abs(sims - med[:, None]), axis=1)
    out[1] = np.maximum(out[1], 1e-6)
    return out


def _mutual_anchors(
    nb: _Neighbours, min_margin: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mutual margin-best 1-1 matches with margin >= min_margin, sorted by left index.

    Returns:
        (i [p], j [p], margin [p]).
    """
    i = np.arange(len(nb.best_right))
    j = nb.best_right
    ok = (nb.best_left[j] == i) & (nb.best_right_margin >= min_margin)
    return i[ok], j[ok], nb.best_right_margin[ok]


def _heaviest_chain(ii: np.ndarray, jj: np.ndarray, w: np.ndarray, m: int) -> np.ndarray:
    """Positions of the max-weight subsequence strictly increasing in both i and j.

    Args:
        ii: [p] left indices, strictly increasing.
        jj: [p] right indices (distinct).
        w: [p] positive weights.
        m: Size of the right side (Fenwick tree range).

    Returns:
        int64 [q] positions into ii/jj, increasing. O(p log m).
    """
    p = len(ii)
    if p == 0:
        return np.zeros(0, dtype=np.int64)
    tree_val = [0.0] * (m + 1)
    tree_arg = [-1] * (m + 1)
    best = [0.0] * p
    prev = [-1] * p
    for t in range(p):
        j = int(jj[t])
        # prefix max over right indices < j (Fenwick positions 1..j)
        q, bv, ba = j, 0.0, -1
        while q > 0:
            if tree_val[q] > bv:
                bv, ba = tree_val[q], tree_arg[q]
            q -= q & -q
        best[t] = bv + float(w[t])
        prev[t] = ba
        q = j + 1
        while q <= m:
            if best[t] > tree_val[q]:
                tree_val[q], tree_arg[q] = best[t], t
            q += q & -q
    t = int(np.argmax(best))
    out = []
    while t >= 0:
        out.append(t)
        t = prev[t]
    return np.array(out[::-1], dtype=np.int64)


def _decide(n: int, m: int, n_anchors: int, n_chain: int, params: AlignParams) -> tuple[Mode, str]:
    if min(n, m) <= params.top_k:
        return "translation", (
            f"translation: too few sentences to measure order ({n} vs {m}; the test needs more "
            f"than top_k={params.top_k} per side), so short texts are aligned in order; pass "
            f"mode='independent' if they are separate reports"
        )
    share = n_anchors / min(n, m)
    mono = n_chain / n_anchors if n_anchors else 0.0
    ratio = min(n, m) / max(n, m)
    figures = (
        f"{share:.0%} of the shorter side's {min(n, m)} sentences are mutual best matches "
        f"(translation needs >= {params.auto_anchor_share:.0%}), {mono:.0%} of those lie on "
        f"one monotonic chain (needs >= {params.auto_monotonic_share:.0%}); "
        f"length ratio {ratio:.2f} ({n} vs {m} sentences)"
    )
    if share >= params.auto_anchor_share and mono >= params.auto_monotonic_share:
        return "translation", f"translation: {figures}"
    return "independent", f"independent: {figures}"


def _group_norms(x: np.ndarray, g: int, chunk: int = 4096) -> list[np.ndarray]:
    """Norms of sums of a consecutive rows, for a = 1..g (at least 1e-9).

    The sums are taken in float64, left to right, and each norm is the square root of the
    sum of squares along the row (as `np.linalg.norm(..., axis=1)`).

    Returns:
        list indexed by a (index 0 unused): float64 [len(x) - a + 1] (empty if negative).
    """
    n = len(x)
    out = [np.zeros(0)] + [np.empty(max(0, n - a + 1)) for a in range(1, g + 1)]
    for s in range(0, n, chunk):
        rows = x[s : min(n, s + chunk + g - 1)].astype(np.float64)
        acc = rows
        for a in range(1, g + 1):
            cnt = min(chunk, n - a + 1 - s)  # groups of a starting at s..
            if cnt <= 0:
                break
            acc = rows[:cnt] if a == 1 else acc[:cnt] + rows[a - 1 : a - 1 + cnt]
            out[a][s : s + cnt] = np.sqrt(np.add.reduce(acc * acc, axis=1))
    return [out[0]] + [np.maximum(v, 1e-9) for v in out[1:]]


def _group_knn(
    x: np.ndarray,
    other: np.ndarray,
    nn_idx: np.ndarray,
    knn: np.ndarray,
    norms: list[np.ndarray],
    g: int,
    k: int,
    chunk: int = 512,
) -> list[np.ndarray]:
    """Neighbourhood similarity (knn) of groups of a consecutive sentences, for a = 1..g.

    The knn of a group vector (the renormalised sum of a consecutive unit rows) is the mean
    of its top-k cosines with the other side, searched among the union of its members'
    own top-k neighbours (where a group's nearest neighbours lie: ``cos(G, z) = sum_i
    cos(x_i, z) / |sum_i x_i|``). Unlike a mean of the members' knn, it cannot be lowered
    by adding a generic sentence (a heading, a short line) whose neighbourhood is weak
    everywhere, so such a sentence does not raise a merge's margin while lowering its
    cosine. O(n·g²·k·d) time in chunks.

    Args:
        x: float32 [n, d] unit rows of this side.
        other: float32 [m, d] unit rows of the other side.
        nn_idx: int [n, k'] top-k neighbours of each row of `x` in `other`.
        knn: float [n] knn of single rows.
        norms: `_group_norms(x, g)`.
        g: Largest group.
        k: Neighbours averaged.

    Returns:
        list indexed by a (index 0 unused): float64 [n - a + 1].
    """
    n = len(x)
    out: list[np.ndarray] = [np.zeros(0), knn.astype(np.float64)]
    # einsum casts a float32 operand to float64 in buffers of np.getbufsize() elements;
    # while a row fits in one, its sums are those over a float64 copy, at half the traffic
    cast_first = other.shape[1] > np.getbufsize()
    for a in range(2, g + 1):
        cnt = max(0, n - a + 1)
        res = np.empty(cnt, dtype=np.float64)
        for s in range(0, cnt, chunk):
            e = min(cnt, s + chunk)
            gv = x[s:e].astype(np.float64)
            for t in range(1, a):
                gv = gv + x[s + t : e + t]
            gv /= norms[a][s:e, None]
            cand = np.concatenate([nn_idx[s + t : e + t] for t in range(a)], axis=1)
            cand.sort(axis=1)
            near = other[cand]
            sims = np.einsum("rd,rcd->rc", gv, near.astype(np.float64) if cast_first else near)
            sims[:, 1:][cand[:, 1:] == cand[:, :-1]] = -np.inf  # each neighbour once
            kk = min(k, len(other))  # every member has that many distinct neighbours
            top = -np.partition(-sims, kk - 1, axis=1)[:, :kk]
            res[s:e] = top.mean(axis=1)
        out.append(res)
    return out


def _band(
    n: int, m: int, anchors_i: np.ndarray, anchors_j: np.ndarray, w: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per DP row r (left sentences consumed, 0..n) the window [lo_r, hi_r] of right counts.

    The path goes (0, 0) -> each anchor bead (i, j)->(i+1, j+1) -> (n, m), straight between
    them. Row r covers the path at x = r and the steps to rows r - 1 and r + 1, widened by
    w, so consecutive windows overlap and a path from (0, 0) to (n, m) always exists.
    """
    xs = np.concatenate([[0], np.stack([anchors_i, anchors_i + 1], axis=1).ravel(), [n]])
    ys = np.concatenate([[0], np.stack([anchors_j, anchors_j + 1], axis=1).ravel(), [m]])
    x0, x1 = xs[:-1].astype(np.float64), xs[1:].astype(np.float64)
    y0, y1 = ys[:-1].astype(np.float64), ys[1:].astype(np.float64)
    r0, r1 = xs[:-1].astype(np.int64), xs[1:].astype(np.int64)
    # the path at every row a segment crosses; a segment within one row (a vertical step)
    # contributes both its ends to that row
    vertical = r1 == r0
    seg, r = _expand(r0, np.where(vertical, r0 - 1, r1))
    y = y0[seg] + (r - x0[seg]) * (y1 - y0)[seg] / (x1 - x0)[seg]
    rows = np.concatenate([r, r0[vertical], r0[vertical]])
    ys_at = np.concatenate([y, y0[vertical], y1[vertical]])
    ylow = np.full(n + 1, np.inf)
    yhigh = np.full(n + 1, -np.inf)
    np.minimum.at(ylow, rows, ys_at)
    np.maximum.at(yhigh, rows, ys_at)
    prev_high = np.concatenate([[yhigh[0]], yhigh[:-1]])
    next_low = np.concatenate([ylow[1:], [ylow[-1]]])
    lo = np.floor(np.minimum(ylow, prev_high)).astype(np.int64) - w
    hi = np.ceil(np.maximum(yhigh, next_low)).astype(np.int64) + w
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 0, m)
    lo[0], hi[n] = 0, m
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


@dataclass(frozen=True, slots=True)
class _Lattice:
    """The DP band stored flat: row r holds cells (r, lo[r]) .. (r, hi[r]).

    Cell (r, j) sits at ``offsets[r] + j - lo[r]``; ``offsets[n + 1]`` is the number of
    cells (and the index of a -inf sentinel in the score array).
    """

    lo: np.ndarray
    hi: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, lo: np.ndarray, hi: np.ndarray) -> _Lattice:
        """The lattice of band windows [lo[r], hi[r]]."""
        offsets = np.concatenate([[0], np.cumsum(hi - lo + 1)]).astype(np.int64)
        return cls(lo, hi, offsets)


@dataclass(frozen=True, slots=True)
class _BeadTerms:
    """Everything a bead's gain needs besides the DP: group norms and knn, backgrounds.

    ``norm_*[a]`` / ``knn_*[a]`` are indexed by the first sentence of a group of a
    (`_group_norms`, `_group_knn`); ``bg_*`` as in `_Neighbours`.
    """

    left: np.ndarray
    right: np.ndarray
    norm_l: list[np.ndarray]
    norm_r: list[np.ndarray]
    knn_l: list[np.ndarray]
    knn_r: list[np.ndarray]
    bg_left: np.ndarray
    bg_right: np.ndarray


def _align_translation(
    left: np.ndarray,
    right: np.ndarray,
    nb: _Neighbours,
    anchors_i: np.ndarray,
    anchors_j: np.ndarray,
    params: AlignParams,
) -> list[Alignment]:
    """Banded DP over bead shapes around the anchor path; see the module docstring.

    The gains of every step into a block of rows are computed at once, vectorised
    (`_block_candidates`); the DP then takes, row by row, the best predecessor of each
    cell (one gather and one argmax over the candidates) and adds the 0-1 steps
    (`_finish_row`). Ties go to the first candidate in the order 1-0, then the bead
    shapes by left size (`_candidate_order`); a 0-1 step needs a strict gain.
    """
    n, m = len(left), len(right)
    g = params.max_group
    lo, hi = _band(n, m, anchors_i, anchors_j, params.band)
    lat = _Lattice.of(lo, hi)
    norm_l, norm_r = _group_norms(left, g), _group_norms(right, g)
    terms = _BeadTerms(
        left=left,
        right=right,
        norm_l=norm_l,
        norm_r=norm_r,
        knn_l=_group_knn(left, right, nb.lr_idx, nb.knn_left, norm_l, g, params.top_k),
        knn_r=_group_knn(right, left, nb.rl_idx, nb.knn_right, norm_r, g, params.top_k),
        bg_left=nb.bg_left,
        bg_right=nb.bg_right,
    )
    order = _candidate_order(params)
    codes = np.array(
        [_SKIP_LEFT] + [3 + params.shapes.index(s) for s in order], dtype=np.int8
    )
    total = int(lat.offsets[-1])
    score = np.full(total + 1, -np.inf)  # the last entry stays -inf: the "no source" cell
    back = np.zeros(total, dtype=np.int8)
    offsets = lat.offsets.tolist()
    first = np.full(offsets[1], -np.inf)
    first[0] = 0.0  # lo[0] == 0: the start
    _finish_row(first, np.zeros(offsets[1], dtype=np.int8), score[: offsets[1]], back[: offsets[1]])
    for start, stop in _row_blocks(lo, hi, g, _DP_BLOCK_CELLS):
        gain, src = _block_candidates(terms, lat, order, start, stop, params)
        base = offsets[start]
        for i in range(start, stop):
            o0, o1 = offsets[i], offsets[i + 1]
            cand = score[src[:, o0 - base : o1 - base]] + gain[:, o0 - base : o1 - base]
            _finish_row(cand.max(axis=0), codes[cand.argmax(axis=0)], score[o0:o1], back[o0:o1])
    return [
        Alignment(lf, rt, _bead_cos(left, right, lf, rt))
        for lf, rt in _backtrack(back, lat, params.shapes)
    ]


_DP_BLOCK_CELLS = 1 << 16  # dot products per block of DP rows (float64: 3 x 0.5 MiB)


def _candidate_order(params: AlignParams) -> list[tuple[int, int]]:
    """Bead shapes in the DP's tie order: by left size, then as in `AlignParams.shapes`."""
    return [s for a in range(1, params.max_group + 1) for s in params.shapes if s[0] == a]


def _finish_row(best: np.ndarray, code: np.ndarray, score: np.ndarray, back: np.ndarray) -> None:
    """Add the 0-1 steps to a DP row and store its scores and back-pointers.

    A 0-1 step (right sentence j-1 unaligned, from (i, j-1)) gains 0, so the score is the
    running maximum of `best` along the row; cells it raises point left. Cells no path
    reaches keep -inf (their code is never read).

    Args:
        best: float [w] best score of each cell of the row over its other steps.
        code: int8 [w] back-pointer code of those steps.
        score: float [w] the row's slice of the DP scores (written).
        back: int8 [w] the row's slice of the back-pointers (written).
    """
    run = np.maximum.accumulate(best)
    code[run > best] = _SKIP_RIGHT
    score[:] = run
    back[:] = code


def _row_blocks(lo: np.ndarray, hi: np.ndarray, g: int, cells: int) -> list[tuple[int, int]]:
    """Split DP rows 1..n into runs of consecutive rows of at most `cells` padded dot rows.

    A run of r rows whose widest dot window (right rows lo-g..hi-1, `_block_dots`) is R
    takes r·R rows of dots; a row wider than `cells` is a run of its own.

    Returns:
        [(start, stop)] half-open row ranges covering 1..n in order.
    """
    n = len(lo) - 1
    widths = (hi - np.maximum(lo - g, 0)).tolist()
    out: list[tuple[int, int]] = []
    start, widest = 1, 0
    for i in range(1, n + 1):
        widest = max(widest, widths[i])
        if i > start and (i - start + 1) * widest > cells:
            out.append((start, i))
            start, widest = i, widths[i]
    if start <= n:
        out.append((start, n + 1))
    return out


def _block_dots(
    left: np.ndarray, right: np.ndarray, lo: np.ndarray, hi: np.ndarray, g: int,
    start: int, stop: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of each DP row's last g left sentences with its right window, padded.

    Row i of the block (0-based k = i - start) holds right sentences r_lo(i) = max(0,
    lo[i] - g) .. max(r_lo, hi[i]) - 1 against left sentences i-1, i-2, ... (column t =
    left i-1-t), zero beyond. Each DP row takes its own float32 product (so a cosine's
    float32 rounding does not depend on how rows are blocked), cast to float64.

    Returns:
        (dots float64 [rows, R, g], r_lo int [rows]).
    """
    r_lo = np.maximum(lo[start:stop] - g, 0)
    r_hi = np.maximum(r_lo, hi[start:stop])
    dots = np.zeros((stop - start, max(1, int((r_hi - r_lo).max())), g), dtype=np.float64)
    for k, (a0, a1) in enumerate(zip(r_lo.tolist(), r_hi.tolist(), strict=True)):
        if a1 > a0:
            i = start + k
            first_l = max(0, i - g)
            dots[k, : a1 - a0, : i - first_l] = (right[a0:a1] @ left[first_l:i].T)[:, ::-1]
    return dots, r_lo


def _expand(j0: np.ndarray, j1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (k, j) with j0[k] <= j <= j1[k], k-major: (k [N], j [N])."""
    cnt = np.maximum(j1 - j0 + 1, 0)
    k = np.repeat(np.arange(len(j0)), cnt)
    first = np.cumsum(cnt) - cnt
    return k, j0[k] + (np.arange(len(k)) - first[k])


def _block_candidates(
    terms: _BeadTerms,
    lat: _Lattice,
    order: list[tuple[int, int]],
    start: int,
    stop: int,
    params: AlignParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Gains and source cells of every candidate step into DP rows start..stop-1.

    Candidate 0 is the 1-0 step (gain 0, from (i-1, j)); candidate s >= 1 the bead of
    shape ``order[s-1]`` = (a, b) from (i-a, j-b). A bead's gain is its margin minus
    `skip_margin` plus `_TIE`, plus ``skip_cost·(a + b - 2)`` and -inf unless its members
    pass `_members_related` when it has three or more sentences.

    Returns:
        (gain float64 [1 + len(order), cells], src int [1 + len(order), cells]): for each
        cell of the rows (flat, row-major from ``lat.offsets[start]``), the gain of each
        candidate and its source cell in `lat` (the -inf sentinel when there is none).
    """
    lo, hi, m = lat.lo, lat.hi, len(terms.right)
    g = params.max_group
    base = int(lat.offsets[start])
    cells = int(lat.offsets[stop]) - base
    gain = np.full((1 + len(order), cells), -np.inf)
    src = np.full((1 + len(order), cells), int(lat.offsets[-1]), dtype=np.int64)
    rows = np.arange(start, stop)
    lo_i, hi_i = lo[start:stop], hi[start:stop]
    cell0 = lat.offsets[start:stop] - lo_i - base  # cell (i, j) of the block: cell0 + j

    k, j = _expand(np.maximum(lo_i, lo[rows - 1]), np.minimum(hi_i, hi[rows - 1]))
    gain[0, cell0[k] + j] = 0.0
    src[0, cell0[k] + j] = (lat.offsets[rows - 1] - lo[rows - 1])[k] + j

    dots, r_lo = _block_dots(terms.left, terms.right, lo, hi, g, start, stop)
    width = dots.shape[1]
    # flat index into `dots` of (DP row k, right sentence j, column 0): dot0[k] + g·j
    dot0 = (np.arange(len(rows)) * width - r_lo) * g
    flat_dots = dots.reshape(-1)
    prefix: dict[int, np.ndarray] = {}
    for s, (a, b) in enumerate(order, start=1):
        if a not in prefix:
            colsum = dots[:, :, 0].copy()
            for t in range(1, a):
                colsum += dots[:, :, t]
            prefix[a] = np.concatenate(
                [np.zeros((len(rows), 1)), np.cumsum(colsum, axis=1)], axis=1
            ).reshape(-1)
        s_l = np.maximum(rows - a, 0)
        j0 = np.maximum.reduce([lo_i, lo[s_l] + b, np.full(len(rows), b), r_lo + b])
        j1 = np.minimum.reduce([hi_i, hi[s_l] + b, np.full(len(rows), m)])
        j1 = np.where((rows >= a) & (hi_i > r_lo), j1, j0 - 1)
        k, j = _expand(j0, j1)
        if len(k) == 0:
            continue
        first_right = j - b
        pre = (np.arange(len(rows)) * (width + 1) - r_lo)[k]  # prefix[a][pre + j] = cs[j]
        gdot = prefix[a][pre + j] - prefix[a][pre + first_right]
        norm_l, norm_r = terms.norm_l[a][s_l][k], terms.norm_r[b][first_right]
        cos = gdot / (norm_l * norm_r)
        knn = (terms.knn_l[a][s_l][k] + terms.knn_r[b][first_right]) / 2.0
        marg = cos / np.maximum(knn, 1e-6)
        # a bead at exactly `skip_margin` is preferred to leaving its sentences unaligned
        # (ties, within _TIE, resolve towards aligning)
        bead_gain = marg - params.skip_margin + _TIE
        if a + b > 2:
            # a sentence a merge leaves out of a 1-1 bead would cost skip_cost each;
            # every member must be related beyond chance
            bead_gain = bead_gain + params.sentence_skip_cost * (a + b - 2)
            first_dot = dot0[k] + g * first_right
            ok = _members_related(
                [[flat_dots[first_dot + g * t + u] for u in range(a)] for t in range(b)],
                norm_l, norm_r,
                [terms.bg_left[:, np.maximum(rows - 1 - u, 0)][:, k] for u in range(a)],
                [terms.bg_right[:, first_right + t] for t in range(b)],
                params.member_z, cos,
            )
            bead_gain = np.where(ok, bead_gain, -np.inf)
        gain[s, cell0[k] + j] = bead_gain
        src[s, cell0[k] + j] = (lat.offsets[s_l] - lo[s_l])[k] + first_right
    return gain, src


def _backtrack(
    back: np.ndarray, lat: _Lattice, shapes: tuple[tuple[int, int], ...]
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads of the best path, in document order, from the back-pointers of `lat`."""
    beads: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i, j = len(lat.lo) - 1, int(lat.hi[-1])
    offsets, lo = lat.offsets.tolist(), lat.lo.tolist()
    while i > 0 or j > 0:
        c = int(back[offsets[i] + j - lo[i]])
        if c == _SKIP_RIGHT:
            beads.append(((), (j - 1,)))
            j -= 1
        elif c == _SKIP_LEFT:
            beads.append(((i - 1,), ()))
            i -= 1
        elif c >= 3:
            a, b = shapes[c - 3]
            beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
            i, j = i - a, j - b
        else:  # pragma: no cover - the band always connects (0, 0) to (n, m)
            raise RuntimeError(f"alignment back-track reached the start early at ({i}, {j})")
    beads.reverse()
    return beads


def _members_related(
    dots: list[list[np.ndarray]],
    norm_l: np.ndarray,
    norm_r: np.ndarray,
    bg_l: list[np.ndarray],
    bg_r: list[np.ndarray],
    z: float,
    cos: np.ndarray,
) -> np.ndarray:
    """Whether every sentence a candidate bead adds to its core pair is related to the other side.

    The core is the bead's most similar single pair (its 1-1 content, judged by the
    objective like any 1-1 bead); every other member x is an *added* sentence. A bead
    whose group cosine beats its core pair's passes outright (an unrelated sentence can
    only lower the cosine of the group it joins; this is also the only test that works
    when the other side is too short to estimate a sentence's background). Otherwise an
    added sentence is related to the other side's group Y when ``cos(x, Y)`` stands
    out from x's own cosines to the other document: ``(cos(x, Y) - median_x) / spread_x
    >= z`` (robust z-score, spread = 1.4826·MAD). The partner is fixed by position, not
    picked among N candidates, so this is a single one-sided test (z = 1.645: 5%). It asks
    the same of every sentence a merge adds, so a neighbour that only rides along with a
    strong pair (or a sentence on the same topic as everything) is not merged.

    Args:
        dots: ``dots[t][u]`` float [J]: for J candidate beads of a left and b right
            sentences, the cosine of right member t (in order) with left member u,
            counted from the bead's last left sentence (u = 0).
        norm_l: float [J] norms of the sums of the beads' left unit vectors.
        norm_r: float [J] norms of the sums of the beads' right unit vectors.
        bg_l: ``bg_l[u]`` float [2, J] median and spread of left member u (as in `dots`).
        bg_r: ``bg_r[t]`` float [2, J] median and spread of right member t.
        z: Least robust z-score.
        cos: float [J] cosines of the candidate beads' group vectors.

    Returns:
        bool [J].
    """
    b, a = len(dots), len(dots[0])
    # the bead's best single pair: the first maximum in (t, u) order
    best = dots[0][0]
    core_t = np.zeros(len(best), dtype=np.int64)
    core_u = np.zeros(len(best), dtype=np.int64)
    for t in range(b):
        for u in range(a):
            if t or u:
                up = dots[t][u] > best
                best = np.where(up, dots[t][u], best)
                core_t[up], core_u[up] = t, u
    if a >= 2 and b >= 2:
        # both sides grow: an added sentence must relate to the core pair's partner itself,
        # or two parallel 1-1 pairs would pass as one 2-2 bead
        cos_l = [_pick(core_t, [dots[t][u] for t in range(b)]) for u in range(a)]
        cos_r = [_pick(core_u, dots[t]) for t in range(b)]
    else:
        # a member with the other side's group (sums of at most 3 cosines, in order)
        cos_l = [_total([dots[t][u] for t in range(b)]) / norm_r for u in range(a)]
        cos_r = [_total(dots[t]) / norm_l for t in range(b)]
    ok = np.ones(len(best), dtype=bool)
    for u in range(a):
        ok &= ((cos_l[u] - bg_l[u][0]) / bg_l[u][1] >= z) | (core_u == u)
    for t in range(b):
        ok &= ((cos_r[t] - bg_r[t][0]) / bg_r[t][1] >= z) | (core_t == t)
    if a >= 2 and b >= 2:
        return ok
    # a one-to-many merge whose cosine beats its core pair's is evidence enough on its own:
    # a sentence unrelated to the other side can only lower the cosine of the group it joins
    return ok | (cos > best)


def _pick(which: np.ndarray, options: list[np.ndarray]) -> np.ndarray:
    """``options[which[x]][x]`` for every x."""
    out = options[0]
    for t in range(1, len(options)):
        out = np.where(which == t, options[t], out)
    return out


def _total(terms: list[np.ndarray]) -> np.ndarray:
    """Elementwise sum, left to right (numpy's order for a sum over a short axis)."""
    out = terms[0]
    for x in terms[1:]:
        out = out + x
    return out


def _bead_cos(
    left: np.ndarray, right: np.ndarray, lf: tuple[int, ...], rt: tuple[int, ...]
) -> float:
    """Cosine of the renormalised group vectors of a bead (0.0 for 1-0 / 0-1)."""
    if not lf or not rt:
        return 0.0
    u, v = _group_vector(left, lf), _group_vector(right, rt)
    den = math.sqrt(u.dot(u)) * math.sqrt(v.dot(v))  # = np.linalg.norm(u) * ...(v)
    return float(u.dot(v)) / den if den > 0 else 0.0


def _group_vector(x: np.ndarray, idx: tuple[int, ...]) -> np.ndarray:
    """float64 sum of the rows `idx` of `x` (a single row is just cast)."""
    if len(idx) == 1:
        return x[idx[0]].astype(np.float64)
    return np.asarray(x[list(idx)].sum(axis=0, dtype=np.float64))


def _similarity_floor(
    left: np.ndarray, right: np.ndarray, nb: _Neighbours, params: AlignParams
) -> float:
    """Cosine a match must reach to beat the best of N background candidates by chance.

    ``mu + sigma·(sqrt(2 ln N) + floor_z / sqrt(2 ln N))``: the expected maximum of N
    Gaussian draws plus `floor_z` Gumbel scales, with mu / sigma the median / robust
    standard deviation of background cross pairs (`_background_stats`) and N = max(n, m)
    (at least 2).
    """
    n, m = len(left), len(right)
    stats = _background_stats(left, right, nb, params)
    if stats is None:
        return params.sim_floor
    med, sigma = stats
    spread = math.sqrt(2.0 * math.log(max(n, m, 2)))
    return max(params.sim_floor, med + sigma * (spread + params.floor_z / spread))


def _background_stats(
    left: np.ndarray, right: np.ndarray, nb: _Neighbours, params: AlignParams
) -> tuple[float, float] | None:
    """Median and robust spread (1.4826·MAD) of the cosines of background cross pairs.

    The background leaves out each sentence's margin-best pair, so that in a short
    document the true matches do not inflate the estimate. All pairs are used when there
    are at most `floor_sample`, else a fixed-seed sample. None when no pair is left.
    """
    n, m = len(left), len(right)
    if n * m <= params.floor_sample:
        ii, jj = np.divmod(np.arange(n * m), m)
    else:
        rng = np.random.default_rng(0)
        ii = rng.integers(0, n, params.floor_sample)
        jj = rng.integers(0, m, params.floor_sample)
    background = (nb.best_right[ii] != jj) & (nb.best_left[jj] != ii)
    ii, jj = ii[background], jj[background]
    if len(ii) == 0:
        return None
    sims = np.einsum("ij,ij->i", left[ii], right[jj])
    med = float(np.median(sims))
    return med, 1.4826 * float(np.median(np.abs(sims - med)))


def _with_evidence(
    left: np.ndarray,
    right: np.ndarray,
    nb: _Neighbours,
    extra: dict[tuple[int, int], float],
    sigma: float,
) -> tuple[_Neighbours, dict[tuple[int, int], float]]:
    """Margin-best partners when evidence pairs score ``cos + sigma·z`` (z = `extra`).

    Every evidence pair becomes a candidate for both of its sentences, whether or not it
    is among their top-k neighbours; its margin is its evidence score over the usual
    denominator. O(len(extra)·d).

    Returns:
        (neighbours with updated best_* fields, {pair: evidence score}).
    """
    pairs = np.array(sorted(extra), dtype=np.int64).reshape(-1, 2)
    ii, jj = pairs[:, 0], pairs[:, 1]
    z = np.array([extra[(int(i), int(j))] for i, j in pairs], dtype=np.float64)
    scores = np.einsum("ij,ij->i", left[ii], right[jj]).astype(np.float64) + sigma * z
    margins = _margin(scores, nb.knn_left[ii], nb.knn_right[jj])
    best_r, best_rm = nb.best_right.copy(), nb.best_right_margin.copy()
    best_l, best_lm = nb.best_left.copy(), nb.best_left_margin.copy()
    for t in np.argsort(-margins, kind="stable").tolist():
        i, j, mg = int(ii[t]), int(jj[t]), float(margins[t])
        if mg > best_rm[i]:
            best_r[i], best_rm[i] = j, mg
        if mg > best_lm[j]:
            best_l[j], best_lm[j] = i, mg
    augmented = dataclasses.replace(
        nb, best_right=best_r, best_right_margin=best_rm, best_left=best_l,
        best_left_margin=best_lm,
    )
    return augmented, {(int(i), int(j)): float(sc) for i, j, sc in zip(ii, jj, scores, strict=True)}


def _align_independent(
    left: np.ndarray,
    right: np.ndarray,
    nb: _Neighbours,
    params: AlignParams,
    extra: dict[tuple[int, int], float] | None = None,
) -> list[Alignment]:
    """Mutual margin-best matches above the floor, grown by merges; see module docstring."""
    n, m = len(left), len(right)
    g = params.max_group
    floor = _similarity_floor(left, right, nb, params)
    evidence: dict[tuple[int, int], float] = {}
    if extra:
        stats = _background_stats(left, right, nb, params)
        nb, evidence = _with_evidence(left, right, nb, extra, stats[1] if stats else 0.0)
    ii, jj, _ = _mutual_anchors(nb, params.anchor_margin)
    cos11 = np.einsum("ij,ij->i", left[ii], right[jj]) if len(ii) else np.zeros(0)
    if evidence:
        cos11 = np.array([evidence.get((int(i), int(j)), float(c))
                          for i, j, c in zip(ii, jj, cos11, strict=True)])
    keep = cos11 >= floor
    ii, jj = ii[keep], jj[keep]
    taken_l = np.zeros(n, dtype=bool)
    taken_r = np.zeros(m, dtype=bool)
    taken_l[ii] = True
    taken_r[jj] = True

    def score(lf: list[int], rt: list[int]) -> tuple[float, float]:
        cos = _bead_cos(left, right, tuple(lf), tuple(rt))
        den = (nb.knn_left[lf].mean() + nb.knn_right[rt].mean()) / 2.0
        return cos / max(float(den), 1e-6), cos

    def related(x: np.ndarray, group: np.ndarray) -> bool:
        """An added sentence must beat the chance floor with the other side's group itself.

        It was picked because its best match is in the bead, i.e. as the best of N
        candidates, so the floor for the best of N applies (not a single-pair test).
        """
        gv = group.sum(axis=0, dtype=np.float64)
        return float(x @ gv) / max(float(np.linalg.norm(gv)), 1e-9) >= floor

    order = np.argsort(-nb.best_right_margin[ii], kind="stable")
    groups: list[tuple[list[int], list[int]]] = []
    for t in order.tolist():
        lf, rt = [int(ii[t])], [int(jj[t])]
        current = score(lf, rt)
        while len(lf) + len(rt) < g + 1:
            options: list[tuple[tuple[float, float], list[int], list[int]]] = []
            for cand in (lf[0] - 1, lf[-1] + 1):
                if (0 <= cand < n and not taken_l[cand] and int(nb.best_right[cand]) in rt
                        and related(left[cand], right[rt])):
                    new_l = sorted([*lf, cand])
                    options.append((score(new_l, rt), new_l, rt))
            for cand in (rt[0] - 1, rt[-1] + 1):
                if (0 <= cand < m and not taken_r[cand] and int(nb.best_left[cand]) in lf
                        and related(right[cand], left[lf])):
                    new_r = sorted([*rt, cand])
                    options.append((score(lf, new_r), lf, new_r))
            if not options:
                break
            best_score, best_l, best_r = max(options, key=lambda o: o[0])
            # the merged vector must score better on margin *and* on cosine: a margin gain
            # alone can come from adding a sentence with a low-similarity neighbourhood
            if best_score[0] <= current[0] or best_score[1] <= current[1]:
                break
            current = best_score
            taken_l[best_l] = True
            taken_r[best_r] = True
            lf, rt = best_l, best_r
        groups.append((lf, rt))

    beads = [Alignment(tuple(lf), tuple(rt), _bead_cos(left, right, tuple(lf), tuple(rt)))
             for lf, rt in groups]
    beads += [Alignment((i,), (), 0.0) for i in range(n) if not taken_l[i]]
    beads.sort(key=lambda a: a.left[0])
    return _place_right_only(beads, [j for j in range(m) if not taken_r[j]])


def _place_right_only(beads: list[Alignment], right_only: list[int]) -> list[Alignment]:
    """Insert 0-1 beads after the bead holding the nearest preceding right sentence."""
    if not right_only:
        return beads
    owner: dict[int, int] = {}
    for pos, bead in enumerate(beads):
        for j in bead.right:
            owner[j] = pos
    after: dict[int, list[int]] = {}
    for j in right_only:
        k = j - 1
        while k >= 0 and k not in owner:
            k -= 1
        pos = owner.get(k, -1) if k >= 0 else -1
        after.setdefault(pos, []).append(j)
    out = [Alignment((), (j,), 0.0) for j in after.get(-1, [])]
    for pos, bead in enumerate(beads):
        out.append(bead)
        out.extend(Alignment((), (j,), 0.0) for j in after.get(pos, []))
    return out

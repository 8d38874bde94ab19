"""Strict and lax precision, recall and F1 of sentence alignments (Vecalign's convention).

A bead is a pair (left indices, right indices). Following Vecalign's `score.py` (used
unchanged by Bertalign's `eval.py`):

- **Precision** is computed over *all* predicted beads, null beads (1-0 / 0-1) included:
  a predicted null bead is a strict hit only if the gold has the same null bead, and it is
  never a lax hit (it has no target side to overlap).
- **Recall** is computed over the *non-null* gold beads, matched against the non-null
  predicted beads: leaving a sentence unaligned is not rewarded on the recall side.
- **Strict**: the predicted bead equals a gold bead exactly. **Lax**: a predicted bead
  overlaps one gold bead on the left side *and* that gold bead's right side (for recall,
  with the roles swapped).

Beads empty on both sides are ignored. F1 is 0.0 when precision + recall is 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nlp.records import Alignment

Bead = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class AlignScores:
    """Strict and lax P/R/F1, each in [0, 1]."""

    strict_p: float
    strict_r: float
    strict_f1: float
    lax_p: float
    lax_r: float
    lax_f1: float

    def as_row(self) -> list[str]:
        """The six figures as strings with three decimals (for report tables)."""
        return [
            f"{x:.3f}"
            for x in (self.strict_p, self.strict_r, self.strict_f1,
                      self.lax_p, self.lax_r, self.lax_f1)
        ]


def _beads(items: Iterable[Alignment | Sequence[Sequence[int]]]) -> set[Bead]:
    out: set[Bead] = set()
    for it in items:
        lf: Sequence[int]
        rt: Sequence[int]
        if isinstance(it, Alignment):
            lf, rt = it.left, it.right
        else:
            lf, rt = it[0], it[1]
        bead = (tuple(int(x) for x in lf), tuple(int(x) for x in rt))
        if bead[0] or bead[1]:
            out.add(bead)
    return out


def _hits(gold: set[Bead], test: set[Bead]) -> tuple[int, int]:
    """(strict hits, lax hits) of the `test` beads against `gold` (Vecalign `_precision`)."""
    targets: dict[int, set[int]] = defaultdict(set)
    for g_left, g_right in gold:
        for i in g_left:
            targets[i].update(g_right)
    strict = lax = 0
    for bead in test:
        if bead in gold:
            strict += 1
            lax += 1
            continue
        reachable: set[int] = set()
        for i in bead[0]:
            reachable |= targets.get(i, set())
        if reachable.intersection(bead[1]):
            lax += 1
    return strict, lax


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def score_alignments(
    pred: Iterable[Alignment | Sequence[Sequence[int]]],
    gold: Iterable[Alignment | Sequence[Sequence[int]]],
) -> AlignScores:
    """Score predicted beads against gold beads (Vecalign's strict / lax P, R, F1).

    Args:
        pred: Predicted `Alignment`s, or (left indices, right indices) pairs.
        gold: Gold beads in the same form.

    Returns:
        `AlignScores`; a figure whose denominator is 0 is reported as 0.0.

    Example:
        >>> gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
        >>> pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())]
        >>> s = score_alignments(pred, gold)
        >>> (s.strict_p, s.strict_r, s.lax_p, s.lax_r)
        (0.5, 0.5, 0.75, 1.0)
    """
    p_beads, g_beads = _beads(pred), _beads(gold)
    p_strict, p_lax = _hits(g_beads, p_beads)
    p_full = {b for b in p_beads if b[0] and b[1]}
    g_full = {b for b in g_beads if b[0] and b[1]}
    r_strict, r_lax = _hits(p_full, g_full)
    sp = p_strict / len(p_beads) if p_beads else 0.0
    lp = p_lax / len(p_beads) if p_beads else 0.0
    sr = r_strict / len(g_full) if g_full else 0.0
    lr = r_lax / len(g_full) if g_full else 0.0
    return AlignScores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))

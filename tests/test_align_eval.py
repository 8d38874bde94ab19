"""Tests of nlp.align_eval: Vecalign's strict / lax precision, recall and F1."""

from __future__ import annotations

import pytest

from nlp.align_eval import AlignScores, score_alignments
from nlp.records import Alignment

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2, 3)), ((), (4,))]


def test_perfect_prediction_scores_one() -> None:
    s = score_alignments(GOLD, GOLD)
    assert s == AlignScores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


def test_alignment_records_and_tuples_are_equivalent() -> None:
    pred = [Alignment(lf, rt, 0.5) for lf, rt in GOLD]
    assert score_alignments(pred, GOLD) == score_alignments(GOLD, GOLD)


def test_split_bead_is_lax_but_not_strict() -> None:
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2, 3)), ((), (4,))]
    s = score_alignments(pred, GOLD)
    # precision over all 6 predicted beads, nulls included: 4 exact ((0,0), (3,-), (4,23), (-,4))
    assert s.strict_p == pytest.approx(4 / 6)
    # lax: (1)-(1) overlaps gold (1,2)-(1); the null (2)-() has no target to overlap
    assert s.lax_p == pytest.approx(5 / 6)
    # recall over the 3 non-null gold beads: 2 exact; all 3 overlap a predicted bead
    assert s.strict_r == pytest.approx(2 / 3)
    assert s.lax_r == pytest.approx(1.0)
    assert s.strict_f1 == pytest.approx(2 * (4 / 6) * (2 / 3) / (4 / 6 + 2 / 3))


def test_nulls_do_not_count_for_recall() -> None:
    # predicting everything unaligned: only the two gold null beads are strict hits
    pred = [((i,), ()) for i in range(5)] + [((), (j,)) for j in range(5)]
    s = score_alignments(pred, GOLD)
    assert s.strict_p == pytest.approx(2 / 10)
    assert s.strict_r == 0.0 and s.lax_r == 0.0
    assert s.strict_f1 == 0.0


def test_wrong_target_is_neither_strict_nor_lax() -> None:
    pred = [((0,), (1,)), ((1, 2), (0,))]
    s = score_alignments(pred, [((0,), (0,)), ((1, 2), (1,))])
    assert (s.strict_p, s.lax_p, s.strict_r, s.lax_r) == (0.0, 0.0, 0.0, 0.0)


def test_empty_inputs_and_empty_beads() -> None:
    assert score_alignments([], []) == AlignScores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    s = score_alignments([((), ()), ((0,), (0,))], [((0,), (0,))])
    assert s.strict_p == 1.0


def test_as_row_formats_three_decimals() -> None:
    assert score_alignments(GOLD, GOLD).as_row() == ["1.000"] * 6

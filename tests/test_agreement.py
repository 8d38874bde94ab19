"""Cohen's kappa and disagreements (app/agreement.py) against hand-computed values."""

from __future__ import annotations

import pytest

from app.agreement import (
    cohen_kappa,
    disagreements,
    kappa_for,
    paired_decisions,
    reviewers,
)
from corpus.repository import Review, StoredFinding
from nlp.records import Evidence, Finding

C, F, A, U = "confirmed", "false_alarm", "agree", "unsure"


def test_perfect_agreement_over_several_categories_is_one():
    pairs = [(C, C), (F, F), (A, A), (U, U), (C, C)]
    r = cohen_kappa(pairs)
    assert r.kappa == pytest.approx(1.0)
    assert r.observed == 1.0
    # p_e = (2*2 + 1 + 1 + 1) / 25
    assert r.expected == pytest.approx(7 / 25)
    assert r.interpretation == "almost perfect"


def test_chance_level_agreement_is_zero():
    # A says C,C,F,F; B says C,F,C,F: p_o = 0.5, p_e = (2*2 + 2*2) / 16 = 0.5.
    r = cohen_kappa([(C, C), (C, F), (F, C), (F, F)])
    assert r.observed == 0.5
    assert r.expected == 0.5
    assert r.kappa == pytest.approx(0.0)
    assert r.interpretation == "slight"


def test_single_shared_category_is_undefined_not_one():
    r = cohen_kappa([(A, A)] * 5)
    assert r.kappa is None
    assert r.observed == 1.0
    assert r.expected == 1.0
    assert "single" in r.interpretation


def test_one_rater_using_one_category_gives_zero():
    # A always "agree"; B agrees 3 of 4 times: p_o = 0.75, p_e = (4*3)/16 = 0.75.
    r = cohen_kappa([(A, A), (A, A), (A, A), (A, U)])
    assert r.kappa == pytest.approx(0.0)


def test_textbook_two_by_two():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o 0.7, p_e 0.5, kappa 0.4.
    pairs = [(C, C)] * 20 + [(C, F)] * 5 + [(F, C)] * 10 + [(F, F)] * 15
    r = cohen_kappa(pairs)
    assert r.n == 50
    assert r.observed == pytest.approx(0.7)
    assert r.expected == pytest.approx(0.5)
    assert r.kappa == pytest.approx(0.4)
    assert r.interpretation == "fair"
    i, j = r.categories.index(C), r.categories.index(F)
    assert r.matrix[i][i] == 20 and r.matrix[i][j] == 5
    assert r.matrix[j][i] == 10 and r.matrix[j][j] == 15


def test_systematic_disagreement_is_negative():
    r = cohen_kappa([(C, F), (F, C)])
    assert r.kappa == pytest.approx(-1.0)
    assert r.interpretation == "worse than chance"


def test_no_items():
    r = cohen_kappa([])
    assert r.n == 0 and r.kappa is None
    assert "no finding" in r.interpretation


def test_unknown_label_is_kept_as_a_category():
    r = cohen_kappa([("maybe", "maybe"), (C, C)])
    assert "maybe" in r.categories
    assert r.kappa == pytest.approx(1.0)


# --------------------------------------------------------------------------- stored findings

_EV_AR = Evidence(text="17 تشرين الأول", value="2017-10-17", start=10, end=24)
_EV_EN = Evidence(text="17 October", value="2017-10-17", start=5, end=15)


def _stored(fid: int, decisions: dict[str, tuple[str, str]]) -> StoredFinding:
    finding = Finding(fid, "date", "conflict", _EV_AR, _EV_EN, "dates differ by one day", 0.9)
    latest = {
        name: Review(id=100 + fid, finding_id=fid, reviewer=name, decision=d, note=n, at="")
        for name, (d, n) in decisions.items()
    }
    return StoredFinding(id=fid, run_id=1, index=fid, finding=finding, latest=latest)


FINDINGS = [
    _stored(1, {"layla": (C, ""), "omar": (C, "")}),
    _stored(2, {"layla": (F, "same day in Hijri"), "omar": (C, "off by one")}),
    _stored(3, {"layla": (A, "")}),
    _stored(4, {"layla": (U, ""), "omar": (U, ""), "sara": (A, "")}),
]


def test_reviewers_are_ordered_by_activity_then_name():
    assert reviewers(FINDINGS) == ["layla", "omar", "sara"]


def test_paired_decisions_keep_only_findings_both_decided():
    pairs = paired_decisions(FINDINGS, "layla", "omar")
    assert [(s.id, a, b) for s, a, b in pairs] == [(1, C, C), (2, F, C), (4, U, U)]


def test_kappa_for_stored_findings():
    # pairs (C,C), (F,C), (U,U): p_o = 2/3; layla C,F,U; omar C,C,U
    # p_e = (1*2 + 1*0 + 1*1) / 9 = 1/3; kappa = (2/3 - 1/3) / (2/3) = 0.5
    r = kappa_for(FINDINGS, "layla", "omar")
    assert r.n == 3
    assert r.kappa == pytest.approx(0.5)


def test_disagreements_carry_both_notes():
    rows = disagreements(FINDINGS, "layla", "omar")
    assert len(rows) == 1
    d = rows[0]
    assert (d.finding_id, d.decision_a, d.decision_b) == (2, F, C)
    assert (d.note_a, d.note_b) == ("same day in Hijri", "off by one")
    assert [d.finding_id for d in disagreements(FINDINGS, "layla", "sara")] == [4]
    assert disagreements(FINDINGS, "omar", "omar") == []

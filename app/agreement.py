"""Inter-reviewer agreement: Cohen's kappa and the list of disagreements, as pure functions.

Two reviewers who decided the same findings agree beyond chance to the degree

    kappa = (p_o - p_e) / (1 - p_e)

where p_o is the share of findings they decided alike and p_e the share expected by chance
from each reviewer's own category frequencies (Cohen 1960). When both reviewers used one
and the same category for every finding, p_e = 1 and kappa is undefined (0/0): `kappa` is
None then, and `observed` still says they agreed on everything.

Example:
    >>> r = cohen_kappa([("agree", "agree"), ("confirmed", "confirmed"),
    ...                  ("agree", "confirmed"), ("confirmed", "confirmed")])
    >>> round(r.kappa, 3), r.observed, r.n
    (0.5, 0.75, 4)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.repository import DECISIONS, StoredFinding


@dataclass(frozen=True, slots=True)
class KappaResult:
    """Cohen's kappa for two raters over n items.

    Attributes:
        n: Items both raters decided.
        observed: p_o, the share of items decided alike (0 when n is 0).
        expected: p_e, the agreement expected by chance.
        kappa: (p_o - p_e) / (1 - p_e); None when undefined (n = 0, or p_e = 1).
        categories: The categories in the order of `matrix`.
        matrix: Confusion counts, matrix[i][j] = items rater A put in categories[i] and
            rater B in categories[j].
    """

    n: int
    observed: float
    expected: float
    kappa: float | None
    categories: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]

    @property
    def interpretation(self) -> str:
        """Landis & Koch's (1977) words for the value, or why there is none."""
        if self.n == 0:
            return "no finding decided by both reviewers yet"
        if self.kappa is None:
            return "undefined: both reviewers used a single, identical category throughout"
        k = self.kappa
        if k < 0:
            return "worse than chance"
        bands = ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial"))
        for bound, word in bands:
            if k <= bound:
                return word
        return "almost perfect"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One finding two reviewers decided differently (to adjudicate)."""

    finding_id: int
    index: int
    decision_a: str
    decision_b: str
    note_a: str
    note_b: str


def cohen_kappa(
    pairs: Sequence[tuple[str, str]], categories: Sequence[str] = DECISIONS
) -> KappaResult:
    """Cohen's kappa of two raters' labels.

    Args:
        pairs: One (label_a, label_b) per item; labels outside `categories` are appended to
            the category list so nothing is lost.
        categories: The label set, in display order.

    Returns:
        A `KappaResult`; `kappa` is None when undefined.

    Example:
        >>> cohen_kappa([("agree", "agree")] * 3).kappa is None
        True
    """
    cats = list(categories)
    for a, b in pairs:
        for label in (a, b):
            if label not in cats:
                cats.append(label)
    pos = {c: i for i, c in enumerate(cats)}
    matrix = [[0] * len(cats) for _ in cats]
    for a, b in pairs:
        matrix[pos[a]][pos[b]] += 1
    n = len(pairs)
    frozen = tuple(tuple(row) for row in matrix)
    if n == 0:
        return KappaResult(0, 0.0, 0.0, None, tuple(cats), frozen)
    observed = sum(matrix[i][i] for i in range(len(cats))) / n
    count_a = Counter(a for a, _ in pairs)
    count_b = Counter(b for _, b in pairs)
    expected = sum(count_a[c] * count_b[c] for c in cats) / (n * n)
    kappa = None if abs(1.0 - expected) < 1e-12 else (observed - expected) / (1.0 - expected)
    return KappaResult(n, observed, expected, kappa, tuple(cats), frozen)


def reviewers(findings: Sequence[StoredFinding]) -> list[str]:
    """Reviewers with at least one live decision on these findings, most active first.

    Ties are broken by name, so the order is stable.
    """
    counts = Counter(name for f in findings for name in f.latest)
    return sorted(counts, key=lambda name: (-counts[name], name))


def paired_decisions(
    findings: Sequence[StoredFinding], reviewer_a: str, reviewer_b: str
) -> list[tuple[StoredFinding, str, str]]:
    """Findings both reviewers decided, with each one's latest decision, in run order."""
    out: list[tuple[StoredFinding, str, str]] = []
    for f in sorted(findings, key=lambda f: f.index):
        ra, rb = f.latest.get(reviewer_a), f.latest.get(reviewer_b)
        if ra is not None and rb is not None:
            out.append((f, ra.decision, rb.decision))
    return out


def kappa_for(findings: Sequence[StoredFinding], reviewer_a: str, reviewer_b: str) -> KappaResult:
    """Cohen's kappa of two reviewers over the findings both decided."""
    return cohen_kappa([(a, b) for _, a, b in paired_decisions(findings, reviewer_a, reviewer_b)])


def disagreements(
    findings: Sequence[StoredFinding], reviewer_a: str, reviewer_b: str
) -> list[Disagreement]:
    """Findings both reviewers decided differently, in run order, with their notes."""
    out = []
    for f, a, b in paired_decisions(findings, reviewer_a, reviewer_b):
        if a != b:
            out.append(
                Disagreement(
                    finding_id=f.id,
                    index=f.index,
                    decision_a=a,
                    decision_b=b,
                    note_a=f.latest[reviewer_a].note,
                    note_b=f.latest[reviewer_b].note,
                )
            )
    return out

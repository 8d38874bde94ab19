"""The review queue: which findings a reviewer sees, in which order, as pure functions.

Order: conflicts first, then facts stated on one side only, then omissions (a sentence with
no counterpart), then agreements; inside each group the most confident first, then run
order. Filters narrow by kind, status, minimum confidence and the reviewer's own latest
decision ("undecided" or one of `DECISIONS`).

Example:
    >>> from corpus.repository import StoredFinding
    >>> from nlp.records import Finding
    >>> fs = [StoredFinding(1, 1, 0, Finding(0, "date", "agree", None, None, "", 0.9)),
    ...       StoredFinding(2, 1, 1, Finding(1, "number", "conflict", None, None, "", 0.8))]
    >>> [f.id for f in build_queue(fs, QueueFilter(), reviewer="ana")]
    [2, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corpus.repository import DECISIONS, StoredFinding
from nlp.records import FINDING_KINDS, STATUSES, Finding

UNDECIDED = "undecided"
DECISION_FILTERS: tuple[str, ...] = ("any", UNDECIDED, *DECISIONS)

GROUP_LABELS: tuple[str, ...] = ("conflict", "one side only", "omission", "agreement")


def priority(finding: Finding) -> int:
    """Queue group of a finding: 0 conflict, 1 one-side-only fact, 2 omission, 3 agreement.

    >>> priority(Finding(0, "omission", "left_only", None, None, "", 1.0))
    2
    """
    if finding.status == "conflict":
        return 0
    if finding.kind == "omission":
        return 2
    if finding.status in ("left_only", "right_only"):
        return 1
    return 3


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the reviewer narrowed the queue to.

    Attributes:
        kinds: Finding kinds to keep (all when empty).
        statuses: Statuses to keep (all when empty).
        min_confidence: Keep findings with confidence >= this.
        decision: "any", "undecided", or one decision (the reviewer's latest).
    """

    kinds: tuple[str, ...] = FINDING_KINDS
    statuses: tuple[str, ...] = STATUSES
    min_confidence: float = 0.0
    decision: str = "any"


def decision_of(stored: StoredFinding, reviewer: str) -> str:
    """The reviewer's latest live decision on a finding, or "undecided"."""
    review = stored.latest.get(reviewer)
    return review.decision if review is not None else UNDECIDED


def keep(stored: StoredFinding, flt: QueueFilter, reviewer: str) -> bool:
    """Whether a finding passes the filter for this reviewer."""
    f = stored.finding
    if flt.kinds and f.kind not in flt.kinds:
        return False
    if flt.statuses and f.status not in flt.statuses:
        return False
    if f.confidence < flt.min_confidence:
        return False
    return flt.decision == "any" or decision_of(stored, reviewer) == flt.decision


def build_queue(
    findings: Sequence[StoredFinding], flt: QueueFilter, reviewer: str
) -> list[StoredFinding]:
    """Filter and order the findings of one run for one reviewer.

    Args:
        findings: All stored findings of a run.
        flt: The reviewer's filter.
        reviewer: Whose decisions the "decision" filter looks at.

    Returns:
        The queue, conflicts first (see module docstring).
    """
    kept = [s for s in findings if keep(s, flt, reviewer)]
    return sorted(kept, key=lambda s: (priority(s.finding), -s.finding.confidence, s.index))


def position_of(queue: Sequence[StoredFinding], finding_id: int | None) -> int:
    """Index of a finding in the queue, or 0 when it is not there (or the queue is empty)."""
    if finding_id is not None:
        for i, s in enumerate(queue):
            if s.id == finding_id:
                return i
    return 0


def next_after_decision(queue: Sequence[StoredFinding], pos: int) -> int | None:
    """Id of the finding to show after deciding the one at `pos`: the next, else the previous.

    Computed on the queue as it was before the decision, so it stays right when the
    decision makes the current finding drop out of a filtered queue.

    >>> next_after_decision([], 0) is None
    True
    """
    if not queue:
        return None
    if pos + 1 < len(queue):
        return queue[pos + 1].id
    if pos - 1 >= 0:
        return queue[pos - 1].id
    return queue[pos].id


def progress_counts(findings: Sequence[StoredFinding], reviewer: str) -> dict[str, int]:
    """How many findings the reviewer decided, per decision plus "undecided" and "total"."""
    counts = {d: 0 for d in (*DECISIONS, UNDECIDED)}
    for s in findings:
        counts[decision_of(s, reviewer)] += 1
    counts["total"] = len(findings)
    return counts

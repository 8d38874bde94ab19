"""The repository interface: what `app/` and `nlp/` callers may ask of storage.

Implemented by `corpus.store.SqlRepository` (SQLAlchemy 2.0; SQLite by default, PostgreSQL
by URL). Callers never see a Session or SQL: they pass and receive the dataclasses of
`nlp.records` and the small records below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from nlp.records import Comparison, Document, Finding

if TYPE_CHECKING:
    from nlp.sets import SetComparison, SetFinding

Decision = Literal["confirmed", "false_alarm", "agree", "unsure"]
DECISIONS: tuple[Decision, ...] = ("confirmed", "false_alarm", "agree", "unsure")
DECISION_LABELS: dict[str, str] = {
    "confirmed": "confirmed discrepancy",
    "false_alarm": "false alarm",
    "agree": "agree",
    "unsure": "unsure",
}


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One stored comparison run (a pair, or a set of documents)."""

    id: int
    created: str  # ISO 8601, UTC
    kind: Literal["pair", "set"]
    title: str
    document_ids: tuple[str, ...]
    mode: str
    encoder: str
    n_findings: int
    n_conflicts: int


@dataclass(frozen=True, slots=True)
class Review:
    """One reviewer decision on one finding. Reviews are append-only; the latest wins."""

    id: int
    finding_id: int
    reviewer: str
    decision: Decision
    note: str
    at: str  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A finding as stored: its database id, its position in the run, latest decisions."""

    id: int
    run_id: int
    index: int  # position in Comparison.findings
    finding: Finding
    latest: dict[str, Review] = field(default_factory=dict)  # reviewer -> latest live review


@dataclass(frozen=True, slots=True)
class StoredSetFinding:
    """A finding of a set run as stored, with every reviewer's latest live decision.

    Reviews of set findings use the `Review` record; its `finding_id` is this `id`.
    """

    id: int
    run_id: int
    index: int  # position in SetComparison.findings (== finding.id)
    finding: SetFinding
    latest: dict[str, Review] = field(default_factory=dict)  # reviewer -> latest live review


class Repository(Protocol):
    """Pair runs and set runs; every method commits before it returns."""

    def add_document(self, doc: Document) -> Document: ...
    def get_document(self, doc_id: str) -> Document: ...
    def list_documents(self) -> list[Document]: ...
    def save_comparison(self, comparison: Comparison, title: str = "") -> int: ...
    def load_comparison(self, run_id: int) -> Comparison: ...
    def list_runs(self) -> list[RunInfo]: ...
    def get_run(self, run_id: int) -> RunInfo: ...
    def findings(self, run_id: int) -> list[StoredFinding]: ...
    def add_review(
        self, finding_id: int, reviewer: str, decision: Decision, note: str = ""
    ) -> Review: ...
    def undo_last_review(self, run_id: int, reviewer: str) -> Review | None: ...
    def reviews(self, run_id: int) -> list[Review]: ...
    def save_set(self, result: SetComparison, title: str = "") -> int: ...
    def load_set(self, run_id: int) -> SetComparison: ...
    def set_findings(self, run_id: int) -> list[StoredSetFinding]: ...
    def add_set_review(
        self, set_finding_id: int, reviewer: str, decision: Decision, note: str = ""
    ) -> Review: ...
    def undo_last_set_review(self, run_id: int, reviewer: str) -> Review | None: ...
    def set_reviews(self, run_id: int) -> list[Review]: ...

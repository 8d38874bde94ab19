"""First start of the app: the demo corpus stored and one comparison ready to review.

`ensure_demo_run` is idempotent: it adds the demo documents that are not stored yet and
computes the demo comparison (the Arabic Wikipedia translation `ar-wiki` against the English
article `en-wiki`) only when no stored run compares that pair. A lock keeps two sessions of
one server from computing it twice.

Example:
    >>> from corpus.store import open_repository          # doctest: +SKIP
    >>> from models.fake import HashingEncoder             # doctest: +SKIP
    >>> repo = open_repository("sqlite://")                # doctest: +SKIP
    >>> run_id = ensure_demo_run(repo, HashingEncoder())   # doctest: +SKIP
    >>> ensure_demo_run(repo, HashingEncoder()) == run_id  # doctest: +SKIP
    True
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from nlp.records import Document

log = logging.getLogger(__name__)

DEMO_LEFT = "ar-wiki"
DEMO_RIGHT = "en-wiki"
DEMO_TITLE = "Demo: Arabic Wikipedia translation vs English Wikipedia article"

_LOCK = threading.Lock()


def run_title(left: Document, right: Document) -> str:
    """A readable title for a pairwise run.

    >>> run_title(Document("a", "x", "ar", title="A"), Document("b", "y", "en"))
    'A (ar) vs b (en)'
    """
    return f"{left.title or left.id} ({left.lang}) vs {right.title or right.id} ({right.lang})"


def store_comparison(
    repo: Any,
    left: Document,
    right: Document,
    encoder: Any,
    *,
    mode: str = "auto",
    title: str = "",
    progress: Callable[[str, float], None] | None = None,
) -> int:
    """Compare two documents with the pipeline and store the result; returns the run id.

    Args:
        repo: A `corpus.repository.Repository`.
        left: First document (stored by the caller or here).
        right: Second document.
        encoder: Sentence encoder (`name`, `encode(texts)`).
        mode: "auto", "translation" or "independent".
        title: Run title; `run_title(left, right)` when empty.
        progress: `progress(stage, fraction)` callback passed to the pipeline.

    Returns:
        The id of the stored run.
    """
    from nlp.pipeline import compare_documents

    comparison = compare_documents(left, right, encoder, mode=mode, progress=progress)
    run_id = int(repo.save_comparison(comparison, title=title or run_title(left, right)))
    log.info(
        "stored run %d: %d findings (%s, %s)",
        run_id,
        len(comparison.findings),
        comparison.mode,
        comparison.encoder,
    )
    return run_id


def find_pair_run(repo: Any, left_id: str, right_id: str) -> int | None:
    """Id of the newest stored pairwise run of exactly (left_id, right_id), if any."""
    pair = (left_id, right_id)
    runs = [r for r in repo.list_runs() if r.kind == "pair" and tuple(r.document_ids) == pair]
    return max(runs, key=lambda r: r.id).id if runs else None


def ensure_demo_documents(repo: Any) -> list[Document]:
    """Store every demo document not stored yet; returns the demo documents."""
    from corpus.demo import list_demo, load_demo

    stored = {d.id for d in repo.list_documents()}
    docs = []
    for entry in list_demo():
        doc = load_demo(entry.id)
        if doc.id not in stored:
            repo.add_document(doc)
        docs.append(doc)
    return docs


def ensure_demo_run(repo: Any, encoder: Any) -> int:
    """Add the demo documents and compute/store the demo comparison once.

    Args:
        repo: A `corpus.repository.Repository`.
        encoder: The sentence encoder for the comparison.

    Returns:
        The id of the stored demo run (an existing one when present).
    """
    with _LOCK:
        docs = {d.id: d for d in ensure_demo_documents(repo)}
        left, right = docs[DEMO_LEFT], docs[DEMO_RIGHT]
        existing = find_pair_run(repo, left.id, right.id)
        if existing is not None:
            return existing
        log.info("computing the demo comparison %s vs %s", left.id, right.id)
        return store_comparison(repo, left, right, encoder, title=DEMO_TITLE)

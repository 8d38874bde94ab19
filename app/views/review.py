"""Review: one finding at a time, conflicts first, decided with the keyboard.

Shortcuts: J next, K previous, 1 confirmed discrepancy, 2 false alarm, 3 agree, 4 unsure,
U undo my last decision. Every decision is stored at once (append-only) and "saved" is shown
only after the repository returned. Session-state keys start with "review.".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import resources, ui
from app.review_queue import (
    DECISION_FILTERS,
    GROUP_LABELS,
    UNDECIDED,
    QueueFilter,
    build_queue,
    decision_of,
    next_after_decision,
    position_of,
    priority,
    progress_counts,
)
from corpus.repository import DECISION_LABELS, DECISIONS, StoredFinding
from nlp.errors import TabayyunError
from nlp.records import FINDING_KINDS, STATUSES

SHORTCUTS = {"confirmed": "1", "false_alarm": "2", "agree": "3", "unsure": "4"}
DECISION_ICONS = {
    "confirmed": ":material/report:",
    "false_alarm": ":material/block:",
    "agree": ":material/check_circle:",
    "unsure": ":material/help:",
}
S = st.session_state


def _findings(repo, run_id: int) -> list[StoredFinding]:
    """Findings of the run, kept in session state until this session writes a review."""
    cached = S.get("review.cache")
    if cached is None or cached[0] != run_id:
        cached = (run_id, repo.findings(run_id))
        S["review.cache"] = cached
    return cached[1]


def _n(count: int, noun: str) -> str:
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"


def _goto(finding_id: int | None) -> None:
    S["review.current"] = finding_id


def _decide(repo, run_id: int, finding_id: int, reviewer: str, decision: str, then: int | None):
    """Button callback: store the decision, then say "saved" and move on."""
    note = S.get("review.note", "").strip()
    try:
        review = repo.add_review(finding_id, reviewer, decision, note)
    except TabayyunError as exc:
        S["review.error"] = str(exc)
        return
    S.pop("review.cache", None)
    S["review.note"] = ""
    S["review.flash"] = (
        f"Saved: {DECISION_LABELS[review.decision]} on finding #{review.finding_id} "
        f"by {review.reviewer} (review {review.id}, {review.at[:19]} UTC)."
    )
    S["review.current"] = then


def _undo(repo, run_id: int, reviewer: str) -> None:
    try:
        undone = repo.undo_last_review(run_id, reviewer)
    except TabayyunError as exc:
        S["review.error"] = str(exc)
        return
    S.pop("review.cache", None)
    if undone is None:
        S["review.flash"] = f"Nothing to undo: {reviewer} has no decision on this run."
        return
    S["review.flash"] = (
        f"Undone: {DECISION_LABELS[undone.decision]} on finding #{undone.finding_id}."
    )
    S["review.current"] = undone.finding_id


def _select_from_table() -> None:
    rows = S.get("review.table", {}).get("selection", {}).get("rows", [])
    ids = S.get("review.queue_ids", [])
    if rows and rows[0] < len(ids):
        S["review.current"] = ids[rows[0]]


def _filters() -> QueueFilter:
    c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
    kinds = c1.multiselect("Kind", FINDING_KINDS, default=list(FINDING_KINDS), key="review.kinds")
    statuses = c2.multiselect(
        "Status",
        STATUSES,
        default=list(STATUSES),
        format_func=lambda s: ui.STATUS_LABELS.get(s, s),
        key="review.statuses",
    )
    min_conf = c3.slider("Min. confidence", 0.0, 1.0, 0.0, 0.05, key="review.min_conf")
    decision = c4.selectbox(
        "My decision",
        DECISION_FILTERS,
        format_func=lambda d: DECISION_LABELS.get(d, d),
        key="review.decision",
    )
    return QueueFilter(tuple(kinds), tuple(statuses), float(min_conf), decision)


def _queue_table(queue: list[StoredFinding], reviewer: str, pos: int) -> None:
    S["review.queue_ids"] = [s.id for s in queue]
    frame = pd.DataFrame(
        {
            "#": [s.index for s in queue],
            "group": [GROUP_LABELS[priority(s.finding)] for s in queue],
            "kind": [s.finding.kind for s in queue],
            "left": [s.finding.left.text if s.finding.left else "" for s in queue],
            "right": [s.finding.right.text if s.finding.right else "" for s in queue],
            "confidence": [round(s.finding.confidence, 2) for s in queue],
            "my decision": [decision_of(s, reviewer) for s in queue],
        }
    )
    with st.expander(f"Queue ({len(queue)})", icon=":material/list:"):
        st.dataframe(
            frame,
            hide_index=True,
            height=300,
            on_select=_select_from_table,
            selection_mode="single-row",
            key="review.table",
        )


def render() -> None:
    repo = resources.repository()
    run_id = S.get("app.run_id")
    if run_id is None:
        st.title("Review")
        st.info("No comparison is stored yet: add documents on Sources, then run one on Compare.")
        st.page_link("views/compare.py", label="Go to Compare", icon=":material/compare_arrows:")
        st.stop()
    comparison = resources.comparison(run_id)
    reviewer = S.get("app.reviewer", "").strip()
    findings = _findings(repo, run_id)
    left_title = comparison.left.title or comparison.left.id
    right_title = comparison.right.title or comparison.right.id

    st.subheader(f"Review · {ui.isolate(left_title)} ↔ {ui.isolate(right_title)}")
    st.caption(
        f"{comparison.left.lang} ↔ {comparison.right.lang} · mode {comparison.mode} · "
        f"encoder {comparison.encoder} · run #{run_id}",
        help=f"Why this mode: {comparison.mode_reason}",
    )
    if "review.error" in S:
        st.error(S.pop("review.error"))
    if "review.flash" in S:
        st.success(S.pop("review.flash"), icon=":material/task_alt:")

    with st.expander("Filter the queue", icon=":material/filter_list:"):
        flt = _filters()
    queue = build_queue(findings, flt, reviewer)
    counts = progress_counts(findings, reviewer)
    decided = counts["total"] - counts[UNDECIDED]
    conflicts = sum(1 for s in findings if s.finding.status == "conflict")
    if "review.current" not in S:
        asked = st.query_params.get("finding")
        S["review.current"] = int(asked) if asked and asked.isdigit() else None
    pos = position_of(queue, S.get("review.current"))
    st.progress(
        decided / counts["total"] if counts["total"] else 0.0,
        text=(
            f"{decided} of {counts['total']} findings decided by {reviewer or 'you'} · "
            f"{_n(counts['confirmed'], 'confirmed discrepancy')} · "
            f"{_n(conflicts, 'conflict')} flagged · "
            f"{len(queue)} in the filtered queue"
        ),
    )
    if not queue:
        st.info("No finding matches these filters. Widen them under “Filter the queue”.")
        st.stop()

    current = queue[pos]
    f = current.finding
    prev_id = queue[pos - 1].id if pos > 0 else None
    next_id = queue[pos + 1].id if pos + 1 < len(queue) else None

    nav1, nav2, nav3 = st.columns([1, 1, 4])
    nav1.button(
        "Previous", shortcut="K", icon=":material/arrow_upward:", disabled=prev_id is None,
        on_click=_goto, args=(prev_id,), key="review.prev", width="stretch",
    )
    nav2.button(
        "Next", shortcut="J", icon=":material/arrow_downward:", disabled=next_id is None,
        on_click=_goto, args=(next_id,), key="review.next", width="stretch",
    )
    nav3.markdown(f"**Finding {pos + 1} of {len(queue)}** · #{current.index} in the run")

    st.markdown(ui.finding_badges_html(f, left_title, right_title), unsafe_allow_html=True)
    st.markdown(ui.pair_html(comparison, f), unsafe_allow_html=True)
    st.markdown(ui.finding_values_html(f, left_title, right_title), unsafe_allow_html=True)
    with st.expander("Context: neighbouring sentences", icon=":material/notes:"):
        st.markdown(ui.context_html(comparison, f), unsafe_allow_html=True)

    if not reviewer:
        st.warning(
            "Type your name under **Your name (reviewer)** in the sidebar to record decisions.",
            icon=":material/badge:",
        )
        _queue_table(queue, reviewer, pos)
        st.stop()

    mine = current.latest.get(reviewer)
    if mine is not None:
        note = f" — “{mine.note}”" if mine.note else ""
        st.caption(f"Your decision: **{DECISION_LABELS[mine.decision]}**{note}")
    st.text_input("Note (optional, saved with the decision)", key="review.note")
    then = next_after_decision(queue, pos)
    cols = st.columns([1.5, 1, 1, 1, 0.8])
    for col, decision in zip(cols, DECISIONS, strict=False):
        col.button(
            DECISION_LABELS[decision].capitalize(),
            shortcut=SHORTCUTS[decision],
            icon=DECISION_ICONS[decision],
            type="primary" if mine is not None and mine.decision == decision else "secondary",
            on_click=_decide,
            args=(repo, run_id, current.id, reviewer, decision, then),
            key=f"review.decide.{decision}",
            width="stretch",
        )
    cols[-1].button(
        "Undo", shortcut="U", icon=":material/undo:", on_click=_undo,
        args=(repo, run_id, reviewer), key="review.undo", width="stretch",
    )
    st.caption("Keys: J next · K previous · 1–4 decide · U undo my last decision")
    _queue_table(queue, reviewer, pos)


render()

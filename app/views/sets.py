"""Sets: three or more accounts of one event in one claim matrix, reviewed group by group.

Pick documents (demo ids and stored documents) and run `compare_set` (progress bar); the run
is stored with `save_set` and every rerun of the page loads it from the store. The matrix has
the sources as columns (with their dates) and the claim groups as rows, lone dissenters and
conflicts first; any group and source opens to a side-by-side view of the members' sentences
with the evidence highlighted. Decisions are recorded per fact of a group (saved at once,
undoable) under the reviewer name of the sidebar. Session-state keys start with "sets.".
"""

from __future__ import annotations

import streamlit as st

from app import resources
from app.export_set import SET_FORMATS, export_set, matrix_html
from app.set_review import (
    MATRIX_CSS,
    SET_KINDS,
    SetFilter,
    decisions_by_index,
    finding_html,
    finding_label,
    group_label,
    group_rows,
    latest_text,
    members_html,
    source_label,
)
from corpus.repository import DECISION_LABELS, DECISIONS, StoredSetFinding
from nlp.errors import TabayyunError
from nlp.sets import SET_STATUSES

S = st.session_state
MIN_DOCS = 3
MIME = {"md": "text/markdown", "html": "text/html", "csv": "text/csv", "json": "application/json"}
DECISION_ICONS = {
    "confirmed": ":material/report:",
    "false_alarm": ":material/block:",
    "agree": ":material/check_circle:",
    "unsure": ":material/help:",
}


def _documents(repo) -> dict[str, object]:
    """Stored documents and the demo corpus, by id (stored ones win)."""
    from corpus.demo import list_demo

    docs: dict[str, object] = {e.id: e for e in list_demo()}
    docs.update({d.id: d for d in repo.list_documents()})
    return docs


def _run_set(repo, ids: list[str], encoder_name: str) -> None:
    """Compare the chosen documents as a set, store the run and select it."""
    from corpus.demo import demo_ids, load_demo
    from nlp.sets import compare_set

    stored = {d.id for d in repo.list_documents()}
    docs = [
        repo.get_document(i) if i in stored or i not in demo_ids() else load_demo(i) for i in ids
    ]
    bar = st.progress(0.0, text="Starting…")

    def progress(stage: str, frac: float) -> None:
        bar.progress(min(max(frac, 0.0), 1.0), text=f"Comparing the set: {stage}")

    result = compare_set(docs, resources.get_encoder(encoder_name), progress=progress)
    run_id = repo.save_set(result, title=" + ".join(ids))
    bar.progress(1.0, text="Stored.")
    S["sets.run_id"] = run_id
    S.pop("sets.cache", None)
    S["sets.flash"] = (
        f"Stored set run #{run_id}: {len(result.groups)} claim groups, "
        f"{len(result.findings)} facts, "
        f"{sum(f.status == 'conflict' for f in result.findings)} conflicts."
    )


def _stored_findings(repo, run_id: int) -> list[StoredSetFinding]:
    """Findings with latest decisions, kept in session state until this session writes."""
    cached = S.get("sets.cache")
    if cached is None or cached[0] != run_id:
        cached = (run_id, repo.set_findings(run_id))
        S["sets.cache"] = cached
    return cached[1]


def _decide(repo, set_finding_id: int, index: int, reviewer: str, decision: str) -> None:
    try:
        review = repo.add_set_review(set_finding_id, reviewer, decision, S.get("sets.note", ""))
    except TabayyunError as exc:
        S["sets.error"] = str(exc)
        return
    S.pop("sets.cache", None)
    S["sets.note"] = ""
    S["sets.flash"] = (
        f"Saved: {DECISION_LABELS[review.decision]} on fact #{index} by {review.reviewer} "
        f"(review {review.id}, {review.at[:19]} UTC)."
    )


def _undo(repo, run_id: int, reviewer: str) -> None:
    try:
        undone = repo.undo_last_set_review(run_id, reviewer)
    except TabayyunError as exc:
        S["sets.error"] = str(exc)
        return
    S.pop("sets.cache", None)
    if undone is None:
        S["sets.flash"] = f"Nothing to undo: {reviewer} has no decision on this set."
    else:
        S["sets.flash"] = f"Undone: {DECISION_LABELS[undone.decision]} by {undone.reviewer}."


def _new_set(repo) -> None:
    docs = _documents(repo)

    def label(doc_id: str) -> str:
        d = docs[doc_id]
        return f"{getattr(d, 'title', '') or doc_id} · {getattr(d, 'lang', '?')} · {doc_id}"

    with st.expander("New set comparison", icon=":material/add:", expanded=not _set_runs(repo)):
        chosen = st.multiselect(
            f"Documents ({MIN_DOCS} or more, in column order)",
            list(docs),
            format_func=label,
            key="sets.docs",
        )
        encoder_name = st.selectbox("Encoder", resources.encoder_choices(), key="sets.encoder")
        if st.button(
            "Compare the set",
            type="primary",
            icon=":material/play_arrow:",
            disabled=len(chosen) < MIN_DOCS,
            key="sets.run",
        ):
            _run_set(repo, chosen, encoder_name)
            st.rerun()
        if len(chosen) < MIN_DOCS:
            st.caption(f"Pick at least {MIN_DOCS} documents (two make a pair: use Compare).")


def _set_runs(repo) -> dict[int, str]:
    return {
        r.id: f"#{r.id} · {r.title} · {r.n_conflicts} conflicts of {r.n_findings} facts"
        for r in repo.list_runs()
        if r.kind == "set"
    }


def _past_runs(repo) -> None:
    runs = [r for r in repo.list_runs() if r.kind == "set"]
    with st.expander(f"Past set runs ({len(runs)})", icon=":material/history:"):
        st.dataframe(
            {
                "run": [r.id for r in runs],
                "created (UTC)": [r.created[:19].replace("T", " ") for r in runs],
                "documents": [" · ".join(r.document_ids) for r in runs],
                "facts": [r.n_findings for r in runs],
                "conflicts": [r.n_conflicts for r in runs],
                "encoder": [r.encoder for r in runs],
            },
            hide_index=True,
            key="sets.past",
        )


def _filters() -> SetFilter:
    c1, c2, c3 = st.columns([3, 3, 2])
    kinds = c1.multiselect("Kind", SET_KINDS, default=list(SET_KINDS), key="sets.kinds")
    statuses = c2.multiselect(
        "Status", SET_STATUSES, default=list(SET_STATUSES), key="sets.statuses"
    )
    conflicts = c3.toggle("Conflicts only", key="sets.conflicts_only")
    return SetFilter(tuple(kinds), tuple(statuses), bool(conflicts))


def render() -> None:
    st.title("Sets")
    repo = resources.repository()
    if "sets.error" in S:
        st.error(S.pop("sets.error"))
    if "sets.flash" in S:
        st.success(S.pop("sets.flash"), icon=":material/task_alt:")
    _new_set(repo)
    runs = _set_runs(repo)
    if not runs:
        st.info(f"No set is stored yet: pick {MIN_DOCS} or more documents above and compare them.")
        st.stop()
    if S.get("sets.run_id") not in runs:
        S["sets.run_id"] = max(runs)
    run_id = st.selectbox("Set run", list(runs), format_func=runs.__getitem__, key="sets.run_id")
    _past_runs(repo)
    result = resources.set_comparison(run_id)
    stored = _stored_findings(repo, run_id)
    reviewer = S.get("app.reviewer", "").strip()
    n = len(result.documents)
    st.caption(
        " · ".join(source_label(result, i) for i in range(n)) + f" · encoder {result.encoder}"
    )

    with st.expander("Filter the matrix", icon=":material/filter_list:"):
        flt = _filters()
    rows = group_rows(result, flt)
    decisions = decisions_by_index(stored)
    st.markdown(
        f"**Claim matrix** · {len(rows)} of {len(result.groups)} groups · "
        f"{sum(f.status == 'conflict' for f in result.findings)} conflicts · "
        f"{len(decisions)} of {len(result.findings)} facts decided"
    )
    st.markdown(MATRIX_CSS, unsafe_allow_html=True)
    st.markdown(
        f'<div class="tby-matrix">{matrix_html(result, rows, decisions)}</div>',
        unsafe_allow_html=True,
    )
    if not rows:
        st.info("No group matches these filters. Widen them under “Filter the matrix”.")
        st.stop()

    c1, c2 = st.columns([3, 2])
    group = c1.selectbox(
        "Open group", rows, format_func=lambda g: group_label(result, g), key="sets.group"
    )
    members = list(result.groups[group].docs)
    focus = c2.selectbox(
        "Source (cell)",
        members,
        format_func=lambda d: source_label(result, d),
        key=f"sets.focus.{group}",
    )
    st.markdown(members_html(result, group, focus=focus), unsafe_allow_html=True)

    facts = [s for s in stored if s.finding.group == group]
    if not facts:
        st.info("This group states no date, number or place: nothing to decide.")
    if facts and not reviewer:
        st.warning(
            "Type your name under **Your name (reviewer)** in the sidebar to record decisions.",
            icon=":material/badge:",
        )
    if facts and reviewer:
        st.text_input("Note (optional, saved with the next decision)", key="sets.note")
    for s in facts:
        with st.container(border=True):
            st.markdown(finding_html(result, s.finding), unsafe_allow_html=True)
            st.caption(f"{finding_label(s.finding)} · decisions: {latest_text(s.latest)}")
            if not reviewer:
                continue
            mine = s.latest.get(reviewer)
            chosen = mine.decision if mine is not None else None
            cols = st.columns(len(DECISIONS))
            for col, decision in zip(cols, DECISIONS, strict=True):
                col.button(
                    DECISION_LABELS[decision].capitalize(),
                    icon=DECISION_ICONS[decision],
                    type="primary" if chosen == decision else "secondary",
                    on_click=_decide,
                    args=(repo, s.id, s.index, reviewer, decision),
                    key=f"sets.decide.{s.index}.{decision}",
                    width="stretch",
                )
    if reviewer:
        st.button(
            "Undo my last decision on this set",
            icon=":material/undo:",
            on_click=_undo,
            args=(repo, run_id, reviewer),
            key="sets.undo",
        )

    st.divider()
    fmt = st.selectbox("Report format", SET_FORMATS, key="sets.fmt")
    data = export_set(result, fmt, reviews=stored)
    st.download_button(
        f"Download the set report ({fmt.upper()}, {len(data):,} bytes, decisions included)",
        data=data,
        file_name=f"tabayyun-set-{run_id}.{fmt}",
        mime=MIME[fmt],
        icon=":material/download:",
        key="sets.download",
    )


render()

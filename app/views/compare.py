"""Compare: two stored documents, a mode and an encoder in; a stored run out.

The pipeline reports its stages to a progress bar. The run is stored, becomes the current
run of the app, and the list of past runs is shown below. Session-state keys start with
"compare.".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import resources
from app.bootstrap import DEMO_LEFT, DEMO_RIGHT, store_comparison
from nlp.errors import TabayyunError

S = st.session_state
MODES = ("auto", "translation", "independent")
MODE_HELP = (
    "auto: decide from the alignment whether one text translates the other. "
    "translation: expect nearly every sentence to have a counterpart (omissions matter). "
    "independent: two reports of one event; only shared facts are compared."
)


def _default(ids: list[str], wanted: str, fallback: int) -> int:
    return ids.index(wanted) if wanted in ids else min(fallback, len(ids) - 1)


def render() -> None:
    st.title("Compare")
    if "compare.flash" in S:
        st.success(S.pop("compare.flash"), icon=":material/task_alt:")
        st.page_link("views/review.py", label="Review the findings", icon=":material/rule:")
    repo = resources.repository()
    docs = {d.id: d for d in repo.list_documents()}
    if len(docs) < 2:
        st.info("Store at least two documents on the Sources page first.")
        st.page_link("views/sources.py", label="Go to Sources", icon=":material/description:")
        st.stop()
    ids = list(docs)

    def label(doc_id: str) -> str:
        d = docs[doc_id]
        return f"{d.title or d.id} · {d.lang} · {d.id}"

    c1, c2 = st.columns(2)
    left = c1.selectbox(
        "Left document", ids, index=_default(ids, DEMO_LEFT, 0), format_func=label,
        key="compare.left",
    )
    right = c2.selectbox(
        "Right document", ids, index=_default(ids, DEMO_RIGHT, 1), format_func=label,
        key="compare.right",
    )
    c3, c4 = st.columns(2)
    mode = c3.radio("Mode", MODES, horizontal=True, key="compare.mode", help=MODE_HELP)
    encoder_name = c4.selectbox("Encoder", resources.encoder_choices(), key="compare.encoder")
    if left == right:
        st.warning("Pick two different documents.")
    if st.button("Compare", type="primary", disabled=left == right, key="compare.run"):
        bar = st.progress(0.0, text="Starting…")

        def progress(stage: str, fraction: float) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{stage}…")

        try:
            encoder = resources.get_encoder(encoder_name)
            run_id = store_comparison(
                repo, docs[left], docs[right], encoder, mode=mode, progress=progress
            )
        except TabayyunError as exc:
            bar.empty()
            st.error(str(exc))
        else:
            info = next(r for r in repo.list_runs() if r.id == run_id)
            S["app.select_run"] = run_id
            S["compare.flash"] = (
                f"Run #{run_id} stored: {info.n_findings} findings, "
                f"{info.n_conflicts} conflicts."
            )
            st.rerun()

    st.subheader("Past runs")
    runs = repo.list_runs()
    if not runs:
        st.caption("No run stored yet.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "run": [r.id for r in runs],
                "created (UTC)": [r.created[:19].replace("T", " ") for r in runs],
                "title": [r.title for r in runs],
                "documents": [" ↔ ".join(r.document_ids) for r in runs],
                "mode": [r.mode for r in runs],
                "encoder": [r.encoder for r in runs],
                "findings": [r.n_findings for r in runs],
                "conflicts": [r.n_conflicts for r in runs],
            }
        ),
        hide_index=True,
    )


render()

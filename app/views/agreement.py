"""Agreement: Cohen's kappa of two reviewers on one run, and their disagreements.

Session-state keys start with "agreement.".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import agreement, resources, ui
from corpus.repository import DECISION_LABELS

S = st.session_state


def render() -> None:
    st.title("Agreement")
    run_id = S.get("app.run_id")
    if run_id is None:
        st.info("No comparison is stored yet: run one on the Compare page.")
        st.stop()
    findings = resources.repository().findings(run_id)
    names = agreement.reviewers(findings)
    if len(names) < 2:
        have = ", ".join(names) if names else "nobody"
        st.info(
            "Agreement needs two reviewers who decided the same findings of this run "
            f"(so far: {have}). Ask a colleague to review it under their own name."
        )
        st.stop()
    c1, c2 = st.columns(2)
    a = c1.selectbox("Reviewer A", names, index=0, key="agreement.a")
    others = [n for n in names if n != a]
    b = c2.selectbox("Reviewer B", others, index=0, key="agreement.b")
    result = agreement.kappa_for(findings, a, b)

    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Cohen's κ", "undefined" if result.kappa is None else f"{result.kappa:.3f}")
    m2.metric("Observed agreement", f"{result.observed:.0%}")
    m3.metric("Agreement by chance", f"{result.expected:.0%}")
    m4.metric("Decided by both", result.n)
    st.caption(f"Reading: {result.interpretation} (Landis & Koch bands).")
    if result.n == 0:
        st.stop()

    labels = [DECISION_LABELS.get(c, c) for c in result.categories]
    st.markdown(f"**Confusion matrix** (rows: {a}, columns: {b})")
    st.dataframe(pd.DataFrame(result.matrix, index=labels, columns=labels))

    rows = agreement.disagreements(findings, a, b)
    st.subheader(f"Disagreements to adjudicate ({len(rows)})")
    if not rows:
        st.success("The two reviewers decided every shared finding alike.")
        return
    by_id = {f.id: f for f in findings}
    st.dataframe(
        pd.DataFrame(
            {
                "#": [r.index for r in rows],
                "kind": [by_id[r.finding_id].finding.kind for r in rows],
                "status": [by_id[r.finding_id].finding.status for r in rows],
                "reason": [by_id[r.finding_id].finding.reason for r in rows],
                a: [DECISION_LABELS[r.decision_a] for r in rows],
                b: [DECISION_LABELS[r.decision_b] for r in rows],
                f"note {a}": [r.note_a for r in rows],
                f"note {b}": [r.note_b for r in rows],
            }
        ),
        hide_index=True,
    )
    pick = st.selectbox(
        "Look at one",
        [r.finding_id for r in rows],
        format_func=lambda i: f"#{by_id[i].index} · {by_id[i].finding.reason[:90]}",
        key="agreement.pick",
    )
    comparison = resources.comparison(run_id)
    f = by_id[pick].finding
    left_title = comparison.left.title or comparison.left.id
    right_title = comparison.right.title or comparison.right.id
    st.markdown(ui.finding_header_html(f, left_title, right_title), unsafe_allow_html=True)
    st.markdown(ui.pair_html(comparison, f), unsafe_allow_html=True)


render()

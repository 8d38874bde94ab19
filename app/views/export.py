"""Export: the current run with its reviews as Markdown, HTML, CSV, JSON or TMX.

The bytes come from `app.export.export_comparison`; this page only offers the download and
a preview of text formats. Session-state keys start with "export.".
"""

from __future__ import annotations

import streamlit as st

from app import resources

S = st.session_state
PREVIEW_CHARS = 4000


def render() -> None:
    from app.export import EXPORT_FORMATS, export_comparison

    st.title("Export")
    run_id = S.get("app.run_id")
    if run_id is None:
        st.info("No comparison is stored yet: run one on the Compare page.")
        st.stop()
    repo = resources.repository()
    run = next(r for r in repo.list_runs() if r.id == run_id)
    fmt = st.selectbox(
        "Format",
        list(EXPORT_FORMATS),
        format_func=lambda key: EXPORT_FORMATS[key].label,
        key="export.fmt",
    )
    spec = EXPORT_FORMATS[fmt]
    data = export_comparison(
        resources.comparison(run_id), repo.findings(run_id), repo.reviews(run_id), fmt, run=run
    )
    st.download_button(
        f"Download {fmt.upper()} ({len(data):,} bytes)",
        data=data,
        file_name=f"tabayyun-run-{run_id}.{spec.extension}",
        mime=spec.media_type,
        type="primary",
        icon=":material/download:",
        key="export.download",
    )
    st.caption(f"Run #{run.id}: {run.title} · {run.n_findings} findings · reviews included.")
    text = data.decode("utf-8", errors="replace")
    more = "" if len(text) <= PREVIEW_CHARS else f" (first {PREVIEW_CHARS:,} characters)"
    st.markdown(f"**Preview**{more}")
    st.code(text[:PREVIEW_CHARS], language={"md": "markdown", "tmx": "xml"}.get(fmt, fmt))


render()

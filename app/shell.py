"""The frame of the review app (`app/streamlit_app.py` calls `main`).

The frame sets the page up, opens the repository, makes sure the demo comparison is
stored (first start only), offers the run and the reviewer name in the sidebar, and hands
over to the page the user picked (`st.navigation`). Any `TabayyunError` (a locked database,
a missing model, unreadable input) becomes an `st.error` with the message that says what to
do next, followed by `st.stop()`: never a traceback.

Session-state keys of this script start with "app."; each page uses its own prefix.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from app import resources, ui
from nlp.errors import TabayyunError

log = logging.getLogger("tabayyun.app")

# The pages live in app/views/, not app/pages/: Streamlit 1.67 treats a `pages/` folder next
# to the main script as an old-style multipage app on a session's first run (and on every
# AppTest run), executing page files without this frame and showing "Page not found".
VIEWS = Path(__file__).parent / "views"

PAGES = {
    "sources": ("sources.py", "Sources", ":material/description:"),
    "compare": ("compare.py", "Compare", ":material/compare_arrows:"),
    "review": ("review.py", "Review", ":material/rule:"),
    "sets": ("sets.py", "Sets", ":material/table_view:"),
    "agreement": ("agreement.py", "Agreement", ":material/groups:"),
    "export": ("export.py", "Export", ":material/download:"),
}


def _pages() -> list[st.Page]:
    return [
        st.Page(str(VIEWS / path), title=title, icon=icon, url_path=slug, default=slug == "review")
        for slug, (path, title, icon) in PAGES.items()
    ]


def _pick_run(runs: list, demo_id: int | None) -> None:
    """Set "app.run_id" (behind guards) before the run selector is drawn."""
    state = st.session_state
    ids = [r.id for r in runs]
    if "app.select_run" in state:  # a page asked for a run (e.g. Compare after a new run)
        wanted = state.pop("app.select_run")
        if wanted in ids:
            state["app.run_id"] = wanted
    if state.get("app.run_id") in ids:
        return
    asked = st.query_params.get("run")
    if asked is not None and asked.isdigit() and int(asked) in ids:
        state["app.run_id"] = int(asked)
    elif demo_id in ids:
        state["app.run_id"] = demo_id
    elif ids:
        state["app.run_id"] = max(ids)
    else:
        state.pop("app.run_id", None)


def _sidebar(runs: list) -> None:
    titles = {r.id: f"#{r.id} · {r.title} · {r.n_findings} findings" for r in runs}
    with st.sidebar:
        st.markdown("**Tabayyun · تبيّن**")
        st.caption("Arabic and English accounts of one event, claim by claim.")
        if runs:
            st.selectbox(
                "Comparison run",
                options=list(titles),
                format_func=titles.__getitem__,
                key="app.run_id",
                help="The stored pair the Review, Agreement and Export pages work on "
                "(sets of three or more documents are on the Sets page).",
            )
        st.text_input(
            "Your name (reviewer)",
            key="app.reviewer",
            placeholder="e.g. Layla H.",
            help="Every decision is stored under this name; two names make an agreement.",
        )


def main() -> None:
    """The app frame: set-up, sidebar, then the page chosen by `st.navigation`."""
    st.set_page_config(
        page_title="Tabayyun · review", page_icon=":material/balance:", layout="wide"
    )
    st.markdown(ui.CSS, unsafe_allow_html=True)
    navigation = st.navigation(_pages())
    try:
        repo = resources.repository()
        demo_id = None
        if resources.demo_enabled():
            demo_id = resources.demo_run(resources.db_url(), resources.encoder_name())
        runs = [r for r in repo.list_runs() if r.kind == "pair"]  # sets: on the Sets page
        _pick_run(runs, demo_id)
        _sidebar(runs)
        navigation.run()
    except TabayyunError as exc:
        log.warning("app stopped on %s: %s", type(exc).__name__, exc)
        st.error(str(exc))
        st.stop()

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
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from app import resources, ui
from nlp.errors import TabayyunError

log = logging.getLogger("tabayyun.app")

HERE = Path(__file__).parent  # app/: page paths are absolute, relative to it
PAGES = {
    "sources": ("pages/sources.py", "Sources", ":material/description:"),
    "compare": ("pages/compare.py", "Compare", ":material/compare_arrows:"),
    "review": ("pages/review.py", "Review", ":material/rule:"),
    "agreement": ("pages/agreement.py", "Agreement", ":material/groups:"),
    "export": ("pages/export.py", "Export", ":material/download:"),
}


def _pages() -> list[st.Page]:
    return [
        st.Page(str(HERE / path), title=title, icon=icon, url_path=slug, default=slug == "review")
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
                help="The stored comparison the Review, Agreement and Export pages work on.",
            )
        st.text_input(
            "Your name (reviewer)",
            key="app.reviewer",
            placeholder="e.g. Layla H.",
            help="Every decision is stored under this name; two names make an agreement.",
        )


_FRAME = threading.local()


def in_frame() -> bool:
    """Whether the app frame (sidebar, repository, navigation) is running in this thread."""
    return bool(getattr(_FRAME, "active", False))


def page_entry(render: Callable[[], None]) -> None:
    """Run a page: its `render` inside the app frame, or the whole frame first.

    Streamlit still treats a `pages/` folder next to the main script as a multipage app of
    the old kind on a session's first run (and on every `AppTest` run): it may execute a
    page file directly, without this main script. Each page file therefore ends with
    `page_entry(render)`: inside the frame it renders the page; outside, it runs the frame,
    whose `st.navigation` picks the same page (its `url_path` is the file name) and renders
    it once, with the sidebar, the repository and the run selection in place.
    """
    if in_frame():
        render()
    else:
        main()


def main() -> None:
    """The app frame: set-up, sidebar, then the page chosen by `st.navigation`."""
    if in_frame():
        return
    _FRAME.active = True
    try:
        _frame()
    finally:
        _FRAME.active = False


def _frame() -> None:
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
        runs = repo.list_runs()
        _pick_run(runs, demo_id)
        _sidebar(runs)
        navigation.run()
    except TabayyunError as exc:
        log.warning("app stopped on %s: %s", type(exc).__name__, exc)
        st.error(str(exc))
        st.stop()

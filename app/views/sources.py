"""Sources: the demo corpus, an uploaded file or pasted text, stored with its provenance.

The language is detected and shown, and the user can change it. Title, source URL and
publication date are stored with the document. A reader error is shown with `st.error` and
every field keeps its value, so nothing typed is lost. Session-state keys start with
"sources.".
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from app import resources
from nlp.errors import TabayyunError
from nlp.records import LANGS

S = st.session_state
LANG_NAMES = {"ar": "Arabic (ar)", "en": "English (en)"}


def _provenance(prefix: str, detected: str, default_title: str) -> dict:
    """Language (detected, editable), title, source URL and publication date widgets."""
    c1, c2 = st.columns([1, 3])
    lang = c1.selectbox(
        "Language",
        LANGS,
        index=LANGS.index(detected) if detected in LANGS else 0,
        format_func=LANG_NAMES.__getitem__,
        key=f"{prefix}.lang",
        help=f"Detected: {LANG_NAMES.get(detected, detected)}. Change it if that is wrong.",
    )
    title = c2.text_input("Title", value=default_title, key=f"{prefix}.title")
    c3, c4 = st.columns([3, 1])
    source = c3.text_input("Source URL", key=f"{prefix}.source", placeholder="https://…")
    published = c4.date_input(
        "Published", value=None, key=f"{prefix}.published", min_value=dt.date(1900, 1, 1)
    )
    return {
        "lang": lang,
        "title": title.strip(),
        "source": source.strip(),
        "published": published.isoformat() if published else None,
    }


def _store(data: bytes, name: str, meta: dict) -> None:
    """Read the bytes with the chosen provenance and store the document."""
    from corpus.readers import read_bytes

    try:
        doc = read_bytes(data, name, **meta)
        stored = resources.repository().add_document(doc)
    except TabayyunError as exc:
        st.error(str(exc))
        return
    S["sources.flash"] = f"Stored “{stored.title or stored.id}” ({stored.lang}, id {stored.id})."
    st.rerun()


def _demo_tab() -> None:
    from corpus.demo import list_demo, load_demo

    entries = list_demo()
    docs = [load_demo(e.id) for e in entries]
    st.dataframe(
        pd.DataFrame(
            {
                "id": [d.id for d in docs],
                "lang": [d.lang for d in docs],
                "title": [d.title for d in docs],
                "published": [d.published or "" for d in docs],
                "source": [d.source for d in docs],
                "licence": [d.licence for d in docs],
            }
        ),
        hide_index=True,
    )
    stored = {d.id for d in resources.repository().list_documents()}
    missing = [d for d in docs if d.id not in stored]
    if not missing:
        st.caption("All demo documents are in the store.")
        return
    if st.button(f"Add {len(missing)} demo document(s) to the store", key="sources.demo.add"):
        for doc in missing:
            resources.repository().add_document(doc)
        S["sources.flash"] = f"Added {len(missing)} demo document(s)."
        st.rerun()


def _upload_tab() -> None:
    upload = st.file_uploader(
        "A text, Markdown or HTML file", type=["txt", "md", "html", "htm"], key="sources.upload"
    )
    if upload is None:
        return
    from corpus.readers import read_bytes

    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:12]
    try:
        preview = read_bytes(data, upload.name)
    except TabayyunError as exc:
        st.error(str(exc))
        return
    st.caption(f"{len(preview.text):,} characters read; detected language {preview.lang}.")
    meta = _provenance(f"sources.upload.{digest}", preview.lang, preview.title or upload.name)
    if st.button("Store this document", type="primary", key=f"sources.upload.{digest}.save"):
        _store(data, upload.name, meta)


def _paste_tab() -> None:
    text = st.text_area("Paste the text", height=200, key="sources.paste.text")
    if not text.strip():
        return
    from corpus.readers import detect_lang

    try:
        detected = detect_lang(text)
    except TabayyunError as exc:
        st.error(str(exc))
        detected = "en"
    meta = _provenance("sources.paste", detected, "")
    if st.button("Store this text", type="primary", key="sources.paste.save"):
        _store(text.encode("utf-8"), "pasted.txt", meta)


def render() -> None:
    st.title("Sources")
    if "sources.flash" in S:
        st.success(S.pop("sources.flash"), icon=":material/task_alt:")
    demo, upload, paste = st.tabs(["Demo corpus", "Upload a file", "Paste text"])
    with demo:
        _demo_tab()
    with upload:
        _upload_tab()
    with paste:
        _paste_tab()
    st.subheader("Documents in the store")
    docs = resources.repository().list_documents()
    if not docs:
        st.info("No document stored yet.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "id": [d.id for d in docs],
                "lang": [d.lang for d in docs],
                "title": [d.title for d in docs],
                "source": [d.source for d in docs],
                "published": [d.published or "" for d in docs],
                "characters": [len(d.text) for d in docs],
            }
        ),
        hide_index=True,
    )


render()

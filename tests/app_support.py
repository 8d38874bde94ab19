"""Test helpers for the app tests: a small comparison built by hand from seed sentences."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from nlp.records import Alignment, Comparison, Document, Evidence, Finding, Sentence

AR_1 = "في 17 أكتوبر، أمن الجيش السوري محيطا يحيط النصف مدار من قبل داعش في المدينة."
AR_2 = "في 3 نوفمبر، سيطر الجيش السوري تماماً على المدينة."
AR_3 = (
    "<script>window.__pwned=1</script> بيان "
    "<img src=x onerror=\"window.__pwned=1\"> في 4 نوفمبر."
)
EN_1 = (
    "On 17 October, the Syrian Army secured a perimeter surrounding the ISIL-controlled "
    "half of the city."
)
EN_2 = "On 3 November, the Syrian Army took complete control of the city."


def _doc(doc_id: str, lang: str, parts: list[str], title: str) -> tuple[Document, list[Sentence]]:
    text = " ".join(parts)
    sentences, pos = [], 0
    for i, p in enumerate(parts):
        start = text.index(p, pos)
        sentences.append(Sentence(doc_id, i, p, start, start + len(p)))
        pos = start + len(p)
    return Document(doc_id, text, lang, title=title), sentences  # type: ignore[arg-type]


def _ev(doc: Document, surface: str, value: object) -> Evidence:
    start = doc.text.index(surface)
    return Evidence(text=surface, value=value, start=start, end=start + len(surface))


def hand_comparison() -> Comparison:
    """A small ar/en comparison built by hand from seed sentences, with an injected payload."""
    ar, ar_s = _doc("ar-x", "ar", [AR_1, AR_2, AR_3], "دير الزور <b>")
    en, en_s = _doc("en-x", "en", [EN_1, EN_2], "Deir ez-Zor")
    alignments = (
        Alignment((0,), (0,), 0.9),
        Alignment((1,), (1,), 0.9),
        Alignment((2,), (), 0.0),
    )
    findings = (
        Finding(0, "date", "agree", _ev(ar, "17 أكتوبر", "2017-10-17"),
                _ev(en, "17 October", "2017-10-17"), "same day", 0.95, "date.same_day"),
        Finding(1, "date", "conflict", _ev(ar, "3 نوفمبر", "2017-11-03"),
                _ev(en, "3 November", "2017-11-04"), "dates differ by 1 day", 0.9, "date.differ"),
        Finding(2, "omission", "left_only", Evidence(AR_3, None, ar_s[2].start, ar_s[2].end),
                None, "sentence has no counterpart", 0.6, "omission"),
        Finding(2, "date", "left_only", _ev(ar, "4 نوفمبر", "2017-11-04"), None,
                "date only on the left", 0.7, "date.one_side"),
    )
    return Comparison(ar, en, "translation", "test", tuple(ar_s), tuple(en_s), alignments,
                      findings, "hashing")


INJECTED_AR = (
    "في 17 أكتوبر، أمن الجيش السوري محيطا يحيط النصف مدار من قبل داعش في المدينة. "
    "في 3 نوفمبر، سيطر الجيش السوري تماماً على المدينة. "
    "<script>window.__pwned=1;document.title='pwned'</script> "
    "<img src=x onerror=\"window.__pwned=1\"> وفي 5 نوفمبر قُتل 40 مقاتلاً في دير الزور."
)
INJECTED_EN = (
    "On 17 October, the Syrian Army secured a perimeter surrounding the ISIL-controlled "
    "half of the city. On 4 November, the Syrian Army took complete control of the city."
)


def injected_documents() -> tuple[Document, Document]:
    """An Arabic report carrying a `<script>` and an `<img onerror>`, and an English one."""
    left = Document(
        "ar-injected", INJECTED_AR, "ar", title="تقرير <b>مُدخَل</b>", source="test"
    )
    right = Document("en-injected", INJECTED_EN, "en", title="English report", source="test")
    return left, right


def store_injected_run(repo, encoder) -> int:
    """Store the injected documents and their comparison (real pipeline); returns the run id."""
    from app.bootstrap import store_comparison

    left, right = injected_documents()
    repo.add_document(left)
    repo.add_document(right)
    return store_comparison(repo, left, right, encoder, mode="translation")


def spy_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[bytes, str, str | None]]:
    """Record every file the app hands to a download button: file id -> (bytes, mime, name)."""
    seen: dict[str, tuple[bytes, str, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None
            ) -> str:
        file_id = original(self, path_or_data, mimetype, kind, filename)
        seen[file_id] = (bytes(path_or_data), mimetype, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen

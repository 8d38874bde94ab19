"""Every page of the review app under `streamlit.testing.v1.AppTest`.

Real modules throughout: the SQLite store (a temporary file per test), the demo corpus,
the pipeline and the readers; the only stand-in is the deterministic hashing encoder
(`TABAYYUN_ENCODER=hashing`), so no model weights are loaded.
"""

from __future__ import annotations

import functools
import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.bootstrap import DEMO_LEFT, DEMO_RIGHT, ensure_demo_run
from corpus.store import open_repository
from models.fake import HashingEncoder
from tests.app_support import INJECTED_AR, hand_comparison, store_injected_run

APP = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")
TIMEOUT = 60


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """A database holding the demo documents and the demo run, made once per module."""
    path = tmp_path_factory.mktemp("template") / "app.sqlite3"
    repo = open_repository(f"sqlite:///{path}")
    ensure_demo_run(repo, HashingEncoder())
    repo.close()
    return path


@pytest.fixture
def db_url(template_db, tmp_path, monkeypatch) -> str:
    """A private copy of the template database, configured for the app."""
    path = tmp_path / "app.sqlite3"
    shutil.copy(template_db, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("TABAYYUN_DB_URL", url)
    monkeypatch.setenv("TABAYYUN_ENCODER", "hashing")
    monkeypatch.setenv("TABAYYUN_DEMO", "1")
    return url


@pytest.fixture
def repo(db_url):
    r = open_repository(db_url)
    yield r
    r.close()


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _html(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _named(at: AppTest, name: str) -> AppTest:
    at.sidebar.text_input(key="app.reviewer").input(name).run()
    assert not at.exception
    return at


# --------------------------------------------------------------------------- first start


def test_first_start_stores_demo_and_opens_review(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    monkeypatch.setenv("TABAYYUN_DB_URL", url)
    monkeypatch.setenv("TABAYYUN_ENCODER", "hashing")
    monkeypatch.delenv("TABAYYUN_DEMO", raising=False)
    at = _app().run()
    assert not at.exception
    repo = open_repository(url)
    runs = repo.list_runs()
    assert [r.document_ids for r in runs] == [(DEMO_LEFT, DEMO_RIGHT)]
    assert {d.id for d in repo.list_documents()} >= {DEMO_LEFT, DEMO_RIGHT}
    assert at.subheader[0].value.startswith("Review · ")
    assert at.session_state["app.run_id"] == runs[0].id
    html = _html(at)
    assert 'dir="rtl" lang="ar"' in html and 'dir="ltr" lang="en"' in html
    assert "Finding 1 of" in html
    at.run()  # a rerun finds the stored run and computes nothing
    assert len(repo.list_runs()) == 1
    repo.close()


def test_review_shows_queue_but_no_decisions_until_named(db_url):
    at = _app().run()
    assert not at.exception
    assert any("Your name (reviewer)" in w.value for w in at.warning)
    labels = [b.label for b in at.button]
    assert "Next" in labels and "Confirmed discrepancy" not in labels


def test_queue_starts_with_highest_priority_finding(db_url, repo):
    at = _app().run()
    run_id = at.session_state["app.run_id"]
    from app.review_queue import QueueFilter, build_queue

    first = build_queue(repo.findings(run_id), QueueFilter(), "")[0]
    assert at.session_state["review.queue_ids"][0] == first.id
    assert first.finding.reason.split()[0] in _html(at)


# --------------------------------------------------------------------------- deciding


def test_decision_is_saved_then_shown_and_queue_moves_on(db_url, repo):
    at = _named(_app().run(), "Layla")
    run_id = at.session_state["app.run_id"]
    queue = at.session_state["review.queue_ids"]
    at.text_input(key="review.note").input("Arabic says 5 September").run()
    at.button(key="review.decide.confirmed").click().run()
    assert not at.exception
    reviews = repo.reviews(run_id)
    assert [(r.finding_id, r.reviewer, r.decision, r.note) for r in reviews] == [
        (queue[0], "Layla", "confirmed", "Arabic says 5 September")
    ]
    assert at.success[0].value.startswith("Saved: confirmed discrepancy")
    assert at.session_state["review.current"] == queue[1]
    assert at.text_input(key="review.note").value == ""


def test_undo_restores_previous_state(db_url, repo):
    at = _named(_app().run(), "Layla")
    run_id = at.session_state["app.run_id"]
    first = at.session_state["review.queue_ids"][0]
    at.button(key="review.decide.agree").click().run()
    at.button(key="review.undo").click().run()
    assert not at.exception
    assert repo.reviews(run_id) == []
    assert at.success[0].value.startswith("Undone: agree")
    assert at.session_state["review.current"] == first
    at.button(key="review.undo").click().run()
    assert "Nothing to undo" in at.success[0].value


def test_next_and_previous_walk_the_queue(db_url):
    at = _named(_app().run(), "Omar")
    queue = at.session_state["review.queue_ids"]
    at.button(key="review.next").click().run()
    assert at.session_state["review.current"] == queue[1]
    assert "Finding 2 of" in _html(at)
    at.button(key="review.prev").click().run()
    assert at.session_state["review.current"] == queue[0]
    assert at.button(key="review.prev").disabled


def test_decision_filter_hides_decided_findings(db_url):
    at = _named(_app().run(), "Layla")
    total = len(at.session_state["review.queue_ids"])
    at.button(key="review.decide.false_alarm").click().run()
    at.selectbox(key="review.decision").set_value("undecided").run()
    assert len(at.session_state["review.queue_ids"]) == total - 1
    at.selectbox(key="review.decision").set_value("false_alarm").run()
    assert len(at.session_state["review.queue_ids"]) == 1


def test_kind_filter(db_url, repo):
    # a run with date and omission findings (the fake encoder aligns nothing across
    # languages, so the demo run holds omissions only)
    run_id = repo.save_comparison(hand_comparison(), title="kinds")
    at = _app().run()
    at.sidebar.selectbox(key="app.run_id").set_value(run_id).run()
    at.multiselect(key="review.kinds").set_value(["date"]).run()
    assert not at.exception
    ids = set(at.session_state["review.queue_ids"])
    kinds = {s.finding.kind for s in repo.findings(at.session_state["app.run_id"]) if s.id in ids}
    assert kinds == {"date"}


def test_injected_markup_is_escaped_on_the_review_page(db_url, repo):
    run_id = store_injected_run(repo, HashingEncoder())
    comparison = repo.load_comparison(run_id)
    at = _app().run()
    at.sidebar.selectbox(key="app.run_id").set_value(run_id).run()
    for stored in repo.findings(run_id):
        at.session_state["review.current"] = stored.id
        at.run()
        assert not at.exception
        html = _html(at)
        assert "<script" not in html and "<img" not in html
        alignment = comparison.alignments[stored.finding.alignment]
        if any("<script>" in comparison.left_sentences[i].text for i in alignment.left):
            assert "&lt;script&gt;window.__pwned=1" in html
            assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in html
    assert "<script>" in INJECTED_AR


# --------------------------------------------------------------------------- sources


def test_sources_lists_demo_corpus_and_store(db_url):
    at = _app()
    at.run()
    at.switch_page("views/sources.py").run()
    assert not at.exception
    assert at.title[0].value == "Sources"
    demo = at.dataframe[0].value
    assert set(demo["id"]) >= {"en-wiki", "ar-wiki", "ar-news-nov", "ar-news-sep"}


def test_sources_paste_detects_language_and_keeps_provenance(db_url, repo):
    text = "أعلن الجيش السوري في 3 نوفمبر 2017 سيطرته الكاملة على مدينة دير الزور."
    at = _app().run()
    at.switch_page("views/sources.py").run()
    at.text_area(key="sources.paste.text").input(text).run()
    assert at.selectbox(key="sources.paste.lang").value == "ar"
    at.text_input(key="sources.paste.title").input("بيان الجيش").run()
    at.text_input(key="sources.paste.source").input("https://example.org/statement").run()
    at.date_input(key="sources.paste.published").set_value("2017-11-03").run()
    at.button(key="sources.paste.save").click().run()
    assert not at.exception
    assert at.success and at.success[0].value.startswith("Stored")
    doc = next(d for d in repo.list_documents() if d.title == "بيان الجيش")
    assert (doc.lang, doc.source, doc.published, doc.text) == (
        "ar", "https://example.org/statement", "2017-11-03", text
    )


def test_sources_language_override(db_url, repo):
    at = _app().run()
    at.switch_page("views/sources.py").run()
    at.text_area(key="sources.paste.text").input("On 3 November the army took the city.").run()
    assert at.selectbox(key="sources.paste.lang").value == "en"
    at.selectbox(key="sources.paste.lang").set_value("ar").run()
    at.button(key="sources.paste.save").click().run()
    assert any(d.text.startswith("On 3 November") and d.lang == "ar" for d in repo.list_documents())


def test_sources_upload_html_is_read_as_text(db_url, repo):
    page = (
        b"<html><head><title>t</title><script>alert(1)</script></head><body>"
        b"<p>On 17 October 2017 the Syrian Army secured the perimeter.</p></body></html>"
    )
    at = _app().run()
    at.switch_page("views/sources.py").run()
    at.file_uploader(key="sources.upload").upload("report.html", page, "text/html").run()
    assert not at.exception
    save = next(b for b in at.button if b.key and b.key.endswith(".save"))
    save.click().run()
    assert not at.exception
    doc = next(d for d in repo.list_documents() if d.source == "report.html")
    assert "17 October 2017" in doc.text and "alert(1)" not in doc.text
    assert doc.lang == "en" and doc.title == "t"  # the page's own <title>


def test_sources_reader_error_is_shown_and_text_kept(db_url):
    at = _app().run()
    at.switch_page("views/sources.py").run()
    at.file_uploader(key="sources.upload").upload("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200))
    at.run()
    assert not at.exception
    assert at.error, "a binary upload must be refused with a message"
    at.text_area(key="sources.paste.text").input("   ").run()
    assert at.text_area(key="sources.paste.text").value == "   "


# --------------------------------------------------------------------------- compare


def test_compare_runs_the_pipeline_and_selects_the_new_run(db_url, repo):
    before = {r.id for r in repo.list_runs()}
    at = _app().run()
    at.switch_page("views/compare.py").run()
    assert not at.exception
    at.selectbox(key="compare.left").set_value("ar-news-nov").run()
    at.selectbox(key="compare.right").set_value("en-wiki").run()
    at.radio(key="compare.mode").set_value("independent").run()
    at.button(key="compare.run").click().run()
    assert not at.exception
    new = [r for r in repo.list_runs() if r.id not in before]
    assert len(new) == 1 and new[0].document_ids == ("ar-news-nov", "en-wiki")
    assert new[0].mode == "independent"
    assert at.success[0].value.startswith(f"Run #{new[0].id} stored")
    assert at.session_state["app.run_id"] == new[0].id
    runs_table = at.dataframe[0].value
    assert new[0].id in set(runs_table["run"])


def test_compare_refuses_same_document_twice(db_url):
    at = _app().run()
    at.switch_page("views/compare.py").run()
    at.selectbox(key="compare.right").set_value(at.selectbox(key="compare.left").value).run()
    assert at.button(key="compare.run").disabled
    assert at.warning


# --------------------------------------------------------------------------- agreement, export


def test_agreement_explains_when_one_reviewer_only(db_url):
    at = _named(_app().run(), "Layla")
    at.button(key="review.decide.agree").click().run()
    at.switch_page("views/agreement.py").run()
    assert not at.exception
    assert "two reviewers" in at.info[0].value and "Layla" in at.info[0].value


def test_export_page_offers_every_format(db_url):
    from app.export import EXPORT_FORMATS

    at = _app().run()
    at.switch_page("views/export.py").run()
    for fmt in EXPORT_FORMATS:
        at.selectbox(key="export.fmt").set_value(fmt).run()
        assert not at.exception
        assert at.get("download_button")[0].proto.label.startswith(f"Download {fmt.upper()}")


# --------------------------------------------------------------------------- storage errors


def test_unreachable_database_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("TABAYYUN_DB_URL", f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}")
    monkeypatch.setenv("TABAYYUN_ENCODER", "hashing")
    at = _app().run()
    assert not at.exception
    assert "does not exist" in at.error[0].value


def test_locked_database_while_deciding_is_a_message(db_url, monkeypatch):
    import corpus.store

    monkeypatch.setattr(
        corpus.store,
        "open_repository",
        functools.partial(corpus.store.open_repository, busy_timeout=0.2),
    )
    at = _named(_app().run(), "Layla")
    path = db_url.removeprefix("sqlite:///")
    lock = sqlite3.connect(path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        at.button(key="review.decide.confirmed").click().run()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert not at.exception
    assert "locked" in at.error[0].value
    assert not at.success  # "saved" is never shown for a write that did not commit


# --------------------------------------------------------------------------- settings, bootstrap


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "use-multilingual-v3"), ("hashing", "hashing"), ("  ", "use-multilingual-v3")],
)
def test_encoder_name_from_environment(monkeypatch, value, expected):
    from app import resources

    if value is None:
        monkeypatch.delenv("TABAYYUN_ENCODER", raising=False)
    else:
        monkeypatch.setenv("TABAYYUN_ENCODER", value)
    assert resources.encoder_name() == expected
    assert resources.encoder_choices()[0] == expected
    assert "hashing" in resources.encoder_choices()


@pytest.mark.parametrize(
    ("value", "expected"), [(None, True), ("1", True), ("0", False), ("false", False)]
)
def test_demo_switch(monkeypatch, value, expected):
    from app import resources

    if value is None:
        monkeypatch.delenv("TABAYYUN_DEMO", raising=False)
    else:
        monkeypatch.setenv("TABAYYUN_DEMO", value)
    assert resources.demo_enabled() is expected


def test_ensure_demo_run_is_idempotent(repo):
    first = ensure_demo_run(repo, HashingEncoder())
    assert ensure_demo_run(repo, HashingEncoder()) == first
    assert [r.id for r in repo.list_runs()] == [first]
    assert len({d.id for d in repo.list_documents()}) == 4


def test_demo_disabled_with_empty_store_points_to_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("TABAYYUN_DB_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    monkeypatch.setenv("TABAYYUN_DEMO", "0")
    at = _app().run()
    assert not at.exception
    assert "No comparison is stored yet" in at.info[0].value

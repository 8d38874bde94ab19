"""The whole review flow, end to end, by clicking the app's own widgets (AppTest).

demo pair -> Compare -> Review -> two reviewers decide (two sessions) -> Agreement shows
Cohen's kappa and the disagreements -> Export offers files whose content we check.
Real store, demo corpus, pipeline and exporters; the hashing encoder stands in for weights.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from corpus.store import open_repository
from tests.app_support import spy_downloads

APP = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")

C, F, A, U = "confirmed", "false_alarm", "agree", "unsure"
LAYLA = [C, C, F, A, U, C]
OMAR = [C, F, F, A, A, C]
# pairs (C,C) (C,F) (F,F) (A,A) (U,A) (C,C): p_o = 4/6; Layla C3 F1 A1 U1, Omar C2 F2 A2;
# p_e = (3*2 + 1*2 + 1*2 + 1*0) / 36 = 10/36; kappa = (24 - 10) / (36 - 10) = 14/26.
KAPPA = 14 / 26


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[bytes, str, str | None]]:
    """Every file the app hands to a download button: file id -> (bytes, mime, name)."""
    return spy_downloads(monkeypatch)


def _session(name: str, run_id: int | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    if run_id is not None:
        at.sidebar.selectbox(key="app.run_id").set_value(run_id).run()
    at.sidebar.text_input(key="app.reviewer").input(name).run()
    assert not at.exception
    return at


def _decide_in_order(at: AppTest, decisions: list[str]) -> list[int]:
    """Decide the first findings of the queue with the decision buttons; returns their ids."""
    decided = []
    for decision in decisions:
        queue = at.session_state["review.queue_ids"]
        current = at.session_state["review.current"]
        current = current if current in queue else queue[0]
        at.button(key=f"review.decide.{decision}").click().run()
        assert not at.exception
        assert at.success[0].value.startswith("Saved:")
        decided.append(current)
    return decided


def test_review_flow_end_to_end(tmp_path, monkeypatch, downloads):
    url = f"sqlite:///{tmp_path / 'flow.sqlite3'}"
    monkeypatch.setenv("TABAYYUN_DB_URL", url)
    monkeypatch.setenv("TABAYYUN_ENCODER", "hashing")
    monkeypatch.setenv("TABAYYUN_DEMO", "1")

    # 1. first start: the demo pair is stored; compare it again in translation mode.
    layla = _session("Layla")
    layla.switch_page("views/compare.py").run()
    layla.selectbox(key="compare.left").set_value("ar-wiki").run()
    layla.selectbox(key="compare.right").set_value("en-wiki").run()
    layla.radio(key="compare.mode").set_value("translation").run()
    layla.button(key="compare.run").click().run()
    assert not layla.exception
    repo = open_repository(url)
    run = max(repo.list_runs(), key=lambda r: r.id)
    assert run.document_ids == ("ar-wiki", "en-wiki") and run.mode == "translation"
    assert layla.session_state["app.run_id"] == run.id
    assert run.n_findings >= len(LAYLA)

    # 2. Layla reviews the first six findings of the queue.
    layla.switch_page("views/review.py").run()
    layla_ids = _decide_in_order(layla, LAYLA)

    # 3. Omar, in his own session, reviews the same six (same queue order for him).
    omar = _session("Omar", run.id)
    omar_ids = _decide_in_order(omar, OMAR)
    assert omar_ids == layla_ids
    latest = {s.id: s.latest for s in repo.findings(run.id)}
    assert [latest[i]["Layla"].decision for i in layla_ids] == LAYLA
    assert [latest[i]["Omar"].decision for i in layla_ids] == OMAR

    # 4. Agreement: kappa and the two disagreements.
    omar.switch_page("views/agreement.py").run()
    assert not omar.exception
    metrics = {m.label: m.value for m in omar.metric}
    assert metrics["Cohen's κ"] == f"{KAPPA:.3f}"
    assert metrics["Observed agreement"] == f"{4 / 6:.0%}"
    assert metrics["Decided by both"] == "6"
    assert omar.subheader[0].value == "Disagreements to adjudicate (2)"
    table = omar.dataframe[1].value
    assert sorted(table["Layla"]) == ["confirmed discrepancy", "unsure"]
    assert sorted(table["Omar"]) == ["agree", "false alarm"]

    # 5. Export: each format's bytes, as handed to the download button.
    omar.switch_page("views/export.py").run()
    files = {}
    for fmt in ("md", "html", "csv", "json", "tmx"):
        downloads.clear()
        omar.selectbox(key="export.fmt").set_value(fmt).run()
        assert not omar.exception
        button = omar.get("download_button")[0].proto
        file_id = button.url.rsplit("/", 1)[-1].split(".")[0]
        data, _mime, name = downloads[file_id]
        assert name == f"tabayyun-run-{run.id}.{fmt}"
        files[fmt] = data

    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert len(rows) == run.n_findings
    by_id = {int(r["finding_id"]): r for r in rows}
    assert [by_id[i]["Layla decision"] for i in layla_ids] == LAYLA
    assert [by_id[i]["Omar decision"] for i in layla_ids] == OMAR

    doc = json.loads(files["json"])
    live = [r for r in doc["reviews"] if r["latest"]]
    assert len(live) == 12
    assert {(r["finding_id"], r["reviewer"], r["decision"]) for r in live} == {
        *((i, "Layla", d) for i, d in zip(layla_ids, LAYLA, strict=True)),
        *((i, "Omar", d) for i, d in zip(layla_ids, OMAR, strict=True)),
    }

    md = files["md"].decode("utf-8")
    assert "Layla" in md and "Omar" in md and "confirmed discrepancy" in md
    html = files["html"].decode("utf-8")
    assert 'dir="rtl"' in html and "Layla" in html

    tmx = ET.fromstring(files["tmx"])
    langs = {
        tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tmx.iter("tuv")
    }
    assert langs == {"ar", "en"}
    repo.close()

"""The Sets page, by clicking its own widgets (AppTest), on a real store and pipeline.

The four demo documents are compared as a set with the hashing encoder (no weights); two
reviewers decide in two sessions, one undoes, the report is downloaded with the decisions.
Also: the matrix view and its filters as pure functions, escaping of injected markup, and
the sidebar's run selector keeping set runs away from the pair pages.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import nlp.sets
from app.export_set import export_set
from app.set_review import SetFilter, group_priority, group_rows, members_html
from corpus.demo import demo_ids, load_demo
from corpus.store import open_repository
from models.fake import HashingEncoder
from nlp.contract import set_to_json
from nlp.records import Document
from nlp.sets import SetComparison, compare_set
from tests.app_support import hand_comparison, spy_downloads

APP = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")
DEMO = ["en-wiki", "ar-wiki", "ar-news-nov", "ar-news-sep"]


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'sets.sqlite3'}"
    monkeypatch.setenv("TABAYYUN_DB_URL", url)
    monkeypatch.setenv("TABAYYUN_ENCODER", "hashing")
    monkeypatch.setenv("TABAYYUN_DEMO", "0")
    return url


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[bytes, str, str | None]]:
    """Every file the app hands to a download button: file id -> (bytes, mime, name)."""
    return spy_downloads(monkeypatch)


@pytest.fixture(scope="module")
def demo_set() -> SetComparison:
    return compare_set([load_demo(i) for i in demo_ids()], HashingEncoder())


def _sets_page(reviewer: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    if reviewer:
        at.sidebar.text_input(key="app.reviewer").input(reviewer).run()
    at.switch_page("views/sets.py").run()
    assert not at.exception
    return at


def _download(at: AppTest, downloads: dict) -> tuple[bytes, str | None]:
    button = at.get("download_button")[0].proto
    data, _mime, name = downloads[button.url.rsplit("/", 1)[-1].split(".")[0]]
    return data, name


def _html(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_sets_page_end_to_end(db_url, downloads, monkeypatch):
    calls: list[int] = []
    real = nlp.sets.compare_set

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(nlp.sets, "compare_set", counting)

    # 1. nothing stored: the page says what to do; three documents are needed.
    layla = _sets_page("Layla")
    assert "No set is stored yet" in layla.info[0].value
    layla.multiselect(key="sets.docs").set_value(DEMO[:2]).run()
    assert layla.button(key="sets.run").disabled

    # 2. the four demo documents, run once, stored, selected.
    layla.multiselect(key="sets.docs").set_value(DEMO).run()
    layla.button(key="sets.run").click().run()
    assert not layla.exception
    assert layla.success[0].value.startswith("Stored set run #")
    repo = open_repository(db_url)
    [run] = [r for r in repo.list_runs() if r.kind == "set"]
    assert run.document_ids == tuple(DEMO)
    assert layla.session_state["sets.run_id"] == run.id
    past = layla.dataframe[0].value
    assert list(past["run"]) == [run.id] and list(past["documents"]) == [" · ".join(DEMO)]
    result = repo.load_set(run.id)
    assert len(calls) == 1

    # 3. the matrix: sources as columns with their dates, groups as rows, priority order.
    page = _html(layla)
    assert "'>d3 · ar<br><small>2017-09-04</small></th>" in page
    assert "<th title='Deir ez-Zor offensive (September–November 2017)'>d0 · en<br>" in page
    assert page.count("<tr id='g") == len(result.groups)
    rows = layla.selectbox(key="sets.group").options
    order = group_rows(result)
    assert len(rows) == len(order) and rows[0].startswith(f"Group {order[0]} ·")

    # 4. open a group on an Arabic source: its span is shown right to left, evidence marked.
    group = next(g for g in order if result.findings_of(g) and 1 in result.groups[g].docs)
    layla.selectbox(key="sets.group").set_value(group).run()
    layla.selectbox(key=f"sets.focus.{group}").set_value(1).run()
    assert not layla.exception
    view = next(m.value for m in layla.markdown if m.value.startswith('<div class="tby-members'))
    assert '<div class="tby-side tby-focus"><h4>d1' in view
    assert 'dir="rtl" lang="ar"' in view and "<mark>" in view

    # 5. Layla decides the group's first fact, Omar the same fact in his own session.
    first = result.findings_of(group)[0].id
    layla.button(key=f"sets.decide.{first}.confirmed").click().run()
    assert layla.success[0].value.startswith(f"Saved: confirmed discrepancy on fact #{first}")
    omar = _sets_page("Omar")
    omar.selectbox(key="sets.group").set_value(group).run()
    omar.button(key=f"sets.decide.{first}.false_alarm").click().run()
    assert not omar.exception
    latest = repo.set_findings(run.id)[first].latest
    assert {k: v.decision for k, v in latest.items()} == {
        "Layla": "confirmed",
        "Omar": "false_alarm",
    }

    # 6. Layla changes her mind, then undoes it: her first decision is back.
    layla.button(key=f"sets.decide.{first}.agree").click().run()
    layla.button(key="sets.undo").click().run()
    assert layla.success[0].value == "Undone: agree by Layla."
    assert repo.set_findings(run.id)[first].latest["Layla"].decision == "confirmed"

    # 7. the report, with the decisions, in every format.
    files = {}
    for fmt in ("md", "html", "csv", "json"):
        omar.selectbox(key="sets.fmt").set_value(fmt).run()
        assert not omar.exception
        files[fmt], name = _download(omar, downloads)
        assert name == f"tabayyun-set-{run.id}.{fmt}"
    md = files["md"].decode("utf-8")
    assert "| group | d0 | d1 | d2 | d3 | decisions |" in md
    assert f"#{first} Layla: confirmed discrepancy; Omar: false alarm" in md
    assert "<td class='decisions'><bdi>" in files["html"].decode("utf-8")
    assert "Layla: confirmed discrepancy; Omar: false alarm" in files["csv"].decode("utf-8-sig")
    doc = json.loads(files["json"])
    assert {(r["finding"], r["reviewer"], r["decision"]) for r in doc["reviews"]} == {
        (first, "Layla", "confirmed"),
        (first, "Omar", "false_alarm"),
    }

    # 8. reruns and other sessions loaded the run from the store: the pipeline ran once.
    assert len(calls) == 1
    repo.close()


def test_filters_narrow_the_matrix(db_url, demo_set):
    repo = open_repository(db_url)
    run_id = repo.save_set(demo_set)
    repo.close()
    at = _sets_page()
    at.multiselect(key="sets.kinds").set_value(["number"]).run()
    assert not at.exception
    shown = at.selectbox(key="sets.group").options
    numbers = group_rows(demo_set, SetFilter(kinds=("number",)))
    assert len(shown) == len(numbers) < len(demo_set.groups)
    assert all(any(f.kind == "number" for f in demo_set.findings_of(g)) for g in numbers)
    assert at.session_state["sets.run_id"] == run_id
    assert "reviewer" in at.warning[0].value  # no name: the facts show, no buttons
    assert not [b for b in at.button if b.key and b.key.startswith("sets.decide.")]


def test_rows_put_lone_dissenters_and_conflicts_first(demo_set):
    rows = group_rows(demo_set)
    priorities = [group_priority(demo_set, g) for g in rows]
    assert priorities == sorted(priorities)
    assert sorted(rows) == [g.id for g in demo_set.groups]
    conflicts = group_rows(demo_set, SetFilter(conflicts_only=True))
    assert all(
        any(f.status == "conflict" for f in demo_set.findings_of(g)) for g in conflicts
    )
    assert len(conflicts) == sum(
        any(f.status == "conflict" for f in demo_set.findings_of(g.id)) for g in demo_set.groups
    )


INJECTED = [
    Document(
        "inj-ar",
        "<script>window.__pwned=1</script> سيطر الجيش على دير الزور في 3 نوفمبر 2017. "
        '<img src=x onerror="alert(1)"> قُتل 40 مقاتلاً.',
        "ar",
        title="تقرير <b>مُدخَل</b>",
    ),
    Document(
        "inj-ar2",
        "سيطر الجيش على دير الزور في 3 نوفمبر 2017. قُتل 55 مقاتلاً.",
        "ar",
        title="<i>ثان</i>",
    ),
    Document(
        "inj-ar3",
        "سيطر الجيش على دير الزور في 3 نوفمبر 2017. قُتل 40 مقاتلاً.",
        "ar",
        title="ثالث",
    ),
]


def test_injected_markup_is_escaped_on_the_sets_page(db_url):
    result = compare_set(INJECTED, HashingEncoder())
    assert result.groups and result.findings
    repo = open_repository(db_url)
    repo.save_set(result)
    repo.close()
    at = _sets_page("Layla")
    for g in at.selectbox(key="sets.group").options:
        at.selectbox(key="sets.group").set_value(g).run()
        assert not at.exception
        page = _html(at)
        assert "<script" not in page and "<img" not in page and "<b>مُدخَل" not in page
        assert "<i>ثان" not in page
    assert "&lt;script&gt;" in _html(at) or "&lt;img" in _html(at)
    direct = members_html(result, 0)
    assert "<script" not in direct and 'dir="rtl"' in direct


def test_set_runs_stay_off_the_pair_pages(db_url, demo_set):
    repo = open_repository(db_url)
    pair_id = repo.save_comparison(hand_comparison())
    repo.save_set(demo_set)
    repo.close()
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    runs = at.sidebar.selectbox(key="app.run_id")
    assert len(runs.options) == 1 and runs.value == pair_id
    assert at.session_state["app.run_id"] == pair_id
    at.switch_page("views/export.py").run()
    assert not at.exception


# --------------------------------------------------------------------------- reconciliation report


@pytest.fixture
def reviewed(db_url, demo_set):
    """The demo set stored, with two reviewers' decisions (one note carries markup)."""
    repo = open_repository(db_url)
    run_id = repo.save_set(demo_set)
    facts = repo.set_findings(run_id)
    repo.add_set_review(facts[0].id, "Layla", "confirmed", note="<script>x</script> | ok")
    repo.add_set_review(facts[0].id, "Omar", "agree")
    repo.add_set_review(facts[2].id, "Omar", "unsure")
    facts = repo.set_findings(run_id)
    repo.close()
    return demo_set, facts


def test_report_without_reviews_has_no_decisions(demo_set):
    md = export_set(demo_set, "md").decode("utf-8")
    assert "decisions" not in md and "Reconciliation" not in md
    assert "reviews" not in json.loads(export_set(demo_set, "json"))


def test_markdown_report_has_the_matrix_with_decisions(reviewed):
    result, facts = reviewed
    md = export_set(result, "md", reviews=facts).decode("utf-8")
    assert "Reconciliation: 2 of" in md and "decided by Layla, Omar" in md
    assert "1 confirmed discrepancy, 1 agree, 1 unsure" in md
    g0 = result.findings[0].group
    row = next(line for line in md.splitlines() if line.startswith(f"| {g0} |"))
    cells = row.split(" | ")
    assert len(cells) == len(result.documents) + 2  # group, sources, decisions
    assert "#0 Layla: confirmed discrepancy (“&lt;script&gt;x&lt;/script&gt; \\| ok”)" in row
    assert "Omar: agree" in row
    assert "<script>" not in md
    decided_groups = {result.findings[0].group, result.findings[2].group}
    undecided = [g.id for g in result.groups if g.id not in decided_groups]
    assert all(
        line.endswith("| undecided |")
        for line in md.splitlines()
        if any(line.startswith(f"| {g} |") for g in undecided)
    )


def test_html_csv_and_json_reports_carry_the_decisions(reviewed):
    result, facts = reviewed
    page = export_set(result, "html", reviews=facts).decode("utf-8")
    assert "<th>decisions</th>" in page and "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    data = export_set(result, "csv", reviews=facts).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    by_id = {r["finding"]: r["decisions"] for r in rows if r["finding"]}
    assert by_id["2"] == "Omar: unsure" and by_id["1"] == ""
    doc = json.loads(export_set(result, "json", reviews=facts))
    assert doc["decisions"] == {"confirmed": 1, "agree": 1, "unsure": 1}
    assert [(r["finding"], r["reviewer"]) for r in doc["reviews"]] == [
        (0, "Layla"),
        (0, "Omar"),
        (2, "Omar"),
    ]
    assert doc["findings"] == set_to_json(result)["findings"]

"""Set runs in storage, on both backends (SQLite file; PostgreSQL, marked `postgres`).

Real `compare_set` results (hashing encoder, no weights): the four demo documents, and four
short reports written here (Arabic and English, one dated by a dateline) whose death tolls
differ between sources published 16 days apart. Also the migration from 0001 to 0002.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event

from corpus.demo import demo_ids, load_demo
from corpus.store import Base, SqlRepository, alembic_config, head_revision, open_repository
from models.fake import HashingEncoder
from nlp.contract import set_to_json
from nlp.errors import ConfigError, InputError
from nlp.records import Comparison, Document
from nlp.sets import SetComparison, compare_set
from tests.conftest import reviewers_at_once

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

WRITTEN = (
    Document(
        "set-en-1",
        "On 3 November 2017, the Syrian Army took full control of Deir ez-Zor. "
        "40 fighters were killed in the fighting in the city.",
        "en",
        title="English report",
        source="test",
        published="2017-11-05",
    ),
    Document(
        "set-ar-1",
        "في 3 نوفمبر 2017، سيطر الجيش السوري بالكامل على دير الزور. "
        "وقُتل 40 مقاتلاً في المعارك في المدينة.",
        "ar",
        title="تقرير <b>أول</b>",
        source="test",
        published="2017-11-04",
    ),
    Document(
        "set-ar-2",
        "دمشق - 20 تشرين الثاني 2017 - سيطر الجيش السوري بالكامل على مدينة دير الزور في "
        "3 نوفمبر. وقُتل 55 مقاتلاً في المعارك في المدينة.",
        "ar",
        title="تقرير ثان",
        source="test",
    ),
    Document(
        "set-en-2",
        "On 3 November 2017, the Syrian Army took full control of Deir ez-Zor. "
        "40 fighters were killed in the fighting in the city.",
        "en",
        title="English wire",
        source="test",
        published="2017-11-04",
    ),
)


@pytest.fixture(scope="module")
def written_set() -> SetComparison:
    return compare_set(list(WRITTEN), HashingEncoder())


@pytest.fixture(scope="module")
def demo_set() -> SetComparison:
    return compare_set([load_demo(i) for i in demo_ids()], HashingEncoder())


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sets.sqlite3'}"
    return request.getfixturevalue("pg_database_url")


@pytest.fixture
def store(db_url: str) -> Iterator[SqlRepository]:
    r = open_repository(db_url)
    yield r
    r.close()


def _first(result: SetComparison, status: str) -> int:
    return next(i for i, f in enumerate(result.findings) if f.status == status)


# --------------------------------------------------------------------------- round trip


def test_the_written_set_has_what_the_round_trip_must_keep(written_set: SetComparison) -> None:
    r = written_set
    assert r.published_from == ("given", "given", "text", "given")
    assert r.published[2] == "2017-11-20"  # from the dateline
    conflict = r.findings[_first(r, "conflict")]
    assert {e.value for _, e in conflict.values} == {40, 55}
    assert conflict.time_context is not None and conflict.time_context.days_apart == 16
    assert {"agree", "conflict", "single"} <= {f.status for f in r.findings}


@pytest.mark.parametrize("which", ["written_set", "demo_set"])
def test_round_trip_rebuilds_an_equal_set(
    store: SqlRepository, which: str, request: pytest.FixtureRequest
) -> None:
    result: SetComparison = request.getfixturevalue(which)
    run_id = store.save_set(result, title="four accounts")
    back = store.load_set(run_id)
    assert back == result
    assert set_to_json(back) == set_to_json(result)
    assert back.timings == pytest.approx(result.timings)
    assert [d.text for d in back.documents] == [d.text for d in result.documents]
    for doc, sents in zip(back.documents, back.sentences, strict=True):
        assert all(doc.text[s.start : s.end] == s.text for s in sents)


def test_the_demo_set_keeps_every_evidence_offset(
    store: SqlRepository, demo_set: SetComparison
) -> None:
    back = store.load_set(store.save_set(demo_set))
    for f in back.findings:
        for d, e in f.values:
            assert back.documents[d].text[e.start : e.end] == e.text


def test_list_runs_reports_set_runs_with_documents_in_order_and_counts(
    store: SqlRepository, written_set: SetComparison, sample_comparison: Comparison
) -> None:
    pair_id = store.save_comparison(sample_comparison)
    set_id = store.save_set(written_set)
    runs = {r.id: r for r in store.list_runs()}
    info = runs[set_id]
    assert info == store.get_run(set_id)
    assert info.kind == "set" and runs[pair_id].kind == "pair"
    assert info.document_ids == tuple(d.id for d in WRITTEN)
    assert info.n_findings == len(written_set.findings)
    assert info.n_conflicts == sum(f.status == "conflict" for f in written_set.findings) >= 1
    assert info.title == " + ".join(d.title for d in WRITTEN)
    assert info.encoder == written_set.encoder
    assert runs[pair_id].n_findings == len(sample_comparison.findings)  # pair counts unchanged


def test_documents_are_shared_between_runs(
    store: SqlRepository, written_set: SetComparison
) -> None:
    first = store.save_set(written_set)
    second = store.save_set(written_set, title="again")
    assert sorted(d.id for d in store.list_documents()) == sorted(d.id for d in WRITTEN)
    assert store.load_set(first) == store.load_set(second)
    # the dateline date belongs to the run, not to the stored document
    assert store.get_document("set-ar-2").published is None


def test_pair_and_set_loaders_refuse_the_other_kind(
    store: SqlRepository, written_set: SetComparison, sample_comparison: Comparison
) -> None:
    pair_id = store.save_comparison(sample_comparison)
    set_id = store.save_set(written_set)
    with pytest.raises(InputError, match="not a pair; open it on the Sets page"):
        store.load_comparison(set_id)
    for method in (store.load_set, store.set_findings, store.set_reviews):
        with pytest.raises(InputError, match="not a set; open it on the Review page"):
            method(pair_id)
    with pytest.raises(InputError, match="list the stored runs"):
        store.load_set(9999)


# --------------------------------------------------------------------------- reviews


def test_set_findings_carry_ids_positions_and_latest_decisions(
    store: SqlRepository, written_set: SetComparison
) -> None:
    run_id = store.save_set(written_set)
    stored = store.set_findings(run_id)
    assert [s.finding for s in stored] == list(written_set.findings)
    assert [s.index for s in stored] == list(range(len(written_set.findings)))
    conflict = stored[_first(written_set, "conflict")]
    store.add_set_review(conflict.id, "Layla", "unsure")
    store.add_set_review(conflict.id, " Layla ", "confirmed", note="55 is a later toll")
    store.add_set_review(conflict.id, "Omar", "false_alarm")
    latest = store.set_findings(run_id)[conflict.index].latest
    decided = {k: v.decision for k, v in latest.items()}
    assert decided == {"Layla": "confirmed", "Omar": "false_alarm"}
    assert latest["Layla"].note == "55 is a later toll"
    assert latest["Layla"].finding_id == conflict.id
    assert [r.decision for r in store.set_reviews(run_id)] == ["unsure", "confirmed", "false_alarm"]


def test_undo_brings_back_the_previous_set_decision_then_none(
    store: SqlRepository, written_set: SetComparison
) -> None:
    run_id = store.save_set(written_set)
    a, b = store.set_findings(run_id)[:2]
    store.add_set_review(a.id, "Layla", "agree")
    store.add_set_review(b.id, "Layla", "confirmed")
    store.add_set_review(b.id, "Layla", "false_alarm")
    store.add_set_review(b.id, "Omar", "agree")
    undone = store.undo_last_set_review(run_id, "Layla")
    assert undone is not None and (undone.finding_id, undone.decision) == (b.id, "false_alarm")
    assert store.set_findings(run_id)[1].latest["Layla"].decision == "confirmed"
    assert store.undo_last_set_review(run_id, "Layla").decision == "confirmed"  # type: ignore[union-attr]
    assert "Layla" not in store.set_findings(run_id)[1].latest
    assert store.undo_last_set_review(run_id, "Layla").finding_id == a.id  # type: ignore[union-attr]
    assert store.undo_last_set_review(run_id, "Layla") is None
    assert [(r.reviewer, r.decision) for r in store.set_reviews(run_id)] == [("Omar", "agree")]


def test_set_and_pair_reviews_do_not_touch_each_other(
    store: SqlRepository, written_set: SetComparison, sample_comparison: Comparison
) -> None:
    pair_id = store.save_comparison(sample_comparison)
    set_id = store.save_set(written_set)
    other_set = store.save_set(written_set)
    pf = store.findings(pair_id)[0]
    sf = store.set_findings(set_id)[0]
    store.add_review(pf.id, "Layla", "agree")
    store.add_set_review(sf.id, "Layla", "confirmed")
    assert store.undo_last_review(pair_id, "Layla").decision == "agree"  # type: ignore[union-attr]
    assert store.undo_last_set_review(other_set, "Layla") is None
    assert [r.decision for r in store.set_reviews(set_id)] == ["confirmed"]
    assert store.reviews(pair_id) == []


def test_set_reviews_are_validated(store: SqlRepository, written_set: SetComparison) -> None:
    run_id = store.save_set(written_set)
    fid = store.set_findings(run_id)[0].id
    with pytest.raises(ConfigError, match="use one of: confirmed, false_alarm, agree, unsure"):
        store.add_set_review(fid, "Layla", "maybe")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="enter your name"):
        store.add_set_review(fid, "  ", "agree")
    with pytest.raises(InputError, match="reload the set run's findings"):
        store.add_set_review(fid + 10_000, "Layla", "agree")
    assert store.set_reviews(run_id) == []


def test_reopening_keeps_set_runs_and_their_reviews(
    db_url: str, written_set: SetComparison
) -> None:
    first = open_repository(db_url)
    run_id = first.save_set(written_set)
    fid = first.set_findings(run_id)[0].id
    first.add_set_review(fid, "Layla", "agree")
    first.close()
    again = open_repository(db_url)
    try:
        assert again.load_set(run_id) == written_set
        assert again.set_findings(run_id)[0].latest["Layla"].decision == "agree"
    finally:
        again.close()


# --------------------------------------------------------------------------- migration


def test_migrations_create_exactly_the_models_schema_at_0002(store: SqlRepository) -> None:
    with store._engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
        assert ctx.get_current_revision() == head_revision() == "0002_sets"


def test_a_0001_database_with_a_pair_run_upgrades_and_keeps_its_data(
    db_url: str, sample_comparison: Comparison, written_set: SetComparison
) -> None:
    repo = open_repository(db_url)
    pair_id = repo.save_comparison(sample_comparison, title="pair")
    fid = repo.findings(pair_id)[1].id
    repo.add_review(fid, "Layla", "confirmed", note="checked")
    repo.save_set(written_set)
    with repo._engine.begin() as conn:  # back to 0001: the set run goes, the pair stays
        command.downgrade(alembic_config(conn), "0001_initial")
    assert repo.schema_revision() == "0001_initial"
    with repo._engine.connect() as conn:
        kinds = conn.exec_driver_sql("SELECT id, kind FROM runs ORDER BY id").all()
        columns = conn.exec_driver_sql("SELECT * FROM run_documents").keys()
    assert [tuple(k) for k in kinds] == [(pair_id, "pair")]
    assert "published" not in columns
    repo.close()

    upgraded = open_repository(db_url)  # migrates 0001 -> 0002
    try:
        assert upgraded.schema_revision() == "0002_sets"
        assert upgraded.load_comparison(pair_id) == sample_comparison
        [info] = upgraded.list_runs()
        assert (info.id, info.kind, info.title) == (pair_id, "pair", "pair")
        latest = upgraded.findings(pair_id)[1].latest["Layla"]
        assert (latest.decision, latest.note) == ("confirmed", "checked")
        new_set = upgraded.save_set(written_set)
        assert new_set > pair_id and upgraded.load_set(new_set) == written_set
    finally:
        upgraded.close()



def test_set_findings_take_four_queries_whatever_the_set_size(
    store: SqlRepository, demo_set: SetComparison, written_set: SetComparison
) -> None:
    counts = []
    for result in (written_set, demo_set):
        run_id = store.save_set(result)
        statements: list[str] = []

        def count(conn, cursor, statement, *args, _seen=statements) -> None:
            _seen.append(statement)

        event.listen(store._engine, "before_cursor_execute", count)
        try:
            found = store.set_findings(run_id)
        finally:
            event.remove(store._engine, "before_cursor_execute", count)
        assert len(found) == len(result.findings)
        counts.append(sum(s.lstrip().upper().startswith("SELECT") for s in statements))
    assert counts == [4, 4] and len(demo_set.findings) > 5 * len(written_set.findings)


def test_the_command_line_stores_a_set_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("TABAYYUN_DB_URL", url)
    out = tmp_path / "set.json"
    ids = ["en-wiki", "ar-wiki", "ar-news-nov"]
    assert main(["-q", "compare", *ids, "--model", "hashing", "--store", "--out", str(out)]) == 0
    repo = open_repository(url)
    try:
        [run] = repo.list_runs()
        assert (run.kind, run.document_ids, run.title) == ("set", tuple(ids), " + ".join(ids))
        assert set_to_json(repo.load_set(run.id), sources=ids) == json.loads(out.read_text())
    finally:
        repo.close()


def test_two_reviewers_deciding_and_undoing_at_once_lose_nothing(
    db_url: str, written_set: SetComparison
) -> None:
    setup = open_repository(db_url)
    run_id = setup.save_set(written_set)
    ids = [f.id for f in setup.set_findings(run_id)]
    setup.close()
    def review(repo: SqlRepository, name: str) -> None:
        for i in range(20):
            repo.add_set_review(ids[i % len(ids)], name, "confirmed", f"{name} #{i}")
            if i % 4 == 3:
                repo.undo_last_set_review(run_id, name)

    assert reviewers_at_once(db_url, review) == []
    check = open_repository(db_url)
    try:
        live = check.set_reviews(run_id)
        kept = {f"{n} #{i}" for n in ("ana", "omar") for i in range(20) if i % 4 != 3}
        assert {r.note for r in live} == kept and len(live) == 30
    finally:
        check.close()

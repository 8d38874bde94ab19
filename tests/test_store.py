"""Storage behaviour, run on both backends (SQLite file; PostgreSQL, marked `postgres`).

`pytest tests/test_store.py -m "not postgres"` runs the SQLite half only; the PostgreSQL half
uses the `pg_url` fixture (see tests/conftest.py). SQLite-specific behaviour (pragmas,
locking, file paths) is tested below the behaviour tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, text

from corpus.config import data_dir, resolve_db_url
from corpus.store import Base, SqlRepository, head_revision, open_repository, sha256_text
from nlp.errors import ConfigError, InputError, StorageError
from nlp.records import Comparison, Document
from tests.conftest import REPO_ROOT, _free_port, pg_unavailable, reviewers_at_once

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tabayyun.sqlite3'}"
    return request.getfixturevalue("pg_database_url")


@pytest.fixture
def store(db_url: str) -> Iterator[SqlRepository]:
    r = open_repository(db_url)
    yield r
    r.close()


# --------------------------------------------------------------------------- behaviour


def test_round_trip_rebuilds_an_equal_comparison(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    run_id = store.save_comparison(sample_comparison, "Deir ez-Zor: ar vs en")
    loaded = store.load_comparison(run_id)
    assert loaded == sample_comparison
    assert loaded.left == sample_comparison.left and loaded.right == sample_comparison.right
    assert loaded.left_sentences == sample_comparison.left_sentences
    assert loaded.alignments == sample_comparison.alignments
    for got, want in zip(loaded.findings, sample_comparison.findings, strict=True):
        assert got == want
        for g, w in ((got.left, want.left), (got.right, want.right)):
            assert (g is None) == (w is None)
            if g is not None and w is not None:
                assert type(g.value) is type(w.value)
    assert loaded.timings == sample_comparison.timings
    for s in loaded.left_sentences + loaded.right_sentences:
        doc = loaded.left if s.doc_id == loaded.left.id else loaded.right
        assert doc.text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    "value",
    [
        0,
        -17,
        2**40,
        0.1 + 0.2,
        1e-9,
        1500.0,
        "2017-10-17/2017-11-17",
        "دير الزور",
        {"value": 60, "low": 54.5, "high": 66, "unit": "percent"},
        {"nested": {"list": [1, 2.5, "ثلاثة"]}},
        None,
    ],
    ids=repr,
)
def test_evidence_values_keep_their_type_and_value(
    store: SqlRepository, sample_comparison: Comparison, value: object
) -> None:
    f0 = sample_comparison.findings[0]
    assert f0.left is not None
    odd = dataclasses.replace(f0, left=dataclasses.replace(f0.left, value=value))
    comp = dataclasses.replace(sample_comparison, findings=(odd,))
    got = store.load_comparison(store.save_comparison(comp)).findings[0]
    assert got.left is not None
    assert got.left.value == value
    assert type(got.left.value) is type(value)


def test_sentence_text_that_is_not_the_slice_is_kept(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    s0 = sample_comparison.left_sentences[0]
    stripped = dataclasses.replace(s0, text=s0.text.replace("،", ","))
    comp = dataclasses.replace(
        sample_comparison, left_sentences=(stripped, *sample_comparison.left_sentences[1:])
    )
    assert store.load_comparison(store.save_comparison(comp)).left_sentences[0] == stripped


def test_documents_are_deduplicated_by_id(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    a = store.save_comparison(sample_comparison)
    b = store.save_comparison(sample_comparison)
    assert a != b
    docs = store.list_documents()
    assert [d.id for d in docs] == ["seed-000", "seed-001"]
    assert store.get_document("seed-000") == sample_comparison.left


def test_metadata_corrections_update_the_stored_document(store: SqlRepository) -> None:
    doc = Document(id="d1", text="استعادت قوات الجيش السوري السيطرة", lang="ar")
    store.add_document(doc)
    fixed = dataclasses.replace(doc, licence="CC BY-SA 3.0", published="2017-11-03")
    store.add_document(fixed)
    assert store.get_document("d1") == fixed


def test_another_text_under_a_stored_id_is_refused_and_nothing_is_saved(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    store.save_comparison(sample_comparison)
    changed = dataclasses.replace(
        sample_comparison, left=dataclasses.replace(sample_comparison.left, text="نص آخر")
    )
    with pytest.raises(StorageError, match="another id"):
        store.save_comparison(changed)
    assert len(store.list_runs()) == 1
    assert store.get_document("seed-000").text == sample_comparison.left.text


def test_unknown_ids_raise_input_errors(store: SqlRepository) -> None:
    with pytest.raises(InputError, match="No document with id 'nope'"):
        store.get_document("nope")
    with pytest.raises(InputError, match="No run with id 99"):
        store.load_comparison(99)
    with pytest.raises(InputError, match="No run with id 99"):
        store.findings(99)
    with pytest.raises(InputError, match="No finding with id 12345"):
        store.add_review(12345, "ana", "confirmed")


def test_list_runs_reports_documents_counts_and_creation_time(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    first = store.save_comparison(sample_comparison)
    second = store.save_comparison(sample_comparison, "second look")
    runs = store.list_runs()
    assert [r.id for r in runs] == [second, first]  # newest first
    r = runs[0]
    assert r.title == "second look"
    assert runs[1].title == (
        "هجوم دير الزور (سبتمبر–نوفمبر 2017) ↔ Deir ez-Zor offensive (September–November 2017)"
    )
    assert r.kind == "pair" and r.document_ids == ("seed-000", "seed-001")
    assert r.mode == "translation" and r.encoder == "fake-encoder-8"
    assert (r.n_findings, r.n_conflicts) == (8, 1)
    created = dt.datetime.fromisoformat(r.created)
    assert created.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - created).total_seconds()) < 60
    assert store.get_run(first) == runs[1]


def test_findings_carry_ids_positions_and_each_reviewers_latest_decision(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    run_id = store.save_comparison(sample_comparison)
    found = store.findings(run_id)
    assert [f.finding for f in found] == list(sample_comparison.findings)
    assert [f.index for f in found] == list(range(8))
    assert len({f.id for f in found}) == 8 and all(f.run_id == run_id for f in found)
    conflict = found[5]
    assert conflict.finding.status == "conflict" and conflict.latest == {}

    store.add_review(conflict.id, "ana", "unsure", "check the AFP wording")
    store.add_review(conflict.id, "ana", "confirmed", "60% vs halves is real")
    store.add_review(conflict.id, "omar", "false_alarm")
    latest = store.findings(run_id)[5].latest
    assert set(latest) == {"ana", "omar"}
    assert (latest["ana"].decision, latest["ana"].note) == ("confirmed", "60% vs halves is real")
    assert latest["omar"].decision == "false_alarm"
    assert all(f.latest == {} for i, f in enumerate(store.findings(run_id)) if i != 5)


def test_undo_brings_back_the_previous_decision_then_none(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    run_id = store.save_comparison(sample_comparison)
    f = store.findings(run_id)
    first = store.add_review(f[5].id, "ana", "unsure")
    second = store.add_review(f[5].id, "ana", "confirmed")
    other = store.add_review(f[0].id, "omar", "agree")
    elsewhere = store.add_review(f[1].id, "ana", "agree")  # ana's latest in the run

    assert store.undo_last_review(run_id, "ana") == elsewhere
    assert "ana" not in store.findings(run_id)[1].latest
    assert store.undo_last_review(run_id, "ana") == second
    assert store.findings(run_id)[5].latest["ana"] == first
    assert store.undo_last_review(run_id, "ana") == first
    assert "ana" not in store.findings(run_id)[5].latest
    assert store.undo_last_review(run_id, "ana") is None
    assert store.findings(run_id)[0].latest == {"omar": other}
    assert store.reviews(run_id) == [other]


def test_undo_is_scoped_to_the_run(store: SqlRepository, sample_comparison: Comparison) -> None:
    run_a = store.save_comparison(sample_comparison)
    run_b = store.save_comparison(sample_comparison)
    in_a = store.add_review(store.findings(run_a)[0].id, "ana", "agree")
    store.add_review(store.findings(run_b)[0].id, "ana", "confirmed")
    assert store.undo_last_review(run_a, "ana") == in_a
    assert store.reviews(run_a) == []
    assert [r.decision for r in store.reviews(run_b)] == ["confirmed"]


def test_reviews_are_validated(store: SqlRepository, sample_comparison: Comparison) -> None:
    fid = store.findings(store.save_comparison(sample_comparison))[0].id
    with pytest.raises(ConfigError, match="confirmed, false_alarm, agree, unsure"):
        store.add_review(fid, "ana", "maybe")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="reviewer name"):
        store.add_review(fid, "  ", "agree")
    review = store.add_review(fid, " ana ", "agree", "ملاحظة: التاريخ نفسه")
    assert review.reviewer == "ana" and review.note == "ملاحظة: التاريخ نفسه"
    assert dt.datetime.fromisoformat(review.at).tzinfo is not None


def test_a_saved_decision_is_visible_to_another_session_at_once(
    db_url: str, sample_comparison: Comparison
) -> None:
    a, b = open_repository(db_url), open_repository(db_url)
    try:
        run_id = a.save_comparison(sample_comparison)
        fid = b.findings(run_id)[3].id
        saved = b.add_review(fid, "omar", "agree")
        assert a.findings(run_id)[3].latest == {"omar": saved}
    finally:
        a.close()
        b.close()


def test_two_reviewers_deciding_at_once_lose_nothing(
    db_url: str, sample_comparison: Comparison
) -> None:
    setup = open_repository(db_url)
    run_id = setup.save_comparison(sample_comparison)
    ids = [f.id for f in setup.findings(run_id)]
    setup.close()
    def review(repo: SqlRepository, name: str) -> None:
        for i in range(25):
            repo.add_review(ids[i % len(ids)], name, "confirmed", f"{name} #{i}")

    assert reviewers_at_once(db_url, review) == []
    check = open_repository(db_url)
    try:
        reviews = check.reviews(run_id)
        assert len(reviews) == 50
        notes = {f"{n} #{i}" for n in ("ana", "omar") for i in range(25)}
        assert {r.note for r in reviews} == notes
        latest = check.findings(run_id)[0].latest
        assert latest["ana"].note == "ana #24" and latest["omar"].note == "omar #24"
    finally:
        check.close()


def test_findings_of_a_run_take_three_queries_whatever_its_size(
    store: SqlRepository, sample_comparison: Comparison
) -> None:
    many = dataclasses.replace(sample_comparison, findings=sample_comparison.findings * 25)
    run_id = store.save_comparison(many)
    fids = [f.id for f in store.findings(run_id)]
    for i, fid in enumerate(fids[::3]):
        store.add_review(fid, "ana", "confirmed" if i % 2 else "agree")
    statements: list[str] = []
    engine = store._engine  # the test counts statements; callers never touch the engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        found = store.findings(run_id)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3
    assert len(found) == 200 and sum(bool(f.latest) for f in found) == len(fids[::3])


def test_migrations_create_exactly_the_models_schema(store: SqlRepository) -> None:
    with store._engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
        assert ctx.get_current_revision() == head_revision() == "0002_sets"


def test_reopening_a_migrated_database_keeps_its_data(
    db_url: str, sample_comparison: Comparison
) -> None:
    first = open_repository(db_url)
    run_id = first.save_comparison(sample_comparison)
    first.close()
    again = open_repository(db_url)
    try:
        assert again.load_comparison(run_id) == sample_comparison
    finally:
        again.close()


def test_a_database_from_a_newer_tabayyun_is_refused(db_url: str) -> None:
    open_repository(db_url).close()
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match="'0042_future', newer than this Tabayyun"):
        open_repository(db_url)


# --------------------------------------------------------------------------- SQLite only


def test_sqlite_file_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    repo = open_repository(f"sqlite:///{tmp_path / 'x.sqlite3'}", busy_timeout=2.5)
    try:
        with repo._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
    finally:
        repo.close()


def test_default_location_is_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABAYYUN_DB_URL", raising=False)
    monkeypatch.setenv("TABAYYUN_DATA_DIR", str(tmp_path / "nested" / "data"))
    repo = open_repository()
    repo.close()
    assert (tmp_path / "nested" / "data" / "tabayyun.sqlite3").is_file()
    assert repo.url == f"sqlite:///{tmp_path / 'nested' / 'data' / 'tabayyun.sqlite3'}"


def test_url_resolution_order(tmp_path: Path) -> None:
    env = {"TABAYYUN_DB_URL": "sqlite:///from-env.sqlite3", "TABAYYUN_DATA_DIR": str(tmp_path)}
    assert resolve_db_url("sqlite:///arg.sqlite3", env) == "sqlite:///arg.sqlite3"
    assert resolve_db_url(None, env) == "sqlite:///from-env.sqlite3"
    assert resolve_db_url(None, {"TABAYYUN_DATA_DIR": str(tmp_path)}) == (
        f"sqlite:///{tmp_path}/tabayyun.sqlite3"
    )
    home = data_dir({"HOME": str(tmp_path)}, create=False)
    assert home == Path("~/.local/share/tabayyun").expanduser()


def test_a_data_dir_that_cannot_be_created_names_the_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="set TABAYYUN_DATA_DIR to a writable folder"):
        resolve_db_url(None, {"TABAYYUN_DATA_DIR": str(blocker / "data")})


def test_a_missing_database_folder_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"does not exist; create it, or set TABAYYUN_DB_URL"):
        open_repository(f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")


def test_a_file_that_is_not_a_database_names_the_fix(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_bytes(b"These are notes, not a database. " * 100)
    with pytest.raises(StorageError, match="not a usable SQLite database"):
        open_repository(f"sqlite:///{junk}")


@pytest.mark.parametrize("url", ["not a url", "mysql://u@localhost/db", "oracle://x"])
def test_bad_urls_name_the_fix(url: str) -> None:
    with pytest.raises(StorageError, match=r"sqlite:///path/to/"):
        open_repository(url)


def test_a_locked_database_names_the_fix(tmp_path: Path, sample_comparison: Comparison) -> None:
    path = tmp_path / "locked.sqlite3"
    repo = open_repository(f"sqlite:///{path}", busy_timeout=0.2)
    run_id = repo.save_comparison(sample_comparison)
    fid = repo.findings(run_id)[0].id
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    try:
        with pytest.raises(StorageError, match=r"is locked by another process; close the other"):
            repo.add_review(fid, "ana", "agree")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert repo.add_review(fid, "ana", "agree").decision == "agree"  # fine once released
    repo.close()


def test_an_unreachable_postgres_server_names_the_fix() -> None:
    port = _free_port()  # nobody listens there
    url = f"postgresql+psycopg://tabayyun:secret@127.0.0.1:{port}/tabayyun"
    with pytest.raises(StorageError, match="Cannot reach the PostgreSQL server") as err:
        open_repository(url)
    assert "secret" not in str(err.value)
    assert "TABAYYUN_DB_URL" in str(err.value)


def test_a_decision_survives_a_killed_process(
    tmp_path: Path, sample_comparison: Comparison
) -> None:
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    repo = open_repository(url)
    run_id = repo.save_comparison(sample_comparison)
    fid = repo.findings(run_id)[5].id
    code = (
        "import os, signal, sys\n"
        "from corpus.store import open_repository\n"
        f"r = open_repository({url!r})\n"
        f"r.add_review({fid}, 'ana', 'confirmed', 'saved then killed')\n"
        "print('saved', flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.run(  # run from an empty folder: no alembic.ini needed in the cwd
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert proc.stdout.strip() == "saved" and proc.returncode == -9
    assert repo.findings(run_id)[5].latest["ana"].note == "saved then killed"
    repo.close()


def test_in_memory_repository_fixture_is_migrated_and_isolated(
    repo: SqlRepository, sample_comparison: Comparison
) -> None:
    assert repo.schema_revision() == head_revision() and repo.list_runs() == []
    run_id = repo.save_comparison(sample_comparison)
    assert repo.load_comparison(run_id) == sample_comparison


def test_sha256_is_of_the_utf8_bytes() -> None:
    assert sha256_text("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert sha256_text("دير") != sha256_text("دیر")  # Arabic yeh vs Persian yeh differ


# --------------------------------------------------------------------------- pg fixture policy


def test_postgres_unavailable_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL unavailable: no server"):
        pg_unavailable("no server")


def test_postgres_unavailable_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        pg_unavailable("no server")

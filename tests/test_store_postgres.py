"""PostgreSQL-only storage behaviour (the shared behaviour tests are in tests/test_store.py,
parametrised over both backends). Needs a server: see the `pg_url` fixture."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from corpus.store import SqlRepository, head_revision, open_repository
from nlp.errors import StorageError
from nlp.records import Comparison

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(pg_database_url: str) -> Iterator[SqlRepository]:
    r = open_repository(pg_database_url)
    yield r
    r.close()


def test_the_test_server_stores_arabic_in_utf8(pg_store: SqlRepository) -> None:
    with pg_store._engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"
    assert pg_store.backend == "postgresql"


def test_a_missing_database_names_createdb(pg_url: str) -> None:
    url = make_url(pg_url).set(database="no_such_tabayyun_db")
    fix = r"does not exist; create it \(`createdb no_such_tabayyun_db`\)"
    with pytest.raises(StorageError, match=fix):
        open_repository(url.render_as_string(hide_password=False))


def test_a_plain_postgresql_url_uses_psycopg(pg_database_url: str) -> None:
    plain = make_url(pg_database_url).set(drivername="postgresql")
    repo = open_repository(plain.render_as_string(hide_password=False))
    try:
        assert repo.schema_revision() == head_revision()
    finally:
        repo.close()


def test_processes_opening_a_fresh_database_at_once_migrate_it_once(
    pg_database_url: str,
) -> None:
    errors: list[BaseException] = []
    repos: list[SqlRepository] = []

    def open_one() -> None:
        try:
            repos.append(open_repository(pg_database_url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert [r.schema_revision() for r in repos] == [head_revision()] * 3
    for r in repos:
        r.close()


def test_the_same_reviewer_undoing_in_two_sessions_undoes_two_reviews(
    pg_database_url: str, sample_comparison: Comparison
) -> None:
    a, b = open_repository(pg_database_url), open_repository(pg_database_url)
    try:
        run_id = a.save_comparison(sample_comparison)
        ids = [f.id for f in a.findings(run_id)]
        made = [a.add_review(ids[i], "ana", "confirmed") for i in range(4)]
        undone: list[object] = []
        barrier = threading.Barrier(2)

        def undo(repo: SqlRepository) -> None:
            barrier.wait()
            undone.append(repo.undo_last_review(run_id, "ana"))

        threads = [threading.Thread(target=undo, args=(r,)) for r in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(r.id for r in undone) == [made[2].id, made[3].id]  # type: ignore[attr-defined]
        assert a.reviews(run_id) == made[:2]
    finally:
        a.close()
        b.close()

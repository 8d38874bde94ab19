"""Storage behind the repository interface: SQLAlchemy 2.0 models, SQLite or PostgreSQL.

`open_repository(url)` resolves the URL (argument, `TABAYYUN_DB_URL`, or SQLite in the data
folder; see `corpus.config`), migrates the database to the newest named Alembic revision and
returns a `SqlRepository`. Callers pass and receive the dataclasses of `nlp.records` and
`corpus.repository`; no Session, SQL or SQLAlchemy exception leaves this module (every
database failure becomes a `StorageError` whose message names the fix).

Every method runs in one transaction and commits before it returns, so a decision shown as
saved survives a killed server. On SQLite every transaction starts with `BEGIN IMMEDIATE`
(the write lock is taken up front and waits up to the busy timeout), which is what lets two
reviewers in two processes write to one file without losing a decision.

Tables (see `corpus/migrations/versions/0001_initial.py`):

    documents(id, lang, title, source, licence, published, text, sha256)
    runs(id, created, kind, title, mode, mode_reason, encoder, schema_version, settings)
    run_documents(run_id, position, role, doc_id)          role: left/right, or d0, d1, ...
    sentences(run_id, position, idx, start, end, kind, text?)   text sliced from document
    alignments(run_id, idx, left, right, score)
    findings(id, run_id, idx, alignment, kind, status, left_*, right_*, reason, rule,
             confidence)
    reviews(id, finding_id, reviewer, decision, note, at, undoes -> reviews.id)

and for set runs (`corpus/migrations/versions/0002_sets.py`; kind "set", roles d0, d1, ...,
`run_documents.published`/`published_from` the date the set comparison used and its origin):

    set_pairs(run_id, left_pos, right_pos, mode, reason, alignments, anchored)
    set_groups(run_id, group_id, score, members)
    set_findings(id, run_id, idx, group_id, kind, status, rule, reason, confidence,
                 dissenters, silent, time_context)
    set_values(set_finding_id, position, text, value, start, end, note)
    set_reviews(id, set_finding_id, reviewer, decision, note, at, undoes -> set_reviews.id)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Connection,
    Engine,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    exists,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, aliased, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from corpus.config import ENV_DB_URL, resolve_db_url
from corpus.repository import (
    DECISIONS,
    Decision,
    Review,
    RunInfo,
    StoredFinding,
    StoredSetFinding,
)
from nlp.errors import ConfigError, InputError, StorageError, TabayyunError
from nlp.records import Alignment, Comparison, Document, Evidence, Finding, Sentence

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from nlp.sets import SetComparison, TimeContext

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PAIR_SCHEMA = "tabayyun.comparison/1"
SET_SCHEMA = "tabayyun.comparison-set/1"
DEFAULT_BUSY_TIMEOUT = 5.0  # seconds a writer waits for another writer's lock on SQLite
PG_CONNECT_TIMEOUT = 5  # seconds
_MIGRATION_LOCK_KEY = 0x7461626179  # "tabay": PostgreSQL advisory lock around migrations


# --------------------------------------------------------------------------- models


class JSONText(TypeDecorator[Any]):
    """JSON stored as text on SQLite: a column typed JSON has NUMERIC affinity there, which
    turns a stored 1500.0 into the integer 1500; text keeps every value exactly."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


EVIDENCE_JSON = JSON().with_variant(JSONText(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base; the schema itself is created only by the Alembic migrations."""


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))


class RunRow(Base):
    __tablename__ = "runs"
    __table_args__ = (CheckConstraint("kind IN ('pair', 'set')", name="ck_runs_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(16))
    mode_reason: Mapped[str] = mapped_column(Text)
    encoder: Mapped[str] = mapped_column(String(200))
    schema_version: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)


class RunDocumentRow(Base):
    __tablename__ = "run_documents"
    __table_args__ = (
        UniqueConstraint("run_id", "role", name="uq_run_documents_role"),
        Index("ix_run_documents_doc", "doc_id"),
    )

    run_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    doc_id: Mapped[str] = mapped_column(String(200), ForeignKey("documents.id"))
    published: Mapped[str | None] = mapped_column(String(10))  # set runs: the date used
    published_from: Mapped[str | None] = mapped_column(String(16))  # given / text / unknown


class SentenceRow(Base):
    __tablename__ = "sentences"
    __table_args__ = (
        ForeignKeyConstraint(
            ["run_id", "position"],
            ["run_documents.run_id", "run_documents.position"],
            ondelete="CASCADE",
        ),
    )

    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)  # only when not doc.text[start:end]


class AlignmentRow(Base):
    __tablename__ = "alignments"

    run_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    left: Mapped[list[int]] = mapped_column(JSON)
    right: Mapped[list[int]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("run_id", "idx", name="uq_findings_run_idx"),
        Index("ix_findings_run_status_kind", "run_id", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("runs.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    alignment: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    left_text: Mapped[str | None] = mapped_column(Text)
    left_value: Mapped[Any] = mapped_column(EVIDENCE_JSON, nullable=True)
    left_start: Mapped[int | None] = mapped_column(Integer)
    left_end: Mapped[int | None] = mapped_column(Integer)
    left_note: Mapped[str | None] = mapped_column(Text)
    right_text: Mapped[str | None] = mapped_column(Text)
    right_value: Mapped[Any] = mapped_column(EVIDENCE_JSON, nullable=True)
    right_start: Mapped[int | None] = mapped_column(Integer)
    right_end: Mapped[int | None] = mapped_column(Integer)
    right_note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("undoes", name="uq_reviews_undoes"),
        CheckConstraint(
            "(decision IS NULL) = (undoes IS NOT NULL)", name="ck_reviews_decision_or_undo"
        ),
        Index("ix_reviews_finding_reviewer", "finding_id", "reviewer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finding_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("findings.id", ondelete="CASCADE")
    )
    reviewer: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str | None] = mapped_column(String(16))  # None on an undo row
    note: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(32))
    undoes: Mapped[int | None] = mapped_column(Integer, ForeignKey("reviews.id"))


class SetPairRow(Base):
    __tablename__ = "set_pairs"

    run_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    left_pos: Mapped[int] = mapped_column(Integer, primary_key=True)
    right_pos: Mapped[int] = mapped_column(Integer, primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    alignments: Mapped[list[Any]] = mapped_column(EVIDENCE_JSON)  # [[left], [right], score]
    anchored: Mapped[list[Any]] = mapped_column(EVIDENCE_JSON)


class SetGroupRow(Base):
    __tablename__ = "set_groups"

    run_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    members: Mapped[list[Any]] = mapped_column(EVIDENCE_JSON)  # [[position, [idx, ...]], ...]


class SetFindingRow(Base):
    __tablename__ = "set_findings"
    __table_args__ = (
        UniqueConstraint("run_id", "idx", name="uq_set_findings_run_idx"),
        Index("ix_set_findings_run_group", "run_id", "group_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("runs.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    dissenters: Mapped[list[int]] = mapped_column(EVIDENCE_JSON)
    silent: Mapped[list[int]] = mapped_column(EVIDENCE_JSON)
    time_context: Mapped[Any] = mapped_column(EVIDENCE_JSON, nullable=True)


class SetValueRow(Base):
    __tablename__ = "set_values"

    set_finding_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("set_findings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[Any] = mapped_column(EVIDENCE_JSON, nullable=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)


class SetReviewRow(Base):
    __tablename__ = "set_reviews"
    __table_args__ = (
        UniqueConstraint("undoes", name="uq_set_reviews_undoes"),
        CheckConstraint(
            "(decision IS NULL) = (undoes IS NOT NULL)", name="ck_set_reviews_decision_or_undo"
        ),
        Index("ix_set_reviews_finding_reviewer", "set_finding_id", "reviewer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    set_finding_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("set_findings.id", ondelete="CASCADE")
    )
    reviewer: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str | None] = mapped_column(String(16))  # None on an undo row
    note: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(32))
    undoes: Mapped[int | None] = mapped_column(Integer, ForeignKey("set_reviews.id"))


# --------------------------------------------------------------------------- helpers


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of `text` (the provenance hash of a document).

    >>> sha256_text("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _doc_from_row(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        text=row.text,
        lang=row.lang,  # type: ignore[arg-type]
        title=row.title,
        source=row.source,
        licence=row.licence,
        published=row.published,
    )


def _review_tables(sets: bool) -> tuple[Any, Any, str]:
    """The review table, the finding table and the review's finding column of pair runs
    (`reviews`, `findings`) or set runs (`set_reviews`, `set_findings`): one shape, one set
    of rules (append-only, latest wins, an undo points at what it cancels)."""
    if sets:
        return SetReviewRow, SetFindingRow, "set_finding_id"
    return ReviewRow, FindingRow, "finding_id"


def _evidence_columns(side: str, ev: Evidence | None) -> dict[str, Any]:
    if ev is None:
        return {f"{side}_{k}": None for k in ("text", "value", "start", "end", "note")}
    return {
        f"{side}_text": ev.text,
        f"{side}_value": ev.value,
        f"{side}_start": ev.start,
        f"{side}_end": ev.end,
        f"{side}_note": ev.note,
    }


def _evidence(text: str | None, value: Any, start: Any, end: Any, note: Any) -> Evidence | None:
    if text is None:
        return None
    return Evidence(text=text, value=value, start=start, end=end, note=note or "")


def _check_review(reviewer: str, decision: str) -> str:
    """The stripped reviewer name, after checking the decision and the name."""
    if decision not in DECISIONS:
        raise ConfigError(f"Unknown decision {decision!r}; use one of: {', '.join(DECISIONS)}.")
    reviewer = reviewer.strip()
    if not reviewer:
        raise ConfigError("A review needs a reviewer name; enter your name or initials.")
    return reviewer


def _alignment_json(a: Alignment) -> list[Any]:
    return [[int(i) for i in a.left], [int(i) for i in a.right], float(a.score)]


def _alignment_of(stored: list[Any]) -> Alignment:
    left, right, score = stored
    return Alignment(left=tuple(left), right=tuple(right), score=score)


def _time_context_json(tc: TimeContext | None) -> dict[str, Any] | None:
    if tc is None:
        return None
    return {"dates": [[d, p, basis] for d, p, basis in tc.dates], "days_apart": tc.days_apart}


def _time_context_of(stored: dict[str, Any] | None) -> TimeContext | None:
    if stored is None:
        return None
    from nlp.sets import TimeContext

    return TimeContext(
        dates=tuple((d, p, basis) for d, p, basis in stored["dates"]),
        days_apart=stored["days_apart"],
    )


_FINDING_COLUMNS = (
    FindingRow.id,
    FindingRow.idx,
    FindingRow.alignment,
    FindingRow.kind,
    FindingRow.status,
    FindingRow.left_text,
    FindingRow.left_value,
    FindingRow.left_start,
    FindingRow.left_end,
    FindingRow.left_note,
    FindingRow.right_text,
    FindingRow.right_value,
    FindingRow.right_start,
    FindingRow.right_end,
    FindingRow.right_note,
    FindingRow.reason,
    FindingRow.rule,
    FindingRow.confidence,
)


def _finding_from_tuple(r: Any) -> Finding:
    return Finding(
        alignment=r[2],
        kind=r[3],
        status=r[4],
        left=_evidence(r[5], r[6], r[7], r[8], r[9]),
        right=_evidence(r[10], r[11], r[12], r[13], r[14]),
        reason=r[15],
        rule=r[16],
        confidence=r[17],
    )


def _describe(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database if url.database not in (None, "", ":memory:") else "(in memory)"
    return url.render_as_string(hide_password=True)


def storage_error(exc: BaseException, url: URL) -> StorageError:
    """Turn a database exception into a `StorageError` whose message names the fix.

    Args:
        exc: The SQLAlchemy, DB-API or Alembic exception.
        url: The database URL in use (passwords are never shown).

    Returns:
        The error to raise, e.g. "The database at /x.sqlite3 is locked by another process; ...".
    """
    where = _describe(url)
    raw = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc) else ""
    low = str(getattr(exc, "orig", None) or exc).lower()
    if url.get_backend_name() == "sqlite":
        if "locked" in low or "busy" in low:
            return StorageError(
                f"The database at {where} is locked by another process; close the other "
                f"Tabayyun instance (or wait for its long write to finish) or set {ENV_DB_URL} "
                "to another file."
            )
        if "unable to open database file" in low:
            return StorageError(
                f"Cannot open the database file {where} (its folder is missing or not "
                f"readable); create the folder, fix its permissions, or set {ENV_DB_URL} to "
                "another file."
            )
        if "readonly" in low or "read-only" in low:
            return StorageError(
                f"The database file {where} is read-only; fix its permissions or set "
                f"{ENV_DB_URL} to a writable file."
            )
        if "not a database" in low or "malformed" in low:
            return StorageError(
                f"The file {where} is not a usable SQLite database ({raw}); move it away or "
                f"set {ENV_DB_URL} to another file."
            )
    if url.get_backend_name() == "postgresql":
        if "does not exist" in low and "database" in low:
            return StorageError(
                f"The PostgreSQL database in {where} does not exist; create it "
                f"(`createdb {url.database}`) or fix {ENV_DB_URL}."
            )
        if "authentication failed" in low or ("password" in low and "no password" in low):
            return StorageError(
                f"PostgreSQL refused the login for {where} ({raw}); fix the user and "
                f"password in {ENV_DB_URL}."
            )
        if any(
            s in low
            for s in (
                "connection refused",
                "could not connect",
                "connection failed",
                "timeout expired",
                "could not translate host",
                "name or service not known",
                "server closed the connection",
                "connection is closed",
                "network is unreachable",
            )
        ):
            return StorageError(
                f"Cannot reach the PostgreSQL server at {where} ({raw}); start the server, "
                f"check host and port, or set {ENV_DB_URL} to another database."
            )
    return StorageError(
        f"Database error on {where}: {raw}. Check that {ENV_DB_URL} points at a Tabayyun "
        "database you can write to, or report this error with the message above."
    )


_DB_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error)


def _parse_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:
        raise StorageError(
            f"{raw!r} is not a database URL; use sqlite:///path/to/tabayyun.sqlite3 or "
            f"postgresql+psycopg://user@host:5432/tabayyun (argument or {ENV_DB_URL})."
        ) from exc
    backend = url.get_backend_name()
    if backend == "postgresql" and url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")  # the only PostgreSQL driver we ship
    elif backend == "sqlite" and url.get_driver_name() not in ("pysqlite", ""):
        url = url.set(drivername="sqlite")
    elif backend not in ("sqlite", "postgresql"):
        raise StorageError(
            f"Database {backend!r} is not supported; use sqlite:///path/to/file.sqlite3 or "
            f"postgresql+psycopg://user@host/db (argument or {ENV_DB_URL})."
        )
    return url


def _make_engine(url: URL, busy_timeout: float) -> Engine:
    """An engine with the session settings Tabayyun relies on (see the module docstring)."""
    try:
        if url.get_backend_name() == "postgresql":
            return create_engine(
                url,
                pool_pre_ping=True,
                connect_args={"connect_timeout": PG_CONNECT_TIMEOUT},
            )
        in_memory = url.database in (None, "", ":memory:")
        if in_memory:
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(
                url, connect_args={"timeout": busy_timeout, "check_same_thread": False}
            )
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StorageError(
            f"Cannot use the database URL {url.render_as_string(hide_password=True)} ({exc}); "
            f"use sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user@host/db."
        ) from exc
    busy_ms = int(busy_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun explicitly below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")  # durable across app crashes in WAL
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _quiet_alembic() -> Callable[[], None]:
    """Hush Alembic's per-open INFO lines ("Context impl SQLiteImpl.") unless the app set
    a level for the "alembic" logger itself; returns the function that restores it."""
    logger = logging.getLogger("alembic")
    before = logger.level
    if before == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    return lambda: logger.setLevel(before)


def _alembic() -> tuple[type[Config], type[MigrationContext], type[ScriptDirectory]]:
    """Alembic's classes, imported on first use with its import-time INFO lines hushed."""
    restore = _quiet_alembic()
    try:
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory
    finally:
        restore()
    return Config, MigrationContext, ScriptDirectory


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic `Config` built in code, pointing at the packaged migrations folder.

    Args:
        connection: An open connection the migrations run on (preferred).
        url: A URL for Alembic to connect itself when no connection is given.

    Returns:
        A `Config` usable with `alembic.command.upgrade(config, "head")`.
    """
    config_class, _, _ = _alembic()
    cfg = config_class()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest named revision of the packaged migrations, e.g. "0002_sets"."""
    _, _, script_directory = _alembic()
    heads = script_directory.from_config(alembic_config()).get_heads()
    return heads[0]


# --------------------------------------------------------------------------- repository


def _insert_sentences(
    s: Session, run_id: int, sides: Sequence[tuple[Document, Sequence[Sentence]]]
) -> None:
    """Store the sentences of a run's documents (position = index in `sides`); the text is
    kept only where it is not the document's own slice."""
    rows = [
        {
            "run_id": run_id,
            "position": pos,
            "idx": x.idx,
            "start": x.start,
            "end": x.end,
            "kind": x.kind,
            "text": None if doc.text[x.start : x.end] == x.text else x.text,
        }
        for pos, (doc, sents) in enumerate(sides)
        for x in sents
    ]
    if rows:
        s.execute(insert(SentenceRow), rows)


def _load_sentences(
    s: Session, run_id: int, docs: Mapping[int, Document]
) -> dict[int, list[Sentence]]:
    """The sentences of a run by document position (every position in `docs`, in order)."""
    out: dict[int, list[Sentence]] = {pos: [] for pos in docs}
    for pos, idx, start, end, kind, stored in s.execute(
        select(
            SentenceRow.position,
            SentenceRow.idx,
            SentenceRow.start,
            SentenceRow.end,
            SentenceRow.kind,
            SentenceRow.text,
        )
        .where(SentenceRow.run_id == run_id)
        .order_by(SentenceRow.position, SentenceRow.idx)
    ):
        doc = docs[pos]
        out[pos].append(
            Sentence(
                doc_id=doc.id,
                idx=idx,
                text=doc.text[start:end] if stored is None else stored,
                start=start,
                end=end,
                kind=kind,  # type: ignore[arg-type]
            )
        )
    return out


class SqlRepository:
    """The `corpus.repository.Repository` on SQLAlchemy (SQLite or PostgreSQL).

    Build it with `open_repository`, which also migrates the schema. Each public method is
    one transaction, committed before it returns.

    Example:
        >>> repo = open_repository("sqlite://")
        >>> repo.add_document(Document(id="d1", text="نص", lang="ar")).id
        'd1'
        >>> repo.close()
    """

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # ----------------------------------------------------------------- plumbing

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._url.render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._url.get_backend_name()

    def close(self) -> None:
        """Close pooled connections (the repository can still be used; it reconnects)."""
        self._engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except TabayyunError:
            raise
        except _DB_ERRORS as exc:
            log.debug("database error on %s", self.url, exc_info=True)
            raise storage_error(exc, self._url) from exc

    def migrate(self) -> str:
        """Bring the schema to the newest revision; refuse a database from a newer Tabayyun.

        Returns:
            The revision the database is at afterwards, e.g. "0002_sets".

        Raises:
            StorageError: the database is at a revision this Tabayyun does not know, or
                cannot be reached, locked, or written.
        """
        quiet = _quiet_alembic()
        try:
            _, migration_context, script_directory = _alembic()
            script = script_directory.from_config(alembic_config())
            known = {rev.revision for rev in script.walk_revisions()}
            head = script.get_heads()[0]
            with self._engine.begin() as conn:
                if self.backend == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})")
                current = migration_context.configure(conn).get_current_revision()
                if current is not None and current not in known:
                    raise StorageError(
                        f"The database at {_describe(self._url)} has schema revision "
                        f"{current!r}, newer than this Tabayyun knows (newest: {head!r}); "
                        f"upgrade Tabayyun, or set {ENV_DB_URL} to another database."
                    )
                if current != head:
                    log.info("migrating %s from %s to %s", self.url, current, head)
                    from alembic import command  # imported late: it sets up autogenerate

                    command.upgrade(alembic_config(conn), "head")
        except TabayyunError:
            raise
        except Exception as exc:
            from alembic.util import CommandError  # alembic is imported by now

            if isinstance(exc, (*_DB_ERRORS, CommandError)):
                raise storage_error(exc, self._url) from exc
            raise
        finally:
            quiet()
        return head

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None for an empty database)."""
        _, migration_context, _ = _alembic()
        try:
            with self._engine.connect() as conn:
                return migration_context.configure(conn).get_current_revision()
        except _DB_ERRORS as exc:
            raise storage_error(exc, self._url) from exc

    # ----------------------------------------------------------------- documents

    def _put_document(self, s: Session, doc: Document) -> Document:
        digest = sha256_text(doc.text)
        row = s.get(DocumentRow, doc.id)
        if row is None:
            s.add(
                DocumentRow(
                    id=doc.id,
                    lang=doc.lang,
                    title=doc.title,
                    source=doc.source,
                    licence=doc.licence,
                    published=doc.published,
                    text=doc.text,
                    sha256=digest,
                )
            )
            return doc
        if row.sha256 != digest:
            raise StorageError(
                f"A different text is already stored under document id {doc.id!r} "
                f"(sha256 {row.sha256[:12]}… vs {digest[:12]}…); give the new document "
                "another id (e.g. a content-hash id) so earlier runs keep their text."
            )
        for attr in ("lang", "title", "source", "licence", "published"):
            if getattr(row, attr) != getattr(doc, attr):
                setattr(row, attr, getattr(doc, attr))  # metadata corrections win
        return doc

    def add_document(self, doc: Document) -> Document:
        """Store a document (idempotent for the same id and text); returns it.

        Raises:
            StorageError: another text is stored under the same id.
        """
        with self._tx() as s:
            return self._put_document(s, doc)

    def get_document(self, doc_id: str) -> Document:
        """The stored document with this id.

        Raises:
            InputError: no such document.
        """
        with self._tx() as s:
            row = s.get(DocumentRow, doc_id)
            if row is None:
                raise InputError(
                    f"No document with id {doc_id!r} is stored in {_describe(self._url)}; "
                    "check the id, or add the document (compare it once) first."
                )
            return _doc_from_row(row)

    def list_documents(self) -> list[Document]:
        """All stored documents, ordered by id."""
        with self._tx() as s:
            return [_doc_from_row(r) for r in s.scalars(select(DocumentRow).order_by("id"))]

    # ----------------------------------------------------------------- runs

    def save_comparison(self, comparison: Comparison, title: str = "") -> int:
        """Store a pairwise comparison (documents deduplicated by id); returns the run id.

        Args:
            comparison: What `nlp.pipeline.compare_documents` returned.
            title: A human title; defaults to "<left title> ↔ <right title>".

        Returns:
            The new run id; `load_comparison(run_id) == comparison`.
        """
        c = comparison
        title = title or f"{c.left.title or c.left.id} ↔ {c.right.title or c.right.id}"
        with self._tx() as s:
            self._put_document(s, c.left)
            self._put_document(s, c.right)
            run = RunRow(
                created=_now(),
                kind="pair",
                title=title,
                mode=c.mode,
                mode_reason=c.mode_reason,
                encoder=c.encoder,
                schema_version=PAIR_SCHEMA,
                settings={"timings": dict(c.timings)},
            )
            s.add(run)
            s.flush()
            s.add_all(
                [
                    RunDocumentRow(run_id=run.id, position=0, role="left", doc_id=c.left.id),
                    RunDocumentRow(run_id=run.id, position=1, role="right", doc_id=c.right.id),
                ]
            )
            s.flush()
            _insert_sentences(
                s, run.id, [(c.left, c.left_sentences), (c.right, c.right_sentences)]
            )
            if c.alignments:
                s.execute(
                    insert(AlignmentRow),
                    [
                        {
                            "run_id": run.id,
                            "idx": i,
                            "left": list(a.left),
                            "right": list(a.right),
                            "score": a.score,
                        }
                        for i, a in enumerate(c.alignments)
                    ],
                )
            if c.findings:
                s.execute(
                    insert(FindingRow),
                    [
                        {
                            "run_id": run.id,
                            "idx": i,
                            "alignment": f.alignment,
                            "kind": f.kind,
                            "status": f.status,
                            **_evidence_columns("left", f.left),
                            **_evidence_columns("right", f.right),
                            "reason": f.reason,
                            "rule": f.rule,
                            "confidence": f.confidence,
                        }
                        for i, f in enumerate(c.findings)
                    ],
                )
            if self.backend == "postgresql":
                # Fresh statistics now, not when autovacuum gets round to it: with the
                # planner believing a run has 2 findings, joining 1,000 reviews to them
                # becomes a quadratic nested loop (168 ms instead of a few).
                s.execute(text("ANALYZE findings"))
            log.info("saved run %s (%d findings) to %s", run.id, len(c.findings), self.url)
            return run.id

    def _run_row(self, s: Session, run_id: int) -> RunRow:
        run = s.get(RunRow, run_id)
        if run is None:
            raise InputError(
                f"No run with id {run_id} is stored in {_describe(self._url)}; "
                "list the stored runs (list_runs) and pick one of their ids."
            )
        return run

    def load_comparison(self, run_id: int) -> Comparison:
        """Rebuild the `Comparison` of a pair run, equal to the one saved.

        Raises:
            InputError: no such run, or the run is a set run.
        """
        with self._tx() as s:
            run = self._run_row(s, run_id)
            if run.kind != "pair":
                raise InputError(
                    f"Run {run_id} is a {run.kind} run, not a pair; open it on the Sets page "
                    "(or load it with load_set)."
                )
            docs = {
                pos: _doc_from_row(row)
                for pos, row in s.execute(
                    select(RunDocumentRow.position, DocumentRow)
                    .join(DocumentRow, DocumentRow.id == RunDocumentRow.doc_id)
                    .where(RunDocumentRow.run_id == run_id)
                )
            }
            sides = _load_sentences(s, run_id, docs)
            alignments = tuple(
                Alignment(left=tuple(left), right=tuple(right), score=score)
                for left, right, score in s.execute(
                    select(AlignmentRow.left, AlignmentRow.right, AlignmentRow.score)
                    .where(AlignmentRow.run_id == run_id)
                    .order_by(AlignmentRow.idx)
                )
            )
            findings = tuple(
                _finding_from_tuple(r)
                for r in s.execute(
                    select(*_FINDING_COLUMNS)
                    .where(FindingRow.run_id == run_id)
                    .order_by(FindingRow.idx)
                )
            )
            return Comparison(
                left=docs[0],
                right=docs[1],
                mode=run.mode,  # type: ignore[arg-type]
                mode_reason=run.mode_reason,
                left_sentences=tuple(sides[0]),
                right_sentences=tuple(sides[1]),
                alignments=alignments,
                findings=findings,
                encoder=run.encoder,
                timings=dict((run.settings or {}).get("timings", {})),
            )

    def get_run(self, run_id: int) -> RunInfo:
        """One run's summary (as in `list_runs`).

        Raises:
            InputError: no such run.
        """
        with self._tx() as s:
            self._run_row(s, run_id)
            return self._run_infos(s, run_id)[0]

    def list_runs(self) -> list[RunInfo]:
        """All runs (pairs and sets), newest first, with their documents in order and their
        finding and conflict counts (two queries)."""
        with self._tx() as s:
            return self._run_infos(s, None)

    def _run_infos(self, s: Session, run_id: int | None) -> list[RunInfo]:
        n_all = (
            select(func.count(FindingRow.id))
            .where(FindingRow.run_id == RunRow.id)
            .correlate(RunRow)
            .scalar_subquery()
        )
        n_conf = (
            select(func.count(FindingRow.id))
            .where(FindingRow.run_id == RunRow.id, FindingRow.status == "conflict")
            .correlate(RunRow)
            .scalar_subquery()
        )
        n_set = (
            select(func.count(SetFindingRow.id))
            .where(SetFindingRow.run_id == RunRow.id)
            .correlate(RunRow)
            .scalar_subquery()
        )
        n_set_conf = (
            select(func.count(SetFindingRow.id))
            .where(SetFindingRow.run_id == RunRow.id, SetFindingRow.status == "conflict")
            .correlate(RunRow)
            .scalar_subquery()
        )
        q = select(RunRow, n_all + n_set, n_conf + n_set_conf).order_by(RunRow.id.desc())
        dq = select(RunDocumentRow.run_id, RunDocumentRow.doc_id).order_by(
            RunDocumentRow.run_id, RunDocumentRow.position
        )
        if run_id is not None:
            q = q.where(RunRow.id == run_id)
            dq = dq.where(RunDocumentRow.run_id == run_id)
        doc_ids: dict[int, list[str]] = {}
        for rid, did in s.execute(dq):
            doc_ids.setdefault(rid, []).append(did)
        return [
            RunInfo(
                id=run.id,
                created=run.created,
                kind=run.kind,
                title=run.title,
                document_ids=tuple(doc_ids.get(run.id, ())),
                mode=run.mode,
                encoder=run.encoder,
                n_findings=n or 0,
                n_conflicts=nc or 0,
            )
            for run, n, nc in s.execute(q)
        ]

    # ----------------------------------------------------------------- findings, reviews

    def _live_reviews(self, s: Session, run_id: int, *, sets: bool = False) -> list[Review]:
        """The live reviews of a pair or set run (no undone ones, no undo rows), by id."""
        rows, findings, fk = _review_tables(sets)
        undo = aliased(rows)
        q = (
            select(rows.id, getattr(rows, fk), rows.reviewer, rows.decision, rows.note, rows.at)
            .join(findings, findings.id == getattr(rows, fk))
            .where(
                findings.run_id == run_id,
                rows.undoes.is_(None),
                ~exists().where(undo.undoes == rows.id),
            )
            .order_by(rows.id)
        )
        return [Review(*r) for r in s.execute(q)]

    def findings(self, run_id: int) -> list[StoredFinding]:
        """The findings of a run in order, each with every reviewer's latest live decision.

        Three queries whatever the number of findings (run, findings, live reviews).

        Raises:
            InputError: no such run.
        """
        with self._tx() as s:
            self._run_row(s, run_id)
            latest: dict[int, dict[str, Review]] = {}
            for review in self._live_reviews(s, run_id):  # ascending id: later overwrite
                latest.setdefault(review.finding_id, {})[review.reviewer] = review
            return [
                StoredFinding(
                    id=r[0],
                    run_id=run_id,
                    index=r[1],
                    finding=_finding_from_tuple(r),
                    latest=latest.get(r[0], {}),
                )
                for r in s.execute(
                    select(*_FINDING_COLUMNS)
                    .where(FindingRow.run_id == run_id)
                    .order_by(FindingRow.idx)
                )
            ]

    def add_review(
        self, finding_id: int, reviewer: str, decision: Decision, note: str = ""
    ) -> Review:
        """Append a reviewer's decision on a finding (committed on return; latest wins).

        Raises:
            ConfigError: unknown decision, or an empty reviewer name.
            InputError: no such finding.
        """
        return self._add_review(finding_id, reviewer, decision, note, sets=False)

    def _add_review(
        self, finding_id: int, reviewer: str, decision: Decision, note: str, *, sets: bool
    ) -> Review:
        """Append a decision on a finding of a pair run or a set run."""
        rows, findings, fk = _review_tables(sets)
        reviewer = _check_review(reviewer, decision)
        with self._tx() as s:
            if s.get(findings, finding_id) is None:
                what, where = ("set finding", "set run's") if sets else ("finding", "run's")
                raise InputError(
                    f"No {what} with id {finding_id} is stored in {_describe(self._url)}; "
                    f"reload the {where} findings and review one of those."
                )
            row = rows(**{fk: finding_id}, reviewer=reviewer, decision=decision, note=note,
                       at=_now())
            s.add(row)
            s.flush()
            return Review(row.id, finding_id, row.reviewer, decision, row.note, row.at)

    def undo_last_review(self, run_id: int, reviewer: str) -> Review | None:
        """Undo the reviewer's most recent live review in the run; return it (None if none).

        An undo is appended (reviews are never deleted), so the reviewer's previous decision
        on that finding, if any, becomes current again. Undoing again goes one further back.
        """
        return self._undo_last(run_id, reviewer, sets=False)

    def _undo_last(self, run_id: int, reviewer: str, *, sets: bool) -> Review | None:
        """Append an undo of the reviewer's latest live review, in a pair or a set run."""
        rows, findings, fk = _review_tables(sets)
        check_run = self._set_run_row if sets else self._run_row
        reviewer = reviewer.strip()
        for attempt in range(3):
            try:
                with self._tx() as s:
                    check_run(s, run_id)
                    undo = aliased(rows)
                    target = s.scalars(
                        select(rows)
                        .join(findings, findings.id == getattr(rows, fk))
                        .where(
                            findings.run_id == run_id,
                            rows.reviewer == reviewer,
                            rows.undoes.is_(None),
                            ~exists().where(undo.undoes == rows.id),
                        )
                        .order_by(rows.id.desc())
                        .limit(1)
                    ).first()
                    if target is None:
                        return None
                    s.add(
                        rows(
                            **{fk: getattr(target, fk)},
                            reviewer=reviewer,
                            decision=None,
                            note="",
                            at=_now(),
                            undoes=target.id,
                        )
                    )
                    s.flush()
                    return Review(
                        target.id,
                        getattr(target, fk),
                        target.reviewer,
                        target.decision,
                        target.note,
                        target.at,
                    )
            except StorageError as exc:
                # Another session undid the same review at the same moment (unique `undoes`):
                # try again, which undoes the next one back.
                if not isinstance(exc.__cause__, IntegrityError) or attempt == 2:
                    raise
        return None  # pragma: no cover - the loop returns or raises

    def reviews(self, run_id: int) -> list[Review]:
        """The live reviews of a run (undone ones and undo markers left out), oldest first.

        Raises:
            InputError: no such run.
        """
        with self._tx() as s:
            self._run_row(s, run_id)
            return self._live_reviews(s, run_id)

    # ----------------------------------------------------------------- set runs

    def save_set(self, result: SetComparison, title: str = "") -> int:
        """Store a set comparison (documents deduplicated by id); returns the run id.

        Args:
            result: What `nlp.sets.compare_set` returned (N >= 2 documents).
            title: A human title; defaults to the document titles joined by " + ".

        Returns:
            The new run id; `load_set(run_id) == result` (timings aside).

        Example:
            >>> # run_id = repo.save_set(compare_set(docs, encoder), title="3 reports")
        """
        r = result
        title = title or " + ".join(d.title or d.id for d in r.documents)
        modes = sorted({p.mode for p in r.pairs})
        with self._tx() as s:
            for d in r.documents:
                self._put_document(s, d)
            run = RunRow(
                created=_now(),
                kind="set",
                title=title,
                mode=modes[0] if len(modes) == 1 else "mixed",
                mode_reason=", ".join(
                    f"{sum(p.mode == m for p in r.pairs)} {m}" for m in modes
                ) + f" of {len(r.pairs)} pairs",
                encoder=r.encoder,
                schema_version=SET_SCHEMA,
                settings={"timings": {k: float(v) for k, v in r.timings.items()}},
            )
            s.add(run)
            s.flush()
            rid = run.id
            s.add_all(
                [
                    RunDocumentRow(
                        run_id=rid,
                        position=i,
                        role=f"d{i}",
                        doc_id=d.id,
                        published=r.published[i],
                        published_from=r.published_from[i],
                    )
                    for i, d in enumerate(r.documents)
                ]
            )
            s.flush()
            _insert_sentences(s, rid, list(zip(r.documents, r.sentences, strict=True)))
            if r.pairs:
                s.execute(
                    insert(SetPairRow),
                    [
                        {
                            "run_id": rid,
                            "left_pos": p.left,
                            "right_pos": p.right,
                            "mode": p.mode,
                            "reason": p.reason,
                            "alignments": [_alignment_json(a) for a in p.alignments],
                            "anchored": [_alignment_json(a) for a in p.anchored],
                        }
                        for p in r.pairs
                    ],
                )
            if r.groups:
                s.execute(
                    insert(SetGroupRow),
                    [
                        {
                            "run_id": rid,
                            "group_id": g.id,
                            "score": float(g.score),
                            "members": [[d, list(idx)] for d, idx in g.members],
                        }
                        for g in r.groups
                    ],
                )
            if r.findings:
                ids = s.scalars(
                    insert(SetFindingRow).returning(SetFindingRow.id, sort_by_parameter_order=True),
                    [
                        {
                            "run_id": rid,
                            "idx": f.id,
                            "group_id": f.group,
                            "kind": f.kind,
                            "status": f.status,
                            "rule": f.rule,
                            "reason": f.reason,
                            "confidence": float(f.confidence),
                            "dissenters": list(f.dissenters),
                            "silent": list(f.silent),
                            "time_context": _time_context_json(f.time_context),
                        }
                        for f in r.findings
                    ],
                ).all()
                values = [
                    {
                        "set_finding_id": fid,
                        "position": d,
                        "text": e.text,
                        "value": e.value,
                        "start": e.start,
                        "end": e.end,
                        "note": e.note,
                    }
                    for fid, f in zip(ids, r.findings, strict=True)
                    for d, e in f.values
                ]
                if values:
                    s.execute(insert(SetValueRow), values)
            if self.backend == "postgresql":
                s.execute(text("ANALYZE set_findings"))  # see save_comparison
            log.info("saved set run %s (%d findings) to %s", rid, len(r.findings), self.url)
            return rid

    def _set_run_row(self, s: Session, run_id: int) -> RunRow:
        run = self._run_row(s, run_id)
        if run.kind != "set":
            raise InputError(
                f"Run {run_id} is a {run.kind} run, not a set; open it on the Review page "
                "(or load it with load_comparison)."
            )
        return run

    def load_set(self, run_id: int) -> SetComparison:
        """Rebuild the `SetComparison` of a set run, equal to the one saved (timings kept).

        Seven queries whatever the size of the set.

        Raises:
            InputError: no such run, or the run is a pair run.
        """
        from nlp.sets import ClaimGroup, PairAlignment, SetComparison

        with self._tx() as s:
            run = self._set_run_row(s, run_id)
            docs: list[Document] = []
            published: list[str | None] = []
            published_from: list[str] = []
            for row, pub, origin in s.execute(
                select(DocumentRow, RunDocumentRow.published, RunDocumentRow.published_from)
                .join(RunDocumentRow, DocumentRow.id == RunDocumentRow.doc_id)
                .where(RunDocumentRow.run_id == run_id)
                .order_by(RunDocumentRow.position)
            ):
                docs.append(_doc_from_row(row))
                published.append(pub)
                published_from.append(origin or "unknown")
            loaded = _load_sentences(s, run_id, dict(enumerate(docs)))
            sentences = [loaded[pos] for pos in range(len(docs))]
            pairs = tuple(
                PairAlignment(
                    left=p.left_pos,
                    right=p.right_pos,
                    mode=p.mode,  # type: ignore[arg-type]
                    reason=p.reason,
                    alignments=tuple(_alignment_of(a) for a in p.alignments),
                    anchored=tuple(_alignment_of(a) for a in p.anchored),
                )
                for p in s.scalars(
                    select(SetPairRow)
                    .where(SetPairRow.run_id == run_id)
                    .order_by(SetPairRow.left_pos, SetPairRow.right_pos)
                )
            )
            groups = tuple(
                ClaimGroup(
                    id=g.group_id,
                    members=tuple((d, tuple(idx)) for d, idx in g.members),
                    score=g.score,
                )
                for g in s.scalars(
                    select(SetGroupRow)
                    .where(SetGroupRow.run_id == run_id)
                    .order_by(SetGroupRow.group_id)
                )
            )
            findings = tuple(sf.finding for sf in self._set_findings(s, run_id, {}))
            return SetComparison(
                documents=tuple(docs),
                sentences=tuple(tuple(x) for x in sentences),
                published=tuple(published),
                published_from=tuple(published_from),  # type: ignore[arg-type]
                pairs=pairs,
                groups=groups,
                findings=findings,
                encoder=run.encoder,
                timings=dict((run.settings or {}).get("timings", {})),
            )

    def _set_findings(
        self, s: Session, run_id: int, latest: dict[int, dict[str, Review]]
    ) -> list[StoredSetFinding]:
        """Set findings of a run in order (two queries: findings, values)."""
        from nlp.sets import SetFinding

        values: dict[int, list[tuple[int, Evidence]]] = {}
        for fid, pos, txt, value, start, end, note in s.execute(
            select(
                SetValueRow.set_finding_id,
                SetValueRow.position,
                SetValueRow.text,
                SetValueRow.value,
                SetValueRow.start,
                SetValueRow.end,
                SetValueRow.note,
            )
            .join(SetFindingRow, SetFindingRow.id == SetValueRow.set_finding_id)
            .where(SetFindingRow.run_id == run_id)
            .order_by(SetValueRow.set_finding_id, SetValueRow.position)
        ):
            ev = Evidence(text=txt, value=value, start=start, end=end, note=note)
            values.setdefault(fid, []).append((pos, ev))
        return [
            StoredSetFinding(
                id=row.id,
                run_id=run_id,
                index=row.idx,
                finding=SetFinding(
                    id=row.idx,
                    group=row.group_id,
                    kind=row.kind,  # type: ignore[arg-type]
                    status=row.status,  # type: ignore[arg-type]
                    values=tuple(values.get(row.id, ())),
                    dissenters=tuple(row.dissenters),
                    silent=tuple(row.silent),
                    reason=row.reason,
                    rule=row.rule,
                    confidence=row.confidence,
                    time_context=_time_context_of(row.time_context),
                ),
                latest=latest.get(row.id, {}),
            )
            for row in s.scalars(
                select(SetFindingRow)
                .where(SetFindingRow.run_id == run_id)
                .order_by(SetFindingRow.idx)
            )
        ]

    def set_findings(self, run_id: int) -> list[StoredSetFinding]:
        """The findings of a set run in order, each with every reviewer's latest decision.

        Four queries whatever the number of findings (run, live reviews, findings, values).

        Raises:
            InputError: no such run, or a pair run.
        """
        with self._tx() as s:
            self._set_run_row(s, run_id)
            latest: dict[int, dict[str, Review]] = {}
            for review in self._live_reviews(s, run_id, sets=True):  # ascending id: later overwrite
                latest.setdefault(review.finding_id, {})[review.reviewer] = review
            return self._set_findings(s, run_id, latest)

    def add_set_review(
        self, set_finding_id: int, reviewer: str, decision: Decision, note: str = ""
    ) -> Review:
        """Append a reviewer's decision on a set finding (committed on return; latest wins).

        Args:
            set_finding_id: `StoredSetFinding.id` (not the finding's position in the run).
            reviewer: Name or initials; surrounding spaces are dropped.
            decision: One of `DECISIONS`.
            note: Free text kept with the decision.

        Returns:
            The stored review (`Review.finding_id` is the set finding id).

        Raises:
            ConfigError: unknown decision, or an empty reviewer name.
            InputError: no such set finding.
        """
        return self._add_review(set_finding_id, reviewer, decision, note, sets=True)

    def undo_last_set_review(self, run_id: int, reviewer: str) -> Review | None:
        """Undo the reviewer's most recent live review in a set run; return it (None if none).

        As `undo_last_review`: an undo row is appended, the previous decision comes back.
        """
        return self._undo_last(run_id, reviewer, sets=True)

    def set_reviews(self, run_id: int) -> list[Review]:
        """The live reviews of a set run (undone ones and undo markers left out), oldest first.

        Raises:
            InputError: no such run, or a pair run.
        """
        with self._tx() as s:
            self._set_run_row(s, run_id)
            return self._live_reviews(s, run_id, sets=True)


def open_repository(
    url: str | None = None, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> SqlRepository:
    """Open (and migrate) the Tabayyun database.

    Args:
        url: SQLAlchemy URL; else env `TABAYYUN_DB_URL`; else SQLite at
            `<data dir>/tabayyun.sqlite3` (`TABAYYUN_DATA_DIR` or `~/.local/share/tabayyun`).
            "sqlite://" is an in-memory database (one shared connection).
        busy_timeout: Seconds a SQLite writer waits for another process's lock before a
            `StorageError` says the database is locked.

    Returns:
        A `SqlRepository` at the newest schema revision.

    Raises:
        StorageError: bad URL, missing folder, locked file, unreachable server, or a
            database written by a newer Tabayyun.

    Example:
        >>> repo = open_repository("sqlite://")
        >>> repo.schema_revision()
        '0002_sets'
    """
    parsed = _parse_url(resolve_db_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().absolute().parent
        if not folder.is_dir():
            raise StorageError(
                f"The folder {folder} for the database {parsed.database} does not exist; "
                f"create it, or set {ENV_DB_URL} (or TABAYYUN_DATA_DIR) to another location."
            )
    repo = SqlRepository(_make_engine(parsed, busy_timeout), parsed)
    try:
        repo.migrate()
    except BaseException:
        repo.close()
        raise
    return repo

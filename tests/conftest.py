"""Shared fixtures. Keep each engineer's fixtures together; storage fixtures come first.

Storage (corpus/store.py, app/export.py):
    repo               a migrated SqlRepository on in-memory SQLite (`sqlite://`, StaticPool)
    pg_url             URL of a PostgreSQL server: env TABAYYUN_TEST_PG_URL, else a throwaway
                       server started by scripts/start_test_postgres.sh; skips when none can
                       be had, except with CI=true, where it fails
    sample_comparison  a real Comparison built by hand from the demo seed texts
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from corpus.store import SqlRepository, open_repository
from nlp.records import Alignment, Comparison, Document, Evidence, Finding, Sentence

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never write into the user's data dir (database, embedding and gazetteer caches)."""
    saved = os.environ.get("TABAYYUN_DATA_DIR")
    os.environ["TABAYYUN_DATA_DIR"] = str(tmp_path_factory.mktemp("tabayyun-data"))
    yield
    if saved is None:
        os.environ.pop("TABAYYUN_DATA_DIR", None)
    else:
        os.environ["TABAYYUN_DATA_DIR"] = saved

# --------------------------------------------------------------------------- storage


@pytest.fixture
def repo() -> Iterator[SqlRepository]:
    """A fresh, migrated repository on in-memory SQLite (one shared connection)."""
    r = open_repository("sqlite://")
    yield r
    r.close()


def pg_unavailable(reason: str) -> None:
    """Skip a PostgreSQL test with a visible reason, or fail it when CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI but unavailable: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL server for the `postgres` tests (see the module docstring)."""
    given = os.environ.get("TABAYYUN_TEST_PG_URL")
    if given:
        yield given
        return
    script = REPO_ROOT / "scripts" / "start_test_postgres.sh"
    data_dir = Path(tempfile.mkdtemp(prefix="tabayyun-pg-")) / "data"
    data_dir.parent.chmod(0o755)  # as root the server runs as `postgres`, which must get in
    env = {**os.environ, "TABAYYUN_PG_PORT": str(_free_port()), "TABAYYUN_PG_DIR": str(data_dir)}
    try:
        proc = subprocess.run(
            ["bash", str(script)], env=env, capture_output=True, text=True, timeout=90
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pg_unavailable(f"{script.name} could not run ({exc})")
    if proc.returncode != 0:
        shutil.rmtree(data_dir.parent, ignore_errors=True)
        pg_unavailable(proc.stderr.strip() or f"{script.name} exited {proc.returncode}")
    try:
        yield proc.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(script), "stop"], env=env, capture_output=True, timeout=60)
        shutil.rmtree(data_dir.parent, ignore_errors=True)


@pytest.fixture
def pg_database_url(pg_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema on the `pg_url` server, dropped afterwards.

    The URL sets `search_path` to the schema, so every table (and `alembic_version`) lives
    there: a schema costs milliseconds where a new database costs ~0.4 s.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(pg_url)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
    except psycopg.Error as exc:
        pg_unavailable(f"cannot create a test schema on {base!r}: {exc}")
    yield base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _doc_and_sentences(
    doc_id: str, lang: str, sentences: list[str], **meta: str
) -> tuple[Document, tuple[Sentence, ...]]:
    text = "\n".join(sentences)
    out, pos = [], 0
    for i, s in enumerate(sentences):
        out.append(Sentence(doc_id=doc_id, idx=i, text=s, start=pos, end=pos + len(s)))
        pos += len(s) + 1
    return Document(id=doc_id, text=text, lang=lang, **meta), tuple(out)  # type: ignore[arg-type]


def _ev(doc: Document, surface: str, value: object, note: str = "") -> Evidence:
    start = doc.text.index(surface)
    return Evidence(text=surface, value=value, start=start, end=start + len(surface), note=note)


@pytest.fixture(scope="session")
def sample_comparison() -> Comparison:
    """The comparison of `build_sample_comparison` (see there)."""
    return build_sample_comparison()


def build_sample_comparison() -> Comparison:
    """Arabic (seed 000, one sentence of seed 004) vs English (seed 001), by hand.

    Sentences are verbatim from the seeds (Wikipedia footnote markers removed). Findings:
    a date, a percentage and a place that agree, a range that agrees (dict values), a
    number only the English gives (no left evidence), a conflict (the Arabic news report
    puts ISIL's share of the city at about 60 percent where the English says halves), and
    two omissions (one unmatched sentence on each side).
    """
    left, ls = _doc_and_sentences(
        "seed-000",
        "ar",
        [
            "في 17 أكتوبر، استولى الجيش على ثلاثة مناطق في دير الزور وتقدم في ثلاثة مناطق"
            " أخرى، لتصبح 90 بالمائة من المدينة تحت سيطرتهم.",
            "في 23 سبتمبر، تقدمت قوات حكومية شمال غرب دير الزور، لتقيم رابط مع القوات في جنوب"
            " شرق الرقة والاستيلاء على معدان.",
            "بين 14 و23 سبتمبر، كان الجيش قد طهر بين 1,300 و1،700 كيلومتر مربع من الأرض.",
            "ويسيطر التنظيم، منذ صيف 2014، على اجزاء واسعة من المحافظة ونحو 60 في المئة من"
            " مساحة مدينة دير الزور.",
            "في 16 سبتمبر، استولى الجيش السوري على عياش وتلتها القريبة، ليعكس مكاسب داعش التي"
            " تحققت خلال هجوم سابق في عام 2016.",
        ],
        title="هجوم دير الزور (سبتمبر–نوفمبر 2017)",
        source="https://ar.wikipedia.org/wiki/هجوم_دير_الزور_(سبتمبر–نوفمبر_2017)",
        licence="CC BY-SA 4.0",
        published="2017-12-01",
    )
    right, rs = _doc_and_sentences(
        "seed-001",
        "en",
        [
            "On 17 October, the Army captured three districts in Deir ez-Zor and advanced in"
            " three other areas, bringing 90 percent of the city under their control.",
            "On 23 September, government forces advanced northwest of Deir ez-Zor, linking up"
            " with troops in southeast Raqqa and capturing Maadan.",
            "Between 14 and 23 September, the military had cleared between 1,300 and 1,700"
            " square kilometers of territory, including 35 towns and villages.",
            "From 2014 until 2017, the city had been divided into Syrian government and"
            " ISIL-controlled halves.",
            "On 6 October, it was reported that Syrian airstrikes on ISIS-held Al-Makhan in"
            " eastern Deir ez-Zor resulted in 13 civilian deaths.",
        ],
        title="Deir ez-Zor offensive (September–November 2017)",
        source="https://en.wikipedia.org/wiki/Deir_ez-Zor_offensive_(September–November_2017)",
        licence="CC BY-SA 4.0",
        published="2017-11-20",
    )
    alignments = (
        Alignment((0,), (0,), 0.91),
        Alignment((1,), (1,), 0.87),
        Alignment((2,), (2,), 0.84),
        Alignment((3,), (3,), 0.52),
        Alignment((4,), (), 0.0),
        Alignment((), (4,), 0.0),
    )
    rng = {"value": 1500, "low": 1300, "high": 1700}
    findings = (
        Finding(0, "date", "agree", _ev(left, "17 أكتوبر", "2017-10-17", "year from context"),
                _ev(right, "17 October", "2017-10-17", "year from context"),
                "17 October on both sides", 0.97, "date.same_day"),
        Finding(0, "number", "agree", _ev(left, "90 بالمائة", 90), _ev(right, "90 percent", 90),
                "90 percent on both sides", 0.95, "number.exact"),
        Finding(1, "place", "agree", _ev(left, "معدان", "Maadan"), _ev(right, "Maadan", "Maadan"),
                "معدان is the gazetteer's Maadan", 0.9, "place.same"),
        Finding(2, "number", "agree", _ev(left, "1,300 و1،700", rng),
                _ev(right, "1,300 and 1,700", rng), "same range 1,300-1,700 km2", 0.93,
                "number.same_range"),
        Finding(2, "number", "right_only", None, _ev(right, "35 towns", 35),
                "35 towns and villages only in the English", 0.7, "number.unpaired"),
        Finding(3, "number", "conflict",
                _ev(left, "نحو 60 في المئة", {"value": 60, "low": 54, "high": 66}),
                _ev(right, "halves", 50, "halves read as 50 percent"),
                "about 60 percent (54-66) vs halves (50 percent): no overlap", 0.62,
                "number.hedge_overlap"),
        Finding(4, "omission", "left_only", _ev(left, ls[4].text, None), None,
                "sentence only in the Arabic", 0.8, "omission.unaligned"),
        Finding(5, "omission", "right_only", None, _ev(right, rs[4].text, None),
                "sentence only in the English", 0.8, "omission.unaligned"),
    )
    return Comparison(
        left=left,
        right=right,
        mode="translation",
        mode_reason="the Arabic article is a translation of the English one",
        left_sentences=ls,
        right_sentences=rs,
        alignments=alignments,
        findings=findings,
        encoder="fake-encoder-8",
        timings={"segment": 0.01, "align": 0.02},
    )


# --------------------------------------------------------------------------- (others below)


def reviewers_at_once(
    db_url: str,
    work: Callable[[SqlRepository, str], None],
    names: tuple[str, ...] = ("ana", "omar"),
) -> list[BaseException]:
    """Run `work(repo, name)` for every reviewer name at the same moment, each in its own
    thread with its own connection; returns what any of them raised (empty: nothing lost)."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(names))

    def review(name: str) -> None:
        repo = open_repository(db_url)
        try:
            barrier.wait()
            work(repo, name)
        except BaseException as exc:  # reported to the caller
            errors.append(exc)
        finally:
            repo.close()

    threads = [threading.Thread(target=review, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors

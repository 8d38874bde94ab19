"""Latency of the storage queries the review app makes, on a run of 1,000 findings.

Reports, for SQLite (a file in WAL mode, as `open_repository()` makes it) and, when
TABAYYUN_TEST_PG_URL is set, PostgreSQL: the median and worst of 20 calls of
`findings(run_id)` (1,000 findings, three reviewers, ~1,000 live reviews and 30 undos),
`load_comparison`, `list_runs`, `reviews`, one `add_review` (committed), and the one-off
`save_comparison`. Target: `findings` well under 100 ms on SQLite.

Run: `.venv/bin/python bench/store_queries.py` (writes bench/results/store.md).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.store import open_repository  # noqa: E402
from tests.conftest import build_sample_comparison  # noqa: E402

OUT = ROOT / "bench" / "results" / "store.md"
N_FINDINGS = 1000
REPEAT = 20


def _ms(fn: Callable[[], object], repeat: int = REPEAT) -> tuple[float, float, float]:
    """Median and worst wall time, and median CPU time of this process, in ms.

    The machine is shared: CPU time says what the call costs when the wall time is
    inflated by other processes (it leaves out the database server's own time).
    """
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), max(wall), statistics.median(cpu)


def bench(url: str) -> list[tuple[str, float, float, float]]:
    sample = build_sample_comparison()
    reps = -(-N_FINDINGS // len(sample.findings))
    big = dataclasses.replace(sample, findings=(sample.findings * reps)[:N_FINDINGS])
    repo = open_repository(url)
    t0, c0 = time.perf_counter(), time.process_time()
    run_id = repo.save_comparison(big, "bench")
    save_ms, save_cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    ids = [f.id for f in repo.findings(run_id)]
    for i, fid in enumerate(ids):
        for who in ("ana", "omar", "lina")[: 1 + i % 3]:
            if (i + len(who)) % 2:
                repo.add_review(fid, who, "confirmed", "checked against the source")
    for _ in range(30):
        repo.undo_last_review(run_id, "omar")
    found = repo.findings(run_id)
    assert len(found) == N_FINDINGS
    rows = [
        ("save_comparison (once)", save_ms, save_ms, save_cpu),
        ("findings(run) 1,000 + latest decisions", *_ms(lambda: repo.findings(run_id))),
        ("load_comparison(run)", *_ms(lambda: repo.load_comparison(run_id))),
        ("reviews(run)", *_ms(lambda: repo.reviews(run_id))),
        ("list_runs()", *_ms(repo.list_runs)),
        ("add_review (committed)", *_ms(lambda: repo.add_review(ids[0], "ana", "agree"), 10)),
    ]
    n_reviews = len(repo.reviews(run_id))
    repo.close()
    rows.append((f"(live reviews in the run: {n_reviews})", 0.0, 0.0, 0.0))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {"SQLite (file, WAL)": bench(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")}
    if os.environ.get("TABAYYUN_TEST_PG_URL"):
        results["PostgreSQL"] = bench(os.environ["TABAYYUN_TEST_PG_URL"])
    lines = [
        "# Storage query latency",
        "",
        f"{N_FINDINGS} findings in one run; median and worst of {REPEAT} calls, milliseconds.",
        f"Load average when run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared).",
        "",
    ]
    for backend, rows in results.items():
        lines += [
            f"## {backend}",
            "",
            "| call | median ms | worst ms | median CPU ms (this process) |",
            "| --- | ---: | ---: | ---: |",
        ]
        lines += [f"| {n} | {m:.1f} | {w:.1f} | {c:.1f} |" for n, m, w, c in rows]
        lines.append("")
    report = "\n".join(lines)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()

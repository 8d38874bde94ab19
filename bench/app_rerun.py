"""Benchmark of the review app: page reruns with 1,000 findings, and time to first findings.

    .venv/bin/python bench/app_rerun.py [--reruns 30] [--skip-browser] [--out bench/results/app.md]

1. Review-page rerun with 1,000 findings in the store (target < 300 ms): the demo pair is
   compared once (hashing encoder), its findings repeated cyclically up to 1,000 (each keeps
   a valid alignment), stored in a temporary SQLite file, and the Review page is run with
   `AppTest`: a plain rerun (what any widget change costs), a "Next" click, and a decision
   click (a committed write plus the reload of the 1,000 findings). AppTest runs the script
   in-process, so the figure is server time (script + storage), not browser paint.
2. Start to first findings: `streamlit run` is started in a subprocess against a fresh
   database and a headless chromium (already running) polls the page until the side-by-side
   pair of the first finding is in the DOM. Cases: fresh database with the hashing encoder,
   fresh database with the bundled encoder (the real first start: the demo comparison is
   computed), and a second start on that database (stored run; no pipeline).

Prints the report and writes it as Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import DEMO_LEFT, DEMO_RIGHT, DEMO_TITLE  # noqa: E402
from corpus.demo import load_demo  # noqa: E402
from corpus.store import open_repository  # noqa: E402
from models.fake import HashingEncoder  # noqa: E402
from nlp.pipeline import compare_documents  # noqa: E402
from nlp.records import Comparison  # noqa: E402

APP = str(ROOT / "app" / "streamlit_app.py")
N_FINDINGS = 1000


def thousand_findings(comparison: Comparison, n: int = N_FINDINGS) -> Comparison:
    """The comparison with its findings repeated in order until there are `n`."""
    base = comparison.findings
    findings = tuple(base[i % len(base)] for i in range(n))
    return dataclasses.replace(comparison, findings=findings)


def _stats(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {
        "n": len(ms),
        "median": statistics.median(ms),
        "p90": ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))],
        "max": ms[-1],
    }


def bench_reruns(reruns: int) -> dict[str, dict[str, float]]:
    """Median/p90/max milliseconds of Review-page reruns with 1,000 stored findings."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.update(
            {"TABAYYUN_DB_URL": url, "TABAYYUN_ENCODER": "hashing", "TABAYYUN_DEMO": "0"}
        )
        repo = open_repository(url)
        left, right = load_demo(DEMO_LEFT), load_demo(DEMO_RIGHT)
        repo.add_document(left)
        repo.add_document(right)
        demo = compare_documents(left, right, HashingEncoder(), mode="translation")
        run_id = repo.save_comparison(thousand_findings(demo), title="bench: 1,000 findings")
        assert len(repo.findings(run_id)) == N_FINDINGS

        at = AppTest.from_file(APP, default_timeout=120)
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        assert not at.exception, at.exception
        at.sidebar.text_input(key="app.reviewer").input("bench").run()
        assert len(at.session_state["review.queue_ids"]) == N_FINDINGS

        out: dict[str, dict[str, float]] = {"first run (cold caches)": _stats([first])}
        samples = []
        for _ in range(reruns):
            t0 = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - t0)
        out["rerun"] = _stats(samples)
        samples = []
        for _ in range(reruns):
            t0 = time.perf_counter()
            at.button(key="review.next").click().run()
            samples.append(time.perf_counter() - t0)
        out["Next (J)"] = _stats(samples)
        samples = []
        for _ in range(reruns):
            t0 = time.perf_counter()
            at.button(key="review.decide.agree").click().run()
            samples.append(time.perf_counter() - t0)
            assert at.success and at.success[0].value.startswith("Saved")
        out["decision (write + reload)"] = _stats(samples)
        assert len(repo.reviews(run_id)) == reruns
        repo.close()
    return out


def _time_to_findings(driver, env: dict[str, str], timeout: float = 300.0) -> float:
    """Seconds from `streamlit run` to the first finding's pair in chromium's DOM."""
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.browser_support import streamlit_server

    t0 = time.perf_counter()
    with streamlit_server(env, timeout=timeout) as base:
        driver.get(base)
        WebDriverWait(driver, timeout, poll_frequency=0.05).until(
            lambda d: d.find_elements("css selector", ".tby-pair .tby-text")
        )
        elapsed = time.perf_counter() - t0
        driver.get("about:blank")
    return elapsed


def bench_start() -> dict[str, float]:
    """Start-to-first-findings seconds for three cases (see module docstring)."""
    from tests.browser_support import chromium, chromium_missing

    reason = chromium_missing()
    if reason:
        print(f"start benchmark skipped: {reason}", file=sys.stderr)
        return {}
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as driver:
        fresh = {"TABAYYUN_DB_URL": f"sqlite:///{tmp}/hashing.sqlite3",
                 "TABAYYUN_ENCODER": "hashing", "TABAYYUN_DEMO": "1"}  # fmt: skip
        out["fresh database, hashing encoder (demo computed)"] = _time_to_findings(driver, fresh)
        real = {"TABAYYUN_DB_URL": f"sqlite:///{tmp}/bundled.sqlite3",
                "TABAYYUN_ENCODER": "use-multilingual-v3", "TABAYYUN_DEMO": "1",
                "TABAYYUN_DATA_DIR": tmp}  # fmt: skip
        out["fresh database, bundled encoder (demo computed)"] = _time_to_findings(driver, real)
        out["second start, bundled encoder (stored run)"] = _time_to_findings(driver, real)
    return out


def report(reruns: dict[str, dict[str, float]], start: dict[str, float]) -> str:
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Review app benchmark",
        "",
        f"Machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"shared with other jobs. Produced by `bench/app_rerun.py` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        f"## Review-page rerun, {N_FINDINGS:,} findings in the store (target < 300 ms)",
        "",
        "Server time measured with `streamlit.testing.v1.AppTest` (script + storage, no "
        "browser paint). The demo pair's findings repeated to 1,000.",
        "",
        "| action | n | median ms | p90 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, s in reruns.items():
        lines.append(
            f"| {name} | {s['n']:.0f} | {s['median']:.0f} | {s['p90']:.0f} | {s['max']:.0f} |"
        )
    lines += ["", "## `streamlit run` to first findings in chromium", ""]
    if start:
        lines += ["| case | seconds |", "| --- | ---: |"]
        lines += [f"| {name} | {sec:.1f} |" for name, sec in start.items()]
    else:
        lines.append("Not measured in this run (`--skip-browser`, or chromium missing).")
    lines += [
        "",
        f"Demo run: {DEMO_TITLE}. The encoder is loaded once per server "
        "(`st.cache_resource`); a stored run is never recomputed on rerun.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reruns", type=int, default=30)
    p.add_argument("--skip-browser", action="store_true")
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "app.md"))
    args = p.parse_args(argv)
    reruns = bench_reruns(args.reruns)
    start = {} if args.skip_browser else bench_start()
    text = report(reruns, start)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Throughput of the pairwise pipeline against the raw encoder, per stage, with memory.

Reports, on this machine and in one run:
- the demo pair (ar-wiki vs en-wiki) and a synthetic translation pair of 10,000+ sentences
  per side built from the UD Arabic PUD sentences (CC BY-SA 3.0): wall time per stage,
  sentences per second end to end, raw encoder sentences per second on the same sentences,
  their ratio (target >= 0.80), and peak memory (RSS high-water mark);
- cold start: `tabayyun compare ar-wiki en-wiki` in a fresh process with an empty embedding
  cache, against a fresh process that only loads the encoder and encodes the same sentences
  (target: within 1.5x).

Run: `.venv/bin/python bench/pipeline_throughput.py` (writes bench/results/pipeline.md).
"""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PUD = ROOT.parent / "shared" / "data" / "ud_arabic_pud_ar_en.tsv"
OUT = ROOT / "bench" / "results" / "pipeline.md"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pud_pairs() -> list[tuple[str, str]]:
    with PUD.open(encoding="utf-8") as f:
        return [(r["ar"], r["en"]) for r in csv.DictReader(f, delimiter="\t")]


def synthetic_pair(copies: int) -> tuple[str, str]:
    """PUD sentences, `copies` times over in a different block order each time (same order on
    both sides: a translation pair), one sentence per line."""
    import random

    pairs = pud_pairs()
    rng = random.Random(7)
    ar_lines: list[str] = []
    en_lines: list[str] = []
    for _ in range(copies):
        order = list(range(0, len(pairs), 20))
        rng.shuffle(order)
        for block in order:
            for ar, en in pairs[block : block + 20]:
                ar_lines.append(ar)
                en_lines.append(en)
    return "\n".join(ar_lines), "\n".join(en_lines)


def run_pair(label: str, left, right, encoder) -> list[str]:
    from nlp.pipeline import compare_documents, text_for_encoding

    t0 = time.perf_counter()
    comp = compare_documents(left, right, encoder, mode="translation")
    total = time.perf_counter() - t0
    n = len(comp.left_sentences) + len(comp.right_sentences)
    texts = [text_for_encoding(s) for s in (*comp.left_sentences, *comp.right_sentences)]
    t0 = time.perf_counter()
    encoder.encode(texts)
    raw = time.perf_counter() - t0
    e2e_sps, raw_sps = n / total, n / raw
    lines = [
        f"### {label}",
        "",
        f"- sentences: {len(comp.left_sentences):,} (ar) + {len(comp.right_sentences):,} (en)"
        f" = {n:,}; alignments {len(comp.alignments):,}; findings {len(comp.findings):,}",
        "- wall time per stage (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in comp.timings.items())
        + f"; total {total:.2f}",
        f"- end to end: {e2e_sps:,.0f} sentences/s; raw encoder on the same sentences: "
        f"{raw_sps:,.0f} sentences/s; ratio **{e2e_sps / raw_sps:.2f}** (target >= 0.80)",
        f"- peak RSS so far: {peak_rss_mb():,.0f} MB",
        "",
    ]
    print("\n".join(lines), flush=True)
    return lines


def cold_start() -> list[str]:
    exe = Path(sys.executable).parent / "tabayyun"
    probe = (
        "import time; t=time.perf_counter();"
        "from models import load_encoder; from corpus.demo import load_demo;"
        "from nlp.segment import segment; from nlp.pipeline import text_for_encoding;"
        "e=load_encoder('use-multilingual-v3');"
        "s=[text_for_encoding(x) for d in ('ar-wiki','en-wiki') for x in segment(load_demo(d))];"
        "e.encode(s)"
    )
    rows = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "TABAYYUN_DATA_DIR": tmp}
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", probe], check=True, env=env, cwd=tmp)
            enc = time.perf_counter() - t0
            t0 = time.perf_counter()
            subprocess.run(
                [str(exe), "-q", "compare", "ar-wiki", "en-wiki", "--out", f"{tmp}/o.json"],
                check=True, env=env, cwd=tmp,
            )
            cli = time.perf_counter() - t0
        rows.append((enc, cli))
    enc = min(r[0] for r in rows)
    cli = min(r[1] for r in rows)
    lines = [
        "### Cold start (fresh process, empty embedding cache; best of 3)",
        "",
        f"- load encoder + encode the demo sentences: {enc:.2f} s",
        f"- `tabayyun compare ar-wiki en-wiki --out o.json`: {cli:.2f} s;"
        f" ratio **{cli / enc:.2f}** (target <= 1.5)",
        "",
    ]
    print("\n".join(lines), flush=True)
    return lines


def main() -> None:
    from corpus.demo import load_demo
    from models import load_encoder
    from nlp.records import Document

    encoder = load_encoder("use-multilingual-v3")  # no cache: every run encodes for real
    encoder.encode(["warm up"])
    report = [
        "# Pipeline throughput",
        "",
        f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"encoder {encoder.name}; {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
    ]
    report += run_pair("Demo pair (ar-wiki vs en-wiki)", load_demo("ar-wiki"), load_demo("en-wiki"),
                       encoder)
    ar, en = synthetic_pair(copies=10)
    report += run_pair(
        "Synthetic translation pair from PUD (10 copies, block order shuffled)",
        Document("synthetic-ar", ar, "ar", title="PUD x10 (ar)"),
        Document("synthetic-en", en, "en", title="PUD x10 (en)"),
        encoder,
    )
    report += cold_start()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(report), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

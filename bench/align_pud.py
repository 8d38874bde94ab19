"""Alignment benchmark on the UD Arabic PUD sentence pairs, with the USE encoder.

Builds long Arabic (left) / English (right) document pairs from the 1,000 faithful PUD
pairs, aligns them in each mode and scores strict / lax P/R/F1 (Vecalign's convention,
`nlp.align_eval`). Variants:

- A, faithful: every sentence in order (gold: 1-1 everywhere).
- B, edited: ~10% of English sentences removed (1-0), ~10% of adjacent Arabic sentence
  pairs merged into one sentence (2-1, or 1-1 / 1-0 when a partner was removed).
- C, independent-style: a random 30% subset of each side, cut into blocks of 1-6
  sentences whose order is shuffled (gold: 1-1 for rows kept on both sides).

A and B are run on the whole corpus as one document per side and on the 398 per-`doc_id`
documents (counts summed over documents, as Vecalign's `score_multiple` does). C runs on
the whole corpus. A timing section aligns synthetic translation pairs of growing size.

Data: Universal Dependencies Arabic PUD treebank (github.com/UniversalDependencies/
UD_Arabic-PUD), licence CC BY-SA 3.0.

Usage: .venv/bin/python bench/align_pud.py [--out bench/results/align_pud.md] [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import models  # noqa: E402
from nlp.align import AlignParams, align  # noqa: E402
from nlp.align_eval import AlignScores, score_alignments  # noqa: E402
from nlp.anchors import fact_evidence  # noqa: E402
from nlp.extract import extract_document  # noqa: E402
from nlp.records import Document, Sentence  # noqa: E402

PUD = Path("/work/shared/data/ud_arabic_pud_ar_en.tsv")
MODES = ("translation", "independent", "auto")
Bead = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass
class Pair:
    """One document pair: sentence texts per side and the gold beads."""

    left: list[str]
    right: list[str]
    gold: list[Bead]


def read_pud(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def variant_a(rows: Sequence[dict[str, str]]) -> Pair:
    return Pair([r["ar"] for r in rows], [r["en"] for r in rows],
                [((k,), (k,)) for k in range(len(rows))])


def variant_b(rows: Sequence[dict[str, str]], rng: np.random.Generator) -> Pair:
    n = len(rows)
    removed = set(np.flatnonzero(rng.random(n) < 0.10).tolist())
    merge_start: set[int] = set()
    for k in np.flatnonzero(rng.random(n) < 0.10).tolist():
        if k + 1 < n and k not in merge_start and k - 1 not in merge_start:
            merge_start.add(k)
    eng_index: dict[int, int] = {}
    right: list[str] = []
    for k, r in enumerate(rows):
        if k not in removed:
            eng_index[k] = len(right)
            right.append(r["en"])
    left: list[str] = []
    gold: list[Bead] = []
    k = 0
    while k < n:
        members = [k, k + 1] if k in merge_start else [k]
        li = len(left)
        left.append(" ".join(rows[t]["ar"] for t in members))
        gold.append(((li,), tuple(eng_index[t] for t in members if t in eng_index)))
        k += len(members)
    return Pair(left, right, gold)


def _blocks(idx: list[int], rng: np.random.Generator) -> list[int]:
    blocks: list[list[int]] = []
    pos = 0
    while pos < len(idx):
        size = int(rng.integers(1, 7))
        blocks.append(idx[pos : pos + size])
        pos += size
    order = rng.permutation(len(blocks))
    return [t for b in order for t in blocks[b]]


def variant_c(rows: Sequence[dict[str, str]], rng: np.random.Generator) -> Pair:
    n = len(rows)
    keep_l = _blocks(sorted(rng.choice(n, int(0.3 * n), replace=False).tolist()), rng)
    keep_r = _blocks(sorted(rng.choice(n, int(0.3 * n), replace=False).tolist()), rng)
    pos_r = {t: j for j, t in enumerate(keep_r)}
    gold: list[Bead] = []
    for i, t in enumerate(keep_l):
        gold.append(((i,), (pos_r[t],)) if t in pos_r else ((i,), ()))
    shared = set(keep_l)
    gold += [((), (j,)) for j, t in enumerate(keep_r) if t not in shared]
    return Pair([rows[t]["ar"] for t in keep_l], [rows[t]["en"] for t in keep_r], gold)


def split_by_doc(rows: Sequence[dict[str, str]]) -> list[list[dict[str, str]]]:
    docs: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        docs.setdefault(r["doc_id"], []).append(r)
    return list(docs.values())


class VectorStore:
    """Encodes each distinct text once."""

    def __init__(self, encoder: models.Encoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    def get(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.vectors})
        if todo:
            t0 = time.perf_counter()
            for t, v in zip(todo, self.encoder.encode(todo), strict=True):
                self.vectors[t] = v
            self.seconds += time.perf_counter() - t0
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


def pair_evidence(p: Pair) -> dict[tuple[int, int], float]:
    """Fact evidence (`nlp.anchors`) between the two sides' sentences, one per line."""
    out = []
    for texts, lang in ((p.left, "ar"), (p.right, "en")):
        doc = Document(id=lang, text="\n".join(texts), lang=lang)  # type: ignore[arg-type]
        sents, pos = [], 0
        for k, t in enumerate(texts):
            sents.append(Sentence(lang, k, t, pos, pos + len(t)))
            pos += len(t) + 1
        out.append(extract_document(doc, sents))
    return fact_evidence(out[0], out[1], len(p.left), len(p.right))


def run(
    pairs: list[Pair], store: VectorStore, mode: str, facts: bool = False
) -> tuple[AlignScores, float, dict[str, int], str]:
    """Align every pair; score with counts summed over pairs (indices offset per pair).

    With `facts`, `align` gets the pair's fact evidence (`extra=`); extracting it is not
    timed.
    """
    pred: list[Bead] = []
    gold: list[Bead] = []
    chosen: dict[str, int] = {}
    off_l = off_r = 0
    seconds = 0.0
    for p in pairs:
        vl, vr = store.get(p.left), store.get(p.right)
        extra = pair_evidence(p) if facts else None
        t0 = time.perf_counter()
        res = align(vl, vr, mode, extra=extra)
        seconds += time.perf_counter() - t0
        chosen[res.mode] = chosen.get(res.mode, 0) + 1
        pred += [_shift(a.left, off_l, a.right, off_r) for a in res.alignments]
        gold += [_shift(lf, off_l, rt, off_r) for lf, rt in p.gold]
        off_l += len(p.left)
        off_r += len(p.right)
    return score_alignments(pred, gold), seconds, chosen, pair_precision(pred, gold)


def pair_precision(pred: list[Bead], gold: list[Bead]) -> str:
    """Share of predicted non-null beads that are exactly gold ("hits/predicted")."""
    full = [b for b in pred if b[0] and b[1]]
    gold_set = set(gold)
    hits = sum(1 for b in full if b in gold_set)
    return f"{hits / len(full):.3f} ({hits}/{len(full)})" if full else "- (0/0)"


def _shift(lf: tuple[int, ...], dl: int, rt: tuple[int, ...], dr: int) -> Bead:
    return tuple(i + dl for i in lf), tuple(j + dr for j in rt)


def synthetic_pair(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    left = rng.normal(size=(n, d)).astype(np.float32)
    left /= np.linalg.norm(left, axis=1, keepdims=True)
    noise = rng.normal(size=(n, d)).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    right = left + 0.7 * noise
    keep = rng.random(n) >= 0.05  # 5% deletions on the right
    right = right[keep]
    right /= np.linalg.norm(right, axis=1, keepdims=True)
    return left, right


def timing_rows(sizes: Sequence[int], rng: np.random.Generator) -> list[list[str]]:
    out = []
    for n in sizes:
        left, right = synthetic_pair(n, 512, rng)
        t0 = time.perf_counter()
        res = align(left, right, "auto")
        secs = time.perf_counter() - t0
        gold_1to1 = sum(1 for a in res.alignments if len(a.left) == len(a.right) == 1)
        out.append([f"{n:,} x {len(right):,}", res.mode, f"{secs:.1f}", f"{gold_1to1:,}"])
    return out


def peak_memory_mb(n: int, rng: np.random.Generator) -> float:
    left, right = synthetic_pair(n, 512, rng)
    tracemalloc.start()
    align(left, right, "translation")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "bench/results/align_pud.md"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sizes", default="1000,5000,10000,20000")
    ap.add_argument("--cache-dir", default=str(ROOT / "data/bench-embeddings"),
                    help="embedding cache, so a re-run does not re-encode")
    args = ap.parse_args(argv)

    rows = read_pud(PUD)
    rng = np.random.default_rng(args.seed)
    encoder = models.load_encoder("use-multilingual-v3", cache_dir=args.cache_dir)
    store = VectorStore(encoder)
    docs = split_by_doc(rows)

    settings: list[tuple[str, str, list[Pair]]] = [
        ("A faithful", "whole corpus", [variant_a(rows)]),
        ("A faithful", f"per doc ({len(docs)})", [variant_a(d) for d in docs]),
        ("B edited", "whole corpus", [variant_b(rows, np.random.default_rng(args.seed + 1))]),
        ("B edited", f"per doc ({len(docs)})",
         [variant_b(d, np.random.default_rng(args.seed + 100 + k)) for k, d in enumerate(docs)]),
        ("C independent-style", "whole corpus",
         [variant_c(rows, np.random.default_rng(args.seed + 2))]),
    ]
    result_rows: list[list[str]] = []
    for variant, unit, pairs in settings:
        n_left = sum(len(p.left) for p in pairs)
        n_right = sum(len(p.right) for p in pairs)
        for mode in MODES:
            scores, secs, chosen, pairs_p = run(pairs, store, mode)
            picked = ", ".join(f"{k} {v}" for k, v in sorted(chosen.items()))
            result_rows.append(
                [variant, unit, f"{n_left} x {n_right}", mode, *scores.as_row(), pairs_p,
                 f"{secs:.2f}", picked]
            )
            print(" | ".join(result_rows[-1]), flush=True)
    for mode in ("independent", "auto"):  # C again, with the shared facts as evidence
        pairs = settings[-1][2]
        scores, secs, chosen, pairs_p = run(pairs, store, mode, facts=True)
        picked = ", ".join(f"{k} {v}" for k, v in sorted(chosen.items()))
        result_rows.append(
            ["C independent-style + facts", "whole corpus",
             f"{len(pairs[0].left)} x {len(pairs[0].right)}", mode, *scores.as_row(), pairs_p,
             f"{secs:.2f}", picked]
        )
        print(" | ".join(result_rows[-1]), flush=True)

    sizes = [int(s) for s in args.sizes.split(",") if s]
    timing = timing_rows(sizes, rng)
    for r in timing:
        print(" | ".join(r), flush=True)
    peak = peak_memory_mb(max(sizes), rng) if sizes else 0.0

    params = AlignParams()
    report = f"""# Sentence alignment on UD Arabic PUD (USE multilingual v3)

Generated by `bench/align_pud.py --seed {args.seed}` on {os.cpu_count()} CPU cores.
Left = Arabic, right = English. Scores: strict / lax precision, recall, F1 in Vecalign's
convention (precision over all predicted beads, nulls included; recall over non-null gold
beads). Align time excludes encoding; encoding all distinct texts took
{store.seconds:.1f} s ({len(store.vectors):,} texts).
Defaults: max_group={params.max_group}, top_k={params.top_k}, band={params.band},
skip_margin={params.skip_margin}, anchor_margin={params.anchor_margin},
floor_z={params.floor_z}, skip_cost={params.sentence_skip_cost:g}, member_z={params.member_z}.

Variants: A faithful (all sentences, in order); B edited (~10% English sentences removed,
~10% adjacent Arabic pairs merged into one); C independent-style (a random 30% subset of
each side in shuffled blocks of 1-6 sentences); "+ facts" passes `align` the evidence of
shared dates, numbers with units and places (`nlp.anchors.fact_evidence` over
`nlp.extract` mentions; extraction not timed). "per doc" runs each of the PUD documents
(1-5 sentences each) separately and sums the counts.

{table(["variant", "documents", "sentences", "mode", "strict P", "strict R", "strict F1",
        "lax P", "lax R", "lax F1", "pair P", "align s", "mode chosen (documents)"],
       result_rows)}

"pair P" is the strict precision over the predicted non-null beads only (exact gold
beads / beads that pair sentences): the share of shown correspondences that are right.

## Speed and memory (synthetic 512-d translation pairs, 5% right-side deletions, auto mode)

{table(["sentences", "mode chosen", "seconds", "1-1 beads"], timing)}

Peak memory traced inside `align` for {max(sizes) if sizes else 0:,} sentences per side
(translation mode): {peak:.0f} MiB (the inputs themselves: {2 * (max(sizes) if sizes else 0)
* 512 * 4 / 2**20:.0f} MiB).

Data: Universal Dependencies Arabic PUD treebank, github.com/UniversalDependencies/
UD_Arabic-PUD, licence CC BY-SA 3.0.
"""
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

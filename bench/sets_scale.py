"""How the set comparison scales: 5, 10 and 20 documents of 200 sentences each.

The documents are overlapping windows over the 1,000 UD Arabic PUD sentence pairs
(CC BY-SA 3.0, github.com/UniversalDependencies/UD_Arabic-PUD): document k holds the 200
consecutive pairs starting at k*40 (wrapping round), in Arabic for even k and in English for
odd k, one sentence per line. Neighbouring documents share 160 sentences, so there are many
real claim groups, across and within languages.

Every sentence of a document is one PUD pair, so the true claim groups are known: the
sentences of different documents that come from the same PUD pair (each pair appears in
about five documents). The bench reports pairwise precision and recall of the groups and
the share of pure groups (all members from one PUD pair); conflicts found between these
faithful translations are false alarms.

Reported, on this machine and in one run:
- per-document stages once for all 20 documents: segmentation, extraction, encoding;
- for N = 5, 10, 20 the set core (`compare_set_vectors`: all N*(N-1)/2 pair alignments,
  grouping, facts) with wall time per stage, groups and findings, and the peak of Python
  allocations during the core (tracemalloc, in a second run so that tracing does not slow
  the timed one), and the group quality figures;
- `compare_set` end to end on the 20 documents (everything, fresh), and the process'
  resident-memory high-water mark (getrusage).

Run: `.venv/bin/python bench/sets_scale.py [--encoder use-multilingual-v3|hashing]`
(writes bench/results/sets_scale.md).
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PUD = ROOT.parent / "shared" / "data" / "ud_arabic_pud_ar_en.tsv"
OUT = ROOT / "bench" / "results" / "sets_scale.md"
DOC_SENTENCES = 200
STRIDE = 40
SIZES = (5, 10, 20)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pud_pairs() -> list[tuple[str, str]]:
    with PUD.open(encoding="utf-8") as f:
        return [(r["ar"], r["en"]) for r in csv.DictReader(f, delimiter="\t")]


def build_documents(n: int) -> list:
    """n documents: windows of DOC_SENTENCES pairs every STRIDE, ar for even k, en for odd."""
    from nlp.records import Document

    pairs = pud_pairs()
    docs = []
    for k in range(n):
        start = (k * STRIDE) % len(pairs)
        window = [pairs[(start + i) % len(pairs)] for i in range(DOC_SENTENCES)]
        lang = "ar" if k % 2 == 0 else "en"
        lines = [ar if lang == "ar" else en for ar, en in window]
        docs.append(
            Document(
                id=f"pud-{k:02d}",
                text="\n".join(lines),
                lang=lang,
                title=f"PUD window {start}-{start + DOC_SENTENCES - 1} ({lang})",
                source=f"UD_Arabic-PUD window {start} (CC BY-SA 3.0)",
                licence="CC BY-SA 3.0",
            )
        )
    return docs


def load(name: str):  # type: ignore[no-untyped-def]
    """The encoder, behind the same on-disk embedding cache as the command line."""
    if name == "hashing":
        from models.fake import HashingEncoder

        return HashingEncoder()
    from corpus.config import data_dir
    from models import load_encoder

    return load_encoder(name, cache_dir=data_dir() / "embeddings")


def pud_index(docs: list, sentences: list) -> list[dict[int, int]]:
    """Ground truth: the PUD pair each sentence comes from (by the line it starts on)."""
    out = []
    for k, (d, sents) in enumerate(zip(docs, sentences, strict=True)):
        start = (k * STRIDE) % 1000
        out.append({s.idx: (start + d.text.count("\n", 0, s.start)) % 1000 for s in sents})
    return out


def group_quality(result, truth: list[dict[int, int]]) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Pairwise precision and recall of the groups against the PUD ground truth, and purity.

    Precision: of the member pairs of every group (two sources), the share whose spans share
    a PUD sentence. Recall: of the sentence pairs of different documents that come from one
    PUD sentence, the share found in one group. Purity: share of groups whose members all
    share one PUD sentence.
    """
    right = total = pure = found = 0
    for g in result.groups:
        sets = {d: [truth[d][i] for i in idx] for d, idx in g.members}
        members = list(sets.values())
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                total += 1
                right += bool(set(members[a]) & set(members[b]))
                found += sum(x == y for x in members[a] for y in members[b])
        pure += bool(set.intersection(*(set(m) for m in members)))
    n = len(result.documents)
    by_pud: dict[int, int] = {}
    for d in range(n):
        for p in truth[d].values():
            by_pud[p] = by_pud.get(p, 0) + 1
    true_pairs = sum(c * (c - 1) // 2 for c in by_pud.values())
    return (
        right / total if total else 0.0,
        found / true_pairs if true_pairs else 0.0,
        pure / len(result.groups) if result.groups else 0.0,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--encoder", default="use-multilingual-v3")
    ap.add_argument("--no-end-to-end", action="store_true", help="skip the compare_set run")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)

    from nlp.extract import extract_document
    from nlp.pipeline import encode_sentences
    from nlp.segment import segment
    from nlp.sets import compare_set, compare_set_vectors

    encoder = load(args.encoder)
    docs = build_documents(max(SIZES))
    lines: list[str] = [
        "# Set comparison at scale",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
        "(shared with other work while this ran), Python "
        f"{platform.python_version()}; encoder `{encoder.name}`.",
        f"Documents: {max(SIZES)} windows of {DOC_SENTENCES} UD Arabic PUD sentences (CC BY-SA "
        f"3.0), start every {STRIDE} sentences, Arabic and English alternating.",
        "",
    ]

    t0 = time.perf_counter()
    sentences = [segment(d) for d in docs]
    t_seg = time.perf_counter() - t0
    t0 = time.perf_counter()
    mentions = [extract_document(d, s) for d, s in zip(docs, sentences, strict=True)]
    t_ext = time.perf_counter() - t0
    t0 = time.perf_counter()
    vectors = encode_sentences(encoder, sentences)
    t_enc = time.perf_counter() - t0
    n_sent = sum(len(s) for s in sentences)
    lines += [
        "## Per-document stages (all 20 documents, once)",
        "",
        "| stage | seconds | sentences/s |",
        "| --- | ---: | ---: |",
        f"| segment | {t_seg:.2f} | {n_sent / t_seg:.0f} |",
        f"| extract | {t_ext:.2f} | {n_sent / t_ext:.0f} |",
        f"| encode | {t_enc:.2f} | {n_sent / t_enc:.0f} |",
        "",
        f"{n_sent} sentences in all.",
        "",
        "## Set core (`compare_set_vectors`) by number of documents",
        "",
        "| documents | pairs | align s | group s | facts s | total s | groups | findings "
        "| conflicts | peak Python alloc MB | pair precision | pair recall | pure groups |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    truth = pud_index(docs, sentences)
    for n in SIZES:
        t0 = time.perf_counter()
        r = compare_set_vectors(docs[:n], sentences[:n], vectors[:n], mentions=mentions[:n])
        total = time.perf_counter() - t0
        tracemalloc.start()
        compare_set_vectors(docs[:n], sentences[:n], vectors[:n], mentions=mentions[:n])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        t = r.timings
        conflicts = sum(f.status == "conflict" for f in r.findings)
        prec, rec, purity = group_quality(r, truth[:n])
        lines.append(
            f"| {n} | {len(r.pairs)} | {t['align']:.2f} | {t['group']:.3f} | "
            f"{t['compare']:.2f} | {total:.2f} | {len(r.groups)} | {len(r.findings)} | "
            f"{conflicts} | {peak / 2**20:.1f} | {prec:.3f} | {rec:.3f} | {purity:.3f} |"
        )
        print(
            f"N={n}: {total:.2f}s, {len(r.groups)} groups, peak {peak / 2**20:.1f} MB", flush=True
        )
        modes: dict[str, int] = {}
        for p in r.pairs:
            modes[p.mode] = modes.get(p.mode, 0) + 1
        sizes: dict[int, int] = {}
        for g in r.groups:
            sizes[len(g.members)] = sizes.get(len(g.members), 0) + 1
        lines.append(
            f"|  | modes: {', '.join(f'{k} {v}' for k, v in sorted(modes.items()))}; "
            f"group sizes: {', '.join(f'{k} src x{v}' for k, v in sorted(sizes.items()))} "
            "| | | | | | | | | | | |"
        )

    if args.no_end_to_end:
        lines.append(f"\nProcess resident-memory high-water mark: {peak_rss_mb():.0f} MB\n")
        OUT.write_text("\n".join(lines), encoding="utf-8")
        print("\n".join(lines))
        return 0
    t0 = time.perf_counter()
    full = compare_set(docs, encoder)
    t_full = time.perf_counter() - t0
    lines += [
        "",
        "## End to end (`compare_set`, 20 documents, from text)",
        "",
        f"- wall time: {t_full:.1f} s "
        f"({', '.join(f'{k} {v:.1f}' for k, v in sorted(full.timings.items()))})",
        f"- groups: {len(full.groups)}, findings: {len(full.findings)}",
        f"- process resident-memory high-water mark (whole run): {peak_rss_mb():.0f} MB",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Segmentation figures: UD Arabic-PUD boundaries, the demo documents, and a 20 MB text.

1. **PUD, one sentence at a time**: each of the 1,000 Arabic and English PUD sentences is
   one sentence, so any extra segment is an over-split; prints the share kept whole and the
   over-split sentences.
2. **PUD, joined**: the sentences of each PUD document are joined with a space into one
   paragraph, and the boundaries found are scored against the joins (precision, recall,
   F1), per language.
3. **Speed**: the demo documents (warm), and 20 MB of demo text both with its line breaks and
   as one single line; prints seconds, segments and peak memory (ru_maxrss).

PUD: UD Arabic-PUD / UD English-PUD, CC BY-SA 3.0 (Universal Dependencies).

Usage: .venv/bin/python bench/segment_bench.py [--show N] [--no-large]
"""

from __future__ import annotations

import argparse
import csv
import resource
import time
from collections import defaultdict
from pathlib import Path

from corpus.demo import list_demo, load_demo
from nlp.records import Document
from nlp.segment import segment

PUD = Path("/work/shared/data/ud_arabic_pud_ar_en.tsv")


def pud_rows() -> list[dict[str, str]]:
    with PUD.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def one_at_a_time(rows: list[dict[str, str]], show: int) -> None:
    for lang in ("ar", "en"):
        split = [r[lang] for r in rows
                 if len(segment(Document(id="p", text=r[lang], lang=lang))) != 1]  # fmt: skip
        whole = 1 - len(split) / len(rows)
        print(f"PUD {lang}: {len(rows) - len(split)}/{len(rows)} sentences kept whole "
              f"({whole:.1%}); over-split: {len(split)}")  # fmt: skip
        for text in split[:show]:
            parts = [s.text for s in segment(Document(id="p", text=text, lang=lang))]
            print("   ", " || ".join(parts))


def joined(rows: list[dict[str, str]], show: int) -> None:
    docs: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        docs[r["doc_id"]].append(r)
    for lang in ("ar", "en"):
        tp = fp = fn = 0
        misses: list[str] = []
        for doc_rows in docs.values():
            sents = [r[lang].strip() for r in doc_rows]
            text = " ".join(sents)
            gold, pos = set(), 0
            for s in sents[:-1]:
                pos += len(s) + 1
                gold.add(pos)
            found = {s.start for s in segment(Document(id="p", text=text, lang=lang))} - {0}
            tp += len(gold & found)
            fp += len(found - gold)
            fn += len(gold - found)
            for b in sorted(gold - found)[: max(0, show - len(misses))]:
                misses.append(f"missed: …{text[max(0, b - 50):b]}|{text[b:b + 30]}…")
            for b in sorted(found - gold)[: max(0, show - len(misses))]:
                misses.append(f"extra:  …{text[max(0, b - 50):b]}|{text[b:b + 30]}…")
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"PUD {lang} joined ({len(docs)} documents, {tp + fn} boundaries): "
              f"P {p:.3f} R {r:.3f} F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})")  # fmt: skip
        for line in misses[:show]:
            print("   ", line)


def speed(large: bool) -> None:
    for entry in list_demo():
        doc = load_demo(entry.id)
        segment(doc)
        t0 = time.perf_counter()
        n = len(segment(doc))
        print(f"demo {entry.id}: {n} segments in {(time.perf_counter() - t0) * 1000:.1f} ms")
    if not large:
        return
    for entry_id in ("en-wiki", "ar-wiki"):
        base = load_demo(entry_id)
        repeats = 20_000_000 // len(base.text.encode("utf-8")) + 1
        shapes = (
            ("lines", (base.text + "\n") * repeats),
            ("one line", (base.text.replace("\n", " ") + " ") * repeats),
        )
        for shape, text in shapes:
            doc = Document(id="big", text=text, lang=base.lang)
            t0 = time.perf_counter()
            n = len(segment(doc))
            secs = time.perf_counter() - t0
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"20 MB {entry_id} ({shape}): {len(text.encode()) / 1e6:.1f} MB, "
                  f"{len(text):,} chars, {n:,} segments in {secs:.1f} s; "
                  f"peak RSS so far {rss:.0f} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=5, help="examples of errors to print")
    parser.add_argument("--no-large", action="store_true", help="skip the 20 MB runs")
    args = parser.parse_args()
    rows = pud_rows()
    one_at_a_time(rows, args.show)
    joined(rows, args.show)
    speed(not args.no_large)


if __name__ == "__main__":
    main()

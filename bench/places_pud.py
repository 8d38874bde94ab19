"""Place extraction on UD Arabic-PUD (1,000 faithful ar/en pairs) and on the demo pair.

Prints, for PUD, how often each side yields places and which names fire, so that ordinary
words that are also gazetteer names can be spotted (they go to nlp/lang/*/not_places.txt),
and how many pairs have a place on both sides that relate as the same or containing place.
For the demo translation pair (corpus/demo ar-wiki.txt / en-wiki.txt) it prints the place
ids found on each side and the share of ids found on both sides.

PUD: UD Arabic-PUD / UD English-PUD, CC BY-SA 3.0 (Universal Dependencies).

Usage: .venv/bin/python bench/places_pud.py [--show N]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from pathlib import Path

from nlp.extract.places import anchor_pair, extract_places
from nlp.places import compare_places

ROOT = Path(__file__).resolve().parent.parent
PUD = ROOT.parent / "shared" / "data" / "ud_arabic_pud_ar_en.tsv"
DEMO = ROOT / "corpus" / "demo"


def pud(show: int) -> None:
    with PUD.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    t0 = time.perf_counter()
    ar_names: Counter[str] = Counter()
    en_names: Counter[str] = Counter()
    pairs_ar = pairs_en = both = conflicts = anchored = 0
    examples = []
    for row in rows:
        ar = extract_places(row["ar"], 0, "ar")
        en = extract_places(row["en"], 0, "en")
        la, ra = anchor_pair(row["ar"], 0, "ar", row["en"], 0, "en")
        anchored += len(la) + len(ra)
        ar = sorted([*ar, *la], key=lambda m: m.start)
        en = sorted([*en, *ra], key=lambda m: m.start)
        ar_names.update(f"{m.surface}->{m.value.name_en or m.value.id}" for m in ar)
        en_names.update(f"{m.surface}->{m.value.id}" for m in en)
        pairs_ar += bool(ar)
        pairs_en += bool(en)
        if ar and en:
            both += 1
        # A pair "conflicts" on places when an Arabic place has no same/containing place
        # on the English side and vice versa while both sides have places.
        if ar and en:
            for m in ar:
                verdicts = [compare_places(m.value, n.value) for n in en]
                if all(v.status == "conflict" for v in verdicts):
                    conflicts += 1
                    examples.append((row["ar"], row["en"], m.surface))
                    break
    dt = time.perf_counter() - t0
    print(f"PUD pairs: {len(rows)}; time {dt:.1f}s ({1000 * dt / len(rows):.1f} ms/pair)")
    print(f"pairs with an Arabic place: {pairs_ar}; with an English place: {pairs_en}; "
          f"both: {both}")
    print(f"pairs where an Arabic place has no agreeing English place: {conflicts}")
    print(f"anchored (transliterated) places: {anchored}")
    print("Arabic names:", ar_names.most_common(show))
    print("English names:", en_names.most_common(show))
    for ar_text, en_text, surface in examples[:show]:
        print(f"  [{surface}] {ar_text[:120]}\n      {en_text[:120]}")


def demo() -> None:
    ar_doc = (DEMO / "ar-wiki.txt").read_text(encoding="utf-8")
    en_doc = (DEMO / "en-wiki.txt").read_text(encoding="utf-8")
    ar = extract_places(ar_doc, 0, "ar")
    en = extract_places(en_doc, 0, "en")
    print("demo Arabic mentions:")
    for m in ar:
        print(f"  {m.start:5d} {m.surface} -> {m.value.id} ({m.role or '-'})")
    print("demo English mentions:")
    for m in en:
        print(f"  {m.start:5d} {m.surface} -> {m.value.id} ({m.role or '-'})")
    ar_ids = {m.value.id for m in ar}
    en_ids = {m.value.id for m in en}
    common = ar_ids & en_ids
    print(f"demo: {len(ar)} Arabic mentions ({len(ar_ids)} places), "
          f"{len(en)} English mentions ({len(en_ids)} places), {len(common)} places on both")
    print("  Arabic only:", sorted(ar_ids - en_ids))
    print("  English only:", sorted(en_ids - ar_ids))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", type=int, default=60)
    args = parser.parse_args()
    pud(args.show)
    demo()

"""Date extraction on the 1,000 faithful ar/en pairs of UD Arabic PUD.

Data: /work/shared/data/ud_arabic_pud_ar_en.tsv, from the Universal Dependencies Arabic PUD
treebank (github.com/UniversalDependencies/UD_Arabic-PUD), licence CC BY-SA 3.0.

Each row is one aligned pair and a faithful translation, so every date on one side should
have an agreeing date on the other. Reports: pairs with dates on each side, pairs where
both sides extract the same number of dates, English dates matched by an agreeing Arabic
date, and pairs where some date has only a conflicting counterpart (a false alarm).

Run: .venv/bin/python bench/dates_pud.py [path] [--show N]
"""

from __future__ import annotations

import argparse
import csv
import sys

from nlp.extract.dates import compare_date_mentions, extract_dates
from nlp.records import Document, Mention, Sentence

DEFAULT = "/work/shared/data/ud_arabic_pud_ar_en.tsv"


def _dates(text: str, lang: str) -> list[Mention]:
    doc = Document("pud", text, lang)  # type: ignore[arg-type]
    return extract_dates(doc, [Sentence("pud", 0, text, 0, len(text))])[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=DEFAULT)
    ap.add_argument("--show", type=int, default=15)
    args = ap.parse_args()
    with open(args.path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    n_en = n_ar = n_both = same_count = en_total = en_matched = alarm_pairs = 0
    shown: list[str] = []
    for row in rows:
        en, ar = _dates(row["en"], "en"), _dates(row["ar"], "ar")
        n_en += bool(en)
        n_ar += bool(ar)
        n_both += bool(en and ar)
        same_count += len(en) == len(ar) and bool(en)
        alarm = False
        for m in en:
            en_total += 1
            verdicts = [compare_date_mentions(m, a) for a in ar]
            if any(v.status == "agree" for v in verdicts):
                en_matched += 1
            elif verdicts:
                alarm = True
        alarm_pairs += alarm
        if (alarm or len(en) != len(ar)) and len(shown) < args.show:
            shown.append(
                f"{row['sent_id']}\n  en {[(m.surface, m.value.to_json()) for m in en]}\n"
                f"  ar {[(m.surface, m.value.to_json()) for m in ar]}"
            )
    print(f"pairs: {len(rows)}")
    print(f"pairs with a date: en {n_en}, ar {n_ar}, both {n_both}")
    print(f"pairs with the same number of dates on both sides: {same_count} of {n_en}")
    print(f"English dates with an agreeing Arabic date: {en_matched} of {en_total}")
    print(
        f"pairs where an English date meets only conflicting Arabic dates: {alarm_pairs}"
        f" ({100 * alarm_pairs / max(1, len(rows)):.1f}%)"
    )
    if shown:
        print("\nexamples (mismatched counts or conflicts):")
        print("\n".join(shown))


if __name__ == "__main__":
    sys.exit(main())

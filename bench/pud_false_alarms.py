"""False alarms of the fact comparison on 1,000 faithful Arabic/English sentence pairs.

Data: `/work/shared/data/ud_arabic_pud_ar_en.tsv` (Universal Dependencies Arabic PUD, the
`# text` and `# text_en` lines of `ar_pud-ud-test.conllu`, github.com/UniversalDependencies/
UD_Arabic-PUD, licence CC BY-SA 3.0). The pairs are professional translations, so a
conflict flagged on one of them is, almost always, a false alarm.

Each row is one aligned pair: the script builds one `Document` and one `Sentence` per side,
runs `nlp.extract.extract_document` and `nlp.compare.compare` (no encoder), and reports:

* the share of pairs with at least one conflict (the promise: at most 2%), every remaining
  conflict with its reason (written to `bench/results/pud_false_alarms.md`);
* for the English numbers and dates: how many were extracted, the share matched to an
  Arabic counterpart that agrees, and the share of English digit groups that fall inside a
  number or date mention (extraction coverage);
* the baseline: a plain comparison of the digit strings of the two sides;
* dual candidates: the Arabic words ending in -ين/-ان of the pairs whose English side says
  "two" (or "both", "pair") but whose Arabic side yields no 2, to extend
  `nlp/lang/ar/dual_stems.tsv` (only nouns whose plural is not the sound -ين plural).

Usage:
    .venv/bin/python bench/pud_false_alarms.py [--tsv PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import collections
import csv
import logging
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.compare import AlignedPair, compare
from nlp.extract import extract_document
from nlp.normalize import to_ascii_digits
from nlp.records import Alignment, Document, Finding, Mention, Sentence

DEFAULT_TSV = Path("/work/shared/data/ud_arabic_pud_ar_en.tsv")
_TWO_RE = re.compile(r"\b(?:two|both|pair|twin)\b", re.IGNORECASE)
_DUAL_LIKE_RE = re.compile(r"[\u0621-\u064a]{3,}(?:ين|ان)\b")
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "pud_false_alarms.md"
ATTRIBUTION = (
    "Data: Universal Dependencies Arabic PUD (github.com/UniversalDependencies/UD_Arabic-PUD), "
    "CC BY-SA 3.0."
)
_DIGITS_RE = re.compile(r"\d+(?:[.,،٬٫]\d+)*")
_CITATION_RE = re.compile(r"\[\d+\]")


def read_pairs(path: Path) -> list[dict[str, str]]:
    """Rows of the PUD TSV: doc_id, sent_id, ar, en."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def run_pair(row: dict[str, str]) -> tuple[list[Mention], list[Mention], list[Finding]]:
    """Extract and compare one row (left = English, right = Arabic)."""
    sid = row["sent_id"]
    en = Document(f"{sid}-en", row["en"], "en")
    ar = Document(f"{sid}-ar", row["ar"], "ar")
    en_s = Sentence(en.id, 0, en.text, 0, len(en.text))
    ar_s = Sentence(ar.id, 0, ar.text, 0, len(ar.text))
    en_m = extract_document(en, [en_s])[0]
    ar_m = extract_document(ar, [ar_s])[0]
    pair = AlignedPair(
        index=0,
        alignment=Alignment((0,), (0,), 1.0),
        left_lang="en",
        right_lang="ar",
        left_sentences=(en_s,),
        right_sentences=(ar_s,),
        left_mentions=tuple(en_m),
        right_mentions=tuple(ar_m),
    )
    return en_m, ar_m, compare(pair)


def digit_multiset(text: str) -> collections.Counter[str]:
    """Digit groups of a text with separators removed (citation marks skipped)."""
    text = _CITATION_RE.sub(" ", to_ascii_digits(text))
    return collections.Counter(re.sub(r"[,،٬]", "", g) for g in _DIGITS_RE.findall(text))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    rows = read_pairs(args.tsv)
    t0 = time.perf_counter()
    conflict_rows: list[tuple[dict[str, str], list[Finding]]] = []
    status_by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    en_counts: collections.Counter[str] = collections.Counter()
    en_agree: collections.Counter[str] = collections.Counter()
    digit_groups = digit_covered = 0
    baseline_flag = rows_with_digits = 0
    dual_words: collections.Counter[str] = collections.Counter()
    dual_example: dict[str, str] = {}
    for row in rows:
        en_m, ar_m, findings = run_pair(row)
        if _TWO_RE.search(row["en"]) and not any(
            m.kind == "number" and m.value.value == 2 for m in ar_m  # type: ignore[union-attr]
        ):
            for w in _DUAL_LIKE_RE.findall(row["ar"]):
                dual_words[w] += 1
                dual_example.setdefault(w, row["sent_id"])
        for f in findings:
            status_by_kind[f.kind][f.status] += 1
        conflicts = [f for f in findings if f.status == "conflict"]
        if conflicts:
            conflict_rows.append((row, conflicts))
        for m in en_m:
            en_counts[m.kind] += 1
        agreed = {(f.left.start, f.left.end) for f in findings
                  if f.status == "agree" and f.left is not None}
        for m in en_m:
            if (m.start, m.end) in agreed:
                en_agree[m.kind] += 1
        # extraction coverage: English digit groups inside a number or date mention
        masked = _CITATION_RE.sub(lambda x: " " * len(x.group()), row["en"])
        for g in _DIGITS_RE.finditer(masked):
            digit_groups += 1
            if any(m.start <= g.start() and g.end() <= m.end for m in en_m
                   if m.kind in ("number", "date")):
                digit_covered += 1
        en_d, ar_d = digit_multiset(row["en"]), digit_multiset(row["ar"])
        if en_d or ar_d:
            rows_with_digits += 1
            if en_d != ar_d:
                baseline_flag += 1
    elapsed = time.perf_counter() - t0

    n = len(rows)
    share = len(conflict_rows) / n
    lines = [
        "# PUD false alarms (faithful ar/en pairs)",
        "",
        ATTRIBUTION,
        "",
        f"- pairs: {n}",
        f"- pairs with at least one conflict: {len(conflict_rows)} ({share:.1%}; target <= 2%)",
        f"- baseline (plain digit comparison): {baseline_flag} pairs flagged "
        f"({baseline_flag / n:.1%} of all pairs; {rows_with_digits} pairs have digits)",
        f"- English digit groups inside a number/date mention: {digit_covered}/{digit_groups} "
        f"({digit_covered / max(digit_groups, 1):.1%})",
    ]
    for kind in ("number", "date"):
        c, a = en_counts[kind], en_agree[kind]
        lines.append(
            f"- English {kind}s extracted: {c}; matched to an agreeing Arabic counterpart: "
            f"{a} ({a / max(c, 1):.1%})"
        )
    lines.append(f"- run time: {elapsed:.1f} s ({1000 * elapsed / n:.1f} ms per pair)")
    lines += ["", "## Findings by kind and status", "", "| kind | agree | conflict | left_only "
              "(en) | right_only (ar) |", "| --- | --- | --- | --- | --- |"]
    for kind in ("date", "number", "place", "omission"):
        c = status_by_kind.get(kind, collections.Counter())
        lines.append(f"| {kind} | {c['agree']} | {c['conflict']} | {c['left_only']} | "
                     f"{c['right_only']} |")
    lines += ["", "## Remaining conflicts", ""]
    for row, conflicts in conflict_rows:
        lines.append(f"### {row['sent_id']}")
        lines.append(f"- en: {row['en']}")
        lines.append(f"- ar: {row['ar']}")
        for f in conflicts:
            lt = f.left.text if f.left else ""
            rt = f.right.text if f.right else ""
            lines.append(f"- **{f.kind}** `{lt}` / `{rt}`: {f.reason} "
                         f"(rule {f.rule}, confidence {f.confidence})")
        lines.append("")
    lines += ["## Dual candidates (English says two, Arabic yields no 2)", "",
              f"{len(dual_words)} distinct Arabic words ending in -ين/-ان in those pairs "
              "(most are plurals, adjectives or names; list a noun in dual_stems.tsv only when "
              "its plural is broken or in -ات):", ""]
    lines += [f"- {w} ({c}; {dual_example[w]})" for w, c in dual_words.most_common()]
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print("\n".join(lines[:14]))
    print(f"(full list in {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

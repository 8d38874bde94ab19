"""Reconciliation reports of a pairwise comparison: Markdown, HTML, CSV, JSON and TMX bytes.

A report carries its provenance: both sources (title, language, source, licence,
publication date, SHA-256 of the text), the run (id, creation time, mode and why, encoder),
summary counts (by kind and status, and by decision), every finding (id, kind, status, both
spans with offsets and values, reason, rule, confidence, each reviewer's latest decision
with time and note) and the omissions (the unmatched sentences, quoted).

Document text is untrusted. HTML escapes every string with `html.escape` and carries no
script, external font or stylesheet; Arabic text sits in `<bdi dir="rtl" lang="ar">`.
Markdown neutralises HTML and Markdown syntax in document text. CSV is UTF-8 with a
byte-order mark (so spreadsheet programs read Arabic) and defuses cells that a spreadsheet
would run as a formula. TMX 1.4 holds the aligned sentence pairs with both sides non-empty.

Example:
    >>> # export_comparison(repo.load_comparison(7), repo.findings(7), repo.reviews(7),
    >>> #                   "html", run=repo.get_run(7))
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from corpus.repository import DECISION_LABELS, DECISIONS, Review, RunInfo, StoredFinding
from nlp.errors import ConfigError
from nlp.records import FINDING_KINDS, STATUSES, Comparison, Document, Evidence, Sentence


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One report format: its key, a menu label, its media type, its file extension (no dot)."""

    key: str
    label: str
    media_type: str
    extension: str


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat("md", "Markdown report", "text/markdown; charset=utf-8", "md"),
        ExportFormat("html", "HTML report (prints well)", "text/html; charset=utf-8", "html"),
        ExportFormat("csv", "CSV, one row per finding", "text/csv; charset=utf-8", "csv"),
        ExportFormat("json", "JSON (tabayyun.comparison/1 + reviews)", "application/json", "json"),
        ExportFormat("tmx", "TMX 1.4 translation memory", "application/x-tmx+xml", "tmx"),
    )
}

ARABIC_FONT_STACK = '"Noto Naskh Arabic", "Amiri", "Arial", sans-serif'
LATIN_FONT_STACK = '"Noto Sans", "Source Sans Pro", "Arial", sans-serif'
LANG_NAMES = {"ar": "Arabic", "en": "English"}
STATUS_LABELS = {
    "agree": "agree",
    "conflict": "conflict",
    "left_only": "left only",
    "right_only": "right only",
}
# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even when escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def tool_version() -> str:
    """The installed Tabayyun version, or "dev" when run from a source tree."""
    try:
        return metadata.version("tabayyun")
    except metadata.PackageNotFoundError:
        return "dev"


# --------------------------------------------------------------------------- the report model


@dataclass(frozen=True, slots=True)
class Decided:
    """One reviewer's latest live decision on one finding."""

    reviewer: str
    decision: str
    note: str
    at: str


@dataclass(frozen=True, slots=True)
class Row:
    """A finding as the report shows it."""

    stored: StoredFinding
    decisions: tuple[Decided, ...]


@dataclass(frozen=True, slots=True)
class Omission:
    """An unmatched sentence: the side it is on and the sentence."""

    side: str  # "left" or "right"
    sentence: Sentence


def _rows(findings: Sequence[StoredFinding], reviews: Iterable[Review]) -> list[Row]:
    """Findings with each reviewer's latest decision, from `latest` and the review log.

    `StoredFinding.latest` wins; reviews of findings without `latest` fill in (the log is
    taken in id order, so the last review of a reviewer is the live one).
    """
    from_log: dict[int, dict[str, Review]] = {}
    for r in sorted(reviews, key=lambda r: r.id):
        from_log.setdefault(r.finding_id, {})[r.reviewer] = r
    rows = []
    for sf in sorted(findings, key=lambda s: s.index):
        latest = {**from_log.get(sf.id, {}), **sf.latest}
        rows.append(
            Row(
                stored=sf,
                decisions=tuple(
                    Decided(r.reviewer, r.decision, r.note, r.at)
                    for _, r in sorted(latest.items())
                ),
            )
        )
    return rows


def omissions(c: Comparison) -> list[Omission]:
    """Sentences aligned to nothing on the other side (or in no alignment), in order.

    Example:
        An alignment `Alignment(left=(4,), right=(), score=0.0)` makes left sentence 4 an
        omission: `Omission("left", c.left_sentences[4])`.
    """
    aligned = {"left": set(), "right": set()}  # type: dict[str, set[int]]
    unmatched = {"left": set(), "right": set()}  # type: dict[str, set[int]]
    for a in c.alignments:
        aligned["left"].update(a.left)
        aligned["right"].update(a.right)
        if not a.right:
            unmatched["left"].update(a.left)
        if not a.left:
            unmatched["right"].update(a.right)
    out = []
    for side, sents in (("left", c.left_sentences), ("right", c.right_sentences)):
        for s in sents:
            if s.idx in unmatched[side] or s.idx not in aligned[side]:
                out.append(Omission(side, s))
    return out


def summary(rows: Sequence[Row]) -> dict[str, Any]:
    """Counts for the report head.

    Returns:
        `{"by_kind_status": {"number": {"conflict": 1, ...}, ...}, "by_status": {...},
        "by_decision": {"confirmed": 2, ...}, "reviewed": 3, "unreviewed": 5,
        "reviewers": ["ana", "omar"]}`; `by_decision` counts latest decisions (one per
        reviewer and finding).
    """
    by_ks: dict[str, dict[str, int]] = {}
    for r in rows:
        f = r.stored.finding
        by_ks.setdefault(f.kind, {}).setdefault(f.status, 0)
        by_ks[f.kind][f.status] += 1
    by_status = Counter(r.stored.finding.status for r in rows)
    by_decision = Counter(d.decision for r in rows for d in r.decisions)
    return {
        "findings": len(rows),
        "by_kind_status": by_ks,
        "by_status": {s: by_status[s] for s in STATUSES if by_status[s]},
        "by_decision": {d: by_decision[d] for d in DECISIONS if by_decision[d]},
        "reviewed": sum(bool(r.decisions) for r in rows),
        "unreviewed": sum(not r.decisions for r in rows),
        "reviewers": sorted({d.reviewer for r in rows for d in r.decisions}),
    }


def source_info(doc: Document) -> dict[str, Any]:
    """Provenance of one document (the same fields as the JSON contract's `documents`)."""
    from nlp.contract import document_to_json

    return document_to_json(doc)


def run_info(c: Comparison, run: RunInfo | None) -> dict[str, Any]:
    """Provenance of the run; a comparison never stored has `id` and `created` None."""
    return {
        "id": run.id if run else None,
        "created": run.created if run else None,
        "title": run.title if run else "",
        "kind": run.kind if run else "pair",
        "mode": c.mode,
        "mode_reason": c.mode_reason,
        "encoder": c.encoder,
    }


def value_text(value: Any) -> str:
    """A normalised value as a reviewer reads it.

    Example:
        >>> value_text({"value": 60, "low": 54, "high": 66})
        '60 [54–66]'
        >>> value_text("2017-10-17"), value_text(None)
        ('2017-10-17', '')
    """
    if value is None:
        return ""
    if isinstance(value, dict) and {"value", "low", "high"} <= value.keys():
        lo, hi = value["low"], value["high"]
        return f"{value['value']} [{lo}–{hi}]" if lo != hi else f"~{value['value']}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- entry point


def export_comparison(
    comparison: Comparison,
    findings: list[StoredFinding],
    reviews: list[Review],
    fmt: str,
    *,
    run: RunInfo | None = None,
) -> bytes:
    """Bytes of a reconciliation report of one comparison with its reviews.

    Args:
        comparison: The comparison (e.g. `repo.load_comparison(run_id)`).
        findings: Its stored findings, with each reviewer's latest decision
            (`repo.findings(run_id)`); for an unsaved comparison, `StoredFinding(id=i,
            run_id=0, index=i, finding=f)`.
        reviews: The live reviews of the run (`repo.reviews(run_id)`), possibly empty.
        fmt: A key of `EXPORT_FORMATS`: "md", "html", "csv", "json" or "tmx".
        run: The stored run, for its id, creation time and title.

    Returns:
        UTF-8 bytes (CSV with a byte-order mark).

    Raises:
        ConfigError: unknown format.
    """
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(
            f"Unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}."
        )
    rows = _rows(findings, reviews)
    if fmt == "md":
        return _markdown(comparison, rows, run).encode("utf-8")
    if fmt == "html":
        return _html(comparison, rows, run).encode("utf-8")
    if fmt == "csv":
        return _csv(comparison, rows, run).encode("utf-8-sig")
    if fmt == "json":
        return _json(comparison, rows, reviews, run).encode("utf-8")
    return _tmx(comparison, run)


# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_text(text: str) -> str:
    """Untrusted text made inert in Markdown: HTML escaped, syntax characters backslashed,
    line breaks flattened.

    >>> md_text("<b>x</b> | [5]")
    '&lt;b&gt;x&lt;/b&gt; \\\\| \\\\[5\\\\]'
    """
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


def _md_span(e: Evidence | None, lang: str) -> str:
    if e is None:
        return "—"
    value = value_text(e.value)
    out = f"«{md_text(e.text)}» [{e.start}–{e.end}]"
    if value and value != e.text:
        out += f" = {md_text(value)}"
    if e.note:
        out += f" ({md_text(e.note)})"
    return out


def _decisions_line(decisions: Sequence[Decided], escape: Any) -> str:
    if not decisions:
        return "not reviewed"
    parts = []
    for d in decisions:
        part = f"{escape(d.reviewer)}: {DECISION_LABELS.get(d.decision, d.decision)} ({d.at})"
        if d.note:
            part += f" “{escape(d.note)}”"
        parts.append(part)
    return "; ".join(parts)


def _markdown(c: Comparison, rows: Sequence[Row], run: RunInfo | None) -> str:
    info = run_info(c, run)
    counts = summary(rows)
    title = run.title if run else f"{c.left.title or c.left.id} ↔ {c.right.title or c.right.id}"
    out = [
        f"# Tabayyun reconciliation report: {md_text(title)}",
        "",
        f"Exported {_now()} by Tabayyun {tool_version()}.",
        "",
        "## Sources",
        "",
        "| side | title | lang | published | source | licence | sha256 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for side, d in (("left", c.left), ("right", c.right)):
        s = source_info(d)
        out.append(
            f"| {side} | {md_text(d.title or d.id)} | {d.lang} | {d.published or 'unknown'} | "
            f"{md_text(d.source or d.id)} | {md_text(d.licence or 'unknown')} | "
            f"`{s['sha256']}` |"
        )
    out += [
        "",
        "## Run",
        "",
        f"- run: {info['id'] if info['id'] is not None else 'not stored'}"
        + (f", created {info['created']}" if info["created"] else ""),
        f"- mode: {c.mode} ({md_text(c.mode_reason or 'no reason given')})",
        f"- encoder: {md_text(c.encoder or 'unknown')}",
        "",
        "## Summary",
        "",
        f"{counts['findings']} findings; {counts['reviewed']} reviewed, "
        f"{counts['unreviewed']} not reviewed.",
        "",
        "| kind | " + " | ".join(STATUS_LABELS[s] for s in STATUSES) + " |",
        "| --- | " + " | ".join("---:" for _ in STATUSES) + " |",
    ]
    for kind in FINDING_KINDS:
        if kind in counts["by_kind_status"]:
            cells = [str(counts["by_kind_status"][kind].get(s, 0)) for s in STATUSES]
            out.append(f"| {kind} | " + " | ".join(cells) + " |")
    out += ["", "| decision (latest per reviewer) | count |", "| --- | ---: |"]
    for dec in DECISIONS:
        out.append(f"| {DECISION_LABELS[dec]} | {counts['by_decision'].get(dec, 0)} |")
    out += ["", "## Findings", ""]
    if not rows:
        out.append("No dates, numbers or places to compare.")
    for r in rows:
        f = r.stored.finding
        out += [
            f"### Finding {r.stored.id} (#{r.stored.index}): {f.kind}, "
            f"**{STATUS_LABELS.get(f.status, f.status)}**",
            "",
            f"- {LANG_NAMES.get(c.left.lang, c.left.lang)} (left): {_md_span(f.left, c.left.lang)}",
            f"- {LANG_NAMES.get(c.right.lang, c.right.lang)} (right): "
            f"{_md_span(f.right, c.right.lang)}",
            f"- reason: {md_text(f.reason)}",
            f"- rule: {md_text(f.rule or '-')}, confidence {f.confidence:.2f}, "
            f"alignment {f.alignment}",
            f"- decisions: {_decisions_line(r.decisions, md_text)}",
            "",
        ]
    out += ["## Omissions", ""]
    gaps = omissions(c)
    if not gaps:
        out.append("Every sentence has a counterpart.")
    for side, doc in (("left", c.left), ("right", c.right)):
        mine = [g for g in gaps if g.side == side]
        if not mine:
            continue
        out += [f"### Only in the {LANG_NAMES.get(doc.lang, doc.lang)} ({side})", ""]
        for g in mine:
            sent = g.sentence
            out += [f"> s{sent.idx} [{sent.start}–{sent.end}]: {md_text(sent.text)}", ""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- html


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _bdi(text: str, lang: str) -> str:
    d = "rtl" if lang == "ar" else "ltr"
    return f'<bdi dir="{d}" lang="{_e(lang)}">{_e(text)}</bdi>'


CSS = f"""
body {{ font-family: {LATIN_FONT_STACK}; color: #1d232a; margin: 1.5rem; line-height: 1.5; }}
h1 {{ font-size: 1.5rem; }} h2 {{ font-size: 1.2rem; margin-top: 1.6rem; }}
table {{ border-collapse: collapse; margin: .6rem 0 1.2rem 0; width: 100%; }}
th, td {{ border: 1px solid #d8dde3; padding: .35rem .5rem; vertical-align: top;
  text-align: start; }}
th {{ background: #f2f4f7; }}
[lang="ar"] {{ font-family: {ARABIC_FONT_STACK}; font-size: 1.1em; }}
td[dir="rtl"] {{ text-align: right; }}
.off {{ color: #6a7580; font-size: .85em; white-space: nowrap; }}
.val {{ display: block; color: #37414b; font-size: .9em; }}
tr.conflict td.status {{ background: #fdecea; color: #b3261e; font-weight: 600; }}
tr.agree td.status {{ color: #1b6e3a; }}
tr.left_only td.status, tr.right_only td.status {{ color: #8a5a00; }}
.hash {{ font-family: monospace; font-size: .8em; word-break: break-all; }}
blockquote {{ margin: .3rem 0; padding: .3rem .8rem; border-inline-start: 3px solid #c0c7cf; }}
@media print {{
  body {{ margin: 0; font-size: 10pt; }}
  h2 {{ break-after: avoid; }}
  tr, blockquote {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""


def _html_span(e: Evidence | None, lang: str) -> str:
    if e is None:
        return "—"
    value = value_text(e.value)
    # Offsets, normalised values and notes are left-to-right whatever the cell's direction:
    # each is isolated so that an Arabic cell does not show "[3–12]" as "[12–3]".
    out = f"{_bdi(e.text, lang)} <bdi class='off' dir='ltr'>[{e.start}–{e.end}]</bdi>"
    if value and value != e.text:
        out += f"<span class='val'><bdi dir='ltr'>= {_e(value)}</bdi></span>"
    if e.note:
        out += f"<span class='val'><bdi dir='ltr'>{_e(e.note)}</bdi></span>"
    return out


def _html(c: Comparison, rows: Sequence[Row], run: RunInfo | None) -> str:
    info = run_info(c, run)
    counts = summary(rows)
    title = run.title if run else f"{c.left.title or c.left.id} ↔ {c.right.title or c.right.id}"
    ldir = "rtl" if c.left.lang == "ar" else "ltr"
    rdir = "rtl" if c.right.lang == "ar" else "ltr"
    h = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Tabayyun report: {_e(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Tabayyun reconciliation report: <bdi>{_e(title)}</bdi></h1>",
        f"<p>Exported {_e(_now())} by Tabayyun {_e(tool_version())}.</p>",
        "<h2>Sources</h2>",
        "<table><thead><tr><th>side</th><th>title</th><th>lang</th><th>published</th>"
        "<th>source</th><th>licence</th><th>sha256</th></tr></thead><tbody>",
    ]
    for side, d in (("left", c.left), ("right", c.right)):
        s = source_info(d)
        h.append(
            f"<tr><td>{side}</td><td>{_bdi(d.title or d.id, d.lang)}</td><td>{_e(d.lang)}</td>"
            f"<td>{_e(d.published or 'unknown')}</td><td><bdi>{_e(d.source or d.id)}</bdi></td>"
            f"<td>{_e(d.licence or 'unknown')}</td><td class='hash'>{s['sha256']}</td></tr>"
        )
    h += [
        "</tbody></table><h2>Run</h2><ul>",
        f"<li>run: {_e(info['id'] if info['id'] is not None else 'not stored')}"
        + (f", created {_e(info['created'])}" if info["created"] else "")
        + "</li>",
        f"<li>mode: {_e(c.mode)} ({_e(c.mode_reason or 'no reason given')})</li>",
        f"<li>encoder: {_e(c.encoder or 'unknown')}</li></ul>",
        "<h2>Summary</h2>",
        f"<p>{counts['findings']} findings; {counts['reviewed']} reviewed, "
        f"{counts['unreviewed']} not reviewed.</p>",
        "<table><thead><tr><th>kind</th>"
        + "".join(f"<th>{STATUS_LABELS[s]}</th>" for s in STATUSES)
        + "</tr></thead><tbody>",
    ]
    for kind in FINDING_KINDS:
        if kind in counts["by_kind_status"]:
            h.append(
                f"<tr><td>{kind}</td>"
                + "".join(
                    f"<td>{counts['by_kind_status'][kind].get(s, 0)}</td>" for s in STATUSES
                )
                + "</tr>"
            )
    h.append(
        "</tbody></table><table><thead><tr><th>decision (latest per reviewer)</th>"
        "<th>count</th></tr></thead><tbody>"
    )
    for dec in DECISIONS:
        n = counts["by_decision"].get(dec, 0)
        h.append(f"<tr><td>{DECISION_LABELS[dec]}</td><td>{n}</td></tr>")
    h += [
        "</tbody></table><h2>Findings</h2>",
        "<table><thead><tr><th>id</th><th>kind</th><th>status</th>"
        f"<th>{_e(LANG_NAMES.get(c.left.lang, c.left.lang))} (left)</th>"
        f"<th>{_e(LANG_NAMES.get(c.right.lang, c.right.lang))} (right)</th>"
        "<th>reason</th><th>rule · confidence</th><th>decisions</th></tr></thead><tbody>",
    ]
    for r in rows:
        f = r.stored.finding
        decisions = (
            "<br>".join(
                f"{_e(d.reviewer)}: <b>{_e(DECISION_LABELS.get(d.decision, d.decision))}</b> "
                f"<span class='off'>{_e(d.at)}</span>"
                + (f"<span class='val'><bdi>{_e(d.note)}</bdi></span>" if d.note else "")
                for d in r.decisions
            )
            or "<i>not reviewed</i>"
        )
        h.append(
            f"<tr class='{_e(f.status)}' id='f{r.stored.id}'><td>{r.stored.id}"
            f"<span class='off'> #{r.stored.index}</span></td><td>{_e(f.kind)}</td>"
            f"<td class='status'>{_e(STATUS_LABELS.get(f.status, f.status))}</td>"
            f"<td dir='{ldir}'>{_html_span(f.left, c.left.lang)}</td>"
            f"<td dir='{rdir}'>{_html_span(f.right, c.right.lang)}</td>"
            f"<td><bdi dir='ltr'>{_e(f.reason)}</bdi></td>"
            f"<td>{_e(f.rule or '-')} · {f.confidence:.2f}</td><td>{decisions}</td></tr>"
        )
    h.append("</tbody></table><h2>Omissions</h2>")
    gaps = omissions(c)
    if not gaps:
        h.append("<p>Every sentence has a counterpart.</p>")
    for side, doc in (("left", c.left), ("right", c.right)):
        mine = [g for g in gaps if g.side == side]
        if not mine:
            continue
        h.append(f"<h3>Only in the {_e(LANG_NAMES.get(doc.lang, doc.lang))} ({side})</h3>")
        direction = "rtl" if doc.lang == "ar" else "ltr"
        for g in mine:
            sent = g.sentence
            h.append(
                f"<blockquote dir='{direction}' lang='{_e(doc.lang)}'>{_e(sent.text)} "
                f"<bdi class='off' dir='ltr'>s{sent.idx} [{sent.start}–{sent.end}]</bdi>"
                "</blockquote>"
            )
    h.append("</body></html>")
    return "\n".join(h) + "\n"


# --------------------------------------------------------------------------- csv


def csv_safe(text: str) -> str:
    """Text a spreadsheet will show rather than run: a leading =, +, -, @ gets a quote.

    >>> csv_safe("=HYPERLINK(\\"x\\")"), csv_safe("دير الزور")
    ('\\'=HYPERLINK("x")', 'دير الزور')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return csv_safe(str(value))


def _csv(c: Comparison, rows: Sequence[Row], run: RunInfo | None) -> str:
    reviewers = summary(rows)["reviewers"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    side_cols = ["lang", "text", "start", "end", "value", "note"]
    w.writerow(
        [
            "run_id",
            "finding_id",
            "index",
            "kind",
            "status",
            "alignment",
            *(f"left_{k}" for k in side_cols),
            *(f"right_{k}" for k in side_cols),
            "reason",
            "rule",
            "confidence",
            *(f"{who} {k}" for who in reviewers for k in ("decision", "at", "note")),
        ]
    )
    for r in rows:
        f = r.stored.finding
        sides: list[object] = []
        for e, doc in ((f.left, c.left), (f.right, c.right)):
            if e is None:
                sides += [doc.lang, "", "", "", "", ""]
            else:
                sides += [
                    doc.lang,
                    csv_safe(e.text),
                    e.start,
                    e.end,
                    _csv_value(e.value),
                    csv_safe(e.note),
                ]
        by = {d.reviewer: d for d in r.decisions}
        per_reviewer = []
        for who in reviewers:
            d = by.get(who)
            per_reviewer += [d.decision, d.at, csv_safe(d.note)] if d else ["", "", ""]
        w.writerow(
            [
                run.id if run else "",
                r.stored.id,
                r.stored.index,
                f.kind,
                f.status,
                f.alignment,
                *sides,
                csv_safe(f.reason),
                f.rule,
                f"{f.confidence:.3f}",
                *per_reviewer,
            ]
        )
    return buf.getvalue()


# --------------------------------------------------------------------------- json


def _json(
    c: Comparison, rows: Sequence[Row], reviews: Sequence[Review], run: RunInfo | None
) -> str:
    from nlp.contract import comparison_to_json

    doc = comparison_to_json(c)
    index_of = {r.stored.id: r.stored.index for r in rows}
    latest_ids = {
        rv.id for r in rows for rv in r.stored.latest.values()
    }
    log = {rv.id: rv for rv in reviews}
    for r in rows:  # latest decisions missing from the log (e.g. a partial log) still count
        for rv in r.stored.latest.values():
            log.setdefault(rv.id, rv)
    if not latest_ids:  # no `latest` given: the last review per finding and reviewer is live
        last: dict[tuple[int, str], int] = {}
        for rv in sorted(log.values(), key=lambda x: x.id):
            last[(rv.finding_id, rv.reviewer)] = rv.id
        latest_ids = set(last.values())
    doc["reviews"] = [
        {
            "id": rv.id,
            "finding": index_of.get(rv.finding_id),
            "finding_id": rv.finding_id,
            "reviewer": rv.reviewer,
            "decision": rv.decision,
            "note": rv.note,
            "at": rv.at,
            "latest": rv.id in latest_ids,
        }
        for rv in sorted(log.values(), key=lambda x: x.id)
    ]
    doc["provenance"] = {
        "tool": "Tabayyun",
        "version": tool_version(),
        "exported": _now(),
        "run": run_info(c, run),
        "sources": {"left": source_info(c.left), "right": source_info(c.right)},
        "finding_ids": [r.stored.id for r in rows],
        "decisions": summary(rows)["by_decision"],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry: characters it forbids (most C0 controls) are dropped."""
    return _XML_INVALID.sub("", text)


def _segment(sentences: Sequence[Sentence], idx: Sequence[int]) -> str:
    by_idx = {s.idx: s for s in sentences}
    return " ".join(by_idx[i].text.strip() for i in idx if i in by_idx).strip()


def _tmx(c: Comparison, run: RunInfo | None) -> bytes:
    """TMX 1.4b: one translation unit per alignment with text on both sides."""
    created = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    root = ET.Element("tmx", {"version": "1.4"})
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "Tabayyun",
            "creationtoolversion": tool_version(),
            "segtype": "sentence",
            "o-tmf": "tabayyun",
            "adminlang": "en",
            "srclang": c.left.lang,
            "datatype": "plaintext",
            "creationdate": created,
        },
    )
    for key, value in (
        ("x-left-document", c.left.id),
        ("x-left-sha256", source_info(c.left)["sha256"]),
        ("x-left-source", c.left.source),
        ("x-left-licence", c.left.licence),
        ("x-right-document", c.right.id),
        ("x-right-sha256", source_info(c.right)["sha256"]),
        ("x-right-source", c.right.source),
        ("x-right-licence", c.right.licence),
        ("x-mode", c.mode),
        ("x-encoder", c.encoder),
        ("x-run", str(run.id) if run else ""),
    ):
        if value:
            ET.SubElement(header, "prop", {"type": key}).text = xml_text(value)
    body = ET.SubElement(root, "body")
    for i, a in enumerate(c.alignments):
        left = xml_text(_segment(c.left_sentences, a.left))
        right = xml_text(_segment(c.right_sentences, a.right))
        if not left or not right:
            continue
        tu = ET.SubElement(body, "tu", {"tuid": str(i), "srclang": c.left.lang})
        ET.SubElement(tu, "prop", {"type": "x-alignment"}).text = a.kind
        ET.SubElement(tu, "prop", {"type": "x-score"}).text = f"{a.score:.4f}"
        for lang, text in ((c.left.lang, left), (c.right.lang, right)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root, space="  ")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        + ET.tostring(root, encoding="utf-8", xml_declaration=False)
        + b"\n"
    )

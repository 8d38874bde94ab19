"""Reports of a set comparison: the claim matrix as Markdown, HTML or CSV bytes.

The claim matrix has one row per claim group and one column per source. A cell lists the
facts that source states in the group, each marked: agreeing (✓), in conflict (⚠), standing
alone against two or more agreeing sources (✖ dissent), stated by this source only (●), or
silent (— silent). A source absent from the group shows "absent". Under the matrix every
finding is spelled out with its reason and, for differences between sources published on
different dates, both dates; then each group's sentences; the report starts with every
source's provenance (title, language, publication date and where it came from, source,
licence).

With `reviews` (the stored findings with each reviewer's latest decision, as
`repo.set_findings(run_id)` returns them) the report is a reconciliation report: the matrix
gains a "decisions" column (each decided finding of the group with every reviewer's
decision), every finding lists its decisions, a summary counts them, the CSV gains a
"decisions" column and the JSON a "reviews" list.

Document text is untrusted: in HTML every string from a document goes through `html.escape`;
in Markdown `<`, `>`, `&`, `|` and line breaks are neutralised. HTML is self-contained (one
file, inline CSS, no scripts) and each text carries its own `dir`/`lang`.

Example:
    >>> # export_set(compare_set(docs, encoder), "html", sources=["en-wiki", "ar-wiki", "f.txt"])
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping, Sequence

from app.export import csv_safe
from corpus.repository import DECISION_LABELS, DECISIONS, Review, StoredSetFinding
from nlp.errors import ConfigError
from nlp.records import Evidence
from nlp.sets import SetComparison, SetFinding, doc_key

SET_FORMATS = ("md", "html", "csv", "json")
SNIPPET_CHARS = 220
ARABIC_FONT_STACK = '"Noto Naskh Arabic", "Amiri", "Arial", sans-serif'
LATIN_FONT_STACK = '"Source Sans Pro", "Noto Sans", "Arial", sans-serif'

MARK_AGREE = "✓"
MARK_CONFLICT = "⚠"
MARK_DISSENT = "✖ dissent"
MARK_SINGLE = "● only this source"
MARK_SILENT = "— silent"
ABSENT = "absent"


Decisions = Mapping[int, Sequence[Review]]  # finding position -> latest review per reviewer


def export_set(
    result: SetComparison,
    fmt: str,
    *,
    sources: Sequence[str] | None = None,
    reviews: Sequence[StoredSetFinding] | None = None,
) -> bytes:
    """Bytes of a set comparison report, with the reviewers' decisions when given.

    Args:
        result: The `SetComparison` (from `nlp.sets.compare_set` or `repo.load_set`).
        fmt: "md", "html", "csv" or "json" (the `tabayyun.comparison-set/1` contract, plus
            "reviews" and "decisions" when `reviews` is given).
        sources: How the user named each document (path or demo id), in order; defaults to
            each `Document.source`.
        reviews: The run's stored findings with their latest decisions
            (`repo.set_findings(run_id)`); None for a report without decisions.

    Returns:
        UTF-8 bytes (CSV starts with a byte-order mark so spreadsheet programs read Arabic).

    Raises:
        ConfigError: `fmt` is not one of `SET_FORMATS`, or `sources` has the wrong length.

    Example:
        >>> # export_set(repo.load_set(7), "md", reviews=repo.set_findings(7))
    """
    if fmt not in SET_FORMATS:
        raise ConfigError(f"Unknown format {fmt!r} for a set: use one of {', '.join(SET_FORMATS)}.")
    refs = _sources(result, sources)
    decisions = latest_decisions(reviews) if reviews is not None else None
    if fmt == "json":
        from nlp.contract import set_to_json

        doc = set_to_json(result, sources=list(refs))
        if reviews is not None:
            doc["reviews"] = [
                {
                    "finding": sf.index,
                    "finding_id": sf.id,
                    "review_id": rv.id,
                    "reviewer": rv.reviewer,
                    "decision": rv.decision,
                    "note": rv.note,
                    "at": rv.at,
                }
                for sf in reviews
                for rv in sorted(sf.latest.values(), key=lambda r: r.reviewer)
            ]
            doc["decisions"] = decision_counts(decisions or {})
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "md":
        return _markdown(result, refs, decisions).encode("utf-8")
    if fmt == "html":
        return _html(result, refs, decisions).encode("utf-8")
    return _csv(result, refs, decisions).encode("utf-8-sig")


def latest_decisions(reviews: Sequence[StoredSetFinding]) -> dict[int, list[Review]]:
    """Finding position -> its reviewers' latest decisions, by reviewer name (undecided left
    out)."""
    return {
        sf.index: sorted(sf.latest.values(), key=lambda r: r.reviewer)
        for sf in reviews
        if sf.latest
    }


def decision_counts(decisions: Decisions) -> dict[str, int]:
    """Latest decisions by kind (one per reviewer and finding), in `DECISIONS` order."""
    counts = {d: 0 for d in DECISIONS}
    for revs in decisions.values():
        for r in revs:
            counts[r.decision] += 1
    return {d: n for d, n in counts.items() if n}


def decisions_text(revs: Sequence[Review]) -> str:
    """ "Layla: confirmed discrepancy (“55 is later”); Omar: false alarm" (plain text)."""
    return "; ".join(
        f"{r.reviewer}: {DECISION_LABELS[r.decision]}" + (f" (“{r.note}”)" if r.note else "")
        for r in revs
    )


def group_decisions_text(result: SetComparison, group: int, decisions: Decisions) -> str:
    """Decisions on the findings of one group: "#3 Layla: agree; #4 Omar: unsure" (text)."""
    parts = [
        f"#{f.id} {decisions_text(decisions[f.id])}"
        for f in result.findings_of(group)
        if f.id in decisions
    ]
    return " · ".join(parts)


def _decisions_summary(result: SetComparison, decisions: Decisions) -> str:
    counts = decision_counts(decisions)
    reviewers = sorted({r.reviewer for revs in decisions.values() for r in revs})
    shown = ", ".join(f"{n} {DECISION_LABELS[d]}" for d, n in counts.items()) or "none"
    return (
        f"{len(decisions)} of {len(result.findings)} facts decided by "
        f"{', '.join(reviewers) or 'nobody yet'}; latest decisions: {shown}."
    )


def _sources(result: SetComparison, sources: Sequence[str] | None) -> tuple[str, ...]:
    if sources is None:
        return tuple(d.source or d.id for d in result.documents)
    if len(sources) != len(result.documents):
        raise ConfigError(
            f"Got {len(sources)} source names for {len(result.documents)} documents; "
            "give one per document, in order."
        )
    return tuple(sources)


# --------------------------------------------------------------------------- cells


def value_text(e: Evidence) -> str:
    """A value as a reviewer reads it: "2017-11-03", "1500", "1500 [1350–1650]", "Raqqa"."""
    v = e.value
    if isinstance(v, dict):
        lo, hi = v.get("low"), v.get("high")
        return f"{v.get('value')} [{lo}–{hi}]" if lo != hi else f"~{v.get('value')}"
    return str(v)


def cell_mark(f: SetFinding, doc: int) -> str:
    """The mark of one source for one finding (see the module docstring)."""
    if f.value_of(doc) is None:
        return MARK_SILENT
    if f.status == "single":
        return MARK_SINGLE
    if f.status == "agree":
        return MARK_AGREE
    return MARK_DISSENT if doc in f.dissenters else MARK_CONFLICT


def cell_lines(result: SetComparison, group: int, doc: int) -> list[tuple[str, str, str]]:
    """(kind, value as stated, mark) for every finding of a group, for one source."""
    lines: list[tuple[str, str, str]] = []
    for f in result.findings_of(group):
        e = f.value_of(doc)
        shown = f"{value_text(e)} «{e.text}»" if e is not None else ""
        lines.append((f.kind, shown, cell_mark(f, doc)))
    return lines


def _published(result: SetComparison, i: int) -> str:
    p = result.published[i]
    if not p:
        return "unknown"
    return p if result.published_from[i] == "given" else f"{p} (from the text)"


def _snippet(result: SetComparison, group: int, doc: int) -> str:
    g = result.groups[group]
    sents = {s.idx: s for s in result.sentences[doc]}
    text = " ".join(sents[i].text for i in g.span(doc))
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _time_note(f: SetFinding) -> str:
    if f.time_context is None:
        return ""
    dates = ", ".join(f"{doc_key(d)} {p}" for d, p in f.time_context.published)
    return f"published {dates} ({f.time_context.days_apart} days apart)"


# --------------------------------------------------------------------------- markdown


def _md(text: str) -> str:
    """Neutralise Markdown table syntax and inline HTML in untrusted text."""
    text = html.escape(text, quote=False)
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _markdown(
    result: SetComparison, refs: Sequence[str], decisions: Decisions | None = None
) -> str:
    n = len(result.documents)
    keys = [doc_key(i) for i in range(n)]
    out = [f"# Tabayyun: claim matrix of {n} sources", ""]
    out += _md_summary(result)
    if decisions is not None:
        out += [f"Reconciliation: {_md(_decisions_summary(result, decisions))}", ""]
    out += [
        "## Sources",
        "",
        "| key | title | lang | published | source | licence |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for i, d in enumerate(result.documents):
        out.append(
            f"| {keys[i]} | {_md(d.title or d.id)} | {d.lang} | {_published(result, i)} | "
            f"{_md(refs[i])} | {_md(d.licence or 'unknown')} |"
        )
    out += [
        "",
        "## Pairs",
        "",
        "| pair | mode | linked | by shared facts | why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for p in result.pairs:
        out.append(
            f"| {doc_key(p.left)}–{doc_key(p.right)} | {p.mode} | {p.n_linked} | "
            f"{len(p.anchored)} | {_md(p.reason)} |"
        )
    out += [
        "",
        "## Claim matrix",
        "",
        f"Marks: {MARK_AGREE} agrees, {MARK_CONFLICT} conflict, {MARK_DISSENT} (alone against "
        f"two or more that agree), {MARK_SINGLE}, {MARK_SILENT} (in the group, does not state "
        f"it), {ABSENT} (no sentence in the group).",
        "",
        "| group | " + " | ".join(keys) + (" | decisions |" if decisions is not None else " |"),
        "| --- | "
        + " | ".join("---" for _ in keys)
        + (" | --- |" if decisions is not None else " |"),
    ]
    for g in result.groups:
        cells = []
        for i in range(n):
            if i not in g.docs:
                cells.append(f"*{ABSENT}*")
                continue
            lines = cell_lines(result, g.id, i)
            parts = [f"{k} {_md(v)} {m}".replace("  ", " ") for k, v, m in lines]
            cells.append("<br>".join(parts) or f"s{','.join(map(str, g.span(i)))} (no facts)")
        if decisions is not None:
            cells.append(_md(group_decisions_text(result, g.id, decisions)) or "undecided")
        out.append(f"| {g.id} | " + " | ".join(cells) + " |")
    out += ["", "## Findings", ""]
    if not result.findings:
        out.append("No dates, numbers or places in any claim group.")
    for f in result.findings:
        extra = []
        if f.dissenters:
            extra.append("dissenters: " + ", ".join(doc_key(d) for d in f.dissenters))
        if f.silent:
            extra.append("silent: " + ", ".join(doc_key(d) for d in f.silent))
        if f.time_context:
            extra.append(_time_note(f))
        if decisions is not None:
            extra.append("decisions: " + (decisions_text(decisions.get(f.id, ())) or "none"))
        out.append(
            f"- **#{f.id}** group {f.group}, {f.kind}, **{f.status}**: {_md(f.reason)}"
            + (f" ({_md('; '.join(extra))})" if extra else "")
        )
    out += ["", "## Group texts", ""]
    for g in result.groups:
        out.append(f"### Group {g.id} (score {g.score:.2f})")
        out.append("")
        for pos, idx in g.members:
            where = f"{doc_key(pos)} s{','.join(map(str, idx))}"
            out.append(f"- {where}: {_md(_snippet(result, g.id, pos))}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_summary(result: SetComparison) -> list[str]:
    conflicts = [f for f in result.findings if f.status == "conflict"]
    lone = [f for f in conflicts if f.dissenters]
    dated = [f for f in conflicts if f.time_context]
    return [
        f"{len(result.groups)} claim groups, {len(result.findings)} facts: "
        f"{len(conflicts)} conflicts ({len(lone)} with a lone dissenter, {len(dated)} between "
        f"sources published on different dates), "
        f"{sum(f.status == 'agree' for f in result.findings)} agreements, "
        f"{sum(f.status == 'single' for f in result.findings)} stated by one source only.",
        "",
    ]


# --------------------------------------------------------------------------- html


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _text_html(text: str, lang: str) -> str:
    d = "rtl" if lang == "ar" else "ltr"
    return f'<bdi class="t" dir="{d}" lang="{lang}">{_e(text)}</bdi>'


CSS = f"""
body {{ font-family: {LATIN_FONT_STACK}; color: #1d232a; margin: 1.5rem; line-height: 1.5; }}
table {{ border-collapse: collapse; margin: .6rem 0 1.2rem 0; }}
th, td {{ border: 1px solid #d8dde3; padding: .35rem .5rem; vertical-align: top;
  text-align: start; }}
th {{ background: #f2f4f7; }}
[lang="ar"] {{ font-family: {ARABIC_FONT_STACK}; font-size: 1.1em; }}
td.absent {{ background: #f6f7f9; color: #7a8590; font-style: italic; }}
td.conflict {{ background: #fdecea; }}
td.dissent {{ background: #fbd5d0; box-shadow: inset 0 0 0 2px #b3261e; }}
.fact {{ display: block; }}
.m-agree {{ color: #1b6e3a; }} .m-conflict {{ color: #b3261e; font-weight: 600; }}
.m-dissent {{ color: #fff; background: #b3261e; padding: 0 .3em; border-radius: 3px; }}
.m-single {{ color: #8a5a00; }} .m-silent {{ color: #7a8590; font-style: italic; }}
.snippet {{ display: block; color: #4a5560; font-size: .9em; margin-top: .3rem; }}
.time {{ color: #8a5a00; }}
td.decisions {{ font-size: .9em; color: #1d232a; background: #f7f9fb; }}
"""

_MARK_CLASS = {
    MARK_AGREE: "m-agree",
    MARK_CONFLICT: "m-conflict",
    MARK_DISSENT: "m-dissent",
    MARK_SINGLE: "m-single",
    MARK_SILENT: "m-silent",
}


def _html(
    result: SetComparison, refs: Sequence[str], decisions: Decisions | None = None
) -> str:
    n = len(result.documents)
    keys = [doc_key(i) for i in range(n)]
    docs = result.documents
    h: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr"><head><meta charset="utf-8">',
        f"<title>Tabayyun: claim matrix of {n} sources</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Tabayyun: claim matrix of {n} sources</h1>",
        f"<p>{_e(_md_summary(result)[0])}</p>",
        f"<p><b>Reconciliation:</b> {_e(_decisions_summary(result, decisions))}</p>"
        if decisions is not None
        else "",
        "<h2>Sources</h2><table><tr><th>key</th><th>title</th><th>lang</th>"
        "<th>published</th><th>source</th><th>licence</th></tr>",
    ]
    for i, d in enumerate(docs):
        h.append(
            f"<tr><td>{keys[i]}</td><td>{_text_html(d.title or d.id, d.lang)}</td>"
            f"<td>{d.lang}</td><td>{_e(_published(result, i))}</td>"
            f"<td><bdi>{_e(refs[i])}</bdi></td><td>{_e(d.licence or 'unknown')}</td></tr>"
        )
    h.append(
        "</table><h2>Pairs</h2><table><tr><th>pair</th><th>mode</th><th>linked</th>"
        "<th>by shared facts</th><th>why</th></tr>"
    )
    for p in result.pairs:
        h.append(
            f"<tr><td>{doc_key(p.left)}–{doc_key(p.right)}</td><td>{p.mode}</td>"
            f"<td>{p.n_linked}</td><td>{len(p.anchored)}</td><td>{_e(p.reason)}</td></tr>"
        )
    h.append("</table><h2>Claim matrix</h2>")
    h.append(
        f"<p>Marks: <span class='m-agree'>{MARK_AGREE}</span> agrees, "
        f"<span class='m-conflict'>{MARK_CONFLICT}</span> conflict, "
        f"<span class='m-dissent'>{MARK_DISSENT}</span> alone against two or more that agree, "
        f"<span class='m-single'>{MARK_SINGLE}</span>, "
        f"<span class='m-silent'>{MARK_SILENT}</span> in the group without the fact; "
        f"<i>{ABSENT}</i>: no sentence in the group.</p>"
    )
    h.append(matrix_html(result, decisions=decisions))
    h.append("<h2>Findings</h2>")
    if not result.findings:
        h.append("<p>No dates, numbers or places in any claim group.</p>")
    else:
        h.append(
            "<table><tr><th>#</th><th>group</th><th>kind</th><th>status</th><th>reason</th>"
            "<th>dissenters</th><th>silent</th><th>dates</th>"
            + ("<th>decisions</th>" if decisions is not None else "")
            + "</tr>"
        )
        for f in result.findings:
            h.append(
                f"<tr><td>{f.id}</td><td><a href='#g{f.group}'>{f.group}</a></td><td>{f.kind}</td>"
                f"<td>{f.status}</td><td><bdi>{_e(f.reason)}</bdi></td>"
                f"<td>{_e(', '.join(doc_key(d) for d in f.dissenters))}</td>"
                f"<td>{_e(', '.join(doc_key(d) for d in f.silent))}</td>"
                f"<td class='time'>{_e(_time_note(f))}</td>"
                + (
                    f"<td><bdi>{_e(decisions_text(decisions.get(f.id, ())))}</bdi></td>"
                    if decisions is not None
                    else ""
                )
                + "</tr>"
            )
        h.append("</table>")
    h.append("</body></html>")
    return "\n".join(h) + "\n"


def matrix_html(
    result: SetComparison,
    groups: Sequence[int] | None = None,
    decisions: Decisions | None = None,
) -> str:
    """The claim matrix as one escaped HTML table (style with `CSS`), for reports and the app.

    Args:
        result: The set comparison.
        groups: Ids of the groups to show as rows, in order (default: all).
        decisions: Finding position -> latest reviews (`latest_decisions`); adds a
            "decisions" column when given.

    Returns:
        `<table>...</table>`: sources as columns (with their dates), groups as rows.
    """
    n = len(result.documents)
    keys = [doc_key(i) for i in range(n)]
    docs = result.documents
    h: list[str] = []
    chosen = [result.groups[i] for i in groups] if groups is not None else list(result.groups)
    h.append(
        "<table><tr><th>group</th>"
        + "".join(
            f"<th title='{_e(docs[i].title or docs[i].id)}'>{k} · {_e(docs[i].lang)}"
            f"<br><small>{_e(_published(result, i))}</small></th>"
            for i, k in enumerate(keys)
        )
        + ("<th>decisions</th>" if decisions is not None else "")
        + "</tr>"
    )
    for g in chosen:
        row = [f"<tr id='g{g.id}'><th>{g.id}<br><small>{g.score:.2f}</small></th>"]
        for i in range(n):
            if i not in g.docs:
                row.append(f"<td class='absent'>{ABSENT}</td>")
                continue
            lines = cell_lines(result, g.id, i)
            marks = {m for _, _, m in lines}
            cls = "dissent" if MARK_DISSENT in marks else ""
            cls = cls or ("conflict" if MARK_CONFLICT in marks else "")
            facts = "".join(
                f"<span class='fact'>{_e(k)} "
                f"{_text_html(v, docs[i].lang) if v else ''} "
                f"<span class='{_MARK_CLASS[m]}'>{_e(m)}</span></span>"
                for k, v, m in lines
            )
            snippet = f"<span class='snippet'>{_text_html(_snippet(result, g.id, i), docs[i].lang)}"
            snippet += f" <small>(s{_e(','.join(map(str, g.span(i))))})</small></span>"
            row.append(f"<td class='{cls}'>{facts}{snippet}</td>")
        if decisions is not None:
            shown = group_decisions_text(result, g.id, decisions)
            row.append(f"<td class='decisions'><bdi>{_e(shown or 'undecided')}</bdi></td>")
        h.append("".join(row) + "</tr>")
    h.append("</table>")
    return "\n".join(h)


# --------------------------------------------------------------------------- csv


def _csv_header(result: SetComparison, refs: Sequence[str], i: int) -> str:
    """Column title of a source with its provenance: "d2 ar 2017-09-04 ar-news-sep"."""
    d = result.documents[i]
    return f"{doc_key(i)} {d.lang} {result.published[i] or 'undated'} {refs[i]}"


def _csv(result: SetComparison, refs: Sequence[str], decisions: Decisions | None = None) -> str:
    """One row per fact (a group without facts gets one row); one column per source, titled
    with its key, language, publication date and reference."""
    n = len(result.documents)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def row(cells: Sequence[object]) -> None:
        """Write one row; text that a spreadsheet would run as a formula is defused."""
        writer.writerow([csv_safe(str(c)) for c in cells])

    row(
        [
            "finding",
            "group",
            "kind",
            "status",
            "dissenters",
            "silent",
            "time_context",
            "reason",
            *(["decisions"] if decisions is not None else []),
            *(_csv_header(result, refs, i) for i in range(n)),
        ]
    )
    for g in result.groups:
        facts = result.findings_of(g.id)
        if not facts:
            cells = [
                f"s{','.join(map(str, g.span(i)))}" if i in g.docs else ABSENT for i in range(n)
            ]
            extra = [""] if decisions is not None else []
            row(["", g.id, "", "", "", "", "", "no dates, numbers or places", *extra, *cells])
            continue
        for f in facts:
            cells = []
            for i in range(n):
                e = f.value_of(i)
                if i not in g.docs:
                    cells.append(ABSENT)
                elif e is None:
                    cells.append(MARK_SILENT)
                else:
                    cells.append(f"{value_text(e)} «{e.text}» {cell_mark(f, i)}")
            row(
                [
                    f.id,
                    g.id,
                    f.kind,
                    f.status,
                    " ".join(doc_key(d) for d in f.dissenters),
                    " ".join(doc_key(d) for d in f.silent),
                    _time_note(f),
                    f.reason,
                    *([decisions_text(decisions.get(f.id, ()))] if decisions is not None else []),
                    *cells,
                ]
            )
    return buf.getvalue()

"""What the Sets page shows, as pure functions: row order and filters of the claim matrix,
and the (escaped) HTML of a group's side-by-side view.

The page (`app/views/sets.py`) reads widgets, calls these and renders. Document text is
untrusted: every string from a document, a title, a reason or a note goes through
`app.ui.esc` / `app.ui.highlight`; Arabic blocks carry `dir="rtl"`.

Example:
    >>> # rows = group_rows(result, SetFilter(conflicts_only=True))
    >>> # st.markdown(members_html(result, rows[0], focus=2), unsafe_allow_html=True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app import ui
from app.export_set import value_text
from corpus.repository import DECISION_LABELS, Review, StoredSetFinding
from nlp.sets import SET_STATUSES, SetComparison, SetFinding, doc_key

SET_KINDS: tuple[str, ...] = ("date", "number", "place")
PRIORITY_LABELS = ("lone dissenter", "conflict", "one source only", "agree", "no facts")

MATRIX_CSS = """
<style>
.tby-matrix table { border-collapse: collapse; margin: .4rem 0 1rem 0; width: 100%; }
.tby-matrix th, .tby-matrix td { border: 1px solid #d8dde3; padding: .35rem .5rem;
  vertical-align: top; text-align: start; font-size: .92rem; }
.tby-matrix th { background: #f2f4f7; }
.tby-matrix [lang="ar"] { font-family: "Noto Naskh Arabic", "Amiri", "Arial", sans-serif;
  font-size: 1.05em; }
.tby-matrix td.absent { background: #f6f7f9; color: #7a8590; font-style: italic; }
.tby-matrix td.conflict { background: #fdecea; }
.tby-matrix td.dissent { background: #fbd5d0; box-shadow: inset 0 0 0 2px #b3261e; }
.tby-matrix .fact { display: block; }
.tby-matrix .m-agree { color: #1b6e3a; }
.tby-matrix .m-conflict { color: #b3261e; font-weight: 600; }
.tby-matrix .m-dissent { color: #fff; background: #b3261e; padding: 0 .3em; border-radius: 3px; }
.tby-matrix .m-single { color: #8a5a00; } .tby-matrix .m-silent { color: #7a8590; }
.tby-matrix .snippet { display: block; color: #4a5560; font-size: .85em; margin-top: .3rem; }
.tby-members { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
  gap: .8rem; }
.tby-side.tby-focus { border: 2px solid #1f5fa8; }
.tby-side.tby-silent { background: #f6f7f9; }
</style>
"""


@dataclass(frozen=True, slots=True)
class SetFilter:
    """Which claim groups the matrix shows.

    Attributes:
        kinds: A group shows when one of its facts has one of these kinds.
        statuses: ... and one of these statuses ("agree", "conflict", "single").
        conflicts_only: Only groups with a conflict (a lone dissenter included).
    """

    kinds: tuple[str, ...] = SET_KINDS
    statuses: tuple[str, ...] = SET_STATUSES
    conflicts_only: bool = False


def group_priority(result: SetComparison, group: int) -> int:
    """0 a lone dissenter, 1 a conflict, 2 a fact from one source only, 3 all agree, 4 no
    facts (index into `PRIORITY_LABELS`)."""
    facts = result.findings_of(group)
    if any(f.status == "conflict" and f.dissenters for f in facts):
        return 0
    if any(f.status == "conflict" for f in facts):
        return 1
    if any(f.status == "single" for f in facts):
        return 2
    return 3 if facts else 4


def group_rows(result: SetComparison, flt: SetFilter = SetFilter()) -> list[int]:
    """Ids of the groups to show, lone dissenters and conflicts first, then by id.

    A group without facts shows only when no filter narrows the view.

    >>> # group_rows(result, SetFilter(kinds=("number",)))  -> [4, 0, 7]
    """
    full = set(flt.kinds) >= set(SET_KINDS) and set(flt.statuses) >= set(SET_STATUSES)
    rows = []
    for g in result.groups:
        facts = result.findings_of(g.id)
        if flt.conflicts_only and not any(f.status == "conflict" for f in facts):
            continue
        if not facts:
            if full and not flt.conflicts_only:
                rows.append(g.id)
            continue
        if any(f.kind in flt.kinds and f.status in flt.statuses for f in facts):
            rows.append(g.id)
    return sorted(rows, key=lambda gid: (group_priority(result, gid), gid))


def group_label(result: SetComparison, group: int) -> str:
    """ "Group 3 · conflict · d0 d2 d3 · 2 facts" (plain text for a selectbox)."""
    g = result.groups[group]
    n = len(result.findings_of(group))
    docs = " ".join(doc_key(d) for d in g.docs)
    return f"Group {group} · {PRIORITY_LABELS[group_priority(result, group)]} · {docs} · {n} facts"


def source_label(result: SetComparison, doc: int) -> str:
    """ "d2 · ar · 2017-11-03 (from the text) · title" (plain text)."""
    d = result.documents[doc]
    pub = result.published[doc] or "undated"
    if result.published[doc] and result.published_from[doc] == "text":
        pub += " (from the text)"
    return f"{doc_key(doc)} · {d.lang} · {pub} · {ui.isolate(d.title or d.id)}"


def finding_label(f: SetFinding) -> str:
    """ "#4 number · conflict · d2 dissents" (plain text)."""
    extra = f" · {' '.join(doc_key(d) for d in f.dissenters)} dissents" if f.dissenters else ""
    return f"#{f.id} {f.kind} · {f.status}{extra}"


def decisions_by_index(stored: Sequence[StoredSetFinding]) -> dict[int, list[Review]]:
    """Finding position -> latest decisions by reviewer (for `matrix_html`/`export_set`)."""
    return {
        s.index: sorted(s.latest.values(), key=lambda r: r.reviewer) for s in stored if s.latest
    }


def members_html(
    result: SetComparison,
    group: int,
    finding: SetFinding | None = None,
    focus: int | None = None,
) -> str:
    """The group's member spans side by side, evidence highlighted, as escaped HTML.

    Args:
        result: The set comparison.
        group: Group id.
        finding: Highlight this fact's evidence only (default: every fact of the group).
        focus: Document position whose box is outlined (the matrix cell that was opened).

    Returns:
        `<div class="tby-members">` with one `tby-side` box per member source (title, date,
        sentence numbers, the text with `<mark>`ed evidence; Arabic `dir="rtl"`), followed by
        a line naming the sources that are not in the group.
    """
    g = result.groups[group]
    facts = [finding] if finding is not None else list(result.findings_of(group))
    boxes = []
    for d, idx in g.members:
        doc = result.documents[d]
        sents = {s.idx: s for s in result.sentences[d]}
        chosen = [sents[i] for i in idx if i in sents]
        start, end = (chosen[0].start, chosen[-1].end) if chosen else (0, 0)
        marks = [(e.start, e.end) for f in facts for dd, e in f.values if dd == d]
        silent = finding is not None and finding.value_of(d) is None
        classes = "tby-side" + (" tby-focus" if d == focus else "") + (
            " tby-silent" if silent else ""
        )
        head = (
            f"<h4>{ui.esc(doc_key(d))} · {ui.esc(result.published[d] or 'undated')} · "
            f"s{ui.esc(','.join(map(str, idx)))}{' · silent' if silent else ''}</h4>"
            f"<div><bdi>{ui.esc(doc.title or doc.id)}</bdi></div>"
        )
        body = ui.text_block(ui.highlight(doc.text, start, end, marks), doc.lang)
        boxes.append(f'<div class="{classes}">{head}{body}</div>')
    absent = [doc_key(i) for i in range(len(result.documents)) if i not in g.docs]
    tail = (
        f'<p class="tby-empty">Not in this group: {ui.esc(", ".join(absent))}</p>' if absent else ""
    )
    return f'<div class="tby-members">{"".join(boxes)}</div>{tail}'


def finding_html(result: SetComparison, f: SetFinding) -> str:
    """One fact of a group: kind, status, reason and every source's value, escaped."""
    colour = ui.STATUS_COLOURS.get(f.status, "#4a5560")
    rows = []
    for d in range(len(result.documents)):
        e = f.value_of(d)
        doc = result.documents[d]
        if e is not None:
            mark = " (dissents)" if d in f.dissenters else ""
            shown = (
                f"<bdi dir=\"{'rtl' if doc.lang == 'ar' else 'ltr'}\" lang=\"{ui.esc(doc.lang)}\">"
                f"{ui.esc(e.text)}</bdi> → {ui.esc(value_text(e))}{ui.esc(mark)}"
            )
        elif d in f.silent and d in result.groups[f.group].docs:
            shown = '<span class="tby-empty">silent</span>'
        else:
            shown = '<span class="tby-empty">absent</span>'
        rows.append(f"<tr><th>{ui.esc(doc_key(d))}</th><td>{shown}</td></tr>")
    time_note = ""
    if f.time_context is not None:
        time_note = f"<div class='tby-context'>{ui.esc(f.time_context.describe())}</div>"
    return (
        f'<div><span class="tby-badge" style="background:{colour}">{ui.esc(f.status)}</span>'
        f'<span class="tby-kind">{ui.esc(f.kind)}</span>'
        f'<span class="tby-kind">#{f.id}</span></div>'
        f'<div class="tby-reason"><bdi>{ui.esc(f.reason)}</bdi></div>{time_note}'
        f'<table class="tby-values">{"".join(rows)}</table>'
    )


def latest_text(latest: Mapping[str, Review]) -> str:
    """ "Layla: confirmed discrepancy · Omar: agree" (plain text), or "no decision yet"."""
    if not latest:
        return "no decision yet"
    return " · ".join(
        f"{name}: {DECISION_LABELS[r.decision]}" + (f" (“{r.note}”)" if r.note else "")
        for name, r in sorted(latest.items())
    )

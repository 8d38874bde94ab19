"""HTML building for the review app: every piece of markup the pages show lives here.

Document text is untrusted. Every string that comes from a document, a title, a reason or
a reviewer note goes through `html.escape` before it is placed in markup; the pages pass
the returned strings to `st.markdown(..., unsafe_allow_html=True)` and never build HTML
themselves. Arabic blocks carry `dir="rtl"` and `lang="ar"` and a font stack with full
Arabic coverage; English blocks carry `dir="ltr"` and `lang="en"`.

Example:
    >>> from nlp.records import Document, Evidence
    >>> d = Document(id="x", text="<b>10</b> killed", lang="en")
    >>> highlight(d.text, 0, len(d.text), [(3, 5)])
    '&lt;b&gt;<mark>10</mark>&lt;/b&gt; killed'
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.records import Comparison, Evidence, Finding, Lang, Sentence

ARABIC_FONT_STACK = '"Noto Naskh Arabic", "Amiri", "Arial", sans-serif'
LATIN_FONT_STACK = '"Source Sans Pro", "Noto Sans", "Arial", sans-serif'

STATUS_LABELS: dict[str, str] = {
    "conflict": "conflict",
    "left_only": "only on the left",
    "right_only": "only on the right",
    "agree": "agree",
}

# Colours chosen for contrast on white and for colour-blind readers (blue/orange pairs).
STATUS_COLOURS: dict[str, str] = {
    "conflict": "#b3261e",
    "left_only": "#8a5a00",
    "right_only": "#8a5a00",
    "agree": "#1b6e3a",
}

CSS = f"""
<style>
[data-testid="stMainBlockContainer"] {{ padding-top: 2.2rem; }}
.tby-pair {{ display: flex; gap: 1rem; align-items: stretch; }}
.tby-side {{ flex: 1 1 0; border: 1px solid #d8dde3; border-radius: 6px; padding: .6rem .8rem;
  background: #fff; min-width: 0; }}
.tby-side h4 {{ margin: 0 0 .3rem 0; font-size: .8rem; font-weight: 600; color: #4a5560;
  text-transform: uppercase; letter-spacing: .03em; }}
.tby-text {{ font-size: 1.05rem; line-height: 1.75; color: #1d232a; white-space: pre-wrap;
  overflow-wrap: anywhere; }}
.tby-text[lang="ar"] {{ font-family: {ARABIC_FONT_STACK}; font-size: 1.2rem;
  text-align: right; }}
.tby-text[lang="en"] {{ font-family: {LATIN_FONT_STACK}; text-align: left; }}
.tby-text mark {{ background: #ffe08a; color: inherit; padding: 0 .15em; border-radius: 3px;
  box-shadow: inset 0 -2px 0 #e0a800; }}
.tby-context {{ color: #5b6670; font-size: .95rem; }}
.tby-empty {{ color: #7a8590; font-style: italic; }}
.tby-badge {{ display: inline-block; padding: .05rem .5rem; border-radius: 999px;
  font-size: .8rem; font-weight: 600; color: #fff; margin-right: .4rem; }}
.tby-kind {{ display: inline-block; padding: .05rem .5rem; border-radius: 999px;
  font-size: .8rem; border: 1px solid #9aa5b1; color: #33404d; margin-right: .4rem; }}
.tby-values {{ width: 100%; border-collapse: collapse; margin: .4rem 0; font-size: .95rem; }}
.tby-values td, .tby-values th {{ border-bottom: 1px solid #e6e9ed; padding: .25rem .5rem;
  text-align: start; vertical-align: top; }}
.tby-values th {{ color: #4a5560; font-weight: 600; width: 8rem; }}
.tby-reason {{ margin: .3rem 0 .2rem 0; font-size: 1rem; color: #1d232a; }}
</style>
"""


@dataclass(frozen=True, slots=True)
class SideView:
    """What one side of a finding shows: the aligned sentences and the span to mark.

    Attributes:
        lang: Language of the side's document.
        title: Title of the side's document.
        start: Offset into the document text where the shown passage starts.
        end: Offset where it ends (exclusive).
        marks: Spans (start, end) into the document text to highlight, inside [start, end).
    """

    lang: Lang
    title: str
    start: int
    end: int
    marks: tuple[tuple[int, int], ...]


def isolate(text: str) -> str:
    """Wrap text in Unicode first-strong isolates (FSI ... PDI) for plain-text contexts.

    An Arabic title inside an English sentence (a Streamlit heading, a caption) then keeps
    its own direction and its brackets stay in place; in HTML, use `<bdi>` instead.

    >>> isolate("دير الزور (2017)") == "\u2068دير الزور (2017)\u2069"
    True
    """
    return f"\u2068{text}\u2069"


def esc(text: object) -> str:
    """Escape any value for HTML text and attribute context (quotes included).

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def highlight(text: str, start: int, end: int, marks: Sequence[tuple[int, int]]) -> str:
    """Escape `text[start:end]` and wrap each mark (document offsets) in `<mark>`.

    Marks outside the passage are clipped; overlapping marks are merged, so the output is
    always well-formed. Escaping happens per piece, so a mark can never split an entity.

    Args:
        text: The full document text.
        start: Passage start offset.
        end: Passage end offset (exclusive).
        marks: (start, end) offsets into `text`.

    Returns:
        Escaped HTML of the passage with `<mark>` elements.

    >>> highlight("on 17 October 2017", 0, 18, [(3, 18)])
    'on <mark>17 October 2017</mark>'
    """
    clipped = sorted(
        (max(a, start), min(b, end)) for a, b in marks if b > start and a < end and b > a
    )
    merged: list[tuple[int, int]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    out: list[str] = []
    pos = start
    for a, b in merged:
        out.append(esc(text[pos:a]))
        out.append(f"<mark>{esc(text[a:b])}</mark>")
        pos = b
    out.append(esc(text[pos:end]))
    return "".join(out)


def text_block(inner_html: str, lang: Lang, css_class: str = "tby-text") -> str:
    """Wrap already-escaped HTML in a block with the right direction, language and font.

    >>> text_block("مرحبا", "ar")
    '<div class="tby-text" dir="rtl" lang="ar">مرحبا</div>'
    """
    direction = "rtl" if lang == "ar" else "ltr"
    return f'<div class="{esc(css_class)}" dir="{direction}" lang="{esc(lang)}">{inner_html}</div>'


def _span(sentences: Sequence[Sentence], indices: Sequence[int]) -> tuple[int, int] | None:
    chosen = [sentences[i] for i in indices if 0 <= i < len(sentences)]
    if not chosen:
        return None
    return min(s.start for s in chosen), max(s.end for s in chosen)


def side_views(comparison: Comparison, finding: Finding) -> tuple[SideView | None, SideView | None]:
    """The passages a finding compares, one per side (None when the side has no sentence).

    Args:
        comparison: The comparison the finding belongs to.
        finding: One of `comparison.findings`.

    Returns:
        (left, right) views; a side is None when its alignment side is empty.
    """
    alignment = comparison.alignments[finding.alignment]
    views: list[SideView | None] = []
    for doc, sentences, idx, ev in (
        (comparison.left, comparison.left_sentences, alignment.left, finding.left),
        (comparison.right, comparison.right_sentences, alignment.right, finding.right),
    ):
        span = _span(sentences, idx)
        if span is None and ev is not None:
            span = (ev.start, ev.end)
        if span is None:
            views.append(None)
            continue
        marks: tuple[tuple[int, int], ...] = ()
        if ev is not None and ev.end > ev.start and finding.kind != "omission":
            marks = ((ev.start, ev.end),)
        views.append(SideView(doc.lang, doc.title or doc.id, span[0], span[1], marks))
    return views[0], views[1]


def _side_html(view: SideView | None, text: str, fallback_title: str, lang: Lang) -> str:
    if view is None:
        body = '<div class="tby-empty">No aligned sentence on this side.</div>'
        title = fallback_title
    else:
        body = text_block(highlight(text, view.start, view.end, view.marks), view.lang)
        title = view.title
    direction = "rtl" if lang == "ar" else "ltr"
    return (
        f'<div class="tby-side"><h4 dir="{direction}"><bdi>{esc(title)}</bdi> · {esc(lang)}</h4>'
        f"{body}</div>"
    )


def pair_html(comparison: Comparison, finding: Finding) -> str:
    """Side-by-side HTML of the aligned pair behind a finding, compared spans marked.

    The left document is shown on the left and the right one on the right, whatever their
    languages; each block has its own direction.

    Args:
        comparison: The stored comparison.
        finding: One of its findings.

    Returns:
        A `<div class="tby-pair">` with two escaped blocks.
    """
    left, right = side_views(comparison, finding)
    return (
        '<div class="tby-pair">'
        + _side_html(left, comparison.left.text, comparison.left.title, comparison.left.lang)
        + _side_html(right, comparison.right.text, comparison.right.title, comparison.right.lang)
        + "</div>"
    )


def _anchor(comparison: Comparison, alignment_index: int, is_left: bool) -> int | None:
    """Last sentence of this side at or before the given alignment (for an empty side)."""
    for a in reversed(comparison.alignments[: alignment_index + 1]):
        side = a.left if is_left else a.right
        if side:
            return max(side)
    return None


def context_window(
    comparison: Comparison, finding: Finding, is_left: bool, width: int = 2
) -> tuple[int, int]:
    """Sentence index range [lo, hi) of the context shown for one side of a finding.

    A side with aligned sentences shows `width` sentences before and after them; an empty
    side (an omission) shows the sentences around where the missing one would sit.
    """
    alignment = comparison.alignments[finding.alignment]
    sentences = comparison.left_sentences if is_left else comparison.right_sentences
    idx = alignment.left if is_left else alignment.right
    if idx:
        return max(0, min(idx) - width), min(len(sentences), max(idx) + width + 1)
    anchor = _anchor(comparison, finding.alignment, is_left)
    if anchor is None:
        return 0, min(len(sentences), width)
    return max(0, anchor - width + 1), min(len(sentences), anchor + width + 1)


def context_html(comparison: Comparison, finding: Finding, width: int = 2) -> str:
    """The neighbouring sentences of both sides (up to `width` before and after), escaped.

    The aligned sentences themselves are marked so the reader keeps their place.
    """
    alignment = comparison.alignments[finding.alignment]
    blocks: list[str] = []
    for is_left, doc, sentences, idx in (
        (True, comparison.left, comparison.left_sentences, alignment.left),
        (False, comparison.right, comparison.right_sentences, alignment.right),
    ):
        lo, hi = context_window(comparison, finding, is_left, width)
        parts = [
            highlight(doc.text, s.start, s.end, [(s.start, s.end)] if s.idx in idx else [])
            for s in sentences[lo:hi]
        ]
        inner = " ".join(parts) if parts else '<span class="tby-empty">(no context)</span>'
        title = esc(doc.title or doc.id)
        blocks.append(
            f'<div class="tby-side"><h4><bdi>{title}</bdi> · {esc(doc.lang)}</h4>'
            + text_block(inner, doc.lang, "tby-text tby-context")
            + "</div>"
        )
    return '<div class="tby-pair">' + "".join(blocks) + "</div>"


def _value_text(ev: Evidence | None) -> str:
    if ev is None:
        return "—"
    value = ev.value
    if isinstance(value, dict):
        value = ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def finding_badges_html(finding: Finding, left_title: str, right_title: str) -> str:
    """Badges (status, kind, confidence) and the one-line reason, escaped.

    >>> f = Finding(0, "date", "conflict", None, None, "dates differ <b>", 0.9)
    >>> "&lt;b&gt;" in finding_badges_html(f, "L", "R")
    True
    """
    status = finding.status
    label = esc(STATUS_LABELS.get(status, status))
    if status in ("left_only", "right_only"):
        label = f"only in <bdi>{esc(left_title if status == 'left_only' else right_title)}</bdi>"
    colour = STATUS_COLOURS.get(status, "#4a5560")
    rule = f" · rule <code>{esc(finding.rule)}</code>" if finding.rule else ""
    return (
        f'<div><span class="tby-badge" style="background:{colour}">{label}</span>'
        f'<span class="tby-kind">{esc(finding.kind)}</span>'
        f'<span class="tby-kind">confidence {finding.confidence:.2f}</span></div>'
        f'<p class="tby-reason">{esc(finding.reason)}{rule}</p>'
    )


def finding_values_html(finding: Finding, left_title: str, right_title: str) -> str:
    """A small table: each side's surface text, normalised value and note, escaped."""
    rows = []
    for title, ev in ((left_title, finding.left), (right_title, finding.right)):
        note = f" <small>({esc(ev.note)})</small>" if ev is not None and ev.note else ""
        surface = esc(ev.text) if ev is not None else "—"
        rows.append(
            f"<tr><th><bdi>{esc(title)}</bdi></th><td><bdi>{surface}</bdi></td>"
            f"<td><code>{esc(_value_text(ev))}</code>{note}</td></tr>"
        )
    return (
        '<table class="tby-values"><tr><th>side</th><th>as written</th><th>value</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def finding_header_html(finding: Finding, left_title: str, right_title: str) -> str:
    """Badges, reason and the values table together (see the two functions above).

    >>> f = Finding(0, "date", "conflict", None, None, "dates differ <b>", 0.9)
    >>> "&lt;b&gt;" in finding_header_html(f, "L", "R")
    True
    """
    return finding_badges_html(finding, left_title, right_title) + finding_values_html(
        finding, left_title, right_title
    )

"""Sentence segmentation: `segment(doc) -> list[Sentence]`, offsets into the original text.

How a document is cut, in order:

1. **Lines.** Every line break ends a segment (the Arabic seeds put one paragraph on a line,
   some without final punctuation). Blank lines and rule lines (``----``, ``====``) give no
   segment.
2. **Line kinds.** Wiki headings (``== Background ==``, ``===Capturing the city===``),
   Markdown headings (``# Title``, or a line underlined with ``===``/``---``) are one
   ``heading`` segment each; bullet and numbered lines (``- Partof: ...``, ``* item``,
   ``1. item``, ``١) بند``) are one ``list_item`` segment each. Their span is the title or
   item text without the markup (``doc.text[s.start:s.end] == s.text`` still holds).
3. **Sentences.** Other lines go through a blank spaCy pipeline (``spacy.blank(lang)``)
   with the ``sentencizer``; its tokenizer gets two extra rules so that a period glued to a
   citation, a quote or the next Arabic word (``الزور.[40]``, ``الساعات".``) is a token
   of its own. Each proposed boundary is then checked by our rules:

   - closing quotes and brackets (``."``, ``.»``, ``.”``, ``.)``) and citation marks
     (``[23]``, ``[6][7]``, ``[a]``, ``[citation needed]``) after the final punctuation stay
     with the sentence they close;
   - no boundary after an abbreviation (``Maj. Gen.``, ``Sep.``, ``No.``, ``د.``; lists in
     ``nlp/lang/<lang>/abbreviations.txt``) or an initial (``J.``, ``U.S.``, ``ع.``);
     "may-end" abbreviations (``etc.``, ``هـ.``) keep the sentence going only when a
     lower-case word or a digit follows;
   - no boundary inside a number (``1.5``, ``3.5%``) nor before a lower-case Latin word or
     a comma, semicolon or colon;
   - the Arabic semicolon ``؛`` never ends a sentence; an ellipsis (``...``, ``…``) ends
     one only when a closing quote or bracket follows it (``over..." He said``), not
     inside a quotation (``"حققت... خلال الساعات"``).

Very long lines are cut into pieces of at most `MAX_CHUNK_CHARS` characters at the last
sentence end our rules accept (or a space) before the limit, so spaCy's ``max_length`` is
never reached and memory stays proportional to one piece. Segments never start or end with
white space or invisible direction marks (U+200F and the like).

Measured (bench/segment_bench.py): UD PUD sentences joined per document, boundary F1 0.997
(ar) and 0.998 (en); the demo documents take a few milliseconds once the pipeline is built.
spaCy is imported on first use only, without torch (see `_import_spacy`).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from nlp.lang.abbrev import load_abbreviations
from nlp.records import LANGS, Document, Lang, Sentence, SentenceKind

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

MAX_CHUNK_CHARS = 100_000
"""Longest piece of one line handed to spaCy at once (its default max_length is 1,000,000)."""

TERMINALS = ".!?؟۔‼⁇⁈⁉…"
"""Characters that end a sentence (``؛`` is deliberately absent)."""

_ELLIPSES = ("...", "…", "....")

_CLOSERS = "\"'”’»›)]}"
_CITATION = r"\[(?:\d{1,4}|[a-z]|(?:note|nb|n) ?\d{1,3}|citation needed|بحاجة لمصدر)\]"
# What may follow the final punctuation and still belong to the sentence.
_ATTACH_RE = re.compile(rf"(?:[{re.escape(TERMINALS)}]|[{re.escape(_CLOSERS)}]|\s*{_CITATION})*")
_HAS_TERMINAL_RE = re.compile(f"[{re.escape(TERMINALS)}]")
_INVISIBLE = frozenset(
    "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
_SINGLE_BREAKS = frozenset({"\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"})
_LINE_RE = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x85]+")
_WIKI_HEADING_RE = re.compile(r"^[ \t]*(={1,6})[ \t]*(?P<body>[^=\s](?:.*?[^=\s])?)[ \t]*\1[ \t]*$")
_MD_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<body>\S(?:.*?\S)?)(?:[ \t]+#+)?[ \t]*$")
_RULE_RE = re.compile(r"^[ \t]*([-=*_~])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_RE = re.compile(
    r"^[ \t]*(?:[-*+•‣◦▪●·–]{1,4}|\(?(?:\d{1,3}|[٠-٩]{1,3})[.)]|\(?[a-z]\))[ \t]+"
    r"(?P<body>\S(?:.*\S)?)[ \t]*$"
)
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A]")
_OPENERS_RE = re.compile(r"^[\"'“‘«‹(\[{]+")
_LATIN_INITIALS_RE = re.compile(r"^(?:[A-Z]\.|(?:[A-Za-z]\.){2,})$")
_ARABIC_INITIAL_RE = re.compile(r"^[\u0621-\u064A]\u0640?\.$")
# Extra tokenizer rules: a sentence-final mark glued to what follows is its own token.
_EXTRA_INFIXES = (
    rf"(?<=[^\s{re.escape(TERMINALS)}])[{re.escape(TERMINALS)}]+(?=\[|[\"“”«»'(]|[\u0621-\u064A])",
)
_EXTRA_SUFFIXES = (
    rf"(?<=[{re.escape(_CLOSERS)}])[{re.escape(TERMINALS)}]+",
    rf"(?<=[0-9٠-٩])[{re.escape(TERMINALS)}]+",
    # after anything else but a space or a digit: "م." -> "م" + ".", "كثيراً." -> "كثيراً" + "."
    rf"(?<=[^\s\d{re.escape(TERMINALS)}])[{re.escape(TERMINALS)}]+",
)


@dataclass(frozen=True, slots=True)
class _Line:
    """One non-blank line: its content span in the document and its kind."""

    start: int
    end: int
    kind: SentenceKind


def _import_spacy() -> Any:
    """Import spaCy without letting it pull in torch.

    spaCy's thinc imports torch at import time whenever it is installed
    (``thinc/compat.py``), which costs about 3 s and 180 MB here, and segmentation needs no
    torch (``nlp/`` must not load it). While spaCy is first imported, ``import torch`` is
    made to fail, so thinc records "no torch"; the block is lifted right after, so a later
    ``import torch`` (by an encoder in `models/`) works as usual.
    """
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy
        import thinc.api  # noqa: F401  (thinc.compat decides "has torch" once, here)
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=len(LANGS))
def _pipeline(lang: Lang) -> Language:
    """A blank spaCy pipeline with the sentencizer and our tokenizer rules (built once)."""
    spacy = _import_spacy()
    from spacy.util import compile_infix_regex, compile_suffix_regex

    nlp = spacy.blank(lang)
    infixes = list(nlp.Defaults.infixes or ()) + list(_EXTRA_INFIXES)
    suffixes = list(_EXTRA_SUFFIXES) + list(nlp.Defaults.suffixes or ())
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    url_match = nlp.tokenizer.url_match
    if url_match is not None:
        # "المعركة.وقال" is two sentences glued together, not a web address.
        nlp.tokenizer.url_match = lambda s: None if _ARABIC_LETTER_RE.search(s) else url_match(s)
    # Abbreviations that may end a sentence ("Inc.", "etc.") must reach our rules as "Inc" +
    # "." so that the sentencizer proposes a boundary after them.
    may_end = {k for k, v in load_abbreviations(lang).entries.items() if v == "may-end"}
    nlp.tokenizer.rules = {k: v for k, v in (nlp.tokenizer.rules or {}).items() if k not in may_end}
    nlp.add_pipe("sentencizer", config={"punct_chars": [*TERMINALS, *_ELLIPSES]})
    nlp.max_length = max(nlp.max_length, 2 * MAX_CHUNK_CHARS)
    log.debug("built spaCy segmentation pipeline for %s", lang)
    return nlp


def _invisible(char: str) -> bool:
    """White space, or an invisible format mark (RLM/LRM, bidi embeddings, BOM, ZWSP)."""
    return char.isspace() or char in _INVISIBLE


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so that it has no leading or trailing white space or
    invisible direction marks (Arabic web text often wraps lines in U+200F)."""
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return start, end


def _classify(line: str) -> tuple[SentenceKind, tuple[int, int]]:
    """Kind of one line and the span (within the line) of its content."""
    for regex, kind in (
        (_WIKI_HEADING_RE, "heading"),
        (_MD_HEADING_RE, "heading"),
        (_LIST_RE, "list_item"),
    ):
        hit = regex.match(line)
        if hit:
            return kind, hit.span("body")  # type: ignore[return-value]
    return "sentence", (0, len(line))


def _lines(text: str) -> list[_Line]:
    """Non-blank, non-rule lines of `text` with their kind (see the module docstring)."""
    out: list[_Line] = []
    content_end = -1  # end of the previous content line, -1 after a blank or rule line
    for m in _LINE_RE.finditer(text):
        line = m.group()
        gap = text[content_end : m.start()] if content_end >= 0 else ""
        adjacent = content_end >= 0 and gap in _SINGLE_BREAKS
        if all(_invisible(c) for c in line):
            content_end = -1
            continue
        lead, stop = 0, len(line)
        while _invisible(line[lead]):
            lead += 1
        while _invisible(line[stop - 1]):
            stop -= 1
        line = line[lead:stop]
        if _RULE_RE.match(line):
            # Setext heading: "Title" directly above "=====" or "-----".
            if adjacent and out and out[-1].kind == "sentence" and line.strip()[0] in "=-":
                out[-1] = _Line(out[-1].start, out[-1].end, "heading")
            content_end = -1
            continue
        kind, (b0, b1) = _classify(line)
        start, end = _strip(text, m.start() + lead + b0, m.start() + lead + b1)
        if start < end:
            out.append(_Line(start, end, kind))
        content_end = m.end()
    return out


def _chunks(
    text: str, start: int, end: int, limit: int, lang: Lang
) -> Iterator[tuple[int, int]]:
    """Cut [start, end) into pieces of at most `limit` chars, preferably at a sentence end.

    A cut goes after the last final mark in the window that our rules accept as a sentence
    end; failing that after the last space in the second half of the window; failing that
    at the limit.

    >>> list(_chunks("Aa. Bb. Cc.", 0, 11, 6, "en"))
    [(0, 4), (4, 8), (8, 11)]
    """
    ends = re.compile(rf"[{re.escape(TERMINALS)}][{re.escape(_CLOSERS)}]*\s+")
    while end - start > limit:
        cut = -1
        for m in reversed(list(ends.finditer(text, start, start + limit))):
            if m.end() - start > limit // 2 and not _keeps_going(
                text, start, m.start(), m.end(), lang, m.group()[1:]
            ):
                cut = m.end() - start
                break
        if cut < 0:
            window = text[start : start + limit]
            space = max(window.rfind(" "), window.rfind("\t"))
            cut = space + 1 if space > limit // 2 else limit
        yield start, start + cut
        start += cut
    if start < end:
        yield start, end


def _word_before(text: str, lo: int, p: int) -> str:
    """The whitespace-delimited word ending at `p` (inclusive), without opening quotes."""
    i = p
    while i > lo and not text[i - 1].isspace():
        i -= 1
    return _OPENERS_RE.sub("", text[i : p + 1])


def _keeps_going(text: str, lo: int, p: int, nxt: int, lang: Lang, attached: str = "") -> bool:
    """True when the period at `p` does not end the sentence (abbreviation, number, ...).

    Args:
        text: The text being segmented.
        lo: Start of the current sentence.
        p: Offset of the final punctuation mark.
        nxt: Offset of the first non-space character after the mark and what attaches to it.
        lang: Language of the text.
        attached: What follows the mark and stays with it (closing quotes, citations).
    """
    after = text[nxt] if nxt < len(text) else ""
    if after and (("a" <= after <= "z") or after in ",;:،؛)]}%"):
        return True
    if text[p] == "…" or text[max(p - 2, 0) : p + 1] == "...":
        return not any(c in _CLOSERS for c in attached)
    if text[p] != ".":
        return False
    if p + 1 < len(text) and text[p - 1 : p].isdigit() and text[p + 1].isdigit():
        return True  # 1.5, 3.5% (the tokenizer normally keeps these whole)
    word = _word_before(text, lo, p)
    if len(word) < 2:
        return False
    kind = load_abbreviations(lang).lookup(word)
    if kind == "no-end":
        return True
    if kind == "may-end":
        return bool(after) and (after.isdigit() or after.islower())
    if _LATIN_INITIALS_RE.match(word):
        return True
    return lang == "ar" and bool(_ARABIC_INITIAL_RE.match(word))


def _boundaries(text: str, lo: int, hi: int, starts: list[int], lang: Lang) -> list[int]:
    """Check spaCy's sentence starts in [lo, hi) and return the accepted ones, moved so
    that closing quotes and citation marks stay with the sentence they close."""
    accepted: list[int] = []
    sent_start = lo
    for cand in starts:
        if cand <= sent_start:
            continue
        p = cand - 1
        while p >= sent_start and text[p] not in TERMINALS:
            p -= 1
        if p < sent_start:
            continue  # spaCy split without a final mark (should not happen): keep together
        q = _ATTACH_RE.match(text, p + 1, hi).end()  # type: ignore[union-attr]
        nxt = q
        while nxt < hi and text[nxt].isspace():
            nxt += 1
        if nxt >= hi or _keeps_going(text, sent_start, p, nxt, lang, text[p + 1 : q]):
            continue
        accepted.append(nxt)
        sent_start = nxt
    return accepted


def _spacy_starts(lang: Lang, pieces: list[tuple[int, int]], text: str) -> Iterator[list[int]]:
    """Sentence starts (document offsets, first one excluded) proposed by spaCy per piece."""
    nlp = _pipeline(lang)  # first, so that spaCy is imported without torch
    from spacy.attrs import IDX, SENT_START

    texts = (text[a:b] for a, b in pieces)
    for (a, _b), doc in zip(pieces, nlp.pipe(texts, batch_size=256), strict=True):
        arr = doc.to_array([IDX, SENT_START])
        yield [a + int(i) for i, flag in arr[1:].tolist() if flag == 1]


def segment(doc: Document) -> list[Sentence]:
    r"""Split a document into headings, list items and sentences.

    Args:
        doc: The document; `doc.lang` chooses the spaCy pipeline and abbreviation list.

    Returns:
        Segments in document order, `idx` 0..n-1, each with
        ``doc.text[s.start:s.end] == s.text`` and no surrounding whitespace. Empty for a
        text with no visible characters.

    Example:
        >>> d = Document(id="d", lang="en", text="== Battle ==\nMaj. Gen. X won.[2] It ended.")
        >>> [(s.kind, s.text) for s in segment(d)]
        [('heading', 'Battle'), ('sentence', 'Maj. Gen. X won.[2]'), ('sentence', 'It ended.')]
    """
    text = doc.text
    lang: Lang = doc.lang if doc.lang in LANGS else "en"
    spans: list[tuple[int, int, SentenceKind]] = []
    pending: list[tuple[int, int]] = []  # pieces that need spaCy, in document order
    slots: list[int] = []  # index in `spans` where each pending piece's sentences go
    for line in _lines(text):
        if line.kind != "sentence":
            spans.append((line.start, line.end, line.kind))
            continue
        for a, b in _chunks(text, line.start, line.end, MAX_CHUNK_CHARS, lang):
            if _HAS_TERMINAL_RE.search(text, a, b - 1 if b - a > 1 else b):
                pending.append((a, b))
                slots.append(len(spans))
            spans.append((a, b, "sentence"))
    if pending:
        replaced: dict[int, list[tuple[int, int, SentenceKind]]] = {}
        for (a, b), slot, starts in zip(
            pending, slots, _spacy_starts(lang, pending, text), strict=True
        ):
            cuts = [a, *_boundaries(text, a, b, starts, lang), b]
            replaced[slot] = [(x, y, "sentence") for x, y in pairwise(cuts)]
        spans = [part for i, span in enumerate(spans) for part in replaced.get(i, [span])]
    out: list[Sentence] = []
    for a, b, kind in spans:
        a, b = _strip(text, a, b)
        if a < b:
            out.append(Sentence(doc.id, len(out), text[a:b], a, b, kind))
    return out

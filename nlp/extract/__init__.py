"""Extraction of dates, numbers and places as `Mention`s: the entry point of the stage.

`extract_document(doc, sentences, published=...)` runs the three extractors and resolves
their overlaps:

* dates (`nlp.extract.dates.extract_dates`) see the whole document, because relative and
  year-less dates need context;
* numbers (`nlp.extract.numbers.extract_numbers`) and places
  (`nlp.extract.places.extract_places`) work sentence by sentence.

A name several places bear is read, last, as the one inside the places the document names
(`nlp.extract.places.resolve_in_context`: Hamidiyah in an article about Deir ez-Zor).

A date span wins over the numbers inside it (`17 October 2017` is one date, not the numbers
17 and 2017). A place span wins over a number inside it (the places extractor only returns
spans the gazetteer or a cue word grounds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nlp.extract.dates import extract_dates
from nlp.extract.numbers import extract_numbers
from nlp.extract.places import extract_places, resolve_in_context
from nlp.records import Document, Mention, Sentence

__all__ = ["extract_dates", "extract_document", "extract_numbers", "extract_places"]


def _overlaps(m: Mention, spans: Sequence[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def _order(m: Mention) -> tuple[int, int, str]:
    return m.start, m.end, m.kind


def _in_sentence(m: Mention, idx: int) -> Mention:
    """`m` with `sentence` set to `idx` (`m` itself when it already says so)."""
    if m.sentence == idx:
        return m
    return Mention(m.kind, m.value, m.surface, m.start, m.end, idx, m.role, m.note)


def extract_document(
    doc: Document,
    sentences: Sequence[Sentence],
    *,
    published: dt.date | None = None,
) -> dict[int, list[Mention]]:
    """Dates, numbers and places of every sentence of `doc`.

    Args:
        doc: The document; every offset indexes `doc.text`.
        sentences: Its sentences (from `nlp.segment.segment`), in order.
        published: Publication date, used to resolve relative and year-less dates.

    Returns:
        Sentence index -> mentions sorted by start (every index of `sentences` is a key);
        `Mention.sentence` is that index and `doc.text[m.start:m.end] == m.surface`.

    Example:
        >>> from nlp.records import Document, Sentence
        >>> d = Document("d", "50 ISIL militants were killed.", "en")
        >>> s = Sentence("d", 0, d.text, 0, len(d.text))
        >>> [(m.surface, m.role) for m in extract_document(d, [s])[0] if m.kind == "number"]
        [('50', 'fighter')]
    """
    dates = extract_dates(doc, sentences, published=published)
    out: dict[int, list[Mention]] = {}
    for s in sentences:
        date_ms = dates.get(s.idx, [])
        place_ms = extract_places(s.text, s.start, doc.lang)
        number_ms = extract_numbers(s.text, s.start, doc.lang)
        if date_ms or place_ms:
            spans = [(m.start, m.end) for m in date_ms] + [(m.start, m.end) for m in place_ms]
            number_ms = [m for m in number_ms if not _overlaps(m, spans)]
        if date_ms and place_ms:
            date_spans = [(m.start, m.end) for m in date_ms]
            place_ms = [m for m in place_ms if not _overlaps(m, date_spans)]
        merged = [_in_sentence(m, s.idx) for m in (*date_ms, *number_ms, *place_ms)]
        if len(merged) > 1:
            merged.sort(key=_order)
        out[s.idx] = merged
    return resolve_in_context(out, doc.lang)

"""Small typed records that flow through the pipeline stages.

Every stage is a plain function over these frozen dataclasses:

    segment(Document) -> list[Sentence]
    extract_document(Document, sentences) -> dict[int, list[Mention]]
    align(left_vectors, right_vectors, mode, extra) -> AlignResult (list[Alignment])
    compare(pair, policy) -> list[Finding]

Offsets (`start`, `end`) are always character offsets into the *original* text of the
document (`Document.text`), so that `doc.text[s.start:s.end] == s.text` for a sentence and
`doc.text[m.start:m.end] == m.surface` for a mention. Nothing in the pipeline alters the
original text; normalised forms are computed on the side for matching.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["ar", "en"]
SentenceKind = Literal["sentence", "heading", "list_item"]
MentionKind = Literal["date", "number", "place"]
FindingKind = Literal["date", "number", "place", "omission"]
Status = Literal["agree", "conflict", "left_only", "right_only"]
Mode = Literal["translation", "independent"]
Granularity = Literal["day", "month", "season", "year", "range"]
PlaceRelation = Literal["same", "contains", "contained_in", "different"]

LANGS: tuple[Lang, ...] = ("ar", "en")
FINDING_KINDS: tuple[FindingKind, ...] = ("date", "number", "place", "omission")
STATUSES: tuple[Status, ...] = ("agree", "conflict", "left_only", "right_only")
MODES: tuple[Mode, ...] = ("translation", "independent")


@dataclass(frozen=True, slots=True)
class Document:
    """A source text and its provenance.

    Attributes:
        id: Stable identifier (demo corpus id, or a content-hash id for uploads).
        text: The original text, never altered by the pipeline.
        lang: "ar" or "en" (detected or given).
        title: Human title.
        source: Where it came from (URL, path or demo id).
        licence: Licence of the text, when known.
        published: Publication date as ISO "YYYY-MM-DD", when known.
    """

    id: str
    text: str
    lang: Lang
    title: str = ""
    source: str = ""
    licence: str = ""
    published: str | None = None

    @property
    def published_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.published) if self.published else None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One segment of a document: `doc.text[start:end] == text`."""

    doc_id: str
    idx: int
    text: str
    start: int
    end: int
    kind: SentenceKind = "sentence"


@dataclass(frozen=True, slots=True)
class Alignment:
    """Sentence indices on each side that correspond; a side may be empty."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float

    @property
    def kind(self) -> str:
        """Shape such as "1-1", "1-2", "0-1"."""
        return f"{len(self.left)}-{len(self.right)}"


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date or a span of dates, inclusive on both ends.

    `granularity` says how precise the source was: "day" (17 October 2017), "month"
    (October 2017), "season" (summer 2017), "year" (2017) or "range" (an explicit span
    between two dates such as 14 September – 17 November 2017).
    """

    start: dt.date
    end: dt.date
    granularity: Granularity
    year_inferred: bool = False  # the year came from context, not from the text
    relative: bool = False  # resolved from "the next day" and the like
    calendar: Literal["gregorian", "hijri"] = "gregorian"

    def to_json(self) -> str:
        if self.granularity == "day":
            return self.start.isoformat()
        if self.granularity == "month":
            return self.start.strftime("%Y-%m")
        if self.granularity == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number, possibly hedged or a range: the true value lies in [low, high].

    `value` is the number as stated (the midpoint for a range); `unit` is a normalised
    unit or counted noun ("km2", "m", "percent", "civilian", "fighter", ...), or None.
    `approx` is True when the text hedges ("about", "نحو").
    """

    value: float
    low: float
    high: float
    unit: str | None = None
    approx: bool = False
    ordinal: bool = False

    def to_json(self) -> float | int | dict[str, Any]:
        num: float | int = int(self.value) if float(self.value).is_integer() else self.value
        if self.low == self.high == self.value and not self.approx:
            return num
        lo = int(self.low) if float(self.low).is_integer() else self.low
        hi = int(self.high) if float(self.high).is_integer() else self.high
        return {"value": num, "low": lo, "high": hi}


@dataclass(frozen=True, slots=True)
class PlaceValue:
    """A place grounded in the gazetteer (or found by transliteration only).

    `id` is the canonical gazetteer id (e.g. "geonames:170794") or "translit:<key>" for a
    place that only cross-script matching found. `within` lists ids of the places that
    contain it (city -> district -> governorate -> country).
    """

    id: str
    name_en: str
    name_ar: str
    feature: str = ""
    within: tuple[str, ...] = ()
    key: str = ""  # normalised consonant skeleton used for fuzzy matching

    def to_json(self) -> str:
        return self.name_en or self.name_ar


Value = DateValue | Quantity | PlaceValue


@dataclass(frozen=True, slots=True)
class Mention:
    """A date, number or place found in a sentence.

    `start`/`end` are offsets into the document text. `role` is the slot the fact fills
    (the counted noun of a number, "casualties", the cue word of a place) so that a conflict
    pairs like with like; `note` says how the value was normalised when it was not literal
    (e.g. "year taken from the document's explicit dates").
    """

    kind: MentionKind
    value: Value
    surface: str
    start: int
    end: int
    sentence: int = -1
    role: str | None = None
    note: str = ""


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class Evidence:
    """One side of a finding: the surface span, its normalised value and its offsets."""

    text: str
    value: Any
    start: int
    end: int
    note: str = ""

    @classmethod
    def of(cls, m: Mention) -> Evidence:
        return cls(text=m.surface, value=m.value.to_json(), start=m.start, end=m.end, note=m.note)


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of comparing one fact (or one unmatched sentence) across two sides.

    `alignment` indexes `Comparison.alignments`. `rule` names the rule that decided the
    status; `reason` is one line a reviewer can check in seconds.
    """

    alignment: int
    kind: FindingKind
    status: Status
    left: Evidence | None
    right: Evidence | None
    reason: str
    confidence: float
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Comparison:
    """A full pairwise comparison: what `tabayyun compare LEFT RIGHT` returns."""

    left: Document
    right: Document
    mode: Mode
    mode_reason: str
    left_sentences: tuple[Sentence, ...]
    right_sentences: tuple[Sentence, ...]
    alignments: tuple[Alignment, ...]
    findings: tuple[Finding, ...]
    encoder: str = ""
    timings: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

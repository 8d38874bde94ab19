"""Claim groups across a SET of documents: who states what, with which values.

Three or more accounts of one event (any mix of Arabic and English; two documents in one
language are fine) are compared in four steps:

1. **Pairs.** Every pair of documents is aligned (`nlp.align.align`, mode "auto" by default,
   so a translation pair is aligned as one and independent reports as such): N*(N-1)/2 pairs.
2. **Claim groups.** Every alignment with two non-empty sides is an edge between two sentence
   spans; its weight is the alignment score plus a bonus per fact (date, number, place) both
   spans state with the same normalised value. Independent pairs also get fact-anchored edges
   (`anchored_edges`): near-neighbour sentences the aligner left apart that share a distinctive
   fact (rare in the set), since separate reports of one event are often less similar than the
   aligner's floor. Edges are merged greedily by descending weight with a union-find that
   refuses any merge that would put two separate spans of one source in one group (a group
   holds at most one span, consecutive sentences, per source) and any merge into a group of
   two or more sources that edges from fewer than two document pairs support.
3. **Facts.** Inside a group, every pair of member spans is compared with the pairwise
   `nlp.compare.compare`, which pairs like with like and judges each pair (agree/conflict).
   The paired mentions are merged into facts (again at most one mention per source); each fact
   lists the value every stating source gives, the sources that dissent alone against two or
   more that agree (`dissenters`) and the sources that are `silent`.
4. **Time.** When values differ and the sources are dated differently, the finding keeps
   status "conflict" but carries a `TimeContext` naming the dates, and its reason says that the
   situation may have changed. A source's date is its publication date (`Document.published`
   or, failing that, a dateline at the top of the text) or, for a number or a place from an
   undated source, the day its sentences in the group state. Publication dates are passed to
   extraction as the context for dates written without a year.

`compare_set` runs everything from documents and an encoder; `compare_set_vectors` is the
numeric core fed with sentences and vectors (tests give it hand-built vectors, or whole pairwise
alignments through `pair_alignments`). This module imports no model library.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from nlp.anchors import lead_keys
from nlp.errors import ConfigError, InputError
from nlp.policy import DEFAULT_POLICY, ComparePolicy
from nlp.records import (
    Alignment,
    DateValue,
    Document,
    Evidence,
    Finding,
    Mention,
    MentionKind,
    Mode,
    Sentence,
)

log = logging.getLogger(__name__)

SetStatus = Literal["agree", "conflict", "single"]
SET_STATUSES: tuple[SetStatus, ...] = ("agree", "conflict", "single")
PublishedFrom = Literal["given", "text", "unknown"]
Progress = Callable[[str, float], None]
MentionsByDoc = Sequence[Mapping[int, Sequence[Mention]]]
Aligner = Callable[..., Any]
PairComparer = Callable[[Any, ComparePolicy], list[Finding]]

# A dateline is the date printed at the top of a news text ("دمشق - 3 تشرين الثاني 2017 -",
# "BEIRUT, Nov. 3, 2017 (Reuters) —"): a day-precise date with its own year, in the first
# characters of the text, followed by a dash or closing the first line.
DATELINE_WINDOW = 160
_DATELINE_TAIL_RE = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?(?:[-–—:|]|\n|$)")


def doc_key(i: int) -> str:
    """The key of the i-th document of a set in the JSON contract and the exports: "d0", ..."""
    return f"d{i}"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class SetParams:
    """Settings of the set comparison (tolerances of the facts are in `ComparePolicy`).

    Attributes:
        mode: Alignment mode for every pair: "auto" (decide per pair), "translation" or
            "independent".
        fact_bonus: Added to an edge's weight for each fact (date, number, place) that both
            spans state with the same normalised value.
        max_fact_bonus: Cap on the total bonus of one edge.
        min_edge_weight: Edges lighter than this (score + bonus) join nothing.
        max_span: Longest span (consecutive sentences) one source may have in a group.
        anchor_top_k: Fact-anchored edges (independent pairs only) are sought among each
            sentence's `anchor_top_k` nearest sentences of the other document, either way.
        max_fact_df: A fact is distinctive when at most this share of the set's sentences
            state it; a fact-anchored edge needs shared facts worth at least one distinctive
            fact (sum of log(1/df) >= log(1/max_fact_df)). 0 disables fact-anchored edges.
        lead_days: The lead (first sentence) of a dated report that states no date of its
            own is taken, for fact anchoring only, to be about the publication date or up to
            `lead_days` days before it (a news lead reports the latest development).
            -1 disables this.
        min_links: A source joins a group of two or more sources (or two such groups merge)
            only when edges from at least this many distinct document pairs link the two
            sides: two members must vouch for a newcomer. 1 disables the check.
    """

    mode: str = "auto"
    fact_bonus: float = 0.05
    max_fact_bonus: float = 0.15
    min_edge_weight: float = 0.0
    max_span: int = 4
    anchor_top_k: int = 3
    max_fact_df: float = 0.05
    lead_days: int = 1
    min_links: int = 2

    def __post_init__(self) -> None:
        if self.mode not in ("auto", "translation", "independent"):
            raise ConfigError(
                f"Unknown alignment mode {self.mode!r}: use auto, translation or independent."
            )
        if self.max_span < 1:
            raise ConfigError(f"max_span must be at least 1, got {self.max_span}.")
        if not 0.0 <= self.max_fact_df < 1.0:
            raise ConfigError(f"max_fact_df must be in [0, 1), got {self.max_fact_df}.")
        if self.min_links < 1:
            raise ConfigError(f"min_links must be at least 1, got {self.min_links}.")
        if self.anchor_top_k < 1:
            raise ConfigError(f"anchor_top_k must be at least 1, got {self.anchor_top_k}.")


DEFAULT_SET_PARAMS = SetParams()


@dataclass(frozen=True, slots=True)
class PairAlignment:
    """How two documents of the set were aligned.

    Attributes:
        left: Position of the first document in the set.
        right: Position of the second (left < right).
        mode: "translation" or "independent".
        reason: Why this mode (the aligner's explanation, or "given").
        alignments: The alignments, `left` indices into document `left`'s sentences.
        anchored: Fact-anchored links (1-1, score = cosine) the set added to this pair
            between sentences the aligner left apart (see `anchored_edges`).
    """

    left: int
    right: int
    mode: Mode
    reason: str
    alignments: tuple[Alignment, ...]
    anchored: tuple[Alignment, ...] = ()

    @property
    def n_linked(self) -> int:
        """Alignments with a sentence on both sides."""
        return sum(1 for a in self.alignments if a.left and a.right)


@dataclass(frozen=True, slots=True)
class Edge:
    """A candidate link between a span of one document and a span of another."""

    weight: float
    score: float
    doc_a: int
    span_a: tuple[int, ...]
    doc_b: int
    span_b: tuple[int, ...]
    shared_facts: int = 0


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Sentence spans of different sources that report the same thing.

    Attributes:
        id: Position in `SetComparison.groups` (groups with conflicts come first).
        members: (document position, sentence indices) per member source, by position; the
            indices of one source are consecutive.
        score: Mean alignment score of the edges that joined the group, in [0, 1].
    """

    id: int
    members: tuple[tuple[int, tuple[int, ...]], ...]
    score: float

    @property
    def docs(self) -> tuple[int, ...]:
        return tuple(d for d, _ in self.members)

    def span(self, doc: int) -> tuple[int, ...]:
        """Sentence indices of `doc` in this group (empty when the source is absent)."""
        for d, idx in self.members:
            if d == doc:
                return idx
        return ()


@dataclass(frozen=True, slots=True)
class TimeContext:
    """The dates of sources that give different values for one fact.

    Attributes:
        dates: (document position, ISO date, basis) per stating source with a date; basis is
            "published" (the source's publication date) or "stated" (for a number or a place
            from a source without a publication date: the latest day-precise date its
            sentences in the group state, i.e. the date the claim is "as of").
        days_apart: Days between the earliest and the latest of those dates (>= 1).
    """

    dates: tuple[tuple[int, str, str], ...]
    days_apart: int

    @property
    def published(self) -> tuple[tuple[int, str], ...]:
        return tuple((d, p) for d, p, basis in self.dates if basis == "published")

    @property
    def stated(self) -> tuple[tuple[int, str], ...]:
        return tuple((d, p) for d, p, basis in self.dates if basis == "stated")

    def describe(self) -> str:
        """ "sources published 2017-09-04 and 2017-11-03" or, with stated dates,
        "sources dated 2017-09-04 (published) and 2017-10-17 (stated in the text)"."""
        if not self.stated:
            dates = sorted({p for _, p, _ in self.dates})
            return f"sources published {' and '.join(dates)}"
        parts = sorted({(p, basis) for _, p, basis in self.dates})
        shown = [
            f"{p} ({'published' if b == 'published' else 'stated in the text'})" for p, b in parts
        ]
        return f"sources dated {' and '.join(shown)}"


@dataclass(frozen=True, slots=True)
class SetFinding:
    """One fact of one claim group across the sources.

    Attributes:
        id: Position in `SetComparison.findings`.
        group: Id of the claim group.
        kind: "date", "number" or "place".
        status: "agree" (two or more sources, one value), "conflict" (values differ) or
            "single" (only one source states it).
        values: (document position, evidence) per stating source, by position.
        dissenters: Sources whose value stands alone against two or more that agree.
        silent: Sources that do not state the fact (absent from the group, or in it without it).
        reason: One line a reviewer can check.
        rule: The pairwise rule behind the status, or "set.*" for set-level rules.
        confidence: Lowest confidence of the pairwise verdicts that built the fact.
        time_context: Set when values differ and the stating sources' dates differ.
    """

    id: int
    group: int
    kind: MentionKind
    status: SetStatus
    values: tuple[tuple[int, Evidence], ...]
    dissenters: tuple[int, ...]
    silent: tuple[int, ...]
    reason: str
    rule: str
    confidence: float
    time_context: TimeContext | None = None

    def value_of(self, doc: int) -> Evidence | None:
        for d, e in self.values:
            if d == doc:
                return e
        return None


@dataclass(frozen=True, slots=True)
class SetComparison:
    """What `compare_set` returns; `nlp.contract.set_to_json` turns it into JSON.

    Attributes:
        documents: The documents, in the order given (document position = index here).
        sentences: Sentences of each document.
        published: Publication date used for each document (ISO), or None.
        published_from: "given" (Document.published), "text" (a dateline) or "unknown".
        pairs: Every pair's alignment, in order (0,1), (0,2), ..., (1,2), ...
        groups: Claim groups with two or more sources, groups with conflicts first.
        findings: Facts of every group, in group order.
        encoder: Name of the encoder, when known.
        timings: Seconds per stage.
    """

    documents: tuple[Document, ...]
    sentences: tuple[tuple[Sentence, ...], ...]
    published: tuple[str | None, ...]
    published_from: tuple[PublishedFrom, ...]
    pairs: tuple[PairAlignment, ...]
    groups: tuple[ClaimGroup, ...]
    findings: tuple[SetFinding, ...]
    encoder: str = ""
    timings: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    def unmatched(self, doc: int) -> tuple[int, ...]:
        """Sentence indices of `doc` that belong to no claim group."""
        used = {i for g in self.groups for i in g.span(doc)}
        return tuple(s.idx for s in self.sentences[doc] if s.idx not in used)

    def findings_of(self, group: int) -> tuple[SetFinding, ...]:
        return tuple(f for f in self.findings if f.group == group)


# --------------------------------------------------------------------------- dates


def dateline_date(doc: Document, mentions: Mapping[int, Sequence[Mention]]) -> str | None:
    """The publication date a news text states in its dateline, as ISO, or None.

    A dateline is a day-precise date with an explicit year (not inferred, not relative) that
    starts within the first `DATELINE_WINDOW` characters and is followed by a dash, a
    parenthesised agency and a dash, or the end of the first line.

    Args:
        doc: The document.
        mentions: Its mentions by sentence index (as `extract_document` returns them).

    Returns:
        "YYYY-MM-DD" or None.

    Example:
        >>> import datetime as dt
        >>> from nlp.records import DateValue, Mention
        >>> d = Document("x", "دمشق - 3 نوفمبر 2017 - سيطر الجيش على المدينة.", "ar")
        >>> v = DateValue(dt.date(2017, 11, 3), dt.date(2017, 11, 3), "day")
        >>> dateline_date(d, {0: [Mention("date", v, "3 نوفمبر 2017", 7, 20, 0)]})
        '2017-11-03'
    """
    candidates = sorted(
        (m for ms in mentions.values() for m in ms if m.kind == "date"), key=lambda m: m.start
    )
    for m in candidates:
        if m.start > DATELINE_WINDOW:
            break
        v = m.value
        if not isinstance(v, DateValue) or v.granularity != "day":
            continue
        if v.year_inferred or v.relative or v.calendar != "gregorian":
            continue
        if _DATELINE_TAIL_RE.match(doc.text[m.end : m.end + 48]):
            return v.start.isoformat()
    return None


# --------------------------------------------------------------------------- groups


def _fact_key(m: Mention) -> tuple[str, str]:
    value: Any = m.value.to_json()
    if isinstance(value, dict):
        value = value.get("value")
    return (m.kind, str(value))


def shared_fact_count(a: Sequence[Mention], b: Sequence[Mention]) -> int:
    """Number of distinct (kind, normalised value) facts stated by both mention lists.

    Example:
        >>> from nlp.records import Quantity
        >>> q = Mention("number", Quantity(50, 50, 50), "50", 0, 2)
        >>> shared_fact_count([q], [q])
        1
    """
    return len({_fact_key(m) for m in a} & {_fact_key(m) for m in b})


def pair_edges(
    pair: PairAlignment,
    mentions: MentionsByDoc | None = None,
    params: SetParams = DEFAULT_SET_PARAMS,
) -> list[Edge]:
    """Edges from one pair's alignments (both sides non-empty), with the fact bonus.

    Args:
        pair: The pair's alignments.
        mentions: Mentions by document position, then by sentence index (None: no bonus).
        params: `fact_bonus` and `max_fact_bonus`.

    Returns:
        One `Edge` per alignment with sentences on both sides.
    """
    edges: list[Edge] = []
    for a in pair.alignments:
        if not a.left or not a.right:
            continue
        shared = 0
        if mentions is not None:
            left_m = [m for i in a.left for m in mentions[pair.left].get(i, ())]
            right_m = [m for i in a.right for m in mentions[pair.right].get(i, ())]
            shared = shared_fact_count(left_m, right_m)
        bonus = min(params.max_fact_bonus, params.fact_bonus * shared)
        edges.append(
            Edge(
                weight=float(a.score) + bonus,
                score=float(a.score),
                doc_a=pair.left,
                span_a=tuple(a.left),
                doc_b=pair.right,
                span_b=tuple(a.right),
                shared_facts=shared,
            )
        )
    return edges


FactKey = tuple[str, str, str]  # ("value" | "slot" | "lead", kind, value or slot name)


def sentence_fact_keys(
    doc: Document,
    sentences: Sequence[Sentence],
    mentions: Mapping[int, Sequence[Mention]],
    published: str | None,
    lead_days: int = 1,
) -> dict[int, frozenset[FactKey]]:
    """The facts each sentence states, as keys for fact anchoring.

    Value keys ("value", kind, value) name a fact with its normalised value (a number with
    its unit or counted noun; a bare number without one is left out); slot keys ("slot",
    "number", unit) name what a number counts, so that "60 percent" and "90 percent" share a
    slot. Dates spanning more than two months
    (a year, "From 2014 until 2017") are too coarse to key on. The lead of a dated document
    that states no date of its own gets ("lead", "date", day) keys for its publication day
    and the `lead_days` days before it (see `SetParams.lead_days`); they match only a date
    another sentence states, never another lead's guess.

    Returns:
        Keys by sentence index (sentences without facts are left out).
    """
    out: dict[int, frozenset[FactKey]] = {}
    for s in sentences:
        keys: set[FactKey] = set()
        for m in mentions.get(s.idx, ()):
            kind, value = _fact_key(m)
            if m.kind == "number":
                slot = getattr(m.value, "unit", None) or m.role
                if slot:  # "three" of what? A bare number names no claim.
                    keys.add(("value", kind, f"{value}|{slot}"))
                    keys.add(("slot", kind, slot))
            elif m.kind == "place" or not _year_only(m):
                keys.add(("value", kind, value))
        if keys:
            out[s.idx] = frozenset(keys)
    day = dt.date.fromisoformat(published) if published else None
    for lead, days in lead_keys(sentences, mentions, day, lead_days).items():
        implied = {("lead", "date", iso) for _, _, iso in days}
        out[lead] = frozenset(out.get(lead, frozenset()) | implied)
    return out


def _year_only(m: Mention) -> bool:
    """A date no finer than a year: too coarse to tell one claim from another."""
    v = m.value
    return isinstance(v, DateValue) and (v.end - v.start).days > 62


def fact_idf(
    keys: Sequence[Mapping[int, frozenset[FactKey]]], n_sentences: int
) -> dict[FactKey, float]:
    """log(n_sentences / df) of every fact key, df = sentences of the set stating it."""
    df: dict[FactKey, int] = {}
    for per_doc in keys:
        for ks in per_doc.values():
            for k in ks:
                df[k] = df.get(k, 0) + 1
    return {k: math.log(max(n_sentences, 1) / c) for k, c in df.items()}


def _days(keys: frozenset[FactKey]) -> set[str]:
    """Day-precise dates among a sentence's keys, stated or implied by a lead."""
    return {x[2] for x in keys if x[1] == "date" and x[0] in ("value", "lead") and len(x[2]) == 10}


def _shared(ka: frozenset[FactKey], kb: frozenset[FactKey]) -> set[FactKey]:
    """Keys both sides state; a lead's implied date counts only against a stated date."""
    shared = {x for x in ka & kb if x[0] != "lead"}
    for mine, theirs in ((ka, kb), (kb, ka)):
        shared |= {("value", "date", x[2]) for x in mine if x[0] == "lead"} & theirs
    return shared


def anchored_edges(
    pair: PairAlignment,
    vectors: Sequence[np.ndarray],
    keys: Sequence[Mapping[int, frozenset[FactKey]]],
    idf: Mapping[FactKey, float],
    params: SetParams = DEFAULT_SET_PARAMS,
) -> list[Edge]:
    """Edges between sentences of an independent pair that the aligner left unlinked but
    that are near neighbours and share distinctive facts.

    Separate reports of one event are often less similar, sentence by sentence, than the
    aligner's floor, while stating the same rare fact ("the 137th brigade", "3 November").
    A candidate (a, b) is one where b is among a's `anchor_top_k` nearest sentences of the
    other document or a among b's; it becomes an edge when the facts both state are worth
    at least one distinctive fact: the sum of log(1/df) over shared value keys (and over
    shared number slots whose values differ: same slot, different value, a likely conflict)
    reaches log(1/max_fact_df), i.e. two unrelated sentences would share them by chance
    with probability at most `max_fact_df`; at least one shared fact must be a value (a
    shared slot alone, "some percentage", anchored only false links on the PUD bench). Two
    sentences that each date their event to the day, with no day in common, report
    different events and get no edge. The weight is the
    cosine plus `fact_bonus` per distinctive fact's worth of evidence (capped).

    Args:
        pair: The pair (only "independent" pairs get anchored edges).
        vectors: float32 [n_i, dim] unit rows per document.
        keys: `sentence_fact_keys` per document.
        idf: `fact_idf` over the whole set.
        params: `anchor_top_k`, `max_fact_df`, `fact_bonus`, `max_fact_bonus`.

    Returns:
        Edges with `score` = cosine of the two sentences.
    """
    if pair.mode != "independent" or params.max_fact_df <= 0:
        return []
    i, j = pair.left, pair.right
    ki, kj = keys[i], keys[j]
    rows = [a for a in ki if a < len(vectors[i])]
    cols = [b for b in kj if b < len(vectors[j])]
    if not rows or not cols:
        return []
    linked_i = {x for a in pair.alignments if a.left and a.right for x in a.left}
    linked_j = {x for a in pair.alignments if a.left and a.right for x in a.right}
    sims = vectors[i] @ vectors[j].T  # [n_i, n_j]
    k = params.anchor_top_k
    near_row = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    near_col = np.argsort(-sims, axis=0, kind="stable")[:k, :]
    need = math.log(1.0 / params.max_fact_df)
    edges: list[Edge] = []
    for a in rows:
        if a in linked_i:
            continue
        for b in cols:
            if b in linked_j or (b not in near_row[a] and a not in near_col[:, b]):
                continue
            shared = _shared(ki[a], kj[b])
            days_a, days_b = _days(ki[a]), _days(kj[b])
            if days_a and days_b and not days_a & days_b:
                continue  # each dates its event to the day, to different days
            value_slots = {
                x[2].rpartition("|")[2] for x in shared if x[0] == "value" and x[1] == "number"
            }
            worth = sum(
                idf.get(x, 0.0) for x in shared if x[0] == "value" or x[2] not in value_slots
            )
            n_value = sum(1 for x in shared if x[0] == "value")
            if worth < need or n_value == 0:  # a shared slot alone ("a percentage") is weak
                continue
            bonus = min(params.max_fact_bonus, params.fact_bonus * worth / need)
            cos = float(sims[a, b])
            edges.append(Edge(cos + bonus, cos, i, (a,), j, (b,), shared_facts=n_value))
    return edges


def _intervals_join(intervals: list[tuple[int, int]], max_span: int) -> tuple[int, int] | None:
    """Union of inclusive intervals when they chain by overlap (not mere adjacency)."""
    intervals.sort()
    lo, hi = intervals[0]
    for s, e in intervals[1:]:
        if s > hi:
            return None
        hi = max(hi, e)
    return (lo, hi) if hi - lo + 1 <= max_span else None


def _links_between_groups(
    a: Sequence[tuple[int, int]],
    b: Sequence[tuple[int, int]],
    neighbours: Mapping[tuple[int, int], set[tuple[int, int]]],
) -> int:
    """Distinct document pairs among the edges joining sentences of `a` to sentences of `b`."""
    in_b = set(b)
    pairs = {
        (min(x[0], y[0]), max(x[0], y[0])) for x in a for y in neighbours.get(x, ()) if y in in_b
    }
    return len(pairs)


def group_spans(
    edges: Sequence[Edge],
    *,
    max_span: int = 4,
    min_weight: float = 0.0,
    min_links: int = 1,
) -> list[ClaimGroup]:
    """Merge edges into claim groups, heaviest first, one span per source per group.

    A group is a union-find component over sentences. An edge joins the groups of all the
    sentences of its two spans only if, for every source, the spans the merged group would
    hold chain by overlap into one span of at most `max_span` sentences; otherwise the edge
    is refused (two separate spans of one source never share a group). An edge that joins a
    group of two or more sources to anything is also refused unless the candidate edges
    between the two sides come from at least `min_links` distinct document pairs: a source
    joins a group when two of its members vouch for it, so that one stray link cannot chain
    two unrelated groups (two single sentences need only their own edge).

    Args:
        edges: Candidate edges (any order; sorted here by weight, then by position).
        max_span: Longest span of one source in one group.
        min_links: Distinct document pairs that must link two sides before they merge when
            one side already holds two or more sources.
        min_weight: Edges lighter than this are ignored.

    Returns:
        Groups with two or more sources; ids are provisional (0..n-1 by first sentence).

    Example:
        >>> e = [Edge(0.9, 0.9, 0, (0,), 1, (0,)), Edge(0.8, 0.8, 1, (0,), 2, (3,)),
        ...      Edge(0.7, 0.7, 0, (1,), 2, (3,))]
        >>> [g.members for g in group_spans(e)]
        [((0, (0,)), (1, (0,)), (2, (3,)))]
    """
    parent: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], dict[int, tuple[int, int]]] = {}
    scores: dict[tuple[int, int], list[float]] = {}
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def ensure(doc: int, idx: int) -> tuple[int, int]:
        node = (doc, idx)
        if node not in parent:
            parent[node] = node
            spans[node] = {doc: (idx, idx)}
            scores[node] = []
            members[node] = [node]
        return find(node)

    ordered = sorted(
        (e for e in edges if e.weight >= min_weight),
        key=lambda e: (-e.weight, e.doc_a, e.span_a, e.doc_b, e.span_b),
    )
    neighbours: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for e in ordered:
        for i in e.span_a:
            for j in e.span_b:
                neighbours.setdefault((e.doc_a, i), set()).add((e.doc_b, j))
                neighbours.setdefault((e.doc_b, j), set()).add((e.doc_a, i))
    for e in ordered:
        if len(e.span_a) > max_span or len(e.span_b) > max_span:
            continue
        roots = {ensure(e.doc_a, i) for i in e.span_a} | {ensure(e.doc_b, i) for i in e.span_b}
        per_doc: dict[int, list[tuple[int, int]]] = {}
        for r in roots:
            for d, iv in spans[r].items():
                per_doc.setdefault(d, []).append(iv)
        per_doc.setdefault(e.doc_a, []).append((min(e.span_a), max(e.span_a)))
        per_doc.setdefault(e.doc_b, []).append((min(e.span_b), max(e.span_b)))
        merged: dict[int, tuple[int, int]] = {}
        for d, ivs in per_doc.items():
            joined = _intervals_join(ivs, max_span)
            if joined is None:
                break
            merged[d] = joined
        else:
            side_a = {x for i in e.span_a for x in members[find((e.doc_a, i))]}
            side_b = {x for i in e.span_b for x in members[find((e.doc_b, i))]}
            side_a.update((e.doc_a, i) for i in e.span_a)
            side_b.update((e.doc_b, i) for i in e.span_b)
            several = len({d for d, _ in side_a}) > 1 or len({d for d, _ in side_b}) > 1
            if (
                several
                and min_links > 1
                and _links_between_groups(sorted(side_a), sorted(side_b), neighbours) < min_links
            ):
                log.debug("refused edge %s: only one document pair links the two sides", e)
                continue
            root, *rest = sorted(roots)
            for r in rest:
                parent[r] = root
                scores[root].extend(scores.pop(r))
                members[root].extend(members.pop(r))
                del spans[r]
            for d, (lo, hi) in merged.items():
                for i in range(lo, hi + 1):  # sentences bridged by a span join the group too
                    node = (d, i)
                    if node not in parent:
                        parent[node] = root
                        members[root].append(node)
                    elif find(node) != root:  # pragma: no cover - excluded by the overlap check
                        raise AssertionError("span check let two groups share a sentence")
            spans[root] = merged
            scores[root].append(e.score)
            continue
        log.debug("refused edge %s: would put two spans of one source in a group", e)

    groups: list[ClaimGroup] = []
    for root, per in spans.items():
        if len(per) < 2:
            continue
        spans_of = tuple((d, tuple(range(lo, hi + 1))) for d, (lo, hi) in sorted(per.items()))
        sc = scores[root]
        groups.append(ClaimGroup(id=-1, members=spans_of, score=sum(sc) / len(sc) if sc else 0.0))
    groups.sort(key=lambda g: g.members)
    return [ClaimGroup(id=i, members=g.members, score=g.score) for i, g in enumerate(groups)]


# --------------------------------------------------------------------------- facts


Node = tuple[int, int, int, str]  # (document position, start, end, kind) of a stated fact


@dataclass(frozen=True, slots=True)
class _Link:
    a: Node
    b: Node
    status: str
    rule: str
    reason: str
    confidence: float


def _default_comparer() -> PairComparer:
    from nlp.compare import compare

    return compare


def _aligned_pair(
    index: int,
    docs: Sequence[Document],
    published: Sequence[dt.date | None],
    sentences: Sequence[Sequence[Sentence]],
    da: int,
    span_a: Sequence[int],
    ma: Sequence[Mention],
    db: int,
    span_b: Sequence[int],
    mb: Sequence[Mention],
    score: float,
) -> Any:
    from nlp.compare import AlignedPair

    by_idx_a = {s.idx: s for s in sentences[da]}
    by_idx_b = {s.idx: s for s in sentences[db]}
    return AlignedPair(
        index=index,
        alignment=Alignment(tuple(span_a), tuple(span_b), score),
        left_lang=docs[da].lang,
        right_lang=docs[db].lang,
        left_sentences=tuple(by_idx_a[i] for i in span_a),
        right_sentences=tuple(by_idx_b[i] for i in span_b),
        left_mentions=tuple(ma),
        right_mentions=tuple(mb),
        left_published=published[da],
        right_published=published[db],
    )


def _links_between(
    findings: Sequence[Finding], da: int, db: int, policy: ComparePolicy
) -> list[tuple[_Link, Evidence, Evidence]]:
    """Pairwise findings with evidence on both sides, as links between fact nodes.

    The evidence travels with the link: the comparer may pair facts it found itself (places
    anchored across scripts), which are not among the extracted mentions.
    """
    links: list[tuple[_Link, Evidence, Evidence]] = []
    for f in findings:
        if f.kind == "omission" or f.left is None or f.right is None:
            continue
        if f.status not in ("agree", "conflict") or f.confidence < policy.min_confidence:
            continue
        a: Node = (da, f.left.start, f.left.end, f.kind)
        b: Node = (db, f.right.start, f.right.end, f.kind)
        links.append(
            (_Link(a, b, f.status, f.rule, f.reason, float(f.confidence)), f.left, f.right)
        )
    return links


def _value_text(e: Evidence) -> str:
    v = e.value
    if isinstance(v, dict):
        lo, hi = v.get("low"), v.get("high")
        return f"{v.get('value')} [{lo}–{hi}]" if lo != hi else str(v.get("value"))
    return str(v)


def _as_of_dates(group: ClaimGroup, mentions: MentionsByDoc) -> dict[int, str]:
    """Per member source: the latest day-precise date its sentences in the group state."""
    out: dict[int, str] = {}
    for d, span in group.members:
        days = [
            m.value.start.isoformat()
            for i in span
            for m in mentions[d].get(i, ())
            if m.kind == "date" and isinstance(m.value, DateValue) and m.value.granularity == "day"
        ]
        if days:
            out[d] = max(days)
    return out


def _time_context(
    stating: Sequence[int],
    published: Sequence[str | None],
    stated: Mapping[int, str],
) -> TimeContext | None:
    """Dates of the stating sources, when at least two differ (None otherwise)."""
    dated: list[tuple[int, str, str]] = []
    for d in sorted(set(stating)):
        if published[d]:
            dated.append((d, str(published[d]), "published"))
        elif d in stated:
            dated.append((d, stated[d], "stated"))
    dates = sorted({dt.date.fromisoformat(p) for _, p, _ in dated})
    if len(dates) < 2:
        return None
    return TimeContext(dates=tuple(dated), days_apart=(dates[-1] - dates[0]).days)


def group_facts(
    group: ClaimGroup,
    docs: Sequence[Document],
    sentences: Sequence[Sequence[Sentence]],
    mentions: MentionsByDoc,
    published: Sequence[str | None],
    policy: ComparePolicy = DEFAULT_POLICY,
    comparer: PairComparer | None = None,
) -> list[SetFinding]:
    """The facts of one claim group across its sources (ids are provisional: -1).

    Every pair of member spans goes through the pairwise comparer; the mentions it pairs are
    merged into facts (agreements first, then conflicts, by confidence), at most one mention
    per source. Within a fact, sources whose values agree form a cluster; two or more clusters
    make a conflict, and a source alone in its cluster against a cluster of two or more is a
    dissenter. Mentions no pairing reached are facts of one source ("single").

    Args:
        group: The claim group.
        docs: All documents of the set (for languages; silence counts every source).
        sentences: Sentences per document.
        mentions: Mentions per document, by sentence index.
        published: Publication date per document (ISO) or None.
        policy: Tolerances passed to the comparer.
        comparer: `compare(pair, policy) -> list[Finding]` (default `nlp.compare.compare`).

    Returns:
        Findings of the group, conflicts first.
    """
    comparer = comparer or _default_comparer()
    pub_dates = [dt.date.fromisoformat(p) if p else None for p in published]
    span_mentions: dict[int, list[Mention]] = {
        d: sorted((m for i in span for m in mentions[d].get(i, ())), key=lambda m: (m.start, m.end))
        for d, span in group.members
    }
    nodes: dict[Node, Evidence] = {
        (d, m.start, m.end, m.kind): Evidence.of(m) for d, ms in span_mentions.items() for m in ms
    }
    links: list[_Link] = []
    for (da, sa), (db, sb) in itertools.combinations(group.members, 2):
        ma, mb = span_mentions[da], span_mentions[db]
        pair = _aligned_pair(
            group.id, docs, pub_dates, sentences, da, sa, ma, db, sb, mb, group.score
        )
        for link, ev_a, ev_b in _links_between(comparer(pair, policy), da, db, policy):
            nodes.setdefault(link.a, ev_a)
            nodes.setdefault(link.b, ev_b)
            links.append(link)

    # Facts: union-find over mentions, at most one mention per source.
    parent: dict[Node, Node] = {k: k for k in nodes}
    owners: dict[Node, set[int]] = {k: {k[0]} for k in nodes}

    def find(x: Node) -> Node:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    accepted: list[_Link] = []
    for link in sorted(links, key=lambda lk: (lk.status != "agree", -lk.confidence, lk.a, lk.b)):
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            accepted.append(link)
            continue
        if owners[ra] & owners[rb]:
            continue
        parent[rb] = ra
        owners[ra] |= owners.pop(rb)
        accepted.append(link)

    facts: dict[Node, list[Node]] = {}
    for k in nodes:
        facts.setdefault(find(k), []).append(k)
    fact_links: dict[Node, list[_Link]] = {}
    for link in accepted:
        fact_links.setdefault(find(link.a), []).append(link)

    out: list[SetFinding] = []
    all_docs = range(len(docs))
    as_of = _as_of_dates(group, mentions)
    for root, keys in facts.items():
        keys.sort()
        stating = [k[0] for k in keys]
        kind: MentionKind = keys[0][3]  # type: ignore[assignment]
        values = tuple((k[0], nodes[k]) for k in keys)
        silent = tuple(d for d in all_docs if d not in stating)
        own_links = fact_links.get(root, [])
        if len(keys) == 1:
            out.append(
                SetFinding(
                    id=-1,
                    group=group.id,
                    kind=kind,
                    status="single",
                    values=values,
                    dissenters=(),
                    silent=silent,
                    reason=f"{kind}: only {doc_key(keys[0][0])} states {values[0][1].text!r} "
                    f"({_value_text(values[0][1])}); {len(silent)} sources silent",
                    rule="set.single_source",
                    confidence=1.0,
                )
            )
            continue
        stated = as_of if kind != "date" else {}
        out.append(
            _fact_finding(group.id, kind, keys, values, silent, own_links, published, stated)
        )
    order = {"conflict": 0, "agree": 1, "single": 2}
    out.sort(key=lambda f: (order[f.status], -len(f.values), f.values[0][1].start))
    return out


def _fact_finding(
    group_id: int,
    kind: MentionKind,
    keys: Sequence[Node],
    values: tuple[tuple[int, Evidence], ...],
    silent: tuple[int, ...],
    links: Sequence[_Link],
    published: Sequence[str | None],
    stated: Mapping[int, str],
) -> SetFinding:
    """Cluster the stating sources of one fact by agreement and phrase the finding."""
    stating = [k[0] for k in keys]
    cluster_of = {d: d for d in stating}

    def find(d: int) -> int:
        while cluster_of[d] != d:
            d = cluster_of[d]
        return d

    for link in links:
        if link.status == "agree":
            ra, rb = find(link.a[0]), find(link.b[0])
            if ra != rb:
                cluster_of[max(ra, rb)] = min(ra, rb)
    clusters: dict[int, list[int]] = {}
    for d in stating:
        clusters.setdefault(find(d), []).append(d)
    ordered = sorted(clusters.values(), key=lambda c: (-len(c), c))
    confidence = min((lk.confidence for lk in links), default=1.0)
    ev = dict(values)

    def describe(cluster: Sequence[int]) -> str:
        texts = sorted({_value_text(ev[d]) for d in cluster})
        return f"{', '.join(doc_key(d) for d in cluster)}: {' / '.join(texts)}"

    if len(ordered) == 1:
        agree_rules = sorted({lk.rule for lk in links if lk.rule})
        return SetFinding(
            id=-1,
            group=group_id,
            kind=kind,
            status="agree",
            values=values,
            dissenters=(),
            silent=silent,
            reason=f"{kind}: {len(stating)} sources agree ({describe(ordered[0])})",
            rule=agree_rules[0] if len(agree_rules) == 1 else "set.all_agree",
            confidence=confidence,
        )

    majority = ordered[0]
    dissenters: tuple[int, ...] = ()
    if len(majority) >= 2 and len(ordered[1]) < len(majority):
        dissenters = tuple(sorted(c[0] for c in ordered[1:] if len(c) == 1))
    conflict_links = [lk for lk in links if lk.status == "conflict"]
    rule = conflict_links[0].rule if conflict_links else "set.values_differ"
    parts = "; ".join(describe(c) for c in ordered)
    reason = f"{kind}: values differ ({parts})"
    if dissenters:
        reason += f"; {', '.join(doc_key(d) for d in dissenters)} stands alone"
        rule = "set.lone_dissenter"
    tc = _time_context(stating, published, stated)
    if tc is not None:
        reason += f"; {tc.describe()}: a changing situation, not necessarily a contradiction"
    return SetFinding(
        id=-1,
        group=group_id,
        kind=kind,
        status="conflict",
        values=values,
        dissenters=dissenters,
        silent=silent,
        reason=reason,
        rule=rule,
        confidence=confidence,
        time_context=tc,
    )


def _group_priority(group: ClaimGroup, findings: Sequence[SetFinding]) -> tuple[int, ...]:
    """Sort key: lone dissenters, then conflicts, then dated conflicts, then the rest."""
    plain = [f for f in findings if f.status == "conflict" and f.time_context is None]
    dated = [f for f in findings if f.status == "conflict" and f.time_context is not None]
    lone = [f for f in plain if f.dissenters]
    lone_dated = [f for f in dated if f.dissenters]
    return (
        -len(lone),
        -len(plain),
        -len(lone_dated),
        -len(dated),
        -len(group.members),
        -sum(1 for f in findings if f.status == "agree"),
        group.id,
    )


# --------------------------------------------------------------------------- core


def _check_inputs(
    docs: Sequence[Document],
    sentences: Sequence[Sequence[Sentence]],
    vectors: Sequence[np.ndarray],
) -> None:
    if len(docs) < 2:
        raise InputError(f"A set needs at least two documents; got {len(docs)}. Add documents.")
    if len(sentences) != len(docs) or len(vectors) != len(docs):
        raise InputError(
            f"Got {len(docs)} documents but {len(sentences)} sentence lists and "
            f"{len(vectors)} vector arrays: give one of each per document, in the same order."
        )
    for d, sents, vecs in zip(docs, sentences, vectors, strict=True):
        if not sents:
            raise InputError(
                f"Document {d.title or d.id!r} has no text to compare after reading it; "
                "check that the file is not empty and is a text, Markdown, HTML or wiki file."
            )
        if len(vecs) != len(sents):
            raise InputError(
                f"Document {d.title or d.id!r}: {len(sents)} sentences but {len(vecs)} vectors; "
                "encode every sentence once, in order."
            )


def align_pairs(
    vectors: Sequence[np.ndarray],
    *,
    params: SetParams = DEFAULT_SET_PARAMS,
    aligner: Aligner | None = None,
    given: Mapping[tuple[int, int], PairAlignment] | None = None,
    progress: Progress | None = None,
) -> list[PairAlignment]:
    """Align every pair (i < j) of documents; pairs in `given` are taken as they are.

    Args:
        vectors: float32 [n_i, dim] unit rows per document.
        params: `mode` for the aligner.
        aligner: `align(left_vecs, right_vecs, mode=...) -> AlignResult` (default
            `nlp.align.align`).
        given: Pre-computed alignments by (i, j), e.g. injected by tests.
        progress: Called as `progress("align", fraction)`.

    Returns:
        N*(N-1)/2 `PairAlignment`s in order (0,1), (0,2), ..., (N-2, N-1).
    """
    from nlp.align import align

    run_align = aligner if aligner is not None else align
    pairs: list[PairAlignment] = []
    all_pairs = list(itertools.combinations(range(len(vectors)), 2))
    for k, (i, j) in enumerate(all_pairs):
        if given and (i, j) in given:
            pairs.append(given[(i, j)])
            continue
        result = run_align(vectors[i], vectors[j], mode=params.mode)
        pairs.append(PairAlignment(i, j, result.mode, result.reason, tuple(result.alignments)))
        log.info("pair d%d-d%d: %s (%s)", i, j, result.mode, result.reason)
        if progress:
            progress("align", (k + 1) / len(all_pairs))
    return pairs


def compare_set_vectors(
    docs: Sequence[Document],
    sentences: Sequence[Sequence[Sentence]],
    vectors: Sequence[np.ndarray],
    *,
    mentions: MentionsByDoc | None = None,
    published: Sequence[str | None] | None = None,
    published_from: Sequence[PublishedFrom] | None = None,
    policy: ComparePolicy = DEFAULT_POLICY,
    params: SetParams = DEFAULT_SET_PARAMS,
    pair_alignments: Mapping[tuple[int, int], PairAlignment] | None = None,
    aligner: Aligner | None = None,
    comparer: PairComparer | None = None,
    encoder_name: str = "",
    progress: Progress | None = None,
) -> SetComparison:
    """The numeric core of `compare_set`: sentences and vectors in, claim matrix out.

    Args:
        docs: N >= 2 documents, in the order given (their keys are d0, d1, ...).
        sentences: Sentences per document (`segment(doc)`).
        vectors: float32 [n_i, dim] unit rows per document, row k for sentence k.
        mentions: Mentions per document by sentence index; None runs `extract_document` with
            each document's publication date.
        published: Publication date per document (ISO) or None; default `Document.published`.
        published_from: Where each date came from; default "given" / "unknown".
        policy: Tolerances of the fact comparison.
        params: Alignment mode, fact bonus, span cap.
        pair_alignments: Alignments to use for some pairs instead of aligning their vectors.
        aligner: Replaces `nlp.align.align` (tests).
        comparer: Replaces `nlp.compare.compare` (tests).
        encoder_name: Recorded in the result.
        progress: Called as `progress(stage, fraction_done)`.

    Returns:
        The `SetComparison`.

    Example:
        >>> import numpy as np
        >>> from nlp.records import Sentence
        >>> docs = [Document(f"x{i}", "The city fell.", "en") for i in range(3)]
        >>> sents = [[Sentence(d.id, 0, d.text, 0, len(d.text))] for d in docs]
        >>> vecs = [np.ones((1, 4), np.float32) / 2 for _ in docs]
        >>> given = {(i, j): PairAlignment(i, j, "translation", "given",
        ...          (Alignment((0,), (0,), 0.9),)) for i, j in [(0, 1), (0, 2), (1, 2)]}
        >>> r = compare_set_vectors(docs, sents, vecs, mentions=[{}, {}, {}],
        ...                         pair_alignments=given)
        >>> r.groups[0].members
        ((0, (0,)), (1, (0,)), (2, (0,)))
    """
    report = progress or (lambda stage, frac: None)
    timings: dict[str, float] = {}
    _check_inputs(docs, sentences, vectors)
    if published is None:
        published = [d.published for d in docs]
    origins: Sequence[PublishedFrom] = (
        published_from
        if published_from is not None
        else ["given" if p else "unknown" for p in published]
    )
    if mentions is None:
        from nlp.extract import extract_document

        t0 = time.perf_counter()
        report("extract", 0.0)
        mentions = [
            extract_document(d, list(s), published=dt.date.fromisoformat(p) if p else None)
            for d, s, p in zip(docs, sentences, published, strict=True)
        ]
        timings["extract"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    report("align", 0.0)
    pairs = align_pairs(
        vectors, params=params, aligner=aligner, given=pair_alignments, progress=report
    )
    timings["align"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    report("group", 0.0)
    edges = [e for p in pairs for e in pair_edges(p, mentions, params)]
    keys = [
        sentence_fact_keys(d, s, m, p, params.lead_days)
        for d, s, m, p in zip(docs, sentences, mentions, published, strict=True)
    ]
    idf = fact_idf(keys, sum(len(s) for s in sentences))
    anchored: list[Edge] = []
    for k, p in enumerate(pairs):
        found = anchored_edges(p, vectors, keys, idf, params)
        if found:
            links = tuple(Alignment(e.span_a, e.span_b, e.score) for e in found)
            pairs[k] = dataclasses.replace(p, anchored=links)
            anchored += found
    log.info("%d aligned edges, %d fact-anchored edges", len(edges), len(anchored))
    edges += anchored
    raw_groups = group_spans(
        edges,
        max_span=params.max_span,
        min_weight=params.min_edge_weight,
        min_links=params.min_links,
    )
    timings["group"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    report("compare", 0.0)
    comparer = comparer or _default_comparer()
    per_group: list[tuple[ClaimGroup, list[SetFinding]]] = []
    for k, g in enumerate(raw_groups):
        facts = group_facts(g, docs, sentences, mentions, published, policy, comparer)
        per_group.append((g, facts))
        report("compare", (k + 1) / max(1, len(raw_groups)))
    per_group.sort(key=lambda gf: _group_priority(gf[0], gf[1]))
    groups: list[ClaimGroup] = []
    findings: list[SetFinding] = []
    for new_id, (g, facts) in enumerate(per_group):
        groups.append(ClaimGroup(id=new_id, members=g.members, score=g.score))
        for f in facts:
            findings.append(_renumber(f, len(findings), new_id))
    timings["compare"] = time.perf_counter() - t0
    report("done", 1.0)
    log.info(
        "set of %d documents: %d pairs, %d edges, %d groups, %d findings (%d conflicts)",
        len(docs),
        len(pairs),
        len(edges),
        len(groups),
        len(findings),
        sum(f.status == "conflict" for f in findings),
    )
    return SetComparison(
        documents=tuple(docs),
        sentences=tuple(tuple(s) for s in sentences),
        published=tuple(published),
        published_from=tuple(origins),
        pairs=tuple(pairs),
        groups=tuple(groups),
        findings=tuple(findings),
        encoder=encoder_name,
        timings=timings,
    )


def _renumber(f: SetFinding, new_id: int, group: int) -> SetFinding:
    return SetFinding(
        id=new_id,
        group=group,
        kind=f.kind,
        status=f.status,
        values=f.values,
        dissenters=f.dissenters,
        silent=f.silent,
        reason=f.reason,
        rule=f.rule,
        confidence=f.confidence,
        time_context=f.time_context,
    )


def extract_set_mentions(
    docs: Sequence[Document], sentences: Sequence[Sequence[Sentence]]
) -> tuple[list[dict[int, list[Mention]]], list[str | None], list[PublishedFrom]]:
    """Mentions of every document, with its publication date and where that came from.

    A document without a given date takes the one of its dateline (`dateline_date`), and
    its mentions are read again against it.
    """
    from nlp.extract import extract_document

    mentions: list[dict[int, list[Mention]]] = []
    published: list[str | None] = []
    published_from: list[PublishedFrom] = []
    for d, sents in zip(docs, sentences, strict=True):
        m = extract_document(d, list(sents), published=d.published_date)
        pub, src = d.published, "given" if d.published else "unknown"
        if pub is None:
            pub = dateline_date(d, m)
            if pub is not None:
                src = "text"
                log.info("%s: publication date %s read from its dateline", d.id, pub)
                m = extract_document(d, list(sents), published=dt.date.fromisoformat(pub))
        mentions.append(m)
        published.append(pub)
        published_from.append(src)  # type: ignore[arg-type]
    return mentions, published, published_from


def compare_set(
    docs: Sequence[Document],
    encoder: Any,
    *,
    policy: ComparePolicy = DEFAULT_POLICY,
    params: SetParams = DEFAULT_SET_PARAMS,
    progress: Progress | None = None,
) -> SetComparison:
    """Compare a set of documents end to end: segment, encode, extract, align pairs, group.

    Publication dates: `Document.published` when given; otherwise a dateline at the top of
    the text (`dateline_date`), in which case extraction is re-run with that date as the
    context for dates written without a year.

    Args:
        docs: Two or more documents (the command line sends three or more), any languages.
        encoder: Anything with `name` and `encode(texts) -> float32 [n, dim]` unit rows.
        policy: Tolerances of the fact comparison.
        params: Set settings (alignment mode per pair, fact bonus, span cap).
        progress: Called as `progress(stage, fraction_done)`.

    Returns:
        The `SetComparison` (`nlp.contract.set_to_json` gives its JSON).

    Example:
        >>> from models.fake import HashingEncoder
        >>> docs = [Document(f"x{i}", "On 3 November the army took the city.", "en")
        ...         for i in range(3)]
        >>> r = compare_set(docs, HashingEncoder(), params=SetParams(mode="translation"))
        >>> r.findings[0].status, r.findings[0].kind
        ('agree', 'date')
    """
    from nlp.pipeline import encode_sentences
    from nlp.segment import segment

    report = progress or (lambda stage, frac: None)
    if len(docs) < 2:
        raise InputError(f"A set needs at least two documents; got {len(docs)}. Add documents.")
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    report("segment", 0.0)
    sentences = [segment(d) for d in docs]
    timings["segment"] = time.perf_counter() - t0

    for d, sents in zip(docs, sentences, strict=True):
        if not sents:
            raise InputError(
                f"Document {d.title or d.id!r} has no text to compare after reading it; "
                "check that the file is not empty and is a text, Markdown, HTML or wiki file."
            )

    t0 = time.perf_counter()
    report("extract", 0.05)
    mentions, published, published_from = extract_set_mentions(docs, sentences)
    timings["extract"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    report("encode", 0.15)
    vectors = encode_sentences(encoder, sentences)
    timings["encode"] = time.perf_counter() - t0

    spans = {"align": (0.3, 0.5), "group": (0.8, 0.0), "compare": (0.8, 0.2), "done": (1.0, 0.0)}

    def scaled(stage: str, frac: float) -> None:
        base, width = spans.get(stage, (0.3, 0.0))
        report(stage, base + width * frac)

    result = compare_set_vectors(
        docs,
        sentences,
        vectors,
        mentions=mentions,
        published=published,
        published_from=published_from,
        policy=policy,
        params=params,
        encoder_name=getattr(encoder, "name", type(encoder).__name__),
        progress=scaled,
    )
    result.timings.update(timings)
    return result

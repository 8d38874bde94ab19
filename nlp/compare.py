"""Findings for one aligned pair of sentences: the comparison stage.

`compare(pair, policy)` turns the mentions of an `AlignedPair` into `Finding`s:

* an alignment with one empty side is an `omission` (`left_only` / `right_only`) whose
  evidence is the whole sentence span;
* otherwise the facts are paired like with like, per kind: numbers by unit, counted noun or
  military formation (`nlp.extract.numbers.pairing_evidence`), dates by role and slot (a cue
  word before the date: start = بدأ/منذ/began/since, end = حتى/until, or the date of an
  embedded post; `date_cue_slot`), places by role
  (after cross-lingual anchoring, `nlp.places.anchor_places`). Pairing is an optimal
  assignment over a cost matrix (agreeing pairs first, then the closest compatible values:
  nearest numbers and dates, places whose names look most alike across scripts), never
  first-come. Two facts the comparator calls not comparable (a duration and a point date;
  a date without a year and a bare year) are no counterparts;
* each pair gets the per-kind comparator's `Verdict` (`compare_numbers`,
  `nlp.extract.dates.compare_dates`, `nlp.places.compare_places`);
* a disagreeing pair is reported as a `conflict` only when the pairing is backed: the same
  unit/counted noun/role on both sides, or the two facts are the only compatible candidates
  left on their sides and nothing says they fill different slots (a month or season against
  a day, a share against a bare count). Otherwise, and for facts without counterpart, the
  facts are reported as `left_only` / `right_only`: a missing counterpart is never a conflict.

Confidence combines the comparator's confidence with how sure the pairing is.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from nlp.extract.dates import compare_date_mentions
from nlp.extract.numbers import compare_numbers, describe_quantity, pairing_evidence
from nlp.lang import date_slot_cues
from nlp.normalize import normalize
from nlp.places import anchor_places, compare_places, name_similarity, partial_name, relate
from nlp.policy import DEFAULT_POLICY, ComparePolicy, Verdict
from nlp.records import (
    Alignment,
    DateValue,
    Evidence,
    Finding,
    FindingKind,
    Lang,
    Mention,
    MentionKind,
    PlaceValue,
    Quantity,
    Sentence,
)

log = logging.getLogger(__name__)

_UNPAIRED_COST = 1.0
_BLOCKED = 1e6
_UNPAIRED_CONFIDENCE = 0.6
_EXACT_LIMIT = 10
_LOOSE_AGREEMENT = 0.6  # two loose agreements (1.2) cost more than one exact pair + 1 conflict


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One alignment with its sentences and mentions on both sides.

    Attributes:
        index: Index of the alignment in `Comparison.alignments` (becomes
            `Finding.alignment`).
        alignment: The alignment itself.
        left_lang, right_lang: Languages of the two documents.
        left_sentences, right_sentences: The aligned sentences (either side may be empty).
        left_mentions, right_mentions: Mentions of those sentences (document offsets).
        left_published, right_published: Publication dates, when known.
    """

    index: int
    alignment: Alignment
    left_lang: Lang
    right_lang: Lang
    left_sentences: tuple[Sentence, ...]
    right_sentences: tuple[Sentence, ...]
    left_mentions: tuple[Mention, ...]
    right_mentions: tuple[Mention, ...]
    left_published: dt.date | None = None
    right_published: dt.date | None = None


# ----------------------------------------------------------------------------- helpers


def _describe(m: Mention) -> str:
    v = m.value
    if isinstance(v, Quantity):
        return describe_quantity(v)
    if isinstance(v, DateValue):
        return v.to_json()
    if isinstance(v, PlaceValue):
        return v.name_en or v.name_ar
    return m.surface


def _span_evidence(sents: Sequence[Sentence]) -> Evidence:
    return Evidence(
        text=" ".join(s.text for s in sents), value=None, start=sents[0].start, end=sents[-1].end
    )


def _omission(pair: AlignedPair) -> Finding:
    left_side = bool(pair.left_sentences)
    sents = pair.left_sentences if left_side else pair.right_sentences
    side, other = ("left", "right") if left_side else ("right", "left")
    n = len(sents)
    return Finding(
        alignment=pair.index,
        kind="omission",
        status="left_only" if left_side else "right_only",
        left=_span_evidence(sents) if left_side else None,
        right=None if left_side else _span_evidence(sents),
        reason=f"omission: {n} {side} sentence{'s' if n > 1 else ''} with no {other} counterpart",
        confidence=round(min(1.0, max(0.5, pair.alignment.score or 0.8)), 3),
        rule="omission.unaligned",
    )


def _unpaired(pair: AlignedPair, m: Mention, left: bool) -> Finding:
    side, other = ("left", "right") if left else ("right", "left")
    return Finding(
        alignment=pair.index,
        kind=m.kind,
        status="left_only" if left else "right_only",
        left=Evidence.of(m) if left else None,
        right=None if left else Evidence.of(m),
        reason=f"{m.kind}: {_describe(m)} only on the {side} (no {m.kind} of that kind "
        f"on the {other})",
        confidence=_UNPAIRED_CONFIDENCE,
        rule=f"{m.kind}.unpaired",
    )


# ----------------------------------------------------------------------------- per kind


@dataclass(frozen=True, slots=True)
class _KindRules:
    """How one kind of fact is paired and judged."""

    evidence: Callable[[Mention, Mention], float | None]  # None = cannot be counterparts
    verdict: Callable[[Mention, Mention, ComparePolicy], Verdict]
    distance: Callable[[Mention, Mention], float]  # tie-breaker: closer values pair first
    # extra cost of an agreement that is only loose (a day inside a year, a city in its
    # governorate): exact counterparts are preferred to two loose agreements
    loose: Callable[[Mention, Mention], float] = lambda a, b: 0.0
    # whether a disagreeing pair that is only the sole candidates may be a conflict
    backs_conflict: Callable[[Mention, Mention], bool] = lambda a, b: True


def _role_evidence(a: Mention, b: Mention) -> float | None:
    if a.role and b.role:
        return 1.0 if a.role == b.role else None
    return 0.5


def _number_distance(a: Mention, b: Mention) -> float:
    qa, qb = a.value, b.value
    assert isinstance(qa, Quantity) and isinstance(qb, Quantity)
    va, vb = abs(qa.value) + 1.0, abs(qb.value) + 1.0
    return min(1.0, abs(math.log(va / vb)) / 10.0)


def _date_distance(a: Mention, b: Mention) -> float:
    da, db = a.value, b.value
    assert isinstance(da, DateValue) and isinstance(db, DateValue)
    return min(1.0, abs((da.start - db.start).days) / 3650.0)


def _place_distance(a: Mention, b: Mention) -> float:
    """Names that look alike pair first (Safirah Fawqani with سفيرة, not with الجيعة)."""
    pa, pb = a.value, b.value
    assert isinstance(pa, PlaceValue) and isinstance(pb, PlaceValue)
    return 1.0 - name_similarity(pa, pb, (a.surface, b.surface))


def _date_loose(a: Mention, b: Mention) -> float:
    da, db = a.value, b.value
    assert isinstance(da, DateValue) and isinstance(db, DateValue)
    return 0.0 if da.granularity == db.granularity else _LOOSE_AGREEMENT


def _place_loose(a: Mention, b: Mention) -> float:
    pa, pb = a.value, b.value
    assert isinstance(pa, PlaceValue) and isinstance(pb, PlaceValue)
    return 0.0 if relate(pa, pb) == "same" else _LOOSE_AGREEMENT


_SLOT_PREFIX = "slot:"
_SLOT_WINDOW = 3  # words before a date in which a cue word sets its slot
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]«»\"،؛؟\n]")
_WORD = re.compile(r"[^\W\d_]+")
#: The signature of an embedded post ("— Name (@handle) 3 November 2017"): the date that
#: follows is when the post was published, not a date of the events it reports.
_POSTED = re.compile(r"\(@\w+\)\s*$")
_POSTED_ROLE = _SLOT_PREFIX + "posted"


def date_cue_slot(before: str, lang: Lang) -> str | None:
    """The slot ("start"/"end") a cue word gives the date that follows `before`, if any.

    A date right after the signature of an embedded post ("— Name (@handle)") is in the
    slot "posted". Otherwise looks at the last `_SLOT_WINDOW` words of the clause that
    ends where the date begins (`date_slot_cues.tsv`: بدأ، منذ، انتهى، حتى / began,
    launched, since, until); an Arabic cue may carry the clitic و or ف.

    Args:
        before: The sentence text from its start up to the date.
        lang: Language of the text.

    Returns:
        "start", "end", "posted" or None.

    Example:
        >>> date_cue_slot("في إطار هجوم واسع بدأ في ", "ar")
        'start'
        >>> date_cue_slot("The offensive began on ", "en"), date_cue_slot("On ", "en")
        ('start', None)
    """
    if _POSTED.search(before):
        return "posted"
    cues = date_slot_cues(lang)
    clause = _CLAUSE_BREAK.split(before)[-1]
    for word in reversed(_WORD.findall(clause)[-_SLOT_WINDOW:]):
        w = normalize(word, lang)
        if w in cues:
            return cues[w]
        if lang == "ar" and w[:1] in ("و", "ف") and w[1:] in cues:
            return cues[w[1:]]
    return None


def _with_date_slots(
    mentions: Sequence[Mention], sentences: Sequence[Sentence], lang: Lang
) -> list[Mention]:
    """Dates without a role get the slot of their cue word as role ("slot:start")."""
    out: list[Mention] = []
    for m in mentions:
        if m.kind == "date" and m.role is None:
            s = next((s for s in sentences if s.start <= m.start < s.end), None)
            # the cue may be inside the mention ("until 2035") or right before it
            slot = date_cue_slot(m.surface.split(maxsplit=1)[0] + " ", lang) or (
                date_cue_slot(s.text[: m.start - s.start], lang) if s is not None else None)
            if slot is not None:
                m = replace(m, role=_SLOT_PREFIX + slot)
        out.append(m)
    return out


def _date_evidence(a: Mention, b: Mention) -> float | None:
    """Dates pair by role; two dates of the same granularity (two days) are a sure pair.

    Two different slots (a start and an end, a start and "the next day") never pair, nor
    does the date an embedded post was published with any date but another such.
    """
    ev = _role_evidence(a, b)
    da, db = a.value, b.value
    assert isinstance(da, DateValue) and isinstance(db, DateValue)
    if _POSTED_ROLE in (a.role, b.role) and a.role != b.role:
        return None  # when a post was published is no date of the events
    if ev is not None and da.granularity == db.granularity and not _slot_mismatch(a, b):
        return 1.0
    return ev


def _slot_mismatch(a: Mention, b: Mention) -> bool:
    """One date is stated as a start or end (cue word) and the other is not."""
    slotted = any((m.role or "").startswith(_SLOT_PREFIX) for m in (a, b))
    return slotted and a.role != b.role


def _date_backs_conflict(a: Mention, b: Mention) -> bool:
    """Whether two dates paired only for lack of rivals may be called a conflict.

    Not when they differ in granularity (the month an offensive began against the day a
    district fell; a season against a day) unless their roles match; a bare year against a
    finer date still backs one. Two different slots (a start and an end) never pair at all
    (`_date_evidence`); a slot on one side only makes the pair unsure (0.5), so it needs
    to be the sole candidates on each side.
    """
    da, db = a.value, b.value
    assert isinstance(da, DateValue) and isinstance(db, DateValue)
    if a.role is not None and a.role == b.role:
        return True
    if _slot_mismatch(a, b):
        return da.granularity == db.granularity  # "since 2014" vs "17 November": no
    # a bare year against a finer date is the same statement made less precisely (a
    # translation that keeps only the year); a month or season against a day is not
    return da.granularity == db.granularity or "year" in (da.granularity, db.granularity)


def _place_evidence(a: Mention, b: Mention) -> float | None:
    """Places pair by relation: the same place or one containing the other is a sure pair."""
    pa, pb = a.value, b.value
    assert isinstance(pa, PlaceValue) and isinstance(pb, PlaceValue)
    if relate(pa, pb) != "different" or partial_name(pa, pb, (a.surface, b.surface)):
        return 1.0
    # a shared cue ("the villages of A, B and C") says nothing about which is which
    return None if _role_evidence(a, b) is None else 0.5


def _number_backs_conflict(a: Mention, b: Mention) -> bool:
    """A share (half the city = 50 percent) against a bare count (جزءين = 2) is no sure
    conflict: a translation keeps "percent" or a fraction word, so only the two being the
    sole candidates does not make them counterparts. Other units may be dropped by a
    translation (84 years / 84) and still back one."""
    qa, qb = a.value, b.value
    assert isinstance(qa, Quantity) and isinstance(qb, Quantity)
    return not ({qa.unit, qb.unit} & {"percent"} and None in (qa.unit, qb.unit))


_RULES: dict[MentionKind, _KindRules] = {
    "number": _KindRules(
        evidence=pairing_evidence,
        verdict=lambda a, b, p: compare_numbers(a.value, b.value, p),  # type: ignore[arg-type]
        distance=_number_distance,
        backs_conflict=_number_backs_conflict,
    ),
    "date": _KindRules(
        evidence=_date_evidence,
        verdict=compare_date_mentions,
        distance=_date_distance,
        loose=_date_loose,
        backs_conflict=_date_backs_conflict,
    ),
    "place": _KindRules(
        evidence=_place_evidence,
        verdict=lambda a, b, p: compare_places(
            a.value, b.value, p, (a.surface, b.surface)  # type: ignore[arg-type]
        ),
        distance=_place_distance,
        loose=_place_loose,
    ),
}


def _assign(cost: np.ndarray) -> list[tuple[int, int]]:
    """Optimal pairing of the rows and columns of `cost` [n_left, n_right].

    Leaving an item unpaired costs `_UNPAIRED_COST`; entries >= `_BLOCKED` are never paired.
    Exact dynamic programme over subsets of the smaller side (sentences hold a handful of
    facts); above `_EXACT_LIMIT` items it falls back to cheapest-pair-first.

    >>> _assign(np.array([[1.2, 0.0], [0.0, 1.2]]))
    [(0, 1), (1, 0)]
    """
    n, m = cost.shape
    if n == 0 or m == 0:
        return []
    if m > n:
        return [(i, j) for j, i in _assign(cost.T)]
    if m > _EXACT_LIMIT:
        order = sorted((cost[i, j], i, j) for i in range(n) for j in range(m))
        used_i: set[int] = set()
        used_j: set[int] = set()
        out: list[tuple[int, int]] = []
        for c, i, j in order:
            if c < 2 * _UNPAIRED_COST and i not in used_i and j not in used_j:
                out.append((i, j))
                used_i.add(i)
                used_j.add(j)
        return sorted(out)
    # best[mask] = (cost, pairs) after the rows seen so far, columns in mask used
    best: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {0: (0.0, ())}
    for i in range(n):
        nxt: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {}
        for mask, (c, pairs) in best.items():
            options = [(mask, c + _UNPAIRED_COST, pairs)]
            for j in range(m):
                if not mask & (1 << j) and cost[i, j] < _BLOCKED:
                    options.append((mask | (1 << j), c + cost[i, j], (*pairs, (i, j))))
            for k, cc, pp in options:
                if k not in nxt or cc < nxt[k][0] - 1e-12:
                    nxt[k] = (cc, pp)
        best = nxt
    total = {k: c + _UNPAIRED_COST * (m - bin(k).count("1")) for k, (c, _) in best.items()}
    winner = min(total, key=lambda k: (total[k], k))
    return sorted(best[winner][1])


def _compare_kind(
    pair: AlignedPair,
    kind: FindingKind,
    left: Sequence[Mention],
    right: Sequence[Mention],
    rules: _KindRules,
    policy: ComparePolicy,
) -> list[Finding]:
    n, m = len(left), len(right)
    evidence: dict[tuple[int, int], float] = {}
    verdicts: dict[tuple[int, int], Verdict] = {}
    cost = np.full((n, m), _BLOCKED)
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            ev = rules.evidence(a, b)
            if ev is None:
                continue
            v = rules.verdict(a, b, policy)
            if v.rule.endswith(".not_comparable"):
                # a duration and a point date, a date without a year and a bare year: no
                # verdict either way, so they are no counterparts (each is reported alone)
                continue
            evidence[i, j], verdicts[i, j] = ev, v
            if v.status == "agree":
                cost[i, j] = 0.1 * (1.0 - ev) + 0.01 * rules.distance(a, b) + rules.loose(a, b)
            else:
                cost[i, j] = 1.0 + 0.5 * (1.0 - ev) + 0.4 * rules.distance(a, b)
    pairs = _assign(cost)
    agreed_left = {i for i, j in pairs if verdicts[i, j].status == "agree"}
    agreed_right = {j for i, j in pairs if verdicts[i, j].status == "agree"}
    findings: list[Finding] = []
    paired_left: set[int] = set()
    paired_right: set[int] = set()
    for i, j in pairs:
        v, ev = verdicts[i, j], evidence[i, j]
        if v.status == "agree":
            conf = v.confidence * (1.0 if ev >= 0.7 else 0.9)
            note = ""
        else:
            # a disagreement is a conflict only when the pairing is backed
            rivals_left = [k for k in range(n) if k not in agreed_left and (k, j) in evidence]
            rivals_right = [k for k in range(m) if k not in agreed_right and (i, k) in evidence]
            sole = len(rivals_left) == 1 and len(rivals_right) == 1
            if ev >= 1.0:
                conf = v.confidence
                note = ""
            elif sole and rules.backs_conflict(left[i], right[j]):
                conf = v.confidence * 0.85
                note = f"; paired as the only {kind} candidates on each side"
            else:
                continue  # an unbacked guess: report both facts as unpaired below
        paired_left.add(i)
        paired_right.add(j)
        findings.append(
            Finding(
                alignment=pair.index,
                kind=kind,
                status=v.status,
                left=Evidence.of(left[i]),
                right=Evidence.of(right[j]),
                reason=v.reason + note,
                confidence=round(conf, 3),
                rule=v.rule,
            )
        )
    findings.extend(_unpaired(pair, left[i], True) for i in range(n) if i not in paired_left)
    findings.extend(_unpaired(pair, right[j], False) for j in range(m) if j not in paired_right)
    return findings


def _anchored(pair: AlignedPair) -> tuple[list[Mention], list[Mention]]:
    """Places found by cross-lingual anchoring, not overlapping the given place mentions."""
    extra_left: dict[tuple[int, int], Mention] = {}
    extra_right: dict[tuple[int, int], Mention] = {}
    for ls in pair.left_sentences:
        for rs in pair.right_sentences:
            got_l, got_r = anchor_places(ls.text, ls.start, pair.left_lang,
                                  rs.text, rs.start, pair.right_lang)
            extra_left.update({(x.start, x.end): x for x in got_l})
            extra_right.update({(x.start, x.end): x for x in got_r})

    def fresh(found: dict[tuple[int, int], Mention], have: Sequence[Mention]) -> list[Mention]:
        spans = [(x.start, x.end) for x in have if x.kind == "place"]
        return [x for (s, e), x in sorted(found.items())
                if not any(s < he and hs < e for hs, he in spans)]

    return fresh(extra_left, pair.left_mentions), fresh(extra_right, pair.right_mentions)


# ----------------------------------------------------------------------------- entry point


def compare(pair: AlignedPair, policy: ComparePolicy = DEFAULT_POLICY) -> list[Finding]:
    """Findings (agree / conflict / left_only / right_only) for one aligned pair.

    Args:
        pair: The aligned sentences and their mentions.
        policy: Tolerances of the comparison.

    Returns:
        Findings ordered by kind (date, number, place) then by position; an `omission`
        finding alone when one side of the alignment is empty.

    Example:
        >>> from nlp.extract.numbers import extract_numbers
        >>> from nlp.records import Alignment, Sentence
        >>> en, ar = "50 ISIL militants were killed.", "قتل 50 مقاتلا من داعش."
        >>> p = AlignedPair(0, Alignment((0,), (0,), 0.9), "en", "ar",
        ...     (Sentence("e", 0, en, 0, len(en)),), (Sentence("a", 0, ar, 0, len(ar)),),
        ...     tuple(extract_numbers(en, 0, "en")), tuple(extract_numbers(ar, 0, "ar")))
        >>> [(f.kind, f.status) for f in compare(p)]
        [('number', 'agree')]
    """
    if not pair.left_sentences or not pair.right_sentences:
        if not pair.left_sentences and not pair.right_sentences:
            return []
        return [_omission(pair)]
    left_all = _with_date_slots(pair.left_mentions, pair.left_sentences, pair.left_lang)
    right_all = _with_date_slots(pair.right_mentions, pair.right_sentences, pair.right_lang)
    extra_l, extra_r = _anchored(pair)
    left_all += extra_l
    right_all += extra_r
    findings: list[Finding] = []
    kinds: tuple[MentionKind, ...] = ("date", "number", "place")
    for kind in kinds:
        left = sorted((x for x in left_all if x.kind == kind), key=lambda x: x.start)
        right = sorted((x for x in right_all if x.kind == kind), key=lambda x: x.start)
        if not left and not right:
            continue
        kind_findings = _compare_kind(pair, kind, left, right, _RULES[kind], policy)
        kind_findings.sort(
            key=lambda f: (f.left.start if f.left else math.inf,
                           f.right.start if f.right else math.inf)
        )
        findings.extend(kind_findings)
    return findings

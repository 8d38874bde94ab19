"""Fact anchors: evidence that two sentences of separate reports state the same fact.

Between two independent reports of one event, sentence embeddings track the topic more
than the claim: every sentence is "about Deir ez-Zor". A sentence pair that shares a
*normalised fact* (the same day, the same numbered unit, the same rare place) is stronger
evidence of a shared claim. `fact_evidence` turns the mentions of `nlp.extract` into a
sparse evidence term for `nlp.align.align(..., extra=...)`.

Keys (`fact_keys`): a date by its normalised value and granularity (a day, a month, a year
or a span, so "2017" never equals "3 November 2017"); a number by its value *and* its unit
or counted noun (numbers without one are left out: a bare "3" says little); a place by its
gazetteer id (``translit:`` ids included: they are keys of the same name in both scripts),
except countries and provinces (`SETTING_FEATURES`), the setting every sentence shares.

Evidence. Under the null hypothesis that sentence i and sentence j share keys by chance,
and keys occur independently, the chance that a random (left, right) pair shares key k is
``p_k = (df_left(k) / n) · (df_right(k) / m)``, df = sentences holding k. The chance of
sharing all of a pair's shared keys is ``P = prod_k p_k``, and the evidence is the
one-sided Gaussian quantile ``z = Phi^-1(1 - P)`` (0 when P >= 1/2): a place in half the
sentences of both reports gives z ~ 1, the "137" brigade in 2 of 35 and 1 of 43 sentences
z ~ 3. `align` adds ``z`` times its robust background spread of cosines to the pair's
cosine in independent mode, so the evidence is in the same units as its chance floor.

Implied lead dates. The lead (first sentence) of a dated news report that states no date
of its own reports the latest development: the publication day or the day before
(`lead_keys`). Those days are keys the lead *may* state, so they only match a date the other
side states, and the chance of a hit is multiplied by the number of days guessed (a lead
guessing two days is half as strong as a sentence stating one).

Example:
    >>> from nlp.records import Mention, Quantity
    >>> m = Mention("number", Quantity(137, 137, 137, unit="brigade"), "137", 0, 3, 0)
    >>> fact_evidence({0: [m], 1: []}, {0: [], 1: [], 2: [m]}, 2, 3)
    {(0, 2): 0.967}
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from statistics import NormalDist

from nlp.records import DateValue, Mention, PlaceValue, Quantity, Sentence

FactKey = tuple[str, ...]

#: Place features that name the setting of a whole story, not the site of one claim: two
#: reports of one event share their country and province by design.
SETTING_FEATURES = frozenset({"country", "region"})

_MIN_P = 1e-12  # probabilities below this give the same (very strong) evidence, z ~ 7


def fact_keys(mention: Mention) -> set[FactKey]:
    """Normalised keys of one mention (empty when it carries no comparable fact).

    Args:
        mention: A date, number or place mention of `nlp.extract`.

    Returns:
        Keys such as ``("date", "day", "2017-11-03")``, ``("number", "137", "brigade")``
        or ``("place", "geonames:170794")``.

    Example:
        >>> import datetime as dt
        >>> d = DateValue(dt.date(2017, 11, 3), dt.date(2017, 11, 3), "day")
        >>> fact_keys(Mention("date", d, "3 November", 0, 10))
        {('date', 'day', '2017-11-03')}
    """
    v = mention.value
    if isinstance(v, DateValue):
        return {("date", v.granularity, v.to_json())}
    if isinstance(v, Quantity):
        unit = v.unit or mention.role
        if not unit:
            return set()
        return {("number", f"{v.low:g}-{v.high:g}" if v.low != v.high else f"{v.value:g}", unit)}
    if isinstance(v, PlaceValue):
        return {("place", v.id)} if v.id and v.feature not in SETTING_FEATURES else set()
    return set()


def sentence_keys(mentions: Mapping[int, Iterable[Mention]]) -> dict[int, set[FactKey]]:
    """Keys per sentence index (sentences without keys are left out)."""
    out: dict[int, set[FactKey]] = {}
    for idx, ms in mentions.items():
        keys = set().union(*(fact_keys(m) for m in ms)) if ms else set()
        if keys:
            out[idx] = keys
    return out


def without_post_dates(
    sentences: Sequence[Sentence], mentions: Mapping[int, Sequence[Mention]], lang: str
) -> dict[int, list[Mention]]:
    """The mentions minus the dates that stamp an embedded post ("— Name (@handle) 3
    November 2017"): when a post was published is no claim about the events, and a shared
    stamp would tie the post to any sentence of that day (`nlp.compare.date_cue_slot`).

    Example:
        >>> import datetime as dt
        >>> text = "Free at last — Reema (@Reema_R) 3 November 2017"
        >>> d = DateValue(dt.date(2017, 11, 3), dt.date(2017, 11, 3), "day")
        >>> m = Mention("date", d, "3 November 2017", 32, 47, 0)
        >>> without_post_dates([Sentence("d", 0, text, 0, len(text))], {0: [m]}, "en")
        {0: []}
    """
    from nlp.compare import date_cue_slot

    by_idx = {s.idx: s for s in sentences}
    out: dict[int, list[Mention]] = {}
    for idx, ms in mentions.items():
        s = by_idx.get(idx)
        out[idx] = [
            m for m in ms
            if m.kind != "date" or s is None
            or date_cue_slot(s.text[: m.start - s.start], lang) != "posted"  # type: ignore[arg-type]
        ]
    return out


def lead_keys(
    sentences: Sequence[Sentence],
    mentions: Mapping[int, Iterable[Mention]],
    published: dt.date | None,
    lead_days: int = 1,
) -> dict[int, set[FactKey]]:
    """Day keys the lead of a dated report implies when it states no date itself.

    Args:
        sentences: The document's sentences (the lead is the first of kind "sentence":
            headings and list lines are skipped).
        mentions: Its mentions by sentence index.
        published: Its publication date (None: no implied keys).
        lead_days: Days before publication the lead may report (0: the day itself only).

    Returns:
        ``{lead index: {("date", "day", iso), ...}}``, or ``{}``.

    Example:
        >>> s = [Sentence("d", 0, "The army took the city.", 0, 23)]
        >>> sorted(lead_keys(s, {}, dt.date(2017, 11, 3))[0])
        [('date', 'day', '2017-11-02'), ('date', 'day', '2017-11-03')]
    """
    if published is None or lead_days < 0:
        return {}
    lead = next((s.idx for s in sentences if s.kind == "sentence"), None)
    if lead is None or any(m.kind == "date" for m in mentions.get(lead, ())):
        return {}
    days = (published - dt.timedelta(days=k) for k in range(lead_days + 1))
    return {lead: {("date", "day", d.isoformat()) for d in days}}


def fact_evidence(
    left_mentions: Mapping[int, Iterable[Mention]],
    right_mentions: Mapping[int, Iterable[Mention]],
    n_left: int,
    n_right: int,
    *,
    left_implied: Mapping[int, set[FactKey]] | None = None,
    right_implied: Mapping[int, set[FactKey]] | None = None,
) -> dict[tuple[int, int], float]:
    """Evidence, in standard deviations, that sentence pairs share facts beyond chance.

    Args:
        left_mentions: Mentions per left sentence index (`nlp.extract.extract_document`).
        right_mentions: Mentions per right sentence index.
        n_left: Sentences in the left document (the base of the key frequencies).
        n_right: Sentences in the right document.
        left_implied: Keys a left sentence may state without saying so (`lead_keys`);
            they match stated right keys only, with their chance multiplied by how many
            the sentence guesses.
        right_implied: The same for the right document.

    Returns:
        ``{(i, j): z}`` for pairs sharing at least one key with z > 0, z rounded to 3
        decimals; O(sum over keys of df_left·df_right).

    Example:
        >>> fact_evidence({}, {}, 3, 4)
        {}
    """
    if n_left <= 0 or n_right <= 0:
        return {}
    keys_l = sentence_keys(left_mentions)
    keys_r = sentence_keys(right_mentions)
    holders_l: dict[FactKey, list[int]] = {}
    holders_r: dict[FactKey, list[int]] = {}
    for i, keys in keys_l.items():
        for k in keys:
            holders_l.setdefault(k, []).append(i)
    for j, keys in keys_r.items():
        for k in keys:
            holders_r.setdefault(k, []).append(j)
    log_p: dict[tuple[int, int], float] = {}
    for k, lefts in holders_l.items():
        rights = holders_r.get(k)
        if not rights:
            continue
        lp = math.log(len(lefts) / n_left) + math.log(len(rights) / n_right)
        for i in lefts:
            for j in rights:
                log_p[(i, j)] = log_p.get((i, j), 0.0) + lp
    # an implied key: the lead states one of its `g` guessed days, so a hit is g times as
    # likely by chance; of several hits on one sentence the rarest counts (one day is meant)
    for implied, stated, n_imp, n_st, flip in (
        (left_implied, holders_r, n_left, n_right, False),
        (right_implied, holders_l, n_right, n_left, True),
    ):
        for i, keys in (implied or {}).items():
            best: dict[int, float] = {}
            for k in keys:
                df = len(stated.get(k, ()))
                if not df:
                    continue
                lp = math.log(len(keys) / n_imp) + math.log(df / n_st)
                for j in stated[k]:
                    best[j] = min(best.get(j, 0.0), lp)
            for j, lp in best.items():
                pair = (j, i) if flip else (i, j)
                log_p[pair] = log_p.get(pair, 0.0) + lp
    normal = NormalDist()
    out: dict[tuple[int, int], float] = {}
    for pair, lp in sorted(log_p.items()):
        p = max(math.exp(lp), _MIN_P)
        if p < 0.5:
            out[pair] = round(normal.inv_cdf(1.0 - p), 3)
    return out

"""Every entry of every date word list: it loads, and the extractor reads it in a sentence.

Lists: nlp/lang/{ar,en}/months*.tsv, ordinal_days.tsv, relative_dates.tsv, seasons.tsv,
duration_units.tsv, duration_counts.tsv, year_blockers.tsv (loaders in nlp/lang/months.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hijridate import Hijri

from nlp.errors import ConfigError
from nlp.extract.dates import extract_dates, find_date_candidates
from nlp.lang import months as lm
from nlp.normalize import normalize
from nlp.records import Document, Sentence

LANG_DIR = Path(lm.__file__).parent


def _entries(lang: str, name: str) -> list[tuple[str, ...]]:
    rows = []
    for line in (LANG_DIR / lang / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(tuple(c.strip() for c in line.split("\t")))
    return rows


def _params(lang: str, name: str) -> list:
    return [pytest.param(*row, id=f"{lang}-{name}-{row[0]}") for row in _entries(lang, name)]


def _dates(text: str, lang: str, published: str | None = None):
    doc = Document("t", text, lang, published=published)  # type: ignore[arg-type]
    return extract_dates(doc, [Sentence("t", 0, text, 0, len(text))])[0]


def _norm(text: str, lang: str) -> str:
    out = normalize(text, lang)
    return " ".join((out.replace("'", "") if lang == "en" else out).split())


# --------------------------------------------------------------------------- months

AR_GREGORIAN = [
    p
    for name in ("months_gregorian", "months_levantine", "months_maghrebi")
    for p in _params("ar", name)
]


@pytest.mark.parametrize(("surface", "month"), [p for p in AR_GREGORIAN if len(p.values) == 2])
def test_ar_gregorian_month_in_a_date(surface: str, month: str) -> None:
    text = f"وفي 5 {surface} 2017، تقدم الجيش"
    [m] = _dates(text, "ar")
    assert m.value.start == dt.date(2017, int(month), 5)
    assert m.surface == f"5 {surface} 2017"


@pytest.mark.parametrize(
    ("surface", "month", "flag"), [p for p in AR_GREGORIAN if len(p.values) == 3]
)
def test_ar_ambiguous_month_needs_context(surface: str, month: str, flag: str) -> None:
    assert flag == "ctx"
    [m] = _dates(f"في 12 {surface} 2016", "ar")
    assert m.value.start == dt.date(2016, int(month), 12)
    # alone, with no day, year, preposition or شهر, the word is not read as a month
    assert _dates(f"قال {surface} كلاما", "ar") == []


@pytest.mark.parametrize(("surface", "month"), _params("ar", "months_hijri"))
def test_ar_hijri_month_converted(surface: str, month: str) -> None:
    [m] = _dates(f"في 15 {surface} 1438 هـ", "ar")
    g = Hijri(1438, int(month), 15).to_gregorian()
    assert m.value.start == dt.date(g.year, g.month, g.day)
    assert m.value.calendar == "hijri"


@pytest.mark.parametrize("row", [p.values for p in _params("en", "months")], ids=str)
def test_en_month_in_a_date(row: tuple[str, ...]) -> None:
    surface, month = row[0], int(row[1])
    [m] = _dates(f"On 5 {surface} 2017, the army advanced.", "en")
    assert m.value.start == dt.date(2017, month, 5)
    [m] = _dates(f"On {surface} 5, 2017 the army advanced.", "en")
    assert m.value.start == dt.date(2017, month, 5)


@pytest.mark.parametrize(("surface", "month"), _params("en", "months_hijri"))
def test_en_hijri_month_converted(surface: str, month: str) -> None:
    [m] = _dates(f"It began on 15 {surface} 1438 AH.", "en")
    g = Hijri(1438, int(month), 15).to_gregorian()
    assert m.value.start == dt.date(g.year, g.month, g.day)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_month_loader_normalises(lang: str) -> None:
    names = lm.month_names(lang)  # type: ignore[arg-type]
    for m in names:
        assert m.surface == _norm(m.surface, lang)
    assert [len(m.surface) for m in names] == sorted((len(m.surface) for m in names), reverse=True)


# --------------------------------------------------------------------------- ordinals


@pytest.mark.parametrize(("word", "day"), _params("ar", "ordinal_days"))
def test_ar_ordinal_day(word: str, day: str) -> None:
    assert lm.ordinal_days("ar")[_norm(word, "ar")] == int(day)
    [m] = _dates(f"في {word} من أكتوبر 2017", "ar")
    assert m.value.start == dt.date(2017, 10, int(day))


@pytest.mark.parametrize(("word", "day"), _params("en", "ordinal_days"))
def test_en_ordinal_day(word: str, day: str) -> None:
    assert lm.ordinal_days("en")[_norm(word, "en")] == int(day)
    [m] = _dates(f"On the {word} of October 2017 it ended.", "en")
    assert m.value.start == dt.date(2017, 10, int(day))


# --------------------------------------------------------------------------- relative dates


def _relative_sentence(lang: str, phrase: str) -> str:
    if lang == "ar":
        return f"في 10 أكتوبر 2017، تقدم الجيش. {phrase}، انسحب التنظيم."
    return f"On 10 October 2017, the army advanced. {phrase.capitalize()}, ISIL withdrew."


@pytest.mark.parametrize(
    ("lang", "phrase", "offset", "unit", "anchor"),
    [pytest.param("ar", *p.values, id=p.id) for p in _params("ar", "relative_dates")]
    + [pytest.param("en", *p.values, id=p.id) for p in _params("en", "relative_dates")],
)
def test_relative_phrase(lang: str, phrase: str, offset: str, unit: str, anchor: str) -> None:
    text = _relative_sentence(lang, phrase)
    found = _dates(text, lang, published="2018-03-15")
    rel = [m for m in found if m.value.relative]
    assert len(rel) == 1, found
    v = rel[0].value
    if anchor == "context":
        assert v.start == dt.date(2017, 10, 10) + dt.timedelta(days=int(offset))
        # with no date before it, a context-relative phrase resolves to nothing
        assert [m for m in _dates(text.split(". ", 1)[1], lang) if m.value.relative] == []
    elif unit == "day":
        assert v.start == dt.date(2018, 3, 15) + dt.timedelta(days=int(offset))
    else:
        assert (v.start.year, v.end.year) == (2018 + int(offset), 2018 + int(offset))
    if anchor == "published":  # never resolved against today
        assert [m for m in _dates(text, lang) if m.value.relative] == []


# --------------------------------------------------------------------------- seasons


@pytest.mark.parametrize(
    ("lang", "phrase", "kind", "span"),
    [pytest.param("ar", *p.values, id=p.id) for p in _params("ar", "seasons")]
    + [pytest.param("en", *p.values, id=p.id) for p in _params("en", "seasons")],
)
def test_season_phrase(lang: str, phrase: str, kind: str, span: str) -> None:
    text = f"في {phrase} 2015 تغير الوضع" if lang == "ar" else f"In {phrase} 2015 it changed."
    [m] = _dates(text, lang)
    v = m.value
    assert v.granularity == "season"
    if kind == "season":
        lo, hi = span.split("..")
        start_year = 2014 if lo > hi else 2015
        assert v.start == dt.date(start_year, *map(int, lo.split("-")))
        assert (v.end.month, v.end.year) == (int(hi.split("-")[0]), 2015)
    else:
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[span]
        assert (v.start, v.end) == (
            dt.date(2015, months[0], 1),
            dt.date(2015, months[1], 30 if months[1] == 4 else 31),
        )


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("lang", "surface", "unit", "count"),
    [pytest.param("ar", *p.values, id=p.id) for p in _params("ar", "duration_units")]
    + [pytest.param("en", *p.values, id=p.id) for p in _params("en", "duration_units")],
)
def test_duration_unit(lang: str, surface: str, unit: str, count: str) -> None:
    n = {"0": "3", "1": "", "2": ""}[count] if lang == "ar" else ("3" if count == "0" else "one")
    phrase = f"لمدة {n} {surface}" if lang == "ar" else f"for {n} {surface}"
    [c] = [c for c in find_date_candidates(" ".join(phrase.split()), lang) if c.form == "duration"]
    expected = {"0": 3, "1": 1, "2": 2}[count]
    assert c.amount == (float(expected), unit)


@pytest.mark.parametrize(
    ("lang", "word", "count"),
    [pytest.param("ar", *p.values, id=p.id) for p in _params("ar", "duration_counts")]
    + [pytest.param("en", *p.values, id=p.id) for p in _params("en", "duration_counts")],
)
def test_duration_count(lang: str, word: str, count: str) -> None:
    unit = "سنوات" if lang == "ar" else "years"
    phrase = f"لمدة {word} {unit}" if lang == "ar" else f"for {word} {unit}"
    [c] = [c for c in find_date_candidates(phrase, lang) if c.form == "duration"]
    assert c.amount == (float(count), "year")


@pytest.mark.parametrize(
    ("lang", "word", "value"),
    [pytest.param("ar", *p.values, id=p.id) for p in _params("ar", "duration_fractions")]
    + [pytest.param("en", *p.values, id=p.id) for p in _params("en", "duration_fractions")],
)
def test_duration_fraction(lang: str, word: str, value: str) -> None:
    assert lm.duration_fractions(lang)[_norm(word, lang)] == float(value)  # type: ignore[arg-type]
    phrases = (
        [f"لمدة عام و{word}", f"لمدة عامين و {word}"]
        if lang == "ar"
        else [f"for a year and a {word}", f"for two and a {word} years"]
    )
    for phrase, whole in zip(phrases, (1, 2), strict=True):
        [c] = [c for c in find_date_candidates(phrase, lang) if c.form == "duration"]
        assert c.amount == (whole + float(value), "year"), phrase


@pytest.mark.parametrize(("surface", "month", "flag"), _params("ar", "months_french"))
def test_ar_french_month_needs_a_day_or_a_year(surface: str, month: str, flag: str) -> None:
    # French datelines of embedded tweets: "3 novembre 2017"
    assert flag == "ctx"
    [m] = _dates(f"— ريما (@user) 3 {surface} 2017", "ar")
    assert m.value.start == dt.date(2017, int(month), 3)
    assert m.surface == f"3 {surface} 2017"
    assert _dates(f"قال {surface} كلاما", "ar") == []


# --------------------------------------------------------------------------- year blockers


@pytest.mark.parametrize(
    ("lang", "word", "position"),
    [pytest.param("ar", *p.values, id=p.id) for p in _params("ar", "year_blockers")]
    + [pytest.param("en", *p.values, id=p.id) for p in _params("en", "year_blockers")],
)
def test_year_blocker(lang: str, word: str, position: str) -> None:
    text = f"{word} 1950" if position == "before" else f"1950 {word}"
    assert _dates(text, lang) == []
    assert [m.value.to_json() for m in _dates("1950", lang)] == ["1950"]


# --------------------------------------------------------------------------- loader errors


def test_loader_rejects_contradictions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "ordinal_days.tsv").write_text("first\t1\nFirst\t2\n", encoding="utf-8")
    monkeypatch.setattr(lm, "LANG_DIR", tmp_path)
    lm.ordinal_days.cache_clear()
    try:
        with pytest.raises(ConfigError, match="two meanings"):
            lm.ordinal_days("en")
    finally:
        lm.ordinal_days.cache_clear()


def test_loader_names_a_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lm, "LANG_DIR", tmp_path)
    lm.season_phrases.cache_clear()
    try:
        with pytest.raises(ConfigError, match="restore the file"):
            lm.season_phrases("en")
    finally:
        lm.season_phrases.cache_clear()

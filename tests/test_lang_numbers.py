"""Every entry of every number-related language list, loaded and read in a sentence.

Each list file under `nlp/lang/{ar,en}/` is parametrised entry by entry: the loader returns
it normalised, and `extract_numbers` reads it in a short real-looking sentence with the
meaning the list gives it.
"""

from __future__ import annotations

import pytest

from nlp import lang as L
from nlp.errors import ConfigError
from nlp.extract.numbers import UNIT_DEFS, extract_numbers
from nlp.normalize import normalize
from nlp.records import Quantity


def _raw_rows(lang: str, name: str) -> list[list[str]]:
    """Rows as written in the file (not normalised), for parametrising."""
    rows = []
    for line in L.data_path(lang, name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _params(lang: str, name: str) -> list:
    return [pytest.param(lang, *row, id=f"{lang}:{row[0]}") for row in _raw_rows(lang, name)]


def _both(name: str) -> list:
    return _params("ar", name) + _params("en", name)


def _numbers(text: str, lang: str) -> list[Quantity]:
    out = []
    for m in extract_numbers(text, 0, lang):
        assert isinstance(m.value, Quantity)
        out.append(m.value)
    return out


# --------------------------------------------------------------------------- loaders


@pytest.mark.parametrize(
    ("lang", "name"),
    [(lg, n) for lg in ("ar", "en") for n in (
        "number_words.tsv", "dual_words.tsv", "scale_words.tsv", "fractions.tsv",
        "ordinals.tsv", "unit_nouns.tsv", "hedges.tsv", "units.tsv", "percent_words.txt",
        "counted_nouns.tsv")] + [("ar", "dual_stems.tsv"), ("ar", "dual_exclusions.txt"),
                                 ("ar", "scale_blockers.txt"), ("en", "currency_signs.tsv")],
)
def test_every_list_loads_normalised(lang: str, name: str) -> None:
    rows = L.read_rows(lang, name, 1 if name.endswith(".txt") else len(_raw_rows(lang, name)[0]))
    assert rows, f"{name} is empty"
    for row in rows:
        assert row[0] == " ".join(normalize(row[0], lang).split())


def test_bad_row_is_a_config_error(tmp_path, monkeypatch) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "number_words.tsv").write_text("seven 7\n", encoding="utf-8")
    monkeypatch.setattr(L, "LANG_DIR", tmp_path)
    with pytest.raises(ConfigError, match="one tab"):
        L.read_rows("en", "number_words.tsv", 2)


def test_missing_list_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="missing"):
        L.read_rows("en", "no_such_list.tsv", 2)


def test_hamza_less_and_hamza_spellings_agree() -> None:
    words = L.number_words("ar")
    assert words[normalize("أربعة", "ar")] == words[normalize("اربعة", "ar")] == 4
    assert L.scale_words("ar")[normalize("ألف", "ar")] == L.scale_words("ar")["الف"] == 1000


# --------------------------------------------------------------------------- entries read


@pytest.mark.parametrize(("lang", "surface", "value"), _both("number_words.tsv"))
def test_number_word_is_read(lang: str, surface: str, value: str) -> None:
    v = float(value)
    if v == 1:
        # "one" alone is not a count ("one of the ..."); it counts inside a compound
        text = f"قتل {surface} وعشرين مدنيا" if lang == "ar" else \
            f"Officials said twenty-{surface} civilians were killed."
        assert [q.value for q in _numbers(text, lang)] == [21.0]
        return
    text = f"قتل {surface} مدنيا في القصف" if lang == "ar" else f"Officials said {surface} " \
        "civilians were killed."
    got = _numbers(text, lang)
    assert [q.value for q in got] == [v]
    assert got[0].unit == "civilian"


@pytest.mark.parametrize(("lang", "surface", "value"), _both("dual_words.tsv"))
def test_dual_word_is_read(lang: str, surface: str, value: str) -> None:
    text = f"وصل {surface} مدنيا" if lang == "ar" else f"We met a {surface} of civilians."
    got = _numbers(text, lang)
    assert [q.value for q in got] == [float(value)]


@pytest.mark.parametrize(("lang", "surface", "factor"), _both("scale_words.tsv"))
def test_scale_word_multiplies(lang: str, surface: str, factor: str) -> None:
    got = _numbers(f"بلغ العدد 3 {surface} شخص" if lang == "ar" else f"about 3 {surface} people",
                   lang)
    assert [q.value for q in got] == [3 * float(factor)]


@pytest.mark.parametrize(("lang", "surface", "fraction"), _both("fractions.tsv"))
def test_fraction_is_a_percentage(lang: str, surface: str, fraction: str) -> None:
    text = f"سيطر الجيش على {surface} المدينة" if lang == "ar" else \
        f"The army controlled {surface} of the city."
    got = _numbers(text, lang)
    assert len(got) == 1
    assert got[0].unit == "percent"
    assert got[0].value == pytest.approx(float(fraction) * 100, abs=1e-3)


@pytest.mark.parametrize(("lang", "surface", "value"), _both("ordinals.tsv"))
def test_ordinal_names_a_unit(lang: str, surface: str, value: str) -> None:
    text = f"تقدمت الفرقة الآلية {surface} نحو المدينة" if lang == "ar" else \
        f"The {surface} Armoured Division advanced."
    got = _numbers(text, lang)
    assert [(q.value, q.ordinal, q.unit) for q in got] == [(float(value), True, "division")]


@pytest.mark.parametrize(("lang", "surface", "formation"), _both("unit_nouns.tsv"))
def test_unit_noun_takes_an_ordinal(lang: str, surface: str, formation: str) -> None:
    text = f"وصل الجيش إلى قاعدة {surface} 137" if lang == "ar" else \
        f"They reached the base of the 137th {surface}."
    got = _numbers(text, lang)
    assert [(q.value, q.ordinal, q.unit) for q in got] == [(137.0, True, formation)]


@pytest.mark.parametrize(("lang", "surface", "kind", "position"), _both("hedges.tsv"))
def test_hedge_makes_an_interval(lang: str, surface: str, kind: str, position: str) -> None:
    if lang == "ar":
        text = f"قتل {surface} 100 مدني" if position == "pre" else f"قتل 100 مدني {surface}"
    else:
        text = f"They killed {surface} 100 civilians" if position == "pre" else \
            f"They killed 100 civilians {surface}"
    got = _numbers(text, lang)
    assert len(got) == 1
    q = got[0]
    assert q.approx and q.value == 100
    expected = {"approx": (100, 100), "min": (100, 150), "max": (100 / 1.5, 100)}[kind]
    assert (q.low, q.high) == pytest.approx(expected)


@pytest.mark.parametrize(("lang", "surface", "unit"), _both("units.tsv"))
def test_unit_is_kept(lang: str, surface: str, unit: str) -> None:
    assert unit in UNIT_DEFS
    got = _numbers(f"قطعوا 5 {surface} أمس" if lang == "ar" else f"They paid 5 {surface} today",
                   lang)
    assert [(q.value, q.unit) for q in got] == [(5.0, unit)]


@pytest.mark.parametrize(("lang", "surface"), _both("percent_words.txt"))
def test_percent_word(lang: str, surface: str) -> None:
    got = _numbers(f"سيطروا على 90 {surface} من المدينة" if lang == "ar" else
                   f"They held 90 {surface} of the city", lang)
    assert [(q.value, q.unit) for q in got] == [(90.0, "percent")]


@pytest.mark.parametrize(("lang", "surface", "cls"), _both("counted_nouns.tsv"))
def test_counted_noun_is_the_role(lang: str, surface: str, cls: str) -> None:
    got = extract_numbers(f"أحصى المرصد 50 {surface} أمس" if lang == "ar" else
                          f"The observatory counted 50 {surface} yesterday", 0, lang)
    assert [(m.value.value, m.role) for m in got] == [(50.0, cls)]


@pytest.mark.parametrize(("lang", "stem", "cls"), _params("ar", "dual_stems.tsv"))
def test_masculine_dual_stem(lang: str, stem: str, cls: str) -> None:
    got = _numbers(f"بعد {stem}ين من القتال", lang)
    assert [q.value for q in got] == [2.0]
    if cls != "-":
        assert got[0].unit == cls


@pytest.mark.parametrize(("lang", "word"), _params("ar", "dual_exclusions.txt"))
def test_dual_exclusion_is_not_two(lang: str, word: str) -> None:
    assert all(q.value != 2 for q in _numbers(f"قال {word} أمس", lang))


@pytest.mark.parametrize(("lang", "word"), _params("ar", "scale_blockers.txt"))
def test_scale_blocker_makes_alf_a_verb(lang: str, word: str) -> None:
    assert _numbers(f"الكاتب {word} ألف كتابا عن الحرب", lang) == []


@pytest.mark.parametrize(("lang", "sign", "unit"), _params("en", "currency_signs.tsv"))
def test_currency_sign(lang: str, sign: str, unit: str) -> None:
    got = _numbers(f"It cost {sign.upper() if sign == 'us$' else sign}12,000 in all.", lang)
    assert [(q.value, q.unit) for q in got] == [(12000.0, unit)]


# --------------------------------------------------------------------------- date slot cues


@pytest.mark.parametrize(("lang", "cue", "slot"), _both("date_slot_cues.tsv"))
def test_date_slot_cue_sets_the_slot_of_the_next_date(lang: str, cue: str, slot: str) -> None:
    from nlp.compare import date_cue_slot

    assert L.date_slot_cues(lang)[normalize(cue, lang)] == slot
    before = f"وقال المصدر إن الهجوم {cue} في " if lang == "ar" else f"The report said it {cue} in "
    assert date_cue_slot(before, lang) == slot
    if lang == "ar":
        assert date_cue_slot(f"وقال المصدر إن الهجوم و{cue} في ", lang) == slot

"""Place-name language data: every entry of every list is loaded, normalised and does its job."""

from __future__ import annotations

import pytest

from nlp.errors import ConfigError
from nlp.extract.places import _ar_spans, _en_candidates, ar_variants, extract_places
from nlp.lang import places as lang_places
from nlp.lang.places import (
    CATEGORIES,
    common_adjectives,
    exonyms,
    generic_place_words,
    not_places,
    organisations,
    person_titles,
    place_context,
    place_cues,
)
from nlp.normalize import normalize_ar
from nlp.places import load_gazetteer, lookup

AR_CUES = sorted(place_cues("ar").values(), key=lambda c: c.word)
EN_CUES = sorted(place_cues("en").values(), key=lambda c: c.word)


@pytest.mark.parametrize("cue", AR_CUES, ids=lambda c: c.word)
def test_arabic_cue_sets_the_role(cue: lang_places.PlaceCue) -> None:
    assert cue.category in CATEGORIES
    assert cue.word == normalize_ar(cue.word)  # normalised on load
    text = f"وصلت القوات إلى {cue.word} دير الزور أمس"
    found = [m for m in extract_places(text, 0, "ar") if "دير الزور" in m.surface]
    assert found, text
    assert found[0].role == cue.category


@pytest.mark.parametrize("cue", EN_CUES, ids=lambda c: c.word)
def test_english_cue_sets_the_role(cue: lang_places.PlaceCue) -> None:
    assert cue.category in CATEGORIES
    assert cue.word == cue.word.lower()
    texts = []
    if cue.position in ("before", "both"):
        texts.append(f"Troops reached the {cue.word} of Deir ez-Zor on Monday.")
    if cue.position in ("after", "both"):
        texts.append(f"Troops reached the Deir ez-Zor {cue.word} on Monday.")
    for text in texts:
        found = [m for m in extract_places(text, 0, "en") if "Deir ez-Zor" in m.surface]
        assert found, text
        assert found[0].role == cue.category, text


@pytest.mark.parametrize("cue", [c for c in AR_CUES if c.open], ids=lambda c: c.word)
def test_open_arabic_cue_reads_an_unknown_name(cue: lang_places.PlaceCue) -> None:
    text = f"سيطر الجيش على {cue.word} المزيريبة الشرقية"
    found = extract_places(text, 0, "ar")
    assert [m.surface for m in found] == ["المزيريبة"]
    assert found[0].value.id.startswith("translit:")
    assert found[0].role == cue.category


@pytest.mark.parametrize("cue", [c for c in AR_CUES if not c.open], ids=lambda c: c.word)
def test_closed_arabic_cue_reads_only_gazetteer_names(cue: lang_places.PlaceCue) -> None:
    assert extract_places(f"تقدم الجيش في {cue.word} الصناعة أمس", 0, "ar") == []


@pytest.mark.parametrize(("english", "arabic"), exonyms())
def test_exonym_pairs_name_the_same_place(english: str, arabic: str) -> None:
    en, ar = lookup(english, "en"), lookup(arabic, "ar")
    assert en and ar, (english, arabic)
    assert en[0].id == ar[0].id


@pytest.mark.parametrize("word", sorted(not_places("ar")))
def test_arabic_not_places_are_gazetteer_names_held_back(word: str) -> None:
    # Each entry is listed because the gazetteer knows it as a name ...
    assert load_gazetteer().has_name(word, "ar")
    # ... and in running text it is an ordinary word: no place is found there.
    text = f"وقال التقرير إن {word} مسألة مهمة"
    assert extract_places(text, 0, "ar") == []


@pytest.mark.parametrize("word", sorted(not_places("en")))
def test_english_not_places_are_gazetteer_names_held_back(word: str) -> None:
    assert load_gazetteer().has_name(word, "en")
    name = " ".join(w.capitalize() for w in word.split())
    assert extract_places(f"They said {name} was right about it.", 0, "en") == []


@pytest.mark.parametrize("word", sorted(place_context("en")))
def test_english_place_context_opens_anchoring(word: str) -> None:
    text = f"The army moved {word} Mazraat Zor today."
    cands = _en_candidates(text, [])
    start = text.index("Mazraat")
    assert (start, start + len("Mazraat Zor"), True) in cands


@pytest.mark.parametrize("title", sorted(person_titles("en")))
def test_english_person_title_blocks_anchoring(title: str) -> None:
    text = f"The report quoted {title.capitalize()} Karim Ayyash in full."
    assert all(text[s:e] not in ("Karim Ayyash", "Ayyash") for s, e, _ in _en_candidates(text, []))


@pytest.mark.parametrize("title", sorted(person_titles("ar")))
def test_arabic_person_title_blocks_anchoring_and_places(title: str) -> None:
    text = f"قال {title} مظلوم إن الوضع هادئ"
    assert all(not span.endswith("مظلوم") for _, _, span in _ar_spans(text, []))
    assert extract_places(text, 0, "ar") == []


def test_bad_cue_file_line_raises_a_config_error(tmp_path, monkeypatch) -> None:
    (tmp_path / "ar").mkdir()
    (tmp_path / "ar" / "place_cues.txt").write_text("مدينة\tmetropolis\n", encoding="utf-8")
    monkeypatch.setattr(lang_places, "LANG_DIR", tmp_path)
    lang_places.place_cues.cache_clear()
    try:
        with pytest.raises(ConfigError, match="category"):
            lang_places.place_cues("ar")
    finally:
        monkeypatch.undo()
        lang_places.place_cues.cache_clear()


def test_missing_file_raises_a_config_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(lang_places, "LANG_DIR", tmp_path)
    lang_places.not_places.cache_clear()
    try:
        with pytest.raises(ConfigError, match="missing"):
            lang_places.not_places("en")
    finally:
        monkeypatch.undo()
        lang_places.not_places.cache_clear()


FEMININE_CUES = [c for c in AR_CUES if c.feminine_agreement]


@pytest.mark.parametrize("word", sorted(common_adjectives("ar")))
def test_common_adjective_after_an_agreeing_cue_is_no_place(word: str) -> None:
    gaz = load_gazetteer()
    # Each entry is listed because the gazetteer knows it as a name, as written or read
    # with a proclitic cut (فقيرة = ف + قيرة) ...
    assert any(gaz.has_name(v, "ar") for v, _ in ar_variants(word))
    assert word == " ".join(normalize_ar(word).split())  # normalised on load
    # ... and right after a cue it agrees with, it is that adjective: "مدينة جديدة".
    cues = FEMININE_CUES if word.endswith("ه") else [
        c for c in AR_CUES if not c.feminine_agreement and c.number == "singular"
    ]
    # (a cue and the word can together be a gazetteer name: ناحية كريمة, a sub-district)
    cues = [c for c in cues if not gaz.has_name(f"{c.word} {word}", "ar")]
    assert cues
    for cue in cues:
        text = f"بنت الحكومة {cue.word} {word} قرب النهر"
        assert extract_places(text, 0, "ar") == [], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أعلنت الحكومة عن بناء مدينة جديدة في الصحراء", []),  # "a new city"
        ("يسكن معظم الأهالي في منطقة فقيرة من الريف", []),  # "a poor area", not ف + قيرة
        ("انتقل الجيش إلى قرية عالية فوق الوادي", []),  # "a high village", not Aley
        ("استولت القوات على قرى شقرة، حسان", ["شقرة", "حسان"]),  # the demo: names, not adjectives
        # ambiguous (Haditha or "a modern city"): read as the adjective
        ("دخلت القوات مدينة حديثة في محافظة الأنبار", ["الأنبار"]),
        ("وصلت القوات إلى حي جديدة قرب المدينة", ["جديدة"]),  # no agreement: a neighbourhood's name
    ],
)
def test_adjective_agreement_after_a_cue(text: str, expected: list[str]) -> None:
    assert [m.surface for m in extract_places(text, 0, "ar")] == expected


@pytest.mark.parametrize("cue", AR_CUES, ids=lambda c: c.word)
def test_arabic_cue_number_is_known(cue: lang_places.PlaceCue) -> None:
    assert cue.number in ("singular", "dual", "plural")
    if cue.word.endswith("ه"):
        assert cue.number == "singular" and cue.feminine_agreement


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_generic_place_words_are_normalised_and_never_a_partial_name(lang: str) -> None:
    from nlp.places import partial_name
    from nlp.records import PlaceValue

    words = sorted(generic_place_words(lang))  # type: ignore[arg-type]
    assert len(words) >= 20
    for word in words:
        short = PlaceValue("translit:a", word if lang == "en" else "", word if lang == "ar" else "")
        longer = "Deir Hafer" if lang == "en" else "دير حافر"
        full = PlaceValue("translit:b", f"{word} Hafer" if lang == "en" else "",
                          f"{word} حافر" if lang == "ar" else "")
        assert not partial_name(short, full), (word, longer)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_organisation_names_are_normalised_and_found_in_text(lang: str) -> None:
    from nlp.extract.places import organisation_spans

    names = organisations(lang)  # type: ignore[arg-type]
    assert len(names) >= 30
    for name in names:
        text = f"قال {name} إن" if lang == "ar" else f"The {name} said so."
        spans = organisation_spans(text, lang)  # type: ignore[arg-type]
        assert [text[s:e].lower() for s, e in spans] == [name.lower()], name

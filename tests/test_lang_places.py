"""Place-name language data: every entry of every list is loaded, normalised and does its job."""

from __future__ import annotations

import pytest

from nlp.errors import ConfigError
from nlp.extract.places import _ar_spans, _en_candidates, extract_places
from nlp.lang import places as lang_places
from nlp.lang.places import (
    CATEGORIES,
    exonyms,
    not_places,
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

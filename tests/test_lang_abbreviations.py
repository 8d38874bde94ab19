"""The abbreviation lists in nlp/lang/<lang>/abbreviations.txt: format, loading, effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.errors import ConfigError
from nlp.lang.abbrev import abbrev_key, load_abbreviations, parse_abbreviations
from nlp.records import Document
from nlp.segment import segment

LANG_DIR = Path(__file__).resolve().parents[1] / "nlp" / "lang"


def file_entries(lang: str) -> list[tuple[str, str]]:
    """(abbreviation, kind) as written in the file, comments skipped."""
    out = []
    for raw in (LANG_DIR / lang / "abbreviations.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, kind = line.partition("\t")
            out.append((word, kind or "no-end"))
    return out


EN = file_entries("en")
AR = file_entries("ar")


def test_lists_are_not_empty_and_have_no_duplicates() -> None:
    for lang, entries in (("en", EN), ("ar", AR)):
        keys = [abbrev_key(w, lang) for w, _ in entries]  # type: ignore[arg-type]
        assert len(keys) == len(set(keys)), lang
        assert len(load_abbreviations(lang)) == len(entries)  # type: ignore[arg-type]


@pytest.mark.parametrize(("word", "kind"), EN, ids=[w for w, _ in EN])
def test_english_entry_loads(word: str, kind: str) -> None:
    assert word.endswith(".") and " " not in word
    assert load_abbreviations("en").lookup(word) == kind


@pytest.mark.parametrize(("word", "kind"), AR, ids=[w for w, _ in AR])
def test_arabic_entry_loads_and_is_normalised(word: str, kind: str) -> None:
    abbrevs = load_abbreviations("ar")
    assert abbrevs.lookup(word) == kind
    # a diacritic or tatweel on the first letter does not hide the abbreviation
    assert abbrevs.lookup(word[0] + "\u064e" + word[1:]) == kind
    assert abbrevs.lookup(word[0] + "\u0640" + word[1:]) == kind


NO_END_EN = [w for w, k in EN if k == "no-end"]


@pytest.mark.parametrize("word", NO_END_EN)
def test_english_no_end_entry_keeps_the_sentence_going(word: str) -> None:
    text = f"The report cites {word} Deir ez-Zor twice. The army won."
    got = [s.text for s in segment(Document(id="t", text=text, lang="en"))]
    assert got == [f"The report cites {word} Deir ez-Zor twice.", "The army won."]


@pytest.mark.parametrize("word", [w for w, k in EN if k == "may-end"])
def test_english_may_end_entry_ends_before_a_capital(word: str) -> None:
    text = f"They listed the firm Acme {word} The army won."
    got = [s.text for s in segment(Document(id="t", text=text, lang="en"))]
    assert got == [f"They listed the firm Acme {word}", "The army won."]


@pytest.mark.parametrize("word", [w for w, k in AR if k == "no-end"])
def test_arabic_no_end_entry_keeps_the_sentence_going(word: str) -> None:
    text = f"ذكر التقرير {word} محمد سمرة مرتين. وانتصر الجيش."
    got = [s.text for s in segment(Document(id="t", text=text, lang="ar"))]
    assert got == [f"ذكر التقرير {word} محمد سمرة مرتين.", "وانتصر الجيش."]


@pytest.mark.parametrize("word", [w for w, k in AR if k == "may-end"])
def test_arabic_may_end_entry_after_a_year_ends_the_sentence(word: str) -> None:
    text = f"بدأ الحصار عام 2014 {word} وانتهى عام 2017."
    got = [s.text for s in segment(Document(id="t", text=text, lang="ar"))]
    assert got == [f"بدأ الحصار عام 2014 {word}", "وانتهى عام 2017."]


def test_capitalised_word_matches_lower_case_entry_but_not_the_reverse() -> None:
    en = load_abbreviations("en")
    assert en.lookup("E.g.") == "no-end"
    assert en.lookup("Approx.") == "no-end"
    assert en.lookup("gen.") is None  # "Gen." is listed, a lower-case "gen." is a word
    assert en.lookup("ago.") is None


@pytest.mark.parametrize(
    "bad",
    ["Gen", "Gen.\tsometimes", "Maj. Gen.", "Gen.\tmay-end\textra"],
)
def test_malformed_line_names_file_and_line(bad: str) -> None:
    with pytest.raises(ConfigError, match=r"x\.txt:2: .*fix the line"):
        parse_abbreviations(f"# comment\n{bad}\n", "en", origin="x.txt")


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ConfigError, match="use one of"):
        load_abbreviations("fr")  # type: ignore[arg-type]

"""Cross-script name matching: romanisation conventions against Arabic spellings."""

from __future__ import annotations

import pytest

from nlp.extract.places import ANCHOR_MIN
from nlp.translit import (
    full_key_en,
    match_score,
    skeleton_ar,
    skeleton_en,
    word_keys,
    word_skeletons,
)

# (Latin, Arabic): names of the demo corpus and the conventions they are written in.
CONVENTIONS = [
    ("Deir ez-Zor", "دير الزور"),
    ("Dayr al-Zawr", "دير الزور"),
    ("Dair az-Zaur", "دير الزور"),
    ("Deir el-Zor", "دير الزور"),
    ("Deir ez Zor", "دير الزور"),
    ("Hawijat Qati", "حويجة قاطع"),
    ("Hawijat Kati", "حويجة قاطع"),
    ("al-Husayniyah", "الحسينية"),
    ("Husseiniya", "الحسينية"),
    ("Mayadin", "الميادين"),
    ("Al Mayādīn", "الميادين"),
    ("Abu Kamal", "البوكمال"),
    ("Albu Kamal", "البوكمال"),
    ("Al-Bukamal", "البوكمال"),
    ("Khasham", "خشام"),
    ("Maadan", "معدان"),
    ("Ma‘dan", "معدان"),
    ("Mazloum", "مظلوم"),
    ("Al-Baghiliyah", "البغيلية"),
    ("Ayyash", "عياش"),
    ("Raqqa", "الرقة"),
    ("Ar-Raqqah", "الرقة"),
    ("Sheikh Yassin", "الشيخ ياسين"),
    ("Safirah Fawqani", "سفيرة فوقاني"),
    ("Al-Khasarat", "الخسارات"),
    ("al-Kannamat", "الكنامات"),
    ("Qosour", "القصور"),
    ("ash-Shaddadi", "الشدادي"),
    ("Homs", "حمص"),
    ("Mosul", "الموصل"),
]

# Different names, some sharing most consonants: they must not match.
DIFFERENT = [
    ("Ayyash", "شيء"),  # same one-letter skeleton, different full key
    ("Mayadin", "معدان"),  # both skeletons are m-d-n
    ("Raqqa", "دمشق"),
    ("Aleppo", "حلب"),  # an exonym: transliteration cannot link it (exonyms.tsv does)
    ("Palmyra", "تدمر"),
    ("Khasham", "هجين"),
    ("Deir ez-Zor", "دير حافر"),
]


@pytest.mark.parametrize(("latin", "arabic"), CONVENTIONS)
def test_conventions_match(latin: str, arabic: str) -> None:
    assert match_score(latin, arabic) >= ANCHOR_MIN


@pytest.mark.parametrize(("latin", "arabic"), DIFFERENT)
def test_different_names_do_not_match(latin: str, arabic: str) -> None:
    assert match_score(latin, arabic) < ANCHOR_MIN


@pytest.mark.parametrize(
    "variant", ["Deir ez-Zor", "Dayr al-Zawr", "Dair az-Zaur", "Deir Ez-Zor", "DEIR EZ-ZOR"]
)
def test_latin_conventions_share_one_skeleton(variant: str) -> None:
    assert skeleton_en(variant) == skeleton_ar("دير الزور") == "drzr"


@pytest.mark.parametrize(
    ("with_article", "without"),
    [("al-Husayniyah", "Husayniyah"), ("ash-Sham", "Sham"), ("Ar-Raqqa", "Raqqa"),
     ("el-Arish", "Arish"), ("Al Mayadin", "Mayadin"), ("as-Sukhnah", "Sukhnah")],
)
def test_latin_article_and_sun_letter_assimilation_are_dropped(
    with_article: str, without: str
) -> None:
    assert skeleton_en(with_article) == skeleton_en(without)


@pytest.mark.parametrize(
    ("with_article", "without"),
    [("الشام", "شام"), ("الرقة", "رقة"), ("السخنة", "سخنة"), ("الميادين", "ميادين")],
)
def test_arabic_article_is_dropped(with_article: str, without: str) -> None:
    assert skeleton_ar(with_article) == skeleton_ar(without)


def test_ta_marbuta_and_final_h() -> None:
    # ة and a final -ah/-eh/-a of the romanisation are the same ending.
    assert skeleton_ar("الرقة") == skeleton_en("Raqqah") == skeleton_en("Raqqa")
    assert skeleton_ar("الحسكة") == skeleton_en("Hasakeh") == skeleton_en("Al-Hasakah")


def test_construct_state_t_is_read_both_ways() -> None:
    # Hawijat is حويجة in a construct: the -t of the romanisation is the unwritten ة.
    keys = full_key_en("Hawijat Qati")
    assert keys == ("hwjtkty", "hwjkty")
    assert skeleton_en("Hawijat Qati") != skeleton_ar("حويجة قاطع")  # plain reading
    assert match_score("Hawijat Qati", "حويجة قاطع") == 1.0  # construct reading


def test_long_vowels_and_semivowels_do_not_count_in_the_skeleton() -> None:
    assert skeleton_en("Mayadin") == skeleton_en("Al-Mayadeen") == skeleton_ar("الميادين")
    assert skeleton_en("Zawr") == skeleton_en("Zor") == skeleton_ar("زور")


def test_diacritics_and_ayn_marks_are_ignored() -> None:
    assert skeleton_en("Ma‘dān") == skeleton_en("Ma`dan") == skeleton_en("Maadan")
    assert skeleton_ar("مَعْدَان") == skeleton_ar("معدان")


def test_fuzzy_one_letter_off_in_a_long_name_still_matches() -> None:
    assert match_score("Safira Fawqani", "سفيرة فوقاني") >= ANCHOR_MIN
    assert 0.8 < match_score("Hawijat Qatia", "حويجة قاطع") <= 1.0


def test_empty_and_non_letters() -> None:
    assert skeleton_en("") == ""
    assert skeleton_ar("123") == ""
    assert match_score("", "دير الزور") == 0.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Safirah Fawqani", ("sfr", "fkn")),  # demo: the English names both words
        ("سفيرة فوقاني", ("sfr", "fkn")),
        ("السفيرة", ("sfr",)),
        ("Deir ez-Zor", ("dr", "zr")),  # a free-standing article is no word
        ("دير الزور", ("dr", "zr")),
        ("#دير_الزور", ("dr", "zr")),  # hashtag
        ("Al-Jea'a", ("j",)),
    ],
)
def test_word_skeletons_in_both_scripts(name: str, expected: tuple[str, ...]) -> None:
    assert word_skeletons(name) == expected
    assert tuple(k for k, _ in word_keys(name)) == expected


def test_word_keys_keep_what_the_skeleton_drops() -> None:
    # Mayadin and Ma'din share the skeleton m-d-n; the full key tells them apart
    (may,), (mad, _jd) = word_keys("Mayadin"), word_keys("Ma'din Jadid")
    assert may[0] == mad[0] == "mdn"
    assert may[1] != mad[1]

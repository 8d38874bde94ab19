"""Normalisation for matching: camel-tools' rules, digits of every script, offsets kept."""

from __future__ import annotations

import pytest

from nlp.normalize import (
    AR_DIACRITICS,
    arabic_ratio,
    normalize_ar,
    normalize_en,
    strip_diacritics,
    to_ascii_digits,
)


def test_diacritic_set_is_camel_tools_own() -> None:
    from camel_tools.utils.charsets import AR_DIAC_CHARSET
    from camel_tools.utils.dediac import dediac_ar

    assert set(AR_DIACRITICS) == set(AR_DIAC_CHARSET)
    vowelled = "إِلَى المَدِينَةِ المُنَوَّرَةِ، سَنَةَ ٢٠١٧ـ"
    assert strip_diacritics(vowelled) == dediac_ar(vowelled).replace("\u0640", "")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("إِلَى المَدِينَةِ", "الي المدينه"),
        ("أيلول", "ايلول"),
        ("آذار", "اذار"),
        ("مستشفى", "مستشفي"),
        ("حويجة قاطع", "حويجه قاطع"),
        ("الـــزور", "الزور"),
        ("١٬٧٠٠ كيلومتر", "1٬700 كيلومتر"),
        ("۱۳۹۶", "1396"),
    ],
)
def test_normalize_ar(text: str, expected: str) -> None:
    assert normalize_ar(text) == expected


@pytest.mark.parametrize("text", ["١٬٧٠٠", "في ٣ نوفمبر ٢٠١٧", "۰۱۲۳۴۵۶۷۸۹"])
def test_digit_mapping_keeps_length_so_offsets_stay_valid(text: str) -> None:
    out = to_ascii_digits(text)
    assert len(out) == len(text) and not any(c in out for c in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize(
    "text,expected",
    [("Nāḩiyat Markaz Ālbū Kamāl", "nahiyat markaz albu kamal"), ("al-Sena’aa", "al-sena'aa")],
)
def test_normalize_en(text: str, expected: str) -> None:
    assert normalize_en(text) == expected


@pytest.mark.parametrize(
    "text,low,high",
    [("في 3 نوفمبر", 0.99, 1.0), ("On 3 November", 0.0, 0.01), ("#دير_الزور is free", 0.3, 0.7),
     ("2017", 0.0, 0.0)],
)
def test_arabic_ratio(text: str, low: float, high: float) -> None:
    assert low <= arabic_ratio(text) <= high

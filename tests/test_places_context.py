"""A name several places bear is read as the one inside the places the document names
(`nlp.extract.places.resolve_in_context`, run by `extract_document`)."""

from __future__ import annotations

import pytest

from nlp.extract import extract_document
from nlp.records import Document
from nlp.segment import segment

DEIR_HAMIDIYAH = "tabayyun:al-hamidiyah-deir-ez-zor"  # a district of Deir ez-Zor city
TARTUS_HAMIDIYAH = "geonames:173842"  # a town in Tartus governorate


def _place_ids(text: str, lang: str, name: str) -> list[str]:
    doc = Document("d", text, lang)  # type: ignore[arg-type]
    mentions = extract_document(doc, segment(doc))
    return [m.value.id for ms in mentions.values() for m in ms  # type: ignore[union-attr]
            if m.kind == "place" and m.surface.startswith(name)]


@pytest.mark.parametrize(
    "text,lang,name,expected",
    [
        # the demo article's sentence, after an earlier one that names the city
        ("The army advanced in Deir ez-Zor. On the next day, the Tiger forces captured"
         " Deir ez-Zor's largest district, Hamidiyah.", "en", "Hamidiyah", DEIR_HAMIDIYAH),
        ("تقدم الجيش في دير الزور. وفي اليوم التالي استولت القوات على أكبر أحياء المدينة،"
         " الحميدية.", "ar", "الحميدية", DEIR_HAMIDIYAH),
        # a document about Tartus keeps the Tartus town
        ("Fighting was reported near Tartus. Residents of Hamidiyah fled.", "en", "Hamidiyah",
         TARTUS_HAMIDIYAH),
        # no other place named: the gazetteer's first reading stands
        ("Residents of Hamidiyah fled.", "en", "Hamidiyah", TARTUS_HAMIDIYAH),
    ],
)
def test_a_shared_name_is_read_in_the_documents_setting(
    text: str, lang: str, name: str, expected: str
) -> None:
    assert _place_ids(text, lang, name) == [expected]


def test_the_reading_says_why() -> None:
    doc = Document("d", "The army advanced in Deir ez-Zor. Then it captured Hamidiyah.", "en")
    mentions = extract_document(doc, segment(doc))
    (m,) = [m for ms in mentions.values() for m in ms if m.surface == "Hamidiyah"]
    assert "inside a place the document names" in m.note

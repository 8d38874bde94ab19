"""The bundled demo corpus: manifest, provenance, loading and resolving references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.demo import DemoEntry, demo_ids, list_demo, load_demo, resolve
from nlp.errors import InputError
from nlp.segment import segment

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo"
SEEDS = Path("/work/shared/seeds")
MANIFEST = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
EN_URL = "https://en.wikipedia.org/wiki/Deir_ez-Zor_offensive_(September%E2%80%93November_2017)"
NEWS_LICENCE = "Quoted for research and review; copyright remains with the publisher"

EXPECTED = {
    # id: (file, lang, published, seed)
    "en-wiki": ("en-wiki.txt", "en", None, "001_33aefa2b6705ce59.txt"),
    "ar-wiki": ("ar-wiki.txt", "ar", None, "000_89a4c2d42b630b90.txt"),
    "ar-news-nov": ("ar-news-2017-11-03.txt", "ar", "2017-11-03", "002_aa559fc9daf0de27.txt"),
    "ar-news-sep": ("ar-news-2017-09.txt", "ar", "2017-09-04", "004_f712cb2d241585f5.txt"),
}


def test_ids_in_manifest_order() -> None:
    assert demo_ids() == list(EXPECTED)
    assert [e.id for e in list_demo()] == list(EXPECTED)
    assert all(isinstance(e, DemoEntry) for e in list_demo())


@pytest.mark.parametrize("doc_id", list(EXPECTED))
def test_entry_matches_manifest_and_file(doc_id: str) -> None:
    file, lang, published, seed = EXPECTED[doc_id]
    entry = next(e for e in list_demo() if e.id == doc_id)
    got = (entry.path.name, entry.lang, entry.published, entry.seed)
    assert got == (file, lang, published, seed)
    assert entry.path.is_file()
    assert entry.title and entry.source and entry.licence and entry.published_note


@pytest.mark.parametrize("doc_id", list(EXPECTED))
def test_load_demo_gives_the_file_text_and_metadata(doc_id: str) -> None:
    file, lang, published, _ = EXPECTED[doc_id]
    doc = load_demo(doc_id)
    entry = next(e for e in list_demo() if e.id == doc_id)
    assert doc.text == (DEMO / file).read_text(encoding="utf-8")
    assert (doc.id, doc.lang, doc.published) == (doc_id, lang, published)
    assert (doc.title, doc.source, doc.licence) == (entry.title, entry.source, entry.licence)
    assert segment(doc)  # every demo document gives segments


@pytest.mark.parametrize("doc_id", list(EXPECTED))
def test_demo_file_is_a_copy_of_its_seed(doc_id: str) -> None:
    file, _, _, seed = EXPECTED[doc_id]
    if not (SEEDS / seed).is_file():
        pytest.skip("seed folder not available on this machine")
    assert (DEMO / file).read_bytes() == (SEEDS / seed).read_bytes()


def test_wikipedia_provenance_and_licence() -> None:
    en = next(e for e in list_demo() if e.id == "en-wiki")
    assert en.url == EN_URL and EN_URL in en.source
    assert "Deir ez-Zor offensive (September–November 2017)" in en.source
    ar = next(e for e in list_demo() if e.id == "ar-wiki")
    assert ar.url is None  # no invented Arabic URL: a search hint instead
    assert "ar.wikipedia.org" in ar.source and "هجوم دير الزور 2017" in ar.source
    for entry in (en, ar):
        assert "CC BY-SA 4.0" in entry.licence and "CC BY-SA 3.0" in entry.licence
        assert "Wikipedia contributors" in entry.licence


@pytest.mark.parametrize(
    ("doc_id", "evidence"),
    [
        ("ar-news-nov", ["3 novembre 2017", "tweets", "fully retaken"]),
        ("ar-news-sep", ["Tuesday evening", "بحلول مساء الثلاثاء", "5 September 2017"]),
    ],
)
def test_news_reports_say_how_their_date_was_inferred(doc_id: str, evidence: list[str]) -> None:
    entry = next(e for e in list_demo() if e.id == doc_id)
    assert entry.source.startswith("Arabic news report")
    assert entry.licence == NEWS_LICENCE
    assert "Inferred" in entry.published_note or "inferred" in entry.published_note
    for word in evidence:
        assert word in entry.published_note
    text = load_demo(doc_id).text
    quoted = [w for w in evidence if w in text]
    assert quoted, "the evidence for the date must be visible in the text itself"


def test_manifest_and_sources_md_agree() -> None:
    sources = (DEMO / "SOURCES.md").read_text(encoding="utf-8")
    for row in MANIFEST["documents"]:
        for field in ("id", "file", "seed"):
            assert f"`{row[field]}`" in sources, (row["id"], field)
        if row["published"]:
            assert row["published"] in sources
    assert EN_URL in sources
    assert NEWS_LICENCE.split(";")[1].strip() in sources


def test_unknown_demo_id_lists_the_ids() -> None:
    with pytest.raises(InputError, match="en-wiki, ar-wiki, ar-news-nov, ar-news-sep"):
        load_demo("fr-wiki")


def test_resolve_demo_id_and_language_override() -> None:
    assert resolve("ar-news-sep") == load_demo("ar-news-sep")
    assert resolve("en-wiki", lang="en") is load_demo("en-wiki")
    forced = resolve("ar-wiki", lang="en")
    assert forced.lang == "en" and forced.text == load_demo("ar-wiki").text


def test_resolve_path(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("في 3 نوفمبر، سيطر الجيش السوري على المدينة.", encoding="cp1256")
    doc = resolve(str(path))
    assert doc.lang == "ar" and doc.source == str(path) and doc.id.startswith("sha1:")
    assert resolve(str(path), lang="en").lang == "en"


def test_resolve_neither_names_ids_and_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        resolve(str(missing))
    message = str(info.value)
    assert "en-wiki, ar-wiki, ar-news-nov, ar-news-sep" in message
    assert str(missing) in message

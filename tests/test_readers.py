"""Reading documents: encodings, binary and oversize input, HTML, wiki markup, language."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from corpus.readers import (
    DEFAULT_MAX_BYTES,
    decode,
    detect_lang,
    html_to_text,
    read_bytes,
    read_path,
    sniff_format,
    wiki_to_text,
)
from nlp.errors import ConfigError, EncodingError, InputError
from nlp.normalize import arabic_ratio
from nlp.records import Document
from nlp.segment import segment

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo"
AR = (DEMO / "ar-wiki.txt").read_text(encoding="utf-8")
AR_NEWS = (DEMO / "ar-news-2017-09.txt").read_text(encoding="utf-8")
EN = (DEMO / "en-wiki.txt").read_text(encoding="utf-8")
EN_LATIN1 = (
    "Café owners in Deir ez-Zor said the siege had ended; naïve hopes, façades rebuilt.\n"
    "The governor's office reopened on 5 September 2017.\n"
)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "encoding", "lang"),
    [
        (AR, "utf-8", "ar"),
        (AR, "utf-8-sig", "ar"),
        (AR, "cp1256", "ar"),
        (AR_NEWS, "cp1256", "ar"),
        (AR, "utf-16", "ar"),  # BOM + native order
        (EN, "utf-8-sig", "en"),
        (EN, "cp1252", "en"),
        (EN_LATIN1, "latin-1", "en"),
        (EN_LATIN1, "cp1252", "en"),
    ],
)
def test_encodings_round_trip(text: str, encoding: str, lang: str) -> None:
    doc = read_bytes(text.encode(encoding), "doc.txt")
    assert doc.text == text
    assert doc.lang == lang


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
@pytest.mark.parametrize("text", [AR, EN], ids=["ar", "en"])
def test_utf16_with_bom(text: str, codec: str, bom: bytes) -> None:
    doc = read_bytes(bom + text.encode(codec), "doc.txt")
    assert doc.text == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [AR, AR_NEWS, EN], ids=["ar-wiki", "ar-news", "en"])
def test_utf16_without_bom_is_recognised_from_nul_bytes(text: str, codec: str) -> None:
    text_out, used = decode(text.encode(codec))
    assert used == codec
    assert text_out == text


def test_arabic_cp1256_comes_out_as_arabic_letters() -> None:
    text, used = decode(AR_NEWS.encode("cp1256"))
    assert used == "cp1256"
    assert arabic_ratio(text) > 0.95


def test_latin1_english_does_not_come_out_as_arabic() -> None:
    text, _ = decode(EN_LATIN1.encode("latin-1"))
    assert text == EN_LATIN1
    assert arabic_ratio(text) == 0.0


def test_crlf_line_breaks_are_unified() -> None:
    doc = read_bytes(EN.replace("\n", "\r\n").encode("utf-8"), "doc.txt")
    assert doc.text == EN


def test_invalid_utf8_bom_file_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError, match="re-save it as UTF-8"):
        read_bytes(b"\xef\xbb\xbf" + "دير الزور".encode("cp1256"), "bad.txt")


def test_undecodable_bytes_raise_encoding_error_naming_the_fix() -> None:
    # Latin text with bytes that Windows-1252 leaves undefined (0x81, 0x8D, ...): in
    # Windows-1256 they are a few Arabic letters lost in Latin text, so neither fits.
    data = b"Deir ez-Zor city report " * 20 + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 4
    with pytest.raises(EncodingError, match="Save it as UTF-8"):
        read_bytes(data, "odd.txt")


# --------------------------------------------------------------------------- refused input


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\n\n".encode("utf-16")])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=r"empty|no visible text"):
        read_bytes(data, "empty.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"\x00" * 40, "ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF file"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
    ],
)
def test_known_binary_formats_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=kind):
        read_bytes(data, "upload.txt")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_are_refused(seed: int) -> None:
    data = random.Random(seed).randbytes(4096)
    with pytest.raises(InputError, match=r"binary|plain text|UTF-8"):
        read_bytes(data, "noise.bin")


def test_control_characters_without_nul_are_refused() -> None:
    data = bytes(range(1, 9)) * 200 + b"some text"
    with pytest.raises(InputError, match="control characters"):
        read_bytes(data, "ctl.txt")


def test_over_limit_bytes_are_refused_naming_size_and_limit() -> None:
    with pytest.raises(InputError, match=r"2,001 bytes, over the limit of 2,000 bytes"):
        read_bytes(b"a" * 2_001, "big.txt", max_bytes=2_000)


def test_over_default_limit_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # a sparse file: no 50 MB written to disk
        fh.truncate(DEFAULT_MAX_BYTES + 1)
    with pytest.raises(InputError, match=f"{DEFAULT_MAX_BYTES + 1:,} bytes, over the limit"):
        read_path(path)


def test_20_mb_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    block = AR.encode("utf-8") + b"\n"
    repeats = 20_000_000 // len(block) + 1
    path.write_bytes(block * repeats)
    doc = read_path(path)
    assert len(doc.text) == len(AR + "\n") * repeats
    assert doc.lang == "ar"
    assert doc.id == "sha1:" + hashlib.sha1(doc.text.encode("utf-8")).hexdigest()[:12]


@pytest.mark.parametrize("where", ["missing.txt", "."])
def test_missing_path_or_folder(tmp_path: Path, where: str) -> None:
    with pytest.raises(InputError, match=r"does not exist|is a folder"):
        read_path(tmp_path / where)


# --------------------------------------------------------------------------- HTML


PAGE = """<!DOCTYPE html>
<html><head><title>Deir ez-Zor</title><style>p { color: red }</style>
<script>var secret = "tracker";</script></head>
<body>
<h1>Deir ez-Zor offensive</h1>
<p>On 3&nbsp;November 2017, the Syrian Army took the city &amp; its districts.
<script>alert(1)</script><img src="x.png" onerror="alert('xss')"> It ended the siege.</p>
<noscript>Enable JavaScript to see this.</noscript>
<template><p>Template text never shown.</p></template>
<!-- an editor's comment -->
<ul><li>Battle of Mosul</li><li>Mayadin offensive</li></ul>
<div>Line one<br>Line two</div>
<p dir="rtl">في 3 نوفمبر، سيطر الجيش السوري على المدينة.</p>
</body></html>
"""


def test_html_keeps_visible_text_only() -> None:
    doc = read_bytes(PAGE.encode("utf-8"), "page.html")
    assert doc.text == (
        "# Deir ez-Zor offensive\n\n"
        "On 3 November 2017, the Syrian Army took the city & its districts. It ended the "
        "siege.\n\n"
        "- Battle of Mosul\n\n- Mayadin offensive\n\n"
        "Line one\nLine two\n\n"
        "في 3 نوفمبر، سيطر الجيش السوري على المدينة."
    )
    for absent in ("alert", "secret", "tracker", "color", "Enable JavaScript", "Template text",
                   "comment", "<", ">", "onerror", "x.png", "&amp;", "&nbsp;"):  # fmt: skip
        assert absent not in doc.text
    assert doc.title == "Deir ez-Zor"  # the page's own <title>


def test_html_blocks_become_segments() -> None:
    doc = read_bytes(PAGE.encode("utf-8"), "page.htm")
    kinds = [(s.kind, s.text) for s in segment(doc)]
    assert kinds[0] == ("heading", "Deir ez-Zor offensive")
    assert ("list_item", "Battle of Mosul") in kinds
    assert ("sentence", "Line two") in kinds


def test_html_is_sniffed_without_extension() -> None:
    doc = read_bytes(PAGE.encode("utf-8"), "page")
    assert doc.text.startswith("# Deir ez-Zor offensive")


def test_arabic_html_in_windows_1256() -> None:
    page = '<html><body><p>في 3 نوفمبر، سيطر الجيش السوري على المدينة.</p></body></html>'
    doc = read_bytes(page.encode("cp1256"), "ar.html")
    assert doc.text == "في 3 نوفمبر، سيطر الجيش السوري على المدينة."
    assert doc.lang == "ar"


def test_html_to_text_drops_script_even_unclosed_markup() -> None:
    assert html_to_text("<p>Text<script>alert(1)") == "Text"


# --------------------------------------------------------------------------- wiki text


def test_markup_light_wiki_text_stays_as_it_is() -> None:
    assert sniff_format(EN, "en-wiki.txt") == "text"
    assert read_bytes(EN.encode(), "en-wiki.txt").text == EN


WIKI = """{{Infobox military conflict
| conflict = Deir ez-Zor offensive
| date = {{Start date|2017|9|14}}
}}
'''Deir ez-Zor offensive''' was launched by the [[Syrian Armed Forces]] on the \
[[Euphrates River|Euphrates]].<ref name="a">{{cite web|url=http://x}}</ref>

== Background ==
The army reached the [[137th Brigade|137th brigade]] base.<ref>Source</ref> \
See [http://example.org the map].
[[File:Deir ez-Zor map.png|thumb|Map of [[Deir ez-Zor]]]]
{| class="wikitable"
| a || b
|}
* [[Battle of Mosul (2016–2017)]]
[[Category:Conflicts in 2017]]
"""


@pytest.mark.parametrize("name", ["article.wiki", "article.mediawiki", "article.txt"])
def test_mediawiki_markup_is_reduced_to_text(name: str) -> None:
    doc = read_bytes(WIKI.encode("utf-8"), name)
    assert doc.text == (
        "Deir ez-Zor offensive was launched by the Syrian Armed Forces on the Euphrates.\n\n"
        "== Background ==\n"
        "The army reached the 137th brigade base. See the map.\n\n"
        "* Battle of Mosul (2016–2017)"
    )
    kinds = [(s.kind, s.text) for s in segment(doc)]
    assert ("heading", "Background") in kinds
    assert ("list_item", "Battle of Mosul (2016–2017)") in kinds


def test_wiki_to_text_handles_arabic_links() -> None:
    text = "سيطر [[الجيش العربي السوري|الجيش السوري]] على [[دير الزور]].<ref>سانا</ref>"
    assert wiki_to_text(text) == "سيطر الجيش السوري على دير الزور."


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("في 3 نوفمبر، سيطر الجيش السوري على المدينة", "ar"),
        ("On 3 November, the Syrian Army took the city", "en"),
        ("Deir ez-Zor (دير الزور) is a city in eastern Syria on the Euphrates", "en"),
        ("قال مدير المرصد #رامي_عبد_الرحمن pic.twitter.com/TCT7kYPGYm", "ar"),
        (AR, "ar"),
        (EN, "en"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_detect_lang_without_letters_says_what_to_pass() -> None:
    with pytest.raises(InputError, match="lang='ar'"):
        detect_lang("1,300 – 1,700 (2017)")


def test_lang_override_and_metadata() -> None:
    doc = read_bytes(
        AR.encode("utf-8"), "ar-wiki.txt", lang="en", title="T", source="S",
        published="2017-11-20", doc_id="mine", licence="CC BY-SA 4.0",
    )  # fmt: skip
    assert (doc.lang, doc.title, doc.source, doc.published, doc.id, doc.licence) == (
        "en", "T", "S", "2017-11-20", "mine", "CC BY-SA 4.0"
    )


def test_defaults_id_title_source() -> None:
    doc = read_bytes(AR.encode("utf-8"), "ar-wiki.txt")
    assert doc.id == "sha1:" + hashlib.sha1(AR.encode("utf-8")).hexdigest()[:12]
    assert (doc.title, doc.source, doc.published) == ("ar-wiki", "ar-wiki.txt", None)


def test_read_path_source_is_the_path(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("# تقرير\n\nفي 3 نوفمبر، سيطر الجيش.", encoding="utf-8")
    doc = read_path(path)
    assert isinstance(doc, Document)
    assert (doc.title, doc.source, doc.lang) == ("report", str(path), "ar")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"lang": "fr"}, "use one of ar, en"), ({"published": "3/11/2017"}, "YYYY-MM-DD")],
)
def test_bad_settings_are_config_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        read_bytes(b"text", "a.txt", **kwargs)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("cleared {{convert|1300|km2|abbr=on}} of land", "cleared 1300 km2 of land"),
        ("between {{convert|1,300|and|1,700|km2}}", "between 1,300–1,700 km2"),
        ("{{lang|ar|دير الزور}} on the river", "دير الزور on the river"),
        ("city of {{lang-ar|دير الزور}}", "city of دير الزور"),
        ("on {{nowrap|3 November 2017}}.", "on 3 November 2017."),
        ("captured.{{citation needed|date=November 2017}} Then", "captured. Then"),
        ("{{Infobox military conflict|date={{Start date|2017|9|14}}|x={{convert|5|km}}}}Text",
         "Text"),
    ],
)
def test_inline_templates_keep_their_text(markup: str, text: str) -> None:
    assert wiki_to_text(markup) == text


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ('<meta property="article:published_time" content="2017-11-03T14:20:00+03:00">',
         "2017-11-03"),
        ('<meta itemprop="datePublished" content="2017-09-04">', "2017-09-04"),
        ('<meta name="DC.date.issued" content="2017-09-04">', "2017-09-04"),
        ('<meta name="pubdate" content="3 November 2017">', None),  # not ISO: not guessed
        ('<meta name="description" content="2017-11-03">', None),
        ("", None),
    ],
)
def test_html_published_date_from_metadata(head: str, published: str | None) -> None:
    page = f"<html><head>{head}</head><body><p>سيطر الجيش على المدينة.</p></body></html>"
    assert read_bytes(page.encode("utf-8"), "news.html").published == published


def test_given_published_date_wins_over_html_metadata() -> None:
    page = '<meta property="article:published_time" content="2017-11-03"><p>Text.</p>'
    doc = read_bytes(page.encode("utf-8"), "news.html", published="2017-11-04")
    assert doc.published == "2017-11-04"


def test_time_tag_published_date() -> None:
    page = '<article><time itemprop="datePublished" datetime="2017-11-03">3 Nov</time> x</article>'
    assert read_bytes(page.encode("utf-8"), "news.html").published == "2017-11-03"


@pytest.mark.parametrize(
    "markup,expected",
    [
        ("<html><head><title>Deir ez-Zor offensive</title></head><body><p>Text.</p></body>",
         "Deir ez-Zor offensive"),
        ('<head><meta property="og:title" content="استعادة دير الزور"><title>site</title>'
         "</head><body><p>نص.</p></body>", "استعادة دير الزور"),
        ("<body><p>No title here.</p></body>", "page"),
    ],
)
def test_html_title_is_the_default_title(markup: str, expected: str) -> None:
    doc = read_bytes(markup.encode("utf-8"), "page.html")
    assert doc.title == expected
    assert read_bytes(markup.encode("utf-8"), "page.html", title="Given").title == "Given"

"""Reconciliation reports: the content of every format, from a stored, reviewed run."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from app.export import EXPORT_FORMATS, export_comparison, omissions, value_text
from corpus.repository import Review, RunInfo, StoredFinding
from corpus.store import SqlRepository
from nlp.errors import ConfigError
from nlp.records import Alignment, Comparison, Sentence

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "schema" / "comparison.schema.json"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HOSTILE_TITLE = "<script>alert('title')</script>"
HOSTILE_SENTENCE = "Claim <img src=x onerror=alert(1)> & \"quotes\" | pipe, 3 November."


@dataclass
class Reviewed:
    comparison: Comparison
    findings: list[StoredFinding]
    reviews: list[Review]
    run: RunInfo

    def export(self, fmt: str) -> bytes:
        return export_comparison(
            self.comparison, self.findings, self.reviews, fmt, run=self.run
        )


def _store_and_review(repo: SqlRepository, comparison: Comparison) -> Reviewed:
    run_id = repo.save_comparison(comparison, "Deir ez-Zor, ar vs en")
    f = repo.findings(run_id)
    repo.add_review(f[5].id, "ana", "unsure")
    repo.add_review(f[5].id, "ana", "confirmed", 'AFP: "about 60%", Wikipedia: halves,\nreal')
    repo.add_review(f[5].id, "omar", "false_alarm", "=HYPERLINK(\"http://x\")")
    repo.add_review(f[0].id, "omar", "agree")
    repo.add_review(f[2].id, "omar", "unsure")
    repo.undo_last_review(run_id, "omar")  # takes back the "unsure" on finding 2
    return Reviewed(
        repo.load_comparison(run_id), repo.findings(run_id), repo.reviews(run_id),
        repo.get_run(run_id),
    )


@pytest.fixture
def reviewed(repo: SqlRepository, sample_comparison: Comparison) -> Reviewed:
    return _store_and_review(repo, sample_comparison)


@pytest.fixture
def hostile(repo: SqlRepository, sample_comparison: Comparison) -> Reviewed:
    """The sample with markup in the English title, one sentence and one evidence span."""
    c = sample_comparison
    old = c.right_sentences[4]
    text = c.right.text[: old.start] + HOSTILE_SENTENCE + "\x07"
    right = dataclasses.replace(c.right, id="hostile-en", title=HOSTILE_TITLE, text=text)
    sent = Sentence("hostile-en", 4, HOSTILE_SENTENCE + "\x07", old.start, len(text))
    rs = tuple(dataclasses.replace(s, doc_id="hostile-en") for s in c.right_sentences[:4])
    findings = list(c.findings)
    om = findings[7]
    assert om.right is not None
    findings[7] = dataclasses.replace(
        om, right=dataclasses.replace(om.right, text=sent.text, end=sent.end)
    )
    hostile_c = dataclasses.replace(
        c,
        right=right,
        right_sentences=(*rs, sent),
        findings=tuple(findings),
        alignments=(*c.alignments[:5], Alignment((), (4,), 0.0), Alignment((4,), (4,), 0.3)),
    )
    return _store_and_review(repo, hostile_c)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- formats


def test_export_formats_name_media_types_and_extensions() -> None:
    assert list(EXPORT_FORMATS) == ["md", "html", "csv", "json", "tmx"]
    assert EXPORT_FORMATS["tmx"].media_type == "application/x-tmx+xml"
    assert EXPORT_FORMATS["csv"].media_type.startswith("text/csv")
    assert all(f.extension == key for key, f in EXPORT_FORMATS.items())


def test_an_unknown_format_names_the_accepted_ones(reviewed: Reviewed) -> None:
    with pytest.raises(ConfigError, match="md, html, csv, json, tmx"):
        reviewed.export("pdf")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({"value": 1500, "low": 1300, "high": 1700}, "1500 [1300–1700]"),
        ({"value": 60, "low": 60, "high": 60}, "~60"),
        (90, "90"),
        (2.5, "2.5"),
        ("2017-10-17", "2017-10-17"),
        ("دير الزور", "دير الزور"),
        (None, ""),
    ],
)
def test_values_read_as_a_reviewer_reads_them(value: object, shown: str) -> None:
    assert value_text(value) == shown


def test_omissions_are_the_unmatched_sentences(sample_comparison: Comparison) -> None:
    gaps = omissions(sample_comparison)
    assert [(g.side, g.sentence.idx) for g in gaps] == [("left", 4), ("right", 4)]
    assert gaps[0].sentence.text.startswith("في 16 سبتمبر")
    dropped = dataclasses.replace(sample_comparison, alignments=sample_comparison.alignments[1:])
    assert [(g.side, g.sentence.idx) for g in omissions(dropped)] == [
        ("left", 0), ("left", 4), ("right", 0), ("right", 4),
    ]


# --------------------------------------------------------------------------- markdown


def test_markdown_report_has_provenance_summary_findings_and_omissions(
    reviewed: Reviewed,
) -> None:
    md = reviewed.export("md").decode("utf-8")
    c, run = reviewed.comparison, reviewed.run
    assert md.startswith("# Tabayyun reconciliation report: Deir ez-Zor, ar vs en\n")
    for doc in (c.left, c.right):
        assert f"`{_sha(doc.text)}`" in md
    assert "| left | هجوم دير الزور (سبتمبر–نوفمبر 2017) | ar | 2017-12-01 |" in md
    assert "| CC BY-SA 4.0 |" in md
    assert f"- run: {run.id}, created {run.created}" in md
    assert "- mode: translation (the Arabic article is a translation of the English one)" in md
    assert "- encoder: fake-encoder-8" in md
    assert "8 findings; 2 reviewed, 6 not reviewed." in md
    assert "| number | 2 | 1 | 0 | 1 |" in md and "| omission | 0 | 0 | 1 | 1 |" in md
    assert "| confirmed discrepancy | 1 |" in md and "| false alarm | 1 |" in md
    assert "| unsure | 0 |" in md  # ana's "unsure" was superseded, omar's was undone
    for sf in reviewed.findings:
        assert f"### Finding {sf.id} (#{sf.index}): {sf.finding.kind}" in md
    conflict = reviewed.findings[5]
    left = conflict.finding.left
    assert left is not None
    assert f"«نحو 60 في المئة» [{left.start}–{left.end}] = 60 \\[54–66\\]" in md
    assert "«halves» [" in md and "(halves read as 50 percent)" in md
    ana = conflict.latest["ana"]
    note = "“AFP: \"about 60%\", Wikipedia: halves, real”"  # line break flattened
    assert f"ana: confirmed discrepancy ({ana.at}) {note}" in md
    assert "omar: false alarm" in md
    assert "rule: number.hedge\\_overlap, confidence 0.62, alignment 3" in md
    s4 = c.left_sentences[4]
    assert f"> s4 [{s4.start}–{s4.end}]: {s4.text}" in md
    assert "### Only in the English (right)" in md and "resulted in 13 civilian deaths." in md


def test_markdown_neutralises_markup_in_document_text(hostile: Reviewed) -> None:
    md = hostile.export("md").decode("utf-8")
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert('title')&lt;/script&gt;" in md
    assert "Claim &lt;img src=x onerror=alert(1)&gt; &amp; \"quotes\" \\| pipe" in md


# --------------------------------------------------------------------------- html


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def _parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    return p


def test_html_is_self_contained_printable_and_rtl_correct(reviewed: Reviewed) -> None:
    page = reviewed.export("html").decode("utf-8")
    left = reviewed.findings[5].finding.left
    assert left is not None
    tags = _parse(page)
    names = {t for t, _ in tags.tags}
    assert not names & {"script", "link", "iframe", "object", "embed", "img"}
    assert all(not (a.get("src") or "").startswith("http") for _, a in tags.tags)
    assert not any(k.startswith("on") for _, a in tags.tags for k in a)
    assert "@import" not in tags.style and "url(" not in tags.style
    assert "@media print" in tags.style
    assert '"Noto Naskh Arabic", "Amiri", "Arial", sans-serif' in tags.style
    assert '<bdi dir="rtl" lang="ar">نحو 60 في المئة</bdi>' in page
    assert '<bdi dir="ltr" lang="en">halves</bdi>' in page
    assert f"<bdi class='off' dir='ltr'>[{left.start}–{left.end}]</bdi>" in page
    assert "<bdi dir='ltr'>= 60 [54–66]</bdi>" in page  # values read left to right
    assert sum(1 for t, a in tags.tags if t == "td" and a.get("dir") == "rtl") == 8
    rows = [a for t, a in tags.tags if t == "tr" and (a.get("id") or "").startswith("f")]
    assert [r["id"] for r in rows] == [f"f{sf.id}" for sf in reviewed.findings]
    assert rows[5]["class"] == "conflict"
    assert _sha(reviewed.comparison.left.text) in page
    assert "confirmed discrepancy" in page and "AFP: &quot;about 60%&quot;" in page
    assert "<blockquote dir='rtl' lang='ar'>في 16 سبتمبر" in page


def test_html_escapes_every_piece_of_document_text(hostile: Reviewed) -> None:
    page = hostile.export("html").decode("utf-8")
    tags = _parse(page)
    assert not {t for t, _ in tags.tags} & {"script", "img"}
    assert not any(k.startswith("on") for _, a in tags.tags for k in a)
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "Claim &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;" in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page  # a reviewer note is text too


# --------------------------------------------------------------------------- csv


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_quoted_row_per_finding_with_reviewer_columns(reviewed: Reviewed) -> None:
    rows = _csv_rows(reviewed.export("csv"))
    assert len(rows) == 8
    assert [int(r["finding_id"]) for r in rows] == [sf.id for sf in reviewed.findings]
    assert {r["run_id"] for r in rows} == {str(reviewed.run.id)}
    conflict = rows[5]
    left = reviewed.findings[5].finding.left
    assert left is not None
    assert (conflict["kind"], conflict["status"]) == ("number", "conflict")
    assert conflict["left_lang"] == "ar" and conflict["left_text"] == "نحو 60 في المئة"
    assert (int(conflict["left_start"]), int(conflict["left_end"])) == (left.start, left.end)
    assert json.loads(conflict["left_value"]) == {"value": 60, "low": 54, "high": 66}
    assert conflict["right_value"] == "50" and conflict["confidence"] == "0.620"
    assert conflict["ana decision"] == "confirmed"
    assert conflict["ana note"] == 'AFP: "about 60%", Wikipedia: halves,\nreal'
    assert conflict["omar decision"] == "false_alarm"
    assert conflict["omar note"] == "'=HYPERLINK(\"http://x\")"  # defused for spreadsheets
    assert rows[0]["omar decision"] == "agree" and rows[2]["omar decision"] == ""
    assert rows[4]["left_text"] == "" and rows[4]["right_text"] == "35 towns"
    assert rows[6]["left_text"].startswith("في 16 سبتمبر")


def test_csv_keeps_markup_as_plain_text(hostile: Reviewed) -> None:
    rows = _csv_rows(hostile.export("csv"))
    assert rows[7]["right_text"] == HOSTILE_SENTENCE + "\x07"


# --------------------------------------------------------------------------- json


def test_json_is_the_contract_plus_reviews_and_provenance(reviewed: Reviewed) -> None:
    doc = json.loads(reviewed.export("json"))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert doc["schema"] == "tabayyun.comparison/1"
    assert len(doc["findings"]) == 8 and doc["findings"][5]["status"] == "conflict"
    assert doc["findings"][5]["left"]["value"] == {"value": 60, "low": 54, "high": 66}
    reviews = doc["reviews"]
    assert [r["id"] for r in reviews] == [r.id for r in reviewed.reviews]
    assert [(r["finding"], r["reviewer"], r["decision"], r["latest"]) for r in reviews] == [
        (5, "ana", "unsure", False),
        (5, "ana", "confirmed", True),
        (5, "omar", "false_alarm", True),
        (0, "omar", "agree", True),
    ]
    prov = doc["provenance"]
    assert prov["tool"] == "Tabayyun"
    assert prov["run"]["id"] == reviewed.run.id and prov["run"]["created"] == reviewed.run.created
    assert prov["run"]["mode_reason"].startswith("the Arabic article is a translation")
    assert prov["sources"]["left"]["sha256"] == _sha(reviewed.comparison.left.text)
    assert prov["sources"]["right"]["licence"] == "CC BY-SA 4.0"
    assert prov["finding_ids"] == [sf.id for sf in reviewed.findings]
    assert prov["decisions"] == {"confirmed": 1, "false_alarm": 1, "agree": 1}


def test_json_of_an_unsaved_comparison_takes_decisions_from_the_review_log(
    sample_comparison: Comparison,
) -> None:
    stored = [
        StoredFinding(id=i, run_id=0, index=i, finding=f)
        for i, f in enumerate(sample_comparison.findings)
    ]
    log = [
        Review(1, 5, "ana", "unsure", "", "2026-11-21T23:00:00+00:00"),
        Review(2, 5, "ana", "confirmed", "", "2026-11-21T23:01:00+00:00"),
    ]
    doc = json.loads(export_comparison(sample_comparison, stored, log, "json"))
    assert [r["latest"] for r in doc["reviews"]] == [False, True]
    assert doc["provenance"]["run"]["id"] is None
    md = export_comparison(sample_comparison, stored, log, "md").decode("utf-8")
    assert "- run: not stored" in md and "ana: confirmed discrepancy (2026-11-21T23:01" in md


# --------------------------------------------------------------------------- tmx


def test_tmx_holds_the_aligned_pairs_with_a_proper_header(reviewed: Reviewed) -> None:
    data = reviewed.export("tmx")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx')
    root = ET.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert {k: header.get(k) for k in ("creationtool", "segtype", "o-tmf", "adminlang",
                                       "srclang", "datatype")} == {
        "creationtool": "Tabayyun", "segtype": "sentence", "o-tmf": "tabayyun",
        "adminlang": "en", "srclang": "ar", "datatype": "plaintext",
    }
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props["x-left-sha256"] == _sha(reviewed.comparison.left.text)
    assert props["x-run"] == str(reviewed.run.id)
    c = reviewed.comparison
    tus = root.findall("body/tu")
    assert len(tus) == 4  # the two one-sided alignments are left out
    for tu, a in zip(tus, c.alignments[:4], strict=True):
        segs = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.findall("tuv")}
        assert segs == {
            "ar": c.left_sentences[a.left[0]].text,
            "en": c.right_sentences[a.right[0]].text,
        }
    assert tus[0].findtext("prop[@type='x-score']") == "0.9100"


def test_tmx_escapes_markup_and_drops_characters_xml_forbids(hostile: Reviewed) -> None:
    data = hostile.export("tmx")
    assert b"<img" not in data and b"&lt;img src=x onerror=alert(1)&gt; &amp;" in data
    root = ET.fromstring(data)  # parses: the BEL character was dropped
    segs = [tu.find(f"tuv[@{XML_LANG}='en']/seg") for tu in root.findall("body/tu")]
    assert segs[-1] is not None and segs[-1].text == HOSTILE_SENTENCE


def test_tmx_joins_the_sentences_of_a_one_to_two_alignment(
    sample_comparison: Comparison,
) -> None:
    c = dataclasses.replace(
        sample_comparison,
        alignments=(Alignment((0,), (0, 1), 0.8), *sample_comparison.alignments[2:]),
    )
    stored = [StoredFinding(i, 0, i, f) for i, f in enumerate(c.findings)]
    root = ET.fromstring(export_comparison(c, stored, [], "tmx"))
    first = root.find("body/tu")
    assert first is not None and first.findtext("prop[@type='x-alignment']") == "1-2"
    en = first.find(f"tuv[@{XML_LANG}='en']/seg")
    assert en is not None
    assert en.text == f"{c.right_sentences[0].text} {c.right_sentences[1].text}"

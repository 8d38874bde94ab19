"""The pairwise pipeline end to end with the deterministic fake encoder, on real text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from corpus.demo import load_demo
from models.fake import HashingEncoder
from nlp.contract import comparison_to_json
from nlp.errors import ConfigError, InputError
from nlp.pipeline import compare_documents
from nlp.records import Document

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "comparison.schema.json").read_text("utf-8"))

EN = load_demo("en-wiki")


def edited(doc: Document, old: str, new: str, doc_id: str) -> Document:
    assert old in doc.text, old
    return Document(doc_id, doc.text.replace(old, new, 1), doc.lang, title=doc_id)


@pytest.fixture(scope="module")
def encoder() -> HashingEncoder:
    return HashingEncoder()


def test_changed_date_is_a_conflict_with_both_spans(encoder: HashingEncoder) -> None:
    right = edited(EN, "On 16 October, the Syrian Army captured the town of al-Husayniyah",
                   "On 19 October, the Syrian Army captured the town of al-Husayniyah", "edit")
    comp = compare_documents(EN, right, encoder, mode="translation")
    conflicts = [f for f in comp.findings if f.status == "conflict"]
    assert [f.kind for f in conflicts] == ["date"]
    f = conflicts[0]
    assert f.left is not None and f.right is not None
    assert EN.text[f.left.start : f.left.end] == f.left.text
    assert right.text[f.right.start : f.right.end] == f.right.text
    assert f.left.value.endswith("10-16") and f.right.value.endswith("10-19")
    assert f.reason


def test_changed_number_is_a_conflict(encoder: HashingEncoder) -> None:
    right = edited(EN, "an estimated 1,500 civilians", "an estimated 2,500 civilians", "edit")
    comp = compare_documents(EN, right, encoder, mode="translation")
    conflicts = [f for f in comp.findings if f.status == "conflict"]
    assert [f.kind for f in conflicts] == ["number"]
    assert "1,500" in conflicts[0].left.text and "2,500" in conflicts[0].right.text


def test_removed_sentence_is_an_omission_and_identical_text_has_no_conflict(
    encoder: HashingEncoder,
) -> None:
    removed = ("On 6 October, it was reported that Syrian airstrikes on ISIS-held Al-Makhan in "
               "eastern Deir ez-Zor resulted in 13 civilian deaths.")
    right = edited(EN, removed, "", "edit")
    comp = compare_documents(EN, right, encoder, mode="translation")
    assert not [f for f in comp.findings if f.status == "conflict"]
    omissions = [f for f in comp.findings if f.kind == "omission"]
    assert len(omissions) == 1
    assert omissions[0].status == "left_only"
    assert omissions[0].left is not None and "Al-Makhan" in omissions[0].left.text
    assert any(f.status == "agree" for f in comp.findings)


def test_every_sentence_in_exactly_one_alignment_and_schema_valid(encoder: HashingEncoder) -> None:
    ar = load_demo("ar-news-sep")
    other = load_demo("ar-news-nov")  # two Arabic documents: a valid comparison
    comp = compare_documents(ar, other, encoder)
    for side, sents in (("left", comp.left_sentences), ("right", comp.right_sentences)):
        seen = sorted(i for a in comp.alignments for i in getattr(a, side))
        assert seen == list(range(len(sents)))
    doc = comparison_to_json(comp, left_source="ar-news-sep", right_source="ar-news-nov")
    jsonschema.validate(doc, SCHEMA)
    assert doc["documents"]["left"]["source"] == "ar-news-sep"
    for s in doc["sentences"]["left"]:
        assert ar.text[s["start"] : s["end"]] == s["text"]
    assert comp.mode in ("translation", "independent") and comp.mode_reason


def test_progress_reports_every_stage(encoder: HashingEncoder) -> None:
    seen: list[str] = []
    compare_documents(EN, EN, encoder, progress=lambda stage, frac: seen.append(stage))
    assert seen[:1] == ["segment"] and seen[-1] == "done"
    assert {"encode", "align", "extract", "compare"} <= set(seen)


def test_bad_mode_and_empty_document_are_clear_errors(encoder: HashingEncoder) -> None:
    with pytest.raises(ConfigError, match="translation"):
        compare_documents(EN, EN, encoder, mode="parallel")
    with pytest.raises(InputError, match="no text"):
        compare_documents(EN, Document("e", "   \n ", "en"), encoder)

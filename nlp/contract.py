"""The JSON contracts: `tabayyun.comparison/1` (two documents).

The contract is documented in `docs/CONTRACT.md` and checked against the JSON Schema in
`docs/schema/comparison.schema.json` by the tests. Offsets are character offsets into the
original document text (Python string indices, i.e. Unicode code points).
"""

from __future__ import annotations

import hashlib
from typing import Any

from nlp.records import Alignment, Comparison, Document, Evidence, Finding, Sentence

SCHEMA = "tabayyun.comparison/1"


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of a document's text (its content hash)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_to_json(doc: Document, source: str | None = None) -> dict[str, Any]:
    """Provenance of one document: lang, title, source (+ id, licence, published, sha256)."""
    return {
        "id": doc.id,
        "lang": doc.lang,
        "title": doc.title,
        "source": source if source is not None else doc.source,
        "licence": doc.licence,
        "published": doc.published,
        "sha256": text_sha256(doc.text),
        "chars": len(doc.text),
    }


def sentence_to_json(s: Sentence) -> dict[str, Any]:
    return {"idx": s.idx, "text": s.text, "start": s.start, "end": s.end, "kind": s.kind}


def alignment_to_json(i: int, a: Alignment) -> dict[str, Any]:
    return {"id": i, "left": list(a.left), "right": list(a.right), "score": round(a.score, 4)}


def evidence_to_json(e: Evidence | None) -> dict[str, Any] | None:
    if e is None:
        return None
    out: dict[str, Any] = {"text": e.text, "value": e.value, "start": e.start, "end": e.end}
    if e.note:
        out["note"] = e.note
    return out


def finding_to_json(i: int, f: Finding) -> dict[str, Any]:
    return {
        "id": i,
        "alignment": f.alignment,
        "kind": f.kind,
        "status": f.status,
        "left": evidence_to_json(f.left),
        "right": evidence_to_json(f.right),
        "reason": f.reason,
        "rule": f.rule,
        "confidence": round(f.confidence, 3),
    }


def comparison_to_json(
    c: Comparison, *, left_source: str | None = None, right_source: str | None = None
) -> dict[str, Any]:
    """The `tabayyun.comparison/1` document for a `Comparison`.

    Every sentence of both documents appears in exactly one alignment (a side may be `[]`).

    Args:
        c: The comparison.
        left_source: How the user named the left document (path or demo id), if not
            `c.left.source`.
        right_source: Likewise for the right document.

    Returns:
        A dict ready for `json.dumps(..., ensure_ascii=False)`.
    """
    return {
        "schema": SCHEMA,
        "documents": {
            "left": document_to_json(c.left, left_source),
            "right": document_to_json(c.right, right_source),
        },
        "mode": c.mode,
        "mode_reason": c.mode_reason,
        "encoder": c.encoder,
        "sentences": {
            "left": [sentence_to_json(s) for s in c.left_sentences],
            "right": [sentence_to_json(s) for s in c.right_sentences],
        },
        "alignments": [alignment_to_json(i, a) for i, a in enumerate(c.alignments)],
        "findings": [finding_to_json(i, f) for i, f in enumerate(c.findings)],
        "summary": summary_counts(c.findings),
    }


def summary_counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, dict[str, int]]:
    """Counts of findings by kind and status: `{"date": {"agree": 3, ...}, ...}`."""
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        out.setdefault(f.kind, {}).setdefault(f.status, 0)
        out[f.kind][f.status] += 1
    return out


# --------------------------------------------------------------------------- sets

SET_SCHEMA = "tabayyun.comparison-set/1"


def set_to_json(
    result: Any, sources: list[str] | tuple[str, ...] | None = None
) -> dict[str, Any]:
    """The `tabayyun.comparison-set/1` document for an `nlp.sets.SetComparison`.

    Documents are keyed `d0`, `d1`, ... in the order given. `published` is the date used for
    each document and `published_from` says where it came from ("given", "text" for a
    dateline, "unknown"). Every finding names the value each stating source gives, the lone
    `dissenters`, the `silent` sources and, when values differ between sources published on
    different dates, a `time_context`.

    Args:
        result: The `SetComparison`.
        sources: How the user named each document (path or demo id), in order; defaults to
            each `Document.source`.

    Returns:
        A dict ready for `json.dumps(..., ensure_ascii=False)`.

    Example:
        `set_to_json(compare_set(docs, enc), sources=["en-wiki", "ar-wiki", "news.txt"])`
        gives `{"schema": "tabayyun.comparison-set/1", "documents": {"d0": {...}, ...}, ...}`.
    """
    from nlp.sets import doc_key

    docs = result.documents
    if sources is not None and len(sources) != len(docs):
        raise ValueError(f"got {len(sources)} sources for {len(docs)} documents")
    documents: dict[str, Any] = {}
    for i, d in enumerate(docs):
        entry = document_to_json(d, sources[i] if sources is not None else None)
        entry["published"] = result.published[i]
        entry["published_from"] = result.published_from[i]
        documents[doc_key(i)] = entry
    return {
        "schema": SET_SCHEMA,
        "encoder": result.encoder,
        "documents": documents,
        "sentences": {
            doc_key(i): [sentence_to_json(s) for s in sents]
            for i, sents in enumerate(result.sentences)
        },
        "pairs": [
            {
                "left": doc_key(p.left),
                "right": doc_key(p.right),
                "mode": p.mode,
                "reason": p.reason,
                "alignments": len(p.alignments),
                "linked": p.n_linked,
                "anchored": [
                    {"left": list(a.left), "right": list(a.right), "score": round(a.score, 4)}
                    for a in p.anchored
                ],
            }
            for p in result.pairs
        ],
        "groups": [
            {
                "id": g.id,
                "members": {doc_key(d): list(idx) for d, idx in g.members},
                "score": round(g.score, 4),
                "findings": [f.id for f in result.findings if f.group == g.id],
            }
            for g in result.groups
        ],
        "unmatched": {doc_key(i): list(result.unmatched(i)) for i in range(len(docs))},
        "findings": [set_finding_to_json(f) for f in result.findings],
        "summary": set_summary_counts(result.findings),
    }


def set_finding_to_json(f: Any) -> dict[str, Any]:
    """One `nlp.sets.SetFinding` as JSON (document positions as `d0`, `d1`, ... keys)."""
    from nlp.sets import doc_key

    out: dict[str, Any] = {
        "id": f.id,
        "group": f.group,
        "kind": f.kind,
        "status": f.status,
        "values": {doc_key(d): evidence_to_json(e) for d, e in f.values},
        "dissenters": [doc_key(d) for d in f.dissenters],
        "silent": [doc_key(d) for d in f.silent],
        "reason": f.reason,
        "rule": f.rule,
        "confidence": round(f.confidence, 3),
    }
    if f.time_context is not None:
        out["time_context"] = {
            "published": {doc_key(d): p for d, p in f.time_context.published},
            "stated": {doc_key(d): p for d, p in f.time_context.stated},
            "days_apart": f.time_context.days_apart,
        }
    return out


def set_summary_counts(
    findings: list[Any] | tuple[Any, ...],
) -> dict[str, dict[str, int]]:
    """Counts of set findings by kind and status, plus `lone_dissent` and `time_context`."""
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        counts = out.setdefault(f.kind, {})
        counts[f.status] = counts.get(f.status, 0) + 1
        if f.dissenters:
            counts["lone_dissent"] = counts.get("lone_dissent", 0) + 1
        if f.time_context is not None:
            counts["time_context"] = counts.get("time_context", 0) + 1
    return out

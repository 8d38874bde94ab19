"""Run the stages for two documents: segment -> encode -> extract -> align -> compare.

The encoder comes in as an argument (anything with `name` and `encode(texts) -> float32
[n, dim]`); this module imports no model library. Each stage is timed; the timings travel in
`Comparison.timings` (seconds per stage) for the benchmarks.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from nlp.align import AlignParams, align
from nlp.anchors import fact_evidence, lead_keys, without_post_dates
from nlp.compare import AlignedPair, compare
from nlp.errors import ConfigError, InputError
from nlp.extract import extract_document
from nlp.policy import DEFAULT_POLICY, ComparePolicy
from nlp.records import Comparison, Document, Finding, Mention, Sentence
from nlp.segment import segment

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
MODES = ("auto", "translation", "independent")
_CITATION_RE = re.compile(r"\[\d+\]")


class TextEncoder(Protocol):
    """What the pipeline needs of an encoder (see `models.base.Encoder`)."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def text_for_encoding(sentence: Sentence) -> str:
    """The sentence text the encoder sees: citation marks like `[23]` removed."""
    cleaned = _CITATION_RE.sub("", sentence.text).strip()
    return cleaned or sentence.text


def encode_sentences(
    encoder: TextEncoder, groups: Sequence[Sequence[Sentence]]
) -> list[np.ndarray]:
    """Encode several sentence lists in one batch; returns one float32 [n_i, dim] per list."""
    texts = [text_for_encoding(s) for group in groups for s in group]
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    out: list[np.ndarray] = []
    pos = 0
    for group in groups:
        out.append(vectors[pos : pos + len(group)])
        pos += len(group)
    return out


def extract_pair(
    left: Document,
    left_sents: Sequence[Sentence],
    right: Document,
    right_sents: Sequence[Sentence],
) -> tuple[dict[int, list[Mention]], dict[int, list[Mention]]]:
    """Mentions of both documents, each read against its own publication date."""
    return (
        extract_document(left, list(left_sents), published=left.published_date),
        extract_document(right, list(right_sents), published=right.published_date),
    )


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ConfigError(f"Unknown mode {mode!r}: use one of {', '.join(MODES)}.")


def _check_segments(doc: Document, sentences: list[Sentence]) -> None:
    if not sentences:
        raise InputError(
            f"Document {doc.title or doc.id!r} has no text to compare after reading it; "
            "check that the file is not empty and is a text, Markdown, HTML or wiki file."
        )


def compare_documents(
    left: Document,
    right: Document,
    encoder: TextEncoder,
    *,
    mode: str = "auto",
    policy: ComparePolicy = DEFAULT_POLICY,
    align_params: AlignParams | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Compare two documents end to end.

    Args:
        left: First document (any language; two documents in one language are valid).
        right: Second document.
        encoder: Sentence encoder; rows of its output must be unit length.
        mode: "auto", "translation" (one translates the other) or "independent".
        policy: Tolerances for the comparison of facts.
        align_params: Aligner settings (defaults when None).
        progress: Called as `progress(stage, fraction_done)`.

    Returns:
        The `Comparison`: sentences, alignments (every sentence in exactly one) and findings.

    Example:
        >>> from models.fake import HashingEncoder
        >>> d = Document("a", "On 3 November the city fell.", "en")
        >>> compare_documents(d, d, HashingEncoder()).findings[0].status
        'agree'
    """
    _check_mode(mode)
    report = progress or (lambda stage, frac: None)
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    report("segment", 0.0)
    left_sents = segment(left)
    right_sents = segment(right)
    _check_segments(left, left_sents)
    _check_segments(right, right_sents)
    timings["segment"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    report("encode", 0.1)
    left_vecs, right_vecs = encode_sentences(encoder, [left_sents, right_sents])
    timings["encode"] = time.perf_counter() - t0

    # (Extracting in a forked worker while the encoder runs was measured and dropped: the
    # encoder's two BLAS threads lose more to a third busy process than extraction costs.)
    t0 = time.perf_counter()
    report("extract", 0.6)
    left_mentions, right_mentions = extract_pair(left, left_sents, right, right_sents)
    timings["extract"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    report("align", 0.75)
    # shared facts are evidence between separate reports; a translation is aligned on its
    # vectors alone (align ignores `extra` in translation mode)
    evidence = (
        None
        if mode == "translation"
        else fact_evidence(
            without_post_dates(left_sents, left_mentions, left.lang),
            without_post_dates(right_sents, right_mentions, right.lang),
            len(left_sents),
            len(right_sents),
            left_implied=lead_keys(left_sents, left_mentions, left.published_date),
            right_implied=lead_keys(right_sents, right_mentions, right.published_date),
        )
    )
    result = align(left_vecs, right_vecs, mode=mode, params=align_params, extra=evidence)
    timings["align"] = time.perf_counter() - t0
    log.info("aligned %d x %d sentences: %s", len(left_sents), len(right_sents), result.reason)

    t0 = time.perf_counter()
    report("compare", 0.9)
    findings = compare_alignments(
        left,
        right,
        left_sents,
        right_sents,
        result.alignments,
        left_mentions,
        right_mentions,
        policy,
    )
    timings["compare"] = time.perf_counter() - t0
    report("done", 1.0)

    return Comparison(
        left=left,
        right=right,
        mode=result.mode,
        mode_reason=result.reason,
        left_sentences=tuple(left_sents),
        right_sentences=tuple(right_sents),
        alignments=tuple(result.alignments),
        findings=tuple(findings),
        encoder=getattr(encoder, "name", type(encoder).__name__),
        timings=timings,
    )


def compare_alignments(
    left: Document,
    right: Document,
    left_sents: Sequence[Sentence],
    right_sents: Sequence[Sentence],
    alignments: Sequence,
    left_mentions: dict[int, list[Mention]],
    right_mentions: dict[int, list[Mention]],
    policy: ComparePolicy = DEFAULT_POLICY,
) -> list[Finding]:
    """Run `nlp.compare.compare` on every aligned pair; findings in alignment order.

    (Splitting the pairs across two processes was measured and dropped: sending ~9,000
    findings back from a worker costs more than comparing half of them, 0.7-0.9 s against
    0.3 s for all of a 20,000-sentence pair.)
    """
    findings: list[Finding] = []
    for i, a in enumerate(alignments):
        pair = AlignedPair(
            index=i,
            alignment=a,
            left_lang=left.lang,
            right_lang=right.lang,
            left_sentences=tuple(left_sents[j] for j in a.left),
            right_sentences=tuple(right_sents[j] for j in a.right),
            left_mentions=tuple(m for j in a.left for m in left_mentions.get(j, ())),
            right_mentions=tuple(m for j in a.right for m in right_mentions.get(j, ())),
            left_published=left.published_date,
            right_published=right.published_date,
        )
        findings.extend(f for f in compare(pair, policy) if f.confidence >= policy.min_confidence)
    return findings

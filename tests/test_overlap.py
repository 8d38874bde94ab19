"""Extraction in a worker process while the encoder runs (`nlp.overlap`): same answers as
running the stages one after the other, and a fallback that loses nothing."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from corpus.demo import load_demo
from models.fake import HashingEncoder
from nlp.overlap import MIN_SENTENCES, beside, worth_a_worker
from nlp.pipeline import compare_documents
from nlp.records import Document
from nlp.sets import SetParams, compare_set


def _pid() -> int:
    return os.getpid()


def _boom(text: str) -> int:
    raise ValueError(f"job failed on {text!r}")


def _unpicklable() -> object:
    return lambda: None  # a result the worker cannot send back


def test_job_runs_in_another_process() -> None:
    here, there, waited = beside(os.getpid, _pid)
    assert here == os.getpid()
    assert there != os.getpid()
    assert waited >= 0.0


def test_without_parallel_the_job_runs_here() -> None:
    here, there, _ = beside(os.getpid, _pid, parallel=False)
    assert here == there == os.getpid()


def test_a_job_error_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="job failed on 'x'"):
        beside(lambda: None, _boom, "x")


def test_a_worker_that_cannot_send_its_result_falls_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="nlp.overlap"):
        _, result, _ = beside(lambda: 1, _unpicklable)
    assert callable(result)
    assert "running the job here" in caplog.text


def test_worth_a_worker_needs_size_and_a_single_thread() -> None:
    assert not worth_a_worker(MIN_SENTENCES - 1)
    if (os.cpu_count() or 1) >= 2 and threading.active_count() == 1:
        assert worth_a_worker(MIN_SENTENCES)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not worth_a_worker(10 * MIN_SENTENCES)  # a threaded host: never fork
    finally:
        stop.set()
        t.join()


def test_pair_comparison_is_the_same_with_and_without_the_worker() -> None:
    left, right = load_demo("ar-wiki"), load_demo("en-wiki")
    enc = HashingEncoder()
    inline = compare_documents(left, right, enc, overlap=False)
    worker = compare_documents(left, right, enc, overlap=True)
    assert worker == inline
    assert len(worker.findings) > 100
    assert set(worker.timings) == {"segment", "encode", "extract", "align", "compare"}


def test_large_pair_uses_the_worker_and_agrees_with_inline() -> None:
    # a long pair built from the demo articles (above MIN_SENTENCES in all)
    ar, en = load_demo("ar-wiki"), load_demo("en-wiki")
    copies = MIN_SENTENCES // 100 + 1
    left = Document("big-ar", "\n\n".join([ar.text] * copies), "ar", published="2017-11-20")
    right = Document("big-en", "\n\n".join([en.text] * copies), "en", published="2017-11-20")
    enc = HashingEncoder()
    auto = compare_documents(left, right, enc, mode="translation")
    inline = compare_documents(left, right, enc, mode="translation", overlap=False)
    assert len(auto.left_sentences) + len(auto.right_sentences) >= MIN_SENTENCES
    assert auto == inline


def test_set_comparison_is_the_same_with_and_without_the_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = [load_demo(d) for d in ("en-wiki", "ar-wiki", "ar-news-nov", "ar-news-sep")]
    enc = HashingEncoder()
    params = SetParams()
    monkeypatch.setattr("nlp.overlap.MIN_SENTENCES", 10**9)
    inline = compare_set(docs, enc, params=params)
    monkeypatch.setattr("nlp.overlap.MIN_SENTENCES", 1)
    worker = compare_set(docs, enc, params=params)
    assert worker == inline
    assert worker.groups


"""Run pure-Python work in a second process while the encoder runs in this one.

The encoder spends its time in BLAS on both cores, but its second core buys only ~40% more
throughput (measured: 479 sentences/s on one thread, 665/s on two); fact extraction is pure
Python, needs the GIL and does not need the vectors. Running extraction in a worker process
while the encoder runs therefore costs the encoder far less than running the two one after
the other (see `bench/results/pipeline.md`).

`beside(work, job, *args)` calls `work()` here and `job(*args)` in a forked worker process,
and returns both results with the seconds spent *waiting* for the worker after `work()`
returned. A fork shares everything already loaded (modules, the gazetteer index) at no cost
and, unlike ``spawn``/``forkserver``, never re-imports the caller's main script. Forking is
only safe in a process with one Python thread, so `worth_a_worker` says no in threaded hosts
(the Streamlit server) and where fork does not exist; the job then runs here. The job's
result must pickle. When the worker cannot run (a start-up or pickling failure), `job` runs
here after `work()`, with a warning in the log: the answer is the same, only slower.

Example:
    >>> a, b, waited = beside(lambda: 2 + 2, sorted, [3, 1, 2], parallel=False)
    >>> a, b
    (4, [1, 2, 3])
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

log = logging.getLogger(__name__)

A = TypeVar("A")
B = TypeVar("B")

#: Below this many sentences (both documents) the worker costs more than it saves: measured
#: with the bundled encoder on PUD pairs, it loses 24-91 ms from 50 to 400 sentences per side
#: and starts to gain at about 800 in all (`bench/pipeline_throughput.py`, break-even).
MIN_SENTENCES = 1000


def worth_a_worker(n_sentences: int) -> bool:
    """Whether `n_sentences` justify a worker process here.

    Needs two cores or more, fork, and a process with a single Python thread (forking a
    threaded process can copy a lock another thread holds).
    """
    return (
        n_sentences >= MIN_SENTENCES
        and (os.cpu_count() or 1) >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def beside(
    work: Callable[[], A],
    job: Callable[..., B],
    *args: Any,
    parallel: bool = True,
) -> tuple[A, B, float]:
    """`work()` here and `job(*args)` in a forked worker process at the same time.

    Args:
        work: What this process does meanwhile (the encoder).
        job: The function the worker runs; the fork inherits it and its arguments (nothing
            is pickled on the way in).
        *args: Its arguments.
        parallel: False runs `job` here after `work` (no worker).

    Returns:
        ``(work(), job(*args), seconds waited for the job after work() returned)``. When the
        job runs here, the wait is its whole run time.

    Raises:
        Whatever `work` or `job` raise (a job's own exception is re-raised here, not
        swallowed: only a failure to *run* the worker falls back to running it here).
    """
    proc: multiprocessing.process.BaseProcess | None = None
    receiver: Connection | None = None
    if parallel:
        try:
            ctx = multiprocessing.get_context("fork")
            receiver, sender = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(sender, job, args), daemon=True)
            proc.start()
            sender.close()  # the child holds the only writing end: EOF when it dies
        except (OSError, ValueError, RuntimeError) as exc:  # no fork, no pipes, no memory
            log.warning("could not start a worker process (%s); running the job here", exc)
            proc = receiver = None
    try:
        result_a = work()
        t0 = time.perf_counter()
        if receiver is not None:
            try:
                raised, value = receiver.recv()
            except (EOFError, OSError) as exc:  # the worker died or could not send its answer
                log.warning("the worker process failed (%s); running the job here",
                            type(exc).__name__)
                t0 = time.perf_counter()
            else:
                if raised:
                    raise value
                return result_a, value, time.perf_counter() - t0
        result_b = job(*args)
        return result_a, result_b, time.perf_counter() - t0
    finally:
        if receiver is not None:
            receiver.close()
        if proc is not None:
            if proc.is_alive():
                proc.terminate()
            proc.join()


def _child(sender: Connection, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the worker: send ``(False, result)``, or ``(True, exception)`` when the job raised,
    so the caller can tell the job's own error (re-raised) from a failing worker (fallback).
    A result that cannot be pickled is not sent; the caller then sees end-of-file."""
    try:
        answer: tuple[bool, Any] = (False, job(*args))
    except Exception as exc:
        answer = (True, exc)
    try:
        sender.send(answer)
    except Exception:
        log.exception("the worker could not send its answer")
    finally:
        sender.close()

"""An on-disk embedding cache around any encoder.

One SQLite file per model (`<cache_dir>/<model name>.sqlite`), rows keyed by the sha1 of
the text, values the float32 vector as a blob. SQLite in WAL mode with a busy timeout makes
it safe when two processes (the CLI and the app, or two batch jobs) share the directory:
writers use `INSERT OR IGNORE`, so the same text encoded twice by racing processes stores
one row. Opening the file costs about a millisecond, so cold start is not slowed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np

from models.base import Encoder

log = logging.getLogger(__name__)

_SELECT_CHUNK = 500  # stays under SQLite's limit on bound parameters


def text_key(text: str) -> str:
    """sha1 hex digest of the UTF-8 text: the cache key of one sentence.

    >>> text_key("abc")
    'a9993e364706816aba3e25717850c26c9cd0d89d'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _file_name(model_name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("._") or "model"
    return f"{safe[:80]}-{hashlib.sha1(model_name.encode('utf-8')).hexdigest()[:8]}.sqlite"


class CachedEncoder:
    """Wrap `inner` so each (model name, text) is encoded once, ever.

    Args:
        inner: Any `Encoder`.
        cache_dir: Folder for the cache files (created if missing).

    Example:
        >>> from models.fake import HashingEncoder
        >>> import tempfile
        >>> enc = CachedEncoder(HashingEncoder(dim=16), tempfile.mkdtemp())
        >>> enc.encode(["one", "two"]).shape
        (2, 16)
    """

    def __init__(self, inner: Encoder, cache_dir: str | Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.cache_dir = Path(cache_dir)
        self.path = self.cache_dir / _file_name(inner.name)
        self.hits = 0
        self.misses = 0
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30.0)) as con:
            if not self._ready:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute(
                    "CREATE TABLE IF NOT EXISTS embedding ("
                    " model TEXT NOT NULL, key TEXT NOT NULL, dim INTEGER NOT NULL,"
                    " vec BLOB NOT NULL, PRIMARY KEY (model, key))"
                )
                con.commit()
                self._ready = True
            yield con

    def _lookup(self, con: sqlite3.Connection, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), _SELECT_CHUNK):
            chunk = keys[start : start + _SELECT_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = con.execute(
                f"SELECT key, dim, vec FROM embedding WHERE model = ? AND key IN ({marks})",
                [self.name, *chunk],
            )
            for key, dim, blob in rows:
                if dim == self.dim and len(blob) == 4 * dim:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts, reading known ones from disk; float32 [n, dim] unit rows."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts; wrap a single text in a list")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        keys = [text_key(t) for t in texts]
        try:
            with self._connect() as con:
                found = self._lookup(con, sorted(set(keys)))
        except sqlite3.Error as exc:
            log.warning("embedding cache %s unreadable (%s); encoding without it", self.path, exc)
            return self.inner.encode(texts)
        todo: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key in found:
                out[i] = found[key]
            elif key not in todo:
                todo[key] = i
        n_hit = len(texts) - len(todo)  # served without encoding (stored or repeated)
        self.hits += n_hit
        self.misses += len(todo)
        log.debug("cache %s: %d hits, %d misses", self.name, n_hit, len(todo))
        if todo:
            fresh = self.inner.encode([texts[i] for i in todo.values()])
            new = dict(zip(todo, fresh, strict=True))
            for i, key in enumerate(keys):
                if key in new:
                    out[i] = new[key]
            rows = [
                (self.name, key, self.dim, np.ascontiguousarray(vec, dtype=np.float32).tobytes())
                for key, vec in new.items()
            ]
            try:
                with self._connect() as con:
                    con.executemany(
                        "INSERT OR IGNORE INTO embedding (model, key, dim, vec) VALUES (?,?,?,?)",
                        rows,
                    )
                    con.commit()
            except sqlite3.Error as exc:
                log.warning("embedding cache %s not written (%s)", self.path, exc)
        return out

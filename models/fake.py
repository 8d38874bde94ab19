"""A tiny deterministic encoder for tests: character n-gram feature hashing.

Same text -> same vector in every process (hashing by blake2b, never Python's salted
`hash()`); texts sharing many character n-grams get similar vectors. It knows nothing
about meaning or about translation: an Arabic sentence and its English translation are
*not* similar under it. Use it to test plumbing and same-language behaviour.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from nlp.normalize import normalize_ar, normalize_en


class HashingEncoder:
    """Character n-gram (n = 2..4) feature hashing into `dim` buckets, signed, L2-normalised.

    Args:
        dim: Number of hash buckets (vector width).
        ngram_range: Inclusive range of n-gram lengths.

    Example:
        >>> enc = HashingEncoder(dim=64)
        >>> v = enc.encode(["The army captured the city.", "The army captured a city."])
        >>> float(v[0] @ v[1]) > 0.7
        True
    """

    def __init__(self, dim: int = 256, ngram_range: tuple[int, int] = (2, 4)) -> None:
        if dim < 1:
            raise ValueError(f"dim must be >= 1, got {dim}")
        self.dim = dim
        self.ngram_range = ngram_range
        self.name = f"hashing-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        # Normalise both scripts so diacritics and case do not change the vector.
        norm = normalize_en(normalize_ar(text))
        padded = f" {' '.join(norm.split())} "
        vec = np.zeros(self.dim, dtype=np.float64)
        lo, hi = self.ngram_range
        for n in range(lo, hi + 1):
            for k in range(len(padded) - n + 1):
                digest = hashlib.blake2b(padded[k : k + n].encode("utf-8"), digest_size=8).digest()
                h = int.from_bytes(digest, "little")
                vec[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        norm_v = float(np.linalg.norm(vec))
        if norm_v == 0:
            # Empty text: a fixed unit vector so that rows stay unit length.
            vec[0] = 1.0
            norm_v = 1.0
        return (vec / norm_v).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts into float32 [n, dim] unit rows (shape [0, dim] for no texts)."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts; wrap a single text in a list")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._vector(text)
        return out

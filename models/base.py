"""The encoder protocol every sentence encoder of Tabayyun satisfies.

An encoder turns a list of texts into a float32 matrix of unit-length rows, one row per
text, in the order given. `nlp/` never loads an encoder: it receives the vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Sentence encoder: texts in, unit vectors out.

    Attributes:
        name: Stable model name; part of every cache key (e.g. "use-multilingual-v3").
        dim: Width of the vectors.

    Example:
        >>> from models.fake import HashingEncoder
        >>> enc: Encoder = HashingEncoder(dim=8)
        >>> enc.encode(["a", "b"]).shape
        (2, 8)
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode `texts` into float32 [len(texts), dim] with unit-length rows.

        An empty sequence gives an array of shape [0, dim].
        """
        ...


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (all-zero rows stay zero).

    Args:
        x: Array [n, d].

    Returns:
        float32 [n, d] with each non-zero row of norm 1.

    Example:
        >>> normalize_rows(np.array([[3.0, 4.0]])).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)

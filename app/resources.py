"""Server-wide resources of the review app, created once per server with `st.cache_resource`.

The sentence encoder and the repository are expensive to create and safe to share between
sessions, so each is cached per argument (encoder name, database URL). Stored comparisons
(pairs and sets) are immutable, so they are cached per (database URL, run id): a page rerun
never reloads a comparison and never re-runs the pipeline.

Settings come from the environment:

- `TABAYYUN_DB_URL`: the database (see `corpus.config.resolve_db_url`).
- `TABAYYUN_ENCODER`: the encoder name (default "use-multilingual-v3"; "hashing" is the
  deterministic fake encoder used by the tests, no model weights).
- `TABAYYUN_DEMO`: "0" to skip preparing the demo comparison at start.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

import streamlit as st

from app.bootstrap import DEMO_LEFT, DEMO_RIGHT, ensure_demo_run, find_pair_run
from corpus.config import resolve_db_url
from nlp.records import Comparison

if TYPE_CHECKING:
    from nlp.sets import SetComparison

log = logging.getLogger(__name__)

ENV_ENCODER = "TABAYYUN_ENCODER"
ENV_DEMO = "TABAYYUN_DEMO"
DEFAULT_ENCODER = "use-multilingual-v3"


def encoder_name() -> str:
    """The encoder the app uses unless the user picks another: env or the default."""
    return os.environ.get(ENV_ENCODER, "").strip() or DEFAULT_ENCODER


def encoder_choices() -> list[str]:
    """Encoder names offered on the Compare page, the configured one first."""
    from models import DEFAULT_ENCODER as BUNDLED
    from models import HASHING_ENCODER

    return list(dict.fromkeys([encoder_name(), BUNDLED, HASHING_ENCODER]))


def demo_enabled() -> bool:
    """Whether the app prepares the demo comparison at start (TABAYYUN_DEMO != "0")."""
    return os.environ.get(ENV_DEMO, "1").strip() not in {"0", "false", "no"}


def db_url() -> str:
    """The database URL the app opens (argument-free `resolve_db_url`)."""
    return resolve_db_url()


@st.cache_resource(show_spinner="Loading the sentence encoder (once per server)…")
def get_encoder(name: str) -> Any:
    """The encoder called `name`, loaded once per server process.

    Raises:
        ModelError: the model cannot be found or loaded (message names the fix).
    """
    from corpus.config import data_dir
    from models import HASHING_ENCODER, load_encoder

    if name == HASHING_ENCODER:  # the test fake: nothing worth caching on disk
        return load_encoder(name)
    return load_encoder(name, cache_dir=data_dir() / "embeddings")


@st.cache_resource(show_spinner=False)
def get_repository(url: str) -> Any:
    """The repository for a database URL, opened once per server process.

    Raises:
        StorageError: the database is locked, unreachable or at the wrong schema version.
    """
    from corpus.store import open_repository

    return open_repository(url)


@st.cache_resource(show_spinner="Preparing the demo comparison (first start only)…")
def demo_run(url: str, encoder: str) -> int:
    """Id of the stored demo run (Arabic Wikipedia vs English Wikipedia), made once.

    The encoder is loaded only when the run has to be computed.
    """
    repo = get_repository(url)
    existing = find_pair_run(repo, DEMO_LEFT, DEMO_RIGHT)
    if existing is not None:
        return existing
    return ensure_demo_run(repo, get_encoder(encoder))


@st.cache_resource(show_spinner=False, max_entries=32)
def get_comparison(url: str, run_id: int) -> Comparison:
    """A stored comparison; stored runs never change, so this is cached per server."""
    return get_repository(url).load_comparison(run_id)


def repository() -> Any:
    """The repository of the configured database (cached)."""
    return get_repository(db_url())


def comparison(run_id: int) -> Comparison:
    """The stored comparison of a run (cached)."""
    return get_comparison(db_url(), run_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def get_set(url: str, run_id: int) -> SetComparison:
    """A stored set comparison; stored runs never change, so this is cached per server."""
    return get_repository(url).load_set(run_id)


def set_comparison(run_id: int) -> SetComparison:
    """The stored set comparison of a set run (cached)."""
    return get_set(db_url(), run_id)

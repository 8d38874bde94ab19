"""Where Tabayyun keeps its data: the data directory and the database URL.

Resolution order for the database URL (first that is set wins):

1. the `url` argument (the `--db` option of the command line),
2. the environment variable `TABAYYUN_DB_URL`,
3. SQLite at `<data dir>/tabayyun.sqlite3`, where the data dir is `TABAYYUN_DATA_DIR` or
   `~/.local/share/tabayyun` (created on first use).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from nlp.errors import StorageError

log = logging.getLogger(__name__)

ENV_DB_URL = "TABAYYUN_DB_URL"
ENV_DATA_DIR = "TABAYYUN_DATA_DIR"
DB_FILENAME = "tabayyun.sqlite3"
DEFAULT_DATA_DIR = Path("~/.local/share/tabayyun")


def data_dir(env: Mapping[str, str] | None = None, *, create: bool = True) -> Path:
    """The folder Tabayyun writes its database to, created when missing.

    Args:
        env: Environment to read (defaults to `os.environ`).
        create: Create the folder (and its parents) when it does not exist.

    Returns:
        An absolute path, e.g. `Path("/home/ana/.local/share/tabayyun")`.

    Raises:
        StorageError: the folder cannot be created (read-only parent, a file in the way).

    Example:
        >>> data_dir({"TABAYYUN_DATA_DIR": "/tmp/tabayyun-doc"}).name
        'tabayyun-doc'
    """
    env = os.environ if env is None else env
    raw = env.get(ENV_DATA_DIR) or str(DEFAULT_DATA_DIR)
    path = Path(raw).expanduser().absolute()
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Cannot create the data folder {path} ({exc.strerror or exc}); set "
                f"{ENV_DATA_DIR} to a writable folder or {ENV_DB_URL} to another database."
            ) from exc
        if not os.access(path, os.W_OK | os.X_OK):
            raise StorageError(
                f"The data folder {path} is not writable; set {ENV_DATA_DIR} to a writable "
                f"folder or {ENV_DB_URL} to another database."
            )
    return path


def resolve_db_url(url: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The database URL to open: argument, else `TABAYYUN_DB_URL`, else the default SQLite file.

    Args:
        url: An explicit SQLAlchemy URL, e.g. "sqlite:///runs.sqlite3" or
            "postgresql+psycopg://user@host/tabayyun".
        env: Environment to read (defaults to `os.environ`).

    Returns:
        A URL string. Only the default SQLite location gets its folder created.

    Example:
        >>> resolve_db_url(env={"TABAYYUN_DATA_DIR": "/tmp/tabayyun-doc"})
        'sqlite:////tmp/tabayyun-doc/tabayyun.sqlite3'
    """
    env = os.environ if env is None else env
    if url:
        return url
    if env.get(ENV_DB_URL):
        return env[ENV_DB_URL]
    path = data_dir(env) / DB_FILENAME
    log.debug("using the default database %s", path)
    return f"sqlite:///{path}"

"""All user-facing errors of Tabayyun, in one place.

Every message says what went wrong *and what to do next*. The command line turns a
`TabayyunError` into a message on stderr and exit code 2 (bad input) without a traceback;
the app shows it with `st.error`.
"""

from __future__ import annotations


class TabayyunError(Exception):
    """Base class: a problem the user can fix. `exit_code` is used by the command line."""

    exit_code = 2


class InputError(TabayyunError):
    """A document cannot be read: empty, binary, undecodable, too large, unknown id."""


class EncodingError(InputError):
    """Bytes that no supported encoding decodes."""


class ModelError(TabayyunError):
    """An encoder cannot be found or loaded (offline hub name, missing folder, bad files)."""


class StorageError(TabayyunError):
    """The database is locked, missing, unreachable or at the wrong schema version."""


class ConfigError(TabayyunError):
    """A setting (policy, mode, format) has a value Tabayyun does not accept."""

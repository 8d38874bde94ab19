"""Alembic migrations of the Tabayyun database, run from code by `corpus.store`.

No `alembic.ini` is needed: `corpus.store.alembic_config(connection)` builds the `Config` in
code and points `script_location` at this folder, so migrations work from an installed
package. New revisions are named `NNNN_what` (e.g. `0002_review_labels`).
"""

"""Set runs: three or more documents, their pairs, claim groups, set findings and reviews.

Revision ID: 0002_sets
Revises: 0001_initial
Create Date: 2026-11-22

A set run is a `runs` row with kind "set"; its documents are `run_documents` rows with roles
"d0", "d1", ... and now carry the publication date the comparison used (`published`) and
where it came from (`published_from`: "given", "text" or "unknown"; NULL on pair runs). Its
sentences go in the existing `sentences` table, one position per document. New tables:

    set_pairs(run_id, left_pos, right_pos, mode, reason, alignments, anchored)
    set_groups(run_id, group_id, score, members)
    set_findings(id, run_id, idx, group_id, kind, status, rule, reason, confidence,
                 dissenters, silent, time_context)
    set_values(set_finding_id, position, text, value, start, end, note)
    set_reviews(id, set_finding_id, reviewer, decision, note, at, undoes -> set_reviews.id)

Reviews of set findings get their own append-only table (same shape and rules as `reviews`:
latest wins per reviewer, an undo is a row pointing at the review it cancels) rather than a
generalised `reviews` table, so that every review row keeps a real foreign key.

The new columns are added with plain `ALTER TABLE ... ADD COLUMN` (no table copy: on SQLite a
copy of `run_documents` would cascade-delete the sentences of every stored run). Downgrading
deletes the set runs (0001 cannot hold their groups and findings) and keeps every pair run.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_sets"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# JSON kept as text on SQLite (exact numbers; see 0001_initial), native JSON on PostgreSQL.
_JSON = sa.JSON().with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    op.add_column("run_documents", sa.Column("published", sa.String(10), nullable=True))
    op.add_column("run_documents", sa.Column("published_from", sa.String(16), nullable=True))
    op.create_table(
        "set_pairs",
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("left_pos", sa.Integer(), primary_key=True),
        sa.Column("right_pos", sa.Integer(), primary_key=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("alignments", _JSON, nullable=False),
        sa.Column("anchored", _JSON, nullable=False),
    )
    op.create_table(
        "set_groups",
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("group_id", sa.Integer(), primary_key=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("members", _JSON, nullable=False),
    )
    op.create_table(
        "set_findings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("dissenters", _JSON, nullable=False),
        sa.Column("silent", _JSON, nullable=False),
        sa.Column("time_context", _JSON, nullable=True),
        sa.UniqueConstraint("run_id", "idx", name="uq_set_findings_run_idx"),
    )
    op.create_index("ix_set_findings_run_group", "set_findings", ["run_id", "group_id"])
    op.create_table(
        "set_values",
        sa.Column(
            "set_finding_id",
            sa.Integer(),
            sa.ForeignKey("set_findings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", _JSON, nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_table(
        "set_reviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "set_finding_id",
            sa.Integer(),
            sa.ForeignKey("set_findings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("undoes", sa.Integer(), sa.ForeignKey("set_reviews.id"), nullable=True),
        sa.UniqueConstraint("undoes", name="uq_set_reviews_undoes"),
        sa.CheckConstraint(
            "(decision IS NULL) = (undoes IS NOT NULL)", name="ck_set_reviews_decision_or_undo"
        ),
    )
    op.create_index(
        "ix_set_reviews_finding_reviewer", "set_reviews", ["set_finding_id", "reviewer"]
    )


def downgrade() -> None:
    op.drop_index("ix_set_reviews_finding_reviewer", table_name="set_reviews")
    op.drop_table("set_reviews")
    op.drop_table("set_values")
    op.drop_index("ix_set_findings_run_group", table_name="set_findings")
    op.drop_table("set_findings")
    op.drop_table("set_groups")
    op.drop_table("set_pairs")
    # 0001 has nowhere to keep a set's groups and findings: its runs go (documents stay).
    runs = sa.table("runs", sa.column("id", sa.Integer()), sa.column("kind", sa.String()))
    doomed = sa.select(runs.c.id).where(runs.c.kind == "set").scalar_subquery()
    for table in ("sentences", "alignments", "run_documents"):
        t = sa.table(table, sa.column("run_id", sa.Integer()))
        op.execute(t.delete().where(t.c.run_id.in_(doomed)))
    op.execute(runs.delete().where(runs.c.kind == "set"))
    op.drop_column("run_documents", "published_from")
    op.drop_column("run_documents", "published")

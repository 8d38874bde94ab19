"""Initial schema: documents, runs, run documents, sentences, alignments, findings, reviews.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-21

Evidence values are JSON (text on SQLite). Sentence text is not stored: it is sliced from
the document (`text` is filled only for a sentence whose text is not the slice of its
offsets). Reviews are append-only; an undo is a
row whose `undoes` points at the review it cancels (at most one undo per review).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

# Evidence values are any JSON (numbers included). On SQLite they are kept as text: a column
# typed JSON has NUMERIC affinity there, which would store 1500.0 as the integer 1500.
_EVIDENCE_JSON = sa.JSON().with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("published", sa.String(10), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("mode_reason", sa.Text(), nullable=False),
        sa.Column("encoder", sa.String(200), nullable=False),
        sa.Column("schema_version", sa.String(64), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.CheckConstraint("kind IN ('pair', 'set')", name="ck_runs_kind"),
    )
    op.create_table(
        "run_documents",
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("doc_id", sa.String(200), sa.ForeignKey("documents.id"), nullable=False),
        sa.UniqueConstraint("run_id", "role", name="uq_run_documents_role"),
    )
    op.create_index("ix_run_documents_doc", "run_documents", ["doc_id"])
    op.create_table(
        "sentences",
        sa.Column("run_id", sa.Integer(), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("idx", sa.Integer(), primary_key=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id", "position"],
            ["run_documents.run_id", "run_documents.position"],
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "alignments",
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("idx", sa.Integer(), primary_key=True),
        sa.Column("left", sa.JSON(), nullable=False),
        sa.Column("right", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("alignment", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("left_text", sa.Text(), nullable=True),
        sa.Column("left_value", _EVIDENCE_JSON, nullable=True),
        sa.Column("left_start", sa.Integer(), nullable=True),
        sa.Column("left_end", sa.Integer(), nullable=True),
        sa.Column("left_note", sa.Text(), nullable=True),
        sa.Column("right_text", sa.Text(), nullable=True),
        sa.Column("right_value", _EVIDENCE_JSON, nullable=True),
        sa.Column("right_start", sa.Integer(), nullable=True),
        sa.Column("right_end", sa.Integer(), nullable=True),
        sa.Column("right_note", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.UniqueConstraint("run_id", "idx", name="uq_findings_run_idx"),
    )
    op.create_index("ix_findings_run_status_kind", "findings", ["run_id", "status", "kind"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "finding_id",
            sa.Integer(),
            sa.ForeignKey("findings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("undoes", sa.Integer(), sa.ForeignKey("reviews.id"), nullable=True),
        sa.UniqueConstraint("undoes", name="uq_reviews_undoes"),
        sa.CheckConstraint(
            "(decision IS NULL) = (undoes IS NOT NULL)", name="ck_reviews_decision_or_undo"
        ),
    )
    op.create_index("ix_reviews_finding_reviewer", "reviews", ["finding_id", "reviewer"])


def downgrade() -> None:
    op.drop_index("ix_reviews_finding_reviewer", table_name="reviews")
    op.drop_table("reviews")
    op.drop_index("ix_findings_run_status_kind", table_name="findings")
    op.drop_table("findings")
    op.drop_table("alignments")
    op.drop_table("sentences")
    op.drop_index("ix_run_documents_doc", table_name="run_documents")
    op.drop_table("run_documents")
    op.drop_table("runs")
    op.drop_table("documents")

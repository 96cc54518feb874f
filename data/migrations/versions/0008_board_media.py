"""The customer's voice per organisation and quarter: a short audio or video clip and quotes.

Revision ID: 0008_board_media
Revises: 0006_indexes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_board_media"
down_revision: str | None = "0007_register"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_voice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("quotes", sa.Text(), nullable=False),
        sa.Column("clip_name", sa.String(length=255), nullable=True),
        sa.Column("clip_mime", sa.String(length=100), nullable=True),
        sa.Column("clip", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "period", name="uq_customer_voice_organisation_period"),
    )
    with op.batch_alter_table("customer_voice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_voice_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customer_voice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_voice_organisation_id"))
    op.drop_table("customer_voice")

"""Events on the timeline (with their history) and experiments followed up on their metric.

Revision ID: 0012_events
Revises: 0011_validation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_events"
down_revision: str | None = "0011_validation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = "('launch', 'reorganisation', 'method_change', 'campaign', 'other')"


def upgrade() -> None:
    op.create_table(
        "timeline_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint(f"kind IN {_KINDS}", name="ck_timeline_event_kind"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["metric_id"], ["metric.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_timeline_event_organisation_id", "timeline_event", ["organisation_id"])
    op.create_table(
        "timeline_event_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("action IN ('add', 'change', 'remove')", name="ck_timeline_event_revision_action"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_timeline_event_revision_event_id", "timeline_event_revision", ["event_id"])
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metric_codes", sa.String(length=400), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("expected_direction", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("expected_size", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("start_period", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_period", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("lesson", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("lessons_feed", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        for column in ("lessons_feed", "lesson", "outcome", "follow_up_period", "start_period",
                       "expected_size", "expected_direction", "metric_codes"):
            batch_op.drop_column(column)
    op.drop_index("ix_timeline_event_revision_event_id", table_name="timeline_event_revision")
    op.drop_table("timeline_event_revision")
    op.drop_index("ix_timeline_event_organisation_id", table_name="timeline_event")
    op.drop_table("timeline_event")

"""Indexes for national scale: one metric across organisations and quarters read from the index alone.

The compare views, the latest figure per organisation and the per-quarter peer aggregates all
filter on metric and quarter and need only the organisation, the value and the status. The
metric/period index becomes a covering one (same leading columns, so every query that used it
still does, and a write still maintains the same number of indexes).

Revision ID: 0006_indexes
Revises: 0004_decisions
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_indexes"
down_revision: str | None = "0004_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_measurement_metric_period")
        batch_op.create_index(
            "ix_measurement_metric_period_value",
            ["metric_id", "period", "organisation_id", "value", "status"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_measurement_metric_period_value")
        batch_op.create_index("ix_measurement_metric_period", ["metric_id", "period"], unique=False)

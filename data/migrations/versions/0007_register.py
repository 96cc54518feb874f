"""Sweden's register: an organisation's county, and where its population figure came from.

``county_code`` is SCB's two-digit länskod (text, ``01``); ``population_year`` and
``population_source`` say which year a population figure describes and who gave it ("Kolada"
when fetched, NULL when an administrator typed it).

Revision ID: 0007_register
Revises: 0006_indexes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_register"
down_revision: str | None = "0006_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("county_code", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("population_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("population_source", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("population_source")
        batch_op.drop_column("population_year")
        batch_op.drop_column("county_code")

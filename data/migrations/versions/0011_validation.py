"""Organisation codes unique regardless of case: ``demo-ekbacka`` and ``DEMO-EKBACKA`` are one code.

The data layer refuses a taken code with a message; this index is the backstop when two
administrators add the same code at the same moment. An expression index (``lower(code)``)
works the same on SQLite and PostgreSQL.

Revision ID: 0011_validation
Revises: 0006_indexes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_validation"
down_revision: str | None = "0010_rounds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("uq_organisation_code_lower", "organisation", [sa.text("lower(code)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_organisation_code_lower", table_name="organisation")

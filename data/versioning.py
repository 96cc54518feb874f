"""The data version: one counter every write bumps, read by every cached read as its key.

Kept in the database (not in a process or a session) so that a save shows at once in every other
person's session and in every replica.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.models import DataVersion, utcnow


def bump_data_version(session: Session) -> None:
    """Mark that data changed; part of the writer's transaction, so it commits with the change."""
    session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=DataVersion.version + 1, changed_at=utcnow())
    )


def read_data_version(session: Session) -> int:
    return int(session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0)

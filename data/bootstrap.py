"""Getting a database ready: migrate, keep the built-in catalogue in step, demo data on first start."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from data.actors import SYSTEM
from data.catalogue_store import CatalogueSync, sync_builtin_catalogue
from data.db import writing
from data.demo import DemoSummary, load_demo
from data.migrate import upgrade
from data.models import Organisation


@dataclass(frozen=True)
class Preparation:
    catalogue: CatalogueSync
    demo: DemoSummary | None


def prepare_database(
    url: str | None = None, *, demo_if_empty: bool = False, today: dt.date | None = None
) -> Preparation:
    """Upgrade the schema, sync the catalogue, and load demo data into an empty database if asked."""
    upgrade(url)
    with writing(url) as session:
        catalogue = sync_builtin_catalogue(session=session, actor=SYSTEM)
        demo = None
        if demo_if_empty and not session.scalar(select(func.count(Organisation.id))):
            demo = load_demo(session=session, actor=SYSTEM, today=today)
    return Preparation(catalogue, demo)

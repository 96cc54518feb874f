"""Alembic environment: the connection comes from data.migrate, the metadata from data.models."""

from alembic import context

from data.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through data.migrate.upgrade() or `python cli.py init`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

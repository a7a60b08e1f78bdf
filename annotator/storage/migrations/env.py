"""Alembic environment: runs on the connection the app passes in.

The app calls ``command.upgrade`` with ``config.attributes["connection"]`` set
(see :mod:`annotator.storage.database`); nothing here opens files on import.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from annotator.storage.migrations import include_name
from annotator.storage.models import Base

config = context.config

target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, render_as_batch=True,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as new_connection:
        _run(new_connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

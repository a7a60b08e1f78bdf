"""Downgrades that would lose data refuse instead.

A downgrade drops tables and columns. Each revision's ``downgrade()`` first
calls :func:`refuse_losing` with counts of what it would drop that is not
simply the default its ``upgrade()`` wrote: if any count is above zero, it
raises :class:`~annotator.storage.errors.DowngradeRefusedError` naming what
would be lost, and the migration's transaction leaves the project unchanged.
A project holding only what the older schema can hold goes back intact.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from annotator.storage.errors import DowngradeRefusedError


def refuse_losing(revision: str, checks: dict[str, str]) -> None:
    """``checks``: what would be lost (e.g. "gold claims") -> SQL counting it."""
    connection = op.get_bind()
    lost = []
    for what, query in checks.items():
        count = connection.execute(text(query)).scalar() or 0
        if count:
            lost.append(f"{count} {what}")
    if lost:
        raise DowngradeRefusedError(
            f"cannot downgrade below schema {revision}: it would lose {', '.join(lost)}; "
            "nothing was changed")

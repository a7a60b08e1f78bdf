"""Merging incoming claims (a colleague's import) into a project, a batch at a
time: what :meth:`ProjectService.merge_claims` does.

Per batch there is one round trip to find which claims are stored and one to
find which of their versions the history already keeps; the new claims are then
written by one plain ``INSERT`` executed for many rows (psycopg sends them in
pipeline mode, each row's values as bound parameters of one short statement
that the server parses once) rather than by ORM objects, which SQLAlchemy would
turn into multi-row ``INSERT ... VALUES`` statements of thousands of
parameters that psycopg has to parse afresh. Stored claims a newer edit
replaces go through the ORM as before (their version is checked). Everything
is one transaction: an import is stored whole or not at all (on a team server,
row-level security refusing one claim refuses the lot)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator.domain.model import Claim, utc_now
from annotator.domain.review import claim_values
from annotator.storage.models import ClaimHistoryRow, ClaimRow, SourceRow

if TYPE_CHECKING:
    from annotator.services.project import MergeResult, ProjectService


def claim_row_values(claim: Claim) -> dict[str, Any]:
    """The claims table's values for a new row of ``claim`` (version 1)."""
    from annotator.services.project import _CLAIM_FIELDS

    values = {name: getattr(claim, name) for name in _CLAIM_FIELDS}
    values.update(id=claim.id, stance=str(claim.stance) if claim.stance else None,
                  tags=list(claim.tags), version=1)
    return values


class _Batch:
    """What one batch changes: the history entries to keep and the names of
    sources (read once per merge)."""

    def __init__(self, session: Session, names: dict[str | None, str]) -> None:
        self.session = session
        self.names = names
        self.kept: set[tuple[str, datetime]] = set()

    def source_name(self, source_id: str | None) -> str:
        if source_id is None:
            return ""
        if source_id not in self.names:
            self.names[source_id] = self.session.scalar(
                select(SourceRow.name).where(SourceRow.id == source_id)) or ""
        return self.names[source_id]

    def keep(self, claim: Claim) -> None:
        """Keep ``claim`` in its history, once per (claim, updated_at)."""
        key = (claim.id, claim.updated_at)
        if key not in self.kept:
            self.kept.add(key)
            self.session.add(ClaimHistoryRow(claim_id=claim.id, updated_at=claim.updated_at,
                                             record=claim_values(claim),
                                             recorded_at=utc_now()))


def merge_claims(service: ProjectService, claims: Iterable[Claim],
                 batch_size: int) -> list[MergeResult]:
    """See :meth:`ProjectService.merge_claims`."""
    from annotator.services.project import MergeResult, _claim, _fill

    results: list[MergeResult] = []
    incoming = iter(claims)
    names: dict[str | None, str] = {}
    with service.database.writing() as session:
        while batch := list(islice(incoming, batch_size)):
            ids = {c.id for c in batch}
            rows = {row.id: row for row in session.scalars(
                select(ClaimRow).where(ClaimRow.id.in_(ids)))}
            work = _Batch(session, names)
            if rows or len(ids) < len(batch):     # history may be kept: what is there?
                work.kept.update((key, stamp) for key, stamp in session.execute(
                    select(ClaimHistoryRow.claim_id, ClaimHistoryRow.updated_at)
                    .where(ClaimHistoryRow.claim_id.in_(ids))))
            new: dict[str, Claim] = {}    # added in this batch (the same id again compares)
            for claim in batch:
                row = rows.get(claim.id)
                pending = new.get(claim.id)
                if row is None and pending is None:
                    new[claim.id] = claim
                    results.append(MergeResult.ADDED)
                elif pending is not None:
                    if claim.updated_at > pending.updated_at:
                        work.keep(dataclasses.replace(
                            pending, version=1,
                            source_name=work.source_name(pending.source_id)))
                        new[claim.id] = claim
                        results.append(MergeResult.UPDATED)
                    else:
                        if claim.updated_at < pending.updated_at:
                            work.keep(claim)
                        results.append(MergeResult.UNCHANGED)
                elif claim.updated_at > row.updated_at:
                    work.keep(_claim(row, work.source_name(row.source_id)))
                    _fill(row, claim)
                    results.append(MergeResult.UPDATED)
                else:
                    if claim.updated_at < row.updated_at:
                        work.keep(claim)
                    results.append(MergeResult.UNCHANGED)
            if new:
                session.execute(insert(ClaimRow.__table__),
                                [claim_row_values(claim) for claim in new.values()])
            session.flush()
    return results

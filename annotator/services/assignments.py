"""Blind double coding: documents assigned to analysts, their done marks, what
each analyst may see of colleagues' claims, and the reviewer's queue.

* :meth:`AssignmentService.assign` writes the plan of
  :func:`~annotator.domain.assignments.plan_assignments`; run again, it adds only
  what is missing and never removes or changes an assignment (an analyst's
  started work stays theirs).
* A document assigned to two or more analysts is *blind* for each of them until
  every one has marked their assignment done: they see only their own claims on
  it (and claims with no analyst's name). :func:`blind_documents_query` is the
  one definition; the window reads claims through :meth:`visible_annotators`, and
  a team server enforces the same rule itself (``annotator/storage/team.py``).
* :meth:`AssignmentService.queue` lists the documents every assignee has
  finished, most disagreement first: by the number of units (matched claims)
  that the assignees did not mark alike (span and labels), then by
  1 − the span F1 of the assignees' claims (overlap matching, averaged over
  pairs of assignees).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select, update

from annotator.domain.assignments import AssignmentState, plan_assignments
from annotator.domain.model import utc_now
from annotator.review import Matching
from annotator.review.agreement import document_span_scores
from annotator.services.project import NotFoundError, ProjectService, _timestamp
from annotator.services.review import DEFAULT_MATCHING, _compared
from annotator.storage.errors import not_yours
from annotator.storage.models import AssignmentRow, DocumentRow


@dataclass(frozen=True, slots=True)
class Assignment:
    document_id: str
    analyst: str
    status: str
    assigned_by: str
    assigned_at: datetime
    done_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "analyst": self.analyst,
                "status": self.status, "assigned_by": self.assigned_by,
                "assigned_at": self.assigned_at.isoformat(),
                "done_at": self.done_at.isoformat() if self.done_at else None}


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A document every assignee finished, with how much they disagree."""

    document_id: str
    title: str
    analysts: tuple[str, ...]
    units: int                  # matched claims (units) in the comparison
    differences: int            # units not marked alike by every assignee
    span_f1: float | None       # mean overlap span F1 over pairs (None: no spans)
    review_status: str

    @property
    def disagreement(self) -> float:
        """1 − span F1 (0 when nobody marked a span)."""
        return 0.0 if self.span_f1 is None else 1.0 - self.span_f1

    def to_json(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "title": self.title,
                "analysts": list(self.analysts), "units": self.units,
                "differences": self.differences, "span_f1": self.span_f1,
                "disagreement": round(self.disagreement, 4),
                "review_status": self.review_status}


def _assignment(row: AssignmentRow) -> Assignment:
    return Assignment(row.document_id, row.analyst, row.status, row.assigned_by,
                      _timestamp(row.assigned_at),
                      _timestamp(row.done_at) if row.done_at is not None else None)


def open_documents_query() -> Select[Any]:
    """Ids of the documents coded by two or more analysts, not all of them done."""
    return (select(AssignmentRow.document_id).group_by(AssignmentRow.document_id)
            .having(func.count() >= 2,
                    func.sum(case((AssignmentRow.status != "done", 1), else_=0)) > 0))


def blind_documents_query(analyst: str) -> Select[Any]:
    """Ids of the documents blind for ``analyst``: assigned to them and to someone
    else, and not yet done by every assignee (see the module doc)."""
    return open_documents_query().where(AssignmentRow.document_id.in_(
        select(AssignmentRow.document_id).where(AssignmentRow.analyst == analyst)))


class AssignmentService:
    """Assignments of one project (shares its :class:`ProjectService`)."""

    def __init__(self, project: ProjectService) -> None:
        self.project = project
        self.database = project.database

    # Assigning ---------------------------------------------------------------------

    def assign(self, analysts: Iterable[str], overlap: float, *, seed: int | None = None,
               document_ids: Iterable[str] | None = None,
               assigned_by: str = "") -> list[Assignment]:
        """Assign ``document_ids`` (every current document: the newest versions)
        to ``analysts`` with ``overlap`` of them coded twice; documents already
        assigned keep their assignees. Returns the assignments added, in one
        transaction (none when the plan stands already)."""
        now = utc_now()
        added: list[Assignment] = []
        with self.database.writing() as session:
            known = set(session.scalars(select(DocumentRow.id)))
            if document_ids is None:
                replaced = {p for p in session.scalars(select(DocumentRow.previous_id))
                            if p is not None}
                wanted = sorted(known - replaced)
            else:
                wanted = sorted(set(document_ids))
                missing = [d for d in wanted if d not in known]
                if missing:
                    raise NotFoundError(f"no document {', '.join(missing[:3])}"
                                        + (" …" if len(missing) > 3 else ""))
            existing: dict[str, list[str]] = defaultdict(list)
            for doc, analyst in session.execute(
                    select(AssignmentRow.document_id, AssignmentRow.analyst)):
                existing[doc].append(analyst)
            plan = plan_assignments(wanted, analysts, overlap, seed, existing=existing)
            for doc, names in plan.items():
                for name in names:
                    if name in existing.get(doc, ()):
                        continue
                    row = AssignmentRow(document_id=doc, analyst=name, status="assigned",
                                        assigned_by=assigned_by, assigned_at=now)
                    session.add(row)
                    added.append(Assignment(doc, name, "assigned", assigned_by, now, None))
        return added

    def assignments(self, *, analyst: str | None = None) -> list[Assignment]:
        """Every assignment (``analyst``'s only, when given), by document and analyst."""
        query = select(AssignmentRow).order_by(AssignmentRow.document_id,
                                               AssignmentRow.analyst)
        if analyst is not None:
            query = query.where(AssignmentRow.analyst == analyst)
        with self.database.reading() as session:
            return [_assignment(row) for row in session.scalars(query)]

    def states_for(self, analyst: str) -> dict[str, AssignmentState]:
        """``analyst``'s assignments by document: their status, how many analysts
        code the document and how many others have not finished."""
        mine = select(AssignmentRow.document_id).where(AssignmentRow.analyst == analyst)
        query = select(AssignmentRow.document_id, AssignmentRow.analyst,
                       AssignmentRow.status).where(AssignmentRow.document_id.in_(mine))
        rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
        with self.database.reading() as session:
            for doc, name, status in session.execute(query):
                rows[doc].append((name, status))
        states = {}
        for doc, people in rows.items():
            own = next(status for name, status in people if name == analyst)
            waiting = sum(1 for name, status in people if name != analyst and status != "done")
            states[doc] = AssignmentState(own, len(people), waiting)
        return states

    def set_done(self, document_id: str, analyst: str, done: bool = True) -> str:
        """Mark ``analyst``'s own assignment on the document done (or not); the
        document's status becomes done when every assignee is done (and in progress
        again when one of them takes theirs back). Returns the assignment's previous
        status. One transaction."""
        status = "done" if done else "assigned"
        with self.database.writing() as session:
            row = session.get(AssignmentRow, (document_id, analyst))
            if row is None:
                raise NotFoundError(f"{analyst or '(no name)'} has no assignment on "
                                    f"document {document_id}")
            previous = row.status
            changed = session.execute(
                update(AssignmentRow)
                .where(AssignmentRow.document_id == document_id,
                       AssignmentRow.analyst == analyst)
                .values(status=status, done_at=utc_now() if done else None)
                .execution_options(synchronize_session=False))
            if changed.rowcount != 1:      # type: ignore[attr-defined]
                raise not_yours(self.database.where)
            session.expire(row)
            statuses = set(session.scalars(select(AssignmentRow.status).where(
                AssignmentRow.document_id == document_id)))
            document = session.get(DocumentRow, document_id)
            assert document is not None
            if statuses == {"done"}:
                document.status = "done"
            elif document.status == "done":
                document.status = "in_progress"
        return previous

    # Blindness ---------------------------------------------------------------------

    def blind_documents(self, analyst: str) -> set[str]:
        """Documents on which ``analyst`` sees only their own claims for now."""
        with self.database.reading() as session:
            return set(session.scalars(blind_documents_query(analyst)))

    def visible_annotators(self, document_id: str, analyst: str,
                           wanted: Collection[str] | None) -> Collection[str] | None:
        """Whose claims ``analyst`` may read on the document, of ``wanted`` (None:
        everyone's): only their own (and unnamed claims) while it is blind."""
        with self.database.reading() as session:
            blind = session.scalar(blind_documents_query(analyst).where(
                AssignmentRow.document_id == document_id)) is not None
        if not blind:
            return wanted
        own = {analyst, ""}
        return own if wanted is None else own & set(wanted)

    # The reviewer's queue ----------------------------------------------------------

    def queue(self, matching: Matching = DEFAULT_MATCHING) -> list[QueueEntry]:
        """Documents coded by two or more analysts who all marked them done, most
        disagreement first (see the module doc)."""
        people: dict[str, list[str]] = defaultdict(list)
        finished = (select(AssignmentRow.document_id).group_by(AssignmentRow.document_id)
                    .having(func.count() >= 2,
                            func.sum(case((AssignmentRow.status != "done", 1), else_=0)) == 0))
        entries = []
        with self.database.reading() as session:
            for doc, name in session.execute(
                    select(AssignmentRow.document_id, AssignmentRow.analyst)
                    .where(AssignmentRow.document_id.in_(finished))
                    .order_by(AssignmentRow.analyst)):
                people[doc].append(name)
            about = {doc: (title, review) for doc, title, review in session.execute(
                select(DocumentRow.id, DocumentRow.title, DocumentRow.review_status)
                .where(DocumentRow.id.in_(list(people))))}
            connection = session.connection()
            for doc, names in people.items():
                analysts = tuple(names)
                compared = next(_compared(connection, analysts, matching, [doc]))
                scores = [s.f1 for s in document_span_scores(compared, matching).values()
                          if s.f1 is not None]
                f1 = math.fsum(scores) / len(scores) if scores else None
                title, review = about[doc]
                entries.append(QueueEntry(doc, title, analysts, len(compared.units),
                                          len(compared.differences), f1, review))
        entries.sort(key=lambda e: (-e.differences, -e.disagreement, e.title.casefold(),
                                    e.document_id))
        return entries


def assigned_analysts(assignments: Sequence[Assignment]) -> dict[str, list[Assignment]]:
    """Assignments grouped by document, in the order given."""
    grouped: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        grouped[assignment.document_id].append(assignment)
    return dict(grouped)

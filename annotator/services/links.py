"""Confirmed links between claims across documents: clusters of the same claim,
evidence that supports or refutes a claim, and the corroboration they give.

A link ``(claim_id, target_id, relation)`` reads "target <relation> claim": the
target states the same claim (``same``, symmetric: it makes clusters), or
supports, refutes or gives not enough information about it. Between two claims
there is at most one link, whichever way it points. Links hold plain ids: a
link whose claim or target is gone is dormant and every reader here ignores it
(undoing the deletion brings it back).

Each change is one transaction. :func:`remove_link` returns the removed link,
which :func:`restore_link` puts back as it was (undo); :func:`add_link` takes
the id and time to reuse (redo). Independence and the suggested credibility are
defined in :mod:`annotator.domain.clusters`; they are derived on reading and
never written to a claim.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from annotator.domain import clusters, figures
from annotator.domain.model import Claim, utc_now
from annotator.services.project import NotFoundError, ProjectService, _claim, _claims_query
from annotator.storage.errors import not_yours
from annotator.storage.models import LINK_RELATIONS, ClaimLinkRow, ClaimRow, DocumentRow

__all__ = ["LINK_RELATIONS", "Appearance", "Link", "LinkError", "LinkedClaim", "add_link",
           "all_links", "cluster_of", "corroboration", "link_between", "links_of",
           "merge_links", "remove_link", "restore_link", "suggested_credibility"]

#: Relations that are evidence (not the same claim).
EVIDENCE_RELATIONS = ("supports", "refutes", "not_enough_info")

_RELATION_TEXT = {"same": "same claim", "supports": "supports",
                  "refutes": "refutes", "not_enough_info": "not enough info"}


class LinkError(ValueError):
    """A link that cannot be made (same claim twice, unknown relation, already linked)."""


@dataclass(frozen=True, slots=True)
class Link:
    id: str
    claim_id: str
    target_id: str
    relation: str
    analyst: str = ""
    created_at: datetime = field(default_factory=utc_now)

    def other(self, claim_id: str) -> str:
        return self.target_id if claim_id == self.claim_id else self.claim_id


@dataclass(frozen=True, slots=True)
class Appearance:
    """A claim with where it appears: its document's title and publisher, and its
    origin for independence (:func:`annotator.domain.clusters.origin`)."""

    claim: Claim
    document_title: str
    publisher: str

    @property
    def origin(self) -> str:
        return clusters.origin(self.claim.source_id, self.publisher, self.claim.document_id)

    @property
    def source_text(self) -> str:
        """Who stands behind it, as shown: the claim's source, else the publisher."""
        return self.claim.source_name or self.publisher


@dataclass(frozen=True, slots=True)
class LinkedClaim:
    """A link seen from one of its claims: the ``other`` claim and which way it points."""

    link: Link
    other: Appearance
    #: True when the seen claim is the link's claim (so ``other`` is its target:
    #: "other <relation> this"); False when the seen claim is the target.
    outgoing: bool

    @property
    def relation(self) -> str:
        return self.link.relation

    @property
    def reading(self) -> str:
        """The link read from the seen claim: ``supports this``, ``this refutes it``."""
        text = _RELATION_TEXT[self.link.relation]
        if self.link.relation == "same":
            return text
        if self.link.relation == "not_enough_info":
            return "not enough info on this" if self.outgoing else "this: not enough info on it"
        return f"{text} this" if self.outgoing else f"this {text} it"


def _link(row: ClaimLinkRow) -> Link:
    return Link(id=row.id, claim_id=row.claim_id, target_id=row.target_id,
                relation=row.relation, analyst=row.analyst, created_at=row.created_at)


def _between(a: str, b: str):  # type: ignore[no-untyped-def]
    return or_(and_(ClaimLinkRow.claim_id == a, ClaimLinkRow.target_id == b),
               and_(ClaimLinkRow.claim_id == b, ClaimLinkRow.target_id == a))


def _check(session: Session, link: Link) -> None:
    if link.relation not in LINK_RELATIONS:
        raise LinkError(f"unknown relation {link.relation!r} (one of {', '.join(LINK_RELATIONS)})")
    if link.claim_id == link.target_id:
        raise LinkError("a claim cannot be linked to itself")
    found = set(session.scalars(select(ClaimRow.id).where(
        ClaimRow.id.in_([link.claim_id, link.target_id]))))
    for claim_id in (link.claim_id, link.target_id):
        if claim_id not in found:
            raise NotFoundError(f"no claim {claim_id}")
    existing = session.scalar(select(ClaimLinkRow).where(_between(link.claim_id,
                                                                  link.target_id)))
    if existing is not None:
        raise LinkError(f"the claims are already linked ({_RELATION_TEXT[existing.relation]})")


def add_link(service: ProjectService, claim_id: str, target_id: str, relation: str, *,
             analyst: str, link_id: str | None = None,
             created_at: datetime | None = None) -> Link:
    """Link ``target_id`` to ``claim_id`` ("target <relation> claim"); both claims
    must exist and not be linked yet. ``link_id`` and ``created_at`` redo an undone
    link as it was."""
    link = Link(id=link_id or str(uuid.uuid4()), claim_id=claim_id, target_id=target_id,
                relation=relation, analyst=analyst, created_at=created_at or utc_now())
    return restore_link(service, link)


def restore_link(service: ProjectService, link: Link) -> Link:
    """Store ``link`` as it is (id, analyst and time kept): undoing a removal."""
    with service.database.writing() as session:
        _check(session, link)
        session.add(ClaimLinkRow(id=link.id, claim_id=link.claim_id,
                                 target_id=link.target_id, relation=link.relation,
                                 analyst=link.analyst, created_at=link.created_at))
    return link


def remove_link(service: ProjectService, link_id: str) -> Link:
    """Remove a link; returns it, for :func:`restore_link` to undo the removal."""
    with service.database.writing() as session:
        row = session.get(ClaimLinkRow, link_id)
        if row is None:
            raise NotFoundError(f"no link {link_id}")
        link = _link(row)
        # A colleague's link on a team server: row-level security deletes nothing.
        removed = session.execute(delete(ClaimLinkRow).where(ClaimLinkRow.id == link_id)
                                  .execution_options(synchronize_session=False))
        if removed.rowcount != 1:      # type: ignore[attr-defined]
            raise not_yours(service.database.where)
    return link


def link_between(service: ProjectService, a: str, b: str) -> Link | None:
    """The link between two claims, whichever way it points (dormant ones too)."""
    with service.database.reading() as session:
        row = session.scalar(select(ClaimLinkRow).where(_between(a, b)))
        return None if row is None else _link(row)


def _appearances(session: Session, claim_ids: Iterable[str]) -> dict[str, Appearance]:
    ids = sorted(set(claim_ids))
    found: dict[str, Appearance] = {}
    for start in range(0, len(ids), 500):
        query = (_claims_query().add_columns(DocumentRow.title, DocumentRow.source)
                 .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
                 .where(ClaimRow.id.in_(ids[start:start + 500])))
        for row, source_name, title, publisher in session.execute(query):
            found[row.id] = Appearance(_claim(row, source_name), title, publisher or "")
    return found


def _order(appearance: Appearance) -> tuple:
    return (appearance.document_title.casefold(), appearance.claim.document_id,
            appearance.claim.start, appearance.claim.end, appearance.claim.id)


def links_of(service: ProjectService, claim_id: str) -> list[LinkedClaim]:
    """Every live link of a claim, both ways (``same`` first, then supports,
    refutes, not enough info; then by document and place)."""
    with service.database.reading() as session:
        rows = [_link(row) for row in session.scalars(select(ClaimLinkRow).where(
            or_(ClaimLinkRow.claim_id == claim_id, ClaimLinkRow.target_id == claim_id)))]
        if not rows:
            return []
        seen = _appearances(session, [claim_id] + [link.other(claim_id) for link in rows])
    if claim_id not in seen:
        return []
    linked = [LinkedClaim(link, seen[link.other(claim_id)], link.claim_id == claim_id)
              for link in rows if link.other(claim_id) in seen]
    linked.sort(key=lambda item: (LINK_RELATIONS.index(item.relation), _order(item.other)))
    return linked


def _cluster_ids(session: Session, claim_id: str) -> set[str]:
    """The live claims joined to ``claim_id`` by ``same`` links through live claims."""
    if session.scalar(select(ClaimRow.id).where(ClaimRow.id == claim_id)) is None:
        return set()
    members, frontier = {claim_id}, {claim_id}
    while frontier:
        batch = sorted(frontier)
        frontier = set()
        for start in range(0, len(batch), 500):
            part = batch[start:start + 500]
            rows = session.execute(select(ClaimLinkRow.claim_id, ClaimLinkRow.target_id)
                                   .where(ClaimLinkRow.relation == "same",
                                          or_(ClaimLinkRow.claim_id.in_(part),
                                              ClaimLinkRow.target_id.in_(part))))
            pairs = list(rows)
            neighbours = {x for pair in pairs for x in pair} - members
            if neighbours:
                live = set(session.scalars(select(ClaimRow.id).where(
                    ClaimRow.id.in_(sorted(neighbours)))))
                members |= live
                frontier |= live
    return members


def cluster_of(service: ProjectService, claim_id: str) -> list[Appearance]:
    """The claim and every claim confirmed to be the same (transitively), each
    with its document: by document title and place. Empty for a missing claim."""
    with service.database.reading() as session:
        members = _cluster_ids(session, claim_id)
        found = _appearances(session, members)
    return sorted(found.values(), key=_order)


def corroboration(cluster: Sequence[Appearance]) -> int:
    """The number of distinct independent sources among a cluster's appearances
    (see :mod:`annotator.domain.clusters`: the claim's source, else the
    document's publisher, else the document)."""
    return clusters.corroboration(appearance.origin for appearance in cluster)


def suggested_credibility(count: int) -> int | None:
    """Admiralty credibility ``count`` independent sources suggest (never set by
    itself): see :func:`annotator.domain.clusters.suggested_credibility`."""
    return clusters.suggested_credibility(count)


def all_links(service: ProjectService, *, live_only: bool = True) -> list[Link]:
    """Every link (those whose two claims exist, unless ``live_only`` is False), in
    creation order."""
    with service.database.reading() as session:
        links = [_link(row) for row in session.scalars(
            select(ClaimLinkRow).order_by(ClaimLinkRow.created_at, ClaimLinkRow.id))]
        if not live_only or not links:
            return links
        ids = sorted({x for link in links for x in (link.claim_id, link.target_id)})
        live: set[str] = set()
        for start in range(0, len(ids), 500):
            live.update(session.scalars(select(ClaimRow.id).where(
                ClaimRow.id.in_(ids[start:start + 500]))))
    return [link for link in links if link.claim_id in live and link.target_id in live]


def merge_links(service: ProjectService, links: Iterable[Link]) -> int:
    """Store links brought in from elsewhere (an import), in one transaction:
    those whose two claims are not linked yet; returns how many were added. Ids
    already taken get new ones; a link to a claim not here is kept dormant."""
    added = 0
    with service.database.writing() as session:
        pairs = {frozenset(pair) for pair in session.execute(
            select(ClaimLinkRow.claim_id, ClaimLinkRow.target_id))}
        ids = set(session.scalars(select(ClaimLinkRow.id)))
        for link in links:
            pair = frozenset((link.claim_id, link.target_id))
            if (len(pair) != 2 or pair in pairs or link.relation not in LINK_RELATIONS):
                continue
            link_id = link.id if link.id not in ids else str(uuid.uuid4())
            session.add(ClaimLinkRow(id=link_id, claim_id=link.claim_id,
                                     target_id=link.target_id, relation=link.relation,
                                     analyst=link.analyst, created_at=link.created_at))
            pairs.add(pair)
            ids.add(link_id)
            added += 1
    return added


def clusters_for(service: ProjectService, claim_ids: Iterable[str]) -> dict[str, list[Appearance]]:
    """The cluster of each of ``claim_ids`` (as :func:`cluster_of`), read at once:
    every ``same`` link is read and joined (:class:`~annotator.domain.clusters.UnionFind`)
    through live claims. A missing claim gets an empty list."""
    wanted = sorted(set(claim_ids))
    with service.database.reading() as session:
        pairs = list(session.execute(select(ClaimLinkRow.claim_id, ClaimLinkRow.target_id)
                                     .where(ClaimLinkRow.relation == "same")))
        ends = sorted({x for pair in pairs for x in pair} | set(wanted))
        live: set[str] = set()
        for start in range(0, len(ends), 500):
            live.update(session.scalars(select(ClaimRow.id).where(
                ClaimRow.id.in_(ends[start:start + 500]))))
        joined = clusters.UnionFind(x for x in wanted if x in live)
        for a, b in pairs:
            if a in live and b in live:
                joined.union(a, b)
        groups = {frozenset(g) for g in joined.groups()}
        member_of = {x: group for group in groups for x in group}
        needed = set().union(*(member_of[x] for x in wanted if x in member_of))
        found = _appearances(session, needed)
    return {x: sorted((found[m] for m in member_of.get(x, ()) if m in found), key=_order)
            for x in wanted}


@dataclass(frozen=True, slots=True)
class FigureConflict:
    """Two appearances whose figures disagree (``589 billion`` vs ``600 billion``)."""

    first: Appearance
    second: Appearance
    conflict: figures.Conflict

    def describe(self) -> str:
        return (f"{self.conflict.first.describe()} ({self.first.document_title}) vs "
                f"{self.conflict.second.describe()} ({self.second.document_title})")


def figure_conflicts(appearances: Sequence[Appearance]) -> list[FigureConflict]:
    """The figures that disagree between the quotes of ``appearances`` (a cluster,
    or the claims of a proposition), by :func:`annotator.domain.figures.conflicting_figures`;
    two claims of one document are compared too."""
    by_id = {appearance.claim.id: appearance for appearance in appearances}
    found = figures.conflicting_figures(
        (appearance.claim.id, appearance.claim.quote) for appearance in appearances)
    return [FigureConflict(by_id[c.first_id], by_id[c.second_id], c)  # type: ignore[index]
            for c in found]


def figure_conflicts_with(appearance: Appearance,
                          others: Iterable[Appearance]) -> list[FigureConflict]:
    """The figures of ``appearance`` that disagree with those of each of
    ``others`` (its figures read once)."""
    own = figures.extract(appearance.claim.quote)
    if not own:
        return []
    found: list[FigureConflict] = []
    for other in others:
        if other.claim.id == appearance.claim.id:
            continue
        for conflict in figures.conflicting_figures(
                [(appearance.claim.id, own), (other.claim.id, other.claim.quote)]):
            found.append(FigureConflict(appearance, other, conflict))
    return found


#: The most claims of one proposition the claim panel compares figures with.
PROPOSITION_LIMIT = 500


def proposition_appearances(service: ProjectService, proposition: str, *,
                            limit: int = PROPOSITION_LIMIT) -> list[Appearance]:
    """The claims of ``proposition`` (at most ``limit``, oldest first), with
    their documents."""
    if not proposition:
        return []
    with service.database.reading() as session:
        ids = list(session.scalars(select(ClaimRow.id).where(
            ClaimRow.proposition == proposition).order_by(ClaimRow.created_at,
                                                          ClaimRow.id).limit(limit)))
        found = _appearances(session, ids)
    return sorted(found.values(), key=_order)

"""Claim links, clusters and dismissed passages as they travel in exports and
come back in imports.

Export: every claim record gets ``links`` (the links stored on it: "target
<relation> this claim"), ``cluster`` (the smallest claim id of the claims joined
to it by ``same`` links, its own id when none) and ``dismissed`` (the passages
its analyst said do not state it), read one document at a time
(:func:`with_relations`). A dataset package adds ``links.jsonl`` (one record a
link, :func:`link_records`) and ``fever.jsonl`` (FEVER-style claim–evidence
records, :func:`fever_records`).

Import: :class:`Relations` collects what the records carry while their claims
are read, and :func:`store_relations` stores it once the claims are in: a link
whose claim or target is not in the project, or a dismissal whose claim or
document is not, is left out and reported; what is already there is not added
again, so importing twice adds nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, or_, select

from annotator.domain.clusters import clusters as cluster_groups
from annotator.domain.wording import plural
from annotator.formats import claims as claim_format
from annotator.formats.claims import DismissalRecord, LinkRecord
from annotator.formats.problems import ImportProblem
from annotator.services import links as link_service
from annotator.services.project import ProjectService
from annotator.storage import team
from annotator.storage.models import CandidateDismissalRow, ClaimLinkRow, ClaimRow, DocumentRow

_LINKS = ClaimLinkRow.__table__
_DISMISSALS = CandidateDismissalRow.__table__
_CLAIMS = ClaimRow.__table__
_DOCUMENTS = DocumentRow.__table__
#: FEVER's labels, by relation (``same`` is no FEVER label: it is left out).
FEVER_LABELS = {"supports": "SUPPORTS", "refutes": "REFUTES",
                "not_enough_info": "NOT ENOUGH INFO"}


def _iso(value: object) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return claim_format.format_timestamp(value)


def _live_links() -> tuple[Any, Any, Any]:
    """Links whose claim and target both exist (readers ignore the others)."""
    claim, target = _CLAIMS.alias("link_claim"), _CLAIMS.alias("link_target")
    return (select(_LINKS.c.id, _LINKS.c.claim_id, _LINKS.c.target_id, _LINKS.c.relation,
                   _LINKS.c.analyst, _LINKS.c.created_at)
            .join(claim, claim.c.id == _LINKS.c.claim_id)
            .join(target, target.c.id == _LINKS.c.target_id)), claim, target


def clusters(conn: Connection) -> dict[str, str]:
    """Claim id → its cluster's id (the smallest claim id of the claims joined by
    ``same`` links), for the claims in a cluster of two or more."""
    query, _, _ = _live_links()
    pairs = ((row.claim_id, row.target_id)
             for row in conn.execute(query.where(_LINKS.c.relation == "same")))
    return {member: min(group) for group in cluster_groups(pairs) for member in group}


def _link(row: Any) -> dict[str, Any]:
    return {"id": row.id, "target_id": row.target_id, "relation": row.relation,
            "analyst": row.analyst, "created_at": _iso(row.created_at)}


def _document_relations(conn: Connection, document_id: str) -> tuple[
        dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The links and dismissals of a document's claims, by claim id."""
    query, claim, _ = _live_links()
    links: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(query.where(claim.c.document_id == document_id)
                            .order_by(_LINKS.c.created_at, _LINKS.c.id)):
        links.setdefault(row.claim_id, []).append(_link(row))
    dismissed: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(
            select(_DISMISSALS).join(_CLAIMS, _CLAIMS.c.id == _DISMISSALS.c.claim_id)
            .where(_CLAIMS.c.document_id == document_id)
            .order_by(_DISMISSALS.c.document_id, _DISMISSALS.c.start, _DISMISSALS.c.end,
                      _DISMISSALS.c.id)):
        dismissed.setdefault(row.claim_id, []).append({
            "document_id": row.document_id, "start": row.start, "end": row.end,
            "analyst": row.analyst, "created_at": _iso(row.created_at)})
    return links, dismissed


#: The export formats whose records carry links, clusters and dismissed passages
#: (the others leave them out: their columns or structures do not hold them).
RELATION_FORMATS = frozenset({"jsonl", "w3c", "package"})


def with_relations(conn: Connection, records: Iterable[dict[str, Any]], gold: bool = False,
                   fmt: str = "jsonl") -> Iterable[dict[str, Any]]:
    """Claim records (in document order) with ``links``, ``cluster`` and
    ``dismissed`` added when ``fmt`` holds them; gold claims have no links (their
    own id their cluster)."""
    return _with_relations(conn, records, gold) if fmt in RELATION_FORMATS else records


def _with_relations(conn: Connection, records: Iterable[dict[str, Any]],
                    gold: bool) -> Iterator[dict[str, Any]]:
    cluster = {} if gold else clusters(conn)
    current: str | None = None
    links: dict[str, list[dict[str, Any]]] = {}
    dismissed: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        claim_id = record["id"]
        if not gold and record["document_id"] != current:
            current = record["document_id"]
            links, dismissed = _document_relations(conn, current)
        record["links"] = links.get(claim_id, [])
        record["cluster"] = cluster.get(claim_id, claim_id)
        record["dismissed"] = dismissed.get(claim_id, [])
        yield record


def _scoped_links(conn: Connection, claim_ids: Any) -> Iterator[Any]:
    """Live links whose claim is one of ``claim_ids`` (a select of ids), in order."""
    query, claim, _ = _live_links()
    yield from conn.execute(query.where(claim.c.id.in_(claim_ids))
                            .order_by(_LINKS.c.created_at, _LINKS.c.id))


def link_records(conn: Connection, claim_ids: Any) -> Iterator[dict[str, Any]]:
    """``links.jsonl``: one record a link of the claims in ``claim_ids``."""
    for row in _scoped_links(conn, claim_ids):
        yield {"claim_id": row.claim_id, **_link(row)}


def fever_records(conn: Connection, claim_ids: Any) -> Iterator[dict[str, Any]]:
    """``fever.jsonl``: per claim and relation (supports, refutes, not enough
    info), ``{id, claim_id, claim, label, evidence}`` where ``claim`` is the
    claim's proposition (its quote when it has none) and ``evidence`` lists the
    linked claims as ``[document id, start, end, quote]``."""
    query, claim, target = _live_links()
    query = (query.add_columns(claim.c.proposition, claim.c.quote, target.c.document_id,
                               target.c.start, target.c.end, target.c.quote.label("evidence"))
             .where(claim.c.id.in_(claim_ids), _LINKS.c.relation.in_(FEVER_LABELS))
             .order_by(claim.c.document_id, claim.c.start, claim.c.end, claim.c.id,
                       _LINKS.c.relation, target.c.document_id, target.c.start,
                       target.c.end, target.c.id))
    pending: dict[str, Any] | None = None
    for row in conn.execute(query):
        key = f"{row.claim_id}:{row.relation}"
        if pending is None or pending["id"] != key:
            if pending is not None:
                yield pending
            pending = {"id": key, "claim_id": row.claim_id,
                       "claim": row.proposition or row.quote,
                       "label": FEVER_LABELS[row.relation], "evidence": []}
        pending["evidence"].append([row.document_id, row.start, row.end, row.evidence])
    if pending is not None:
        yield pending


def package_relations(conn: Connection, table: Any, filters: list[Any]) -> Callable[
        [], tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]]:
    """For a package: what writes ``links.jsonl`` and ``fever.jsonl`` for the
    claims of ``table`` (the analysts' or the gold layer) that ``filters`` keep."""
    ids = (select(table.c.id).select_from(
        table.join(_DOCUMENTS, _DOCUMENTS.c.id == table.c.document_id)).where(*filters))
    return lambda: (link_records(conn, ids), fever_records(conn, ids))


# Import -------------------------------------------------------------------------------

@dataclass
class Relations:
    """The links and dismissals claim records carry, collected as their claims
    are read (see :func:`annotator.services.transfer.read_claims`)."""

    links: list[tuple[str, int | None, LinkRecord]] = field(default_factory=list)
    dismissals: list[tuple[str, int | None, DismissalRecord]] = field(default_factory=list)

    def read(self, record: dict[str, Any], claim_id: str, where: str | Path,
             line: int | None, problems: list[ImportProblem]) -> None:
        try:
            links = claim_format.links_from_record(record, claim_id)
            dismissals = claim_format.dismissals_from_record(record, claim_id)
        except (ValueError, TypeError) as error:
            problems.append(ImportProblem(where, f"links: {error}", line=line))
            return
        self.links += [(str(where), line, link) for link in links]
        self.dismissals += [(str(where), line, item) for item in dismissals]


def relations_summary(links: int, dismissals: int) -> str:
    """", 2 links added, 1 dismissed passage added" for an import's summary."""
    return "".join(f", {plural(count, what)} added"
                   for count, what in ((links, "link"), (dismissals, "dismissed passage"))
                   if count)


@dataclass
class RelationsStored:
    links: int = 0
    dismissals: int = 0


def _existing(session: Any, table: Any, ids: set[str]) -> set[str]:
    found: set[str] = set()
    items = sorted(ids)
    for start in range(0, len(items), 500):
        found.update(session.execute(select(table.c.id).where(
            table.c.id.in_(items[start:start + 500]))).scalars())
    return found


def store_relations(service: ProjectService, relations: Relations,
                    problems: list[ImportProblem]) -> RelationsStored:
    """Store the collected links and dismissals (after their claims). Left out
    and reported: a link whose claim or target is not in the project, a
    dismissal whose claim or document is not, or that ends past its text. Not
    added again: a link between two claims already linked (either way round; a
    different relation there is reported and the project's kept,
    :func:`annotator.services.links.merge_links` stores the rest), the same
    dismissal (one transaction)."""
    stored = RelationsStored()
    if not relations.links and not relations.dismissals:
        return stored
    with service.database.reading() as session:
        claims = _existing(session, _CLAIMS, {
            end for _, _, link in relations.links for end in (link.claim_id, link.target_id)}
            | {item.claim_id for _, _, item in relations.dismissals})
        pairs: dict[frozenset[str], str] = {}
        near = sorted(claims)
        for start in range(0, len(near), 500):
            part = near[start:start + 500]
            for row in session.execute(select(_LINKS.c.claim_id, _LINKS.c.target_id,
                                              _LINKS.c.relation)
                                       .where(or_(_LINKS.c.claim_id.in_(part),
                                                  _LINKS.c.target_id.in_(part)))):
                pairs[frozenset((row.claim_id, row.target_id))] = row.relation
        member = team.current_member(session.connection())
    # On a team server an analyst adds only their own (the server refuses the
    # rest, which would fail the whole step): a colleague's are left out, said so.
    only = member[0] if member is not None and member[1] == "analyst" else None
    new: list[link_service.Link] = []
    for where, line, link in relations.links:
        missing = [end for end in (link.claim_id, link.target_id) if end not in claims]
        known = pairs.get(frozenset((link.claim_id, link.target_id)))
        if only is not None and link.analyst != only:
            problems.append(ImportProblem(where, f"link {link.claim_id} → {link.target_id}: "
                                          f"made by {link.analyst or 'no one named'}; on "
                                          "the team server only they add it; not imported",
                                          line=line))
        elif missing:
            problems.append(ImportProblem(where, f"link {link.claim_id} → {link.target_id}: "
                                          f"claim {missing[0]} is not in the project; link "
                                          "not imported", line=line))
        elif known is not None and known != link.relation:
            problems.append(ImportProblem(where, f"link {link.claim_id} → {link.target_id}: "
                                          f"{link.relation} here, {known} in the project; "
                                          "the project's kept", line=line))
        elif known is None:
            pairs[frozenset((link.claim_id, link.target_id))] = link.relation
            new.append(link_service.Link(link.id, link.claim_id, link.target_id,
                                         link.relation, link.analyst, link.created_at))
    if new:
        stored.links = link_service.merge_links(service, new)
    if not relations.dismissals:
        return stored
    with service.database.writing() as session:
        wanted = sorted({item.document_id for _, _, item in relations.dismissals})
        lengths: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            lengths.update((row[0], row[1]) for row in session.execute(
                select(_DOCUMENTS.c.id, func.length(_DOCUMENTS.c.text))
                .where(_DOCUMENTS.c.id.in_(wanted[start:start + 500]))))
        seen: set[tuple[str, str, int, int]] = set()
        dismissal_claims = sorted({item.claim_id for _, _, item in relations.dismissals})
        for start in range(0, len(dismissal_claims), 500):
            seen.update(tuple(row) for row in session.execute(
                select(_DISMISSALS.c.claim_id, _DISMISSALS.c.document_id,
                       _DISMISSALS.c.start, _DISMISSALS.c.end)
                .where(_DISMISSALS.c.claim_id.in_(dismissal_claims[start:start + 500]))))
        for where, line, item in relations.dismissals:
            length = lengths.get(item.document_id)
            absent = (f"made by {item.analyst or 'no one named'}; on the team server "
                      "only they add it" if only is not None and item.analyst != only
                      else f"claim {item.claim_id} is not in the project"
                      if item.claim_id not in claims
                      else f"document {item.document_id} is not in the project"
                      if length is None else f"it ends past the document's text ({length})"
                      if item.end > length else "")
            if absent:
                problems.append(ImportProblem(where, f"dismissed passage [{item.start}, "
                                f"{item.end}) of claim {item.claim_id}: {absent}; not "
                                "imported", line=line))
                continue
            key = (item.claim_id, item.document_id, item.start, item.end)
            if key in seen:
                continue
            session.add(CandidateDismissalRow(
                id=str(uuid.uuid4()), claim_id=item.claim_id, document_id=item.document_id,
                start=item.start, end=item.end, analyst=item.analyst,
                created_at=item.created_at))
            seen.add(key)
            stored.dismissals += 1
        session.flush()
    return stored

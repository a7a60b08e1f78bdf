"""What colleagues changed in a shared project since a window last looked.

Polling, on every backend: a window asks every few seconds (``ui/live.py``); on
a team server :class:`ChangeListener` also wakes it as soon as anyone saves.
Each question is small: the ``(id, version)`` pairs of the open document's
claims (read by the index on ``document_id``), each document's statuses and
claim counts (all and still incomplete: what the document list shows, so a
colleague's work in other documents shows there too), and the latest codebook
version's stamp, a stamp of the assignments (count, done, latest times: a
colleague's done mark or an admin's ``team assign``) and of the claim links
(count, latest: the links themselves are read only when it moved, to say which
claims gained or lost one). New documents (an import, a new version) show as
ids the token did not have. The answer is compared with what the window
holds (:func:`changes_since`), so the window's own saves never come back as
changes and nothing is missed between two polls: a claim's version counts its
saves (see ``ProjectService.replace_row``), and one missing from the stored ids
was deleted.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select

from annotator.domain.model import Claim
from annotator.domain.review import Adjudication
from annotator.services.codebook import CodebookService
from annotator.services.counts import claim_counts
from annotator.services.project import NotFoundError, ProjectService
from annotator.services.review import ReviewService
from annotator.storage.models import (
    AdjudicationRow,
    AssignmentRow,
    ClaimLinkRow,
    ClaimRow,
    CodebookVersionRow,
    DocumentRow,
    GoldClaimRow,
)

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Token:
    """What a window knows: its document's claims (id: version), every document's
    (status, review status), the codebook's stamp, and each document's claim
    counts (id: (claims, incomplete); documents without claims are left out),
    the assignments' stamp and the links' stamp with the links read at it
    (id: (claim, target)). ``None`` document: none open."""

    document_id: str | None = None
    claims: Mapping[str, int] = field(default_factory=dict)
    statuses: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    codebook: tuple[int, int] = (0, 0)
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    assignments: tuple[Any, ...] | None = None
    link_stamp: tuple[Any, ...] | None = None
    links: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: Under review, the document whose decisions the window holds, and they
    #: (adjudication id: its gold claim's version, 0 for a rejection).
    gold_document: str | None = None
    gold: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Changes:
    """Stored since the token: claims of the document added, changed (with the
    version the window had) and removed (ids), documents whose statuses changed
    (id: (status, review status)), whether the codebook changed, documents whose
    claim counts changed (id: (claims, incomplete), as stored now: any document,
    the open one too); and the token that says what is stored now. ``documents``:
    documents were added (an import, a new version) or removed; ``assignments``:
    an assignment was made, dropped, or marked done or not; ``linked``: the
    claims a link was added to or removed from (either end)."""

    added: list[Claim]
    changed: list[Claim]
    removed: list[str]
    statuses: dict[str, tuple[str, str]]
    codebook: bool
    token: Token
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    documents: bool = False
    assignments: bool = False
    linked: frozenset[str] = frozenset()
    #: Decisions on the token's gold document: made, taken back (ids), and whose
    #: gold claim was edited (as stored now).
    gold_added: list[Adjudication] = field(default_factory=list)
    gold_removed: list[str] = field(default_factory=list)
    gold_changed: list[Adjudication] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.statuses
                    or self.codebook or self.counts or self.documents
                    or self.assignments or self.linked or self.gold_added
                    or self.gold_removed or self.gold_changed)


def _link_state(session: Any, known: Token | None
                ) -> tuple[tuple[Any, ...], Mapping[str, tuple[str, str]]]:
    """The links' stamp, and the links themselves: read again only when the stamp
    moved from ``known``'s (a quiet project's links are not read)."""
    stamp = tuple(session.execute(select(
        func.count(), func.max(ClaimLinkRow.created_at), func.max(ClaimLinkRow.id))).one())
    if known is not None and known.link_stamp == stamp:
        return stamp, known.links
    return stamp, {key: (claim, target) for key, claim, target in session.execute(
        select(ClaimLinkRow.id, ClaimLinkRow.claim_id, ClaimLinkRow.target_id))}


def _assignment_stamp(session: Any) -> tuple[Any, ...]:
    """Moves when an assignment is added, dropped, or marked done or not done."""
    done = func.sum(case((AssignmentRow.status == "done", 1), else_=0))
    return tuple(session.execute(select(
        func.count(), done, func.max(AssignmentRow.assigned_at),
        func.max(AssignmentRow.done_at))).one())


#: Up to this many claims a look reads one by one (by id); more, the document's.
ONE_BY_ONE = 50


def _read_claims(service: ProjectService, document_id: str, text: str | None,
                 ids: set[str]) -> list[Claim]:
    """The claims ``ids`` of the document: a few by their ids (a colleague's save
    among 10,000 claims costs a look-up, not a read of them all), many with the
    document's (in text order either way). One deleted meanwhile is left out."""
    if len(ids) > ONE_BY_ONE:
        return [claim for claim in service.claims(document_id, text) if claim.id in ids]
    found = []
    for key in ids:
        with contextlib.suppress(NotFoundError):
            claim = service.claim(key)
            if claim.document_id == document_id:
                found.append(claim)
    return sorted(found, key=lambda c: (c.start, c.end, c.id))


def current_token(service: ProjectService, document_id: str | None,
                  wanted: Callable[[str], bool] | None = None,
                  counted: Collection[str] | None = None,
                  known: Token | None = None) -> Token:
    """What is stored now (for the claims of ``document_id``; with ``wanted``, only
    those of the analysts it accepts: the ones a window shows; the counts of the
    claims of ``counted`` only, when given: those its document list counts;
    ``known``: the last token, whose links stand while their stamp does)."""
    with service.database.reading() as session:
        claims: dict[str, int] = {}
        if document_id is not None:
            claims = {key: version for key, version, annotator in session.execute(
                select(ClaimRow.id, ClaimRow.version, ClaimRow.annotator).where(
                    ClaimRow.document_id == document_id))
                if wanted is None or wanted(annotator)}
        statuses = {key: (status, review) for key, status, review in session.execute(
            select(DocumentRow.id, DocumentRow.status, DocumentRow.review_status))}
        latest = session.execute(
            select(CodebookVersionRow.version, func.length(CodebookVersionRow.change))
            .order_by(CodebookVersionRow.version.desc()).limit(1)).first()
        counts = {key: (n, incomplete or 0) for key, n, incomplete in session.execute(
            claim_counts(CodebookService.load(session), counted))}
        assignments = _assignment_stamp(session)
        link_stamp, links = _link_state(session, known)
        gold_document = known.gold_document if known is not None else None
        gold: dict[str, int] = {}
        if gold_document is not None:     # by the index on the document
            gold = {key: version or 0 for key, version in session.execute(
                select(AdjudicationRow.id, GoldClaimRow.version)
                .outerjoin(GoldClaimRow, GoldClaimRow.adjudication_id == AdjudicationRow.id)
                .where(AdjudicationRow.document_id == gold_document))}
    return Token(document_id, claims, statuses,
                 (latest[0], latest[1] or 0) if latest is not None else (0, 0), counts,
                 assignments, link_stamp, links, gold_document, gold)


def claim_versions(service: ProjectService, claim_ids: Collection[str]) -> dict[str, int]:
    """The stored version of each of ``claim_ids`` (those that exist)."""
    ids = sorted(set(claim_ids))
    found: dict[str, int] = {}
    with service.database.reading() as session:
        for start in range(0, len(ids), 500):
            found.update({key: version for key, version in session.execute(
                select(ClaimRow.id, ClaimRow.version).where(
                    ClaimRow.id.in_(ids[start:start + 500])))})
    return found


def changes_since(service: ProjectService, token: Token, text: str | None = None,
                  wanted: Callable[[str], bool] | None = None,
                  counted: Collection[str] | None = None) -> Changes:
    """What was stored since ``token`` (see :class:`Changes`); ``text`` is the
    token's document text (quotes are cut from it, as when the document opened).
    ``wanted``: only the claims of the analysts it accepts count (a claim of
    another analyst is neither added nor, when the token holds it, removed);
    ``counted``: the analysts whose claims the counts count (None: all)."""
    now = current_token(service, token.document_id, wanted, counted, token)
    known = token.claims
    new = {key for key, version in now.claims.items() if key not in known}
    newer = {key for key, version in now.claims.items()
             if key in known and version > known[key]}
    removed = sorted(key for key in known if key not in now.claims)
    added: list[Claim] = []
    changed: list[Claim] = []
    if (new or newer) and token.document_id is not None:
        for claim in _read_claims(service, token.document_id, text, new | newer):
            if claim.id in new:
                added.append(claim)
            elif claim.id in newer:
                changed.append(claim)
    statuses = {key: value for key, value in now.statuses.items()
                if token.statuses.get(key, value) != value}
    codebook = token.codebook != (0, 0) and now.codebook != token.codebook
    counts = {key: now.counts.get(key, (0, 0))
              for key in now.counts.keys() | token.counts.keys()
              if now.counts.get(key, (0, 0)) != token.counts.get(key, (0, 0))}
    # Claims added or changed between the two reads are left for the next poll.
    seen = dict(now.claims)
    for claim in added + changed:
        seen[claim.id] = claim.version
    documents = token.statuses.keys() != now.statuses.keys()
    assignments = token.assignments is not None and token.assignments != now.assignments
    linked: set[str] = set()
    if token.link_stamp is not None and now.links is not token.links:
        for key in token.links.keys() ^ now.links.keys():
            linked.update(token.links.get(key) or now.links[key])
    gold_added: list[Adjudication] = []
    gold_changed: list[Adjudication] = []
    gold_removed = sorted(key for key in token.gold if key not in now.gold)
    fresh = {key for key in now.gold if key not in token.gold}
    edited = {key for key, version in now.gold.items()
              if key in token.gold and version > token.gold[key]}
    seen_gold = dict(now.gold)
    if (fresh or edited) and token.gold_document is not None:
        review = ReviewService(service)
        read: dict[str, Adjudication] = {}
        if len(fresh | edited) > ONE_BY_ONE:
            read = {a.id: a for a in review.adjudications(token.gold_document)}
        else:
            for key in fresh | edited:
                with contextlib.suppress(NotFoundError):
                    read[key] = review.adjudication(key)
        gold_added = [read[key] for key in sorted(fresh) if key in read]
        gold_changed = [read[key] for key in sorted(edited) if key in read]
        for adjudication in gold_added + gold_changed:   # as read (a later save: next look)
            seen_gold[adjudication.id] = (adjudication.gold.version
                                          if adjudication.gold is not None else 0)
    return Changes(added, changed, removed, statuses, codebook,
                   Token(now.document_id, seen, now.statuses, now.codebook, now.counts,
                         now.assignments, now.link_stamp, now.links,
                         now.gold_document, seen_gold),
                   counts, documents, assignments, frozenset(linked),
                   gold_added, gold_removed, gold_changed)


class ChangeProbe:
    """Whether anything may have changed since the last look, cheaply: on SQLite,
    ``PRAGMA data_version`` of a connection kept for it (it moves when any other
    connection commits, the window's own included); elsewhere always yes. Lets a
    poll of a quiet project cost a pragma rather than a read of every claim's
    version (12 ms for a document with 10,000 claims)."""

    def __init__(self, service: ProjectService) -> None:
        self._connection: Any = None
        self._seen: object = None
        if service.database.is_sqlite:
            proxied = service.database.engine.raw_connection()
            self._connection = proxied.driver_connection
            proxied.detach()

    def changed(self) -> bool:
        if self._connection is None:
            return True
        (version,) = self._connection.execute("PRAGMA data_version").fetchone()
        changed, self._seen = version != self._seen, version
        return changed

    def forget(self) -> None:
        """The look that followed failed: the next :meth:`changed` says yes."""
        self._seen = None

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


class ChangeListener:
    """On a team server, waits in a thread of its own for the ``NOTIFY`` the
    project's triggers send after each change (migration 0006) and calls
    ``wake`` (from that thread) so the window looks at once rather than at its
    next poll. On SQLite there is nothing to listen to: :meth:`start` says False
    and polling does it all. A lost connection ends the thread (logged); polling
    goes on."""

    WAIT = 0.5          # seconds between looks at the stop flag

    def __init__(self, service: ProjectService, wake: Callable[[], None]) -> None:
        self._service = service
        self._wake = wake
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: Any = None

    def start(self) -> bool:
        if self._service.database.is_sqlite:
            return False
        from psycopg import sql
        proxied = self._service.database.engine.raw_connection()
        connection = proxied.driver_connection
        proxied.detach()                       # its own, for as long as the window lives
        connection.rollback()
        connection.autocommit = True
        (schema,) = connection.execute("SELECT current_schema()").fetchone()
        connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(f"annotator_{schema}")))
        self._connection = connection
        self._thread = threading.Thread(target=self._run, name="annotator-listen",
                                        daemon=True)
        self._thread.start()
        return True

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                for _notice in self._connection.notifies(timeout=self.WAIT, stop_after=1):
                    self._wake()
        except Exception as error:     # the connection went: polling remains
            if not self._stop.is_set():
                _log.warning("stopped listening for colleagues' changes: %s", error)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None

"""Storing imported documents several to a transaction.

A folder's files are read a few at a time (:data:`BATCH_DOCUMENTS`, at most
:data:`BATCH_CHARS` of text) and stored together: one transaction, so one
durable commit for the lot instead of one per document (on a team server each
commit waits for the server's disk, and each transaction costs round trips).
When the project refuses one (a full disk, a lock held too long, a role), the
whole batch is rolled back and its documents are stored one at a time as
without batching (see ``transfer._Pending``): those before the refused one are
committed, it fails with the reason, the rest are skipped. (Not savepoints:
SQLite rolls a whole transaction back by itself on a full disk.) The search index
(triggers on SQLite, GIN indexes on a team server) is kept in the same
transaction, as for any write. Nothing is reported stored before its commit
returned; a commit that fails leaves none of the batch stored.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, aliased

from annotator.domain.model import Document
from annotator.storage.errors import translated
from annotator.storage.models import DocumentRow

if TYPE_CHECKING:
    from annotator.storage.database import Database

#: Documents read ahead and stored in one transaction.
BATCH_DOCUMENTS = 50
#: The most text (characters) read ahead for one transaction: on SQLite the
#: write lock is held while its search index is built (about 0.5 s a million).
BATCH_CHARS = 4_000_000


def document_row(document: Document) -> DocumentRow:
    """A new row for ``document`` (the ORM names the ``metadata`` column ``meta``)."""
    values = document_values(document)
    values["meta"] = values.pop("metadata")
    return DocumentRow(**values)


def document_values(document: Document) -> dict[str, Any]:
    """The documents table's values for a new row of ``document``."""
    return {"id": document.id, "sha256": document.sha256, "title": document.title,
            "source": document.source, "published": document.published,
            "metadata": dict(document.metadata), "text": document.text,
            "length": len(document.text), "created_at": document.created_at,
            "origin": document.origin, "previous_id": document.previous_id}


def newest_versions(origins: Collection[str], *columns: Any) -> Any:
    """The query of the documents imported from ``origins`` that no newer version
    replaced (their ``columns``, or the rows), newest first."""
    successor = aliased(DocumentRow)
    return (select(*columns or (DocumentRow,)).where(DocumentRow.origin.in_(origins))
            .where(~DocumentRow.id.in_(select(successor.previous_id).where(
                successor.previous_id.is_not(None))))
            .order_by(DocumentRow.created_at.desc()))


def newest_version(origin: str) -> Any:
    """The query of the newest version of the document imported from ``origin``."""
    return newest_versions([origin]).limit(1)


@dataclass(frozen=True, slots=True)
class Stored:
    """What became of a document in a batch: ``created`` (else ``same`` names
    the document already holding its text), or ``version_of`` (the id and title
    of the document it is a new version of: not stored in the batch, see
    :meth:`DocumentBatch.store`)."""

    created: bool = False
    same: tuple[str, str] | None = None
    version_of: tuple[str, str] | None = None


class DocumentBatch:
    """One write transaction storing documents."""

    def __init__(self, session: Session, where: str) -> None:
        self.session = session
        self.where = where

    def store(self, documents: Sequence[Document]) -> list[Stored]:
        """Store each of ``documents`` unless its text is here already (or earlier
        in ``documents``), in three round trips: which texts are here, which
        origins have documents, one ``INSERT`` executed for the new ones (psycopg
        sends its rows in pipeline mode). A
        changed text of a document imported from the same origin (here or
        earlier in ``documents``) is left to :meth:`ProjectService.add_version`
        (it carries claims over in a transaction of its own): ``version_of``
        says so. Raises :class:`~annotator.storage.errors.ProjectError`: the
        batch is then to be rolled back."""
        session = self.session
        with translated(self.where):
            same = {sha: (key, title) for key, title, sha in session.execute(
                select(DocumentRow.id, DocumentRow.title, DocumentRow.sha256)
                .where(DocumentRow.sha256.in_({d.sha256 for d in documents})))}
            origins = {d.origin for d in documents if d.origin}
            versions: dict[str, tuple[str, str]] = {}
            if origins:
                for origin, key, title in session.execute(newest_versions(
                        origins, DocumentRow.origin, DocumentRow.id, DocumentRow.title)):
                    versions.setdefault(origin, (key, title))
            stored, rows = [], []
            for document in documents:
                if document.sha256 in same:
                    stored.append(Stored(same=same[document.sha256]))
                elif document.origin and document.origin in versions:
                    stored.append(Stored(version_of=versions[document.origin]))
                else:
                    same[document.sha256] = (document.id, document.title)
                    if document.origin:       # a later text from there: a new version
                        versions[document.origin] = same[document.sha256]
                    rows.append(document_values(document))
                    stored.append(Stored(created=True))
            if rows:
                session.execute(insert(DocumentRow.__table__), rows)
        return stored


@contextmanager
def document_batch(database: Database) -> Iterator[DocumentBatch]:
    """A batch committed (durably) when the block ends without error."""
    with database.writing() as session:
        yield DocumentBatch(session, database.where)

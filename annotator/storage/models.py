"""The database schema as SQLAlchemy 2 typed declarative models.

The schema is created and changed only by the Alembic migrations in
``annotator/storage/migrations``; ``tests/storage/test_migrations.py`` checks
that these models and the migrations agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes, stored as naive UTC on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(2000), default="")
    published: Mapped[str] = mapped_column(String(64), default="")
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="new", server_default="new")
    #: Where the text came from (a file's absolute path or a page's canonical URL):
    #: importing changed text from the same origin makes a new version.
    origin: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    #: Where review of the document stands (see domain/review.py ReviewStatus).
    review_status: Mapped[str] = mapped_column(String(16), default="unreviewed",
                                               server_default="unreviewed")
    #: The version this one replaces (its claims were carried over to this one).
    previous_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"))

    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status"),
        CheckConstraint("review_status IN ('unreviewed', 'in_review', 'adjudicated')",
                        name="review_status"),
        Index("ix_documents_origin", "origin"),
        Index("ix_documents_previous_id", "previous_id"),
    )


class SourceRow(Base):
    """Who makes claims; source reliability (A–F) belongs here."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint("reliability IS NULL OR reliability IN ('A', 'B', 'C', 'D', 'E', 'F')",
                        name="reliability"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="")
    reliability: Mapped[str | None] = mapped_column(String(1))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class LabelRow(Base):
    """One label of one codebook dimension (stance, claim type, a graded scale)."""

    __tablename__ = "codebook_labels"
    __table_args__ = (UniqueConstraint("dimension", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dimension: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(7))
    shortcut: Mapped[str] = mapped_column(String(1), default="")
    position: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    judgeable: Mapped[bool] = mapped_column(Boolean, default=True)


class PropositionRow(Base):
    __tablename__ = "propositions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    text: Mapped[str] = mapped_column(Text, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)


class CodebookVersionRow(Base):
    """Every codebook change makes a new version; each keeps a full snapshot."""

    __tablename__ = "codebook_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime]
    change: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict[str, Any]]


class ProjectSettingRow(Base):
    """Project-wide values that travel with the project (not UI preferences)."""

    __tablename__ = "project_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]]


class _ClaimColumns:
    """The columns of a claim, shared by analysts' claims and the gold layer."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    start: Mapped[int]
    end: Mapped[int]
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    proposition: Mapped[str] = mapped_column(Text, default="")
    stance: Mapped[str | None] = mapped_column(String(40))
    source_reliability: Mapped[str | None] = mapped_column(String(1))
    info_credibility: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(default=list)
    annotator: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    claim_type: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[str | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"))
    likelihood: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[str | None] = mapped_column(String(40))
    codebook_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: Counts the row's saves (1 when stored): an edit made on an older version
    #: fails instead of overwriting a colleague's (SQLAlchemy checks it on every
    #: ORM update: ``UPDATE ... WHERE id = ? AND version = ?``).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 (a class attribute)
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def _claim_constraints(table: str) -> tuple[Any, ...]:
    return (
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        CheckConstraint(
            "source_reliability IS NULL OR source_reliability IN ('A', 'B', 'C', 'D', 'E', 'F')",
            name="source_reliability",
        ),
        CheckConstraint(
            "info_credibility IS NULL OR info_credibility BETWEEN 1 AND 6",
            name="info_credibility",
        ),
        Index(f"ix_{table}_document_start", "document_id", "start"),
        Index(f"ix_{table}_source_id", "source_id"),
    )


class ClaimRow(_ClaimColumns, Base):
    """An analyst's claim. Review never changes these."""

    __tablename__ = "claims"
    __table_args__ = _claim_constraints("claims")


class AdjudicationRow(Base):
    """A reviewer's decision on a unit of analysts' claims (see domain/review.py)."""

    __tablename__ = "adjudications"
    __table_args__ = (
        CheckConstraint("decision IN ('accept', 'merge', 'edit', 'reject')", name="decision"),
        Index("ix_adjudications_document_id", "document_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    decision: Mapped[str] = mapped_column(String(16))
    #: The analysts' claim ids decided on. Plain ids, not foreign keys: the
    #: provenance outlives an analyst deleting a claim afterwards.
    considered: Mapped[list[str]] = mapped_column(default=list)
    span_from: Mapped[str | None] = mapped_column(String(36))
    labels_from: Mapped[str | None] = mapped_column(String(36))
    adjudicator: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class GoldClaimRow(_ClaimColumns, Base):
    """A claim of the gold layer: what review made of analysts' claims."""

    __tablename__ = "gold_claims"
    __table_args__ = _claim_constraints("gold_claims")

    adjudication_id: Mapped[str] = mapped_column(
        ForeignKey("adjudications.id", ondelete="CASCADE"), unique=True)


class ReviewCommentRow(Base):
    __tablename__ = "review_comments"
    __table_args__ = (Index("ix_review_comments_claim_id", "claim_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: A plain id, not a foreign key: deleting a claim must not delete reviewers'
    #: comments on it (undoing the deletion brings the claim back with them).
    claim_id: Mapped[str] = mapped_column(String(36))
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class ClaimHistoryRow(Base):
    """Earlier versions of a claim, as canonical records, one per ``updated_at``."""

    __tablename__ = "claim_history"
    __table_args__ = (UniqueConstraint("claim_id", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime]
    record: Mapped[dict[str, Any]]
    recorded_at: Mapped[datetime]


class AssignmentRow(Base):
    """A document given to an analyst to code (blind double coding).

    A document assigned to two or more analysts is *blind*: each sees only their
    own claims on it until every one of them has marked their assignment done.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("status IN ('assigned', 'done')", name="status"),
        Index("ix_assignments_analyst", "analyst"),
    )

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), primary_key=True)
    analyst: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="assigned",
                                        server_default="assigned")
    assigned_by: Mapped[str] = mapped_column(String(200), default="")
    assigned_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


#: How a link's target claim stands to its claim: the same claim stated elsewhere
#: (symmetric; links make clusters), or evidence for or against it (FEVER's labels).
LINK_RELATIONS = ("same", "supports", "refutes", "not_enough_info")


class ClaimLinkRow(Base):
    """A confirmed link between two analysts' claims, usually in different documents.

    Plain ids, not foreign keys (as review comments): deleting a claim leaves its
    links dormant, and undoing the deletion brings them back with it. Readers
    ignore a link whose claim or target is gone.
    """

    __tablename__ = "claim_links"
    __table_args__ = (
        CheckConstraint("relation IN ('same', 'supports', 'refutes', 'not_enough_info')",
                        name="relation"),
        CheckConstraint("claim_id <> target_id", name="distinct"),
        UniqueConstraint("claim_id", "target_id"),
        Index("ix_claim_links_target_id", "target_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(36))
    target_id: Mapped[str] = mapped_column(String(36))
    relation: Mapped[str] = mapped_column(String(16))
    analyst: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class CandidateDismissalRow(Base):
    """A passage the analyst said does not state the claim: never suggested again."""

    __tablename__ = "candidate_dismissals"
    __table_args__ = (UniqueConstraint("claim_id", "document_id", "start", "end"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(36))
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    start: Mapped[int]
    end: Mapped[int]
    analyst: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]

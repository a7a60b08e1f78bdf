"""Documents and claims as plain, immutable values.

Offsets are Unicode code-point offsets into the stored document text: for every
claim, ``document.text[claim.start:claim.end] == claim.quote``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

#: How many code points of context a claim keeps on each side of its quote.
CONTEXT_CHARS = 32

#: Namespace for document ids: a document's id is derived from its text's
#: SHA-256, so the same text has the same id in every project.
DOCUMENT_NAMESPACE = uuid.UUID("6f1d3c2e-8a57-4d0b-9c1e-2b7a4e5f9d10")


def utc_now() -> datetime:
    return datetime.now(UTC)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id_for(sha256: str) -> str:
    return str(uuid.uuid5(DOCUMENT_NAMESPACE, sha256))


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document without its text: what lists show."""

    id: str
    sha256: str
    title: str
    source: str
    published: str
    claim_count: int = 0
    status: str = "new"
    #: Claims that still lack a stance or a reliability grade.
    incomplete_count: int = 0
    #: The version this document replaces, and whether a newer version replaces it.
    previous_id: str | None = None
    superseded: bool = False
    #: Where review of the document stands: unreviewed, in_review, adjudicated.
    review_status: str = "unreviewed"


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    sha256: str
    title: str
    text: str
    source: str = ""
    published: str = ""
    metadata: dict = field(default_factory=dict)
    created_at: datetime = field(default_factory=utc_now)
    #: The file path or canonical URL the text came from ("" when unknown).
    origin: str = ""
    #: The earlier version of this document, whose claims were carried over.
    previous_id: str | None = None

    @classmethod
    def from_text(cls, text: str, *, title: str, source: str = "", published: str = "",
                  metadata: dict | None = None, origin: str = "") -> Document:
        sha = text_sha256(text)
        return cls(id=document_id_for(sha), sha256=sha, title=title, text=text,
                   source=source, published=published, metadata=dict(metadata or {}),
                   origin=origin)


@dataclass(frozen=True, slots=True)
class Source:
    """Who makes claims: a person or an organisation. Source reliability (A–F)
    belongs to the source; each claim keeps the grade it was given."""

    id: str
    name: str
    kind: str = ""            # "person", "organisation" or ""
    reliability: str | None = None
    note: str = ""
    created_at: datetime = field(default_factory=utc_now)

    @classmethod
    def new(cls, name: str, kind: str = "") -> Source:
        return cls(id=str(uuid.uuid4()), name=" ".join(name.split()), kind=kind)


@dataclass(frozen=True, slots=True)
class SourceSummary:
    source: Source
    claim_count: int


DOCUMENT_STATUSES = ("new", "in_progress", "done")


class SpanError(ValueError):
    """A span that does not fit its document."""


def check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise SpanError(f"span [{start}, {end}) is empty or outside the text (length {len(text)})")


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    document_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    proposition: str = ""
    #: The key of a stance label in the project's codebook (``supports``, ...).
    stance: str | None = None
    source_reliability: str | None = None
    info_credibility: int | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    annotator: str = ""
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    #: Key of a claim-type label (Full Fact's schema by default).
    claim_type: str | None = None
    #: Who makes the claim (a person or organisation), from the source registry.
    source_id: str | None = None
    source_name: str = ""
    #: Optional ICD 203 estimative likelihood and analytic confidence keys.
    likelihood: str | None = None
    confidence: str | None = None
    #: The codebook version the claim was made under.
    codebook_version: int = 1
    #: How many times the stored claim was saved (0: not read from a project). An
    #: edit is saved only onto the version it was made on. Not part of equality:
    #: two claims with the same values are the same claim, however often saved.
    version: int = field(default=0, compare=False)

    @classmethod
    def new(cls, document: Document, start: int, end: int, *, annotator: str,
            **labels: object) -> Claim:
        """A new claim on ``document.text[start:end]``; quote and context come from the text."""
        check_span(document.text, start, end)
        now = utc_now()
        return cls(id=str(uuid.uuid4()), document_id=document.id, start=start, end=end,
                   **span_context(document.text, start, end), annotator=annotator,
                   created_at=now, updated_at=now, **labels)  # type: ignore[arg-type]

    @property
    def reliability_code(self) -> str:
        """The Admiralty code, e.g. ``B2``; empty when neither grade is set."""
        return f"{self.source_reliability or ''}{self.info_credibility or ''}"

    def edited(self, **changes: object) -> Claim:
        """A copy with ``changes`` applied and ``updated_at`` set to now."""
        return dataclasses.replace(self, **changes, updated_at=utc_now())  # type: ignore[arg-type]


def span_context(text: str, start: int, end: int) -> dict[str, str]:
    return {
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS):start],
        "suffix": text[end:end + CONTEXT_CHARS],
    }


def normalise_tags(tags: object) -> tuple[str, ...]:
    """Tags as a tuple of distinct, stripped, non-empty strings, in their first order."""
    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, (list, tuple)):
        raise ValueError(f"tags must be a list of strings, not {type(tags).__name__}")
    seen: dict[str, None] = {}
    for tag in tags:
        if not isinstance(tag, str):
            raise ValueError(f"tags must be strings, not {tag!r}")
        tag = tag.strip()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)

"""The canonical claim record (one JSON object per claim): its fields, and the
claim and review comments read back from one.

The record is what ``annotator export --format jsonl`` writes (see
:mod:`annotator.services.exports`) and ``annotator import-annotations`` reads back::

    id, document_id, document_sha256, document_title, start, end, quote,
    prefix, suffix, proposition, stance, source_reliability, info_credibility,
    note, tags, annotator, created_at, updated_at, claim_type, claim_source,
    likelihood, confidence, codebook_version, page_start, page_end,
    review_status, review_comments

``start``/``end`` are Unicode code-point offsets: ``text[start:end] == quote``
in Python. Timestamps are ISO 8601 in UTC with a ``Z``. ``page_start`` and
``page_end`` are the 1-based pages the span starts and ends on, for documents
whose importer recorded page starts (``metadata["pages"]``, e.g. PDFs), else null.
``review_status`` of an analyst's claim is ``unreviewed`` (not yet decided on in
review), ``accepted`` (made, span or labels, into a gold claim) or ``rejected``
(decided on without being used); gold claims (an export of the gold layer) say
``gold`` and carry ``provenance``. ``links`` are the claim's confirmed links
(``id``, ``target_id``, ``relation``, ``analyst``, ``created_at``: "target
<relation> this claim"), ``cluster`` the smallest claim id of the claims linked to
it as ``same`` (its own id when none), ``dismissed`` the passages its analyst said
do not state it (``document_id``, ``start``, ``end``, ``analyst``, ``created_at``).
The CSV form has the same columns but ``review_comments``, ``links``, ``cluster``
and ``dismissed``, with tags joined by :data:`CSV_TAG_SEPARATOR`.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.labels import parse_info_credibility, parse_source_reliability, parse_stance
from annotator.domain.model import Claim, Document, normalise_tags, span_context
from annotator.domain.review import ReviewComment

CLAIM_FIELDS = (
    "id", "document_id", "document_sha256", "document_title", "start", "end", "quote",
    "prefix", "suffix", "proposition", "stance", "source_reliability", "info_credibility",
    "note", "tags", "annotator", "created_at", "updated_at",
    "claim_type", "claim_source", "likelihood", "confidence", "codebook_version",
    "page_start", "page_end", "review_status",
)
#: The JSONL record: the CSV's columns, and the review comments on the claim (a
#: list of objects, which a spreadsheet cell cannot hold).
RECORD_FIELDS = (*CLAIM_FIELDS, "review_comments", "links", "cluster", "dismissed")
#: The relations a link says its target has to its claim.
LINK_RELATIONS = ("same", "supports", "refutes", "not_enough_info")
#: How the CSV form joins a claim's tags in one cell.
CSV_TAG_SEPARATOR = "; "


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"timestamp must be an ISO 8601 string, not {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z")
                                        else value)
    except ValueError:
        raise ValueError(f"timestamp {value!r} is not ISO 8601") from None
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):     # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise ValueError(f"timestamp {value!r} is outside the years 1 to 9999 in UTC") \
            from None


def page_starts(metadata: object) -> list[int] | None:
    """The code-point offsets where a document's pages start (``metadata["pages"]``,
    recorded by paged importers), or None when the document has no pages."""
    pages = metadata.get("pages") if isinstance(metadata, dict) else None
    if (not isinstance(pages, list) or not pages or pages[0] != 0
            or not all(isinstance(p, int) and not isinstance(p, bool) for p in pages)):
        return None
    return pages


def page_span(pages: Sequence[int] | None, start: int, end: int) -> tuple[int | None, int | None]:
    """The 1-based pages on which ``[start, end)`` starts and ends."""
    if not pages:
        return None, None
    return bisect_right(pages, start), bisect_right(pages, max(start, end - 1))


def comments_from_record(record: dict[str, Any], claim_id: str) -> list[ReviewComment]:
    """The review comments a claim record carries (``review_comments``, optional).
    Raises ValueError with a reason a user can act on."""
    found = record.get("review_comments") or []
    if not isinstance(found, list):
        raise ValueError("review_comments must be a list")
    comments = []
    for item in found:
        if not isinstance(item, dict):
            raise ValueError("each of review_comments must be an object")
        try:
            comment_id = str(uuid.UUID(str(item.get("id"))))
        except ValueError:
            raise ValueError(f"a review comment's id must be a UUID, not "
                             f"{item.get('id')!r}") from None
        body = item.get("body")
        if not isinstance(body, str) or not body.strip():
            raise ValueError("a review comment has no text")
        comments.append(ReviewComment(comment_id, claim_id, _str(item, "author"), body,
                                      parse_timestamp(item.get("created_at"))))
    return comments


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link a claim record carries: its target ``relation`` its claim."""

    id: str
    claim_id: str
    target_id: str
    relation: str
    analyst: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DismissalRecord:
    """A passage a claim record says its analyst dismissed as not stating it."""

    claim_id: str
    document_id: str
    start: int
    end: int
    analyst: str
    created_at: datetime


def _uuid_of(value: object, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValueError(f"{what} must be a UUID, not {value!r:.60}") from None


def _objects(record: dict[str, Any], name: str) -> list[dict[str, Any]]:
    found = record.get(name) or []
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise ValueError(f"{name} must be a list of objects")
    return found


def _moment(item: dict[str, Any]) -> datetime:
    value = item.get("created_at")
    return datetime.now(UTC) if value is None else parse_timestamp(value)


def links_from_record(record: dict[str, Any], claim_id: str) -> list[LinkRecord]:
    """The links a claim record carries (``links``, optional; a link without an
    ``id`` gets a new one). Raises ValueError with a reason a user can act on."""
    links = []
    for item in _objects(record, "links"):
        target = _uuid_of(item.get("target_id"), "a link's target_id")
        relation = item.get("relation")
        if relation not in LINK_RELATIONS:
            raise ValueError(f"a link's relation must be one of {', '.join(LINK_RELATIONS)}"
                             f", not {relation!r:.40}")
        if target == claim_id:
            raise ValueError("a link's target is the claim itself")
        ident = item.get("id")
        links.append(LinkRecord(str(uuid.uuid4()) if ident is None
                                else _uuid_of(ident, "a link's id"),
                                claim_id, target, relation, _str(item, "analyst"),
                                _moment(item)))
    return links


def dismissals_from_record(record: dict[str, Any], claim_id: str) -> list[DismissalRecord]:
    """The dismissed passages a claim record carries (``dismissed``, optional).
    Raises ValueError with a reason a user can act on."""
    found = []
    for item in _objects(record, "dismissed"):
        start, end = _int(item, "start"), _int(item, "end")
        if not 0 <= start < end:
            raise ValueError(f"a dismissed passage [{start}, {end}) is empty")
        found.append(DismissalRecord(claim_id, _uuid_of(item.get("document_id"),
                                                        "a dismissed passage's document_id"),
                                     start, end, _str(item, "analyst"), _moment(item)))
    return found


def _int(record: dict[str, Any], name: str) -> int:
    value = record.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, not {value!r}")
    return value


#: The longest value a project stores in these fields (the columns' sizes: SQLite
#: would store more, a team server refuses it; a record is refused on both).
MAX_CHARS = {"annotator": 200, "author": 200, "analyst": 200, "claim_source": 300}


def _str(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    limit = MAX_CHARS.get(name)
    if limit is not None and len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value


def _label(record: dict[str, Any], dimension: Dimension, codebook: Codebook | None) -> str | None:
    value = record.get(dimension.value)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{dimension.value} must be a string key, not {value!r}")
    if len(value) > 40:
        raise ValueError(f"{dimension.value} is longer than 40 characters")
    if codebook is not None and codebook.label(dimension, value) is None:
        keys = ", ".join(label.key for label in codebook.of(dimension)) or "(none)"
        raise ValueError(f"{dimension.value} {value!r} is not in the codebook ({keys})")
    return value


def claim_from_record(record: dict[str, Any], document: Document,
                      codebook: Codebook | None = None) -> Claim:
    """The claim a record describes, checked against ``document``'s text and, when
    given, the project's codebook (labels must exist; retired ones are accepted).
    The claim source is returned by name in ``source_name``; the caller resolves it.

    Raises ValueError with a reason a user can act on.
    """
    try:
        claim_id = str(uuid.UUID(str(record.get("id"))))
    except ValueError:
        raise ValueError(f"id must be a UUID, not {record.get('id')!r}") from None
    start, end = _int(record, "start"), _int(record, "end")
    if not 0 <= start < end <= len(document.text):
        raise ValueError(f"span [{start}, {end}) is empty or outside the document "
                         f"(length {len(document.text)})")
    quote = record.get("quote")
    context = span_context(document.text, start, end)
    if quote != context["quote"]:
        raise ValueError(f"quote does not match the document text at [{start}, {end})")
    return Claim(
        id=claim_id, document_id=document.id, start=start, end=end, **context,
        proposition=_str(record, "proposition"),
        stance=(_label(record, Dimension.STANCE, codebook) if codebook is not None
                else parse_stance(record.get("stance"))),
        source_reliability=parse_source_reliability(record.get("source_reliability")),
        info_credibility=parse_info_credibility(record.get("info_credibility")),
        note=_str(record, "note"),
        tags=normalise_tags(record.get("tags")),
        annotator=_str(record, "annotator"),
        created_at=parse_timestamp(record.get("created_at")),
        updated_at=parse_timestamp(record.get("updated_at")),
        claim_type=_label(record, Dimension.CLAIM_TYPE, codebook),
        source_name=" ".join(_str(record, "claim_source").split()),
        likelihood=_label(record, Dimension.LIKELIHOOD, codebook),
        confidence=_label(record, Dimension.CONFIDENCE, codebook),
        codebook_version=_codebook_version(record),
    )


def _codebook_version(record: dict[str, Any]) -> int:
    value = record.get("codebook_version", 1)
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2 ** 63:
        raise ValueError("codebook_version must be a positive 64-bit integer, not "
                         f"{value!r:.40}")
    return value

"""Review as plain values: the gold layer's decisions, review comments, a claim's
history and a document's review status.

Analysts' claims are never changed by review. A reviewer's decision on a group
of analysts' claims (a comparison unit) is an :class:`Adjudication`; every
decision except a rejection makes one *gold* claim, stored apart from the
analysts' claims, whose provenance says which claims it came from, who decided
and when.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from annotator.domain.model import Claim, utc_now


class ReviewStatus(StrEnum):
    UNREVIEWED = "unreviewed"
    IN_REVIEW = "in_review"
    ADJUDICATED = "adjudicated"

    @property
    def title(self) -> str:
        return {"unreviewed": "Unreviewed", "in_review": "In review",
                "adjudicated": "Adjudicated"}[self.value]


class Decision(StrEnum):
    """What a reviewer made of a unit of analysts' claims."""

    #: One analyst's claim, span and labels, becomes gold.
    ACCEPT = "accept"
    #: The span of one analyst's claim with the labels of another.
    MERGE = "merge"
    #: A reviewer's own version (span or labels changed by hand).
    EDIT = "edit"
    #: Not a claim: no gold claim is made.
    REJECT = "reject"


#: The fields a gold claim takes from the claim that gives it its labels.
LABEL_FIELDS = ("proposition", "stance", "source_reliability", "info_credibility",
                "claim_type", "source_id", "source_name", "likelihood", "confidence",
                "tags", "note", "codebook_version")
#: The fields a gold claim takes from the claim that gives it its span.
SPAN_FIELDS = ("document_id", "start", "end", "quote", "prefix", "suffix")


@dataclass(frozen=True, slots=True)
class Adjudication:
    """A reviewer's decision on a unit, with its gold claim (None when rejected).

    ``considered``: the ids of the analysts' claims the reviewer decided on.
    ``span_from`` / ``labels_from``: the claims whose span and labels the gold
    claim started from (None for a rejection)."""

    id: str
    document_id: str
    decision: Decision
    considered: tuple[str, ...]
    adjudicator: str
    created_at: datetime
    span_from: str | None = None
    labels_from: str | None = None
    gold: Claim | None = None

def gold_from(span: Claim, labels: Claim, *, adjudicator: str,
              when: datetime | None = None) -> Claim:
    """A new gold claim: the span (and quote, context) of ``span`` with the labels
    of ``labels``, recorded as the adjudicator's."""
    if span.document_id != labels.document_id:
        raise ValueError("a gold claim cannot take span and labels from different documents")
    when = when or utc_now()
    values = {name: getattr(labels, name) for name in LABEL_FIELDS}
    values.update({name: getattr(span, name) for name in SPAN_FIELDS})
    return Claim(id=str(uuid.uuid4()), annotator=adjudicator, created_at=when,
                 updated_at=when, **values)


def adjudicate(decision: Decision, considered: Sequence[Claim], *, adjudicator: str,
               span_from: Claim | None = None, labels_from: Claim | None = None,
               edited: Claim | None = None, when: datetime | None = None) -> Adjudication:
    """The adjudication of ``considered`` (a unit's claims, at least one).

    ``accept``: ``span_from`` (labels too, unless ``labels_from`` is given and the
    same claim). ``merge``: span of ``span_from``, labels of ``labels_from``.
    ``edit``: the reviewer's ``edited`` claim, based on ``span_from`` / ``labels_from``
    where given. ``reject``: no gold claim."""
    if not considered:
        raise ValueError("an adjudication needs the claims it decides on")
    ids = tuple(c.id for c in considered)
    documents = {c.document_id for c in considered}
    if len(documents) != 1:
        raise ValueError("an adjudication's claims must all be on one document")
    (document_id,) = documents
    when = when or utc_now()
    decision = Decision(decision)
    gold: Claim | None = None
    if decision is Decision.REJECT:
        span_from = labels_from = None
    elif decision is Decision.ACCEPT:
        if span_from is None:
            raise ValueError("accept: which claim is accepted?")
        labels_from = span_from
        gold = gold_from(span_from, span_from, adjudicator=adjudicator, when=when)
    elif decision is Decision.MERGE:
        if span_from is None or labels_from is None:
            raise ValueError("merge: a span from one claim and labels from another")
        gold = gold_from(span_from, labels_from, adjudicator=adjudicator, when=when)
    else:
        if edited is None:
            raise ValueError("edit: the reviewer's version of the claim is missing")
        if edited.document_id != document_id:
            raise ValueError("edit: the edited claim is on another document")
        gold = dataclasses.replace(edited, id=str(uuid.uuid4()), annotator=adjudicator,
                                   created_at=when, updated_at=when)
    for basis in (span_from, labels_from):
        if basis is not None and basis.id not in ids:
            raise ValueError("a gold claim can only come from the claims decided on")
    return Adjudication(id=str(uuid.uuid4()), document_id=document_id, decision=decision,
                        considered=ids, adjudicator=adjudicator, created_at=when,
                        span_from=span_from.id if span_from else None,
                        labels_from=labels_from.id if labels_from else None, gold=gold)


@dataclass(frozen=True, slots=True)
class ReviewComment:
    """A reviewer's comment on an analyst's claim, shown to the claim's author."""

    id: str
    claim_id: str
    author: str
    body: str
    created_at: datetime

    @classmethod
    def new(cls, claim_id: str, author: str, body: str) -> ReviewComment:
        body = body.strip()
        if not body:
            raise ValueError("a review comment cannot be empty")
        return cls(str(uuid.uuid4()), claim_id, author, body, utc_now())


def claim_values(claim: Claim) -> dict[str, Any]:
    """A claim as JSON-ready values (what its history keeps of each version)."""
    values = dataclasses.asdict(claim)
    values["tags"] = list(claim.tags)
    values["created_at"] = claim.created_at.isoformat()
    values["updated_at"] = claim.updated_at.isoformat()
    return values


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """An earlier version of a claim (as a canonical record), kept when a newer
    edit of it arrived from a colleague, or when an older one did."""

    claim_id: str
    updated_at: datetime
    record: dict[str, Any]
    recorded_at: datetime

"""How many claims each document holds, and how many of them are still
incomplete by the codebook's completeness rule, counted in the database: the
document list's "Claims" and "To do" columns (:meth:`ProjectService.documents`)
and what a window compares to see a colleague's work in other documents
(:mod:`annotator.services.live`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, and_, case, false, func, or_, select

from annotator.domain.codebook import Codebook
from annotator.storage.models import ClaimRow


def incomplete_condition(codebook: Codebook) -> Any:
    """SQL true for the claims :meth:`Codebook.missing` finds incomplete (the
    codebook's completeness rule, evaluated in the database for the counts)."""
    unset = []
    for name in codebook.missing(_EVERYTHING_UNSET):
        if name == "source":
            unset.append(ClaimRow.source_id.is_(None))
        elif name == "proposition":
            unset.append(or_(ClaimRow.proposition.is_(None), ClaimRow.proposition == ""))
        else:
            unset.append(getattr(ClaimRow, name).is_(None))
    if not unset:
        return false()
    exempt = codebook.requirements.exempt_types
    condition = or_(*unset)
    if exempt:
        condition = and_(condition, or_(ClaimRow.claim_type.is_(None),
                                        ClaimRow.claim_type.not_in(exempt)))
    return condition


class _Unset:
    """A claim with nothing set: what the completeness rule would ask of it."""

    claim_type = stance = source_reliability = info_credibility = None
    likelihood = confidence = None
    proposition = source_id = ""


_EVERYTHING_UNSET = _Unset()


def claim_counts(codebook: Codebook,
                 annotators: Collection[str] | None = None) -> Select[Any]:
    """``(document_id, n, incomplete)`` for every document holding claims (of
    ``annotators`` only, when given)."""
    incomplete = incomplete_condition(codebook)
    counts = select(ClaimRow.document_id, func.count().label("n"),
                    func.sum(case((incomplete, 1), else_=0)).label("incomplete"))
    if annotators is not None:
        counts = counts.where(ClaimRow.annotator.in_(sorted(annotators)))
    return counts.group_by(ClaimRow.document_id)

"""Stepping through the analysts' disagreements (F8 / Shift+F8, ] / [): in text
order within the shown document, then on to the next document in the list's
order that has one, wrapping round; the Compare panel's filter applies."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.review import Unit
from annotator.ui.review_panel import is_difference, unit_passes

if TYPE_CHECKING:
    from annotator.ui.review_mode import ReviewMode


def unit_key(unit: Unit) -> str:
    """A unit's identity across recomputations: its first claim's id."""
    return next(iter(unit.claims.values())).id


def _navigable(review: ReviewMode, units: list[Unit],
               decided: Callable[[Unit], bool]) -> list[Unit]:
    key = review.filter_key()
    return [u for u in units if is_difference(u) and unit_passes(u, key, decided(u))]


def step_disagreement(review: ReviewMode, direction: int) -> None:
    """Go to the next (+1) or previous (-1) disagreement, in text order, on to
    the next document that has one; wraps round."""
    host = review.host
    if not review.active:
        if review.controller is None:
            return
        review.compare_action.setChecked(True)
        if not review.active:
            return
    units = review.units()
    here = _navigable(review, units, lambda u: review.decision_of(u) is not None)
    index = {unit_key(u): i for i, u in enumerate(units)}
    if review.current_unit is not None and unit_key(review.current_unit) in index:
        position = index[unit_key(review.current_unit)]
        after = [u for u in here if (index[unit_key(u)] - position) * direction > 0]
    else:
        offset = host.view.offsets.to_offset(host.view.textCursor().position())
        after = [u for u in here if (u.start >= offset if direction > 0
                                     else u.start < offset)]
    if after:
        _go(review, after[0] if direction > 0 else after[-1], here)
        return
    if _step_document(review, direction):
        return
    if here:
        _go(review, here[0] if direction > 0 else here[-1], here)
        host.show_message("No more disagreements: back to the "
                          + ("first" if direction > 0 else "last"), 4000)
        return
    host.show_message("No disagreements to show"
                      + ("" if review.filter_key() == "all" else " with this filter"), 4000)


def _go(review: ReviewMode, unit: Unit, among: list[Unit]) -> None:
    review.select_unit(unit)
    number = next(i for i, u in enumerate(among, start=1) if u is unit)
    review.host.show_message(f"Disagreement {number} of {len(among)} in this document", 4000)


def _step_document(review: ReviewMode, direction: int) -> bool:
    """Open the next document (in the list's order) with a disagreement."""
    host = review.host
    document = host.current_document
    if review.comparison is None or document is None or review.controller is None:
        return False
    order = host.document_order()
    if document.id not in order:
        return False
    start = order.index(document.id)
    for step in range(1, len(order)):
        candidate = order[(start + step * direction) % len(order)]
        compared = review.comparison.documents.get(candidate)
        if compared is None:
            continue
        decided = (review.controller.decided_claims(candidate)
                   if review.filter_key() == "undecided" else set())
        found = _navigable(review, list(compared.units), lambda u, d=decided: any(
            c.id in d for c in u.claims.values()))
        if found:
            target = found[0] if direction > 0 else found[-1]
            host.reveal_document(candidate)
            unit = next((u for u in review.units() if unit_key(u) == unit_key(target)), None)
            if unit is not None:
                here = _navigable(review, review.units(),
                                       lambda u: review.decision_of(u) is not None)
                _go(review, unit, here)
            return True
    return False


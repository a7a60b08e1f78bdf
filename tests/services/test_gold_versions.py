"""Two reviewers saving the same gold claim never silently overwrite each other:
as for analysts' claims, every save raises the gold claim's version and an edit
made on an older version fails with both versions (on SQLite and on the team
server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.domain.model import Claim
from annotator.domain.review import Decision, adjudicate
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.storage.errors import ClaimConflictError
from tests.review.scenario import add_two_analysts


@pytest.fixture
def reviewers(seeded_location: str | Path) -> Iterator[tuple[ReviewService, ReviewService,
                                                              Claim]]:
    """Two reviewers' services on one project holding one gold claim (carol's)."""
    first = ProjectService.open(seeded_location)
    second = ProjectService.open(seeded_location)
    try:
        work = add_two_analysts(first)
        carol = ReviewService(first)
        made = carol.add_adjudication(adjudicate(
            Decision.ACCEPT, [work.alice["NASDAQ"], work.bob["NASDAQ"]],
            adjudicator="carol", span_from=work.alice["NASDAQ"]))
        assert made.gold is not None
        yield carol, ReviewService(second), made.gold
    finally:
        second.close()
        first.close()


def test_gold_saves_raise_the_version_and_reads_carry_it(reviewers) -> None:  # type: ignore[no-untyped-def]
    carol, dave, gold = reviewers
    assert dave.gold_claim(gold.id).version == 1
    saved = carol.update_gold(carol.gold_claim(gold.id).edited(note="checked"))
    assert saved.version == 2
    assert dave.gold_claim(gold.id).version == 2
    (listed,) = dave.gold_claims(gold.document_id)
    assert listed.version == 2 and listed.note == "checked"
    (decision,) = dave.adjudications(gold.document_id)
    assert decision.gold is not None and decision.gold.version == 2


def test_a_stale_gold_edit_fails_with_both_versions_and_changes_nothing(reviewers) -> None:  # type: ignore[no-untyped-def]
    carol, dave, gold = reviewers
    mine = dave.gold_claim(gold.id)                   # both reviewers read version 1
    theirs = carol.update_gold(carol.gold_claim(gold.id).edited(stance="refutes",
                                                                note="carol's"))
    with pytest.raises(ClaimConflictError) as raised:
        dave.update_gold(mine.edited(note="dave's", info_credibility=5))
    error = raised.value
    assert error.kind == "gold claim"
    assert (error.stored_version, error.your_version) == (2, 1)
    assert isinstance(error.stored, Claim) and error.stored.note == "carol's"
    assert error.stored.stance == "refutes"
    assert isinstance(error.yours, Claim) and error.yours.note == "dave's"
    assert "gold claim was changed meanwhile" in str(error)
    stored = carol.gold_claim(gold.id)
    assert stored == theirs and stored.version == 2
    assert stored.info_credibility == gold.info_credibility != 5
    # The analysts' claims were not touched by either save.
    assert all(c.note != "dave's" for c in carol.project.claims(gold.document_id))
    # Made again on the stored version, the edit is saved.
    again = dave.update_gold(dave.gold_claim(gold.id).edited(note="dave's"))
    assert again.version == 3 and carol.gold_claim(gold.id).stance == "refutes"


def test_a_gold_edit_made_meanwhile_between_read_and_write_is_refused(reviewers) -> None:  # type: ignore[no-untyped-def]
    """Two edits on the same version: the first saved wins, whatever the order of
    the reads, and the second names the version it lost to."""
    carol, dave, gold = reviewers
    seen_by_carol = carol.gold_claim(gold.id)
    seen_by_dave = dave.gold_claim(gold.id)
    dave.update_gold(seen_by_dave.edited(source_reliability="A"))
    with pytest.raises(ClaimConflictError) as raised:
        carol.update_gold(seen_by_carol.edited(source_reliability="C"))
    assert raised.value.stored.source_reliability == "A"  # type: ignore[attr-defined]
    assert dave.gold_claim(gold.id).source_reliability == "A"

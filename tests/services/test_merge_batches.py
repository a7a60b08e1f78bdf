"""Merging a colleague's claims a batch at a time decides each claim as merging
them one by one did: new ones added, newer edits updating ours (the loser kept in
the history), the same id twice in one import compared with its first
occurrence, within a batch and across batches; on SQLite and the team server."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.services.project import MergeResult, ProjectService
from annotator.services.review import ReviewService

TEXT = "The minister said prices rose by 12 percent last year, and wages fell by 3."


@pytest.mark.parametrize("batch", [2, 500])
def test_batched_merge_decides_each_claim_in_order(project_location: str | Path,
                                                   batch: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ProjectService, "MERGE_BATCH", batch)
    service = ProjectService.open(project_location, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="Prices")).document

        def claim(quote: str, note: str = "") -> Claim:
            start = TEXT.index(quote)
            return Claim.new(document, start, start + len(quote), annotator="bob", note=note)

        ours = service.add_claim(claim("prices rose", "ours"))
        fresh = [claim(q) for q in ("12 percent", "last year", "wages fell")]
        newer = dataclasses.replace(ours, note="theirs, newer",
                                    updated_at=ours.updated_at + timedelta(hours=1))
        older = dataclasses.replace(ours, note="theirs, older",
                                    updated_at=ours.updated_at - timedelta(hours=1))
        twice = dataclasses.replace(fresh[2], note="second time",
                                    updated_at=fresh[2].updated_at + timedelta(minutes=5))
        results = service.merge_claims([fresh[0], older, fresh[1], newer, fresh[2], twice])
        assert results == [MergeResult.ADDED, MergeResult.UNCHANGED, MergeResult.ADDED,
                           MergeResult.UPDATED, MergeResult.ADDED, MergeResult.UPDATED]
        stored = {c.id: c for c in service.claims(document.id)}
        assert len(stored) == 4
        assert stored[ours.id].note == "theirs, newer"
        assert stored[fresh[2].id].note == "second time"
        assert all(stored[c.id].quote == c.quote for c in fresh)
        # The losers are kept: ours (older than their newer edit), their older edit,
        # and the first of the claim they sent twice.
        review = ReviewService(service)
        assert [e.record["note"] for e in review.history(ours.id)] == ["theirs, older",
                                                                       "ours"]
        assert [e.record["note"] for e in review.history(fresh[2].id)] == [""]
        # Merging the same claims again changes nothing.
        again = service.merge_claims([fresh[0], older, fresh[1], newer, fresh[2], twice])
        assert MergeResult.ADDED not in again and MergeResult.UPDATED not in again[:4]
        assert {c.id: c.note for c in service.claims(document.id)} == {
            c.id: c.note for c in stored.values()}
    finally:
        service.close()

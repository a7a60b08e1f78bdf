"""ReviewService on a real project file: the gold layer, comments, review status
and claim history. Analysts' claims must never change."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from annotator.domain.review import Decision, ReviewComment, ReviewStatus, adjudicate
from annotator.review import BY_ALL, BY_ONE, Matching
from annotator.services.project import MergeResult, NotFoundError, ProjectService
from annotator.services.review import ReviewService
from annotator.storage.database import open_database
from tests.review.scenario import (
    LOSS,
    LOSS_BOB,
    TwoAnalysts,
    add_two_analysts,
    disagreeing,
    unit_of,
    units_by,
)


@pytest.fixture
def project(seeded_location: Path):
    service = ProjectService.open(seeded_location)
    yield service
    service.close()


@pytest.fixture
def work(project: ProjectService) -> TwoAnalysts:
    return add_two_analysts(project)


def analysts_rows(location: str | Path) -> list[tuple]:
    database = open_database(location)
    try:
        with database.engine.connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(
                "SELECT * FROM claims ORDER BY id")]
    finally:
        database.close()


def test_compare_finds_the_planted_disagreements(project, work):
    review = ReviewService(project)
    assert review.analysts() == [("alice", 5), ("bob", 5)]
    comparison = review.compare(["alice", "bob"], Matching("jaccard", 0.5))
    document = comparison.documents[work.document.id]
    assert len(units_by(document, BY_ALL)) == 4 and len(units_by(document, BY_ONE)) == 2
    assert {u.claims["alice"].quote for u in disagreeing(document)} == {
        work.alice["H800"].quote, work.alice["CNY"].quote}
    loss = unit_of(document, work.alice["LOSS"].id)
    assert loss is not None and not loss.same_span and loss.coverage == BY_ALL
    exact = review.compare(["alice", "bob"], Matching("exact"))
    bob_loss = unit_of(exact.documents[work.document.id], work.bob["LOSS"].id)
    assert bob_loss is not None and bob_loss.coverage == BY_ONE


def test_agreement_matches_the_report_on_the_same_claims(project, work):
    review = ReviewService(project)
    report = review.agreement(["alice", "bob"], Matching("jaccard", 0.5))
    # Stance on the 4 matched units, in text order: alice supports, supports,
    # supports, neutral; bob supports, refutes, supports, neutral. Observed 3/4;
    # expected 3/4*2/4 + 1/4*1/4 = 7/16; kappa = (12/16 - 7/16) / (9/16) = 5/9.
    assert report["stance"]["cohen_kappa"] == pytest.approx(5 / 9)
    spans = report["spans"]
    assert spans["exact"]["precision"] == pytest.approx(3 / 5)
    assert spans["overlap"]["f1"] == pytest.approx(4 / 5)


def test_accept_merge_edit_reject_make_gold_and_leave_analysts_alone(
        project, work, seeded_location):
    review = ReviewService(project)
    before = analysts_rows(seeded_location)
    a, b = work.alice, work.bob
    accepted = review.add_adjudication(adjudicate(
        Decision.ACCEPT, [a["H800"], b["H800"]], adjudicator="carol", span_from=b["H800"]))
    merged = review.add_adjudication(adjudicate(
        Decision.MERGE, [a["LOSS"], b["LOSS"]], adjudicator="carol", span_from=b["LOSS"],
        labels_from=a["LOSS"]))
    edited_claim = dataclasses.replace(a["CNY"], source_reliability="A", note="checked")
    edited = review.add_adjudication(adjudicate(
        Decision.EDIT, [a["CNY"], b["CNY"]], adjudicator="carol", edited=edited_claim,
        span_from=a["CNY"], labels_from=b["CNY"]))
    rejected = review.add_adjudication(adjudicate(
        Decision.REJECT, [b["BOB_ONLY"]], adjudicator="carol"))

    gold = review.gold_claims(work.document.id)
    assert [g.quote for g in gold] == sorted(
        [b["H800"].quote, LOSS_BOB, a["CNY"].quote],
        key=lambda q: work.document.text.index(q))
    by_quote = {g.quote: g for g in gold}
    assert by_quote[b["H800"].quote].stance == "refutes"
    assert by_quote[LOSS_BOB].stance == "supports" and LOSS not in by_quote
    assert by_quote[a["CNY"].quote].source_reliability == "A"
    assert all(g.annotator == "carol" for g in gold)
    stored = {x.id: x for x in review.adjudications(work.document.id)}
    assert stored[merged.id].span_from == b["LOSS"].id
    assert stored[merged.id].labels_from == a["LOSS"].id
    assert stored[rejected.id].gold is None and stored[rejected.id].decision is Decision.REJECT
    assert stored[accepted.id].gold == accepted.gold
    assert stored[edited.id].considered == (a["CNY"].id, b["CNY"].id)
    assert analysts_rows(seeded_location) == before
    assert review.decided_claims(work.document.id) == {
        a["H800"].id, b["H800"].id, a["LOSS"].id, b["LOSS"].id, a["CNY"].id, b["CNY"].id,
        b["BOB_ONLY"].id}

    # A second decision on a decided claim is refused; undo then redo restores it exactly.
    with pytest.raises(ValueError, match="already adjudicated"):
        review.add_adjudication(adjudicate(Decision.REJECT, [a["H800"]], adjudicator="dave"))
    removed = review.remove_adjudication(merged.id)
    assert removed == stored[merged.id]
    assert LOSS_BOB not in {g.quote for g in review.gold_claims(work.document.id)}
    review.add_adjudication(removed)
    assert review.adjudication(merged.id) == stored[merged.id]
    assert analysts_rows(seeded_location) == before


def test_gold_edits_are_checked_against_the_text(project, work):
    review = ReviewService(project)
    made = review.add_adjudication(adjudicate(
        Decision.ACCEPT, [work.alice["NASDAQ"], work.bob["NASDAQ"]], adjudicator="carol",
        span_from=work.alice["NASDAQ"]))
    assert made.gold is not None
    review.update_gold(dataclasses.replace(made.gold, stance="refutes"))
    assert review.gold_claim(made.gold.id).stance == "refutes"
    with pytest.raises(ValueError):
        review.update_gold(dataclasses.replace(made.gold, start=made.gold.start + 1))


def test_comments_reach_the_claims_author(project, work):
    review = ReviewService(project)
    claim = work.alice["H800"]
    comment = review.add_comment(ReviewComment.new(claim.id, "bob", "Source says 2,048 chips"))
    assert review.comments(claim.id) == [comment]
    assert [(c.body, cl.id) for c, cl in review.comments_for("alice")] == [
        ("Source says 2,048 chips", claim.id)]
    assert review.comments_for("bob") == []
    assert review.comment_counts(work.document.id) == {claim.id: 1}
    assert review.delete_comment(comment.id) == comment
    assert review.comments(claim.id) == []
    with pytest.raises(NotFoundError):
        review.add_comment(ReviewComment.new("no-such-claim", "bob", "x"))
    with pytest.raises(ValueError):
        ReviewComment.new(claim.id, "bob", "   ")


def test_review_status_is_stored(project, work, seeded_location):
    review = ReviewService(project)
    assert review.review_status(work.document.id) is ReviewStatus.UNREVIEWED
    assert review.set_review_status(work.document.id, "in_review") is ReviewStatus.UNREVIEWED
    project.close()
    reopened = ProjectService.open(seeded_location)
    try:
        assert ReviewService(reopened).review_status(work.document.id) is ReviewStatus.IN_REVIEW
        with pytest.raises(ValueError):
            ReviewService(reopened).set_review_status(work.document.id, "finished")
    finally:
        reopened.close()


def test_merging_keeps_the_losing_version_in_history_once(project, work):
    review = ReviewService(project)
    original = work.alice["H800"]
    newer = dataclasses.replace(original, stance="refutes", note="re-read",
                                updated_at=original.updated_at + timedelta(minutes=5))
    older = dataclasses.replace(original, stance="neutral",
                                updated_at=original.updated_at - timedelta(minutes=5))
    assert project.merge_claims([newer]) == [MergeResult.UPDATED]
    assert project.claim(original.id).stance == "refutes"
    assert project.merge_claims([older]) == [MergeResult.UNCHANGED]
    assert project.merge_claims([newer, older]) == [MergeResult.UNCHANGED] * 2
    history = review.history(original.id)
    assert [entry.record["stance"] for entry in history] == ["neutral", "supports"]
    assert [entry.updated_at for entry in history] == [older.updated_at, original.updated_at]


def test_deleting_a_claim_keeps_its_review_comments_for_undo(project, work):
    review = ReviewService(project)
    claim = work.alice["H800"]
    comment = review.add_comment(ReviewComment.new(claim.id, "bob", "Check the chip count"))
    project.delete_claim(claim.id)
    assert review.comments_for("alice") == []          # the claim is gone for now
    project.add_claim(claim)                           # what undoing the deletion does
    assert review.comments_for("alice") == [(comment, project.claim(claim.id))]


def test_grading_a_source_prefills_only_the_analysts_own_claims(project, work):
    from annotator.domain.model import Source

    source = project.add_source(Source.new("MERICS"))
    for claim in (work.alice["NASDAQ"], work.bob["NASDAQ"]):
        project.update_claim(dataclasses.replace(claim, source_id=source.id,
                                                 source_reliability=None))
    changed = project.grade_source(source.id, "A", analyst="alice")
    assert [after.annotator for _before, after in changed] == ["alice"]
    assert project.claim(work.alice["NASDAQ"].id).source_reliability == "A"
    assert project.claim(work.bob["NASDAQ"].id).source_reliability is None


def test_comparing_from_labels_only_finds_the_same_units_and_figures(project, work):
    from annotator.review import agreement_report
    from annotator.services.codebook import CodebookService

    review = ReviewService(project)
    matching = Matching("jaccard", 0.5)
    whole = review.compare(["alice", "bob"], matching)
    slim = review.compare_labels(["alice", "bob"], matching)
    assert list(slim.documents) == list(whole.documents)
    for document_id, compared in whole.documents.items():
        assert [(u.coverage, u.start, u.end, u.disagreements, sorted(c.id for c in
                 u.claims.values())) for u in compared.units] == [
            (u.coverage, u.start, u.end, u.disagreements, sorted(c.id for c in
             u.claims.values())) for u in slim.documents[document_id].units]
    codebook = CodebookService(project.database).codebook()
    assert agreement_report(slim, codebook) == agreement_report(whole, codebook)

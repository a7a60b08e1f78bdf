"""Blind double coding on a real project (SQLite and PostgreSQL): assigning,
marking done, what each analyst may see, and the reviewer's queue."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.domain.assignments import AssignmentState
from annotator.domain.model import Claim
from annotator.services.assignments import AssignmentService
from annotator.services.project import NotFoundError, ProjectService
from tests.review.scenario import add_two_analysts


@pytest.fixture
def project(seeded_location: Path) -> Iterator[ProjectService]:
    service = ProjectService.open(seeded_location)
    yield service
    service.close()


def test_assign_writes_a_balanced_plan_and_running_it_again_adds_nothing(
        project: ProjectService) -> None:
    assignments = AssignmentService(project)
    documents = [info.id for info in project.documents()]
    added = assignments.assign(["alice", "bob", "carol"], 0.5, seed=3, assigned_by="dave")
    assert len(added) == 4 + 2                   # four documents, round(0.5 * 4) twice
    by_document = Counter(a.document_id for a in added)
    assert sorted(by_document) == sorted(documents)
    assert sorted(by_document.values()) == [1, 1, 2, 2]
    assert sorted(Counter(a.analyst for a in added).values()) == [2, 2, 2]
    stored = assignments.assignments()
    assert {(a.document_id, a.analyst) for a in stored} == \
        {(a.document_id, a.analyst) for a in added}
    assert {(a.status, a.assigned_by, a.done_at) for a in stored} == {("assigned", "dave", None)}
    # Again, and with another analyst: every document has its analysts already.
    started = added[0]
    assignments.set_done(started.document_id, started.analyst)
    assert assignments.assign(["alice", "bob", "carol"], 0.5, seed=3) == []
    assert assignments.assign(["alice", "bob", "carol", "erin"], 1.0, seed=9) == []
    again = assignments.assignments()
    assert len(again) == 6
    assert next(a for a in again if (a.document_id, a.analyst) == (
        started.document_id, started.analyst)).status == "done"
    with pytest.raises(NotFoundError, match="no document nope"):
        assignments.assign(["alice"], 0, document_ids=["nope"])


def test_a_document_is_blind_for_its_assignees_until_all_are_done(
        project: ProjectService) -> None:
    work = add_two_analysts(project)
    doc = work.document.id
    assignments = AssignmentService(project)
    assignments.assign(["alice", "bob"], 1.0, document_ids=[doc])
    assert assignments.blind_documents("alice") == {doc}
    assert assignments.blind_documents("bob") == {doc}
    assert assignments.blind_documents("carol") == set()          # not an assignee

    def seen_by(analyst: str) -> set[str]:
        wanted = assignments.visible_annotators(doc, analyst, None)
        return {c.annotator for c in project.claims(doc, annotators=wanted)}

    assert seen_by("alice") == {"alice"}
    assert seen_by("bob") == {"bob"}
    assert seen_by("carol") == {"alice", "bob"}
    assert assignments.visible_annotators(doc, "alice", {"alice", "bob"}) == {"alice"}
    assert assignments.states_for("alice") == {doc: AssignmentState("assigned", 2, 1)}

    assert assignments.set_done(doc, "alice") == "assigned"
    state = assignments.states_for("alice")[doc]
    assert state.describe() == "Done (waiting for 1)" and state.blind
    assert seen_by("alice") == {"alice"}
    assert {i.id: i.status for i in project.documents()}[doc] != "done"

    assignments.set_done(doc, "bob")
    assert assignments.blind_documents("alice") == set()
    assert seen_by("alice") == {"alice", "bob"}
    assert {i.id: i.status for i in project.documents()}[doc] == "done"
    assert assignments.states_for("bob")[doc].describe() == "Done"

    # Bob takes his back: blind again, and the document is in progress.
    assert assignments.set_done(doc, "bob", done=False) == "done"
    assert assignments.blind_documents("alice") == {doc}
    assert {i.id: i.status for i in project.documents()}[doc] == "in_progress"
    with pytest.raises(NotFoundError, match="carol has no assignment"):
        assignments.set_done(doc, "carol")


def _same_claim_by_both(project: ProjectService, document_id: str) -> None:
    document = project.document(document_id)
    for analyst in ("alice", "bob"):
        project.add_claim(Claim.new(document, 0, 20, annotator=analyst, stance="supports"))


def test_the_queue_lists_finished_documents_most_disagreement_first(
        project: ProjectService) -> None:
    work = add_two_analysts(project)
    merics = work.document.id
    others = [i.id for i in project.documents() if i.id != merics]
    agreed, empty, unfinished = others
    _same_claim_by_both(project, agreed)
    assignments = AssignmentService(project)
    assignments.assign(["alice", "bob"], 1.0)
    assert assignments.queue() == []                 # nobody finished
    for doc in (agreed, merics, empty):
        for analyst in ("alice", "bob"):
            assignments.set_done(doc, analyst)
    assignments.set_done(unfinished, "alice")        # bob is still at it
    queue = assignments.queue()
    assert [e.document_id for e in queue] == [merics, agreed, empty] or \
        [e.document_id for e in queue] == [merics, empty, agreed]
    first = queue[0]
    # The scenario: NASDAQ agreed; H800 (stance), LOSS (boundary), CNY (reliability)
    # and one claim each that the other did not mark differ; 4 of 5 spans match.
    assert (first.analysts, first.units, first.differences) == (("alice", "bob"), 6, 5)
    assert first.span_f1 == pytest.approx(0.8) and first.disagreement == pytest.approx(0.2)
    rest = {e.document_id: e for e in queue[1:]}
    assert (rest[agreed].units, rest[agreed].differences, rest[agreed].span_f1) == (1, 0, 1.0)
    assert (rest[empty].units, rest[empty].differences, rest[empty].span_f1) == (0, 0, None)
    assert first.to_json()["disagreement"] == 0.2

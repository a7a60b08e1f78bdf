"""Whose claims are counted and shown, and carrying an analyst's claims to a new
name: on real project files, with a colleague's work imported as a colleague
sends it (their project file)."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from annotator.domain.analysts import ShownAnalysts, check_analyst_name
from annotator.domain.model import Claim, Document
from annotator.domain.review import Decision, adjudicate
from annotator.services.packages import import_work
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.sample import import_sample_corpus
from tests.review.scenario import NASDAQ, add_two_analysts, merics

#: Complete whatever else it lacks (not a claim: exempt from the requirements).
COMPLETE = {"claim_type": "not_a_claim"}


@pytest.fixture
def project(seeded_project: Path, tmp_path: Path) -> ProjectService:
    """root's project (the login name, before the analyst gave theirs), with bob's
    claims imported from bob's own project file."""
    colleague = tmp_path / "bob.annotator.sqlite"
    bob = ProjectService.open(colleague, create=True)
    try:
        import_sample_corpus(bob)
        add_two_analysts(bob, only="bob")     # bob's five claims, all still to do
    finally:
        bob.close()
    service = ProjectService.open(seeded_project)
    report = import_work(service, colleague)
    assert not report.problems, report.problems
    yield service
    service.close()


def on(document: Document, quote: str, analyst: str, **labels: object) -> Claim:
    start = document.text.index(quote)
    return Claim.new(document, start, start + len(quote), annotator=analyst, **labels)


def counts(service: ProjectService, annotators: frozenset[str] | None) -> tuple[int, int]:
    """(claims, still to do) on the MERICS briefing, as the document list counts them."""
    document = merics(service)
    info = next(i for i in service.documents(annotators=annotators) if i.id == document.id)
    return info.claim_count, info.incomplete_count


def test_counts_and_claims_are_of_the_analysts_shown(project: ProjectService) -> None:
    document = merics(project)
    mine = on(document, NASDAQ, "root")                         # to do: nothing set
    done = on(document, "DeepSeek", "root", **COMPLETE)
    unnamed = on(document, "Nvidia", "")                       # from before names
    project.add_claims([mine, done, unnamed])

    own = ShownAnalysts("root")
    assert counts(project, own.annotators()) == (3, 2)
    assert counts(project, ShownAnalysts.everyone("root").annotators()) == (8, 7)
    assert counts(project, ShownAnalysts("root", frozenset({"bob"})).annotators()) == (8, 7)
    assert counts(project, frozenset({"carol"})) == (0, 0)
    assert counts(project, None) == (8, 7)

    shown = project.claims(document.id, document.text, annotators=own.annotators())
    assert [c.id for c in shown] == [c.id for c in sorted([mine, done, unnamed],
                                                          key=lambda c: (c.start, c.end, c.id))]
    assert len(project.claims(document.id, annotators=None)) == 8
    assert {c.annotator for c in project.claims(document.id, annotators={"bob"})} == {"bob"}
    assert project.claim_count(annotators={"root"}) == 2
    assert project.claim_count() == 8
    # The status bar's total is the list's sum: only the analysts shown.
    assert sum(i.claim_count for i in project.documents(annotators=own.annotators())) == 3


def test_reassigning_carries_the_claims_in_one_step_and_puts_them_back(
        project: ProjectService) -> None:
    document = merics(project)
    root = [on(document, NASDAQ, "root"), on(document, "DeepSeek", "root", **COMPLETE)]
    project.add_claims(root)
    before = {c.id: project.claim(c.id) for c in root}
    bob_before = {c.id: c for c in project.claims(document.id) if c.annotator == "bob"}

    changed = project.reassign_claims("root", "alice")

    assert set(changed) == set(before)
    assert changed == {key: claim.updated_at for key, claim in before.items()}
    for key in before:
        after = project.claim(key)
        assert after.annotator == "alice"
        assert after.updated_at > before[key].updated_at   # a newer edit: exchanges carry it
        assert dataclasses.replace(after, annotator="root",
                                   updated_at=before[key].updated_at) == before[key]
    assert {c.id: c for c in project.claims(document.id)
            if c.annotator == "bob"} == bob_before      # a colleague's claims are theirs
    assert counts(project, ShownAnalysts("alice").annotators()) == (2, 1)

    assert project.restore_claim_authors("root", changed) == sorted(before)
    assert {key: project.claim(key) for key in before} == before
    assert project.reassign_claims("nobody", "alice") == {}


def test_reassigning_only_the_given_claims(project: ProjectService) -> None:
    document = merics(project)
    first, second = on(document, NASDAQ, "root"), on(document, "DeepSeek", "root")
    project.add_claims([first, second])
    changed = project.reassign_claims("root", "alice", claim_ids=[first.id])
    assert list(changed) == [first.id]
    assert project.claim(second.id).annotator == "root"
    with pytest.raises(ValueError, match="name"):
        project.reassign_claims("root", "")


def test_gold_decisions_comments_and_history_keep_their_authors(
        project: ProjectService) -> None:
    document = merics(project)
    review = ReviewService(project)
    mine = on(document, NASDAQ, "root", **COMPLETE)
    project.add_claim(mine)
    bob = next(c for c in project.claims(document.id)
               if c.annotator == "bob" and c.quote == NASDAQ)
    decision = adjudicate(Decision.ACCEPT, [mine, bob], adjudicator="root", span_from=mine)
    review.add_adjudication(decision)
    # An older version of root's claim arrived from elsewhere: kept in its history.
    older = dataclasses.replace(mine, note="first thoughts",
                                updated_at=mine.updated_at - timedelta(hours=1))
    project.merge_claims([older])

    changed = project.reassign_claims("root", "alice")

    assert list(changed) == [mine.id]
    assert project.claim(mine.id).annotator == "alice"
    stored = review.adjudication(decision.id)
    assert stored.adjudicator == "root"
    assert stored.gold is not None and stored.gold.annotator == "root"
    assert [c.annotator for c in review.gold_claims(document.id)] == ["root"]
    (history,) = review.history(mine.id)
    assert history.record["annotator"] == "root" and history.record["note"] == "first thoughts"


def test_reassigning_is_one_transaction(project: ProjectService) -> None:
    """A write that fails half way leaves every claim with its old name."""
    document = merics(project)
    claims = [on(document, NASDAQ, "root"), on(document, "DeepSeek", "root")]
    project.add_claims(claims)
    path = project.location
    with sqlite3.connect(path) as connection:      # the second row's update is refused
        connection.execute(
            "CREATE TRIGGER refuse BEFORE UPDATE OF annotator ON claims "
            f"WHEN NEW.id = '{max(c.id for c in claims)}' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(Exception, match="refused"):
        project.reassign_claims("root", "alice")
    assert {project.claim(c.id).annotator for c in claims} == {"root"}


@pytest.mark.parametrize(("name", "reason"), [
    ("", "empty"), ("   ", "empty"), ("al\nice", "one line"), ("x" * 201, "longer"),
])
def test_bad_analyst_names_are_refused_with_the_reason(name: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        check_analyst_name(name)
    assert check_analyst_name("  Dana Scully ") == "Dana Scully"


def test_the_choice_of_analysts_round_trips_as_a_setting() -> None:
    for shown in (ShownAnalysts("alice"), ShownAnalysts.everyone("alice"),
                  ShownAnalysts.with_colleagues("alice", ["carol", "bob", "alice"])):
        assert ShownAnalysts.from_setting("alice", shown.to_setting()) == shown
    assert ShownAnalysts.with_colleagues("alice", ["bob", "alice"]).colleagues == {"bob"}
    assert ShownAnalysts.from_setting("alice", None) == ShownAnalysts("alice")
    assert ShownAnalysts.from_setting("alice", "all").all_analysts
    assert ShownAnalysts.from_setting("alice", ["garbage"]).own_only
    assert ShownAnalysts("alice", frozenset({"bob"})).describe() == "My claims + bob"
    assert ShownAnalysts("alice").shows("") and not ShownAnalysts("alice").shows("bob")

"""Two analysts work apart on the seeds, exchange their work through files (a
JSONL export, a dataset package, a project file), and a reviewer compares,
measures agreement and adjudicates, all through the command line and the
services, on real project files."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.domain.review import Decision, ReviewComment, adjudicate
from annotator.review import BY_ALL, BY_ONE, BY_SOME, Matching
from annotator.services.packages import import_project
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.sample import import_sample_corpus
from tests.review.reference import nltk_alpha, nltk_kappa
from tests.review.scenario import (
    LOSS_BOB,
    TwoAnalysts,
    add_two_analysts,
    disagreeing,
    merics,
    units_by,
)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def new_project(path: Path, analyst: str | None) -> TwoAnalysts:
    service = ProjectService.open(path, create=True)
    try:
        import_sample_corpus(service)
        return add_two_analysts(service, only=analyst) if analyst else TwoAnalysts(
            merics(service))
    finally:
        service.close()


def table_rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


@pytest.fixture
def projects(tmp_path: Path) -> dict[str, Path]:
    paths = {name: tmp_path / f"{name}.annotator.sqlite" for name in ("alice", "bob", "carol")}
    new_project(paths["alice"], "alice")
    new_project(paths["bob"], "bob")
    new_project(paths["carol"], None)
    return paths


def test_work_exchanged_through_files_is_compared_measured_and_adjudicated(
        projects: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alice, bob, carol = projects["alice"], projects["bob"], projects["carol"]
    # Bob sends "my work" as JSONL; alice sends her whole project file and a package.
    code, _, err = run(capsys, "export", "--project", bob, "--annotators", "bob",
                       "-o", tmp_path / "bob.jsonl")
    assert code == 0, err
    code, _, err = run(capsys, "export", "--project", alice, "--format", "package",
                       "--annotators", "alice", "-o", tmp_path / "alice.zip")
    assert code == 0, err

    code, out, err = run(capsys, "import-annotations", "--project", carol, tmp_path / "bob.jsonl")
    assert (code, err) == (0, "") and "5 claims added" in out
    alice_file = alice.read_bytes()
    code, out, err = run(capsys, "import-annotations", "--project", carol, alice)
    assert (code, err) == (0, ""), err
    assert "5 claims added" in out
    # Importing the same work again (as a package this time) changes nothing.
    before = {t: table_rows(carol, t) for t in ("claims", "documents", "claim_history")}
    for again in (tmp_path / "alice.zip", alice, tmp_path / "bob.jsonl"):
        code, out, err = run(capsys, "import-annotations", "--project", carol, again)
        assert code == 0, err
        assert {t: table_rows(carol, t) for t in before} == before, again
    # Alice's project file was only read.
    assert alice.read_bytes() == alice_file

    # Agreement from the command line, against NLTK on the same reliability data:
    # stance on the four matched spans (text order) and source reliability ranks.
    code, out, err = run(capsys, "agreement", "--project", carol, "--annotators", "alice,bob",
                         "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    stance = [("supports", "supports"), ("supports", "refutes"), ("supports", "supports"),
              ("neutral", "neutral")]
    assert report["stance"]["cohen_kappa"] == pytest.approx(nltk_kappa(stance))
    assert report["stance"]["krippendorff_alpha"] == pytest.approx(nltk_alpha(stance))
    assert report["spans"]["exact"]["precision"] == pytest.approx(3 / 5)
    assert report["spans"]["overlap"]["recall"] == pytest.approx(4 / 5)
    assert set(report) >= {"stance", "source_reliability", "info_credibility", "claim_type",
                           "spans"}
    code, out, _ = run(capsys, "agreement", "--project", carol, "--match", "exact")
    assert code == 0 and "Spans, exact match" in out and "0.600" in out

    # The reviewer adjudicates; analysts' claims stay as imported.
    service = ProjectService.open(carol)
    try:
        review = ReviewService(service)
        document = merics(service)
        units = review.compare(["alice", "bob"], Matching("jaccard", 0.5)).documents[
            document.id]
        assert [len(units_by(units, BY_ALL)), len(units_by(units, BY_SOME)),
                len(units_by(units, BY_ONE)), len(disagreeing(units))] == [4, 0, 2, 2]
        analysts_before = table_rows(carol, "claims")
        loss = next(u for u in units_by(units, BY_ALL) if not u.same_span)
        review.add_adjudication(adjudicate(
            Decision.MERGE, list(loss.claims.values()), adjudicator="carol",
            span_from=loss.claims["bob"], labels_from=loss.claims["alice"]))
        for unit in units_by(units, BY_ONE):
            review.add_adjudication(adjudicate(Decision.REJECT, list(unit.claims.values()),
                                               adjudicator="carol"))
        assert table_rows(carol, "claims") == analysts_before
    finally:
        service.close()

    code, _, err = run(capsys, "export", "--project", carol, "--gold-only",
                       "-o", tmp_path / "gold.jsonl")
    assert code == 0, err
    gold = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text().splitlines()]
    assert len(gold) == 1
    record = gold[0]
    assert record["quote"] == LOSS_BOB and record["annotator"] == "carol"
    assert record["review_status"] == "gold"
    assert record["provenance"]["decision"] == "merge"
    assert record["provenance"]["span_from"] == loss.claims["bob"].id
    assert record["provenance"]["labels_from"] == loss.claims["alice"].id
    assert document.text[record["start"]:record["end"]] == record["quote"]
    code, _, err = run(capsys, "export", "--project", carol, "-o", tmp_path / "all.jsonl")
    statuses = {r["id"]: r["review_status"] for r in map(
        json.loads, (tmp_path / "all.jsonl").read_text().splitlines())}
    assert statuses[loss.claims["bob"].id] == statuses[loss.claims["alice"].id] == "accepted"
    assert sorted(statuses.values()).count("rejected") == 2
    assert sorted(statuses.values()).count("unreviewed") == 6

    # The data card reports agreement before adjudication, also for a gold package.
    code, _, err = run(capsys, "export", "--project", carol, "--format", "package",
                       "--gold-only", "-o", tmp_path / "gold-package")
    assert code == 0, err
    card = (tmp_path / "gold-package" / "README.md").read_text(encoding="utf-8")
    assert "before adjudication" in card
    assert f"| Stance | {report['stance']['cohen_kappa']:.3f} |" in card
    assert "- Claim type, Cohen's κ: both analysts gave every unit 'quantity'" in card


def test_a_newer_edit_from_a_colleague_updates_and_keeps_the_older_in_history(
        projects: dict[str, Path], tmp_path: Path) -> None:
    carol = ProjectService.open(projects["carol"])
    try:
        assert import_project(carol, projects["bob"]).claims_added == 5
        bob = ProjectService.open(projects["bob"])
        try:
            claim = next(c for c in bob.claims(merics(bob).id) if c.stance == "refutes")
            bob.update_claim(dataclasses.replace(
                claim, stance="neutral", updated_at=claim.updated_at + timedelta(hours=1)))
        finally:
            bob.close()
        report = import_project(carol, projects["bob"])
        assert (report.claims_updated, report.claims_unchanged) == (1, 4)
        assert carol.claim(claim.id).stance == "neutral"
        history = ReviewService(carol).history(claim.id)
        assert [entry.record["stance"] for entry in history] == [claim.stance]
        again = import_project(carol, projects["bob"])
        assert (again.claims_updated, again.claims_unchanged) == (0, 5)
        assert len(ReviewService(carol).history(claim.id)) == 1
    finally:
        carol.close()


def test_importing_something_that_is_not_a_project_names_the_file(
        projects: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.sqlite"
    with sqlite3.connect(bogus) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    code, _, err = run(capsys, "import-annotations", "--project", projects["carol"], bogus)
    assert code == 2
    assert str(bogus) in err and "not an Annotator project" in err
    code, _, err = run(capsys, "import-annotations", "--project", projects["carol"],
                       projects["carol"])
    assert code == 2 and "the project you are working in" in err


def test_review_comments_travel_back_to_the_claims_author(
        projects: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alice, carol = projects["alice"], projects["carol"]
    code, _, err = run(capsys, "import-annotations", "--project", carol, alice)
    assert code == 0, err
    service = ProjectService.open(carol)
    try:
        claim = next(c for c in service.claims(merics(service).id) if c.annotator == "alice")
        comment = ReviewService(service).add_comment(
            ReviewComment.new(claim.id, "carol", "Which market index?\nCheck the source."))
    finally:
        service.close()
    for form in ("jsonl", "package"):
        out = tmp_path / f"reviewed-{form}"
        code, _, err = run(capsys, "export", "--project", carol, "--format", form, "-o", out)
        assert code == 0, err
        code, out_text, err = run(capsys, "import-annotations", "--project", alice, out)
        assert code == 0, err
        assert ("1 review comments added" in out_text) == (form == "jsonl"), out_text
    service = ProjectService.open(alice)
    try:
        received = ReviewService(service).comments_for("alice")
    finally:
        service.close()
    assert [(c, cl.id) for c, cl in received] == [(comment, claim.id)]


def test_agreement_names_each_analyst_once(projects: dict[str, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    carol = projects["carol"]
    for source in (projects["alice"], projects["bob"]):
        assert run(capsys, "import-annotations", "--project", carol, source)[0] == 0
    code, out, err = run(capsys, "agreement", "--project", carol,
                         "--annotators", "alice,alice,bob")
    assert (code, err) == (0, "") and "Analysts: alice, bob;" in out
    code, _, err = run(capsys, "agreement", "--project", carol, "--annotators", "alice,alice")
    assert code == 2 and err.count("\n") == 1 and "two analysts" in err


def test_a_colleagues_project_file_is_read_without_writing_beside_it(
        projects: dict[str, Path], tmp_path: Path) -> None:
    """Nothing is created next to their file (no -wal, no -shm): it may sit in a
    read-only folder or a shared one. A log their app left is read, not lost."""
    shared = tmp_path / "shared"
    shared.mkdir()
    colleague = shared / "alice.annotator.sqlite"
    colleague.write_bytes(projects["alice"].read_bytes())
    before = colleague.read_bytes()
    carol = ProjectService.open(projects["carol"])
    try:
        report = import_project(carol, colleague)
        assert report.claims_added == 5
        assert sorted(p.name for p in shared.iterdir()) == [colleague.name]
        assert colleague.read_bytes() == before
        # Their app still open, with a claim only in its write-ahead log: the log
        # is read (from a copy), and still nothing is created or changed beside it.
        writer = sqlite3.connect(colleague)
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE claims SET note = 'only in the log', updated_at = "
                       "'2099-01-01 00:00:00.000000' WHERE annotator = 'alice'")
        writer.commit()
        files = {p.name: p.read_bytes() for p in shared.iterdir()}
        assert f"{colleague.name}-wal" in files
        import_project(carol, colleague)
        assert {p.name: p.read_bytes() for p in shared.iterdir()} == files
        writer.close()
        reader = sqlite3.connect(projects["carol"])
        try:
            notes = {row[0] for row in reader.execute(
                "SELECT note FROM claims WHERE annotator = 'alice'")}
        finally:
            reader.close()
        assert notes == {"only in the log"}
    finally:
        carol.close()

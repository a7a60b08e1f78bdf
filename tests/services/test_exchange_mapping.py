"""Issue 11's reproductions, on real project files: importing a colleague's work
maps their codebook onto ours (renamed keys, reworded propositions, both ways),
never adds a label silently, reports progress and can be cancelled; agreement
compares only the documents every analyst has."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.domain.codebook import Dimension, Label, with_labels
from annotator.domain.model import Claim, Document
from annotator.review import Matching
from annotator.services import exports, packages
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService

TEXTS = [f"Document {n}. The ministry said exports rose by {n} percent in May. "
         f"Critics said the figure for {n} was wrong and the chips came from elsewhere."
         for n in range(4)]
OLD = "Export controls on AI chips have failed"
NEW = "US export controls on AI chips have failed"


def project(path: Path, documents: list[str]) -> ProjectService:
    service = ProjectService.open(path, create=True)
    for number, text in enumerate(documents):
        service.add_document(Document.from_text(text, title=f"Doc {number}"))
    return service


def doc(service: ProjectService, text: str) -> Document:
    found = service.document_by_sha256(Document.from_text(text, title="x").sha256)
    assert found is not None
    return found


def mark(service: ProjectService, analyst: str, text: str, quote: str, **labels) -> Claim:
    document = doc(service, text)
    start = document.text.index(quote)
    claim = Claim.new(document, start, start + len(quote), annotator=analyst,
                      source_reliability="B", info_credibility=2, **labels)
    service.add_claim(claim)
    return claim


def stance_keys(service: ProjectService) -> list[str]:
    return [label.key for label in CodebookService(service.database).codebook().of(
        Dimension.STANCE)]


def rename_and_reword(service: ProjectService) -> None:
    """What the user did: rename stance unclear → undetermined, reword a proposition."""
    books = CodebookService(service.database)
    books.add_proposition(OLD)
    codebook = books.codebook()
    labels = [dataclasses.replace(label, key="undetermined", name="Undetermined")
              if label.key == "unclear" else label for label in codebook.of(Dimension.STANCE)]
    books.apply(with_labels(codebook, Dimension.STANCE, labels), "Rename unclear",
                renames={Dimension.STANCE: {"unclear": "undetermined"}})
    codebook = books.codebook()
    propositions = tuple(dataclasses.replace(p, text=NEW) if p.text == OLD else p
                         for p in codebook.propositions)
    books.apply(dataclasses.replace(codebook, propositions=propositions), "Reword",
                proposition_renames={OLD: NEW})


@pytest.fixture
def pair(tmp_path: Path):
    """``me`` renamed and reworded; ``bob`` labelled with the old codebook."""
    me = project(tmp_path / "me.annotator.sqlite", TEXTS[:2])
    bob = project(tmp_path / "bob.annotator.sqlite", TEXTS[:2])
    rename_and_reword(me)
    CodebookService(bob.database).add_proposition(OLD)     # his own id for it
    yield me, bob
    me.close()
    bob.close()


def test_a_renamed_key_and_a_reworded_proposition_map_instead_of_splitting(pair) -> None:
    me, bob = pair
    claim = mark(bob, "bob", TEXTS[0], "exports rose", stance="unclear", proposition=OLD)
    version = CodebookService(me.database).codebook().version
    bob.close()
    report = packages.import_work(me, bob.location)
    assert report.problems == [] and report.claims_added == 1
    assert report.labels_added == [] and not report.codebook_adopted
    assert stance_keys(me) == ["supports", "refutes", "neutral", "undetermined"]
    codebook = CodebookService(me.database).codebook()
    assert [p.text for p in codebook.propositions] == [NEW]
    assert codebook.version == version          # nothing to add: no new version
    stored = me.claim(claim.id)
    assert (stored.stance, stored.proposition) == ("undetermined", NEW)


def test_the_history_travels_with_the_codebook_and_maps_the_other_way(pair, tmp_path) -> None:
    me, bob = pair
    claim = mark(me, "me", TEXTS[1], "the figure", stance="undetermined", proposition=NEW)
    exports.export(me, "package", tmp_path / "mine")
    codebook = json.loads((tmp_path / "mine" / "codebook.json").read_text(encoding="utf-8"))
    assert {"dimension": "stance", "from": "unclear", "to": "undetermined"} in \
        codebook["history"]
    assert {"dimension": "proposition", "from": OLD, "to": NEW} in codebook["history"]
    report = packages.import_work(bob, tmp_path / "mine")
    assert report.problems == [] and report.labels_added == []
    assert stance_keys(bob) == ["supports", "refutes", "neutral", "unclear"]
    stored = bob.claim(claim.id)
    assert (stored.stance, stored.proposition) == ("unclear", OLD)


def test_compare_counts_renamed_labels_as_agreement(pair) -> None:
    me, bob = pair
    quotes = ["exports rose", "The ministry said", "the figure", "chips came"]
    mine = ["supports", "refutes", "undetermined", "undetermined"]
    his = ["supports", "refutes", "unclear", "unclear"]
    for quote, stance in zip(quotes, mine, strict=True):
        mark(me, "me", TEXTS[0], quote, stance=stance)
    for quote, stance in zip(quotes, his, strict=True):
        mark(bob, "bob", TEXTS[0], quote, stance=stance)
    bob.close()
    packages.import_work(me, bob.location)
    report = ReviewService(me).agreement(["me", "bob"], Matching("exact"))
    assert report["stance"]["cohen_kappa"] == pytest.approx(1.0)
    assert report["counts"]["label_disagreements"] == 0


def test_a_label_that_maps_onto_nothing_is_refused_before_anything_is_written(
        pair, capsys: pytest.CaptureFixture[str]) -> None:
    me, bob = pair
    books = CodebookService(bob.database)
    codebook = books.codebook()
    books.apply(with_labels(codebook, Dimension.STANCE, [
        *codebook.of(Dimension.STANCE), Label(Dimension.STANCE, "maybe", "Maybe")]), "Add")
    mark(bob, "bob", TEXTS[0], "exports rose", stance="maybe")
    mark(bob, "bob", TEXTS[1], "exports rose", stance="unclear")
    bob.close()
    before = (me.claim_count(), CodebookService(me.database).codebook())
    with pytest.raises(packages.UnmappedLabels) as refused:
        packages.import_work(me, bob.location)
    assert "stance “maybe” (Maybe)" in str(refused.value)
    assert [entry.key for entry in refused.value.mapping.unmapped()] == ["maybe"]
    assert (me.claim_count(), CodebookService(me.database).codebook()) == before
    mine = me.location
    me.close()

    assert main(["import-annotations", "--project", mine, bob.location]) == 2
    err = capsys.readouterr().err
    assert "stance “maybe” (Maybe)" in err and "--add-new-labels" in err
    assert main(["import-annotations", "--project", mine, bob.location,
                 "--add-new-labels"]) == 0
    assert "2 claims added" in capsys.readouterr().out
    again = ProjectService.open(mine)
    try:
        assert stance_keys(again) == ["supports", "refutes", "neutral", "undetermined",
                                      "maybe"]
    finally:
        again.close()


def test_progress_is_told_and_a_cancel_stores_no_claim(pair) -> None:
    me, bob = pair
    bob_codebook = CodebookService(bob.database)
    codebook = bob_codebook.codebook()
    bob_codebook.apply(with_labels(codebook, Dimension.STANCE, [
        *codebook.of(Dimension.STANCE), Label(Dimension.STANCE, "maybe", "Maybe")]), "Add")
    document = doc(bob, TEXTS[0])
    bob.add_claims([Claim.new(document, n % 120, n % 120 + 5 + n // 120, annotator="bob",
                              stance="maybe") for n in range(600)])
    bob.close()
    before = (me.claim_count(), CodebookService(me.database).codebook())
    stages: list[tuple[str, int, int]] = []

    def cancel_while_storing() -> bool:
        return any(stage == "Storing their claims" and done >= 250
                   for stage, done, _ in stages)

    with pytest.raises(packages.ImportCancelled) as cancelled:
        packages.import_work(me, bob.location, add_new_labels=True,
                             progress=lambda *told: stages.append(told),
                             cancelled=cancel_while_storing)
    assert cancelled.value.report.claims_added == 0
    assert (me.claim_count(), CodebookService(me.database).codebook()) == before
    assert [s for s, _, _ in stages][:2] == ["Copying their project", "Reading their claims"]
    assert ("Storing their claims", 250, 600) in stages

    report = packages.import_work(me, bob.location, add_new_labels=True)
    assert report.claims_added == 600 and report.labels_added == ["stance: maybe"]


def test_agreement_counts_only_documents_every_analyst_has(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    me = project(tmp_path / "me.annotator.sqlite", TEXTS[:3])
    bob = project(tmp_path / "bob.annotator.sqlite", [TEXTS[0], TEXTS[3]])
    for text in TEXTS[:3]:
        mark(me, "me", text, "exports rose", stance="supports")
        mark(me, "me", text, "the figure", stance="refutes")
    mark(bob, "bob", TEXTS[0], "exports rose", stance="supports")
    mark(bob, "bob", TEXTS[0], "the figure", stance="refutes")
    mark(bob, "bob", TEXTS[3], "exports rose", stance="supports")   # a document I never had
    bob.close()
    packages.import_work(me, bob.location)
    report = ReviewService(me).agreement(["me", "bob"], Matching("exact"))
    assert report["counts"]["documents"] == 1 and report["counts"]["by_one"] == 0
    assert report["spans"]["exact"]["precision"] == pytest.approx(1.0)
    assert sorted(item["title"] for item in report["left_out"]) == ["Doc 1", "Doc 1",
                                                                    "Doc 2"]
    me.close()
    assert main(["agreement", "--project", str(tmp_path / "me.annotator.sqlite"),
                 "--annotators", "me,bob"]) == 0
    out = capsys.readouterr().out
    assert "Left out 3 documents not every compared analyst has" in out
    assert "  Doc 2 (" in out


def test_a_document_they_had_but_marked_nothing_in_still_counts(tmp_path: Path) -> None:
    me = project(tmp_path / "me.annotator.sqlite", TEXTS[:2])
    bob = project(tmp_path / "bob.annotator.sqlite", TEXTS[:2])
    for text in TEXTS[:2]:
        mark(me, "me", text, "exports rose", stance="supports")
    mark(bob, "bob", TEXTS[0], "exports rose", stance="supports")
    bob.close()
    packages.import_work(me, bob.location)
    report = ReviewService(me).agreement(["me", "bob"], Matching("exact"))
    assert report["counts"]["documents"] == 2 and report["counts"]["by_one"] == 1
    assert report["left_out"] == []
    me.close()

"""CodebookService on a real project with claims: every change is a new version
and a migration of the claims' labels, never a loss of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.domain.codebook import (
    STANCE_MAPPINGS,
    Codebook,
    CodebookError,
    Dimension,
    Proposition,
    stance_preset,
    with_labels,
)
from annotator.domain.model import Claim
from annotator.services import exports
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.storage.models import CodebookVersionRow

PROPOSITION = "US export controls on AI chips have failed"


@pytest.fixture
def project(seeded_location: Path) -> Iterator[ProjectService]:
    service = ProjectService.open(seeded_location)
    yield service
    service.close()


@pytest.fixture
def codebooks(project: ProjectService) -> CodebookService:
    return CodebookService(project.database)


def add_claims(project: ProjectService, *labels: dict) -> list[Claim]:
    document = project.document(project.documents()[0].id)
    claims = [Claim.new(document, 20 * i, 20 * i + 10, annotator="tester", **values)
              for i, values in enumerate(labels)]
    project.add_claims(claims)
    return claims


def fresh(path: Path) -> tuple[ProjectService, CodebookService]:
    """A second connection to the same file: what is really on disk."""
    service = ProjectService.open(path)
    return service, CodebookService(service.database)


def stances(service: ProjectService) -> dict[str, str | None]:
    return {claim.id: claim.stance for info in service.documents()
            for claim in service.claims(info.id)}


def relabelled(codebook: Codebook, dimension: Dimension, old: str, **changes) -> Codebook:
    labels = [replace(label, **changes) if label.key == old else label
              for label in codebook.of(dimension)]
    return with_labels(codebook, dimension, labels)


def test_rename_relabels_claims_and_snapshots_a_new_version(project, codebooks,
                                                            seeded_location):
    claims = add_claims(project, {"stance": "unclear"}, {"stance": "unclear"},
                        {"stance": "supports"})
    before = codebooks.codebook()
    stored = codebooks.apply(relabelled(before, Dimension.STANCE, "unclear", key="undecided"),
                             "Rename unclear", renames={Dimension.STANCE: {"unclear": "undecided"}})
    assert stored.version == before.version + 1

    service, other = fresh(seeded_location)
    try:
        assert stances(service) == {claims[0].id: "undecided", claims[1].id: "undecided",
                                    claims[2].id: "supports"}
        assert other.usage(Dimension.STANCE, "undecided") == 2
        assert other.usage(Dimension.STANCE, "unclear") == 0
        versions = other.versions()
        assert [(v, change) for v, _, change in versions][-2:] == [
            (1, "Default codebook"), (2, "Rename unclear")]
        snapshot_keys = [label["key"] for label in
                         _snapshot(service, 2)["dimensions"]["stance"]["labels"]]
        assert snapshot_keys == ["supports", "refutes", "neutral", "undecided"]
    finally:
        service.close()


def _snapshot(service: ProjectService, version: int) -> dict:
    with service.database.reading() as session:
        return session.get(CodebookVersionRow, version).snapshot


def test_retire_keeps_claims_and_exports_still_carry_the_key(project, codebooks,
                                                             seeded_location, tmp_path):
    (claim,) = add_claims(project, {"stance": "neutral"})
    codebooks.apply(relabelled(codebooks.codebook(), Dimension.STANCE, "neutral",
                               retired=True), "Retire neutral")
    service, other = fresh(seeded_location)
    try:
        label = other.codebook().label(Dimension.STANCE, "neutral")
        assert label is not None and label.retired
        assert [lb.key for lb in other.codebook().of(Dimension.STANCE,
                                                     include_retired=False)] == [
            "supports", "refutes", "unclear"]
        assert service.claim(claim.id).stance == "neutral"
        out = tmp_path / "claims.jsonl"
        assert exports.export(service, "jsonl", out).claims == 1
        assert json.loads(out.read_text(encoding="utf-8"))["stance"] == "neutral"
    finally:
        service.close()


def test_deleting_a_label_in_use_is_refused_with_the_count(project, codebooks,
                                                           seeded_location):
    add_claims(project, {"stance": "refutes"}, {"stance": "refutes"},
               {"claim_type": "quantity"})
    before = codebooks.codebook()
    without = with_labels(before, Dimension.STANCE,
                          [lb for lb in before.of(Dimension.STANCE) if lb.key != "refutes"])
    with pytest.raises(CodebookError, match=r"“refutes” is used by 2 claims"):
        codebooks.apply(without, "Delete refutes")
    without_type = with_labels(before, Dimension.CLAIM_TYPE, [
        lb for lb in before.of(Dimension.CLAIM_TYPE) if lb.key != "quantity"])
    with pytest.raises(CodebookError, match=r"“quantity” is used by 1 claim;"):
        codebooks.apply(without_type, "Delete quantity")

    service, other = fresh(seeded_location)
    try:
        assert other.codebook() == before
        assert len(other.versions()) == 1
        assert sorted(stances(service).values(), key=str) == [None, "refutes", "refutes"]
    finally:
        service.close()


def test_deleting_an_unused_label_is_allowed(codebooks):
    before = codebooks.codebook()
    after = with_labels(before, Dimension.STANCE,
                        [lb for lb in before.of(Dimension.STANCE) if lb.key != "unclear"])
    assert codebooks.apply(after, "Delete unclear").label(Dimension.STANCE, "unclear") is None


def test_admiralty_grades_keep_their_keys(project, codebooks):
    add_claims(project, {"source_reliability": "B", "info_credibility": 2})
    before = codebooks.codebook()
    renamed = relabelled(before, Dimension.SOURCE_RELIABILITY, "B", key="B2")
    with pytest.raises(CodebookError, match="keep their keys"):
        codebooks.apply(renamed, "Rename B",
                        renames={Dimension.SOURCE_RELIABILITY: {"B": "B2"}})
    dropped = with_labels(before, Dimension.INFO_CREDIBILITY, [
        lb for lb in before.of(Dimension.INFO_CREDIBILITY) if lb.key != "5"])
    with pytest.raises(CodebookError, match="keep their keys"):
        codebooks.apply(dropped, "Delete 5")
    # names, descriptions and colours are free
    described = relabelled(before, Dimension.INFO_CREDIBILITY, "2", name="Likely true",
                           colour="#123456", description="Our wording")
    after = codebooks.apply(described, "Reword 2")
    assert after.label(Dimension.INFO_CREDIBILITY, "2").name == "Likely true"
    assert codebooks.usage(Dimension.INFO_CREDIBILITY, "2") == 1
    six = after.label(Dimension.INFO_CREDIBILITY, "6")
    assert six is not None and not six.judgeable
    assert after.grade_rank(Dimension.INFO_CREDIBILITY, "6") is None


def test_preset_switch_relabels_through_the_mapping(project, codebooks, seeded_location):
    claims = add_claims(project, {"stance": "supports"}, {"stance": "refutes"},
                        {"stance": "unclear"})
    before = codebooks.codebook()
    mapping = STANCE_MAPPINGS[("default", "fnc1")]
    unclear = replace(before.label(Dimension.STANCE, "unclear"), retired=True)
    after = with_labels(before, Dimension.STANCE, [*stance_preset("fnc1"), unclear])
    # without the mapping the switch would orphan claims: refused
    with pytest.raises(CodebookError, match="used by 1 claim"):
        codebooks.apply(after, "FNC-1")
    codebooks.apply(after, "FNC-1", renames={Dimension.STANCE: mapping})
    service, other = fresh(seeded_location)
    try:
        assert stances(service) == {claims[0].id: "agree", claims[1].id: "disagree",
                                    claims[2].id: "unclear"}
        kept = other.codebook().label(Dimension.STANCE, "unclear")
        assert kept is not None and kept.retired
    finally:
        service.close()


def test_proposition_rename_relabels_and_delete_in_use_is_refused(project, codebooks,
                                                                  seeded_location):
    codebooks.add_proposition(f"  {PROPOSITION} ")
    codebooks.add_proposition("Unused proposition")
    claims = add_claims(project, {"proposition": PROPOSITION}, {"proposition": PROPOSITION})
    before = codebooks.codebook()
    assert [p.text for p in before.propositions] == [PROPOSITION, "Unused proposition"]
    assert codebooks.proposition_usage(PROPOSITION) == 2

    without = replace(before, propositions=before.propositions[1:])
    with pytest.raises(CodebookError, match="used by 2 claims"):
        codebooks.apply(without, "Delete proposition")

    reworded = "US export controls on AI chips did not work"
    first = replace(before.propositions[0], text=reworded)
    after = codebooks.apply(replace(before, propositions=(first, before.propositions[1])),
                            "Reword", proposition_renames={PROPOSITION: reworded})
    assert after.propositions[0].id == before.propositions[0].id
    after = codebooks.apply(replace(after, propositions=after.propositions[:1]),
                            "Delete unused")
    service, other = fresh(seeded_location)
    try:
        assert {service.claim(c.id).proposition for c in claims} == {reworded}
        assert [p.text for p in other.codebook().propositions] == [reworded]
    finally:
        service.close()


def test_retired_proposition_and_tags_round_trip(codebooks):
    before = codebooks.codebook()
    after = codebooks.apply(replace(before, propositions=(
        Proposition("p1", "A proposition", "Why it matters", retired=True),),
        tags=("hedge", "quote")), "Propositions and tags")
    assert codebooks.codebook() == after
    assert codebooks.codebook().tags == ("hedge", "quote")


def test_every_change_is_a_version_with_a_snapshot(codebooks, seeded_location):
    first = codebooks.codebook()
    second = codebooks.apply(relabelled(first, Dimension.STANCE, "neutral", name="Neither"),
                             "Rename neutral")
    third = codebooks.apply(relabelled(second, Dimension.STANCE, "neutral", colour="#000000"),
                            "Recolour neutral")
    assert (first.version, second.version, third.version) == (1, 2, 3)
    service, other = fresh(seeded_location)
    try:
        assert [(v, c) for v, _, c in other.versions()] == [
            (1, "Default codebook"), (2, "Rename neutral"), (3, "Recolour neutral")]
        names = {v: next(lb["name"] for lb in _snapshot(service, v)["dimensions"]["stance"]
                         ["labels"] if lb["key"] == "neutral") for v in (1, 2, 3)}
        assert names == {1: "Neutral", 2: "Neither", 3: "Neither"}
        assert other.codebook().version == 3
    finally:
        service.close()


def test_invalid_codebooks_change_nothing(codebooks):
    before = codebooks.codebook()
    for change in ({"shortcut": "1"}, {"colour": "red"}, {"key": "supports"}):
        bad = relabelled(before, Dimension.STANCE, "refutes", **change)
        with pytest.raises(CodebookError):
            codebooks.apply(bad, "bad")
    assert codebooks.codebook() == before
    assert len(codebooks.versions()) == 1


def test_renames_and_deletions_count_and_relabel_the_gold_layer_too(
        project, codebooks, seeded_location) -> None:  # type: ignore[no-untyped-def]
    """A gold claim keeps a key the codebook still has: a rename relabels it (and
    its proposition), and a label only the gold layer uses cannot be deleted."""
    from annotator.domain.review import Decision, adjudicate
    from annotator.services.review import ReviewService

    codebooks.add_proposition(PROPOSITION)
    (claim,) = add_claims(project, {"stance": "unclear", "proposition": PROPOSITION})
    review = ReviewService(project)
    made = review.add_adjudication(adjudicate(Decision.ACCEPT, [claim], adjudicator="carol",
                                              span_from=claim))
    assert made.gold is not None and made.gold.stance == "unclear"
    project.delete_claim(claim.id)                       # only the gold layer uses it now
    before = codebooks.codebook()
    assert codebooks.usage(Dimension.STANCE, "unclear") == 1
    deleted = with_labels(before, Dimension.STANCE,
                          [label for label in before.of(Dimension.STANCE)
                           if label.key != "unclear"])
    with pytest.raises(CodebookError, match="used by 1 claim"):
        codebooks.apply(deleted, "Delete unclear")
    codebooks.apply(relabelled(before, Dimension.STANCE, "unclear", key="undecided"),
                    "Rename unclear", renames={Dimension.STANCE: {"unclear": "undecided"}})
    renamed = codebooks.codebook()
    reworded = replace(renamed, propositions=tuple(
        replace(p, text="Export controls failed") if p.text == PROPOSITION else p
        for p in renamed.propositions))
    codebooks.apply(reworded, "Reword", proposition_renames={
        PROPOSITION: "Export controls failed"})
    service = ProjectService.open(seeded_location)
    try:
        gold = ReviewService(service).gold_claim(made.gold.id)
        assert (gold.stance, gold.proposition) == ("undecided", "Export controls failed")
        assert gold.version == 3                         # each relabelling is a save
    finally:
        service.close()

"""The codebook's completeness rule, evaluated in SQL for the document list's
"To do" counts, agrees with the rule in Python for every combination of fields,
and a project keeps the rule it was given."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.domain.codebook import Requirements
from annotator.domain.model import Claim, Source
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService


@pytest.fixture
def project(seeded_location: Path) -> Iterator[ProjectService]:
    service = ProjectService.open(seeded_location)
    yield service
    service.close()


def _claims_of_every_kind(project: ProjectService) -> str:
    """A claim for each combination of set and unset fields on one document."""
    document = project.document(project.documents()[0].id)
    source = project.add_source(Source.new("Reuters"))
    fields = {"stance": "supports", "claim_type": "quantity", "proposition": "P",
              "source_reliability": "B", "info_credibility": 2}
    for i, present in enumerate(itertools.product((False, True), repeat=6)):
        labels: dict[str, object] = {name: value for (name, value), on
                                     in zip(fields.items(), present[:5], strict=True) if on}
        if present[5]:
            labels.update(source_id=source.id, source_name=source.name)
        project.add_claim(Claim.new(document, i, i + 3, annotator="alice", **labels))
    exempt = Claim.new(document, 70, 80, annotator="alice", claim_type="not_a_claim")
    project.add_claim(exempt)
    return document.id


@pytest.mark.parametrize("requirements", [
    Requirements(),
    Requirements(("stance", "source_reliability"), ()),
    Requirements(("proposition", "source"), ("not_a_claim", "other")),
    Requirements((), ()),
])
def test_to_do_counts_follow_the_codebook_rule(project: ProjectService,
                                               requirements: Requirements) -> None:
    document_id = _claims_of_every_kind(project)
    books = CodebookService(project.database)
    books.apply(dataclasses.replace(books.codebook(), requirements=requirements),
                "Completeness rule")
    codebook = books.codebook()
    assert codebook.requirements == requirements
    claims = project.claims(document_id)
    expected = sum(1 for claim in claims if not codebook.is_complete(claim))
    (info,) = [d for d in project.documents() if d.id == document_id]
    assert info.incomplete_count == expected
    assert info.claim_count == len(claims) == 65


def test_the_default_rule_counts_a_claim_with_only_a_stance_as_to_do(
        project: ProjectService) -> None:
    document = project.document(project.documents()[0].id)
    project.add_claim(Claim.new(document, 0, 5, annotator="alice", stance="supports"))
    project.add_claim(Claim.new(document, 6, 9, annotator="alice", claim_type="not_a_claim"))
    (info,) = [d for d in project.documents() if d.id == document.id]
    assert (info.claim_count, info.incomplete_count) == (2, 1)

"""Two analysts saving the same claim never silently overwrite each other: every
save raises the claim's version, and an edit made on an older version fails with
both versions (on SQLite and on the team server)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.domain.codebook import Dimension
from annotator.domain.model import Claim, Document
from annotator.services.codebook import CodebookService
from annotator.services.project import NotFoundError, ProjectService
from annotator.storage.errors import ClaimConflictError
from tests.services.test_codebook_service import relabelled

TEXT = "The minister said prices rose by 12 percent last year."


@pytest.fixture
def two(project_location: str | Path) -> Iterator[tuple[ProjectService, ProjectService, Claim]]:
    """Two services (two analysts' windows) on one project holding one claim."""
    first = ProjectService.open(project_location, create=True)
    second = ProjectService.open(project_location)
    try:
        document = first.add_document(Document.from_text(TEXT, title="Prices")).document
        start = TEXT.index("prices rose")
        claim = first.add_claim(Claim.new(document, start, start + 11, annotator="ann"))
        yield first, second, claim
    finally:
        second.close()
        first.close()


def test_every_save_raises_the_version_and_reads_carry_it(two) -> None:  # type: ignore[no-untyped-def]
    first, second, claim = two
    assert claim.version == 1
    edited = first.update_claim(claim.edited(note="one"))
    assert edited.version == 2
    again = first.update_claim(edited.edited(note="two"))
    assert again.version == 3
    assert second.claim(claim.id).version == 3
    (listed,) = second.claims(claim.document_id)
    assert listed.version == 3 and listed.note == "two"
    document = second.document(claim.document_id)
    lazy = second.claims_lazily(claim.document_id, document.text)
    assert lazy[0].version == 3


def test_a_stale_edit_fails_with_both_versions_and_changes_nothing(two) -> None:  # type: ignore[no-untyped-def]
    first, second, claim = two
    mine = second.claim(claim.id)                      # both read version 1
    theirs = first.update_claim(first.claim(claim.id).edited(note="theirs"))
    with pytest.raises(ClaimConflictError) as raised:
        second.update_claim(mine.edited(note="mine", stance="refutes"))
    error = raised.value
    assert (error.stored_version, error.your_version) == (2, 1)
    assert isinstance(error.stored, Claim) and error.stored.note == "theirs"
    assert isinstance(error.yours, Claim) and error.yours.note == "mine"
    assert "ann" in str(error)
    stored = first.claim(claim.id)
    assert stored == theirs and stored.version == 2 and stored.stance is None
    # Made again on the stored version, the edit is saved.
    assert second.update_claim(stored.edited(note="mine")).version == 3


def test_an_edit_of_a_deleted_claim_is_refused(two) -> None:  # type: ignore[no-untyped-def]
    first, second, claim = two
    mine = second.claim(claim.id)
    first.delete_claim(claim.id)
    with pytest.raises(NotFoundError):
        second.update_claim(mine.edited(note="late"))


def test_a_codebook_rename_counts_as_a_save(two) -> None:  # type: ignore[no-untyped-def]
    """Renaming a label rewrites the claims using it: an edit made before on the
    old key must not write the old key back."""
    first, second, claim = two
    labelled = first.update_claim(claim.edited(stance="supports"))
    mine = second.claim(claim.id)
    codebook = CodebookService(first.database)
    codebook.apply(relabelled(codebook.codebook(), Dimension.STANCE, "supports", key="backs"),
                   "Rename supports", renames={Dimension.STANCE: {"supports": "backs"}})
    assert first.claim(claim.id).version == labelled.version + 1
    with pytest.raises(ClaimConflictError):
        second.update_claim(mine.edited(note="after the rename"))


def test_a_claim_not_read_from_the_project_is_saved_unchecked(two) -> None:  # type: ignore[no-untyped-def]
    """Version 0 (made elsewhere, e.g. an import) has nothing to compare with."""
    first, _second, claim = two
    first.update_claim(claim.edited(note="a"))
    stored = first.update_claim(replace(claim.edited(note="b"), version=0))
    assert stored.version == 3 and first.claim(claim.id).note == "b"


def test_deleting_a_claim_a_colleague_changed_since_fails_and_keeps_theirs(two) -> None:  # type: ignore[no-untyped-def]
    first, second, claim = two
    mine = second.claim(claim.id)                      # read at version 1
    first.update_claim(first.claim(claim.id).edited(note="theirs, newer"))
    with pytest.raises(ClaimConflictError) as raised:
        second.delete_claim(claim.id, mine.version)
    error = raised.value
    assert (error.stored_version, error.your_version) == (2, 1)
    assert error.stored.note == "theirs, newer"           # type: ignore[attr-defined]
    assert first.claim(claim.id).note == "theirs, newer"   # not deleted
    # Deleting the version now shown (or with no version known) deletes it.
    removed = second.delete_claim(claim.id, error.stored_version)
    assert removed.note == "theirs, newer"
    with pytest.raises(NotFoundError):
        first.claim(claim.id)


def test_deleting_the_version_one_read_deletes_it(two) -> None:  # type: ignore[no-untyped-def]
    first, second, claim = two
    edited = first.update_claim(claim.edited(note="mine"))
    assert second.delete_claim(claim.id, edited.version).note == "mine"
    with pytest.raises(NotFoundError):
        second.delete_claim(claim.id, edited.version)
    assert first.claims(claim.document_id) == []

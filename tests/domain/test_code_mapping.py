"""Proposing where another program's codes go in the codebook."""

from __future__ import annotations

import dataclasses

import pytest

from annotator.domain.code_mapping import (
    CLAIM,
    TAG,
    ForeignCode,
    How,
    fold,
    parse_target,
    propose,
    propose_one,
)
from annotator.domain.codebook import Dimension, Rename, default_codebook

BOOK = default_codebook()


def target(name: str, *parents: str, description: str = "") -> tuple[str, How]:
    choice = propose_one(ForeignCode("g", name, parents, description), BOOK)
    return choice.target, choice.how


def test_fold_ignores_case_accents_and_separators() -> None:
    assert fold("  RÉFUTÉ_par-là ") == "refute par la"
    assert fold("Ｓｕｐｐｏｒｔｓ") == "supports"       # full-width letters (NFKD)


@pytest.mark.parametrize(("name", "parents", "expected"), [
    ("Supports", (), ("stance:supports", How.NAME)),
    ("supports", (), ("stance:supports", How.NAME)),
    ("NEUTRAL", ("Stance",), ("stance:neutral", How.NAME)),
    ("Stance: unclear", (), ("stance:unclear", How.NAME)),
    ("Claim type/Prediction", (), ("claim_type:prediction", How.NAME)),
    ("Prediction", ("Claim",), ("claim_type:prediction", How.NAME)),
    ("laws rules", (), ("claim_type:laws_rules", How.KEY)),
    ("Usually reliable", (), ("source_reliability:B", How.NAME)),
    ("B", ("Source reliability",), ("source_reliability:B", How.KEY)),
    ("Claim", (), (CLAIM, How.CLAIM)),
    ("Distrust", ("Trust",), (TAG, How.TAG)),
])
def test_proposals(name: str, parents: tuple[str, ...], expected: tuple[str, How]) -> None:
    assert target(name, *parents) == expected


def test_a_one_letter_key_needs_its_dimension() -> None:
    # "B" alone could be anything; under its dimension it is the grade.
    assert target("B") == (TAG, How.TAG)
    assert target("2") == (TAG, How.TAG)
    assert target("2", "Information credibility") == ("info_credibility:2", How.KEY)


def test_annotators_own_description_key_wins() -> None:
    assert target("Whatever it is called", "Stance", description="key: refutes") \
        == ("stance:refutes", How.KEY)


def test_a_renamed_key_follows_the_codebook_history() -> None:
    book = dataclasses.replace(BOOK, renames=(Rename("stance", "backs", "supports"),))
    choice = propose_one(ForeignCode("g", "backs", ("Stance",)), book)
    assert (choice.target, choice.how) == ("stance:supports", How.RENAMED)


def test_a_name_several_labels_share_is_a_tag() -> None:
    labels = [*BOOK.of(Dimension.CLAIM_TYPE)]
    book = dataclasses.replace(BOOK, labels=(*BOOK.labels, dataclasses.replace(
        labels[0], dimension=Dimension.LIKELIHOOD, key="supports2", name="Supports")))
    choice = propose_one(ForeignCode("g", "Supports"), book)
    assert (choice.target, choice.how) == (TAG, How.AMBIGUOUS)


def test_choices_by_path_or_name_checked_against_the_codebook() -> None:
    mapping = propose([ForeignCode("1", "Other", ("A",)), ForeignCode("2", "Other", ("B",)),
                       ForeignCode("3", "Noise")], BOOK)
    mapping.apply({"A/Other": "stance:refutes", "Noise": "SKIP"}, BOOK)
    assert [c.target for c in mapping.choices] == ["stance:refutes", "claim_type:other",
                                                   "skip"]
    assert mapping.choices[0].how is How.CHOSEN
    mapping.apply({"Other": "tag"}, BOOK)          # a plain name: every code of that name
    assert [c.target for c in mapping.choices[:2]] == [TAG, TAG]
    with pytest.raises(ValueError, match="no code named 'Missing'"):
        mapping.apply({"Missing": "tag"}, BOOK)
    with pytest.raises(ValueError, match="not tag, skip, claim or dimension:key"):
        parse_target("colour:red", BOOK)
    assert parse_target(" info_credibility:3 ", BOOK) == "info_credibility:3"

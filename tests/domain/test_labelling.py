"""The labelling loop's decisions without Qt: which claim a key changes, what it
refuses, and the codebook's completeness rule."""

from __future__ import annotations

import dataclasses

import pytest

from annotator.domain.codebook import Dimension, Requirements, default_codebook, from_dict, to_dict
from annotator.domain.labelling import (
    NO_CLAIM,
    Context,
    Create,
    Delete,
    Digit,
    Drag,
    Edit,
    LoopState,
    Mark,
    MoveEdge,
    Refused,
    Remove,
    SetField,
    SourceRef,
    Unchanged,
    decide,
    digit_keys,
    key_range,
    modes,
    next_mode,
)
from annotator.domain.model import Claim, Document

TEXT = "DeepSeek 深度求索 trained R1 for $5.6 million 🚀 — or so it says."


@pytest.fixture
def document() -> Document:
    return Document(id="d", sha256="s", title="t", text=TEXT)


def _claim(document: Document, quote: str, **labels: object) -> Claim:
    start = TEXT.index(quote)
    return Claim.new(document, start, start + len(quote), annotator="alice", **labels)


def _context(**kwargs: object) -> Context:
    return Context(TEXT, default_codebook(), **kwargs)  # type: ignore[arg-type]


def test_every_key_needs_a_current_claim(document: Document) -> None:
    state = LoopState(current=None, selection=(0, 8))
    for action in (Digit("1"), SetField("stance", "supports"), MoveEdge("end", 1),
                   Drag("x", 0, 3), Delete()):
        assert decide(state, action, _context()) == Refused(NO_CLAIM)


def test_a_digit_labels_only_the_current_claim_in_the_current_mode(document: Document) -> None:
    claim = _claim(document, "trained R1")
    outcome = decide(LoopState(current=claim, mode=Dimension.INFO_CREDIBILITY), Digit("2"),
                     _context())
    assert isinstance(outcome, Edit) and outcome.before is claim
    assert outcome.after.info_credibility == 2 and outcome.after.stance is None
    assert outcome.after.id == claim.id and outcome.field == "info_credibility"
    cleared = decide(LoopState(current=outcome.after, mode=Dimension.INFO_CREDIBILITY),
                     Digit("0"), _context())
    assert isinstance(cleared, Edit) and cleared.after.info_credibility is None


def test_a_digit_with_no_label_is_refused_naming_the_keys(document: Document) -> None:
    claim = _claim(document, "trained R1")
    outcome = decide(LoopState(current=claim), Digit("7"), _context())
    assert isinstance(outcome, Refused)
    assert "1–4" in outcome.reason and "stance" in outcome.reason
    assert key_range(digit_keys(default_codebook(), Dimension.STANCE)) == "1–4"


def test_a_read_only_claim_is_refused_with_its_reason(document: Document) -> None:
    claim = _claim(document, "trained R1")
    outcome = decide(LoopState(current=claim, read_only="bob's claim"), Digit("1"),
                     _context())
    assert outcome == Refused("bob's claim")


def test_setting_what_is_there_changes_nothing(document: Document) -> None:
    claim = _claim(document, "trained R1", stance="supports")
    assert decide(LoopState(current=claim), Digit("1"), _context()) == Unchanged()


def test_marking_needs_a_selection_and_snaps_to_words(document: Document) -> None:
    mark = Mark(document, "alice", 3)
    assert isinstance(decide(LoopState(), mark, _context()), Refused)
    start = TEXT.index("rained")            # inside "trained"
    outcome = decide(LoopState(selection=(start, start + 4), snap=True), mark, _context())
    assert isinstance(outcome, Create)
    assert outcome.claim.quote == "trained" and outcome.claim.codebook_version == 3
    emoji = TEXT.index("🚀")
    outcome = decide(LoopState(selection=(emoji, emoji + 1)), mark, _context())
    assert isinstance(outcome, Create) and outcome.claim.quote == "🚀"
    assert TEXT[outcome.claim.start:outcome.claim.end] == outcome.claim.quote


def test_span_moves_keep_the_quote_cut_from_the_text(document: Document) -> None:
    claim = _claim(document, "深度")
    outcome = decide(LoopState(current=claim), MoveEdge("end", +1), _context())
    assert isinstance(outcome, Edit) and outcome.after.quote == "深度求"
    assert TEXT[outcome.after.start:outcome.after.end] == outcome.after.quote
    one = _claim(document, "R")
    assert isinstance(decide(LoopState(current=one), MoveEdge("end", -1), _context()), Refused)


def test_only_the_current_claims_edges_can_be_dragged(document: Document) -> None:
    claim = _claim(document, "R1")
    other = _claim(document, "DeepSeek")
    assert isinstance(decide(LoopState(current=claim), Drag(other.id, 0, 4), _context()),
                      Refused)
    outcome = decide(LoopState(current=claim), Drag(claim.id, claim.start - 8, claim.end),
                     _context())
    assert isinstance(outcome, Edit) and outcome.after.quote == "trained R1"


def test_delete_removes_the_current_claim(document: Document) -> None:
    claim = _claim(document, "R1")
    assert decide(LoopState(current=claim), Delete(), _context()) == Remove(claim)


def test_grading_before_naming_the_source_grades_the_source(document: Document) -> None:
    claim = _claim(document, "trained R1", source_reliability="A")
    named = SourceRef("s1", "DeepSeek", None)
    outcome = decide(LoopState(current=claim), SetField("source", " DeepSeek "),
                     _context(source_named=lambda _name: named))
    assert isinstance(outcome, Edit)
    assert outcome.after.source_id == "s1" and outcome.grade_source == ("s1", "A")
    # A graded source pre-fills an ungraded claim and is not graded again.
    graded = SourceRef("s1", "DeepSeek", "C")
    bare = _claim(document, "trained R1")
    outcome = decide(LoopState(current=bare), SetField("source", "DeepSeek"),
                     _context(source_named=lambda _name: graded))
    assert isinstance(outcome, Edit) and outcome.after.source_reliability == "C"
    assert outcome.grade_source is None
    # The gold layer never grades the analysts' sources.
    outcome = decide(LoopState(current=claim, grades_sources=False),
                     SetField("source", "DeepSeek"),
                     _context(source_named=lambda _name: named))
    assert isinstance(outcome, Edit) and outcome.grade_source is None


def test_grading_a_claim_with_a_source_grades_the_source(document: Document) -> None:
    claim = _claim(document, "trained R1", source_id="s1", source_name="DeepSeek")
    outcome = decide(LoopState(current=claim), SetField("source_reliability", "B"),
                     _context(source=lambda _id: SourceRef("s1", "DeepSeek", None)))
    assert isinstance(outcome, Edit) and outcome.grade_source == ("s1", "B")


def test_unknown_labels_are_refused(document: Document) -> None:
    claim = _claim(document, "R1")
    assert isinstance(decide(LoopState(current=claim), SetField("stance", "nonsense"),
                             _context()), Refused)


def test_modes_cycle_through_the_codebook_dimensions() -> None:
    codebook = default_codebook()
    assert modes(codebook) == [Dimension.STANCE, Dimension.INFO_CREDIBILITY,
                               Dimension.CLAIM_TYPE]
    assert next_mode(codebook, Dimension.CLAIM_TYPE) is Dimension.STANCE


# Completeness -------------------------------------------------------------------------

def test_complete_means_every_required_field(document: Document) -> None:
    codebook = default_codebook()
    claim = _claim(document, "trained R1", stance="supports")
    assert codebook.missing(claim) == ["claim_type", "proposition", "source",
                                       "source_reliability", "info_credibility"]
    full = dataclasses.replace(claim, claim_type="quantity", proposition="P", source_id="s",
                               source_name="S", source_reliability="B", info_credibility=2)
    assert codebook.is_complete(full)


def test_not_a_claim_needs_nothing_more(document: Document) -> None:
    claim = _claim(document, "or so it says", claim_type="not_a_claim")
    assert default_codebook().is_complete(claim)


def test_a_codebook_may_require_less_and_the_rule_travels_in_its_file(
        document: Document) -> None:
    codebook = dataclasses.replace(default_codebook(), requirements=Requirements(
        ("stance",), ()))
    claim = _claim(document, "R1", stance="refutes")
    assert codebook.is_complete(claim)
    again = from_dict(to_dict(codebook))
    assert again.requirements == codebook.requirements and again.is_complete(claim)
    assert not from_dict(to_dict(default_codebook())).is_complete(claim)


def test_a_snapped_drag_moves_only_the_dragged_edge(document: Document) -> None:
    claim = _claim(document, "rained R1 for")           # starts inside "trained"
    outcome = decide(LoopState(current=claim, snap=True),
                     Drag(claim.id, claim.start, TEXT.index("million") + 3), _context())
    assert isinstance(outcome, Edit)
    assert outcome.after.start == claim.start             # not widened to "trained"
    assert outcome.after.quote == "rained R1 for $5.6 million"    # the end snapped

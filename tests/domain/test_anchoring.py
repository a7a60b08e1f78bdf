"""Re-anchoring claims on a new version of their text."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from annotator.domain import anchoring
from annotator.domain.anchoring import (
    MAX_CANDIDATES,
    MAX_FUZZY_QUOTE,
    MAX_OCCURRENCES,
    MIN_FUZZY_RATIO,
    UNPLACED,
    Method,
    place,
    reanchor,
)
from annotator.domain.model import Claim, Document
from annotator.paths import seeds_dir


@dataclass(frozen=True, slots=True)
class Anchor:
    """What re-anchoring reads of a claim (``anchoring.Anchored``), without the rest."""

    quote: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0


OLD = ("DeepSeek shocks the tech world. The Nasdaq plummeted three percent Monday as a "
       "privately backed Chinese startup shocked the tech world. Faced with restricted access "
       "to cutting-edge hardware, DeepSeek says it trained its model on 2,000 chips. "
       "Export controls may be forcing efficiency amid scarcity. Yet China's ability to "
       "sustain this momentum is far from guaranteed.")


def anchor(text: str, quote: str, occurrence: int = 0) -> Anchor:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    document = Document.from_text(text, title="t")
    claim = Claim.new(document, start, start + len(quote), annotator="test")
    return Anchor(claim.quote, claim.prefix, claim.suffix, claim.start, claim.end)


def quoted(text: str, placement) -> str:
    assert placement.start is not None and placement.end is not None, placement
    return text[placement.start:placement.end]


def test_unchanged_text_keeps_every_claim():
    anchors = [anchor(OLD, "three percent"), anchor(OLD, "cutting-edge hardware")]
    for placement, original in zip(reanchor(anchors, OLD, OLD), anchors, strict=True):
        assert (placement.start, placement.end) == (original.start, original.end)
        assert placement.method is Method.UNCHANGED and placement.confidence == 1.0


def test_edit_before_the_claim_shifts_it():
    new = "BREAKING: " + OLD.replace("DeepSeek shocks", "DeepSeek, a startup, shocks")
    claim = anchor(OLD, "privately backed Chinese startup")
    placement = place(claim, new)
    assert quoted(new, placement) == "privately backed Chinese startup"
    assert placement.method is Method.EXACT
    assert placement.confidence == 1.0       # the context is intact


def test_edit_after_the_claim_leaves_it():
    new = OLD.replace("far from guaranteed", "anything but certain") + " More text."
    claim = anchor(OLD, "The Nasdaq plummeted three percent Monday")
    placement = place(claim, new)
    assert (placement.start, placement.end) == (claim.start, claim.end)
    assert placement.method is Method.UNCHANGED


def test_edit_inside_the_claim_is_placed_fuzzily():
    new = "Update. " + OLD.replace("three percent", "3 percent")
    claim = anchor(OLD, "The Nasdaq plummeted three percent Monday")
    placement = place(claim, new, expected=claim.start + 8)
    assert placement.method is Method.FUZZY
    assert quoted(new, placement) == "The Nasdaq plummeted 3 percent Monday"
    assert MIN_FUZZY_RATIO <= placement.confidence < 1.0


def test_edit_at_the_start_of_the_claim():
    new = OLD.replace("Export controls may", "US export controls may")
    claim = anchor(OLD, "Export controls may be forcing efficiency")
    placement = place(claim, new)
    assert placement.method is Method.FUZZY
    assert quoted(new, placement).endswith("xport controls may be forcing efficiency")


def test_deleted_passage_is_unplaced():
    new = OLD.replace("Faced with restricted access to cutting-edge hardware, DeepSeek says it "
                      "trained its model on 2,000 chips. ", "")
    claims = [anchor(OLD, "trained its model on 2,000 chips"),
              anchor(OLD, "Yet China's ability to sustain")]
    gone, kept = reanchor(claims, new, OLD)
    assert gone.method is Method.UNPLACED
    assert gone.start is None and gone.confidence == 0.0
    assert quoted(new, kept) == "Yet China's ability to sustain"


def test_rewritten_passage_is_unplaced_not_misplaced():
    new = OLD.replace("Export controls may be forcing efficiency amid scarcity.",
                      "Sanctions have made labs frugal, observers argue.")
    placement = place(anchor(OLD, "Export controls may be forcing efficiency amid scarcity"), new)
    assert placement.method is Method.UNPLACED


def test_repeated_quote_is_told_apart_by_context():
    old = "The tech world. Alpha says it grew. The tech world. Beta says it shrank."
    second = anchor(old, "The tech world", occurrence=1)
    new = "Intro. " + old
    placement = place(second, new, expected=second.start)
    assert placement.start == new.index("The tech world. Beta")
    assert placement.method is Method.EXACT and placement.confidence > 0.7


def test_repeated_quote_with_identical_context_goes_to_the_nearest_with_less_confidence():
    unit = "Same words here. "
    old = unit * 6
    claim = anchor(old, "words", occurrence=3)
    new = "X" + old
    placement = reanchor([claim], new, old)[0]
    assert placement.start == claim.start + 1
    assert placement.confidence <= 0.9


def test_old_text_diff_moves_an_ambiguous_claim_with_its_passage():
    old = "Intro.\nOn Monday the index fell.\nMiddle.\nOn Monday the index fell.\nEnd.\n"
    claim = anchor(old, "On Monday the index fell.", occurrence=1)
    new = "Intro.\n" + "Inserted line.\n" * 30 + old[len("Intro.\n"):]
    placement = reanchor([claim], new, old)[0]
    assert placement.start == new.rindex("On Monday the index fell.")


def test_claims_on_the_real_seed_survive_a_reflow():
    from annotator.formats.reflow import reflow

    raw = (seeds_dir() / "merics-deepseek-us-china-ai-race.txt").read_bytes().decode("utf-8")
    flowed = reflow(raw)
    quotes = ["深度求素", "梁文锋", "cutting-edge hardware", "USD 589 billion",
              "Rebecca Arcesati, Lead Analyst at MERICS"]
    spanning = "shocked the tech world with an open-sourced AI model"   # one line in both
    anchors = [anchor(raw, q) for q in [*quotes, spanning]]
    # A quote over a line break in the raw text becomes one with a space.
    across = raw.index("Mandarin), the model")
    broken = Anchor(raw[across - 10:across + 9], raw[across - 42:across - 10],
                    raw[across + 9:across + 41], across - 10, across + 9)
    placements = reanchor([*anchors, broken], flowed, raw)
    for placement, claim in zip(placements, anchors, strict=False):
        assert quoted(flowed, placement) == claim.quote
    assert broken.quote == "深度求素 in \n\nMandarin)"
    assert quoted(flowed, placements[-1]) == "深度求素 in Mandarin)"
    assert placements[-1].method is Method.FUZZY


UNIT = "lorem ipsum dolor sit amet "
#: Claims that make re-anchoring search hardest: a quote found nowhere, an edited
#: quote whose pieces occur everywhere (many candidate positions to align), a
#: short quote occurring everywhere with context found nowhere (many exact
#: occurrences, then the fuzzy route), and a quote too long to align whose
#: pieces occur everywhere.
HARD = [
    Anchor("quote that is nowhere in it at all", "before", "after", 10, 44),
    Anchor("lorem ipsum dolor sit amet, consectetur adipiscing elit", "amet ", " lorem", 27, 82),
    Anchor("ipsum dolor", "zzz ", " qqq", 6, 17),
    Anchor("Z" + (UNIT * 200)[:MAX_FUZZY_QUOTE], "", "", 0, MAX_FUZZY_QUOTE + 1),
]


def work_done(monkeypatch, claims: list[Anchor], text: str) -> list[tuple[list[int], list[int]]]:
    """For each claim placed in ``text``: how many occurrences each search went
    through, and the length of each stretch of text aligned with its quote (the
    costly step). Counted through the module's own search and alignment calls,
    so the figures are the same on any machine, however loaded."""
    searched: list[int] = []
    aligned: list[int] = []
    occurrences, matcher = anchoring._occurrences, anchoring.difflib.SequenceMatcher

    def counted_occurrences(within: str, piece: str) -> list[int]:
        found = occurrences(within, piece)
        searched.append(len(found))
        return found

    def counted_matcher(isjunk, a, b, **options):  # type: ignore[no-untyped-def]
        aligned.append(len(b))
        return matcher(isjunk, a, b, **options)

    monkeypatch.setattr(anchoring, "_occurrences", counted_occurrences)
    monkeypatch.setattr(anchoring.difflib, "SequenceMatcher", counted_matcher)
    work = []
    try:
        for claim in claims:
            searched.clear()
            aligned.clear()
            reanchor([claim], text)
            work.append((list(searched), list(aligned)))
    finally:
        monkeypatch.undo()
    return work


def test_work_is_bounded_on_a_long_text(monkeypatch):
    long_text, ten_times_longer = UNIT * 4_000, UNIT * 40_000
    placements = reanchor(HARD, ten_times_longer)
    assert [p.method for p in placements] == [Method.UNPLACED, Method.UNPLACED, Method.FUZZY,
                                              Method.UNPLACED]
    work = work_done(monkeypatch, HARD, long_text)
    # The same searches and alignments however long the text: the work per claim
    # stops growing with the text.
    assert work_done(monkeypatch, HARD, ten_times_longer) == work
    for claim, (searched, aligned) in zip(HARD, work, strict=True):
        assert len(searched) <= 1 + 8 + 3          # the quote, then its seeds
        assert all(found <= MAX_OCCURRENCES for found in searched)
        assert len(aligned) <= MAX_CANDIDATES
        assert all(size <= 2 * len(claim.quote) + 40 for size in aligned)
    # The limits were reached, not merely respected: the text holds more.
    assert max(found for searched, _ in work for found in searched) == MAX_OCCURRENCES
    assert len(work[1][1]) == MAX_CANDIDATES
    assert work[3][1] == []                        # too long to align: exact search only


def test_spans_and_empty_quotes():
    (placement,) = reanchor([Anchor("three percent", "plummeted ", " Monday", 0, 13)], OLD)
    assert quoted(OLD, placement) == "three percent"
    assert place(Anchor(""), OLD) == UNPLACED


@pytest.mark.parametrize("quote", ["a", "it"])
def test_tiny_quotes_out_of_context_are_not_guessed(quote):
    claim = Anchor(quote, "xx ", " yy", 3, 3 + len(quote))
    new = f"completely different text with {quote} somewhere and more words"
    assert place(claim, new) == UNPLACED

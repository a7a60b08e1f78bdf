"""A plain-Python reference model of the labelling loop (notes: loop_spec.md),
for the stateful test: the claims of every document, the shown document, the
current claim, the digit mode, snap-to-words and the undo history.

It knows nothing of Qt or of the app's code: spans, word steps, the text-order
walk and completeness are written out again here from the spec.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

_WORD = re.compile(r"\w")

STANCE, CREDIBILITY, CLAIM_TYPE = "stance", "info_credibility", "claim_type"
#: What M cycles through, for the default codebook.
MODES = (STANCE, CREDIBILITY, CLAIM_TYPE)
CLAIM_TYPES = ("quantity", "correlation_causation", "laws_rules", "prediction",
               "personal_experience", "other", "not_a_claim")
DEFAULT_STANCES = ("supports", "refutes", "neutral", "unclear")

#: The stored fields the model predicts (``quote`` is cut from the text).
FIELDS = ("document_id", "start", "end", "stance", "source_reliability", "info_credibility",
          "claim_type", "proposition", "note", "annotator", "source_id", "likelihood",
          "confidence")


def is_word(char: str) -> bool:
    return bool(_WORD.match(char))


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def widened(text: str, start: int, end: int) -> tuple[int, int]:
    """Whole words: an edge inside a word moves out to the word's edge."""
    while 0 < start < len(text) and is_word(text[start - 1]) and is_word(text[start]):
        start -= 1
    while 0 < end < len(text) and is_word(text[end - 1]) and is_word(text[end]):
        end += 1
    return start, end


def word_step(text: str, position: int, direction: int) -> int:
    """One word right (past the next word's end) or left (to the previous word's start)."""
    i = position
    if direction > 0:
        while i < len(text) and not is_word(text[i]):
            i += 1
        while i < len(text) and is_word(text[i]):
            i += 1
    else:
        while i > 0 and not is_word(text[i - 1]):
            i -= 1
        while i > 0 and is_word(text[i - 1]):
            i -= 1
    return i


def is_complete(claim: dict) -> bool:
    """The default codebook's rule: "not a claim" needs nothing more; otherwise claim
    type, stance, proposition, source, source reliability and credibility."""
    if claim["claim_type"] == "not_a_claim":
        return True
    return all(claim[name] not in (None, "") for name in (
        "claim_type", "stance", "proposition", "source_id", "source_reliability",
        "info_credibility"))


@dataclass
class Step:
    """One undo step: the whole state before and after, and the claim it changed
    (None for a codebook change)."""

    kind: str                     # "mark", "delete", "edit", "span", "codebook"
    claim_id: str | None
    document_id: str | None
    before: tuple
    after: tuple


@dataclass
class Model:
    texts: dict[str, str]
    claims: dict[str, dict]
    document_id: str
    stances: list[str] = field(default_factory=lambda: list(DEFAULT_STANCES))
    current: str | None = None
    mode: str = STANCE
    snap: bool = False
    history: list[Step] = field(default_factory=list)
    index: int = 0                # steps done (the rest can be redone)

    # State -----------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.texts[self.document_id]

    def state(self) -> tuple:
        return copy.deepcopy(self.claims), tuple(self.stances)

    def restore(self, state: tuple) -> None:
        claims, stances = state
        self.claims = copy.deepcopy(claims)
        self.stances = list(stances)

    def shown(self) -> list[dict]:
        """The shown document's claims in text order."""
        return sorted((c for c in self.claims.values()
                       if c["document_id"] == self.document_id),
                      key=lambda c: (c["start"], c["end"], c["id"]))

    def stored_view(self) -> dict[str, dict]:
        """What the database must hold: every field the model predicts, and the quote."""
        return {claim_id: {**{name: claim[name] for name in FIELDS},
                           "quote": self.texts[claim["document_id"]][claim["start"]:
                                                                     claim["end"]]}
                for claim_id, claim in self.claims.items()}

    # Undo history --------------------------------------------------------------------

    def push(self, kind: str, claim_id: str | None, before: tuple) -> None:
        document = self.claims[claim_id]["document_id"] if claim_id in self.claims else (
            before[0][claim_id]["document_id"] if claim_id else None)
        del self.history[self.index:]
        top = self.history[-1] if self.history else None
        if kind == "span" and top is not None and top.kind == "span" \
                and top.claim_id == claim_id:
            top.after = self.state()          # consecutive span moves: one step
            return
        self.history.append(Step(kind, claim_id, document, before, self.state()))
        self.index += 1

    def undo(self) -> Step | None:
        if self.index == 0:
            return None
        self.index -= 1
        step = self.history[self.index]
        self.restore(step.before)
        self._after_history(step)
        return step

    def redo(self) -> Step | None:
        if self.index == len(self.history):
            return None
        step = self.history[self.index]
        self.index += 1
        self.restore(step.after)
        self._after_history(step)
        return step

    def _after_history(self, step: Step) -> None:
        """The claim the step changed becomes current, in its document (opened if
        needed); none when the step removed it. A codebook step changes neither."""
        if step.kind == "codebook" or step.claim_id is None:
            if self.current is not None and self.current not in self.claims:
                self.current = None
            return
        if step.document_id is not None and step.document_id != self.document_id:
            self.document_id = step.document_id
        self.current = step.claim_id if step.claim_id in self.claims else None

    # Actions -------------------------------------------------------------------------

    def switch_document(self, document_id: str) -> None:
        if document_id != self.document_id:
            self.document_id = document_id
            self.current = None

    def caret_moved(self, caret: int) -> None:
        """The user moved the caret: outside the current claim, none is current."""
        if self.current is not None:
            claim = self.claims[self.current]
            if not claim["start"] <= caret <= claim["end"]:
                self.current = None

    def mark(self, claim_id: str, span: tuple[int, int], annotator: str) -> None:
        before = self.state()
        self.claims[claim_id] = {
            "id": claim_id, "document_id": self.document_id, "start": span[0],
            "end": span[1], "stance": None, "source_reliability": None,
            "info_credibility": None, "claim_type": None, "proposition": "", "note": "",
            "annotator": annotator, "source_id": None, "likelihood": None,
            "confidence": None}
        self.push("mark", claim_id, before)
        self.current = claim_id
        self.mode = STANCE

    def span_to_mark(self, selection: tuple[int, int] | None) -> tuple[int, int] | None:
        if selection is None:
            return None
        start, end = trimmed(self.text, *selection)
        if start >= end:
            return None
        return widened(self.text, start, end) if self.snap else (start, end)

    def digit_value(self, digit: int) -> tuple[str, object] | None:
        """(field, value) a digit sets in the current mode; None: no such label."""
        if digit == 0:
            return self.mode, None
        if self.mode == STANCE and digit <= len(self.stances):
            return STANCE, self.stances[digit - 1]
        if self.mode == CREDIBILITY and digit <= 6:
            return CREDIBILITY, digit
        if self.mode == CLAIM_TYPE and digit <= len(CLAIM_TYPES):
            return CLAIM_TYPE, CLAIM_TYPES[digit - 1]
        return None

    def label(self, name: str, value: object) -> bool:
        """Set a label of the current claim; False when it already had that value."""
        assert self.current is not None
        claim = self.claims[self.current]
        if claim[name] == value:
            return False
        before = self.state()
        claim[name] = value
        self.push("edit", self.current, before)
        return True

    def noop_step(self) -> None:
        """The app recorded an undo step that changed nothing (the spec allows it)."""
        self.push("edit", self.current, self.state())

    def move_edge(self, edge: str, direction: int) -> bool:
        assert self.current is not None
        claim = self.claims[self.current]
        start, end = claim["start"], claim["end"]
        text = self.text

        def step(position: int) -> int:
            if self.snap:
                return word_step(text, position, direction)
            return max(0, min(len(text), position + direction))

        if edge == "start":
            start = step(start)
        else:
            end = step(end)
        return self._set_span(start, end)

    def drag_edge(self, edge: str, target: int) -> set[tuple[int, int]]:
        """The spans a drag of ``edge`` to ``target`` may give: the dragged edge moves
        there; with snap on, out to the edge of the word it lands in (white space it
        lands after may be trimmed: the spec leaves that open). The other edge stays.
        A drag that would leave nothing keeps the span."""
        assert self.current is not None
        claim = self.claims[self.current]
        text = self.text
        kept = (claim["start"], claim["end"])
        if not self.snap:
            spans = {(target, kept[1]) if edge == "start" else (kept[0], target)}
        elif edge == "start":
            trim = target
            while trim < kept[1] and text[trim].isspace():
                trim += 1
            spans = {(widened(text, position, kept[1])[0], kept[1])
                     for position in (target, trim)}
        else:
            trim = target
            while trim > kept[0] and text[trim - 1].isspace():
                trim -= 1
            spans = {(kept[0], widened(text, kept[0], position)[1])
                     for position in (target, trim)}
        return {span if span[0] < span[1] else kept for span in spans}

    def _set_span(self, start: int, end: int) -> bool:
        assert self.current is not None
        claim = self.claims[self.current]
        if not 0 <= start < end <= len(self.text) or (start, end) == (claim["start"],
                                                                      claim["end"]):
            return False
        before = self.state()
        claim["start"], claim["end"] = start, end
        self.push("span", self.current, before)
        return True

    def delete(self) -> None:
        assert self.current is not None
        before = self.state()
        claim_id = self.current
        del self.claims[claim_id]
        self.push("delete", claim_id, before)
        self.current = None

    def rename_stance(self, old: str, new: str) -> None:
        before = self.state()
        self.stances = [new if key == old else key for key in self.stances]
        for claim in self.claims.values():
            if claim["stance"] == old:
                claim["stance"] = new
        self.push("codebook", None, before)

    # Walking -------------------------------------------------------------------------

    def walk(self, direction: int, caret: int,
             accept: Callable[[dict], bool] = lambda _claim: True) -> str | None:
        """The next (+1) or previous (-1) claim in text order that ``accept`` takes,
        wrapping; from the current claim, or from the caret when none is current."""
        items = self.shown()
        if not items:
            return None
        ids = [c["id"] for c in items]
        if self.current in ids:
            i = ids.index(self.current)
        else:
            i = bisect_left([c["start"] for c in items], caret) - (1 if direction > 0 else 0)
        for distance in range(1, len(items) + 1):
            candidate = items[(i + direction * distance) % len(items)]
            if accept(candidate):
                return candidate["id"]
        return None

    def at(self, offset: int) -> list[list[str]]:
        """Claims containing the character at ``offset``, innermost first, grouped
        by length (claims of one length may come in any order)."""
        found = sorted((c for c in self.shown() if c["start"] <= offset < c["end"]),
                       key=lambda c: (c["end"] - c["start"], c["start"], c["id"]))
        groups: list[list[str]] = []
        last = None
        for claim in found:
            length = claim["end"] - claim["start"]
            if length != last:
                groups.append([])
                last = length
            groups[-1].append(claim["id"])
        return groups

"""The labelling loop's decisions, without Qt: what a key or a panel edit does.

The window keeps the analyst's state (:class:`LoopState`: the claim shown as
current, the text selection, the digit mode) and asks :func:`decide` what an
action does. The answer is a change to make (:class:`Edit`, :class:`Create`,
:class:`Remove`) or a :class:`Refused` with the reason to show; the window turns
changes into undo commands, for analysts' claims and gold claims alike. Nothing
here touches any claim but ``state.current``: keys never reach a claim the
analyst cannot see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.domain.codebook import FIELD_TITLES, Codebook, Dimension, label_value
from annotator.domain.editing import adjust_span, snap_to_words, with_span
from annotator.domain.model import Claim, Document, normalise_tags

#: Label modes, in the order M cycles through them (only those the codebook has).
MODES = (Dimension.STANCE, Dimension.INFO_CREDIBILITY, Dimension.CLAIM_TYPE,
         Dimension.LIKELIHOOD, Dimension.CONFIDENCE)

NO_CLAIM = "No current claim: select text and press Enter, or Tab to a claim."


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source of the registry as an edit needs it."""

    id: str
    name: str
    reliability: str | None


@dataclass(frozen=True, slots=True)
class LoopState:
    """What the analyst sees: the current claim (``None``: none), whether it may
    be changed (``read_only``: why not), the selection in code points, the
    digit mode and whether spans snap to words."""

    current: Claim | None = None
    read_only: str | None = None
    selection: tuple[int, int] | None = None
    mode: Dimension = Dimension.STANCE
    snap: bool = False
    #: Whether grading a claim's reliability grades its source (analysts' claims;
    #: not gold claims, whose edits never reach the analysts' sources).
    grades_sources: bool = True


# Actions -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Digit:
    digit: str


@dataclass(frozen=True, slots=True)
class SetField:
    """A field set from the claim panel or a key: a label dimension (key or None),
    ``proposition``, ``source`` (a name), ``note`` or ``tags``."""

    field: str
    value: object


@dataclass(frozen=True, slots=True)
class MoveEdge:
    edge: str           # "start" or "end"
    direction: int      # +1 right, -1 left


@dataclass(frozen=True, slots=True)
class Drag:
    claim_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mark:
    document: Document
    annotator: str
    codebook_version: int


@dataclass(frozen=True, slots=True)
class Delete:
    pass


Action = Digit | SetField | MoveEdge | Drag | Mark | Delete


# Outcomes ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``before`` by ``after`` (``field`` names the change for undo; a
    source graded at the same time is ``grade_source``: its id and grade)."""

    before: Claim
    after: Claim
    field: str
    grade_source: tuple[str, str | None] | None = None


@dataclass(frozen=True, slots=True)
class Create:
    claim: Claim


@dataclass(frozen=True, slots=True)
class Remove:
    claim: Claim


@dataclass(frozen=True, slots=True)
class Refused:
    reason: str


@dataclass(frozen=True, slots=True)
class Unchanged:
    """The action asks for what is already there."""


Outcome = Edit | Create | Remove | Refused | Unchanged


@dataclass(slots=True)
class Context:
    """What a decision may consult: the document text, the codebook and the
    source registry (``source_named`` finds or creates a source by name)."""

    text: str
    codebook: Codebook
    source_named: Callable[[str], SourceRef] | None = None
    source: Callable[[str], SourceRef | None] = field(default=lambda _id: None)



def digit_label(codebook: Codebook, dimension: Dimension, digit: str) -> str | None:
    """The label key a digit picks in ``dimension`` (None: no such label)."""
    for label in codebook.of(dimension, include_retired=False):
        if label.shortcut == digit or (dimension.fixed_keys and label.key == digit):
            return label.key
    return None


def digit_keys(codebook: Codebook, dimension: Dimension) -> list[str]:
    """The digits that label something in ``dimension``, in order."""
    return [d for d in "123456789" if digit_label(codebook, dimension, d) is not None]


def key_range(keys: list[str]) -> str:
    """``["1", "2", "3", "4"]`` as ``1–4``; gaps listed: ``1, 3``."""
    if not keys:
        return "none"
    numbers = [int(k) for k in keys]
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(keys)


def modes(codebook: Codebook) -> list[Dimension]:
    present = set(codebook.dimensions())
    return [mode for mode in MODES if mode in present] or [Dimension.STANCE]


def next_mode(codebook: Codebook, mode: Dimension) -> Dimension:
    available = modes(codebook)
    index = available.index(mode) if mode in available else -1
    return available[(index + 1) % len(available)]


def missing_text(codebook: Codebook, claim: Claim) -> str:
    """"Still to label: stance, source" (empty when complete)."""
    missing = codebook.missing(claim)
    return ("Still to label: " + ", ".join(FIELD_TITLES[m] for m in missing)) if missing else ""


# Deciding ----------------------------------------------------------------------------

def decide(state: LoopState, action: Action, context: Context) -> Outcome:
    """What ``action`` does in ``state``: a change of ``state.current`` (or a new
    claim from the selection), or the reason nothing changes."""
    if isinstance(action, Mark):
        return _mark(state, action, context)
    claim = state.current
    if claim is None:
        return Refused(NO_CLAIM)
    if state.read_only is not None:
        return Refused(state.read_only)
    if isinstance(action, Delete):
        return Remove(claim)
    if isinstance(action, Digit):
        return _digit(state, claim, action.digit, context)
    if isinstance(action, SetField):
        return _set_field(state, claim, action.field, action.value, context)
    if isinstance(action, MoveEdge):
        after = adjust_span(claim, context.text, action.edge, action.direction,
                            by_word=state.snap)
        if after is None:
            return Refused("The span cannot move further that way.")
        return Edit(claim, after, "span")
    if isinstance(action, Drag):
        return _drag(state, claim, action, context)
    raise TypeError(f"unknown action {action!r}")


def _mark(state: LoopState, action: Mark, context: Context) -> Outcome:
    if state.selection is None:
        return Refused("Select some text first, then press Enter.")
    start, end = state.selection
    if state.snap:
        start, end = snap_to_words(context.text, start, end)
    if start >= end:
        return Refused("Only white space is selected.")
    return Create(Claim.new(action.document, start, end, annotator=action.annotator,
                            codebook_version=action.codebook_version))


def _digit(state: LoopState, claim: Claim, digit: str, context: Context) -> Outcome:
    if digit == "0":
        return _set_field(state, claim, state.mode.value, None, context)
    key = digit_label(context.codebook, state.mode, digit)
    if key is None:
        return Refused(f"No {state.mode.title.lower()} label on {digit}: keys "
                       f"{key_range(digit_keys(context.codebook, state.mode))} "
                       "(M switches what digits label).")
    return _set_field(state, claim, state.mode.value, key, context)


def _set_field(state: LoopState, claim: Claim, name: str, value: object,
               context: Context) -> Outcome:
    grade: tuple[str, str | None] | None = None
    if name == "source":
        changes = _source_changes(state, claim, str(value or ""), context)
        if isinstance(changes, Refused):
            return changes
        changes, grade = changes
    elif name == "proposition":
        changes = {"proposition": " ".join(str(value or "").split())}
    elif name in {d.value for d in Dimension}:
        dimension = Dimension(name)
        new = label_value(dimension, value)
        if new is not None and context.codebook.label(dimension, new) is None:
            return Refused(f"{dimension.title}: no label {new!r} in the codebook.")
        changes = {name: new}
        if dimension is Dimension.SOURCE_RELIABILITY and claim.source_id \
                and state.grades_sources:
            source = context.source(claim.source_id)
            if source is not None and source.reliability != new:
                grade = (claim.source_id, new)  # type: ignore[assignment]
    elif name == "tags":
        changes = {"tags": normalise_tags(value)}
    elif name == "note":
        changes = {"note": str(value or "")}
    else:
        raise ValueError(f"not an editable field: {name!r}")
    if all(getattr(claim, key) == new for key, new in changes.items()) and grade is None:
        return Unchanged()
    return Edit(claim, claim.edited(**changes), name, grade)


def _source_changes(state: LoopState, claim: Claim, name: str, context: Context
                    ) -> tuple[dict[str, object], tuple[str, str | None] | None] | Refused:
    """A claim's source set by name. Reliability belongs to the source: an
    ungraded claim takes its source's grade, and a graded claim grades an
    ungraded source (so grading first and naming the source after ends alike)."""
    name = " ".join(name.split())
    if not name:
        return {"source_id": None, "source_name": ""}, None
    if context.source_named is None:
        return Refused("Sources cannot be changed here.")
    source = context.source_named(name)
    changes: dict[str, object] = {"source_id": source.id, "source_name": source.name}
    grade = None
    if claim.source_reliability is None and source.reliability is not None:
        changes["source_reliability"] = source.reliability
    elif (claim.source_reliability is not None and source.reliability is None
          and state.grades_sources):
        grade = (source.id, claim.source_reliability)
    return changes, grade


def _drag(state: LoopState, claim: Claim, action: Drag, context: Context) -> Outcome:
    if action.claim_id != claim.id:
        return Refused("Only the current claim's edges can be dragged.")
    start, end = action.start, action.end
    if state.snap and 0 <= start < end <= len(context.text):
        # Only the dragged edge snaps: the other stays where the analyst left it.
        snapped = snap_to_words(context.text, start, end)
        if start != claim.start:
            start = snapped[0]
        if end != claim.end:
            end = snapped[1]
    if not 0 <= start < end <= len(context.text):
        return Refused("A claim needs at least one character.")
    if (start, end) == (claim.start, claim.end):
        return Unchanged()
    return Edit(claim, with_span(claim, context.text, start, end), "span")

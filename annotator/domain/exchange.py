"""Mapping a colleague's codebook onto ours before their work is imported.

Each label key and proposition their claims use is matched to ours by stable
key and by both codebooks' histories (:class:`~annotator.domain.codebook.Rename`):
a renamed key is the same label, a reworded proposition (same id, or a
rewording either history records) the same proposition. What matches nothing
is never added silently: a label is *unmapped* until someone chooses to map
it onto one of ours or to add it as new; a proposition nobody has is *new*
(propositions are free text, added as analysts type them) unless mapped.
Pure Python: the services compute a :class:`CodebookMapping`, the window shows
it (:mod:`annotator.ui.mapping_dialog`), the CLI refuses or adds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from annotator.domain.codebook import PROPOSITION, Codebook, Dimension, Label, Proposition


class How(StrEnum):
    SAME = "same key"
    SAME_TEXT = "same text"
    RENAMED = "renamed (codebook history)"
    REWORDED = "reworded (same proposition)"
    NEW = "new: will be added"
    UNMAPPED = "cannot map"
    CHOSEN = "mapped by you"
    ADD = "added as new, as you chose"


@dataclass
class Entry:
    """One incoming label (``dimension`` a :class:`Dimension`) or proposition
    (``dimension is None``, ``key`` its text) and where it goes: ``target`` is
    our key or text, or None when it is added as it is."""

    dimension: Dimension | None
    key: str
    name: str
    how: How
    target: str | None = None
    label: Label | None = None
    proposition: Proposition | None = None

    @property
    def settled(self) -> bool:
        return self.how is not How.UNMAPPED

    @property
    def adds(self) -> bool:
        return self.how in (How.NEW, How.ADD)

    def describe(self) -> str:
        what = (f"{self.dimension.title} “{self.key}”" if self.dimension is not None
                else f"proposition “{self.key}”")
        if self.adds:
            return f"{what}: {self.how.value}"
        if self.how is How.UNMAPPED:
            return f"{what}: {self.how.value}"
        return f"{what} → “{self.target}” ({self.how.value})"


@dataclass
class CodebookMapping:
    labels: list[Entry] = field(default_factory=list)
    propositions: list[Entry] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [*self.labels, *self.propositions]

    def unmapped(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.settled]

    def needs_review(self) -> bool:
        """Whether anything maps other than onto the same key or text."""
        return any(entry.how not in (How.SAME, How.SAME_TEXT) for entry in self.entries)

    def choose(self, entry: Entry, target: str | None) -> None:
        """Map ``entry`` onto our ``target`` (a key, or a proposition's text), or
        add it as new (None)."""
        entry.target = target
        entry.how = How.ADD if target is None else How.CHOSEN

    def add_all_new(self) -> None:
        for entry in self.unmapped():
            self.choose(entry, None)

    def translations(self) -> dict[str, dict[str, str]]:
        """Field name (a dimension value, or ``"proposition"``) → incoming value →
        ours, for the entries that map onto something else."""
        table: dict[str, dict[str, str]] = {}
        for entry in self.entries:
            if entry.target is not None and entry.target != entry.key:
                name = entry.dimension.value if entry.dimension is not None else PROPOSITION
                table.setdefault(name, {})[entry.key] = entry.target
        return table


def translate(record: Any, table: Mapping[str, Mapping[str, str]]) -> Any:
    """A claim record with its label keys and proposition mapped through ``table``."""
    if not isinstance(record, dict) or not table:
        return record
    changed = None
    for name, mapping in table.items():
        value = record.get(name)
        if value is not None and str(value) in mapping:
            changed = changed or dict(record)
            target = mapping[str(value)]
            changed[name] = int(target) if name == Dimension.INFO_CREDIBILITY.value else target
    return changed or record


def _renamed(ours: Codebook, theirs: Codebook | None, dimension: str, key: str,
             have: set[str]) -> str | None:
    """Ours for a key (or text) we do not have, through either history."""
    target = ours.current(dimension, key)
    if target is not None:
        return target
    if theirs is None:
        return None
    for former in theirs.former(dimension, key):      # they renamed one of ours
        if former in have:
            return former
        target = ours.current(dimension, former)
        if target is not None:
            return target
    return None


def map_codebook(ours: Codebook, theirs: Codebook | None,
                 used: Mapping[Dimension, set[str]],
                 propositions: Iterable[str] = ()) -> CodebookMapping:
    """How the label keys (per dimension) and propositions that incoming claims
    use map onto ``ours`` (``theirs``: the codebook that came with them, if any)."""
    mapping = CodebookMapping()
    for dimension in Dimension:
        keys = used.get(dimension, set())
        if not keys:
            continue
        have = {label.key for label in ours.of(dimension)}
        offered = {label.key: label for label in theirs.of(dimension)} if theirs else {}
        if not have and offered:
            # A dimension we have no labels in takes their whole scale: nothing to
            # duplicate, and a graded scale stays whole.
            mapping.labels += [Entry(dimension, key, label.name, How.NEW, None, label)
                               for key, label in offered.items()]
            keys = keys - set(offered)
        for key in sorted(keys):
            label = offered.get(key)
            name = label.name if label is not None else key
            if key in have:
                mapping.labels.append(Entry(dimension, key, name, How.SAME, key, label))
                continue
            if dimension.fixed_keys:
                continue        # not an Admiralty grade: its claims are reported
            target = _renamed(ours, theirs, dimension.value, key, have)
            if target is not None:
                mapping.labels.append(Entry(dimension, key, name, How.RENAMED, target, label))
            else:
                mapping.labels.append(Entry(dimension, key, name, How.UNMAPPED, None,
                                            label or Label(dimension, key, key)))
    texts = {p.text for p in ours.propositions}
    by_id = {p.id: p.text for p in ours.propositions}
    offered_texts = {p.text: p for p in theirs.propositions} if theirs else {}
    for text in sorted(set(propositions)):
        proposition = offered_texts.get(text)
        if text in texts:
            entry = Entry(None, text, text, How.SAME_TEXT, text, proposition=proposition)
        elif proposition is not None and proposition.id in by_id:
            entry = Entry(None, text, text, How.REWORDED, by_id[proposition.id],
                          proposition=proposition)
        elif (target := _renamed(ours, theirs, PROPOSITION, text, texts)) is not None:
            entry = Entry(None, text, text, How.REWORDED, target, proposition=proposition)
        else:
            entry = Entry(None, text, text, How.NEW, None, proposition=proposition)
        mapping.propositions.append(entry)
    return mapping


def with_additions(ours: Codebook, mapping: CodebookMapping,
                   new_id: Any) -> tuple[Codebook, list[str]]:
    """``ours`` with the labels and propositions ``mapping`` adds (a shortcut that
    clashes with one of ours is dropped; a proposition id we use gets ``new_id()``),
    and ``"dimension: key"`` for each label added."""
    labels = list(ours.labels)
    added: list[str] = []
    for entry in mapping.labels:
        if not entry.adds or entry.dimension is None or entry.label is None:
            continue
        taken = {label.shortcut.upper() for label in labels
                 if label.dimension == entry.dimension and label.shortcut and not label.retired}
        label = entry.label
        if label.shortcut.upper() in taken:
            label = dataclasses.replace(label, shortcut="")
        labels.append(label)
        added.append(f"{entry.dimension.value}: {label.key}")
    propositions = list(ours.propositions)
    ids = {p.id for p in propositions}
    for entry in mapping.propositions:
        if not entry.adds:
            continue
        incoming = entry.proposition or Proposition(str(new_id()), entry.key)
        if incoming.id in ids:
            incoming = dataclasses.replace(incoming, id=str(new_id()))
        ids.add(incoming.id)
        propositions.append(incoming)
    return dataclasses.replace(ours, labels=tuple(labels),
                               propositions=tuple(propositions)), added

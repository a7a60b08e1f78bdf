"""How a colleague's codebook maps onto ours (pure domain rules)."""

from __future__ import annotations

import dataclasses

from annotator.domain.codebook import (
    PROPOSITION,
    Dimension,
    Label,
    Proposition,
    Rename,
    default_codebook,
    from_dict,
    to_dict,
)
from annotator.domain.exchange import How, map_codebook, translate

STANCE = Dimension.STANCE


def renamed(codebook, *renames: tuple[str, str]):
    labels = list(codebook.labels)
    for old, new in renames:
        labels = [dataclasses.replace(label, key=new) if label.dimension == STANCE
                  and label.key == old else label for label in labels]
    return dataclasses.replace(codebook, labels=tuple(labels), renames=(
        *codebook.renames, *(Rename("stance", old, new) for old, new in renames)))


def test_a_chain_of_renames_leads_to_the_key_in_use_and_an_undo_back() -> None:
    ours = renamed(default_codebook(), ("unclear", "undetermined"), ("undetermined", "open"))
    assert ours.current("stance", "unclear") == "open"
    assert ours.current("stance", "undetermined") == "open"
    assert ours.current("stance", "maybe") is None
    assert ours.former("stance", "open") == ["undetermined", "unclear"]
    undone = renamed(ours, ("open", "unclear"))      # renamed back: a cycle, no loop
    assert undone.current("stance", "undetermined") == "unclear"
    assert undone.current("stance", "open") == "unclear"


def test_the_history_round_trips_through_the_codebook_file() -> None:
    ours = dataclasses.replace(renamed(default_codebook(), ("unclear", "undetermined")),
                               renames=(Rename("stance", "unclear", "undetermined"),
                                        Rename(PROPOSITION, "old text", "new text")))
    assert from_dict(to_dict(ours)).renames == ours.renames
    assert "history" not in to_dict(default_codebook())


def test_each_way_of_mapping() -> None:
    ours = renamed(default_codebook(), ("unclear", "undetermined"))
    ours = dataclasses.replace(ours, propositions=(Proposition("p1", "Chips were smuggled"),))
    theirs = renamed(default_codebook(), ("neutral", "neither"))
    theirs = dataclasses.replace(theirs, labels=(
        *theirs.labels, Label(STANCE, "maybe", "Maybe")),
        propositions=(Proposition("p1", "Chips were smuggled in"),
                      Proposition("p2", "A new one")))
    used = {STANCE: {"supports", "unclear", "neither", "maybe"}}
    mapping = map_codebook(ours, theirs, used, {"Chips were smuggled in", "A new one"})
    how = {entry.key: (entry.how, entry.target) for entry in mapping.labels}
    assert how == {"supports": (How.SAME, "supports"),
                   "unclear": (How.RENAMED, "undetermined"),       # our history
                   "neither": (How.RENAMED, "neutral"),            # their history
                   "maybe": (How.UNMAPPED, None)}
    assert [(e.key, e.how, e.target) for e in mapping.propositions] == [
        ("A new one", How.NEW, None),
        ("Chips were smuggled in", How.REWORDED, "Chips were smuggled")]   # same id
    assert mapping.needs_review() and [e.key for e in mapping.unmapped()] == ["maybe"]
    mapping.choose(mapping.unmapped()[0], "refutes")
    table = mapping.translations()
    assert table == {"stance": {"unclear": "undetermined", "neither": "neutral",
                                "maybe": "refutes"},
                     "proposition": {"Chips were smuggled in": "Chips were smuggled"}}
    record = {"stance": "maybe", "proposition": "Chips were smuggled in", "id": "x"}
    assert translate(record, table) == {"stance": "refutes", "id": "x",
                                        "proposition": "Chips were smuggled"}


def test_a_dimension_we_have_no_labels_in_takes_their_whole_scale() -> None:
    from annotator.domain.codebook import icd203_labels

    theirs = dataclasses.replace(default_codebook(), labels=(
        *default_codebook().labels, *icd203_labels()))
    mapping = map_codebook(default_codebook(), theirs, {Dimension.LIKELIHOOD: {"likely"}})
    assert [(e.key, e.how) for e in mapping.labels] == [
        (label.key, How.NEW) for label in theirs.of(Dimension.LIKELIHOOD)]
    assert not mapping.unmapped()

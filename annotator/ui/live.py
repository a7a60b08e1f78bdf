"""Working beside colleagues on one project: edit conflicts, and their changes
shown as they are saved.

A claim edited on a version older than the stored one is not saved (the
service raises :class:`~annotator.storage.errors.ClaimConflictError`): the
analyst is shown both versions (:func:`describe_conflict`) and the stored one
replaces theirs on screen (:class:`LiveUpdates`), so the next edit is made on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.domain.model import Claim
from annotator.storage.errors import ClaimConflictError

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: The fields a conflict message compares, with their names for the analyst.
_FIELDS = (("span", "span"), ("proposition", "proposition"), ("stance", "stance"),
           ("claim_type", "claim type"), ("source_name", "source"),
           ("source_reliability", "source reliability"),
           ("info_credibility", "information credibility"), ("likelihood", "likelihood"),
           ("confidence", "confidence"), ("note", "note"), ("tags", "tags"))
#: The most characters of one value a conflict message shows.
VALUE_LIMIT = 80


def _value(claim: Claim, field: str) -> str:
    if field == "span":
        value: Any = f"{claim.start}–{claim.end} “{claim.quote}”"
    elif field == "tags":
        value = ", ".join(claim.tags)
    else:
        value = getattr(claim, field)
    text = " ".join(str(value if value is not None else "").split()) or "(none)"
    return text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT - 1] + "…"


def describe_conflict(error: ClaimConflictError) -> str:
    """Plain text for the analyst: what was not saved, and both versions where they
    differ."""
    stored, yours = error.stored, error.yours
    assert isinstance(stored, Claim) and isinstance(yours, Claim)
    who = f" by {stored.annotator}" if stored.annotator else ""
    lines = [f"Not saved: this claim was changed meanwhile{who} (it is at version "
             f"{error.stored_version}; your edit was made on version {error.your_version})."]
    differ = [(name, _value(stored, field), _value(yours, field)) for field, name in _FIELDS
              if _value(stored, field) != _value(yours, field)]
    if differ:
        lines.append("Stored: " + "; ".join(f"{name}: {s}" for name, s, _ in differ))
        lines.append("Yours: " + "; ".join(f"{name}: {y}" for name, _, y in differ))
    lines.append("The stored version is shown now; make your edit again on it if it "
                 "still applies.")
    return "\n".join(lines)


class LiveUpdates:
    """Keeps the window's claims on what is stored when that differs from what it
    shows (a conflicting edit)."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def connect(self) -> None:
        controller = self._window.controller
        if controller is not None:
            controller.claim_conflict.connect(self.show_stored)

    def show_stored(self, stored: Claim) -> None:
        """Replace the shown version of ``stored`` by it (as an edit would)."""
        window = self._window
        shown = window.shown.claim(stored.id)
        if shown is not None and shown.document_id == stored.document_id:
            window._on_claim_changed(shown, stored)
        current = window.shown.current
        if current is not None and current.id == stored.id:
            window.editor.reload(stored)

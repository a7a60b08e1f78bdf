"""The codebook editor: one tab per label dimension, plus propositions and tags
(the tabs and their table models are in :mod:`annotator.ui.codebook_tabs` and
:mod:`annotator.ui.codebook_models`; the changes are planned here).

Every edit is pushed at once as a :class:`ChangeCodebookCommand` on the window's
undo stack, so it is saved immediately and undoable; the dialog redraws itself
from ``CodebookController.codebook_changed``. Edits typed into a table cell are
handled after the cell editor has closed (a queued signal), so a refusal message
never pops up inside the editor's own commit.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import (
    OKABE_ITO,
    STANCE_MAPPINGS,
    STANCE_PRESET_TITLES,
    Codebook,
    CodebookError,
    Dimension,
    Label,
    Proposition,
    Requirements,
    from_dict,
    icd203_labels,
    stance_preset,
    to_dict,
    validate,
    with_labels,
)
from annotator.formats.atomic import atomic_write
from annotator.ui.codebook_models import (
    CodebookTableModel,
    LabelTableModel,
    PropositionTableModel,
    claims_text,
)
from annotator.ui.codebook_tabs import (
    CompletenessTab,
    LabelTab,
    PropositionTab,
    TagsTab,
    add_buttons,
)
from annotator.ui.commands import ChangeCodebookCommand
from annotator.ui.controller import CodebookController
from annotator.ui.plain import plain_tooltip, show_message

#: The names this module has always offered; the table models and the tabs now
#: live in :mod:`annotator.ui.codebook_models` and :mod:`annotator.ui.codebook_tabs`.
__all__ = ["CodebookDialog", "CodebookTableModel", "LabelTab", "LabelTableModel", "Plan",
           "PropositionTab", "PropositionTableModel", "TagsTab", "plan_import",
           "plan_stance_preset"]

Usage = Callable[[Dimension, str], int]
ICD203 = (Dimension.LIKELIHOOD, Dimension.CONFIDENCE)


# Planning changes (pure: codebook in, codebook out) ------------------------------------

@dataclass
class Plan:
    """A codebook change worked out before it is pushed, with what it will do."""

    codebook: Codebook
    renames: dict[Dimension, dict[str, str]] = field(default_factory=dict)
    proposition_renames: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def plan_stance_preset(codebook: Codebook, target: str, usage: Usage) -> Plan:
    """Switch the stance labels to preset ``target``: claims follow
    STANCE_MAPPINGS; a label in use with no counterpart stays, retired."""
    # Every preset's keys are distinct, so the mappings into ``target`` combine: a
    # codebook that mixes presets or retired some labels still maps what it can.
    mapping = {old: new for (_, to), pairs in STANCE_MAPPINGS.items() if to == target
               for old, new in pairs.items()}
    new = stance_preset(target)
    new_keys = {label.key for label in new}
    plan = Plan(codebook)
    kept: list[Label] = []
    for label in codebook.of(Dimension.STANCE):
        used = usage(Dimension.STANCE, label.key)
        if label.key in new_keys:
            plan.lines.append(f"“{label.key}” stays ({claims_text(used)})")
        elif mapping.get(label.key) in new_keys:
            plan.renames.setdefault(Dimension.STANCE, {})[label.key] = mapping[label.key]
            plan.lines.append(f"“{label.key}” becomes “{mapping[label.key]}”: "
                              f"{claims_text(used)} relabelled")
        elif used:
            kept.append(replace(label, retired=True))
            plan.lines.append(f"“{label.key}” has no counterpart: kept as a retired label "
                              f"with its {claims_text(used)}")
        else:
            plan.lines.append(f"“{label.key}” is removed (no claims use it)")
    old_keys = {label.key for label in codebook.of(Dimension.STANCE)}
    added = [label.key for label in new if label.key not in old_keys
             and label.key not in plan.renames.get(Dimension.STANCE, {}).values()]
    if added:
        plan.lines.append("New: " + ", ".join(f"“{key}”" for key in added))
    plan.codebook = with_labels(codebook, Dimension.STANCE, [*new, *kept])
    return plan


def plan_import(current: Codebook, imported: Codebook, usage: Usage,
                proposition_usage: Callable[[str], int]) -> Plan:
    """Replace ``current`` by ``imported``, keeping (retired) every label and
    proposition that claims still use; a proposition with the same id but new
    text is a rename."""
    labels: list[Label] = []
    lines: list[str] = []
    for dimension in Dimension:
        incoming = imported.of(dimension)
        if not incoming and dimension.fixed_keys:
            labels += current.of(dimension)
            continue
        labels += incoming
        keys = {label.key for label in incoming}
        for label in current.of(dimension):
            used = usage(dimension, label.key) if label.key not in keys else 0
            if used:
                labels.append(replace(label, retired=True))
                lines.append(f"{dimension.title} “{label.key}” is not in the file but "
                             f"{claims_text(used)} use it: kept, retired")
    by_id = {p.id: p for p in imported.propositions}
    texts = {p.text for p in imported.propositions}
    renames: dict[str, str] = {}
    propositions = list(imported.propositions)
    for proposition in current.propositions:
        if proposition.text in texts:
            continue
        if proposition.id in by_id:
            renames[proposition.text] = by_id[proposition.id].text
            lines.append(f"Proposition “{proposition.text}” renamed to "
                         f"“{by_id[proposition.id].text}” "
                         f"({claims_text(proposition_usage(proposition.text))} relabelled)")
        elif used := proposition_usage(proposition.text):
            propositions.append(replace(proposition, retired=True))
            lines.append(f"Proposition “{proposition.text}” is not in the file but "
                         f"{claims_text(used)} use it: kept, retired")
    codebook = Codebook(current.version, tuple(labels), tuple(propositions), imported.tags,
                        imported.requirements, imported.renames)
    return Plan(codebook, proposition_renames=renames, lines=lines)


# The dialog ----------------------------------------------------------------------------------

class CodebookDialog(QDialog):
    """Edit the project's codebook; every change is saved and undoable at once."""

    def __init__(self, controller: CodebookController, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.undo_stack = controller, undo_stack
        self.setWindowTitle("Codebook")
        self.resize(1100, 560)
        self.label_tabs: dict[Dimension, LabelTab] = {}
        self.tabs = QTabWidget()
        self.propositions = PropositionTab(self)
        self.tags = TagsTab(self)
        self.tabs.addTab(self.propositions, "Propositions")
        self.tabs.addTab(self.tags, "Tags")
        self.completeness = CompletenessTab(self)
        self.tabs.addTab(self.completeness, "Complete When")

        self.icd_checkbox = QCheckBox("Enable ICD 203 likelihood and confidence")
        self.icd_checkbox.setToolTip("Estimative likelihood (almost no chance … almost "
                                     "certain) and a separate analytic confidence")
        self.icd_checkbox.clicked.connect(self.set_icd203_enabled)
        self.version_label = QLabel()
        # Only Qt-to-Qt connections to the stack, which may be destroyed before the
        # dialog (and emits as it goes): no Python slot can run on a dead object.
        self.undo_action = undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])
        bottom = QHBoxLayout()
        bottom.addWidget(self.icd_checkbox)
        bottom.addStretch()
        bottom.addWidget(self.version_label)
        self.import_button, self.export_button, self.undo_button, self.redo_button = add_buttons(
            bottom, ("Import…", self._on_import, "Replace the codebook by one from a file; "
                     "labels claims use are kept"),
            ("Export…", self._on_export, "Save the codebook as a file to share with the team"),
            ("Undo", undo_stack.undo, ""), ("Redo", undo_stack.redo, ""))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(bottom)

        for button, enabled, text, can, tip in (
                (self.undo_button, undo_stack.canUndoChanged, undo_stack.undoTextChanged,
                 undo_stack.canUndo(), undo_stack.undoText()),
                (self.redo_button, undo_stack.canRedoChanged, undo_stack.redoTextChanged,
                 undo_stack.canRedo(), undo_stack.redoText())):
            button.setEnabled(can)
            button.setToolTip(plain_tooltip(tip))     # names labels and propositions
            enabled.connect(button.setEnabled)
            text.connect(lambda tip, button=button: button.setToolTip(plain_tooltip(tip)))
        controller.codebook_changed.connect(self.refresh)
        controller.failed.connect(self._show_refusal)
        # One codebook version for all the changes made while the dialog is open
        # (each is still saved at once, and undoable one by one).
        controller.begin_session()
        self.finished.connect(lambda _result: controller.end_session())
        self.refresh()

    # Reading ---------------------------------------------------------------------------------

    @property
    def codebook(self) -> Codebook:
        return self.controller.codebook

    def usage(self, dimension: Dimension, key: str) -> int:
        return self.controller.usage(dimension, key)

    def proposition_usage(self, text: str) -> int:
        return self.controller.proposition_usage(text)

    def refresh(self, *_: object) -> None:
        codebook = self.codebook
        dimensions = codebook.dimensions()
        if list(self.label_tabs) != dimensions:
            current = self.tabs.currentWidget()
            for tab in self.label_tabs.values():
                self.tabs.removeTab(self.tabs.indexOf(tab))
                tab.deleteLater()
            self.label_tabs = {}
            for position, dimension in enumerate(dimensions):
                tab = LabelTab(self, dimension)
                self.label_tabs[dimension] = tab
                self.tabs.insertTab(position, tab, dimension.title)
            index = self.tabs.indexOf(current) if current is not None else -1
            self.tabs.setCurrentIndex(max(index, 0))
        for tab in self.label_tabs.values():
            tab.refresh(codebook)
        self.propositions.refresh(codebook)
        self.tags.refresh(codebook)
        self.completeness.refresh(codebook)
        self.icd_checkbox.setChecked(any(d in dimensions for d in ICD203))
        self.version_label.setText(f"Codebook version {codebook.version} · saved")

    # Saving ----------------------------------------------------------------------------------

    def push(self, after: Codebook, change: str, *,
             renames: dict[Dimension, dict[str, str]] | None = None,
             proposition_renames: dict[str, str] | None = None) -> bool:
        """Save ``after`` as one undoable change; False (the user was told why) if not."""
        try:
            validate(after)
        except CodebookError as error:
            self._show_refusal(f"{error}.\n\nNothing was saved.")
            self.refresh()
            return False
        before = self.codebook
        self.undo_stack.push(ChangeCodebookCommand(
            self.controller, before, after, change, renames=renames,
            proposition_renames=proposition_renames))
        if self.codebook is before:   # refused: the command dropped itself
            self.refresh()
            return False
        return True

    def changeEvent(self, event: QEvent) -> None:
        # Claims change in the main window while this is open: recount on return.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh()
        super().changeEvent(event)

    def _show_refusal(self, message: str) -> None:
        show_message(self, QMessageBox.Icon.Warning, "Codebook not changed", message)

    # Labels ----------------------------------------------------------------------------------

    def edit_label(self, dimension: Dimension, key: str, name: str, value: object) -> bool:
        labels = self.codebook.of(dimension)
        row = next((i for i, label in enumerate(labels) if label.key == key), None)
        if row is None:
            return False
        label = labels[row]
        if isinstance(value, str):
            value = value.strip()
        if getattr(label, name) == value:
            return False
        if dimension.fixed_keys and name not in ("name", "description", "colour"):
            self._show_refusal(f"{dimension.title}: the Admiralty grades keep their keys, "
                               "shortcuts and place on the scale.")
            return False
        renames = None
        if name == "key":
            renames = {dimension: {key: str(value)}}
            change = (f"Rename {dimension.title.lower()} “{key}” to “{value}” "
                      f"({claims_text(self.usage(dimension, key))} relabelled)")
        elif name == "retired":
            change = f"{'Retire' if value else 'Unretire'} {dimension.title.lower()} “{key}”"
        else:
            change = f"Edit {name} of {dimension.title.lower()} “{key}”"
        labels[row] = replace(label, **{name: value})
        return self.push(with_labels(self.codebook, dimension, labels), change,
                         renames=renames)

    def add_label(self, dimension: Dimension) -> str | None:
        labels = self.codebook.of(dimension)
        keys = {label.key for label in labels}
        key = next(k for n in range(1, 1000) if (k := f"new_label_{n}") not in keys)
        used = {label.colour.upper() for label in labels}
        colour = next((c for c in OKABE_ITO if c not in used), OKABE_ITO[0])
        new = Label(dimension, key, "New label", "", colour)
        unjudgeable = [label for label in labels if not label.judgeable]
        ordered = [label for label in labels if label.judgeable]
        after = with_labels(self.codebook, dimension, [*ordered, new, *unjudgeable])
        return key if self.push(after, f"Add {dimension.title.lower()} label") else None

    def delete_label(self, dimension: Dimension, key: str) -> bool:
        used = self.usage(dimension, key)
        if used:
            self._show_refusal(f"{dimension.title}: “{key}” is used by {claims_text(used)}, so it "
                               "cannot be deleted. Retire it instead: it is hidden from new "
                               "work and its claims keep it.")
            return False
        labels = [label for label in self.codebook.of(dimension) if label.key != key]
        return self.push(with_labels(self.codebook, dimension, labels),
                         f"Delete {dimension.title.lower()} “{key}”")

    def move_label(self, dimension: Dimension, key: str, step: int) -> bool:
        labels = self.codebook.of(dimension)
        row = next(i for i, label in enumerate(labels) if label.key == key)
        other = row + step
        while 0 <= other < len(labels) and not labels[other].judgeable:
            other += step   # the "cannot be judged" grades are not on the scale
        if dimension.fixed_keys or not labels[row].judgeable or not 0 <= other < len(labels):
            return False
        labels[row], labels[other] = labels[other], labels[row]
        return self.push(with_labels(self.codebook, dimension, labels),
                         f"Move {dimension.title.lower()} “{key}” "
                         f"{'up' if step < 0 else 'down'}")

    def apply_stance_preset(self, name: str) -> bool:
        plan = plan_stance_preset(self.codebook, name, self.usage)
        if not plan.renames and plan.codebook.of(Dimension.STANCE) == \
                self.codebook.of(Dimension.STANCE):
            self._show_refusal(f"The stance labels already are {STANCE_PRESET_TITLES[name]}.")
            return False
        answer = show_message(
            self, QMessageBox.Icon.Question, "Switch stance labels",
            f"Switch the stance labels to {STANCE_PRESET_TITLES[name]}?\n\n"
            + "\n".join(f"• {line}" for line in plan.lines)
            + "\n\nNo claim loses its stance. You can undo this.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self.push(plan.codebook, f"Switch stance labels to {STANCE_PRESET_TITLES[name]}",
                         renames=plan.renames)

    def set_icd203_enabled(self, enabled: bool) -> bool:
        codebook = self.codebook
        present = [d for d in ICD203 if codebook.of(d)]
        if enabled and not present:
            after = replace(codebook, labels=(*codebook.labels, *icd203_labels()))
            return self.push(after, "Enable ICD 203 likelihood and confidence")
        if enabled or not present:
            self.refresh()
            return False
        in_use = [f"{label.dimension.title} “{label.name}”: {claims_text(n)}"
                  for d in present for label in codebook.of(d)
                  if (n := self.usage(d, label.key))]
        if in_use:
            self._show_refusal("Likelihood and confidence are in use, so they stay:\n"
                               + "\n".join(in_use)
                               + "\n\nRetire the labels to hide them from new work.")
            self.refresh()
            return False
        after = replace(codebook, labels=tuple(lb for lb in codebook.labels
                                               if lb.dimension not in ICD203))
        return self.push(after, "Disable ICD 203 likelihood and confidence")

    # Propositions and tags -----------------------------------------------------------------

    def edit_proposition(self, proposition_id: str, name: str, value: object) -> bool:
        propositions = list(self.codebook.propositions)
        row = next((i for i, p in enumerate(propositions) if p.id == proposition_id), None)
        if row is None:
            return False
        old = propositions[row]
        if isinstance(value, str):
            value = " ".join(value.split()) if name == "text" else value.strip()
        if getattr(old, name) == value:
            return False
        renames = None
        if name == "text":
            if not value:
                self._show_refusal("A proposition needs some text. Nothing was saved.")
                self.refresh()
                return False
            renames = {old.text: str(value)}
            change = (f"Reword proposition ({claims_text(self.proposition_usage(old.text))} "
                      "relabelled)")
        elif name == "retired":
            change = f"{'Retire' if value else 'Unretire'} proposition “{old.text}”"
        else:
            change = f"Describe proposition “{old.text}”"
        propositions[row] = replace(old, **{name: value})
        return self.push(replace(self.codebook, propositions=tuple(propositions)), change,
                         proposition_renames=renames)

    def add_proposition(self) -> str | None:
        texts = {p.text for p in self.codebook.propositions}
        text = next(t for n in range(1, 1000) if (t := f"New proposition {n}") not in texts)
        new = Proposition(str(uuid.uuid4()), text)
        after = replace(self.codebook, propositions=(*self.codebook.propositions, new))
        return new.id if self.push(after, "Add proposition") else None

    def delete_proposition(self, proposition_id: str) -> bool:
        proposition = next(p for p in self.codebook.propositions if p.id == proposition_id)
        used = self.proposition_usage(proposition.text)
        if used:
            self._show_refusal(f"The proposition “{proposition.text}” is used by "
                               f"{claims_text(used)}, so it cannot be deleted. Retire it instead.")
            return False
        after = replace(self.codebook, propositions=tuple(
            p for p in self.codebook.propositions if p.id != proposition_id))
        return self.push(after, f"Delete proposition “{proposition.text}”")

    def set_tags(self, tags: list[str]) -> bool:
        cleaned = tuple(dict.fromkeys(t for tag in tags if (t := " ".join(tag.split()))))
        if cleaned == self.codebook.tags:
            return False
        return self.push(replace(self.codebook, tags=cleaned), "Change suggested tags")

    # Files -------------------------------------------------------------------------------------

    def set_requirements(self, requirements: Requirements) -> bool:
        """What a complete claim needs (one undoable codebook change)."""
        codebook = self.codebook
        if requirements == codebook.requirements:
            return False
        return self.push(replace(codebook, requirements=requirements),
                         "Change what a complete claim needs")

    def export_codebook(self, path: str | Path) -> bool:
        try:
            with atomic_write(path) as handle:
                json.dump(to_dict(self.codebook), handle, ensure_ascii=False, indent=2)
                handle.write("\n")
        except OSError as error:
            show_message(self, QMessageBox.Icon.Critical, "Export failed", f"{path}: {error}")
            return False
        return True

    def import_codebook(self, path: str | Path) -> bool:
        try:
            with open(path, encoding="utf-8") as handle:
                imported = from_dict(json.load(handle))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, CodebookError) as error:
            self._show_refusal(f"Cannot import {Path(path).name}: {error}\n\n"
                               "The codebook was not changed.")
            return False
        plan = plan_import(self.codebook, imported, self.usage, self.proposition_usage)
        if not self.push(plan.codebook, f"Import codebook from {Path(path).name}",
                         proposition_renames=plan.proposition_renames):
            return False
        show_message(
            self, QMessageBox.Icon.Information, "Codebook imported",
            f"Imported {Path(path).name}: codebook version {self.codebook.version}."
            + ("\n\n" + "\n".join(f"• {line}" for line in plan.lines) if plan.lines
               else "\n\nEvery label in use is in the file; no claim needed a change."))
        return True

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export Codebook",
                                              str(Path.home() / "codebook.json"),
                                              "Codebook (*.json)")
        if path:
            self.export_codebook(path)

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Codebook", str(Path.home()),
                                              "Codebook (*.json);;All files (*)")
        if path:
            self.import_codebook(path)

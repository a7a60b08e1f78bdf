"""Who the analyst is, and whose claims the window shows.

* The analyst's name goes on every claim they make. The first launch asks for it
  (prefilled with the login name); Edit › Analyst Name… changes it, and offers to
  carry the claims made under the old name to the new one, as one undoable step
  (:class:`~annotator.ui.commands.ReassignClaimsCommand`).
* The viewer, the claims table, the legend, the document list's counts and the
  status bar's total show the analyst's own work (their claims, and claims with
  no name) unless they choose to see colleagues' too: View › Show Claims, or the
  "Show" box atop the legend, remembered per project. The choice is made below
  the widgets: the claims and the counts are read for those analysts only
  (:meth:`ProjectService.claims`, :meth:`ProjectService.documents`), so every
  widget shows the same set. Comparing analysts (Review › Compare Analysts)
  reads every analyst's claims; its own panel chooses which to overlay.
* A blind document (blind double coding) shows only the analyst's own claims,
  whatever is chosen: :meth:`Assignments.visible
  <annotator.ui.assignments_panel.Assignments.visible>` narrows what is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.analysts import MAX_NAME, ShownAnalysts, check_analyst_name
from annotator.domain.lazy_claims import LazyClaims
from annotator.domain.model import Claim, Document, DocumentInfo
from annotator.domain.wording import plural
from annotator.ui.actions import make_action
from annotator.ui.commands import ReassignClaimsCommand
from annotator.ui.item_models import ClaimTableModel
from annotator.ui.plain import plain_label, plain_tooltip, show_message
from annotator.ui.settings import UiSettings

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
SHOW_TIP = ("Whose claims the text, the claims table, the legend and the document counts "
            "show: your own (and claims with no analyst's name), every analyst's, or yours "
            "and chosen colleagues'. Comparing analysts (Review › Compare Analysts) shows "
            "those checked in its panel.")


class NameDialog(QDialog):
    """Asks for the analyst's name; OK only while the name is one the project can
    record (the reason shows under it otherwise)."""

    def __init__(self, parent: QWidget | None, name: str, *, first: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("analystNameDialog")
        self.setWindowTitle("Welcome to Annotator" if first else "Analyst Name")
        prompt = ("Your name, recorded on every claim you make (colleagues see it when "
                  "they import your work). It is your login name unless you change it:"
                  if first else "Your name, recorded on every claim you make:")
        self.edit = QLineEdit(name)
        self.edit.setObjectName("analystName")
        self.edit.setMaxLength(MAX_NAME + 50)     # longer names are refused with the reason
        self.edit.selectAll()
        self.problem = plain_label()
        self.problem.setObjectName("analystNameProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        label = plain_label(prompt)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        try:
            check_analyst_name(self.edit.text())
        except ValueError as error:
            self.problem.setText(f"Not a name: {error}.")
            ok = False
        else:
            self.problem.setText("")
            ok = True
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            super().accept()

    def name(self) -> str:
        return check_analyst_name(self.edit.text())


def ask_first_name(settings: UiSettings, parent: QWidget | None = None) -> str:
    """On the first launch (no name given yet), ask the analyst's name, prefilled
    with the login name, and keep it. Cancelled, the login name is used for now and
    the question comes again next launch. Returns the name in use."""
    if not settings.has_annotator_name():
        dialog = NameDialog(parent, settings.annotator_name(), first=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            settings.set_annotator_name(dialog.name())
    return settings.annotator_name()


class ColleaguesDialog(QDialog):
    """Which colleagues' claims to show beside the analyst's own."""

    def __init__(self, parent: QWidget | None, analysts: list[tuple[str, int]], me: str,
                 chosen: frozenset[str] | None) -> None:
        super().__init__(parent)
        self.setObjectName("colleaguesDialog")
        self.setWindowTitle("Show Colleagues' Claims")
        self.colleagues = QListWidget()
        self.colleagues.setObjectName("colleagues")
        for name, count in analysts:
            if name in (me, ""):
                continue
            item = QListWidgetItem(f"{name}  ·  {plural(count, 'claim')}")
            item.setData(_NAME_ROLE, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if chosen is None or name in chosen
                               else Qt.CheckState.Unchecked)
            self.colleagues.addItem(item)
        text = (f"Show these colleagues' claims (read-only) beside yours ({me}):"
                if self.colleagues.count() else
                "No colleague has claims in this project yet: File › Import a Colleague's "
                "Work… brings theirs in.")
        label = plain_label(text)
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.colleagues)
        layout.addWidget(buttons)

    def set_chosen(self, names: list[str] | tuple[str, ...]) -> None:
        for i in range(self.colleagues.count()):
            item = self.colleagues.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(_NAME_ROLE) in names
                               else Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        return [item.data(_NAME_ROLE) for item in
                (self.colleagues.item(i) for i in range(self.colleagues.count()))
                if item.checkState() == Qt.CheckState.Checked]


class Identity(QObject):
    """The window's analyst and whose claims it shows (see the module doc)."""

    _UNREAD = frozenset({"\x00unread"})      # nothing loaded yet

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._loaded: frozenset[str] | None = self._UNREAD
        a = lambda *args, **kw: make_action(window, *args, **kw)  # noqa: E731
        self.mine_action = a("&My Claims", lambda: self._choose("mine"), None,
                             "Show and count your own claims only")
        self.all_action = a("&All Analysts", lambda: self._choose("all"), None,
                            "Show and count every analyst's claims (theirs read-only)")
        self.chosen_action = a("My Claims and &Colleagues…", lambda: self._choose("chosen"),
                               None, "Show and count your claims and chosen colleagues'")
        self._group = QActionGroup(self)
        for action in (self.mine_action, self.all_action, self.chosen_action):
            action.setCheckable(True)
            self._group.addAction(action)
        menu = window.view_menu
        first = menu.actions()[0] if menu.actions() else None
        self.menu = menu.addMenu("Show &Claims")
        self.menu.setToolTipsVisible(True)
        self.menu.addActions([self.mine_action, self.all_action, self.chosen_action])
        if first is not None:
            menu.insertMenu(first, self.menu)
            menu.insertSeparator(first)
        self.combo = QComboBox()
        self.combo.setObjectName("showAnalysts")
        self.combo.setToolTip(plain_tooltip(SHOW_TIP))
        self.combo.addItem("My claims", "mine")
        self.combo.addItem("All analysts", "all")
        self.combo.addItem("Mine and colleagues…", "chosen")
        self.combo.activated.connect(lambda i: self._choose(self.combo.itemData(i)))
        row = QHBoxLayout()
        row.addWidget(QLabel("Show"))
        row.addWidget(self.combo, 1)
        legend_layout = window.legend.layout()
        assert isinstance(legend_layout, QVBoxLayout)
        legend_layout.insertLayout(0, row)
        self._show_choice(ShownAnalysts(window.settings.annotator_name()))

    # Whose claims -------------------------------------------------------------------

    def shown(self) -> ShownAnalysts:
        """Whose claims are shown and counted for the open project."""
        window = self._window
        analyst = window.settings.annotator_name()
        if window.service is None:
            return ShownAnalysts(analyst)
        return ShownAnalysts.from_setting(
            analyst, window.settings.shown_analysts(window.service.location))

    def set_shown(self, shown: ShownAnalysts) -> None:
        """Show and count these analysts' claims (kept for the project)."""
        window = self._window
        if window.service is not None:
            window.settings.set_shown_analysts(window.service.location, shown.to_setting())
        self.refresh()

    def _choose(self, choice: str) -> None:
        analyst = self._window.settings.annotator_name()
        if choice == "all":
            self.set_shown(ShownAnalysts.everyone(analyst))
        elif choice == "chosen":
            self.choose_colleagues()
        else:
            self.set_shown(ShownAnalysts(analyst))

    def choose_colleagues(self) -> None:
        """Ask which colleagues' claims to show beside the analyst's own."""
        window = self._window
        shown = self.shown()
        review = window.review.controller
        if review is None:
            self._show_choice(shown)
            return
        dialog = ColleaguesDialog(window, review.analysts(), shown.analyst, shown.colleagues)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen()
        dialog.deleteLater()
        if accepted:
            self.set_shown(ShownAnalysts.with_colleagues(shown.analyst, chosen))
        else:
            self._show_choice(shown)        # the menu and the box as they were

    def _show_choice(self, shown: ShownAnalysts) -> None:
        key = "all" if shown.all_analysts else "mine" if shown.own_only else "chosen"
        {"mine": self.mine_action, "all": self.all_action,
         "chosen": self.chosen_action}[key].setChecked(True)
        index = self.combo.findData(key)
        self.combo.setItemText(self.combo.findData("chosen"),
                               shown.describe() if key == "chosen" else "Mine and colleagues…")
        self.combo.setCurrentIndex(index)
        self.combo.setItemData(index, plain_tooltip(shown.describe()),
                               Qt.ItemDataRole.ToolTipRole)
        # The Analyst column tells apart claims of several analysts (with only
        # your own shown it would repeat your name).
        self._window.claim_table.setColumnHidden(ClaimTableModel.HEADERS.index("Analyst"),
                                                 shown.own_only)
        self._window.progress_label.setToolTip(
            plain_tooltip(f"Claims counted: {shown.describe()} (View › Show Claims)"))

    def counts(self, claim: Claim) -> bool:
        """Whether ``claim`` is counted in the document list and the status bar."""
        return self.shown().shows(claim.annotator)

    def loads(self, claim: Claim) -> bool:
        """Whether ``claim`` belongs in the viewer and the claims table (as read)."""
        return self._loaded is None or claim.annotator in self._loaded

    def _wanted(self) -> frozenset[str] | None:
        if self._window.review.colours_by_analyst():
            return None             # comparing: every analyst (its panel chooses)
        return self.shown().annotators()

    def documents(self) -> list[DocumentInfo]:
        """The document list, its counts of the analysts shown."""
        window = self._window
        assert window.service is not None
        wanted = self.shown().annotators()
        return window.assignments.documents(window.service.documents(annotators=wanted),
                                            wanted)

    def claims_of(self, document: Document) -> list[Claim]:
        """``document``'s claims of the analysts shown (of all while comparing)."""
        window = self._window
        assert window.service is not None
        wanted = self._loaded = window.assignments.visible(document.id, self._wanted())
        return window.service.claims(document.id, document.text, annotators=wanted)

    def open_claims(self, document: Document) -> LazyClaims:
        """:meth:`claims_of`, each claim made when first used (opening a document)."""
        window = self._window
        assert window.service is not None
        wanted = self._loaded = window.assignments.visible(document.id, self._wanted())
        return window.service.claims_lazily(document.id, document.text, annotators=wanted)

    def sync(self, *, force: bool = False) -> None:
        """Read the shown document's claims again if whose claims it shows changed
        (compare mode entered or left; with ``force``, whatever changed)."""
        window = self._window
        document = window.current_document
        if window.service is None or document is None or window.review.gold_shown:
            return
        if force or self._window.assignments.visible(document.id, self._wanted()) \
                != self._loaded:
            window.show_claims(self.claims_of(document))

    def follow(self) -> bool:
        """Whose claims the shown document may show, read again (a blind document's
        assignees done, or a new assignment): whether that changed. The window's
        live updates then add or remove those claims one by one
        (:meth:`~annotator.ui.live.LiveUpdates.follow_visibility`)."""
        window = self._window
        document = window.current_document
        if window.service is None or document is None or window.review.gold_shown:
            return False
        visible = window.assignments.visible(document.id, self._wanted())
        if visible == self._loaded:
            return False
        self._loaded = visible
        return True

    def refresh(self) -> None:
        """Count and show again: the choice, the analyst's name or the claims'
        analysts changed."""
        window = self._window
        self._show_choice(self.shown())
        if window.service is None:
            return
        window.reload_documents()
        self.sync(force=True)

    def project_opened(self) -> None:
        """A project was opened: its choice, and its controller's news."""
        self._loaded = self._UNREAD
        self._show_choice(self.shown())
        controller = self._window.controller
        if controller is not None:
            controller.authors_changed.connect(self._on_authors_changed)
            controller.document_status_changed.connect(self._window.assignments.status_changed)

    def _on_authors_changed(self) -> None:
        self.refresh()
        self._window.review.refresh()

    def work_imported(self) -> None:
        """After a colleague's work came in: say whose claims the view leaves out."""
        window, shown = self._window, self.shown()
        review = window.review.controller
        if shown.all_analysts or review is None:
            return
        hidden = [name for name, _count in review.analysts() if not shown.shows(name)]
        if hidden:
            names = ", ".join(hidden[:5]) + (f" and {len(hidden) - 5} more"
                                             if len(hidden) > 5 else "")
            window.show_message(f"Not shown: claims by {names} (View › Show Claims, or "
                                "Review › Compare Analysts).", 15000)

    # The analyst's name -------------------------------------------------------------

    def rename(self) -> None:
        """Edit › Analyst Name…: a new name, and the claims made under the old one
        carried to it (as one undoable step) if the analyst wishes."""
        window = self._window
        old = window.settings.annotator_name()
        dialog = NameDialog(window, old)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        new = dialog.name() if accepted else old
        dialog.deleteLater()
        if new == old:
            return
        count = window.service.claim_count(annotators={old}) if window.service else 0
        if count and window.controller is not None:
            button = QMessageBox.StandardButton
            answer = show_message(
                window, QMessageBox.Icon.Question, "Carry Your Claims",
                f"Carry your {plural(count, 'claim')} from {old} to {new}?\n\n"
                f"Yes: they are recorded as {new}'s, and stay yours to edit (Edit › Undo "
                f"puts them and your name back).\n"
                f"No: they stay {old}'s: read-only for you, and shown only when you "
                f"choose to see {old}'s claims.",
                button.Yes | button.No | button.Cancel, button.Yes)
            if answer == button.Cancel:
                return
            if answer == button.Yes:
                # Not at all if the claims cannot be carried (the analyst is told why).
                window.undo_stack.push(ReassignClaimsCommand(window.controller, old, new,
                                                             count, self.record_name))
                return
        self.set_name(new)

    def set_name(self, name: str) -> None:
        """Record claims as ``name``'s from now on, and show ``name``'s work."""
        self.record_name(name)
        self.refresh()
        self._window.show_message(f"Your claims are recorded as {name}'s.")

    def record_name(self, name: str) -> None:
        """The analyst's name (what is shown follows when claims are reassigned)."""
        self._window.settings.set_annotator_name(name)
        self._window.review.apply_layer()

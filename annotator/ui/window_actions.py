"""The main window's actions, menus and toolbar, declared in one place (the
shortcuts sheet lists them from the menus)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenuBar, QToolBar

from annotator.ui import assignments_panel, elsewhere, search_panel
from annotator.ui.actions import make_action
from annotator.ui.plain import plain_tooltip
from annotator.ui.review_mode import ReviewMode
from annotator.ui.sync_flow import SyncFlow
from annotator.ui.team_connect import connect_to_team

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

DOCUMENT_STATUS_KEYS = (("new", "New", "Ctrl+Shift+1"),
                        ("in_progress", "In Progress", "Ctrl+Shift+2"),
                        ("done", "Done", "Ctrl+D"))


class _StepTip(QObject):
    """Keeps an undo or redo action's tooltip on what it would do, as plain text.
    A child of the action, so the stack's signal stops reaching it with it."""

    def __init__(self, action: QAction, verb: str) -> None:
        super().__init__(action)
        self._action, self._verb = action, verb

    @Slot(str)
    def show(self, text: str) -> None:
        if not shiboken6.isValid(self._action):     # the window is being torn down
            return
        self._action.setToolTip(plain_tooltip(f"{self._verb} {text}" if text else self._verb))


def build(window: MainWindow) -> None:
    """Create the window's actions (as attributes), its menus and its toolbar."""
    w, a = window, lambda *args, **kw: make_action(window, *args, **kw)
    files = w.files
    w.new_project_action = a("&New Project…", files.new_project, QKeySequence.StandardKey.New)
    w.open_project_action = a("&Open Project…", files.open_project,
                              QKeySequence.StandardKey.Open)
    w.connect_team_action = a(
        "Connect to &Team Server…", lambda: connect_to_team(w), None,
        "Open a team project on a PostgreSQL server (server, database, your login; "
        "the password is asked, or kept in the system keyring)")
    w.import_action = a(
        "&Import Documents…", files.choose_documents, "Ctrl+I",
        "Import text, Markdown, web pages (HTML), PDF and Word (DOCX) files "
        "(or drop them on the window)")
    w.import_folder_action = a("Import &Folder…", files.choose_folder)
    w.unplaced_action = a("Claims to &Place…", files.show_unplaced)
    w.import_claims_action = a(
        "Import a Colleague's &Work…", files.choose_work, None,
        "Import claims from a JSONL export, a dataset package, a colleague's project "
        "file or a REFI-QDA project (.qdpx) (documents match by text, claims by id; "
        "newer edits win)")
    w.export_action = a(
        "&Export…", files.show_export_dialog, "Ctrl+E",
        "Export claims or documents: choose the format and which claims, with a preview")
    w.restore_backup_action = a(
        "Restore from &Backup…", w.backups.show_dialog, None,
        "The project's backups, with their dates and claim counts: back up now, or "
        "restore one")
    w.sync_flow = SyncFlow(w)       # publish, take offline, sync (ui/sync_flow.py)
    quit_action = a("&Quit", w.close, QKeySequence.StandardKey.Quit)

    w.undo_action = w.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
    w.redo_action = w.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    # The toolbar keeps short, fixed buttons; what a step would undo (it may quote a
    # claim) shows in the tooltip, as written.
    for action, verb, changed in ((w.undo_action, "Undo", w.undo_stack.undoTextChanged),
                                  (w.redo_action, "Redo", w.undo_stack.redoTextChanged)):
        action.setIconText(verb)
        action.setToolTip(verb)
        changed.connect(_StepTip(action, verb).show)
    # Enter marks in the text only (the keyboard flow): as a shortcut it would also
    # fire in dialogs, whose Enter is their default button. The menu shows the key.
    w.mark_action = a("&Mark Claim\tEnter", w.mark_claim, None,
                      "Make the selected text a claim (Enter)")
    w.mark_action.setIconText("Mark Claim")
    w.delete_action = a("&Delete Claim", w.delete_current_claim,
                        QKeySequence.StandardKey.Delete, "Delete the current claim")
    w.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    w.view.addAction(w.delete_action)
    w.claim_table.addAction(w.delete_action)
    w.snap_action = a("Snap to &Words", w.toggle_snap, None,
                      "Widen new and adjusted spans to whole words (W)")
    w.snap_action.setCheckable(True)
    w.snap_action.setChecked(w.snap)
    w.find_action = a("&Find in Document…", w.find_bar.open, QKeySequence.StandardKey.Find,
                      "Find text in this document (F3 next, Shift+F3 previous)")
    w.find_next_action = a("Find &Next", lambda: w.find_bar.step(+1),
                           QKeySequence.StandardKey.FindNext)
    w.find_previous_action = a("Find Pre&vious", lambda: w.find_bar.step(-1),
                               QKeySequence.StandardKey.FindPrevious)
    w.search_dock = search_panel.install(w)
    w.search_action = a("&Search Project…", lambda: search_panel.open_search(w), "Ctrl+Shift+F",
                        "Find text in every document, claim, note, tag and source")
    w.name_action = a("Analyst &Name…", w.ask_analyst_name)
    w.codebook_action = a("&Codebook…", w.show_codebook, "Ctrl+K",
                          "Edit the project's labels and propositions")

    w.status_actions = QActionGroup(w)
    w.status_action = {}
    for key, name, shortcut in DOCUMENT_STATUS_KEYS:
        # Done, on a document assigned to the analyst, marks their own part done.
        action = a(f"Mark Document {name}", (lambda: w.assignments.toggle_done())
                   if key == "done" else (lambda k=key: w.set_document_status(k)), shortcut)
        action.setCheckable(True)
        w.status_actions.addAction(action)
        w.status_action[key] = action
    w.next_document_action = a("Next Document Not Done", w.next_undone_document, "Ctrl+J")
    w.next_document_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    w.next_pane_action = a("Next &Pane", lambda: w.focus_pane(+1), "F6",
                           "Move the keyboard to the next panel: documents, text, claims "
                           "table, claim panel")
    w.previous_pane_action = a("Previous Pa&ne", lambda: w.focus_pane(-1), "Shift+F6")
    w.shortcuts_action = a("&Keyboard Shortcuts", w.show_shortcuts,
                           QKeySequence.StandardKey.HelpContents)

    bar: QMenuBar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([w.new_project_action, w.open_project_action])
    w.recent_menu = file_menu.addMenu("Open &Recent")
    file_menu.addAction(w.connect_team_action)
    w.recent_menu.aboutToShow.connect(files.fill_recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([w.import_action, w.import_folder_action, w.import_claims_action])
    file_menu.addSeparator()
    file_menu.addAction(w.export_action)
    file_menu.addSeparator()
    file_menu.addAction(w.restore_backup_action)
    file_menu.addSeparator()
    file_menu.addActions(w.sync_flow.actions)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([w.undo_action, w.redo_action])
    edit_menu.addSeparator()
    edit_menu.addActions([w.mark_action, w.delete_action, w.snap_action])
    edit_menu.addSeparator()
    edit_menu.addActions([w.find_action, w.find_next_action, w.find_previous_action,
                          w.search_action])
    edit_menu.addSeparator()
    edit_menu.addAction(w.name_action)

    w.document_menu = bar.addMenu("&Document")
    w.document_menu.addActions(list(w.status_action.values()))
    w.document_menu.addSeparator()
    w.document_menu.addActions([w.next_document_action, w.unplaced_action])

    w.view_menu = bar.addMenu("&View")
    w.view_menu.addActions([w.next_pane_action, w.previous_pane_action])
    w.view_menu.addSeparator()
    for dock in (w.documents_dock, w.legend_dock, w.details_dock, w.claim_dock,
                 w.sources_dock, w.search_dock):
        w.view_menu.addAction(dock.toggleViewAction())

    project_menu = bar.addMenu("&Project")
    project_menu.addAction(w.codebook_action)

    w.review = ReviewMode(w)
    review_menu = bar.addMenu("&Review")
    w.review.build_menu(review_menu)
    w.assignments = assignments_panel.install(w, review_menu)

    elsewhere.install(w)       # the Claims menu, before Project

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(w.shortcuts_action)
    help_menu.addAction(a("&About Annotator", w.show_about))

    toolbar = QToolBar("Main", w)
    toolbar.setObjectName("mainToolbar")
    toolbar.addActions([w.mark_action, w.delete_action])
    toolbar.addSeparator()
    toolbar.addActions([w.undo_action, w.redo_action])
    toolbar.addSeparator()
    toolbar.addActions([w.snap_action, w.codebook_action])
    w.addToolBar(toolbar)

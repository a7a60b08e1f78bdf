"""Backups in the window: on close when changed, daily while open, File ›
Restore from Backup…, and the offer to restore a project found damaged."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.storage import backup
from annotator.storage.errors import DamagedProjectError
from annotator.ui import backup_flow
from annotator.ui.app import first_project
from annotator.ui.backup_dialog import BackupDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings

Button = QMessageBox.StandardButton


def answer(monkeypatch, reply: QMessageBox.StandardButton) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the flow's message boxes with ``reply``; their texts."""
    asked: list[str] = []

    def show(_parent, _icon, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return reply

    monkeypatch.setattr(backup_flow, "show_message", show)
    return asked


def add_claim(service: ProjectService, offset: int = 0) -> Claim:
    document = service.document(service.documents()[0].id)
    return service.add_claim(Claim.new(document, offset, offset + 6, annotator="alice"))


def test_the_dialog_lists_backups_with_dates_and_counts(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "Field notes.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    service.add_document(Document.from_text("A memo about chips. " * 40, title="memo"))
    add_claim(service)
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    backup.take_backup(project, "before-upgrade-0003", now=moment - timedelta(days=30))
    backup.take_backup(project, "daily", now=moment - timedelta(days=1))
    add_claim(service, 10)
    newest = backup.take_backup(project, "close", now=moment)
    service.close()
    damaged = newest.path.with_name("20260301T120000Z-manual.sqlite")
    damaged.write_bytes(b"\0" * 5000)

    dialog = BackupDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    local = moment.astimezone()
    assert rows[0][:4] == [local.strftime("%Y-%m-%d %H:%M"), "on close", "2", "1"]
    assert rows[0][4].endswith("KB")
    assert [row[1] for row in rows] == ["on close", "by hand — cannot be read", "daily",
                                        "before upgrading schema 0003"]
    assert [row[2] for row in rows] == ["2", "", "1", "1"]
    assert dialog.chosen() == newest
    assert dialog.restore_button.isEnabled()
    table.selectRow(1)                      # cannot be read: not offered
    assert dialog.chosen() is None and not dialog.restore_button.isEnabled()
    table.selectRow(0)
    assert "7 days, 4 weeks and 12 months" in dialog.policy.text()
    assert str(backup.backup_folder(project)) in dialog.policy.text()
    assert not dialog.cloud.isVisible()
    dialog.grab().save("/tmp/backup.png")


def test_a_cloud_backup_folder_is_named_in_the_dialog(
        qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(backup.BACKUP_DIR_ENV, str(tmp_path / "OneDrive" / "Backups"))
    dialog = BackupDialog(tmp_path / "p.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.cloud.isVisible() and "synced by OneDrive" in dialog.cloud.text()
    assert dialog.empty.isVisible() and not dialog.table.isVisible()


def test_restore_from_the_menu_backs_up_first_and_reopens(
        qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert window.service is not None
    project = Path(window.service.location)
    before = window.service.claim_count()
    dialog = window.backups.show_dialog()
    assert dialog is not None and dialog.table.rowCount() == 0
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.chosen().claims == before
    chosen = dialog.chosen()

    add_claim(window.service)
    add_claim(window.service, 20)
    asked = answer(monkeypatch, Button.Yes)
    with qtbot.waitSignal(window.project_opened):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert f"The project has {before + 2} claims now" in asked[0]
    assert window.service is not None and window.service.claim_count() == before
    assert window.documents.rowCount() == 4
    kinds = {b.kind: b for b in backup.list_backups(project)}
    assert set(kinds) == {"manual", "before-restore"}          # no extra copy on close
    assert kinds["before-restore"].claims == before + 2
    assert kinds["manual"].path == chosen.path
    assert "Restored the backup of" in window.statusBar().currentMessage()


def test_restore_cancelled_changes_nothing(
        qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert window.service is not None
    taken = backup.take_backup(window.service.location, "manual")
    add_claim(window.service)
    service = window.service
    answer(monkeypatch, Button.Cancel)
    assert not window.backups.restore(taken)
    assert window.service is service and service.claim_count() == taken.claims + 1


def test_closing_backs_up_a_changed_project_once(
        qtbot, seeded_project: Path, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]
    def session(change: bool) -> None:
        main = MainWindow(ui_settings)
        qtbot.addWidget(main)
        main.set_service(ProjectService.open(seeded_project))
        if change:
            add_claim(main.service)
        main.close()

    session(change=True)
    (first,) = backup.list_backups(seeded_project)
    assert first.kind == "close"
    session(change=False)                   # opened and closed: nothing new to keep
    assert backup.list_backups(seeded_project) == [first]
    service = ProjectService.open(seeded_project)      # changed by another program
    add_claim(service, 30)
    service.close()
    session(change=False)
    assert len(backup.list_backups(seeded_project)) == 1     # the same day: the newest
    assert backup.list_backups(seeded_project)[0].claims == first.claims + 1


def test_a_daily_backup_is_taken_on_a_worker_when_due(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.service is not None
    project = window.service.location
    assert window.backups.timer.isActive()
    assert window.backups.timer.interval() == backup_flow.CHECK_INTERVAL_MS
    backup.take_backup(project, "close", now=datetime.now(UTC) - timedelta(hours=2))
    add_claim(window.service)
    task = window.backups.check_daily()          # changed, but the newest is recent
    with qtbot.waitSignal(task.finished) as done:
        pass
    assert done.args == [None]
    old = backup.list_backups(project)[0]
    os.rename(old.path, old.path.with_name(
        (datetime.now(UTC) - timedelta(days=2)).strftime("%Y%m%dT%H%M%SZ-close.sqlite")))
    task = window.backups.check_daily()
    with qtbot.waitSignal(task.finished) as done:
        pass
    assert done.args[0].kind == "daily"
    assert done.args[0].claims == window.service.claim_count()
    qtbot.waitUntil(lambda: "Backed up" in window.statusBar().currentMessage())


def crashed_copy(project: Path, more_claims: int) -> None:
    """Leave ``project`` as a killed program would: ``more_claims`` written to
    the log only (copied while the writer had it open)."""
    service = ProjectService.open(project)
    for i in range(more_claims):
        add_claim(service, 40 + i)
    keep = project.with_name("crash")
    keep.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{project}{suffix}", keep / f"file{suffix}")
    service.close()
    for suffix in ("", "-wal"):
        shutil.copyfile(keep / f"file{suffix}", f"{project}{suffix}")
    assert Path(f"{project}-wal").stat().st_size > 0
    size = project.stat().st_size
    with project.open("r+b") as handle:          # the disk failed too
        for offset in range(4096, size, 4096):
            handle.seek(offset + 100)
            handle.write(os.urandom(500))


def test_a_damaged_project_is_offered_its_backup(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "crashed.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    service.add_document(Document.from_text("A memo about chips. " * 40, title="memo"))
    add_claim(service)
    service.close()
    taken = backup.take_backup(project, "close")
    crashed_copy(project, more_claims=3)

    asked = answer(monkeypatch, Button.Yes)
    assert window.open_project(project)
    assert "crashed.annotator.sqlite was not closed cleanly" in asked[0]
    assert "moved aside, untouched" in asked[0]
    assert "holds 1 claim in 1 document" in asked[0]
    assert "Restore that backup now?" in asked[0]
    assert window.service is not None and Path(window.service.location) == project
    assert window.service.claim_count() == taken.claims == 1
    assert [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]


def test_a_damaged_project_not_restored_stays_set_aside(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "crashed.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    service.add_document(Document.from_text("A memo about chips. " * 40, title="memo"))
    service.close()
    backup.take_backup(project, "close")
    crashed_copy(project, more_claims=2)
    opened = window.service
    answer(monkeypatch, Button.No)
    assert not window.open_project(project)
    assert window.service is opened                 # the open project stays open
    assert not project.exists()


def test_a_damaged_recent_project_at_launch_is_reported_not_skipped(
        tmp_path: Path, ui_settings: UiSettings) -> None:
    project = tmp_path / "crashed.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    service.add_document(Document.from_text("A memo about chips. " * 40, title="memo"))
    service.close()
    backup.take_backup(project, "close")
    crashed_copy(project, more_claims=2)
    ui_settings.add_recent_project(str(project))
    with pytest.raises(DamagedProjectError) as caught:
        first_project(None, ui_settings)
    assert caught.value.backup is not None and caught.value.set_aside.exists()

"""File › Publish to Team Server…, Take Offline Copy…, Sync with Team Server:
run on a worker from the menu, the result dialog listing the conflicts. (The
"server" is a project file here; the services' tests cover PostgreSQL.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.services.project import ProjectService
from annotator.services.sync import offline_info, take_offline
from annotator.ui import sync_flow
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from tests.services.sync_scenario import build_full_project, table_rows
from tests.ui import test_team_connect as connect_tests
from tests.ui.test_team_connect import SECRET, type_password

# The password-wanting server and an in-memory keyring (fixtures named ``server``
# and ``memory_keyring``).
server = connect_tests.server
memory_keyring = connect_tests.memory_keyring

Button = QMessageBox.StandardButton


def _file_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    (action,) = [a for a in menu.actions() if a.text().replace("&", "") == text]
    return action


def test_sync_from_the_file_menu_lists_the_conflicts(
        qtbot, tmp_path: Path, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]
    server = tmp_path / "server.annotator.sqlite"
    work = build_full_project(server)
    copy = tmp_path / "copy.annotator.sqlite"
    take_offline(str(server), copy)
    claim_id = work.alice["H800"].id
    other_id = work.bob["NASDAQ"].id
    service = ProjectService.open(server)
    try:
        service.update_claim(service.claim(claim_id).edited(note="the server's note"))
        service.update_claim(service.claim(other_id).edited(note="only on the server"))
    finally:
        service.close()

    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    window.show()
    sync_action = _file_action(window, "Sync with Team Server")
    assert not sync_action.isEnabled()                  # no project open
    assert window.open_project(server)
    assert not sync_action.isEnabled()                  # not an offline copy
    assert _file_action(window, "Publish to Team Server…").isEnabled()
    assert window.open_project(copy)
    assert sync_action.isEnabled()
    window.service.update_claim(window.service.claim(claim_id).edited(note="my note"))

    with qtbot.waitSignal(window.sync_flow.synced, timeout=20000) as synced:
        sync_action.trigger()
        assert not sync_action.isEnabled()              # one sync at a time
    report = synced.args[0]
    assert [c.key for c in report.conflicts] == [claim_id]
    dialog = window.sync_flow.dialog
    assert dialog is not None and dialog.isVisible()
    rows = [[dialog.table.item(r, c).text() for c in range(4)]
            for r in range(dialog.table.rowCount())]
    assert rows == [["claim “DeepSeek says it trained its R1 model u…”",
                     "changed here and on the server: note",
                     "my note", "the server's note"]]
    assert "1 received" in dialog.summary.text()
    assert window.service.claim(other_id).note == "only on the server"     # pulled
    assert window.service.claim(claim_id).note == "my note"                # kept
    assert sync_action.isEnabled()
    dialog.grab().save(str(tmp_path / "sync_dialog.png"))
    dialog.close()
    window.close()


def test_publish_and_take_offline_from_the_menu(
        qtbot, tmp_path: Path, ui_settings: UiSettings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    local = tmp_path / "mine.annotator.sqlite"
    build_full_project(local)
    server = tmp_path / "server.annotator.sqlite"
    ProjectService.open(server, create=True).close()
    copy = tmp_path / "offline.annotator.sqlite"
    told: list[str] = []

    def show(_parent, _icon, _title, text, *_args):  # type: ignore[no-untyped-def]
        told.append(text)
        return Button.Open

    monkeypatch.setattr(sync_flow, "show_message", show)
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    assert window.open_project(local)
    flow = window.sync_flow
    monkeypatch.setattr(flow, "ask_url", lambda *_args: str(server))
    monkeypatch.setattr(flow, "ask_file", lambda *_args: copy)
    _file_action(window, "Publish to Team Server…").trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert told[-1].startswith(f"published to {server}: 5 documents, 10 claims")
    assert table_rows(server) == table_rows(local)

    _file_action(window, "Take Offline Copy…").trigger()
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20000)
    assert "Open it now?" in told[-1]
    assert window.service is not None and window.service.database.path == copy
    assert offline_info(copy)["server"] == str(server)
    assert _file_action(window, "Sync with Team Server").isEnabled()
    window.close()


def test_publish_to_a_server_that_wants_a_password_asks_it_and_keeps_it_only_if_told(
        qtbot, tmp_path: Path, ui_settings: UiSettings, monkeypatch,  # type: ignore[no-untyped-def]
        server, memory_keyring) -> None:
    """The window's prompt (the one File › Connect to Team Server uses): the
    password reaches the server, and the keyring only when its box is ticked."""
    proxy, database = server
    local = tmp_path / "mine.annotator.sqlite"
    build_full_project(local)
    told: list[str] = []
    monkeypatch.setattr(sync_flow, "show_message",
                        lambda _p, _i, _t, text, *_a: told.append(text) or Button.Close)
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    assert window.open_project(local)
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
    monkeypatch.setattr(window.sync_flow, "ask_url", lambda *_args: url)
    seen: list[bool] = []
    type_password(SECRET, seen, remember=False)
    _file_action(window, "Publish to Team Server…").trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=30000)
    assert told[-1].startswith("published to"), told
    assert seen == [False] and SECRET in proxy.passwords
    assert memory_keyring.saved == {}                 # not ticked: not kept
    window.close()

"""File › Connect to Team Server…, the password prompt, and where the password
never goes. The server wanting a password is a TCP proxy in front of the
PostgreSQL test server (which trusts everyone) that asks for one as a server does
and refuses a wrong one (see tests/tcp_proxy.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from annotator import logs
from annotator.storage import team
from annotator.ui import plain
from annotator.ui.app import first_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from annotator.ui.team_connect import REFUSED, PasswordDialog, TeamConnectDialog
from tests.postgres import Server
from tests.storage.test_team_server import _Keyring
from tests.tcp_proxy import TcpProxy

SECRET = "s3cret-Pa55"


@pytest.fixture
def server(postgres: Server) -> Iterator[tuple[TcpProxy, str]]:
    """A password-wanting server (the proxy) and a database of this run on it."""
    postgres.require()
    database = postgres.create_database()
    proxy = TcpProxy.to_test_server(password=SECRET).start()
    try:
        yield proxy, database
    finally:
        proxy.stop()
        postgres.drop(databases=[database])


@pytest.fixture
def memory_keyring() -> Iterator[_Keyring]:
    before = keyring.get_keyring()
    memory = _Keyring()
    keyring.set_keyring(memory)
    try:
        yield memory
    finally:
        keyring.set_keyring(before)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = logs.configure(tmp_path / "log" / "annotator.log")
    assert path is not None
    try:
        yield path
    finally:
        logs.stop()


def when_shown(kind: type[QDialog], answer: Callable[[QDialog], None]) -> None:
    """Answer the next modal dialog of ``kind`` as soon as it shows."""
    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            answer(dialog)
        else:
            QTimer.singleShot(20, look)
    QTimer.singleShot(0, look)


def type_password(password: str, seen: list[bool], remember: bool = False,
                  then: Callable[[], None] | None = None) -> None:
    """Answer the next password prompt with ``password``; ``seen`` gets whether it
    said the last password was refused; ``then`` runs after the answer."""
    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PasswordDialog)
        seen.append(dialog.refused.isVisible() and dialog.refused.text() == REFUSED)
        assert dialog.password.echoMode() == dialog.password.EchoMode.Password
        dialog.password.setText(password)
        dialog.remember.setChecked(remember)
        dialog.accept()
        if then is not None:
            then()
    when_shown(PasswordDialog, answer)


def test_connect_asks_again_after_a_wrong_password_and_writes_it_nowhere(
        qtbot, server, ui_settings: UiSettings, tmp_path: Path,  # type: ignore[no-untyped-def]
        memory_keyring: _Keyring, log_file: Path, monkeypatch) -> None:
    proxy, database = server
    told: list[str] = []
    monkeypatch.setattr(plain, "warn", lambda _p, _t, text: told.append(text))
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    window.show()
    action = window.connect_team_action
    assert action in window.menu_actions()

    refused: list[bool] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TeamConnectDialog)
        dialog.host.setText("127.0.0.1")
        dialog.port.setValue(proxy.port)
        dialog.database.setText(database)
        dialog.login.setText("postgres")
        dialog.password.setText("wrong one")
        dialog.remember.setChecked(True)
        assert dialog.password.echoMode() == dialog.password.EchoMode.Password
        type_password(SECRET, refused)           # the server refuses "wrong one"
        dialog.connect_button.click()

    when_shown(TeamConnectDialog, fill)
    action.trigger()

    location = f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/{database}"
    assert window.service is not None and window.service.location == location
    assert refused == [True]                     # asked again, saying why
    assert proxy.passwords[:2] == ["wrong one", SECRET]
    assert database in window.windowTitle() and SECRET not in window.windowTitle()
    assert ui_settings.recent_projects()[0] == location
    # The password that worked is in the keyring (asked for), nowhere else.
    url = team.normalise_url(location)
    assert memory_keyring.saved == {
        ("annotator", f"postgres@127.0.0.1:{proxy.port}/{database}"): SECRET}
    window.live.poll()
    window.close_project()
    window.close()

    # Open Recent on a later day: nothing kept in memory, the keyring has it.
    team.forget_password(url)
    again = MainWindow(ui_settings)
    qtbot.addWidget(again)
    again.files.fill_recent_menu()
    first = again.recent_menu.actions()[0]
    assert first.text() == f"&1 {database} on 127.0.0.1" and SECRET not in first.toolTip()
    first.trigger()
    assert again.service is not None and again.service.location == location
    again.close()

    # With neither: the password is asked (not "refused": none was tried).
    team.forget_password(url)
    memory_keyring.saved.clear()
    asked: list[bool] = []
    type_password(SECRET, asked)
    third = MainWindow(ui_settings)
    qtbot.addWidget(third)
    assert third.open_project(location)
    assert asked == [False]
    third.close()
    assert told == []

    ui_settings._settings.sync()   # type: ignore[attr-defined]
    for written in (Path(ui_settings._settings.fileName()), log_file):  # type: ignore[attr-defined]
        assert written.exists()
        assert SECRET not in written.read_text(encoding="utf-8", errors="replace")
    assert "wrong one" not in log_file.read_text(encoding="utf-8")
    QSettings().sync()


def test_the_launch_asks_the_password_of_a_team_url(
        qtbot, server, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]
    """``annotator --project postgresql://USER@HOST/DB``: asked, then asked again
    (saying so) after a wrong one; nothing is remembered unless asked."""
    proxy, database = server
    location = f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
    team.forget_password(team.normalise_url(location))
    seen: list[bool] = []
    type_password("not it", seen, then=lambda: type_password(SECRET, seen))
    service = first_project(location, ui_settings)
    try:
        assert seen == [False, True]
        assert service.location == team.without_password(team.normalise_url(location))
        assert keyring.get_password("annotator", f"postgres@127.0.0.1:{proxy.port}/"
                                                 f"{database}") is None
    finally:
        service.close()


def test_the_command_line_prompt_keeps_the_password_out_of_the_location(
        server, memory_keyring: _Keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``annotator team … --project URL`` at a terminal: the typed password opens
    the project and goes to the keyring, not into the project's location."""
    from annotator.cli import team as team_cli
    proxy, database = server
    location = f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
    team.forget_password(team.normalise_url(location))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: SECRET)
    service = team_cli.open_project(location)
    try:
        assert SECRET not in service.location
        assert proxy.passwords[-1] == SECRET
        assert list(memory_keyring.saved.values()) == [SECRET]
    finally:
        service.close()


def test_a_password_typed_in_the_url_is_used_but_not_kept_in_the_location(
        qtbot, server, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]
    proxy, database = server
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    assert window.open_project(f"postgresql://postgres:{SECRET}@127.0.0.1:{proxy.port}/"
                               f"{database}")
    assert window.service is not None and SECRET not in window.service.location
    assert proxy.passwords and set(proxy.passwords) == {SECRET}
    assert all(SECRET not in entry for entry in ui_settings.recent_projects())
    assert SECRET not in window.windowTitle()
    window.close()

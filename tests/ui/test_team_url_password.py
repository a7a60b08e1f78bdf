"""A team URL typed with a wrong password in it (``--project
postgresql://USER:WRONG@HOST/DB``, File › Open): the server refuses it, the
password asked for is used (the URL's wrong one is not tried again and again)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from annotator.storage import team
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from annotator.ui.team_connect import PasswordDialog
from tests.ui.test_team_connect import SECRET, server, type_password, when_shown  # noqa: F401


def test_a_wrong_password_in_the_url_gives_way_to_the_one_typed(
        qtbot, server, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    proxy, database = server
    plain = f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
    team.forget_password(team.normalise_url(plain))
    seen: list[bool] = []

    def give_up(dialog: QDialog) -> None:     # a third question: the typed one was not used
        seen.append(False)
        dialog.reject()

    type_password(SECRET, seen, then=lambda: when_shown(PasswordDialog, give_up))
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    try:
        assert window.open_project(f"postgresql://postgres:wrong@127.0.0.1:{proxy.port}/"
                                   f"{database}")
        assert seen == [True]                       # asked once, saying it was refused
        assert window.service is not None and "wrong" not in window.service.location
        assert proxy.passwords[-1] == SECRET
    finally:
        window.close()
        team.forget_password(team.normalise_url(plain))


def test_the_command_line_prompt_wins_over_a_wrong_password_in_the_url(
        server, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    import keyring

    from annotator.cli import team as team_cli
    from tests.storage.test_team_server import _Keyring

    proxy, database = server
    plain = f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
    team.forget_password(team.normalise_url(plain))
    before = keyring.get_keyring()
    keyring.set_keyring(_Keyring())
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: SECRET)
    try:
        service = team_cli.open_project(f"postgresql://postgres:wrong@127.0.0.1:{proxy.port}/"
                                        f"{database}")
        try:
            assert proxy.passwords[-1] == SECRET and "wrong" not in service.location
        finally:
            service.close()
    finally:
        keyring.set_keyring(before)
        team.forget_password(team.normalise_url(plain))

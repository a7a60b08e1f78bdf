"""Connecting the window to a team project on a PostgreSQL server.

File › Connect to Team Server… asks for the server (host, port), the project's
database and the analyst's login, with a password field that does not echo and
a choice to remember the password in the OS keyring. The project's location is
the URL *without* the password (``postgresql://LOGIN@HOST:PORT/DB``): that is
what the window's title, the recent-projects list and the logs hold. The
password stays in this process's memory (:func:`annotator.storage.team.use_password`)
and reaches the driver inside a SQLAlchemy ``URL`` object; it is written
nowhere but, when asked, the keyring.

A team URL opened with no password known (from ``--project``, Open Recent, or
a keyring without it) asks for one (:class:`PasswordDialog`), and asks again,
saying so, when the server refuses the one given.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from annotator.services.project import ProjectService
from annotator.storage import team
from annotator.storage.errors import PasswordNeededError, ProjectError
from annotator.ui.colours import set_text_role
from annotator.ui.plain import plain_label

REFUSED = "The server refused this password. Type it again."
REMEMBER = "Remember in the system keyring"


def project_title(location: str) -> str:
    """A project's short name for titles and menus: a file's name, or a team
    project's database and server."""
    if not team.is_team_url(location):
        return Path(location).name
    url = team.normalise_url(location)
    return f"{url.database} on {url.host or 'localhost'}"


def _password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setObjectName("password")
    return field


def _remember_box(parent: QWidget) -> QCheckBox:
    box = QCheckBox(REMEMBER, parent)
    box.setToolTip("Keep the password in the operating system's keyring (never in a "
                   "file), so it is not asked again")
    return box


class PasswordDialog(QDialog):
    """Asks the password of a team URL's login; says so when the last one was refused."""

    def __init__(self, url: URL, refused: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team Server Password")
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(
            f"Password of {url.username} for the team project {url.database} on "
            f"{url.host or 'localhost'}:{url.port or 5432}", self))
        self.refused = plain_label(REFUSED if refused else "", self)
        set_text_role(self.refused, "error")
        bold = self.refused.font()
        bold.setBold(True)
        self.refused.setFont(bold)
        self.refused.setVisible(refused)
        layout.addWidget(self.refused)
        self.password = _password_field(self)
        layout.addWidget(self.password)
        self.remember = _remember_box(self)
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()


def ask_password(parent: QWidget | None, url: URL, refused: bool) -> tuple[str, bool] | None:
    """The password typed and whether to remember it; None when cancelled."""
    dialog = PasswordDialog(url, refused, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.password.text(), dialog.remember.isChecked()
    finally:
        dialog.deleteLater()


def open_service(parent: QWidget | None, location: str | Path, *, create: bool = False,
                 remember: bool = False) -> ProjectService | None:
    """Open a project; a team server that wants a password gets it asked (again,
    saying so, while it refuses it). None when the analyst cancels the question.
    A password that worked is kept in the keyring when asked (``remember`` or the
    prompt's box); :class:`ProjectError` for anything else that fails."""
    if not team.is_team_url(location):
        return ProjectService.open(location, create=create)
    typed = team.normalise_url(str(location))
    url = team.strip_password(typed)
    if typed.password is not None:      # once: a refused one gives way to the one asked
        team.use_password(url, str(typed.password))
        location = team.without_password(url)
    tried = team.password_for(url) is not None
    while True:
        try:
            service = _open(str(location), create)
        except PasswordNeededError:
            if tried:
                team.forget_password(url)
            answer = ask_password(parent, url, refused=tried)
            if answer is None:
                return None
            password, remember = answer[0], remember or answer[1]
            team.use_password(url, password)
            tried = True
            continue
        if remember:
            password = team.password_for(url)
            if password is not None:
                team.remember_password(url, password)
        return service


def _open(location: str, create: bool) -> ProjectService:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return ProjectService.open(location, create=create)
    finally:
        QGuiApplication.restoreOverrideCursor()


class TeamConnectDialog(QDialog):
    """File › Connect to Team Server…: where the team project is and who connects."""

    def __init__(self, parent: QWidget | None = None, *, login: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to Team Server")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = plain_label("A team project is a database on a PostgreSQL server; your "
                            "administrator gives you its name and your login.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit("localhost", self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("the team project's database")
        self.login = QLineEdit(login, self)
        self.login.setPlaceholderText("your login on the server")
        self.password = _password_field(self)
        self.password.setPlaceholderText("empty: from the keyring, or asked")
        form.addRow("&Server:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&Analyst login:", self.login)
        form.addRow("Pass&word:", self.password)
        layout.addLayout(form)
        self.remember = _remember_box(self)
        layout.addWidget(self.remember)
        self.problem = plain_label("", self)
        set_text_role(self.problem, "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.connect_button = self.buttons.addButton(
            "&Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.host, self.database, self.login):
            field.textChanged.connect(self._update)
        self._update()
        #: The project opened (set when the dialog is accepted).
        self.service: ProjectService | None = None
        (self.database if login else self.login).setFocus()

    def _update(self) -> None:
        self.connect_button.setEnabled(all(f.text().strip() for f in (
            self.host, self.database, self.login)))

    def url(self) -> str:
        """The project's location: its URL, without the password."""
        return URL.create("postgresql", username=self.login.text().strip(),
                          host=self.host.text().strip(), port=self.port.value(),
                          database=self.database.text().strip()).render_as_string()

    def try_connect(self) -> None:
        """Connect (asking the password again if the server refuses it); accepted
        with :attr:`service` set, or the problem shown and the dialog kept open."""
        location = self.url()
        if self.password.text():
            team.use_password(team.normalise_url(location), self.password.text())
        try:
            service = open_service(self, location, remember=self.remember.isChecked())
        except ProjectError as error:
            self.problem.setText(f"Not connected: {error}")
            self.problem.show()
            return
        if service is None:
            return
        self.service = service
        self.accept()


def connect_to_team(window: QWidget) -> bool:
    """File › Connect to Team Server…: the dialog, then the project in ``window``."""
    from annotator.ui.main_window import MainWindow
    assert isinstance(window, MainWindow)
    name = window.settings.annotator_name()
    dialog = TeamConnectDialog(window, login=team.login_name(name) if name else "")
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.service is None:
            return False
        window.set_service(dialog.service)
        return True
    finally:
        dialog.deleteLater()

"""Help › About: the version, the shipped components with their licences, and where
the data, settings, backups and log are."""

from __future__ import annotations

import importlib.metadata
import os
import tomllib
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer

import annotator
from annotator import about
from annotator.paths import user_data_dir
from annotator.ui.about_dialog import AboutDialog
from annotator.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_has_one_source() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "annotator/__init__.py"
    assert about.version() == annotator.__version__
    assert importlib.metadata.version("annotator") == annotator.__version__


def test_every_runtime_dependency_is_listed_with_its_licence() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = {about._key(c.name): c for c in about.components()}
    for requirement in pyproject["project"]["dependencies"]:
        name = about._requirement_name(requirement.split(";")[0])
        assert name is not None
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue        # its marker leaves it out here
        component = listed[about._key(name)]
        assert component.licence and component.licence != about.NOT_RECORDED, component
    # Dependencies of dependencies are shipped too (alembic needs Mako).
    assert "mako" in listed
    assert "LGPL-3.0" in listed["pyside6-essentials"].licence
    assert listed["sqlalchemy"].licence == "MIT"
    assert listed["alembic"].licence == "MIT"
    assert listed["platformdirs"].licence == "MIT"
    assert "BSD" in listed["lxml"].licence
    assert listed["annotator"].licence == "Apache-2.0"
    # Test-only and optional packages are not shipped.
    assert "pytest" not in listed and "pyarrow" not in listed


def test_about_dialog_shows_version_licences_and_places(qtbot, tmp_path: Path) -> None:
    settings_file = str(tmp_path / "settings.ini")
    dialog = AboutDialog(settings_file=settings_file)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert f"Annotator {annotator.__version__}" in dialog.heading.text()
    places = dict(dialog.rows(dialog.places))
    assert places["Data (sample corpus, new projects)"] == str(user_data_dir())
    assert places["Settings"] == settings_file
    assert places["Log"] == str(about.log_file())
    assert Path(places["Log"]).is_relative_to(os.environ["XDG_STATE_HOME"])  # Linux
    components = {row[0]: row for row in dialog.rows(dialog.components)}
    assert components["SQLAlchemy"][2] == "MIT"
    assert components["Qt (inside PySide6)"][2].startswith("LGPL-3.0-only")
    assert dialog.grab().save(str(tmp_path / "about.png"))


def test_help_about_opens_the_dialog(qtbot, ui_settings) -> None:
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    about_action = next(a for a in window.menu_actions() if "About" in a.text())
    seen: list[AboutDialog] = []

    def close_it() -> None:
        dialogs = [w for w in window.findChildren(AboutDialog) if w.isVisible()]
        if dialogs:
            seen.extend(dialogs)
            dialogs[0].reject()
        else:
            QTimer.singleShot(20, close_it)
    QTimer.singleShot(0, close_it)
    about_action.trigger()
    assert seen and seen[0].windowTitle() == "About Annotator"
    assert QSettings().fileName() in dict(seen[0].rows(seen[0].places))["Settings"]

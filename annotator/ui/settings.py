"""UI preferences, declared once, stored with QSettings (project data never is)."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8


class UiSettings:
    """Typed access to the app's QSettings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings()

    def recent_projects(self) -> list[str]:
        value = self._settings.value("projects/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent_project(self, path: str | Path) -> None:
        path = str(path)
        recent = [p for p in self.recent_projects() if p != path]
        self._settings.setValue("projects/recent", [path, *recent][:MAX_RECENT])

    def remove_recent_project(self, path: str) -> None:
        self._settings.setValue("projects/recent",
                                [p for p in self.recent_projects() if p != path])

    def annotator_name(self) -> str:
        name = self._settings.value("identity/name", "")
        if name:
            return str(name)
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "analyst"

    def set_annotator_name(self, name: str) -> None:
        self._settings.setValue("identity/name", name.strip())

    def has_annotator_name(self) -> bool:
        """Whether the analyst has given their name (else it is asked on launch)."""
        return bool(self._settings.value("identity/name", ""))

    @staticmethod
    def _project_key(project: str) -> str:
        return hashlib.sha256(project.encode("utf-8", "surrogatepass")).hexdigest()[:20]

    def shown_analysts(self, project: str) -> object:
        """Whose claims the window shows for ``project`` (as stored by
        :meth:`~annotator.domain.analysts.ShownAnalysts.to_setting`; None if never chosen)."""
        return self._settings.value(f"shown_analysts/{self._project_key(project)}")

    def set_shown_analysts(self, project: str, value: list[str]) -> None:
        self._settings.setValue(f"shown_analysts/{self._project_key(project)}", value)

    def snap_to_words(self) -> bool:
        return str(self._settings.value("labelling/snap_to_words", "false")).lower() == "true"

    def set_snap_to_words(self, on: bool) -> None:
        self._settings.setValue("labelling/snap_to_words", "true" if on else "false")

    def first_steps_dismissed(self) -> bool:
        """Whether the analyst closed the "first steps" guide."""
        return str(self._settings.value("help/first_steps_dismissed", "false")).lower() \
            == "true"

    def set_first_steps_dismissed(self, on: bool) -> None:
        self._settings.setValue("help/first_steps_dismissed", "true" if on else "false")

    def colour_by(self) -> str:
        return str(self._settings.value("view/colour_by", "stance"))

    def set_colour_by(self, dimension: str) -> None:
        self._settings.setValue("view/colour_by", dimension)

    def export_format(self) -> str:
        return str(self._settings.value("export/format", "jsonl"))

    def set_export_format(self, name: str) -> None:
        self._settings.setValue("export/format", name)

    def export_directory(self) -> str:
        return str(self._settings.value("export/directory", "") or "")

    def set_export_directory(self, folder: str | Path) -> None:
        self._settings.setValue("export/directory", str(folder))

    def export_bom(self) -> bool:
        return str(self._settings.value("export/bom", "true")).lower() == "true"

    def set_export_bom(self, on: bool) -> None:
        self._settings.setValue("export/bom", "true" if on else "false")

    def window_state(self) -> tuple[object, object]:
        return self._settings.value("window/geometry"), self._settings.value("window/state")

    def set_window_state(self, geometry: object, state: object) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", state)

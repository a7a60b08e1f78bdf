"""Where things live: the user's data folder (platformdirs) and bundled files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "Annotator"
APP_AUTHOR = "Annotator"
PROJECT_SUFFIX = ".annotator.sqlite"


def user_data_dir() -> Path:
    """The platform's per-user data folder for the app (created on demand by callers)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_project_path() -> Path:
    """The project a first launch creates and fills with the sample corpus."""
    return user_data_dir() / f"Sample corpus{PROJECT_SUFFIX}"


def _bundled(name: str) -> Path:
    """A folder shipped with the app: inside the wheel, or at the top of a checkout."""
    packaged = resources.files("annotator") / "_bundled" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def seeds_dir() -> Path:
    return _bundled("seeds")


def resources_dir() -> Path:
    return _bundled("resources")

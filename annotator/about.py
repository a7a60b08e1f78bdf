"""What Help › About says, without Qt: the version, the components the app ships
with and their licences, and where its files live.

The version has one source, ``annotator.__version__`` (hatch reads the package's
version from it, so the installed metadata says the same). The components are the
installed distributions ``annotator`` requires, followed to the end, with the
licence each declares in its own metadata (``License-Expression``, else ``License``,
else its licence classifiers); an installer built with PyInstaller copies that
metadata into the bundle (packaging/annotator.spec).
"""

from __future__ import annotations

import importlib.metadata as metadata
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from annotator import __version__
from annotator.paths import APP_AUTHOR, APP_NAME, user_data_dir

DISTRIBUTION = "annotator"
NOT_RECORDED = "not recorded in this build"

# Parts that are not Python distributions, or whose terms need a word.
NOTES = (
    ("Python", platform.python_version(), "PSF-2.0"),
    ("Qt (inside PySide6)", "", "LGPL-3.0-only (shipped as separate, replaceable libraries)"),
    ("SQLite (inside Python)", "", "Public domain"),
)
FROZEN_NOTE = ("PyInstaller bootloader", "", "GPL-2.0-or-later with the bootloader exception")


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


def version() -> str:
    return __version__


def _licence(dist: metadata.Distribution) -> str:
    md = dist.metadata
    expression = md.get("License-Expression")
    if expression:
        return expression.strip()
    text = (md.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 80 and text.upper() != "UNKNOWN":
        return text
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in md.get_all("Classifier") or []
                   if c.startswith("License :: ")]
    if classifiers:
        return " / ".join(classifiers)
    return text.splitlines()[0][:80] if text else NOT_RECORDED


def _requirement_name(requirement: str) -> str | None:
    """The distribution a ``Requires-Dist`` line names, or None for an extra's."""
    if re.search(r"\bextra\s*==", requirement):
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1) if match else None


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bundled_distributions(root: str = DISTRIBUTION) -> list[metadata.Distribution]:
    """``root`` and every installed distribution it requires (extras left out), in
    the order found. A requirement that is not installed (its marker excludes this
    platform or Python) is not bundled, so it is not listed."""
    found: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = pending.pop(0)
        if _key(name) in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[_key(name)] = dist
        for requirement in dist.requires or []:
            wanted = _requirement_name(requirement)
            if wanted and _key(wanted) not in found:
                pending.append(wanted)
    return list(found.values())


def components() -> list[Component]:
    """The app and what it ships with: name, version, licence, one row each."""
    rows = [Component(dist.metadata["Name"], dist.version, _licence(dist))
            for dist in bundled_distributions()]
    if not rows:        # a build without the package's metadata
        rows.append(Component("annotator", __version__, "Apache-2.0"))
    rows += [Component(*note) for note in NOTES]
    if getattr(sys, "frozen", False):
        rows.append(Component(*FROZEN_NOTE))
    return rows


def log_dir() -> Path:
    """The platform's log folder for the app (``~/.local/state/Annotator/log`` on
    Linux, ``~/Library/Logs/Annotator`` on macOS, ``%LOCALAPPDATA%\\Annotator\\
    Annotator\\Logs`` on Windows)."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def log_file() -> Path:
    return log_dir() / "annotator.log"


def places(settings_file: str | None = None) -> list[tuple[str, Path | str]]:
    """Where the app keeps things, as (what, where) rows."""
    rows: list[tuple[str, Path | str]] = [("Data (sample corpus, new projects)",
                                           user_data_dir())]
    try:    # the backups' folder, where the app keeps backups
        from annotator.storage import backup
    except ImportError:
        pass
    else:
        root = getattr(backup, "backup_root", None)
        if callable(root):
            rows.append(("Backups", root()))
    if settings_file:
        rows.append(("Settings", settings_file))
    rows.append(("Log", log_file()))
    return rows


def platform_summary() -> str:
    return (f"Annotator {__version__}; Python {platform.python_version()} "
            f"({sys.implementation.name}); {platform.platform()}")

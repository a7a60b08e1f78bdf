"""The Linux desktop integration files agree with each other and with the app: the
.desktop file opens projects of the MIME type the shared-mime-info file declares,
that type is what a project file is taken for, and the AppStream metadata is valid."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.paths import PROJECT_SUFFIX
from annotator.services.project import ProjectService

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
ID = "io.github.annotator.Annotator"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
MIME_TYPE = "application/x-annotator-project"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str    # keys are case-sensitive
    parser.read(LINUX / f"{ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_launches_the_app_on_a_project() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "annotator %f"       # one file: annotator FILE opens it
    assert entry["Icon"] == ID
    assert entry["Terminal"] == "false"
    assert entry["MimeType"].rstrip(";").split(";") == [MIME_TYPE]
    assert entry["Categories"].endswith(";") and entry["MimeType"].endswith(";")
    # The icon it names is the app's own, installed under that name by build.sh.
    assert (ROOT / "resources" / "icons" / "annotator.svg").exists()
    assert '"$prefix/share/icons/hicolor/scalable/apps/$ID.svg"' in (
        ROOT / "packaging" / "build.sh").read_text(encoding="utf-8")


def test_mime_file_declares_the_type_the_desktop_file_opens() -> None:
    root = ET.parse(LINUX / f"{ID}.xml").getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"
    (glob,) = mime.findall(f"{MIME_NS}glob")
    assert glob.get("pattern") == f"*{PROJECT_SUFFIX}"
    assert int(glob.get("weight")) > 50         # above the generic globs
    magic = mime.find(f"{MIME_NS}magic")
    assert int(magic.get("priority")) < 50      # never a project by content alone
    match = magic.find(f"{MIME_NS}match")
    assert (match.get("type"), match.get("offset"), match.get("value")) == (
        "string", "0", "SQLite format 3")
    assert mime.find(f"{MIME_NS}icon").get("name") == desktop_entry()["Icon"]


def test_metainfo_names_the_desktop_file_and_the_mime_type() -> None:
    root = ET.parse(LINUX / f"{ID}.metainfo.xml").getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == ID
    assert root.findtext("project_license") == "Apache-2.0"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.find("launchable").text == f"{ID}.desktop"
    assert root.find("provides/mediatype").text == MIME_TYPE
    assert root.find("provides/binary").text == "annotator"
    from annotator import __version__
    assert root.find("releases/release").get("version") == __version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli not installed")
def test_metainfo_passes_appstreamcli() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net",
                             str(LINUX / f"{ID}.metainfo.xml")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_project_file_is_taken_for_the_mime_type(tmp_path: Path) -> None:
    """Installed where the desktop looks for MIME types, the file makes a real project
    an application/x-annotator-project (Qt reads the same shared-mime-info database
    as file managers), and leaves other SQLite files alone."""
    share = tmp_path / "share"
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy(LINUX / f"{ID}.xml", share / "mime" / "packages")
    if shutil.which("update-mime-database"):
        subprocess.run(["update-mime-database", str(share / "mime")], check=True,
                       capture_output=True, timeout=60)
    project = tmp_path / f"Interviews{PROJECT_SUFFIX}"
    ProjectService.open(project, create=True).close()
    other = tmp_path / "other.sqlite3"
    shutil.copy(project, other)
    probe = ("import sys\nfrom PySide6.QtCore import QMimeDatabase\n"
             "db = QMimeDatabase()\n"
             "print('\\n'.join(db.mimeTypeForFile(p).name() for p in sys.argv[1:]))\n")
    system = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share")
    result = subprocess.run([sys.executable, "-c", probe, str(project), str(other)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "XDG_DATA_DIRS": f"{share}:{system}"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [MIME_TYPE, "application/vnd.sqlite3"]

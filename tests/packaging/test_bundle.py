"""The Linux installers, built for real with packaging/build.sh and PyInstaller, and
the bundle they hold run: the CLI (including the PDF reader's child process), the
first launch on the sample corpus, the licences About reads, the .deb's layout.

Slow (a few minutes) and needs PyInstaller, so it runs only when asked:
``ANNOTATOR_TEST_BUNDLE=1 pytest -m slow tests/packaging/test_bundle.py``. CI does
not set the variable, so CI never depends on PyInstaller."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from annotator import __version__
from annotator.about import bundled_distributions
from annotator.paths import default_project_path, seeds_dir
from tests.formats.documents import long_pdf  # QPdfWriter: the test asks for qapp

ROOT = Path(__file__).resolve().parents[2]
ID = "io.github.annotator.Annotator"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("ANNOTATOR_TEST_BUNDLE") != "1",
                       reason="builds the installers: set ANNOTATOR_TEST_BUNDLE=1"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux build"),
]


def run(*args: str | Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_linux_build_makes_a_working_bundle_and_deb(qapp, tmp_path: Path) -> None:
    # Asked for explicitly: a missing PyInstaller is a failure, not a skip.
    assert importlib.util.find_spec("PyInstaller"), "pip install pyinstaller"
    build = tmp_path / "build"
    env = {**os.environ, "BUILD": str(build), "PYTHON": sys.executable}
    made = run(ROOT / "packaging" / "build.sh", "linux", env=env, timeout=1800)
    assert made.returncode == 0, made.stderr[-4000:]

    bundle = build / "dist" / "annotator"
    app = bundle / "annotator"
    plain_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    plain_env["QT_QPA_PLATFORM"] = "offscreen"
    assert run(app, "--version", env=plain_env).stdout.strip() == f"annotator {__version__}"

    # The CLI, with a PDF: the reader runs as `annotator -m annotator.formats.pdf_child`.
    pdf = long_pdf(tmp_path / "report.pdf", 2)
    project = tmp_path / "work.annotator.sqlite"
    imported = run(app, "import", "--project", project, pdf, *sorted(seeds_dir().glob("*.txt")),
                   env=plain_env)
    assert imported.returncode == 0, imported.stderr
    assert "5 imported" in imported.stdout
    out = tmp_path / "documents.jsonl"
    exported = run(app, "export", "--project", project, "--format", "documents", "-o", out,
                   env=plain_env)
    assert exported.returncode == 0, exported.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5

    # First launch: the sample corpus is created and filled.
    gui = subprocess.Popen([str(app)], env=plain_env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        sample, count = default_project_path(), 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and count < 4 and gui.poll() is None:
            time.sleep(0.2)
            if sample.exists():
                try:
                    with closing(sqlite3.connect(f"file:{sample}?mode=ro", uri=True)) as db:
                        count = db.execute("select count(*) from documents").fetchone()[0]
                except sqlite3.Error:
                    pass
        assert count == 4, gui.poll()
    finally:
        gui.terminate()
        gui.wait(timeout=30)

    # About reads each shipped distribution's licence from its metadata.
    internal = bundle / "_internal"
    shipped = {p.name.split("-")[0].lower() for p in internal.glob("*.dist-info")}
    for dist in bundled_distributions():
        assert dist.metadata["Name"].lower().replace("-", "_").replace(".", "_") in shipped
    assert not list(internal.glob("psycopg*")), "the LGPL PostgreSQL driver is not shipped"
    assert (internal / "annotator" / "_bundled" / "seeds" / "manifest.json").exists()

    # The AppDir starts the app; the .deb installs it with its desktop integration.
    appdir = build / "Annotator.AppDir"
    assert run(appdir / "AppRun", "--version", env=plain_env).returncode == 0
    if shutil.which("dpkg-deb"):
        (deb,) = (build / "installers").glob("annotator_*.deb")
        listing = run("dpkg-deb", "-c", deb).stdout
        for path in ("./opt/annotator/annotator", "./usr/bin/annotator",
                     f"./usr/share/applications/{ID}.desktop",
                     f"./usr/share/mime/packages/{ID}.xml",
                     f"./usr/share/metainfo/{ID}.metainfo.xml",
                     f"./usr/share/icons/hicolor/scalable/apps/{ID}.svg"):
            assert path in listing, path
        assert run("dpkg-deb", "-f", deb, "Version").stdout.strip() == __version__

"""One window per project: a second window (in this process or another) opening
the same project brings the first forward, or says who holds it; a lock left by
a killed process is taken over."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.storage.lock import ProjectLock, read_holder
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
from annotator.ui.project_hold import bring_forward, window_holding
from annotator.ui.settings import UiSettings

ROOT = Path(__file__).resolve().parents[2]

_QT_HOLDER = """
import sys
from PySide6.QtCore import QCoreApplication
from annotator.storage.lock import ProjectLock
from annotator.ui.project_hold import ProjectHold
app = QCoreApplication([])
hold = ProjectHold()
hold.hold(ProjectLock.acquire(sys.argv[1], analyst="crashed"))
print("held", flush=True)
app.exec()
"""

_PLAIN_HOLDER = """
import sys
from annotator.storage.lock import ProjectLock
lock = ProjectLock.acquire(sys.argv[1], analyst="carol")
print("held", flush=True)
sys.stdin.readline()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def _window(qtbot, settings: UiSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_second_window_in_one_process_brings_the_first_forward(
        qtbot, seeded_project: Path, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]
    first = _window(qtbot, ui_settings)
    second = _window(qtbot, ui_settings)
    assert first.open_project(seeded_project)
    assert read_holder(seeded_project).pid == os.getpid()      # type: ignore[union-attr]
    assert window_holding(seeded_project) is first
    second.activateWindow()
    qtbot.waitUntil(second.isActiveWindow)
    assert not second.open_project(str(seeded_project))
    qtbot.waitUntil(first.isActiveWindow)
    assert second.service is None
    assert first.open_project(seeded_project)                   # already open here: fine
    first.close()                                               # lets go of the project
    assert window_holding(seeded_project) is None
    assert second.open_project(seeded_project)
    assert window_holding(seeded_project) is second
    second.close()
    assert read_holder(seeded_project) is None


def test_a_project_held_by_an_unreachable_process_says_who_has_it(
        qtbot, seeded_project: Path, ui_settings: UiSettings,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(plain, "warn", lambda _parent, _title, text: warnings.append(text))
    other = tmp_path / "other.annotator.sqlite"
    window = _window(qtbot, ui_settings)
    assert window.open_project(other, create=True)
    with subprocess.Popen([sys.executable, "-c", _PLAIN_HOLDER, str(seeded_project)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                          env=_env()) as child:
        try:
            assert child.stdout is not None and child.stdout.readline() == "held\n"
            assert not window.open_project(seeded_project)
        finally:
            child.kill()
    (message,) = warnings
    assert message.startswith("seeded.annotator.sqlite is open in another window by ")
    assert message.endswith(f"(pid {child.pid})")
    assert window.service is not None and window.service.location == str(other)
    assert window_holding(other) is window                      # still holds its own
    assert window.open_project(seeded_project)                  # the holder died: taken over
    assert window_holding(other) is None
    window.close()


@pytest.mark.slow
def test_a_second_launch_brings_the_first_window_forward_and_exits(
        qtbot, seeded_project: Path, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]
    # A window that crashed (killed -9) left its lock file and its socket behind.
    with subprocess.Popen([sys.executable, "-c", _QT_HOLDER, str(seeded_project)],
                          stdout=subprocess.PIPE, text=True, env=_env()) as crashed:
        assert crashed.stdout is not None and crashed.stdout.readline() == "held\n"
        crashed.kill()                        # SIGKILL
        crashed.wait(timeout=10)
    assert read_holder(seeded_project).analyst == "crashed"     # type: ignore[union-attr]
    window = _window(qtbot, ui_settings)
    assert window.open_project(seeded_project)                  # taken over, listening
    assert read_holder(seeded_project).pid == os.getpid()       # type: ignore[union-attr]
    with qtbot.waitSignal(window.project_hold.raise_requested, timeout=30_000), \
            subprocess.Popen([sys.executable, "-m", "annotator", "--project",
                              str(seeded_project)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=_env()) as second:
        try:
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
        finally:
            if second.poll() is None:         # it showed a window or a message: a failure
                second.kill()
        out, err = second.communicate()
    assert (second.returncode, out, err) == (0, "", "")
    window.close()


def test_bring_forward_without_a_listener_is_false(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "nobody.annotator.sqlite"
    assert not bring_forward(project, timeout_ms=200)
    with ProjectLock.acquire(project) as lock:                  # a lock, but no window
        assert lock is not None
        assert not bring_forward(project, timeout_ms=200)


def test_a_file_that_is_not_a_project_gets_no_lock_file_beside_it(
        qtbot, tmp_path: Path, ui_settings: UiSettings,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(plain, "warn", lambda _parent, _title, text: warnings.append(text))
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a database\n", encoding="utf-8")
    window = _window(qtbot, ui_settings)
    assert not window.open_project(notes)
    assert "not an Annotator project" in warnings[0]
    assert not list(tmp_path.glob("notes.sqlite?*"))     # no .lock, -wal or -shm
    assert notes.read_text(encoding="utf-8") == "not a database\n"
    window.close()

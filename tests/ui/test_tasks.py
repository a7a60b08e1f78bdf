"""The background task runner: progress and the result come back on the GUI
thread, cancelling stops the callable at its next poll, the user's errors become
a message, and a bug becomes a failure whose traceback is reported."""

from __future__ import annotations

import gc
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from annotator.formats.problems import ImportProblem
from annotator.storage.errors import ProjectBusyError
from annotator.ui.tasks import BackgroundTask, Cancelled, Progress, TaskCancelled

#: A safety net for a hung worker, never a synchronisation (the tests wait on
#: signals and events).
PATIENCE = 10


def _on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@pytest.fixture
def owner(qapp) -> Iterator[QObject]:  # type: ignore[no-untyped-def]
    """The tasks' parent (the window, in the app)."""
    parent = QObject()
    yield parent
    for task in parent.findChildren(BackgroundTask):
        task.cancel()
        assert task.wait(PATIENCE)


def _ended(task: BackgroundTask) -> list[tuple[str, tuple]]:
    """Every end the task announces, in order."""
    ends: list[tuple[str, tuple]] = []
    task.finished.connect(lambda result: ends.append(("finished", (result,))))
    task.cancelled.connect(lambda: ends.append(("cancelled", ())))
    task.failed.connect(lambda message: ends.append(("failed", (message,))))
    return ends


def test_progress_and_the_result_arrive_on_the_gui_thread(qtbot, owner: QObject) -> None:  # type: ignore[no-untyped-def]
    def count(progress: Progress, cancelled: Cancelled) -> tuple[str, bool]:
        for done in range(1, 4):
            progress(done, 3)
        return "counted", _on_gui_thread()

    task = BackgroundTask(count, owner)
    progress: list[tuple[int, int, bool]] = []
    task.progressed.connect(lambda done, total: progress.append((done, total,
                                                                 _on_gui_thread())))
    ends = _ended(task)
    with qtbot.waitSignal(task.finished, timeout=PATIENCE * 1000) as finished:
        task.start()
    assert finished.args == [("counted", False)]        # the callable ran on the worker
    assert progress == [(1, 3, True), (2, 3, True), (3, 3, True)]
    assert ends == [("finished", (("counted", False),))]
    assert not task.is_running() and task.wait(0)     # the thread is over
    assert task.error is None
    with pytest.raises(RuntimeError):
        task.start()                                    # once only


@pytest.mark.parametrize("stop", ["raise", "return"])
def test_cancel_stops_the_callable_at_its_next_poll(qtbot, owner: QObject, stop: str) -> None:  # type: ignore[no-untyped-def]
    reached, release = threading.Event(), threading.Event()
    steps: list[int] = []

    def work(progress: Progress, cancelled: Cancelled) -> list[int]:
        for step in range(1000):
            if cancelled():
                if stop == "raise":
                    raise TaskCancelled
                return list(steps)          # a partial result, as an import gives
            steps.append(step)
            progress(step, 1000)
            if step == 3:                   # wait here for the GUI thread to cancel
                reached.set()
                release.wait(PATIENCE)
        return list(steps)

    task = BackgroundTask(work, owner)
    ends = _ended(task)
    signal = task.cancelled if stop == "raise" else task.finished
    with qtbot.waitSignal(signal, timeout=PATIENCE * 1000):
        task.start()
        assert reached.wait(PATIENCE)
        assert not task.cancel_requested
        task.cancel()
        release.set()
    assert steps == [0, 1, 2, 3]            # stopped at the very next poll
    assert task.cancel_requested
    assert ends == ([("cancelled", ())] if stop == "raise"
                    else [("finished", ([0, 1, 2, 3],))])
    assert isinstance(task.error, TaskCancelled) == (stop == "raise")


@pytest.mark.parametrize("error", [
    ProjectBusyError("The project is open in another program; try again in a moment."),
    ImportProblem(Path("report.pdf"), "the PDF is encrypted"),
    OSError(28, "No space left on device"),
], ids=["project", "import", "os"])
def test_a_users_error_fails_the_task_with_its_message(qtbot, owner: QObject,  # type: ignore[no-untyped-def]
                                                      error: Exception) -> None:
    def refuse(_progress: Progress, _cancelled: Cancelled) -> None:
        raise error

    task = BackgroundTask(refuse, owner)
    ends = _ended(task)
    with qtbot.captureExceptions() as reported, \
            qtbot.waitSignal(task.failed, timeout=PATIENCE * 1000) as failed:
        task.start()
    assert failed.args == [str(error)]
    assert ends == [("failed", (str(error),))]
    assert task.error is error
    assert reported == []               # the user's problem, not a bug


def _broken(_progress: Progress, _cancelled: Cancelled) -> None:
    labels: dict[str, str] = {}
    labels["stance"] = labels["missing"]


def test_a_bug_fails_the_task_and_reports_its_traceback(qtbot, owner: QObject) -> None:  # type: ignore[no-untyped-def]
    task = BackgroundTask(_broken, owner)
    ends = _ended(task)
    with qtbot.captureExceptions() as reported, \
            qtbot.waitSignal(task.failed, timeout=PATIENCE * 1000) as failed:
        task.start()
    assert failed.args == ["unexpected error (KeyError: 'missing')"]
    assert ends == [("failed", ("unexpected error (KeyError: 'missing')",))]
    ((kind, error, trace),) = reported  # handed to sys.excepthook, whole
    assert kind is KeyError and error is task.error
    assert traceback.extract_tb(trace)[-1].name == "_broken"


def test_with_pythons_own_hook_a_bugs_traceback_goes_to_stderr(
        qtbot, owner: QObject, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    task = BackgroundTask(_broken, owner)
    with qtbot.waitSignal(task.failed, timeout=PATIENCE * 1000):
        task.start()
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "in _broken" in err and err.rstrip().endswith("KeyError: 'missing'")


def test_a_task_nobody_holds_runs_to_its_end(qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    results: list[object] = []

    def slow(_progress: Progress, _cancelled: Cancelled) -> str:
        release.wait(PATIENCE)
        return "done"

    task = BackgroundTask(slow)         # no parent: Python owns it
    task.finished.connect(results.append)
    task.start()
    del task
    gc.collect()                        # a collected QThread would abort the process
    release.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=PATIENCE * 1000)

"""How the app is started from an installer: ``annotator FILE.annotator.sqlite``
(a double-clicked project) opens that project, and an unexpected error in a
command is written to the log with its traceback and told in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator import about, logs
from annotator.cli import launch
from annotator.cli import main as cli
from annotator.services.project import ProjectService
from annotator.storage.lock import read_holder


@pytest.mark.parametrize(("argv", "expected"), [
    (["My work.annotator.sqlite"], ["--project", "My work.annotator.sqlite"]),
    (["/data/X.ANNOTATOR.SQLITE"], ["--project", "/data/X.ANNOTATOR.SQLITE"]),
    (["--wait", "5", "a.annotator.sqlite"], ["--wait", "5", "--project", "a.annotator.sqlite"]),
    (["export", "--project", "a.annotator.sqlite", "-o", "x.jsonl"],
     ["export", "--project", "a.annotator.sqlite", "-o", "x.jsonl"]),
    (["import", "b.annotator.sqlite"], ["import", "b.annotator.sqlite"]),
    (["notes.txt"], ["notes.txt"]),
    (["--self-test", "c.annotator.sqlite"], ["--self-test", "--project", "c.annotator.sqlite"]),
])
def test_a_project_file_argument_means_project(argv: list[str], expected: list[str]) -> None:
    assert launch.file_argument(argv) == expected


def test_a_file_that_is_not_a_project_is_refused_by_argparse(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["notes.txt"])
    assert stop.value.code == 2
    assert "invalid choice: 'notes.txt'" in capsys.readouterr().err


def test_double_clicked_project_opens_in_the_app(tmp_path: Path) -> None:
    """The .desktop file runs ``annotator %f``: the window opens that project (it
    takes the project's lock) and logs its start."""
    project = tmp_path / "Field notes.annotator.sqlite"
    ProjectService.open(project, create=True).close()
    process = subprocess.Popen(
        [sys.executable, "-m", "annotator", str(project)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        holder = None
        while time.monotonic() < deadline and process.poll() is None:
            holder = read_holder(project)
            if holder is not None and holder.pid == process.pid:
                break
            time.sleep(0.1)
        assert holder is not None and holder.pid == process.pid, process.poll()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    log = Path(os.environ["XDG_STATE_HOME"]) / "Annotator" / "log" / "annotator.log"
    assert log == about.log_file()
    assert "starting" in log.read_text(encoding="utf-8"), err


@pytest.fixture
def stop_log() -> Iterator[None]:
    yield
    logs.stop()


def test_an_unexpected_error_is_logged_and_told_in_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys, stop_log: None, tmp_path: Path) -> None:
    """A bug (here: the agreement runner raising what no command expects) gives one
    line on stderr naming the log, the traceback in the log, and exit code 3."""
    def broken(_args: object) -> int:
        raise ZeroDivisionError("division by zero in kappa")

    monkeypatch.setattr(cli, "_run_agreement", broken)
    code = cli.main(["agreement", "--project", str(tmp_path / "p.annotator.sqlite")])
    assert code == launch.EXIT_BUG == 3
    err = capsys.readouterr().err.splitlines()
    assert err == ["annotator: unexpected error (ZeroDivisionError: division by zero in "
                   f"kappa); the details are in {about.log_file()}"]
    logged = about.log_file().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "in broken" in logged and "ZeroDivisionError: division by zero in kappa" in logged
    assert "command: annotator agreement --project" in logged

"""``annotator --self-test`` (hidden; what the installers' smoke test runs): the
first project is opened in the window, shown offscreen, closed as the user would
close it, one line printed, exit 0, with no user input."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from annotator.cli import main as cli
from annotator.paths import default_project_path
from annotator.services.project import ProjectService
from annotator.storage.lock import read_holder


def self_test(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--self-test", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_first_launch_self_test_creates_and_opens_the_sample_project() -> None:
    sample = default_project_path()     # under the test's own XDG_DATA_HOME
    assert not sample.exists()
    result = self_test()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"self-test ok: {sample} (4 documents)"
    with closing(sqlite3.connect(f"file:{sample}?mode=ro", uri=True)) as db:
        assert db.execute("select count(*) from documents").fetchone()[0] == 4
    assert read_holder(sample) is None          # closed: the project's lock released


def test_self_test_opens_the_project_asked_for(tmp_path: Path) -> None:
    project = tmp_path / "Field notes.annotator.sqlite"
    ProjectService.open(project, create=True).close()
    result = self_test(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"self-test ok: {project} (0 documents)"
    assert not default_project_path().exists()      # no sample made beside it


def test_self_test_is_not_in_the_help(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "--self-test" not in capsys.readouterr().out

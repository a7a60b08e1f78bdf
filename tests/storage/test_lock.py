"""The project lock, held by real processes: a second taker is told who holds it;
a holder killed with SIGKILL leaves a lock that is taken over."""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.storage.lock import (
    LockHolder,
    ProjectInUseError,
    ProjectLock,
    lock_path,
    read_holder,
)

_HOLDER = """
import sys, time
from annotator.storage.lock import ProjectLock
lock = ProjectLock.acquire(sys.argv[1], analyst="Наталья")
print("held", flush=True)
sys.stdin.readline()          # hold until told (or killed)
lock.release()
print("released", flush=True)
"""


@contextmanager
def _holder(project: Path) -> Iterator[subprocess.Popen[str]]:
    """A child process holding ``project``'s lock."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with subprocess.Popen([sys.executable, "-c", _HOLDER, str(project)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True, env=env) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "held\n"
            yield child
        finally:
            if child.poll() is None:
                child.kill()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annotator.sqlite"
    path.touch()
    return path


def test_a_lock_held_by_another_process_says_who_holds_it(project: Path) -> None:
    with _holder(project) as child:
        with pytest.raises(ProjectInUseError) as caught:
            ProjectLock.acquire(project, analyst="bob")
        holder = caught.value.holder
        assert holder is not None
        assert (holder.pid, holder.host, holder.analyst) == \
            (child.pid, socket.gethostname(), "Наталья")
        assert holder.user == getpass.getuser()
        message = str(caught.value)
        assert message.startswith(f"{project.name} is open in another window by ")
        assert f"on {socket.gethostname()} since " in message
        assert message.endswith(f"(pid {child.pid})")
        assert caught.value.project == project
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline() == "released\n"
        child.wait(timeout=10)
    with ProjectLock.acquire(project, analyst="bob") as lock:   # free once released
        assert lock is not None and lock.held
        assert read_holder(project) == lock.holder
        assert lock.holder.analyst == "bob" and lock.holder.pid == os.getpid()
    assert read_holder(project) is None
    assert not lock_path(project).exists()             # removed on release


@pytest.mark.slow
def test_a_lock_left_by_a_killed_process_is_taken_over(project: Path) -> None:
    with _holder(project) as child:
        assert read_holder(project).pid == child.pid   # type: ignore[union-attr]
        child.kill()                    # SIGKILL (TerminateProcess on Windows)
        child.wait(timeout=10)
    assert read_holder(project).pid == child.pid       # type: ignore[union-attr]  # stale
    lock = ProjectLock.acquire(project)
    try:
        assert lock is not None
        assert read_holder(project) == lock.holder
    finally:
        assert lock is not None
        lock.release()


def test_one_process_cannot_take_its_own_lock_twice(project: Path) -> None:
    first = ProjectLock.acquire(project)
    try:
        with pytest.raises(ProjectInUseError, match=rf"\(pid {os.getpid()}\)$"):
            ProjectLock.acquire(project)
    finally:
        assert first is not None
        first.release()
    second = ProjectLock.acquire(project)
    assert second is not None
    second.release()
    second.release()                                   # twice is harmless


def test_no_lock_file_can_be_made_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    project = folder / "p.annotator.sqlite"
    project.touch()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert ProjectLock.acquire(project) is None
        assert not lock_path(project).exists()
    finally:
        folder.chmod(0o700)


def test_who_is_alive() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    mine = LockHolder.me("a")
    assert mine.is_alive()
    assert not LockHolder(gone.pid, socket.gethostname(), "", "", "", "").is_alive()
    # On another host a pid means nothing here: assume it is alive.
    assert LockHolder(gone.pid, "elsewhere.example", "", "", "", "").is_alive()


def test_a_damaged_lock_file_names_nobody(project: Path) -> None:
    lock_path(project).write_bytes(b"\xff not json")
    assert read_holder(project) is None
    lock_path(project).write_text(json.dumps({"pid": "x"}), encoding="utf-8")
    assert read_holder(project) is None
    with ProjectLock.acquire(project) as lock:         # not held by anyone: taken
        assert lock is not None and lock.held

"""Commands that only read a project (``export``, ``agreement``) never write to
it: an empty file is refused (and stays empty), a project on a read-only folder
or disk is exported, and one that would need an upgrade there says so.

A read-only place is made with ``chmod``; root ignores file modes, so as root a
read-only tmpfs is mounted instead (skipped where mounting is not allowed)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.services import exports
from annotator.services.project import ProjectService
from tests.cli import test_cli_export
from tests.storage.test_crash_harness import _project_at_0003

cli = test_cli_export.cli


def _can_write(folder: Path) -> bool:
    try:
        (folder / "probe").write_bytes(b"x")
    except OSError as error:
        assert error.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
        return False
    (folder / "probe").unlink()
    return True


@pytest.fixture
def read_only_place(tmp_path: Path) -> Iterator[tuple[Path, object]]:
    """``(folder, seal)``: fill ``folder``, then call ``seal()`` to make it and
    everything in it read-only for this process."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    mounted = False

    def seal() -> None:
        nonlocal mounted
        if os.geteuid() != 0:
            for path in folder.iterdir():
                path.chmod(0o444)
            folder.chmod(0o555)
        else:
            keep = tmp_path / "keep"
            shutil.copytree(folder, keep)
            run = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs",
                                  str(folder)], capture_output=True)
            if run.returncode != 0:
                pytest.skip(f"root, and no tmpfs can be mounted: {run.stderr!r}")
            mounted = True
            for path in keep.iterdir():
                shutil.copy2(path, folder / path.name)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        assert not _can_write(folder)

    yield folder, seal
    if mounted:
        subprocess.run(["umount", str(folder)], check=True)
    elif folder.exists():
        folder.chmod(0o755)


def _listing(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_project_on_a_read_only_disk_is_exported(cli, seeded_project: Path, tmp_path,
                                                   read_only_place) -> None:
    folder, seal = read_only_place
    project = folder / "seeded.annotator.sqlite"
    shutil.copy(seeded_project, project)
    seal()
    before = _listing(folder)
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("jsonl", "documents", "package"):
        result = cli("export", "--project", project, "--format", fmt, "-o", out / f"x.{fmt}",
                     cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert len((out / "x.documents").read_text(encoding="utf-8").splitlines()) == 4
    result = cli("agreement", "--project", project, cwd=tmp_path)
    assert "two analysts" in result.stderr           # read, and found nobody's claims
    assert _listing(folder) == before


def test_an_old_project_on_a_read_only_disk_says_it_needs_an_upgrade(
        cli, tmp_path: Path, read_only_place) -> None:
    folder, seal = read_only_place
    project = folder / "old.annotator.sqlite"
    _project_at_0003(project)
    seal()
    before = _listing(folder)
    result = cli("export", "--project", project, "-o", tmp_path / "x.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{project}: made by an older version of Annotator and needs upgrading" in \
        result.stderr and "read-only" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()
    assert _listing(folder) == before


def test_an_old_project_that_can_be_written_is_upgraded_and_exported(
        cli, tmp_path: Path) -> None:
    project = tmp_path / "old.annotator.sqlite"
    claims = _project_at_0003(project)
    result = cli("export", "--project", project, "-o", tmp_path / "x.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == len(claims)


def test_an_up_to_date_project_is_exported_without_writing_to_it(
        cli, seeded_project: Path, tmp_path_factory) -> None:
    tmp_path = tmp_path_factory.mktemp("out")
    folder = seeded_project.parent
    before = _listing(folder)
    stamp = seeded_project.stat().st_mtime_ns
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("export", "--project", seeded_project, "--format", "documents",
                 "-o", elsewhere / "documents.jsonl", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert _listing(folder) == before                   # no -wal, no -shm left either
    assert seeded_project.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("command", [["export", "-o", "out.jsonl"],
                                     ["export", "--format", "package", "-o", "pkg"],
                                     ["agreement"]])
def test_read_only_commands_never_make_a_project_of_an_empty_file(
        cli, tmp_path: Path, command: list[str]) -> None:
    empty = tmp_path / "empty.annotator.sqlite"
    empty.touch()
    result = cli(*command, "--project", empty, cwd=tmp_path)
    assert result.returncode == 2
    assert f"{empty}: is empty, not a project" in result.stderr
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.annotator.sqlite"]


def test_an_empty_database_is_not_a_project_for_an_export(cli, tmp_path: Path) -> None:
    import sqlite3

    bare = tmp_path / "bare.sqlite"
    sqlite3.connect(bare).execute("PRAGMA user_version = 1").connection.close()
    before = bare.read_bytes()
    result = cli("export", "--project", bare, "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "an empty database, not a project" in result.stderr
    assert bare.read_bytes() == before


def test_a_read_only_service_refuses_changes_with_a_clear_error(seeded_project: Path) -> None:
    from annotator.storage.errors import ProjectAccessError

    service = ProjectService.open(seeded_project, read_only=True)
    try:
        document = service.documents()[0]
        with pytest.raises(ProjectAccessError, match="read-only"):
            service.set_document_status(document.id, "done")
        assert exports.count(service).documents == 4
    finally:
        service.close()


def test_a_new_project_held_open_elsewhere_is_read_while_its_schema_is_in_the_wal(
        tmp_path: Path) -> None:
    """A project just made by a window that still holds it has its schema in the
    ``-wal`` file only; an export (read-only) must read it there, not call it empty."""
    path = tmp_path / "new.annotator.sqlite"
    holder = ProjectService.open(path, create=True)
    try:
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0           # the premise: nothing checkpointed yet
        reader = ProjectService.open(path, read_only=True)
        try:
            assert reader.documents() == []
        finally:
            reader.close()
    finally:
        holder.close()

"""Importing a folder never leaves it: links out of the folder are not followed,
pipes, sockets and devices are never opened, link loops end; each entry not
imported is a line of the report naming it and why, and the rest goes on."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus, ImportReport, import_files

SECRET = "PRIVATE-DIARY-ENTRY never to be exported"

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or not hasattr(os, "mkfifo"),
                                reason="needs symbolic links and FIFOs")


@pytest.fixture
def service(tmp_path):
    service = ProjectService.open(tmp_path / "project.annotator.sqlite", create=True)
    yield service
    service.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def private(tmp_path) -> Path:
    """A private file and folder next to the chosen folder."""
    write(tmp_path / "private" / "diary.txt", SECRET + "\n")
    return tmp_path / "private"


def import_in_time(service: ProjectService, paths: list[Path]) -> ImportReport:
    """Import on a thread: opening a FIFO would block there, failing the test."""
    result: list[ImportReport] = []
    worker = threading.Thread(target=lambda: result.append(import_files(service, paths)),
                              daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the import blocked (a FIFO was opened?)"
    return result[0]


def by_name(report: ImportReport, folder: Path) -> dict[str, tuple[FileStatus, str]]:
    return {Path(r.path).relative_to(folder).as_posix(): (r.status, r.reason)
            for r in report.results}


def texts(service: ProjectService) -> list[str]:
    return [service.document(info.id).text for info in service.documents()]


def test_links_out_of_the_folder_are_reported_and_never_followed(service, tmp_path, private):
    folder = tmp_path / "chosen"
    write(folder / "note.txt", "A note inside the folder.\n")
    write(folder / "sub" / "deeper.txt", "A deeper note.\n")
    os.symlink(private / "diary.txt", folder / "diary.txt")
    os.symlink(private, folder / "private-folder")
    os.symlink("../../private/diary.txt", folder / "sub" / "relative.txt")
    os.symlink("/dev/zero", folder / "zeros.txt")

    report = import_in_time(service, [folder])

    results = by_name(report, folder)
    assert results["note.txt"][0] is FileStatus.IMPORTED
    assert results["sub/deeper.txt"][0] is FileStatus.IMPORTED
    for name, target in [("diary.txt", private / "diary.txt"),
                         ("private-folder", private),
                         ("sub/relative.txt", private / "diary.txt"),
                         ("zeros.txt", Path("/dev/zero"))]:
        status, reason = results[name]
        assert status is FileStatus.SKIPPED, name
        assert reason == f"link points outside the folder (to {target}) and was not followed"
    assert len(results) == 6
    assert not any(SECRET in text for text in texts(service))
    assert report.summary() == ("2 imported, 0 already in the project, 0 failed, "
                                "4 skipped")


def test_links_inside_the_folder_are_read_once(service, tmp_path):
    folder = tmp_path / "chosen"
    write(folder / "b-original.txt", "The one and only text.\n")
    os.symlink("b-original.txt", folder / "a-link.txt")
    os.symlink(folder / "b-original.txt", folder / "c-absolute-link.txt")
    write(folder / ".hidden" / "kept.txt", "Reached through a visible link only.\n")
    os.symlink(folder / ".hidden" / "kept.txt", folder / "visible.txt")
    os.symlink(folder / "sub", folder / "sub-link")
    write(folder / "sub" / "x.txt", "In the subfolder.\n")

    report = import_in_time(service, [folder])

    results = by_name(report, folder)
    assert results == {
        "a-link.txt": (FileStatus.SKIPPED,
                       "the same file as b-original.txt (a link), imported once"),
        "b-original.txt": (FileStatus.IMPORTED, ""),
        "c-absolute-link.txt": (FileStatus.SKIPPED,
                                "the same file as b-original.txt (a link), imported once"),
        "sub-link": (FileStatus.SKIPPED, "not followed: a link to a folder (the folder's "
                                         "files are imported where they are)"),
        "sub/x.txt": (FileStatus.IMPORTED, ""),
        "visible.txt": (FileStatus.IMPORTED, ""),
    }
    assert sorted(texts(service)) == ["In the subfolder.\n", "Reached through a visible link "
                                      "only.\n", "The one and only text.\n"]


def test_pipes_sockets_devices_and_loops_are_reported_and_never_opened(service, tmp_path):
    folder = tmp_path / "chosen"
    write(folder / "good.txt", "Still imported.\n")
    os.mkfifo(folder / "pipe.txt")
    os.symlink(folder / "pipe.txt", folder / "pipe-link.txt")
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink(".", folder / "sub-self")
    os.symlink("..", folder / "parent-loop")     # leads out: reported as outside
    os.symlink("missing.txt", folder / "broken.txt")
    expected = {
        "good.txt": (FileStatus.IMPORTED, ""),
        "pipe.txt": (FileStatus.SKIPPED, "not a regular file (a named pipe (FIFO)); "
                                         "not opened"),
        "pipe-link.txt": (FileStatus.SKIPPED, "not a regular file (a named pipe (FIFO)); "
                                              "not opened"),
        "loop-a.txt": (FileStatus.SKIPPED, "link loop: the link leads back to itself and "
                                           "was not followed"),
        "loop-b.txt": (FileStatus.SKIPPED, "link loop: the link leads back to itself and "
                                           "was not followed"),
        "sub-self": (FileStatus.SKIPPED, "link loop: a link to a folder that holds it; "
                                         "not followed"),
        "parent-loop": (FileStatus.SKIPPED, f"link points outside the folder (to "
                                            f"{tmp_path}) and was not followed"),
        "broken.txt": (FileStatus.SKIPPED, "link to nothing: what it points to does not "
                                           "exist"),
    }
    sock_path = folder / "s.sock"
    if len(str(sock_path)) < 100:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(str(sock_path))       # the socket file stays once closed
        expected["s.sock"] = (FileStatus.SKIPPED, "not a regular file (a socket); not opened")
    try:
        os.mknod(folder / "null.txt", 0o600 | 0o020000, os.makedev(1, 3))
        expected["null.txt"] = (FileStatus.SKIPPED, "not a regular file (a device); "
                                                    "not opened")
    except (PermissionError, AttributeError):
        pass      # no right to make devices here

    report = import_in_time(service, [folder])

    assert by_name(report, folder) == expected
    assert texts(service) == ["Still imported.\n"]


def test_unreadable_files_and_folders_are_reported(service, tmp_path):
    folder = tmp_path / "chosen"
    write(folder / "good.txt", "Readable.\n")
    locked = write(folder / "locked.txt", "Unreadable.\n")
    write(folder / "closed" / "inside.txt", "Behind a closed folder.\n")
    locked.chmod(0)
    (folder / "closed").chmod(0)
    try:
        locked.read_bytes()
    except PermissionError:
        pass
    else:
        (folder / "closed").chmod(0o700)
        pytest.skip("file permissions do not apply here (root)")
    try:
        results = by_name(import_in_time(service, [folder]), folder)
    finally:
        (folder / "closed").chmod(0o700)
        locked.chmod(0o600)
    assert results == {
        "good.txt": (FileStatus.IMPORTED, ""),
        "locked.txt": (FileStatus.FAILED, "cannot be read: Permission denied"),
        "closed": (FileStatus.FAILED, "folder cannot be read: Permission denied"),
    }


def test_a_link_named_directly_is_followed_and_a_linked_folder_is_walked(service, tmp_path,
                                                                          private):
    link = tmp_path / "chosen-link.txt"
    os.symlink(private / "diary.txt", link)
    folder_link = tmp_path / "folder-link"
    os.symlink(private, folder_link)

    report = import_in_time(service, [link, folder_link])

    assert [(Path(r.path).name, r.status) for r in report.results] == [
        ("chosen-link.txt", FileStatus.IMPORTED), ("diary.txt", FileStatus.DUPLICATE)]
    assert texts(service) == [SECRET + "\n"]


def test_the_cli_reports_each_entry_not_imported_on_its_own_line(tmp_path, private):
    folder = tmp_path / "chosen"
    write(folder / "note.txt", "A note.\n")
    os.symlink(private / "diary.txt", folder / "diary.txt")
    os.mkfifo(folder / "pipe.txt")
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "import", "--project",
         tmp_path / "cli.annotator.sqlite", folder],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"annotator: {folder / 'diary.txt'}: link points outside the folder "
        f"(to {private / 'diary.txt'}) and was not followed",
        f"annotator: {folder / 'pipe.txt'}: not a regular file (a named pipe (FIFO)); "
        f"not opened",
    ]
    assert f"imported: {folder / 'note.txt'}" in result.stdout
    assert SECRET not in result.stdout

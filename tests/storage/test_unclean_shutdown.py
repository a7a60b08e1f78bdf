"""Opening a project a killed program left with a write-ahead log: a sound one
opens as usual; a damaged one is set aside untouched and the newest good
backup is offered, with what restoring it would lose."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.storage import backup
from annotator.storage.errors import DamagedProjectError

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

TEXT = "An analyst's work survives a crash, or its loss is told. 梁文锋 😀\n" * 40

# Adds claims, printing each id after add_claim returned; waits to be killed.
WRITER = """
import sys, time
from annotator.domain.model import Claim
from annotator.services.project import ProjectService

service = ProjectService.open(sys.argv[1])
document = service.document(sys.argv[2])
for i in range(int(sys.argv[3])):
    service.add_claim(Claim.new(document, i, i + 3, annotator="doomed"))
print("written", flush=True)
time.sleep(120)
"""


def killed_writer(path: Path, document_id: str, claims: int) -> None:
    """Run a writer to ``claims`` more claims and kill it: the log stays behind."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), document_id,
                               str(claims)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONUTF8": "1"})
    watchdog = threading.Timer(120, writer.kill)
    watchdog.start()
    try:
        line = writer.stdout.readline()
        if line.strip() != "written":
            pytest.fail(f"writer failed: {writer.stderr.read()}")
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=30)
    finally:
        watchdog.cancel()
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == -signal.SIGKILL
    assert Path(f"{path}-wal").stat().st_size > 0


def project_with_backup(path: Path, claims: int) -> tuple[str, backup.Backup]:
    service = ProjectService.open(path, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="crash")).document
        for i in range(claims):
            service.add_claim(Claim.new(document, 100 + i, 110 + i, annotator="alice"))
    finally:
        service.close()
    return document.id, backup.take_backup(path, "close")


def damage_main_file(path: Path) -> None:
    """Garbage in every page of the main file but the first (pages the log holds
    newer copies of are masked by it; the others are not)."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(4096, size, 4096):
            handle.seek(offset + 100)
            handle.write(os.urandom(500))


def damage_documents_page(path: Path) -> None:
    """Garbage in the page holding the documents (no claim lives there, and the
    writer never touched it, so the log does not mask it)."""
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        (root,) = raw.execute("SELECT rootpage FROM sqlite_master "
                              "WHERE name = 'documents'").fetchone()
    finally:
        raw.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * 4096)
        handle.write(b"\xff" * 64)


def digests(*paths: Path) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_a_sound_project_left_with_a_log_opens_with_everything(tmp_path: Path) -> None:
    path = tmp_path / "crashed.annotator.sqlite"
    document_id, _taken = project_with_backup(path, claims=2)
    killed_writer(path, document_id, claims=25)
    service = ProjectService.open(path)
    try:
        assert len(service.claims(document_id)) == 27
    finally:
        service.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("damage", [damage_main_file, damage_documents_page])
def test_a_damaged_project_is_set_aside_untouched_and_a_backup_offered(
        tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "crashed.annotator.sqlite"
    document_id, taken = project_with_backup(path, claims=4)
    killed_writer(path, document_id, claims=30)
    damage(path)
    wal = Path(f"{path}-wal")
    before = digests(path, wal)

    with pytest.raises(DamagedProjectError) as caught:
        ProjectService.open(path)
    error = caught.value

    assert not path.exists() and not wal.exists()
    assert error.set_aside is not None and error.set_aside.name.startswith(
        "crashed.annotator.sqlite.corrupt-")
    assert digests(error.set_aside, Path(f"{error.set_aside}-wal")) == before   # untouched
    assert error.backup == taken and error.backup.claims == 4
    assert error.problem
    message = str(error)
    assert str(error.set_aside) in message and "not closed cleanly" in message
    assert "4 claims in 1 document." in message
    if damage is damage_documents_page:        # the claims can still be counted
        assert (error.damaged_claims, error.claims_after) == (34, 30)
        assert "30 of the 34 claims in the damaged file were made or changed" in message
    else:
        assert error.damaged_claims is None
        assert "cannot be read to count what was done" in message

    backup.restore(path, error.backup.path)
    service = ProjectService.open(path)
    try:
        assert len(service.claims(document_id)) == 4
    finally:
        service.close()


def damaged_without_backup(path: Path) -> None:
    service = ProjectService.open(path, create=True)
    document = service.add_document(Document.from_text(TEXT, title="crash")).document
    service.close()
    killed_writer(path, document.id, claims=5)
    damage_main_file(path)


def test_a_damaged_project_with_no_backup_says_so(tmp_path: Path) -> None:
    path = tmp_path / "nobackup.annotator.sqlite"
    damaged_without_backup(path)
    with pytest.raises(DamagedProjectError, match="no good backup") as caught:
        ProjectService.open(path)
    assert caught.value.backup is None and caught.value.set_aside.exists()
    assert not path.exists()


def test_a_damaged_file_that_may_not_be_a_project_stays_where_it_is(tmp_path: Path) -> None:
    """No backups, no project name, a schema that cannot be read: it may be
    another program's database, so it is neither opened nor moved."""
    path = tmp_path / "maybe-theirs.db"
    damaged_without_backup(path)
    before = digests(path, Path(f"{path}-wal"))
    with pytest.raises(DamagedProjectError, match="left where it is") as caught:
        ProjectService.open(path)
    assert caught.value.set_aside is None
    assert digests(path, Path(f"{path}-wal")) == before

"""``annotator backup``, ``backups`` and ``restore``, and what the command line
says of a project damaged by an unclean shutdown."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.storage import backup
from annotator.storage.lock import ProjectLock
from tests.storage.test_unclean_shutdown import damage_main_file, killed_writer

TEXT = "The command line backs projects up and restores them. 梁文锋\n" * 20


def annotator(*args: str | Path, env: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


def project(path: Path, claims: int) -> tuple[Path, str]:
    service = ProjectService.open(path, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="cli")).document
        add(service, document.id, claims)
    finally:
        service.close()
    return path, document.id


def add(service: ProjectService, document_id: str, count: int, offset: int = 0) -> None:
    document = service.document(document_id)
    for i in range(count):
        service.add_claim(Claim.new(document, offset + i, offset + i + 4, annotator="cli"))


def claim_count(path: Path) -> int:
    service = ProjectService.open(path)
    try:
        return service.claim_count()
    finally:
        service.close()


def test_backup_list_and_restore(tmp_path: Path) -> None:
    path, document_id = project(tmp_path / "p.annotator.sqlite", claims=2)
    assert annotator("backups", "--project", path).stdout.startswith("no backups of")

    done = annotator("backup", "--project", path)
    assert done.returncode == 0, done.stderr
    assert "(2 claims, 1 document)" in done.stdout
    (taken,) = backup.list_backups(path)

    listed = annotator("backups", "--project", path)
    assert listed.returncode == 0
    assert str(backup.backup_folder(path)) in listed.stdout
    assert taken.path.name in listed.stdout and "by hand" in listed.stdout

    service = ProjectService.open(path)
    add(service, document_id, 3, offset=20)
    service.close()
    assert claim_count(path) == 5

    restored = annotator("restore", "--project", path, "--backup", taken.path.name)
    assert restored.returncode == 0, restored.stderr
    assert "(2 claims, 1 document)" in restored.stdout
    assert "the project as it was is backed up as" in restored.stdout
    assert claim_count(path) == 2
    kinds = [b.kind for b in backup.list_backups(path)]
    assert "before-restore" in kinds


def test_restore_names_what_is_wrong(tmp_path: Path) -> None:
    path, _ = project(tmp_path / "p.annotator.sqlite", claims=1)
    result = annotator("restore", "--project", path, "--backup", "nope.sqlite")
    assert result.returncode == 2
    assert result.stderr.strip() == ("annotator: error: nope.sqlite: no such backup "
                                     "(see: annotator backups --project PATH)")
    assert claim_count(path) == 1


def test_backups_into_a_cloud_folder_are_announced(tmp_path: Path) -> None:
    path, _ = project(tmp_path / "p.annotator.sqlite", claims=1)
    env = {backup.BACKUP_DIR_ENV: str(tmp_path / "Dropbox" / "annotator")}
    result = annotator("backup", "--project", path, env=env)
    assert result.returncode == 0
    assert "annotator: warning: backups of p.annotator.sqlite go to" in result.stderr
    assert "synced by Dropbox" in result.stderr


@pytest.mark.slow
def test_a_damaged_project_is_reported_with_the_command_to_restore(tmp_path: Path) -> None:
    path, document_id = project(tmp_path / "crashed.annotator.sqlite", claims=3)
    assert annotator("backup", "--project", path).returncode == 0
    killed_writer(path, document_id, claims=10)
    damage_main_file(path)

    result = annotator("export", "--project", path, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 2
    assert "not closed cleanly and is damaged" in result.stderr
    assert "3 claims in 1 document" in result.stderr
    hint = result.stderr.strip().splitlines()[-1]
    assert hint.startswith("annotator: to restore that backup: annotator restore --project")
    command = shlex.split(hint.split(": ", 2)[2])
    restored = annotator(*command[1:])
    assert restored.returncode == 0, restored.stderr
    assert claim_count(path) == 3
    assert [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]


def test_restore_refuses_a_project_a_window_has_open(tmp_path: Path) -> None:
    path, _ = project(tmp_path / "p.annotator.sqlite", claims=2)
    taken = backup.take_backup(path, "manual")
    service = ProjectService.open(path)
    add(service, service.documents()[0].id, 1, offset=30)
    service.close()
    with ProjectLock.acquire(path, analyst="alice"):       # as a window holds it
        result = annotator("restore", "--project", path, "--backup", taken.path)
    assert result.returncode == 2
    assert "is open in another window" in result.stderr
    assert claim_count(path) == 3

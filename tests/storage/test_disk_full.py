"""A full disk while claims are added or files imported: the user is told so in
plain words, everything reported as saved is there, the project is sound, and
work goes on once there is room again.

The disk is filled in two real ways: a file-size limit (``RLIMIT_FSIZE``) in a
child process, where SQLite's writes fail with ``EFBIG`` ("disk I/O error"), and
``PRAGMA max_page_count``, where SQLite itself reports ``SQLITE_FULL``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus, import_files
from annotator.storage.errors import DiskFullError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")

CHILD = Path(__file__).with_name("full_disk_child.py")
ROOT = Path(__file__).resolve().parents[2]
TEXT = "Claims keep coming until the disk is full. 梁文锋 😀\n" * 40
LIMIT = 400_000


def run_child(*args: object) -> list[dict]:
    result = subprocess.run(
        [sys.executable, str(CHILD), *map(str, args)], capture_output=True, text=True,
        encoding="utf-8", timeout=120,
        env={**os.environ, "PYTHONUTF8": "1", "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def integrity(path: Path) -> str:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        raw.close()


def test_claims_added_until_the_file_size_limit(tmp_path: Path) -> None:
    project = tmp_path / "full.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    document = service.add_document(Document.from_text(TEXT, title="full")).document
    service.close()

    events = run_child("claims", project, LIMIT, "")
    kinds = [e["event"] for e in events]
    assert "never full" not in kinds[:kinds.index("space freed")]
    failure = next(e for e in events if e["event"] == "failed")
    assert failure["error"] == "DiskFullError"
    assert failure["message"].startswith(f"{project}: the file reached the file-size limit")
    assert "what was already saved is safe" in failure["message"]
    saved = [e["id"] for e in events if e["event"] == "saved"]
    after = kinds[kinds.index("space freed"):]
    assert after.count("saved") == 3 and "failed" not in after   # work resumes

    assert integrity(project) == "ok"
    service = ProjectService.open(project)
    try:
        stored = {claim.id for claim in service.claims(document.id)}
    finally:
        service.close()
    assert stored == set(saved)        # everything acknowledged, nothing else
    assert len(saved) > 3 + 3


def test_an_import_stopped_by_the_file_size_limit(tmp_path: Path) -> None:
    project = tmp_path / "full.annotator.sqlite"
    ProjectService.open(project, create=True).close()
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for i in range(12):
        (incoming / f"{i:02}.txt").write_text(f"File {i}. " + "Words to import. " * 4000,
                                              encoding="utf-8")

    events = run_child("imports", project, LIMIT, incoming)
    first = events[:events.index({"event": "space freed"})]
    failed = [e for e in first if e.get("status") == "failed"]
    assert len(failed) == 1
    assert "file-size limit" in failed[0]["message"]
    stopped = next(e for e in first if e["event"] == "stopped")
    assert "file-size limit" in stopped["message"]
    imported = {e["path"] for e in first if e.get("status") == "imported"}
    skipped = [e for e in first if e.get("status") == "skipped"]
    assert imported and len(imported) + 1 + len(skipped) == 12
    assert all("could not be written" in e["message"] for e in skipped)

    second = events[events.index({"event": "space freed"}) + 1:]
    statuses = {e["path"]: e["status"] for e in second if "status" in e}
    assert {p for p, s in statuses.items() if s == "duplicate"} == imported
    assert list(statuses.values()).count("imported") == 12 - len(imported)

    assert integrity(project) == "ok"
    raw = sqlite3.connect(project)
    try:
        assert raw.execute("SELECT count(*) FROM documents").fetchone() == (12,)
    finally:
        raw.close()


def fill_up(service: ProjectService, pages: int | None) -> None:
    """Limit every new connection of ``service`` to ``pages`` pages (None: no
    limit), as a full disk would."""
    engine = service.database.engine
    if getattr(engine, "_page_limit", None) is not None:
        event.remove(engine, "connect", engine._page_limit)
        engine._page_limit = None
    if pages is not None:
        def limit(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
        event.listen(engine, "connect", limit)
        engine._page_limit = limit
    engine.dispose()


def page_count(path: Path) -> int:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("PRAGMA page_count").fetchone()[0]
    finally:
        raw.close()


def test_sqlite_full_is_reported_as_a_full_disk_and_work_resumes(tmp_path: Path) -> None:
    project = tmp_path / "full.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="full")).document
        fill_up(service, page_count(project) + 3)
        saved = []
        with pytest.raises(DiskFullError) as caught:
            for i in range(1000):
                claim = Claim.new(document, i % 50, i % 50 + 10, annotator="x",
                                  note="✎" * 300)
                service.add_claim(claim)
                saved.append(claim.id)
        assert str(caught.value).startswith(f"{project}: the disk is full")
        assert saved
        assert {c.id for c in service.claims(document.id)} == set(saved)
        # A file import on the full project fails with the reason; the rest stop.
        files = [tmp_path / "a.txt", tmp_path / "b.txt"]
        for path in files:
            path.write_text(path.stem + " text. " * 2000, encoding="utf-8")
        report = import_files(service, files)
        assert [r.status for r in report.results] == [FileStatus.FAILED, FileStatus.SKIPPED]
        assert "the disk is full" in report.results[0].reason
        assert report.stopped and "stopped: " in report.summary()

        fill_up(service, None)                      # space freed
        more = Claim.new(document, 1, 5, annotator="x")
        service.add_claim(more)
        report = import_files(service, files)
        assert [r.status for r in report.results] == [FileStatus.IMPORTED] * 2
        assert {c.id for c in service.claims(document.id)} == {*saved, more.id}
    finally:
        service.close()
    assert integrity(project) == "ok"

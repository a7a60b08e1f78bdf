"""Two writers on one project file: a locked project, and concurrent processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectBusyError

TEXT = "Concurrent writers share one SQLite file in WAL mode. 深度求素 👇 " * 20

# Adds claims to the project one by one, printing each id once add_claim returned.
WRITER = """
import sys
from annotator.domain.model import Claim
from annotator.services.project import ProjectService

path, document_id, count, who = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
service = ProjectService.open(path)
document = service.document(document_id)
if count >= 0:
    print("ready", flush=True)
    sys.stdin.readline()        # start together with the other writer
i = 0
while count < 0 or i < count:
    start = i % (len(document.text) - 8)
    claim = Claim.new(document, start, start + 1 + i % 7, annotator=who)
    service.add_claim(claim)
    print(claim.id, flush=True)
    i += 1
service.close()
"""


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUTF8": "1", "QT_QPA_PLATFORM": "offscreen"}


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "shared.annotator.sqlite"
    service = ProjectService.open(path, create=True)
    document = service.add_document(Document.from_text(TEXT, title="shared")).document
    service.close()
    return path, document


class WriteLock:
    """Another program holding the project's write lock (BEGIN IMMEDIATE)."""

    def __init__(self, path) -> None:
        self.raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.raw.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.raw.in_transaction:
            self.raw.execute("ROLLBACK")
        self.raw.close()


def integrity(path) -> str:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        raw.close()


def test_write_to_a_locked_project_is_busy(project):
    path, document = project
    service = ProjectService.open(path, busy_timeout=0.5)
    claim = Claim.new(document, 0, 10, annotator="me")
    lock = WriteLock(path)
    try:
        began = time.monotonic()
        with pytest.raises(ProjectBusyError) as caught:
            service.add_claim(claim)
        waited = time.monotonic() - began
        assert "in use" in str(caught.value)
        assert str(path) in str(caught.value)
        assert 0.4 <= waited < 5                       # it waited busy_timeout, then gave up
        # Reading still works while someone else holds the write lock (WAL).
        assert service.document(document.id) == document
        assert service.claim_count() == 0
    finally:
        lock.release()
    # Once the lock is gone the same service writes normally.
    service.add_claim(claim)
    assert service.claim(claim.id) == claim
    service.close()


def test_an_up_to_date_project_opens_and_reads_while_another_writer_holds_the_lock(project):
    path, document = project
    claim = Claim.new(document, 0, 10, annotator="me")
    lock = WriteLock(path)
    try:
        # Checking the schema version needs only a read transaction.
        service = ProjectService.open(path, busy_timeout=0.5)
        try:
            assert [d.id for d in service.documents()] == [document.id]
            with pytest.raises(ProjectBusyError, match="in use"):
                service.add_claim(claim)
        finally:
            service.close()
    finally:
        lock.release()


def test_cli_waits_for_a_short_lock(project, tmp_path):
    path, _ = project
    lock = WriteLock(path)
    release = threading.Timer(1.0, lock.release)
    release.start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "annotator", "export", "--project", str(path),
             "--format", "documents", "-o", str(tmp_path / "docs.jsonl")],
            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=child_env(),
            timeout=60)
    finally:
        release.join()
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "docs.jsonl").read_text(encoding="utf-8").count("\n") == 1


def test_cli_on_a_project_locked_for_long_says_it_is_in_use(project, tmp_path):
    path, _ = project
    lock = WriteLock(path)
    source = tmp_path / "new.txt"
    source.write_text("A new document to import.", encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "annotator", "--wait", "0.5", "import", "--project",
             str(path), str(source)],
            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=child_env(),
            timeout=120)
    finally:
        lock.release()
    assert result.returncode == 2
    assert "in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    service = ProjectService.open(path)
    try:
        assert len(service.documents()) == 1   # nothing was added
    finally:
        service.close()


@pytest.mark.slow
def test_two_processes_adding_claims_at_once(project):
    path, document = project
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), document.id, "200", who],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=child_env())
        for who in ("first", "second")
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    printed: list[str] = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        printed.extend(out.split())
    assert len(printed) == len(set(printed)) == 400

    assert integrity(path) == "ok"
    service = ProjectService.open(path)
    try:
        assert service.claim_count() == 400
        stored = service.claims(document.id)
        assert {claim.id for claim in stored} == set(printed)
        assert {claim.annotator for claim in stored} == {"first", "second"}
        # The two writers really ran at the same time: their write periods overlap.
        periods = [[c.created_at for c in stored if c.annotator == who]
                   for who in ("first", "second")]
        assert max(min(p) for p in periods) < min(max(p) for p in periods)
        for claim in stored:
            assert document.text[claim.start:claim.end] == claim.quote
    finally:
        service.close()

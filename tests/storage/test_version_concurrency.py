"""Eight analysts adding, editing and deleting claims on one project at once (a
SQLite file, the team server): afterwards every acknowledged write is there, no
acknowledged edit was lost, and the refused ones were reported as conflicts.

Each worker (``versions_child.py``) logs what the project acknowledged; the
checks here compare those logs with the project as a fresh connection reads it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService

WORKERS = 8
SECONDS = 6.0
SHARED = 3
CHILD = Path(__file__).with_name("versions_child.py")
TEXT = "Prices rose by twelve percent, the minister said on Monday. " * 20


def _seed(location: str | Path) -> str:
    service = ProjectService.open(location, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="Prices")).document
        for n in range(SHARED):
            claim = Claim.new(document, n * 7, n * 7 + 6, annotator="seed")
            service.add_claim(replace(claim, id=f"shared-{n}"))
        return document.id
    finally:
        service.close()


@pytest.mark.slow
def test_concurrent_analysts_lose_no_acknowledged_write(project_location: str | Path,
                                                        tmp_path: Path) -> None:
    document_id = _seed(project_location)
    start = time.time() + 4.0          # every worker imported and connected by then
    logs = [tmp_path / f"worker-{n}.jsonl" for n in range(WORKERS)]
    children = [subprocess.Popen(
        [sys.executable, str(CHILD), str(project_location), str(n), str(SECONDS),
         str(log), str(start)], stderr=subprocess.PIPE, text=True)
        for n, log in enumerate(logs)]
    for child in children:
        _, errors = child.communicate(timeout=120)
        assert child.returncode == 0, errors

    entries = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    done = [e for e in entries if e["op"] == "done"]
    assert len(done) == WORKERS                      # every worker finished its run
    results = [e for e in entries if e["op"] != "done"]
    for summary in done:                             # every attempt has one outcome
        assert summary["attempts"] == sum(summary[k] for k in
                                          ("add", "edit", "delete", "conflict", "error"))
    assert [e for e in results if e["op"] == "error"] == []

    service = ProjectService.open(project_location)
    try:
        stored = {c.id: c for c in service.claims(document_id)}
    finally:
        service.close()

    added = {e["id"] for e in results if e["op"] == "add"}
    deleted = {e["id"] for e in results if e["op"] == "delete"}
    assert deleted <= added
    assert set(stored) == added - deleted | {f"shared-{n}" for n in range(SHARED)}

    edits: dict[str, list[dict]] = defaultdict(list)
    for e in results:
        if e["op"] == "edit":
            edits[e["id"]].append(e)
    for claim_id, claim in stored.items():
        saved = edits.get(claim_id, [])
        versions = Counter(e["version"] for e in saved)
        # No two saves were told the same version: none overwrote another unseen.
        assert all(n == 1 for n in versions.values()), claim_id
        # Every acknowledged save is counted in the stored version: none was lost.
        assert claim.version == 1 + len(saved), claim_id
        if saved:
            assert claim.note == max(saved, key=lambda e: e["version"])["note"]

    conflicts = [e for e in results if e["op"] == "conflict"]
    assert conflicts, "eight workers on three shared claims never collided"
    assert all(c["stored"] > c["yours"] for c in conflicts)
    edited = sum(len(v) for v in edits.values())
    print(f"\n{WORKERS} workers, {SECONDS} s: {len(added)} added, {len(deleted)} deleted, "
          f"{edited} edits saved, {len(conflicts)} conflicts reported")

"""Crash harness: a writer (``crash_child.py``) killed with SIGKILL at random
points, 100 times in all, across claim edits, imports, exports, adjudication and
a schema upgrade. After each kill the project passes ``PRAGMA integrity_check``
and holds exactly what the writer reported as saved (plus, at most, the one
change it was making), and an earlier export file is untouched.

Delays are drawn from a seeded generator, spread so that kills land before,
inside and between commits; each kind runs :data:`ROUNDS` rounds on the same
project, so what survives one kill must survive the next ones too.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from annotator.domain.model import Claim, Document
from annotator.services import exports
from annotator.services.project import ProjectService
from annotator.storage.database import _migrations_config, head_revision

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 20
SEED = 20261206
#: Longest a kill waits after the writer said ``ready``, in seconds.
MAX_DELAY = 0.45
TEXT = "A writer that is killed must leave a sound project behind. 梁文锋 😀\n" * 30


@dataclass
class Run:
    """What one killed writer printed: the changes it reported as saved, and the
    one it had announced but not reported (None when it was between changes)."""

    acknowledged: list[dict] = field(default_factory=list)
    in_flight: dict | None = None
    other: list[str] = field(default_factory=list)


def parse(lines: list[str]) -> Run:
    run = Run()
    for line in lines:
        if line.startswith("do "):
            assert run.in_flight is None, lines
            run.in_flight = json.loads(line[3:])
        elif line == "ok":
            assert run.in_flight is not None, lines
            run.acknowledged.append(run.in_flight)
            run.in_flight = None
        else:
            run.other.append(line)
    return run


def kill_at_random(kind: str, project: Path, workdir: Path, rng: random.Random,
                   delay: float | None = None) -> Run:
    """Start the writer, wait for ``ready``, let it work ``delay`` seconds (random
    by default), SIGKILL it and return what it had printed in whole lines."""
    errors = workdir / "writer-stderr.txt"
    with errors.open("w", encoding="utf-8") as stderr:
        writer = subprocess.Popen(
            [sys.executable, str(CHILD), kind, str(project), str(workdir),
             str(rng.randrange(1 << 30))],
            stdout=subprocess.PIPE, stderr=stderr, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONUTF8": "1",
                 "PYTHONPATH": os.pathsep.join(filter(None, [
                     str(ROOT), os.environ.get("PYTHONPATH")]))})
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:         # every line, as printed, until the pipe closes
        for line in writer.stdout:
            lines.append(line)
            ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    watchdog = threading.Timer(60, writer.kill)     # never hang the test run
    watchdog.start()
    try:
        ready.wait(30)
        if lines[:1] != ["ready\n"]:
            writer.kill()
            writer.wait()
            pytest.fail(f"writer did not start: {lines[:1]} "
                        f"{errors.read_text(encoding='utf-8')}")
        time.sleep(rng.uniform(0, MAX_DELAY) if delay is None else delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        reader.join(timeout=30)
    finally:
        watchdog.cancel()
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    writer.stdout.close()
    text = "".join(lines[1:])
    # A writer that stopped by itself (an error, or nothing left to do) is fine
    # only when it said it had finished.
    if writer.returncode != -signal.SIGKILL:
        assert "finished" in text, errors.read_text(encoding="utf-8")
    # A torn last line (no newline) is not a report of anything.
    return parse(text.split("\n")[:-1])


def report(kind: str, midway: int, extra: str = "") -> None:
    """Print (for ``pytest -s``) how many kills landed inside a change; some must."""
    print(f"\n{kind}: {ROUNDS} kills, {midway} inside a change. {extra}")
    assert midway > 0


def integrity(path: Path) -> str:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        raw.close()


def rows(path: Path, sql: str) -> list[tuple]:
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return raw.execute(sql).fetchall()
    finally:
        raw.close()


def outcomes(state, run: Run, apply):  # type: ignore[no-untyped-def]
    """The states the project may be in after ``run``: every reported change
    applied, and perhaps the one under way too."""
    for change in run.acknowledged:
        state = apply(state, change)
    possible = [state]
    if run.in_flight is not None:
        possible.append(apply(state, run.in_flight))
    return state, possible


def new_project(path: Path, *, claims: int = 0, annotators: tuple[str, ...] = ()) -> Document:
    service = ProjectService.open(path, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="kill")).document
        made = []
        for i in range(claims):
            start = (i * 7) % (len(TEXT) - 10)
            made.extend(Claim.new(document, start, start + 3 + i % 5, annotator=name)
                        for name in annotators)
        service.add_claims(made)
        return document
    finally:
        service.close()


def _claim_notes(state: dict, change: dict) -> dict:
    state = dict(state)
    if change["op"] == "delete":
        del state[change["id"]]
    else:
        state[change["id"]] = change["note"]
    return state


def test_claim_edits_survive_kills(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    project = tmp_path / "claims.annotator.sqlite"
    new_project(project)
    state: dict[str, str] = {}
    changes = midway = 0
    for _round in range(ROUNDS):
        run = kill_at_random("claims", project, tmp_path, rng)
        midway += run.in_flight is not None
        state, possible = outcomes(state, run, _claim_notes)
        assert integrity(project) == "ok"
        stored = dict(rows(project, "SELECT id, note FROM claims"))
        assert stored in possible
        state = stored
        changes += len(run.acknowledged)
    assert changes > ROUNDS      # the writer got work done between kills
    report("claim edits", midway)


def test_imports_survive_kills(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    project = tmp_path / "imports.annotator.sqlite"
    ProjectService.open(project, create=True).close()
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    state: frozenset[str] = frozenset()
    midway = 0
    for round_ in range(ROUNDS):
        for i in range(8):      # texts of 20 to 400 KB: kills land inside their commits
            line = f"Round {round_}, file {i}: a document imported while a kill may come. ✓\n"
            (incoming / f"r{round_:02}-{i}.txt").write_text(
                line * rng.randint(250, 5000), encoding="utf-8")
        run = kill_at_random("imports", project, tmp_path, rng)
        midway += run.in_flight is not None
        state, possible = outcomes(state, run, lambda s, c: s | {c["origin"]})
        assert integrity(project) == "ok"
        stored = frozenset(origin for (origin,) in rows(project,
                                                         "SELECT origin FROM documents"))
        assert stored in possible
        state = stored
    # The writer got work done between kills (not a vacuous run). How much
    # depends on the machine's load: on 2 busy cores about half a file a round.
    assert len(state) >= ROUNDS // 4
    report("imports", midway)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_exports_survive_kills_and_leave_earlier_exports_alone(tmp_path: Path) -> None:
    rng = random.Random(SEED + 2)
    project = tmp_path / "exports.annotator.sqlite"
    new_project(project, claims=1500, annotators=("before",))
    service = ProjectService.open(project)
    earlier = tmp_path / "earlier.jsonl"
    exports.export(service, "jsonl", earlier)
    service.close()
    earlier_digest = _digest(earlier)
    out = tmp_path / "out.jsonl"
    state = frozenset(claim_id for (claim_id,) in rows(project, "SELECT id FROM claims"))
    exported_at_least: frozenset[str] = frozenset()
    stale_parts = cleaned = midway = 0
    for _round in range(ROUNDS):
        run = kill_at_random("exports", project, tmp_path, rng)
        midway += run.in_flight is not None and run.in_flight["op"] == "export"
        for line in run.other:
            if line.startswith("cleaned "):
                cleaned += len(json.loads(line[len("cleaned "):]))
        before = state
        state, possible = outcomes(state, run, lambda s, c: s | {c["id"]}
                                   if c["op"] == "add" else s)
        assert integrity(project) == "ok"
        stored = frozenset(claim_id for (claim_id,) in rows(project, "SELECT id FROM claims"))
        assert stored in possible
        state = stored
        assert _digest(earlier) == earlier_digest
        # The export file is whole: an earlier export, or the last one complete.
        if out.exists():
            lines = out.read_text(encoding="utf-8").split("\n")
            assert lines[-1] == ""
            exported = frozenset(json.loads(line)["id"] for line in lines[:-1])
            assert exported <= stored
            if any(c["op"] == "export" for c in run.acknowledged):
                last_export = max(i for i, c in enumerate(run.acknowledged)
                                  if c["op"] == "export")
                exported_at_least = before | {c["id"] for c in run.acknowledged[:last_export]
                                              if c["op"] == "add"}
            assert exported >= exported_at_least
        stale_parts += len(list(tmp_path.glob(".out.*.part")))
    service = ProjectService.open(project)
    try:
        result = exports.export(service, "jsonl", out)
    finally:
        service.close()
    assert list(tmp_path.glob(".*.part")) == []      # every killed export's leftovers
    assert stale_parts == 0 or cleaned + len(result.cleaned) > 0
    report("exports", midway, f"{stale_parts} rounds ended with partial files; "
           f"later exports removed {cleaned + len(result.cleaned)}")


def test_adjudication_survives_kills(tmp_path: Path) -> None:
    rng = random.Random(SEED + 3)
    project = tmp_path / "review.annotator.sqlite"
    new_project(project, claims=300, annotators=("alice", "bob"))

    def apply(state: frozenset, change: dict) -> frozenset:
        if change["op"] == "add":
            return state | {(change["id"], change["gold"])}
        return frozenset(entry for entry in state if entry[0] != change["id"])

    state: frozenset = frozenset()
    midway = 0
    for _round in range(ROUNDS):
        run = kill_at_random("adjudication", project, tmp_path, rng)
        midway += run.in_flight is not None
        state, possible = outcomes(state, run, apply)
        assert integrity(project) == "ok"
        stored = frozenset(rows(project, "SELECT a.id, g.id FROM adjudications a "
                                         "LEFT JOIN gold_claims g ON g.adjudication_id = a.id"))
        assert stored in possible
        state = stored
        assert rows(project, "SELECT count(*) FROM claims") == [(600,)]  # analysts' untouched
    assert state
    report("adjudication", midway)


def _project_at_0003(path: Path) -> list[tuple]:
    """A project as release 0003 wrote it, with documents and claims; its claim rows."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(_migrations_config(connection), "0003")
    engine.dispose()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("PRAGMA journal_mode = WAL")
        for d in range(40):
            text = f"Document {d}: " + "old words, kept safe through an upgrade. " * 200
            raw.execute("INSERT INTO documents (id, sha256, title, source, published, "
                        "metadata, text, length, created_at, status) VALUES "
                        "(?, ?, ?, '', '', '{}', ?, ?, '2025-01-02 03:04:05.000006', 'new')",
                        (f"d{d}", hashlib.sha256(text.encode()).hexdigest(), f"Doc {d}",
                         text, len(text)))
            for c in range(50):
                start = c * 11
                raw.execute(
                    "INSERT INTO claims (id, document_id, start, \"end\", quote, prefix, "
                    "suffix, proposition, note, tags, annotator, created_at, updated_at, "
                    "codebook_version) VALUES (?, ?, ?, ?, ?, '', '', 'P', 'n', '[]', 'ann', "
                    "'2025-01-02 03:04:05', '2025-01-02 03:04:05', 1)",
                    (f"c{d}-{c}", f"d{d}", start, start + 5, text[start:start + 5]))
    raw.close()
    return rows(path, "SELECT * FROM claims ORDER BY id")


def test_an_upgrade_killed_midway_leaves_the_old_or_the_new_schema(tmp_path: Path) -> None:
    rng = random.Random(SEED + 4)
    template = tmp_path / "template.sqlite"
    claims = _project_at_0003(template)
    documents = rows(template, "SELECT id, text FROM documents ORDER BY id")
    head = head_revision()
    seen: set[str] = set()
    midway = 0
    for round_ in range(ROUNDS):
        project = tmp_path / f"old-{round_}.annotator.sqlite"
        shutil.copy(template, project)
        # The upgrade takes about a tenth of a second once the writer is ready.
        run = kill_at_random("migration", project, tmp_path, rng,
                             delay=rng.uniform(0.0, 0.4))
        midway += run.in_flight is not None
        assert integrity(project) == "ok"
        (revision,) = rows(project, "SELECT version_num FROM alembic_version")
        assert revision[0] in ("0003", head)
        if run.acknowledged:
            assert revision[0] == head
        seen.add(revision[0])
        assert rows(project, "SELECT * FROM claims ORDER BY id") == claims
        assert rows(project, "SELECT id, text FROM documents ORDER BY id") == documents
        ProjectService.open(project).close()    # the next open finishes the upgrade
        assert rows(project, "SELECT version_num FROM alembic_version") == [(head,)]
        assert rows(project, "SELECT * FROM claims ORDER BY id") == claims
        project.unlink()
    report("upgrade 0003→head", midway, f"revisions after the kills: {sorted(seen)}")

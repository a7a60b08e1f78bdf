"""Upgrading a project made by the first schema (0001) keeps every claim, and a
new project starts with the default codebook as version 1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from annotator.domain.codebook import default_codebook
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.storage.database import _migrations_config, head_revision


def _project_at_0001(path: Path) -> None:
    """A project file as the first release wrote it, with one labelled claim."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(_migrations_config(connection), "0001")
    engine.dispose()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("INSERT INTO documents VALUES ('d1', 'abc', 'A memo', '', '', '{}', "
                    "'Hello 👇 world', 13, '2025-01-02 03:04:05.000006')")
        raw.execute(
            "INSERT INTO claims (id, document_id, start, \"end\", quote, prefix, suffix, "
            "proposition, stance, source_reliability, info_credibility, note, tags, "
            "annotator, created_at, updated_at) VALUES ('c1', 'd1', 6, 7, '👇', 'Hello ', "
            "' world', 'P', 'refutes', 'B', 2, 'n', '[\"t\"]', 'alice', "
            "'2025-01-02 03:04:05.000006', '2025-01-03 03:04:05.000007')")
    raw.close()


def test_upgrading_a_0001_project_keeps_its_claims(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _project_at_0001(path)
    service = ProjectService.open(path)      # migrates to head on open
    try:
        (claim,) = service.claims("d1")
        assert (claim.quote, claim.stance, claim.source_reliability, claim.info_credibility,
                claim.note, claim.tags, claim.annotator) == ("👇", "refutes", "B", 2, "n",
                                                             ("t",), "alice")
        assert claim.codebook_version == 1 and claim.claim_type is None
        assert claim.created_at.isoformat() == "2025-01-02T03:04:05.000006+00:00"
        assert [d.status for d in service.documents()] == ["new"]
    finally:
        service.close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
            head_revision()
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The stance CHECK of 0001 is gone (stance keys now come from the codebook);
        # the reliability CHECK stays.
        raw.execute("UPDATE claims SET stance = 'agree'")
        try:
            raw.execute("UPDATE claims SET source_reliability = 'Z'")
            raise AssertionError("source_reliability 'Z' was accepted")
        except sqlite3.IntegrityError:
            pass
    finally:
        raw.close()


def test_a_new_project_starts_with_the_default_codebook(tmp_path: Path) -> None:
    service = ProjectService.open(tmp_path / "new.sqlite", create=True)
    try:
        codebook = CodebookService(service.database).codebook()
        assert codebook == default_codebook()
        assert [v for v, _at, _change in CodebookService(service.database).versions()] == [1]
    finally:
        service.close()

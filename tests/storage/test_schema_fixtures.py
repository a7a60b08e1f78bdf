"""Every schema ever released upgrades to head with its data intact.

``fixtures/schema_NNNN.sqlite`` are projects as each revision wrote them (made
once by ``make_schema_fixtures.py``, never remade). Each is copied, opened by the
app (which migrates it) and read back through today's services. Downgrades go
back intact when the older schema can hold everything, and refuse otherwise.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.search import SearchFilters, SearchService
from annotator.storage.database import (
    _migrations_config,
    downgrade_database,
    head_revision,
    open_database,
)
from annotator.storage.errors import DowngradeRefusedError, ProjectTooNewError

FIXTURES = Path(__file__).with_name("fixtures")
Rows = dict[str, list[dict[str, Any]]]


def _fixture_revisions() -> list[str]:
    return sorted(p.stem.removeprefix("schema_") for p in FIXTURES.glob("schema_*.sqlite"))


def _script_revisions() -> list[str]:
    """Every revision the app knows, oldest first."""
    script = ScriptDirectory.from_config(_migrations_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _read(path: Path) -> tuple[str, Rows]:
    """The revision and every row of every table, read without touching the file."""
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    raw.row_factory = sqlite3.Row
    try:
        (revision,) = [r[0] for r in raw.execute("SELECT version_num FROM alembic_version")]
        # The search index (0005: FTS5 tables named search_*) is derived from the
        # other tables, and checked in tests/services/test_search.py.
        tables = [r[0] for r in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT IN ('alembic_version', 'sqlite_sequence') "
            "AND name NOT LIKE 'search~_%' ESCAPE '~' ORDER BY name")]
        rows = {t: [dict(r) for r in raw.execute(f'SELECT * FROM "{t}" ORDER BY rowid')]
                for t in tables}
    finally:
        raw.close()
    return revision, rows


def _key(table: str, row: dict[str, Any]) -> Any:
    if table == "codebook_labels":
        return row["dimension"], row["key"]
    if table == "assignments":
        return row["document_id"], row["analyst"]
    return row.get("id", row.get("version", row.get("key")))


def _stamp(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _copy(revision: str, tmp_path: Path) -> Path:
    path = tmp_path / f"schema_{revision}.sqlite"
    shutil.copyfile(FIXTURES / f"schema_{revision}.sqlite", path)
    return path


def test_every_revision_has_a_frozen_fixture() -> None:
    """A new migration needs its fixture (run make_schema_fixtures.py)."""
    assert _fixture_revisions() == sorted(_script_revisions())
    assert head_revision() in _fixture_revisions()


def test_the_fixtures_hold_what_they_claim() -> None:
    for revision in _fixture_revisions():
        found, rows = _read(FIXTURES / f"schema_{revision}.sqlite")
        assert found == revision
        texts = "".join(row["text"] for row in rows["documents"])
        for sample in ("東京", "👩\u200d👩\u200d👧\u200d👦", "🇺🇦", "Ёлка", "\u0301", "مرحبا"):
            assert sample in texts
        assert len(rows["claims"]) >= 7
        assert (FIXTURES / f"schema_{revision}.sqlite").stat().st_size < 128_000


@pytest.mark.parametrize("revision", _fixture_revisions())
def test_a_fixture_upgrades_to_head_with_its_data_intact(tmp_path: Path, revision: str) -> None:
    path = _copy(revision, tmp_path)
    found, before = _read(path)
    assert found == revision
    service = ProjectService.open(path)              # migrates to head
    try:
        _check_documents_and_claims(service, before)
        if "codebook_labels" in before:
            _check_codebook_and_sources(service, before)
        else:                                         # 0001: the default codebook, v1
            assert CodebookService(service.database).codebook().version == 1
        if "adjudications" in before:
            _check_review(service, before)
        _check_searchable(service, before)
    finally:
        service.close()
    head, after = _read(path)
    assert head == head_revision()
    _check_every_old_value_kept(before, after)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()


def _check_every_old_value_kept(before: Rows, after: Rows) -> None:
    """Storage level: every row of every table, every column the old schema had."""
    for table, rows in before.items():
        assert table in after, f"table {table} is gone"
        new = {_key(table, row): row for row in after[table]}
        assert len(new) == len(after[table]) >= len(rows)
        for row in rows:
            kept = new[_key(table, row)]
            assert {name: kept[name] for name in row} == row, table


def _check_documents_and_claims(service: ProjectService, before: Rows) -> None:
    infos = {info.id: info for info in service.documents()}
    assert set(infos) == {row["id"] for row in before["documents"]}
    sources = {row["id"]: row["name"] for row in before.get("sources", [])}
    for row in before["documents"]:
        document = service.document(row["id"])
        text = document.text
        assert text == row["text"] and len(text) == row["length"]
        assert (document.title, document.source, document.published, document.sha256) == \
            (row["title"], row["source"], row["published"], row["sha256"])
        assert document.metadata == json.loads(row["metadata"])
        assert document.created_at == _stamp(row["created_at"])
        assert document.origin == row.get("origin", "")
        assert document.previous_id == row.get("previous_id")
        info = infos[row["id"]]
        assert info.status == row.get("status", "new")
        assert info.review_status == row.get("review_status", "unreviewed")
        stored = sorted((c for c in before["claims"] if c["document_id"] == row["id"]),
                        key=lambda c: (c["start"], c["end"], c["id"]))
        assert info.claim_count == len(stored)
        for claims in (service.claims(row["id"]), service.claims(row["id"], text)):
            assert [c.id for c in claims] == [c["id"] for c in stored]
            for claim, old in zip(claims, stored, strict=True):
                assert text[claim.start:claim.end] == claim.quote == old["quote"]
                assert (claim.start, claim.end, claim.prefix, claim.suffix) == \
                    (old["start"], old["end"], old["prefix"], old["suffix"])
                assert (claim.proposition, claim.stance, claim.source_reliability,
                        claim.info_credibility, claim.note, claim.annotator) == \
                    (old["proposition"], old["stance"], old["source_reliability"],
                     old["info_credibility"], old["note"], old["annotator"])
                assert claim.tags == tuple(json.loads(old["tags"]))
                assert claim.created_at == _stamp(old["created_at"])
                assert claim.updated_at == _stamp(old["updated_at"])
                assert (claim.claim_type, claim.source_id, claim.likelihood, claim.confidence,
                        claim.codebook_version) == \
                    (old.get("claim_type"), old.get("source_id"), old.get("likelihood"),
                     old.get("confidence"), old.get("codebook_version", 1))
                assert claim.source_name == sources.get(claim.source_id or "", "")
                assert service.claim(claim.id) == claim


def _check_searchable(service: ProjectService, before: Rows) -> None:
    """The search index (0005) holds what was there before the upgrade: every
    claim's quote, searched as a phrase, finds the claim where it is."""
    search = SearchService(service.database)
    assert search.has_index()
    for old in before["claims"]:
        found = {(r.claim_id, r.field, r.start, r.end)
                 for r in search.search('"' + old["quote"] + '"')}
        assert (old["id"], "quote", old["start"], old["end"]) in found, old["quote"]
    gold = SearchFilters(layer="gold")
    for old in before.get("gold_claims", []):       # 0008: the gold layer is indexed too
        found = {(r.claim_id, r.kind, r.field, r.start, r.end)
                 for r in [*search.search('"' + old["quote"] + '"', gold),
                           *search.search(old["note"], gold)]}
        assert {(old["id"], "gold", "quote", old["start"], old["end"]),
                (old["id"], "gold", "note", old["start"], old["end"])} <= found
    for row in before.get("sources", []):
        assert {r.field for r in search.search(row["name"])} >= \
            ({"source"} if any(c.get("source_id") == row["id"] for c in before["claims"])
             else set())


def _check_codebook_and_sources(service: ProjectService, before: Rows) -> None:
    codebook = CodebookService(service.database).codebook()
    assert codebook.version == max(row["version"] for row in before["codebook_versions"])
    labels = {(label.dimension.value, label.key): label for label in codebook.labels}
    assert set(labels) == {(row["dimension"], row["key"]) for row in before["codebook_labels"]}
    for row in before["codebook_labels"]:
        label = labels[(row["dimension"], row["key"])]
        assert (label.name, label.description, label.colour, label.shortcut,
                label.retired, label.judgeable) == \
            (row["name"], row["description"], row["colour"], row["shortcut"],
             bool(row["retired"]), bool(row["judgeable"]))
    assert [(p.id, p.text, p.description, p.retired) for p in codebook.propositions] == \
        [(r["id"], r["text"], r["description"], bool(r["retired"]))
         for r in sorted(before["propositions"], key=lambda r: r["position"])]
    settings = {row["key"]: json.loads(row["value"]) for row in before["project_settings"]}
    assert list(codebook.tags) == settings["codebook_tags"]["tags"]
    rule = settings["codebook_requirements"]
    assert (list(codebook.requirements.required),
            list(codebook.requirements.exempt_types)) == \
        (rule["required"], rule["exempt_claim_types"])
    for row in before["sources"]:
        source = service.source(row["id"])
        assert (source.name, source.kind, source.reliability, source.note, source.created_at) \
            == (row["name"], row["kind"], row["reliability"], row["note"],
                _stamp(row["created_at"]))


def _check_review(service: ProjectService, before: Rows) -> None:
    review = ReviewService(service)
    texts = {row["id"]: row["text"] for row in before["documents"]}
    gold = {row["adjudication_id"]: row for row in before["gold_claims"]}
    for row in before["adjudications"]:
        adjudication = review.adjudication(row["id"])
        assert (adjudication.document_id, adjudication.decision.value,
                list(adjudication.considered), adjudication.span_from,
                adjudication.labels_from, adjudication.adjudicator,
                adjudication.created_at) == \
            (row["document_id"], row["decision"], json.loads(row["considered"]),
             row["span_from"], row["labels_from"], row["adjudicator"],
             _stamp(row["created_at"]))
        if row["id"] in gold:
            old, claim = gold[row["id"]], adjudication.gold
            assert claim is not None
            assert texts[claim.document_id][claim.start:claim.end] == claim.quote == old["quote"]
            assert (claim.id, claim.stance, claim.claim_type, claim.likelihood, claim.note,
                    claim.tags) == (old["id"], old["stance"], old["claim_type"],
                                    old["likelihood"], old["note"],
                                    tuple(json.loads(old["tags"])))
        else:
            assert adjudication.gold is None
    for row in before["gold_claims"]:
        assert row["id"] in {c.id for c in review.gold_claims(row["document_id"])}
    for row in before["review_comments"]:
        (comment,) = [c for c in review.comments(row["claim_id"]) if c.id == row["id"]]
        assert (comment.author, comment.body, comment.created_at) == \
            (row["author"], row["body"], _stamp(row["created_at"]))
    for row in before["claim_history"]:
        (entry,) = review.history(row["claim_id"])
        assert entry.record == json.loads(row["record"])
        assert (entry.updated_at, entry.recorded_at) == \
            (_stamp(row["updated_at"]), _stamp(row["recorded_at"]))
    for row in before["documents"]:
        assert review.review_status(row["id"]).value == row["review_status"]


# Downgrades -------------------------------------------------------------------------------


@pytest.mark.parametrize("revision", _fixture_revisions())
def test_down_to_the_fixtures_revision_and_up_again_keeps_everything(
        tmp_path: Path, revision: str) -> None:
    """A project holding only what an older schema can hold goes back to it intact
    (head -> that revision), and comes up to head intact again."""
    path = _copy(revision, tmp_path)
    _, before = _read(path)
    open_database(path).close()                       # to head
    if revision != head_revision():
        downgrade_database(path, revision)
    found, down = _read(path)
    assert found == revision
    assert down == before                            # the same tables, rows and values
    open_database(path).close()                      # up again
    head, after = _read(path)
    assert head == head_revision()
    _check_every_old_value_kept(before, after)


#: The newest revision whose downgrade drops data (0005 and 0008 drop only the search index,
#: 0006 only the save counters).
LAST_LOSSY = "0007"


@pytest.mark.parametrize(
    "target", [*_script_revisions()[:_script_revisions().index(LAST_LOSSY)], "base"])
def test_a_downgrade_that_would_lose_data_is_refused_and_changes_nothing(
        tmp_path: Path, target: str) -> None:
    path = _copy(head_revision(), tmp_path)
    open_database(path).close()
    _, before = _read(path)
    bytes_before = path.read_bytes()
    with pytest.raises(DowngradeRefusedError) as caught:
        downgrade_database(path, target)
    message = str(caught.value)
    assert message.startswith(f"{path}: cannot downgrade below schema {LAST_LOSSY}")
    assert "claim links" in message and "nothing was changed" in message
    assert _read(path) == (head_revision(), before)
    assert path.read_bytes() == bytes_before


def test_each_downgrade_step_names_what_it_would_lose(tmp_path: Path) -> None:
    """Emptied of what a step would drop, the downgrade passes that step and the
    next one refuses, naming its own losses."""
    path = _copy(head_revision(), tmp_path)
    open_database(path).close()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DELETE FROM claim_links")
    raw.close()
    with pytest.raises(DowngradeRefusedError, match=r"below schema 0007: it would lose "
                       r"2 document assignments, 1 dismissed candidates"):
        downgrade_database(path, "0006")
    raw = sqlite3.connect(path)
    with raw:
        for table in ("assignments", "candidate_dismissals"):
            raw.execute(f"DELETE FROM {table}")
        for table in ("gold_claims", "adjudications", "review_comments", "claim_history"):
            raw.execute(f"DELETE FROM {table}")
        raw.execute("UPDATE documents SET review_status = 'unreviewed'")
    raw.close()
    with pytest.raises(DowngradeRefusedError, match=r"below schema 0003: it would lose "
                       r"4 document origins, 1 links between document versions"):
        downgrade_database(path, "0002")
    downgrade_database(path, "0003")                  # loses nothing
    assert _read(path)[0] == "0003"
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DELETE FROM claims WHERE document_id = 'doc-ru-v2'")
        raw.execute("DELETE FROM documents WHERE previous_id IS NOT NULL")
        raw.execute("UPDATE documents SET origin = ''")
    raw.close()
    with pytest.raises(DowngradeRefusedError, match=r"below schema 0002: it would lose "
                       r"1 codebook changes, 2 sources, 2 propositions"):
        downgrade_database(path, "0001")
    assert _read(path)[0] == "0003"


def test_a_project_newer_than_the_app_is_refused_without_writing(tmp_path: Path) -> None:
    path = _copy(head_revision(), tmp_path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_future'")
    raw.close()
    bytes_before = path.read_bytes()
    with pytest.raises(ProjectTooNewError, match=r"9999_future.*update Annotator"):
        ProjectService.open(path)
    assert path.read_bytes() == bytes_before
    assert not Path(f"{path}-wal").exists()

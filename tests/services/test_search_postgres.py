"""Search on a team server: migration 0005's GIN indexes on a real PostgreSQL.

Runs where the ``postgres`` extra (psycopg) is installed and a server accepts
``postgres`` without a password on 127.0.0.1:5432 (else skipped); each test
makes its own database and drops it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from annotator.domain.model import Claim, Document, Source
from annotator.services.project import ProjectService
from annotator.services.search import SearchFilters, SearchService

psycopg = pytest.importorskip("psycopg")
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
TEXT = ("Prices rose by 12 % in March, the minister said. Inflation-linked bonds. "
        "東京都知事は述べた。 Цены растут.")


@pytest.fixture
def url() -> Iterator[str]:
    name = f"annotator_search_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sql(f'CREATE DATABASE "{name}"'))
    except Exception as error:              # no server here: skip
        admin.dispose()
        pytest.skip(f"no PostgreSQL server: {error}")
    try:
        yield f"{SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_search_on_a_team_server_uses_the_gin_indexes(url: str) -> None:
    service = ProjectService.open(url, create=True)
    try:
        document = Document.from_text(TEXT, title="Inflation interview")
        service.add_document(document)
        source = service.add_source(Source.new("Ministry of Finance"))
        claim = service.add_claim(Claim.new(document, 0, 19, annotator="alice",
                                            note="check Rosstat", source_id=source.id))
        search = SearchService(service.database)
        assert search.has_index()
        (hit,) = search.search("MINISTER")
        assert TEXT[hit.start:hit.end] == "minister" and hit.field == "text"
        assert TEXT[slice(*next((r.start, r.end) for r in search.search("知事")))] == "知事"
        assert [(r.field, r.claim_id) for r in search.search("rosstat")] == [("note", claim.id)]
        assert [(r.field, r.claim_id) for r in search.search("finance")] == \
            [("source", claim.id)]
        assert [r.claim_id for r in search.search("prices", SearchFilters(
            analysts=("alice",)))] == [claim.id]
        for hostile in ('"AND (', "%", "_", "'; DROP TABLE claims; --", "\\", "a:*|!b"):
            search.search(hostile)
        assert len(service.claims(document.id)) == 1
        with service.database.reading() as session:
            session.execute(sql("SET LOCAL enable_seqscan = off"))
            plan = " ".join(row[0] for row in session.execute(sql(
                "EXPLAIN SELECT d.id FROM documents d WHERE to_tsvector('simple', "
                "coalesce(d.title, '') || ' ' || coalesce(d.source, '') || ' ' "
                "|| coalesce(d.text, '')) @@ to_tsquery('simple', 'minister:*')")))
        assert "ix_documents_search" in plan
    finally:
        service.close()

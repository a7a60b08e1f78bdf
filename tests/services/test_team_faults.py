"""A team server that goes away mid-session (stopped, restarted, the network
gone, the connection ended): a save tried meanwhile fails with a clear reason
(never a "bug" error) and is not stored; the next one after the server is back
works; nothing saved before is lost. On the real PostgreSQL test server, through
``pg_terminate_backend`` and a TCP proxy the test stops and starts again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.storage.errors import DatabaseBugError, ServerUnreachableError
from tests.postgres import Server
from tests.tcp_proxy import TcpProxy, stored_claim_ids, terminate_app_connections

TEXT = "The minister said prices rose by 12 percent last year, and wages fell."


@pytest.fixture
def team_url(postgres: Server) -> Iterator[str]:
    postgres.require()
    name, url = postgres.create_schema()
    try:
        yield url
    finally:
        postgres.drop_schema(name)


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    running = TcpProxy.to_test_server().start()
    try:
        yield running
    finally:
        running.stop()


def _claims(service: ProjectService, count: int, start_at: int = 0) -> list[Claim]:
    document = service.documents()[0] if service.documents() else None
    if document is None:
        added = service.add_document(Document.from_text(TEXT, title="Prices")).document
    else:
        added = service.document(document.id)
    words = [(i, i + len(w)) for i, w in _words(TEXT)][start_at:start_at + count]
    return [Claim.new(added, s, e, annotator="ann") for s, e in words]


def _words(value: str) -> list[tuple[int, str]]:
    found, at = [], 0
    for word in value.split():
        at = value.index(word, at)
        found.append((at, word))
        at += len(word)
    return found


def test_the_app_names_its_connections(team_url: str) -> None:
    service = ProjectService.open(team_url, create=True)
    try:
        with service.database.reading() as session:
            name = session.execute(text("SELECT current_setting('application_name')")).scalar()
        assert name == "annotator"
    finally:
        service.close()


def test_ended_connections_are_renewed_and_nothing_saved_is_lost(team_url: str) -> None:
    service = ProjectService.open(team_url, create=True)
    try:
        saved = [service.add_claim(c) for c in _claims(service, 3)]
        assert terminate_app_connections(team_url) >= 1
        # The pool's connections are dead: the next edit gets a new one and works.
        later = service.add_claim(_claims(service, 1, start_at=5)[0])
        edited = service.update_claim(saved[0].edited(note="after the drop"))
        assert edited.version == 2
        assert stored_claim_ids(team_url) == {c.id for c in [*saved, later]}

        # Ended in the middle of a transaction: that change fails, clearly, and
        # is not stored; the next one works.
        lost = _claims(service, 1, start_at=7)[0]
        with pytest.raises(ServerUnreachableError, match="cannot be reached"), \
                service.database.writing() as session:
            session.execute(text("SELECT 1"))
            assert terminate_app_connections(team_url) >= 1
            session.execute(text("UPDATE claims SET note = 'lost' WHERE id = :id"),
                            {"id": saved[1].id})
        assert service.claim(saved[1].id).note != "lost"
        again = service.add_claim(lost)
        assert stored_claim_ids(team_url) == {c.id for c in [*saved, later, again]}
    finally:
        service.close()


def test_a_save_while_the_server_is_gone_fails_clearly_and_works_once_it_is_back(
        team_url: str, proxy: TcpProxy) -> None:
    ProjectService.open(team_url, create=True).close()       # the schema, made directly
    location = proxy.url(team_url)
    service = ProjectService.open(location)
    try:
        acknowledged = [service.add_claim(c) for c in _claims(service, 3)]
        document_id = acknowledged[0].document_id
        refused, after = _claims(service, 2, start_at=4)
        proxy.stop()                                     # the server is gone

        with pytest.raises(ServerUnreachableError) as raised:
            service.add_claim(refused)
        assert not isinstance(raised.value, DatabaseBugError)
        assert "cannot be reached" in str(raised.value)
        assert "what was saved before is safe" in str(raised.value)
        with pytest.raises(ServerUnreachableError):     # a read says so too
            service.claims(document_id)

        proxy.start()                                    # back, on the same port
        later = service.add_claim(after)
        assert {c.id for c in service.claims(document_id)} == \
            {c.id for c in [*acknowledged, later]}
        # Checked on the server itself: every acknowledged claim, not the refused one.
        assert stored_claim_ids(team_url) == {c.id for c in [*acknowledged, later]}
    finally:
        service.close()

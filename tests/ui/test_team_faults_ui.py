"""The window on a team server that goes away and comes back (the real
PostgreSQL test server, through ``pg_terminate_backend`` and a TCP proxy the test
stops and starts): a claim marked meanwhile is shown NOT SAVED with the reason,
the status bar says the server is unreachable and then that it is back, the next
claim is saved, and every claim saved before is on the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotator.domain.model import Document
from annotator.services.project import ProjectService
from annotator.ui import plain
from annotator.ui.connection_status import RECONNECTED, UNREACHABLE
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from tests.postgres import Server
from tests.tcp_proxy import TcpProxy, stored_claim_ids, terminate_app_connections
from tests.ui.conftest import mark_quote, open_document_containing

TEXT = "The minister said prices rose by 12 percent last year, and wages fell."
OTHER = "A second report: exports grew while imports shrank."


@pytest.fixture
def team_url(postgres: Server) -> Iterator[str]:
    postgres.require()
    name, url = postgres.create_schema()
    service = ProjectService.open(url, create=True)
    try:
        service.add_document(Document.from_text(TEXT, title="Prices"))
        service.add_document(Document.from_text(OTHER, title="Trade"))
    finally:
        service.close()
    try:
        yield url
    finally:
        postgres.drop_schema(name)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window told the analyst in message boxes."""
    messages: list[str] = []
    for name in ("fail", "warn"):
        monkeypatch.setattr(plain, name, lambda _parent, _title, text: messages.append(text))
    return messages


def _window(qtbot, location: str, settings: UiSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_service(ProjectService.open(location))
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_stopped_server_is_shown_and_retried_and_nothing_saved_is_lost(
        qtbot, team_url: str, ui_settings: UiSettings, told: list[str]) -> None:  # type: ignore[no-untyped-def]
    proxy = TcpProxy.to_test_server().start()
    window = _window(qtbot, proxy.url(team_url), ui_settings)
    try:
        assert window.live.listening
        text = open_document_containing(window, "prices rose")
        saved = [mark_quote(window, text, q) for q in ("minister", "prices rose")]
        assert window.saved_label.text().startswith("Saved")
        steps = window.undo_stack.count()

        proxy.stop()                                   # the server is gone
        start = text.index("wages fell")
        window.view.select_span(start, start + len("wages fell"))
        window.mark_claim()
        assert window.saved_label.text() == "NOT SAVED"
        assert len(told) == 1 and told[0].startswith("Not saved:")
        assert "team server cannot be reached" in told[0]
        assert window.live.status.text == UNREACHABLE
        assert window.undo_stack.count() == steps     # no step for what was not saved
        assert sorted(c.id for c in window.claims.claims()) == sorted(saved)
        window.live.poll()                             # a try: still out of reach
        assert window.live.status.text == UNREACHABLE
        # Opening another document while the server is gone: a message, not a crash.
        told.clear()
        window.document_panel.select(_document_id(window, "Trade"))
        assert told and "cannot be reached" in told[0]
        assert window.current_document.title == "Prices"      # type: ignore[union-attr]
        assert window.documents.info(window.document_proxy.mapToSource(
            window.document_list.currentIndex()).row()).title == "Prices"

        proxy.start()                                  # back, on the same port
        qtbot.waitUntil(lambda: window.live.status.text == RECONNECTED, timeout=20000)
        qtbot.waitUntil(lambda: window.live.listening, timeout=5000)
        window.show_document(_document_id(window, "Prices"))
        later = mark_quote(window, text, "12 percent")
        assert window.saved_label.text().startswith("Saved")
        assert stored_claim_ids(team_url) == {*saved, later}
    finally:
        window.close()
        proxy.stop()


def _document_id(window: MainWindow, title: str) -> str:
    for row in range(window.documents.rowCount()):
        info = window.documents.info(row)
        if info.title == title:
            return info.id
    raise AssertionError(title)


def test_ended_connections_do_not_stop_the_next_claim(
        qtbot, team_url: str, ui_settings: UiSettings, told: list[str]) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, team_url, ui_settings)
    try:
        text = open_document_containing(window, "prices rose")
        saved = [mark_quote(window, text, q) for q in ("minister", "prices rose")]
        assert terminate_app_connections(team_url) >= 2     # the window's and its listener's
        later = mark_quote(window, text, "wages fell")
        assert told == [] and window.saved_label.text().startswith("Saved")
        window.live.poll()
        assert window.live.status.text == ""
        assert stored_claim_ids(team_url) == {*saved, later}
    finally:
        window.close()


def test_one_message_box_an_outage_the_rest_in_the_status_bar(
        qtbot, team_url: str, ui_settings: UiSettings, told: list[str]) -> None:  # type: ignore[no-untyped-def]
    """While the status bar says the server is unreachable, a second and third
    failed save do not open boxes of their own: each is NOT SAVED with the reason
    in the status bar. After the server is back, the next outage's first failure
    opens a box again."""
    proxy = TcpProxy.to_test_server().start()
    window = _window(qtbot, proxy.url(team_url), ui_settings)
    try:
        text = open_document_containing(window, "prices rose")
        saved = mark_quote(window, text, "minister")
        steps = window.undo_stack.count()
        proxy.stop()

        def mark(quote: str) -> None:
            start = text.index(quote)
            window.view.select_span(start, start + len(quote))
            assert window.mark_claim() is None
            assert window.saved_label.text() == "NOT SAVED"

        mark("prices rose")
        assert len(told) == 1 and "team server cannot be reached" in told[0]
        assert window.live.status.text == UNREACHABLE
        mark("wages fell")
        window.select_claim(saved)
        window.edit_current_claim("note", "checked")     # an edit of a saved claim
        assert window.saved_label.text() == "NOT SAVED"
        assert len(told) == 1                                  # no more boxes
        message = window.statusBar().currentMessage()
        assert message.startswith("NOT SAVED: 3 changes not saved")
        assert "team server cannot be reached" in message
        assert window.undo_stack.count() == steps           # nothing pretended saved
        assert stored_claim_ids(team_url) == {saved}

        proxy.start()
        qtbot.waitUntil(lambda: window.live.status.text == RECONNECTED, timeout=20000)
        later = mark_quote(window, text, "12 percent")
        assert window.saved_label.text().startswith("Saved")
        proxy.stop()                                           # a second outage
        mark("wages fell")
        assert len(told) == 2 and "team server cannot be reached" in told[1]
        assert stored_claim_ids(team_url) == {saved, later}
    finally:
        window.close()
        proxy.stop()

"""A claim edited in the offline copy while a sync runs (the window keeps
saving): the version the sync read goes to the server, the newer edit stays
here and goes at the next sync, as the analyst's own change, not a conflict
with herself."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.services import sync_merge
from annotator.services.project import ProjectService
from annotator.services.sync import sync, take_offline
from tests.services.sync_scenario import build_full_project


def test_an_edit_made_here_during_a_sync_goes_at_the_next_one(
        project_location: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    claim_id = work.alice["NASDAQ"].id
    here = ProjectService.open(copy)
    try:
        here.update_claim(here.claim(claim_id).edited(note="first, offline"))
    finally:
        here.close()
    send = sync_merge._write_server

    def send_then_edit_here(*args, **kwargs):  # type: ignore[no-untyped-def]
        send(*args, **kwargs)               # the server has "first, offline" now
        window = ProjectService.open(copy)  # meanwhile, the analyst's window saves
        try:
            window.update_claim(window.claim(claim_id).edited(note="second, meanwhile"))
        finally:
            window.close()

    monkeypatch.setattr(sync_merge, "_write_server", send_then_edit_here)
    first = sync(copy)
    assert first.pushed["claims changed"] == 1
    assert any("during the sync" in problem for problem in first.problems)
    monkeypatch.undo()

    second = sync(copy)
    assert not second.conflicts, second.as_json()
    assert second.pushed["claims changed"] == 1
    for location in (copy, project_location):
        service = ProjectService.open(location)
        try:
            assert service.claim(claim_id).note == "second, meanwhile"
        finally:
            service.close()
    assert sync(copy).clean

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


@pytest.mark.parametrize("renamed_on", ["server", "here"])
def test_a_label_renamed_on_one_side_and_a_claim_edited_here_is_no_conflict(
        project_location: str | Path, tmp_path: Path, renamed_on: str) -> None:
    """The codebook merge relabels the claims of the side that did not rename: a
    claim edited here (its note) that carries the renamed label is the edit only."""
    from tests.services.test_sync import _relabel

    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    _relabel(project_location if renamed_on == "server" else copy, "supports → backs",
             rename=("supports", "backs"))
    claim_id = work.alice["NASDAQ"].id
    here = ProjectService.open(copy)
    try:
        here.update_claim(here.claim(claim_id).edited(note="edited offline"))
    finally:
        here.close()
    report = sync(copy)
    assert not report.conflicts and report.clean, report.as_json()
    assert report.pushed["claims changed"] == 1
    for location in (copy, project_location):
        service = ProjectService.open(location)
        try:
            claim = service.claim(claim_id)
            assert (claim.note, claim.stance) == ("edited offline", "backs")
        finally:
            service.close()
    assert sync(copy).changed_nothing


def test_a_renamed_label_hides_no_real_change_on_the_server(
        project_location: str | Path, tmp_path: Path) -> None:
    """Renamed on the server and the claim's stance changed there too: the edit
    here and the server's change still conflict."""
    from tests.services.test_sync import _relabel

    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    _relabel(project_location, "supports → backs", rename=("supports", "backs"))
    claim_id = work.alice["NASDAQ"].id
    there = ProjectService.open(project_location)
    try:
        there.update_claim(there.claim(claim_id).edited(stance="refutes"))
    finally:
        there.close()
    here = ProjectService.open(copy)
    try:
        here.update_claim(here.claim(claim_id).edited(note="edited offline"))
    finally:
        here.close()
    report = sync(copy)
    assert [c.key for c in report.conflicts] == [claim_id]
    here = ProjectService.open(copy)
    try:
        assert here.claim(claim_id).note == "edited offline"
    finally:
        here.close()


def test_a_label_renamed_and_a_claim_edited_on_the_server_is_taken(
        project_location: str | Path, tmp_path: Path) -> None:
    """Renamed on the server and a colleague's claim with that label edited there,
    the copy's claim unchanged: it is taken, no conflict."""
    from tests.services.test_sync import _relabel

    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    _relabel(project_location, "supports → backs", rename=("supports", "backs"))
    claim_id = work.bob["NASDAQ"].id
    there = ProjectService.open(project_location)
    try:
        there.update_claim(there.claim(claim_id).edited(note="bob, on the server"))
    finally:
        there.close()
    report = sync(copy)
    assert not report.conflicts and report.clean, report.as_json()
    here = ProjectService.open(copy)
    try:
        claim = here.claim(claim_id)
        assert (claim.note, claim.stance) == ("bob, on the server", "backs")
    finally:
        here.close()
    assert sync(copy).changed_nothing

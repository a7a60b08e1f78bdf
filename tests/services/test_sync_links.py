"""The same two claims linked in the offline copy and on the server while apart
(either way round, under different ids): one link after the sync, the server's,
on both sides (between two claims there is at most one link); a relation that
differs is said."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.services import links
from annotator.services.project import ProjectService
from annotator.services.sync import sync, take_offline
from tests.services.sync_scenario import build_full_project


@pytest.mark.parametrize("way", ["same way", "other way"])
def test_two_claims_linked_on_both_sides_are_linked_once(
        project_location: str | Path, tmp_path: Path, way: str) -> None:
    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    a, b = work.alice["H800"].id, work.bob["H800"].id
    here, there = ProjectService.open(copy), ProjectService.open(project_location)
    try:
        links.add_link(here, a, b, "refutes", analyst="alice")
        server_link = links.add_link(there, *((a, b) if way == "same way" else (b, a)),
                                     "same", analyst="bob")
    finally:
        here.close()
        there.close()
    report = sync(copy)
    assert not report.refused, report.as_json()
    assert any("refutes" in problem and "same" in problem for problem in report.problems)
    for location in (copy, project_location):
        service = ProjectService.open(location)
        try:
            between = [link for link in links.all_links(service)
                       if {link.claim_id, link.target_id} == {a, b}]
            assert between == [server_link]
        finally:
            service.close()
    again = sync(copy)
    assert again.changed_nothing and again.clean, again.as_json()


def test_a_passage_dismissed_on_both_sides_is_dismissed_once(
        project_location: str | Path, tmp_path: Path) -> None:
    from annotator.services import similar

    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    claim = work.alice["H800"]
    for location, analyst in ((copy, "alice"), (project_location, "bob")):
        service = ProjectService.open(location)
        try:
            assert similar.dismiss(service, claim.id, claim.document_id, 10, 20,
                                   analyst=analyst)
        finally:
            service.close()
    report = sync(copy)
    assert report.clean, report.as_json()
    for location in (copy, project_location):
        service = ProjectService.open(location)
        try:
            found = [d for d in similar.dismissals(service, claim.id)
                     if (d.start, d.end) == (10, 20)]
            assert [d.analyst for d in found] == ["bob"]
        finally:
            service.close()
    assert sync(copy).clean

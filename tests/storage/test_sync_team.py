"""An analyst's offline copy of a team project: syncing sends what her role may
change; what the server's row-level security refuses is listed, kept in the
copy and sent again at the next sync, never a crash (issue 11)."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.model import Claim
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.sync import offline_info, sync, take_offline
from tests.review.scenario import merics
from tests.storage.test_team import Team, team  # noqa: F401  (the fixture)


def test_an_analyst_syncs_her_own_work_and_sees_the_rest_refused(
        team: Team, tmp_path: Path) -> None:  # noqa: F811
    copy = tmp_path / "alice.annotator.sqlite"
    take_offline(team.url("alice"), copy)
    info = offline_info(copy)
    assert info is not None and "secret" not in info["server"]
    a, b = team.work.alice, team.work.bob
    here = ProjectService.open(copy)
    try:
        here.update_claim(here.claim(a["H800"].id).edited(note="alice, offline"))
        here.update_claim(here.claim(b["H800"].id).edited(note="alice on bob's claim"))
        document = merics(here)
        start = document.text.index("Monday")
        new = here.add_claim(Claim.new(document, start, start + 6, annotator="alice"))
        CodebookService(here.database).add_proposition("Only admins add this")
    finally:
        here.close()

    report = sync(copy, password="secret")
    assert report.pushed == {"claims changed": 1, "claims added": 1}
    refused = {(table, key) for table, key, _why in report.refused}
    assert refused == {("claims", b["H800"].id), ("codebook", "")}
    assert all("team server" in why for _t, _k, why in report.refused)
    server = ProjectService.open(team.url("dave"))
    try:
        assert server.claim(a["H800"].id).note == "alice, offline"
        assert server.claim(new.id).annotator == "alice"
        assert server.claim(b["H800"].id).note == b["H800"].note      # refused
    finally:
        server.close()
    here = ProjectService.open(copy)
    try:        # what was refused stays in the copy
        assert here.claim(b["H800"].id).note == "alice on bob's claim"
    finally:
        here.close()
    again = sync(copy, password="secret")
    assert again.changed_nothing
    assert {(t, k) for t, k, _ in again.refused} == refused

"""Claim links on a team server, through the service as each analyst: removing a
colleague's link is refused (row-level security deletes nothing), and the
analyst is told, rather than shown it gone while it stays on the server."""

from __future__ import annotations

import pytest

from annotator.services import exports, links, transfer
from annotator.services.export_scope import ExportScope
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectAccessError
from tests.postgres import url_of
from tests.storage.test_team import Team, team  # noqa: F401 (the fixture)


def test_removing_a_colleagues_link_is_refused_not_pretended(team: Team) -> None:  # noqa: F811
    a, b = team.work.alice, team.work.bob
    bob = ProjectService.open(team.url("bob"))
    alice = ProjectService.open(team.url("alice"))
    try:
        link = links.add_link(bob, a["NASDAQ"].id, b["NASDAQ"].id, "same", analyst="bob")
        assert links.link_between(alice, a["NASDAQ"].id, b["NASDAQ"].id) == link
        with pytest.raises(ProjectAccessError):
            links.remove_link(alice, link.id)
        assert links.link_between(bob, a["NASDAQ"].id, b["NASDAQ"].id) == link
        assert links.remove_link(bob, link.id) == link       # bob's own: removed
        assert links.link_between(bob, a["NASDAQ"].id, b["NASDAQ"].id) is None
    finally:
        alice.close()
        bob.close()


def test_an_analyst_importing_a_colleagues_links_keeps_the_import_and_is_told(
        team: Team, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """alice imports her claims' file, whose records carry her link and one bob
    made: hers is stored, bob's is left out and said so (the server would refuse
    it and, with it, the rest of the step)."""
    a, b = team.work.alice, team.work.bob
    owner = ProjectService.open(url_of(team.database))      # the owner
    try:
        mine = links.add_link(owner, a["NASDAQ"].id, a["CNY"].id, "supports", analyst="alice")
        theirs = links.add_link(owner, a["NASDAQ"].id, b["NASDAQ"].id, "same", analyst="bob")
        out = tmp_path / "alice.jsonl"
        exports.export(owner, "jsonl", out, ExportScope(annotators=("alice",)))
        for link in (mine, theirs):
            links.remove_link(owner, link.id)
    finally:
        owner.close()
    alice = ProjectService.open(team.url("alice"))
    try:
        report = transfer.import_annotations(alice, out)
        assert links.link_between(alice, a["NASDAQ"].id, a["CNY"].id) is not None
        assert links.link_between(alice, a["NASDAQ"].id, b["NASDAQ"].id) is None
        said = [str(p) for p in report.problems]
        assert any("made by bob" in line and "not imported" in line for line in said), said
    finally:
        alice.close()

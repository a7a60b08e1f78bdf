"""Claim links on a team server, through the service as each analyst: removing a
colleague's link is refused (row-level security deletes nothing), and the
analyst is told, rather than shown it gone while it stays on the server."""

from __future__ import annotations

import pytest

from annotator.services import links
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectAccessError
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

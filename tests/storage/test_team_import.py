"""Importing claims on a team server as an analyst (issue 11 with the batched
merge of :mod:`annotator.services.merging`): row-level security still decides.
Alice's import holding a claim of bob's, new or a newer edit of one stored, is
refused with a clear error and stores none of its claims (one transaction);
her own claims import."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from annotator.domain.model import Claim
from annotator.services.project import MergeResult, ProjectService
from annotator.storage.errors import ProjectAccessError
from tests.storage.test_team import Team, team  # noqa: F401 (the fixture)


def test_an_analyst_importing_a_colleagues_claims_is_refused_whole(team: Team) -> None:  # noqa: F811
    alice = ProjectService.open(team.url("alice"))
    try:
        document = team.work.document
        before = {c.id: c for c in alice.claims(document.id)}
        start = document.text.index("DeepSeek")
        mine = [Claim.new(document, start, start + n, annotator="alice", note=f"mine {n}")
                for n in range(3, 9)]
        theirs = Claim.new(document, start, start + 8, annotator="bob", note="bob's")
        with pytest.raises(ProjectAccessError, match="does not allow"):
            alice.merge_claims([*mine[:3], theirs, *mine[3:]])
        bob = team.work.bob["NASDAQ"]
        newer = dataclasses.replace(bob, note="alice's edit of bob's",
                                    updated_at=bob.updated_at + timedelta(hours=1))
        with pytest.raises(ProjectAccessError):
            alice.merge_claims([*mine, newer])
        assert {c.id: c for c in alice.claims(document.id)} == before
        # Her own claims (and bob's as stored: nothing to write) import.
        assert alice.merge_claims([*mine, bob]) == [MergeResult.ADDED] * len(mine) + [
            MergeResult.UNCHANGED]
        stored = {c.id: c for c in alice.claims(document.id)}
        assert {stored[c.id].note for c in mine} == {c.note for c in mine}
        assert stored[bob.id] == bob
    finally:
        alice.close()

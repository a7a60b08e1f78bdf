"""Blind double coding on a team server: the earlier versions of a colleague's
claim on a blind document stay hidden after the colleague deleted the claim
(while it exists they are hidden with it)."""

from __future__ import annotations

from annotator.services.assignments import AssignmentService
from annotator.services.project import ProjectService
from tests.storage.test_team import Team, cli, team  # noqa: F401 (the fixture)


def test_a_deleted_claims_history_on_a_blind_document_stays_hidden(
        team: Team) -> None:  # noqa: F811
    doc = team.work.document.id
    assert cli("team", "assign", "--project", team.url("dave"), "--analysts", "alice,bob",
               "--overlap", "1", "--documents", doc) == 0
    bob_claim = team.work.bob["H800"]
    bob = ProjectService.open(team.url("bob"))
    try:        # an older version of bob's claim arrives (kept in its history)
        older = bob.claim(bob_claim.id)
        bob.merge_claims([older.edited(note="bob's first thoughts")])
        bob.delete_claim(bob_claim.id, bob.claim(bob_claim.id).version)
    finally:
        bob.close()
    history = "SELECT count(*) FROM claim_history WHERE claim_id = %s"
    with team.sql("carol") as carol:
        assert carol.execute(history, (bob_claim.id,)).fetchone()[0] >= 1
    with team.sql("alice") as alice:
        assert alice.execute(history, (bob_claim.id,)).fetchone()[0] == 0
        assert alice.execute("SELECT count(*) FROM claim_history WHERE record->>'annotator'"
                             " = 'bob'").fetchone()[0] == 0
    with team.sql("bob") as sql:        # bob's own history he still reads
        assert sql.execute(history, (bob_claim.id,)).fetchone()[0] >= 1
    # Once both are done, alice reads it too.
    for analyst in ("alice", "bob"):
        service = ProjectService.open(team.url(analyst))
        try:
            AssignmentService(service).set_done(doc, analyst)
        finally:
            service.close()
    with team.sql("alice") as alice:
        assert alice.execute(history, (bob_claim.id,)).fetchone()[0] >= 1

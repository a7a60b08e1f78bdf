"""Blind double coding enforced by the PostgreSQL server (issue 11).

An admin assigns the MERICS briefing to alice and bob with ``annotator team
assign``; then, with plain SQL as each member, whatever they send: alice cannot
read bob's claims on it until both marked it done, cannot assign documents or
change anyone's assignment but her own status; the reviewer reads everything.
Claim links and dismissed candidates are each analyst's own to add and remove.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest

from annotator.services.assignments import AssignmentService
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectAccessError
from tests.postgres import connect, url_of
from tests.storage.test_team import Team, cli, rows, team  # noqa: F401 (the fixture)

_COUNT = "SELECT annotator, count(*) FROM claims WHERE document_id = %s GROUP BY 1 ORDER BY 1"


def _assign(team: Team) -> str:  # noqa: F811
    doc = team.work.document.id
    assert cli("team", "assign", "--project", team.url("dave"), "--analysts", "alice,bob",
               "--overlap", "1", "--documents", doc) == 0
    return doc


def test_an_analyst_cannot_read_a_colleagues_claims_on_a_blind_document(
        team: Team) -> None:  # noqa: F811
    doc = _assign(team)
    bob_claim = team.work.bob["H800"].id
    history = "SELECT count(*) FROM claim_history WHERE claim_id = %s"
    with connect(team.database) as owner:         # an earlier version of bob's claim
        owner.execute("INSERT INTO claim_history (claim_id, updated_at, record, recorded_at)"
                      " VALUES (%s, now(), '{\"note\": \"old\"}', now())", (bob_claim,))
        # What is said of bob's claim: a reviewer's comment, bob's link and dismissal.
        alice_claim = team.work.alice["H800"].id
        owner.execute("INSERT INTO review_comments (id, claim_id, author, body, created_at) "
                      "VALUES ('c-1', %s, 'carol', 'check the figure', now())", (bob_claim,))
        owner.execute("INSERT INTO claim_links (id, claim_id, target_id, relation, analyst, "
                      "created_at) VALUES ('l-1', %s, %s, 'same', 'bob', now())",
                      (alice_claim, bob_claim))
        owner.execute("INSERT INTO candidate_dismissals (id, claim_id, document_id, start, "
                      "\"end\", analyst, created_at) VALUES ('d-1', %s, %s, 0, 5, 'bob', now())",
                      (bob_claim, doc))
        # A reviewer adjudicated early: the gold claim copies bob's span and labels.
        owner.execute("INSERT INTO adjudications (id, document_id, decision, considered, "
                      "adjudicator, created_at) VALUES ('a-1', %s, 'accept', '[]', 'carol', "
                      "now())", (doc,))
        owner.execute("INSERT INTO gold_claims (id, adjudication_id, document_id, start, "
                      "\"end\", quote, prefix, suffix, proposition, note, tags, annotator, "
                      "created_at, updated_at) SELECT 'g-1', 'a-1', document_id, start, "
                      "\"end\", quote, '', '', proposition, '', '[]', 'carol', now(), now() "
                      "FROM claims WHERE id = %s", (bob_claim,))
    said = ("SELECT (SELECT count(*) FROM review_comments) + (SELECT count(*) FROM "
            "claim_links) + (SELECT count(*) FROM candidate_dismissals) + (SELECT count(*) "
            "FROM gold_claims) + (SELECT count(*) FROM adjudications)")
    with team.sql("alice") as alice, team.sql("carol") as carol, team.sql("bob") as bob:
        assert alice.execute(_COUNT, (doc,)).fetchall() == [("alice", 5)]
        assert alice.execute(history, (bob_claim,)).fetchone()[0] == 0   # hidden with it
        assert alice.execute(said).fetchone()[0] == 0                    # and these
        assert carol.execute(said).fetchone()[0] == 5
        assert bob.execute(said).fetchone()[0] == 2      # the link ends on alice's claim;
        #                                                   the gold layer waits for both
        assert carol.execute(history, (bob_claim,)).fetchone()[0] == 1
        assert rows(alice, "SELECT * FROM claims WHERE annotator = 'bob'") == 0
        assert bob.execute(_COUNT, (doc,)).fetchall() == [("bob", 5)]
        assert carol.execute(_COUNT, (doc,)).fetchall() == [("alice", 5), ("bob", 5)]
        # Assignments: read by all, written by admins; alice sets only her status.
        assert rows(alice, "SELECT * FROM assignments") == 2
        for statement in (
                "INSERT INTO assignments (document_id, analyst, status, assigned_by, "
                f"assigned_at) VALUES ('{doc}', 'eve', 'assigned', 'alice', now())",
                "DELETE FROM assignments",
                "UPDATE assignments SET analyst = 'eve' WHERE analyst = 'alice'",
                "UPDATE assignments SET assigned_by = 'alice'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                alice.execute(statement)
        assert rows(alice, "UPDATE assignments SET status = 'done' WHERE analyst = 'bob'") == 0
        assert rows(alice, "UPDATE assignments SET status = 'done', done_at = now() "
                           "WHERE analyst = 'alice'") == 1
        # Done herself, she still waits for bob.
        assert rows(alice, "SELECT * FROM claims WHERE annotator = 'bob'") == 0
    # Bob finishes in the app: the document is no longer blind for anyone.
    service = ProjectService.open(team.url("bob"))
    try:
        assignments = AssignmentService(service)
        with pytest.raises(ProjectAccessError, match="not yours"):
            assignments.set_done(doc, "alice", done=False)
        assert {c.annotator for c in service.claims(doc)} == {"bob"}
        assignments.set_done(doc, "bob")
        assert {c.annotator for c in service.claims(doc)} == {"alice", "bob"}
        assert [e.document_id for e in assignments.queue()] == [doc]
    finally:
        service.close()
    with team.sql("alice") as alice:
        assert alice.execute(_COUNT, (doc,)).fetchall() == [("alice", 5), ("bob", 5)]
        assert alice.execute(history, (bob_claim,)).fetchone()[0] == 1
        assert alice.execute(said).fetchone()[0] == 5
        assert alice.execute("SELECT status FROM documents WHERE id = %s",
                             (doc,)).fetchone()[0] == "done"


def test_the_app_connected_as_an_analyst_sees_only_her_claims_on_a_blind_document(
        team: Team) -> None:  # noqa: F811
    doc = _assign(team)
    alice = ProjectService.open(team.url("alice"))
    try:
        assert {c.annotator for c in alice.claims(doc)} == {"alice"}
        counts = {i.id: i.claim_count for i in alice.documents()}
        assert counts[doc] == 5
        with pytest.raises(ProjectAccessError):
            AssignmentService(alice).assign(["alice", "bob", "carol"], 0)
    finally:
        alice.close()


def _link(connection: psycopg.Connection, analyst: str) -> str:
    key = str(uuid.uuid4())
    connection.execute("INSERT INTO claim_links (id, claim_id, target_id, relation, analyst, "
                       "created_at) VALUES (%s, %s, %s, 'same', %s, now())",
                       (key, str(uuid.uuid4()), str(uuid.uuid4()), analyst))
    return key


def _dismissal(connection: psycopg.Connection, document: str, analyst: str) -> str:
    key = str(uuid.uuid4())
    connection.execute("INSERT INTO candidate_dismissals (id, claim_id, document_id, start, "
                       "\"end\", analyst, created_at) VALUES (%s, %s, %s, 0, 5, %s, now())",
                       (key, str(uuid.uuid4()), document, analyst))
    return key


def test_links_and_dismissals_are_each_analysts_own_and_init_brings_old_projects_up(
        team: Team) -> None:  # noqa: F811
    doc = team.work.document.id
    # A team project made before these tables had policies: init brings it up to date.
    with connect(team.database) as owner:
        for table in ("assignments", "claim_links", "candidate_dismissals"):
            for policy in ("team_read", "team_own_insert", "team_own_update",
                           "team_own_delete", "team_admin"):
                owner.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
            owner.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            owner.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    assert cli("team", "init", "--project", url_of(team.database)) == 0
    with team.sql("alice") as alice, team.sql("bob") as bob:
        mine, theirs = _link(alice, "alice"), _link(bob, "bob")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            _link(alice, "bob")
        assert rows(alice, "SELECT * FROM claim_links") == 2            # everyone reads
        assert rows(alice, "DELETE FROM claim_links WHERE id = %s", theirs) == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.execute("UPDATE claim_links SET relation = 'refutes'")
        assert rows(alice, "DELETE FROM claim_links WHERE id = %s", mine) == 1
        _dismissal(alice, doc, "alice")
        other = _dismissal(bob, doc, "bob")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            _dismissal(alice, doc, "bob")
        assert rows(alice, "SELECT * FROM candidate_dismissals") == 2
        assert rows(alice, "DELETE FROM candidate_dismissals WHERE id = %s", other) == 0
        assert rows(alice, "DELETE FROM candidate_dismissals WHERE analyst = 'alice'") == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.execute("DELETE FROM assignments")
    with team.sql("dave") as dave:                   # the admin removes anyone's
        assert rows(dave, "DELETE FROM claim_links WHERE id = %s", theirs) == 1

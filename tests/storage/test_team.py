"""Team roles enforced by the PostgreSQL server, not the app (issue 11).

A team project on the real server: ``annotator team init`` and ``team add-analyst``
(the CLI, in process), then analysts connect with the driver and plain SQL, as
anyone with a SQL client could. Whatever they send, alice cannot change bob's
claims, the gold layer or the codebook; a reviewer writes the gold layer; only an
admin changes the codebook. The app connected as alice works for her own claims.
"""

from __future__ import annotations

import dataclasses
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from annotator.cli.main import main
from annotator.domain.review import Decision, ReviewComment, adjudicate
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.sample import import_sample_corpus
from annotator.storage.errors import ProjectAccessError
from tests.postgres import Server, connect, url_of
from tests.review.scenario import TwoAnalysts, add_two_analysts


@dataclass
class Team:
    database: str
    logins: dict[str, str]          # analyst name -> login role
    work: TwoAnalysts

    def sql(self, analyst: str) -> psycopg.Connection:
        """A plain driver connection as ``analyst`` (autocommit)."""
        return connect(self.database, user=self.logins[analyst], password="secret")

    def url(self, analyst: str) -> str:
        return url_of(self.database, user=self.logins[analyst], password="secret")


def cli(*args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(args))


@pytest.fixture
def team(postgres: Server, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Iterator[Team]:
    postgres.require()
    database = postgres.create_database()
    logins = {name: f"{database}_{name}" for name in ("alice", "bob", "carol", "dave")}
    groups = [f"{database}_{role}" for role in ("analyst", "reviewer", "admin")]
    try:
        url = url_of(database)
        assert cli("team", "init", "--project", url) == 0
        for name, role in (("alice", "analyst"), ("bob", "analyst"), ("carol", "reviewer"),
                           ("dave", "admin")):
            assert cli("team", "add-analyst", "--project", url, name, "--role", role,
                       "--login", logins[name], "--password-stdin", stdin="secret\n",
                       monkeypatch=monkeypatch) == 0
        out = capsys.readouterr().out
        assert f"alice: login role {logins['alice']}, analyst" in out
        # The owner (a superuser here) stores both analysts' work, as an import would.
        owner = ProjectService.open(url)
        try:
            import_sample_corpus(owner)
            work = add_two_analysts(owner)
        finally:
            owner.close()
        yield Team(database, logins, work)
    finally:
        # Roles belong to the whole server: dropped even when the test failed.
        postgres.drop(databases=[database], roles=[*logins.values(), *groups])


def rows(connection: psycopg.Connection, statement: str, *params: object) -> int:
    return connection.execute(statement, params).rowcount


def test_members_are_listed_with_their_roles(team: Team,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("team", "members", "--project", url_of(team.database)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"alice\t{team.logins['alice']}\tanalyst",
                     f"bob\t{team.logins['bob']}\tanalyst",
                     f"carol\t{team.logins['carol']}\treviewer",
                     f"dave\t{team.logins['dave']}\tadmin"]


def test_an_analyst_cannot_change_a_colleagues_claims_with_plain_sql(team: Team) -> None:
    bob_claim = team.work.bob["H800"].id
    alice_claim = team.work.alice["H800"].id
    with team.sql("alice") as alice:
        assert rows(alice, "UPDATE claims SET note = 'mine now' WHERE id = %s", bob_claim) == 0
        assert rows(alice, "UPDATE claims SET stance = NULL WHERE annotator = 'bob'") == 0
        assert rows(alice, "DELETE FROM claims WHERE id = %s", bob_claim) == 0
        assert rows(alice, "DELETE FROM claims WHERE annotator <> 'alice'") == 0
        # Her own claims she changes; she cannot hand them to bob.
        assert rows(alice, "UPDATE claims SET note = 'checked' WHERE id = %s", alice_claim) == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            alice.execute("UPDATE claims SET annotator = 'bob' WHERE id = %s", (alice_claim,))
        # Nor insert a claim under bob's name.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            alice.execute(
                "INSERT INTO claims (id, document_id, start, \"end\", quote, prefix, suffix, "
                "proposition, note, tags, annotator, created_at, updated_at, codebook_version)"
                " SELECT %s, document_id, start, \"end\", quote, prefix, suffix, proposition,"
                " note, tags, 'bob', created_at, updated_at, codebook_version"
                " FROM claims WHERE id = %s", (str(uuid.uuid4()), alice_claim))
        # She still reads everyone's claims.
        assert alice.execute("SELECT count(*) FROM claims").fetchone()[0] == 10
    with connect(team.database) as owner:
        assert owner.execute("SELECT note FROM claims WHERE id = %s",
                             (bob_claim,)).fetchone()[0] == team.work.bob["H800"].note
        assert owner.execute("SELECT count(*) FROM claims WHERE annotator = 'bob'"
                             ).fetchone()[0] == 5


def test_an_analyst_cannot_write_the_gold_layer_comments_review_status_or_codebook(
        team: Team) -> None:
    with team.sql("alice") as alice:
        for statement in (
                "UPDATE codebook_labels SET name = 'hacked'",
                "DELETE FROM codebook_labels",
                "INSERT INTO project_settings (key, value) VALUES ('x', '{}')",
                "UPDATE propositions SET text = 'hacked'",
                "DELETE FROM gold_claims",
                "INSERT INTO review_comments (id, claim_id, author, body, created_at) "
                "VALUES ('c1', 'x', 'alice', 'hi', now())",
                "UPDATE documents SET review_status = 'adjudicated'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                alice.execute(statement)
        # She does mark a document done (a shared working column).
        assert rows(alice, "UPDATE documents SET status = 'done' WHERE id = %s",
                    team.work.document.id) == 1


def test_a_reviewer_writes_the_gold_layer_but_not_analysts_claims_or_codebook(
        team: Team) -> None:
    carol = ProjectService.open(team.url("carol"))
    try:
        review = ReviewService(carol)
        a, b = team.work.alice, team.work.bob
        decided = review.add_adjudication(adjudicate(
            Decision.ACCEPT, [a["H800"], b["H800"]], adjudicator="carol",
            span_from=b["H800"]))
        review.add_comment(ReviewComment.new(a["CNY"].id, "carol", "check the currency"))
        review.set_review_status(team.work.document.id, "in_review")
        assert [g.id for g in review.gold_claims(team.work.document.id)] == [decided.gold.id]
        with pytest.raises(ProjectAccessError, match="not yours"):
            carol.update_claim(dataclasses.replace(a["H800"], note="reviewer's edit"))
        with pytest.raises(ProjectAccessError, match="does not allow"):
            CodebookService(carol.database).add_proposition("A reviewer's proposition")
    finally:
        carol.close()
    with team.sql("carol") as sql:
        assert rows(sql, "UPDATE claims SET note = 'x' WHERE annotator = 'alice'") == 0


def test_only_an_admin_changes_the_codebook(team: Team) -> None:
    alice = ProjectService.open(team.url("alice"))
    try:
        with pytest.raises(ProjectAccessError, match="does not allow"):
            CodebookService(alice.database).add_proposition("Alice's proposition")
    finally:
        alice.close()
    dave = ProjectService.open(team.url("dave"))
    try:
        changed = CodebookService(dave.database).add_proposition("Dave's proposition")
        assert "Dave's proposition" in [p.text for p in changed.propositions]
    finally:
        dave.close()


def test_the_app_connected_as_an_analyst_works_on_her_own_claims(team: Team) -> None:
    alice = ProjectService.open(team.url("alice"))
    try:
        document = team.work.document
        start = document.text.index("DeepSeek")
        from annotator.domain.model import Claim
        mine = alice.add_claim(Claim.new(document, start, start + len("DeepSeek"),
                                         annotator="alice", note="new"))
        edited = alice.update_claim(dataclasses.replace(mine, note="edited"))
        assert alice.claim(mine.id).note == "edited" == edited.note
        alice.delete_claim(mine.id)
        alice.delete_claim(team.work.alice["NASDAQ"].id)
        assert {c.annotator for c in alice.claims(document.id)} == {"alice", "bob"}
        # bob's claims are refused with a clear message and stay as they were.
        with pytest.raises(ProjectAccessError, match="not yours"):
            alice.delete_claim(team.work.bob["NASDAQ"].id)
        with pytest.raises(ProjectAccessError, match="does not allow"):
            alice.add_claim(Claim.new(document, start, start + 8, annotator="bob"))
        assert alice.claim(team.work.bob["NASDAQ"].id) == team.work.bob["NASDAQ"]
    finally:
        alice.close()


def test_init_again_changes_nothing_and_bad_requests_are_one_line_errors(
        team: Team, tmp_path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = url_of(team.database)
    assert cli("team", "init", "--project", url) == 0
    with team.sql("alice") as alice:
        assert rows(alice, "DELETE FROM claims WHERE annotator = 'bob'") == 0
    capsys.readouterr()
    cases = [
        (("team", "add-analyst", "--project", url, "eve", "--login", "Eve Smith",
          "--no-password"), "a role name is lower-case letters"),
        (("team", "add-analyst", "--project", url, "eve", "--no-password", "--role", "boss"),
         "invalid choice"),
        (("team", "init", "--project", str(tmp_path / "p.annotator.sqlite")),
         "team commands need --project postgresql://"),
        (("team", "add-analyst", "--project", url, "eve"), "no terminal to ask"),
    ]
    for args, message in cases:
        try:
            code = cli(*args, monkeypatch=monkeypatch)
        except SystemExit as exit_:       # argparse's own usage errors
            code = exit_.code
        assert code == 2, args
        err = capsys.readouterr().err
        assert message in err, (args, err)
    with connect(team.database) as owner:
        assert owner.execute("SELECT count(*) FROM team_members").fetchone()[0] == 4

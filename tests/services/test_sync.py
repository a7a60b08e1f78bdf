"""Publishing a project file to a server project, taking an offline copy and
syncing it back (issue 11), on both backends (the "server" is a PostgreSQL
database, or a project file standing in for one)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from annotator.domain.codebook import Dimension, Label, with_labels
from annotator.domain.model import Claim
from annotator.domain.review import ReviewComment
from annotator.services.codebook import CodebookService
from annotator.services.project import NotFoundError, ProjectService
from annotator.services.review import ReviewService
from annotator.services.sync import SETTING, SyncError, offline_info, publish, sync, take_offline
from tests.review.scenario import merics
from tests.services.sync_scenario import build_full_project, table_rows


def _bytes(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def test_publish_copies_every_row_and_never_writes_the_file(
        project_location: str | Path, tmp_path: Path) -> None:
    local = tmp_path / "mine.annotator.sqlite"
    build_full_project(local)
    before = _bytes(local)
    report = publish(local, str(project_location))
    assert report.counts["claims"] == 10 and report.counts["documents"] == 5
    assert _bytes(local) == before                     # only read
    ours, theirs = table_rows(local), table_rows(project_location)
    assert all(ours[name] for name in ours)             # every table has rows
    assert theirs == ours                               # every row of every table
    with pytest.raises(SyncError, match="not empty"):
        publish(local, str(project_location))
    assert table_rows(project_location) == ours         # the refusal changed nothing
    assert local.read_bytes() == before[local.name]


def _edit(service: ProjectService, claim_id: str, **values: object) -> Claim:
    stored = service.claim(claim_id)
    return service.update_claim(stored.edited(**values))


def _new_claim(service: ProjectService, quote: str, analyst: str) -> Claim:
    document = merics(service)
    start = document.text.index(quote)
    return service.add_claim(Claim.new(document, start, start + len(quote), annotator=analyst,
                                       stance="supports"))


def test_edits_on_both_sides_are_merged_and_conflicts_listed_and_kept(
        project_location: str | Path, tmp_path: Path) -> None:
    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    info = offline_info(copy)
    assert info is not None and "secret" not in json.dumps(info)
    assert table_rows(copy) == table_rows(project_location)
    a, b = work.alice, work.bob
    here, there = ProjectService.open(copy), ProjectService.open(project_location)
    try:
        _edit(here, a["NASDAQ"].id, note="edited offline")          # here only
        mine = _new_claim(here, "Monday", "alice")                   # added here
        here.delete_claim(b["BOB_ONLY"].id)                          # deleted here
        here.set_document_status(work.document.id, "done")          # the same document's
        ReviewService(there).set_review_status(work.document.id, "adjudicated")  # other field
        ReviewService(here).add_comment(ReviewComment.new(mine.id, "carol", "seen offline"))
        _edit(here, a["H800"].id, note="offline view")               # both: a conflict
        _edit(there, a["H800"].id, stance="refutes")
        _edit(there, a["LOSS"].id, note="edited on the server")      # server only
        theirs = _new_claim(there, "Nvidia", "bob")                  # added there
        there.delete_claim(a["ALICE_ONLY"].id)                       # deleted there
        CodebookService(there.database).add_proposition("Chips are scarce")
    finally:
        here.close()
        there.close()

    report = sync(copy)
    assert report.pushed == {"claims changed": 1, "claims added": 1, "claims deleted": 1,
                             "documents changed": 1, "review_comments added": 1}
    assert report.pulled == {"claims changed": 1, "claims added": 1, "claims deleted": 1,
                             "documents changed": 1}
    assert report.codebook == "the server's codebook taken"
    assert [(c.table, c.key, c.kind) for c in report.conflicts] == [
        ("claims", a["H800"].id, "changed here and on the server")]
    conflict = report.conflicts[0]
    assert conflict.fields["note"][0] == "offline view"
    assert conflict.fields["stance"] == ("supports", "refutes")

    here, there = ProjectService.open(copy), ProjectService.open(project_location)
    try:
        for service in (here, there):
            assert service.claim(a["NASDAQ"].id).note == "edited offline"
            assert service.claim(a["LOSS"].id).note == "edited on the server"
            assert service.claim(mine.id) == mine and service.claim(theirs.id) == theirs
            for gone in (b["BOB_ONLY"].id, a["ALICE_ONLY"].id):
                with pytest.raises(NotFoundError):
                    service.claim(gone)
            assert "Chips are scarce" in {
                p.text for p in CodebookService(service.database).codebook().propositions}
            status = {d.id: (d.status, d.review_status)
                      for d in service.documents()}[work.document.id]
            assert status == ("done", "adjudicated")
            assert [c.body for c in ReviewService(service).comments(mine.id)] == [
                "seen offline"]
        # Neither side's version of the conflicting claim was overwritten.
        assert here.claim(a["H800"].id).note == "offline view"
        assert here.claim(a["H800"].id).stance == "supports"
        assert there.claim(a["H800"].id).stance == "refutes"
        assert there.claim(a["H800"].id).note == a["H800"].note
        # Every claim but the conflicting one is the same on both sides, versions too.
        ids = {c.id for d in here.documents() for c in here.claims(d.id)}
        assert ids == {c.id for d in there.documents() for c in there.claims(d.id)}
        for claim_id in ids - {a["H800"].id}:
            assert here.claim(claim_id) == there.claim(claim_id)
            assert here.claim(claim_id).version == there.claim(claim_id).version
    finally:
        here.close()
        there.close()

    again = sync(copy)          # nothing new: only the conflict, listed again
    assert again.changed_nothing
    assert [c.key for c in again.conflicts] == [a["H800"].id]

    resolved = sync(copy, resolve={a["H800"].id: "server"})
    assert resolved.pulled["claims changed"] == 1 and not resolved.conflicts
    here = ProjectService.open(copy)
    try:
        assert here.claim(a["H800"].id).stance == "refutes"
        kept = [entry.record.get("note") for entry in ReviewService(here).history(
            a["H800"].id)]
        assert "offline view" in kept                     # the local edit is not lost
    finally:
        here.close()
    last = sync(copy)
    assert last.changed_nothing and last.clean, last.as_json()


def test_a_sync_that_cannot_reach_the_server_changes_nothing(
        project_location: str | Path, tmp_path: Path, backend: str) -> None:
    build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    here = ProjectService.open(copy)
    try:
        _edit(here, here.claims(merics(here).id)[0].id, note="waiting to be sent")
    finally:
        here.close()
    connection = sqlite3.connect(copy)
    value = json.loads(connection.execute("SELECT value FROM project_settings WHERE key = ?",
                                          (SETTING,)).fetchone()[0])
    if backend == "postgresql":
        value["server"] = value["server"].replace(":5432/", ":1/")     # nobody listens
    else:
        value["server"] += ".moved"
    with connection:
        connection.execute("UPDATE project_settings SET value = ? WHERE key = ?",
                           (json.dumps(value), SETTING))
    connection.close()
    before = table_rows(copy, skip_settings=())
    server_before = table_rows(project_location)
    with pytest.raises(SyncError, match="nothing was changed"):
        sync(copy)
    assert table_rows(copy, skip_settings=()) == before
    assert table_rows(project_location) == server_before


def test_sources_and_documents_added_on_both_sides_are_one(
        project_location: str | Path, tmp_path: Path) -> None:
    """The same source name, or the same text, added offline and on the server
    under different ids: the copy's claims take the server's ids, no duplicate."""
    from annotator.domain.model import Document, Source

    build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    text = "A text both analysts imported while apart, with a claim in it."
    ids = {}
    for name, location in (("here", copy), ("there", project_location)):
        service = ProjectService.open(location)
        try:
            document = Document.from_text(text, title=name)
            if name == "here":      # imported from elsewhere, under another id
                document = dataclasses.replace(document, id=str(uuid.uuid4()))
            document = service.add_document(document).document
            source = service.add_source(Source.new("Agence France-Presse"))
            claim = service.add_claim(Claim.new(document, 2, 6, annotator=name,
                                                source_id=source.id))
            ids[name] = (document.id, source.id, claim.id)
        finally:
            service.close()
    report = sync(copy)
    assert report.clean, report.as_json()
    for location in (copy, project_location):
        service = ProjectService.open(location)
        try:
            assert [s.source.id for s in service.sources()
                    if s.source.name == "Agence France-Presse"] == [ids["there"][1]]
            for name in ("here", "there"):
                claim = service.claim(ids[name][2])
                assert (claim.document_id, claim.source_id) == ids["there"][:2]
        finally:
            service.close()
    assert sync(copy).changed_nothing


def test_sync_refuses_a_file_that_is_not_an_offline_copy(tmp_path: Path,
                                                          backend: str) -> None:
    plain = tmp_path / "plain.annotator.sqlite"
    ProjectService.open(plain, create=True).close()
    with pytest.raises(SyncError, match="not an offline copy"):
        sync(plain)
    with pytest.raises(SyncError, match="already exists"):
        take_offline(str(plain), plain)


def _relabel(location: str | Path, change: str, *, rename: tuple[str, str] | None = None,
             add: str | None = None) -> None:
    service = ProjectService.open(location)
    try:
        books = CodebookService(service.database)
        current = books.codebook()
        labels = current.of(Dimension.STANCE)
        if rename is not None:
            labels = [dataclasses.replace(label, key=rename[1]) if label.key == rename[0]
                      else label for label in labels]
        if add is not None:
            labels.append(Label(Dimension.STANCE, add, add.title(), colour="#123456"))
        books.apply(with_labels(current, Dimension.STANCE, labels), change,
                    renames={Dimension.STANCE: dict([rename])} if rename else None)
    finally:
        service.close()


def _stances(location: str | Path) -> tuple[set[str], set[str]]:
    service = ProjectService.open(location)
    try:
        keys = {label.key for label in CodebookService(service.database).codebook().of(
            Dimension.STANCE)}
        used = {c.stance for d in service.documents() for c in service.claims(d.id)
                if c.stance}
        return keys, used
    finally:
        service.close()


def test_the_codebook_goes_where_it_changed_and_no_label_is_split(
        project_location: str | Path, tmp_path: Path) -> None:
    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    _relabel(copy, "supports → backs", rename=("supports", "backs"))   # only here
    report = sync(copy)
    assert report.codebook == "codebook changes sent to the server"
    assert report.clean and not report.conflicts, report.as_json()
    for location in (copy, project_location):
        keys, used = _stances(location)
        assert "backs" in keys and "supports" not in keys
        assert "backs" in used and "supports" not in used       # every claim relabelled
    assert sync(copy).changed_nothing

    # Both change it: the server's wins, and a label only this copy uses is added.
    there = ProjectService.open(project_location)
    try:
        CodebookService(there.database).add_proposition("Later")
    finally:
        there.close()
    _relabel(copy, "add maybe", add="maybe")
    here = ProjectService.open(copy)
    try:
        maybe = here.update_claim(here.claim(work.alice["CNY"].id).edited(stance="maybe"))
    finally:
        here.close()
    report = sync(copy)
    assert report.codebook.startswith("the server's codebook taken (with labels only this "
                                      "copy uses: stance: maybe")
    assert report.pushed == {"claims changed": 1} and report.clean, report.as_json()
    for location in (copy, project_location):
        keys, used = _stances(location)
        assert {"backs", "maybe"} <= keys and "maybe" in used
        service = ProjectService.open(location)
        try:
            assert service.claim(maybe.id).stance == "maybe"
            assert "Later" in {p.text for p in CodebookService(
                service.database).codebook().propositions}
        finally:
            service.close()
    assert sync(copy).changed_nothing


def test_an_older_project_file_is_published_without_being_upgraded(
        project_location: str | Path, tmp_path: Path) -> None:
    fixture = Path(__file__).parents[1] / "storage" / "fixtures" / "schema_0004.sqlite"
    (tmp_path / "mine").mkdir()
    old = tmp_path / "mine" / "old.annotator.sqlite"
    old.write_bytes(fixture.read_bytes())
    before = old.read_bytes()
    report = publish(old, str(project_location))
    assert old.read_bytes() == before and list(old.parent.iterdir()) == [old]
    with contextlib.closing(sqlite3.connect(f"{old.as_uri()}?mode=ro", uri=True)) as connection:
        claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision[0].startswith("0004") and claims > 0
    assert report.counts["claims"] == claims
    service = ProjectService.open(project_location)
    try:
        assert service.claim_count() == claims
    finally:
        service.close()


def test_a_claim_deleted_on_one_side_and_changed_on_the_other_is_kept(
        project_location: str | Path, tmp_path: Path) -> None:
    work = build_full_project(project_location)
    copy = tmp_path / "offline.annotator.sqlite"
    take_offline(str(project_location), copy)
    gone_here, gone_there = work.alice["LOSS"].id, work.bob["LOSS"].id
    here, there = ProjectService.open(copy), ProjectService.open(project_location)
    try:
        here.delete_claim(gone_here)
        _edit(there, gone_here, note="changed on the server")
        there.delete_claim(gone_there)
        _edit(here, gone_there, note="changed here")
    finally:
        here.close()
        there.close()
    report = sync(copy)
    assert sorted((c.key, c.kind) for c in report.conflicts) == sorted([
        (gone_here, "deleted here, changed on the server"),
        (gone_there, "changed here, deleted on the server")])
    assert report.changed_nothing
    here, there = ProjectService.open(copy), ProjectService.open(project_location)
    try:       # each changed version is still where it was made
        assert there.claim(gone_here).note == "changed on the server"
        assert here.claim(gone_there).note == "changed here"
    finally:
        here.close()
        there.close()
    report = sync(copy, resolve={gone_here: "server", gone_there: "local"})
    assert not report.conflicts and report.clean
    assert report.pulled["claims added"] == 1 and report.pushed["claims added"] == 1
    assert sync(copy).changed_nothing

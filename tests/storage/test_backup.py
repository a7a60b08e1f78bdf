"""Backups: taken with SQLite's backup API, checked, rotated grandfather-father-son,
forced before a schema upgrade, restored; on real files."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from annotator.domain.model import Claim, Document
from annotator.paths import user_data_dir
from annotator.services.project import ProjectService
from annotator.storage import backup
from annotator.storage.backup import BackupError, keep

TEXT = "Backups keep an analyst's claims safe. Each copy is checked. 梁文锋 😀\n" * 5


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Days are local days: run in UTC so the dates below are the days."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def make_project(path: Path, claims: int = 3) -> Path:
    service = ProjectService.open(path, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="memo")).document
        for i in range(claims):
            service.add_claim(Claim.new(document, i, i + 5, annotator="alice"))
    finally:
        service.close()
    return path


def add_claims(path: Path, count: int) -> None:
    service = ProjectService.open(path)
    try:
        document = service.documents()[0]
        text = service.document(document.id).text
        for i in range(count):
            service.add_claim(Claim.new(service.document(document.id), 10 + i, 20 + i,
                                        annotator="bob"))
        assert text
    finally:
        service.close()


def damage(path: Path, *, last_only: bool = False) -> None:
    """Garbage over every page but the first (or over the last one only), as a
    failing disk might leave it."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(size - 4096 if last_only else 4096, size, 4096):
            handle.seek(offset)   # the page header too: an empty page has nothing else
            handle.write(os.urandom(600))


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 1, 1, hour, tzinfo=UTC) + timedelta(days=day - 1)


def names(project: Path) -> list[str]:
    return [b.path.name for b in backup.list_backups(project)]


# Taking and reading ---------------------------------------------------------------------

def test_a_backup_is_a_checked_standalone_copy_in_the_data_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path / "field notes.annotator.sqlite", claims=3)
    taken = backup.take_backup(project, "manual", now=at(5, 9))

    assert taken.path.parent.parent == user_data_dir() / "Backups"
    assert taken.path.parent.name.startswith("field notes-")
    assert taken.path.name == "20260105T090000Z-manual.sqlite"
    assert (taken.claims, taken.documents) == (3, 1)
    assert taken.taken_at == at(5, 9)
    # Out of WAL mode, nothing beside it, and it passes the check.
    assert taken.path.read_bytes()[18:20] == b"\x01\x01"
    assert sorted(p.name for p in taken.path.parent.iterdir()) == [taken.path.name,
                                                                   "state.json"]
    assert backup.check(taken.path) is None
    (listed,) = backup.list_backups(project)
    assert listed == taken and listed.size == taken.path.stat().st_size > 0


def test_a_backup_is_taken_while_the_project_is_open_and_written(tmp_path: Path) -> None:
    project = make_project(tmp_path / "open.sqlite", claims=2)
    service = ProjectService.open(project)
    try:
        document = service.documents()[0]
        service.add_claim(Claim.new(service.document(document.id), 30, 40, annotator="c"))
        taken = backup.take_backup(project, "daily")
        service.add_claim(Claim.new(service.document(document.id), 41, 45, annotator="c"))
    finally:
        service.close()
    assert taken.claims == 3
    assert ProjectService.open(taken.path).claim_count() == 3


def test_same_second_backups_get_their_own_names_and_the_newest_stays(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite")
    first = backup.take_backup(project, "manual", now=at(3))
    second = backup.take_backup(project, "manual", now=at(3))
    assert first.path != second.path
    assert names(project) == [second.path.name]     # one day, one copy: the newest


def test_changed_since_backup_follows_writes_not_reads(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite")
    assert backup.changed_since_backup(project)            # none yet
    backup.take_backup(project, "manual")
    assert not backup.changed_since_backup(project)
    service = ProjectService.open(project)
    service.claims(service.documents()[0].id)
    assert not backup.changed_since_backup(project)        # reading is not a change
    service.close()
    backup.mark_current(project)                            # closed unchanged
    assert not backup.changed_since_backup(project)
    assert backup.back_up_if_changed(project, "close") is None
    add_claims(project, 1)
    assert backup.changed_since_backup(project)
    assert backup.back_up_if_changed(project, "daily", due_after=backup.DAILY) is None
    assert backup.back_up_if_changed(project, "daily", now=datetime.now(UTC) + backup.DAILY,
                                     due_after=backup.DAILY).claims == 4


def test_a_copy_that_fails_its_check_is_refused_and_rotates_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite")
    for day in range(1, 4):
        backup.take_backup(project, "daily", now=at(day))
    before = names(project)
    damage(project, last_only=True)     # the copy is made, and fails its check
    with pytest.raises(BackupError, match=r"failed its check.*older backups were kept"):
        backup.take_backup(project, "daily", now=at(30))
    damage(project)                     # the copy cannot even be made
    with pytest.raises(BackupError, match=r"could not be copied.*older backups were kept") \
            as caught:
        backup.take_backup(project, "daily", now=at(31))
    # One line, however SQLite quotes the damaged bytes (they may hold line breaks).
    assert "\n" not in str(caught.value)
    assert names(project) == before
    assert not [p for p in backup.backup_folder(project).iterdir() if p.suffix == ".tmp"]


def test_backups_of_projects_with_one_name_in_two_folders_stay_apart(tmp_path: Path) -> None:
    one = make_project(tmp_path / "a" / "p.sqlite", claims=1)
    two = make_project(tmp_path / "b" / "p.sqlite", claims=2)
    backup.take_backup(one)
    backup.take_backup(two)
    assert backup.backup_folder(one) != backup.backup_folder(two)
    assert [b.claims for b in backup.list_backups(one)] == [1]
    assert [b.claims for b in backup.list_backups(two)] == [2]


# Rotation -------------------------------------------------------------------------------

def test_keep_the_newest_of_each_of_the_last_days_weeks_and_months() -> None:
    # Two copies a day (09:00 and 18:00) for 120 days from 1 January 2026.
    times = [at(day, hour) for day in range(1, 121) for hour in (9, 18)]
    kept = keep(times, daily=7, weekly=4, monthly=12)
    newest = at(120, 18)                                   # Thursday 30 April
    daily = {newest - timedelta(days=n) for n in range(7)}
    # ISO weeks' newest: Sundays 26, 19, 12 April (and this week's newest, above).
    weekly = {at(116, 18), at(109, 18), at(102, 18)}
    # Months' newest: 31 March, 28 February, 31 January (April's is the newest).
    monthly = {at(90, 18), at(59, 18), at(31, 18)}
    assert kept == daily | weekly | monthly


def test_keep_counts_days_that_have_copies_not_calendar_days() -> None:
    times = [at(1), at(10), at(40), at(41, 8), at(41, 20)]
    assert keep(times, daily=3, weekly=0, monthly=0) == {at(41, 20), at(40), at(10)}
    assert keep(times, daily=0, weekly=0, monthly=0) == {at(41, 20)}   # always the newest
    assert keep([]) == set()


def test_rotation_deletes_only_what_the_policy_lets_go(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite")
    for day in range(1, 11):                    # 1–10 January 2026
        backup.take_backup(project, "daily", now=at(day))
    # Days 4–10 are the last seven; Sunday 4 January is also week 1's newest.
    assert [b.taken_at for b in backup.list_backups(project)] == \
        [at(day) for day in range(10, 3, -1)]


def test_a_damaged_backup_counts_for_nothing_and_rotates_no_good_one(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite")
    for day in range(5, 15):                    # Monday 5 – Wednesday 14 January
        backup.take_backup(project, "daily", now=at(day))
    assert [b.taken_at for b in backup.list_backups(project)] == \
        [at(day) for day in range(14, 7, -1)]
    tenth = backup.backup_folder(project) / "20260110T120000Z-daily.sqlite"
    damage(tenth)
    assert backup.check(tenth) is not None

    backup.take_backup(project, "daily", now=at(15))
    # Without the check, 8 January would have gone (the last seven days would be
    # 15–9); the damaged copy does not stand in for it: seven good days remain,
    # and the damaged one is set aside, not deleted.
    listed = backup.list_backups(project)
    assert [b.taken_at for b in listed] == [at(d) for d in (15, 14, 13, 12, 11, 9, 8)]
    assert all(backup.check(b.path) is None for b in listed)
    assert tenth.with_name(tenth.name + ".damaged").exists() and not tenth.exists()
    assert backup.newest_passing(project).taken_at == at(15)


def test_copies_checked_this_week_are_not_read_again_at_each_rotation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p.sqlite")
    for day in range(5, 15):
        backup.take_backup(project, "daily", now=at(day))
    checked: list[str] = []
    real_check = backup.check

    def counting(path):  # type: ignore[no-untyped-def]
        checked.append(Path(path).name)
        return real_check(path)

    monkeypatch.setattr(backup, "check", counting)
    backup.take_backup(project, "daily", now=at(15))      # lets 8 January go
    assert len(checked) == 1 and checked[0].endswith(".tmp")   # only the new copy
    state = backup.backup_folder(project) / "state.json"
    text = state.read_text(encoding="utf-8").replace('"checked"', '"old"')
    state.write_text(text, encoding="utf-8")                   # no record of checks
    checked.clear()
    backup.take_backup(project, "daily", now=at(16))
    # The new copy as it was made, then the six older ones that stay (15–10 January).
    assert len(checked) == 1 + 6 and checked[1:] == [
        f"202601{day}T120000Z-daily.sqlite" for day in range(15, 9, -1)]


def test_copies_before_upgrades_and_restores_are_kept_apart_from_rotation(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite")
    for n in range(7):
        backup.take_backup(project, "before-restore", now=at(1, 10 + n))
    for day in range(5, 15):                    # the last seven: 8–14 January
        backup.take_backup(project, "daily", now=at(day))
    kinds = [b.kind for b in backup.list_backups(project)]
    assert kinds.count("before-restore") == backup.KEEP_SPECIAL
    assert kinds.count("daily") == 7


# Cloud-sync folders ------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "service"), [
    ("/home/ann/Dropbox/work", "Dropbox"),
    ("C:/Users/ann/OneDrive - Contoso/Documents", "OneDrive"),
    ("/Users/ann/Library/Mobile Documents/com~apple~CloudDocs", "iCloud Drive"),
    ("/Users/ann/Library/CloudStorage/GoogleDrive-ann@x.org/My Drive",
     "a cloud storage provider"),
    ("/home/ann/Nextcloud/projects", "Nextcloud"),
    ("/home/ann/pCloudDrive", "pCloud"),
    ("/home/ann/.local/share/Annotator/Backups", None),
    ("/home/ann/Documents/drop/boxes", None),
])
def test_cloud_sync_folders_are_recognised(path: str, service: str | None) -> None:
    assert backup.cloud_service(path) == service


def test_backups_into_a_cloud_folder_are_named_in_a_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p.sqlite")
    assert backup.cloud_warning(project) is None
    monkeypatch.setenv(backup.BACKUP_DIR_ENV, str(tmp_path / "OneDrive" / "Backups"))
    warning = backup.cloud_warning(project)
    assert warning is not None and "OneDrive" in warning and backup.BACKUP_DIR_ENV in warning
    assert backup.take_backup(project).path.is_relative_to(tmp_path / "OneDrive")


# Before a schema upgrade ----------------------------------------------------------------------

def project_at_0003(path: Path, *, with_data: bool = True) -> Path:
    engine = create_engine(f"sqlite:///{path}")
    from annotator.storage.database import _migrations_config

    with engine.begin() as connection:
        command.upgrade(_migrations_config(connection), "0003")
    engine.dispose()
    if with_data:
        raw = sqlite3.connect(path)
        with raw:
            raw.execute("INSERT INTO documents (id, sha256, title, source, published, metadata, "
                        "text, length, created_at, status) VALUES ('d1', 'abc', 'Memo', '', "
                        "'', '{}', 'Hello world', 11, '2025-01-02 03:04:05', 'new')")
            raw.execute("INSERT INTO claims (id, document_id, start, \"end\", quote, prefix, "
                        "suffix, proposition, note, tags, annotator, created_at, updated_at, "
                        "codebook_version) VALUES ('c1', 'd1', 0, 5, 'Hello', '', ' world', "
                        "'', '', '[]', 'alice', "
                        "'2025-01-02 03:04:05', '2025-01-02 03:04:05', 1)")
        raw.close()
    return path


def test_an_upgrade_is_preceded_by_a_backup_named_after_the_old_schema(
        tmp_path: Path) -> None:
    project = project_at_0003(tmp_path / "old.sqlite")
    service = ProjectService.open(project)            # upgrades to head
    try:
        assert service.claim_count() == 1
    finally:
        service.close()
    (taken,) = backup.list_backups(project)
    assert taken.kind == "before-upgrade-0003" and taken.revision == "0003"
    assert (taken.claims, taken.documents) == (1, 1)
    assert taken.describe() == "before upgrading schema 0003"
    ProjectService.open(project).close()               # at head now: no second copy
    assert len(backup.list_backups(project)) == 1


def test_no_backup_for_new_or_empty_projects(tmp_path: Path) -> None:
    ProjectService.open(tmp_path / "new.sqlite", create=True).close()
    empty = project_at_0003(tmp_path / "empty.sqlite", with_data=False)
    ProjectService.open(empty).close()
    assert backup.list_backups(tmp_path / "new.sqlite") == []
    assert backup.list_backups(empty) == []


def test_no_upgrade_without_its_backup(tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project = project_at_0003(tmp_path / "old.sqlite")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(backup.BACKUP_DIR_ENV, str(blocker))
    with pytest.raises(BackupError, match="not upgraded to the new schema"):
        ProjectService.open(project)
    raw = sqlite3.connect(project)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003"
    finally:
        raw.close()


# Restoring ------------------------------------------------------------------------------------

def test_restore_backs_up_the_current_state_then_replaces_the_project(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite", claims=2)
    old = backup.take_backup(project, "manual", now=at(1))
    add_claims(project, 3)
    before = backup.restore(project, old.path, now=at(2))
    assert before is not None and before.kind == "before-restore" and before.claims == 5
    service = ProjectService.open(project)
    try:
        assert service.claim_count() == 2
    finally:
        service.close()
    assert backup.restore(project, before.path) is not None
    service = ProjectService.open(project)
    try:
        assert service.claim_count() == 5
    finally:
        service.close()


def test_restore_refuses_a_project_open_elsewhere_and_a_bad_backup(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite", claims=2)
    good = backup.take_backup(project, "manual")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 300)
    with pytest.raises(BackupError, match="cannot restore this backup"):
        backup.restore(project, bad)
    service = ProjectService.open(project)
    try:
        service.claim_count()
        with pytest.raises(BackupError, match="open in another window"):
            backup.restore(project, good.path)
    finally:
        service.close()
    assert len(backup.list_backups(project)) == 1      # nothing was touched


def test_claims_changed_after_counts_later_work(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p.sqlite", claims=2)
    taken = backup.take_backup(project)
    add_claims(project, 3)
    since = backup.newest_change(taken.path)
    assert since is not None
    assert backup.claims_changed_after(project, since) == (5, 3)
    assert backup.claims_changed_after(project, None) == (5, 5)
    assert backup.claims_changed_after(tmp_path / "missing.sqlite", since) is None


def test_importing_an_older_colleague_project_backs_up_nothing(tmp_path: Path) -> None:
    """Their file is copied to a temporary file and upgraded there: no backup of
    a temporary copy is left in the backup folder."""
    from annotator.services.packages import import_work

    theirs = project_at_0003(tmp_path / "colleague.annotator.sqlite")
    ours = make_project(tmp_path / "ours.annotator.sqlite", claims=1)
    service = ProjectService.open(ours)
    try:
        report = import_work(service, theirs)
        # Read after its upgrade (its made-up document hash is refused, by name).
        assert "sha256 'abc'" in str(report.problems[-1])
    finally:
        service.close()
    assert not backup.backup_root().exists()

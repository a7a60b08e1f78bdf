"""A folder's documents are stored several to a transaction (services/
document_batch.py), on SQLite and the team server: each file is still reported
as before batching. Texts already here or twice in the folder are duplicates;
a changed file is a new version with its claims carried over; a document the
project refuses fails alone: the files before it are stored, the ones after it
skipped, nothing half-stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.model import Claim
from annotator.services import transfer
from annotator.services.project import ProjectService
from annotator.services.transfer import NOT_WRITTEN, FileStatus, import_files


def texts(folder: Path, count: int, prefix: str = "File") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{n:02d}.txt"
        path.write_text(f"{prefix} {n}: the minister said prices rose by {n} percent.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def test_batches_report_each_file_as_before(project_location: str | Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer, "BATCH_DOCUMENTS", 4)
    folder = tmp_path / "in"
    paths = texts(folder, 9)
    paths[7].write_text(paths[2].read_text(encoding="utf-8"), encoding="utf-8")  # twice
    service = ProjectService.open(project_location, create=True)
    try:
        report = import_files(service, [folder])
        statuses = [r.status for r in report.results]
        assert statuses == [FileStatus.IMPORTED] * 7 + [FileStatus.DUPLICATE,
                                                        FileStatus.IMPORTED]
        assert [r.path for r in report.results] == [str(p) for p in paths]
        assert report.results[7].document_id == report.results[2].document_id
        assert len(service.documents()) == 8
        stored = {d.id: d for d in (service.document(r.document_id)
                                    for r in report.results)}
        assert all(stored[r.document_id].text == Path(r.path).read_text(encoding="utf-8")
                   for r in report.results)

        # Again, one file changed and carrying a claim: the rest are duplicates.
        changed = service.document(report.results[5].document_id)
        start = changed.text.index("prices")
        claim = service.add_claim(Claim.new(changed, start, start + 6, annotator="ann"))
        paths[5].write_text("Changed. " + changed.text, encoding="utf-8")
        again = import_files(service, [folder])
        assert [r.status for r in again.results] == (
            [FileStatus.DUPLICATE] * 5 + [FileStatus.NEW_VERSION] + [FileStatus.DUPLICATE] * 3)
        newest = service.document(again.results[5].document_id)
        moved = service.claims(newest.id)
        assert [c.id for c in moved] == [claim.id] and moved[0].quote == "prices"
    finally:
        service.close()


def test_a_refused_document_fails_alone_in_its_batch(project_location: str | Path,
                                                     tmp_path: Path, backend: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A title longer than the column (500 characters) is refused by PostgreSQL
    (SQLite does not check lengths): in the middle of the second batch."""
    monkeypatch.setattr(transfer, "BATCH_DOCUMENTS", 4)
    folder = tmp_path / "in"
    paths = texts(folder, 10)
    bad = paths[5]
    service = ProjectService.open(project_location, create=True)
    try:
        report = import_files(service, [folder], overrides=lambda path: {
            "title": "T" * 600} if path == bad else {})
        statuses = [r.status for r in report.results]
        titles = {d.title for d in service.documents()}
        if backend == "sqlite":
            assert statuses == [FileStatus.IMPORTED] * 10 and not report.stopped
            assert len(titles) == 10
            return
        assert statuses == [FileStatus.IMPORTED] * 5 + [FileStatus.FAILED] + [
            FileStatus.SKIPPED] * 4
        assert report.results[5].reason.startswith("not stored: ")
        assert all(r.reason == NOT_WRITTEN for r in report.results[6:])
        assert report.stopped
        assert titles == {r.title for r in report.results[:5]} and len(titles) == 5
    finally:
        service.close()

"""A colleague's hostile work imported in the window: the skipped records are
shown in a message (not only a traceback on stderr), the valid ones imported;
and an import that fails for a reason nobody foresaw still says so."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import pytest

from annotator.domain.model import Claim
from annotator.formats.export import package
from annotator.services import exports
from annotator.ui import plain, project_files
from annotator.ui.main_window import MainWindow
from tests.ui.work_import import import_and_wait


def _hostile_package(window: MainWindow, folder: Path) -> tuple[Path, int]:
    """A zip of the window's project with three claims, then hostile claim lines."""
    service = window.service
    assert service is not None
    document = service.documents()[0]
    for start in (0, 10, 20):
        service.add_claim(Claim.new(service.document(document.id), start, start + 5,
                                    annotator="bob"))
    exports.export(service, "package", folder / "package")
    claims = (folder / "package" / package.CLAIMS).read_bytes().splitlines()
    good = json.loads(claims[0])
    claims += [b"[" * 100_000,
               json.dumps(dict(good, id=str(uuid.uuid4()),
                               created_at="0001-01-01T00:00:00+01:00")).encode(),
               json.dumps(dict(good, id=str(uuid.uuid4()), note="\ud800")).encode(),
               b"\xff\xfe"]
    archive = folder / "bob.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name in package.PACKAGE_FILES:
            data = (b"\n".join(claims) if name == package.CLAIMS
                    else (folder / "package" / name).read_bytes())
            out.writestr(f"bob/{name}", data)
    return archive, len(claims)


def test_skipped_records_are_shown_in_a_message(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    archive, lines = _hostile_package(window, tmp_path)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(plain, "warn", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(plain, "inform", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(plain, "fail", lambda _p, _title, text: pytest.fail(text))
    with qtbot.captureExceptions() as bugs:
        report = import_and_wait(qtbot, window, archive)
    assert bugs == []
    assert report is not None and len(report.problems) == 4
    ((title, text),) = shown
    assert title == "Work imported, some of it skipped"
    assert "4 skipped" in text and "3 already present" in text
    for number in range(lines - 3, lines + 1):
        assert f"{archive}/bob/{package.CLAIMS}:{number}: " in text


def test_a_failing_import_shows_a_message(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("something nobody foresaw")

    failed: list[tuple[str, str]] = []
    monkeypatch.setattr(project_files, "prepare_work", broken)
    monkeypatch.setattr(plain, "fail", lambda _p, title, text: failed.append((title, text)))
    with qtbot.captureExceptions() as bugs:
        assert import_and_wait(qtbot, window, tmp_path / "anything.jsonl") is None
    assert failed == [("Import failed",
                       "unexpected error (RuntimeError: something nobody foresaw)")]
    ((kind, _error, _trace),) = bugs          # and its traceback reported, as a bug's
    assert kind is RuntimeError

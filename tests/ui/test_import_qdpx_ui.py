"""File › Import a Colleague's Work… takes a REFI-QDA project (.qdpx)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.export_corpus import Corpus, export_corpus
from tests.ui.work_import import import_and_wait


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Corpus, Path]:
    corpus, _, _ = export_corpus(tmp_path, "refi-qda", "project.qdpx")
    return corpus, tmp_path / "project.qdpx"


def test_the_window_imports_a_qdpx(qtbot, window, exported: tuple[Corpus, Path],  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.ui import plain

    corpus, path = exported
    told: list[str] = []
    monkeypatch.setattr(plain, "inform", lambda _parent, _title, text: told.append(text))
    monkeypatch.setattr(plain, "warn", lambda _parent, _title, text: pytest.fail(text))
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: pytest.fail(text))
    report = import_and_wait(qtbot, window, path)     # on worker threads, as the menu does
    assert report is not None and report.claims_added == len(corpus.claims)
    assert told and f"{len(corpus.claims)} claims added" in told[0]

"""Shared fixtures. Every test runs offscreen with its own data and config folders,
so nothing touches the user's real projects or settings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))     # the log folder


@pytest.fixture
def seeded_project(tmp_path: Path) -> Path:
    """A project file holding the bundled sample corpus."""
    path = tmp_path / "seeded.annotator.sqlite"
    service = ProjectService.open(path, create=True)
    try:
        report = import_sample_corpus(service)
        assert report.count(report.results[0].status.IMPORTED) == 4
    finally:
        service.close()
    return path

"""Shared fixtures. Every test runs offscreen with its own data and config folders,
so nothing touches the user's real projects or settings."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from tests.postgres import Server

BACKENDS = ("sqlite", "postgresql")
# The suites that run against both backends (a test there that is about the SQLite
# file itself is marked sqlite_only).
_BOTH = ("services", "cli", "storage")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backends", default=",".join(BACKENDS),
                     help="comma-separated backends the `backend` fixture runs over "
                          "(sqlite, postgresql; default both)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    chosen = [b.strip() for b in metafunc.config.getoption("backends").split(",") if b.strip()]
    unknown = sorted(set(chosen) - set(BACKENDS))
    if unknown:
        raise pytest.UsageError(f"--backends: unknown {', '.join(unknown)}")
    folder = Path(str(metafunc.definition.path)).parent.name
    if metafunc.definition.get_closest_marker("sqlite_only") or folder not in _BOTH:
        chosen = [b for b in chosen if b == "sqlite"] or ["sqlite"]
    metafunc.parametrize("backend", chosen, indirect=True)


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    """sqlite or postgresql (module-scoped, so a module's shared project can use it)."""
    return str(request.param)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """This run's databases and roles on the PostgreSQL test server (see tests/postgres.py):
    what dead runs left is dropped first, what this run made is dropped at its end."""
    server = Server()
    server.sweep_dead_runs()
    try:
        yield server
    finally:
        server.drop_everything_of_this_run()


@pytest.fixture(scope="module")
def module_location(backend: str, tmp_path_factory: pytest.TempPathFactory,
                    request: pytest.FixtureRequest) -> str | Path:
    """Like project_location, for a project a whole module shares."""
    if backend == "sqlite":
        return tmp_path_factory.mktemp("module") / "project.annotator.sqlite"
    return _postgres_project(request)


def _postgres_project(request: pytest.FixtureRequest) -> str:
    server: Server = request.getfixturevalue("postgres")
    name, url = server.create_schema()
    request.addfinalizer(lambda: server.drop_schema(name))
    return url


@pytest.fixture
def project_location(backend: str, tmp_path: Path,
                     request: pytest.FixtureRequest) -> str | Path:
    """Where a new, empty project goes: a SQLite file in tmp_path, or a database of its
    own on the PostgreSQL server (a schema of its own in the run's database, dropped
    after the test)."""
    if backend == "sqlite":
        return tmp_path / "project.annotator.sqlite"
    return _postgres_project(request)


@pytest.fixture
def seeded_location(backend: str, tmp_path: Path,
                    request: pytest.FixtureRequest) -> str | Path:
    """A project holding the bundled sample corpus, on each backend."""
    project_location: str | Path = (_postgres_project(request) if backend == "postgresql"
                                    else tmp_path / "seeded.annotator.sqlite")
    service = ProjectService.open(project_location, create=True)
    try:
        report = import_sample_corpus(service)
        assert report.count(report.results[0].status.IMPORTED) == 4
    finally:
        service.close()
    return project_location


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))     # the log folder
    # Never the user's real keyring (team passwords): keyring's own null backend.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


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

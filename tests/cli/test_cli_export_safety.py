"""``annotator export`` checks at the door, in every format: it never writes over
a project (its file, its ``-wal``/``-shm``/``-journal``, any SQLite database),
it refuses claims whose stored quote is not their text (exit code 1, each
listed), and it carries file names, not local paths, unless ``--include-paths``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.domain.model import Claim
from annotator.formats.export.brat import fragments
from annotator.services.exports import EXPORT_FORMATS
from annotator.services.project import ProjectService
from annotator.services.transfer import import_files
from tests.cli import test_cli_export
from tests.cli.test_cli import stderr_lines
from tests.formats.export_corpus import CLAIMS, Corpus, build_corpus, read_jsonl
from tests.formats.export_safety import (
    CLAIM_FORMATS,
    OUT_NAMES,
    claim_count,
    copy_project,
    exported_claims,
    exported_text,
    protected_targets,
    tamper,
)

#: ``cli(*args, cwd=folder)``: the command line run in this process (a fixture).
cli = test_cli_export.cli


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("cli-safety") / "corpus.annotator.sqlite")


def _format_options(fmt: str) -> list[str]:
    return ["--offsets", "codepoint"] if fmt == "doccano" else []


# Never over a project -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_no_format_writes_over_a_project_or_its_sqlite_files(
        cli, corpus: Corpus, tmp_path: Path, fmt: str) -> None:
    project = copy_project(corpus.path, tmp_path / "work")
    before = project.read_bytes()
    targets = protected_targets(project, tmp_path / "out")
    if fmt in CLAIM_FORMATS:
        # The codebook written beside the export would land on a database.
        sqlite3.connect(tmp_path / "out" / "side.codebook.json").close()
        (tmp_path / "out" / "side.codebook.json").write_bytes(before)
        targets["a database beside it"] = tmp_path / "out" / f"side{Path(OUT_NAMES[fmt]).suffix}"
    if fmt == "package":
        targets["the project's folder"] = project.parent
    listing = sorted(p.name for p in (tmp_path / "out").iterdir())
    for what, target in targets.items():
        result = cli("export", "--project", project, "--format", fmt, *_format_options(fmt),
                     "-o", target, cwd=tmp_path)
        assert result.returncode == 2, (what, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        (line,) = stderr_lines(result)
        assert line.startswith("annotator: error: "), line
        assert "never" in line and ("project" in line or "SQLite" in line), (what, line)
        assert result.stdout == ""
        assert project.read_bytes() == before, what
        assert sorted(p.name for p in project.parent.iterdir()) == [project.name], what
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == listing, what
    assert claim_count(project) == len(CLAIMS)


def test_an_export_over_the_wal_never_loses_another_programs_saved_work(
        cli, corpus: Corpus, tmp_path: Path) -> None:
    project = copy_project(corpus.path, tmp_path)
    claim = corpus.claims[0]
    other = sqlite3.connect(project)       # another program, its work in the log only
    try:
        other.execute("PRAGMA journal_mode = WAL")
        other.execute("PRAGMA wal_autocheckpoint = 0")
        with other:
            other.execute("UPDATE claims SET note = 'saved by the other program' WHERE id = ?",
                          (claim.id,))
        wal, shm = Path(f"{project}-wal"), Path(f"{project}-shm")
        log = wal.read_bytes()
        assert log and shm.is_file()
        for target in (wal, shm, project):
            for fmt in ("jsonl", "package"):
                result = cli("export", "--project", project, "--format", fmt, "-o", target,
                             cwd=tmp_path)
                assert result.returncode == 2, result.stdout
            assert wal.read_bytes() == log
    finally:
        other.close()
    service = ProjectService.open(project)
    try:
        assert service.claim(claim.id).note == "saved by the other program"
    finally:
        service.close()


def test_agreement_output_never_goes_over_a_project(cli, corpus: Corpus,
                                                    tmp_path: Path) -> None:
    project = copy_project(corpus.path, tmp_path)
    before = project.read_bytes()
    for target in (project, Path(f"{project}-wal")):
        result = cli("agreement", "--project", project, "-o", target, cwd=tmp_path)
        assert result.returncode == 2
        (line,) = stderr_lines(result)
        assert "never overwrit" in line
    assert project.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [project.name]


# Quotes checked at the door -------------------------------------------------------------

@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_a_claim_whose_quote_is_not_its_text_is_refused_in_every_format(
        cli, corpus: Corpus, tmp_path: Path, fmt: str) -> None:
    project = copy_project(corpus.path, tmp_path / "work")
    damaged = corpus.claims[4]
    tamper(project, damaged.id, "a quote the text does not have")
    out = tmp_path / OUT_NAMES[fmt]
    result = cli("export", "--project", project, "--format", fmt, *_format_options(fmt),
                 "-o", out, cwd=tmp_path)
    if fmt == "documents":          # no claims: nothing to refuse
        assert result.returncode == 0, result.stderr
        assert len(read_jsonl(out)) == len(corpus.documents)
        return
    assert result.returncode == 1, result.stderr
    (line,) = stderr_lines(result)
    assert line.startswith(f"annotator: claim {damaged.id} (document {damaged.document_id})")
    assert "'a quote the text does not have' is not the text at" in line
    assert "refused 1 claim whose quote does not match" in result.stdout
    others = [c for c in corpus.claims if c is not damaged]
    if fmt == "doccano":
        kept = {f"{c.document_id}:{c.start}:{c.end}" for c in others}
    elif fmt == "brat":         # a claim of nothing but line breaks has no brat span
        texts = corpus.texts()
        kept = {f"{c.document_id}:{c.start}:{c.end}" for c in others
                if fragments(texts[c.document_id], c.start, c.end)}
    elif fmt == "claimreview":  # reviews: claims with a credibility grade
        kept = {c.id for c in others if c.info_credibility is not None}
    else:
        kept = {c.id for c in others}
    assert len(others) == len(CLAIMS) - 1
    assert f"wrote {len(kept)} claim{'s' if len(kept) != 1 else ''}" in result.stdout
    assert sorted(exported_claims(fmt, out)) == sorted(kept)
    assert "a quote the text does not have" not in exported_text(out)


# No local paths unless asked -------------------------------------------------------------

@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose documents were imported from files in a private folder."""
    folder = tmp_path_factory.mktemp("private-folder")
    (folder / "memo.txt").write_text("The memo says the plant opened in 2021.\n",
                                     encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>A page</title><meta name='author' content='Ana'></head>"
        "<body><article><p>The page says exports rose by a third.</p></article></body></html>",
        encoding="utf-8")
    (folder / "notes.md").write_text("---\ntitle: Notes\n---\nThe notes say nothing much.\n",
                                     encoding="utf-8")
    project = folder.parent / f"{folder.name}-project.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    try:
        report = import_files(service, [folder])
        assert len(report.results) == 3
        for info in service.documents():
            document = service.document(info.id)
            assert str(folder) in document.origin
            service.add_claim(Claim.new(document, 4, 8, annotator="ana"))
    finally:
        service.close()
    return project


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_exports_carry_file_names_not_local_paths(cli, imported: Path, tmp_path: Path,
                                                  fmt: str) -> None:
    private = str(imported.parent)      # holds the project and the folder of imported files
    out = tmp_path / OUT_NAMES[fmt]
    result = cli("export", "--project", imported, "--format", fmt, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = list(tmp_path.iterdir())
    assert written
    for path in written:
        assert private not in exported_text(path), path
    if fmt not in ("documents", "package"):
        return
    assert "memo.txt" in exported_text(out)
    # Asked for, the paths are there.
    for again in ((tmp_path / "with-paths.jsonl",) if fmt == "documents"
                  else (tmp_path / "with-paths", tmp_path / "with-paths.zip")):
        result = cli("export", "--project", imported, "--format", fmt, "--include-paths",
                     "-o", again, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        memo = next(imported.parent.glob("private-folder*/memo.txt"))
        assert str(memo) in exported_text(again)

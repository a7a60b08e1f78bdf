"""What every export checks at the door, below the command line and the window:
the writers never replace a project or a SQLite file, the export refuses
claims whose stored quote is not their text (the gold layer too), documents
carry file names, and unset propositions are null."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.domain.review import Decision, adjudicate
from annotator.formats.atomic import (
    ProtectedFileError,
    atomic_binary,
    atomic_write,
    protected_reason,
)
from annotator.formats.export.files import atomic_directory
from annotator.formats.export.safety import check_quote, file_name, without_paths
from annotator.services import exports
from annotator.services.exports import EXPORT_FORMATS, ExportError, ExportOptions, ExportScope
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from tests.formats.export_corpus import CLAIMS, Corpus, build_corpus, read_jsonl
from tests.formats.export_safety import (
    OUT_NAMES,
    claim_count,
    copy_project,
    exported_text,
    protected_targets,
    tamper,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("safety") / "corpus.annotator.sqlite")


# Which files are protected -------------------------------------------------------------

def test_a_project_its_side_files_and_any_sqlite_file_are_protected(tmp_path: Path) -> None:
    project = tmp_path / "p.annotator.sqlite"
    sqlite3.connect(project).execute("CREATE TABLE t (x)").connection.close()
    for side in ("-wal", "-shm", "-journal"):
        # Beside a database, with or without the project named, existing or not.
        assert "never" in (protected_reason(f"{project}{side}", [project]) or "")
        assert side in (protected_reason(f"{project}{side}") or "")
    renamed = tmp_path / "copy.bin"
    shutil.copyfile(project, renamed)
    assert "SQLite database" in (protected_reason(renamed) or "")
    log = tmp_path / "orphan.log"
    log.write_bytes(bytes.fromhex("377f0682") + bytes(28))      # a write-ahead log's header
    assert "journal" in (protected_reason(log) or "")
    link = tmp_path / "innocent.jsonl"
    link.symlink_to(project)
    assert "this project's own file" in (protected_reason(link, [project]) or "")
    # A project not yet written (empty) is protected by name.
    empty = tmp_path / "new.annotator.sqlite"
    empty.touch()
    assert protected_reason(empty, [empty]) is not None
    assert protected_reason(f"{empty}-wal", [empty]) is not None
    # Ordinary files and missing files may be written.
    text = tmp_path / "claims.jsonl"
    text.write_text("{}\n", encoding="utf-8")
    for allowed in (text, tmp_path / "missing.jsonl", tmp_path / "claims.jsonl-wal"):
        assert protected_reason(allowed, [project]) is None, allowed


def test_no_atomic_write_replaces_a_database(tmp_path: Path) -> None:
    project = tmp_path / "p.annotator.sqlite"
    sqlite3.connect(project).execute("CREATE TABLE t (x)").connection.close()
    before = project.read_bytes()
    for opener in (lambda: atomic_write(project), lambda: atomic_binary(project),
                   lambda: atomic_write(f"{project}-wal")):
        with pytest.raises(ProtectedFileError), opener():
            raise AssertionError("never reached: refused before anything is written")
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copyfile(project, folder / "claims.jsonl")       # named like a package file
    with pytest.raises(ProtectedFileError, match="holds a project"), \
            atomic_directory(folder, replaceable=["claims.jsonl"]):
        raise AssertionError("never reached")
    assert project.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", project.name]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_the_export_service_refuses_before_reading_anything(corpus: Corpus, tmp_path: Path,
                                                           fmt: str) -> None:
    project = copy_project(corpus.path, tmp_path / "work")
    targets = protected_targets(project, tmp_path / "out")
    service = ProjectService.open(project)
    try:
        before = project.read_bytes()
        for what, target in targets.items():
            assert exports.target_problem(project, fmt, target) is not None, what
            with pytest.raises(ExportError, match="never"):
                exports.export(service, fmt, target)
            assert project.read_bytes() == before, what
    finally:
        service.close()
    assert claim_count(project) == len(CLAIMS)
    assert exports.target_problem(project, fmt, tmp_path / "out" / OUT_NAMES[fmt]) is None


# Quotes ---------------------------------------------------------------------------------

def test_check_quote() -> None:
    text = "Kiev or Kyiv"
    assert check_quote("c", "d", text, 8, 12, "Kyiv") is None
    refused = check_quote("c", "d", text, 8, 12, "Kiev")
    assert refused is not None and refused.found == "Kyiv"
    assert "claim c (document d)" in str(refused) and "[8, 12)" in str(refused)
    for start, end in ((8, 99), (-4, 12), (5, 5)):       # outside the text, or empty
        assert check_quote("c", "d", text, start, end, text[start:end]) is not None


def test_a_tampered_gold_claim_is_refused_and_the_rest_of_the_layer_exported(
        corpus: Corpus, tmp_path: Path) -> None:
    project = copy_project(corpus.path, tmp_path)
    service = ProjectService.open(project)
    try:
        review = ReviewService(service)
        for claim in corpus.claims[:3]:
            review.add_adjudication(adjudicate(Decision.ACCEPT, [claim], adjudicator="carol",
                                               span_from=claim))
        exports.export(service, "jsonl", tmp_path / "before.jsonl",
                       ExportScope(gold_only=True))
        gold = [r["id"] for r in read_jsonl(tmp_path / "before.jsonl")]
        assert len(gold) == 3
    finally:
        service.close()
    tamper(project, gold[1], "not the text", table="gold_claims")
    service = ProjectService.open(project)
    try:
        result = exports.export(service, "jsonl", tmp_path / "gold.jsonl",
                                ExportScope(gold_only=True))
        analysts = exports.export(service, "jsonl", tmp_path / "analysts.jsonl")
        assert analysts.claims == len(CLAIMS)
        assert analysts.refused == []        # the analysts' claims are untouched
    finally:
        service.close()
    assert [r.id for r in result.refused] == [gold[1]]
    assert [r["id"] for r in read_jsonl(tmp_path / "gold.jsonl")] == [gold[0], gold[2]]
    assert result.claims == 2 and "refused 1 claim" in result.summary()


# Paths, propositions, counts -------------------------------------------------------------

def test_file_name_keeps_names_and_web_addresses() -> None:
    cases = {"/home/ana/cases/memo.pdf": "memo.pdf", "~/memo.pdf": "memo.pdf",
             "C:\\Users\\Ana\\memo.docx": "memo.docx", "D:/x/memo.txt": "memo.txt",
             "\\\\server\\share\\memo.txt": "memo.txt",
             "file:///home/ana/page%20one.html": "page one.html",
             "https://example.org/a/b.html": "https://example.org/a/b.html",
             "memo.pdf": "memo.pdf", "": "", "Reuters / AP": "Reuters / AP"}
    for place, expected in cases.items():
        assert file_name(place) == expected, place
    record = {"origin": "/home/ana/memo.txt", "source": "https://example.org/",
              "metadata": {"original_path": "/home/ana/memo.txt", "pages": [0, 10],
                           "canonical_url": "file:///home/ana/memo.txt"}}
    assert without_paths(record) == {
        "origin": "memo.txt", "source": "https://example.org/",
        "metadata": {"original_path": "memo.txt", "pages": [0, 10],
                     "canonical_url": "memo.txt"}}
    assert record["origin"] == "/home/ana/memo.txt"     # not changed in place


def test_an_unset_proposition_is_null_and_gold_counts_claimed_documents(
        tmp_path: Path, project_location: str | Path) -> None:
    service = ProjectService.open(project_location, create=True)
    try:
        documents = [service.add_document(Document.from_text(
            f"Document {n} says something.", title=f"d{n}", origin=f"/home/ana/d{n}.txt"))
            .document for n in range(7)]
        claims = [service.add_claim(Claim.new(documents[n], 0, 8, annotator="ana",
                                              proposition="" if n else "It says so"))
                  for n in range(3)]
        ReviewService(service).add_adjudication(adjudicate(
            Decision.ACCEPT, [claims[1]], adjudicator="carol", span_from=claims[1]))
        exports.export(service, "jsonl", tmp_path / "claims.jsonl")
        assert [r["proposition"] for r in read_jsonl(tmp_path / "claims.jsonl")] == [
            "It says so", None, None]
        gold = ExportScope(gold_only=True)
        assert exports.count(service, gold) == (1, 7, 1)
        result = exports.export(service, "package", tmp_path / "gold", gold)
        assert (result.claims, result.documents) == (1, 7)
        card = (tmp_path / "gold" / "README.md").read_text(encoding="utf-8")
        assert "1 claim in 1 document," in card and "documents.jsonl lists 7" in card
        preview = exports.preview(service, "documents", options=ExportOptions())
        assert "/home/ana" not in preview and '"origin": "d0.txt"' in preview
        assert "/home/ana/d0.txt" in exports.preview(
            service, "documents", options=ExportOptions(include_paths=True))
    finally:
        service.close()
    assert "/home/ana" not in exported_text(tmp_path / "gold")


def test_checking_a_pipe_never_blocks(corpus: Corpus, tmp_path: Path) -> None:
    """The check reads the first bytes of regular files only: opening a named
    pipe to read would wait for a writer for ever."""
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    found: list[str | None] = []
    worker = threading.Thread(target=lambda: found.append(
        exports.target_problem(corpus.path, "jsonl", pipe)), daemon=True)
    worker.start()
    worker.join(10)
    assert found == [None]

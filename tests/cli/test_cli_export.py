"""``annotator export`` with formats and scope, and ``annotator import`` of what
it writes (dataset packages, JSONL exports). Most tests call the command line's
``main`` in this process (starting Python and SQLAlchemy for each command
would cost most of a second); the package round trip runs ``python -m
annotator`` as a user would."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli.main import main
from tests.cli.test_cli import annotator, stderr_lines
from tests.formats.export_corpus import CLAIMS, Corpus, build_corpus, read_jsonl


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """``cli(*args, cwd=folder)``: run the command line in this process, like
    :func:`annotator` (return code, stdout, stderr)."""
    def run(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)
    return run


@pytest.fixture(scope="module")
def corpus(module_location: str | Path) -> Corpus:
    return build_corpus(module_location)


@pytest.fixture(scope="module")
def everything(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project exported as JSONL (claims and documents)."""
    folder = tmp_path_factory.mktemp("cli-all")
    for fmt, name in (("jsonl", "claims.jsonl"), ("documents", "documents.jsonl")):
        result = annotator("export", "--project", corpus.path, "--format", fmt, "-o", name,
                           cwd=folder)
        assert result.returncode == 0, result.stderr
    return folder


def test_every_format_writes_its_files(cli, corpus: Corpus, tmp_path: Path) -> None:
    expected = {"w3c": ["out.jsonld", "out.codebook.json"],
                "label-studio": ["out.json", "out.codebook.json", "out.label-config.xml"],
                "doccano": ["out.jsonl", "out.codebook.json"],
                "parquet": ["out.parquet", "out.codebook.json"]}
    for fmt, files in expected.items():
        folder = tmp_path / fmt
        folder.mkdir()
        result = cli("export", "--project", corpus.path, "--format", fmt, "-o",
                     files[0], cwd=folder)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"wrote {len(CLAIMS)} claims")
        assert sorted(p.name for p in folder.iterdir()) == sorted(files)


def test_scope_options(cli, corpus: Corpus, everything: Path, tmp_path: Path) -> None:
    records = read_jsonl(everything / "claims.jsonl")
    crlf = corpus.documents["crlf"]
    cases = {
        ("--stance", "supports,refutes", "--annotators", "alice"):
            [r for r in records if r["stance"] in ("supports", "refutes")
             and r["annotator"] == "alice"],
        ("--labels", "stance=maybe", "--labels", "claim_type=quantity"):
            [r for r in records if r["stance"] == "maybe"],
        ("--documents", crlf.sha256, "--annotators", "alice,bob"):
            [r for r in records if r["document_id"] == crlf.id],
        ("--done-only", "--info-credibility", "2,6"):
            [r for r in records if r["document_id"] == crlf.id
             and r["info_credibility"] in (2, 6)],
    }
    for number, (options, expected) in enumerate(cases.items()):
        out = tmp_path / f"scope{number}.jsonl"
        result = cli("export", "--project", corpus.path, *options, "-o", out, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert read_jsonl(out) == expected, options
        assert result.stdout.startswith(f"wrote {len(expected)} claim")


@pytest.mark.parametrize(("options", "message"), [
    (("--gold-only",), "gold"),
    (("--stance", "agree"), "'agree' is not in the codebook"),
    (("--labels", "stance"), "DIMENSION=KEY"),
    (("--annotators", "carol"), "no claims by 'carol'"),
    (("--documents", "0" * 64), "no document"),
])
def test_a_wrong_scope_is_a_one_line_error(cli, corpus: Corpus, tmp_path: Path,
                                           options: tuple[str, ...], message: str) -> None:
    result = cli("export", "--project", corpus.path, *options, "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = stderr_lines(result)
    assert message in line
    assert list(tmp_path.iterdir()) == []


def test_csv_without_bom(cli, corpus: Corpus, tmp_path: Path) -> None:
    for options, name in (((), "bom.csv"), (("--no-bom",), "plain.csv")):
        result = cli("export", "--project", corpus.path, "--format", "csv", *options,
                     "-o", name, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "bom.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"id,")


def test_a_zip_package_imports_into_a_new_project(corpus: Corpus, everything: Path,
                                                   tmp_path: Path,
                                                   project_location: str | Path) -> None:
    result = annotator("export", "--project", corpus.path, "--format", "package",
                       "-o", "dataset.zip", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{len(CLAIMS)} claims and {len(corpus.documents)} documents" in result.stdout
    project = project_location
    result = annotator("import", "--project", project, "dataset.zip", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{len(CLAIMS)} claims added" in result.stdout
    assert "codebook imported" in result.stdout
    for fmt, out in (("jsonl", "claims.jsonl"), ("documents", "documents.jsonl")):
        again = tmp_path / f"again-{out}"
        assert annotator("export", "--project", project, "--format", fmt, "-o", again,
                         cwd=tmp_path).returncode == 0
        assert again.read_bytes() == (everything / out).read_bytes()


def test_a_package_folder_imports_into_a_new_project(cli, corpus: Corpus, everything: Path,
                                                     tmp_path: Path,
                                                     project_location: str | Path) -> None:
    assert cli("export", "--project", corpus.path, "--format", "package", "-o", "dataset",
               cwd=tmp_path).returncode == 0
    project = project_location
    result = cli("import", "--project", project, "dataset", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"dataset package: dataset: {len(corpus.documents)} "
                                    "documents added")
    assert cli("export", "--project", project, "-o", "again.jsonl", cwd=tmp_path).returncode == 0
    assert (tmp_path / "again.jsonl").read_bytes() == (everything / "claims.jsonl").read_bytes()


def test_jsonl_exports_import_into_a_new_project(cli, everything: Path, tmp_path: Path,
                                                 project_location: str | Path) -> None:
    project = project_location
    # Claims named first: documents still import before the claims on them.
    result = cli("import", "--project", project, everything / "claims.jsonl",
                 everything / "documents.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert cli("export", "--project", project, "-o", "again.jsonl", cwd=tmp_path).returncode == 0
    assert (tmp_path / "again.jsonl").read_bytes() == (everything / "claims.jsonl").read_bytes()
    # Importing again adds nothing.
    result = cli("import", "--project", project, everything / "documents.jsonl",
                 everything / "claims.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0 documents added" in result.stdout and "0 claims added" in result.stdout


def test_a_package_is_never_written_over_other_files(cli, corpus: Corpus,
                                                    tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    result = cli("export", "--project", corpus.path, "--format", "package", "-o", "notes",
                 cwd=tmp_path)
    assert result.returncode == 2
    (line,) = stderr_lines(result)
    assert "holds other files" in line
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["keep.txt"]


def test_a_broken_package_names_file_and_line(cli, corpus: Corpus, tmp_path: Path) -> None:
    assert cli("export", "--project", corpus.path, "--format", "package", "-o", "dataset",
               cwd=tmp_path).returncode == 0
    claims = tmp_path / "dataset" / "claims.jsonl"
    lines = claims.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["start"] += 1
    lines[0] = json.dumps(record, ensure_ascii=False)
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "--project", tmp_path / "p.annotator.sqlite", "dataset", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = stderr_lines(result)
    assert f"{Path('dataset') / 'claims.jsonl'}:1:" in line
    assert "quote does not match" in line
    assert f"{len(CLAIMS) - 1} claims added" in result.stdout


def test_parquet_without_pyarrow_says_what_to_install(cli, corpus: Corpus, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the parquet extra (pyarrow made unimportable), the export stops with a
    one-line message naming what to install, and writes nothing."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = cli("export", "--project", corpus.path, "--format", "parquet", "-o",
                 "out.parquet", cwd=tmp_path)
    assert result.returncode == 2
    assert "pyarrow" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []

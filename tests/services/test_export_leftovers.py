"""What a killed or failed export leaves behind, and what the next one does.

A writer killed mid-export leaves its hidden ``.NAME.XXXXXXXX.part`` file (or
folder); the next export into that folder removes it and says so, but never a
partial file a live writer still holds, nor any other file. An export that hits
a file-size limit names the export (not the project) and the limit, and leaves
the earlier file in place."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats.atomic import PART_PATTERN, remove_stale_parts
from annotator.services import exports
from annotator.services.project import ProjectService
from tests.cli import test_cli_export

cli = test_cli_export.cli
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and limits")

#: Starts writing ``argv[1]`` atomically (a file, or a package folder when it
#: has no suffix), says so, and waits to be killed or told to finish.
WRITER = """
import sys
from pathlib import Path
from annotator.formats.atomic import atomic_write
from annotator.formats.export.files import atomic_directory
target = Path(sys.argv[1])
if target.suffix:
    with atomic_write(target) as handle:
        handle.write("partial " * 1000)
        handle.flush()
        print("writing", flush=True)
        sys.stdin.readline()
else:
    with atomic_directory(target, replaceable={"a.txt"}) as folder:
        (folder / "a.txt").write_text("partial")
        print("writing", flush=True)
        sys.stdin.readline()
print("done", flush=True)
"""


def start_writer(target: Path) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    assert writer.stdout.readline() == "writing\n"
    return writer


def killed_writer(target: Path) -> Path:
    """The partial file a writer of ``target`` left when it was killed."""
    writer = start_writer(target)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    writer.stdin.close()
    writer.stdout.close()
    (part,) = target.parent.glob(f".{target.name}.*.part")
    return part


def parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def project(seeded_project: Path) -> ProjectService:
    service = ProjectService.open(seeded_project)
    yield service
    service.close()


def test_the_next_export_removes_what_killed_exports_left(
        cli, project: ProjectService, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    file_part = killed_writer(out / "claims.jsonl")
    folder_part = killed_writer(out / "package")
    assert file_part.stat().st_size > 0 and folder_part.is_dir()
    assert PART_PATTERN.match(file_part.name) and PART_PATTERN.match(folder_part.name)
    others = [".notes.part", "draft.part", ".claims.jsonl.TOOLONGNAME.part", "claims.jsonl"]
    for name in others:
        (out / name).write_text("mine")
    project.close()

    result = cli("export", "--project", project.location, "--format", "documents",
                 "-o", out / "documents.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"removed {file_part}" in result.stderr and f"removed {folder_part}" in result.stderr
    assert "2 partial files left by an interrupted export" in result.stdout
    assert parts(out) == sorted(n for n in others if n.endswith(".part"))
    assert all((out / name).read_text() == "mine" for name in others)


def test_a_partial_file_a_live_writer_holds_is_left_alone(
        project: ProjectService, tmp_path: Path) -> None:
    target = tmp_path / "claims.jsonl"
    writer = start_writer(target)
    try:
        (held,) = parts(tmp_path)
        assert remove_stale_parts(tmp_path) == []
        result = exports.export(project, "jsonl", tmp_path / "other.jsonl")
        assert result.cleaned == [] and held in parts(tmp_path)
    finally:
        out, _ = writer.communicate("go\n", timeout=30)
    assert out == "done\n" and target.read_text() == "partial " * 1000
    assert parts(tmp_path) == []


def test_an_export_over_the_file_size_limit_names_the_export(
        seeded_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "documents.jsonl"
    out.write_text("earlier export\n")
    script = ("import resource, signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (40000, resource.RLIM_INFINITY))\n"
              "from annotator.cli.main import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    result = subprocess.run(
        [sys.executable, "-c", script, "export", "--project", str(seeded_project),
         "--format", "documents", "-o", str(out)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    assert result.returncode == 2
    assert result.stderr.startswith(f"annotator: error: {out}: could not be written: "
                                    "the file reached the file-size limit")
    assert "ulimit -f" in result.stderr and str(seeded_project) not in result.stderr
    assert out.read_text() == "earlier export\n"
    assert parts(tmp_path) == []


def test_an_export_that_cannot_be_written_is_an_export_error(
        project: ProjectService, tmp_path: Path) -> None:
    out = tmp_path / "gone" / "claims.jsonl"        # its folder does not exist
    with pytest.raises(exports.ExportError, match=f"^{out}: could not be written: "):
        exports.export(project, "jsonl", out)

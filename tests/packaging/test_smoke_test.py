"""packaging/smoke-test, the checks build-linux and the release workflow run on a
bundle, run here on stand-ins: an executable that runs this source tree's app
(so every check has something real to check) and broken ones it must refuse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMOKE_TEST = ROOT / "packaging" / "smoke-test"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell stand-ins")


def stand_in(tmp_path: Path, body: str) -> Path:
    exe = tmp_path / "bin" / "annotator"
    exe.parent.mkdir(exist_ok=True)
    exe.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def smoke_test(exe: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SMOKE_TEST), str(exe), *args], capture_output=True,
                          text=True, timeout=300, env=dict(os.environ))


@pytest.mark.slow
@pytest.mark.parametrize("windowed", [[], ["--windowed"]])
def test_a_working_app_passes_every_check(tmp_path: Path, windowed: list[str]) -> None:
    # The smoke test clears the environment: the stand-in names its Python itself.
    exe = stand_in(tmp_path, f'PYTHONPATH="{ROOT}" exec "{sys.executable}" -m annotator "$@"')
    result = smoke_test(exe, *windowed)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("ok: ") for line in lines), lines
    assert "text[start:end] == quote" in lines[2]


def test_a_wrong_version_fails(tmp_path: Path) -> None:
    result = smoke_test(stand_in(tmp_path, 'echo "annotator 0.0.0-wrong"'))
    assert result.returncode != 0
    assert "--version printed 'annotator 0.0.0-wrong'" in result.stderr


def test_an_app_that_cannot_find_python_fails(tmp_path: Path) -> None:
    # What a bundle that still needed a Python on PATH would do.
    result = smoke_test(stand_in(tmp_path, 'exec python3 -m annotator "$@"'))
    assert result.returncode != 0
    assert "FAILED: --version exited non-zero" in result.stderr


def test_a_self_test_that_fails_fails(tmp_path: Path) -> None:
    version = subprocess.run([sys.executable, "-m", "annotator", "--version"],
                             capture_output=True, text=True, check=True).stdout.strip()
    exe = stand_in(tmp_path, f'[ "$1" = --version ] && echo "{version}" && exit 0; exit 1')
    result = smoke_test(exe)
    assert result.returncode != 0
    assert "FAILED: --self-test exited non-zero" in result.stderr

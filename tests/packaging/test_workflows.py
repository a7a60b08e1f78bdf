"""The GitHub Actions workflows: the release workflow builds and smoke-tests the
bundle on Linux, Windows and macOS on a version tag, with the scripts that exist
here; the CI workflow runs .ci/run with the PostgreSQL server it expects."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def runs_on(step: dict[str, Any], os_name: str) -> bool:
    """Whether a step runs on the runner OS ``os_name`` (its ``if``, when it has one,
    is ``runner.os == 'X'`` or ``runner.os != 'X'``)."""
    condition = step.get("if")
    if condition is None:
        return True
    match = re.fullmatch(r"runner\.os (==|!=) '(\w+)'", condition)
    assert match, condition
    return (match[2] == os_name) == (match[1] == "==")


def test_release_builds_and_smoke_tests_on_the_three_oses_on_a_tag() -> None:
    release = workflow("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    (job,) = release["jobs"].values()
    matrix = job["strategy"]["matrix"]["include"]
    assert {(m["os"], m["target"]) for m in matrix} == {
        ("ubuntu-22.04", "linux"), ("windows-latest", "windows"), ("macos-14", "macos")}
    assert job["runs-on"] == "${{ matrix.os }}"
    assert job["defaults"]["run"]["shell"] == "bash"
    setup = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python")]
    assert setup and setup[0]["with"]["python-version"] == "3.11"

    by_os = {os_name: [s["run"] for s in job["steps"] if "run" in s and runs_on(s, os_name)]
             for os_name in ("Linux", "Windows", "macOS")}
    assert any(r.strip() == "packaging/build-linux" for r in by_os["Linux"])
    assert not any("smoke-test" in r for r in by_os["Linux"])   # build-linux runs it
    for os_name in ("Windows", "macOS"):
        script = "\n".join(by_os[os_name])
        assert "packaging/build.sh ${{ matrix.target }}" in script, os_name
        assert "pyinstaller" in script, os_name
        assert re.search(r"packaging/smoke-test \S+ --windowed", script), os_name
    upload = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload and "build/installers/" in upload[0]["with"]["path"]


def test_the_scripts_the_workflows_run_exist_and_are_executable() -> None:
    scripts: set[str] = set()
    for name in ("release.yml", "ci.yml"):
        for job in workflow(name)["jobs"].values():
            for run in runs(job):
                scripts |= set(re.findall(r"(?:packaging|\.ci)/[\w.-]+", run))
    assert {"packaging/build-linux", "packaging/build.sh", "packaging/smoke-test",
            ".ci/run"} <= scripts
    for script in scripts:
        path = ROOT / script
        assert path.is_file(), script
        assert os.access(path, os.X_OK), f"{script} is not executable"
        assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash"), script
        syntax = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert syntax.returncode == 0, f"{script}: {syntax.stderr}"


def test_ci_runs_the_test_script_with_a_postgres_server() -> None:
    ci = workflow("ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    (job,) = ci["jobs"].values()
    assert any(r.strip() == "bash .ci/run" for r in runs(job))
    postgres = job["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    assert postgres["env"]["POSTGRES_HOST_AUTH_METHOD"] == "trust"
    assert "5432:5432" in postgres["ports"]

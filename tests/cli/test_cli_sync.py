"""``annotator team publish / offline / sync`` on both backends: exit code 0 when
all went, 1 with conflicts or when the server cannot be reached, 2 for a usage
error (a server project that is not empty, a file that is not an offline copy)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.services.project import ProjectService
from annotator.services.sync import SETTING
from tests.services.sync_scenario import build_full_project, table_rows


def test_publish_offline_and_sync_from_the_command_line(
        project_location: str | Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    server = str(project_location)
    mine = tmp_path / "mine.annotator.sqlite"
    work = build_full_project(mine)
    assert main(["team", "publish", "--project", str(mine), "--to", server]) == 0
    assert "published to" in capsys.readouterr().out
    assert main(["team", "publish", "--project", str(mine), "--to", server]) == 2
    assert "not empty" in capsys.readouterr().err
    copy = tmp_path / "copy.annotator.sqlite"
    assert main(["team", "offline", "--project", server, "--to", str(copy)]) == 0
    assert "offline copy of" in capsys.readouterr().out
    assert main(["team", "sync", "--project", str(copy)]) == 0
    assert "0 conflicts" in capsys.readouterr().out

    claim_id = work.alice["CNY"].id
    for location, note in ((copy, "mine"), (project_location, "theirs")):
        service = ProjectService.open(location)
        try:
            service.update_claim(service.claim(claim_id).edited(note=note))
        finally:
            service.close()
    assert main(["team", "sync", "--project", str(copy), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(c["id"], c["fields"]["note"]) for c in report["conflicts"]] == [
        (claim_id, {"local": "mine", "server": "theirs"})]
    assert main(["team", "sync", "--project", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"conflict: claim {claim_id}: changed here and on the server" in out
    assert "note: here 'mine', on the server 'theirs'" in out
    assert main(["team", "sync", "--project", str(copy), "--resolve", f"{claim_id}=local"]) == 0
    capsys.readouterr()
    assert table_rows(copy)["claims"] == table_rows(project_location)["claims"]

    assert main(["team", "sync", "--project", str(mine)]) == 2      # not an offline copy
    assert "not an offline copy" in capsys.readouterr().err
    assert main(["team", "sync", "--project", str(copy), "--resolve", "x=both"]) == 2
    capsys.readouterr()

    connection = sqlite3.connect(copy)      # the server moves away
    value = json.loads(connection.execute("SELECT value FROM project_settings WHERE key = ?",
                                          (SETTING,)).fetchone()[0])
    value["server"] = value["server"].replace(":5432/", ":1/") if "://" in server \
        else value["server"] + ".gone"
    with connection:
        connection.execute("UPDATE project_settings SET value = ? WHERE key = ?",
                           (json.dumps(value), SETTING))
    connection.close()
    assert main(["team", "sync", "--project", str(copy)]) == 1
    assert "nothing was changed" in capsys.readouterr().err

"""A changed file imported again becomes a new version; its claims are carried over
by re-anchoring, and those that cannot be placed are kept and listed, never dropped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.domain.model import Claim
from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus, import_files

ORIGINAL = ("DeepSeek says it trained R1 on 2,000 Nvidia H800 chips. 深度求素 is its name.\n\n"
            "Analysts doubt the figure.\n\nA paragraph that will be deleted entirely.\n")
CHANGED = ("Update: a new first line 👇.\n\nDeepSeek says it trained R1 on 2,000 Nvidia H800 "
           "chips. 深度求素 is its name.\n\nMost analysts doubt the figure.\n")


def _claim(service: ProjectService, document_id: str, quote: str, **labels: object) -> Claim:
    document = service.document(document_id)
    start = document.text.index(quote)
    return service.add_claim(Claim.new(document, start, start + len(quote), annotator="a",
                                       **labels))


def test_a_changed_file_is_a_new_version_with_claims_carried_over(
        tmp_path: Path, project_location: str | Path) -> None:
    source = tmp_path / "memo.txt"
    source.write_text(ORIGINAL, encoding="utf-8")
    service = ProjectService.open(project_location, create=True)
    try:
        first = import_files(service, [source]).results[0]
        assert first.status is FileStatus.IMPORTED
        chips = _claim(service, first.document_id, "2,000 Nvidia H800 chips", stance="refutes")
        name = _claim(service, first.document_id, "深度求素")
        doubt = _claim(service, first.document_id, "Analysts doubt the figure")
        gone = _claim(service, first.document_id, "A paragraph that will be deleted entirely")

        source.write_text(CHANGED, encoding="utf-8")
        report = import_files(service, [source])
        (result,) = report.results
        assert result.status is FileStatus.NEW_VERSION
        new = service.document(result.document_id)
        assert new.previous_id == first.document_id and new.text == CHANGED
        carried = {c.id: c for c in service.claims(new.id)}
        # Same claims (ids, labels), re-anchored exactly or fuzzily in the new text.
        assert set(carried) == {chips.id, name.id, doubt.id}
        assert carried[chips.id].stance == "refutes"
        for claim in carried.values():
            assert new.text[claim.start:claim.end] == claim.quote
        assert carried[name.id].quote == "深度求素"
        assert "doubt the figure" in carried[doubt.id].quote
        # The deleted passage's claim stays on the old version and is listed.
        assert [c.id for c in report.unplaced] == [gone.id]
        assert [(c.id, newest) for c, newest in service.unplaced_claims()] == [(gone.id, new.id)]
        assert service.claim(gone.id).document_id == first.document_id
        # The old version keeps its text, unchanged, and is marked as replaced.
        assert service.document(first.document_id).text == ORIGINAL
        infos = {d.id: d for d in service.documents()}
        assert infos[first.document_id].superseded and not infos[new.id].superseded
        # Importing the same changed file again adds nothing.
        assert import_files(service, [source]).results[0].status is FileStatus.DUPLICATE
    finally:
        service.close()


def test_cli_reports_claims_to_place_by_hand(tmp_path: Path,
                                             project_location: str | Path) -> None:
    source = tmp_path / "memo.txt"
    source.write_text(ORIGINAL, encoding="utf-8")
    project = project_location
    run = [sys.executable, "-m", "annotator", "import", "--project", str(project), str(source)]
    assert subprocess.run(run, capture_output=True, timeout=120).returncode == 0
    service = ProjectService.open(project)
    try:
        (info,) = service.documents()
        gone = _claim(service, info.id, "A paragraph that will be deleted entirely")
    finally:
        service.close()
    source.write_text(CHANGED, encoding="utf-8")
    result = subprocess.run(run, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 1
    assert gone.id in result.stderr and "could not be placed" in result.stderr
    assert "1 new versions (1 claims to place)" in result.stdout

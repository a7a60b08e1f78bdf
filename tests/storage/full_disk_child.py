"""Run by ``test_disk_full.py``: fills the disk as a file-size limit
(``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored, so a write that goes past it fails
with ``EFBIG`` as on a full disk) while adding claims or importing files, then
frees the space (raises the limit) and goes on. Prints one JSON line per step."""

from __future__ import annotations

import json
import resource
import signal
import sys
from pathlib import Path

from annotator.domain.model import Claim
from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus, import_files
from annotator.storage.errors import ProjectError


def say(**what: object) -> None:
    print(json.dumps(what), flush=True)


def limit(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))


def add_claims(service: ProjectService, count: int) -> None:
    document = service.document(service.documents()[0].id)
    for i in range(count):
        start = (i * 13) % (len(document.text) - 20)
        claim = Claim.new(document, start, start + 12, annotator="filler",
                          note=f"claim {i} " + "✎" * 400)
        try:
            service.add_claim(claim)
        except ProjectError as error:
            say(event="failed", error=type(error).__name__, message=str(error))
            return
        say(event="saved", id=claim.id)
    say(event="never full")


def import_all(service: ProjectService, folder: Path) -> None:
    report = import_files(service, sorted(folder.iterdir()))
    for result in report.results:
        say(event="saved" if result.status is FileStatus.IMPORTED else "failed",
            status=result.status.value, path=result.path, message=result.reason)
    say(event="stopped", message=report.stopped)


def main(kind: str, project: str, size: str, extra: str) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    service = ProjectService.open(project)
    limit(int(size))
    if kind == "claims":
        add_claims(service, 10_000)
    else:
        import_all(service, Path(extra))
    resource.setrlimit(resource.RLIMIT_FSIZE,
                       (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    say(event="space freed")
    if kind == "claims":
        add_claims(service, 3)
    else:
        import_all(service, Path(extra))
    service.close()


if __name__ == "__main__":
    main(*sys.argv[1:])

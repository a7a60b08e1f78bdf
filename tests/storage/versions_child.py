"""One of the analysts ``test_version_concurrency.py`` runs side by side.

``python versions_child.py PROJECT WORKER SECONDS LOG START`` waits until the
clock reaches ``START`` (seconds since the epoch, the same for every worker), then
for ``SECONDS`` adds, edits and deletes claims on the project's one document:
edits of the shared claims (everyone's) and of its own, deletions of its own
only. Each result is a JSON line in ``LOG``, written after the call returned:
``add`` and ``edit`` (with the version saved) and ``delete`` only when
acknowledged, ``conflict`` with both versions when an edit was refused. The
last line, ``done``, counts the attempts and the outcomes.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from annotator.domain.model import Claim
from annotator.services.project import NotFoundError, ProjectService
from annotator.storage.errors import ClaimConflictError, ProjectError

SHARED = "shared-"


def main() -> int:
    location, worker, seconds, log_path, start = sys.argv[1:6]
    rng = random.Random(int(worker))
    service = ProjectService.open(location, busy_timeout=60)
    log = Path(log_path).open("w", encoding="utf-8")  # noqa: SIM115 (closed at the end)
    counts = {"attempts": 0, "add": 0, "edit": 0, "delete": 0, "conflict": 0, "error": 0}

    def record(op: str, **details: object) -> None:
        counts[op] += 1
        log.write(json.dumps({"op": op, **details}) + "\n")
        log.flush()

    document = next(d for d in service.documents())
    text = service.document(document.id).text
    shared = sorted(c.id for c in service.claims(document.id) if c.id.startswith(SHARED))
    own: list[str] = []
    time.sleep(max(0.0, float(start) - time.time()))
    deadline = time.monotonic() + float(seconds)
    step = 0
    while time.monotonic() < deadline:
        step += 1
        counts["attempts"] += 1
        roll = rng.random()
        try:
            if roll < 0.2 or not own:
                begin = rng.randrange(0, len(text) - 10)
                claim = Claim.new(service.document(document.id), begin,
                                  begin + rng.randint(1, 9), annotator=f"w{worker}")
                stored = service.add_claim(claim)
                own.append(stored.id)
                record("add", id=stored.id, version=stored.version)
            elif roll < 0.3:
                claim_id = own.pop(rng.randrange(len(own)))
                service.delete_claim(claim_id)
                record("delete", id=claim_id)
            else:
                claim_id = rng.choice(shared) if roll < 0.8 else rng.choice(own)
                seen = service.claim(claim_id)
                time.sleep(rng.uniform(0, 0.01))     # a colleague may save meanwhile
                note = f"w{worker}-{step}"
                try:
                    stored = service.update_claim(seen.edited(note=note))
                except ClaimConflictError as error:
                    record("conflict", id=claim_id, stored=error.stored_version,
                           yours=error.your_version)
                else:
                    record("edit", id=claim_id, version=stored.version, note=note)
        except (ProjectError, NotFoundError) as error:
            record("error", message=str(error))
    log.write(json.dumps({"op": "done", **counts}) + "\n")
    log.close()
    service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

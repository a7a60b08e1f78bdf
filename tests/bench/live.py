"""What a window's look for colleagues' changes costs (``annotator/services/live.py``,
``ui/live.py``), on a SQLite project file and on the team server, in one run:
``python -m tests.bench.live [--quick] [--repeat N]``.

Each project holds the team benchmark's 5 MB document with 10,000 claims
(:mod:`tests.bench.team`), open in the window, plus 200 small documents, each
assigned to two analysts, 500 claim links and 300 gold decisions on the big
document. Timed (median of ``--repeat`` looks, wall clock):

* **quiet probe**: what a poll of a quiet project file costs (``PRAGMA
  data_version`` on a kept connection, :class:`ChangeProbe`); a team server has
  no probe: its poll is the quiet look below (the listener wakes it at once).
* **quiet look**: :func:`changes_since` finding nothing (the open document's
  claim versions, statuses, counts, codebook, assignments' and links' stamps;
  with the gold decisions of the document, as under review).
* **look with changes**: a colleague (another service) added a claim to the
  open document, a link, marked an assignment done, imported a document and made
  a gold decision; the look that reports them all.
* **new reads**: the assignments' and links' stamps and the gold decisions' ids
  and versions alone (what this look reads beyond claims, statuses, counts).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.domain.model import Claim, Document
from annotator.domain.review import Decision, adjudicate
from annotator.services import links
from annotator.services.assignments import AssignmentService
from annotator.services.live import (
    ChangeProbe,
    _assignment_stamp,
    _link_state,
    changes_since,
    current_token,
)
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.storage.backup import BACKUP_DIR_ENV
from tests import postgres
from tests.bench.team import FULL, QUICK, Config, make_data

BACKENDS = ("sqlite", "postgresql")


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _timed(call: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        call()
        times.append(time.perf_counter() - begun)
    return _ms(statistics.median(times))


def fill(service: ProjectService, config: Config) -> tuple[Document, list[Claim], list[str]]:
    data = make_data(config)
    service.add_document(data.document)
    service.add_claims(data.claims)
    small = [service.add_document(Document.from_text(f"Small document {n}: prices rose.",
                                                     title=f"Small {n}")).document.id
             for n in range(200)]
    AssignmentService(service).assign(["alice", "bob"], 1.0, document_ids=small)
    rng = random.Random(7)
    claims = data.claims
    pairs = set()
    while len(pairs) < 500:
        a, b = rng.sample(range(len(claims)), 2)
        pairs.add((min(a, b), max(a, b)))
    for a, b in sorted(pairs):
        links.add_link(service, claims[a].id, claims[b].id, "same", analyst="bench")
    review = ReviewService(service)
    review.add_adjudications([adjudicate(Decision.ACCEPT, [c], adjudicator="rev", span_from=c)
                              for c in claims[:300]])
    return data.document, claims, small


def measure(service: ProjectService, colleague: ProjectService, document: Document,
            claims: list[Claim], small: list[str], repeat: int) -> dict[str, float]:
    result: dict[str, float] = {}
    token = replace(current_token(service, document.id, known=None),
                    gold_document=document.id)
    token = changes_since(service, token, document.text).token
    probe = ChangeProbe(service)
    probe.changed()
    if service.database.is_sqlite:
        result["quiet probe"] = _timed(probe.changed, repeat)
    probe.close()
    result["quiet look"] = _timed(lambda: changes_since(service, token, document.text), repeat)

    def new_reads() -> None:
        from sqlalchemy import select

        from annotator.storage.models import AdjudicationRow, GoldClaimRow
        with service.database.reading() as session:
            _assignment_stamp(session)
            _link_state(session, token)
            list(session.execute(select(AdjudicationRow.id, GoldClaimRow.version)
                                 .outerjoin(GoldClaimRow,
                                            GoldClaimRow.adjudication_id == AdjudicationRow.id)
                                 .where(AdjudicationRow.document_id == document.id)))
    result["new reads"] = _timed(new_reads, repeat)

    looks = []
    for n in range(repeat):
        start = document.text.index(" ", 1000 + 37 * n) + 1
        colleague.add_claim(Claim.new(document, start, start + 5, annotator="colleague"))
        a, b = claims[len(claims) // 2 + n].id, claims[len(claims) * 3 // 4 + n].id
        if links.link_between(colleague, a, b) is None:
            links.add_link(colleague, a, b, "supports", analyst="colleague")
        AssignmentService(colleague).set_done(small[n], "bob")
        colleague.add_document(Document.from_text(f"Imported {n}.", title=f"Imported {n}"))
        c = claims[len(claims) // 3 + n]      # undecided (the first 300 are)
        ReviewService(colleague).add_adjudication(
            adjudicate(Decision.ACCEPT, [c], adjudicator="dave", span_from=c))
        begun = time.perf_counter()
        changes = changes_since(service, token, document.text)
        looks.append(time.perf_counter() - begun)
        assert changes.added and changes.linked and changes.assignments
        assert changes.documents and changes.gold_added
        token = changes.token
    result["look with changes"] = _ms(statistics.median(looks))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.live", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 claims, not 10,000")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    folder = Path(tempfile.mkdtemp(prefix="annotator-live-bench-"))
    os.environ[BACKUP_DIR_ENV] = str(folder / "backups")
    server = postgres.Server()
    if server.problem is not None:
        raise SystemExit(f"cannot run: {server.problem}")
    database = server.create_database()
    locations: dict[str, str | Path] = {"postgresql": postgres.url_of(database),
                                        "sqlite": folder / "live.annotator.sqlite"}
    figures: dict[str, dict[str, float]] = {}
    try:
        for backend in BACKENDS:
            service = ProjectService.open(locations[backend], create=True)
            colleague = None
            try:
                document, claims, small = fill(service, config)
                colleague = ProjectService.open(locations[backend])
                figures[backend] = measure(service, colleague, document, claims, small,
                                           args.repeat)
            finally:
                if colleague is not None:
                    colleague.close()
                service.close()
    finally:
        server.drop(databases=[database])
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{config.claims:,} claims in the open document; median of {args.repeat} (ms)")
    names = ["quiet probe", "quiet look", "look with changes", "new reads"]
    print(f"{'':20} {'SQLite':>10} {'PostgreSQL':>11}")
    for name in names:
        cells = [f"{figures[b][name]:.3f}" if name in figures[b] else "—" for b in BACKENDS]
        print(f"{name:20} {cells[0]:>10} {cells[1]:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

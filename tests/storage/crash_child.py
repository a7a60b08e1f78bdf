"""The writer the crash harness (``test_crash_harness.py``) kills with SIGKILL.

``python crash_child.py KIND PROJECT WORKDIR SEED`` opens ``PROJECT``, prints
``ready`` and then works for ever (``migration``: once), announcing each change
before it starts with ``do {json}`` and only after the call that commits it has
returned with ``ok``. So the parent knows every change reported as saved (``do``
then ``ok``) and the one that may have been under way when it was killed (a
``do`` without its ``ok``).

Kinds: ``claims`` (add, relabel, delete), ``imports`` (text files from
``WORKDIR/incoming``, one at a time), ``exports`` (add a claim, export the
project as JSONL to ``WORKDIR/out.jsonl``), ``adjudication`` (accept, reject and
take back decisions on alice's and bob's claims) and ``migration`` (open, and so
upgrade, a project of an older schema).
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path

from annotator.domain.model import Claim
from annotator.domain.review import Decision, adjudicate
from annotator.services import exports
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.transfer import FileStatus, import_files


def say(line: str) -> None:
    print(line, flush=True)


def doing(op: str, **details: object) -> None:
    say("do " + json.dumps({"op": op, **details}))


def done() -> None:
    say("ok")


def edit_claims(service: ProjectService, rng: random.Random) -> None:
    document = service.documents()[0]
    text = service.document(document.id).text
    live = [claim.id for claim in service.claims(document.id)]
    n = 0
    while True:
        n += 1
        roll = rng.random()
        if roll < 0.6 or not live:
            start = rng.randrange(len(text) - 10)
            claim = Claim.new(service.document(document.id), start,
                              start + rng.randint(1, 9), annotator="doomed", note=f"n{n}")
            doing("add", id=claim.id, note=claim.note)
            service.add_claim(claim)
            live.append(claim.id)
        elif roll < 0.85:
            claim = service.claim(rng.choice(live))
            note = f"edited {n} " + "✓" * rng.randint(0, 300)
            doing("update", id=claim.id, note=note)
            service.update_claim(dataclasses.replace(claim, note=note))
        else:
            claim_id = live.pop(rng.randrange(len(live)))
            doing("delete", id=claim_id)
            service.delete_claim(claim_id)
        done()


def import_documents(service: ProjectService, workdir: Path) -> None:
    for path in sorted((workdir / "incoming").iterdir()):
        if service.current_version(str(path.resolve())) is not None:
            continue
        doing("import", origin=str(path.resolve()))
        report = import_files(service, [path])
        assert report.results[0].status is FileStatus.IMPORTED, report.results
        done()
    say("finished")


def export_claims(service: ProjectService, workdir: Path, rng: random.Random) -> None:
    document = service.document(service.documents()[0].id)
    while True:
        start = rng.randrange(len(document.text) - 10)
        claim = Claim.new(document, start, start + 5, annotator="exporter")
        doing("add", id=claim.id, note=claim.note)
        service.add_claim(claim)
        done()
        doing("export")
        result = exports.export(service, "jsonl", workdir / "out.jsonl")
        done()
        if result.cleaned:
            say("cleaned " + json.dumps([str(path) for path in result.cleaned]))


def adjudicate_claims(service: ProjectService, rng: random.Random) -> None:
    review = ReviewService(service)
    document_id = service.documents()[0].id
    claims = service.claims(document_id)
    by_span: dict[tuple[int, int], list[Claim]] = {}
    for claim in claims:
        by_span.setdefault((claim.start, claim.end), []).append(claim)
    units = [pair for pair in by_span.values() if len(pair) == 2]
    while True:
        decided = review.decided_claims(document_id)
        made = [a.id for a in review.adjudications(document_id)]
        open_units = [unit for unit in units if unit[0].id not in decided]
        if made and (not open_units or rng.random() < 0.2):
            adjudication_id = rng.choice(made)
            doing("remove", id=adjudication_id)
            review.remove_adjudication(adjudication_id)
        else:
            unit = rng.choice(open_units)
            if rng.random() < 0.7:
                adjudication = adjudicate(Decision.ACCEPT, unit, adjudicator="carol",
                                          span_from=unit[rng.randrange(2)])
            else:
                adjudication = adjudicate(Decision.REJECT, unit, adjudicator="carol")
            doing("add", id=adjudication.id,
                  gold=adjudication.gold.id if adjudication.gold else None)
            review.add_adjudication(adjudication)
        done()


def main(kind: str, project: str, workdir: str, seed: str) -> None:
    rng = random.Random(int(seed))
    if kind == "migration":
        say("ready")
        doing("migrate")
        ProjectService.open(project).close()
        done()
        say("finished")
        return
    service = ProjectService.open(project)
    say("ready")
    if kind == "claims":
        edit_claims(service, rng)
    elif kind == "imports":
        import_documents(service, Path(workdir))
    elif kind == "exports":
        export_claims(service, Path(workdir), rng)
    elif kind == "adjudication":
        adjudicate_claims(service, rng)
    else:
        raise SystemExit(f"unknown kind {kind!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])

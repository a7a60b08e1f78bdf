"""Team server benchmark: the same work on PostgreSQL and on a SQLite project
file, in the same run. ``python -m tests.bench.team [--quick] [--json PATH]``.

Machines are noisy, so each figure is given for both backends with their ratio
(PostgreSQL / SQLite: 2.0 means the team server takes twice as long); the
measurements of the two are interleaved, and repeated ones are summarised by
their median. The PostgreSQL project is a database of this run on the server
of ``ANNOTATOR_TEST_POSTGRES`` (default ``postgres@127.0.0.1:5432``, see
``tests/postgres.py``), created at the start and dropped at the end; the SQLite
project is a file in a temporary folder. Both run as the app runs them
(SQLite with ``synchronous=FULL``, PostgreSQL with the server's settings).

Each project holds a 5 MB document with 10,000 claims (the viewer benchmark's
text and claims, :mod:`tests.bench.viewer`) and a small one. What is timed
(wall clock, ``time.perf_counter``):

* **add claim**: :meth:`ProjectService.add_claim` of a new claim on a fresh
  span, the call the window's Enter makes (through ``ProjectController``),
  committed before it returns. Every added claim is then read back through a
  connection of its own.
* **open the document**: the reads the window makes when it shows a document:
  ``service.document`` (its text), ``service.claims_lazily`` (the rows of the
  analyst's claims, in text order), the review state (comment counts and review
  status) and the first 60 claims made, as the viewer paints a screenful.
* **import a colleague's file**: their project file (SQLite, the same 5 MB
  document with 20,000 claims of theirs) imported the way File › Import a
  Colleague's Work… does: :func:`prepare_work` (read, codebook mapped; nothing
  written) then :func:`write_work` (one transaction). Then every imported claim
  is compared with the colleague's, on both backends.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.domain.model import Claim, Document
from annotator.services.packages import prepare_work, write_work
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.storage.backup import BACKUP_DIR_ENV
from tests import postgres
from tests.bench.viewer import (
    build_text,
    complete_some,
    make_claims,
    median,
    percentile,
    plan_spans,
    seed_texts,
)

SEED = 20261206
ANALYST = "bench"
COLLEAGUE = "colleague"
#: Claims the window makes when it first paints a document (a screenful).
SCREENFUL = 60
BACKENDS = ("postgresql", "sqlite")
NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


@dataclass(frozen=True)
class Config:
    mode: str
    target_chars: int
    claims: int          # in the opened document
    additions: int
    opens: int           # per backend
    imported: int        # the colleague's claims


FULL = Config("full", 5_000_000, 10_000, 200, 5, 20_000)
QUICK = Config("quick", 500_000, 1_000, 20, 3, 2_000)


def now() -> float:
    return time.perf_counter()


def ms(seconds: float) -> float:
    return seconds * 1000.0


def ratio(pg: float, lite: float) -> float:
    return pg / lite if lite > 0 else float("nan")


# The data ------------------------------------------------------------------------------

@dataclass
class Data:
    text: str
    document: Document
    small: Document
    claims: list[Claim]          # stored in each project before the run
    additions: list[Claim]       # added one by one (the same claims on both backends)
    colleague: list[Claim]       # in the colleague's file


def make_data(config: Config) -> Data:
    rng = random.Random(SEED)
    seeds = seed_texts()
    text = build_text(seeds, config.target_chars)
    document = Document.from_text(text, title="Big briefing (bench)")
    small = Document.from_text(seeds[0][1], title=seeds[0][0])
    plan = plan_spans(text, config.claims, config.additions * 2, rng)
    claims = complete_some(make_claims(document, plan.claims, rng), 0.5, random.Random(SEED + 1))
    # The two backends add different claims on the same kind of spans: ids are
    # unique per project anyway, and neither is slowed by the other's spans.
    additions = make_claims(document, plan.additions, rng)
    theirs = plan_spans(text, config.imported, 0, random.Random(SEED + 2))
    colleague = complete_some(
        [dataclasses.replace(c, annotator=COLLEAGUE) for c in
         make_claims(document, theirs.claims, random.Random(SEED + 3))],
        0.7, random.Random(SEED + 4))
    return Data(text, document, small, claims, additions, colleague)


def fill(service: ProjectService, data: Data) -> None:
    service.add_document(data.small)
    service.add_document(data.document)
    service.add_claims(data.claims)


def colleague_file(folder: Path, data: Data) -> Path:
    path = folder / "colleague.annotator.sqlite"
    service = ProjectService.open(path, create=True)
    try:
        service.add_document(data.document)
        service.add_claims(data.colleague)
    finally:
        service.close()
    return path


# Measurements --------------------------------------------------------------------------

def time_add(service: ProjectService, claim: Claim) -> float:
    start = now()
    service.add_claim(claim)
    return now() - start


def open_document(service: ProjectService, document_id: str) -> tuple[float, int]:
    """The window's reads when it shows the document; (seconds, claims listed)."""
    start = now()
    document = service.document(document_id)
    claims = service.claims_lazily(document.id, document.text, annotators=[ANALYST])
    review = ReviewService(service)
    review.comment_counts(document.id)
    review.review_status(document.id)
    for index in range(min(SCREENFUL, len(claims))):
        claims[index]
    elapsed = now() - start
    return elapsed, len(claims)


def import_colleague(service: ProjectService, path: Path) -> dict[str, Any]:
    start = now()
    prepared = prepare_work(service, path)
    prepared_at = now()
    try:
        report = write_work(service, prepared)
    finally:
        prepared.close()
    end = now()
    return {"total_s": end - start, "prepare_s": prepared_at - start,
            "write_s": end - prepared_at, "added": report.claims_added,
            "updated": report.claims_updated, "unchanged": report.claims_unchanged,
            "problems": [str(p) for p in report.problems]}


def _fields(claim: Claim) -> tuple:
    return (claim.id, claim.document_id, claim.start, claim.end, claim.quote,
            claim.annotator, claim.stance, claim.proposition, claim.claim_type,
            claim.source_reliability, claim.info_credibility, claim.note, claim.tags)


def verify(location: str | Path, data: Data, added: list[Claim],
           config: Config) -> dict[str, Any]:
    """What a fresh connection finds in the project after the run."""
    service = ProjectService.open(location)
    try:
        stored = service.claims(data.document.id, data.text)
        by_id = {claim.id: claim for claim in stored}
        missing = [c.id for c in added if c.id not in by_id]
        wrong = [c.id for c in added if c.id in by_id
                 and _fields(by_id[c.id]) != _fields(dataclasses.replace(c, quote=c.quote))]
        theirs = [c for c in stored if c.annotator == COLLEAGUE]
        expected = {c.id: _fields(c) for c in data.colleague}
        imported_same = sum(1 for c in theirs if expected.get(c.id) == _fields(c))
        quotes_ok = all(data.text[c.start:c.end] == c.quote for c in stored)
        return {
            "claims": len(stored),
            "expected_claims": config.claims + config.additions + config.imported,
            "added_found": len(added) - len(missing), "added_wrong": len(wrong),
            "colleague_claims": len(theirs), "colleague_same": imported_same,
            "quotes_ok": quotes_ok,
        }
    finally:
        service.close()


# The run -------------------------------------------------------------------------------

def run(config: Config, folder: Path) -> dict[str, Any]:
    started = now()
    server = postgres.Server()
    if server.problem is not None:
        raise SystemExit(f"cannot run: {server.problem}")
    server.sweep_dead_runs()
    database = server.create_database()
    locations: dict[str, str | Path] = {
        "postgresql": postgres.url_of(database),
        "sqlite": folder / "bench.annotator.sqlite"}
    services: dict[str, ProjectService] = {}
    result: dict[str, Any] = {"mode": config.mode, "database": database}
    try:
        setup = now()
        data = make_data(config)
        theirs = colleague_file(folder, data)
        result["setup_s"] = {"data": now() - setup}
        for backend in BACKENDS:
            begun = now()
            services[backend] = service = ProjectService.open(locations[backend], create=True)
            fill(service, data)
            result["setup_s"][backend] = now() - begun
        with postgres.connect(database) as connection:
            (version,) = connection.execute("SHOW server_version").fetchone()
        result["env"] = {"python": platform.python_version(), "postgresql": version,
                         "cpus": os.cpu_count(), "machine": platform.machine()}

        # Add claims, alternating the backends claim by claim.
        adds: dict[str, list[float]] = {b: [] for b in BACKENDS}
        added: dict[str, list[Claim]] = {b: [] for b in BACKENDS}
        for index, claim in enumerate(data.additions):
            backend = BACKENDS[index % 2]
            adds[backend].append(time_add(services[backend], claim))
            added[backend].append(claim)

        # Open the document, alternating.
        opens: dict[str, list[float]] = {b: [] for b in BACKENDS}
        listed: dict[str, int] = {}
        for _ in range(config.opens):
            for backend in BACKENDS:
                seconds, listed[backend] = open_document(services[backend], data.document.id)
                opens[backend].append(seconds)

        # Import the colleague's file, once on each.
        imports = {backend: import_colleague(services[backend], theirs)
                   for backend in BACKENDS}
    finally:
        for service in services.values():
            service.close()
    try:
        checks = {backend: verify(locations[backend], data, added[backend],
                                  dataclasses.replace(config, additions=len(added[backend])))
                  for backend in BACKENDS}
    finally:
        server.drop(databases=[database])
    with postgres.connect() as connection:
        left = connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                                  (database,)).fetchone()[0]
    result["database_dropped"] = left == 0

    def figures(values: dict[str, list[float]], pick: Callable[[list[float]], float]
                ) -> dict[str, float]:
        pg, lite = (ms(pick(values[b])) for b in BACKENDS)
        return {"postgresql_ms": pg, "sqlite_ms": lite, "ratio": ratio(pg, lite)}

    result["add_claim"] = {
        "count": {b: len(adds[b]) for b in BACKENDS},
        "p50": figures(adds, lambda v: percentile(v, 50)),
        "p95": figures(adds, lambda v: percentile(v, 95)),
        "runs_ms": {b: [round(ms(x), 3) for x in adds[b]] for b in BACKENDS}}
    result["open"] = {
        "claims": config.claims, "added_before": {b: len(added[b]) for b in BACKENDS},
        "listed": listed, "text_chars": len(data.text),
        "median": figures(opens, median),
        "runs_ms": {b: [round(ms(x), 2) for x in opens[b]] for b in BACKENDS}}
    result["import"] = {
        "claims": config.imported, "reports": imports,
        "total": {"postgresql_ms": ms(imports["postgresql"]["total_s"]),
                  "sqlite_ms": ms(imports["sqlite"]["total_s"]),
                  "ratio": ratio(imports["postgresql"]["total_s"],
                                 imports["sqlite"]["total_s"])},
        "write": {"postgresql_ms": ms(imports["postgresql"]["write_s"]),
                  "sqlite_ms": ms(imports["sqlite"]["write_s"]),
                  "ratio": ratio(imports["postgresql"]["write_s"],
                                 imports["sqlite"]["write_s"])}}
    result["verified"] = checks
    result["ok"] = bool(result["database_dropped"] and all(
        c["claims"] == c["expected_claims"] and c["added_found"] == len(added[b])
        and c["added_wrong"] == 0 and c["colleague_claims"] == config.imported
        and c["colleague_same"] == config.imported and c["quotes_ok"]
        and listed[b] == config.claims + len(added[b])
        and imports[b]["added"] == config.imported
        and not imports[b]["problems"]
        for b, c in checks.items()))
    result["wall_s"] = now() - started
    return result


# Output --------------------------------------------------------------------------------

def _line(label: str, figures: dict[str, float], unit: str = "ms") -> str:
    return (f"  {label:<34} {figures['postgresql_ms']:>10.1f} {unit}"
            f" {figures['sqlite_ms']:>10.1f} {unit} {figures['ratio']:>8.2f}x")


def print_table(result: dict[str, Any]) -> None:
    env = result["env"]
    print(f"Team server benchmark ({result['mode']}): PostgreSQL {env['postgresql']} "
          f"against a SQLite file, same run; Python {env['python']}, {env['cpus']} CPUs")
    opened, imported = result["open"], result["import"]
    print(f"  document: {opened['text_chars']:,} characters, {opened['claims']:,} claims; "
          f"colleague's file: {imported['claims']:,} claims")
    print(f"  {'':<34} {'PostgreSQL':>13} {'SQLite':>13} {'PG/SQLite':>9}")
    add = result["add_claim"]
    count = add["count"]["postgresql"]
    print(_line(f"add claim p50 ({count} each)", add["p50"]))
    print(_line("add claim p95", add["p95"]))
    print(_line(f"open the document (median of {len(opened['runs_ms']['sqlite'])})",
                opened["median"]))
    print(_line("import colleague's file: total", imported["total"]))
    print(_line("  of which writing", imported["write"]))
    for backend in BACKENDS:
        c = result["verified"][backend]
        print(f"  verified {NAMES[backend]}: {c['claims']:,}/{c['expected_claims']:,} claims, "
              f"added {c['added_found']} found ({c['added_wrong']} wrong), colleague's "
              f"{c['colleague_same']:,}/{c['colleague_claims']:,} as in their file, "
              f"quotes {'OK' if c['quotes_ok'] else 'WRONG'}")
    print(f"  database {result['database']} "
          f"{'dropped' if result['database_dropped'] else 'NOT DROPPED'}; "
          f"wall time {result['wall_s']:.1f} s; verification "
          f"{'OK' if result['ok'] else 'FAILED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.team", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small run for a smoke test (500k characters, 1,000 claims, "
                             "20 additions, a colleague's 2,000 claims)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    folder = Path(tempfile.mkdtemp(prefix="annotator-team-bench-"))
    os.environ[BACKUP_DIR_ENV] = str(folder / "backups")
    try:
        result = run(config, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(result)
    line = json.dumps(result)
    if args.json:
        Path(args.json).write_text(line + "\n", encoding="utf-8")
    sys.stdout.flush()
    print(line)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""``annotator evidence``: the evidence board of a proposition (or of every
proposition) as CSV or JSON, on stdout or in a file."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from annotator.formats.atomic import atomic_write
from annotator.services import evidence
from annotator.services.project import ProjectService


def add_parser(commands: argparse._SubParsersAction,  # type: ignore[type-arg]
               with_project: Callable[[argparse.ArgumentParser], None]) -> None:
    sub = commands.add_parser(
        "evidence", help="the evidence board: every claim on a proposition, by stance, with "
                         "source, grades, corroboration and disagreeing figures")
    with_project(sub)
    sub.add_argument("--proposition", metavar="TEXT",
                     help="only this proposition (its exact text; default: every one)")
    sub.add_argument("--format", choices=("csv", "json"), default="csv")
    sub.add_argument("--output", "-o", metavar="FILE",
                     help="write here (default: standard output)")


def run(args: argparse.Namespace, service: ProjectService,
        error: type[Exception]) -> int:
    try:
        known = evidence.propositions(service)
        if args.proposition is not None and args.proposition not in known:
            raise error(f"--proposition {args.proposition!r}: no claim or codebook entry has "
                        "this proposition")
        boards = evidence.boards(service, args.proposition)
    finally:
        service.close()

    def write(handle) -> None:  # type: ignore[no-untyped-def]
        if args.format == "json":
            json.dump(evidence.board_json(boards), handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        else:
            evidence.write_board_csv(handle, boards)

    if args.output:
        with atomic_write(args.output, newline="",
                          encoding="utf-8-sig" if args.format == "csv" else "utf-8") as handle:
            write(handle)
        count = sum(board.count for board in boards)
        print(f"wrote {count} claim(s) on {len(boards)} proposition(s) to {args.output}",
              file=sys.stderr)
    else:
        write(sys.stdout)
    return 0

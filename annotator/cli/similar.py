"""``annotator similar``: passages in other documents that state the same thing as
a claim (existing claims and unlabelled text), best first."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from annotator.services import similar
from annotator.services.project import NotFoundError, ProjectService


def add_parser(commands: argparse._SubParsersAction,  # type: ignore[type-arg]
               with_project: Callable[[argparse.ArgumentParser], None]) -> None:
    sub = commands.add_parser(
        "similar", help="the same claim elsewhere: passages in other documents that state "
                        "what a claim states (existing claims and unlabelled text), best "
                        "first, with figures, currencies and dates normalised")
    with_project(sub)
    sub.add_argument("--claim", required=True, metavar="ID", help="the claim's id")
    sub.add_argument("--limit", type=int, default=similar.DEFAULT_LIMIT,
                     help=f"at most this many candidates (default {similar.DEFAULT_LIMIT})")
    sub.add_argument("--format", choices=("text", "json"), default="text",
                     help="json: an array of {document_id, start, end, quote, score, "
                          "claim_id (null for unlabelled text), reasons, document_title, "
                          "analyst}")
    sub.add_argument("--analyst", metavar="NAME",
                     help="whose view: on documents coded blind only NAME's own claims are "
                          "offered (without it, nobody's)")


def run(args: argparse.Namespace, service: ProjectService, error: type[Exception]) -> int:
    try:
        if args.limit < 1:
            raise error("--limit must be 1 or more")
        try:
            found = similar.candidates(service, args.claim, args.limit, analyst=args.analyst)
        except NotFoundError:
            raise error(f"no claim {args.claim!r} in this project") from None
    finally:
        service.close()
    if args.format == "json":
        print(json.dumps([c.to_json() for c in found], ensure_ascii=False, indent=1))
        return 0
    for c in found:
        what = f"claim {c.claim_id}" if c.claim_id else "text"
        quote = " ".join(c.quote.split())
        print(f"{c.score:.3f}  {c.document_title} ({c.document_id}) {c.start}-{c.end} "
              f"{what}: {quote}")
        if c.reasons:
            print(f"       {'; '.join(c.reasons)}")
    print(f"{len(found)} candidate{'s' if len(found) != 1 else ''}")
    return 0

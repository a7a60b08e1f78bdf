"""``annotator search``: find text across a project's documents, claims and sources."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date

from annotator.services.project import ProjectService
from annotator.services.search import DEFAULT_LIMIT, LAYERS, SearchFilters, SearchService

STATUSES = ("new", "in_progress", "done")


def add_parser(commands: argparse._SubParsersAction,  # type: ignore[type-arg]
               with_project: Callable[[argparse.ArgumentParser], None]) -> None:
    sub = commands.add_parser(
        "search", help="find text in documents, claims (quotes, propositions, notes, tags) "
                       "and sources; any text is a query (\"...\" for a phrase)")
    with_project(sub)
    sub.add_argument("query", nargs="+", metavar="QUERY",
                     help="words that must all appear (case ignored, also inside words); "
                          "text in double quotes is a phrase; nothing else is special")
    sub.add_argument("--format", choices=("text", "json"), default="text")
    sub.add_argument("--label", action="append", default=[], metavar="KEY",
                     help="only claims with this label key (stance, claim type, ...); "
                          "repeat or comma-separate for any of several")
    sub.add_argument("--analyst", action="append", default=[], metavar="NAME",
                     help="only claims by this analyst")
    sub.add_argument("--source", action="append", default=[], metavar="NAME_OR_ID",
                     help="only claims attributed to this source")
    sub.add_argument("--status", action="append", default=[], metavar="STATUS",
                     help=f"only documents with this status ({', '.join(STATUSES)})")
    sub.add_argument("--since", metavar="YYYY-MM-DD", help="claims made (documents imported) "
                     "on or after this day (UTC)")
    sub.add_argument("--until", metavar="YYYY-MM-DD", help="... on or before this day")
    sub.add_argument("--layer", choices=LAYERS, default="analysts",
                     help="whose claims: the analysts' (default), the gold layer review made "
                          "(gold: only gold claims' hits) or both (all)")
    sub.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                     help=f"at most this many results (default {DEFAULT_LIMIT})")


def _list(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for value in values for part in value.split(",")
                               if part.strip()))


def _day(value: str | None, option: str, error: type[Exception]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise error(f"{option} {value!r}: not a date (YYYY-MM-DD)") from None


def filters(args: argparse.Namespace, error: type[Exception]) -> SearchFilters:
    statuses = _list(args.status)
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise error(f"--status {unknown[0]!r}: not a status ({', '.join(STATUSES)})")
    if args.limit < 1:
        raise error("--limit must be 1 or more")
    return SearchFilters(labels=_list(args.label), analysts=_list(args.analyst),
                         sources=_list(args.source), statuses=statuses,
                         since=_day(args.since, "--since", error),
                         until=_day(args.until, "--until", error), layer=args.layer)


def run(args: argparse.Namespace, service: ProjectService,
        error: type[Exception]) -> int:
    try:
        chosen = filters(args, error)
        results = SearchService(service.database).search(" ".join(args.query), chosen,
                                                         limit=args.limit)
    finally:
        service.close()
    if args.format == "json":
        print(json.dumps({"query": " ".join(args.query),
                          "results": [r.to_json() for r in results]},
                         ensure_ascii=False, indent=1))
        return 0
    for r in results:
        where = f"{r.start}-{r.end}" if r.end else "-"
        who = (" gold" if r.kind == "gold" else "") + (f" {r.analyst}" if r.analyst else "")
        snippet = r.snippet[:r.hit_start] + "[" + r.snippet[r.hit_start:r.hit_end] + "]" + \
            r.snippet[r.hit_end:]
        print(f"{r.document_title} ({r.document_id}) {where} {r.field}{who}: {snippet}")
    print(f"{len(results)} result{'s' if len(results) != 1 else ''}")
    return 0

"""``annotator team …``: roles on a team project (a PostgreSQL database).

``team init`` migrates the project and creates its group roles and row-level
security policies; ``team add-analyst`` gives a person a login role in one of
them; ``team members`` lists who is in the team. See annotator/storage/team.py
for what each role may do (enforced by the server, whatever client connects).

Blind double coding (also on a local SQLite project, where the app enforces it):
``team assign`` gives documents to analysts with a share coded twice, ``team
assignments`` lists who codes what, ``team queue`` lists the documents every
assignee finished, most disagreement first (see annotator/services/assignments.py).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

from annotator.domain.assignments import AssignmentError
from annotator.services.assignments import AssignmentService
from annotator.services.project import NotFoundError, ProjectService
from annotator.storage import team
from annotator.storage.errors import PasswordNeededError, translated


class TeamCommandError(Exception):
    pass


def open_project(location: str, *, create: bool = False, busy_timeout: float | None = None,
                 read_only: bool = False) -> ProjectService:
    """Open a project; a team server that wants a password gets one typed at a
    prompt (when there is a terminal), which is then kept in the OS keyring, never
    in a file."""
    try:
        return ProjectService.open(location, create=create, busy_timeout=busy_timeout,
                                   read_only=read_only)
    except PasswordNeededError:
        if not team.is_team_url(location) or not sys.stdin.isatty():
            raise
    url = team.normalise_url(location)
    password = getpass.getpass(f"Password for {url.username}@{url.host}/{url.database}: ")
    team.use_password(url, password)      # in memory only; the keyring below
    # Without the URL's own password (refused): it would be used again.
    service = ProjectService.open(team.without_password(url), create=create,
                                  busy_timeout=busy_timeout, read_only=read_only)
    team.remember_password(url, password)
    return service


def add_parser(commands: Any, with_project: Callable[[argparse.ArgumentParser], None]) -> None:
    sub = commands.add_parser(
        "team", help="team roles on a shared PostgreSQL project "
                     "(--project postgresql://USER@HOST/DB)")
    actions = sub.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", help="create or upgrade the schema, the team's roles and the server's "
                     "row-level security (run as the database's owner)")
    with_project(init)
    add = actions.add_parser(
        "add-analyst", help="give a person a login role: analyst (their own claims), "
                            "reviewer (also the gold layer, comments, review status) or "
                            "admin (also the codebook and everyone's claims)")
    with_project(add)
    add.add_argument("name", metavar="NAME", help="the analyst name written on their claims")
    add.add_argument("--role", choices=team.TEAM_ROLES, default="analyst")
    add.add_argument("--login", metavar="ROLE",
                     help="the PostgreSQL login role (default: made from NAME)")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    secret.add_argument("--no-password", action="store_true",
                        help="set no password (the server authenticates otherwise, e.g. "
                             "by certificate or peer)")
    listing = actions.add_parser("members", help="list the team's members and roles")
    with_project(listing)
    assign = actions.add_parser(
        "assign", help="assign documents to analysts for blind double coding (run again: "
                       "adds only what is missing)")
    with_project(assign)
    assign.add_argument("--analysts", required=True, metavar="A,B,...",
                        help="the analysts' names (as written on their claims)")
    assign.add_argument("--overlap", type=float, default=0.0, metavar="FRACTION",
                        help="the share of documents coded by two analysts, 0 to 1 "
                             "(default 0)")
    assign.add_argument("--seed", type=int, help="another seed gives another (still "
                                                 "balanced) plan")
    assign.add_argument("--documents", metavar="ID,...",
                        help="these documents (default: every current document)")
    assign.add_argument("--by", metavar="NAME", default=None,
                        help="who assigns (default: your name on a team server)")
    for name, text in (("assignments", "list who codes which document and who is done"),
                       ("queue", "the reviewer's queue: documents every assignee finished, "
                                 "most disagreement first")):
        sub_action = actions.add_parser(name, help=text)
        with_project(sub_action)
        sub_action.add_argument("--format", choices=("table", "json"), default="table")
    add_sync_parsers(actions, with_project)


def _password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            raise TeamCommandError("the passwords differ; nothing was changed")
    else:
        raise TeamCommandError("no terminal to ask for the password: use --password-stdin "
                               "or --no-password")
    if not password:
        raise TeamCommandError("an empty password; nothing was changed")
    return password


def _names(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _run_assignments(args: argparse.Namespace, location: str) -> int:
    service = open_project(location)
    try:
        assignments = AssignmentService(service)
        if args.team_command == "assign":
            by = args.by
            if by is None:
                with service.database.engine.connect() as connection:
                    by = team.current_analyst(connection) or ""
            analysts = _names(args.analysts)
            added = assignments.assign(analysts, args.overlap, seed=args.seed,
                                       document_ids=_names(args.documents) or None,
                                       assigned_by=by)
            load: dict[str, int] = {}
            for assignment in assignments.assignments():
                load[assignment.analyst] = load.get(assignment.analyst, 0) + 1
            documents = len({a.document_id for a in added})
            print(f"{len(added)} assignments added ({documents} documents)")
            for name in sorted(load):
                print(f"{name}\t{load[name]}")
            return 0
        titles = {info.id: info.title for info in service.documents()}
        if args.team_command == "assignments":
            found = assignments.assignments()
            if args.format == "json":
                print(json.dumps([{**a.to_json(), "title": titles.get(a.document_id, "")}
                                  for a in found], ensure_ascii=False, indent=2))
            else:
                for a in found:
                    print(f"{a.document_id}\t{a.analyst}\t{a.status}\t"
                          f"{titles.get(a.document_id, '')}")
            return 0
        queue = assignments.queue()
        if args.format == "json":
            print(json.dumps([e.to_json() for e in queue], ensure_ascii=False, indent=2))
        else:
            print("differences\tspan F1\tdocument\tanalysts\ttitle")
            for e in queue:
                f1 = "-" if e.span_f1 is None else f"{e.span_f1:.2f}"
                print(f"{e.differences}\t{f1}\t{e.document_id}\t{', '.join(e.analysts)}\t"
                      f"{e.title}")
        return 0
    except (AssignmentError, NotFoundError) as error:
        raise TeamCommandError(str(error)) from None
    finally:
        service.close()


def run(args: argparse.Namespace, location: str | None) -> int:
    if args.team_command in ("assign", "assignments", "queue"):
        if not location:
            raise TeamCommandError("name the project: --project PATH or "
                                   "postgresql://USER@HOST/DB")
        return _run_assignments(args, location)
    if args.team_command in SYNC_COMMANDS:
        return run_sync(args, location)
    if not location or not team.is_team_url(location):
        raise TeamCommandError("team commands need --project postgresql://USER@HOST/DB")
    password = _password(args) if args.team_command == "add-analyst" else None
    database = open_project(location, create=True).database
    try:
        with translated(database.where), database.engine.begin() as connection:
            if args.team_command == "init":
                groups = team.init_team(connection)
                print(f"team roles: {', '.join(groups)}; row-level security is on")
            elif args.team_command == "add-analyst":
                login = team.add_member(connection, args.name, args.role, login=args.login,
                                        password=password)
                print(f"{args.name}: login role {login}, {args.role}")
            else:
                for member in team.members(connection):
                    print(f"{member['analyst']}\t{member['login']}\t{member['role']}")
    except team.TeamError as error:
        raise TeamCommandError(str(error)) from None
    finally:
        database.close()
    return 0


# Publish, take offline, sync (annotator/services/sync.py) -------------------------------

SYNC_COMMANDS = ("publish", "offline", "sync")


def add_sync_parsers(actions: Any,
                     with_project: Callable[[argparse.ArgumentParser], None]) -> None:
    publish = actions.add_parser(
        "publish", help="copy a project file (--project FILE) into a new, empty team "
                        "project (--to postgresql://USER@HOST/DB); the file is only read")
    with_project(publish)
    publish.add_argument("--to", required=True, metavar="URL", help="the empty server project")
    offline = actions.add_parser(
        "offline", help="take an offline copy of a team project (--project URL) into a new "
                        "project file (--to FILE), to sync back later")
    with_project(offline)
    offline.add_argument("--to", required=True, metavar="FILE", help="the new project file")
    merge = actions.add_parser(
        "sync", help="sync an offline copy (--project FILE) with its server: changes made on "
                     "one side go to the other; claims changed on both are listed as "
                     "conflicts and kept (exit code 1)")
    with_project(merge)
    merge.add_argument("--format", choices=("text", "json"), default="text")
    merge.add_argument("--resolve", action="append", default=[], metavar="ID=SIDE",
                       help="settle a conflict: keep this copy's version (local) or the "
                            "server's (server); the other is kept in the claim's history")


def _prompted(call: Callable[[str | None], Any], location: str) -> Any:
    """``call(password)``; a server that wants a password gets one typed at a prompt
    (kept in the OS keyring once it worked)."""
    try:
        return call(None)
    except PasswordNeededError:
        if not team.is_team_url(location) or not sys.stdin.isatty():
            raise
    url = team.normalise_url(location)
    password = getpass.getpass(f"Password for {url.username}@{url.host}/{url.database}: ")
    result = call(password)
    team.remember_password(url, password)
    return result


def _resolutions(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        key, _, side = pair.partition("=")
        if not key or side not in ("local", "server"):
            raise TeamCommandError(f"--resolve {pair!r}: give ID=local or ID=server")
        found[key] = side
    return found


def run_sync(args: argparse.Namespace, location: str | None) -> int:
    from annotator.services import sync as syncing

    if not location:
        raise TeamCommandError(f"team {args.team_command} needs --project")
    try:
        if args.team_command == "publish":
            report = _prompted(lambda password: syncing.publish(
                location, args.to, password=password), args.to)
            print(report.summary())
            return 0
        if args.team_command == "offline":
            report = _prompted(lambda password: syncing.take_offline(
                location, args.to, password=password), location)
            print(report.summary())
            return 0
        resolve = _resolutions(args.resolve)
        info = syncing.offline_info(location)
        server = str((info or {}).get("server") or "")
        result = _prompted(lambda password: syncing.sync(
            location, password=password, resolve=resolve), server or location)
    except syncing.SyncFailed as error:
        print(f"annotator: {error}", file=sys.stderr)
        return 1
    except syncing.SyncError as error:
        raise TeamCommandError(str(error)) from None
    if args.format == "json":
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        _print_sync(result)
    return 0 if result.clean else 1


def _print_sync(report: Any) -> None:
    print(report.summary())
    for direction, counts in (("sent", report.pushed), ("received", report.pulled)):
        for what, count in sorted(counts.items()):
            print(f"{direction}: {what}: {count}")
    def shown(value: Any) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else repr(value)

    for conflict in report.conflicts:
        print(f"conflict: {conflict.describe()}")
        if conflict.label:
            print(f"  “{conflict.label}”")
        for name, (mine, theirs) in sorted(conflict.fields.items()):
            print(f"  {name}: here {shown(mine)}, on the server {shown(theirs)}")
    for table, key, why in report.refused:
        print(f"refused: {table} {key}: {why}".replace("  ", " "))
    for problem in report.problems:
        print(f"problem: {problem}")

"""The three-way merge of an offline copy with its server (see
:mod:`annotator.services.sync`).

Every row is compared with its *base* (its fingerprint when the copy was taken
or last synced): changed here only → sent to the server; changed on the server
only → taken here; changed on both sides to different values (or changed on
one, deleted on the other) → a :class:`~annotator.services.sync.Conflict`:
nothing is written for it on either side and its base stays, so the next sync
lists it again until it is resolved. A claim's edits go to the server only onto
the version read (``UPDATE … WHERE version = ?``), and a claim changed here
while the sync ran is left for the next one. Rows the server refuses (a role's
row-level security, a clash) are listed and stay pending here.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy import exc as sa_exc

from annotator.domain.codebook import (
    PROPOSITION,
    Codebook,
    CodebookError,
    Dimension,
    label_value,
    to_dict,
)
from annotator.domain.exchange import map_codebook, with_additions
from annotator.domain.model import utc_now
from annotator.services.codebook import CodebookService
from annotator.services.sync import (
    _REFERENCES,
    MERGED,
    SETTING,
    Conflict,
    SyncError,
    SyncFailed,
    SyncReport,
    _document_order,
    _fingerprint,
    _key,
    _Kind,
    _read,
    _save_base,
    _texts,
    _value_print,
    _with_password,
    base_entry,
    offline_info,
)
from annotator.storage.database import Database, open_database
from annotator.storage.errors import PasswordNeededError, ProjectAccessError, ProjectError
from annotator.storage.models import Base, ClaimRow, GoldClaimRow, ProjectSettingRow

Rows = dict[str, dict[str, Any]]
#: Rows both sides may add under one id (a document's id is made from its text):
#: the server's details win.
_SHARED = ("documents", "sources")
_KIND_HISTORY = next(kind for kind in MERGED if kind.name == "claim_history")
RESOLUTIONS = {"local": "local", "mine": "local", "server": "server", "theirs": "server"}


@dataclass
class _Op:
    """One row to write on one side."""

    kind: _Kind
    action: str             # insert, update, delete, version (align the version only)
    key: str
    row: dict[str, Any] | None = None
    #: The version the row must still have (claims, gold claims), or None.
    expect: int | None = None
    #: The row's base entry before the sync (kept when the write is refused).
    before: Any = None
    #: A claim's version this write replaces, kept in its history (a resolution).
    replaced: dict[str, Any] | None = None
    #: The columns an update sets (those that differ), besides the version.
    columns: tuple[str, ...] = ()


@dataclass
class _Plan:
    server: list[_Op] = field(default_factory=list)
    local: list[_Op] = field(default_factory=list)
    base: dict[str, dict[str, Any]] = field(default_factory=dict)


# The entry point -------------------------------------------------------------------------

def sync(local_path: str | Path, *, password: str | None = None,
         resolve: Mapping[str, str]) -> SyncReport:
    path = Path(local_path).expanduser()
    info = offline_info(path)
    if info is None or not info.get("server"):
        raise SyncError(f"{path}: not an offline copy of a server project (take one with "
                        "`annotator team offline` or File › Take Offline Copy…)")
    unknown = sorted(v for v in resolve.values() if v not in RESOLUTIONS)
    if unknown:
        raise SyncError(f"a conflict is resolved with local or server, not {unknown[0]!r}")
    resolutions = {key: RESOLUTIONS[value] for key, value in resolve.items()}
    local = open_database(path)
    try:
        with local.reading() as session:
            row = session.get(ProjectSettingRow, SETTING)
            base: dict[str, Any] = dict(row.value) if row is not None else {}
        report = SyncReport(str(base.get("server")))
        try:
            server = open_database(_with_password(report.server, password))
        except PasswordNeededError:
            raise
        except ProjectError as error:
            raise SyncFailed(f"sync failed, nothing was changed: {error}") from None
        try:
            _merge(local, server, base, report, resolutions)
        except (PasswordNeededError, SyncError):
            raise
        except ProjectError as error:
            raise SyncFailed(f"sync failed: {error}; what was not written is sent at the "
                            "next sync") from None
        finally:
            server.close()
    finally:
        local.close()
    return report


def _merge(local: Database, server: Database, base: dict[str, Any], report: SyncReport,
           resolve: Mapping[str, str]) -> None:
    renames: dict[str, dict[str, str]] = {}
    codebook = _merge_codebook(local, server, base.get("codebook") or {}, report, renames)
    with local.reading() as mine, server.reading() as theirs:
        local_rows = {kind.name: _read(mine.connection(), kind) for kind in MERGED}
        server_rows = {kind.name: _read(theirs.connection(), kind) for kind in MERGED}
    rows_base: dict[str, dict[str, Any]] = dict(base.get("rows") or {})
    _rebase_renamed(rows_base, local_rows, server_rows, renames)
    remaps = _remaps(local_rows, server_rows, rows_base)
    _twin_rows(local_rows, server_rows, rows_base, remaps, report)
    plan = _Plan()
    for kind in MERGED:
        _plan_table(kind, rows_base.get(kind.name, {}), local_rows[kind.name],
                    server_rows[kind.name], plan, report, resolve)
    _plan_history(plan, local_rows["claim_history"], server_rows["claim_history"])
    _write_server(server, local, plan, report)
    with local.writing() as session:
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        _apply_remaps(connection, remaps)
        _write_local(connection, server, plan, report)
        base = {**base, "rows": plan.base, "codebook": codebook,
                "synced_at": utc_now().isoformat()}
        _save_base(connection, base)


# The codebook ----------------------------------------------------------------------------

def _content(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k not in ("version", "history")}


def _used(database: Database) -> tuple[dict[Dimension, set[str]], set[str]]:
    used: dict[Dimension, set[str]] = {}
    with database.reading() as session:
        for table in (ClaimRow, GoldClaimRow):
            for dimension in Dimension:
                column = getattr(table, dimension.value)
                used.setdefault(dimension, set()).update(
                    str(value) for value in session.scalars(select(column).distinct())
                    if value is not None and value != "")
        propositions = {text for table in (ClaimRow, GoldClaimRow)
                        for text in session.scalars(select(table.proposition).distinct())
                        if text}
    return used, propositions


def _adopt(database: Database, target: Codebook, current: Codebook, change: str,
           renames_out: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Make ``target`` the codebook of ``database`` (whose codebook is
    ``current``): its claims' labels mapped through both histories, a label
    only its claims use added (never dropped or split). Returns the labels added;
    the labels and propositions its claims were renamed from and to go into
    ``renames_out`` (field → old → new)."""
    used, propositions = _used(database)
    mapping = map_codebook(target, current, used, propositions)
    mapping.add_all_new()
    new, added = with_additions(target, mapping, uuid.uuid4)
    table = mapping.translations()
    renames = {Dimension(name): values for name, values in table.items() if name != PROPOSITION}
    CodebookService(database).apply(new, change, renames=renames,
                                    proposition_renames=table.get(PROPOSITION, {}))
    if renames_out is not None:
        for name, values in table.items():
            renames_out.setdefault(name, {}).update(values)
    return added


def _merge_codebook(local: Database, server: Database, base: Mapping[str, Any],
                    report: SyncReport, renames: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The server's codebook wins unless only this copy's changed. Returns the
    codebook to record as the new base."""
    ours = CodebookService(local).codebook()
    theirs = CodebookService(server).codebook()
    mine, its = _content(to_dict(ours)), _content(to_dict(theirs))
    if mine == its:
        return to_dict(ours)
    was = _content(base)
    if mine != was and its == was:
        try:
            _adopt(server, ours, theirs, "Changes made in an offline copy", renames)
        except ProjectAccessError as error:
            report.refused.append(("codebook", "", str(error)))
            return dict(base)
        except CodebookError as error:
            report.problems.append(f"the codebook changes were not sent: {error}")
            return dict(base)
        report.codebook = "codebook changes sent to the server"
        return to_dict(ours)
    try:
        added = _adopt(local, theirs, ours, "The team server's codebook", renames)
    except CodebookError as error:
        report.problems.append(f"the server's codebook was not taken: {error}")
        return dict(base)
    report.codebook = "the server's codebook taken"
    if added:
        report.codebook += f" (with labels only this copy uses: {', '.join(added)})"
        ours = CodebookService(local).codebook()
        try:
            _adopt(server, ours, theirs, "Labels used in an offline copy", renames)
        except (ProjectAccessError, CodebookError) as error:
            report.refused.append(("codebook", "", str(error)))
            return to_dict(theirs)
    return to_dict(ours)


# Planning --------------------------------------------------------------------------------

def _rebase_renamed(base: dict[str, dict[str, Any]], local: dict[str, Rows],
                    server: dict[str, Rows], renames: Mapping[str, Mapping[str, str]]) -> None:
    """Claims the codebook merge relabelled on both sides (``renames``: field → old
    → new): a row (the server's, else this copy's) that differs from its base only
    by those renames becomes the base, so an edit on the other side goes as an
    edit (not a conflict)."""
    kind = next(k for k in MERGED if k.name == "claims")
    back: dict[str, dict[Any, Any]] = {}
    for name, values in renames.items():
        dimension = None if name == PROPOSITION else Dimension(name)
        seen: dict[Any, Any] = {}
        for old, new in values.items():
            was, now = (old, new) if dimension is None else (
                label_value(dimension, old), label_value(dimension, new))
            seen[now] = None if now in seen else was      # two labels made one: unknown
        back[name] = {now: was for now, was in seen.items() if was is not None}
    if not any(back.values()) or "claims" not in base:
        return
    table = base["claims"] = dict(base["claims"])
    for key, entry in table.items():
        was = _print(kind, entry)
        for row in (server["claims"].get(key), local["claims"].get(key)):
            if row is None or _fingerprint(kind, row) == was:
                continue
            reverted = {name: back[name].get(value, value) if name in back else value
                        for name, value in row.items()}
            if _fingerprint(kind, reverted) == was:
                table[key] = base_entry(kind, row)
                break

def _remaps(local: dict[str, Rows], server: dict[str, Rows],
            base: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Sources and documents both sides added under different ids (the same name,
    the same text): this copy's ids → the server's, with the rows that name them
    changed in ``local`` (the copy's own rows follow in :func:`_apply_remaps`)."""
    remaps: dict[str, dict[str, str]] = {}
    for name, unique in (("sources", "name"), ("documents", "sha256")):
        known = base.get(name, {})
        fold = (lambda value: str(value).casefold()) if name == "sources" else str
        theirs = {fold(row[unique]): key for key, row in server[name].items()
                  if key not in local[name] and key not in known}
        mapping = {key: theirs[fold(row[unique])] for key, row in local[name].items()
                   if key not in server[name] and key not in known
                   and fold(row[unique]) in theirs}
        if not mapping:
            continue
        remaps[name] = mapping
        for key in mapping:
            del local[name][key]
        for table, column in _REFERENCES[name]:
            kind = next(k for k in MERGED if k.name == table)
            moved = {}
            for key, row in local[table].items():
                if row.get(column) in mapping:
                    row = {**row, column: mapping[row[column]]}
                    moved[key] = row
            for key, row in moved.items():
                del local[table][key]
                local[table][_key(kind, row)] = row
    return remaps


#: Rows a table holds once per what they say (whatever their id): links (between
#: two claims, either way round), dismissed passages (a claim's passage).
_ONCE = {"claim_links": lambda row: frozenset((row["claim_id"], row["target_id"])),
         "candidate_dismissals": lambda row: (row["claim_id"], row["document_id"],
                                              row["start"], row["end"])}


def _twin_rows(local: dict[str, Rows], server: dict[str, Rows], base: Mapping[str, Any],
                remaps: dict[str, dict[str, str]], report: SyncReport) -> None:
    """Two claims linked (a passage dismissed) here and on the server while apart,
    under two ids: the server's row stays, this copy's goes (between two claims
    there is at most one link); a relation that differs is said."""
    for name, said in _ONCE.items():
        known, mine = base.get(name, {}), local[name]
        theirs = {said(row): row for key, row in server[name].items()
                  if key not in known and key not in mine}
        twins = {}
        for key, row in mine.items():
            other = theirs.get(said(row))
            if key in known or key in server[name] or other is None:
                continue
            twins[key] = other["id"]
            if other.get("relation") != row.get("relation"):
                report.problems.append(
                    f"claims {row['claim_id']} and {row['target_id']} were linked here as "
                    f"{row['relation']} and on the server as {other['relation']}: the "
                    "server's link is kept")
        for key in twins:
            del mine[key]
        if twins:
            remaps[name] = twins


def _print(kind: _Kind, entry: Any) -> str | None:
    if entry is None:
        return None
    if isinstance(entry, dict):
        return entry.get("print")
    return entry[1] if kind.versioned else entry


def _merge_fields(kind: _Kind, base: Any, mine: Mapping[str, Any],
                  theirs: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...],
                                                      tuple[str, ...]] | None:
    """A row both sides changed, in different columns: the merged row, the columns
    to send and the columns to take; None when a column changed on both sides."""
    fields = base.get("fields") if isinstance(base, dict) else None
    if not isinstance(fields, dict):
        return None
    row, send, take = dict(mine), [], []
    for name in mine:
        if name in kind.unhashed or name in kind.key:
            continue
        was, here, there = fields.get(name), _value_print(mine[name]), \
            _value_print(theirs.get(name))
        if here == there or there == was:
            if here != there:
                send.append(name)
        elif here == was:
            row[name] = theirs.get(name)
            take.append(name)
        else:
            return None
    return row, tuple(send), tuple(take)


def _differences(kind: _Kind, mine: Mapping[str, Any] | None,
                 theirs: Mapping[str, Any] | None) -> dict[str, tuple[Any, Any]]:
    if mine is None or theirs is None:
        return {}
    return {name: (mine.get(name), theirs.get(name)) for name in sorted(set(mine) | set(theirs))
            if name not in kind.unhashed and mine.get(name) != theirs.get(name)}


def _plan_table(kind: _Kind, base: Mapping[str, Any], local: Rows, server: Rows,
                plan: _Plan, report: SyncReport, resolve: Mapping[str, str]) -> None:
    new_base: dict[str, Any] = {}
    plan.base[kind.name] = new_base
    for key in sorted(set(base) | set(local) | set(server)):
        was = _print(kind, base.get(key))
        mine, theirs = local.get(key), server.get(key)
        mine_print = None if mine is None else _fingerprint(kind, mine)
        their_print = None if theirs is None else _fingerprint(kind, theirs)
        if mine_print == their_print:
            if theirs is not None and mine is not None:
                new_base[key] = base_entry(kind, theirs)
                if kind.versioned and mine["version"] != theirs["version"]:
                    plan.local.append(_align(kind, key, mine, theirs["version"],
                                             base.get(key)))
            continue
        changed_here, changed_there = mine_print != was, their_print != was
        choice = resolve.get(key)
        if was is None and kind.name in _SHARED and mine is not None and theirs is not None:
            choice = choice or "server"     # added on both sides: the server's details
        merged = _merge_fields(kind, base.get(key), mine, theirs) \
            if kind.fields and changed_here and changed_there and choice is None \
            and mine is not None and theirs is not None else None
        if merged is not None:
            row, send, take = merged
            new_base[key] = base_entry(kind, row)
            for side, columns in ((plan.server, send), (plan.local, take)):
                if columns:
                    side.append(_Op(kind, "update", key, row,
                                    before=base.get(key), columns=columns))
            continue
        if changed_here and changed_there and choice is None:
            _conflict(kind, key, mine, theirs, was, report)
            if key in base:
                new_base[key] = base[key]
            continue
        if changed_here and (not changed_there or choice == "local"):
            _push(kind, key, mine, theirs, plan, new_base, base.get(key),
                  replaced=theirs if changed_there else None)
        else:
            _pull(kind, key, mine, theirs, plan, new_base, base.get(key),
                  replaced=mine if changed_here else None)


def _conflict(kind: _Kind, key: str, mine: Mapping[str, Any] | None,
              theirs: Mapping[str, Any] | None, was: str | None, report: SyncReport) -> None:
    if was is None:
        what = "added here and on the server, differently"
    elif mine is None:
        what = "deleted here, changed on the server"
    elif theirs is None:
        what = "changed here, deleted on the server"
    else:
        what = "changed here and on the server"
    row = mine if mine is not None else theirs or {}
    label = str(row.get("quote") or row.get("title") or row.get("name") or "")
    report.conflicts.append(Conflict(
        kind.name, key, what, _differences(kind, mine, theirs),
        mine.get("version") if mine is not None and kind.versioned else None,
        theirs.get("version") if theirs is not None and kind.versioned else None, label))


def _push(kind: _Kind, key: str, mine: dict[str, Any] | None, theirs: dict[str, Any] | None,
          plan: _Plan, new_base: dict[str, Any], before: Any,
          replaced: dict[str, Any] | None) -> None:
    if mine is None:
        plan.server.append(_Op(kind, "delete", key, theirs,
                               expect=theirs.get("version") if kind.versioned and theirs
                               else None, before=before, replaced=replaced))
        return
    if theirs is None:
        new_base[key] = base_entry(kind, mine)
        plan.server.append(_Op(kind, "insert", key, mine, before=before))
        return
    version = theirs["version"] + 1 if kind.versioned else None
    new_base[key] = base_entry(kind, mine, version)
    plan.server.append(_Op(kind, "update", key, mine, expect=theirs.get("version")
                           if kind.versioned else None, before=before,
                           replaced=replaced, columns=_changed(kind, mine, theirs)))
    if kind.versioned:      # this copy's row takes the server's new version
        plan.local.append(_align(kind, key, mine, version, before))


def _align(kind: _Kind, key: str, mine: Mapping[str, Any], version: int | None,
           before: Any) -> _Op:
    """This copy's row, unchanged, takes the server's version number."""
    row = {**{name: mine[name] for name in kind.key}, "version": version}
    return _Op(kind, "version", key, row, expect=mine["version"], before=before)


def _changed(kind: _Kind, mine: Mapping[str, Any], theirs: Mapping[str, Any]
             ) -> tuple[str, ...]:
    skip = set(kind.key) | set(kind.generated) | {"version", "text"}
    return tuple(name for name in mine if name not in skip
                 and mine.get(name) != theirs.get(name))


def _pull(kind: _Kind, key: str, mine: dict[str, Any] | None, theirs: dict[str, Any] | None,
          plan: _Plan, new_base: dict[str, Any], before: Any,
          replaced: dict[str, Any] | None) -> None:
    expect = mine.get("version") if kind.versioned and mine is not None else None
    if theirs is None:
        plan.local.append(_Op(kind, "delete", key, mine, expect=expect, before=before,
                              replaced=replaced))
        return
    new_base[key] = base_entry(kind, theirs)
    plan.local.append(_Op(kind, "insert" if mine is None else "update", key, theirs,
                          expect=expect, before=before,
                          replaced=replaced,
                          columns=() if mine is None else _changed(kind, theirs, mine)))


# Writing ---------------------------------------------------------------------------------

def _where(kind: _Kind, op: _Op) -> Any:
    table = kind.table
    row = op.row or {}
    condition = and_(*(table.c[name] == row[name] for name in kind.key))
    if op.expect is not None:
        condition = and_(condition, table.c.version == op.expect)
    return condition


def _values(kind: _Kind, row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name not in kind.generated}


def _execute(connection: Connection, op: _Op, version: int | None = None) -> int:
    kind, table = op.kind, op.kind.table
    if op.action == "insert":
        connection.execute(insert(table).values(**_values(kind, op.row or {})))
        return 1
    if op.action == "delete":
        return connection.execute(delete(table).where(_where(kind, op))).rowcount
    if op.action == "version":
        return connection.execute(update(table).where(_where(kind, op))
                                  .values(version=(op.row or {})["version"])).rowcount
    row = op.row or {}
    values = {name: row[name] for name in op.columns}
    if kind.versioned:
        values["version"] = version if version is not None else row["version"]
    if not values:
        return 1
    return connection.execute(update(table).where(_where(kind, op)).values(**values)).rowcount


def _refusal(error: sa_exc.DBAPIError) -> str:
    original = getattr(error, "orig", error)
    first = str(original).strip().splitlines()[0] if str(original).strip() else ""
    if getattr(original, "sqlstate", None) == "42501":
        return f"your role on the team server does not allow this change ({first})"
    return f"the server refused it ({first})"


def _plan_history(plan: _Plan, local: Rows, server: Rows) -> None:
    """A claim's version a resolution replaces is kept in its history, on both sides."""
    kind = _KIND_HISTORY
    for op in [*plan.server, *plan.local]:
        row = op.replaced
        if row is None or op.kind.name != "claims":
            continue
        record = {name: (value.isoformat() if hasattr(value, "isoformat") else value)
                  for name, value in row.items()}
        record.setdefault("source_name", "")
        entry = {"claim_id": row["id"], "updated_at": row["updated_at"], "record": record,
                 "recorded_at": utc_now()}
        key = _key(kind, entry)
        stored = server.get(key) or local.get(key)
        if stored is not None:
            entry = stored
        plan.base.setdefault(kind.name, {})[key] = _fingerprint(kind, entry)
        if key not in server:
            plan.server.append(_Op(kind, "insert", key, entry))
        if key not in local:
            plan.local.append(_Op(kind, "insert", key, entry))


def _order(ops: list[_Op]) -> list[_Op]:
    """Deletions last first (what refers to a row goes before it), then the rest in
    the tables' order (a row before what refers to it); documents after the
    versions they replace."""
    rank = {kind.name: index for index, kind in enumerate(MERGED)}
    deletions = sorted((op for op in ops if op.action == "delete"),
                       key=lambda op: -rank[op.kind.name])
    others = [op for op in ops if op.action != "delete"]
    documents = [op for op in others if op.kind.name == "documents" and op.action == "insert"]
    if documents:
        ordered = _document_order([op.row or {} for op in documents])
        position = {row["id"]: index for index, row in enumerate(ordered)}
        documents.sort(key=lambda op: position[(op.row or {})["id"]])
        others = [op for op in others if op not in documents]
        others += documents
    others.sort(key=lambda op: rank[op.kind.name])     # stable: documents stay in order
    return deletions + others


def _write_server(server: Database, local: Database, plan: _Plan,
                  report: SyncReport) -> None:
    """Send this copy's changes, in one transaction; each row in a savepoint, so
    a row the server refuses is listed (and stays pending) and the rest go."""
    if not plan.server:
        return
    _add_texts(plan.server, local)
    refused: set[int] = set()
    with server.writing() as session:
        connection = session.connection()
        for op in _order(plan.server):
            version = (op.expect + 1) if op.kind.versioned and op.action == "update" \
                and op.expect is not None else None
            try:
                with connection.begin_nested():
                    done = _execute(connection, op, version)
            except (sa_exc.IntegrityError, sa_exc.ProgrammingError) as error:
                reason = _refusal(error)
                done = -1
            else:
                reason = ("not yours to change on the team server, or changed there "
                          "meanwhile (it stays here; sync again)")
            if done == 0 or done == -1:
                refused.add(id(op))
                report.refused.append((op.kind.name, op.key, reason))
                _restore_base(plan, op)
                continue
            report.pushed[f"{op.kind.name} {_verb(op.action)}"] += 1
    if refused:     # this copy's row keeps its version where the server's did not move
        plan.local = [op for op in plan.local if not (
            op.action == "version" and any(r[0] == op.kind.name and r[1] == op.key
                                           for r in report.refused))]


def _add_texts(ops: list[_Op], source: Database) -> None:
    """Documents to insert carry their text, read from ``source`` only now (the
    plan compares fingerprints, never whole texts)."""
    wanted = [op.key for op in ops if op.kind.name == "documents" and op.action == "insert"]
    if not wanted:
        return
    with source.reading() as session:
        texts = _texts(session.connection(), wanted)
    for op in ops:
        if op.kind.name == "documents" and op.action == "insert":
            op.row = {**(op.row or {}), "text": texts[op.key]}


def _restore_base(plan: _Plan, op: _Op) -> None:
    table = plan.base.setdefault(op.kind.name, {})
    if op.before is None:
        table.pop(op.key, None)
    else:
        table[op.key] = op.before


def _verb(action: str) -> str:
    return {"insert": "added", "update": "changed", "delete": "deleted"}[action]


def _write_local(connection: Connection, server: Database, plan: _Plan,
                 report: SyncReport) -> None:
    _add_texts(plan.local, server)
    for op in _order(plan.local):
        try:
            with connection.begin_nested():
                done = _execute(connection, op)
        except sa_exc.IntegrityError as error:
            report.problems.append(f"{op.kind.name} {op.key} could not be taken: "
                                   f"{_refusal(error)}")
            _restore_base(plan, op)
            continue
        if done == 0:
            report.problems.append(f"{op.kind.name} {op.key} was changed here during the "
                                   "sync; it is compared again at the next sync")
            if op.action != "version":  # else the base is what both sides held (or what
                _restore_base(plan, op)  # was sent): the newer edit here goes next time
            continue
        if op.action != "version":
            report.pulled[f"{op.kind.name} {_verb(op.action)}"] += 1


def _apply_remaps(connection: Connection, remaps: Mapping[str, Mapping[str, str]]) -> None:
    """This copy's rows that named a source or document the server also had under
    another id name the server's; the copy's duplicate goes (the server's comes
    with the pull), as does a link the server has between the same claims."""
    for name, mapping in remaps.items():
        for old, new in mapping.items():
            for table_name, column in _REFERENCES.get(name, ()):
                table = Base.metadata.tables[table_name]
                connection.execute(update(table).where(table.c[column] == old)
                                   .values({column: new}))
            table = Base.metadata.tables[name]
            connection.execute(delete(table).where(table.c.id == old))


"""Publishing a project file to a team server, taking an offline copy of a
server project, and syncing the copy back (issue 11).

* :func:`publish` copies every table of a local SQLite project (documents and
  their versions, the codebook with its versions and history, sources,
  settings, claims with their ids and versions, claims' history, the gold
  layer, review comments, assignments, claim links, dismissed candidates) into
  an *empty* server project, in one transaction, and checks the counts before
  committing. The local file is only read (opened read-only; an older schema
  is upgraded in a temporary copy).
* :func:`take_offline` makes a local SQLite copy of a server project and records
  in it (project setting ``offline_copy``) the server's URL without its
  password, when it was taken and the *base*: a fingerprint (and for claims and
  gold claims the version) of every row, and the codebook as it was.
* :func:`sync` merges by id against that base, three ways: what changed on one
  side only goes to the other (added, changed, deleted), what changed on both
  sides differently is a *conflict*: neither side is overwritten, both versions
  stay where they are and the conflict is listed (and listed again at the next
  sync, until resolved with ``resolve``). The codebook: the server's wins unless
  only the copy's changed; labels are mapped through both codebooks' histories
  (:mod:`annotator.domain.exchange`), and a label only the copy's claims use is
  added, never split. Rows the server refuses (an analyst's role, row-level
  security) are listed as refused and stay pending. The server's changes are
  one transaction, the copy's another; a sync that cannot reach the server
  changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text

from annotator.domain.codebook import to_dict
from annotator.domain.model import utc_now
from annotator.services.codebook import CodebookService
from annotator.storage import team
from annotator.storage.backup import copy_without_writing
from annotator.storage.database import Database, head_revision, open_database
from annotator.storage.errors import ProjectError
from annotator.storage.models import Base, ProjectSettingRow

#: The project setting that makes a project file an offline copy.
SETTING = "offline_copy"
#: Rows read or written at a time.
CHUNK = 500


class SyncError(ProjectError):
    """Publishing, taking offline or syncing cannot be done as asked; nothing changed."""


class SyncFailed(SyncError):
    """A sync that could not reach the server (or lost it on the way)."""


@dataclass(frozen=True)
class _Kind:
    """How one table is copied and merged: its key columns, the columns left out
    of its fingerprint, and whether it counts saves (``version``)."""

    name: str
    key: tuple[str, ...] = ("id",)
    unhashed: tuple[str, ...] = ()
    versioned: bool = False
    #: Left out of inserts (an id the database numbers itself).
    generated: tuple[str, ...] = ()
    #: Its base keeps each column's fingerprint too: changes to different columns on
    #: the two sides merge (a document's status here, its review status there).
    fields: bool = False

    @property
    def table(self) -> Table:
        return Base.metadata.tables[self.name]


#: The tables merged row by row, in the order they are inserted (references first).
MERGED = (
    _Kind("sources"),
    _Kind("documents", unhashed=("text",), fields=True),
    _Kind("claims", unhashed=("version",), versioned=True),
    _Kind("claim_history", key=("claim_id", "updated_at"), unhashed=("id",),
          generated=("id",)),
    _Kind("adjudications"),
    _Kind("gold_claims", unhashed=("version",), versioned=True),
    _Kind("review_comments"),
    _Kind("assignments", key=("document_id", "analyst")),
    _Kind("claim_links"),
    _Kind("candidate_dismissals"),
)
_KINDS = {kind.name: kind for kind in MERGED}
#: The codebook's tables: copied whole by publish and take_offline, merged as one
#: codebook by sync.
CODEBOOK_TABLES = ("codebook_labels", "propositions", "codebook_versions", "project_settings")
#: Where rows of other tables name a source or a document (remapped when both
#: sides added the same source or the same text under different ids).
_REFERENCES = {
    "sources": (("claims", "source_id"), ("gold_claims", "source_id")),
    "documents": (("claims", "document_id"), ("gold_claims", "document_id"),
                  ("adjudications", "document_id"), ("assignments", "document_id"),
                  ("candidate_dismissals", "document_id"), ("documents", "previous_id")),
}


# Reports ---------------------------------------------------------------------------------

@dataclass
class PublishReport:
    server: str
    #: Rows copied per table.
    counts: dict[str, int] = field(default_factory=dict)
    #: What was done: "published to SERVER", "offline copy of SERVER".
    done: str = "published to"

    def summary(self) -> str:
        return (f"{self.done} {self.server}: {self.counts.get('documents', 0)} documents, "
                f"{self.counts.get('claims', 0)} claims, "
                f"{sum(self.counts.values())} rows in all")


@dataclass
class Conflict:
    """A row changed on both sides (or changed on one, deleted on the other)."""

    table: str
    key: str
    #: "changed on both sides", "deleted here, changed on the server", ...
    kind: str
    #: Column: (this copy's value, the server's value), for the columns that differ.
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    local_version: int | None = None
    server_version: int | None = None
    #: What the row is, for people: a claim's quote, a document's title, a source's name.
    label: str = ""

    @property
    def what(self) -> str:
        return {"claims": "claim", "gold_claims": "gold claim", "documents": "document",
                "sources": "source"}.get(self.table, self.table)

    def describe(self) -> str:
        names = ", ".join(sorted(self.fields)) if self.fields else ""
        return f"{self.what} {self.key}: {self.kind}" + (f" ({names})" if names else "")

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "id": self.key, "kind": self.kind, "label": self.label,
                "local_version": self.local_version, "server_version": self.server_version,
                "fields": {name: {"local": _plain(a), "server": _plain(b)}
                           for name, (a, b) in sorted(self.fields.items())}}


@dataclass
class SyncReport:
    server: str
    #: "claims added" … → count, for each direction.
    pushed: Counter[str] = field(default_factory=Counter)
    pulled: Counter[str] = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    #: (table, key, why) of this copy's changes the server refused (kept here).
    refused: list[tuple[str, str, str]] = field(default_factory=list)
    #: What happened to the codebook ("" when neither side changed it).
    codebook: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.conflicts or self.refused or self.problems)

    @property
    def changed_nothing(self) -> bool:
        return not (self.pushed or self.pulled or self.codebook)

    def summary(self) -> str:
        pushed = sum(self.pushed.values())
        pulled = sum(self.pulled.values())
        parts = [f"{pushed} change{'s' if pushed != 1 else ''} sent to the server",
                 f"{pulled} received"]
        if self.codebook:
            parts.append(self.codebook)
        parts.append(f"{len(self.conflicts)} conflict{'s' if len(self.conflicts) != 1 else ''}")
        if self.refused:
            parts.append(f"{len(self.refused)} refused by the server")
        return "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {"server": self.server, "pushed": dict(sorted(self.pushed.items())),
                "pulled": dict(sorted(self.pulled.items())),
                "conflicts": [c.as_json() for c in self.conflicts],
                "refused": [{"table": t, "id": k, "reason": r} for t, k, r in self.refused],
                "codebook": self.codebook, "problems": list(self.problems)}


# Rows ------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _key(kind: _Kind, row: Mapping[str, Any]) -> str:
    if len(kind.key) == 1:
        return str(row[kind.key[0]])
    return json.dumps([_plain(row[name]) for name in kind.key], ensure_ascii=False)


def _fingerprint(kind: _Kind, row: Mapping[str, Any]) -> str:
    values = {name: _plain(value) for name, value in row.items()
              if name not in kind.unhashed}
    data = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def _value_print(value: Any) -> str:
    data = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


def base_entry(kind: _Kind, row: Mapping[str, Any], version: int | None = None) -> Any:
    """What the base keeps of a row: its fingerprint, with its version (claims,
    gold claims) or its columns' fingerprints (documents)."""
    fingerprint = _fingerprint(kind, row)
    if kind.fields:
        return {"print": fingerprint, "fields": {
            name: _value_print(value) for name, value in row.items()
            if name not in kind.unhashed and name not in kind.key}}
    if kind.versioned:
        return [row["version"] if version is None else version, fingerprint]
    return fingerprint


def _columns(kind: _Kind) -> list[Any]:
    return [column for column in kind.table.columns if column.name not in ("text",)] \
        if kind.name == "documents" else list(kind.table.columns)


def _read(connection: Connection, kind: _Kind) -> dict[str, dict[str, Any]]:
    """Every row of a table (a document without its text), by key."""
    result = connection.execute(select(*_columns(kind)))
    return {_key(kind, row): dict(row) for row in result.mappings()}


def _texts(connection: Connection, ids: list[str]) -> dict[str, str]:
    table = Base.metadata.tables["documents"]
    found: dict[str, str] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(connection.execute(select(table.c.id, table.c.text).where(
            table.c.id.in_(ids[start:start + CHUNK]))).all())
    return found


def _document_order(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Documents with each one after the version it replaces."""
    pending = list(rows)
    ids = {row["id"] for row in pending}
    placed: set[str] = set()
    ordered: list[Mapping[str, Any]] = []
    while pending:
        later = []
        for row in pending:
            previous = row.get("previous_id")
            if previous is None or previous in placed or previous not in ids:
                ordered.append(row)
                placed.add(row["id"])
            else:
                later.append(row)
        if len(later) == len(pending):      # a loop of versions: cannot happen
            ordered += later
            break
        pending = later
    return ordered


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _count(connection: Connection, name: str) -> int:
    table = Base.metadata.tables[name]
    return connection.execute(select(func.count()).select_from(table)).scalar() or 0


def _copy_table(source: Connection, target: Connection, name: str,
                skip: Callable[[Mapping[str, Any]], bool] | None = None) -> int:
    """Copy every row of ``name`` (ids and all), ``CHUNK`` rows at a time."""
    table = Base.metadata.tables[name]
    copied = 0
    if name == "documents":
        order = [row["id"] for row in _document_order(
            source.execute(select(table.c.id, table.c.previous_id)).mappings())]
        for ids in _chunks(order):
            rows = {row["id"]: dict(row) for row in source.execute(
                select(table).where(table.c.id.in_(ids))).mappings()}
            target.execute(insert(table), [rows[i] for i in ids])
            copied += len(ids)
        return copied
    result = source.execute(select(table)).mappings()
    while batch := result.fetchmany(CHUNK):
        rows = [dict(row) for row in batch if skip is None or not skip(row)]
        if rows:
            target.execute(insert(table), rows)
            copied += len(rows)
    return copied


def _copy_everything(source: Connection, target: Connection) -> dict[str, int]:
    """Copy every table of ``source`` into ``target``, whose codebook (a new
    project's defaults) is replaced; returns the rows copied per table, checked
    against the counts of ``target`` afterwards."""
    for name in CODEBOOK_TABLES:
        target.execute(delete(Base.metadata.tables[name]))
    counts: dict[str, int] = {}
    order = ["sources", "documents", *CODEBOOK_TABLES, *[k.name for k in MERGED[2:]]]
    for name in order:
        counts[name] = _copy_table(
            source, target, name,
            (lambda row: row["key"] == SETTING) if name == "project_settings" else None)
    if target.dialect.name == "postgresql":
        for name in ("codebook_labels", "claim_history"):   # numbered by the server
            target.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
    for name, copied in counts.items():
        stored = _count(target, name)
        if stored != copied:
            raise SyncError(f"copying {name} stored {stored} rows instead of {copied}; "
                            "nothing was changed")
    return counts


# Opening ---------------------------------------------------------------------------------

@contextlib.contextmanager
def _read_only_local(path: Path) -> Iterator[Database]:
    """The project file opened without writing to it: read-only when it is at this
    version's schema, else a temporary copy (SQLite's backup API) upgraded."""
    if not path.is_file():
        raise SyncError(f"{path}: no such project file")
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            revision = probe.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            probe.close()
    except sqlite3.Error as error:
        raise SyncError(f"{path}: not an Annotator project ({error})") from None
    if revision is not None and revision[0] == head_revision():
        database = open_database(path, read_only=True)
        try:
            yield database
        finally:
            database.close()
        return
    with tempfile.TemporaryDirectory(prefix="annotator-publish-") as folder:
        copy = Path(folder) / "project.sqlite"
        try:
            copy_without_writing(path, copy)
        except (sqlite3.Error, OSError) as error:
            raise SyncError(f"{path}: cannot be read ({error})") from None
        database = open_database(copy, back_up=False)
        try:
            yield database
        finally:
            database.close()


def server_name(location: str | Path) -> str:
    """The server's URL without its password (or a project file's absolute path)."""
    if team.is_team_url(location) or "://" in str(location):
        return team.without_password(team.normalise_url(str(location)))
    return str(Path(location).expanduser().absolute())


def _with_password(location: str, password: str | None) -> str:
    """``location`` to open, with ``password`` given for it in this process only
    (the password never becomes part of a location that could be shown)."""
    if password is not None and team.is_team_url(location):
        team.use_password(team.normalise_url(location), password)
    return location


_DATA_TABLES = ("documents", "claims", "sources", "propositions", "adjudications",
                "gold_claims", "review_comments", "claim_history", "assignments",
                "claim_links", "candidate_dismissals")


def _check_empty(connection: Connection, where: str) -> None:
    held = {name: _count(connection, name) for name in _DATA_TABLES}
    held["codebook versions"] = max(0, _count(connection, "codebook_versions") - 1)
    found = [f"{n} {name}" for name, n in held.items() if n]
    if found:
        raise SyncError(
            f"{where}: the server project is not empty ({', '.join(found[:4])}); publish "
            "only into a new, empty project (to work on this one, take an offline copy "
            "of it and sync)")


# Publish and take offline -------------------------------------------------------------

def publish(local_path: str | Path, server_url: str, *,
            password: str | None = None) -> PublishReport:
    """Copy the project file at ``local_path`` into the empty project at
    ``server_url`` (migrated to this version's schema first), in one transaction.
    Refused with :class:`SyncError` when the server's project holds anything."""
    path = Path(local_path).expanduser()
    report = PublishReport(server_name(server_url))
    with _read_only_local(path) as local:
        server = open_database(_with_password(server_url, password), create=True)
        try:
            with local.reading() as reading, server.writing() as writing:
                target = writing.connection()
                _check_empty(target, server.where)
                report.counts = _copy_everything(reading.connection(), target)
        finally:
            server.close()
    return report


def take_offline(server_url: str, local_path: str | Path, *,
                 password: str | None = None) -> PublishReport:
    """Copy the project at ``server_url`` into a new project file at
    ``local_path`` and record there what a later :func:`sync` needs: the
    server (without a password), the time, and the base of every row."""
    path = Path(local_path).expanduser().absolute()
    if path.exists():
        raise SyncError(f"{path}: already exists; choose a new file for the offline copy")
    report = PublishReport(server_name(server_url), done="offline copy of")
    server = open_database(_with_password(server_url, password))
    try:
        with tempfile.TemporaryDirectory(prefix=".annotator-offline-",
                                         dir=path.parent if path.parent.is_dir() else None
                                         ) as folder:
            part = Path(folder) / path.name
            local = open_database(part, create=True, back_up=False)
            try:
                with server.reading() as reading, local.writing() as writing:
                    target = writing.connection()
                    report.counts = _copy_everything(reading.connection(), target)
                    now = utc_now().isoformat()
                    _save_base(target, {
                        "server": report.server, "taken_at": now, "synced_at": now,
                        "rows": _base_rows(target),
                        "codebook": to_dict(CodebookService.load(writing))})
            finally:
                local.close()
            # One file, whole: what a write-ahead log still holds goes into it first.
            connection = sqlite3.connect(part)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(part, path)
    finally:
        server.close()
    return report


def _base_rows(connection: Connection) -> dict[str, dict[str, Any]]:
    base: dict[str, dict[str, Any]] = {}
    for kind in MERGED:
        rows = _read(connection, kind)
        base[kind.name] = {key: base_entry(kind, row) for key, row in rows.items()}
    return base


def _save_base(connection: Connection, value: dict[str, Any]) -> None:
    table = ProjectSettingRow.__table__
    connection.execute(delete(table).where(table.c.key == SETTING))
    connection.execute(insert(table).values(key=SETTING, value=value))


def offline_info(location: str | Path) -> dict[str, Any] | None:
    """What the offline copy at ``location`` records (its server, when it was taken
    and last synced), or None when it is not an offline copy. Read-only."""
    path = Path(location)
    if "://" in str(location) or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM project_settings WHERE key = ?",
                                     (SETTING,)).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        return None
    return {k: value.get(k) for k in ("server", "taken_at", "synced_at")} \
        if isinstance(value, dict) else None


def sync(local_path: str | Path, *, password: str | None = None,
         resolve: Mapping[str, str] | None = None) -> SyncReport:
    """Merge the offline copy at ``local_path`` with its server (see the module's
    text and :mod:`annotator.services.sync_merge`). ``resolve`` maps a conflict's
    id to ``"local"`` or ``"server"``: that side's version goes to the other (the
    version it replaces kept in the claim's history)."""
    from annotator.services import sync_merge  # it builds on this module

    return sync_merge.sync(local_path, password=password, resolve=resolve or {})

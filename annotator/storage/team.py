"""Team mode: one project on a shared PostgreSQL server, roles enforced by the server.

A team project is a PostgreSQL database. ``team init`` creates three group roles
named from the database (``<db>_analyst``, ``<db>_reviewer``, ``<db>_admin``; a
reviewer is also an analyst, an admin also a reviewer), the table ``team_members``
mapping each login role to the analyst name written on their claims, and
row-level-security policies (enabled and forced) so that, whatever client
connects:

* an analyst reads everything, inserts claims only under their own name and
  updates or deletes only their own claims;
* a reviewer also writes the gold layer (adjudications, gold claims), review
  comments and documents' review status;
* only an admin changes the codebook (labels, propositions, versions, settings)
  or other analysts' claims (importing a colleague's work);
* blind double coding: only an admin assigns documents (``assignments``); an
  analyst changes only the status of their own assignment, and cannot read a
  colleague's claims on a document assigned to them and to someone else until
  every assignee has marked it done (reviewers and admins read everything);
* claim links and dismissed candidates: everyone reads them, an analyst adds and
  removes their own.

Passwords are never written in plain text: a URL without one takes it from
what this process was told (:func:`use_password`: a prompt's answer, kept in
memory only), else from the OS keyring (service ``annotator``) when the optional
``keyring`` package is installed; the CLI and the window prompt otherwise and
keep what worked in the keyring when asked. A project's location (``where``:
titles, messages, recent projects, logs) is its URL without the password; the
password reaches the engine only inside a SQLAlchemy ``URL`` object.
Nothing here imports Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL, make_url

KEYRING_SERVICE = "annotator"
TEAM_ROLES = ("analyst", "reviewer", "admin")
DRIVER = "postgresql+psycopg"
#: What the server shows for Annotator's connections (``pg_stat_activity``).
APPLICATION_NAME = "annotator"
#: Seconds to wait for the server to answer a new connection (a stopped server
#: or a dead network fails the save, and says so, rather than freezing the window).
CONNECT_TIMEOUT = 5

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_$]{0,62}$")

# Analysts' claims: own rows for everyone in the team, all rows for admins.
_CLAIM_TABLES = ("claims",)
# Review's tables: read by all, written by reviewers (and admins, their members).
_REVIEW_TABLES = ("adjudications", "gold_claims", "review_comments")
# The codebook and project settings: read by all, written by admins only.
_ADMIN_TABLES = ("codebook_labels", "propositions", "codebook_versions", "project_settings")
# Shared working tables every analyst writes (documents they import, sources they add).
_SHARED_TABLES = ("documents", "sources")
# Rows an analyst adds and removes under their own name (column ``analyst``).
_ANALYST_TABLES = ("claim_links", "candidate_dismissals")
_DOCUMENT_COLUMNS = ("id", "sha256", "title", "source", "published", "metadata", "text",
                     "length", "created_at", "status", "origin", "previous_id")


class TeamError(Exception):
    """A team command that cannot be done as asked (bad name, not PostgreSQL...)."""


def is_team_url(location: object) -> bool:
    return isinstance(location, str) and location.split("://", 1)[0].split("+", 1)[0] in (
        "postgresql", "postgres")


def normalise_url(location: str) -> URL:
    """``postgresql://USER@HOST/DB`` with the driver Annotator uses (psycopg 3)."""
    url = make_url(location.replace("postgres://", "postgresql://", 1)
                   if location.startswith("postgres://") else location)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername=DRIVER)
    return url


def _keyring_key(url: URL) -> str:
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


#: Passwords given in this process (a prompt's answer), by user, server and database:
#: in memory only, for the window's own connections and its workers'.
_given: dict[str, str] = {}


def use_password(url: URL, password: str) -> None:
    """Use ``password`` for ``url``'s user, server and database in this process
    (never written anywhere; see :func:`remember_password` for the keyring)."""
    _given[_keyring_key(url)] = password


def forget_password(url: URL) -> None:
    """Stop using the password given for ``url`` (the server refused it)."""
    _given.pop(_keyring_key(url), None)


def password_for(url: URL) -> str | None:
    """The password to connect to ``url`` with: the one in the URL, one given in
    this process, else the one kept in the OS keyring."""
    if url.password is not None:
        return str(url.password)
    return _given.get(_keyring_key(url)) or stored_password(url)


def connect_args() -> dict[str, Any]:
    """The driver's connection arguments for a team server: named, quick to give up
    on a server that does not answer, and (TCP keepalives, a send timeout) quick
    to notice a network that went away under an open connection."""
    return {"application_name": APPLICATION_NAME, "connect_timeout": CONNECT_TIMEOUT,
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
            "keepalives_count": 3, "tcp_user_timeout": 15000}


def strip_password(url: URL) -> URL:
    """``url`` without its password (``URL.set(password=None)`` keeps it)."""
    return URL.create(url.drivername, url.username, None, url.host, url.port,
                      url.database, url.query)


def without_password(url: URL) -> str:
    """``url`` as it may be shown and kept (titles, recent projects, logs)."""
    return strip_password(url).render_as_string(hide_password=False)


def stored_password(url: URL) -> str | None:
    """The password kept in the OS keyring for ``url``'s user, server and database."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, _keyring_key(url))
    except (KeyringError, RuntimeError):
        return None


def remember_password(url: URL, password: str) -> bool:
    """Keep ``password`` in the OS keyring; False when there is no usable keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_key(url), password)
    except (KeyringError, RuntimeError):
        return False
    return True


def _ident(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise TeamError(f"{name!r}: a role name is lower-case letters, digits and _ "
                        "(at most 63, not starting with a digit)")
    return f'"{name}"'


def login_name(analyst: str) -> str:
    """A PostgreSQL login role name made from an analyst's name."""
    slug = re.sub(r"[^a-z0-9_]+", "_", analyst.lower()).strip("_")
    if not slug or slug[0].isdigit():
        slug = f"a_{slug}"
    return slug[:63]


def group_role(database: str, role: str) -> str:
    if role not in TEAM_ROLES:
        raise TeamError(f"{role!r}: the role is one of {', '.join(TEAM_ROLES)}")
    name = f"{database}_{role}"
    if len(name) > 63:
        raise TeamError(f"{database}: the database name is too long for team roles "
                        f"(at most {63 - len('_reviewer')} characters)")
    return name


def _check_postgres(connection: Connection) -> str:
    if connection.dialect.name != "postgresql":
        raise TeamError("team roles need a PostgreSQL project (postgresql://USER@HOST/DB)")
    return str(connection.exec_driver_sql("SELECT current_database()").scalar())


def _role_exists(connection: Connection, name: str) -> bool:
    return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                              {"name": name}).scalar() is not None


def _statements(database: str, owner_is_superuser: bool) -> Iterable[str]:
    analyst, reviewer, admin = (_ident(group_role(database, role)) for role in TEAM_ROLES)
    db = _ident(database) if _IDENTIFIER.match(database) else f'"{database}"'
    yield f"REVOKE ALL ON DATABASE {db} FROM PUBLIC"
    yield f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {analyst}"
    yield f"GRANT {analyst} TO {reviewer}"
    yield f"GRANT {reviewer} TO {admin}"
    if not owner_is_superuser:
        yield f"GRANT {admin} TO CURRENT_USER"
    yield f"GRANT USAGE ON SCHEMA public TO {analyst}"
    yield ("CREATE TABLE IF NOT EXISTS team_members ("
           " role_name name PRIMARY KEY,"
           " analyst varchar(200) NOT NULL UNIQUE,"
           " team_role varchar(16) NOT NULL CHECK (team_role IN "
           "('analyst', 'reviewer', 'admin')))")
    yield f"GRANT SELECT ON team_members TO {analyst}"
    # The analyst name of the connected login role (NULL for anyone not in the team).
    yield ("CREATE OR REPLACE FUNCTION team_analyst() RETURNS varchar LANGUAGE sql STABLE"
           " SECURITY DEFINER SET search_path = public AS"
           " $$ SELECT analyst FROM team_members WHERE role_name = session_user $$")
    yield "REVOKE ALL ON FUNCTION team_analyst() FROM PUBLIC"
    yield f"GRANT EXECUTE ON FUNCTION team_analyst() TO {analyst}"
    yield f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {analyst}"
    yield f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {analyst}"
    # The documents blind for the connected analyst (see services/assignments.py):
    # assigned to them and someone else, not yet done by every assignee.
    yield ("CREATE OR REPLACE FUNCTION team_blind_documents() RETURNS SETOF varchar"
           " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS"
           " $$ SELECT document_id FROM assignments WHERE document_id IN"
           " (SELECT document_id FROM assignments WHERE analyst = team_analyst())"
           " GROUP BY document_id HAVING count(*) >= 2"
           " AND count(*) FILTER (WHERE status <> 'done') > 0 $$")
    # Colleagues' claims on those documents (their history is hidden with them).
    yield ("CREATE OR REPLACE FUNCTION team_hidden_claims() RETURNS SETOF varchar"
           " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS"
           " $$ SELECT id FROM claims WHERE annotator NOT IN (team_analyst(), '')"
           " AND document_id IN (SELECT team_blind_documents()) $$")
    for function in ("team_blind_documents()", "team_hidden_claims()"):
        yield f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"
        yield f"GRANT EXECUTE ON FUNCTION {function} TO {analyst}"
    tables = (*_CLAIM_TABLES, *_REVIEW_TABLES, *_ADMIN_TABLES, "claim_history",
              *_SHARED_TABLES, "assignments", *_ANALYST_TABLES)
    for table in tables:
        yield f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"
        yield f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"
        for policy in ("team_read", "team_review_read", "team_own_insert", "team_own_update",
                       "team_own_delete", "team_write", "team_admin"):
            yield f"DROP POLICY IF EXISTS {policy} ON {table}"
        hidden = "claim_id NOT IN (SELECT team_hidden_claims())"
        readable = {"claims": "annotator IN (team_analyst(), '') OR document_id NOT IN "
                              "(SELECT team_blind_documents())",
                    # What is said of a hidden claim is hidden with it.
                    # ... and a deleted claim's earlier versions, by what they say.
                    "claim_history": f"{hidden} AND NOT (coalesce(record->>'annotator', '')"
                                     " NOT IN (team_analyst(), '') AND record->>'document_id'"
                                     " IN (SELECT team_blind_documents()))",
                    "review_comments": hidden,
                    "candidate_dismissals": hidden,
                    # The gold layer is made of the analysts' claims: not before
                    # every assignee is done (reviewers write it, and read it all).
                    "gold_claims": "document_id NOT IN (SELECT team_blind_documents())",
                    "adjudications": "document_id NOT IN (SELECT team_blind_documents())",
                    "claim_links": f"{hidden} AND target_id NOT IN "
                                   "(SELECT team_hidden_claims())",
                    }.get(table, "true")
        yield f"CREATE POLICY team_read ON {table} FOR SELECT TO {analyst} USING ({readable})"
        yield f"CREATE POLICY team_admin ON {table} FOR ALL TO {admin} USING (true) " \
              "WITH CHECK (true)"
    for table in (*_CLAIM_TABLES, "claim_history", *_ANALYST_TABLES):  # reviewers read all
        yield f"CREATE POLICY team_review_read ON {table} FOR SELECT TO {reviewer} " \
              "USING (true)"
    own = "annotator = team_analyst()"
    for table in _CLAIM_TABLES:
        yield f"GRANT INSERT, UPDATE, DELETE ON {table} TO {analyst}"
        yield f"CREATE POLICY team_own_insert ON {table} FOR INSERT TO {analyst} " \
              f"WITH CHECK ({own})"
        yield f"CREATE POLICY team_own_update ON {table} FOR UPDATE TO {analyst} " \
              f"USING ({own}) WITH CHECK ({own})"
        yield f"CREATE POLICY team_own_delete ON {table} FOR DELETE TO {analyst} USING ({own})"
    # An analyst keeps the history of their own claims (merging an import of their work).
    yield f"GRANT INSERT ON claim_history TO {analyst}"
    yield (f"CREATE POLICY team_own_insert ON claim_history FOR INSERT TO {analyst} "
           "WITH CHECK (claim_id IN (SELECT id FROM claims WHERE annotator = team_analyst()))")
    for table in _REVIEW_TABLES:
        yield f"GRANT INSERT, UPDATE, DELETE ON {table} TO {reviewer}"
        yield f"CREATE POLICY team_write ON {table} FOR ALL TO {reviewer} USING (true) " \
              "WITH CHECK (true)"
    for table in _SHARED_TABLES:
        yield f"CREATE POLICY team_write ON {table} FOR ALL TO {analyst} USING (true) " \
              "WITH CHECK (true)"
    yield f"GRANT INSERT, UPDATE, DELETE ON sources TO {analyst}"
    mine = "analyst = team_analyst()"
    yield f"GRANT UPDATE (status, done_at) ON assignments TO {analyst}"
    yield f"CREATE POLICY team_own_update ON assignments FOR UPDATE TO {analyst} " \
          f"USING ({mine}) WITH CHECK ({mine})"
    for table in _ANALYST_TABLES:
        yield f"GRANT INSERT, DELETE ON {table} TO {analyst}"
        yield f"CREATE POLICY team_own_insert ON {table} FOR INSERT TO {analyst} " \
              f"WITH CHECK ({mine})"
        yield f"CREATE POLICY team_own_delete ON {table} FOR DELETE TO {analyst} " \
              f"USING ({mine})"
    columns = ", ".join(f'"{c}"' for c in _DOCUMENT_COLUMNS)
    yield f"GRANT INSERT ({columns}, review_status) ON documents TO {analyst}"
    yield f"GRANT UPDATE ({columns}) ON documents TO {analyst}"
    yield f"GRANT UPDATE (review_status) ON documents TO {reviewer}"
    for table in (*_ADMIN_TABLES, "claim_history", "documents", *_CLAIM_TABLES,
                  "assignments", *_ANALYST_TABLES):
        yield f"GRANT INSERT, UPDATE, DELETE ON {table} TO {admin}"


def init_team(connection: Connection) -> list[str]:
    """Create (or bring up to date) the team roles and policies of the connected
    project database; returns the group roles. Run by the database's owner (or a
    superuser) after the schema is migrated; running it again changes nothing more."""
    database = _check_postgres(connection)
    superuser = connection.exec_driver_sql(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar()
    groups = [group_role(database, role) for role in TEAM_ROLES]
    for group in groups:
        if not _role_exists(connection, group):
            connection.exec_driver_sql(f"CREATE ROLE {_ident(group)} NOLOGIN")
    for statement in _statements(database, bool(superuser)):
        connection.exec_driver_sql(statement)
    return groups


def add_member(connection: Connection, analyst: str, role: str, *,
               login: str | None = None, password: str | None = None) -> str:
    """Give ``analyst`` (the name on their claims) a login role in ``role``'s group;
    returns the login role's name. An existing login role (the same person on
    another team project) is reused; ``password`` then replaces theirs."""
    database = _check_postgres(connection)
    analyst = analyst.strip()
    if not analyst or len(analyst) > 200:
        raise TeamError("an analyst's name is 1 to 200 characters")
    group = group_role(database, role)
    if not _role_exists(connection, group):
        raise TeamError(f"{database}: not a team project yet; run `annotator team init` first")
    login = login or login_name(analyst)
    quoted = _ident(login)
    if not _role_exists(connection, login):
        connection.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN")
    if password is not None:
        # Sent as a literal the server hashes (scram-sha-256); never logged by us.
        literal = "'" + password.replace("'", "''") + "'"
        connection.exec_driver_sql(f"ALTER ROLE {quoted} PASSWORD {literal}")
    for other in TEAM_ROLES:
        if other != role:
            connection.exec_driver_sql(
                f"REVOKE {_ident(group_role(database, other))} FROM {quoted}")
    connection.exec_driver_sql(f"GRANT {_ident(group)} TO {quoted}")
    connection.execute(text(
        "INSERT INTO team_members (role_name, analyst, team_role) VALUES (:login, :analyst, "
        ":role) ON CONFLICT (role_name) DO UPDATE SET analyst = EXCLUDED.analyst, "
        "team_role = EXCLUDED.team_role"), {"login": login, "analyst": analyst, "role": role})
    return login


def members(connection: Connection) -> list[dict[str, Any]]:
    _check_postgres(connection)
    rows = connection.exec_driver_sql(
        "SELECT role_name, analyst, team_role FROM team_members ORDER BY analyst")
    return [{"login": r[0], "analyst": r[1], "role": r[2]} for r in rows]


def current_analyst(connection: Connection) -> str | None:
    """The analyst name of the connected login role on a team project, else None."""
    if connection.dialect.name != "postgresql":
        return None
    exists = connection.exec_driver_sql(
        "SELECT to_regclass('public.team_members') IS NOT NULL").scalar()
    if not exists:
        return None
    return connection.exec_driver_sql(
        "SELECT analyst FROM team_members WHERE role_name = session_user").scalar()


def current_member(connection: Connection) -> tuple[str, str] | None:
    """The connected login role's analyst name and team role (analyst, reviewer,
    admin) on a team project, else None (a project file, or not a member)."""
    analyst = current_analyst(connection)
    if analyst is None:
        return None
    role = connection.exec_driver_sql(
        "SELECT team_role FROM team_members WHERE role_name = session_user").scalar()
    return analyst, str(role)

"""The office server (PostgreSQL): its schema and roles, and the shared log of records that
desks push to with a version check and pull from by sequence. The only SQL for PostgreSQL."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from protocol_desk.domain.errors import OfficeError, ReadOnlyOfficeError
from protocol_desk.domain.messages import N_

APPLICATION = "protocol-desk"
SCHEMA = "protocol_desk"
__all__ = ["OfficeError", "OfficeServer", "Outgoing", "ReadOnlyOfficeError", "Refused"]
OFFICERS = "protocol_desk_officer"
READERS = "protocol_desk_reader"
CONNECT_TIMEOUT_S = 5

# The server's own versioned migrations, in order: (name, statements). Roles are made
# separately (they belong to the whole server, not to one database).
SERVER_MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_shared_records",
        f"""
        CREATE SEQUENCE {SCHEMA}.record_seq;
        -- one row per shared record: the newest version of its content in the export format
        CREATE TABLE {SCHEMA}.record (
            uid text PRIMARY KEY,
            kind text NOT NULL,
            version integer NOT NULL CHECK (version > 0),
            deleted boolean NOT NULL DEFAULT false,
            content jsonb,
            changed_by text NOT NULL DEFAULT session_user,
            -- the officer's name on the desk that made the change (the log-in may be shared)
            desk_user text NOT NULL DEFAULT '',
            changed_at timestamptz NOT NULL DEFAULT now(),
            seq bigint NOT NULL UNIQUE DEFAULT nextval('{SCHEMA}.record_seq'),
            CHECK (deleted OR content IS NOT NULL)
        );
        """,
    ),
)


@dataclass(frozen=True)
class SharedRecord:
    seq: int
    uid: str
    kind: str
    version: int
    deleted: bool
    content: Any  # the export format's record, None when deleted
    account: str  # the server log-in that made the change
    desk_user: str  # the officer's name on that desk

    @property
    def author(self) -> str:
        if self.desk_user and self.desk_user != self.account:
            return f"{self.desk_user} ({self.account})"
        return self.account


@dataclass(frozen=True)
class Outgoing:
    uid: str
    kind: str
    base_version: int | None  # None: the office has never had it
    content: Any  # None: deleted here


@dataclass(frozen=True)
class Refused:
    """The office has a newer version than the one the desk's change was based on."""

    theirs: SharedRecord


def _where(dsn: str) -> str:
    try:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the office server"
    host = str(info.get("host") or "localhost")
    if host.startswith("/"):
        host = "this computer"
    port = info.get("port")
    return f"{host}:{port}" if port else host


def describe(error: psycopg.Error, dsn: str) -> str:
    """psycopg's error in the words an officer can act on."""
    text = str(error)
    where = _where(dsn)
    if "password authentication failed" in text or "no password supplied" in text:
        return N_("The office server at {where} refused the user name or password.", where=where)
    if re.search(r'database ".*" does not exist', text):
        return N_(
            "The office server at {where} has no such database: {reason}.",
            where=where,
            reason=text.splitlines()[0],
        )
    if "role" in text and "does not exist" in text:
        return N_("The office server at {where} does not know this user.", where=where)
    if "SSL" in text or "ssl" in text:
        return N_(
            "The office server at {where} refused a secure (TLS) connection: {reason}",
            where=where,
            reason=_first(text),
        )
    if isinstance(error, psycopg.OperationalError):
        return N_(
            "The office server at {where} is not answering (offline?): {reason}",
            where=where,
            reason=_first(text),
        )
    return N_("The office server at {where} failed: {reason}", where=where, reason=_first(text))


def _first(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else N_("no reason given")


class OfficeServer:
    """One connection to the office server."""

    def __init__(self, conn: psycopg.Connection[Any], dsn: str) -> None:
        self.conn = conn
        self.dsn = dsn

    @classmethod
    def connect(cls, dsn: str, password: str | None = None) -> OfficeServer:
        # A server that stops answering mid-sync (a dropped network) is noticed in about 25 s.
        extra: dict[str, Any] = {
            "connect_timeout": CONNECT_TIMEOUT_S,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        }
        if password:
            extra["password"] = password
        try:
            conn = psycopg.connect(dsn, autocommit=True, **extra)
        except psycopg.Error as error:
            raise OfficeError(describe(error, dsn)) from error
        return cls(conn, dsn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> OfficeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fail(self, error: psycopg.Error) -> OfficeError:
        if isinstance(error, psycopg.errors.InsufficientPrivilege):
            return ReadOnlyOfficeError(
                N_(
                    "Your account on the office server at {where} may only read: your changes "
                    "stay on this desk.",
                    where=_where(self.dsn),
                )
            )
        return OfficeError(describe(error, self.dsn))

    # --- set-up -----------------------------------------------------------------------------
    def applied_migrations(self) -> list[str] | None:
        """The server migrations applied, or None when this database holds no Protocol Desk
        schema at all."""
        try:
            found = self.conn.execute(
                "SELECT to_regclass(%s), to_regclass(%s)",
                [f"{SCHEMA}.schema_migrations", f"{SCHEMA}.about"],
            ).fetchone()
            if found is None or found[0] is None or found[1] is None:
                return None
            about = self.conn.execute(
                sql.SQL("SELECT value FROM {}.about WHERE key = 'application'").format(
                    sql.Identifier(SCHEMA)
                )
            ).fetchone()
            if about is None or about[0] != APPLICATION:
                return None
            rows = self.conn.execute(
                sql.SQL("SELECT name FROM {}.schema_migrations ORDER BY name").format(
                    sql.Identifier(SCHEMA)
                )
            ).fetchall()
        except psycopg.Error as error:
            raise self._fail(error) from error
        return [str(r[0]) for r in rows]

    def check(self) -> None:
        """Raise OfficeError unless this is a Protocol Desk office server this app can use."""
        applied = self.applied_migrations()
        where = _where(self.dsn)
        if applied is None:
            raise OfficeError(
                N_(
                    "The database at {where} is not a Protocol Desk office server (the "
                    "office's IT runs “server init” to set one up).",
                    where=where,
                )
            )
        known = [name for name, _ in SERVER_MIGRATIONS]
        newer = [name for name in applied if name not in known]
        if newer:
            raise OfficeError(
                N_(
                    "The office server at {where} was set up by a newer Protocol Desk "
                    "({change}); update this desk's Protocol Desk to share with it.",
                    where=where,
                    change=newer[-1],
                )
            )
        missing = [name for name in known if name not in applied]
        if missing:
            raise OfficeError(
                N_(
                    "The office server at {where} needs updating to {change} (the office's "
                    "IT runs “server init” again).",
                    where=where,
                    change=missing[-1],
                )
            )

    def init(self) -> list[str]:
        """Create or update the schema and the roles; returns the migrations applied."""
        schema = sql.Identifier(SCHEMA)
        try:
            with self.conn.transaction():
                self.conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
                foreign = self.conn.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = %s"
                    " AND tablename NOT IN ('about', 'schema_migrations', 'record')",
                    [SCHEMA],
                ).fetchone()
                if foreign and foreign[0]:
                    raise OfficeError(
                        N_(
                            "The schema “{schema}” on {where} holds another application's "
                            "tables; nothing was changed.",
                            schema=SCHEMA,
                            where=_where(self.dsn),
                        )
                    )
                self.conn.execute(
                    sql.SQL(
                        "CREATE TABLE IF NOT EXISTS {}.about (key text PRIMARY KEY,"
                        " value text NOT NULL)"
                    ).format(schema)
                )
                self.conn.execute(
                    sql.SQL(
                        "INSERT INTO {}.about VALUES ('application', %s) ON CONFLICT DO NOTHING"
                    ).format(schema),
                    [APPLICATION],
                )
                about = self.conn.execute(
                    sql.SQL("SELECT value FROM {}.about WHERE key = 'application'").format(schema)
                ).fetchone()
                if about is None or about[0] != APPLICATION:
                    raise OfficeError(
                        N_(
                            "The schema “{schema}” on {where} belongs to another "
                            "application; nothing was changed.",
                            schema=SCHEMA,
                            where=_where(self.dsn),
                        )
                    )
                self.conn.execute(
                    sql.SQL(
                        "CREATE TABLE IF NOT EXISTS {}.schema_migrations (name text PRIMARY KEY,"
                        " applied_at timestamptz NOT NULL DEFAULT now())"
                    ).format(schema)
                )
                done = {
                    str(r[0])
                    for r in self.conn.execute(
                        sql.SQL("SELECT name FROM {}.schema_migrations").format(schema)
                    )
                }
                applied = []
                for name, statements in SERVER_MIGRATIONS:
                    if name in done:
                        continue
                    self.conn.execute(statements.encode())
                    self.conn.execute(
                        sql.SQL("INSERT INTO {}.schema_migrations (name) VALUES (%s)").format(
                            schema
                        ),
                        [name],
                    )
                    applied.append(name)
                self._grant()
        except psycopg.errors.InsufficientPrivilege as error:
            raise OfficeError(
                N_(
                    "The user may not set up the office server at {where}: run “server init” "
                    "as the database's owner, with the right to create roles.",
                    where=_where(self.dsn),
                )
            ) from error
        except psycopg.Error as error:
            raise self._fail(error) from error
        return applied

    def _grant(self) -> None:
        """Officers read and write the shared records, readers only read them."""
        for role in (OFFICERS, READERS):
            self.conn.execute(
                sql.SQL(
                    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name})"
                    " THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
                ).format(name=sql.Literal(role), role=sql.Identifier(role))
            )
        schema = sql.Identifier(SCHEMA)
        officers, readers = sql.Identifier(OFFICERS), sql.Identifier(READERS)
        for grantee in (officers, readers):
            self.conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, grantee))
            self.conn.execute(
                sql.SQL(
                    "GRANT SELECT ON {s}.record, {s}.about, {s}.schema_migrations TO {r}"
                ).format(s=schema, r=grantee)
            )
        self.conn.execute(
            sql.SQL("GRANT INSERT, UPDATE ON {}.record TO {}").format(schema, officers)
        )
        self.conn.execute(
            sql.SQL("GRANT USAGE ON SEQUENCE {}.record_seq TO {}").format(schema, officers)
        )

    def user_roles(self) -> tuple[bool, bool]:
        """(may read, may write) for the connected user."""
        row = self.conn.execute(
            "SELECT has_table_privilege(%s, 'SELECT'), has_table_privilege(%s, 'UPDATE')",
            [f"{SCHEMA}.record", f"{SCHEMA}.record"],
        ).fetchone()
        assert row is not None
        return bool(row[0]), bool(row[1])

    # --- sharing ----------------------------------------------------------------------------
    def changes_after(self, seq: int, batch: int = 2_000) -> Iterator[list[SharedRecord]]:
        """Every record changed after ``seq``, oldest change first, in batches (one snapshot:
        a push committed meanwhile is left for the next pull)."""
        try:
            with self.conn.transaction(), self.conn.cursor(name="pull") as cursor:
                self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.itersize = batch
                cursor.execute(
                    sql.SQL(
                        "SELECT seq, uid, kind, version, deleted, content, changed_by, desk_user"
                        " FROM {}.record WHERE seq > %s ORDER BY seq"
                    ).format(sql.Identifier(SCHEMA)),
                    [seq],
                )
                while rows := cursor.fetchmany(batch):
                    yield [SharedRecord(*row) for row in rows]
        except psycopg.Error as error:
            raise self._fail(error) from error

    def everything(
        self, kinds: Sequence[str], listed: str, batch: int = 5_000
    ) -> tuple[int, list[str], Generator[list[SharedRecord], None, None]]:
        """Every record, for a desk joining, from one snapshot: how many there are, the uids
        of the live records of kind ``listed`` in the order they will come, and the records
        in pages (read through a server-side cursor): ``kinds`` in the order given (a record
        before those naming it), each kind in the order of its changes (the listed kind by
        its date first), other kinds last."""
        schema = sql.Identifier(SCHEMA)
        # The listed kind (meetings) by date: a desk's full-text index is keyed by date, and
        # rows written in their keys' order go in with one write, not one for every row out
        # of order (four times quicker at 100,000 meetings).
        order = sql.SQL(
            "coalesce(array_position(%s::text[], kind), %s),"
            " CASE WHEN kind = %s THEN content->>'date' END, seq"
        )
        try:
            self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            row = self.conn.execute(
                sql.SQL("SELECT count(*) FROM {}.record").format(schema)
            ).fetchone()
            total = int(row[0]) if row else 0
            uids = [
                str(u)
                for (u,) in self.conn.execute(
                    sql.SQL(
                        "SELECT uid FROM {}.record WHERE kind = %s AND NOT deleted"
                        " ORDER BY content->>'date', seq"
                    ).format(schema),
                    [listed],
                )
            ]
        except psycopg.Error as error:
            self._end_reading()
            raise self._fail(error) from error

        if total == 0:
            self._end_reading()

        def pages() -> Generator[list[SharedRecord], None, None]:
            if total == 0:
                return
            try:
                with self.conn.cursor(name="join") as cursor:
                    cursor.itersize = batch
                    cursor.execute(
                        sql.SQL(
                            "SELECT seq, uid, kind, version, deleted, content, changed_by,"
                            " desk_user FROM {} ORDER BY {}"
                        ).format(sql.SQL("{}.record").format(schema), order),
                        [list(kinds), len(kinds) + 1, listed],
                    )
                    while rows := cursor.fetchmany(batch):
                        yield [SharedRecord(*row) for row in rows]
            except psycopg.Error as error:
                raise self._fail(error) from error
            finally:
                self._end_reading()

        return total, uids, pages()

    def _end_reading(self) -> None:
        with contextlib.suppress(psycopg.Error):
            if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                self.conn.execute("ROLLBACK")

    def load(self, records: Iterable[tuple[str, str, Any]], desk_user: str = "") -> int:
        """Write new records (uid, kind, content) at version 1 with COPY, many times quicker
        than a push: for filling a benchmark's office. Returns how many were written."""
        written = 0
        try:
            with (
                self.conn.transaction(),
                self.conn.cursor().copy(
                    sql.SQL(
                        "COPY {}.record (uid, kind, version, content, desk_user) FROM STDIN"
                    ).format(sql.Identifier(SCHEMA))
                ) as copy,
            ):
                for uid, kind, content in records:
                    copy.write_row((uid, kind, 1, Jsonb(content), desk_user))
                    written += 1
        except psycopg.Error as error:
            raise self._fail(error) from error
        return written

    def last_seq(self) -> int:
        try:
            row = self.conn.execute(
                sql.SQL("SELECT coalesce(max(seq), 0) FROM {}.record").format(
                    sql.Identifier(SCHEMA)
                )
            ).fetchone()
        except psycopg.Error as error:
            raise self._fail(error) from error
        return int(row[0]) if row else 0

    def push(self, outgoing: Sequence[Outgoing], desk_user: str = "") -> list[int | Refused]:
        """Send the desk's changes in one transaction: each is taken only if the office still
        has the version it was based on (or has never had the record); else it is refused,
        with the office's version. Returns, in order, the new version or the refusal."""
        schema = sql.Identifier(SCHEMA)
        insert = sql.SQL(
            "INSERT INTO {}.record (uid, kind, version, deleted, content, desk_user) VALUES"
            " (%s, %s, 1, %s, %s, %s) ON CONFLICT (uid) DO NOTHING RETURNING version"
        ).format(schema)
        update = sql.SQL(
            "UPDATE {s}.record SET version = version + 1, kind = %s, deleted = %s, content = %s,"
            " changed_by = session_user, desk_user = %s, changed_at = now(),"
            " seq = nextval('{s}.record_seq') WHERE uid = %s AND version = %s RETURNING version"
        ).format(s=schema)
        theirs = sql.SQL(
            "SELECT seq, uid, kind, version, deleted, content, changed_by, desk_user"
            " FROM {}.record WHERE uid = ANY(%s)"
        ).format(schema)
        taken: dict[str, int] = {}

        def send(query: sql.Composed, rows: list[list[Any]], uids: list[str]) -> None:
            # One round trip for the lot (a pipeline), one result set per row.
            if not rows:
                return
            cursor.executemany(query, rows, returning=True)
            for uid in uids:
                found = cursor.fetchone()
                if found is not None:
                    taken[uid] = int(found[0])
                cursor.nextset()

        try:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                # One push at a time: sequence numbers then become visible in their order,
                # so a pull never passes a number whose change is still to be committed.
                cursor.execute(
                    sql.SQL("LOCK TABLE {}.record IN SHARE ROW EXCLUSIVE MODE").format(schema)
                )
                items = list(outgoing)

                def values(item: Outgoing) -> tuple[bool, Jsonb | None]:
                    deleted = item.content is None
                    return deleted, None if deleted else Jsonb(item.content)

                new = [i for i in items if i.base_version is None]
                changed = [i for i in items if i.base_version is not None]
                send(
                    insert,
                    [[i.uid, i.kind, *values(i), desk_user] for i in new],
                    [i.uid for i in new],
                )
                send(
                    update,
                    [[i.kind, *values(i), desk_user, i.uid, i.base_version] for i in changed],
                    [i.uid for i in changed],
                )
                refused = [i for i in items if i.uid not in taken]
                office_has: dict[str, SharedRecord] = {}
                if refused:
                    cursor.execute(theirs, [[i.uid for i in refused]])
                    office_has = {row[1]: SharedRecord(*row) for row in cursor.fetchall()}
                # The office never had these (this desk's base came from elsewhere).
                missing = [i for i in refused if i.uid not in office_has]
                send(
                    insert,
                    [[i.uid, i.kind, *values(i), desk_user] for i in missing],
                    [i.uid for i in missing],
                )
        except psycopg.Error as error:
            raise self._fail(error) from error
        results: list[int | Refused] = [
            taken[i.uid] if i.uid in taken else Refused(office_has[i.uid]) for i in items
        ]
        return results

"""The store's connection: SQL statements in, cursors and rows out, savepoints for nested units
of work.

The repositories' reads and writes go straight to sqlite3 through this; sqlite-utils' ``Database``
is built over the same connection only when the schema is migrated. Importing sqlite-utils (with
click, pluggy and dateutil's parser) took a tenth of a second, on every start."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

_savepoints = itertools.count(1)

Parameters = Sequence[Any] | Mapping[str, Any]


class Db:
    """One SQLite connection (``conn``) and the few calls the repositories make on it."""

    __slots__ = ("__weakref__", "_sqlite_utils", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._sqlite_utils: Database | None = None

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, parameters: Parameters | None = None) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT as dictionaries of column name to value."""
        cursor = self.execute(sql, parameters)
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[Db]:
        """A unit of work inside the caller's transaction (``connection.transaction`` begins
        one): undone alone when it fails, committed with the rest."""
        assert self.conn.in_transaction, "a savepoint needs a transaction around it"
        name = f"pd_{next(_savepoints)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            # A RAISE(ROLLBACK) trigger can end the whole transaction, savepoints included:
            # rolling back to one that is gone would hide the real error.
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.conn.execute(f"RELEASE SAVEPOINT {name}")

    def sqlite_utils(self) -> Database:
        """sqlite-utils over this connection (for migrations), without third-party sqlite-utils
        plugins: a plugin installed on the machine has no say over the office's records."""
        if self._sqlite_utils is None:
            from sqlite_utils import Database

            self._sqlite_utils = Database(self.conn, execute_plugins=False)
        return self._sqlite_utils

"""The only place with SQL and table names: opening the file, migrations, repositories."""

from __future__ import annotations

import contextlib
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

from protocol_desk.store.actions import ActionRepository
from protocol_desk.store.anniversaries import AnniversaryRepository
from protocol_desk.store.base import os_user
from protocol_desk.store.changelog import ChangeLogRepository
from protocol_desk.store.connection import connect, transaction
from protocol_desk.store.delegations import DelegationRepository
from protocol_desk.store.lock import DatabaseLock
from protocol_desk.store.meetings import MeetingRepository
from protocol_desk.store.people import PersonRepository
from protocol_desk.store.reference import (
    CountryRepository,
    OrganisationRepository,
    SettingRepository,
)
from protocol_desk.store.sql import Db


class Store:
    """One open database and its repositories. SQLite is the first (and so far only) backend."""

    def __init__(self, db: Db, path: Path | None = None, user: str | None = None) -> None:
        self.db = db
        self.path = path
        self.user = user or os_user()
        self.settings = SettingRepository(db, self.user)
        self.countries = CountryRepository(db, self.user)
        self.organisations = OrganisationRepository(db, self.user)
        self.people = PersonRepository(db, self.user)
        self.meetings = MeetingRepository(db, self.user)
        self.actions = ActionRepository(db, self.user)
        self.anniversaries = AnniversaryRepository(db, self.user)
        self.delegations = DelegationRepository(db, self.user)
        self.changes = ChangeLogRepository(db, self.user)
        # Opened read-only (in use elsewhere, or an unwritable file): the window edits nothing.
        self.readonly = False
        # This window's claim to be the one writer, released on close.
        self.lock: DatabaseLock | None = None
        # Every page was checked when it was opened (after a crash, or a restored backup).
        self.checked = False

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        db = connect(path, readonly=readonly)
        store = cls(db, None if str(path) == ":memory:" else Path(path))
        store.readonly = readonly
        return store

    def stop_writing(self) -> None:
        """Refuse every write from now on (the file was found damaged while open)."""
        self.db.execute("PRAGMA query_only = ON")
        self.readonly = True

    def transaction(self) -> AbstractContextManager[Db]:
        return transaction(self.db)

    def is_empty(self) -> bool:
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM meeting) + (SELECT count(*) FROM person)"
            " + (SELECT count(*) FROM country)"
        ).fetchone()
        return int(row[0]) == 0

    def close(self) -> None:
        if not self.readonly:
            # Keeps the query planner's statistics fresh (the action list needs them).
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA optimize")
        self.db.conn.close()
        if self.lock is not None:
            self.lock.release()

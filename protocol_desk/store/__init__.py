"""The only place with SQL and table names: opening the file, migrations, repositories."""

from __future__ import annotations

import contextlib
import importlib
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from protocol_desk.store.base import os_user
from protocol_desk.store.connection import connect, transaction
from protocol_desk.store.sql import Db

if TYPE_CHECKING:
    from protocol_desk.store.actions import ActionRepository
    from protocol_desk.store.anniversaries import AnniversaryRepository
    from protocol_desk.store.changelog import ChangeLogRepository
    from protocol_desk.store.delegations import DelegationRepository
    from protocol_desk.store.lock import DatabaseLock
    from protocol_desk.store.meetings import MeetingRepository
    from protocol_desk.store.outbox import OutboxRepository
    from protocol_desk.store.people import PersonRepository
    from protocol_desk.store.reference import (
        CountryRepository,
        OrganisationRepository,
        SettingRepository,
    )

R = TypeVar("R")


class _Repository(Generic[R]):
    """A store's repository, made (and its module imported) when first used: the window
    opens on the meetings list without the code for actions, visits or people."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self.attribute = ""

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, store: None, owner: type) -> _Repository[R]: ...
    @overload
    def __get__(self, store: Store, owner: type) -> R: ...
    def __get__(self, store: Store | None, owner: type) -> Any:
        if store is None:
            return self
        made = store._repositories.get(self.attribute)
        if made is None:
            kind = getattr(importlib.import_module(self.module), self.name)
            made = store._repositories[self.attribute] = kind(store.db, store.user)
        return made


class Store:
    """One open database and its repositories. SQLite is the first (and so far only) backend."""

    settings: _Repository[SettingRepository] = _Repository(
        "protocol_desk.store.reference", "SettingRepository"
    )
    countries: _Repository[CountryRepository] = _Repository(
        "protocol_desk.store.reference", "CountryRepository"
    )
    organisations: _Repository[OrganisationRepository] = _Repository(
        "protocol_desk.store.reference", "OrganisationRepository"
    )
    people: _Repository[PersonRepository] = _Repository(
        "protocol_desk.store.people", "PersonRepository"
    )
    meetings: _Repository[MeetingRepository] = _Repository(
        "protocol_desk.store.meetings", "MeetingRepository"
    )
    actions: _Repository[ActionRepository] = _Repository(
        "protocol_desk.store.actions", "ActionRepository"
    )
    anniversaries: _Repository[AnniversaryRepository] = _Repository(
        "protocol_desk.store.anniversaries", "AnniversaryRepository"
    )
    delegations: _Repository[DelegationRepository] = _Repository(
        "protocol_desk.store.delegations", "DelegationRepository"
    )
    changes: _Repository[ChangeLogRepository] = _Repository(
        "protocol_desk.store.changelog", "ChangeLogRepository"
    )
    outbox: _Repository[OutboxRepository] = _Repository(
        "protocol_desk.store.outbox", "OutboxRepository"
    )

    def __init__(self, db: Db, path: Path | None = None, user: str | None = None) -> None:
        self.db = db
        self.path = path
        self.user = user or os_user()
        # Made when first used (a reopened store starts afresh, on its new connection).
        self._repositories: dict[str, object] = {}
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
        """Nothing of the office's own: no meeting, person or country beyond those the
        reference data brings to every new database."""
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM meeting) + (SELECT count(*) FROM person)"
            " + (SELECT count(*) FROM country WHERE id NOT IN (SELECT row_id"
            " FROM reference_record WHERE table_name = 'country' AND created))"
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

"""Keeping the records safe: opening with lock and health check, backups, restore, the check,
a record's history and saving over a colleague's change knowingly."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_desk.domain.dates import format_base_date, format_date
from protocol_desk.domain.errors import DatabaseError, NotFoundError
from protocol_desk.domain.messages import N_, os_reason
from protocol_desk.domain.models import (
    ACTION_STATUS_LABELS,
    MEETING_FORMAT_LABELS,
    AgreedAction,
    Meeting,
    Person,
    Source,
)
from protocol_desk.domain.safety import BackupInfo, DamagedDatabaseError, Progress
from protocol_desk.store import Store, changelog
from protocol_desk.store import backup as backups
from protocol_desk.store.backup import connect_read_only
from protocol_desk.store.connection import (
    SQLITE_HEADER,
    ReadOnlyLocationError,
    connect,
    damaged_error,
    environment_error,
)
from protocol_desk.store.faults import is_corruption
from protocol_desk.store.faults import storage_error as storage_error
from protocol_desk.store.lock import (
    REFRESH_EVERY,
    DatabaseLock,
    LockInfo,
    acquire,
    read_lock,
    storage_warning,
)
from protocol_desk.store.versions import APPLICATION_ID, unknown_applied

if TYPE_CHECKING:
    from protocol_desk.store.changelog import ChangeEntry

log = logging.getLogger(__name__)

# --- opening -------------------------------------------------------------------------------


@dataclass
class OpenedDatabase:
    """A database opened for the window, with what the officer should be told about it."""

    store: Store
    warnings: list[str] = field(default_factory=list)
    backup: BackupInfo | None = None  # made automatically at this start
    after_crash: bool = False  # the last session did not close; the full check passed


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise DatabaseError(N_("The folder {folder} does not exist.", folder=str(path.parent)))


def open_for_editing(
    path: Path,
    *,
    automatic_backup: bool = True,
    user: str | None = None,
    on_update: Callable[[], None] | None = None,
) -> OpenedDatabase:
    """Claim the database as its one writer, check it, back it up when due, and open it.
    ``on_update`` is called before the file's format is updated, when it needs that.

    Raises DatabaseInUseError (someone else is writing: offer read-only),
    DamagedDatabaseError (kept aside: offer its newest backup), ForeignFileError,
    NewerSchemaError, ReadOnlyLocationError (offer read-only) or DatabaseError."""
    path = Path(path)
    _check_folder(path)
    if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise ReadOnlyLocationError(
            N_(
                "The database {name} or its folder {folder} is read-only: it can only be "
                "opened read-only.",
                name=path.name,
                folder=str(path.parent),
            )
        )
    lock = acquire(path, user=user)
    notices: list[str] = []
    try:
        # With the lock held no restore or backup is running now: finish or undo a restore
        # that was stopped midway, and remove what interrupted ones left behind.
        outcome = backups.finish_interrupted_restore(path)
        if outcome is not None:
            notices.append(_RESTORE_OUTCOMES[outcome].format(name=path.name))
        backups.discard_prepared(backups.restoring_path(path))
        backups.remove_leftovers(backups.backup_dir(path))
        tightened = make_private(path)
        if tightened:
            notices.append(tightened)
    except BaseException:
        lock.release()
        raise
    try:
        # After a crash the full check reads every page and index before anything is shown.
        # After a clean close, SQLite's quick check reads the whole file too (seconds for a
        # big office), so the window runs it in the background instead (``health_problem``):
        # the file's header and schema are still checked here.
        db = connect(path, check="full" if lock.after_crash else "none", on_update=on_update)
    except BaseException:
        lock.release()
        raise
    store = Store(db, path, user)
    store.lock = lock
    store.checked = lock.after_crash
    opened = OpenedDatabase(store, warnings=notices, after_crash=lock.after_crash)
    warning = storage_warning(path)
    if warning:
        opened.warnings.append(warning)
    if automatic_backup and backups.is_backup_due(path):
        try:
            opened.backup = backups.create_backup(db.conn, path, "automatic")
        except DatabaseError as error:
            opened.warnings.append(f"The automatic backup failed. {error.message}")
    return opened


_RESTORE_OUTCOMES = {
    "finished": "A restore of {name} was interrupted after the old file was set aside; it was "
    "finished now, so the database is the restored backup.",
    "completed": "A restore of {name} was interrupted at its very end; the restored backup is "
    "in place.",
    "undone": "A restore of {name} was interrupted before the backup was put in place; it was "
    "undone, so the database is as it was before the restore.",
}


def make_private(path: Path) -> str | None:
    """Tighten a database file that others on this computer could read to owner-only (0600),
    with its -wal and -shm; the notice to show, or None when it was private already."""
    if os.name == "nt" or not path.exists():
        return None
    mode = path.stat().st_mode & 0o777
    if not mode & 0o077:
        return None
    try:
        for name in (path, *(Path(f"{path}{s}") for s in backups.SIDE_FILES)):
            if name.exists():
                os.chmod(name, 0o600)
    except OSError as error:
        log.warning("could not make %s private: %s", path, error)
        return N_(
            "The database {name} can be read by other accounts on this computer (mode "
            "{mode}) and could not be made private: {reason}.",
            name=path.name,
            mode=format(mode, "04o"),
            reason=os_reason(error),
        )
    return N_(
        "The database {name} could be read by other accounts on this computer (mode {mode}); "
        "it is now private to you (0600).",
        name=path.name,
        mode=format(mode, "04o"),
    )


def health_problem(
    path: Path, cancelled: threading.Event | None = None
) -> DamagedDatabaseError | None:
    """SQLite's quick check of every page, on a read-only connection of its own (it runs
    beside the window's work): the damage found, or None when the file is sound or the check
    was ``cancelled`` (the window closed first). Nothing is moved or written; the window
    stops editing and offers the newest backup."""
    try:
        conn = connect_read_only(Path(path))
    except sqlite3.Error as error:
        if not is_corruption(error):
            log.warning("the health check of %s could not run: %s", path, error)
            return None
        return damaged_error(Path(path), str(error), move=False)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA busy_timeout = 5000")
        if cancelled is not None:
            conn.set_progress_handler(lambda: int(cancelled.is_set()), 10_000)
        try:
            found = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
        except sqlite3.DatabaseError as error:
            if cancelled is not None and cancelled.is_set():
                return None
            if not is_corruption(error):
                # Not a finding about the file (busy, a disk error): checked at the next start.
                log.warning("the health check of %s could not run: %s", path, error)
                return None
            found = [str(error)]
    finally:
        conn.close()
    if found == ["ok"]:
        return None
    return damaged_error(Path(path), "; ".join(found), move=False)


def set_aside_damaged(path: Path, problem: str) -> DamagedDatabaseError:
    """SQLite found damage after opening (a page the opening checks do not read): with the
    file closed, it is moved aside as at any damaged start, and the error says where."""
    return damaged_error(Path(path), problem, move=True)


def log_tampering(path: Path, cancelled: threading.Event | None = None) -> str | None:
    """The change log's chain walked from its first entry, on a read-only connection of its
    own (beside the window's work): what was altered outside the app, or None when the log
    holds together (or the walk was ``cancelled``)."""
    conn = connect_read_only(Path(path))
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA busy_timeout = 5000")
        if cancelled is not None:
            conn.set_progress_handler(lambda: int(cancelled.is_set()), 10_000)
        try:
            broken = changelog.first_broken(conn)
        except sqlite3.DatabaseError as error:
            if cancelled is not None and cancelled.is_set():
                return None
            log.warning("the change log of %s could not be checked: %s", path, error)
            return None
    finally:
        conn.close()
    return broken.describe() if broken else None


def stop_writing(store: Store) -> None:
    """Switch an open database to read-only: a damaged file must not be written to."""
    store.stop_writing()


def open_read_only(path: Path) -> OpenedDatabase:
    """Open without the lock and without writing anything: to read while a colleague writes."""
    path = Path(path)
    _check_folder(path)
    db = connect(path, readonly=True)
    store = Store(db, path)
    store.readonly = True
    opened = OpenedDatabase(store)
    warning = storage_warning(path)
    if warning:
        opened.warnings.append(warning)
    return opened


# How often a window refreshes its lock, so colleagues see it is not stale.
HEARTBEAT_EVERY = REFRESH_EVERY


def holds_lock(store: Store) -> bool:
    """Whether this window holds the database's lock (it may back up, check and restore)."""
    return store.lock is not None


def keep_lock(store: Store) -> bool:
    """Refresh the lock's heartbeat; False when another session has taken the lock over."""
    return store.lock is None or store.lock.refresh()


class HealthWatch:
    """One health check of the open file: whether its pages still need reading, and whether
    a finding is still about the file open now (a restore meanwhile replaces the file)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._checking = store.db  # the connection to the file being checked

    @property
    def pages(self) -> bool:
        return not self.store.checked

    @property
    def current(self) -> bool:
        return self.store.db is self._checking

    def found_sound(self) -> None:
        self.store.checked = True


def automatic_backup_due(store: Store) -> bool:
    """The window backs up once a day: due when it writes and the newest backup is a day old."""
    return store.path is not None and not store.readonly and backups.is_backup_due(store.path)


def make_backup(path: Path, reason: str = "automatic") -> BackupInfo:
    """A backup (the daily one, or one the officer asked for) on a connection of its own, so
    it can run beside the window's work (in another thread): WAL lets it read a consistent
    snapshot while the window writes."""
    path = Path(path)
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as error:
        raise environment_error(path, error) from error
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA busy_timeout = 5000")
        return backups.create_backup(conn, path, reason)
    finally:
        conn.close()


def restore_file(
    path: Path,
    backup: BackupInfo | Path,
    progress: Progress | None = None,
    cancelled: threading.Event | None = None,
) -> Path | None:
    """Restore a backup while no window has the database open (at start, or from the command
    line). Returns where the file that was there was kept."""
    path = Path(path)
    source = backup.path if isinstance(backup, BackupInfo) else Path(backup)
    _check_folder(path)
    with acquire(path):
        backups.finish_interrupted_restore(path)
        return backups.restore_backup(source, path, progress=progress, cancelled=cancelled)


def list_backups(path: Path) -> list[BackupInfo]:
    return backups.list_backups(Path(path))


# --- the check -----------------------------------------------------------------------------


@dataclass
class CheckReport:
    """What ``check`` found, without changing anything."""

    path: Path
    problems: list[str]
    size: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    backups: list[BackupInfo] = field(default_factory=list)
    lock: LockInfo | None = None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


_COUNTED = (
    ("meetings", "SELECT count(*) FROM meeting WHERE deleted_at IS NULL"),
    ("people", "SELECT count(*) FROM person WHERE merged_into_id IS NULL"),
    ("organisations", "SELECT count(*) FROM organisation"),
    ("countries", "SELECT count(*) FROM country"),
    ("agreed actions", "SELECT count(*) FROM agreed_action"),
    ("change log entries", "SELECT count(*) FROM change_log"),
)


def check_database(path: Path) -> CheckReport:
    """Read the whole file and report every problem: integrity, foreign keys, identity.

    Unlike opening, the check moves nothing and writes nothing: it only looks."""
    path = Path(path)
    if not path.exists():
        raise DatabaseError(N_("There is no database at {path}.", path=str(path)))
    report = CheckReport(
        path,
        [],
        size=path.stat().st_size,
        backups=backups.list_backups(path),
        lock=read_lock(path),
        warning=storage_warning(path),
    )
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        report.problems.append("It is not a SQLite file." if header else "The file is empty.")
        return report
    conn = None
    try:
        conn = connect_read_only(path)
        conn.execute("PRAGMA trusted_schema = OFF")
        integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(100)")]
        if integrity != ["ok"]:
            report.problems.extend(integrity)
            return report
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            report.problems.append(N_("It is a SQLite file, but not a Protocol Desk database."))
            return report
        newer = unknown_applied(conn)
        if newer:
            report.problems.append(
                N_("It was written by a newer Protocol Desk ({names}).", names=", ".join(newer))
            )
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall()[:100]:
            report.problems.append(f"{table} row {rowid} points at a missing {parent} row.")
        if broken := changelog.first_broken(conn):
            report.problems.append(broken.describe())
        for label, sql in _COUNTED:
            report.counts[label] = int(conn.execute(sql).fetchone()[0])
    except sqlite3.DatabaseError as error:
        if not is_corruption(error):
            raise environment_error(path, error) from error
        report.problems.append(f"SQLite cannot read it: {error}.")
    finally:
        if conn is not None:
            conn.close()
    return report


# --- history -------------------------------------------------------------------------------

OPERATION_LABELS = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Deleted"),
    "restore": N_("Restored"),
    "merge": N_("Merged"),
    "import": N_("Imported"),
}
RECORD_LABELS = {
    "meeting": N_("Meeting"),
    "meeting_source": N_("Source"),
    "signed_document": N_("Document signed"),
    "agreed_action": N_("Agreed action"),
    "person": N_("Person"),
    "position": N_("Position"),
    "country": N_("Country"),
    "organisation": N_("Organisation"),
    "delegation": N_("Delegation"),
    "programme_item": N_("Programme item"),
    "anniversary": N_("Anniversary"),
    "setting": N_("Setting"),
}
FIELD_LABELS = {
    "date": N_("Date"),
    "date_precision": N_("Date precision"),
    "due_date": N_("Due date"),
    "full_name": N_("Name"),
    "form_of_address": N_("Form of address"),
    "birth_date": N_("Birth date"),
    "country_id": N_("Country"),
    "organisation_id": N_("Organisation"),
    "delegation_id": N_("Delegation"),
    "merged_into_id": N_("Merged into"),
    "published_on": N_("Published on"),
    "url": N_("Web address"),
    "text": N_("Text"),
    "names": N_("Names"),
    "participants": N_("Participants"),
    "subject": N_("Subject"),
    "summary": N_("Summary"),
}


def field_label(column: str | None) -> str:
    if not column:
        return ""
    return FIELD_LABELS.get(column, column.replace("_", " ").capitalize())


@dataclass(frozen=True)
class HistoryLine:
    """One change as the History panel shows it."""

    when: datetime
    who: str
    record: str
    action: str
    field: str
    old: str
    new: str


def _readable(value: str | None) -> str:
    """Values are stored as text; a created record's summary is JSON: show it as a list."""
    if value is None:
        return ""
    if value.startswith(("{", "[")):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, dict):
            # Row numbers and list positions mean nothing to the reader: leave them out.
            # Kept a message, so the fields' names read in the reader's language.
            joined = ""
            for k, v in parsed.items():
                if k.endswith("_id") or k == "ordinal":
                    continue
                part = N_("{field}: {value}", field=field_label(k), value=_readable_value(v))
                joined = N_("{first}; {then}", first=joined, then=part) if joined else part
            return joined
        if isinstance(parsed, list):
            return ", ".join(_readable_value(v) for v in parsed)
    return value


def _readable_value(value: object) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def history_lines(entries: list[ChangeEntry]) -> list[HistoryLine]:
    return [
        HistoryLine(
            when=e.at,
            who=e.user,
            record=RECORD_LABELS.get(e.table, e.table),
            action=OPERATION_LABELS.get(e.operation, e.operation),
            field=field_label(e.field),
            old=_readable(e.old),
            new=_readable(e.new),
        )
        for e in entries
    ]


# --- conflicts -----------------------------------------------------------------------------


def _labelled(fields: list[tuple[str, str]]) -> str:
    """A part's fields one per line, the empty ones left out."""
    joined = ""
    for label, value in fields:
        if value:
            line = N_("{field}: {value}", field=label, value=value)
            joined = N_("{first}\n{then}", first=joined, then=line) if joined else line
    return joined


def _source_fields(s: Source) -> list[tuple[str, str]]:
    return [
        (N_("Publisher"), s.publisher),
        (N_("Title"), s.title),
        (N_("Published on"), format_date(s.published_on) if s.published_on else ""),
        (N_("Web address"), s.url),
        (N_("Text"), s.text),
        (N_("Document"), s.document),
    ]


def _action_fields(a: AgreedAction) -> list[tuple[str, str]]:
    return [
        (N_("Text"), a.text),
        (N_("Owner"), a.owner),
        (N_("Due"), format_date(a.due) if a.due else ""),
        (N_("Status"), ACTION_STATUS_LABELS.get(a.status, str(a.status))),
        (N_("Completed on"), format_date(a.completed_on) if a.completed_on else ""),
        (N_("Outcome"), a.outcome),
    ]


@dataclass(frozen=True)
class FieldDifference:
    """A field (or a participant, source or agreed action) two people saved differently:
    the value each of them saved; empty where one of them has no such part."""

    label: str
    yours: str
    theirs: str
    part: str = ""  # the part of the record: "Meeting", "Participants", "Sources", …


# One line of a record's comparison: (part, key, label, value). Lines with the same part and
# key are compared; a key on one side only is a participant, source or action the other lacks.
_Line = tuple[str, str, str, str]


@dataclass
class Conflict:
    """Your unsaved copy beside the version a colleague saved in between."""

    title: str
    differences: list[FieldDifference]
    their_version: int
    theirs_deleted: bool = False


class SafetyService:
    """Backups, restore, history and conflicts for the open database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def path(self) -> Path:
        if self.store.path is None:
            raise DatabaseError(N_("A temporary database has no backups."))
        return self.store.path

    # --- backups ---------------------------------------------------------------------------
    def backups(self) -> list[BackupInfo]:
        return backups.list_backups(self.path) if self.store.path else []

    def restore(
        self, backup: BackupInfo, on_update: Callable[[], None] | None = None
    ) -> Path | None:
        """Replace the open database by a backup and reopen it in place; returns where the
        replaced file was kept. ``prepare_restore`` and ``finish_restore`` in one go."""
        return self.finish_restore(self.prepare_restore(backup), on_update)

    def prepare_restore(
        self,
        backup: BackupInfo,
        progress: Progress | None = None,
        cancelled: threading.Event | None = None,
    ) -> Path:
        """The slow half of a restore: a checked copy of the backup beside the database, for
        ``finish_restore`` (or ``discard_restore``). It does not use the store's connection,
        so it may run in another thread while the window goes on reading."""
        self._check_replaceable()
        return backups.prepare_restore(
            backup.path, self.path, progress=progress, cancelled=cancelled
        )

    def discard_restore(self, prepared: Path) -> None:
        backups.discard_prepared(prepared)

    def finish_restore(
        self, prepared: Path, on_update: Callable[[], None] | None = None
    ) -> Path | None:
        """Put a copy made by ``prepare_restore`` in the database's place and reopen the store
        on it, on the store's own thread; returns where the replaced file was kept. The lock
        stays held throughout: nobody slips in between. ``on_update`` is called before the
        restored file's format is updated (a backup made by an earlier version). When the
        restored file cannot be opened, the replaced one is put back and opened again."""
        try:
            self._check_replaceable()
        except DatabaseError:
            backups.discard_prepared(prepared)
            raise
        path = self.path
        lock, user = self.store.lock, self.store.user
        readonly, checked = self.store.readonly, self.store.checked
        # Closing checkpoints the WAL, so the replaced file is complete on its own.
        self.store.db.conn.close()
        try:
            kept = backups.put_in_place(prepared, path)
        except BaseException:
            self._reopen(path, lock, user, readonly, checked)  # the file that was open
            raise
        try:
            # The copy was just checked in full.
            db = connect(path, create=False, check="none", on_update=on_update)
        except BaseException:
            if kept is not None:
                backups.put_back(kept, path)
            self._reopen(path, lock, user, readonly, checked)
            raise
        Store.__init__(self.store, db, path, user)
        self.store.lock = lock
        self.store.checked = True
        return kept

    def _reopen(
        self, path: Path, lock: DatabaseLock | None, user: str, readonly: bool, checked: bool
    ) -> None:
        """Open the store again on the file that was open before a restore that failed."""
        db = connect(path, create=False, check="none")
        Store.__init__(self.store, db, path, user)
        self.store.lock = lock
        self.store.checked = checked
        if readonly:  # found damaged, say: it stays read-only
            stop_writing(self.store)

    def _check_replaceable(self) -> None:
        # Read-only because a colleague writes to it: not ours to replace. (Read-only because
        # it was found damaged, with the lock held: replacing it is the way out.)
        if self.store.readonly and self.store.lock is None:
            raise DatabaseError(N_("The database is open read-only: it cannot be replaced."))

    # --- history ---------------------------------------------------------------------------
    def meeting_history(self, meeting_id: int) -> list[HistoryLine]:
        """Changes to the meeting, its sources and its agreed actions, newest first."""
        meeting = self.store.meetings.get(meeting_id)
        uids = [meeting.uid, *(s.uid for s in meeting.sources), *(a.uid for a in meeting.actions)]
        return history_lines(self.store.changes.for_rows(uids))

    def person_history(self, person_id: int) -> list[HistoryLine]:
        person = self.store.people.get(person_id)
        uids = [person.uid, *(p.uid for p in person.positions)]
        return history_lines(self.store.changes.for_rows(uids))

    # --- conflicts -------------------------------------------------------------------------
    def _country(self, country_id: int | None) -> str:
        if country_id is None:
            return ""
        try:
            return self.store.countries.get(country_id).name
        except NotFoundError:
            return f"#{country_id}"

    def _meeting_fields(self, m: Meeting) -> list[_Line]:
        """The meeting part by part: its own fields, then each participant, source and
        agreed action as a part of its own."""
        names = {p.person_id: p.person_name for p in m.participants}
        for person_id, name in names.items():
            if not name:
                try:
                    names[person_id] = self.store.people.get(person_id).full_name
                except NotFoundError:
                    names[person_id] = f"#{person_id}"
        own = [
            (N_("Date"), format_date(m.date, m.precision)),
            (N_("Time"), m.time or ""),
            (N_("Subject"), m.subject),
            (N_("Kind"), m.kind),
            (N_("Format"), MEETING_FORMAT_LABELS.get(m.format, str(m.format))),
            (N_("Venue"), m.venue),
            (N_("City"), m.city),
            (N_("Country"), self._country(m.country_id)),
            (N_("Occasion"), m.occasion),
            (N_("Summary"), m.summary),
            (N_("Topics"), ", ".join(m.topics)),
            (N_("Confidentiality"), m.confidentiality.value.capitalize()),
        ]
        lines: list[_Line] = [(N_("Meeting"), label, label, value) for label, value in own]
        for p in m.participants:
            name = names[p.person_id]
            shown = f"{name} ({p.side.value}){' — ' + p.title if p.title else ''}"
            if p.role:
                shown = N_("{text}; role: {role}", text=shown, role=p.role)
            lines.append((N_("Participants"), f"{p.person_id}:{p.side.value}", name, shown))
        for s in m.sources:
            label = s.title or s.publisher or s.url or N_("(untitled)")
            lines.append((N_("Sources"), s.uid, label, _labelled(_source_fields(s))))
        for a in m.actions:
            lines.append((N_("Agreed actions"), a.uid, a.text, _labelled(_action_fields(a))))
        return lines

    @staticmethod
    def _differences(yours: list[_Line], theirs: list[_Line]) -> list[FieldDifference]:
        """The lines that differ, in the order of their version, then yours."""
        mine = {(part, key): (label, value) for part, key, label, value in yours}
        other = {(part, key): (label, value) for part, key, label, value in theirs}
        order = list(dict.fromkeys([(p, k) for p, k, _, _ in theirs + yours]))
        # Parts in a fixed order (the meeting's fields first), lines in theirs-then-yours order.
        parts = list(dict.fromkeys(p for p, _ in order))
        found: list[FieldDifference] = []
        for part in parts:
            for key in (k for p, k in order if p == part):
                label = (other.get((part, key)) or mine[(part, key)])[0]
                my_value = mine.get((part, key), ("", ""))[1]
                their_value = other.get((part, key), ("", ""))[1]
                if my_value != their_value:
                    found.append(FieldDifference(label, my_value, their_value, part))
        return found

    def meeting_conflict(self, yours: Meeting) -> Conflict:
        """What differs between your unsaved meeting and the one saved in the file now."""
        assert yours.id is not None
        theirs = self.store.meetings.get(yours.id)
        return Conflict(
            title=theirs.subject,
            differences=self._differences(
                self._meeting_fields(yours), self._meeting_fields(theirs)
            ),
            their_version=theirs.version,
            theirs_deleted=self.store.meetings.is_deleted(yours.id),
        )

    def keep_my_meeting(self, yours: Meeting, conflict: Conflict) -> Meeting:
        """Save your version over theirs, knowingly: the change log keeps theirs.

        Only the version that was shown is overwritten: if a third save came in since the
        comparison, this raises ConflictError again."""
        assert yours.id is not None
        yours.version = conflict.their_version
        for action in yours.actions:
            if action.id is None:
                continue
            try:
                action.version = self.store.actions.get(action.id).version
            except NotFoundError:
                action.id = None  # they deleted it; yours brings it back under its uid
        theirs = {s.uid: s.version for s in self.store.meetings.get(yours.id).sources}
        for source in yours.sources:
            # The sources you saw compared; one they deleted comes back under its uid.
            source.version = theirs.get(source.uid, source.version)
        with self.store.transaction():
            return self.store.meetings.save(yours)

    def _person_fields(self, p: Person) -> list[_Line]:
        own = [
            ("Name", p.full_name),
            ("Other spellings", ", ".join(v.name for v in p.variants)),
            ("Form of address", p.form_of_address),
            ("Side", p.side.value),
            ("Country", self._country(p.country_id)),
            ("Birth date", format_base_date(p.birth_date)),
            (
                "Positions",
                "\n".join(
                    f"{q.title} ({format_date(q.start) or '…'} – {format_date(q.end) or '…'})"
                    for q in p.positions
                ),
            ),
            ("Notes", p.notes),
        ]
        return [("Person", label, label, value) for label, value in own]

    def person_conflict(self, yours: Person) -> Conflict:
        assert yours.id is not None
        theirs = self.store.people.get(yours.id)
        return Conflict(
            title=theirs.full_name,
            differences=self._differences(self._person_fields(yours), self._person_fields(theirs)),
            their_version=theirs.version,
        )

    def keep_my_person(self, yours: Person, conflict: Conflict) -> Person:
        yours.version = conflict.their_version
        with self.store.transaction():
            return self.store.people.save(yours)


# Fields that say which record and which version, not what it says: never compared.
_BOOKKEEPING = frozenset({"id", "uid", "version", "provenance", "has_photo"})


def _shown(value: object) -> str:
    """A field's value as the conflict window shows it."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(_shown(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        parts = (
            _shown(getattr(value, f.name))
            for f in fields(value)
            if f.name not in _BOOKKEEPING and not f.name.endswith("_id")
        )
        return " · ".join(part for part in parts if part)
    if isinstance(value, Enum):
        return str(value.value).capitalize()
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def record_conflict(yours: Any, theirs: Any, title: str) -> Conflict:
    """What differs between your unsaved record and the one saved in the file now, field by
    field: the same comparison for every kind of record that has no finer one."""
    differences = []
    for f in fields(yours):
        if f.name in _BOOKKEEPING:
            continue
        mine, other = _shown(getattr(yours, f.name)), _shown(getattr(theirs, f.name))
        if mine != other:
            differences.append(FieldDifference(field_label(f.name), mine, other))
    return Conflict(title=title, differences=differences, their_version=theirs.version)

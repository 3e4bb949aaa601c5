"""Sharing with colleagues through the office server: joining it, one sync (pull, then push),
the desk's status, and resolving conflicts. Plain Python: the window and the command line
both call this.

The server's client (psycopg) and the import/export are imported when first used: the window
asks for the status at start, which needs neither."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from protocol_desk.domain import sharing
from protocol_desk.domain.errors import (
    OfficeError,
    ProtocolDeskError,
    ReadOnlyOfficeError,
    ValidationError,
)
from protocol_desk.domain.messages import N_, Message, Nn_
from protocol_desk.store import Store
from protocol_desk.store.connection import connect

if TYPE_CHECKING:
    from protocol_desk.store.office_server import OfficeServer, Outgoing, SharedRecord

log = logging.getLogger(__name__)

T = TypeVar("T")

KEYRING_SERVICE = "Protocol Desk office server"
PUSH_BATCH = 1_000
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
_SECURE = {"require", "verify-ca", "verify-full"}


def _kind_order() -> dict[str, int]:
    """The order an import reads the kinds in (a record before those naming it)."""
    from protocol_desk.services.exchange import RECORD_LISTS

    return {kind: n for n, kind in enumerate(RECORD_LISTS)}


Progress = Callable[[str], None]


@dataclass(frozen=True)
class SyncOutcome:
    pushed: int
    pulled: int
    conflicts: int
    waiting: int = 0  # changes still on this desk (a reader's, or those in conflict)
    readonly: bool = False

    def as_json(self) -> dict[str, int]:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts}


@dataclass(frozen=True)
class OfficeStatus:
    server: str | None  # where, for people (no password); None when not connected
    synced_at: datetime | None
    waiting: int
    conflicts: int
    problem: str | None  # why the last sync could not complete

    def sentence(self, now: datetime | None = None) -> str:
        """The status bar's words: synced 2 min ago, offline with changes waiting, conflicts
        (a marked message: the window shows it in its language)."""
        if self.server is None:
            return ""
        text: Message
        if self.problem:
            text = (
                Nn_(
                    "Office: offline — {n} change waiting",
                    "Office: offline — {n} changes waiting",
                    n=self.waiting,
                )
                if self.waiting
                else N_("Office: offline")
            )
        elif self.synced_at is None:
            text = N_("Office: not synced yet")
        else:
            ago = _ago(self.synced_at, now or datetime.now(UTC))
            text = (
                Nn_(
                    "Office: synced {ago}, {n} change waiting",
                    "Office: synced {ago}, {n} changes waiting",
                    n=self.waiting,
                    ago=ago,
                )
                if self.waiting
                else N_("Office: synced {ago}", ago=ago)
            )
        if self.conflicts:
            text = Nn_(
                "{status} · {n} conflict", "{status} · {n} conflicts", n=self.conflicts, status=text
            )
        return text


def _ago(moment: datetime, now: datetime) -> Message:
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return N_("just now")
    if seconds < 3600:
        return Nn_("{n} min ago", "{n} min ago", n=seconds // 60)
    if seconds < 86400:
        return Nn_("{n} h ago", "{n} h ago", n=seconds // 3600)
    return N_("on {moment}", moment=moment.astimezone().strftime("%d.%m.%Y %H:%M"))


# --- where the office server is --------------------------------------------------------------


def _conninfo(dsn: str) -> dict[str, Any]:
    import psycopg.conninfo

    try:
        return psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as error:
        raise ValidationError(
            N_(
                "“{dsn}” is not a PostgreSQL connection string: {reason}",
                dsn=dsn,
                reason=error,
            )
        ) from None


def make_dsn(host: str, port: int | None, database: str, user: str) -> str:
    """A connection string from the Connect dialog's fields."""
    import psycopg.conninfo

    for value, what, missing in (
        (database, "database", N_("Please give the office server's database.")),
        (user, "user", N_("Please give the office server's user.")),
    ):
        if not value.strip():
            raise ValidationError(missing, what)
    parts: dict[str, Any] = {"dbname": database.strip(), "user": user.strip()}
    if host.strip():
        parts["host"] = host.strip()
    if port:
        parts["port"] = port
    return psycopg.conninfo.make_conninfo(**parts)


def prepared_dsn(dsn: str) -> tuple[str, str | None]:
    """The connection string as kept on the desk (no password; TLS required when the server
    is on another computer), and the password it carried, if any."""
    import psycopg.conninfo

    info = _conninfo(dsn)
    password = info.pop("password", None)
    host = str(info.get("host") or "")
    local = all(h.strip() in _LOCAL_HOSTS or h.startswith("/") for h in host.split(","))
    if not local:
        mode = info.get("sslmode")
        if mode is None:
            info["sslmode"] = "require"
        elif mode not in _SECURE:
            raise ValidationError(
                N_(
                    "The office server {host} is on another computer: the connection must be "
                    "encrypted (sslmode=require or verify-full, not {mode}).",
                    host=host,
                    mode=mode,
                )
            )
    return psycopg.conninfo.make_conninfo(**info), (str(password) if password else None)


def _account(dsn: str) -> str:
    info = _conninfo(dsn)
    return (
        f"{info.get('user') or ''}@{info.get('host') or 'localhost'}:{info.get('port') or 5432}"
        f"/{info.get('dbname') or ''}"
    )


def _stored_password(dsn: str) -> str | None:
    """The password from the system's keyring; none when there is no keyring to ask."""
    try:
        import keyring
        import keyring.errors

        return keyring.get_password(KEYRING_SERVICE, _account(dsn))
    except Exception as error:  # any keyring backend failure means: no stored password
        log.info("No password from the keyring: %s", error)
        return None


def _store_password(dsn: str, password: str) -> None:
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _account(dsn), password)
    except Exception as error:
        raise OfficeError(
            N_(
                "The password could not be kept in the system's keyring ({reason}); it is "
                "never written to a file. Install or unlock a keyring (or ask IT for a "
                "~/.pgpass or certificate log-in).",
                reason=error.__class__.__name__,
            )
        ) from error


def on_own_connection(path: Path, user: str, work: Callable[[Store], T]) -> T:
    """Run ``work(store)`` on a connection of its own (in a worker's thread)."""
    store = Store(connect(path, check="none"), path, user)
    try:
        return work(store)
    finally:
        store.db.conn.close()


def office_dsn(store: Store) -> str | None:
    return store.outbox.state("server")


def open_server(store: Store) -> OfficeServer:
    from protocol_desk.store.office_server import OfficeServer

    dsn = office_dsn(store)
    if dsn is None:
        raise OfficeError(
            N_(
                "This desk is not connected to an office server (File → Connect to the "
                "office server…, or the “connect” command)."
            )
        )
    return OfficeServer.connect(dsn, _stored_password(dsn))


# --- joining ---------------------------------------------------------------------------------


def connect_desk(store: Store, dsn: str, password: str | None = None) -> str:
    """Keep the office server for this desk, after checking it can be used. Records already
    here wait to be shared at the next sync. Returns a sentence saying so."""
    from protocol_desk.store.office_server import OfficeServer

    kept, in_dsn = prepared_dsn(dsn)
    password = password or in_dsn
    with OfficeServer.connect(kept, password) as server:
        server.check()
    if password:
        _store_password(kept, password)
    previous = office_dsn(store)
    with store.transaction():
        if previous is not None and previous != kept:
            store.outbox.forget_office()
        store.outbox.set_state("server", kept)
        store.outbox.clear_state("problem")
        store.outbox.start_tracking(with_existing=not store.is_empty())
        waiting = store.outbox.waiting()
    return Nn_(
        "Connected to the office server ({account}); {n} record to share at the next sync.",
        "Connected to the office server ({account}); {n} records to share at the next sync.",
        n=waiting,
        account=_account(kept),
    )


# --- one sync --------------------------------------------------------------------------------


def sync(store: Store, progress: Progress | None = None) -> SyncOutcome:
    """Pull what colleagues shared, then push this desk's changes. Raises OfficeError (one
    sentence) when the office cannot be reached; the desk's changes then keep waiting."""
    say = progress or (lambda _text: None)
    try:
        with open_server(store) as server:
            server.check()
            say("Office: receiving colleagues' changes…")
            pulled = pull(store, server, say)
            _, writable = server.user_roles()
            pushed = 0
            if writable:
                say("Office: sending this desk's changes…")
                pushed = push(store, server, say)
    except ProtocolDeskError as error:  # the server's, or a received record refused here
        with store.transaction():
            store.outbox.set_state("problem", error.message)
        raise
    with store.transaction():
        store.outbox.set_state("synced_at", datetime.now(UTC).isoformat(timespec="seconds"))
        store.outbox.clear_state("problem")
    return SyncOutcome(
        pushed=pushed,
        pulled=pulled,
        conflicts=store.outbox.count_conflicts(),
        waiting=store.outbox.waiting(),
        readonly=not writable,
    )


def _as_office(store: Store, authors: set[str]) -> Store:
    """The same database, its changes logged as made at the office by these people."""
    return Store(store.db, store.path, "office: " + ", ".join(sorted(authors)))


def _mine(store: Store, kind: str, uid: str) -> tuple[str, Any]:
    from protocol_desk.services.exchange import export_record

    return export_record(store, kind, uid)


def pull(store: Store, server: OfficeServer, say: Progress | None = None) -> int:
    """Apply every record shared since the last pull, in one local transaction, through the
    import. A record changed here meanwhile becomes a conflict, both versions kept; one this
    desk cannot apply (it fails validation here) is kept beside, with the reason, and the
    rest is applied."""
    from protocol_desk.services import office_join

    if office_join.can_join_in_bulk(store):
        joined = office_join.join(store, server, say or (lambda _text: None))
        if joined is not None:
            return joined
    after = int(store.outbox.state("last_seq") or 0)
    incoming: list[SharedRecord] = []
    for batch in server.changes_after(after):
        incoming.extend(batch)
        if say is not None and len(incoming) > len(batch):
            say(f"Office: receiving colleagues' changes ({len(incoming):,} records)…")
    if not incoming:
        return 0
    if say is not None and len(incoming) > 1_000:
        say(f"Office: saving {len(incoming):,} records from colleagues…")
    with store.transaction():
        applied = _apply_pulled(store, incoming)
        store.outbox.set_state("last_seq", str(max(r.seq for r in incoming)))
    return applied


def _apply_pulled(store: Store, incoming: list[SharedRecord]) -> int:
    """Inside the caller's transaction: sort the received records into conflicts and changes
    to apply, apply those, and record what this desk now agrees with."""
    waiting = {e.uid for e in store.outbox.entries()}
    in_conflict = store.outbox.conflict_uids()
    unapplied = store.outbox.unapplied_uids()  # kept because they failed here: try again
    bases = store.outbox.bases(r.uid for r in incoming)
    to_apply: dict[str, SharedRecord] = {}  # the newest of each uid
    whole = {r.uid: r.seq for r in incoming if sharing.whole_meeting(r.kind, r.content)}
    for record in incoming:
        if sharing.superseded_action(record.kind, record.content, record.seq, whole):
            continue  # an earlier version's action: its meeting's record, later, has it
        base = bases.get(record.uid)
        if base is not None and base.version >= record.version:
            continue  # this desk's own change coming back, or already applied
        theirs = sharing.digest(None if record.deleted else record.content)
        if record.uid in in_conflict and record.uid not in unapplied:
            _keep(store, record)
            continue
        if record.uid in waiting:
            _, mine = _mine(store, record.kind, record.uid)
            ours = sharing.digest(mine)
            if ours == theirs:  # both made the same change
                store.outbox.set_base(record.uid, record.kind, record.version, theirs)
                store.outbox.unmark(record.uid)
                store.outbox.resolved(record.uid)
                to_apply.pop(record.uid, None)
                continue
            if base is None or ours != base.digest:
                _keep(store, record)
                to_apply.pop(record.uid, None)
                continue
            store.outbox.unmark(record.uid)  # marked, but not changed here after all
        to_apply[record.uid] = record
    failed = _apply(store, list(to_apply.values()))
    for record in to_apply.values():
        if record.uid in failed:
            _keep(store, record, failed[record.uid])
            continue
        content = None if record.deleted else record.content
        store.outbox.set_base(record.uid, record.kind, record.version, sharing.digest(content))
        store.outbox.resolved(record.uid)
    return len(to_apply) - len(failed)


def _keep(store: Store, record: SharedRecord, reason: str = "") -> None:
    """The office's version kept beside this desk's until the officer chooses."""
    content_text = None if record.deleted else sharing.canonical(record.content)
    store.outbox.keep_conflict(
        record.uid, record.kind, record.version, content_text, record.author, reason
    )


def _apply(store: Store, records: list[SharedRecord]) -> dict[str, str]:
    """Write the office's records here, all at once; should one fail validation, the rest
    again without it (and without those that needed it), until they go in. Returns the uids
    that could not, with the reason."""
    from protocol_desk.services.exchange import RecordNotApplied

    order = _kind_order()
    remaining = sorted(records, key=lambda r: order.get(r.kind, 99))
    failed: dict[str, str] = {}
    while remaining:
        try:
            with store.transaction():  # a savepoint: a failure undoes only this attempt
                _write(store, remaining)
            break
        except RecordNotApplied as error:
            culprit = error.uid if any(r.uid == error.uid for r in remaining) else None
            log.warning("A record from the office could not be applied: %s", error.message)
            for record in remaining:
                if culprit is None or record.uid == culprit:
                    failed[record.uid] = error.message
            remaining = [r for r in remaining if r.uid not in failed]
    return failed


def _write(store: Store, records: list[SharedRecord]) -> None:
    from protocol_desk.services import exchange

    with store.outbox.applying():
        # The change log names who made the changes at the office.
        applier = _as_office(store, {r.author for r in records})
        exchange.import_records(
            applier, [(r.kind, r.content) for r in records if not r.deleted], in_bulk=True
        )
        for r in records:
            if r.deleted:
                try:
                    exchange.remove_record(applier, r.kind, r.uid)
                except ProtocolDeskError as error:
                    raise exchange.RecordNotApplied(error.message, r.uid) from error


def push(store: Store, server: OfficeServer, say: Progress | None = None) -> int:
    """Send every record changed here (and not in conflict), in batches of one server
    transaction each. A record the office changed meanwhile becomes a conflict."""
    from protocol_desk.store.office_server import Outgoing, Refused

    in_conflict = store.outbox.conflict_uids()
    entries = [e for e in store.outbox.entries() if e.uid not in in_conflict]
    bases = store.outbox.bases(e.uid for e in entries)
    pushed = 0
    outgoing: list[tuple[Outgoing, str, int]] = []
    finished: list[tuple[str, int]] = []
    for entry in entries:
        kind, content = _mine(store, entry.kind, entry.uid)
        mine = sharing.digest(content)
        base = bases.get(entry.uid)
        if (base is not None and base.digest == mine) or (base is None and content is None):
            finished.append((entry.uid, entry.changes))  # nothing the office lacks
            continue
        outgoing.append(
            (
                Outgoing(entry.uid, kind, base.version if base else None, content),
                mine,
                entry.changes,
            )
        )
    order = _kind_order()
    outgoing.sort(key=lambda o: order.get(o[0].kind, 99))
    if finished:
        with store.transaction():
            for uid, changes in finished:
                store.outbox.sent(uid, changes)
    for start in range(0, len(outgoing), PUSH_BATCH):
        if say is not None and start:
            say(f"Office: sending this desk's changes ({start:,} of {len(outgoing):,})…")
        batch = outgoing[start : start + PUSH_BATCH]
        results = server.push([item for item, _, _ in batch], store.user)
        with store.transaction():
            for (item, mine, changes), result in zip(batch, results, strict=True):
                if isinstance(result, Refused):
                    theirs = result.theirs
                    their_content = None if theirs.deleted else theirs.content
                    if sharing.digest(their_content) == mine:
                        # The office already has this very content (an earlier push whose
                        # answer was lost, or the same data loaded on both desks).
                        store.outbox.set_base(item.uid, item.kind, theirs.version, mine)
                        store.outbox.sent(item.uid, changes)
                        continue
                    store.outbox.keep_conflict(
                        item.uid,
                        theirs.kind,
                        theirs.version,
                        None if their_content is None else sharing.canonical(their_content),
                        theirs.author,
                    )
                    continue
                store.outbox.set_base(item.uid, item.kind, result, mine)
                store.outbox.sent(item.uid, changes)
                pushed += 1
    return pushed


# --- status ----------------------------------------------------------------------------------


def status(store: Store) -> OfficeStatus:
    dsn = office_dsn(store)
    if dsn is None:
        return OfficeStatus(None, None, 0, 0, None)
    synced = store.outbox.state("synced_at")
    return OfficeStatus(
        server=_account(dsn),
        synced_at=datetime.fromisoformat(synced) if synced else None,
        waiting=store.outbox.waiting(),
        conflicts=store.outbox.count_conflicts(),
        problem=store.outbox.state("problem"),
    )


# --- conflicts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A record both this desk and a colleague changed: both versions, and how they differ."""

    uid: str
    kind: str
    title: str
    mine: Any  # None: deleted here
    theirs: Any  # None: deleted at the office
    their_version: int
    their_author: str
    differences: list[sharing.FieldDifference]
    reason: str = ""  # why theirs could not be applied here; "" when both desks changed it


_TITLE_FIELDS = ("subject", "full_name", "name", "title", "text")


def _title(kind: str, mine: Any, theirs: Any) -> str:
    for content in (mine, theirs):
        if isinstance(content, dict):
            for key in _TITLE_FIELDS:
                if content.get(key):
                    return str(content[key])
    return kind


_NAMES_SQL = (
    "SELECT full_name FROM person WHERE uid = ?",
    "SELECT name FROM organisation WHERE uid = ?",
    "SELECT name FROM country WHERE uid = ?",
    "SELECT subject FROM meeting WHERE uid = ?",
)


def _named(store: Store, value: str) -> str:
    """A reference shown by its record's name (a participant's person, an organisation)."""
    if len(value) != 36 or value.count("-") != 4:
        return value
    for statement in _NAMES_SQL:
        row = store.db.execute(statement, [value]).fetchone()
        if row is not None:
            return str(row[0])
    return value


_FIELD_PATH = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?$")


def field_label(path: str) -> str:
    """``participants[2].title`` → “Participants 2: Title”, for people, in their language."""
    from protocol_desk.services.safety import field_label as named

    found = _FIELD_PATH.match(path)
    if found is None:
        return path
    name, index, part = found.groups()
    label = named(name)
    if index is not None:
        label = N_("{field} {n}", field=label, n=int(index))
    if part:
        label = N_("{field}: {part}", field=label, part=named(part))
    return label


def conflicts(store: Store) -> list[Conflict]:
    found = []
    for kept in store.outbox.conflicts():
        kind, mine = _mine(store, kept.kind, kept.uid)
        theirs = None if kept.their_content is None else json.loads(kept.their_content)
        found.append(
            Conflict(
                uid=kept.uid,
                kind=kind,
                title=_title(kind, mine, theirs),
                mine=mine,
                theirs=theirs,
                their_version=kept.their_version,
                their_author=kept.their_author,
                differences=[
                    sharing.FieldDifference(d.path, _named(store, d.mine), _named(store, d.theirs))
                    # One never applied here: its fields as the office has them.
                    for d in sharing.differences(
                        {} if mine is None and kept.reason else mine, theirs
                    )
                ],
                reason=kept.reason,
            )
        )
    return found


def _kept(store: Store, uid: str) -> Any:
    kept = store.outbox.conflict(uid)
    if kept is None:
        raise ValidationError(N_("This conflict was already resolved."))
    return kept


def keep_mine(store: Store, uid: str) -> None:
    """This desk's version wins: it goes to the office at the next sync, over theirs."""
    with store.transaction():
        kept = _kept(store, uid)
        theirs = None if kept.their_content is None else json.loads(kept.their_content)
        store.outbox.set_base(uid, kept.kind, kept.their_version, sharing.digest(theirs))
        store.outbox.resolved(uid)
        store.outbox.mark(uid, kept.kind)


def take_theirs(store: Store, uid: str) -> None:
    """The office's version wins: it replaces this desk's, through the import."""
    from protocol_desk.services import exchange

    with store.transaction():
        kept = _kept(store, uid)
        theirs = None if kept.their_content is None else json.loads(kept.their_content)
        with store.outbox.applying():
            applier = _as_office(store, {kept.their_author})
            if theirs is None:
                exchange.remove_record(applier, kept.kind, uid)
            else:
                exchange.import_records(applier, [(kept.kind, theirs)])
        store.outbox.set_base(uid, kept.kind, kept.their_version, sharing.digest(theirs))
        store.outbox.resolved(uid)
        store.outbox.unmark(uid)


def merge_by_hand(store: Store, uid: str, content: dict[str, Any]) -> None:
    """A version the officer put together from both: saved here and sent at the next sync."""
    from protocol_desk.services import exchange

    with store.transaction():
        kept = _kept(store, uid)
        theirs = None if kept.their_content is None else json.loads(kept.their_content)
        with store.outbox.applying():
            exchange.import_records(store, [(kept.kind, content)])
        store.outbox.set_base(uid, kept.kind, kept.their_version, sharing.digest(theirs))
        store.outbox.resolved(uid)
        store.outbox.mark(uid, kept.kind)


def server_init(dsn: str) -> list[str]:
    from protocol_desk.store.office_server import OfficeServer

    kept, password = prepared_dsn(dsn)
    with OfficeServer.connect(kept, password) as server:
        applied = server.init()
        server.check()
    return applied


def server_check(dsn: str) -> str:
    from protocol_desk.store.office_server import OfficeServer

    kept, password = prepared_dsn(dsn)
    with OfficeServer.connect(kept, password) as server:
        server.check()
        readable, writable = server.user_roles()
    rights = "read and write" if writable else "read only" if readable else "no access"
    return f"The office server is ready ({_account(kept)}: {rights})."


__all__ = ["OfficeError", "ReadOnlyOfficeError"]

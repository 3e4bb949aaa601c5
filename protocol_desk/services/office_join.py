"""A new desk joining the office: its first pull, with nothing here yet, made as a bulk load.

Every record is read from the server in pages, a record before those naming it, and written
through the store's bulk writer (the rows, the full-text index and the change log each
repository's ``save`` writes, in big batches), in one local transaction: a desk stopped
half-way has nothing of it and pulls everything again. The few kinds the bulk writer does not
write (the settings, visits, preparations of derived anniversaries, an action with no
meeting) and the rare parts it leaves out (a photo, a merge, a meeting in the bin) go through
the import afterwards, in the same transaction. Should any record fail here, nothing of the
bulk load is kept and the desk pulls the ordinary way, record by record, so a record this
desk cannot apply is kept aside with its reason as in any pull."""

from __future__ import annotations

import contextlib
import gc
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from protocol_desk.domain import sharing
from protocol_desk.domain.errors import OfficeError, ProtocolDeskError, ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.validation import (
    validate_anniversary,
    validate_meeting,
    validate_person,
)
from protocol_desk.services import exchange
from protocol_desk.store import Store

if TYPE_CHECKING:
    from protocol_desk.store.bulk import BulkWriter
    from protocol_desk.store.office_server import OfficeServer, SharedRecord

# The kinds the bulk writer writes, in the order a record comes before those naming it.
_BULK_KINDS = ("person", "anniversary", "meeting")
# Countries and bodies go through the import, before the rest: a new database holds the
# world's already (the reference data), which the office's records update or take over.
_WORLD_KINDS = ("country", "organisation")
_PAGE = 2_000
log = logging.getLogger(__name__)


class _NotInBulk(Exception):
    """The bulk load cannot take this office's records: pull the ordinary way."""


def can_join_in_bulk(store: Store) -> bool:
    """A desk with nothing yet, that has never pulled."""
    return (
        store.outbox.state("last_seq") is None and store.is_empty() and not store.outbox.waiting()
    )


def join(store: Store, server: OfficeServer, say: Callable[[str], None]) -> int | None:
    """Receive every record at once; the number received, or None when the bulk load could
    not take them (nothing was written: pull the ordinary way)."""
    order = list(_kind_order())
    total, meetings, pages = server.everything(order, listed="meeting", batch=_PAGE)
    if total == 0:
        pages.close()
        return 0
    ahead = _read_ahead(pages)
    try:
        with store.transaction(), store.outbox.applying():
            # References are checked at the commit: an action may name a later meeting.
            store.db.execute("PRAGMA defer_foreign_keys = ON")
            received = _load(store, total, meetings, ahead, say)
    except OfficeError:
        raise  # the server's: the sync says so, nothing here changed
    except (_NotInBulk, ProtocolDeskError, sqlite3.IntegrityError) as why:
        ahead.close()
        log.warning("Joining the office in bulk did not work (%s): pulling one by one", why)
        say("Office: receiving colleagues' changes one by one…")
        return None
    return received


_END = object()


def _read_ahead(pages: Iterator[list[SharedRecord]]) -> Generator[list[SharedRecord], None, None]:
    """The server's pages, each read on a thread of its own while this desk writes the one
    before: the server's work (reading the records, sending them) runs beside the desk's
    (a third of the time of a join). Closing this stops the reading and ends it."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def offer(item: Any) -> None:
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                ready.put(item, timeout=0.1)
                return

    def read() -> None:
        try:
            for page in pages:
                offer(page)
                if stop.is_set():
                    break
            offer(_END)
        except BaseException as error:  # handed to the desk's thread, raised there
            offer(error)
        finally:
            with contextlib.suppress(Exception):
                getattr(pages, "close", lambda: None)()

    reader = threading.Thread(target=read, name="office join reader", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def _kind_order() -> dict[str, int]:
    return {kind: n for n, kind in enumerate(exchange.RECORD_LISTS)}


class _Ids:
    """uid → id of the records written in bulk (and, for those written otherwise, the
    database's)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # Keyed "table:uid": a dict of texts and numbers, which the garbage collector never
        # walks (with tuples as keys, every full collection walked its 120,000 entries while
        # the window waited).
        self.known: dict[str, int] = {}

    def __call__(self, table: str, uid: Any, what: str) -> int | None:
        if uid in (None, ""):
            return None
        found = self.known.get(f"{table}:{uid}")
        if found is None:
            found = self.store.meetings.id_for_uid(table, str(uid))
            if found is None:
                raise ValidationError(
                    N_(
                        "{what} refers to a record ({kind}, {uid}) the office does not hold.",
                        what=what,
                        kind=exchange.RECORD_KINDS.get(table, table),
                        uid=uid,
                    )
                )
            self.known[f"{table}:{uid}"] = found
        return found


def _load(
    store: Store,
    total: int,
    meetings: list[str],
    pages: Iterable[list[SharedRecord]],
    say: Callable[[str], None],
) -> int:
    from protocol_desk.store.bulk import indexes_built_at_the_end

    with indexes_built_at_the_end(store.db.conn), _young_collections_only():
        return _load_rows(store, total, meetings, pages, say)


@contextlib.contextmanager
def _young_collections_only() -> Iterator[None]:
    """No full garbage collection while the join runs (the young generations are collected
    page by page): a full one walks the whole program, the window's objects too, and the
    window waited for it (0.1–0.5 s each, every few seconds). Whatever is left is collected
    as usual once the join is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_rows(
    store: Store,
    total: int,
    meetings: list[str],
    pages: Iterable[list[SharedRecord]],
    say: Callable[[str], None],
) -> int:
    from protocol_desk.store import action_keys, due
    from protocol_desk.store.bulk import BulkWriter, fill_search_vocabulary

    writer = BulkWriter(store.db, store.user)
    writer.in_key_order = True
    ids = _Ids(store)
    # The ids the meetings will have, written in this order: an action names the meeting it
    # was fulfilled at, which may come in a later page.
    first = writer.next_id("meeting")
    ids.known.update((f"meeting:{uid}", first + n) for n, uid in enumerate(meetings))
    meetings.clear()
    later: list[SharedRecord] = []  # through the import, after the bulk load
    afterwards: list[Callable[[], None]] = []  # a photo, a merge, a meeting in the bin
    bases: list[tuple[str, str, int, str]] = []
    world: list[SharedRecord] = []
    received = 0
    last_seq = 0
    world_done = visits_done = False
    # Each meeting shared with its actions inside: an earlier version's action record
    # before it is replaced by it (meetings come before actions).
    whole: dict[str, int] = {}
    for page in pages:
        for record in page:
            last_seq = max(last_seq, record.seq)
            content = None if record.deleted else record.content
            bases.append((record.uid, record.kind, record.version, sharing.digest(content)))
            if record.deleted:
                continue  # nothing to write: a desk with nothing has nothing to delete
            if sharing.whole_meeting(record.kind, content):
                whole[record.uid] = record.seq
            elif sharing.superseded_action(record.kind, content, record.seq, whole):
                continue
            if record.kind in _WORLD_KINDS:
                world.append(record)
                continue
            if record.kind in _BULK_KINDS and not world_done:
                _import_world(store, writer, world)
                world_done = True
            # The change log names who made each record at the office.
            writer.user = f"office: {record.author}"
            if record.kind == "meeting" and not visits_done:
                # Meetings name their visit: the visits (their programmes come at the end).
                _import_visits_first(store, writer, later)
                visits_done = True
            if record.kind in _BULK_KINDS:
                _write(writer, ids, record.kind, record.content, afterwards)
            else:
                later.append(record)
        received += len(page)
        writer.flush()
        store.outbox.set_bases(bases)  # page by page: nothing piles up for the collector
        bases.clear()
        gc.collect(1)
        say(
            sharing.Step(
                f"Office: joining — {received:,} of {total:,} records received…", received, total
            )
        )
    if not world_done:
        _import_world(store, writer, world)
    if not visits_done:
        _import_visits_first(store, writer, later)
    say("Office: joining — building the search index…")
    conn = store.db.conn
    fill_search_vocabulary(conn)
    exchange.import_records(_as_office(store, later), [(r.kind, r.content) for r in later])
    for step in afterwards:
        step()
    store.countries.resync_anniversaries()
    due.refresh_anniversary_dues(conn)
    action_keys.refresh(conn)
    store.outbox.set_bases(bases)
    store.outbox.set_state("last_seq", str(last_seq))
    return received


def _import_world(store: Store, writer: BulkWriter, world: list[SharedRecord]) -> None:
    """The countries and bodies, through the import (which updates the reference records a
    new database holds, or lets the office's take their place), before what names them."""
    writer.flush()
    if world:
        exchange.import_records(_as_office(store, world), [(r.kind, r.content) for r in world])
        writer.after_others()
    world.clear()


def _as_office(store: Store, records: list[SharedRecord]) -> Store:
    """The same database, its changes logged as made at the office by these people."""
    authors = ", ".join(sorted({r.author for r in records}))
    return Store(store.db, store.path, f"office: {authors}")


def _import_visits_first(store: Store, writer: BulkWriter, later: list[SharedRecord]) -> None:
    """The visits met so far, without their programmes (those name meetings), through the
    import, before the meetings that name them."""
    writer.flush()
    visits = [r for r in later if r.kind == "delegation"]
    if visits:
        exchange.import_records(
            _as_office(store, visits),
            [("delegation", dict(r.content, programme=[])) for r in visits],
        )
        writer.after_others()


def _write(
    writer: BulkWriter,
    ids: _Ids,
    kind: str,
    r: dict[str, Any],
    afterwards: list[Callable[[], None]],
) -> None:
    uid = str(r.get("uid"))
    if kind == "person":
        what = N_("Person “{name}”", name=r.get("full_name", "?"))
        person = exchange.person_from(r, what, ids, uid)
        validate_person(person)
        person_id = writer.person(person)
        ids.known[f"person:{uid}"] = person_id
        _person_afterwards(writer, ids, r, what, person_id, afterwards)
    elif kind == "anniversary":
        what = N_("Anniversary “{title}”", title=r.get("title", "?"))
        anniversary = exchange.anniversary_from(r, what, ids, uid)
        validate_anniversary(anniversary)
        ids.known[f"anniversary:{uid}"] = writer.anniversary(anniversary)
    else:
        _write_meeting(writer, ids, r, uid, afterwards)


def _person_afterwards(
    writer: BulkWriter,
    ids: _Ids,
    r: dict[str, Any],
    what: str,
    person_id: int,
    afterwards: list[Callable[[], None]],
) -> None:
    store = Store(ids.store.db, ids.store.path, writer.user)  # named as the office's
    if r.get("photo"):
        photo = exchange.photo_from(r, what)
        afterwards.append(lambda: store.people.set_photo(person_id, photo))
    if r.get("merged_into"):
        into = r["merged_into"]
        afterwards.append(
            lambda: store.people.mark_merged(person_id, ids("person", into, what) or 0)
        )


def _write_meeting(
    writer: BulkWriter,
    ids: _Ids,
    r: dict[str, Any],
    uid: str,
    afterwards: list[Callable[[], None]],
) -> None:
    what = N_("Meeting “{subject}”", subject=r.get("subject", "?"))
    meeting = exchange.meeting_from(r, what, ids, uid)
    meeting_id = writer.next_id("meeting")
    if ids.known.get(f"meeting:{uid}") != meeting_id:
        raise _NotInBulk("the meetings came in another order than listed")
    for a in r.get("actions") or []:
        action_what = N_("Agreed action “{text}”", text=str(a.get("text", ""))[:60])
        action_uid = exchange.record_uid(a, action_what)
        action = exchange.action_from(dict(a, meeting=uid), action_what, ids, action_uid)
        meeting.actions.append(action)
        if "history" in a:
            writer.histories[action_uid] = exchange.history_from(a, action_what, ids)
    validate_meeting(meeting)
    if writer.meeting(meeting) != meeting_id:
        raise _NotInBulk("the meetings' ids went out of step")
    if r.get("deleted"):
        store = Store(ids.store.db, ids.store.path, writer.user)
        afterwards.append(lambda: store.meetings.delete(meeting_id))

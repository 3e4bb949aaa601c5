"""Records new to this desk, written by the store's bulk writer while an import runs.

A pull brings many records at once, most of them new here (the meetings colleagues logged
since the last sync). The import sorts them as always; the people, anniversaries and
meetings it does not have yet are collected, then written in one go by the bulk writer (the
same rows, name keys, full-text rows and change log as each repository's ``save``) at the
point the import would have saved them, so what comes after finds them. A meeting's agreed
actions go with it. Records already here go through the repositories as before."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from protocol_desk.domain.validation import (
    validate_anniversary,
    validate_meeting,
    validate_person,
)
from protocol_desk.store import Store
from protocol_desk.store.bulk import BulkWriter, keep_actions_written_from
from protocol_desk.store.search import add_terms

if TYPE_CHECKING:
    from protocol_desk.services.exchange import _Resolver

# Parts of a record with a uid of their own: one already here (moved from another record)
# goes through the repository, which knows how to move it.
_PARTS = {
    "person": (("position", "positions"),),
    "meeting": (("meeting_source", "sources"), ("signed_document", "documents_signed")),
}


@dataclass
class NewRecords:
    """The records an import found new to this desk, waiting to be written in bulk."""

    store: Store
    people: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    anniversaries: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    meetings: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    # The uids written here: the import leaves these actions and meetings alone afterwards.
    actions_written: set[str] = field(default_factory=set)
    meetings_written: set[str] = field(default_factory=set)

    def takes(self, kind: str, r: dict[str, Any], actions: Iterable[dict[str, Any]] = ()) -> bool:
        """Whether this new record (and each part of it) is new here, to be written in bulk."""
        for table, key in _PARTS.get(kind, ()):
            if self.store.meetings.any_uid_of(table, [p.get("uid") for p in r.get(key) or []]):
                return False
        return not self.store.meetings.any_uid_of("agreed_action", [a.get("uid") for a in actions])

    def _writer(self) -> BulkWriter:
        # Made afresh for each kind: the import's own saves meanwhile took ids.
        writer = BulkWriter(self.store.db, self.store.user)
        writer.in_key_order = True
        return writer

    def write_people(self, ref: _Resolver) -> list[int]:
        """The new people, with their photos; their ids."""
        from protocol_desk.services.exchange import person_from, photo_from

        writer = self._writer()
        written: list[tuple[int, dict[str, Any], str]] = []
        for r, what, uid in self.people:
            ref.current = uid
            person = person_from(r, what, ref.id, uid)
            validate_person(person)
            written.append((writer.person(person), r, what))
        writer.flush()
        for person_id, r, what in written:
            if r.get("photo"):
                ref.current = r.get("uid")
                self.store.people.set_photo(person_id, photo_from(r, what))
            if r.get("deleted"):
                # A person new to this desk may come already in the bin.
                self.store.people.delete(person_id)
        self.people.clear()
        return [person_id for person_id, _, _ in written]

    def write_anniversaries(self, ref: _Resolver) -> None:
        from protocol_desk.services.exchange import anniversary_from

        writer = self._writer()
        for r, what, uid in self.anniversaries:
            ref.current = uid
            anniversary = anniversary_from(r, what, ref.id, uid)
            validate_anniversary(anniversary)
            writer.anniversary(anniversary)
        writer.flush()
        self.anniversaries.clear()

    def write_meetings(self, ref: _Resolver, actions: list[dict[str, Any]]) -> None:
        """The new meetings with their agreed actions (those of ``actions`` naming them), then
        what the store keeps about actions (due dates, sort keys) and the search vocabulary."""
        from protocol_desk.services.exchange import action_from, history_from, meeting_from

        if not self.meetings:
            return
        writer = self._writer()
        writer.indexed = []
        first_meeting = writer.next_id("meeting")
        first_action = writer.next_id("agreed_action")
        # An action may name a meeting written later in this batch (where it was fulfilled).
        planned = {uid: first_meeting + n for n, (_, _, uid) in enumerate(self.meetings)}

        def resolve(table: str, uid: Any, what: str) -> int | None:
            if table == "meeting" and uid in planned:
                return planned[uid]
            return ref.id(table, uid, what)

        theirs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in actions:
            if a.get("meeting") in planned:
                theirs[str(a["meeting"])].append(a)
        deleted: list[int] = []
        for r, what, uid in self.meetings:
            ref.current = uid
            meeting = meeting_from(r, what, resolve, uid)
            for a in theirs.get(uid, []):
                action_what = f"Agreed action “{str(a.get('text', ''))[:60]}”"
                action_uid = str(a.get("uid"))
                meeting.actions.append(action_from(a, action_what, resolve, action_uid))
                if "history" in a:
                    writer.histories[action_uid] = history_from(a, action_what, resolve)
                self.actions_written.add(action_uid)
            validate_meeting(meeting)
            meeting_id = writer.meeting(meeting)
            assert meeting_id == planned[uid]
            if r.get("deleted"):
                deleted.append(meeting_id)
            self.meetings_written.add(uid)
        writer.flush()
        keep_actions_written_from(self.store.db.conn, first_action)
        add_terms(self.store.db, *writer.indexed)
        for meeting_id in deleted:
            self.store.meetings.delete(meeting_id)
        self.meetings.clear()
